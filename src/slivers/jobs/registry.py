"""Sweep jobs: idempotent passes over database state (design 7).

The database is the source of truth, never the job store: each sweep looks at what is due now, so it
can run twice, late, or after a crash without harm. Each run is one unit of work (one commit).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from slivers.clock import Clock
from slivers.logs import get_logger
from slivers.wiring import Wiring

log = get_logger(__name__)


@dataclass(frozen=True, slots=True)
class JobContext:
    session: AsyncSession
    clock: Clock
    wiring: Wiring


@dataclass(frozen=True, slots=True)
class SweepJob:
    id: str
    description: str
    every: timedelta
    run: Callable[[JobContext], Awaitable[int]]  # returns how many things it changed


def all_jobs() -> list[SweepJob]:
    from slivers.accounts.jobs import JOBS as accounts_jobs
    from slivers.market.jobs import JOBS as market_jobs
    from slivers.matching.jobs import JOBS as matching_jobs
    from slivers.notifications.jobs import JOBS as notification_jobs
    from slivers.payments.jobs import JOBS as payment_jobs
    from slivers.vetting.jobs import JOBS as vetting_jobs

    jobs = [*accounts_jobs, *vetting_jobs, *market_jobs, *matching_jobs, *payment_jobs, *notification_jobs]
    ids = [job.id for job in jobs]
    duplicates = {i for i in ids if ids.count(i) > 1}
    if duplicates:
        raise RuntimeError(f"duplicate job ids: {sorted(duplicates)}")
    return jobs


async def run_once(wiring: Wiring, job: SweepJob) -> int:
    async with wiring.unit_of_work() as session:
        changed = await job.run(JobContext(session=session, clock=wiring.clock, wiring=wiring))
    log.info("job.ran", job=job.id, changed=changed)
    return changed
