"""Seeded synthetic "county week" instances over real Hertfordshire and Bedfordshire postcode sectors.

Sizes follow design 6: S 150x40, M 600x150, L 2000x400, XL 10000x2000 (requests x workers). Workers
live in a sector, travel up to their own distance, offer some task types and keep weekly shift
patterns; persons get one to eight visits in the week at the usual care times (1-4 h).
Eligibility is computed here the way the market would (task types, distance, availability,
credential-like filters), so the engine receives a realistic candidate list.
"""

from __future__ import annotations

import re

import numpy as np

from slivers.geo import sectors
from slivers.scheduling.model import MINUTES_PER_DAY, Candidate, FixedBooking, Instance, Request, Worker
from slivers.scheduling.travel import GEO_TRAVEL

SIZES = {"S": (150, 40), "M": (600, 150), "L": (2000, 400), "XL": (10_000, 2_000)}
AREAS = ("SG", "AL", "LU", "HP", "WD", "EN", "CM", "MK")
TASKS = ("personal_care", "companionship", "meals", "moving_handling")
TASK_SHARE = (0.45, 0.25, 0.22, 0.08)  # moving and handling visits are double-handed
# (earliest start hour, latest start hour) and weight of the usual visit times
VISIT_TIMES = (((7, 10), 0.35), ((11, 13), 0.25), ((16, 18), 0.25), ((19, 21), 0.15))
DURATIONS = ((60, 0.35), (90, 0.2), (120, 0.25), (180, 0.12), (240, 0.08))
SHIFTS = ((7 * 60, 14 * 60), (14 * 60, 22 * 60), (7 * 60, 22 * 60))


def county_sectors() -> list[tuple[str, tuple[float, float]]]:
    pattern = re.compile(rf"^({'|'.join(AREAS)})[0-9]")
    return sorted((name, place) for name, place in sectors().items() if pattern.match(name))


def _service_area(n_workers: int) -> np.ndarray:
    """The sectors nearest Stevenage, about one per four workers: a small instance is a town,
    XL the whole of both counties, so candidate density stays alike across sizes."""
    all_places = np.array([place for _, place in county_sectors()], dtype=np.float64)
    centre = dict(county_sectors()).get("SG1 1", tuple(all_places.mean(axis=0)))
    count = min(len(all_places), max(20, n_workers // 4))
    distance = np.hypot(all_places[:, 0] - centre[0], (all_places[:, 1] - centre[1]) * 0.62)
    return all_places[np.argsort(distance, kind="stable")[:count]]


def county_week(size: str | tuple[int, int], seed: int = 0, bookings_per_worker: float = 0.5) -> Instance:
    n_requests, n_workers = SIZES[size] if isinstance(size, str) else size
    rng = np.random.default_rng(seed)
    places = _service_area(n_workers)
    workers, offers, max_km = _workers(rng, places, n_workers)
    requests, tasks = _requests(rng, places, n_requests)
    bookings = _bookings(rng, workers, int(bookings_per_worker * n_workers))
    candidates = _candidates(rng, requests, tasks, workers, offers, max_km)
    return Instance(tuple(requests), tuple(workers), tuple(candidates), tuple(bookings), GEO_TRAVEL)


def _workers(
    rng: np.random.Generator, places: np.ndarray, count: int
) -> tuple[list[Worker], np.ndarray, np.ndarray]:
    workers: list[Worker] = []
    offers = np.zeros((count, len(TASKS)), dtype=np.bool_)
    max_km = rng.uniform(6.0, 15.0, size=count)
    for w in range(count):
        home = places[rng.integers(len(places))]
        days = sorted(rng.choice(7, size=int(rng.integers(3, 7)), replace=False).tolist())
        shift = SHIFTS[int(rng.integers(len(SHIFTS)))]
        windows = tuple((d * MINUTES_PER_DAY + shift[0], d * MINUTES_PER_DAY + shift[1]) for d in days)
        volunteer = bool(rng.random() < 0.15)
        offers[w] = rng.random(len(TASKS)) < (0.9, 0.8, 0.7, 0.5)
        offers[w, 1] |= volunteer  # every volunteer offers companionship
        workers.append(
            Worker(
                id=f"w{w}",
                location=(float(home[0]), float(home[1])),
                availability=windows,
                daily_cap_minutes=int(rng.choice([360, 480, 600])),
                weekly_cap_minutes=int(rng.choice([900, 1500, 2100, 2400])),
                is_volunteer=volunteer,
                wants_hours=int(rng.choice([0, 0, 10, 20, 30])),
            )
        )
    return workers, offers, max_km


def _requests(rng: np.random.Generator, places: np.ndarray, count: int) -> tuple[list[Request], list[int]]:
    requests: list[Request] = []
    tasks: list[int] = []
    time_weights = np.array([w for _, w in VISIT_TIMES])
    duration_weights = np.array([w for _, w in DURATIONS])
    person = 0
    while len(requests) < count:
        home = places[rng.integers(len(places))]
        location = (float(home[0]), float(home[1]))
        visits = min(int(rng.integers(1, 9)), count - len(requests))
        volunteers_first = bool(rng.random() < 0.1)
        for _ in range(visits):
            task = int(rng.choice(len(TASKS), p=TASK_SHARE))
            (low, high), _ = VISIT_TIMES[int(rng.choice(len(VISIT_TIMES), p=time_weights))]
            day = int(rng.integers(7))
            start = day * MINUTES_PER_DAY + int(rng.integers(low * 4, high * 4 + 1)) * 15
            duration = DURATIONS[int(rng.choice(len(DURATIONS), p=duration_weights))][0]
            flexible = rng.random() < 0.1
            requests.append(
                Request(
                    id=f"r{len(requests)}",
                    start=start,
                    end=start + duration,
                    person_id=f"p{person}",
                    location=location,
                    workers_needed=2 if TASKS[task] == "moving_handling" else 1,
                    priority=int(rng.choice([1, 1, 1, 2, 3, 5])),
                    volunteers_first=volunteers_first and TASKS[task] == "companionship",
                    latest_start=start + int(rng.choice([30, 60, 90])) if flexible else None,
                )
            )
            tasks.append(task)
        person += 1
    return requests, tasks


def _bookings(rng: np.random.Generator, workers: list[Worker], count: int) -> list[FixedBooking]:
    """Confirmed visits already in the diary: one per chosen worker, at the start of one of their shifts."""
    bookings: list[FixedBooking] = []
    chosen = rng.choice(len(workers), size=min(count, len(workers)), replace=False)
    for i, w in enumerate(chosen.tolist()):
        worker = workers[w]
        windows = worker.availability or ((0, MINUTES_PER_DAY),)
        start, _ = windows[int(rng.integers(len(windows)))]
        bookings.append(FixedBooking(f"b{i}", worker.id, start, start + 60, worker.location))
    return bookings


def _candidates(
    rng: np.random.Generator,
    requests: list[Request],
    tasks: list[int],
    workers: list[Worker],
    offers: np.ndarray,
    max_km: np.ndarray,
) -> list[Candidate]:
    homes = np.radians(np.array([w.location for w in workers]))
    reliability = rng.integers(40, 100, size=len(workers))
    # shift windows as arrays: worker x day -> (open, close), (0, 0) on days off
    opens = np.zeros((len(workers), 7), dtype=np.int64)
    closes = np.zeros((len(workers), 7), dtype=np.int64)
    for w, worker in enumerate(workers):
        for a, b in worker.availability or ():
            opens[w, a // MINUTES_PER_DAY], closes[w, a // MINUTES_PER_DAY] = a, b
    regulars: dict[str, list[int]] = {}
    candidates: list[Candidate] = []
    for r, request in enumerate(requests):
        lat, lon = np.radians(request.location)
        h = (
            np.sin((homes[:, 0] - lat) / 2) ** 2
            + np.cos(lat) * np.cos(homes[:, 0]) * np.sin((homes[:, 1] - lon) / 2) ** 2
        )
        km = 2 * 6371.0088 * np.arcsin(np.sqrt(h)) * 1.3
        day = request.start // MINUTES_PER_DAY
        fits = (opens[:, day] <= request.start) & (request.last_end <= closes[:, day])
        # hard requirements of the person (gender, language, pets...) rule out some workers at random
        ok = offers[:, tasks[r]] & (km <= max_km) & fits & (rng.random(len(workers)) < 0.75)
        eligible = np.flatnonzero(ok)
        known = regulars.setdefault(request.person_id, rng.choice(len(workers), size=2).tolist())
        for w in eligible.tolist():
            score = int(reliability[w] - 2 * km[w])
            candidates.append(Candidate(request.id, workers[w].id, max(0, score), continuity=w in known))
    return candidates
