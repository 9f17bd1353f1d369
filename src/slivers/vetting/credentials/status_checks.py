"""DBS Update Service status checks recorded by a coordinator on a verified enhanced DBS (design 3.1,
3.3). A clear check extends the certificate's validity, and that of the barred-list records checked on
it, to 12 months after the check, bringing a lapsed one back; a check that shows a change withdraws
them all and tells the market, as a revocation does. Each is audited (no criminal-record content)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from slivers.accounts.actor import Actor
from slivers.accounts.models import Worker
from slivers.audit.service import record
from slivers.clock import Clock, to_london
from slivers.errors import Conflict, InvalidInput
from slivers.hooks import WorkerLostHandler
from slivers.vetting.access import require_decider
from slivers.vetting.catalogue.policy import policy_for
from slivers.vetting.credentials.decisions import DecisionService
from slivers.vetting.credentials.service import credential_for_update, credential_read
from slivers.vetting.hooks import worker_lost
from slivers.vetting.models import Credential
from slivers.vetting.rules.catalogue import RequirementsPolicy, ValidityKind
from slivers.vetting.rules.eligibility import credential_valid_until
from slivers.vetting.schemas import StatusCheckCreate, StatusCheckRead
from slivers.vetting.workers.subjects import record_from_row

_CHECKABLE = ("verified", "lapsed")


class StatusCheckService:
    def __init__(
        self, session: AsyncSession, clock: Clock, worker_lost_handlers: Sequence[WorkerLostHandler]
    ) -> None:
        self.session = session
        self.clock = clock
        self.worker_lost_handlers = worker_lost_handlers

    async def record(
        self, actor: Actor, credential_id: uuid.UUID, data: StatusCheckCreate
    ) -> StatusCheckRead:
        credential, worker = await credential_for_update(self.session, credential_id)
        require_decider(actor, worker)
        policy = await policy_for(self.session, worker.organisation_id)
        self._check(credential, policy, data)
        same_certificate = await self._same_certificate(credential, policy)
        if data.result == "changed":
            await self._withdraw(actor, worker, policy, [credential, *same_certificate], data.reason)
        else:
            for row in (credential, *same_certificate):
                await self._extend(actor, row, worker, policy, data)
        return StatusCheckRead(
            credential=credential_read(credential, policy, []),
            same_certificate=[credential_read(row, policy, []) for row in same_certificate],
        )

    def _check(self, credential: Credential, policy: RequirementsPolicy, data: StatusCheckCreate) -> None:
        ctype = policy.credential_type(credential.type_code)
        if not (ctype.is_criminal_record_check and policy.validity_rule(credential.type_code)[1]):
            raise Conflict(
                f"{ctype.title} is not kept up to date by the DBS Update Service.", rule="no_update_service"
            )
        if credential.status not in _CHECKABLE:
            raise Conflict(
                f"This credential is {credential.status}; a status check applies only to a verified one.",
                rule="not_verified",
            )
        if data.checked_on > to_london(self.clock.now()).date():
            raise InvalidInput(
                "The status check date is in the future.", field="checked_on", rule="not_future"
            )
        if data.checked_on < credential.issued_on:
            raise InvalidInput(
                "The status check cannot be before the certificate was issued.",
                field="checked_on",
                rule="after_issue",
            )
        last = credential.update_service_checked_on
        if last is not None and data.checked_on < last:
            raise InvalidInput(
                f"A later status check ({last:%d %B %Y}) is already recorded.",
                field="checked_on",
                rule="not_latest",
            )

    async def _same_certificate(self, credential: Credential, policy: RequirementsPolicy) -> list[Credential]:
        codes = [
            t.code for t in policy.credential_types if t.validity.kind is ValidityKind.AS_DBS_CERTIFICATE
        ]
        if not codes or credential.certificate_number is None:
            return []
        return list(
            await self.session.scalars(
                select(Credential)
                .where(
                    Credential.worker_id == credential.worker_id,
                    Credential.certificate_number == credential.certificate_number,
                    Credential.type_code.in_(codes),
                    Credential.status.in_(_CHECKABLE),
                )
                .order_by(Credential.type_code, Credential.submitted_at)
                .with_for_update()
            )
        )

    async def _extend(
        self,
        actor: Actor,
        credential: Credential,
        worker: Worker,
        policy: RequirementsPolicy,
        data: StatusCheckCreate,
    ) -> None:
        credential.on_update_service = True
        credential.update_service_checked_on = data.checked_on
        valid_until = credential_valid_until(record_from_row(credential), policy)
        credential.valid_until = valid_until
        today = to_london(self.clock.now()).date()
        revived = credential.status == "lapsed" and (valid_until is None or valid_until >= today)
        if revived:
            credential.status = "verified"
        await record(
            self.session,
            self.clock,
            actor_id=actor.user_id,
            action="credential.status_check_recorded",
            subject_type="credential",
            subject_id=credential.id,
            data={
                "type_code": credential.type_code,
                "worker_id": str(worker.id),
                "result": "clear",
                "checked_on": data.checked_on.isoformat(),
                "valid_until": valid_until.isoformat() if valid_until else None,
                "revived": revived,
            },
        )

    async def _withdraw(
        self,
        actor: Actor,
        worker: Worker,
        policy: RequirementsPolicy,
        rows: list[Credential],
        reason: str,
    ) -> None:
        decisions = DecisionService(self.session, self.clock, self.worker_lost_handlers)
        for row in rows:
            row.status = "revoked"
            row.decision_reason = reason
            await decisions.announce(actor, row, worker, policy, "revoked", reason)
        await worker_lost(
            self.session,
            self.clock,
            self.worker_lost_handlers,
            worker.id,
            "credential_revoked",
            self.clock.now(),
        )
