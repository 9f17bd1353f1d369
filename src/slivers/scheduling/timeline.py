"""Each worker's day as a sorted list of visits, for one-at-a-time placement (greedy, repair, reasons)."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from slivers.scheduling.prepare import Prepared


@dataclass(slots=True)
class _Visit:
    start: int
    end: int
    place: int
    label: str  # the request or booking id, to name it in explanations
    pad: int = 0  # a start-window visit keeps this gap to every neighbour (the CP-SAT model's padding)


@dataclass(slots=True)
class Timelines:
    prepared: Prepared
    _visits: dict[int, list[_Visit]] = field(default_factory=dict)
    _starts: dict[int, list[int]] = field(default_factory=dict)
    _daily_used: dict[tuple[int, int], int] = field(default_factory=dict)
    _weekly_used: dict[tuple[int, int], int] = field(default_factory=dict)

    @classmethod
    def with_bookings(cls, prepared: Prepared) -> Timelines:
        timelines = cls(prepared)
        bookings = prepared.instance.bookings
        for w, items in prepared.bookings_of.items():
            for start, end, place, b in sorted(items):
                timelines._insert(w, _Visit(start, end, place, bookings[b].id))
        return timelines

    def _insert(self, worker: int, visit: _Visit) -> None:
        starts = self._starts.setdefault(worker, [])
        at = bisect.bisect_left(starts, visit.start)
        starts.insert(at, visit.start)
        self._visits.setdefault(worker, []).insert(at, visit)

    def clashes(self, worker: int, start: int, end: int, place: int, pad: int = 0) -> list[str]:
        """The visits of this worker that leave no room (travel included) for [start, end) at place."""
        visits = self._visits.get(worker, [])
        if not visits:
            return []
        travel = self.prepared.travel
        starts = self._starts[worker]
        found: list[str] = []
        # Visits are disjoint and sorted, so their ends are sorted too: walk back to the first that
        # could still clash, then forward until they start out of reach.
        at = bisect.bisect_left(starts, start)
        while at > 0 and visits[at - 1].end + max(travel.upper, 2 * self.prepared.max_padding) > start:
            at -= 1
        for visit in visits[at:]:
            reach = max(travel.upper, 2 * self.prepared.max_padding)
            if visit.start >= end + reach:
                break
            if visit.end + reach <= start:
                continue
            padded = pad + visit.pad
            before_ok = visit.end + (padded or travel.get(visit.place, place)) <= start
            after_ok = end + (padded or travel.get(place, visit.place)) <= visit.start
            if not (before_ok or after_ok):
                found.append(visit.label)
        return found

    def within_caps(self, worker: int, request: int) -> bool:
        p = self.prepared
        day, week, minutes = int(p.r_day[request]), int(p.r_week[request]), int(p.r_duration[request])
        day_left = p.daily_left.get((worker, day))
        if day_left is not None and self._daily_used.get((worker, day), 0) + minutes > day_left:
            return False
        week_left = p.weekly_left.get((worker, week))
        return week_left is None or self._weekly_used.get((worker, week), 0) + minutes <= week_left

    def first_free_start(self, worker: int, request: int) -> int | None:
        """The earliest start in the request's window where this worker is free and available."""
        for start in self.candidate_starts([worker], request):
            if self.is_free(worker, request, start):
                return start
        return None

    def candidate_starts(self, workers: list[int], request: int) -> list[int]:
        p = self.prepared
        earliest, latest = int(p.r_start[request]), int(p.r_last_start[request])
        if earliest == latest:
            return [earliest]
        place = int(p.r_place[request])
        starts = {earliest, latest}
        for w in workers:
            for visit in self._visits.get(w, []):
                starts.add(visit.end + p.travel.get(visit.place, place))
            for a, _ in p.instance.workers[w].availability or ():
                starts.add(a)
        return sorted(s for s in starts if earliest <= s <= latest)

    def is_free(self, worker: int, request: int, start: int) -> bool:
        p = self.prepared
        end = start + int(p.r_duration[request])
        if not p.instance.workers[worker].is_available(start, end):
            return False
        return not self.clashes(worker, start, end, int(p.r_place[request]), p.padding(worker, request))

    def place(self, worker: int, request: int, start: int) -> None:
        p = self.prepared
        end = start + int(p.r_duration[request])
        label = p.instance.requests[request].id
        self._insert(worker, _Visit(start, end, int(p.r_place[request]), label, p.padding(worker, request)))
        day, week, minutes = int(p.r_day[request]), int(p.r_week[request]), int(p.r_duration[request])
        self._daily_used[worker, day] = self._daily_used.get((worker, day), 0) + minutes
        self._weekly_used[worker, week] = self._weekly_used.get((worker, week), 0) + minutes
