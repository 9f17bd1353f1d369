from __future__ import annotations

from datetime import timedelta

from slivers.jobs.base import JobContext, SweepJob
from slivers.matching.runner import execute, next_queued, requeue_stale


async def solve_queued_runs(ctx: JobContext) -> int:
    """Solve queued runs one after another. The job's own session stays unused: each run opens short
    transactions around the solve, so no lock is held while CP-SAT works."""
    solved = await requeue_stale(ctx.wiring)
    while (run_id := await next_queued(ctx.wiring)) is not None:
        await execute(ctx.wiring, run_id)
        solved += 1
    return solved


JOBS = [
    SweepJob(
        id="matching.solve_queued_runs",
        description="Solve queued matching runs",
        # A coordinator waits on the page for a queued run; a sweep with nothing queued is one query.
        every=timedelta(seconds=10),
        run=solve_queued_runs,
    )
]
