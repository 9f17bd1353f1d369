"""The session cookie lasts exactly as long as the session on the server (SLIVERS_SESSION_DAYS), however
the session starts: API registration or sign-in, or the sign-up or sign-in page."""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import timedelta
from email.utils import parsedate_to_datetime
from http.cookies import SimpleCookie

import httpx
import pytest
from litestar import Litestar
from sqlalchemy import select

from slivers.accounts.actor import SESSION_COOKIE
from slivers.accounts.models import UserSession
from slivers.accounts.tokens import digest
from slivers.app import create_app
from slivers.clock import FrozenClock
from slivers.config import Settings
from slivers.gateways.channels import InMemoryMailer
from tests.integration.conftest import PASSWORD, ApiClient
from tests.real_clock import true_now

_emails = itertools.count(1)
NO_HEADER = {"x-csrf-token": ""}


@pytest.fixture(params=[14, 3], ids=["default-14-days", "3-days"])
def session_days(request: pytest.FixtureRequest) -> int:
    return int(request.param)


@pytest.fixture
async def app(
    settings: Settings, clock: FrozenClock, mailer: InMemoryMailer, session_days: int
) -> AsyncIterator[Litestar]:
    configured = settings if session_days == 14 else dataclasses.replace(settings, session_days=session_days)
    application = create_app(configured, clock=clock, mailer=mailer)
    yield application
    await application.state.wiring.dispose()


Start = Callable[[ApiClient, str], Awaitable[httpx.Response]]


async def _api_register(client: ApiClient, email: str) -> httpx.Response:
    return await client.post(
        "/api/v1/auth/register",
        json={"email": email, "password": PASSWORD, "display_name": "Sam", "account_type": "carer"},
    )


async def _api_login(client: ApiClient, email: str) -> httpx.Response:
    await _api_register(client, email)
    client.cookies.delete(SESSION_COOKIE)
    return await client.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})


async def _page_sign_up(client: ApiClient, email: str) -> httpx.Response:
    await client._prime_csrf()
    form = {"email": email, "password": PASSWORD, "display_name": "Sam", "account_type": "carer"}
    return await client.post(
        "/sign-up", data={**form, "_csrf_token": client.cookies["slivers_csrf"]}, headers=NO_HEADER
    )


async def _page_sign_in(client: ApiClient, email: str) -> httpx.Response:
    await _api_register(client, email)
    client.cookies.delete(SESSION_COOKIE)
    form = {"email": email, "password": PASSWORD, "_csrf_token": client.cookies["slivers_csrf"]}
    return await client.post("/sign-in", data=form, headers=NO_HEADER)


STARTS: dict[str, Start] = {
    "api-register": _api_register,
    "api-login": _api_login,
    "page-sign-up": _page_sign_up,
    "page-sign-in": _page_sign_in,
}


def _session_cookie(response: httpx.Response) -> dict[str, str]:
    for name, value in response.headers.multi_items():
        if name == "set-cookie" and value.startswith(f"{SESSION_COOKIE}="):
            morsel = SimpleCookie(value)[SESSION_COOKIE]
            return {"value": morsel.value, "max-age": morsel["max-age"], "expires": morsel["expires"]}
    raise AssertionError(f"no session cookie in {response.headers}")


@pytest.mark.parametrize("start", list(STARTS))
async def test_the_session_cookie_expires_when_the_session_does(
    app: Litestar,
    anonymous: Callable[[], ApiClient],
    clock: FrozenClock,
    session_days: int,
    start: str,
) -> None:
    client = anonymous()
    response = await STARTS[start](client, f"cookie{next(_emails)}@example.org")
    assert response.status_code in {200, 201, 303}, response.text
    cookie = _session_cookie(response)
    async with app.state.wiring.unit_of_work() as session:
        stored = await session.scalar(
            select(UserSession).where(UserSession.token_hash == digest(cookie["value"]))
        )
    assert stored is not None
    lifetime = stored.expires_at - clock.now()
    assert lifetime == timedelta(days=session_days)
    # Max-Age counts from when the browser receives the cookie: the session's whole lifetime.
    assert int(cookie["max-age"]) == lifetime.total_seconds()
    # Expires is a date on the browser's (the machine's) clock: now plus the same lifetime, not 57 years.
    expires = parsedate_to_datetime(cookie["expires"])
    assert abs(expires - (true_now() + lifetime)) < timedelta(minutes=2)


async def test_the_server_ends_the_session_when_its_cookie_expires(
    anonymous: Callable[[], ApiClient], clock: FrozenClock, session_days: int
) -> None:
    client = anonymous()
    response = await _api_register(client, f"cookie{next(_emails)}@example.org")
    lifetime = int(_session_cookie(response)["max-age"])
    clock.advance(timedelta(seconds=lifetime - 1))
    assert (await client.get("/api/v1/me")).status_code == 200
    clock.advance(timedelta(seconds=1))
    assert (await client.get("/api/v1/me")).status_code == 401
