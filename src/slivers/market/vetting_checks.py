"""Vetting as the market asks it: per worker's organisation policy, one `VisitCheck` per visit."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from slivers.accounts.models import Worker
from slivers.geo import Nation
from slivers.market.candidates import WorkerSnapshot
from slivers.vetting.catalogue import WorkerKind
from slivers.vetting.eligibility import (
    CredentialRecord,
    EligibilityResult,
    VettingSubject,
    VisitCheck,
    WorkerStatus,
)
from slivers.vetting.models import Credential
from slivers.vetting.policy import policy_for

_COUNTED = ("verified", "lapsed")


async def load_subjects_by_worker(
    session: AsyncSession, ids: list[uuid.UUID]
) -> dict[uuid.UUID, VettingSubject]:
    """As `vetting.subjects.load_subjects`, but with Core selects of the columns vetting reads (no ORM
    objects to build), credentials selected by worker only and their status filtered here: with both
    in SQL, SQLite's planner picks the status index (nearly every row is verified) and scans the whole
    table, which cost ~70 ms at 10,000 workers."""
    if not ids:
        return {}
    credentials: dict[uuid.UUID, list[CredentialRecord]] = defaultdict(list)
    c = Credential
    rows = await session.execute(
        select(
            c.worker_id,
            c.id,
            c.type_code,
            c.status,
            c.issued_on,
            c.valid_until,
            c.expires_on,
            c.certificate_number,
            c.level,
            c.barred_adults_checked,
            c.barred_children_checked,
            c.on_update_service,
            c.update_service_checked_on,
        ).where(c.worker_id.in_(ids))
    )
    for row in rows:
        if row.status not in _COUNTED:
            continue
        # As `vetting.subjects.record_from_row`: a decided credential's stored `valid_until` (fixed by
        # the catalogue in force at the decision) is its expiry.
        credentials[row.worker_id].append(
            CredentialRecord(
                id=str(row.id),
                type_code=row.type_code,
                status=row.status,
                issued_on=row.issued_on,
                expires_on=row.valid_until if row.valid_until is not None else row.expires_on,
                certificate_number=row.certificate_number,
                level=row.level,
                barred_adults_checked=row.barred_adults_checked,
                barred_children_checked=row.barred_children_checked,
                on_update_service=row.on_update_service,
                update_service_checked_on=row.update_service_checked_on,
            )
        )
    workers = await session.execute(
        select(Worker.id, Worker.kind, Worker.status, Worker.last_supervision_on, Worker.self_employed).where(
            Worker.id.in_(ids)
        )
    )
    return {
        w.id: VettingSubject(
            worker_id=str(w.id),
            kind=WorkerKind(w.kind),
            status=WorkerStatus(w.status),
            credentials=tuple(credentials.get(w.id, ())),
            last_supervision_on=w.last_supervision_on,
            self_employed=w.self_employed,
        )
        for w in workers
    }


class VettingJudge:
    """The callback `CandidateSearch` calls last for each worker that passes everything else; it also
    says which of a worker's usable overrides (credential codes) turned a failure into a pass."""

    def __init__(
        self,
        subjects: dict[uuid.UUID, VettingSubject],
        worker_orgs: dict[uuid.UUID, uuid.UUID | None],
        checks: dict[tuple[uuid.UUID | None, frozenset[str]], VisitCheck],
        overrides: Mapping[uuid.UUID, frozenset[str]],
    ) -> None:
        self._subjects = subjects
        self._worker_orgs = worker_orgs
        self._checks = checks
        self._overrides = overrides

    def result(self, worker_id: uuid.UUID) -> EligibilityResult | None:
        subject = self._subjects.get(worker_id)
        if subject is None:
            return None
        codes = self._overrides.get(worker_id, frozenset())
        return self._checks[self._worker_orgs[worker_id], codes].check(subject)

    def __call__(self, worker: WorkerSnapshot) -> Sequence[str]:
        worker_id = worker.id
        assert isinstance(worker_id, uuid.UUID)
        result = self.result(worker_id)
        return ("no_vetting_record",) if result is None else result.failure_keys

    def overrides_used(self, worker_id: uuid.UUID) -> frozenset[str]:
        result = self.result(worker_id)
        return frozenset() if result is None else result.overrides_used


async def vetting_failures_for(
    session: AsyncSession,
    worker_orgs: dict[uuid.UUID, uuid.UUID | None],
    *,
    task_types: Sequence[str],
    nation: Nation,
    start: datetime,
    end: datetime,
    household_has_child: bool,
    overrides: Mapping[uuid.UUID, frozenset[str]] | None = None,
) -> VettingJudge:
    """Vetting for the workers of `worker_orgs`, each judged by their organisation's policy. `overrides`
    are coordinators' usable overrides (credential codes) per worker: a credential they name is passed
    and reported by `overrides_used`; worker-level rules (suspension, pending, supervision) never are."""
    overrides = overrides or {}
    subjects = await load_subjects_by_worker(session, list(worker_orgs))
    policies = {org: await policy_for(session, org) for org in set(worker_orgs.values())}
    checks: dict[tuple[uuid.UUID | None, frozenset[str]], VisitCheck] = {}
    for worker_id, organisation_id in worker_orgs.items():
        key = (organisation_id, overrides.get(worker_id, frozenset()))
        if key not in checks:
            checks[key] = VisitCheck(
                task_types,
                nation,
                start,
                end,
                household_has_child,
                policy=policies[organisation_id],
                overrides=key[1],
            )
    return VettingJudge(subjects, worker_orgs, checks, overrides)
