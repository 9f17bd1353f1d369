"""Confirming a booking: the moment the market's invariants are decided (design 4.5 #1, #2, #6).

The invariants themselves are written in `rules.invariants`; this is where they are applied to one
booking. In one transaction: lock the occurrence and then the worker (`SELECT ... FOR NO KEY UPDATE`
on PostgreSQL: it serialises confirmations like FOR UPDATE but does not wait on the key-share locks
that inserting the offer's foreign keys takes, which would deadlock two racing confirmations; SQLite
transactions are already serialised by BEGIN IMMEDIATE), check there is a free seat, re-check every
rule of 4.3 for this worker against committed data (vetting, suspension, pause, caps and the travel
buffer to the worker's other visits), take the seat, spend any coordinator's override it relied on,
and hold the money. The exclusion constraint and the unique seat index are the backstop if anything
slips past; both become 409.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from slivers.accounts.models import Person, Worker
from slivers.clock import Clock
from slivers.config import Settings
from slivers.errors import Conflict
from slivers.market.booking.effects import money_of
from slivers.market.booking.state import record_state
from slivers.market.candidates.eligibility import judge_worker
from slivers.market.candidates.slot import Slot
from slivers.market.models import Booking, CareRequest, RequestOccurrence
from slivers.market.rules.invariants import NO_DOUBLE_BOOKING, SEATED_STATES, free_seat
from slivers.market.rules.lifecycle import TransitionResult
from slivers.payments.budgets import booking_hooks
from slivers.vetting.workers.oversight import usable_overrides, use_override

# A worker who accepts an offer agrees to its time: their posted windows and notice do not bind them.
WAIVED_ON_ACCEPT = frozenset({"availability", "min_notice"})


async def lock_occurrence(session: AsyncSession, booking: Booking) -> RequestOccurrence:
    occurrence = await session.scalar(
        select(RequestOccurrence)
        .where(RequestOccurrence.id == booking.occurrence_id)
        .with_for_update(key_share=True)
        .execution_options(populate_existing=True)
    )
    assert occurrence is not None
    return occurrence


async def lock_worker(session: AsyncSession, booking: Booking) -> Worker:
    worker = await session.scalar(
        select(Worker)
        .where(Worker.id == booking.worker_id)
        .with_for_update(key_share=True)
        .execution_options(populate_existing=True)
    )
    assert worker is not None
    return worker


async def confirm(
    session: AsyncSession,
    clock: Clock,
    settings: Settings | None,
    booking: Booking,
    result: TransitionResult,
    *,
    accepted_by_worker: bool,
) -> None:
    """Take a seat for `booking` and record the state machine's `result` (a move to confirmed), or
    raise Conflict (409)."""
    now = clock.now()
    occurrence = await lock_occurrence(session, booking)
    await lock_worker(session, booking)
    taken = await session.scalars(
        select(Booking.seat).where(
            Booking.occurrence_id == occurrence.id,
            Booking.status.in_(SEATED_STATES),
            Booking.id != booking.id,
        )
    )
    seats = {seat for seat in taken if seat is not None}  # a seated booking always has its seat
    seat = free_seat(seats, occurrence.workers_needed)
    if seat is None:
        raise Conflict(
            "This visit already has all the workers it needs.", field="occurrence_id", rule="request_filled"
        )
    request = await session.get(CareRequest, booking.request_id)
    person = await session.get(Person, booking.person_id)
    assert request is not None
    assert person is not None
    # A coordinator's unused override (3.3, "book anyway") excuses the credential it names, for this
    # worker and, if it names one, this request; suspension, pending status and supervision never.
    usable = await usable_overrides(session, booking.worker_id, booking.request_id)
    judgement = await judge_worker(
        session, Slot(request, occurrence, person), booking.worker_id, now, frozenset(usable)
    )
    failures = judgement.failures
    if accepted_by_worker:
        failures = [f for f in failures if f.rule not in WAIVED_ON_ACCEPT]
    if any(f.rule == NO_DOUBLE_BOOKING for f in failures):
        raise Conflict(
            "This worker is already booked at that time, or too close to it to travel between visits.",
            field="worker_id",
            rule="worker_booked",
        )
    if failures:
        names = ", ".join(f.rule for f in failures)
        raise Conflict(
            f"This worker cannot take this visit now ({names}).", field="worker_id", rule="not_eligible"
        )
    booking.seat = seat
    record_state(booking, result, now)
    await session.flush()  # the exclusion constraint and the seat index speak here, as 409
    for code in sorted(judgement.overrides_used):
        await use_override(session, clock, usable[code], booking.id)  # spent by this booking, audited
    await booking_hooks.on_confirm(session, clock, money_of(booking), settings=settings)
    await _clear_cover_if_filled(session, occurrence)


async def _clear_cover_if_filled(session: AsyncSession, occurrence: RequestOccurrence) -> None:
    seated = await session.scalar(
        select(func.count(Booking.id)).where(
            Booking.occurrence_id == occurrence.id, Booking.status.in_(SEATED_STATES)
        )
    )
    if (seated or 0) >= occurrence.workers_needed:
        occurrence.cover_needed_since = None


def respond_by_for(start: datetime, now: datetime) -> datetime:
    """An offer is answered within a day, and always before the visit starts."""
    return min(now + timedelta(hours=24), start)
