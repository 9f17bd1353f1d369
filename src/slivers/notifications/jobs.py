from __future__ import annotations

from datetime import timedelta

from slivers.jobs.base import JobContext, SweepJob
from slivers.notifications.service import send_due


async def send_outbox(ctx: JobContext) -> int:
    wiring = ctx.wiring
    return await send_due(
        ctx.session, ctx.clock, wiring.mailer, wiring.sms, wiring.hooks.notification_templates
    )


JOBS = [
    SweepJob(
        id="notifications.send_outbox",
        description="Send due notifications",
        every=timedelta(minutes=1),
        run=send_outbox,
    )
]
