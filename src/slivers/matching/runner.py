"""Solving a queued run, in three steps so that no database transaction is open during the solve (on
SQLite every transaction holds the write lock): read the instance and mark the run running; solve in a
worker thread; store the result. A run left `running` by a crash is queued again by the sweep."""

from __future__ import annotations

import time
import uuid
from datetime import timedelta
from typing import Any

import anyio
from sqlalchemy import select

from slivers.logs import get_logger
from slivers.matching.adapter import LoadedInstance, load_instance
from slivers.matching.models import MatchingRun
from slivers.scheduling import Mode, Settings, Solution, solve, validate
from slivers.wiring import Wiring

log = get_logger(__name__)
STALE_AFTER = timedelta(minutes=10)


async def requeue_stale(wiring: Wiring) -> int:
    async with wiring.unit_of_work() as session:
        cutoff = wiring.clock.now() - STALE_AFTER
        stale = list(
            await session.scalars(
                select(MatchingRun).where(MatchingRun.status == "running", MatchingRun.started_at < cutoff)
            )
        )
        for run in stale:
            run.status = "queued"
        return len(stale)


async def next_queued(wiring: Wiring) -> uuid.UUID | None:
    async with wiring.unit_of_work() as session:
        run = await session.scalar(
            select(MatchingRun)
            .where(MatchingRun.status == "queued")
            .order_by(MatchingRun.created_at)
            .limit(1)
        )
        return run.id if run else None


async def execute(wiring: Wiring, run_id: uuid.UUID) -> MatchingRun:
    async with wiring.unit_of_work() as session:
        run = await session.get(MatchingRun, run_id)
        assert run is not None
        run.status = "running"
        run.started_at = wiring.clock.now()
        loaded = await load_instance(
            session,
            wiring.clock.now(),
            run.horizon_start,
            run.horizon_end,
            run.districts,
            run.organisation_id,
        )
        settings = Settings(mode=Mode(run.mode), time_limit_s=float(run.time_limit_s))
    began = time.monotonic()
    try:
        solution = await anyio.to_thread.run_sync(solve, loaded.instance, settings)
        violations = validate(loaded.instance, solution)
        if violations:
            raise RuntimeError(f"the solution broke {len(violations)} rules: {violations[0].rule}")
        error = ""
    except Exception as failure:  # a failed run is recorded, not lost; the engine's own checks say why
        log.error("matching.failed", run=str(run_id), error_type=type(failure).__name__)
        solution, error = None, str(failure)[:500]
    async with wiring.unit_of_work() as session:
        run = await session.get(MatchingRun, run_id)
        assert run is not None
        run.finished_at = wiring.clock.now()
        if solution is None:
            run.status, run.error = "failed", error
        else:
            run.status = "done"
            _store(run, loaded, solution, time.monotonic() - began)
        return run


def _store(run: MatchingRun, loaded: LoadedInstance, solution: Solution, seconds: float) -> None:
    run.assignments = {key: list(workers) for key, workers in solution.assignments.items() if workers}
    unfilled: dict[str, Any] = {}
    for key, why in solution.unfilled.items():
        unfilled[key] = {"reason": why.reason.value, "conflicts": list(why.conflicts)[:10]}
    for key in loaded.no_candidates:
        unfilled.setdefault(key, {"reason": "no_eligible_worker", "conflicts": []})
    run.unfilled = unfilled
    run.summary = {
        "requests": len(loaded.instance.requests),
        "workers": len(loaded.instance.workers),
        "candidate_pairs": len(loaded.instance.candidates),
        "filled": len(run.assignments),
        "unfilled": len(unfilled),
        "objective": solution.objective,
        "bound": solution.bound,
        "gap": solution.gap,
        "solver_status": solution.status.value,
        "greedy_objective": solution.greedy_objective,
        "seconds": round(seconds, 3),
    }
