"""Request-scoped dependencies: one database transaction per request, the clock, and the actor."""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.datastructures import State
from litestar.di import NamedDependency
from sqlalchemy.ext.asyncio import AsyncSession

from slivers.clock import Clock
from slivers.config import Settings
from slivers.errors import NotAuthenticated
from slivers.http.transaction import SESSION_KEY
from slivers.identity import SESSION_COOKIE, Actor
from slivers.wiring import Wiring


def wiring_of(state: State) -> Wiring:
    wiring: Wiring = state.wiring
    return wiring


def provide_db_session(request: Request[Any, Any, Any]) -> AsyncSession:
    """The request's one session; TransactionMiddleware commits or rolls it back."""
    session: AsyncSession | None = request.scope.get(SESSION_KEY)  # type: ignore[assignment]
    if session is None:
        session = wiring_of(request.app.state).session_maker()
        request.scope[SESSION_KEY] = session  # type: ignore[literal-required]
    return session


def provide_clock(state: State) -> Clock:
    return wiring_of(state).clock


def provide_settings(state: State) -> Settings:
    return wiring_of(state).settings


async def provide_maybe_actor(
    request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession], clock: NamedDependency[Clock]
) -> Actor | None:
    scope: dict[str, Any] = request.scope  # type: ignore[assignment]
    if "slivers_actor" in scope:
        cached: Actor | None = scope["slivers_actor"]
        return cached
    actor = await wiring_of(request.app.state).hooks.resolve_actor(
        db_session,
        clock,
        authorization=request.headers.get("authorization"),
        session_cookie=request.cookies.get(SESSION_COOKIE),
    )
    scope["slivers_actor"] = actor
    return actor


async def provide_actor(maybe_actor: NamedDependency[Actor | None]) -> Actor:
    if maybe_actor is None:
        raise NotAuthenticated("Sign in to do this.", rule="signed_out")
    return maybe_actor
