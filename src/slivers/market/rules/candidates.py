"""Who can take a request, and in what order (design 4.3), as a pure step over plain snapshots.

The filter runs the rules cheapest first and stops at the first failure, so 10,000 workers that
mostly fail on status, task types or distance cost little; `why_not` runs every rule and names each
one that fails, for a coordinator asking "why is Sam not on the list?".
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from slivers.geo import Nation, haversine_km
from slivers.geo.travel import LatLon
from slivers.market.rules.intervals import Interval, covers
from slivers.market.rules.invariants import NO_DOUBLE_BOOKING, clashes, double_booked
from slivers.market.rules.overlap import BookedVisit
from slivers.market.rules.wages import minimum_rate_for_visit


class WorkerKind(StrEnum):
    PAID = "paid"
    VOLUNTEER = "volunteer"


class WorkerStatus(StrEnum):
    ACTIVE = "active"
    INACTIVE = "inactive"  # not yet onboarded, left, or switched off by themself
    SUSPENDED = "suspended"  # by a coordinator (3.3)


@dataclass(frozen=True, slots=True)
class RequestSnapshot:
    """One slot of a request; a series is ranked occurrence by occurrence. An unpaid request (no
    budget behind it, `is_paid` False) can only be taken by volunteers."""

    id: Hashable
    person_id: Hashable
    task_types: frozenset[str]
    location: LatLon
    nation: Nation
    start: datetime
    end: datetime
    workers_needed: int = 1
    hard_requirements: Mapping[str, object] = field(default_factory=dict)
    preferred_worker_ids: frozenset[Hashable] = frozenset()
    blocked_worker_ids: frozenset[Hashable] = frozenset()
    max_rate_pence: int | None = None
    volunteers_first: bool = False
    household_has_child: bool = False
    is_paid: bool = True


@dataclass(frozen=True, slots=True)
class WorkerSnapshot:
    """A worker as the filter sees them for one request. `availability` must be sorted and merged
    (as `availability.expand` returns it); booked minutes are for the request's London day and week."""

    id: Hashable
    first_name: str
    kind: WorkerKind
    status: WorkerStatus
    is_paused: bool
    task_types: frozenset[str]
    home: LatLon
    max_travel_km: float
    hourly_rate_pence: int | None
    min_notice_minutes: int
    min_visit_minutes: int
    max_visit_minutes: int
    max_minutes_per_day: int
    max_minutes_per_week: int
    attributes: Mapping[str, object]
    availability: Sequence[Interval]
    bookings: Sequence[BookedVisit]
    booked_minutes_day: int
    booked_minutes_week: int
    seen_before: bool = False
    reliability: float = 1.0
    rating: float | None = None


@dataclass(frozen=True, slots=True)
class RuleFailure:
    rule: str  # e.g. "distance", "vetting:dbs_enhanced", "hard_requirement:language"
    detail: str


@dataclass(frozen=True, slots=True)
class RankReason:
    code: str  # volunteer, preferred, seen_before, reliability, rating, distance_km, rate
    detail: str


@dataclass(frozen=True, slots=True)
class Candidate:
    rank: int  # 1 is the best
    worker: WorkerSnapshot
    distance_km: float
    reasons: tuple[RankReason, ...]


VettingFailures = Callable[[WorkerSnapshot], Sequence[str]]
_Check = Callable[[WorkerSnapshot], bool]  # True when the worker fails the rule

# Rules that read more than rank does: the worker's task types and attributes (JSON a database keeps
# apart), availability, bookings (caps, travel) or credentials. Rank never depends on these, so a
# search can order workers by what rank reads and judge these lazily, best first
# (`CandidateSearch.order`).
DETAIL_RULES = frozenset(
    {
        "task_types",
        "hard_requirement",
        "daily_cap",
        "weekly_cap",
        "availability",
        NO_DOUBLE_BOOKING,
        "vetting",
    }
)


class CandidateSearch:
    """The rules of design 4.3 for one request at one instant."""

    def __init__(self, request: RequestSnapshot, vetting_failures: VettingFailures, now: datetime) -> None:
        self.request = request
        self._vetting_failures = vetting_failures
        self._start = request.start
        self._end = request.end
        self._minutes = (request.end - request.start) / timedelta(minutes=1)
        self._notice_minutes = (request.start - now) / timedelta(minutes=1)
        self._living_wage = minimum_rate_for_visit(request.start)
        self._max_rate = request.max_rate_pence if request.is_paid else 0
        self._requirements = tuple(request.hard_requirements.items())
        # Cheapest first: attribute reads and set lookups, then arithmetic, then trigonometry,
        # binary search and travel, and the vetting callback (credential look-ups) last.
        self._rules: tuple[tuple[str, _Check], ...] = (
            ("inactive", self._fails_inactive),
            ("suspended", self._fails_suspended),
            ("paused", self._fails_paused),
            ("blocked", self._fails_blocked),
            ("task_types", self._fails_task_types),
            ("visit_length", self._fails_visit_length),
            ("min_notice", self._fails_min_notice),
            ("rate_above_max", self._fails_rate_above_max),
            ("below_living_wage", self._fails_below_living_wage),
            ("daily_cap", self._fails_daily_cap),
            ("weekly_cap", self._fails_weekly_cap),
            ("hard_requirement", self._fails_any_hard_requirement),
            ("distance", self._fails_distance),
            ("availability", self._fails_availability),
            (NO_DOUBLE_BOOKING, self._fails_double_booking),
            ("vetting", self._fails_vetting),
        )
        self._checks = tuple(check for _, check in self._rules)
        self._profile_checks = tuple(check for name, check in self._rules if name not in DETAIL_RULES)

    def order(self, workers: Iterable[WorkerSnapshot]) -> list[WorkerSnapshot]:
        """The workers who pass every rule outside `DETAIL_RULES`, best first (ties keep the input
        order). What those rules read is not read here, so it need not be loaded yet: `rank` over any
        run of this list, in order, gives those workers' candidates in the same order."""
        passing = _passing(workers, self._profile_checks)
        passing.sort(key=self._sort_key)
        return passing

    def passes(self, worker: WorkerSnapshot) -> bool:
        return not any(check(worker) for check in self._checks)

    def rank(self, workers: Iterable[WorkerSnapshot], limit: int | None = None) -> list[Candidate]:
        """Every worker who passes, best first (the first `limit` of them, if given); ties keep the
        input order. The limit saves building reasons for candidates nobody will be shown."""
        scored = [(self._sort_key(worker), worker) for worker in _passing(workers, self._checks)]
        scored.sort(key=lambda pair: pair[0])
        return [
            Candidate(rank, worker, key[-2], self._reasons(worker, key[-2]))
            for rank, (key, worker) in enumerate(scored[:limit], start=1)
        ]

    def why_not(self, worker: WorkerSnapshot) -> list[RuleFailure]:
        """Every rule the worker fails, in the order the filter checks them; empty for a candidate."""
        failures: list[RuleFailure] = []
        for name, check in self._rules:
            if name == "hard_requirement":
                failures.extend(
                    RuleFailure(f"hard_requirement:{attribute}", f"needs {attribute} = {wanted!r}")
                    for attribute, wanted in self._requirements
                    if not _meets(worker.attributes.get(attribute), wanted)
                )
            elif name == "vetting":
                failures.extend(
                    RuleFailure(f"vetting:{code}", "not held, not verified or not valid at the slot")
                    for code in self._vetting_failures(worker)
                )
            elif check(worker):
                failures.append(RuleFailure(name, self._explain(name, worker)))
        return failures

    def _fails_inactive(self, worker: WorkerSnapshot) -> bool:
        return worker.status is WorkerStatus.INACTIVE

    def _fails_suspended(self, worker: WorkerSnapshot) -> bool:
        return worker.status is WorkerStatus.SUSPENDED

    def _fails_paused(self, worker: WorkerSnapshot) -> bool:
        return worker.is_paused

    def _fails_blocked(self, worker: WorkerSnapshot) -> bool:
        return worker.id in self.request.blocked_worker_ids

    def _fails_task_types(self, worker: WorkerSnapshot) -> bool:
        return not self.request.task_types <= worker.task_types

    def _fails_visit_length(self, worker: WorkerSnapshot) -> bool:
        return not worker.min_visit_minutes <= self._minutes <= worker.max_visit_minutes

    def _fails_min_notice(self, worker: WorkerSnapshot) -> bool:
        return self._notice_minutes < worker.min_notice_minutes

    def _fails_rate_above_max(self, worker: WorkerSnapshot) -> bool:
        if worker.kind is WorkerKind.VOLUNTEER or self._max_rate is None:
            return False
        return worker.hourly_rate_pence is not None and worker.hourly_rate_pence > self._max_rate

    def _fails_below_living_wage(self, worker: WorkerSnapshot) -> bool:
        if worker.kind is WorkerKind.VOLUNTEER:
            return False
        return worker.hourly_rate_pence is None or worker.hourly_rate_pence < self._living_wage

    def _fails_daily_cap(self, worker: WorkerSnapshot) -> bool:
        return worker.booked_minutes_day + self._minutes > worker.max_minutes_per_day

    def _fails_weekly_cap(self, worker: WorkerSnapshot) -> bool:
        return worker.booked_minutes_week + self._minutes > worker.max_minutes_per_week

    def _fails_any_hard_requirement(self, worker: WorkerSnapshot) -> bool:
        attributes = worker.attributes
        # A plain loop, not any(...): no generator allocated per worker on the hot path.
        for attribute, wanted in self._requirements:  # noqa: SIM110
            if not _meets(attributes.get(attribute), wanted):
                return True
        return False

    def _fails_distance(self, worker: WorkerSnapshot) -> bool:
        return haversine_km(worker.home, self.request.location) > worker.max_travel_km

    def _fails_availability(self, worker: WorkerSnapshot) -> bool:
        return not covers(worker.availability, self._start, self._end)

    def _fails_double_booking(self, worker: WorkerSnapshot) -> bool:
        return double_booked(worker.bookings, self._start, self._end, self.request.location)

    def _fails_vetting(self, worker: WorkerSnapshot) -> bool:
        return bool(self._vetting_failures(worker))

    def _sort_key(self, worker: WorkerSnapshot) -> tuple[bool, bool, bool, float, bool, float, float, int]:
        """Design 4.3's order, compared left to right: volunteers (only when asked), preferred,
        seen before, reliability, rating (unrated after rated), distance, rate."""
        request = self.request
        return (
            request.volunteers_first and worker.kind is not WorkerKind.VOLUNTEER,
            worker.id not in request.preferred_worker_ids,
            not worker.seen_before,
            -worker.reliability,
            worker.rating is None,
            -(worker.rating or 0.0),
            haversine_km(worker.home, request.location),
            _rate_of(worker),
        )

    def _reasons(self, worker: WorkerSnapshot, distance_km: float) -> tuple[RankReason, ...]:
        reasons: list[RankReason] = []
        if self.request.volunteers_first and worker.kind is WorkerKind.VOLUNTEER:
            reasons.append(RankReason("volunteer", "a volunteer, as the request asks"))
        if worker.id in self.request.preferred_worker_ids:
            reasons.append(RankReason("preferred", "preferred by the person"))
        if worker.seen_before:
            reasons.append(RankReason("seen_before", "has visited this person before"))
        reasons.append(RankReason("reliability", f"reliability {worker.reliability:.0%}"))
        if worker.rating is not None:
            reasons.append(RankReason("rating", f"rated {worker.rating:.1f}"))
        reasons.append(RankReason("distance_km", f"{distance_km:.1f} km from home"))
        if worker.kind is WorkerKind.PAID and worker.hourly_rate_pence is not None:
            reasons.append(RankReason("rate", f"£{worker.hourly_rate_pence / 100:.2f} an hour"))
        return tuple(reasons)

    def _explain(self, rule: str, worker: WorkerSnapshot) -> str:
        request = self.request
        if rule == NO_DOUBLE_BOOKING:
            found = clashes(worker.bookings, self._start, self._end, request.location)
            return f"clashes with {len(found)} booking(s) once travel time is added"
        match rule:
            case "inactive":
                return "the worker's profile is not active"
            case "suspended":
                return "suspended by a coordinator"
            case "paused":
                return "new bookings paused after reliability strikes, until a coordinator reviews"
            case "blocked":
                return "blocked by the person"
            case "task_types":
                missing = ", ".join(sorted(request.task_types - worker.task_types))
                return f"does not offer {missing}"
            case "visit_length":
                return (
                    f"visit of {self._minutes:.0f} min is outside their "
                    f"{worker.min_visit_minutes}-{worker.max_visit_minutes} min"
                )
            case "min_notice":
                starts_in = f"{self._notice_minutes:.0f}"
                return f"needs {worker.min_notice_minutes} min notice; the visit starts in {starts_in} min"
            case "rate_above_max":
                return (
                    f"charges {worker.hourly_rate_pence}p an hour; the request pays at most {self._max_rate}p"
                )
            case "below_living_wage":
                wage = self._living_wage
                return f"rate {worker.hourly_rate_pence}p is below the National Living Wage of {wage}p"
            case "daily_cap":
                total = worker.booked_minutes_day + self._minutes
                return f"would work {total:.0f} of at most {worker.max_minutes_per_day} min that day"
            case "weekly_cap":
                total = worker.booked_minutes_week + self._minutes
                return f"would work {total:.0f} of at most {worker.max_minutes_per_week} min that week"
            case "distance":
                km = haversine_km(worker.home, request.location)
                return f"{km:.1f} km from home; travels at most {worker.max_travel_km:g} km"
            case "availability":
                return "no availability window covers the whole visit"
        return rule


def find_candidates(
    request: RequestSnapshot,
    workers: Iterable[WorkerSnapshot],
    vetting_failures: VettingFailures,
    now: datetime,
    limit: int | None = None,
) -> list[Candidate]:
    return CandidateSearch(request, vetting_failures, now).rank(workers, limit)


def _passing(workers: Iterable[WorkerSnapshot], checks: Sequence[_Check]) -> list[WorkerSnapshot]:
    """The workers no check fails, in order; each stops at its first failure, cheapest checks first."""
    passing: list[WorkerSnapshot] = []
    for worker in workers:
        for check in checks:
            if check(worker):
                break
        else:
            passing.append(worker)
    return passing


def _rate_of(worker: WorkerSnapshot) -> int:
    if worker.kind is WorkerKind.VOLUNTEER or worker.hourly_rate_pence is None:
        return 0
    return worker.hourly_rate_pence


def _meets(have: object, wanted: object) -> bool:
    """A hard requirement holds when the worker's attribute equals the wanted value or, for a
    collection such as spoken languages, contains it (every item, when a collection is wanted)."""
    if have is None:
        return False
    if isinstance(have, set | frozenset | list | tuple):
        if isinstance(wanted, set | frozenset | list | tuple):
            return all(item in have for item in wanted)
        return wanted in have
    return have == wanted
