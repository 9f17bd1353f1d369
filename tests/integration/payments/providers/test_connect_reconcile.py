"""Reconciliation re-reads workers' Connect accounts, so a lost `account.updated` cannot leave a worker
unable to be paid: an account not yet enabled is re-read on every run, an enabled one once a day."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from litestar import Litestar

from slivers.config import Settings
from slivers.jobs.registry import run_once
from slivers.payments.providers.fake_gateway import InMemoryStripeGateway
from slivers.payments.providers.stripe_gateway import ConnectAccountState
from tests.integration.conftest import ApiClient, Factory, StaffFactory
from tests.integration.payments.conftest import BudgetMaker, Household
from tests.integration.payments.providers.connect_kit import RECONCILE, ConnectKit, make_kit, stripe_settings


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return stripe_settings(database_url, tmp_path)


class CountingGateway(InMemoryStripeGateway):
    def __init__(self) -> None:
        super().__init__()
        self.account_reads: list[str] = []

    def retrieve_account(self, account_id: str) -> ConnectAccountState:
        self.account_reads.append(account_id)
        return super().retrieve_account(account_id)


@pytest.fixture
async def kit(
    app: Litestar,
    org_staff: StaffFactory,
    funded_budget: BudgetMaker,
    household: Household,
    anonymous: Callable[[], ApiClient],
) -> ConnectKit:
    return await make_kit(app, org_staff, funded_budget, household, anonymous(), CountingGateway())


async def test_reconciliation_finds_what_a_lost_account_updated_would_have_told_us(
    kit: ConnectKit, user: Factory
) -> None:
    gateway = kit.gateway
    assert isinstance(gateway, CountingGateway)
    worker_id, account = await kit.worker(user)
    _, other = await kit.worker(user)
    assert await run_once(kit.wiring, RECONCILE) == 0  # nothing changed at Stripe yet
    assert sorted(gateway.account_reads) == sorted([account, other])  # both re-read: not enabled

    kit.stripe_enables(account)  # onboarding finished; the webhook never arrived
    assert await run_once(kit.wiring, RECONCILE) == 1
    status = (await kit.coordinator.get(f"/api/v1/workers/{worker_id}/payout-account")).json()
    assert (status["status"], status["payouts_enabled"]) == ("enabled", True)

    gateway.account_reads.clear()
    kit.wiring.clock.advance(timedelta(hours=6))
    assert await run_once(kit.wiring, RECONCILE) == 0
    assert gateway.account_reads == [other]  # an enabled account read today is left alone

    kit.stripe_enables(account, enabled=False)  # Stripe needs more details: payouts are off again
    kit.wiring.clock.advance(timedelta(hours=18, minutes=1))
    assert await run_once(kit.wiring, RECONCILE) == 1  # a day on, the enabled account is re-read too
    status = (await kit.coordinator.get(f"/api/v1/workers/{worker_id}/payout-account")).json()
    assert (status["status"], status["payouts_enabled"]) == ("checking", False)
