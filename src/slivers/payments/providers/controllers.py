"""HTTP for the Stripe provider: saving a self-funder's card, a self-employed worker's Connect payout
account (onboarding and its status), and the Stripe webhook, whose signature is checked on the raw
body before anything else is done."""

from __future__ import annotations

import uuid
from typing import Any

import msgspec
from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from sqlalchemy.ext.asyncio import AsyncSession

from slivers.accounts.actor import Actor
from slivers.clock import Clock
from slivers.config import Settings
from slivers.errors import NotFound
from slivers.http.deps import wiring_of
from slivers.payments.providers.card_setup import CardSetupRead, start_card_setup
from slivers.payments.providers.connect import (
    PayoutAccountRead,
    PayoutOnboardingRead,
    own_worker,
    payout_account_of,
    read_account,
    require_payout_account_reader,
    start_onboarding,
)
from slivers.payments.providers.stripe_sync import receive_event
from slivers.payments.rules.webhook_signatures import verify_with_any


@post(
    "/api/v1/budgets/{budget_id:uuid}/card-setup",
    operation_id="startCardSetup",
    tags=["budgets"],
    status_code=200,
)
async def card_setup(
    request: Request[Any, Any, Any],
    budget_id: FromPath[uuid.UUID],
    actor: NamedDependency[Actor],
    clock: NamedDependency[Clock],
    db_session: NamedDependency[AsyncSession],
) -> CardSetupRead:
    """Start saving a card for a self-funded budget: returns the SetupIntent's client secret."""
    # Signing in opened the request's transaction (SQLite: the write lock); end it before Stripe.
    await db_session.commit()
    return await start_card_setup(wiring_of(request.app.state), clock, actor, budget_id)


class PayoutAccountController(Controller):
    path = "/api/v1/workers"
    tags = ["payouts"]

    @post("/me/payout-account", operation_id="startPayoutAccountOnboarding", status_code=200)
    async def onboard(
        self,
        request: Request[Any, Any, Any],
        actor: NamedDependency[Actor],
        db_session: NamedDependency[AsyncSession],
    ) -> PayoutOnboardingRead:
        """Set up (once) the worker's Stripe Connect account and return a link to Stripe's onboarding."""
        # Signing in opened the request's transaction (SQLite: the write lock); end it before Stripe.
        await db_session.commit()
        return await start_onboarding(wiring_of(request.app.state), actor, str(request.base_url))

    @get("/me/payout-account", operation_id="getMyPayoutAccount")
    async def mine(
        self, actor: NamedDependency[Actor], db_session: NamedDependency[AsyncSession]
    ) -> PayoutAccountRead:
        """The signed-in worker's payout account status, in plain words."""
        worker = await own_worker(db_session, actor)
        return read_account(worker.id, await payout_account_of(db_session, worker.id))

    @get("/{worker_id:uuid}/payout-account", operation_id="getPayoutAccount")
    async def of_worker(
        self,
        worker_id: FromPath[uuid.UUID],
        actor: NamedDependency[Actor],
        db_session: NamedDependency[AsyncSession],
    ) -> PayoutAccountRead:
        """A worker's payout account status: the worker themself or their organisation's coordinators."""
        await require_payout_account_reader(db_session, actor, worker_id)
        return read_account(worker_id, await payout_account_of(db_session, worker_id))


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
