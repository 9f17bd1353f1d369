"""HTTP for saving a self-funder's card (Stripe provider)."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Request, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from sqlalchemy.ext.asyncio import AsyncSession

from slivers.accounts.actor import Actor
from slivers.clock import Clock
from slivers.http.deps import wiring_of
from slivers.payments.card_setup import CardSetupRead, start_card_setup


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
