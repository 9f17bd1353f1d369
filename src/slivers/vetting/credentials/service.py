"""Submitting credentials and reading them back: the worker's own list with its history, a
coordinator's view of a worker, and the coordinator's queue of credentials waiting for a decision."""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from slivers.accounts.actor import Actor
from slivers.accounts.models import User, Worker
from slivers.audit.models import AuditEvent
from slivers.audit.service import record
from slivers.clock import Clock, to_london
from slivers.errors import InvalidInput, NotFound
from slivers.vetting.access import COORDINATOR, own_worker, worker_seen_by
from slivers.vetting.catalogue.policy import policy_for
from slivers.vetting.models import Credential
from slivers.vetting.rules.catalogue import RequirementsPolicy, ValidityKind
from slivers.vetting.schemas import CredentialRead, CredentialSubmit, HistoryEntry, QueueItem

MAX_QUEUE = 500


class CredentialService:
    def __init__(self, session: AsyncSession, clock: Clock) -> None:
        self.session = session
        self.clock = clock

    async def submit(self, actor: Actor, data: CredentialSubmit) -> CredentialRead:
        worker = await own_worker(self.session, actor)
        policy = await policy_for(self.session, worker.organisation_id)
        check_submission(data, policy, today=to_london(self.clock.now()).date())
        credential = Credential(
            worker_id=worker.id,
            type_code=data.type_code,
            status="submitted",
            issued_on=data.issued_on,
            expires_on=data.expires_on,
            certificate_number=data.certificate_number,
            level=data.level,
            barred_adults_checked=data.barred_adults_checked,
            barred_children_checked=data.barred_children_checked,
            on_update_service=data.on_update_service,
            update_service_checked_on=data.update_service_checked_on,
            submitted_at=self.clock.now(),
            decision_reason="",
        )
        self.session.add(credential)
        await self.session.flush()
        await record(
            self.session,
            self.clock,
            actor_id=actor.user_id,
            action="credential.submitted",
            subject_type="credential",
            subject_id=credential.id,
            data={"type_code": data.type_code},
        )
        return (await self.reads([credential], policy))[0]

    async def mine(self, actor: Actor) -> list[CredentialRead]:
        worker = await own_worker(self.session, actor)
        return await self._of(worker)

    async def of_worker(self, actor: Actor, worker_id: uuid.UUID) -> list[CredentialRead]:
        return await self._of(await worker_seen_by(self.session, actor, worker_id))

    async def _of(self, worker: Worker) -> list[CredentialRead]:
        rows = list(
            await self.session.scalars(
                select(Credential)
                .where(Credential.worker_id == worker.id)
                .order_by(Credential.type_code, Credential.submitted_at)
            )
        )
        return await self.reads(rows, await policy_for(self.session, worker.organisation_id))

    async def queue(self, actor: Actor) -> list[QueueItem]:
        """Submitted credentials of workers vetted by the organisations `actor` coordinates, oldest first.
        A coordinator's own credentials are left out: someone else must decide them."""
        orgs = actor.orgs_with_role(COORDINATOR)
        if not orgs:
            return []
        rows = (
            await self.session.execute(
                select(Credential, Worker, User.display_name)
                .join(Worker, Worker.id == Credential.worker_id)
                .join(User, User.id == Worker.user_id)
                .where(
                    Credential.status == "submitted",
                    Worker.organisation_id.in_(orgs),
                    Worker.user_id != actor.user_id,
                )
                .order_by(Credential.submitted_at)
                .limit(MAX_QUEUE)
            )
        ).all()
        items = []
        for credential, worker, name in rows:
            policy = await policy_for(self.session, worker.organisation_id)
            [read] = await self.reads([credential], policy, with_history=False)
            assert worker.organisation_id is not None
            items.append(QueueItem(worker_name=name, organisation_id=worker.organisation_id, credential=read))
        return items

    async def reads(
        self, rows: list[Credential], policy: RequirementsPolicy, *, with_history: bool = True
    ) -> list[CredentialRead]:
        history: dict[uuid.UUID, list[HistoryEntry]] = defaultdict(list)
        if with_history and rows:
            events = await self.session.scalars(
                select(AuditEvent)
                .where(
                    AuditEvent.subject_type == "credential", AuditEvent.subject_id.in_([r.id for r in rows])
                )
                .order_by(AuditEvent.at, AuditEvent.id)
            )
            for event in events:
                assert event.subject_id is not None
                history[event.subject_id].append(
                    HistoryEntry(at=event.at, action=event.action, reason=event.reason)
                )
        return [credential_read(row, policy, history.get(row.id, [])) for row in rows]


async def credential_for_update(session: AsyncSession, credential_id: uuid.UUID) -> tuple[Credential, Worker]:
    credential = await session.get(Credential, credential_id, with_for_update=True)
    worker = await session.get(Worker, credential.worker_id) if credential else None
    if credential is None or worker is None:
        raise NotFound("We cannot find that credential.", field="credential_id", rule="not_found")
    return credential, worker


def credential_read(
    row: Credential, policy: RequirementsPolicy, history: list[HistoryEntry]
) -> CredentialRead:
    return CredentialRead(
        id=row.id,
        worker_id=row.worker_id,
        type_code=row.type_code,
        title=_title(policy, row.type_code),
        status=row.status,
        issued_on=row.issued_on,
        expires_on=row.expires_on,
        valid_until=row.valid_until,
        certificate_number=row.certificate_number,
        level=row.level,
        barred_adults_checked=row.barred_adults_checked,
        barred_children_checked=row.barred_children_checked,
        on_update_service=row.on_update_service,
        update_service_checked_on=row.update_service_checked_on,
        submitted_at=row.submitted_at,
        decided_at=row.decided_at,
        decision_reason=row.decision_reason,
        has_evidence=row.evidence_key is not None,
        evidence_sha256=row.evidence_sha256,
        history=history,
    )


def _title(policy: RequirementsPolicy, code: str) -> str:
    try:
        return policy.credential_type(code).title
    except KeyError:
        return code


def check_submission(data: CredentialSubmit, policy: RequirementsPolicy, *, today: date) -> None:
    """Refuse what the catalogue and the DBS code of practice do not allow, naming the field."""
    try:
        ctype = policy.credential_type(data.type_code)
    except KeyError:
        raise InvalidInput(
            f"{data.type_code!r} is not a credential in the catalogue.",
            field="type_code",
            rule="unknown_type",
        ) from None
    if data.issued_on > today:
        raise InvalidInput("The issue date is in the future.", field="issued_on", rule="not_future")
    if data.expires_on is not None and data.expires_on < today:
        raise InvalidInput(
            "This has already expired. Submit the renewed one.", field="expires_on", rule="expired"
        )
    checked = data.update_service_checked_on
    if checked is not None and checked > today:
        raise InvalidInput(
            "The status check date is in the future.", field="update_service_checked_on", rule="not_future"
        )
    record_check = ctype.is_criminal_record_check or ctype.validity.kind is ValidityKind.AS_DBS_CERTIFICATE
    if record_check:
        if not data.certificate_number:
            raise InvalidInput(
                f"{ctype.title}: give the certificate or membership number.",
                field="certificate_number",
                rule="required",
            )
        if ctype.is_criminal_record_check and data.level is None:
            raise InvalidInput(f"{ctype.title}: give the level of the check.", field="level", rule="required")
        if data.type_code == "dbs_barred_adults" and not data.barred_adults_checked:
            raise InvalidInput(
                "The adults' barred list must have been checked on this certificate.",
                field="barred_adults_checked",
                rule="required",
            )
        if data.type_code == "dbs_barred_children" and not data.barred_children_checked:
            raise InvalidInput(
                "The children's barred list must have been checked on this certificate.",
                field="barred_children_checked",
                rule="required",
            )
    else:
        extra = [
            name
            for name in ("level", "barred_adults_checked", "barred_children_checked")
            if getattr(data, name)
        ]
        if extra:
            raise InvalidInput(
                f"{ctype.title} has no {extra[0].replace('_', ' ')}.", field=extra[0], rule="not_applicable"
            )
    if data.on_update_service and not policy.validity_rule(data.type_code)[1]:
        raise InvalidInput(
            f"{ctype.title} cannot be kept up to date by the DBS Update Service.",
            field="on_update_service",
            rule="not_applicable",
        )
