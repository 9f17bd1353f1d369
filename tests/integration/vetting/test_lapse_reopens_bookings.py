"""End to end (design 3.3): a credential lapses in the expiry sweep, and the market's worker-lost
handler cancels the worker's future booking that needs it and tells the person's circle."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from sqlalchemy import select

from slivers.jobs.registry import run_once
from slivers.market.models import Booking
from slivers.notifications.models import OutboxMessage
from slivers.vetting.jobs import CREDENTIAL_EXPIRY
from slivers.vetting.models import Credential
from tests.integration.market.conftest import Market, market  # noqa: F401  (the market's fixture)

LAST_VALID_DAY = date(2026, 11, 30)  # the visit is on 2 December
LAPSE = datetime(2026, 12, 1, 0, 0, tzinfo=UTC)  # 00:00 London (GMT) the next day


async def test_a_lapse_cancels_the_future_booking_and_tells_the_circle(market: Market) -> None:  # noqa: F811
    worker = await market.worker()
    carer, person_id = await market.carer()
    offer = await market.book(carer, await market.request(carer, person_id), worker)
    accepted = await worker.post(f"/api/v1/bookings/{offer['id']}/accept")
    assert accepted.json()["status"] == "confirmed", accepted.text
    wiring = market.app.state.wiring
    async with wiring.unit_of_work() as session:  # a factory: safeguarding recorded as ending on 30 November
        safeguarding = await session.scalar(
            select(Credential).where(
                Credential.worker_id == uuid.UUID(worker.user["worker_id"]),
                Credential.type_code == "safeguarding_adults",
            )
        )
        assert safeguarding is not None
        safeguarding.valid_until = LAST_VALID_DAY
    market.clock.set(LAPSE)
    assert await run_once(wiring, CREDENTIAL_EXPIRY) == 1
    async with wiring.unit_of_work() as session:
        booking = await session.get(Booking, uuid.UUID(offer["id"]))
        told = list(
            await session.scalars(
                select(OutboxMessage.recipient_id).where(
                    OutboxMessage.template == "market_booking_lost", OutboxMessage.channel == "in_app"
                )
            )
        )
    assert booking is not None
    assert (booking.status, booking.ended_by) == ("cancelled", "system")
    assert told == [uuid.UUID(carer.user["id"])]
