"""Stripe end to end on the real databases: verified webhooks through HTTP, card calls after commit
under our keys, and reconciliation, against the fake Stripe on 127.0.0.1 (the real SDK's HTTP stack)."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import stripe
from litestar import Litestar
from sqlalchemy import func, select

from slivers.config import Settings
from slivers.jobs.registry import run_once
from slivers.payments.budgets import booking_hooks as hooks
from slivers.payments.jobs import JOBS
from slivers.payments.models import Budget, CardPayment, StripeEvent
from tests.integration.conftest import ApiClient, Factory, assert_problem
from tests.integration.payments.conftest import BudgetMaker, Household, confirmed_card_booking
from tests.unit.payments.providers.fake_stripe import FakeStripeServer

SECRET = "whsec_integration"
ACTIONS, RECONCILE = JOBS


@pytest.fixture
def fake_stripe(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeStripeServer]:
    monkeypatch.setattr(stripe, "enable_telemetry", False)
    server = FakeStripeServer().start()
    yield server
    server.stop()


@pytest.fixture
def settings(database_url: str, tmp_path: Path, fake_stripe: FakeStripeServer) -> Settings:
    return Settings(
        database_url=database_url,
        data_dir=tmp_path / "data",
        secret_key="test-secret-key-" * 3,
        payment_provider="stripe",
        stripe_api_key="sk_test_fake",
        stripe_webhook_secret=SECRET,
        stripe_api_base=fake_stripe.url,
    )


def signed(event: dict[str, object], *, age_seconds: int = 0) -> tuple[bytes, dict[str, str]]:
    body = json.dumps(event).encode()
    timestamp = int(time.time()) - age_seconds
    mac = hmac.new(SECRET.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return body, {"stripe-signature": f"t={timestamp},v1={mac}", "content-type": "application/json"}


def event(
    object_id: str, kind: str = "payment_intent.succeeded", event_id: str = "evt_1"
) -> dict[str, object]:
    return {
        "id": event_id,
        "object": "event",
        "type": kind,
        "created": int(time.time()),
        "livemode": False,
        "data": {"object": {"id": object_id, "object": "payment_intent"}},
    }


async def stored_events(app: Litestar) -> int:
    async with app.state.wiring.unit_of_work() as session:
        return int(await session.scalar(select(func.count()).select_from(StripeEvent)) or 0)


async def test_a_webhook_is_verified_and_processed_once_however_often_it_arrives(
    app: Litestar, anonymous: Callable[[], ApiClient]
) -> None:
    client = anonymous()
    body, headers = signed(event("pi_unknown"))
    outcomes = []
    for _ in range(3):
        response = await client.post("/api/v1/payments/stripe/webhook", content=body, headers=headers)
        assert response.status_code == 200, response.text
        outcomes.append(response.json()["outcome"])
    assert outcomes == ["stored", "duplicate", "duplicate"]
    assert await stored_events(app) == 1


async def test_a_tampered_body_or_an_old_timestamp_is_refused_and_nothing_stored(
    app: Litestar, anonymous: Callable[[], ApiClient]
) -> None:
    client = anonymous()
    body, headers = signed(event("pi_1", event_id="evt_tampered"))
    tampered = body.replace(b"pi_1", b"pi_2")
    assert_problem(
        await client.post("/api/v1/payments/stripe/webhook", content=tampered, headers=headers), 400
    )
    old_body, old_headers = signed(event("pi_1", event_id="evt_old"), age_seconds=600)
    assert_problem(
        await client.post("/api/v1/payments/stripe/webhook", content=old_body, headers=old_headers), 400
    )
    unsigned = await client.post("/api/v1/payments/stripe/webhook", content=body)
    assert_problem(unsigned, 400)
    assert await stored_events(app) == 0


async def card_payment(app: Litestar, booking_id: uuid.UUID) -> CardPayment:
    async with app.state.wiring.unit_of_work() as session:
        found: CardPayment | None = await session.scalar(
            select(CardPayment).where(CardPayment.booking_id == booking_id)
        )
    assert found is not None
    return found


async def test_a_self_funder_pays_by_card_once_per_action(
    app: Litestar,
    funded_budget: BudgetMaker,
    household: Household,
    fake_stripe: FakeStripeServer,
    anonymous: Callable[[], ApiClient],
) -> None:
    wiring = app.state.wiring
    money = await confirmed_card_booking(app, funded_budget, household)
    assert fake_stripe.requests == []  # nothing left our process inside the booking's transaction
    assert await run_once(wiring, ACTIONS) == 1
    assert await run_once(wiring, ACTIONS) == 0
    (create,) = fake_stripe.posts_to("/v1/payment_intents")
    assert (create.idempotency_key, create.form["capture_method"]) == (
        f"booking:{money.booking_id}:confirm",
        "manual",
    )
    intent_id = (await card_payment(app, money.booking_id)).payment_intent_id
    assert intent_id is not None

    for _ in range(5):
        async with wiring.unit_of_work() as session:
            await hooks.on_approve(session, wiring.clock, money, 50, settings=wiring.settings)
    assert await run_once(wiring, ACTIONS) == 1
    (capture,) = fake_stripe.posts_to(f"/v1/payment_intents/{intent_id}/capture")
    assert capture.form == {"amount_to_capture": "1250"}

    body, headers = signed(event(intent_id, event_id="evt_captured"))
    response = await anonymous().post("/api/v1/payments/stripe/webhook", content=body, headers=headers)
    assert response.json()["outcome"] == "applied"
    paid = await card_payment(app, money.booking_id)
    assert (paid.status, paid.received_pence) == ("succeeded", 1250)


async def test_reconciliation_repairs_what_a_lost_webhook_would_have_told_us(
    app: Litestar, funded_budget: BudgetMaker, household: Household, fake_stripe: FakeStripeServer
) -> None:
    wiring = app.state.wiring
    money = await confirmed_card_booking(app, funded_budget, household)
    await run_once(wiring, ACTIONS)
    intent_id = (await card_payment(app, money.booking_id)).payment_intent_id
    assert intent_id is not None
    with fake_stripe.state.lock:  # the card was cancelled on Stripe's side; the webhook never came
        fake_stripe.state.objects[intent_id]["status"] = "canceled"
    assert await run_once(wiring, RECONCILE) == 1
    assert (await card_payment(app, money.booking_id)).status == "canceled"
    assert await run_once(wiring, RECONCILE) == 0


async def card_booking(app: Litestar, funded_budget: BudgetMaker, household: Household) -> hooks.BookingMoney:
    """A visit today for a self-funder with a saved card, confirmed, its card authorised by the sweep."""
    wiring = app.state.wiring
    money = await confirmed_card_booking(app, funded_budget, household)
    assert await run_once(wiring, ACTIONS) == 1
    return money


async def test_cancelling_a_captured_payment_refunds_it_once_under_our_key(
    app: Litestar, funded_budget: BudgetMaker, household: Household, fake_stripe: FakeStripeServer
) -> None:
    wiring = app.state.wiring
    money = await card_booking(app, funded_budget, household)
    intent_id = (await card_payment(app, money.booking_id)).payment_intent_id
    assert intent_id is not None
    with fake_stripe.state.lock:  # captured already (an earlier step, or by hand in the dashboard)
        fake_stripe.state.objects[intent_id].update(
            status="succeeded", amount_received=1500, amount_capturable=0
        )

    for _ in range(3):  # a retried cancellation records one action
        async with wiring.unit_of_work() as session:
            await hooks.on_cancel(session, wiring.clock, money, 0, settings=wiring.settings)
    assert await run_once(wiring, ACTIONS) == 1
    assert await run_once(wiring, ACTIONS) == 0
    (refund,) = fake_stripe.posts_to("/v1/refunds")
    assert refund.idempotency_key == f"booking:{money.booking_id}:cancel:refund"
    assert refund.form == {"payment_intent": intent_id, "amount": "1500"}
    assert fake_stripe.posts_to(f"/v1/payment_intents/{intent_id}/cancel") == []
    assert (await card_payment(app, money.booking_id)).status == "refunded"
    await run_once(wiring, RECONCILE)  # Stripe still calls the intent `succeeded`: our word stands
    assert (await card_payment(app, money.booking_id)).status == "refunded"


async def test_a_self_funder_saves_a_card_and_the_verified_webhook_stores_it_on_the_budget(
    app: Litestar,
    household: Household,
    fake_stripe: FakeStripeServer,
    anonymous: Callable[[], ApiClient],
    user: Factory,
) -> None:
    created = await household.carer.post(
        f"/api/v1/persons/{household.person_id}/budgets", json={"kind": "self_funded", "name": "Own money"}
    )
    budget_id = uuid.UUID(created.json()["id"])
    path = f"/api/v1/budgets/{budget_id}/card-setup"
    first = await household.carer.post(path)
    again = await household.carer.post(path)  # a double click: the same intent
    assert first.status_code == again.status_code == 200, first.text
    setup_id = first.json()["setup_intent_id"]
    assert again.json() == first.json()
    assert first.json()["client_secret"].startswith(f"{setup_id}_secret")
    (customer,) = fake_stripe.created("cus")
    (create,) = [r for r in fake_stripe.posts_to("/v1/setup_intents") if not r.replayed]
    assert create.form["usage"] == "off_session"
    assert create.idempotency_key == f"budget:{budget_id}:card-setup:2026-11-25"
    stranger = await user("carer")
    assert_problem(await stranger.post(path), 404)

    async def stored() -> tuple[str | None, str | None]:
        async with app.state.wiring.unit_of_work() as session:
            budget = await session.get(Budget, budget_id)
            assert budget is not None
            return budget.stripe_customer_id, budget.stripe_payment_method_id

    assert await stored() == (None, None)  # nothing is chargeable until Stripe says the card is saved
    with fake_stripe.state.lock:  # the browser confirmed the card with Stripe.js
        fake_stripe.state.objects[setup_id].update(status="succeeded", payment_method="pm_saved")
    succeeded = event(setup_id, "setup_intent.succeeded", "evt_setup")
    succeeded["data"] = {"object": {"id": setup_id, "object": "setup_intent"}}
    body, headers = signed(succeeded)
    client = anonymous()
    response = await client.post("/api/v1/payments/stripe/webhook", content=body, headers=headers)
    assert response.json()["outcome"] == "applied"
    again_delivered = await client.post("/api/v1/payments/stripe/webhook", content=body, headers=headers)
    assert again_delivered.json()["outcome"] == "duplicate"
    assert await stored() == (customer["id"], "pm_saved")
