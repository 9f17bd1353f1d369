"""Requests for one slot or a weekly series of slots (design 4.2), checked occurrence by occurrence.

A series is kept in Europe/London wall-clock time and expanded to UTC per occurrence, so "Tuesdays
14:00-17:00" stays 14:00 on the clock across BST/GMT changes. Gap and overlap wall times follow
`intervals.london_instant` (gap: moved forward; overlap: the first, BST, occurrence). An occurrence
whose whole wall-clock span the spring-forward gap swallows (01:30-02:30 on the last Sunday of March)
does not happen at all; it is reported as a `SkippedOccurrence` with the reason, never dropped unsaid.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from slivers.geo.travel import LatLon
from slivers.market.rules.intervals import (
    Interval,
    clock_words,
    day_words,
    london_instant,
    london_occurrence,
    spring_forward,
)
from slivers.market.rules.overlap import BookedVisit, Conflict, conflicts

MIN_SLOT = timedelta(minutes=15)
# Longer than a long day's care; an overnight sit (22:00-08:00) fits, a 24-hour live-in shift does not,
# since that is a different kind of engagement than a sliver of time.
MAX_SLOT = timedelta(hours=12)
MAX_OCCURRENCES = 52  # a year of weekly visits; longer runs are re-posted, so nobody books forever blind
MAX_SERIES_DAYS = 2 * 366  # the bound on scanning days, whatever the weekdays and until date say


@dataclass(frozen=True, slots=True)
class SlotError:
    """A validation failure that names the field and the rule broken, for a 422 problem detail."""

    field: str
    rule: str
    message: str


@dataclass(frozen=True, slots=True)
class WeeklySeries:
    """Weekdays 0=Monday..6=Sunday; an end at or before the start runs overnight into the next day.
    `until_date` is inclusive; the series stops at `until_date` or `max_occurrences`, whichever first."""

    weekdays: frozenset[int]
    start_time: time
    end_time: time
    from_date: date
    until_date: date | None = None
    max_occurrences: int = MAX_OCCURRENCES


@dataclass(frozen=True, slots=True)
class Occurrence:
    index: int  # 0-based position in the series, stable across re-expansion
    local_date: date  # London date the occurrence starts on
    interval: Interval

    @property
    def start(self) -> datetime:
        return self.interval.start

    @property
    def end(self) -> datetime:
        return self.interval.end


@dataclass(frozen=True, slots=True)
class SkippedOccurrence:
    """A day the series falls on whose visit cannot happen, with the reason in plain words. It does not
    count towards `max_occurrences`: the series still has that many visits that do happen."""

    local_date: date
    start: datetime  # the instant the London start time gives that day, for ordering and display
    error: SlotError


@dataclass(frozen=True, slots=True)
class OccurrenceReport:
    """One occurrence and what stops it being booked; an empty report means it can go ahead."""

    occurrence: Occurrence
    errors: tuple[SlotError, ...]
    conflicts: tuple[Conflict, ...]

    @property
    def ok(self) -> bool:
        return not self.errors and not self.conflicts


def validate_slot(start: datetime, end: datetime, now: datetime) -> list[SlotError]:
    """Every rule a single slot breaks: aware times, end after start, not in the past, 15 min to 12 h."""
    errors: list[SlotError] = []
    if start.tzinfo is None:
        errors.append(SlotError("start", "timezone_required", "give the start with a time zone offset"))
    if end.tzinfo is None:
        errors.append(SlotError("end", "timezone_required", "give the end with a time zone offset"))
    if errors:
        return errors
    if end <= start:
        errors.append(SlotError("end", "end_after_start", "the end must be after the start"))
    if start < now:
        errors.append(SlotError("start", "not_in_past", "the start must not be in the past"))
    if end > start:
        length = end - start
        if length < MIN_SLOT:
            errors.append(SlotError("end", "min_length", "a visit lasts at least 15 minutes"))
        elif length > MAX_SLOT:
            errors.append(SlotError("end", "max_length", "a visit lasts at most 12 hours"))
    return errors


def validate_series(series: WeeklySeries) -> list[SlotError]:
    """Rules on the series itself; each occurrence is then checked with `validate_slot`."""
    errors: list[SlotError] = []
    if not series.weekdays:
        errors.append(SlotError("weekdays", "not_empty", "pick at least one day of the week"))
    elif not series.weekdays <= frozenset(range(7)):
        errors.append(SlotError("weekdays", "weekday_range", "days run from 0 (Monday) to 6 (Sunday)"))
    if series.start_time == series.end_time:
        errors.append(SlotError("end_time", "end_after_start", "the end time must differ from the start"))
    if series.until_date is not None and series.until_date < series.from_date:
        errors.append(SlotError("until_date", "until_after_from", "the until date is before the from date"))
    if not 1 <= series.max_occurrences <= MAX_OCCURRENCES:
        errors.append(
            SlotError("max_occurrences", "occurrence_range", f"between 1 and {MAX_OCCURRENCES} occurrences")
        )
    return errors


def occurrences(series: WeeklySeries, horizon_end: date | None = None) -> list[Occurrence]:
    """The series' occurrences in order, up to its until date, its occurrence cap, `horizon_end`
    (a London date, inclusive) and `MAX_SERIES_DAYS`, whichever comes first."""
    return [o for o in expand(series, horizon_end) if isinstance(o, Occurrence)]


def expand(series: WeeklySeries, horizon_end: date | None = None) -> list[Occurrence | SkippedOccurrence]:
    """Like `occurrences`, with the days whose visit a clock change takes away reported in their place."""
    limit = min(series.max_occurrences, MAX_OCCURRENCES)
    last = series.from_date + timedelta(days=MAX_SERIES_DAYS)
    for bound in (series.until_date, horizon_end):
        if bound is not None:
            last = min(last, bound)
    found: list[Occurrence | SkippedOccurrence] = []
    count = 0
    day = series.from_date
    while day <= last and count < limit:
        if day.weekday() in series.weekdays:
            interval = london_occurrence(day, series.start_time, series.end_time)
            if interval is not None:
                found.append(Occurrence(count, day, interval))
                count += 1
            else:
                found.append(_skipped(day, series.start_time))
        day += timedelta(days=1)
    return found


def _skipped(day: date, start_time: time) -> SkippedOccurrence:
    # Only the spring-forward gap collapses a span (an autumn wall time means its first, BST, instant).
    gap = spring_forward(day)
    change = f"go forward at {clock_words(gap[0])}" if gap else "change"
    message = (
        f"The clocks {change} on {day_words(day)}, so {clock_words(start_time)} does not happen that day."
    )
    return SkippedOccurrence(
        day, london_instant(day, start_time), SlotError("series.start_time", "clock_change_gap", message)
    )


def check_occurrences(
    series_occurrences: Iterable[Occurrence],
    existing_bookings: Iterable[BookedVisit],
    location: LatLon,
    now: datetime,
) -> list[OccurrenceReport]:
    """One report per occurrence, never dropping any: the caller shows which ones cannot be covered."""
    bookings = list(existing_bookings)
    return [
        OccurrenceReport(
            occurrence,
            tuple(validate_slot(occurrence.start, occurrence.end, now)),
            tuple(conflicts(bookings, occurrence.start, occurrence.end, location)),
        )
        for occurrence in series_occurrences
    ]
