"""Stripe Connect on the real databases against the fake Stripe on 127.0.0.1: onboarding creates one
account, a verified `account.updated` enables payouts, an approved card booking pays a self-employed
worker by exactly one transfer (through timeouts, repeated sweeps and expired keys), and the bank run
leaves it alone."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import timedelta

from litestar import Litestar
from sqlalchemy import select

from slivers.accounts.models import Worker
from slivers.jobs.registry import run_once
from slivers.notifications.models import OutboxMessage
from slivers.payments.budgets import booking_hooks as hooks
from slivers.payments.models import PaymentAction, WorkerPayoutAccount
from slivers.payments.providers.fake_gateway import FakeStripeError, InMemoryStripeGateway
from slivers.payments.providers.stripe_gateway import IntentResult, StripeClientGateway, make_stripe_client
from slivers.payments.rules import ledger
from tests.integration.conftest import ApiClient, Factory, StaffFactory, assert_problem
from tests.integration.payments.budgets.test_booking_hooks import balances
from tests.integration.payments.conftest import BudgetMaker, Household, confirmed_card_booking
from tests.integration.payments.providers import test_stripe_flow as flow
from tests.unit.payments.conftest import NoWaitRequestsClient
from tests.unit.payments.providers.fake_stripe import FakeStripeServer

fake_stripe = flow.fake_stripe
settings = flow.settings
ACTIONS = flow.ACTIONS
PATH = "/api/v1/workers/me/payout-account"


async def self_employed(app: Litestar, client: ApiClient, *, organisation: str | None = None) -> uuid.UUID:
    worker_id = uuid.UUID(client.user["worker_id"])
    async with app.state.wiring.unit_of_work() as session:
        worker = await session.get(Worker, worker_id)
        assert worker is not None
        worker.self_employed = True
        worker.organisation_id = uuid.UUID(organisation) if organisation else None
    return worker_id


async def test_onboarding_creates_one_account_and_account_updated_enables_payouts(
    app: Litestar, user: Factory, fake_stripe: FakeStripeServer, anonymous: Callable[[], ApiClient]
) -> None:
    worker = await user("worker")
    worker_id = await self_employed(app, worker)
    answers = [await worker.post(PATH) for _ in range(3)]
    assert all(a.status_code == 200 for a in answers), answers[0].text
    (account,) = fake_stripe.created("acct")
    assert {a.json()["account"]["stripe_account_id"] for a in answers} == {account["id"]}
    assert {r.idempotency_key for r in fake_stripe.posts_to("/v1/accounts")} == {
        f"worker:{worker_id}:connect:account"
    }
    link = fake_stripe.posts_to("/v1/account_links")[0]
    assert link.form["return_url"].endswith("/work?payout_account=done")
    assert answers[0].json()["onboarding_url"].startswith("https://")
    assert (await worker.get(PATH)).json()["status"] == "details_needed"

    fake_stripe.update(account["id"], details_submitted=True, charges_enabled=True, payouts_enabled=True)
    updated = flow.event(account["id"], "account.updated", "evt_acct")
    updated["account"] = account["id"]
    updated["data"] = {"object": {"id": account["id"], "object": "account"}}
    body, headers = flow.signed(updated)
    client = anonymous()
    delivered = [
        (await client.post("/api/v1/payments/stripe/webhook", content=body, headers=headers)).json()[
            "outcome"
        ]
        for _ in range(2)
    ]
    assert delivered == ["applied", "duplicate"]
    status = (await worker.get(PATH)).json()
    assert (status["status"], status["payouts_enabled"]) == ("enabled", True)
    assert "bank account" in status["status_text"]

    own = await worker.get(f"/api/v1/workers/{worker_id}/payout-account")
    assert own.json()["stripe_account_id"] == account["id"]
    for stranger in (await user("carer"), await user("worker")):
        assert_problem(await stranger.get(f"/api/v1/workers/{worker_id}/payout-account"), 404)


async def test_volunteers_employed_workers_and_non_workers_cannot_onboard(
    app: Litestar, user: Factory, fake_stripe: FakeStripeServer
) -> None:
    assert_problem(await (await user("volunteer")).post(PATH), 403, rule="volunteer_not_paid")
    assert_problem(await (await user("worker")).post(PATH), 403, rule="not_self_employed")
    assert_problem(await (await user("carer")).post(PATH), 404, rule="not_a_worker")
    assert fake_stripe.requests == []


async def connect_card_booking(
    app: Litestar, funded_budget: BudgetMaker, household: Household, worker_id: uuid.UUID
) -> hooks.BookingMoney:
    """A visit today on a self-funder's saved card by a Connect worker, confirmed and authorised."""
    wiring = app.state.wiring
    money = await confirmed_card_booking(app, funded_budget, household, worker_id)
    assert await run_once(wiring, ACTIONS) == 1
    async with wiring.unit_of_work() as session:  # the visit is approved (twice: a retried request)
        await hooks.on_approve(session, wiring.clock, money, 60, settings=wiring.settings)
        await hooks.on_approve(session, wiring.clock, money, 60, settings=wiring.settings)
    return money


async def test_an_approved_booking_pays_a_connect_worker_by_exactly_one_transfer(
    app: Litestar,
    user: Factory,
    org_staff: StaffFactory,
    funded_budget: BudgetMaker,
    household: Household,
    fake_stripe: FakeStripeServer,
) -> None:
    wiring = app.state.wiring
    http = NoWaitRequestsClient(timeout=(5.0, 0.5))
    client = make_stripe_client(
        "sk_test_fake", api_base=fake_stripe.url, max_network_retries=0, http_client=http
    )
    wiring.stripe_gateway = StripeClientGateway(client)  # gives up after half a second, no retries
    coordinator = await org_staff("Stevenage Crossroads", "charity")
    org_id = coordinator.user["organisations"][0]["id"]
    worker_id = await self_employed(app, await user("worker"), organisation=org_id)
    async with wiring.unit_of_work() as session:
        session.add(
            WorkerPayoutAccount(worker_id=worker_id, stripe_account_id="acct_w", payouts_enabled=True)
        )

    money = await connect_card_booking(app, funded_budget, household, worker_id)
    fake_stripe.stall_next("/v1/transfers")  # Stripe makes the transfer; its answer never reaches us
    assert await run_once(wiring, ACTIONS) == 0
    assert await run_once(wiring, ACTIONS) == 1  # the retry: Stripe replays the first answer
    assert await run_once(wiring, ACTIONS) == 0
    (transfer,) = fake_stripe.created("tr")
    assert (transfer["amount"], transfer["destination"], transfer["transfer_group"]) == (
        1425,  # £15.00 less the 5% fee
        "acct_w",
        f"booking:{money.booking_id}",
    )
    sent = fake_stripe.posts_to("/v1/transfers")
    assert {r.idempotency_key for r in sent} == {f"booking:{money.booking_id}:approve:transfer"}
    assert [r.replayed for r in sent] == [False, True]
    assert transfer["source_transaction"] is not None
    payable = ledger.worker_account(worker_id)
    assert await balances(app, payable, ledger.PAYMENT_CLEARING) == [0, 1425]

    # A second visit whose transfer answer is lost, retried a day later when Stripe forgot the key.
    later = await connect_card_booking(app, funded_budget, household, worker_id)
    fake_stripe.stall_next("/v1/transfers")
    assert await run_once(wiring, ACTIONS) == 0
    payouts = f"/api/v1/organisations/{org_id}/payouts"
    assert (await coordinator.post(payouts)).json()["recorded"] == []  # owed by Connect, not the bank
    fake_stripe.forget_keys()
    wiring.clock.advance(timedelta(hours=25))
    assert await run_once(wiring, ACTIONS) == 1
    assert [t["transfer_group"] for t in fake_stripe.created("tr")] == [
        f"booking:{money.booking_id}",
        f"booking:{later.booking_id}",
    ]
    assert len(fake_stripe.posts_to("/v1/transfers")) == 3  # 2 for the first visit, 1 for this one
    assert await balances(app, payable) == [0]
    assert (await coordinator.post(payouts)).json()["recorded"] == []
    exported = await coordinator.get(f"{payouts}.csv")
    assert exported.text.strip().splitlines() == ["reference,payee_id,payee_name,amount_gbp,due_on"]
    http.close()  # type: ignore[no-untyped-call]


class DecliningGateway(InMemoryStripeGateway):
    def authorise_card(
        self,
        *,
        booking_id: str,
        amount_pence: int,
        customer: str,
        key: str,
        payment_method: str | None = None,
    ) -> IntentResult:
        raise FakeStripeError("card_declined")


async def test_the_fifth_failure_tells_the_coordinators_of_the_workers_organisation(
    app: Litestar,
    user: Factory,
    org_staff: StaffFactory,
    funded_budget: BudgetMaker,
    household: Household,
) -> None:
    wiring = app.state.wiring
    wiring.stripe_gateway = DecliningGateway()
    first = await org_staff("Stevenage Crossroads", "charity")
    second = await org_staff("Stevenage Crossroads", "charity")
    await org_staff("Another Charity", "charity")
    org_id = first.user["organisations"][0]["id"]
    worker_id = await self_employed(app, await user("worker"), organisation=org_id)
    money = await confirmed_card_booking(app, funded_budget, household, worker_id)

    async def told() -> list[OutboxMessage]:
        async with wiring.unit_of_work() as session:
            found = await session.scalars(
                select(OutboxMessage).where(OutboxMessage.template == "payments_provider_action_failed")
            )
            return list(found)

    for _ in range(4):
        await run_once(wiring, ACTIONS)
    assert await told() == []
    await run_once(wiring, ACTIONS)
    await run_once(wiring, ACTIONS)  # failed for good: not tried again, nobody told twice
    messages = await told()
    # One message per coordinator and channel: both coordinators of the worker's organisation, nobody else.
    assert {str(m.recipient_id) for m in messages} == {first.user["id"], second.user["id"]}
    assert len(messages) == len({(m.recipient_id, m.channel) for m in messages})
    assert {m.data["booking_id"] for m in messages} == {str(money.booking_id)}
    assert {(m.data["action"], m.data["attempts"], m.data["error"]) for m in messages} == {
        ("confirm", 5, "FakeStripeError")
    }
    async with wiring.unit_of_work() as session:
        action = await session.scalar(
            select(PaymentAction).where(PaymentAction.booking_id == money.booking_id)
        )
        assert action is not None
        assert (action.status, action.attempts) == ("failed", 5)
