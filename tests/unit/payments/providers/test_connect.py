"""Stripe Connect through the real SDK against the fake Stripe: one account per worker key, onboarding
links, the account's flags re-read, and a retry after Stripe forgot our keys that moves nothing."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from slivers.clock import FrozenClock
from slivers.payments.providers.payment_providers import (
    ActionKind,
    BookingPayment,
    CardOnFile,
    StripeProvider,
)
from slivers.payments.providers.stripe_gateway import StripeClientGateway
from tests.unit.payments.conftest import NOW

from .fake_stripe import FakeStripeServer


def test_an_express_account_is_created_once_per_key_and_its_flags_are_read_back(
    gateway: StripeClientGateway, fake_stripe: FakeStripeServer
) -> None:
    first = gateway.create_connect_account(worker_id="w1", key="worker:w1:connect:account")
    again = gateway.create_connect_account(worker_id="w1", key="worker:w1:connect:account")
    assert first == again
    (account,) = fake_stripe.created("acct")
    assert (account["type"], account["country"], account["metadata"]) == (
        "express",
        "GB",
        {"worker_id": "w1"},
    )
    request = fake_stripe.posts_to("/v1/accounts")[0]
    assert request.form["capabilities[transfers][requested]"] == "true"
    url = gateway.create_onboarding_link(
        account=first.id, refresh_url="https://x/r", return_url="https://x/d", key="worker:w1:connect:link:1"
    )
    assert url.startswith("https://")
    (link,) = fake_stripe.posts_to("/v1/account_links")
    assert link.form["type"] == "account_onboarding"
    fake_stripe.update(first.id, payouts_enabled=True, charges_enabled=True, details_submitted=True)
    assert gateway.retrieve_account(first.id).payouts_enabled


def test_a_retry_after_stripe_forgot_our_keys_finds_the_capture_and_the_transfer(
    gateway: StripeClientGateway, fake_stripe: FakeStripeServer, clock: FrozenClock
) -> None:
    provider = StripeProvider(gateway, clock)
    confirmed = BookingPayment(
        booking_id="42",
        worker_id="w1",
        starts_at=NOW + timedelta(days=1),
        amount_pence=1500,
        card=CardOnFile("cus_1", "pm_1"),
        worker_connect_account="acct_w1",
    )
    (auth,) = provider.on_confirm(confirmed, "booking:42:confirm")
    confirmed = replace(confirmed, payment_intent_id=auth.reference, authorised_pence=1500)
    first = provider.on_approve(confirmed, 1500, 1425, "booking:42:approve")
    fake_stripe.forget_keys()  # 24 hours on: a repeat under the same key would be a new transfer
    retried = provider.on_approve(
        replace(confirmed, keys_may_have_expired=True), 1500, 1425, "booking:42:approve"
    )
    assert [(a.kind, a.reference) for a in retried] == [(a.kind, a.reference) for a in first]
    assert retried[1].kind is ActionKind.TRANSFERRED
    assert len(fake_stripe.created("tr")) == 1
    assert len(fake_stripe.posts_to("/v1/transfers")) == 1
    assert len(fake_stripe.posts_to(f"/v1/payment_intents/{auth.reference}/capture")) == 1
