"""What other domains hear from vetting. When a worker may no longer work (suspended, a credential
lapsed or revoked), the market reopens their affected future bookings (design 3.3); it appends its
handler to `worker_lost_handlers` at import time, so vetting never imports the market."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from slivers.clock import Clock

# (session, clock, worker_id, reason, since) -> how many bookings the handler changed.
# `reason` is "suspended", "credential_lapsed" or "credential_revoked"; `since` is when it took effect.
WorkerLostHandler = Callable[[AsyncSession, Clock, uuid.UUID, str, datetime], Awaitable[int]]
worker_lost_handlers: list[WorkerLostHandler] = []


async def worker_lost(
    session: AsyncSession, clock: Clock, worker_id: uuid.UUID, reason: str, since: datetime
) -> int:
    """Tell every handler, in the caller's transaction; returns the total they changed."""
    changed = 0
    for handler in list(worker_lost_handlers):
        changed += await handler(session, clock, worker_id, reason, since)
    return changed
