"""How to solve: the mode and the solver's limits."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Mode(StrEnum):
    FILL = "fill"
    """Fill the most (priority-weighted) requests, then continuity, then travel, then fairness."""
    MIN_WORKERS = "min_workers"
    """Fill as many as possible with the fewest workers (SMPTSP when everything can be covered)."""
    MIN_FACES = "min_faces"
    """Fill as many as possible with the fewest distinct workers per person."""


@dataclass(frozen=True, slots=True)
class Settings:
    mode: Mode = Mode.FILL
    time_limit_s: float = 10.0
    relative_gap: float = 0.0
    num_workers: int = 2
    seed: int = 0
    # fill instances with more usable pairs than this are solved day by day (decompose.py; XL is, L is not)
    decompose_above_pairs: int = 250_000
    log_search: bool = False

    def __post_init__(self) -> None:
        if self.time_limit_s <= 0:
            raise ValueError("time_limit_s must be positive: the solver always runs with a time limit")
        if not 0 <= self.relative_gap < 1:
            raise ValueError("relative_gap must be in [0, 1)")
        if self.num_workers < 1:
            raise ValueError("num_workers must be at least 1")
