"""Every domain's sweep jobs, in one list: the registry imports the domains (never the reverse;
they import `slivers.jobs.base`)."""

from __future__ import annotations

from slivers.accounts.jobs import JOBS as accounts_jobs
from slivers.jobs.base import JobContext, SweepJob, run_once
from slivers.market.jobs import JOBS as market_jobs
from slivers.matching.jobs import JOBS as matching_jobs
from slivers.notifications.jobs import JOBS as notification_jobs
from slivers.payments.jobs import JOBS as payment_jobs
from slivers.vetting.jobs import JOBS as vetting_jobs

__all__ = ["JobContext", "SweepJob", "all_jobs", "run_once"]


def all_jobs() -> list[SweepJob]:
    jobs = [*accounts_jobs, *vetting_jobs, *market_jobs, *matching_jobs, *payment_jobs, *notification_jobs]
    ids = [job.id for job in jobs]
    duplicates = {i for i in ids if ids.count(i) > 1}
    if duplicates:
        raise RuntimeError(f"duplicate job ids: {sorted(duplicates)}")
    return jobs
