"""Sweep jobs of this domain, registered in slivers.jobs.registry. Each looks only at what is due
now, so running it twice, or late, changes nothing the second time."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from slivers.accounts.models import Worker
from slivers.errors import DomainError
from slivers.jobs.base import JobContext, SweepJob
from slivers.logs import get_logger
from slivers.market.booking import effects
from slivers.market.booking.service import BookingService
from slivers.market.cover.service import offer_cover
from slivers.market.models import Booking, RequestOccurrence
from slivers.market.rules.lifecycle import (
    AUTO_APPROVE_AFTER_CHECK_OUT,
    NO_SHOW_AFTER_START,
    BookingState,
    PartyRole,
    Transition,
)

log = get_logger(__name__)
BATCH = 500
REMINDERS = (("24h", timedelta(hours=24)), ("2h", timedelta(hours=2)))


async def _each(
    session: AsyncSession, rows: list[Booking], step: Callable[[Booking], Awaitable[None]]
) -> int:
    """Run `step` per booking in a savepoint, so one refusal does not undo the rest of the sweep."""
    changed = 0
    for booking in rows:
        try:
            async with session.begin_nested():
                await step(booking)
            changed += 1
        except DomainError as error:
            log.info("market.sweep_skipped", booking_id=str(booking.id), rule=error.rule)
    return changed


async def _transition_due(ctx: JobContext, query: object, move: Transition) -> int:
    rows = list((await ctx.session.scalars(query.limit(BATCH))).all())  # type: ignore[attr-defined]
    service = BookingService(ctx.session, ctx.clock, ctx.wiring.settings)

    async def step(booking: Booking) -> None:
        worker = await ctx.session.get(Worker, booking.worker_id)
        assert worker is not None
        await service.apply(booking, worker, move, PartyRole.SYSTEM, actor_id=None)

    return await _each(ctx.session, rows, step)


async def expire_proposals(ctx: JobContext) -> int:
    now = ctx.clock.now()
    query = select(Booking).where(Booking.status == BookingState.PROPOSED, Booking.respond_by <= now)
    return await _transition_due(ctx, query, Transition.EXPIRE)


async def mark_no_shows(ctx: JobContext) -> int:
    now = ctx.clock.now()
    query = select(Booking).where(
        Booking.status == BookingState.CONFIRMED, Booking.start_at <= now - NO_SHOW_AFTER_START
    )
    return await _transition_due(ctx, query, Transition.MARK_NO_SHOW)


async def auto_approve(ctx: JobContext) -> int:
    now = ctx.clock.now()
    query = select(Booking).where(
        Booking.status == BookingState.COMPLETED, Booking.checked_out_at <= now - AUTO_APPROVE_AFTER_CHECK_OUT
    )
    return await _transition_due(ctx, query, Transition.AUTO_APPROVE)


async def send_reminders(ctx: JobContext) -> int:
    """24 hours and 2 hours before a confirmed visit, to the worker and the circle (deduplicated)."""
    now = ctx.clock.now()
    sent = 0
    for label, ahead in REMINDERS:
        rows = (
            await ctx.session.scalars(
                select(Booking)
                .where(
                    Booking.status == BookingState.CONFIRMED,
                    Booking.start_at > now,
                    Booking.start_at <= now + ahead,
                )
                .limit(BATCH)
            )
        ).all()
        for booking in rows:
            worker = await ctx.session.get(Worker, booking.worker_id)
            assert worker is not None
            data = effects.message_data(booking, worker)
            await effects.tell_worker(
                ctx.session, ctx.clock, booking, worker, "market_visit_reminder", data, f"reminder:{label}"
            )
            await effects.tell_circle(
                ctx.session, ctx.clock, booking, "market_visit_reminder", data, f"reminder:{label}"
            )
            sent += 1
    return sent


async def offer_cover_for_reopened(ctx: JobContext) -> int:
    now = ctx.clock.now()
    rows = (
        await ctx.session.scalars(
            select(RequestOccurrence)
            .where(RequestOccurrence.cover_needed_since.is_not(None), RequestOccurrence.start_at > now)
            .order_by(RequestOccurrence.start_at)
            .limit(BATCH)
        )
    ).all()
    offered = 0
    for occurrence in rows:
        try:
            async with ctx.session.begin_nested():
                offered += await offer_cover(ctx.session, ctx.clock, occurrence, ctx.wiring.settings)
        except DomainError as error:
            log.info("market.cover_skipped", occurrence_id=str(occurrence.id), rule=error.rule)
    return offered


JOBS: list[SweepJob] = [
    SweepJob(
        id="market.expire_proposals",
        description="Expire offers not answered in time",
        every=timedelta(minutes=5),
        run=expire_proposals,
    ),
    SweepJob(
        id="market.mark_no_shows",
        description="Mark no-shows 15 minutes after the start, and reopen",
        every=timedelta(minutes=5),
        run=mark_no_shows,
    ),
    SweepJob(
        id="market.auto_approve",
        description="Approve timesheets 48 hours after check-out",
        every=timedelta(minutes=15),
        run=auto_approve,
    ),
    SweepJob(
        id="market.visit_reminders",
        description="Remind worker and circle 24 h and 2 h before visits",
        every=timedelta(minutes=10),
        run=send_reminders,
    ),
    SweepJob(
        id="market.offer_cover",
        description="Offer reopened visits to the best candidates",
        every=timedelta(minutes=5),
        run=offer_cover_for_reopened,
    ),
]
