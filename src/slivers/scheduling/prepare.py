"""The instance as index arrays, shared by the greedy, the CP-SAT model and the explanations.

Pairs that can never be used (outside the worker's availability, clashing with a fixed booking,
longer than the worker's remaining cap) are dropped here, so every later stage sees only usable pairs.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from slivers.scheduling.model import Instance
from slivers.scheduling.travel import FloatArray, IntArray, LatLon

BoolArray = npt.NDArray[np.bool_]
# Up to this many distinct places the whole travel matrix is computed once (1,500 places: 18 MB).
MATRIX_PLACES = 1500


class TravelCache:
    """Travel minutes between distinct places (by index), memoised for the one-at-a-time callers."""

    def __init__(self, instance: Instance, places: FloatArray) -> None:
        self._travel = instance.travel
        self.places = places
        self._memo: dict[tuple[int, int], int] = {}
        self.lower = instance.travel.lower_bound(places) if len(places) else 0
        self.upper = instance.travel.upper_bound(places) if len(places) else 0
        # With few places (a county has ~500 postcode sectors) every pair is looked up once, up front:
        # the greedy and the conflict sweeps then index an array instead of calling the travel model.
        self.matrix: IntArray | None = None
        if 0 < len(places) <= MATRIX_PLACES:
            n = len(places)
            origins = np.repeat(np.arange(n), n)
            destinations = np.tile(np.arange(n), n)
            self.matrix = self._travel.between(places[origins], places[destinations]).reshape(n, n)

    def many(self, origins: IntArray, destinations: IntArray) -> IntArray:
        if len(origins) == 0:
            return np.zeros(0, dtype=np.int64)
        if self.matrix is not None:
            found: IntArray = self.matrix[origins, destinations]
            return found
        return self._travel.between(self.places[origins], self.places[destinations])

    def get(self, origin: int, destination: int) -> int:
        if self.matrix is not None:
            return int(self.matrix[origin, destination])
        key = (origin, destination)
        found = self._memo.get(key)
        if found is None:
            found = int(self.many(np.array([origin]), np.array([destination]))[0])
            self._memo[key] = found
        return found


@dataclass(slots=True)
class Prepared:
    instance: Instance
    travel: TravelCache
    # requests
    r_start: IntArray
    r_last_start: IntArray
    r_duration: IntArray
    r_needed: IntArray
    r_priority: IntArray
    r_place: IntArray
    r_flexible: BoolArray
    r_day: IntArray
    r_week: IntArray
    r_person: IntArray
    # workers
    w_place: IntArray
    w_volunteer: BoolArray
    # usable pairs
    p_request: IntArray
    p_worker: IntArray
    p_score: IntArray
    p_continuity: BoolArray
    p_volunteer_match: BoolArray
    p_home_travel: IntArray
    # fixed bookings: per worker, (start, end, place, booking index)
    bookings_of: dict[int, list[tuple[int, int, int, int]]]
    # minutes still free under each cap, per (worker, day) and (worker, week); absent means no cap
    daily_left: dict[tuple[int, int], int]
    weekly_left: dict[tuple[int, int], int]
    # (worker, request) with a start window -> padding on each side (see flexible_padding)
    flexible_padding: dict[tuple[int, int], int] = field(default_factory=dict)

    max_padding: int = 0

    def padding(self, worker: int, request: int) -> int:
        return self.flexible_padding.get((worker, request), 0)

    @property
    def n_requests(self) -> int:
        return len(self.r_start)

    @property
    def n_pairs(self) -> int:
        return len(self.p_request)

    def pairs_of_request(self) -> list[list[int]]:
        result: list[list[int]] = [[] for _ in range(self.n_requests)]
        for p, r in enumerate(self.p_request.tolist()):
            result[r].append(p)
        return result


def prepare(instance: Instance) -> Prepared:
    place_index: dict[LatLon, int] = {}

    def place(location: LatLon) -> int:
        return place_index.setdefault((float(location[0]), float(location[1])), len(place_index))

    requests, workers = instance.requests, instance.workers
    r_place = np.array([place(r.location) for r in requests], dtype=np.int64)
    w_place = np.array([place(w.location) for w in workers], dtype=np.int64)
    b_place = [place(b.location) for b in instance.bookings]
    places = np.array(list(place_index), dtype=np.float64).reshape(-1, 2)
    travel = TravelCache(instance, places)

    r_index = {r.id: i for i, r in enumerate(requests)}
    w_index = {w.id: i for i, w in enumerate(workers)}
    persons: dict[str, int] = {}
    r_start = np.array([r.start for r in requests], dtype=np.int64)
    r_duration = np.array([r.duration for r in requests], dtype=np.int64)

    bookings_of: dict[int, list[tuple[int, int, int, int]]] = defaultdict(list)
    for b_i, b in enumerate(instance.bookings):
        bookings_of[w_index[b.worker_id]].append((b.start, b.end, b_place[b_i], b_i))

    daily_left, weekly_left = _caps_left(instance, w_index)

    p_request, p_worker, p_score, p_continuity, p_volunteer = [], [], [], [], []
    for c in instance.candidates:
        r, w = r_index[c.request_id], w_index[c.worker_id]
        request, worker = requests[r], workers[w]
        if not _has_time_for(worker.availability, request.start, request.last_end, request.duration):
            continue
        day, week = instance.day_of(request.start), instance.week_of(request.start)
        if request.duration > min(daily_left.get((w, day), 1 << 40), weekly_left.get((w, week), 1 << 40)):
            continue
        p_request.append(r)
        p_worker.append(w)
        p_score.append(c.score)
        p_continuity.append(c.continuity or worker.id in request.preferred_workers)
        p_volunteer.append(request.volunteers_first and worker.is_volunteer)

    prepared = Prepared(
        instance=instance,
        travel=travel,
        r_start=r_start,
        r_last_start=np.array([r.last_start for r in requests], dtype=np.int64),
        r_duration=r_duration,
        r_needed=np.array([r.workers_needed for r in requests], dtype=np.int64),
        r_priority=np.array([r.priority for r in requests], dtype=np.int64),
        r_place=r_place,
        r_flexible=np.array([r.is_flexible for r in requests], dtype=np.bool_),
        r_day=np.array([instance.day_of(r.start) for r in requests], dtype=np.int64),
        r_week=np.array([instance.week_of(r.start) for r in requests], dtype=np.int64),
        r_person=np.array([persons.setdefault(r.person_id, len(persons)) for r in requests], dtype=np.int64),
        w_place=w_place,
        w_volunteer=np.array([w.is_volunteer for w in workers], dtype=np.bool_),
        p_request=np.array(p_request, dtype=np.int64),
        p_worker=np.array(p_worker, dtype=np.int64),
        p_score=np.array(p_score, dtype=np.int64),
        p_continuity=np.array(p_continuity, dtype=np.bool_),
        p_volunteer_match=np.array(p_volunteer, dtype=np.bool_),
        p_home_travel=np.zeros(len(p_request), dtype=np.int64),
        bookings_of=dict(bookings_of),
        daily_left=daily_left,
        weekly_left=weekly_left,
    )
    prepared.p_home_travel = travel.many(w_place[prepared.p_worker], r_place[prepared.p_request])
    _drop_booking_clashes(prepared)
    prepared.flexible_padding = {
        (int(prepared.p_worker[q]), int(prepared.p_request[q])): pad
        for q, pad in flexible_padding(prepared).items()
    }
    return prepared


def _has_time_for(
    windows: tuple[tuple[int, int], ...] | None, earliest: int, latest_end: int, length: int
) -> bool:
    if windows is None:
        return True
    return any(min(b, latest_end) - max(a, earliest) >= length for a, b in windows)


def _caps_left(
    instance: Instance, w_index: dict[str, int]
) -> tuple[dict[tuple[int, int], int], dict[tuple[int, int], int]]:
    booked_day: dict[tuple[int, int], int] = defaultdict(int)
    booked_week: dict[tuple[int, int], int] = defaultdict(int)
    for b in instance.bookings:
        w = w_index[b.worker_id]
        booked_day[w, instance.day_of(b.start)] += b.end - b.start
        booked_week[w, instance.week_of(b.start)] += b.end - b.start
    days = {instance.day_of(r.start) for r in instance.requests}
    weeks = {instance.week_of(r.start) for r in instance.requests}
    daily: dict[tuple[int, int], int] = {}
    weekly: dict[tuple[int, int], int] = {}
    for w, worker in enumerate(instance.workers):
        if worker.daily_cap_minutes is not None:
            for d in days:
                daily[w, d] = max(0, worker.daily_cap_minutes - booked_day[w, d])
        if worker.weekly_cap_minutes is not None:
            for k in weeks:
                weekly[w, k] = max(0, worker.weekly_cap_minutes - booked_week[w, k])
    return daily, weekly


def _drop_booking_clashes(prepared: Prepared) -> None:
    """A fixed request clashing with a booking of the same worker (travel included) can never be used."""
    if not prepared.bookings_of or prepared.n_pairs == 0:
        return
    keep = np.ones(prepared.n_pairs, dtype=np.bool_)
    fixed = ~prepared.r_flexible[prepared.p_request]
    for w, bookings in prepared.bookings_of.items():
        pairs = np.flatnonzero((prepared.p_worker == w) & fixed)
        if len(pairs) == 0:
            continue
        r = prepared.p_request[pairs]
        start, end, place = (
            prepared.r_start[r],
            prepared.r_start[r] + prepared.r_duration[r],
            prepared.r_place[r],
        )
        for b_start, b_end, b_place, _ in bookings:
            to_visit = prepared.travel.many(np.full(len(r), b_place), place)
            from_visit = prepared.travel.many(place, np.full(len(r), b_place))
            clash = (start < b_end + to_visit) & (b_start < end + from_visit)
            keep[pairs[clash]] = False
    _keep_pairs(prepared, keep)


def _keep_pairs(prepared: Prepared, keep: BoolArray) -> None:
    for name in ("p_request", "p_worker", "p_score", "p_continuity", "p_volunteer_match", "p_home_travel"):
        setattr(prepared, name, getattr(prepared, name)[keep])


def flexible_padding(prepared: Prepared) -> dict[int, int]:
    """For each pair with a start window, the longest travel between its place and any other place the
    same worker might visit: padding its interval by this much on both sides keeps it clear of every
    neighbour with travel, however the starts fall (safe, if a little cautious)."""
    flexible = np.flatnonzero(prepared.r_flexible[prepared.p_request])
    if len(flexible) == 0:
        return {}
    places_of: dict[int, set[int]] = defaultdict(set)
    for w, r in zip(prepared.p_worker.tolist(), prepared.p_request.tolist(), strict=True):
        places_of[w].add(int(prepared.r_place[r]))
    for w, items in prepared.bookings_of.items():
        places_of[w].update(item[2] for item in items)
    padding: dict[int, int] = {}
    for f in flexible.tolist():
        own = int(prepared.r_place[prepared.p_request[f]])
        others = np.fromiter(places_of[int(prepared.p_worker[f])], dtype=np.int64)
        there = prepared.travel.many(np.full(len(others), own), others)
        back = prepared.travel.many(others, np.full(len(others), own))
        padding[f] = int(max(there.max(initial=0), back.max(initial=0)))
    return padding
