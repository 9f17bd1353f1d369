"""Small random instances for property tests, and a brute-force optimum to compare the solver with."""

from __future__ import annotations

import itertools

from hypothesis import strategies as st

from slivers.scheduling import Candidate, FixedBooking, Instance, Request, Worker
from slivers.scheduling.travel import minutes

# A few places a few kilometres apart (Stevenage, Hitchin, Letchworth), so travel matters.
PLACES = ((51.9017, -0.2019), (51.9490, -0.2830), (51.9790, -0.2290))


@st.composite
def small_instances(draw: st.DrawFn, max_requests: int = 8, flexible: bool = True) -> Instance:
    n_workers = draw(st.integers(1, 4))
    workers = []
    for w in range(n_workers):
        windows = draw(st.one_of(st.none(), st.just(((0, 700),)), st.just(((0, 300), (400, 1440 * 2)))))
        workers.append(
            Worker(
                id=f"w{w}",
                location=draw(st.sampled_from(PLACES)),
                availability=windows,
                daily_cap_minutes=draw(st.one_of(st.none(), st.integers(60, 400))),
                weekly_cap_minutes=draw(st.one_of(st.none(), st.integers(100, 600))),
                is_volunteer=draw(st.booleans()),
                wants_hours=draw(st.sampled_from([0, 0, 2, 5])),
            )
        )
    requests = []
    for r in range(draw(st.integers(0, max_requests))):
        start = draw(st.integers(0, 60)) * 15
        duration = draw(st.sampled_from([30, 60, 90, 120, 180]))
        window = draw(st.sampled_from([0, 0, 0, 30, 60])) if flexible else 0
        requests.append(
            Request(
                id=f"r{r}",
                start=start,
                end=start + duration,
                person_id=f"p{draw(st.integers(0, 3))}",
                location=draw(st.sampled_from(PLACES)),
                workers_needed=draw(st.sampled_from([1, 1, 1, 2])),
                priority=draw(st.integers(1, 3)),
                volunteers_first=draw(st.booleans()),
                preferred_workers=frozenset(
                    draw(st.sets(st.sampled_from([w.id for w in workers]), max_size=1))
                ),
                latest_start=start + window if window else None,
            )
        )
    candidates = [
        Candidate(r.id, w.id, score=draw(st.integers(0, 5)), continuity=draw(st.booleans()))
        for r in requests
        for w in workers
        if draw(st.integers(0, 9)) < 7
    ]
    bookings = [
        FixedBooking(f"b{i}", w.id, s, s + 60, w.location)
        for i, (w, s) in enumerate(
            draw(
                st.lists(
                    st.tuples(st.sampled_from(workers), st.integers(0, 40).map(lambda q: q * 15)), max_size=2
                )
            )
        )
    ]
    return Instance(tuple(requests), tuple(workers), tuple(candidates), tuple(_disjoint(bookings)))


def _disjoint(bookings: list[FixedBooking]) -> list[FixedBooking]:
    kept: list[FixedBooking] = []
    for b in bookings:
        if all(k.worker_id != b.worker_id or k.end <= b.start or b.end <= k.start for k in kept):
            kept.append(b)
    return kept


def brute_force(instance: Instance, objective: str) -> tuple[int, int]:
    """Lexicographic optimum of (filled priority, -workers used) or (filled priority, -faces), by trying
    every choice of workers per request (fixed-time requests only), with its own feasibility check."""
    workers = {w.id: w for w in instance.workers}
    options: list[list[tuple[str, ...]]] = []
    for request in instance.requests:
        eligible = [c.worker_id for c in instance.candidates if c.request_id == request.id]
        choices = [(), *itertools.combinations(eligible, request.workers_needed)]
        options.append(
            [c for c in choices if all(workers[w].is_available(request.start, request.end) for w in c)]
        )
    best: tuple[int, int] | None = None
    placed: dict[str, list[tuple[int, int, tuple[float, float]]]] = {
        w.id: [(b.start, b.end, b.location) for b in instance.bookings if b.worker_id == w.id]
        for w in instance.workers
    }

    def fits(worker_id: str, start: int, end: int, where: tuple[float, float]) -> bool:
        for s, e, place in placed[worker_id]:
            if not (
                e + minutes(instance.travel, place, where) <= start
                or end + minutes(instance.travel, where, place) <= s
            ):
                return False
        worker = workers[worker_id]
        for cap, period in (
            (worker.daily_cap_minutes, instance.day_of),
            (worker.weekly_cap_minutes, instance.week_of),
        ):
            if cap is not None:
                used = sum(e - s for s, e, _ in placed[worker_id] if period(s) == period(start))
                if used + end - start > cap:
                    return False
        return True

    chosen: list[tuple[str, ...]] = []

    def search(i: int) -> None:
        nonlocal best
        if i == len(instance.requests):
            score = _score(instance, chosen, objective)
            if best is None or score > best:
                best = score
            return
        request = instance.requests[i]
        for option in options[i]:
            if all(fits(w, request.start, request.end, request.location) for w in option):
                for w in option:
                    placed[w].append((request.start, request.end, request.location))
                chosen.append(option)
                search(i + 1)
                chosen.pop()
                for w in option:
                    placed[w].pop()

    search(0)
    assert best is not None
    return best


def _score(instance: Instance, chosen: list[tuple[str, ...]], objective: str) -> tuple[int, int]:
    filled = sum(r.priority for r, option in zip(instance.requests, chosen, strict=True) if option)
    if objective == "min_workers":
        return filled, -len({w for option in chosen for w in option})
    faces = {(r.person_id, w) for r, option in zip(instance.requests, chosen, strict=True) for w in option}
    return filled, -len(faces)
