"""The market's answer to accounts' extension point `Hooks.worker_relation_checks` (slivers.hooks);
`slivers.assembly` plugs it in, with the market's `worker_lost` handler (cover.service)."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from slivers.accounts.models import Worker
from slivers.market.models import Booking


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
