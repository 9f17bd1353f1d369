"""The engine's input: plain typed data a database adapter fills in.

Times are integer minutes from the horizon origin; intervals are half-open [start, end).
Eligibility (design 4.3) is the caller's job: `candidates` lists every eligible (request, worker) pair.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from slivers.scheduling.travel import GEO_TRAVEL, LatLon, Travel

MINUTES_PER_DAY = 24 * 60
DAYS_PER_WEEK = 7


class InstanceError(ValueError):
    """An instance that cannot be solved as given; the message names the offending item and field."""


@dataclass(frozen=True, slots=True)
class Request:
    """One visit to fill. Fixed when `latest_start` is None; otherwise it may start anywhere in
    [start, latest_start] and lasts `end - start` minutes."""

    id: str
    start: int
    end: int
    person_id: str
    location: LatLon
    workers_needed: int = 1
    priority: int = 1
    volunteers_first: bool = False
    preferred_workers: frozenset[str] = frozenset()
    latest_start: int | None = None

    def __post_init__(self) -> None:
        if self.end <= self.start:
            raise InstanceError(f"request {self.id}: end must be after start")
        if self.workers_needed not in (1, 2):
            raise InstanceError(f"request {self.id}: workers_needed must be 1 or 2")
        if self.priority < 1:
            raise InstanceError(f"request {self.id}: priority must be at least 1")
        if self.latest_start is not None and self.latest_start < self.start:
            raise InstanceError(f"request {self.id}: latest_start must not be before start")

    @property
    def duration(self) -> int:
        return self.end - self.start

    @property
    def is_flexible(self) -> bool:
        return self.latest_start is not None and self.latest_start > self.start

    @property
    def last_start(self) -> int:
        return self.start if self.latest_start is None else self.latest_start

    @property
    def last_end(self) -> int:
        return self.last_start + self.duration


@dataclass(frozen=True, slots=True)
class Worker:
    """`availability` None means always available (the caller already checked it for fixed requests)."""

    id: str
    location: LatLon
    availability: tuple[tuple[int, int], ...] | None = None
    daily_cap_minutes: int | None = None
    weekly_cap_minutes: int | None = None
    is_volunteer: bool = False
    wants_hours: int = 0

    def __post_init__(self) -> None:
        for start, end in self.availability or ():
            if end <= start:
                raise InstanceError(f"worker {self.id}: availability ({start}, {end}) ends before it starts")
        for name in ("daily_cap_minutes", "weekly_cap_minutes", "wants_hours"):
            value = getattr(self, name)
            if value is not None and value < 0:
                raise InstanceError(f"worker {self.id}: {name} must not be negative")

    def is_available(self, start: int, end: int) -> bool:
        if self.availability is None:
            return True
        return any(a <= start and end <= b for a, b in self.availability)


@dataclass(frozen=True, slots=True)
class Candidate:
    """An eligible pair. `score` (higher is better) is the caller's ranking after continuity;
    `continuity` marks a preferred or previously seen worker."""

    request_id: str
    worker_id: str
    score: int = 0
    continuity: bool = False


@dataclass(frozen=True, slots=True)
class FixedBooking:
    """A confirmed visit that stays: it blocks the worker's time (with travel) and counts to caps."""

    id: str
    worker_id: str
    start: int
    end: int
    location: LatLon
    person_id: str | None = None

    def __post_init__(self) -> None:
        if self.end <= self.start:
            raise InstanceError(f"booking {self.id}: end must be after start")


@dataclass(frozen=True, slots=True)
class Instance:
    """`day_offset` is the minute of the day at the horizon origin (0 when the origin is midnight):
    daily caps count a visit on the day it starts, weekly caps on the 7-day block it starts in."""

    requests: tuple[Request, ...]
    workers: tuple[Worker, ...]
    candidates: tuple[Candidate, ...]
    bookings: tuple[FixedBooking, ...] = ()
    travel: Travel = field(default=GEO_TRAVEL, compare=False)
    day_offset: int = 0

    def __post_init__(self) -> None:
        _check_unique("request", [r.id for r in self.requests])
        _check_unique("worker", [w.id for w in self.workers])
        _check_unique("booking", [b.id for b in self.bookings])
        requests = {r.id: r for r in self.requests}
        workers = {w.id for w in self.workers}
        seen: set[tuple[str, str]] = set()
        for c in self.candidates:
            if c.request_id not in requests:
                raise InstanceError(f"candidate ({c.request_id}, {c.worker_id}): unknown request")
            if c.worker_id not in workers:
                raise InstanceError(f"candidate ({c.request_id}, {c.worker_id}): unknown worker")
            if (c.request_id, c.worker_id) in seen:
                raise InstanceError(f"candidate ({c.request_id}, {c.worker_id}) is listed twice")
            seen.add((c.request_id, c.worker_id))
        for b in self.bookings:
            if b.worker_id not in workers:
                raise InstanceError(f"booking {b.id}: unknown worker {b.worker_id}")
        for r in self.requests:
            if r.is_flexible and self.day_of(r.start) != self.day_of(r.last_start):
                raise InstanceError(f"request {r.id}: a start window must lie within one day")

    def day_of(self, minute: int) -> int:
        return (minute + self.day_offset) // MINUTES_PER_DAY

    def week_of(self, minute: int) -> int:
        return self.day_of(minute) // DAYS_PER_WEEK


def _check_unique(kind: str, ids: list[str]) -> None:
    seen: set[str] = set()
    for item in ids:
        if item in seen:
            raise InstanceError(f"{kind} id {item} is used twice")
        seen.add(item)
