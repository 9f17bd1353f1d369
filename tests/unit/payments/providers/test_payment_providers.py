"""Providers: the 6-day rule, capture and transfer amounts, and keys per business action."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest

from slivers.clock import FrozenClock
from slivers.payments.providers.fake_gateway import InMemoryStripeGateway
from slivers.payments.providers.payment_providers import (
    ActionKind,
    BookingPayment,
    CardFlow,
    CardOnFile,
    LedgerProvider,
    PaymentNotReady,
    PayoutDue,
    StripeProvider,
    choose_card_flow,
    saved_card_charge_due_at,
)
from slivers.payments.providers.stripe_gateway import StripeClientGateway
from slivers.payments.rules.ledger import split_charge
from tests.unit.payments.conftest import NOW

from .fake_stripe import FakeStripeServer

CARD = CardOnFile("cus_1", "pm_1")


def booking(starts_in: timedelta, **changes: object) -> BookingPayment:
    values: dict[str, object] = {
        "booking_id": "42",
        "worker_id": "w1",
        "starts_at": NOW + starts_in,
        "amount_pence": 3813,
        "card": CARD,
        "worker_connect_account": "acct_w1",
    }
    values.update(changes)
    return BookingPayment(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("starts_in", "flow"),
    [
        (timedelta(hours=3), CardFlow.AUTHORISE_NOW),
        (timedelta(days=6), CardFlow.AUTHORISE_NOW),
        (timedelta(days=6, seconds=1), CardFlow.SAVE_CARD),
        (timedelta(days=30), CardFlow.SAVE_CARD),
    ],
)
def test_six_day_rule(starts_in: timedelta, flow: CardFlow) -> None:
    assert choose_card_flow(NOW + starts_in, NOW) is flow


def test_saved_card_is_charged_two_days_before() -> None:
    assert saved_card_charge_due_at(NOW + timedelta(days=10)) == NOW + timedelta(days=8)


def test_confirm_within_six_days_authorises_through_the_real_sdk(
    gateway: StripeClientGateway, fake_stripe: FakeStripeServer, clock: FrozenClock
) -> None:
    provider = StripeProvider(gateway, clock)
    (action,) = provider.on_confirm(booking(timedelta(days=2)), "booking:42:confirm")
    assert action.kind is ActionKind.AUTHORISED
    (request,) = fake_stripe.requests
    assert (request.path, request.idempotency_key) == ("/v1/payment_intents", "booking:42:confirm")
    assert request.form["capture_method"] == "manual"


def test_confirm_further_ahead_saves_the_card_through_the_real_sdk(
    gateway: StripeClientGateway, fake_stripe: FakeStripeServer, clock: FrozenClock
) -> None:
    provider = StripeProvider(gateway, clock)
    (action,) = provider.on_confirm(booking(timedelta(days=9)), "booking:42:confirm")
    assert action.kind is ActionKind.CARD_SAVED
    (request,) = fake_stripe.requests
    assert (request.path, request.idempotency_key) == ("/v1/setup_intents", "booking:42:confirm")
    clock.advance(timedelta(days=7))  # the job's turn: two days before the visit
    (charged,) = provider.charge_saved_card(booking(timedelta(days=9)), "booking:42:charge")
    assert charged.kind is ActionKind.CHARGED
    assert fake_stripe.requests[-1].form["off_session"] == "true"


def test_approve_captures_the_actual_charge_and_transfers_the_worker_share(
    gateway: StripeClientGateway, fake_stripe: FakeStripeServer, clock: FrozenClock
) -> None:
    provider = StripeProvider(gateway, clock)
    (auth,) = provider.on_confirm(booking(timedelta(days=1)), "booking:42:confirm")
    charge, to_worker, _fee = split_charge(3178, 1000)
    confirmed = booking(timedelta(days=1), payment_intent_id=auth.reference, authorised_pence=3813)
    actions = provider.on_approve(confirmed, charge, to_worker, "booking:42:approve")
    assert [a.kind for a in actions] == [ActionKind.CAPTURED, ActionKind.TRANSFERRED]
    capture, transfer = fake_stripe.requests[1:]
    assert (capture.idempotency_key, capture.form["amount_to_capture"]) == (
        "booking:42:approve:capture",
        "3178",
    )
    assert (transfer.idempotency_key, transfer.form["amount"]) == ("booking:42:approve:transfer", "2860")
    assert transfer.form["transfer_group"] == "booking:42"
    assert transfer.form["destination"] == "acct_w1"
    # Approving again (a retried request, the 48-hour job racing a person) moves no more money.
    provider.on_approve(confirmed, charge, to_worker, "booking:42:approve")
    assert len(fake_stripe.created("tr")) == 1
    assert fake_stripe.created("pi")[0]["amount_received"] == 3178


def test_a_visit_that_ran_over_charges_the_difference_to_the_saved_card(clock: FrozenClock) -> None:
    gateway = InMemoryStripeGateway()
    provider = StripeProvider(gateway, clock)
    (auth,) = provider.on_confirm(booking(timedelta(days=1)), "booking:42:confirm")
    confirmed = booking(timedelta(days=1), payment_intent_id=auth.reference, authorised_pence=3813)
    actions = provider.on_approve(confirmed, 4000, 3600, "booking:42:approve")
    assert [(a.kind, a.amount_pence) for a in actions] == [
        (ActionKind.CAPTURED, 3813),
        (ActionKind.CHARGED, 187),
        (ActionKind.CAPTURED, 187),
        (ActionKind.TRANSFERRED, 3600),
    ]


def test_free_cancel_releases_the_authorisation_and_late_cancel_captures_the_fee(clock: FrozenClock) -> None:
    gateway = InMemoryStripeGateway()
    provider = StripeProvider(gateway, clock)
    (auth,) = provider.on_confirm(booking(timedelta(days=1)), "booking:42:confirm")
    confirmed = booking(timedelta(days=1), payment_intent_id=auth.reference, authorised_pence=3813)
    (cancelled,) = provider.on_cancel(confirmed, 0, 0, "booking:42:cancel")
    assert cancelled.kind is ActionKind.CANCELLED
    assert gateway.intents[auth.reference or ""].status == "canceled"

    (auth2,) = provider.on_confirm(booking(timedelta(days=1), booking_id="43"), "booking:43:confirm")
    late = booking(
        timedelta(days=1), booking_id="43", payment_intent_id=auth2.reference, authorised_pence=3813
    )
    actions = provider.on_cancel(late, 2542, 2288, "booking:43:cancel")
    assert [(a.kind, a.key, a.amount_pence) for a in actions] == [
        (ActionKind.CAPTURED, "booking:43:cancel:capture", 2542),
        (ActionKind.TRANSFERRED, "booking:43:cancel:transfer", 2288),
    ]


def test_cancelling_after_capture_refunds_what_was_taken_less_any_late_fee(clock: FrozenClock) -> None:
    gateway = InMemoryStripeGateway()
    provider = StripeProvider(gateway, clock)
    payments = {}
    for booking_id in ("44", "45"):
        (auth,) = provider.on_confirm(booking(timedelta(days=1), booking_id=booking_id), f"b:{booking_id}")
        gateway.capture(auth.reference or "", amount_pence=3813, key=f"b:{booking_id}:early-capture")
        payments[booking_id] = booking(
            timedelta(days=1), booking_id=booking_id, payment_intent_id=auth.reference, authorised_pence=3813
        )

    free = provider.on_cancel(payments["44"], 0, 0, "booking:44:cancel")
    assert [(a.kind, a.key, a.amount_pence) for a in free] == [
        (ActionKind.REFUNDED, "booking:44:cancel:refund", 3813)
    ]
    late = provider.on_cancel(payments["45"], 2542, 2288, "booking:45:cancel")
    assert [(a.kind, a.key, a.amount_pence) for a in late] == [
        (ActionKind.REFUNDED, "booking:45:cancel:refund", 3813 - 2542),
        (ActionKind.TRANSFERRED, "booking:45:cancel:transfer", 2288),
    ]
    again = provider.on_cancel(payments["45"], 2542, 2288, "booking:45:cancel")  # a retried sweep
    assert [a.reference for a in again] == [a.reference for a in late]
    assert len(gateway.refunds) == 2
    assert not any(c.operation == "cancel_authorisation" for c in gateway.calls)


def test_approve_without_an_authorisation_is_refused(clock: FrozenClock) -> None:
    provider = StripeProvider(InMemoryStripeGateway(), clock)
    with pytest.raises(PaymentNotReady):
        provider.on_approve(booking(timedelta(days=1)), 3813, 3432, "booking:42:approve")


def test_budget_funded_bookings_never_touch_stripe(clock: FrozenClock) -> None:
    gateway = InMemoryStripeGateway()
    provider = StripeProvider(gateway, clock)
    plain = booking(timedelta(days=1), card=None, worker_connect_account=None)
    assert provider.on_confirm(plain, "booking:42:confirm")[0].kind is ActionKind.LEDGER_ONLY
    assert provider.on_approve(plain, 3813, 3432, "booking:42:approve") == []
    assert gateway.calls == []


def test_ledger_provider_works_offline_and_exports_payouts() -> None:
    provider = LedgerProvider()
    assert (
        provider.on_confirm(booking(timedelta(days=1)), "booking:42:confirm")[0].kind
        is ActionKind.LEDGER_ONLY
    )
    assert provider.payout("w1", 2860, "payout:2026-05:w1")[0].kind is ActionKind.PAYOUT_DUE
    text = provider.export_payouts_csv(
        [
            PayoutDue("payout:2026-05:w1", "w1", "Ann Smith", 2860, NOW),
            PayoutDue("payout:2026-05:w2", "w2", '=HYPERLINK("http://x")', 100_000, NOW),
        ]
    )
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["reference", "payee_id", "payee_name", "amount_gbp", "due_on"]
    assert rows[1] == ["payout:2026-05:w1", "w1", "Ann Smith", "28.60", "2026-05-04"]
    assert rows[2][2] == '\'=HYPERLINK("http://x")'
    assert rows[2][3] == "1000.00"
