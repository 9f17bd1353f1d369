"""Workers as candidate search sees them, loaded set-based: one narrowing query (`narrowing`) for
what rank reads (with who has visited the person and who has recent strikes), then the rest of the
profile, availability and bookings for as many workers as the search needs to judge, one query per
kind for each batch. The pure `CandidateSearch` decides exactly; SQL only narrows.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from functools import cache
from typing import Any

from sqlalchemy import Date, Select, and_, bindparam, func, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from slivers.accounts.models import Worker
from slivers.clock import LONDON
from slivers.db.engine import core_connection
from slivers.db.lists import member_of
from slivers.market.availability.service import expand_rules
from slivers.market.candidates.narrowing import details_statement, narrowing, worker_rows
from slivers.market.models import (
    AvailabilityRule,
    Booking,
    WorkerMarketProfile,
)
from slivers.market.rules.candidates import RequestSnapshot, WorkerKind, WorkerSnapshot, WorkerStatus
from slivers.market.rules.intervals import london_date
from slivers.market.rules.invariants import BLOCKING_STATES, SEATED_STATES
from slivers.market.rules.overlap import BookedVisit
from slivers.market.rules.reliability import is_paused
from slivers.market.workers.reliability import reliability_score, strikes_by_worker, strikes_counted_since
from slivers.market.workers.schemas import MAX_TRAVEL_KM
from slivers.vetting.workers.subjects import WorkerFields


@dataclass(frozen=True, slots=True)
class WorkerExtras:
    """What the API shows, the booking needs or vetting reads (`vetting`: kind, status, supervision,
    self-employment; the policy version) beyond the snapshot."""

    organisation_id: uuid.UUID | None
    instant_book: bool
    vetting: WorkerFields
    # The organisation's vetting policy version read with the worker (None: the default catalogue).
    policy_version: int | None = None


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


@cache
def _longest_reach_statement() -> Select[tuple[int | None]]:
    return select(func.max(WorkerMarketProfile.reach_km))


async def _longest_reach(connection: AsyncConnection) -> float:
    """The bounding box's radius: the longest distance any worker travels (the profile schema caps it
    at `MAX_TRAVEL_KM`, but a row written another way may go further and must not be cut by the box).
    In a real pool most travel 5-25 km, so this box is far tighter than one of the cap's radius.
    `reach_km` is indexed, so this reads one index entry."""
    longest = (await connection.execute(_longest_reach_statement())).scalar()
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
) -> list[WorkerSnapshot]:
    """Partial snapshots of the workers who may be candidates for `slot` (narrowed in SQL), or
    exactly of `worker_ids` (not narrowed, so `why_not` and confirmation see every rule): what rank
    and the rules outside `DETAIL_RULES` read (with strikes and visits to the person), and nothing
    else yet. `with_details` completes them, for only as many workers as the search needs to judge."""
    connection = await core_connection(session)
    if worker_ids is None:
        query, params = narrowing(slot, task_mask, await _longest_reach(connection), now)
    else:
        since = strikes_counted_since(now)
        query = worker_rows(slot.person_id, since).where(Worker.id.in_(list(worker_ids)))
        params = {}
    rows = (await connection.execute(query, params)).all()
    if not rows:
        return []
    strikes = await strikes_by_worker(session, [row.id for row in rows if row.has_strikes], now)
    spotless = reliability_score([], now), is_paused([], now, None)
    snapshots: list[WorkerSnapshot] = []
    # Fields by position (the order of `narrowing.RANK_COLUMNS`): reading a result row's fields by
    # name costs more than building the snapshot, for every worker the narrowing keeps.
    for row in rows:
        (
            worker_id, kind, status, max_travel_km, rate, notice, min_visit, max_visit, lat, lon, reviewed_at,
            seen_before, has_strikes,
        ) = row  # fmt: skip
        worker_strikes = strikes.get(worker_id, []) if has_strikes else []
        reliability, paused = (
            (reliability_score(worker_strikes, now), is_paused(worker_strikes, now, reviewed_at))
            if worker_strikes
            else spotless
        )
        snapshots.append(
            WorkerSnapshot(
                id=worker_id,
                first_name="",
                kind=WorkerKind(kind),
                status=_status(status),
                is_paused=paused,
                task_types=frozenset(),
                home=(lat, lon),
                max_travel_km=float(max_travel_km),
                hourly_rate_pence=rate,
                min_notice_minutes=notice,
                min_visit_minutes=min_visit,
                max_visit_minutes=max_visit,
                max_minutes_per_day=0,
                max_minutes_per_week=0,
                attributes={},
                availability=(),
                bookings=(),
                booked_minutes_day=0,
                booked_minutes_week=0,
                seen_before=bool(seen_before),
                reliability=reliability,
            )
        )
    return snapshots


async def with_details(
    session: AsyncSession, slot: RequestSnapshot, workers: Sequence[WorkerSnapshot]
) -> LoadedWorkers:
    """`workers` (from `load_profiles`) completed: the rest of their profiles, their availability
    around the slot, their bookings that block it, and their booked minutes in its London day and
    week (three queries for them all), with what the API and vetting need beyond the snapshot."""
    if not workers:
        return LoadedWorkers([], {})
    ids: list[uuid.UUID] = [worker.id for worker in workers]  # type: ignore[misc]  # database snapshots carry UUIDs
    connection = await core_connection(session)
    details = details_statement(connection.dialect.name)
    rows = {row.id: row for row in await connection.execute(details, {"ids": ids})}
    around = await _around_slot(connection, ids, slot)
    detailed: list[WorkerSnapshot] = []
    extras: dict[uuid.UUID, WorkerExtras] = {}
    for worker_id, worker in zip(ids, workers, strict=True):
        row = rows[worker_id]
        detailed.append(
            replace(
                worker,
                first_name=row.first_name,
                task_types=frozenset(row.task_types),
                attributes=_attributes(row.attributes),
                max_minutes_per_day=row.max_minutes_per_day,
                max_minutes_per_week=row.max_minutes_per_week,
                **around.fields_of(worker_id),
            )
        )
        extras[worker_id] = WorkerExtras(row.organisation_id, row.instant_book, row, row.policy_version)
    return LoadedWorkers(detailed, extras)


@dataclass(frozen=True, slots=True)
class AroundSlot:
    """Some workers' availability rules and seated bookings around a slot, as the snapshot's fields."""

    slot: RequestSnapshot
    rules: dict[uuid.UUID, list[Any]]
    visits: dict[uuid.UUID, list[tuple[BookedVisit, str]]]
    bounds: tuple[datetime, datetime, datetime, datetime]  # `_week_bounds` of the slot's London day

    def fields_of(self, worker_id: uuid.UUID) -> dict[str, Any]:
        """Availability over the slot, the bookings that block it (invariant 1's `BLOCKING_STATES`),
        and the minutes booked in its London day and week."""
        day_start, day_end, week_start, week_end = self.bounds
        visits = self.visits.get(worker_id, ())
        return {
            "availability": expand_rules(self.rules.get(worker_id, []), self.slot.start, self.slot.end),
            "bookings": [visit for visit, status in visits if status in BLOCKING_STATES],
            "booked_minutes_day": _minutes_within(visits, day_start, day_end),
            "booked_minutes_week": _minutes_within(visits, week_start, week_end),
        }


async def _around_slot(
    connection: AsyncConnection, ids: list[uuid.UUID], slot: RequestSnapshot
) -> AroundSlot:
    bounds = _week_bounds(london_date(slot.start))
    week_start, week_end = bounds[2], bounds[3]
    # Availability only within the slot: whether it is covered depends on nothing outside it
    # (`expand` still finds an occurrence that starts before the slot and runs into it).
    rules = await _rules_touching(connection, ids, slot.start, slot.end)
    visits = await _bookings_by_worker(
        connection,
        ids,
        min(week_start, slot.start) - timedelta(days=1),
        max(week_end, slot.end) + timedelta(days=1),
    )
    return AroundSlot(slot, rules, visits, bounds)


async def load_one(
    session: AsyncSession, slot: RequestSnapshot, worker: Worker, now: datetime
) -> tuple[WorkerSnapshot, WorkerExtras] | None:
    """One worker's whole snapshot for `slot`, read directly from their row (the one confirmation has
    locked) and their profile, strikes, availability and bookings, with the loaders `with_details`
    uses: the same data the search judges, without its narrowing, ranking or batches. What only rank
    reads (seen before, the reliability score) keeps its default. None without a market profile."""
    profile = (
        await session.execute(
            select(
                WorkerMarketProfile.home_lat,
                WorkerMarketProfile.home_lon,
                WorkerMarketProfile.reliability_reviewed_at,
            ).where(WorkerMarketProfile.worker_id == worker.id)
        )
    ).first()
    if profile is None:
        return None
    strikes = (await strikes_by_worker(session, [worker.id], now)).get(worker.id, [])
    around = await _around_slot(await core_connection(session), [worker.id], slot)
    snapshot = WorkerSnapshot(
        id=worker.id,
        first_name=worker.first_name,
        kind=WorkerKind(worker.kind),
        status=_status(worker.status),
        is_paused=is_paused(strikes, now, profile.reliability_reviewed_at),
        task_types=frozenset(worker.task_types),
        home=(profile.home_lat, profile.home_lon),
        max_travel_km=float(worker.max_travel_km),
        hourly_rate_pence=worker.hourly_rate_pence,
        min_notice_minutes=worker.min_notice_minutes,
        min_visit_minutes=worker.min_visit_minutes,
        max_visit_minutes=worker.max_visit_minutes,
        max_minutes_per_day=worker.max_minutes_per_day,
        max_minutes_per_week=worker.max_minutes_per_week,
        attributes=_attributes(worker.attributes),
        **around.fields_of(worker.id),
    )
    return snapshot, WorkerExtras(worker.organisation_id, worker.instant_book, worker)


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
    partial = await load_profiles(session, slot, now, task_mask=task_mask, worker_ids=worker_ids)
    return await with_details(session, slot, partial)


@cache
def _rules_statement(dialect: str) -> Select[Any]:
    """The rules of some workers (`ids`) that can matter inside [start, end), built once: building
    and keying a statement costs more than running it."""
    rule = AvailabilityRule
    start: Any = bindparam("start")
    end: Any = bindparam("end")
    first_day, last_day = bindparam("first_day", type_=Date()), bindparam("last_day", type_=Date())
    return select(
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
        member_of(rule.worker_id, "ids", dialect),
        or_(
            and_(rule.kind.in_(("window", "remove")), rule.start_at < end, rule.end_at > start),
            and_(rule.kind == "skip", rule.skip_on >= first_day, rule.skip_on <= last_day),
            and_(
                rule.kind == "weekly",
                rule.from_date <= last_day,
                or_(rule.until_date.is_(None), rule.until_date >= first_day),
            ),
        ),
    )


async def _rules_touching(
    connection: AsyncConnection, ids: list[uuid.UUID], start: datetime, end: datetime
) -> dict[uuid.UUID, list[Any]]:
    """The rules that can matter inside [start, end), as plain rows (no ORM objects to build)."""
    params = {
        "ids": ids,
        "start": start,
        "end": end,
        "first_day": (start - timedelta(days=1)).date(),
        "last_day": end.date(),
    }
    found: dict[uuid.UUID, list[Any]] = defaultdict(list)
    for row in await connection.execute(_rules_statement(connection.dialect.name), params):
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


@cache
def _bookings_statement(dialect: str) -> Select[Any]:
    """Seated bookings of some workers (`ids`) overlapping [start, end), built once."""
    return select(
        Booking.worker_id,
        Booking.id,
        Booking.start_at,
        Booking.end_at,
        Booking.lat,
        Booking.lon,
        Booking.status,
    ).where(
        member_of(Booking.worker_id, "ids", dialect),
        Booking.status.in_(SEATED_STATES),
        Booking.start_at < bindparam("end"),
        Booking.end_at > bindparam("start"),
    )


async def _bookings_by_worker(
    connection: AsyncConnection, ids: list[uuid.UUID], start: datetime, end: datetime
) -> dict[uuid.UUID, list[tuple[BookedVisit, str]]]:
    found: dict[uuid.UUID, list[tuple[BookedVisit, str]]] = defaultdict(list)
    statement = _bookings_statement(connection.dialect.name)
    rows = await connection.execute(statement, {"ids": ids, "start": start, "end": end})
    for worker_id, booking_id, start_at, end_at, lat, lon, status in rows:
        found[worker_id].append((BookedVisit(start_at, end_at, (lat, lon), booking_id), status))
    return found
