"""The market as a coordinator's desk sees it: unmet demand (open seats on coming visits, counted by
London day and postcode district, never naming a person) and disputed timesheets waiting to be settled.

Both are scoped to the organisations the actor coordinates, checked on the objects:
- an open visit is an organisation's demand when the person is funded by it (`Person.funder_id`) or the
  visit lies within the travel distance of one of its workers (the area it serves, by the same
  straight-line rule as candidate search, design 4.3); a visit nobody's workers reach and nobody funds
  is on no desk;
- a disputed booking is listed when the actor is a coordinator of the worker's organisation, the party
  that may settle it (`booking_access.load_party`, the same check the booking service makes)."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import msgspec
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from slivers.accounts.actor import Actor
from slivers.accounts.models import Person, Worker
from slivers.clock import LONDON, Clock, to_london
from slivers.errors import Forbidden, InvalidInput, NotFound
from slivers.geo import haversine_km
from slivers.market.booking.access import BookingParty, load_party
from slivers.market.models import (
    Booking,
    CareRequest,
    RequestOccurrence,
    WorkerMarketProfile,
)
from slivers.market.rules.invariants import SEATED_STATES
from slivers.market.rules.lifecycle import BookingState, PartyRole

DEMAND_DAYS = 14
MAX_DEMAND_DAYS = 28
MAX_DISPUTES = 100

LatLon = tuple[float, float]


class DemandCell(msgspec.Struct, frozen=True, kw_only=True):
    """Unfilled seats on one London day in one postcode district."""

    day: date
    district: str
    unfilled: int


class DisputeRead(msgspec.Struct, kw_only=True):
    """A disputed timesheet as the settling coordinator needs it: no address or support notes."""

    booking_id: uuid.UUID
    person_name: str
    worker_id: uuid.UUID
    worker_first_name: str
    worker_organisation_id: uuid.UUID
    start: datetime
    end: datetime
    checked_in_at: datetime | None
    checked_out_at: datetime | None
    actual_minutes: int | None
    rate_pence_per_hour: int | None
    reason: str  # what is said to be wrong
    disputed_at: datetime | None


# --- pure --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class OpenVisit:
    """One occurrence of an open request with seats still to fill."""

    start: datetime
    postcode: str
    location: LatLon
    funder_id: uuid.UUID | None
    open_seats: int


@dataclass(frozen=True, slots=True)
class Reach:
    """Where one of the organisation's workers starts from, and how far they travel."""

    home: LatLon
    max_travel_km: float


def district_of(postcode: str) -> str:
    return postcode.strip().split(" ")[0].upper()


def is_ours(visit: OpenVisit, organisations: Collection[uuid.UUID], reaches: Iterable[Reach]) -> bool:
    """The organisation funds the person, or one of its workers travels that far."""
    if visit.funder_id is not None and visit.funder_id in organisations:
        return True
    return any(haversine_km(r.home, visit.location) <= r.max_travel_km for r in reaches)


def tally(
    visits: Iterable[OpenVisit],
    organisations: Collection[uuid.UUID],
    reaches: Collection[Reach],
    *,
    first_day: date,
    days: int,
) -> list[DemandCell]:
    """Open seats of the organisations' visits from `first_day` for `days` London days, by day and
    district, in day then district order. Visits sharing a place are judged once."""
    judged: dict[tuple[LatLon, uuid.UUID | None], bool] = {}
    counts: dict[tuple[date, str], int] = defaultdict(int)
    last_day = first_day + timedelta(days=days)
    for visit in visits:
        day = to_london(visit.start).date()
        if visit.open_seats <= 0 or not first_day <= day < last_day:
            continue
        key = (visit.location, visit.funder_id)
        if key not in judged:
            judged[key] = is_ours(visit, organisations, reaches)
        if judged[key]:
            counts[(day, district_of(visit.postcode))] += visit.open_seats
    return [
        DemandCell(day=day, district=district, unfilled=n) for (day, district), n in sorted(counts.items())
    ]


# --- over the database -------------------------------------------------------------------------------


def coordinated(actor: Actor, organisation_ids: Collection[uuid.UUID] | None) -> frozenset[uuid.UUID]:
    """The organisations to look at: those asked for (each must be one the actor coordinates: 404
    otherwise, so another organisation's existence is not confirmed), or all the actor coordinates."""
    mine = actor.orgs_with_role("coordinator")
    if not mine:
        raise Forbidden("Only a coordinator can use the desk.", rule="needs_coordinator")
    if organisation_ids is None:
        return frozenset(mine)
    for organisation_id in organisation_ids:
        if organisation_id not in mine:
            raise NotFound("We cannot find that organisation.", field="organisation_id", rule="not_found")
    return frozenset(organisation_ids)


def dispute_of(party: BookingParty) -> DisputeRead:
    booking, worker = party.booking, party.worker
    assert worker.organisation_id is not None  # a coordinator of it is a party
    return DisputeRead(
        booking_id=booking.id,
        person_name=party.person.display_name,
        worker_id=worker.id,
        worker_first_name=worker.first_name,
        worker_organisation_id=worker.organisation_id,
        start=booking.start_at,
        end=booking.end_at,
        checked_in_at=booking.checked_in_at,
        checked_out_at=booking.checked_out_at,
        actual_minutes=booking.actual_minutes,
        rate_pence_per_hour=booking.rate_pence_per_hour,
        reason=booking.ended_reason,
        disputed_at=booking.ended_at,
    )


class DeskService:
    def __init__(self, session: AsyncSession, clock: Clock) -> None:
        self.session = session
        self.clock = clock

    async def unmet_demand(
        self,
        actor: Actor,
        *,
        organisation_ids: Collection[uuid.UUID] | None = None,
        days: int = DEMAND_DAYS,
    ) -> list[DemandCell]:
        """Unfilled seats on open requests of the actor's organisations, from today for `days` days."""
        organisations = coordinated(actor, organisation_ids)
        if not 1 <= days <= MAX_DEMAND_DAYS:
            raise InvalidInput(f"Ask for 1 to {MAX_DEMAND_DAYS} days.", field="days", rule="out_of_range")
        now = self.clock.now()
        first_day = to_london(now).date()
        until = datetime.combine(first_day + timedelta(days=days), time(0), tzinfo=LONDON)
        reaches = [
            Reach((lat, lon), float(km))
            for lat, lon, km in await self.session.execute(
                select(WorkerMarketProfile.home_lat, WorkerMarketProfile.home_lon, Worker.max_travel_km)
                .join(Worker, Worker.id == WorkerMarketProfile.worker_id)
                .where(Worker.organisation_id.in_(organisations))
            )
        ]
        seated = (
            select(Booking.occurrence_id, func.count(Booking.id).label("seated"))
            .where(Booking.status.in_(SEATED_STATES))
            .group_by(Booking.occurrence_id)
            .subquery()
        )
        rows = await self.session.execute(
            select(
                RequestOccurrence.start_at,
                CareRequest.postcode,
                CareRequest.lat,
                CareRequest.lon,
                Person.funder_id,
                RequestOccurrence.workers_needed - func.coalesce(seated.c.seated, 0),
            )
            .join(CareRequest, CareRequest.id == RequestOccurrence.request_id)
            .join(Person, Person.id == CareRequest.person_id)
            .outerjoin(seated, seated.c.occurrence_id == RequestOccurrence.id)
            .where(
                CareRequest.status == "open",
                RequestOccurrence.start_at > now,
                RequestOccurrence.start_at < until,
            )
        )
        visits = (
            OpenVisit(start, postcode, (lat, lon), funder, int(open_seats))
            for start, postcode, lat, lon, funder, open_seats in rows.tuples()
        )
        return tally(visits, organisations, reaches, first_day=first_day, days=days)

    async def disputes(
        self,
        actor: Actor,
        *,
        organisation_ids: Collection[uuid.UUID] | None = None,
        limit: int = MAX_DISPUTES,
    ) -> list[DisputeRead]:
        """Disputed timesheets of the organisations' workers, oldest visit first."""
        organisations = coordinated(actor, organisation_ids)
        ids = await self.session.scalars(
            select(Booking.id)
            .join(Worker, Worker.id == Booking.worker_id)
            .where(Booking.status == BookingState.DISPUTED, Worker.organisation_id.in_(organisations))
            .order_by(Booking.start_at, Booking.id)
            .limit(max(1, min(limit, MAX_DISPUTES)))
        )
        listed = []
        for booking_id in list(ids):
            party = await load_party(self.session, actor, booking_id)
            if PartyRole.COORDINATOR in party.roles:  # checked on the booking, not only in the query
                listed.append(dispute_of(party))
        return listed

    async def dispute(self, actor: Actor, booking_id: uuid.UUID) -> DisputeRead:
        """One disputed timesheet, for a coordinator of the worker's organisation (403 for others who
        may see the booking, 404 when it is not in dispute)."""
        party = await load_party(self.session, actor, booking_id)
        if PartyRole.COORDINATOR not in party.roles:
            raise Forbidden(
                "Only a coordinator of the worker's organisation can settle this.", rule="not_a_party"
            )
        if party.booking.status != BookingState.DISPUTED:
            raise NotFound("That timesheet is not in dispute.", rule="not_disputed")
        return dispute_of(party)
