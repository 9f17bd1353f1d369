"""Matching runs end to end: queue through the API, solve in the scheduler's sweep, apply as offers."""

from __future__ import annotations

import itertools
import uuid
from typing import Any

import anyio
from click.testing import CliRunner
from sqlalchemy import select

from slivers.cli_environment import CliEnvironment
from slivers.jobs.registry import all_jobs, run_once
from slivers.market.models import Booking
from tests.integration.conftest import StaffFactory, assert_problem
from tests.integration.matching.conftest import Market

HORIZON = {"horizon_start": "2026-12-02T00:00:00Z", "horizon_end": "2026-12-03T00:00:00Z"}
SOLVE = next(job for job in all_jobs() if job.id == "matching.solve_queued_runs")


async def _scene(market: Market) -> tuple[Any, list[str], list[Any]]:
    """Two vetted workers; three overlapping visits (only two can be filled) and one later visit."""
    coordinator = await market.coordinator()
    workers = [await market.worker(), await market.worker()]
    occurrences = []
    for _ in range(3):
        carer, person = await market.carer()
        occurrences.append((await market.request(carer, person))["occurrences"][0]["id"])
    carer, person = await market.carer()
    later = await market.request(carer, person, start="2026-12-02T15:00:00Z", end="2026-12-02T16:00:00Z")
    occurrences.append(later["occurrences"][0]["id"])
    return coordinator, occurrences, workers


async def test_a_run_fills_what_can_be_filled_and_says_why_the_rest_is_not(market: Market) -> None:
    coordinator, occurrences, workers = await _scene(market)
    queued = await coordinator.post(
        "/api/v1/matching/runs",
        json={"organisation_id": market.organisation_id, **HORIZON, "time_limit_s": 5},
    )
    assert queued.status_code == 202, queued.text
    run_id = queued.json()["id"]
    assert queued.json()["status"] == "queued"

    assert await run_once(market.app.state.wiring, SOLVE) == 1
    assert await run_once(market.app.state.wiring, SOLVE) == 0  # nothing left to solve

    run = (await coordinator.get(f"/api/v1/matching/runs/{run_id}")).json()
    assert run["status"] == "done", run
    assert run["summary"]["requests"] == 4
    assert run["summary"]["filled"] == 3
    assert run["summary"]["objective"] <= run["summary"]["bound"]
    assert set(run["assignments"]) | set(run["unfilled"]) == set(occurrences)
    assert occurrences[3] in run["assignments"]  # the later visit fits either worker
    (unfilled,) = run["unfilled"].values()
    assert unfilled["reason"] == "eligible_workers_busy"
    # nobody is assigned two of the overlapping visits
    busy = list(itertools.chain.from_iterable(run["assignments"].get(o, []) for o in occurrences[:3]))
    assert len(busy) == len(set(busy)) == 2
    assert set(busy) == {w.user["worker_id"] for w in workers}

    applied = await coordinator.post(f"/api/v1/matching/runs/{run_id}/apply")
    assert applied.status_code == 200, applied.text
    assert applied.json()["offers_made"] == 3
    async with market.app.state.wiring.unit_of_work() as session:
        offers = list(await session.scalars(select(Booking).where(Booking.status == "proposed")))
    assert {str(b.occurrence_id) for b in offers} == set(run["assignments"])
    assert_problem(
        await coordinator.post(f"/api/v1/matching/runs/{run_id}/apply"), 409, rule="already_applied"
    )


async def test_only_the_organisations_coordinators_may_run_or_read(
    market: Market, org_staff: StaffFactory
) -> None:
    coordinator = await market.coordinator()
    carer, _ = await market.carer()
    other = await org_staff("Luton Care Agency", "agency")
    body = {"organisation_id": market.organisation_id, **HORIZON}
    assert_problem(await carer.post("/api/v1/matching/runs", json=body), 403, field="organisation_id")
    assert_problem(await other.post("/api/v1/matching/runs", json=body), 403)
    run_id = (await coordinator.post("/api/v1/matching/runs", json=body)).json()["id"]
    assert_problem(await other.get(f"/api/v1/matching/runs/{run_id}"), 404)
    assert_problem(await carer.post(f"/api/v1/matching/runs/{run_id}/apply"), 404)
    assert_problem(await coordinator.get(f"/api/v1/matching/runs/{uuid.uuid4()}"), 404)


async def test_bad_runs_are_refused_clearly(market: Market) -> None:
    coordinator = await market.coordinator()
    base = {"organisation_id": market.organisation_id, **HORIZON}
    assert_problem(
        await coordinator.post("/api/v1/matching/runs", json={**base, "horizon_end": "2026-12-01T00:00:00Z"}),
        400,
    )
    assert_problem(
        await coordinator.post("/api/v1/matching/runs", json={**base, "horizon_end": "2027-02-01T00:00:00Z"}),
        400,
    )
    assert_problem(
        await coordinator.post("/api/v1/matching/runs", json={**base, "time_limit_s": 0}),
        400,
        field="time_limit_s",
    )
    assert_problem(await coordinator.post("/api/v1/matching/runs", json={**base, "districts": ["BT1!"]}), 400)
    assert_problem(
        await coordinator.post("/api/v1/matching/runs", json={**base, "mode": "best"}), 400, field="mode"
    )
    assert_problem(await coordinator.post(f"/api/v1/matching/runs/{uuid.uuid4()}/apply"), 404)


async def test_the_match_command_solves_and_applies(market: Market, monkeypatch: Any, settings: Any) -> None:
    await _scene(market)
    from slivers.cli import main

    monkeypatch.setenv("SLIVERS_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("SLIVERS_DATA_DIR", str(settings.data_dir))
    # The command runs its own event loop, as it does from a shell; here it runs in a worker thread,
    # on the test's clock (the real one would put the fixed horizon in the past one day).
    on_test_clock = CliEnvironment(clock=market.app.state.wiring.clock)
    result = await anyio.to_thread.run_sync(
        lambda: CliRunner().invoke(
            main,
            [
                "match",
                "--organisation",
                "Stevenage Crossroads",
                "--from",
                "2026-12-02",
                "--days",
                "1",
                "--time-limit",
                "5",
                "--apply",
            ],
            obj=on_test_clock,
        )
    )
    assert result.exit_code == 0, result.output
    assert "filled" in result.output
    assert "offers sent" in result.output
    async with market.app.state.wiring.unit_of_work() as session:
        offers = list(await session.scalars(select(Booking).where(Booking.status == "proposed")))
    assert len(offers) == 3
    failed = await anyio.to_thread.run_sync(
        lambda: CliRunner().invoke(main, ["match", "--organisation", "Nobody", "--days", "1"])
    )
    assert failed.exit_code != 0
    assert "No organisation called" in failed.output
