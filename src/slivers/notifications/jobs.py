from __future__ import annotations

from datetime import timedelta

from slivers.jobs.base import JobContext, SweepJob
from slivers.notifications.service import send_due


async def send_outbox(ctx: JobContext) -> int:
    return await send_due(ctx.session, ctx.clock, ctx.wiring.mailer, ctx.wiring.sms)


JOBS = [
    SweepJob(
        id="notifications.send_outbox",
        description="Send due notifications",
        every=timedelta(minutes=1),
        run=send_outbox,
    )
]
