"""HTTP for a self-employed worker's Stripe Connect payout account: onboarding and its status."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from sqlalchemy.ext.asyncio import AsyncSession

from slivers.accounts.actor import Actor
from slivers.http.deps import wiring_of
from slivers.payments.connect import (
    PayoutAccountRead,
    PayoutOnboardingRead,
    own_worker,
    payout_account_of,
    read_account,
    require_payout_account_reader,
    start_onboarding,
)


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
