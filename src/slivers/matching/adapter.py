"""Build a scheduling instance from the database: open seats in a horizon and area, and for each the
eligible candidates of the market's own search (design 4.3), restricted to one organisation's workers."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from slivers.accounts.models import Person
from slivers.clock import to_london
from slivers.market.candidates.service import search_slot
from slivers.market.candidates.slot import Slot
from slivers.market.models import Booking, CareRequest, RequestOccurrence
from slivers.market.rules.invariants import SEATED_STATES
from slivers.market.rules.lifecycle import BookingState
from slivers.scheduling import Candidate, FixedBooking, Instance, Request, Worker

# Priority (design 6): a need that has waited longest, and an urgent same-day need, come first.
BASE_PRIORITY = 10
URGENT_BONUS = 10
MAX_WAIT_DAYS = 14


@dataclass
class LoadedInstance:
    instance: Instance
    origin: datetime
    occurrences: dict[str, RequestOccurrence] = field(default_factory=dict)
    no_candidates: list[str] = field(default_factory=list)


def minutes(origin: datetime, instant: datetime) -> int:
    return int((instant - origin).total_seconds() // 60)


def priority_of(request: CareRequest, occurrence: RequestOccurrence, now: datetime) -> int:
    waited = min(MAX_WAIT_DAYS, max(0, (now - request.created_at).days))
    urgent = URGENT_BONUS if occurrence.start_at - now <= timedelta(hours=24) else 0
    return BASE_PRIORITY + waited + urgent


async def open_seats(
    session: AsyncSession, now: datetime, start: datetime, end: datetime, districts: Sequence[str]
) -> list[tuple[RequestOccurrence, CareRequest, Person, int]]:
    """Occurrences in [start, end) still needing workers: seats minus bookings made or offered."""
    taken = (
        select(Booking.occurrence_id, func.count(Booking.id).label("taken"))
        .where(Booking.status.in_((*SEATED_STATES, BookingState.PROPOSED)))
        .group_by(Booking.occurrence_id)
        .subquery()
    )
    query = (
        select(RequestOccurrence, CareRequest, Person, func.coalesce(taken.c.taken, 0))
        .join(CareRequest, CareRequest.id == RequestOccurrence.request_id)
        .join(Person, Person.id == CareRequest.person_id)
        .outerjoin(taken, taken.c.occurrence_id == RequestOccurrence.id)
        .where(CareRequest.status == "open")
        .where(RequestOccurrence.start_at >= max(start, now), RequestOccurrence.start_at < end)
        .order_by(RequestOccurrence.start_at)
    )
    rows = (await session.execute(query)).tuples().all()
    wanted = {d.upper() for d in districts}
    result = []
    for occurrence, request, person, already in rows:
        if wanted and request.postcode.split(" ")[0] not in wanted:
            continue
        seats = occurrence.workers_needed - int(already)
        if seats > 0:
            result.append((occurrence, request, person, seats))
    return result


async def load_instance(
    session: AsyncSession,
    now: datetime,
    start: datetime,
    end: datetime,
    districts: Sequence[str],
    organisation_id: uuid.UUID,
) -> LoadedInstance:
    origin = start
    requests: list[Request] = []
    candidates: list[Candidate] = []
    workers: dict[str, Worker] = {}
    fixed: dict[str, FixedBooking] = {}
    loaded = LoadedInstance(Instance((), (), ()), origin)
    for occurrence, request, person, seats in await open_seats(session, now, start, end, districts):
        key = str(occurrence.id)
        loaded.occurrences[key] = occurrence
        requests.append(
            Request(
                id=key,
                start=minutes(origin, occurrence.start_at),
                end=minutes(origin, occurrence.end_at),
                person_id=str(person.id),
                location=(request.lat, request.lon),
                workers_needed=min(seats, 2),
                priority=priority_of(request, occurrence, now),
                volunteers_first=request.volunteers_first,
                preferred_workers=frozenset(request.preferred_worker_ids),
            )
        )
        found = await search_slot(session, Slot(request, occurrence, person), now)
        ranked = [
            c
            for c in found.search.rank(found.loaded.snapshots)
            if found.loaded.extras[c.worker.id].organisation_id == organisation_id  # type: ignore[index]
        ]
        if not ranked:
            loaded.no_candidates.append(key)
        for position, candidate in enumerate(ranked):
            snapshot = candidate.worker
            worker_key = str(snapshot.id)
            codes = {reason.code for reason in candidate.reasons}
            candidates.append(
                Candidate(
                    request_id=key,
                    worker_id=worker_key,
                    score=len(ranked) - position,
                    continuity=bool(codes & {"preferred", "seen_before"}),
                )
            )
            if worker_key not in workers:
                # Availability and caps against existing bookings were checked by the market's filter;
                # the engine enforces caps and travel among the new assignments and the fixed bookings.
                workers[worker_key] = Worker(
                    id=worker_key,
                    location=snapshot.home,
                    availability=None,
                    daily_cap_minutes=snapshot.max_minutes_per_day,
                    weekly_cap_minutes=snapshot.max_minutes_per_week,
                    is_volunteer=snapshot.kind.value == "volunteer",
                )
            for visit in snapshot.bookings:
                booking_key = str(visit.booking_id)
                if booking_key not in fixed:
                    fixed[booking_key] = FixedBooking(
                        id=booking_key,
                        worker_id=worker_key,
                        start=minutes(origin, visit.start),
                        end=minutes(origin, visit.end),
                        location=visit.location,
                    )
    local_origin = to_london(origin)
    loaded.instance = Instance(
        requests=tuple(requests),
        workers=tuple(workers.values()),
        candidates=tuple(candidates),
        bookings=tuple(fixed.values()),
        # Caps count London days: minute 0 is this far into its London day.
        day_offset=local_origin.hour * 60 + local_origin.minute,
    )
    return loaded
