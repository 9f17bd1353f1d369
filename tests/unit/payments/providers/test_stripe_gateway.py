"""The real SDK against a fake Stripe on 127.0.0.1: keys, amounts and retries."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import stripe

from slivers.payments.providers.stripe_gateway import StripeClientGateway

from .fake_stripe import FakeStripeServer


def test_authorise_then_capture_sends_our_keys_and_amounts(
    gateway: StripeClientGateway, fake_stripe: FakeStripeServer
) -> None:
    intent = gateway.authorise_card(
        booking_id="42", amount_pence=3813, customer="cus_1", payment_method="pm_1", key="booking:42:confirm"
    )
    assert intent.status == "requires_capture"
    captured = gateway.capture(intent.id, amount_pence=3178, key="booking:42:capture")
    assert (captured.status, captured.amount_received_pence) == ("succeeded", 3178)

    create, capture = fake_stripe.posts_to("/v1/payment_intents")
    assert create.idempotency_key == "booking:42:confirm"
    assert create.form["capture_method"] == "manual"
    assert create.form["amount"] == "3813"
    assert create.form["currency"] == "gbp"
    assert create.form["transfer_group"] == "booking:42"
    assert capture.idempotency_key == "booking:42:capture"
    assert capture.form == {"amount_to_capture": "3178"}


def test_save_card_and_charge_off_session(
    gateway: StripeClientGateway, fake_stripe: FakeStripeServer
) -> None:
    setup = gateway.save_card(booking_id="7", customer="cus_1", key="booking:7:confirm")
    assert setup.id.startswith("seti_")
    charged = gateway.charge_saved_card(
        booking_id="7", amount_pence=2542, customer="cus_1", payment_method="pm_1", key="booking:7:charge"
    )
    assert charged.status == "requires_capture"
    (setup_request,) = fake_stripe.posts_to("/v1/setup_intents")
    assert setup_request.form["usage"] == "off_session"
    (charge_request,) = fake_stripe.posts_to("/v1/payment_intents")
    assert charge_request.idempotency_key == "booking:7:charge"
    assert charge_request.form["off_session"] == "true"
    assert charge_request.form["confirm"] == "true"


def test_transfer_goes_to_the_connected_account_in_the_booking_group(
    gateway: StripeClientGateway, fake_stripe: FakeStripeServer
) -> None:
    result = gateway.transfer(
        booking_id="42",
        amount_pence=2860,
        destination="acct_worker",
        key="booking:42:transfer",
        source_charge="ch_1",
    )
    assert (result.amount_pence, result.destination, result.transfer_group) == (
        2860,
        "acct_worker",
        "booking:42",
    )
    (request,) = fake_stripe.posts_to("/v1/transfers")
    assert request.idempotency_key == "booking:42:transfer"
    assert request.form["source_transaction"] == "ch_1"


def test_refund_and_cancel_carry_their_keys(
    gateway: StripeClientGateway, fake_stripe: FakeStripeServer
) -> None:
    intent = gateway.authorise_card(
        booking_id="9", amount_pence=1000, customer="cus_1", payment_method="pm_1", key="booking:9:confirm"
    )
    assert gateway.cancel_authorisation(intent.id, key="booking:9:cancel").status == "canceled"
    refund = gateway.refund("pi_other", amount_pence=500, key="booking:8:refund")
    assert refund.amount_pence == 500
    keys = [r.idempotency_key for r in fake_stripe.requests]
    assert keys == ["booking:9:confirm", "booking:9:cancel", "booking:8:refund"]


def test_a_repeated_business_action_is_replayed_not_repeated(
    gateway: StripeClientGateway, fake_stripe: FakeStripeServer
) -> None:
    first = gateway.authorise_card(
        booking_id="42", amount_pence=3813, customer="cus_1", payment_method="pm_1", key="booking:42:confirm"
    )
    again = gateway.authorise_card(
        booking_id="42", amount_pence=3813, customer="cus_1", payment_method="pm_1", key="booking:42:confirm"
    )
    assert again.id == first.id
    assert len(fake_stripe.created("pi")) == 1
    assert [r.replayed for r in fake_stripe.requests] == [False, True]


def test_the_same_key_with_other_parameters_is_refused(gateway: StripeClientGateway) -> None:
    gateway.refund("pi_1", amount_pence=500, key="booking:8:refund")
    with pytest.raises(stripe.IdempotencyError):
        gateway.refund("pi_1", amount_pence=900, key="booking:8:refund")


def test_timeout_then_sdk_retry_charges_once(
    make_gateway: Callable[..., StripeClientGateway], fake_stripe: FakeStripeServer
) -> None:
    gateway = make_gateway(read_timeout=0.3, max_network_retries=2)
    fake_stripe.stall_next("/v1/payment_intents")
    intent = gateway.authorise_card(
        booking_id="42", amount_pence=3813, customer="cus_1", payment_method="pm_1", key="booking:42:confirm"
    )
    attempts = fake_stripe.posts_to("/v1/payment_intents")
    assert [a.idempotency_key for a in attempts] == ["booking:42:confirm"] * 2
    assert [a.replayed for a in attempts] == [False, True]
    assert [o["id"] for o in fake_stripe.created("pi")] == [intent.id]


def test_without_retries_a_timeout_surfaces_and_our_retry_still_charges_once(
    make_gateway: Callable[..., StripeClientGateway], fake_stripe: FakeStripeServer
) -> None:
    gateway = make_gateway(read_timeout=0.3, max_network_retries=0)
    fake_stripe.stall_next("/v1/transfers")
    with pytest.raises(stripe.APIConnectionError):
        gateway.transfer(booking_id="42", amount_pence=100, destination="acct_w", key="booking:42:transfer")
    # A job runs the business action again later, under the same key.
    retried = gateway.transfer(
        booking_id="42", amount_pence=100, destination="acct_w", key="booking:42:transfer"
    )
    assert [t["id"] for t in fake_stripe.created("tr")] == [retried.id]
