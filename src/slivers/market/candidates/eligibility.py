"""Whether one worker may take one slot now (design 4.3; 4.5 #6 at confirmation), judged directly: the
worker's row and their profile, strikes, availability, bookings and vetting, loaded for them alone
(`snapshots.load_one`), then every rule of `CandidateSearch.why_not`. The search's narrowing, ranking
and batches play no part; the rules and the loaders are the search's own, so a worker the search
lists passes here and the other way round (tests/integration/market/candidates/test_market_narrowing.py)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from slivers.accounts.models import Worker
from slivers.market.candidates.slot import Slot
from slivers.market.candidates.snapshots import load_one
from slivers.market.candidates.vetting import vetting_failures_for
from slivers.market.rules.candidates import CandidateSearch, RuleFailure

NO_PROFILE = RuleFailure("no_profile", "the worker has not set a home postcode and task types")


@dataclass(frozen=True, slots=True)
class Judgement:
    """Every rule of 4.3 one worker fails for a slot (empty: they may take it), and the credential codes
    whose failure a coordinator's override excused (to be spent if the booking goes ahead)."""

    failures: list[RuleFailure]
    overrides_used: frozenset[str] = frozenset()


async def judge_worker(
    session: AsyncSession,
    slot: Slot,
    worker_id: uuid.UUID,
    now: datetime,
    overrides: frozenset[str] = frozenset(),
) -> Judgement:
    """Every rule of 4.3 the worker fails for the slot at `now`, with their usable overrides (credential
    codes) taken into account. The worker's row is read afresh (a lock taken before it is kept)."""
    worker = await session.scalar(
        select(Worker).where(Worker.id == worker_id).execution_options(populate_existing=True)
    )
    request = slot.snapshot()
    loaded = None if worker is None else await load_one(session, request, worker, now)
    if worker is None or loaded is None:
        return Judgement([NO_PROFILE])
    snapshot, extras = loaded
    judge = await vetting_failures_for(
        session,
        {worker.id: worker.organisation_id},
        task_types=slot.request.task_types,
        nation=request.nation,
        start=request.start,
        end=request.end,
        household_has_child=request.household_has_child,
        overrides={worker.id: overrides},
        known={worker.id: extras.vetting},
    )
    failures = CandidateSearch(request, judge, now).why_not(snapshot)
    return Judgement(failures, judge.overrides_used(worker.id) if overrides else frozenset())


async def failures_of(
    session: AsyncSession, slot: Slot, worker_id: uuid.UUID, now: datetime
) -> list[RuleFailure]:
    """Every rule of 4.3 the worker fails for this slot, by name; empty for a candidate."""
    return (await judge_worker(session, slot, worker_id, now)).failures
