"""Differential test of candidate search's SQL narrowing: on random workers (the benchmark's generator,
plus some who travel further than the profile schema allows), the narrowed search finds exactly the
workers the pure filter accepts when it judges everyone. SQL may only narrow, never decide. And one
worker judged directly (`eligibility.judge_worker`, as confirmation does) fails exactly the rules
the search finds for them."""

from __future__ import annotations

import datetime as dt
import random
import uuid

import pytest
from litestar import Litestar
from sqlalchemy import insert, select, update

from slivers.accounts.models import Person, Worker
from slivers.market.candidates.eligibility import judge_worker
from slivers.market.candidates.service import rank_slot, search_slot
from slivers.market.candidates.slot import Slot
from slivers.market.models import CareRequest, RequestOccurrence, WorkerMarketProfile
from slivers.market.rules.places import place_of
from tests.bench_rows import seed_rows

NOW = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize("seed", [7, 20261125])
async def test_sql_narrowing_then_the_pure_filter_equals_the_pure_filter_alone(
    app: Litestar, seed: int
) -> None:
    rng = random.Random(seed)
    tables = seed_rows(300, rng)
    for row in rng.sample(tables[Worker], 30):
        row["max_travel_km"] = rng.choice((60, 90))  # written around the schema's 50 km cap
    async with app.state.wiring.unit_of_work() as session:
        for model, rows in tables.items():
            if rows:
                await session.execute(insert(model), rows)
        owner = tables[Worker][0]["user_id"]
        postcode = rng.choice(("SG1 2AB", "AL1 1AA", "LU1 1AA"))
        person = Person(display_name="Grace", home_postcode=postcode, created_by_id=owner)
        session.add(person)
        await session.flush()
        place = place_of(postcode, field="postcode")
        request = CareRequest(
            person_id=person.id,
            created_by_id=owner,
            task_types=sorted(rng.sample(["companionship", "domestic", "personal_care", "escort"], 2)),
            postcode=place.postcode,
            lat=place.lat,
            lon=place.lon,
            nation="england",
            budget_id=uuid.uuid4() if rng.random() < 0.8 else None,
            hard_requirements={},
        )
        session.add(request)
        await session.flush()
        all_ids = [row["id"] for row in tables[Worker]]
        found = 0
        for day in range(3):
            start = dt.datetime(2026, 12, 2 + day, rng.choice((8, 10, 13, 18)), 0, tzinfo=dt.UTC)
            occurrence = RequestOccurrence(
                request_id=request.id,
                position=day,
                start_at=start,
                end_at=start + dt.timedelta(minutes=rng.choice((60, 120, 180))),
            )
            session.add(occurrence)
            await session.flush()
            slot = Slot(request, occurrence, person)

            narrowed, _ = await rank_slot(session, slot, NOW)
            everyone = await search_slot(session, slot, NOW, worker_ids=all_ids)
            judged = everyone.search.rank(everyone.loaded.snapshots)

            assert {c.worker.id for c in narrowed} == {c.worker.id for c in judged}
            assert len(everyone.loaded.snapshots) == len(all_ids)
            # One worker judged alone, as confirmation does, fails exactly the rules the search finds.
            sample = random.Random(seed + day).sample(everyone.loaded.snapshots, 25)
            for snapshot in sample + [candidate.worker for candidate in judged[:5]]:
                alone = await judge_worker(session, slot, snapshot.id, NOW)
                assert alone.failures == everyone.search.why_not(snapshot)
            # Judged lazily in rank order, a limited list is exactly the best of the full one.
            for limit in (1, 3, 10):
                best, _ = await rank_slot(session, slot, NOW, limit)
                assert [(c.rank, c.worker.id) for c in best] == [
                    (c.rank, c.worker.id) for c in judged[:limit]
                ]
            found += len(judged)
    assert found > 0  # the comparison had candidates to lose


async def test_a_profiles_reach_follows_the_workers_travel_distance_whoever_writes_it(app: Litestar) -> None:
    """Narrowing reads `reach_km` from the market profile; database triggers keep it equal to
    `workers.max_travel_km` on insert, on a change of either, so no writer can leave it stale."""
    rows = seed_rows(2, random.Random(3))
    async with app.state.wiring.unit_of_work() as session:
        for model, table_rows in rows.items():
            if table_rows:
                await session.execute(insert(model), table_rows)
    first, second = (row["id"] for row in rows[Worker])
    expected = {row["id"]: row["max_travel_km"] for row in rows[Worker]}

    async def reaches() -> dict[uuid.UUID, int]:
        async with app.state.wiring.unit_of_work() as session:
            found = await session.execute(select(WorkerMarketProfile.worker_id, WorkerMarketProfile.reach_km))
            return {row.worker_id: row.reach_km for row in found}

    assert await reaches() == expected  # set on insert
    async with app.state.wiring.unit_of_work() as session:
        await session.execute(update(Worker).where(Worker.id == first).values(max_travel_km=37))
        await session.execute(
            update(WorkerMarketProfile).where(WorkerMarketProfile.worker_id == second).values(reach_km=1)
        )
    assert await reaches() == {first: 37, second: expected[second]}
