"""What other domains hear from vetting. When a worker may no longer work (suspended, a credential
lapsed or revoked), the market reopens their affected future bookings (design 3.3). The handlers are
`Hooks.worker_lost_handlers`, filled in `slivers.assembly` and passed to the services that call
`worker_lost`, so vetting never imports the market."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from slivers.clock import Clock
from slivers.hooks import WorkerLostHandler


async def worker_lost(
    session: AsyncSession,
    clock: Clock,
    handlers: Sequence[WorkerLostHandler],
    worker_id: uuid.UUID,
    reason: str,
    since: datetime,
) -> int:
    """Tell every handler, in the caller's transaction; returns the total they changed."""
    changed = 0
    for handler in handlers:
        changed += await handler(session, clock, worker_id, reason, since)
    return changed
