"""Cover (design 4.4): when an occurrence loses a confirmed worker, offers go out automatically to
the best candidates (preferred workers first, then the person's approved reserve, then the wider
vetted pool, best-ranked first within each), a few at a time, until its seats are filled or the
visit starts."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from slivers.accounts.models import Person, Worker
from slivers.clock import Clock
from slivers.config import Settings
from slivers.errors import DomainError
from slivers.logs import get_logger
from slivers.market.booking import effects
from slivers.market.booking.service import BookingService
from slivers.market.candidates.eligibility import judge_worker
from slivers.market.candidates.service import rank_slot
from slivers.market.candidates.slot import Slot
from slivers.market.cover.reserve import reserve_of
from slivers.market.models import Booking, CareRequest, RequestOccurrence
from slivers.market.rules.candidates import Candidate
from slivers.market.rules.invariants import SEATED_STATES
from slivers.market.rules.lifecycle import BookingState, PartyRole, Transition
from slivers.vetting.models import EligibilityOverride

log = get_logger(__name__)
# Rules that a worker's loss of standing breaks (suspension, a lapsed or revoked credential).
_LOST_RULES = ("inactive", "suspended", "vetting:", "no_profile")


def cover_order(
    ranked: Sequence[Candidate], preferred_ids: Iterable[object], reserve_ids: Sequence[uuid.UUID]
) -> list[Candidate]:
    """Design 4.4's tiers: preferred workers, then the person's approved reserve (in the circle's
    order), then the wider vetted pool; within the first and last tier, the candidates' rank."""
    preferred = {str(i) for i in preferred_ids}
    reserve_at = {str(worker_id): place for place, worker_id in enumerate(reserve_ids)}

    def tier(pair: tuple[int, Candidate]) -> tuple[int, int, int]:
        position, candidate = pair
        key = str(candidate.worker.id)
        if key in preferred:
            return (0, 0, position)
        if key in reserve_at:
            return (1, reserve_at[key], position)
        return (2, 0, position)

    return [candidate for _, candidate in sorted(enumerate(ranked), key=tier)]


async def offer_cover(
    session: AsyncSession, clock: Clock, occurrence: RequestOccurrence, settings: Settings | None = None
) -> int:
    """Send offers for an occurrence's open seats; returns how many offers went out."""
    now = clock.now()
    if occurrence.start_at <= now or occurrence.cover_needed_since is None:
        return 0
    counts = dict(
        (
            await session.execute(
                select(Booking.status, func.count(Booking.id))
                .where(Booking.occurrence_id == occurrence.id)
                .group_by(Booking.status)
            )
        )
        .tuples()
        .all()
    )
    seated = sum(counts.get(state, 0) for state in SEATED_STATES)
    open_seats = occurrence.workers_needed - seated
    if open_seats <= 0:
        occurrence.cover_needed_since = None
        return 0
    wanted = open_seats - counts.get(BookingState.PROPOSED, 0)
    if wanted <= 0:
        return 0  # offers are out; wait for answers or their expiry
    request = await session.get(CareRequest, occurrence.request_id)
    if request is None or request.status != "open":
        return 0
    person = await session.get(Person, request.person_id)
    assert person is not None
    asked = set(
        await session.scalars(select(Booking.worker_id).where(Booking.occurrence_id == occurrence.id))
    )
    ranked, _ = await rank_slot(session, Slot(request, occurrence, person), now)
    ranked = cover_order(ranked, request.preferred_worker_ids, reserve_of(person.preferences))
    bookings = BookingService(session, clock, settings)
    sent = 0
    for candidate in ranked:
        if sent >= wanted:
            break
        worker_id = candidate.worker.id
        assert isinstance(worker_id, uuid.UUID)
        if worker_id in asked:
            continue
        worker = await session.get(Worker, worker_id)
        assert worker is not None
        await bookings.propose(request.created_by_id, request.id, occurrence.id, worker, now, is_cover=True)
        sent += 1
    return sent


async def reopen_for_lost_worker(
    session: AsyncSession, clock: Clock, worker_id: uuid.UUID, reason: str, since: datetime
) -> int:
    """Vetting's `worker_lost` handler: cancel the worker's future confirmed bookings that they may no
    longer do (as the system, so no fee and no strike), tell the circle, and offer cover at once."""
    now = clock.now()
    worker = await session.get(Worker, worker_id)
    if worker is None:
        return 0
    rows = (
        await session.scalars(
            select(Booking)
            .where(
                Booking.worker_id == worker_id,
                Booking.status == BookingState.CONFIRMED,
                Booking.end_at > max(now, since),
            )
            .order_by(Booking.start_at)
        )
    ).all()
    bookings = BookingService(session, clock)
    changed = 0
    for booking in rows:
        occurrence = await session.get(RequestOccurrence, booking.occurrence_id)
        request = await session.get(CareRequest, booking.request_id)
        person = await session.get(Person, booking.person_id)
        assert occurrence is not None
        assert request is not None
        assert person is not None
        # An override this booking spent still excuses its credential for this booking.
        spent = frozenset(
            await session.scalars(
                select(EligibilityOverride.credential_code).where(
                    EligibilityOverride.used_by_booking_id == booking.id
                )
            )
        )
        judged = await judge_worker(session, Slot(request, occurrence, person), worker_id, now, spent)
        failures = judged.failures
        if not any(f.rule.startswith(_LOST_RULES) for f in failures):
            continue  # still eligible for this one (a lapsed credential it does not need)
        await bookings.apply(
            booking,
            worker,
            Transition.CANCEL,
            PartyRole.SYSTEM,
            actor_id=None,
            reason=f"worker lost: {reason}",
        )
        await effects.tell_circle(
            session, clock, booking, "market_booking_lost", effects.message_data(booking, worker), "lost"
        )
        changed += 1
        try:
            async with session.begin_nested():
                await offer_cover(session, clock, occurrence)
        except DomainError as error:  # the cover sweep will try again
            log.info("market.cover_deferred", occurrence_id=str(occurrence.id), rule=error.rule)
    return changed
