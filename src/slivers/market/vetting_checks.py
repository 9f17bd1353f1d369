"""Vetting as the market asks it: per worker's organisation policy, one `VisitCheck` per visit."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from slivers.geo import Nation
from slivers.market.candidates import WorkerSnapshot
from slivers.vetting.eligibility import VettingSubject, VisitCheck
from slivers.vetting.policy import policy_for
from slivers.vetting.subjects import load_subjects


async def vetting_failures_for(
    session: AsyncSession,
    worker_orgs: dict[uuid.UUID, uuid.UUID | None],
    *,
    task_types: Sequence[str],
    nation: Nation,
    start: datetime,
    end: datetime,
    household_has_child: bool,
) -> Callable[[WorkerSnapshot], Sequence[str]]:
    """The callback `CandidateSearch` calls last for each worker that passes everything else."""
    subjects: dict[uuid.UUID, VettingSubject] = await load_subjects(session, worker_orgs)
    checks: dict[uuid.UUID | None, VisitCheck] = {}
    for organisation_id in set(worker_orgs.values()):
        policy = await policy_for(session, organisation_id)
        checks[organisation_id] = VisitCheck(
            task_types, nation, start, end, household_has_child, policy=policy
        )

    def failures(worker: WorkerSnapshot) -> Sequence[str]:
        worker_id = worker.id
        assert isinstance(worker_id, uuid.UUID)
        subject = subjects.get(worker_id)
        if subject is None:
            return ("no_vetting_record",)
        return checks[worker_orgs[worker_id]].check(subject).failure_keys

    return failures
