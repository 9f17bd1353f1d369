"""Shared steps for the Connect tests on the in-memory Stripe: a self-employed worker with an account
Stripe has not enabled yet, card bookings approved before it is, and what left for the worker."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from litestar import Litestar
from sqlalchemy import select

from slivers.config import Settings
from slivers.jobs.registry import run_once
from slivers.payments.ledger.database import DbLedger
from slivers.payments.models import PaymentAction, WorkerPayoutAccount
from slivers.payments.providers.fake_gateway import InMemoryStripeGateway
from slivers.payments.rules import ledger
from tests.integration.conftest import ApiClient, Factory, StaffFactory
from tests.integration.payments.budgets.test_booking_hooks import balances
from tests.integration.payments.conftest import BudgetMaker, Household
from tests.integration.payments.providers import test_stripe_flow as flow
from tests.integration.payments.providers.test_connect_flow import connect_card_booking, self_employed

ACTIONS, RECONCILE = flow.ACTIONS, flow.RECONCILE
WEBHOOK = "/api/v1/payments/stripe/webhook"
SHARE = 1425  # an hour at £15.00, less the 5% fee


@dataclass
class ConnectKit:
    app: Litestar
    gateway: InMemoryStripeGateway
    coordinator: ApiClient
    org_id: str
    funded_budget: BudgetMaker
    household: Household
    webhook: ApiClient

    @property
    def wiring(self) -> Any:
        return self.app.state.wiring

    async def worker(self, user: Factory) -> tuple[uuid.UUID, str]:
        """A self-employed worker of the organisation with a Connect account not yet enabled."""
        worker_id = await self_employed(self.app, await user("worker"), organisation=self.org_id)
        account = self.gateway.create_connect_account(worker_id=str(worker_id), key=f"w:{worker_id}")
        async with self.wiring.unit_of_work() as session:
            session.add(WorkerPayoutAccount(worker_id=worker_id, stripe_account_id=account.id))
        return worker_id, account.id

    async def approved(self, worker_id: uuid.UUID) -> uuid.UUID:
        """A card visit by the worker, confirmed, approved and its card captured by the sweep."""
        money = await connect_card_booking(self.app, self.funded_budget, self.household, worker_id)
        assert await run_once(self.wiring, ACTIONS) == 1
        return money.booking_id

    def stripe_enables(self, account_id: str, enabled: bool = True) -> None:
        state = self.gateway.accounts[account_id]
        self.gateway.accounts[account_id] = replace(
            state, details_submitted=True, charges_enabled=enabled, payouts_enabled=enabled
        )

    async def account_updated(self, account_id: str, event_id: str) -> str:
        """Deliver a verified `account.updated` (the webhook re-reads the account from our fake)."""
        updated = flow.event(account_id, "account.updated", event_id)
        updated["account"] = account_id
        updated["data"] = {"object": {"id": account_id, "object": "account"}}
        body, headers = flow.signed(updated)
        response = await self.webhook.post(WEBHOOK, content=body, headers=headers)
        assert response.status_code == 200, response.text
        outcome: str = response.json()["outcome"]
        return outcome

    async def bank_run(self) -> list[dict[str, Any]]:
        response = await self.coordinator.post(f"/api/v1/organisations/{self.org_id}/payouts")
        assert response.status_code == 200, response.text
        recorded: list[dict[str, Any]] = response.json()["recorded"]
        return recorded

    async def left(self, worker_id: uuid.UUID) -> tuple[int, int]:
        """What is still payable to the worker, and what left for them (transfers plus bank payouts)."""
        payable = ledger.worker_account(worker_id)
        async with self.wiring.unit_of_work() as session:
            posted = await DbLedger(session, self.wiring.clock).touching([payable])
        paid = sum(
            -t.transaction.amount_for(payable)
            for t in posted
            if t.transaction.kind is ledger.TransactionKind.PAYOUT
        )
        return (await balances(self.app, payable))[0], paid

    def transfers_to(self, account_id: str) -> list[tuple[int, str]]:
        return [
            (t.amount_pence, t.transfer_group) for t in self.gateway.transfers if t.destination == account_id
        ]

    async def late_action(self, booking_id: uuid.UUID) -> PaymentAction | None:
        async with self.wiring.unit_of_work() as session:
            found: PaymentAction | None = await session.scalar(
                select(PaymentAction).where(PaymentAction.key == f"booking:{booking_id}:approve:transfer")
            )
        return found


def stripe_settings(database_url: str, tmp_path: Path) -> Settings:
    """The Stripe provider with the webhook secret the tests sign with (Stripe itself is the fake)."""
    return Settings(
        database_url=database_url,
        data_dir=tmp_path / "data",
        secret_key="test-secret-key-" * 3,
        payment_provider="stripe",
        stripe_api_key="sk_test_fake",
        stripe_webhook_secret=flow.SECRET,
    )


async def make_kit(
    app: Litestar,
    org_staff: StaffFactory,
    funded_budget: BudgetMaker,
    household: Household,
    webhook: ApiClient,
    gateway: InMemoryStripeGateway | None = None,
) -> ConnectKit:
    gateway = gateway or InMemoryStripeGateway()
    app.state.wiring.stripe_gateway = gateway
    coordinator = await org_staff("Stevenage Crossroads", "charity")
    org_id = coordinator.user["organisations"][0]["id"]
    return ConnectKit(app, gateway, coordinator, org_id, funded_budget, household, webhook)
