"""An in-memory StripeGateway for unit tests of providers and services: no network, Stripe's key rules.

A repeated idempotency key returns the first result; the same key with other parameters is an error.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TypeVar

from slivers.payments.providers.stripe_gateway import (
    ConnectAccountState,
    IntentResult,
    RefundResult,
    SetupResult,
    SetupState,
    TransferResult,
    transfer_group,
)

R = TypeVar("R", IntentResult, SetupResult, RefundResult, TransferResult, ConnectAccountState, str)


class FakeStripeError(Exception):
    """What the real gateway raises as a stripe.StripeError."""


@dataclass(frozen=True, slots=True)
class GatewayCall:
    operation: str
    key: str
    params: tuple[tuple[str, object], ...]
    replayed: bool


class InMemoryStripeGateway:
    def __init__(self) -> None:
        self.calls: list[GatewayCall] = []
        self.intents: dict[str, IntentResult] = {}
        self.transfers: list[TransferResult] = []
        self.refunds: list[RefundResult] = []
        self.setups: dict[str, SetupState] = {}
        self.accounts: dict[str, ConnectAccountState] = {}
        self.transfer_keys: dict[str, str] = {}  # transfer id -> our key (Stripe's metadata)
        self._by_key: dict[str, tuple[str, tuple[tuple[str, object], ...], object]] = {}
        self._ids = itertools.count(1)

    def _new_id(self, prefix: str) -> str:
        return f"{prefix}_mem{next(self._ids):04d}"

    def _once(self, operation: str, key: str, params: dict[str, object], act: Callable[[], R]) -> R:
        frozen = tuple(sorted(params.items()))
        stored = self._by_key.get(key)
        if stored is not None:
            if stored[:2] != (operation, frozen):
                raise FakeStripeError(f"idempotency key {key} reused with other parameters")
            self.calls.append(GatewayCall(operation, key, frozen, replayed=True))
            result: R = stored[2]  # type: ignore[assignment]  # stored by this same operation
            return result
        result = act()
        self._by_key[key] = (operation, frozen, result)
        self.calls.append(GatewayCall(operation, key, frozen, replayed=False))
        return result

    def keys(self) -> list[str]:
        return [c.key for c in self.calls]

    def _create_intent(self, amount: int, confirmed: bool) -> IntentResult:
        intent_id = self._new_id("pi")
        intent = IntentResult(
            id=intent_id,
            status="requires_capture" if confirmed else "requires_payment_method",
            amount_pence=amount,
            amount_received_pence=0,
            client_secret=f"{intent_id}_secret",
            latest_charge=self._new_id("ch") if confirmed else None,
        )
        self.intents[intent_id] = intent
        return intent

    def authorise_card(
        self,
        *,
        booking_id: str,
        amount_pence: int,
        customer: str,
        key: str,
        payment_method: str | None = None,
    ) -> IntentResult:
        params = {"booking": booking_id, "amount": amount_pence, "customer": customer, "pm": payment_method}
        return self._once(
            "authorise_card",
            key,
            params,
            lambda: self._create_intent(amount_pence, payment_method is not None),
        )

    def save_card(self, *, booking_id: str, customer: str, key: str) -> SetupResult:
        def act() -> SetupResult:
            setup_id = self._new_id("seti")
            return SetupResult(setup_id, "requires_payment_method", f"{setup_id}_secret")

        return self._once("save_card", key, {"booking": booking_id, "customer": customer}, act)

    def charge_saved_card(
        self, *, booking_id: str, amount_pence: int, customer: str, payment_method: str, key: str
    ) -> IntentResult:
        params = {"booking": booking_id, "amount": amount_pence, "customer": customer, "pm": payment_method}
        return self._once("charge_saved_card", key, params, lambda: self._create_intent(amount_pence, True))

    def capture(self, payment_intent_id: str, *, amount_pence: int, key: str) -> IntentResult:
        def act() -> IntentResult:
            intent = self.intents[payment_intent_id]
            if intent.status != "requires_capture" or amount_pence > intent.amount_pence:
                raise FakeStripeError(f"cannot capture {amount_pence} from {intent}")
            captured = replace(intent, status="succeeded", amount_received_pence=amount_pence)
            self.intents[payment_intent_id] = captured
            return captured

        return self._once("capture", key, {"intent": payment_intent_id, "amount": amount_pence}, act)

    def cancel_authorisation(self, payment_intent_id: str, *, key: str) -> IntentResult:
        def act() -> IntentResult:
            cancelled = replace(self.intents[payment_intent_id], status="canceled")
            self.intents[payment_intent_id] = cancelled
            return cancelled

        return self._once("cancel_authorisation", key, {"intent": payment_intent_id}, act)

    def refund(self, payment_intent_id: str, *, amount_pence: int, key: str) -> RefundResult:
        def act() -> RefundResult:
            refund = RefundResult(self._new_id("re"), "succeeded", amount_pence)
            self.refunds.append(refund)
            return refund

        return self._once("refund", key, {"intent": payment_intent_id, "amount": amount_pence}, act)

    def transfer(
        self,
        *,
        booking_id: str,
        amount_pence: int,
        destination: str,
        key: str,
        source_charge: str | None = None,
    ) -> TransferResult:
        def act() -> TransferResult:
            result = TransferResult(self._new_id("tr"), amount_pence, destination, transfer_group(booking_id))
            self.transfers.append(result)
            self.transfer_keys[result.id] = key
            return result

        params = {"booking": booking_id, "amount": amount_pence, "to": destination, "source": source_charge}
        return self._once("transfer", key, params, act)

    def retrieve_intent(self, payment_intent_id: str) -> IntentResult:
        return self.intents[payment_intent_id]

    def create_customer(self, *, budget_id: str, key: str) -> str:
        return self._once("create_customer", key, {"budget": budget_id}, lambda: self._new_id("cus"))

    def setup_card(self, *, budget_id: str, customer: str, key: str) -> SetupResult:
        def act() -> SetupResult:
            setup_id = self._new_id("seti")
            self.setups[setup_id] = SetupState(setup_id, "requires_payment_method", customer, None, budget_id)
            return SetupResult(setup_id, "requires_payment_method", f"{setup_id}_secret")

        return self._once("setup_card", key, {"budget": budget_id, "customer": customer}, act)

    def retrieve_setup(self, setup_intent_id: str) -> SetupState:
        return self.setups[setup_intent_id]

    def create_connect_account(self, *, worker_id: str, key: str) -> ConnectAccountState:
        def act() -> ConnectAccountState:
            account = ConnectAccountState(self._new_id("acct"), False, False, False)
            self.accounts[account.id] = account
            return account

        return self._once("create_connect_account", key, {"worker": worker_id}, act)

    def create_onboarding_link(self, *, account: str, refresh_url: str, return_url: str, key: str) -> str:
        params: dict[str, object] = {"account": account, "refresh": refresh_url, "return": return_url}
        return self._once(
            "create_onboarding_link", key, params, lambda: f"https://connect.invalid/{self._new_id('link')}"
        )

    def retrieve_account(self, account_id: str) -> ConnectAccountState:
        return self.accounts[account_id]

    def find_transfer(self, *, booking_id: str, key: str) -> TransferResult | None:
        group = transfer_group(booking_id)
        found = [t for t in self.transfers if t.transfer_group == group and self.transfer_keys[t.id] == key]
        return found[0] if found else None

    def forget_keys(self) -> None:
        """What Stripe does to idempotency keys after 24 hours."""
        self._by_key.clear()
