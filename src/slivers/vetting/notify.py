"""Telling a worker and their coordinators about vetting, through the notifications outbox."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from slivers.accounts.models import Worker
from slivers.clock import Clock
from slivers.notifications.service import enqueue
from slivers.vetting.access import coordinator_ids


async def tell_worker(
    session: AsyncSession, clock: Clock, worker: Worker, template: str, data: dict[str, Any], dedupe_key: str
) -> int:
    return await enqueue(
        session,
        clock,
        recipient_id=worker.user_id,
        template=template,
        data=data,
        dedupe_key=f"{dedupe_key}:{worker.user_id}",
    )


async def tell_worker_and_coordinators(
    session: AsyncSession,
    clock: Clock,
    worker: Worker,
    template: str,
    data: dict[str, Any],
    dedupe_key: str,
) -> int:
    """One message to the worker and one to each coordinator of their organisation; a repeated
    `dedupe_key` adds nothing, so sweeps may call this again safely."""
    recipients: list[uuid.UUID] = [worker.user_id, *await coordinator_ids(session, worker.organisation_id)]
    added = 0
    for recipient in dict.fromkeys(recipients):
        added += await enqueue(
            session,
            clock,
            recipient_id=recipient,
            template=template,
            data={**data, "worker_name": worker.first_name},
            dedupe_key=f"{dedupe_key}:{recipient}",
        )
    return added
