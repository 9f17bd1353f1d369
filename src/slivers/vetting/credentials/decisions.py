"""A coordinator's decisions on a credential: verify, reject, revoke. Each is audited with its reason
and told to the worker; a revoked credential also tells the market (design 3.3)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from slivers.accounts.actor import Actor
from slivers.accounts.models import Worker
from slivers.audit.service import record
from slivers.clock import Clock, to_london
from slivers.errors import Conflict, InvalidInput
from slivers.hooks import WorkerLostHandler
from slivers.vetting.access import require_decider
from slivers.vetting.catalogue.policy import policy_for
from slivers.vetting.credentials.service import credential_for_update, credential_read
from slivers.vetting.hooks import worker_lost
from slivers.vetting.models import Credential
from slivers.vetting.notify import tell_worker
from slivers.vetting.rules.catalogue import RequirementsPolicy
from slivers.vetting.rules.eligibility import credential_valid_until
from slivers.vetting.schemas import CredentialRead, Decision, Verify
from slivers.vetting.workers.subjects import record_from_row


class DecisionService:
    def __init__(
        self, session: AsyncSession, clock: Clock, worker_lost_handlers: Sequence[WorkerLostHandler]
    ) -> None:
        self.session = session
        self.clock = clock
        self.worker_lost_handlers = worker_lost_handlers

    async def verify(self, actor: Actor, credential_id: uuid.UUID, data: Verify) -> CredentialRead:
        credential, worker, policy = await self._decidable(actor, credential_id, "submitted")
        if data.expires_on is not None:
            if data.expires_on <= credential.issued_on:
                raise InvalidInput(
                    "The expiry date must be after the issue date.", field="expires_on", rule="after_issue"
                )
            credential.expires_on = data.expires_on
        valid_until = credential_valid_until(record_from_row(credential), policy)
        if valid_until is not None and valid_until < to_london(self.clock.now()).date():
            raise Conflict(
                f"This ran out on {valid_until:%d %B %Y}; it cannot be verified. Reject it and "
                "ask for the renewed one.",
                rule="already_expired",
            )
        self._decide(credential, actor, "verified", data.note)
        credential.valid_until = valid_until
        await self.announce(actor, credential, worker, policy, "verified", data.note)
        return credential_read(credential, policy, [])

    async def reject(self, actor: Actor, credential_id: uuid.UUID, data: Decision) -> CredentialRead:
        credential, worker, policy = await self._decidable(actor, credential_id, "submitted")
        self._decide(credential, actor, "rejected", data.reason)
        await self.announce(actor, credential, worker, policy, "rejected", data.reason)
        return credential_read(credential, policy, [])

    async def revoke(self, actor: Actor, credential_id: uuid.UUID, data: Decision) -> CredentialRead:
        """Withdraw a verified credential (an Update Service check that shows a change, say)."""
        credential, worker, policy = await self._decidable(actor, credential_id, "verified")
        credential.status = "revoked"
        credential.decision_reason = data.reason
        await self.announce(actor, credential, worker, policy, "revoked", data.reason)
        await worker_lost(
            self.session,
            self.clock,
            self.worker_lost_handlers,
            worker.id,
            "credential_revoked",
            self.clock.now(),
        )
        return credential_read(credential, policy, [])

    async def _decidable(
        self, actor: Actor, credential_id: uuid.UUID, status: str
    ) -> tuple[Credential, Worker, RequirementsPolicy]:
        credential, worker = await credential_for_update(self.session, credential_id)
        require_decider(actor, worker)
        if credential.status != status:
            raise Conflict(
                f"This credential is {credential.status}, so it cannot be changed that way.",
                rule=f"not_{status}",
            )
        return credential, worker, await policy_for(self.session, worker.organisation_id)

    def _decide(self, credential: Credential, actor: Actor, status: str, reason: str) -> None:
        credential.status = status
        credential.decided_at = self.clock.now()
        credential.decided_by_id = actor.user_id
        credential.decision_reason = reason

    async def announce(
        self,
        actor: Actor,
        credential: Credential,
        worker: Worker,
        policy: RequirementsPolicy,
        outcome: str,
        reason: str,
    ) -> None:
        await record(
            self.session,
            self.clock,
            actor_id=actor.user_id,
            action=f"credential.{outcome}",
            subject_type="credential",
            subject_id=credential.id,
            reason=reason,
            data={"type_code": credential.type_code, "worker_id": str(worker.id)},
        )
        title = policy.credential_type(credential.type_code).title
        await tell_worker(
            self.session,
            self.clock,
            worker,
            f"vetting_credential_{outcome}",
            {"title": title, "reason": reason},
            f"vetting:credential:{credential.id}:{outcome}",
        )
