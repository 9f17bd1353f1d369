"""The Stripe webhook: the signature is checked on the raw body before anything else is done."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Request, post
from litestar.di import NamedDependency
from sqlalchemy.ext.asyncio import AsyncSession

from slivers.clock import Clock
from slivers.config import Settings
from slivers.errors import NotFound
from slivers.http.deps import wiring_of
from slivers.payments.rules.webhook_signatures import verify_with_any
from slivers.payments.stripe_sync import receive_event


class WebhookReceipt(msgspec.Struct, kw_only=True):
    received: bool
    outcome: str  # applied | stored | ignored | duplicate | not ours


@post(
    "/api/v1/payments/stripe/webhook", operation_id="receiveStripeWebhook", tags=["payments"], status_code=200
)
async def stripe_webhook(
    request: Request[Any, Any, Any],
    settings: NamedDependency[Settings],
    clock: NamedDependency[Clock],
    db_session: NamedDependency[AsyncSession],
) -> WebhookReceipt:
    """Receive a Stripe event: verified, stored once by its id, processed once."""
    raw = await request.body()
    if not settings.stripe_webhook_secret:
        raise NotFound("Stripe is not set up on this server.", rule="stripe_not_configured")
    # The Connect endpoint's secret, when set (`account.updated` for connected accounts comes there).
    connect_secret = settings.extra.get("stripe_connect_webhook_secret")
    secrets = [settings.stripe_webhook_secret, *([connect_secret] if connect_secret else [])]
    event = verify_with_any(raw, request.headers.get("stripe-signature"), secrets)
    outcome = await receive_event(wiring_of(request.app.state), db_session, clock, event)
    return WebhookReceipt(received=True, outcome=outcome)
