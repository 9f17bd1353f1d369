"""A self-employed worker's card share earned before Stripe enabled their Connect account is transferred
once the account is enabled, and leaves exactly once: never by both the transfer and the bank run,
whatever order (or race) the enabling, the payout run and the sweeps come in."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from litestar import Litestar
from sqlalchemy import select

from slivers.config import Settings
from slivers.jobs.registry import run_once
from slivers.payments.budgets.booking_hooks import BookingMoney
from slivers.payments.models import WorkerPayoutAccount
from slivers.payments.providers.fake_gateway import FakeStripeError, InMemoryStripeGateway
from slivers.payments.providers.stripe_gateway import TransferResult
from tests.integration.conftest import ApiClient, Factory, StaffFactory
from tests.integration.payments.budgets.test_booking_hooks import run
from tests.integration.payments.conftest import BudgetMaker, Household
from tests.integration.payments.providers.connect_kit import (
    ACTIONS,
    RECONCILE,
    SHARE,
    ConnectKit,
    make_kit,
    stripe_settings,
)
from tests.integration.payments.providers.test_connect_flow import connect_card_booking


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return stripe_settings(database_url, tmp_path)


class LostAnswerGateway(InMemoryStripeGateway):
    """When asked to, Stripe makes the next transfer but its answer never reaches us (a timeout)."""

    lose_next = False

    def transfer(
        self,
        *,
        booking_id: str,
        amount_pence: int,
        destination: str,
        key: str,
        source_charge: str | None = None,
    ) -> TransferResult:
        made = super().transfer(
            booking_id=booking_id,
            amount_pence=amount_pence,
            destination=destination,
            key=key,
            source_charge=source_charge,
        )
        if self.lose_next:
            self.lose_next = False
            raise FakeStripeError("read timed out")
        return made


@pytest.fixture
async def kit(
    app: Litestar,
    org_staff: StaffFactory,
    funded_budget: BudgetMaker,
    household: Household,
    anonymous: Callable[[], ApiClient],
) -> ConnectKit:
    return await make_kit(app, org_staff, funded_budget, household, anonymous(), LostAnswerGateway())


async def test_a_share_earned_before_the_account_was_enabled_is_transferred_once_when_it_is(
    kit: ConnectKit, user: Factory
) -> None:
    worker_id, account = await kit.worker(user)
    booking_id = await kit.approved(worker_id)
    assert kit.gateway.transfers == []  # not enabled at approval: captured, nothing transferred
    assert await kit.left(worker_id) == (SHARE, 0)

    kit.stripe_enables(account)
    assert isinstance(kit.gateway, LostAnswerGateway)
    kit.gateway.lose_next = True
    assert [await kit.account_updated(account, "evt_on") for _ in range(2)] == ["applied", "duplicate"]
    reserved = await kit.late_action(booking_id)
    assert reserved is not None
    assert (reserved.action, reserved.status, reserved.worker_share_pence) == ("transfer", "pending", SHARE)
    assert await kit.bank_run() == []  # held back: it is owed by transfer now

    assert await run_once(kit.wiring, ACTIONS) == 0  # Stripe made it; the answer was lost
    assert await kit.bank_run() == []  # still held back while the action is retried
    assert await run_once(kit.wiring, ACTIONS) == 1  # the retry: Stripe replays the first answer
    for _ in range(2):
        await run_once(kit.wiring, RECONCILE)
        await run_once(kit.wiring, ACTIONS)
        assert await kit.bank_run() == []
    assert kit.transfers_to(account) == [(SHARE, f"booking:{booking_id}")]
    keys = [c.key for c in kit.gateway.calls if c.operation == "transfer"]
    assert keys == [f"booking:{booking_id}:approve:transfer"] * 2
    assert await kit.left(worker_id) == (0, SHARE)
    csv = await kit.coordinator.get(f"/api/v1/organisations/{kit.org_id}/payouts.csv")
    assert csv.text.strip().splitlines() == ["reference,payee_id,payee_name,amount_gbp,due_on"]


async def test_only_card_shares_are_transferred_and_the_rest_is_left_to_the_bank(
    kit: ConnectKit, user: Factory, funded_budget: BudgetMaker, booking_money: Callable[..., BookingMoney]
) -> None:
    worker_id, account = await kit.worker(user)
    council = booking_money(await funded_budget(10_000), worker_id=worker_id)  # paid from a council budget
    await run(kit.app, "on_confirm", council)
    await run(kit.app, "on_approve", council, 60)
    card = await kit.approved(worker_id)
    kit.stripe_enables(account)
    await kit.account_updated(account, "evt_on")
    assert await run_once(kit.wiring, ACTIONS) == 1
    assert kit.transfers_to(account) == [(SHARE, f"booking:{card}")]
    (bank,) = await kit.bank_run()  # the council visit's share is not in Stripe: the bank pays it
    assert (bank["reference"], bank["amount_pence"]) == (f"payout:{worker_id}:1", SHARE)
    assert await kit.left(worker_id) == (0, 2 * SHARE)


async def test_a_share_the_bank_run_already_paid_is_never_transferred(kit: ConnectKit, user: Factory) -> None:
    worker_id, account = await kit.worker(user)
    booking_id = await kit.approved(worker_id)
    (paid,) = await kit.bank_run()
    assert paid["amount_pence"] == SHARE
    kit.wiring.clock.advance(timedelta(minutes=5))
    later = await kit.approved(worker_id)  # earned after the bank run: still owed
    kit.stripe_enables(account)
    assert await run_once(kit.wiring, RECONCILE) >= 1  # the webhook was lost: reconciliation finds it
    for _ in range(2):
        await run_once(kit.wiring, ACTIONS)
        await run_once(kit.wiring, RECONCILE)
    assert kit.transfers_to(account) == [(SHARE, f"booking:{later}")]
    skipped = await kit.late_action(booking_id)
    assert skipped is not None
    assert (skipped.status, skipped.result) == ("skipped", [{"reason": "paid by the bank run"}])
    assert await kit.bank_run() == []
    assert await kit.left(worker_id) == (0, 2 * SHARE)


async def test_a_share_whose_card_action_finished_after_the_enabling_is_found_by_the_sweep(
    kit: ConnectKit, user: Factory
) -> None:
    worker_id, account = await kit.worker(user)
    booking_id = await kit.approved(worker_id)
    # The account was enabled while the approval's card action was still running (it saw no account):
    # `account.updated` found nothing to reserve then. The reconciliation sweep does.
    async with kit.wiring.unit_of_work() as session:
        row = await session.scalar(
            select(WorkerPayoutAccount).where(WorkerPayoutAccount.worker_id == worker_id)
        )
        assert row is not None
        row.payouts_enabled, row.synced_at = True, kit.wiring.clock.now()
    kit.stripe_enables(account)
    assert await run_once(kit.wiring, RECONCILE) == 1
    assert await run_once(kit.wiring, RECONCILE) == 0
    assert await run_once(kit.wiring, ACTIONS) == 1
    assert kit.transfers_to(account) == [(SHARE, f"booking:{booking_id}")]
    assert await kit.left(worker_id) == (0, SHARE)


async def test_a_reserved_transfer_whose_account_is_switched_off_goes_to_the_bank_once(
    kit: ConnectKit, user: Factory
) -> None:
    worker_id, account = await kit.worker(user)
    booking_id = await kit.approved(worker_id)
    kit.stripe_enables(account)
    await kit.account_updated(account, "evt_on")
    kit.stripe_enables(account, enabled=False)  # Stripe needs more details before the sweep runs
    await kit.account_updated(account, "evt_off")
    assert await run_once(kit.wiring, ACTIONS) == 0
    cancelled = await kit.late_action(booking_id)
    assert cancelled is not None
    assert cancelled.status == "cancelled"
    assert [p["amount_pence"] for p in await kit.bank_run()] == [SHARE]

    kit.wiring.clock.advance(timedelta(minutes=5))
    kit.stripe_enables(account)
    await kit.account_updated(account, "evt_on_again")
    await run_once(kit.wiring, ACTIONS)
    await run_once(kit.wiring, RECONCILE)
    assert kit.gateway.transfers == []
    again = await kit.late_action(booking_id)
    assert again is not None
    assert (again.status, again.result) == ("skipped", [{"reason": "paid by the bank run"}])
    assert await kit.left(worker_id) == (0, SHARE)


@pytest.mark.parametrize("order", ["enabling_first", "bank_first", "together"])
async def test_enabling_and_the_payout_run_racing_move_each_share_once(
    kit: ConnectKit, user: Factory, order: str
) -> None:
    workers = [await kit.worker(user) for _ in range(3)]
    for worker_id, _ in workers:
        await kit.approved(worker_id)
    kit.wiring.clock.advance(timedelta(minutes=5))
    for _, account in workers:
        kit.stripe_enables(account)
    enabling = [kit.account_updated(account, f"evt_{account}") for _, account in workers]
    if order == "enabling_first":
        await asyncio.gather(*enabling)
        banked = await kit.bank_run()
    elif order == "bank_first":
        banked = await kit.bank_run()
        await asyncio.gather(*enabling)
    else:
        bank = asyncio.ensure_future(kit.bank_run())
        await asyncio.gather(*enabling)
        banked = await bank
    for _ in range(2):
        await run_once(kit.wiring, ACTIONS)
        await run_once(kit.wiring, RECONCILE)
        banked += await kit.bank_run()

    for worker_id, account in workers:
        by_bank = sum(p["amount_pence"] for p in banked if p["worker_id"] == str(worker_id))
        by_transfer = sum(amount for amount, _ in kit.transfers_to(account))
        assert sorted([by_bank, by_transfer]) == [0, SHARE], (order, by_bank, by_transfer)
        assert await kit.left(worker_id) == (0, SHARE)
    if order != "together":
        expected = "transfer" if order == "enabling_first" else "bank"
        assert {("transfer" if kit.transfers_to(a) else "bank") for _, a in workers} == {expected}


async def test_a_transfer_made_just_before_the_account_was_switched_off_is_not_paid_again_by_the_bank(
    kit: ConnectKit, user: Factory
) -> None:
    gateway = kit.gateway
    assert isinstance(gateway, LostAnswerGateway)
    worker_id, account = await kit.worker(user)
    kit.stripe_enables(account)
    await kit.account_updated(account, "evt_on")
    first = await connect_card_booking(kit.app, kit.funded_budget, kit.household, worker_id)
    gateway.lose_next = True
    assert await run_once(kit.wiring, ACTIONS) == 0  # captured and transferred; the answer was lost
    kit.stripe_enables(account, enabled=False)
    await kit.account_updated(account, "evt_off")
    assert await run_once(kit.wiring, ACTIONS) == 1  # the retry finds the transfer instead of skipping it
    assert await kit.bank_run() == []
    assert await kit.left(worker_id) == (0, SHARE)

    # The same for a late transfer: reserved, made, answer lost, account switched off, retried.
    second = await kit.approved(worker_id)
    kit.stripe_enables(account)
    await kit.account_updated(account, "evt_on_again")
    gateway.lose_next = True
    assert await run_once(kit.wiring, ACTIONS) == 0
    kit.stripe_enables(account, enabled=False)
    await kit.account_updated(account, "evt_off_again")
    assert await run_once(kit.wiring, ACTIONS) == 1
    late = await kit.late_action(second)
    assert late is not None
    assert late.status == "done"
    assert await kit.bank_run() == []
    assert kit.transfers_to(account) == [(SHARE, f"booking:{first.booking_id}"), (SHARE, f"booking:{second}")]
    assert await kit.left(worker_id) == (0, 2 * SHARE)
