"""A worker's availability (design 4.1): one-off windows and weekly wall-clock patterns with exceptions.

Patterns are kept in Europe/London wall-clock time and turned into UTC instants only when expanded,
so "every Saturday 09:00-13:00" is 09:00 on the clock on both sides of a BST/GMT change. Local
times inside a DST gap or overlap follow `intervals.london_instant` (gap: forward; overlap: first).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from slivers.clock import ensure_utc
from slivers.market.rules.intervals import (
    Interval,
    clip,
    covers,
    london_date,
    london_occurrence,
    merge,
    subtract,
)

__all__ = [
    "AvailabilityException",
    "Interval",
    "OneOffWindow",
    "RemoveRange",
    "SkipOccurrence",
    "WeeklyPattern",
    "covers",
    "expand",
]


@dataclass(frozen=True, slots=True)
class OneOffWindow:
    """A single window of UTC instants ("extra Saturday morning" is one of these too)."""

    start: datetime
    end: datetime


@dataclass(frozen=True, slots=True)
class WeeklyPattern:
    """Weekly local hours: weekdays are 0=Monday..6=Sunday; an end at or before the start runs
    overnight into the next day. `until_date` is inclusive; None is open-ended."""

    weekdays: frozenset[int]
    start_time: time
    end_time: time
    from_date: date
    until_date: date | None = None
    pattern_id: Hashable | None = None

    def __post_init__(self) -> None:
        if not self.weekdays or not self.weekdays <= frozenset(range(7)):
            raise ValueError("weekdays must be a non-empty set of 0 (Monday) to 6 (Sunday)")
        if self.start_time == self.end_time:
            raise ValueError("a pattern's end time must differ from its start time")
        if self.until_date is not None and self.until_date < self.from_date:
            raise ValueError("a pattern's until date must not be before its from date")


@dataclass(frozen=True, slots=True)
class SkipOccurrence:
    """ "Not this Tuesday": drops the occurrence starting on a local date, of one pattern or of all
    patterns when `pattern_id` is None."""

    on: date
    pattern_id: Hashable | None = None


@dataclass(frozen=True, slots=True)
class RemoveRange:
    """Not available between two UTC instants, whatever the patterns and windows say."""

    start: datetime
    end: datetime


AvailabilityException = SkipOccurrence | RemoveRange | OneOffWindow


def expand(
    patterns: Iterable[WeeklyPattern],
    windows: Iterable[OneOffWindow],
    exceptions: Iterable[AvailabilityException],
    horizon_start: datetime,
    horizon_end: datetime,
) -> list[Interval]:
    """Every available instant in [horizon_start, horizon_end) as sorted, disjoint UTC intervals.

    Removals win over additions: a `RemoveRange` cuts through one-off windows too, since "I am
    away that afternoon" must hold whatever else was posted.
    """
    horizon_start = ensure_utc(horizon_start)
    horizon_end = ensure_utc(horizon_end)
    if horizon_end <= horizon_start:
        return []
    skips: set[tuple[date, Hashable | None]] = set()
    removals: list[Interval] = []
    spans: list[Interval] = []
    for exception in exceptions:
        if isinstance(exception, SkipOccurrence):
            skips.add((exception.on, exception.pattern_id))
        elif isinstance(exception, RemoveRange):
            _append_if_nonempty(removals, exception.start, exception.end)
        else:
            _append_if_nonempty(spans, exception.start, exception.end)
    for window in windows:
        _append_if_nonempty(spans, window.start, window.end)
    # An overnight occurrence that starts the day before the horizon can still reach into it.
    first_day = london_date(horizon_start) - timedelta(days=1)
    last_day = london_date(horizon_end)
    for pattern in patterns:
        spans.extend(_pattern_occurrences(pattern, first_day, last_day, skips))
    available = subtract(merge(clip(spans, horizon_start, horizon_end)), removals)
    return available


def _pattern_occurrences(
    pattern: WeeklyPattern, first_day: date, last_day: date, skips: set[tuple[date, Hashable | None]]
) -> Iterable[Interval]:
    day = max(first_day, pattern.from_date)
    last = last_day if pattern.until_date is None else min(last_day, pattern.until_date)
    while day <= last:
        if (
            day.weekday() in pattern.weekdays
            and (day, None) not in skips
            and (day, pattern.pattern_id) not in skips
        ):
            occurrence = london_occurrence(day, pattern.start_time, pattern.end_time)
            if occurrence is not None:
                yield occurrence
        day += timedelta(days=1)


def _append_if_nonempty(into: list[Interval], start: datetime, end: datetime) -> None:
    start = ensure_utc(start)
    end = ensure_utc(end)
    if end > start:
        into.append(Interval(start, end))
