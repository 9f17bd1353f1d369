"""An independent check of a solution against its instance (shares no code with the solver).

Returns every broken rule; an empty list means the solution is feasible.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from slivers.scheduling.model import Instance, Request, Worker
from slivers.scheduling.solution import Solution
from slivers.scheduling.travel import LatLon, minutes


@dataclass(frozen=True, slots=True)
class Violation:
    rule: str  # eligibility, workers_needed, start_window, availability, overlap, daily_cap, weekly_cap
    message: str

    def __str__(self) -> str:
        return f"{self.rule}: {self.message}"


@dataclass(frozen=True, slots=True)
class _Visit:
    start: int
    end: int
    location: LatLon
    label: str
    is_booking: bool


def validate(instance: Instance, solution: Solution) -> list[Violation]:
    requests = {r.id: r for r in instance.requests}
    workers = {w.id: w for w in instance.workers}
    eligible = {(c.request_id, c.worker_id) for c in instance.candidates}
    found: list[Violation] = []
    visits: dict[str, list[_Visit]] = defaultdict(list)

    for request_id, assigned in solution.assignments.items():
        request = requests.get(request_id)
        if request is None:
            found.append(Violation("eligibility", f"unknown request {request_id}"))
            continue
        start = solution.starts.get(request_id, request.start)
        found += _check_request(request, assigned, start)
        for worker_id in assigned:
            worker = workers.get(worker_id)
            if (request_id, worker_id) not in eligible or worker is None:
                found.append(Violation("eligibility", f"{worker_id} is not a candidate for {request_id}"))
                continue
            if not worker.is_available(start, start + request.duration):
                found.append(Violation("availability", f"{worker_id} is not available for {request_id}"))
            visits[worker_id].append(
                _Visit(start, start + request.duration, request.location, request_id, False)
            )
        if request_id in solution.unfilled:
            found.append(Violation("workers_needed", f"{request_id} is both filled and reported unfilled"))
    for booking in instance.bookings:
        visits[booking.worker_id].append(
            _Visit(booking.start, booking.end, booking.location, booking.id, True)
        )

    travel_memo: dict[tuple[LatLon, LatLon], int] = {}

    def travel(a: LatLon, b: LatLon) -> int:
        if (a, b) not in travel_memo:
            travel_memo[a, b] = minutes(instance.travel, a, b)
        return travel_memo[a, b]

    for worker_id, items in visits.items():
        found += _check_timeline(travel, worker_id, sorted(items, key=lambda v: (v.start, v.end)))
        if worker_id in workers:
            found += _check_caps(instance, workers[worker_id], items)
    for request in instance.requests:
        if request.id not in solution.assignments and request.id not in solution.unfilled:
            found.append(Violation("workers_needed", f"{request.id} is neither filled nor explained"))
    return found


def _check_request(request: Request, assigned: tuple[str, ...], start: int) -> list[Violation]:
    found: list[Violation] = []
    if len(assigned) != request.workers_needed or len(set(assigned)) != len(assigned):
        found.append(
            Violation(
                "workers_needed", f"{request.id} needs {request.workers_needed} workers, got {assigned}"
            )
        )
    if not request.start <= start <= request.last_start:
        found.append(Violation("start_window", f"{request.id} starts at {start}, outside its window"))
    return found


def _check_timeline(
    travel_minutes: Callable[[LatLon, LatLon], int], worker_id: str, items: list[_Visit]
) -> list[Violation]:
    """Travel counts between consecutive visits; any earlier visit still running is an overlap."""
    found: list[Violation] = []
    furthest = items[0]
    for j in range(1, len(items)):
        current, previous = items[j], items[j - 1]
        needed = {id(previous): (previous, travel_minutes(previous.location, current.location))}
        needed.setdefault(id(furthest), (furthest, 0))
        for earlier, travel in needed.values():
            if earlier.is_booking and current.is_booking:
                continue  # clashing bookings are the input's business, not this solution's
            if earlier.end + travel > current.start:
                found.append(
                    Violation(
                        "overlap",
                        f"{worker_id}: {earlier.label} [{earlier.start}, {earlier.end}) and "
                        f"{current.label} [{current.start}, {current.end}) with {travel} min travel",
                    )
                )
        if current.end > furthest.end:
            furthest = current
    return found


def _check_caps(instance: Instance, worker: Worker, items: list[_Visit]) -> list[Violation]:
    worker_id = worker.id
    found: list[Violation] = []
    for rule, cap, period in (
        ("daily_cap", worker.daily_cap_minutes, instance.day_of),
        ("weekly_cap", worker.weekly_cap_minutes, instance.week_of),
    ):
        if cap is None:
            continue
        total: dict[int, int] = defaultdict(int)
        has_request: set[int] = set()
        for visit in items:
            total[period(visit.start)] += visit.end - visit.start
            if not visit.is_booking:
                has_request.add(period(visit.start))
        for key in sorted(has_request):
            if total[key] > cap:
                found.append(Violation(rule, f"{worker_id}: {total[key]} min in period {key}, cap {cap}"))
    return found
