"""Candidate search's SQL narrowing: the rules that are exact or safely wider than the pure ones
(status, task types, kind, visit length, a slightly generous distance, an availability rule that could
touch the slot), so SQL only ever narrows and `CandidateSearch` decides.

There are four shapes of the query (a slot within one London day or across midnight; paid or
volunteers only), each built once with bound parameters: building and keying a statement this size
costs more than running it against the covering index.
"""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any

from sqlalchemy import Date, Float, Integer, Select, and_, bindparam, exists, or_, select

from slivers.accounts.models import Worker
from slivers.clock import to_london
from slivers.db.lists import member_of
from slivers.market.models import AvailabilityRule, Booking, WorkerMarketProfile
from slivers.market.rules.candidates import RequestSnapshot
from slivers.market.rules.lifecycle import BookingState
from slivers.market.workers.reliability import has_recent_strikes, strikes_counted_since
from slivers.vetting.catalogue.policy import policy_version_of

KM_PER_DEGREE_LAT = 110.574
KM_PER_DEGREE_LON_AT_EQUATOR = 111.320
# The flat-earth distance in SQL is within a fraction of a percent of haversine at these ranges;
# the margin keeps it wider than the exact rule, never narrower.
DISTANCE_MARGIN = 1.02
DISTANCE_SLACK_KM = 0.2
# Visits to the person that make a worker "seen before".
SEEN_STATES = (
    BookingState.COMPLETED,
    BookingState.APPROVED,
    BookingState.CONFIRMED,
    BookingState.IN_PROGRESS,
)

# What rank and the rules outside `candidates.DETAIL_RULES` read, for every worker the narrowing
# keeps; the rest of a worker (`DETAIL_COLUMNS`) is read with their availability, for as few as needed.
RANK_COLUMNS = (
    Worker.id,
    Worker.kind,
    Worker.status,
    Worker.max_travel_km,
    Worker.hourly_rate_pence,
    Worker.min_notice_minutes,
    Worker.min_visit_minutes,
    Worker.max_visit_minutes,
    WorkerMarketProfile.home_lat,
    WorkerMarketProfile.home_lon,
    WorkerMarketProfile.reliability_reviewed_at,
)
DETAIL_COLUMNS = (
    Worker.id,
    Worker.first_name,
    Worker.task_types,
    Worker.attributes,
    Worker.max_minutes_per_day,
    Worker.max_minutes_per_week,
    Worker.instant_book,
    Worker.organisation_id,
    # What vetting reads of the worker (`vetting.workers.subjects.WorkerFields`), so it need not ask again.
    Worker.kind,
    Worker.status,
    Worker.last_supervision_on,
    Worker.self_employed,
    policy_version_of(Worker.organisation_id).label("policy_version"),
)


def _float(name: str) -> Any:
    return bindparam(name, type_=Float())


def has_visited(person_id: Any) -> Any:
    """SQL: the worker (of the outer query) has visited the person before, or is booked to."""
    return exists().where(
        Booking.worker_id == Worker.id, Booking.person_id == person_id, Booking.status.in_(SEEN_STATES)
    )


def worker_rows(person_id: Any, since: Any) -> Select[Any]:
    """What rank reads of a worker, for the person (seen before) at a time (strikes since)."""
    return select(
        *RANK_COLUMNS,
        has_visited(person_id).label("seen_before"),
        has_recent_strikes(Worker.id, since).label("has_strikes"),
    ).join(WorkerMarketProfile, WorkerMarketProfile.worker_id == Worker.id)


@cache
def details_statement(dialect: str) -> Select[Any]:
    """The rest of some workers (`ids`), built once."""
    return select(*DETAIL_COLUMNS).where(member_of(Worker.id, "ids", dialect))


def _availability_touches_slot(same_day: bool) -> Any:
    """An availability rule of the worker that could cover part of the slot (wider than exact)."""
    rule = AvailabilityRule
    window = and_(
        rule.kind == "window", rule.start_at < bindparam("slot_end"), rule.end_at > bindparam("slot_start")
    )
    in_dates = and_(
        rule.kind == "weekly",
        rule.from_date <= bindparam("end_day", type_=Date()),
        or_(rule.until_date.is_(None), rule.until_date >= bindparam("day_before", type_=Date())),
    )
    if same_day:
        same = and_(
            rule.overnight.is_(False),
            rule.weekday_mask.op("&")(bindparam("day_bit", type_=Integer())) != 0,
            rule.start_minute < bindparam("end_minute", type_=Integer()),
            rule.end_minute > bindparam("start_minute", type_=Integer()),
        )
        overnight = and_(
            rule.overnight.is_(True), rule.weekday_mask.op("&")(bindparam("day_bits", type_=Integer())) != 0
        )
        weekly = and_(in_dates, or_(same, overnight))
    else:
        weekly = and_(in_dates, rule.weekday_mask.op("&")(bindparam("day_bits", type_=Integer())) != 0)
    # Correlated on the profile, not the worker, so it is judged before the worker row is fetched.
    return exists().where(rule.worker_id == WorkerMarketProfile.worker_id, or_(window, weekly))


@cache
def narrowing_statement(same_day: bool, volunteers_only: bool) -> Select[Any]:
    """The narrowing query of one shape; `narrowing` gives it with its parameters."""
    home = WorkerMarketProfile
    dy = (home.home_lat - _float("lat0")) * KM_PER_DEGREE_LAT
    dx = (home.home_lon - _float("lon0")) * _float("km_per_lon")
    reach = home.reach_km * DISTANCE_MARGIN + DISTANCE_SLACK_KM
    task_mask = bindparam("task_mask", type_=Integer())
    minutes = bindparam("minutes", type_=Integer())
    # Box, task types, distance and availability read only the covering index
    # ix_worker_market_profiles_search (and the rules), so only the workers left are fetched.
    conditions = [
        home.home_lat.between(_float("lat_min"), _float("lat_max")),
        home.home_lon.between(_float("lon_min"), _float("lon_max")),
        home.task_mask.op("&")(task_mask) == task_mask,
        dx * dx + dy * dy <= reach * reach,
        _availability_touches_slot(same_day),
        Worker.status == "active",
        Worker.min_visit_minutes <= minutes,
        Worker.max_visit_minutes >= minutes,
    ]
    if volunteers_only:
        conditions.append(Worker.kind == "volunteer")
    return worker_rows(bindparam("person_id"), bindparam("strikes_since")).where(and_(*conditions))


def narrowing(
    slot: RequestSnapshot, task_mask: int, reach_km: float, now: datetime
) -> tuple[Select[Any], dict[str, Any]]:
    """The narrowing query for `slot` and its parameters. The bounding box's radius is `reach_km` (the
    longest reach of any worker), widened by the same margins as the distance test, so it never cuts a
    worker the exact rule keeps."""
    lat0, lon0 = slot.location
    reach = reach_km * DISTANCE_MARGIN + DISTANCE_SLACK_KM
    dlat = reach / KM_PER_DEGREE_LAT
    # The box's widest longitude span is at its edge nearest a pole.
    widest = min(89.0, abs(lat0) + dlat)
    dlon = reach / (KM_PER_DEGREE_LON_AT_EQUATOR * math.cos(math.radians(widest)))
    start_day, start_minute = _london(slot.start)
    end_day, end_minute = _london(slot.end)
    day_before = start_day - timedelta(days=1)
    day_bits = (1 << start_day.weekday()) | (1 << day_before.weekday())
    if end_day != start_day:
        day_bits |= 1 << end_day.weekday()
    params = {
        "lat0": lat0,
        "lon0": lon0,
        "km_per_lon": KM_PER_DEGREE_LON_AT_EQUATOR * math.cos(math.radians(lat0)),
        "lat_min": lat0 - dlat,
        "lat_max": lat0 + dlat,
        "lon_min": lon0 - dlon,
        "lon_max": lon0 + dlon,
        "task_mask": task_mask,
        "minutes": int((slot.end - slot.start) // timedelta(minutes=1)),
        "slot_start": slot.start,
        "slot_end": slot.end,
        "end_day": end_day,
        "day_before": day_before,
        "day_bit": 1 << start_day.weekday(),
        "day_bits": day_bits,
        "start_minute": start_minute,
        "end_minute": end_minute,
        "person_id": slot.person_id,
        "strikes_since": strikes_counted_since(now),
    }
    return narrowing_statement(end_day == start_day, not slot.is_paid), params


def _london(instant: datetime) -> tuple[date, int]:
    local = to_london(instant)
    return local.date(), local.hour * 60 + local.minute
