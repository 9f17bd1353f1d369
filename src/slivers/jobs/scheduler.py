"""The one scheduler process (`slivers scheduler`): APScheduler 3.x running the sweep jobs.

Missed runs: every sweep runs once as soon as the process starts (so whatever fell due while it was
down is handled), then on its interval. `coalesce` folds a backlog of missed runs into one, and the
misfire grace time (one interval) lets a run that was delayed by a busy event loop still happen.
"""

from __future__ import annotations

import asyncio
import signal
from datetime import UTC, datetime

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from slivers.jobs.registry import SweepJob, all_jobs, run_once
from slivers.logs import get_logger
from slivers.wiring import Wiring

log = get_logger(__name__)


def build_scheduler(wiring: Wiring, jobs: list[SweepJob] | None = None) -> AsyncIOScheduler:
    scheduler = AsyncIOScheduler(timezone=UTC)
    # APScheduler fires on the machine's clock, so its first run is set on that clock too.
    start = datetime.now(UTC)  # noqa: TID251
    for job in jobs if jobs is not None else all_jobs():
        seconds = int(job.every.total_seconds())
        scheduler.add_job(
            run_guarded,
            "interval",
            seconds=seconds,
            args=[wiring, job],
            id=job.id,
            name=job.description,
            next_run_time=start,
            coalesce=True,
            max_instances=1,
            misfire_grace_time=seconds,
            replace_existing=True,
        )
    return scheduler


async def run_guarded(wiring: Wiring, job: SweepJob) -> None:
    """One run of a job as the scheduler makes it: a failure is logged (without secrets), not raised."""
    try:
        await run_once(wiring, job)
    except Exception as error:  # one failing sweep must not stop the others; it runs again next time
        log.error("job.failed", job=job.id, error_type=type(error).__name__, exc_info=error)


async def run_forever(wiring: Wiring) -> None:
    scheduler = build_scheduler(wiring)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    scheduler.start()
    log.info("scheduler.started", jobs=[job.id for job in scheduler.get_jobs()])
    await stop.wait()
    scheduler.shutdown(wait=True)
    await wiring.dispose()
