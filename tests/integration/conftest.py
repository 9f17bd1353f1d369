"""The app over a real database, and API clients that sign in and send CSRF tokens like a browser."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from litestar import Litestar

from slivers.app import create_app
from slivers.clock import FrozenClock
from slivers.config import Settings
from slivers.gateways.channels import InMemoryMailer

PASSWORD = "correct horse battery staple"
_counter = itertools.count(1)


@pytest.fixture
def mailer() -> InMemoryMailer:
    return InMemoryMailer()


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(database_url=database_url, data_dir=tmp_path / "data", secret_key="test-secret-key-" * 3)


@pytest.fixture
async def app(settings: Settings, clock: FrozenClock, mailer: InMemoryMailer) -> AsyncIterator[Litestar]:
    application = create_app(settings, clock=clock, mailer=mailer)
    yield application
    await application.state.wiring.dispose()


class ApiClient(httpx.AsyncClient):
    """An httpx client on the app that echoes the CSRF cookie in the header, as our pages do."""

    user: dict[str, Any]

    async def _prime_csrf(self) -> None:
        if "slivers_csrf" not in self.cookies:
            await self.get("/health")

    async def request(self, method: str, url: Any, *args: Any, **kwargs: Any) -> httpx.Response:  # type: ignore[override]
        if method.upper() not in {"GET", "HEAD", "OPTIONS"}:
            if "slivers_csrf" not in self.cookies:
                await super().request("GET", "/health")
            headers = dict(kwargs.pop("headers", None) or {})
            headers.setdefault("x-csrf-token", self.cookies.get("slivers_csrf", ""))
            kwargs["headers"] = headers
        return await super().request(method, url, *args, **kwargs)


Factory = Callable[..., Awaitable[ApiClient]]


@pytest.fixture
async def anonymous(app: Litestar) -> AsyncIterator[Callable[[], ApiClient]]:
    clients: list[ApiClient] = []

    def make() -> ApiClient:
        client = ApiClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")
        clients.append(client)
        return client

    yield make
    for client in clients:
        await client.aclose()


@pytest.fixture
def user(anonymous: Callable[[], ApiClient]) -> Factory:
    """Register and sign in a new user; returns their client with `.user` set to /me."""

    async def make(
        account_type: str = "carer", *, name: str | None = None, email: str | None = None
    ) -> ApiClient:
        n = next(_counter)
        client = anonymous()
        response = await client.post(
            "/api/v1/auth/register",
            json={
                "email": email or f"user{n}@example.org",
                "password": PASSWORD,
                "display_name": name or f"Test User {n}",
                "account_type": account_type,
            },
        )
        assert response.status_code == 201, response.text
        client.user = response.json()
        return client

    return make


def assert_problem(
    response: httpx.Response, status: int, *, field: str | None = None, rule: str | None = None
) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json"), response.headers
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert body["detail"]
    if field is not None:
        assert body.get("field") == field, body
    if rule is not None:
        assert body.get("rule") == rule, body
    return body


StaffFactory = Callable[..., Awaitable[ApiClient]]


@pytest.fixture
def org_staff(app: Litestar, user: Factory) -> StaffFactory:
    """A signed-in coordinator or funder officer of an organisation (made as an operator would, via the
    service the CLI uses). Returns their client; `.user["organisations"]` lists the organisation."""
    from slivers.accounts.org_service import OrganisationService

    async def make(
        org_name: str = "Hertfordshire Carers", kind: str = "charity", role: str = "coordinator"
    ) -> ApiClient:
        client = await user("carer")
        wiring = app.state.wiring
        async with wiring.unit_of_work() as session:
            orgs = OrganisationService(session, wiring.clock)
            try:
                org = await orgs.by_name(org_name)
            except Exception:
                org = await orgs.create(org_name, kind)
            await orgs.add_member(org, client.user["email"], role, actor_id=None)
        client.user = (await client.get("/api/v1/me")).json()
        return client

    return make
