"""Workers as candidate search sees them, loaded set-based: one narrowing query and the details rank
needs (strikes, visits to the person) for the whole set, then availability and bookings for as many
workers as the search needs to judge, one query per kind for each batch.

The narrowing query applies in SQL only rules that are exact or safely wider than the pure ones
(status, task types, kind, visit length, a slightly generous distance, and an availability rule
that could touch the slot); the pure `CandidateSearch` then decides exactly.
"""

from __future__ import annotations

import math
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from slivers.accounts.models import Worker
from slivers.clock import LONDON
from slivers.market.availability_service import expand_rules
from slivers.market.candidates import RequestSnapshot, WorkerKind, WorkerSnapshot, WorkerStatus
from slivers.market.intervals import london_date
from slivers.market.models import (
    BLOCKING_STATES,
    SEATED_STATES,
    AvailabilityRule,
    Booking,
    WorkerMarketProfile,
)
from slivers.market.overlap import BookedVisit
from slivers.market.reliability import is_paused
from slivers.market.reliability_service import has_recent_strikes, reliability_score, strikes_by_worker
from slivers.vetting.subjects import WorkerFields

KM_PER_DEGREE_LAT = 110.574
KM_PER_DEGREE_LON_AT_EQUATOR = 111.320
# The flat-earth distance in SQL is within a fraction of a percent of haversine at these ranges;
# the margin keeps it wider than the exact rule, never narrower.
_DISTANCE_MARGIN = 1.02
_DISTANCE_SLACK_KM = 0.2
# The profile schema's cap on how far a worker travels (schemas_profiles.WorkerProfileUpdate).
MAX_TRAVEL_KM = 50

_WORKER_COLUMNS = (
    Worker.id,
    Worker.first_name,
    Worker.kind,
    Worker.status,
    Worker.task_types,
    Worker.max_travel_km,
    Worker.hourly_rate_pence,
    Worker.min_notice_minutes,
    Worker.min_visit_minutes,
    Worker.max_visit_minutes,
    Worker.max_minutes_per_day,
    Worker.max_minutes_per_week,
    Worker.attributes,
    Worker.instant_book,
    Worker.organisation_id,
    WorkerMarketProfile.home_lat,
    WorkerMarketProfile.home_lon,
    WorkerMarketProfile.reliability_reviewed_at,
    # What vetting reads of the worker (`vetting.subjects.WorkerFields`), so it need not ask again.
    Worker.last_supervision_on,
    Worker.self_employed,
)


@dataclass(frozen=True, slots=True)
class WorkerExtras:
    """What the API shows, the booking needs or vetting reads (`vetting`: kind, status, supervision,
    self-employment) beyond the snapshot."""

    organisation_id: uuid.UUID | None
    instant_book: bool
    vetting: WorkerFields


@dataclass(frozen=True, slots=True)
class LoadedWorkers:
    snapshots: list[WorkerSnapshot]
    extras: dict[uuid.UUID, WorkerExtras]


def _status(raw: str) -> WorkerStatus:
    if raw == "active":
        return WorkerStatus.ACTIVE
    if raw == "suspended":
        return WorkerStatus.SUSPENDED
    return WorkerStatus.INACTIVE


def _local_minutes(instant: datetime) -> tuple[date, int]:
    local = instant.astimezone(LONDON)
    return local.date(), local.hour * 60 + local.minute


def _availability_touches_slot(slot: RequestSnapshot) -> Any:
    """An availability rule of the worker that could cover part of the slot (wider than exact)."""
    start_day, start_min = _local_minutes(slot.start)
    end_day, end_min = _local_minutes(slot.end)
    day_bit = 1 << start_day.weekday()
    before_bit = 1 << (start_day - timedelta(days=1)).weekday()
    rule = AvailabilityRule
    window = and_(rule.kind == "window", rule.start_at < slot.end, rule.end_at > slot.start)
    in_dates = and_(
        rule.kind == "weekly",
        rule.from_date <= end_day,
        or_(rule.until_date.is_(None), rule.until_date >= start_day - timedelta(days=1)),
    )
    if end_day == start_day:
        same_day = and_(
            rule.overnight.is_(False),
            rule.weekday_mask.op("&")(day_bit) != 0,
            rule.start_minute < end_min,
            rule.end_minute > start_min,
        )
        overnight = and_(rule.overnight.is_(True), rule.weekday_mask.op("&")(day_bit | before_bit) != 0)
        weekly = and_(in_dates, or_(same_day, overnight))
    else:
        after_bit = 1 << end_day.weekday()
        weekly = and_(in_dates, rule.weekday_mask.op("&")(day_bit | before_bit | after_bit) != 0)
    return exists().where(rule.worker_id == Worker.id, or_(window, weekly))


def _bounding_box(slot: RequestSnapshot, reach_km: float) -> Any:
    """Homes within `reach_km` of the visit lie in this box (indexed: home_lat, home_lon); it is
    widened by the same margins as the distance test, so it never cuts a worker the exact rule keeps."""
    lat0, lon0 = slot.location
    reach = reach_km * _DISTANCE_MARGIN + _DISTANCE_SLACK_KM
    dlat = reach / KM_PER_DEGREE_LAT
    # The box's widest longitude span is at its edge nearest a pole.
    widest = min(89.0, abs(lat0) + dlat)
    dlon = reach / (KM_PER_DEGREE_LON_AT_EQUATOR * math.cos(math.radians(widest)))
    home = WorkerMarketProfile
    return and_(
        home.home_lat.between(lat0 - dlat, lat0 + dlat), home.home_lon.between(lon0 - dlon, lon0 + dlon)
    )


def _narrowing(slot: RequestSnapshot, task_mask: int, reach_km: float) -> Any:
    lat0, lon0 = slot.location
    km_per_lon = KM_PER_DEGREE_LON_AT_EQUATOR * math.cos(math.radians(lat0))
    dy = (WorkerMarketProfile.home_lat - lat0) * KM_PER_DEGREE_LAT
    dx = (WorkerMarketProfile.home_lon - lon0) * km_per_lon
    reach = WorkerMarketProfile.reach_km * _DISTANCE_MARGIN + _DISTANCE_SLACK_KM
    minutes = int((slot.end - slot.start) // timedelta(minutes=1))
    # The first three read only the covering index ix_worker_market_profiles_search.
    conditions = [
        _bounding_box(slot, reach_km),
        WorkerMarketProfile.task_mask.op("&")(task_mask) == task_mask,
        dx * dx + dy * dy <= reach * reach,
        Worker.status == "active",
        Worker.min_visit_minutes <= minutes,
        Worker.max_visit_minutes >= minutes,
        _availability_touches_slot(slot),
    ]
    if not slot.is_paid:
        conditions.append(Worker.kind == "volunteer")
    return and_(*conditions)


async def _longest_reach(session: AsyncSession) -> float:
    """The bounding box's radius: the longest distance any worker travels (the profile schema caps it
    at `MAX_TRAVEL_KM`, but a row written another way may go further and must not be cut by the box).
    In a real pool most travel 5-25 km, so this box is far tighter than one of the cap's radius.
    `reach_km` is indexed, so this reads one index entry."""
    longest = await session.scalar(select(func.max(WorkerMarketProfile.reach_km)))
    return float(MAX_TRAVEL_KM if longest is None else longest)


def _week_bounds(day: date) -> tuple[datetime, datetime, datetime, datetime]:
    """UTC instants of the London day's start and end, and of its Monday-to-Sunday week."""
    day_start = datetime.combine(day, time(0), tzinfo=LONDON)
    day_end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=LONDON)
    monday = day - timedelta(days=day.weekday())
    week_start = datetime.combine(monday, time(0), tzinfo=LONDON)
    week_end = datetime.combine(monday + timedelta(days=7), time(0), tzinfo=LONDON)
    return day_start, day_end, week_start, week_end


async def load_profiles(
    session: AsyncSession,
    slot: RequestSnapshot,
    now: datetime,
    *,
    task_mask: int,
    worker_ids: Sequence[uuid.UUID] | None = None,
) -> LoadedWorkers:
    """Snapshots of the workers who may be candidates for `slot` (narrowed in SQL), or exactly of
    `worker_ids` (not narrowed, so `why_not` and confirmation see every rule), with everything rank
    needs (strikes, visits to the person) but not yet their availability and bookings: those come
    from `with_details`, for only as many workers as the search needs to judge."""
    query = select(
        *_WORKER_COLUMNS,
        _has_visited(slot.person_id).label("seen_before"),
        has_recent_strikes(Worker.id, now).label("has_strikes"),
    ).join(WorkerMarketProfile, WorkerMarketProfile.worker_id == Worker.id)
    if worker_ids is None:
        reach_km = await _longest_reach(session)
        query = query.where(_narrowing(slot, task_mask, reach_km))
    else:
        query = query.where(Worker.id.in_(list(worker_ids)))
    rows = (await session.execute(query)).all()
    if not rows:
        return LoadedWorkers([], {})
    strikes = await strikes_by_worker(session, [row.id for row in rows if row.has_strikes], now)
    snapshots: list[WorkerSnapshot] = []
    extras: dict[uuid.UUID, WorkerExtras] = {}
    for row in rows:
        worker_strikes = strikes.get(row.id, [])
        snapshots.append(
            WorkerSnapshot(
                id=row.id,
                first_name=row.first_name,
                kind=WorkerKind(row.kind),
                status=_status(row.status),
                is_paused=is_paused(worker_strikes, now, row.reliability_reviewed_at),
                task_types=frozenset(row.task_types),
                home=(row.home_lat, row.home_lon),
                max_travel_km=float(row.max_travel_km),
                hourly_rate_pence=row.hourly_rate_pence,
                min_notice_minutes=row.min_notice_minutes,
                min_visit_minutes=row.min_visit_minutes,
                max_visit_minutes=row.max_visit_minutes,
                max_minutes_per_day=row.max_minutes_per_day,
                max_minutes_per_week=row.max_minutes_per_week,
                attributes=_attributes(row.attributes),
                availability=(),
                bookings=(),
                booked_minutes_day=0,
                booked_minutes_week=0,
                seen_before=bool(row.seen_before),
                reliability=reliability_score(worker_strikes, now),
            )
        )
        extras[row.id] = WorkerExtras(row.organisation_id, row.instant_book, row)
    return LoadedWorkers(snapshots, extras)


async def with_details(
    session: AsyncSession, slot: RequestSnapshot, workers: Sequence[WorkerSnapshot]
) -> list[WorkerSnapshot]:
    """`workers` (from `load_profiles`) with their availability around the slot, their bookings
    that block it, and their booked minutes in its London day and week: two queries for them all."""
    if not workers:
        return []
    ids: list[uuid.UUID] = [worker.id for worker in workers]  # type: ignore[misc]  # database snapshots carry UUIDs
    day_start, day_end, week_start, week_end = _week_bounds(london_date(slot.start))
    horizon_start, horizon_end = slot.start - timedelta(days=1), slot.end + timedelta(days=1)
    rules = await _rules_touching(session, ids, horizon_start, horizon_end)
    visits = await _bookings_by_worker(
        session,
        ids,
        min(week_start, slot.start) - timedelta(days=1),
        max(week_end, slot.end) + timedelta(days=1),
    )
    detailed: list[WorkerSnapshot] = []
    for worker in workers:
        worker_visits = visits.get(worker.id, ())  # type: ignore[call-overload]
        detailed.append(
            replace(
                worker,
                availability=expand_rules(rules.get(worker.id, []), horizon_start, horizon_end),  # type: ignore[call-overload]
                bookings=[visit for visit, status in worker_visits if status in BLOCKING_STATES],
                booked_minutes_day=_minutes_within(worker_visits, day_start, day_end),
                booked_minutes_week=_minutes_within(worker_visits, week_start, week_end),
            )
        )
    return detailed


async def load_workers(
    session: AsyncSession,
    slot: RequestSnapshot,
    now: datetime,
    *,
    task_mask: int,
    worker_ids: Sequence[uuid.UUID] | None = None,
) -> LoadedWorkers:
    """`load_profiles` and `with_details` for every worker found: what a search that judges them all
    (why-not, matching) needs."""
    loaded = await load_profiles(session, slot, now, task_mask=task_mask, worker_ids=worker_ids)
    return LoadedWorkers(await with_details(session, slot, loaded.snapshots), loaded.extras)


async def _rules_touching(
    session: AsyncSession, ids: list[uuid.UUID], start: datetime, end: datetime
) -> dict[uuid.UUID, list[Any]]:
    """The rules that can matter inside [start, end), as plain rows (no ORM objects to build)."""
    rule = AvailabilityRule
    rows = await session.execute(
        select(
            rule.worker_id,
            rule.id,
            rule.kind,
            rule.start_at,
            rule.end_at,
            rule.weekday_mask,
            rule.start_minute,
            rule.end_minute,
            rule.from_date,
            rule.until_date,
            rule.skip_on,
            rule.pattern_id,
        ).where(
            rule.worker_id.in_(ids),
            or_(
                and_(rule.kind.in_(("window", "remove")), rule.start_at < end, rule.end_at > start),
                and_(
                    rule.kind == "skip",
                    rule.skip_on >= (start - timedelta(days=1)).date(),
                    rule.skip_on <= end.date(),
                ),
                and_(
                    rule.kind == "weekly",
                    rule.from_date <= end.date(),
                    or_(rule.until_date.is_(None), rule.until_date >= (start - timedelta(days=1)).date()),
                ),
            ),
        )
    )
    found: dict[uuid.UUID, list[Any]] = defaultdict(list)
    for row in rows:
        found[row.worker_id].append(row)
    return found


def _attributes(raw: dict[str, Any]) -> dict[str, object]:
    # Lists become frozensets so "speaks Polish" is a membership test.
    return {key: frozenset(value) if isinstance(value, list) else value for key, value in raw.items()}


def _minutes_within(visits: Iterable[tuple[BookedVisit, str]], start: datetime, end: datetime) -> int:
    total = 0
    for visit, _ in visits:
        if start <= visit.start < end:
            total += int((visit.end - visit.start) // timedelta(minutes=1))
    return total


async def _bookings_by_worker(
    session: AsyncSession, ids: list[uuid.UUID], start: datetime, end: datetime
) -> dict[uuid.UUID, list[tuple[BookedVisit, str]]]:
    found: dict[uuid.UUID, list[tuple[BookedVisit, str]]] = defaultdict(list)
    rows = await session.execute(
        select(
            Booking.worker_id,
            Booking.id,
            Booking.start_at,
            Booking.end_at,
            Booking.lat,
            Booking.lon,
            Booking.status,
        ).where(
            Booking.worker_id.in_(ids),
            Booking.status.in_(SEATED_STATES),
            Booking.start_at < end,
            Booking.end_at > start,
        )
    )
    for worker_id, booking_id, start_at, end_at, lat, lon, status in rows:
        found[worker_id].append((BookedVisit(start_at, end_at, (lat, lon), booking_id), status))
    return found


def _has_visited(person_id: object) -> Any:
    """SQL: the worker (of the outer query) has visited the person before, or is booked to."""
    return exists().where(
        Booking.worker_id == Worker.id,
        Booking.person_id == person_id,
        Booking.status.in_(("completed", "approved", "confirmed", "in_progress")),
    )
