"""Session cookies, password rehashing, per-address throttling and the operator's CLI."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import anyio
from argon2 import PasswordHasher
from click.testing import CliRunner
from sqlalchemy import select

from slivers.accounts import passwords
from slivers.accounts.models import OrganisationMember, User
from tests.integration.conftest import PASSWORD, ApiClient, Factory, assert_problem


async def test_the_session_cookie_is_httponly_lax_and_secure_when_configured(
    anonymous: Callable[[], ApiClient],
) -> None:
    client = anonymous()
    response = await client.post(
        "/api/v1/auth/register",
        json={"email": "c@example.org", "password": PASSWORD, "display_name": "C", "account_type": "carer"},
    )
    cookie = next(
        v for k, v in response.headers.multi_items() if k == "set-cookie" and "slivers_session=" in v
    )
    attributes = {part.strip().split("=")[0].lower() for part in cookie.split(";")}
    assert {"httponly", "samesite", "path", "expires"} <= attributes
    assert "samesite=lax" in cookie.lower()
    assert "secure" not in attributes  # only behind HTTPS (SLIVERS_COOKIE_SECURE)


async def test_secure_cookies_when_configured(settings: Any, clock: Any, mailer: Any) -> None:
    import dataclasses

    import httpx

    from slivers.app import create_app

    app = create_app(dataclasses.replace(settings, cookie_secure=True), clock=clock, mailer=mailer)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="https://testserver"
    ) as client:
        response = await client.post(
            "/api/v1/auth/register",
            json={
                "email": "s@example.org",
                "password": PASSWORD,
                "display_name": "S",
                "account_type": "carer",
            },
        )
    await app.state.wiring.dispose()
    cookie = next(
        v for k, v in response.headers.multi_items() if k == "set-cookie" and "slivers_session=" in v
    )
    assert "secure" in {part.strip().lower() for part in cookie.split(";")}


async def test_a_hash_made_with_old_parameters_is_upgraded_at_sign_in(
    user: Factory, anonymous: Any, app: Any
) -> None:
    email = (await user()).user["email"]
    weak = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash(PASSWORD)
    async with app.state.wiring.unit_of_work() as session:
        row = await session.scalar(select(User).where(User.email == email))
        assert row is not None
        row.password_hash = weak
    assert (
        await anonymous().post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
    ).status_code == 200
    async with app.state.wiring.unit_of_work() as session:
        stored = await session.scalar(select(User.password_hash).where(User.email == email))
    assert stored != weak
    assert stored is not None
    assert not passwords.needs_rehash(stored)


async def test_sign_in_is_throttled_per_address_across_accounts(
    anonymous: Callable[[], ApiClient], user: Factory
) -> None:
    real = (await user()).user["email"]
    attacker = anonymous()
    for n in range(20):
        response = await attacker.post(
            "/api/v1/auth/login", json={"email": f"guess{n}@example.org", "password": "wrong wrong wrong"}
        )
        assert response.status_code == 401
    assert_problem(await attacker.post("/api/v1/auth/login", json={"email": real, "password": PASSWORD}), 429)


async def test_operators_bootstrap_organisations_from_the_command_line(
    user: Factory, settings: Any, monkeypatch: Any, app: Any
) -> None:
    from slivers.cli import main

    staff = await user("carer")
    monkeypatch.setenv("SLIVERS_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("SLIVERS_DATA_DIR", str(settings.data_dir))

    def invoke(*args: str) -> Any:
        return CliRunner().invoke(main, list(args))

    created = await anyio.to_thread.run_sync(invoke, "org", "create", "Stevenage Carers", "--kind", "charity")
    assert created.exit_code == 0, created.output
    again = await anyio.to_thread.run_sync(invoke, "org", "create", "Stevenage Carers", "--kind", "charity")
    assert again.exit_code != 0
    assert "already exists" in again.output
    added = await anyio.to_thread.run_sync(
        invoke, "org", "add-member", "Stevenage Carers", staff.user["email"], "--role", "coordinator"
    )
    assert added.exit_code == 0, added.output
    unknown = await anyio.to_thread.run_sync(
        invoke, "org", "add-member", "Stevenage Carers", "nobody@example.org", "--role", "coordinator"
    )
    assert unknown.exit_code != 0
    assert "sign up first" in unknown.output
    async with app.state.wiring.unit_of_work() as session:
        roles = list(await session.scalars(select(OrganisationMember.role)))
    assert roles == ["coordinator"]
    me = (await staff.get("/api/v1/me")).json()
    assert me["organisations"][0]["name"] == "Stevenage Carers"
