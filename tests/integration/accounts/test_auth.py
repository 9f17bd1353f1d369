from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select

from slivers.accounts.models import User
from slivers.clock import FrozenClock
from tests.integration.conftest import PASSWORD, ApiClient, Factory, assert_problem


async def test_register_signs_in_and_me_shows_the_account(user: Factory) -> None:
    client = await user("carer", name="Amina Khan", email="Amina@Example.org")
    me = (await client.get("/api/v1/me")).json()
    assert me["email"] == "amina@example.org"
    assert me["display_name"] == "Amina Khan"
    assert me["account_type"] == "carer"
    assert me["worker_id"] is None


async def test_worker_registration_creates_a_pending_worker_profile(user: Factory) -> None:
    client = await user("volunteer")
    assert client.user["worker_id"] is not None


async def test_password_is_hashed_with_argon2(user: Factory, app: object) -> None:
    client = await user("carer")
    wiring = app.state.wiring  # type: ignore[attr-defined]
    async with wiring.unit_of_work() as session:
        stored = await session.scalar(select(User.password_hash).where(User.email == client.user["email"]))
    assert stored is not None
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored


async def test_sign_out_ends_the_session_on_the_server(user: Factory) -> None:
    client = await user()
    cookie = client.cookies.get("slivers_session")
    assert (await client.post("/api/v1/auth/logout")).status_code == 204
    client.cookies.set("slivers_session", cookie or "")
    assert_problem(await client.get("/api/v1/me"), 401, rule="signed_out")


async def test_login_with_wrong_password_or_unknown_email_gives_the_same_answer(
    user: Factory, anonymous: Callable[[], ApiClient]
) -> None:
    client = await user()
    email = client.user["email"]
    fresh = anonymous()
    wrong = assert_problem(
        await fresh.post("/api/v1/auth/login", json={"email": email, "password": "nope nope nope"}), 401
    )
    unknown = assert_problem(
        await fresh.post(
            "/api/v1/auth/login", json={"email": "nobody@example.org", "password": "nope nope nope"}
        ),
        401,
    )
    assert wrong["detail"] == unknown["detail"]
    ok = await fresh.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
    assert ok.status_code == 200
    assert (await fresh.get("/api/v1/me")).json()["email"] == email


async def test_sign_in_is_throttled_per_account(
    user: Factory, anonymous: Callable[[], ApiClient], clock: FrozenClock
) -> None:
    from datetime import timedelta

    email = (await user()).user["email"]
    attacker = anonymous()
    for _ in range(5):
        assert_problem(
            await attacker.post("/api/v1/auth/login", json={"email": email, "password": "guess guess guess"}),
            401,
        )
    blocked = await attacker.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
    assert_problem(blocked, 429, rule="rate_limited")
    assert blocked.headers["retry-after"] == "900"
    clock.advance(timedelta(minutes=16))
    assert (
        await attacker.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
    ).status_code == 200
