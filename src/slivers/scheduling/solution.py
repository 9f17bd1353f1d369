"""The engine's output: who fills what, how good it is, and why the rest stay open."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum


class Status(StrEnum):
    OPTIMAL = "optimal"
    """The solver proved every objective level optimal."""
    FEASIBLE = "feasible"
    """The solver's best within its limits; see bound and gap."""
    GREEDY = "greedy"
    """The solver found nothing better in time: the greedy construction stands."""


class UnfilledReason(StrEnum):
    NO_ELIGIBLE_WORKER = "no_eligible_worker"
    ELIGIBLE_WORKERS_BUSY = "eligible_workers_busy"
    CAPS_REACHED = "caps_reached"


@dataclass(frozen=True, slots=True)
class Unfilled:
    """`conflicts` names the requests and bookings that keep the eligible workers busy;
    `capped_workers` the eligible workers whose daily or weekly cap this visit would break."""

    request_id: str
    reason: UnfilledReason
    conflicts: tuple[str, ...] = ()
    capped_workers: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class LevelResult:
    """One objective level, always in its own sense (`maximise` or not), with a bound valid for
    solutions that match this one on every earlier level."""

    name: str
    value: int
    bound: int
    maximise: bool

    @property
    def gap(self) -> float:
        return abs(self.bound - self.value) / max(1, abs(self.value))


@dataclass(frozen=True, slots=True)
class Solution:
    """`objective`, `bound` and `gap` are the mode's headline level (fill: priority-weighted filled
    requests; min_workers: workers used; min_faces: distinct workers summed over persons)."""

    assignments: Mapping[str, tuple[str, ...]]
    starts: Mapping[str, int]
    unfilled: Mapping[str, Unfilled]
    status: Status
    objective: int
    bound: int
    gap: float
    levels: tuple[LevelResult, ...]
    greedy_objective: int  # the greedy construction's value on the headline level
    greedy_levels: tuple[int, ...]  # and on every level, in the order of `levels`
    wall_time_s: float

    @property
    def filled_count(self) -> int:
        return len(self.assignments)

    @property
    def workers_used(self) -> int:
        return len({w for workers in self.assignments.values() for w in workers})
