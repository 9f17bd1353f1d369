"""Budgets through the API: who may create, read and top up, and what the view shows."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable

import pytest
from litestar import Litestar

from slivers.accounts.actor import Actor
from slivers.errors import Forbidden
from slivers.payments.budgets import booking_hooks as hooks
from slivers.payments.budgets.access import load_budget, require_budget_spender
from tests.integration.conftest import ApiClient, Factory, assert_problem
from tests.integration.payments.conftest import Household


async def create_budget(household: Household, amount: int = 0) -> str:
    response = await household.funder.post(
        f"/api/v1/persons/{household.person_id}/budgets",
        json={
            "kind": "direct_payment",
            "name": "Direct payment 2026/27",
            "funder_org_id": str(household.council_id),
        },
    )
    assert response.status_code == 201, response.text
    budget_id = str(response.json()["id"])
    if amount:
        topped = await household.funder.post(
            f"/api/v1/budgets/{budget_id}/top-ups", json={"amount_pence": amount, "reference": "seed"}
        )
        assert topped.status_code == 201, topped.text
    return budget_id


async def test_funder_creates_and_tops_up_and_the_circle_sees_the_view(
    app: Litestar, household: Household
) -> None:
    budget_id = await create_budget(household)
    top_up = {"amount_pence": 50_000, "reference": "2026-11-run", "memo": "November"}
    first = await household.funder.post(f"/api/v1/budgets/{budget_id}/top-ups", json=top_up)
    again = await household.funder.post(f"/api/v1/budgets/{budget_id}/top-ups", json=top_up)
    assert first.status_code == again.status_code == 201
    assert again.json()["budget"]["available_pence"] == 50_000

    wiring = app.state.wiring
    async with wiring.unit_of_work() as session:
        await hooks.on_confirm(
            session,
            wiring.clock,
            hooks.BookingMoney(
                booking_id=uuid.uuid4(),
                budget_id=uuid.UUID(budget_id),
                person_id=household.person_id,
                worker_id=uuid.uuid4(),
                worker_is_volunteer=False,
                rate_pence_per_hour=1500,
                booked_minutes=120,
                start=wiring.clock.now(),
            ),
        )
    listed = await household.carer.get(f"/api/v1/persons/{household.person_id}/budgets")
    assert listed.status_code == 200, listed.text
    (view,) = listed.json()
    assert (view["balance_pence"], view["committed_pence"], view["available_pence"]) == (50_000, 3000, 47_000)
    assert view["usual_rate_pence_per_hour"] == 1500
    assert view["hours_remaining"] == 31
    funder_view = await household.funder.get(f"/api/v1/budgets/{budget_id}")
    assert funder_view.json()["available_pence"] == 47_000


async def test_a_reference_reused_for_another_amount_is_refused(household: Household) -> None:
    budget_id = await create_budget(household, 100)
    response = await household.funder.post(
        f"/api/v1/budgets/{budget_id}/top-ups", json={"amount_pence": 999, "reference": "seed"}
    )
    assert_problem(response, 400, field="reference", rule="reference_reused")


async def test_strangers_workers_and_viewers_cannot_top_up_or_read(
    household: Household, user: Factory, join_circle: Callable[..., Awaitable[None]]
) -> None:
    budget_id = await create_budget(household, 1000)
    stranger, worker, viewer = await user("carer"), await user("worker"), await user("carer")
    await join_circle(viewer, "view")
    body = {"amount_pence": 100, "reference": "sneaky"}
    for client in (stranger, worker):
        assert_problem(await client.get(f"/api/v1/budgets/{budget_id}"), 404)
        assert_problem(await client.get(f"/api/v1/budgets/{budget_id}/statement"), 404)
        assert_problem(await client.get(f"/api/v1/persons/{household.person_id}/budgets"), 404)
        assert_problem(await client.post(f"/api/v1/budgets/{budget_id}/top-ups", json=body), 404)
    assert_problem(
        await viewer.post(f"/api/v1/budgets/{budget_id}/top-ups", json=body), 403, rule="not_funder"
    )
    assert (await viewer.get(f"/api/v1/budgets/{budget_id}")).json()["available_pence"] == 1000


async def test_only_a_funder_officer_of_a_council_creates_council_budgets(
    household: Household, org_staff: Callable[..., Awaitable[ApiClient]]
) -> None:
    other_council = await org_staff("Bedford Borough Council", "council", "funder")
    body = {"kind": "direct_payment", "name": "DP", "funder_org_id": str(household.council_id)}
    url = f"/api/v1/persons/{household.person_id}/budgets"
    assert_problem(await household.carer.post(url, json=body), 403, rule="not_funder")
    assert_problem(await other_council.post(url, json=body), 403, rule="not_funder")
    self_funded = await household.carer.post(url, json={"kind": "self_funded", "name": "My own money"})
    assert self_funded.status_code == 201, self_funded.text
    topped = await household.carer.post(
        f"/api/v1/budgets/{self_funded.json()['id']}/top-ups",
        json={"amount_pence": 2000, "reference": "card-1"},
    )
    assert topped.json()["budget"]["available_pence"] == 2000


async def test_spending_from_a_budget_needs_approve_in_the_circle(
    app: Litestar, household: Household, user: Factory, join_circle: Callable[..., Awaitable[None]]
) -> None:
    budget_id = await create_budget(household)
    helper, approver = await user("carer"), await user("carer")
    await join_circle(helper, "view", "request")
    await join_circle(approver, "view", "approve")

    def actor(client: ApiClient) -> Actor:
        return Actor(uuid.UUID(client.user["id"]), client.user["email"], "x", "carer", "session")

    async with app.state.wiring.unit_of_work() as session:
        budget = await load_budget(session, uuid.UUID(budget_id))
        await require_budget_spender(session, actor(approver), budget)
        with pytest.raises(Forbidden, match="approve"):
            await require_budget_spender(session, actor(helper), budget)
