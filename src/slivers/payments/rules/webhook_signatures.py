"""Stripe webhooks: the signature on the raw body is checked before anything else is read.

The caller stores the returned event by its id (unique) and processes it once; a reconciliation job
re-reads the objects from Stripe, so a lost or late webhook changes nothing in the end.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import stripe

from slivers.errors import DomainError

TOLERANCE_SECONDS = 300

# What a deployment subscribes its endpoint to (docs/payments.md); anything else is acknowledged and ignored.
SUBSCRIBED_EVENTS = frozenset(
    {
        "payment_intent.amount_capturable_updated",
        "payment_intent.succeeded",
        "payment_intent.payment_failed",
        "payment_intent.canceled",
        "setup_intent.succeeded",
        "setup_intent.setup_failed",
        "charge.refunded",
        "charge.dispute.created",
        "transfer.created",
        "transfer.reversed",
        "account.updated",
    }
)


class WebhookRejected(DomainError):
    status_code = 400
    title = "Webhook rejected"


@dataclass(frozen=True, slots=True)
class WebhookEvent:
    id: str
    type: str
    object_id: str | None
    created: datetime  # UTC
    livemode: bool
    account: str | None  # the connected account, for Connect events

    @property
    def is_subscribed(self) -> bool:
        return self.type in SUBSCRIBED_EVENTS


def verify_webhook(
    raw_body: bytes,
    signature_header: str | None,
    signing_secret: str,
    *,
    tolerance_seconds: int = TOLERANCE_SECONDS,
) -> WebhookEvent:
    """Verify the `Stripe-Signature` header over the exact bytes received, then parse the event.

    Pass the body as read off the wire: re-encoding parsed JSON changes the bytes and fails the check.
    A tampered body, wrong secret, missing header or a timestamp older than the tolerance is rejected.
    """
    try:
        event = stripe.Webhook.construct_event(raw_body, signature_header, signing_secret, tolerance_seconds)
    except stripe.SignatureVerificationError as error:
        raise WebhookRejected(f"Stripe signature check failed: {error.user_message or error}") from error
    except (ValueError, UnicodeDecodeError) as error:
        # Only reachable once the signature matched: Stripe signed something that is not an event.
        raise WebhookRejected("the webhook body is not a Stripe event") from error
    try:
        return _typed(event.to_dict())
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise WebhookRejected("the webhook body is not a Stripe event") from error


def verify_with_any(
    raw_body: bytes, signature_header: str | None, signing_secrets: Sequence[str]
) -> WebhookEvent:
    """Verify against each endpoint's secret in turn: the account endpoint and the Connect endpoint
    (which delivers `account.updated` for connected accounts) each have their own."""
    rejected: WebhookRejected | None = None
    for secret in signing_secrets:
        try:
            return verify_webhook(raw_body, signature_header, secret)
        except WebhookRejected as error:
            rejected = rejected or error
    raise rejected or WebhookRejected("no webhook signing secret is set")


def _typed(values: dict[str, Any]) -> WebhookEvent:
    data_object = (values.get("data") or {}).get("object") or {}
    object_id = data_object.get("id")
    account = values.get("account")
    return WebhookEvent(
        id=str(values["id"]),
        type=str(values["type"]),
        object_id=object_id if isinstance(object_id, str) else None,
        created=datetime.fromtimestamp(int(values["created"]), UTC),
        livemode=bool(values.get("livemode")),
        account=account if isinstance(account, str) else None,
    )
