"""What Slivers asks of Stripe, as a typed interface and plain results. The payments domain
implements it (`slivers.payments.providers.stripe_gateway.StripeClientGateway`); the wiring holds the
process's gateway (`Wiring.stripe_gateway`), and tests put a fake one there."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class IntentResult:
    id: str
    status: str  # Stripe's: requires_payment_method, requires_capture, succeeded, canceled, ...
    amount_pence: int
    amount_received_pence: int
    client_secret: str | None
    latest_charge: str | None


@dataclass(frozen=True, slots=True)
class SetupResult:
    id: str
    status: str
    client_secret: str | None


@dataclass(frozen=True, slots=True)
class SetupState:
    """A SetupIntent as Stripe has it now (re-read on `setup_intent.succeeded`)."""

    id: str
    status: str
    customer: str | None
    payment_method: str | None
    budget_id: str | None  # from our metadata


@dataclass(frozen=True, slots=True)
class RefundResult:
    id: str
    status: str
    amount_pence: int


@dataclass(frozen=True, slots=True)
class TransferResult:
    id: str
    amount_pence: int
    destination: str
    transfer_group: str


@dataclass(frozen=True, slots=True)
class ConnectAccountState:
    """A worker's Connect account as Stripe has it now (re-read on `account.updated`)."""

    id: str
    charges_enabled: bool
    payouts_enabled: bool
    details_submitted: bool


class StripeGateway(Protocol):
    def authorise_card(
        self,
        *,
        booking_id: str,
        amount_pence: int,
        customer: str,
        key: str,
        payment_method: str | None = None,
    ) -> IntentResult:
        """A manual-capture PaymentIntent for a visit within 6 days: authorise now, capture on approval."""
        ...

    def save_card(self, *, booking_id: str, customer: str, key: str) -> SetupResult:
        """A SetupIntent for off-session use, for a visit further ahead."""
        ...

    def charge_saved_card(
        self, *, booking_id: str, amount_pence: int, customer: str, payment_method: str, key: str
    ) -> IntentResult:
        """An off-session PaymentIntent, confirmed now and captured on approval (2 days before the visit)."""
        ...

    def capture(self, payment_intent_id: str, *, amount_pence: int, key: str) -> IntentResult: ...

    def cancel_authorisation(self, payment_intent_id: str, *, key: str) -> IntentResult: ...

    def refund(self, payment_intent_id: str, *, amount_pence: int, key: str) -> RefundResult: ...

    def transfer(
        self,
        *,
        booking_id: str,
        amount_pence: int,
        destination: str,
        key: str,
        source_charge: str | None = None,
    ) -> TransferResult:
        """A Connect transfer to a self-employed worker's account (separate charges and transfers)."""
        ...

    def retrieve_intent(self, payment_intent_id: str) -> IntentResult:
        """For reconciliation: Stripe's current view of a PaymentIntent."""
        ...

    def create_customer(self, *, budget_id: str, key: str) -> str:
        """A Customer for a self-funded budget; returns its id."""
        ...

    def setup_card(self, *, budget_id: str, customer: str, key: str) -> SetupResult:
        """A SetupIntent saving a card for off-session use, for the budget (not a booking)."""
        ...

    def retrieve_setup(self, setup_intent_id: str) -> SetupState: ...

    def create_connect_account(self, *, worker_id: str, key: str) -> ConnectAccountState:
        """An Express connected account in GB asking for the transfers capability."""
        ...

    def create_onboarding_link(self, *, account: str, refresh_url: str, return_url: str, key: str) -> str:
        """A one-off Account Link URL for Stripe's hosted onboarding (it expires within minutes)."""
        ...

    def retrieve_account(self, account_id: str) -> ConnectAccountState: ...

    def find_transfer(self, *, booking_id: str, key: str) -> TransferResult | None:
        """The transfer made under `key` in the booking's transfer group, listed (keys expire after 24 h)."""
        ...
