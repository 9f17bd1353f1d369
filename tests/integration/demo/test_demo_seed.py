from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from slivers.accounts.models import Person, User, Worker
from slivers.demo.seed import seed_demo
from slivers.market.models import CareRequest
from slivers.payments.models import Budget
from slivers.vetting.models import Credential


async def _counts(app: Any) -> dict[str, int]:
    async with app.state.wiring.unit_of_work() as session:
        return {
            model.__tablename__: int(await session.scalar(select(func.count()).select_from(model)) or 0)
            for model in (User, Worker, Person, Credential, Budget, CareRequest)
        }


async def test_the_demo_is_a_working_market_and_seeding_twice_adds_nothing(app: Any, anonymous: Any) -> None:
    first = await seed_demo(app.state.wiring, workers=8, persons=6, show_progress=False)
    after_first = await _counts(app)
    assert first.created > 0
    assert after_first["workers"] == 8
    assert after_first["persons"] == 6
    assert after_first["budgets"] == 6
    assert after_first["care_requests"] >= 1
    second = await seed_demo(app.state.wiring, workers=8, persons=6, show_progress=False)
    assert second.created == 0
    assert await _counts(app) == after_first
    # the printed accounts really sign in
    client = anonymous()
    signed_in = await client.post(
        "/api/v1/auth/login",
        json={"email": "carer01@stevenage.example.org", "password": "stevenage demo password"},
    )
    assert signed_in.status_code == 200
    assert len((await client.get("/api/v1/persons")).json()) == 1
