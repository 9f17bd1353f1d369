"""The process's Stripe gateway and the re-reads of Stripe's objects (an unknown object is None,
not an error). Card set-up, Connect and the webhook sync all read through here, so stripe_sync
may import card_setup and connect_sync without a circle."""

from __future__ import annotations

import anyio.to_thread
import stripe

from slivers.payments.providers.stripe_gateway import (
    ConnectAccountState,
    IntentResult,
    SetupState,
    StripeClientGateway,
    StripeGateway,
    make_stripe_client,
)
from slivers.wiring import Wiring


def stripe_gateway(wiring: Wiring) -> StripeGateway | None:
    """The wiring's Stripe gateway: an injected one (tests), else one built from the settings (and kept
    on the wiring), else None when payments do not go through Stripe."""
    if wiring.stripe_gateway is not None:
        return wiring.stripe_gateway
    settings = wiring.settings
    if settings.payment_provider != "stripe" or not settings.stripe_api_key:
        return None
    wiring.stripe_gateway = StripeClientGateway(
        make_stripe_client(settings.stripe_api_key, api_base=settings.stripe_api_base)
    )
    return wiring.stripe_gateway


async def read_intent(gateway: StripeGateway, intent_id: str) -> IntentResult | None:
    try:
        return await anyio.to_thread.run_sync(gateway.retrieve_intent, intent_id)
    except stripe.InvalidRequestError:
        return None  # not one of ours, or deleted in test mode


async def read_setup(gateway: StripeGateway, setup_intent_id: str) -> SetupState | None:
    try:
        return await anyio.to_thread.run_sync(gateway.retrieve_setup, setup_intent_id)
    except stripe.InvalidRequestError:
        return None


async def read_account(gateway: StripeGateway, account_id: str) -> ConnectAccountState | None:
    try:
        return await anyio.to_thread.run_sync(gateway.retrieve_account, account_id)
    except (stripe.InvalidRequestError, stripe.PermissionError):
        return None  # not one of ours (or no longer connected to us)
