"""Objective levels per mode, in strict priority order.

Every level is stated in the maximising sense, with proven integer bounds [low, high] taken from the
instance (at most `workers_needed` pairs per request count), and with an exact evaluation on a plan so
reported values never depend on the solver. solver.py turns the list into lexicographic stages.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from ortools.sat.python import cp_model

from slivers.scheduling.cpsat_model import AssignmentModel
from slivers.scheduling.greedy import Plan
from slivers.scheduling.prepare import Prepared
from slivers.scheduling.settings import Mode


@dataclass(frozen=True, slots=True)
class Level:
    name: str
    expr: Callable[[], Any]  # builds (once) the CP-SAT linear expression to maximise
    low: int
    high: int
    maximise: bool  # the sense it is reported in (a minimised level is maximised negated)
    evaluate: Callable[[Plan], int]  # the same quantity as `expr`, computed from a plan


class _Once:
    """Builds a level's variables only when a stage first needs them, so earlier stages solve a
    smaller model."""

    def __init__(self, make: Callable[[], Any]) -> None:
        self._make: Callable[[], Any] | None = make
        self._value: Any = None

    def __call__(self) -> Any:
        if self._make is not None:
            self._value, self._make = self._make(), None
        return self._value


def levels_for(mode: Mode, model: AssignmentModel) -> list[Level]:
    terms = _Terms(model)
    if mode is Mode.FILL:
        return [terms.filled(), terms.continuity(), terms.travel(), terms.fairness(), terms.score()]
    if mode is Mode.MIN_WORKERS:
        return [terms.filled(), terms.workers_used(), terms.travel()]
    return [terms.filled(), terms.faces(), terms.continuity(), terms.travel()]


class _Terms:
    def __init__(self, model: AssignmentModel) -> None:
        self.model = model
        self.p: Prepared = model.prepared
        self.pair_of = {
            (int(r), int(w)): q
            for q, (r, w) in enumerate(zip(self.p.p_request, self.p.p_worker, strict=True))
        }
        self._faces: tuple[_Once, int, Callable[[Plan], int]] | None = None
        self._summary_of: tuple[Plan, _PlanSummary] | None = None

    def summary(self, plan: Plan) -> _PlanSummary:
        """Per-plan facts the auxiliary hints need, computed once per plan rather than once per variable."""
        if self._summary_of is None or self._summary_of[0] is not plan:
            minutes: dict[int, int] = {}
            for r, (workers, _) in plan.items():
                for w in workers:
                    minutes[w] = minutes.get(w, 0) + int(self.p.r_duration[r])
            met = {(int(self.p.r_person[r]), w) for r, (workers, _) in plan.items() for w in workers}
            self._summary_of = (plan, _PlanSummary(minutes, met))
        return self._summary_of[1]

    def _pairs(self, plan: Plan) -> list[int]:
        return [self.pair_of[r, w] for r, (workers, _) in plan.items() for w in workers]

    def _per_pair(self, name: str, coefficients: list[int], maximise: bool = True) -> Level:
        """A sum over chosen pairs; bounded by the best and worst `workers_needed` pairs per request."""
        high = low = 0
        for r, pairs in enumerate(self.model.pairs_of):
            values = sorted(coefficients[q] for q in pairs)
            k = int(self.p.r_needed[r])
            if len(values) >= k:
                high += max(0, sum(values[-k:]))
                low += min(0, sum(values[:k]))
        expr = _Once(lambda: cp_model.LinearExpr.weighted_sum(self.model.x, coefficients))
        return Level(
            name, expr, low, high, maximise, lambda plan: sum(coefficients[q] for q in self._pairs(plan))
        )

    def filled(self) -> Level:
        p = self.p
        weights = {
            r: int(p.r_priority[r]) for r in self.model.filled if len(self.model.pairs_of[r]) >= p.r_needed[r]
        }
        expr = _Once(
            lambda: cp_model.LinearExpr.weighted_sum(
                list(self.model.filled.values()), [int(p.r_priority[r]) for r in self.model.filled]
            )
        )
        return Level(
            "filled_priority",
            expr,
            0,
            sum(weights.values()),
            True,
            lambda plan: sum(int(p.r_priority[r]) for r in plan),
        )

    def travel(self) -> Level:
        level = self._per_pair(
            "travel_minutes", [-int(t) for t in self.p.p_home_travel.tolist()], maximise=False
        )
        return level

    def score(self) -> Level:
        return self._per_pair("candidate_score", [int(s) for s in self.p.p_score.tolist()])

    def _face_vars(self) -> tuple[_Once, int, Callable[[Plan], int]]:
        """One Boolean per (person, worker) that could meet: the number of distinct faces."""
        if self._faces is None:
            self._faces = (_Once(self._new_face_vars), self._most_faces(), self._faces_met)
        return self._faces

    def _faces_met(self, plan: Plan) -> int:
        return len(self.summary(plan).met)

    def _new_face_vars(self) -> Any:
        p, model = self.p, self.model
        faces: dict[tuple[int, int], Any] = {}
        for q, (r, w) in enumerate(zip(p.p_request.tolist(), p.p_worker.tolist(), strict=True)):
            key = (int(p.r_person[r]), w)
            if key not in faces:
                faces[key] = model.model.new_bool_var("")
                model.aux.append((faces[key], partial(self._meets, key)))
            model.model.add_implication(model.x[q], faces[key])
        return sum(faces.values())

    def _most_faces(self) -> int:
        """A person meets at most as many workers as their visits need, however many could come."""
        p, model = self.p, self.model
        could_meet: dict[int, int] = {}
        for person, _ in {(int(p.r_person[r]), w) for r, w in self.pair_of}:
            could_meet[person] = could_meet.get(person, 0) + 1
        visits_need: dict[int, int] = {}
        for r, pairs in enumerate(model.pairs_of):
            if pairs:
                person = int(p.r_person[r])
                visits_need[person] = visits_need.get(person, 0) + int(p.r_needed[r])
        return sum(min(n, visits_need.get(person, 0)) for person, n in could_meet.items())

    def faces(self) -> Level:
        total, count, count_in = self._face_vars()
        return Level(
            "distinct_faces", _Once(lambda: -total()), -count, 0, False, lambda plan: -count_in(plan)
        )

    def continuity(self) -> Level:
        """Continuity (preferred or seen before, or a volunteer for a volunteers-first request) less faces."""
        bonus = (self.p.p_continuity.astype(int) + self.p.p_volunteer_match.astype(int)).tolist()
        kept = self._per_pair("continuity", bonus)
        total, count, count_in = self._face_vars()
        return Level(
            "continuity_less_faces",
            _Once(lambda: kept.expr() - total()),
            kept.low - count,
            kept.high,
            True,
            lambda plan: kept.evaluate(plan) - count_in(plan),
        )

    def workers_used(self) -> Level:
        p, model = self.p, self.model

        def build() -> Any:
            used: dict[int, Any] = {}
            for q, w in enumerate(p.p_worker.tolist()):
                if w not in used:
                    used[w] = model.model.new_bool_var("")
                    model.aux.append((used[w], partial(self._works, w)))
                model.model.add_implication(model.x[q], used[w])
            # The worker's overlap cliques, tied to whether they work at all: a much tighter LP.
            for clique in model.conflicts.cliques:
                owner = int(p.p_worker[clique[0]])
                model.model.add(sum(model.x[q] for q in clique) <= used[owner])
            model.used = used
            return -sum(used.values())

        return Level(
            "workers_used",
            _Once(build),
            -len(set(p.p_worker.tolist())),
            0,
            False,
            lambda plan: -len(self.summary(plan).minutes),
        )

    def fairness(self) -> Level:
        """Hours (whole, bookings included) given to each worker who asked for work, up to what they asked."""
        p, model = self.p, self.model
        booked = {w: sum(item[1] - item[0] for item in items) for w, items in p.bookings_of.items()}
        wanting = [w for w, worker in enumerate(p.instance.workers) if worker.wants_hours > 0]
        pairs_by_worker: dict[int, list[int]] = {w: [] for w in wanting}
        for q, w in enumerate(p.p_worker.tolist()):
            if w in pairs_by_worker:
                pairs_by_worker[w].append(q)

        def build() -> Any:
            terms = []
            for w in wanting:
                wants = p.instance.workers[w].wants_hours
                hours = model.model.new_int_var(0, wants, "")
                minutes = [int(p.r_duration[p.p_request[q]]) for q in pairs_by_worker[w]]
                worked = cp_model.LinearExpr.weighted_sum([model.x[q] for q in pairs_by_worker[w]], minutes)
                model.model.add(60 * hours <= worked + booked.get(w, 0))
                model.aux.append((hours, partial(self._fair_hours, w, wants, booked)))
                terms.append(hours)
            return sum(terms)

        high = sum(p.instance.workers[w].wants_hours for w in wanting)

        def evaluate(plan: Plan) -> int:
            return sum(min(p.instance.workers[w].wants_hours, self._hours(plan, w, booked)) for w in wanting)

        return Level("fairness_hours", _Once(build), 0, high, True, evaluate)

    def _meets(self, key: tuple[int, int], plan: Plan) -> int:
        return int(key in self.summary(plan).met)

    def _works(self, worker: int, plan: Plan) -> int:
        return int(worker in self.summary(plan).minutes)

    def _fair_hours(self, worker: int, wants: int, booked: dict[int, int], plan: Plan) -> int:
        return min(wants, self._hours(plan, worker, booked))

    def _hours(self, plan: Plan, worker: int, booked: dict[int, int]) -> int:
        return (booked.get(worker, 0) + self.summary(plan).minutes.get(worker, 0)) // 60


@dataclass(frozen=True, slots=True)
class _PlanSummary:
    minutes: dict[int, int]  # worker -> minutes of requests in the plan
    met: set[tuple[int, int]]  # (person, worker) pairs that meet
