"""UTC intervals and the London wall-clock arithmetic that availability and series share."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from slivers.clock import LONDON, ensure_utc


@dataclass(frozen=True, slots=True)
class Interval:
    """A half-open span [start, end) of aware UTC instants."""

    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise ValueError("interval bounds must be timezone-aware")
        if self.end <= self.start:
            raise ValueError("interval end must be after its start")

    @property
    def minutes(self) -> float:
        return (self.end - self.start).total_seconds() / 60.0


def merge(intervals: Iterable[Interval]) -> list[Interval]:
    """Sorted, disjoint intervals covering the same instants; touching intervals are joined."""
    ordered = sorted(intervals, key=lambda interval: interval.start)
    merged: list[Interval] = []
    for interval in ordered:
        if merged and interval.start <= merged[-1].end:
            if interval.end > merged[-1].end:
                merged[-1] = Interval(merged[-1].start, interval.end)
        else:
            merged.append(interval)
    return merged


def subtract(intervals: Sequence[Interval], removals: Iterable[Interval]) -> list[Interval]:
    """Merged `intervals` minus every removal; the result stays sorted and disjoint."""
    result = list(intervals)
    for removal in merge(removals):
        kept: list[Interval] = []
        for interval in result:
            if interval.end <= removal.start or interval.start >= removal.end:
                kept.append(interval)
                continue
            if interval.start < removal.start:
                kept.append(Interval(interval.start, removal.start))
            if interval.end > removal.end:
                kept.append(Interval(removal.end, interval.end))
        result = kept
    return result


def clip(intervals: Iterable[Interval], start: datetime, end: datetime) -> list[Interval]:
    clipped: list[Interval] = []
    for interval in intervals:
        lo = max(interval.start, start)
        hi = min(interval.end, end)
        if lo < hi:
            clipped.append(Interval(lo, hi))
    return clipped


def covers(intervals: Sequence[Interval], start: datetime, end: datetime) -> bool:
    """Whether [start, end) lies inside one of `intervals`, which must be sorted and merged
    (as `merge` and `availability.expand` return them): a binary search, no allocation."""
    index = bisect_right(intervals, start, key=_start_of) - 1
    return index >= 0 and intervals[index].end >= end and end > start


def _start_of(interval: Interval) -> datetime:
    return interval.start


def london_instant(day: date, at: time) -> datetime:
    """The UTC instant of a Europe/London wall-clock time on a local date.

    A wall time that does not exist (the spring-forward gap, 01:00-02:00 on the last Sunday of
    March) is moved forward by the length of the gap: 01:30 becomes 02:30 BST. A wall time that
    happens twice (01:00-02:00 on the last Sunday of October) means its first occurrence, in BST.
    Both follow from PEP 495 with fold=0, and are what a person reading "from 01:30" expects:
    never earlier than the clock said, and never an hour late.
    """
    local = datetime.combine(day, at.replace(tzinfo=None, fold=0), tzinfo=LONDON)
    return local.astimezone(UTC)


def london_occurrence(day: date, start: time, end: time) -> Interval | None:
    """The UTC interval of a local start-end on `day`; an end at or before the start means the
    next day (an overnight sit). None if the two instants collapse, which only a DST change can do."""
    end_day = day if end > start else day + timedelta(days=1)
    start_at = london_instant(day, start)
    end_at = london_instant(end_day, end)
    if end_at <= start_at:
        return None
    return Interval(start_at, end_at)


def spring_forward(day: date) -> tuple[time, time] | None:
    """The London wall-clock times the clocks jump between on `day` (01:00 to 02:00 on the last Sunday
    of March), or None on any other day."""
    midnight = datetime.combine(day, time(0), tzinfo=LONDON)
    next_midnight = datetime.combine(day + timedelta(days=1), time(0), tzinfo=LONDON)
    before, after = midnight.utcoffset(), next_midnight.utcoffset()
    if before is None or after is None or after <= before:
        return None
    instant = midnight.astimezone(UTC)
    while instant.astimezone(LONDON).utcoffset() == before:  # at most 24 hourly steps
        instant += timedelta(hours=1)
    jumped_to = instant.astimezone(LONDON).replace(minute=0, second=0, microsecond=0)
    return (jumped_to - (after - before)).time().replace(tzinfo=None), jumped_to.time().replace(tzinfo=None)


def clock_change_note(start: datetime, end: datetime) -> str | None:
    """Why a visit lasts longer or shorter than its London clock times say, or None if it does not:
    01:30-02:30 on the last Sunday of October is two real hours, and is charged and paid as two."""
    start_local, end_local = ensure_utc(start).astimezone(LONDON), ensure_utc(end).astimezone(LONDON)
    before, after = start_local.utcoffset(), end_local.utcoffset()
    if before is None or after is None or before == after:
        return None
    instant = ensure_utc(start).replace(minute=0, second=0, microsecond=0)
    while instant.astimezone(LONDON).utcoffset() == before:  # UK changes fall on the UTC hour
        instant += timedelta(hours=1)
    changed_at = (instant + before).time()  # the change, on the clock as it read until then
    real = int((end - start) // timedelta(minutes=1))
    direction = "back" if after < before else "forward"
    return (
        f"This visit is {duration_words(real)} long because the clocks go {direction} at "
        f"{clock_words(changed_at)} on {day_words(instant.astimezone(LONDON).date())}."
    )


def duration_words(minutes: int) -> str:
    """2 hours, 1 hour 30 minutes, 45 minutes."""
    hours, rest = divmod(minutes, 60)
    parts = [f"{hours} hour{'s' if hours != 1 else ''}"] if hours else []
    if rest or not hours:
        parts.append(f"{rest} minute{'s' if rest != 1 else ''}")
    return " ".join(parts)


def clock_words(at: time) -> str:
    """1:30am, 2pm, 12:15pm: a wall-clock time as people write it."""
    hour = at.hour % 12 or 12
    minutes = f":{at.minute:02d}" if at.minute else ""
    return f"{hour}{minutes}{'am' if at.hour < 12 else 'pm'}"


def day_words(day: date) -> str:
    return f"{day.day} {day.strftime('%B')}"


def london_date(instant: datetime) -> date:
    return ensure_utc(instant).astimezone(LONDON).date()
