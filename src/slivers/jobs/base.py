"""What a sweep job is and what it runs with (design 7). Domains' `jobs.py` import only this module;
`slivers.jobs.registry` imports the domains to list their jobs, so no arrow runs back up.

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


async def run_once(wiring: Wiring, job: SweepJob) -> int:
    async with wiring.unit_of_work() as session:
        changed = await job.run(JobContext(session=session, clock=wiring.clock, wiring=wiring))
    log.info("job.ran", job=job.id, changed=changed)
    return changed
