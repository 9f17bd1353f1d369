"""Payment providers: what happens to real money when a booking is confirmed, approved or cancelled.

The ledger is always the record; a provider only moves money outside it. Each action gets the
business action's idempotency key (`booking:{id}:approve`); an action that needs several Stripe calls
derives one key per call from it (`booking:{id}:approve:capture`, `...:transfer`), so a retry of the
whole action repeats nothing.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Protocol

from slivers.clock import Clock, ensure_utc
from slivers.payments.providers.stripe_gateway import StripeGateway
from slivers.payments.rules.csv_safety import safe_row
from slivers.payments.rules.money import format_decimal

# Card authorisations lapse after about 7 days, so only a visit this close is authorised at booking.
AUTHORISE_WITHIN = timedelta(days=6)
# Further-off visits are charged to the saved card this long before they start.
CHARGE_SAVED_CARD_BEFORE = timedelta(days=2)


class CardFlow(StrEnum):
    AUTHORISE_NOW = "payment_intent"
    SAVE_CARD = "setup_intent"


def choose_card_flow(starts_at: datetime, now: datetime) -> CardFlow:
    """A manual-capture PaymentIntent for a visit within 6 days; otherwise save the card (SetupIntent)."""
    if ensure_utc(starts_at) - ensure_utc(now) <= AUTHORISE_WITHIN:
        return CardFlow.AUTHORISE_NOW
    return CardFlow.SAVE_CARD


def saved_card_charge_due_at(starts_at: datetime) -> datetime:
    return ensure_utc(starts_at) - CHARGE_SAVED_CARD_BEFORE


class PaymentNotReady(RuntimeError):
    """The card step this action needs has not happened (no PaymentIntent, no saved card)."""


@dataclass(frozen=True, slots=True)
class CardOnFile:
    customer: str  # Stripe customer id
    payment_method: str | None = None  # known once a SetupIntent succeeded or the card was entered


@dataclass(frozen=True, slots=True)
class BookingPayment:
    """What a provider needs to know about one booking, as stored by the payments service."""

    booking_id: str
    worker_id: str
    starts_at: datetime
    amount_pence: int  # the charge held at confirmation (cost, plus the fee when the buyer pays it)
    card: CardOnFile | None = None  # only self-funders paying by card
    worker_connect_account: str | None = None  # only self-employed workers paid through Stripe Connect
    payment_intent_id: str | None = None
    authorised_pence: int = 0
    latest_charge: str | None = None
    # A retry made after Stripe may have forgotten our keys (24 h): re-read before acting again.
    keys_may_have_expired: bool = False
    # The worker's Connect account whether or not it is enabled now, and whether an earlier attempt of
    # this action may have reached Stripe: a retry looks for a transfer it made before the account
    # was switched off, so that share is not left for the bank run as well.
    worker_payout_account: str | None = None
    retry: bool = False


class ActionKind(StrEnum):
    LEDGER_ONLY = "ledger_only"
    AUTHORISED = "authorised"
    CARD_SAVED = "card_saved"
    CAPTURED = "captured"
    CHARGED = "charged"
    TRANSFERRED = "transferred"
    CANCELLED = "cancelled"
    REFUNDED = "refunded"
    PAYOUT_DUE = "payout_due"


@dataclass(frozen=True, slots=True)
class ProviderAction:
    """One thing done with real money; the service stores these (and the Stripe ids) with the booking."""

    kind: ActionKind
    key: str
    amount_pence: int = 0
    reference: str | None = None  # Stripe object id
    client_secret: str | None = None  # for the browser to confirm a card


class PaymentProvider(Protocol):
    name: str

    def on_confirm(self, booking: BookingPayment, key: str) -> list[ProviderAction]: ...

    def on_approve(
        self, booking: BookingPayment, charge_pence: int, worker_share_pence: int, key: str
    ) -> list[ProviderAction]:
        """`charge_pence` and `worker_share_pence` come from `ledger.split_charge`, as in the ledger."""
        ...

    def on_cancel(
        self, booking: BookingPayment, late_charge_pence: int, worker_share_pence: int, key: str
    ) -> list[ProviderAction]:
        """A free cancellation has `late_charge_pence == 0`."""
        ...

    def payout(self, payee_id: str, amount_pence: int, key: str) -> list[ProviderAction]: ...


@dataclass(frozen=True, slots=True)
class PayoutDue:
    key: str
    payee_id: str
    payee_name: str
    amount_pence: int
    due_on: datetime


class LedgerProvider:
    """The embedded default: money moves only in the ledger; payouts go out as a CSV for a bank run."""

    name = "ledger"

    def on_confirm(self, booking: BookingPayment, key: str) -> list[ProviderAction]:
        return [ProviderAction(ActionKind.LEDGER_ONLY, key, booking.amount_pence)]

    def on_approve(
        self, booking: BookingPayment, charge_pence: int, worker_share_pence: int, key: str
    ) -> list[ProviderAction]:
        return [ProviderAction(ActionKind.LEDGER_ONLY, key, charge_pence)]

    def on_cancel(
        self, booking: BookingPayment, late_charge_pence: int, worker_share_pence: int, key: str
    ) -> list[ProviderAction]:
        return [ProviderAction(ActionKind.LEDGER_ONLY, key, late_charge_pence)]

    def payout(self, payee_id: str, amount_pence: int, key: str) -> list[ProviderAction]:
        return [ProviderAction(ActionKind.PAYOUT_DUE, key, amount_pence, reference=payee_id)]

    @staticmethod
    def export_payouts_csv(due: Sequence[PayoutDue]) -> str:
        """Payouts due, one a row, for a bank or payroll run; the reference matches the run back to us."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(["reference", "payee_id", "payee_name", "amount_gbp", "due_on"])
        for row in due:
            writer.writerow(
                safe_row(
                    [
                        row.key,
                        row.payee_id,
                        row.payee_name,
                        format_decimal(row.amount_pence),
                        ensure_utc(row.due_on).date().isoformat(),
                    ]
                )
            )
        return out.getvalue()


class StripeProvider:
    """Self-funders pay by card; self-employed workers are paid by Connect transfer (design 5)."""

    name = "stripe"

    def __init__(self, gateway: StripeGateway, clock: Clock) -> None:
        self._gateway = gateway
        self._clock = clock

    def on_confirm(self, booking: BookingPayment, key: str) -> list[ProviderAction]:
        card = booking.card
        if card is None:
            return [ProviderAction(ActionKind.LEDGER_ONLY, key, booking.amount_pence)]
        if choose_card_flow(booking.starts_at, self._clock.now()) is CardFlow.AUTHORISE_NOW:
            intent = self._gateway.authorise_card(
                booking_id=booking.booking_id,
                amount_pence=booking.amount_pence,
                customer=card.customer,
                payment_method=card.payment_method,
                key=key,
            )
            return [
                ProviderAction(
                    ActionKind.AUTHORISED, key, intent.amount_pence, intent.id, intent.client_secret
                )
            ]
        setup = self._gateway.save_card(booking_id=booking.booking_id, customer=card.customer, key=key)
        return [ProviderAction(ActionKind.CARD_SAVED, key, 0, setup.id, setup.client_secret)]

    def charge_saved_card(self, booking: BookingPayment, key: str) -> list[ProviderAction]:
        """The job's step, `CHARGE_SAVED_CARD_BEFORE` the visit: an off-session, manual-capture charge."""
        card = booking.card
        if card is None or card.payment_method is None:
            raise PaymentNotReady(f"booking {booking.booking_id} has no saved card to charge")
        intent = self._gateway.charge_saved_card(
            booking_id=booking.booking_id,
            amount_pence=booking.amount_pence,
            customer=card.customer,
            payment_method=card.payment_method,
            key=key,
        )
        return [ProviderAction(ActionKind.CHARGED, key, intent.amount_pence, intent.id)]

    def _take(
        self, booking: BookingPayment, amount: int, key: str
    ) -> tuple[list[ProviderAction], str | None]:
        """Capture up to the authorised amount; charge the saved card for any excess."""
        if booking.card is None or amount <= 0:
            return [], booking.latest_charge
        if booking.payment_intent_id is None:
            raise PaymentNotReady(f"booking {booking.booking_id} has no authorised payment to capture")
        from_hold = min(amount, booking.authorised_pence)
        if booking.keys_may_have_expired:
            current = self._gateway.retrieve_intent(booking.payment_intent_id)
            if current.status == "succeeded":  # captured by an earlier attempt: never capture twice
                action = ProviderAction(ActionKind.CAPTURED, f"{key}:capture", from_hold, current.id)
                return [action], current.latest_charge
        intent = self._gateway.capture(
            booking.payment_intent_id, amount_pence=from_hold, key=f"{key}:capture"
        )
        actions = [ProviderAction(ActionKind.CAPTURED, f"{key}:capture", from_hold, intent.id)]
        if amount > from_hold:
            # The visit ran over what was authorised: charge the saved card for the difference.
            actions += self._charge_extra(booking, amount - from_hold, f"{key}:extra")
        return actions, intent.latest_charge

    def _charge_extra(self, booking: BookingPayment, extra: int, extra_key: str) -> list[ProviderAction]:
        """Charge and capture `extra` on the saved card (more than the first payment covered)."""
        assert booking.card is not None
        if booking.card.payment_method is None:
            raise PaymentNotReady(f"booking {booking.booking_id} has no saved card for the extra charge")
        charged = self._gateway.charge_saved_card(
            booking_id=booking.booking_id,
            amount_pence=extra,
            customer=booking.card.customer,
            payment_method=booking.card.payment_method,
            key=extra_key,
        )
        captured = self._gateway.capture(charged.id, amount_pence=extra, key=f"{extra_key}:capture")
        return [
            ProviderAction(ActionKind.CHARGED, extra_key, extra, charged.id),
            ProviderAction(ActionKind.CAPTURED, f"{extra_key}:capture", extra, captured.id),
        ]

    def _earlier_transfer(self, booking: BookingPayment, key: str) -> list[ProviderAction]:
        """On a retry for a worker whose account is not enabled now: the transfer an earlier attempt made."""
        if not booking.retry or booking.worker_payout_account is None:
            return []
        found = self._gateway.find_transfer(booking_id=booking.booking_id, key=f"{key}:transfer")
        if found is None:
            return []
        return [ProviderAction(ActionKind.TRANSFERRED, f"{key}:transfer", found.amount_pence, found.id)]

    def _pay_worker(
        self, booking: BookingPayment, amount: int, key: str, source_charge: str | None
    ) -> list[ProviderAction]:
        if amount <= 0:
            return []
        if booking.worker_connect_account is None:
            # Employed workers, volunteers and accounts not enabled are paid by the ledger's payout run.
            return self._earlier_transfer(booking, key)
        transfer = None
        if booking.keys_may_have_expired:
            # Stripe may have forgotten the key: a repeat would be a second transfer, so look first.
            transfer = self._gateway.find_transfer(booking_id=booking.booking_id, key=f"{key}:transfer")
        transfer = transfer or self._gateway.transfer(
            booking_id=booking.booking_id,
            amount_pence=amount,
            destination=booking.worker_connect_account,
            key=f"{key}:transfer",
            source_charge=source_charge,
        )
        return [ProviderAction(ActionKind.TRANSFERRED, f"{key}:transfer", amount, transfer.id)]

    def transfer_share(
        self, booking: BookingPayment, share_pence: int, transfer_key: str
    ) -> list[ProviderAction]:
        """A share the worker earned before their Connect account was enabled, transferred later under
        the key its settlement would have used (`booking:{id}:approve:transfer`), from the booking's
        captured charge; after 24 h a retry first looks for the transfer (as `_pay_worker` does)."""
        settlement_key = transfer_key.removesuffix(":transfer")
        if settlement_key == transfer_key or share_pence <= 0:
            raise ValueError(f"not a late transfer: {transfer_key} for {share_pence}p")
        made = self._pay_worker(booking, share_pence, settlement_key, booking.latest_charge)
        if not made:
            raise PaymentNotReady(f"booking {booking.booking_id}: the worker's account is not enabled")
        return made

    def on_approve(
        self, booking: BookingPayment, charge_pence: int, worker_share_pence: int, key: str
    ) -> list[ProviderAction]:
        actions, charge = self._take(booking, charge_pence, key)
        return actions + self._pay_worker(booking, worker_share_pence, key, charge)

    def on_cancel(
        self, booking: BookingPayment, late_charge_pence: int, worker_share_pence: int, key: str
    ) -> list[ProviderAction]:
        if booking.card is not None and booking.payment_intent_id is not None:
            # Stripe is the truth about what was taken: an intent already captured (an earlier step,
            # the dashboard) is refunded, less any late fee, instead of having its authorisation cancelled.
            intent = self._gateway.retrieve_intent(booking.payment_intent_id)
            if intent.status == "succeeded" and intent.amount_received_pence > 0:
                return self._refund_after_capture(
                    booking,
                    intent.amount_received_pence,
                    intent.latest_charge,
                    late_charge_pence,
                    worker_share_pence,
                    key,
                )
        if late_charge_pence > 0:
            return self.on_approve(booking, late_charge_pence, worker_share_pence, key)
        if booking.payment_intent_id is None:
            return [ProviderAction(ActionKind.LEDGER_ONLY, key)]  # nothing authorised yet: nothing to release
        intent = self._gateway.cancel_authorisation(booking.payment_intent_id, key=key)
        return [ProviderAction(ActionKind.CANCELLED, key, booking.authorised_pence, intent.id)]

    def _refund_after_capture(
        self,
        booking: BookingPayment,
        captured_pence: int,
        charge: str | None,
        late_charge_pence: int,
        worker_share_pence: int,
        key: str,
    ) -> list[ProviderAction]:
        """Give back what was captured beyond the late fee (`{key}:refund`); pay the worker their share."""
        actions: list[ProviderAction] = []
        keep = late_charge_pence
        if captured_pence > keep:
            actions += self.refund(booking, captured_pence - keep, f"{key}:refund")
        elif captured_pence < keep:
            actions += self._charge_extra(booking, keep - captured_pence, f"{key}:extra")
        return actions + self._pay_worker(booking, worker_share_pence, key, charge)

    def refund(self, booking: BookingPayment, amount_pence: int, key: str) -> list[ProviderAction]:
        """Give back captured money under the caller's key (a cancellation after capture)."""
        if booking.payment_intent_id is None:
            raise PaymentNotReady(f"booking {booking.booking_id} has no captured payment to refund")
        refund = self._gateway.refund(booking.payment_intent_id, amount_pence=amount_pence, key=key)
        return [ProviderAction(ActionKind.REFUNDED, key, amount_pence, refund.id)]

    def payout(self, payee_id: str, amount_pence: int, key: str) -> list[ProviderAction]:
        # Connect accounts pay out to the worker's bank on Stripe's schedule; we only record it.
        return [ProviderAction(ActionKind.PAYOUT_DUE, key, amount_pence, reference=payee_id)]
