"""The money side of booking transitions, on the real databases: holds, settlement, cancellation."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from dataclasses import replace

import pytest
from litestar import Litestar

from slivers.errors import InvalidInput
from slivers.payments.budgets import booking_hooks as hooks
from slivers.payments.budgets.booking_hooks import BookingMoney
from slivers.payments.ledger.database import DbLedger
from slivers.payments.models import BookingCharge
from slivers.payments.rules import ledger
from slivers.payments.rules.budgets import WouldOverspend, budget_view
from tests.integration.payments.conftest import BudgetMaker

MoneyMaker = Callable[..., BookingMoney]


async def balances(app: Litestar, *accounts: ledger.AccountRef) -> list[int]:
    wiring = app.state.wiring
    async with wiring.unit_of_work() as session:
        posted = await DbLedger(session, wiring.clock).touching(list(accounts))
    totals = ledger.balances(p.transaction for p in posted)
    return [totals.get(a, 0) for a in accounts]


async def run(app: Litestar, hook: str, money: BookingMoney, *args: object) -> None:
    wiring = app.state.wiring
    async with wiring.unit_of_work() as session:
        await getattr(hooks, hook)(session, wiring.clock, money, *args, settings=wiring.settings)


async def test_confirm_holds_and_approve_settles_with_the_fee(
    app: Litestar, funded_budget: BudgetMaker, booking_money: MoneyMaker
) -> None:
    budget = await funded_budget(10_000)
    money = booking_money(budget, rate=1271, minutes=120)  # cost £25.42, fee 5% = £1.27
    await run(app, "on_confirm", money)
    assert await balances(app, ledger.budget_account(budget), ledger.holds_account(budget)) == [7458, 2542]

    await run(app, "on_approve", money, 90)  # £19.07 actually
    worker = ledger.worker_account(money.worker_id)
    after = await balances(app, ledger.budget_account(budget), ledger.holds_account(budget), worker)
    assert after == [10_000 - 1907, 0, 1907 - 95]
    assert (await balances(app, ledger.PLATFORM_FEES))[0] == 95


async def test_confirm_refuses_to_overspend_naming_the_shortfall(
    app: Litestar, funded_budget: BudgetMaker, booking_money: MoneyMaker
) -> None:
    budget = await funded_budget(1000)
    with pytest.raises(WouldOverspend, match=r"£5\.00"):
        await run(app, "on_confirm", booking_money(budget, rate=1500, minutes=60))
    assert await balances(app, ledger.budget_account(budget)) == [1000]


async def test_free_and_late_cancellation(
    app: Litestar, funded_budget: BudgetMaker, booking_money: MoneyMaker
) -> None:
    budget = await funded_budget(10_000)
    free, late = booking_money(budget), booking_money(budget)
    await run(app, "on_confirm", free)
    await run(app, "on_confirm", late)
    await run(app, "on_cancel", free, 0)
    await run(app, "on_cancel", late, 1500)
    await run(app, "on_cancel", late, 1500)  # a replay
    available, held, worker = await balances(
        app,
        ledger.budget_account(budget),
        ledger.holds_account(budget),
        ledger.worker_account(late.worker_id),
    )
    assert (available, held, worker) == (8500, 0, 1425)


async def test_a_dispute_keeps_the_hold_until_resolved(
    app: Litestar, funded_budget: BudgetMaker, booking_money: MoneyMaker
) -> None:
    budget = await funded_budget(5000)
    money = booking_money(budget)
    await run(app, "on_confirm", money)
    wiring = app.state.wiring
    async with wiring.unit_of_work() as session:
        await hooks.on_dispute(session, wiring.clock, money)
    assert await balances(app, ledger.holds_account(budget)) == [1500]
    await run(app, "on_approve", money, 60)
    assert await balances(app, ledger.holds_account(budget), ledger.budget_account(budget)) == [0, 3500]


async def test_no_budget_or_a_volunteer_moves_no_money(
    app: Litestar, funded_budget: BudgetMaker, booking_money: MoneyMaker
) -> None:
    budget = await funded_budget(1000)
    volunteer = booking_money(budget, rate=None, volunteer=True)
    for money in (booking_money(None), volunteer):
        await run(app, "on_confirm", money)
        await run(app, "on_approve", money, 60)
        await run(app, "on_cancel", money, 500)
    assert await balances(app, ledger.budget_account(budget), ledger.worker_account(volunteer.worker_id)) == [
        1000,
        0,
    ]


async def test_fifty_clients_confirming_on_a_budget_that_affords_ten(
    app: Litestar, funded_budget: BudgetMaker, booking_money: MoneyMaker
) -> None:
    budget = await funded_budget(15_000)
    bookings = [booking_money(budget, rate=1500, minutes=60) for _ in range(50)]

    async def confirm(money: BookingMoney) -> bool:
        try:
            await run(app, "on_confirm", money)
        except WouldOverspend:
            return False
        return True

    results = await asyncio.gather(*(confirm(m) for m in bookings))
    assert sum(results) == 10
    assert await balances(app, ledger.budget_account(budget), ledger.holds_account(budget)) == [0, 15_000]
    wiring = app.state.wiring
    async with wiring.unit_of_work() as session:
        held = (await session.scalars(BookingCharge.__table__.select())).all()
    assert len(held) == 10


async def test_the_same_approve_five_times_concurrently_and_in_sequence_moves_money_once(
    app: Litestar, funded_budget: BudgetMaker, booking_money: MoneyMaker
) -> None:
    budget = await funded_budget(10_000)
    money = booking_money(budget, rate=1200, minutes=60)
    await run(app, "on_confirm", money)
    await asyncio.gather(*(run(app, "on_approve", money, 60) for _ in range(5)))
    for _ in range(5):
        await run(app, "on_approve", money, 60)
    wiring = app.state.wiring
    async with wiring.unit_of_work() as session:
        posted = await DbLedger(session, wiring.clock).for_booking(money.booking_id)
    assert [p.transaction.kind for p in posted] == [
        ledger.TransactionKind.HOLD,
        ledger.TransactionKind.SETTLEMENT,
    ]
    assert await balances(app, ledger.worker_account(money.worker_id), ledger.budget_account(budget)) == [
        1140,
        8800,
    ]
    async with wiring.unit_of_work() as session:
        posted = await DbLedger(session, wiring.clock).touching([ledger.budget_account(budget)])
    view = budget_view(posted, budget, period_start=wiring.clock.now(), period_end=wiring.clock.now())
    assert view.available_pence == 8800


async def test_a_booking_on_someone_elses_budget_is_refused(
    app: Litestar, funded_budget: BudgetMaker, booking_money: MoneyMaker
) -> None:
    budget = await funded_budget(10_000)
    money = booking_money(budget)
    with pytest.raises(InvalidInput, match="belongs to someone else"):
        await run(app, "on_confirm", replace(money, person_id=uuid.uuid4()))
