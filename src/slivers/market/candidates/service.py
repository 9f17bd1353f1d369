"""Candidates for one occurrence of a request (design 4.3): one narrowing query and a few set-based
loads (`snapshots`), then the pure filter and ranking of `rules.candidates.CandidateSearch`, with
the dearer rules judged lazily in rank order (`rank_slot`). One worker alone is judged by
`eligibility.judge_worker`, with the same rules."""

from __future__ import annotations

import math
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from slivers.accounts.actor import Actor
from slivers.accounts.guards import require_circle_permission
from slivers.accounts.models import CirclePermission, Worker
from slivers.clock import Clock
from slivers.errors import Forbidden, NotFound
from slivers.market.candidates.eligibility import failures_of
from slivers.market.candidates.schemas import (
    CandidateRead,
    CandidatesRead,
    ProblemRead,
    ReasonRead,
    WhyNotRead,
)
from slivers.market.candidates.slot import Slot, load_slot
from slivers.market.candidates.snapshots import LoadedWorkers, load_profiles, load_workers, with_details
from slivers.market.candidates.vetting import VettingJudge, vetting_failures_for
from slivers.market.rules.candidates import (
    Candidate,
    CandidateSearch,
    RequestSnapshot,
    WorkerSnapshot,
)
from slivers.market.rules.places import task_mask
from slivers.vetting.rules.catalogue import RequirementsPolicy


def _no_vetting_failures(worker: WorkerSnapshot) -> Sequence[str]:
    return ()


@dataclass(frozen=True, slots=True)
class Search:
    search: CandidateSearch
    loaded: LoadedWorkers
    judge: VettingJudge


async def search_slot(
    session: AsyncSession,
    slot: Slot,
    now: datetime,
    worker_ids: Sequence[uuid.UUID] | None = None,
    overrides: Mapping[uuid.UUID, frozenset[str]] | None = None,
) -> Search:
    """The search for a slot over the named workers, or over every worker the SQL narrowing finds,
    with every worker's details and vetting loaded (for why-not and matching, which judge them all)."""
    snapshot = slot.snapshot()
    loaded = await load_workers(
        session, snapshot, now, task_mask=task_mask(slot.request.task_types), worker_ids=worker_ids
    )
    judge = await _judge(session, slot, snapshot, loaded, overrides)
    return Search(CandidateSearch(snapshot, judge, now), loaded, judge)


async def _judge(
    session: AsyncSession,
    slot: Slot,
    snapshot: RequestSnapshot,
    loaded: LoadedWorkers,
    overrides: Mapping[uuid.UUID, frozenset[str]] | None = None,
    policies: dict[uuid.UUID | None, RequirementsPolicy] | None = None,
) -> VettingJudge:
    return await vetting_failures_for(
        session,
        {worker_id: extra.organisation_id for worker_id, extra in loaded.extras.items()},
        task_types=slot.request.task_types,
        nation=snapshot.nation,
        start=snapshot.start,
        end=snapshot.end,
        household_has_child=snapshot.household_has_child,
        overrides=overrides,
        known={worker_id: extra.vetting for worker_id, extra in loaded.extras.items()},
        policies=policies,
        policy_versions={extra.organisation_id: extra.policy_version for extra in loaded.extras.values()},
    )


async def rank_slot(
    session: AsyncSession, slot: Slot, now: datetime, limit: int | None = None
) -> tuple[list[Candidate], LoadedWorkers]:
    """The ranked candidates (the first `limit`), and the workers judged on the way (with their
    extras). Rank depends only on what `load_profiles` reads, so the workers who pass the rules it
    can judge are put in rank order first, and the rest of the rules (task types and requirements,
    availability, bookings, then vetting) are judged on them best-first, a batch at a time, until
    `limit` pass: the same answer as judging everyone, for a fraction of the loads."""
    snapshot = slot.snapshot()
    partial = await load_profiles(session, snapshot, now, task_mask=task_mask(slot.request.task_types))
    unvetted = CandidateSearch(snapshot, _no_vetting_failures, now)
    order = unvetted.order(partial)
    judged = LoadedWorkers([], {})
    if not order or limit == 0:
        return [], judged  # an empty pool (no worker at all) has nothing to judge; no zero-step batch
    policies: dict[uuid.UUID | None, RequirementsPolicy] = {}
    chosen: list[Candidate] = []
    offset = 0
    while offset < len(order) and (limit is None or len(chosen) < limit):
        size = len(order) if limit is None else _batch_size(limit - len(chosen), offset, len(chosen))
        batch = await with_details(session, snapshot, order[offset : offset + size])
        offset += size
        judged.snapshots.extend(batch.snapshots)
        judged.extras.update(batch.extras)
        passing = [worker for worker in batch.snapshots if unvetted.passes(worker)]
        if not passing:
            continue
        part = LoadedWorkers(passing, {w.id: batch.extras[w.id] for w in passing})  # type: ignore[index,misc]
        judge = await _judge(session, slot, snapshot, part, policies=policies)
        chosen.extend(CandidateSearch(snapshot, judge, now).rank(passing))
    ranked = [replace(candidate, rank=rank) for rank, candidate in enumerate(chosen[:limit], start=1)]
    return ranked, judged


def _batch_size(wanted: int, judged: int, passed: int) -> int:
    """How many more workers to judge to find `wanted` more candidates, at the pass rate so far (two
    in three before any are judged); the margin usually saves a second round of loads."""
    rate = passed / judged if judged and passed else 2 / 3
    return max(4, math.ceil(wanted / max(rate, 0.1)) + 2)


class CandidateService:
    def __init__(self, session: AsyncSession, clock: Clock) -> None:
        self.session = session
        self.clock = clock

    async def list(
        self, actor: Actor, request_id: uuid.UUID, occurrence_id: uuid.UUID | None, limit: int
    ) -> CandidatesRead:
        now = self.clock.now()
        slot = await load_slot(self.session, request_id, occurrence_id, now)
        await require_circle_permission(self.session, actor, slot.request.person_id, CirclePermission.REQUEST)
        ranked, loaded = await rank_slot(self.session, slot, now, limit)
        return CandidatesRead(
            request_id=request_id,
            occurrence_id=slot.occurrence.id,
            candidates=[
                CandidateRead(
                    rank=c.rank,
                    worker_id=c.worker.id,  # type: ignore[arg-type]  # snapshots of the database carry UUIDs
                    first_name=c.worker.first_name,
                    kind=c.worker.kind.value,
                    distance_km=round(c.distance_km, 1),
                    hourly_rate_pence=c.worker.hourly_rate_pence,
                    instant_book=loaded.extras[c.worker.id].instant_book,  # type: ignore[index]
                    reasons=[ReasonRead(code=r.code, detail=r.detail) for r in c.reasons],
                )
                for c in ranked
            ],
        )

    async def why_not(
        self, actor: Actor, request_id: uuid.UUID, worker_id: uuid.UUID, occurrence_id: uuid.UUID | None
    ) -> WhyNotRead:
        worker = await self.session.get(Worker, worker_id)
        if worker is None:
            raise NotFound("We cannot find that worker.", field="worker_id", rule="not_found")
        if not actor.has_org_role(worker.organisation_id, "coordinator"):
            raise Forbidden(
                "Only a coordinator of this worker's organisation can see why they are not a candidate.",
                rule="needs_coordinator",
            )
        now = self.clock.now()
        slot = await load_slot(self.session, request_id, occurrence_id, now)
        failures = await failures_of(self.session, slot, worker_id, now)
        return WhyNotRead(
            request_id=request_id,
            occurrence_id=slot.occurrence.id,
            worker_id=worker_id,
            is_candidate=not failures,
            failing_rules=[ProblemRead(rule=f.rule, detail=f.detail) for f in failures],
        )
