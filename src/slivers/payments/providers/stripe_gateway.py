"""Stripe behind a small interface: the few calls Slivers makes, each under our own idempotency key.

The key is the business action (`booking:{id}:capture`), never a random one, so a retry by the SDK,
a job or a person cannot move money twice. Stripe keeps keys for at least 24 hours; past that a
repeat is a new request, so jobs must re-read the object before retrying an old action.
"""

from __future__ import annotations

import stripe
from stripe.params import (
    AccountCreateParams,
    AccountLinkCreateParams,
    PaymentIntentCreateParams,
    SetupIntentCreateParams,
    TransferCreateParams,
)

from slivers.gateways.stripe import (
    ConnectAccountState,
    IntentResult,
    RefundResult,
    SetupResult,
    SetupState,
    StripeGateway,
    TransferResult,
)

__all__ = [
    "CURRENCY",
    "ConnectAccountState",
    "IntentResult",
    "RefundResult",
    "SetupResult",
    "SetupState",
    "StripeClientGateway",
    "StripeGateway",
    "TransferResult",
    "make_stripe_client",
    "transfer_group",
]

CURRENCY = "gbp"


def transfer_group(booking_id: str) -> str:
    return f"booking:{booking_id}"


def make_stripe_client(
    api_key: str,
    *,
    api_base: str | None = None,
    max_network_retries: int = 2,
    timeout_seconds: float = 30,
    http_client: stripe.HTTPClient | None = None,
) -> stripe.StripeClient:
    """A StripeClient; its own network retries resend our idempotency key on every attempt."""
    return stripe.StripeClient(
        api_key,
        base_addresses={"api": api_base} if api_base else None,
        max_network_retries=max_network_retries,
        http_client=http_client or stripe.RequestsClient(timeout=timeout_seconds),
    )


def _transfer(result: stripe.Transfer) -> TransferResult:
    destination = result.destination
    return TransferResult(
        id=result.id,
        amount_pence=result.amount,
        destination=destination if isinstance(destination, str) else (destination.id if destination else ""),
        transfer_group=result.transfer_group or "",
    )


def _account(account: stripe.Account) -> ConnectAccountState:
    return ConnectAccountState(
        id=account.id,
        charges_enabled=bool(account.charges_enabled),
        payouts_enabled=bool(account.payouts_enabled),
        details_submitted=bool(account.details_submitted),
    )


def _intent(intent: stripe.PaymentIntent) -> IntentResult:
    charge = intent.latest_charge
    return IntentResult(
        id=intent.id,
        status=intent.status,
        amount_pence=intent.amount,
        amount_received_pence=intent.amount_received,
        client_secret=intent.client_secret,
        latest_charge=charge if isinstance(charge, str) or charge is None else charge.id,
    )


class StripeClientGateway:
    """The real gateway, over the official SDK's StripeClient."""

    def __init__(self, client: stripe.StripeClient) -> None:
        self._stripe = client.v1

    def authorise_card(
        self,
        *,
        booking_id: str,
        amount_pence: int,
        customer: str,
        key: str,
        payment_method: str | None = None,
    ) -> IntentResult:
        params: PaymentIntentCreateParams = {
            "amount": amount_pence,
            "currency": CURRENCY,
            "customer": customer,
            "capture_method": "manual",
            "transfer_group": transfer_group(booking_id),
            "metadata": {"booking_id": booking_id},
        }
        if payment_method is not None:
            params["payment_method"] = payment_method
            params["confirm"] = True
        return _intent(self._stripe.payment_intents.create(params, {"idempotency_key": key}))

    def save_card(self, *, booking_id: str, customer: str, key: str) -> SetupResult:
        params: SetupIntentCreateParams = {
            "customer": customer,
            "usage": "off_session",
            "metadata": {"booking_id": booking_id},
        }
        setup = self._stripe.setup_intents.create(params, {"idempotency_key": key})
        return SetupResult(id=setup.id, status=setup.status, client_secret=setup.client_secret)

    def charge_saved_card(
        self, *, booking_id: str, amount_pence: int, customer: str, payment_method: str, key: str
    ) -> IntentResult:
        params: PaymentIntentCreateParams = {
            "amount": amount_pence,
            "currency": CURRENCY,
            "customer": customer,
            "payment_method": payment_method,
            "off_session": True,
            "confirm": True,
            "capture_method": "manual",
            "transfer_group": transfer_group(booking_id),
            "metadata": {"booking_id": booking_id},
        }
        return _intent(self._stripe.payment_intents.create(params, {"idempotency_key": key}))

    def capture(self, payment_intent_id: str, *, amount_pence: int, key: str) -> IntentResult:
        return _intent(
            self._stripe.payment_intents.capture(
                payment_intent_id, {"amount_to_capture": amount_pence}, {"idempotency_key": key}
            )
        )

    def cancel_authorisation(self, payment_intent_id: str, *, key: str) -> IntentResult:
        return _intent(
            self._stripe.payment_intents.cancel(
                payment_intent_id, {"cancellation_reason": "requested_by_customer"}, {"idempotency_key": key}
            )
        )

    def refund(self, payment_intent_id: str, *, amount_pence: int, key: str) -> RefundResult:
        refund = self._stripe.refunds.create(
            {"payment_intent": payment_intent_id, "amount": amount_pence}, {"idempotency_key": key}
        )
        return RefundResult(id=refund.id, status=refund.status or "", amount_pence=refund.amount)

    def transfer(
        self,
        *,
        booking_id: str,
        amount_pence: int,
        destination: str,
        key: str,
        source_charge: str | None = None,
    ) -> TransferResult:
        params: TransferCreateParams = {
            "amount": amount_pence,
            "currency": CURRENCY,
            "destination": destination,
            "transfer_group": transfer_group(booking_id),
            # Our key, so a retry after Stripe has forgotten it can still find this transfer by listing.
            "metadata": {"booking_id": booking_id, "slivers_key": key},
        }
        if source_charge is not None:
            # Ties the transfer to the charge's funds, so it waits for them instead of failing.
            params["source_transaction"] = source_charge
        return _transfer(self._stripe.transfers.create(params, {"idempotency_key": key}))

    def retrieve_intent(self, payment_intent_id: str) -> IntentResult:
        return _intent(self._stripe.payment_intents.retrieve(payment_intent_id))

    def create_customer(self, *, budget_id: str, key: str) -> str:
        customer = self._stripe.customers.create(
            {"metadata": {"budget_id": budget_id}}, {"idempotency_key": key}
        )
        return customer.id

    def setup_card(self, *, budget_id: str, customer: str, key: str) -> SetupResult:
        params: SetupIntentCreateParams = {
            "customer": customer,
            "usage": "off_session",
            "metadata": {"budget_id": budget_id},
        }
        setup = self._stripe.setup_intents.create(params, {"idempotency_key": key})
        return SetupResult(id=setup.id, status=setup.status, client_secret=setup.client_secret)

    def retrieve_setup(self, setup_intent_id: str) -> SetupState:
        setup = self._stripe.setup_intents.retrieve(setup_intent_id)
        customer, method = setup.customer, setup.payment_method
        return SetupState(
            id=setup.id,
            status=setup.status,
            customer=customer if isinstance(customer, str) or customer is None else customer.id,
            payment_method=method if isinstance(method, str) or method is None else method.id,
            budget_id=str(setup.metadata["budget_id"])
            if setup.metadata and "budget_id" in setup.metadata
            else None,
        )

    def create_connect_account(self, *, worker_id: str, key: str) -> ConnectAccountState:
        params: AccountCreateParams = {
            "type": "express",
            "country": "GB",
            "capabilities": {"transfers": {"requested": True}},
            "metadata": {"worker_id": worker_id},
        }
        return _account(self._stripe.accounts.create(params, {"idempotency_key": key}))

    def create_onboarding_link(self, *, account: str, refresh_url: str, return_url: str, key: str) -> str:
        params: AccountLinkCreateParams = {
            "account": account,
            "refresh_url": refresh_url,
            "return_url": return_url,
            "type": "account_onboarding",
        }
        return self._stripe.account_links.create(params, {"idempotency_key": key}).url

    def retrieve_account(self, account_id: str) -> ConnectAccountState:
        return _account(self._stripe.accounts.retrieve(account_id))

    def find_transfer(self, *, booking_id: str, key: str) -> TransferResult | None:
        found = self._stripe.transfers.list({"transfer_group": transfer_group(booking_id), "limit": 100})
        for transfer in found.auto_paging_iter():
            metadata = transfer.metadata
            if metadata is not None and "slivers_key" in metadata and metadata["slivers_key"] == key:
                return _transfer(transfer)
        return None
