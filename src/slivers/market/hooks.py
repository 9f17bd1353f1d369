"""The market's handlers in other domains' extension points, registered once on import (by the
controllers and the jobs, so both the web app and the scheduler have them)."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from slivers.accounts.guards import worker_relation_checks
from slivers.accounts.models import Worker
from slivers.market.cover.service import reopen_for_lost_worker
from slivers.market.models import Booking
from slivers.vetting.hooks import worker_lost_handlers


async def has_booking_with(session: AsyncSession, user_id: uuid.UUID, person_id: uuid.UUID) -> bool:
    """Whether this user's worker profile has (or had) any booking with the person, even an offer:
    such a worker may never hold `approve` or `manage` in that person's circle (design 2)."""
    found = await session.scalar(
        select(Booking.id)
        .join(Worker, Worker.id == Booking.worker_id)
        .where(Worker.user_id == user_id, Booking.person_id == person_id)
        .limit(1)
    )
    return found is not None


def register() -> None:
    if has_booking_with not in worker_relation_checks:
        worker_relation_checks.append(has_booking_with)
    if reopen_for_lost_worker not in worker_lost_handlers:
        worker_lost_handlers.append(reopen_for_lost_worker)


register()
