"""Payouts under the `ledger` provider: recorded once however often a coordinator runs them, and
exported as CSV for the bank run."""

from __future__ import annotations

import asyncio
import csv
import io
import uuid
from collections.abc import Callable

from litestar import Litestar

from slivers.accounts.models import Worker
from slivers.payments.budgets.booking_hooks import BookingMoney
from slivers.payments.rules import ledger
from tests.integration.conftest import Factory, StaffFactory, assert_problem
from tests.integration.payments.budgets.test_booking_hooks import balances, run
from tests.integration.payments.conftest import BudgetMaker


async def test_payouts_move_money_once_and_export_as_csv(
    app: Litestar,
    user: Factory,
    org_staff: StaffFactory,
    funded_budget: BudgetMaker,
    booking_money: Callable[..., BookingMoney],
) -> None:
    coordinator = await org_staff("Stevenage Crossroads", "charity")
    org_id = coordinator.user["organisations"][0]["id"]
    worker_client = await user("worker")
    worker_id = uuid.UUID(worker_client.user["worker_id"])
    async with app.state.wiring.unit_of_work() as session:
        worker = await session.get(Worker, worker_id)
        assert worker is not None
        worker.organisation_id = uuid.UUID(org_id)
    budget = await funded_budget(10_000)
    first, second = booking_money(budget, worker_id=worker_id), booking_money(budget, worker_id=worker_id)
    for money in (first, second):
        await run(app, "on_confirm", money)
    await run(app, "on_approve", first, 60)  # £15.00 less the 5% fee: £14.25 payable

    path = f"/api/v1/organisations/{org_id}/payouts"
    runs = await asyncio.gather(*(coordinator.post(path) for _ in range(3)))
    runs.append(await coordinator.post(path))
    assert all(r.status_code == 200 for r in runs), [r.text for r in runs]
    recorded = [p for r in runs for p in r.json()["recorded"]]
    assert {(p["reference"], p["amount_pence"]) for p in recorded} == {(f"payout:{worker_id}:1", 1425)}
    payable = ledger.worker_account(worker_id)
    assert await balances(app, payable, ledger.PAYMENT_CLEARING) == [0, 1425]

    await run(
        app, "on_approve", second, 30
    )  # £7.50 less £0.38: later work is paid in the next run, under the next key
    (later,) = (await coordinator.post(path)).json()["recorded"]
    assert (later["reference"], later["amount_pence"]) == (f"payout:{worker_id}:2", 750 - 38)

    exported = await coordinator.get(f"{path}.csv")
    assert exported.status_code == 200
    assert exported.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert [(r["reference"], r["amount_gbp"], r["payee_id"]) for r in rows] == [
        (f"payout:{worker_id}:1", "14.25", str(worker_id)),
        (f"payout:{worker_id}:2", "7.12", str(worker_id)),
    ]

    other = await org_staff("Another Charity", "charity")
    assert_problem(await other.post(path), 403)
    assert_problem(await other.get(f"{path}.csv"), 403)
    assert_problem(await worker_client.post(path), 403)
    assert await balances(app, payable) == [0]
