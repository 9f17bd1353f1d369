"""Deciding which shares earned before a Connect account was enabled are transferred once it is (pure),
and the provider's late transfer under the settlement's own transfer key."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from slivers.clock import FrozenClock
from slivers.payments.providers.fake_gateway import InMemoryStripeGateway
from slivers.payments.providers.late_transfers import (
    NOT_OWED,
    PAID_BY_BANK,
    UntransferredShare,
    plan_late_transfers,
    transfer_key,
)
from slivers.payments.providers.payment_providers import (
    ActionKind,
    BookingPayment,
    CardOnFile,
    PaymentNotReady,
    StripeProvider,
)

T0 = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)


def share(minutes: int, pence: int = 1425, *, reversed_: bool = False) -> UntransferredShare:
    booking = uuid.uuid4()
    return UntransferredShare(
        f"booking:{booking}:approve", booking, pence, T0 + timedelta(minutes=minutes), reversed_
    )


def test_unpaid_shares_are_transferred_newest_first_while_the_balance_covers_them() -> None:
    old, middle, new = share(0, 500), share(10, 700), share(20, 400)
    plan = plan_late_transfers(
        [old, middle, new], payable_pence=1100, held_back_pence=0, last_bank_payout=None
    )
    assert plan.transfer == [new, middle]  # 1,100 covers the two newest; the oldest waits
    assert plan.skip == []


def test_a_share_settled_before_the_last_bank_payout_is_left_to_the_bank() -> None:
    paid, at_the_run, owed = share(0), share(10), share(20)
    plan = plan_late_transfers(
        [paid, at_the_run, owed],
        payable_pence=10_000,
        held_back_pence=0,
        last_bank_payout=T0 + timedelta(minutes=10),
    )
    assert plan.transfer == [owed]
    assert plan.skip == [(at_the_run, PAID_BY_BANK), (paid, PAID_BY_BANK)]  # same instant: the bank's


def test_what_is_held_back_for_connect_and_reversed_settlements_are_never_transferred() -> None:
    reversed_share, owed = share(0, reversed_=True), share(5)
    plan = plan_late_transfers(
        [reversed_share, owed], payable_pence=1425, held_back_pence=1425, last_bank_payout=None
    )
    assert plan.transfer == []  # the balance is another pending transfer's
    assert plan.skip == [(reversed_share, NOT_OWED)]


@settings(max_examples=200, deadline=None)
@given(
    shares=st.lists(st.tuples(st.integers(0, 100), st.integers(1, 5000), st.booleans()), max_size=12),
    payable=st.integers(-2000, 30_000),
    held=st.integers(0, 10_000),
    bank_at=st.one_of(st.none(), st.integers(0, 100)),
)
def test_the_plan_never_transfers_more_than_is_unpaid(
    shares: list[tuple[int, int, bool]], payable: int, held: int, bank_at: int | None
) -> None:
    found = [share(m, p, reversed_=r) for m, p, r in shares]
    last = None if bank_at is None else T0 + timedelta(minutes=bank_at)
    plan = plan_late_transfers(found, payable_pence=payable, held_back_pence=held, last_bank_payout=last)
    chosen = plan.transfer
    assert sum(s.share_pence for s in chosen) <= max(0, payable - held)
    assert all(not s.reversed and (last is None or s.settled_at > last) for s in chosen)
    decided = [s.settlement_key for s in chosen] + [s.settlement_key for s, _ in plan.skip]
    assert len(decided) == len(set(decided))  # each share decided at most once


def test_transfer_key_is_the_settlements_own() -> None:
    assert transfer_key("booking:1:approve") == "booking:1:approve:transfer"


def test_a_late_transfer_uses_the_settlements_transfer_key_and_is_found_after_stripe_forgot_it() -> None:
    gateway = InMemoryStripeGateway()
    provider = StripeProvider(gateway, FrozenClock(T0))
    booking = BookingPayment(
        booking_id="42",
        worker_id="w1",
        starts_at=T0,
        amount_pence=1500,
        card=CardOnFile("cus_1", "pm_1"),
        worker_connect_account="acct_w1",
        payment_intent_id="pi_1",
        latest_charge="ch_1",
    )
    (made,) = provider.transfer_share(booking, 1425, "booking:42:approve:transfer")
    assert (made.kind, made.key, made.amount_pence) == (
        ActionKind.TRANSFERRED,
        "booking:42:approve:transfer",
        1425,
    )
    assert dict(gateway.calls[0].params)["source"] == "ch_1"
    gateway.forget_keys()
    (again,) = provider.transfer_share(replace(booking, keys_may_have_expired=True), 1425, made.key)
    assert again.reference == made.reference
    assert len(gateway.transfers) == 1
    with pytest.raises(PaymentNotReady):
        provider.transfer_share(replace(booking, worker_connect_account=None), 1425, made.key)


def test_a_retry_for_an_account_switched_off_records_the_transfer_an_earlier_attempt_made() -> None:
    gateway = InMemoryStripeGateway()
    provider = StripeProvider(gateway, FrozenClock(T0))
    intent = gateway.authorise_card(
        booking_id="7", amount_pence=1500, customer="cus_1", key="k", payment_method="pm"
    )
    booking = BookingPayment(
        booking_id="7",
        worker_id="w1",
        starts_at=T0,
        amount_pence=1500,
        card=CardOnFile("cus_1", "pm_1"),
        worker_connect_account="acct_w1",
        worker_payout_account="acct_w1",
        payment_intent_id=intent.id,
        authorised_pence=1500,
    )
    first = provider.on_approve(booking, 1500, 1425, "booking:7:approve")  # its answer never came back
    switched_off = replace(booking, worker_connect_account=None, retry=True)
    retried = provider.on_approve(switched_off, 1500, 1425, "booking:7:approve")
    assert [(a.kind, a.reference) for a in retried] == [(a.kind, a.reference) for a in first]
    assert len(gateway.transfers) == 1
    other = gateway.authorise_card(
        booking_id="8", amount_pence=1500, customer="cus_1", key="k8", payment_method="pm"
    )
    never_tried = replace(switched_off, booking_id="8", payment_intent_id=other.id, retry=False)
    made = provider.on_approve(never_tried, 1500, 1425, "booking:8:approve")
    assert [a.kind for a in made] == [ActionKind.CAPTURED]  # left for the bank run: nothing to look for
    assert len(gateway.transfers) == 1
