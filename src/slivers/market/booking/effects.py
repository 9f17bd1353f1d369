"""What follows a booking's transition besides its new state: money (payments hooks), strikes,
reopening the occurrence for cover, and messages. All in the caller's transaction."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from slivers.accounts.models import CircleMember, Worker
from slivers.clock import Clock, to_london
from slivers.config import Settings
from slivers.market.models import Booking, RequestOccurrence
from slivers.market.rules.lifecycle import PartyRole, TransitionResult
from slivers.market.rules.reliability import is_paused
from slivers.market.workers.reliability import add_strike, strikes_by_worker
from slivers.notifications.service import enqueue
from slivers.payments.budgets import booking_hooks
from slivers.payments.budgets.booking_hooks import BookingMoney


def when(instant: datetime) -> str:
    return to_london(instant).strftime("%a %d %b %H:%M")


def money_of(booking: Booking) -> BookingMoney:
    return BookingMoney(
        booking_id=booking.id,
        budget_id=booking.budget_id,
        person_id=booking.person_id,
        worker_id=booking.worker_id,
        worker_is_volunteer=booking.worker_is_volunteer,
        rate_pence_per_hour=booking.rate_pence_per_hour,
        booked_minutes=int((booking.end_at - booking.start_at) // timedelta(minutes=1)),
        start=booking.start_at,
    )


async def circle_user_ids(session: AsyncSession, person_id: uuid.UUID) -> list[uuid.UUID]:
    rows = await session.scalars(
        select(CircleMember.user_id).where(
            CircleMember.person_id == person_id, CircleMember.can_view.is_(True)
        )
    )
    return list(rows)


async def tell_circle(
    session: AsyncSession,
    clock: Clock,
    booking: Booking,
    template: str,
    data: dict[str, object],
    key: str,
    *,
    approvers_only: bool = False,
) -> None:
    query = select(CircleMember.user_id).where(CircleMember.person_id == booking.person_id)
    query = query.where(
        CircleMember.can_approve.is_(True) if approvers_only else CircleMember.can_view.is_(True)
    )
    for user_id in await session.scalars(query):
        await enqueue(
            session,
            clock,
            recipient_id=user_id,
            template=template,
            data=data,
            dedupe_key=f"booking:{booking.id}:{key}:{user_id}",
        )


async def tell_worker(
    session: AsyncSession,
    clock: Clock,
    booking: Booking,
    worker: Worker,
    template: str,
    data: dict[str, object],
    key: str,
) -> None:
    await enqueue(
        session,
        clock,
        recipient_id=worker.user_id,
        template=template,
        data=data,
        dedupe_key=f"booking:{booking.id}:{key}:{worker.user_id}",
    )


def message_data(booking: Booking, worker: Worker) -> dict[str, object]:
    return {
        "when": when(booking.start_at),
        "worker_name": worker.first_name,
        "minutes": int((booking.end_at - booking.start_at) // timedelta(minutes=1)),
        "booking_id": str(booking.id),
    }


async def reopen_for_cover(session: AsyncSession, clock: Clock, booking: Booking) -> None:
    """The occurrence lost a worker it had: mark it for the cover sweep (which offers it)."""
    occurrence = await session.get(RequestOccurrence, booking.occurrence_id)
    if occurrence is not None and occurrence.cover_needed_since is None:
        occurrence.cover_needed_since = clock.now()


async def after_end(
    session: AsyncSession,
    clock: Clock,
    settings: Settings | None,
    booking: Booking,
    worker: Worker,
    result: TransitionResult,
    role: PartyRole,
    was_confirmed: bool,
    reason: str,
) -> None:
    """A booking left the market (cancelled, declined, expired, no-show): free the seat, settle money,
    record a strike, reopen the need, and tell people."""
    now = clock.now()
    booking.seat = None
    booking.ended_at = now
    booking.ended_by = role.value
    booking.ended_reason = reason
    booking.late_fee_pence = result.late_cancellation_fee_pence
    if was_confirmed:
        await booking_hooks.on_cancel(
            session, clock, money_of(booking), result.late_cancellation_fee_pence, settings=settings
        )
    if result.strike is not None:
        await add_strike(
            session,
            worker_id=worker.id,
            booking_id=booking.id,
            kind=result.strike,
            at=now,
            reason=f"{result.strike.value.replace('_', ' ')} of the visit on {when(booking.start_at)}",
        )
        await session.flush()
        strikes = (await strikes_by_worker(session, [worker.id], now)).get(worker.id, [])
        if is_paused(strikes, now):
            await enqueue(
                session,
                clock,
                recipient_id=worker.user_id,
                template="market_bookings_paused",
                data={},
                dedupe_key=f"worker:{worker.id}:paused:{now.date().isoformat()}",
            )
    if result.reopen_request and was_confirmed:
        await reopen_for_cover(session, clock, booking)
