"""Load workers' vetting state from the database into the pure core's VettingSubject, in bulk."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from slivers.accounts.models import Worker
from slivers.vetting.eligibility import CredentialRecord, VettingSubject
from slivers.vetting.models import Credential

# Only these statuses matter to eligibility; submitted and rejected ones never count.
_COUNTED = ("verified", "lapsed")


def record_from_row(c: Credential) -> CredentialRecord:
    # A decided credential's `valid_until` was fixed by the catalogue in force at the decision; using it
    # as the expiry keeps later catalogue edits from changing credentials already verified.
    decided = c.status in _COUNTED and c.valid_until is not None
    return CredentialRecord(
        id=str(c.id),
        type_code=c.type_code,
        status=c.status,  # type: ignore[arg-type]
        issued_on=c.issued_on,
        expires_on=c.valid_until if decided else c.expires_on,
        certificate_number=c.certificate_number,
        level=c.level,
        barred_adults_checked=c.barred_adults_checked,
        barred_children_checked=c.barred_children_checked,
        on_update_service=c.on_update_service,
        update_service_checked_on=c.update_service_checked_on,
    )


def subject_from_rows(worker: Worker, credentials: Iterable[Credential]) -> VettingSubject:
    return VettingSubject(
        worker_id=str(worker.id),
        kind=worker.kind,  # type: ignore[arg-type]
        status=worker.status,  # type: ignore[arg-type]
        credentials=tuple(record_from_row(c) for c in credentials),
        last_supervision_on=worker.last_supervision_on,
        self_employed=worker.self_employed,
    )


async def load_subjects(
    session: AsyncSession, worker_ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, VettingSubject]:
    ids = list(worker_ids)
    if not ids:
        return {}
    workers = {w.id: w for w in await session.scalars(select(Worker).where(Worker.id.in_(ids)))}
    credentials: dict[uuid.UUID, list[Credential]] = defaultdict(list)
    rows = await session.scalars(
        select(Credential).where(Credential.worker_id.in_(ids), Credential.status.in_(_COUNTED))
    )
    for credential in rows:
        credentials[credential.worker_id].append(credential)
    return {wid: subject_from_rows(worker, credentials[wid]) for wid, worker in workers.items()}
