from __future__ import annotations

from datetime import timedelta

from slivers.accounts.auth_service import AuthService
from slivers.jobs.base import JobContext, SweepJob


async def purge_expired_sessions(ctx: JobContext) -> int:
    return await AuthService(ctx.session, ctx.clock).purge_expired()


JOBS = [
    SweepJob(
        id="accounts.purge_expired_sessions",
        description="Delete expired sign-in sessions and old failed sign-in records",
        every=timedelta(hours=1),
        run=purge_expired_sessions,
    )
]
