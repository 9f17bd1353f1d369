"""The candidate-search benchmark's generator of realistic workers (bench/candidates.py), for tests
that want a pool of rows without going through the API."""

from __future__ import annotations

import importlib.util
import random
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any


@cache
def _bench() -> ModuleType:
    path = Path(__file__).resolve().parents[1] / "bench" / "candidates.py"
    spec = importlib.util.spec_from_file_location("bench_candidates", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def seed_rows(count: int, rng: random.Random) -> dict[Any, list[dict[str, Any]]]:
    """Rows per model (organisation, users, workers, profiles, availability, credentials)."""
    rows: dict[Any, list[dict[str, Any]]] = _bench().seed_rows(count, rng)
    return rows
