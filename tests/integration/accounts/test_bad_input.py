"""Bad input gets a clear problem+json 4xx naming the field and rule, never a 500, and changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import func, select

from slivers.accounts.models import Person, User
from tests.integration.conftest import PASSWORD, ApiClient, Factory, assert_problem

GOOD = {
    "email": "new@example.org",
    "password": PASSWORD,
    "display_name": "New Person",
    "account_type": "carer",
}


async def _count(app: Any, model: Any) -> int:
    async with app.state.wiring.unit_of_work() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


@pytest.mark.parametrize(
    ("change", "field", "rule"),
    [
        ({"email": "not-an-email"}, "email", "email"),
        ({"password": "short"}, "password", "min_length"),
        ({"password": "password123"}, "password", "common"),
        ({"password": "new@example.org1"}, "password", "too_guessable"),
        ({"display_name": "x" * 201}, "display_name", "validation"),
        ({"account_type": "admin"}, "account_type", "validation"),
        ({"is_admin": True}, None, "validation"),
        ({"display_name": 42}, "display_name", "validation"),
    ],
)
async def test_register_refuses_bad_fields(
    anonymous: Callable[[], ApiClient], app: Any, change: dict[str, Any], field: str | None, rule: str
) -> None:
    response = await anonymous().post("/api/v1/auth/register", json={**GOOD, **change})
    body = assert_problem(response, 400, rule=rule)
    if field:
        assert body["field"] == field
    assert await _count(app, User) == 0


async def test_malformed_json_is_a_400(anonymous: Callable[[], ApiClient]) -> None:
    response = await anonymous().post(
        "/api/v1/auth/register", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert_problem(response, 400)


async def test_duplicate_registration_is_a_409(anonymous: Callable[[], ApiClient], app: Any) -> None:
    assert (await anonymous().post("/api/v1/auth/register", json=GOOD)).status_code == 201
    assert_problem(
        await anonymous().post("/api/v1/auth/register", json={**GOOD, "email": "NEW@example.org"}),
        409,
        field="email",
        rule="duplicate",
    )
    assert await _count(app, User) == 1


@pytest.mark.parametrize(
    ("postcode", "rule"),
    [
        ("XYZ", "format"),
        ("BT1 1AA", "outside_service_area"),
        ("JE2 3AB", "outside_service_area"),
        ("IM1 1AA", "outside_service_area"),
        ("ZZ9 9ZZ", "unknown"),
    ],
)
async def test_person_postcode_is_validated(user: Factory, app: Any, postcode: str, rule: str) -> None:
    carer = await user()
    response = await carer.post("/api/v1/persons", json={"display_name": "A", "home_postcode": postcode})
    assert_problem(response, 400, field="home_postcode", rule=rule)
    assert await _count(app, Person) == 0


async def test_overlong_notes_are_refused(user: Factory, app: Any) -> None:
    carer = await user()
    response = await carer.post(
        "/api/v1/persons", json={"display_name": "A", "home_postcode": "SG1 1AA", "needs": "n" * 5001}
    )
    assert_problem(response, 400, field="needs", rule="validation")
    assert await _count(app, Person) == 0


async def test_form_post_without_csrf_token_is_refused(user: Factory, app: Any) -> None:
    carer = await user()
    response = await carer.post(
        "/api/v1/persons",
        json={"display_name": "A", "home_postcode": "SG1 1AA"},
        headers={"x-csrf-token": "forged"},
    )
    assert_problem(response, 403, rule="csrf")
    assert await _count(app, Person) == 0


async def test_api_tokens_work_and_stop_working_when_revoked_or_expired(
    user: Factory, anonymous: Any, clock: Any
) -> None:
    from datetime import timedelta

    carer = await user()
    created = (
        await carer.post("/api/v1/auth/tokens", json={"name": "my script", "expires_in_days": 1})
    ).json()
    api = anonymous()
    bearer = {"authorization": f"Bearer {created['token']}"}
    me = await api.get("/api/v1/me", headers=bearer)
    assert me.status_code == 200
    assert me.json()["id"] == carer.user["id"]
    # a bearer request needs no CSRF token
    made = await api.post(
        "/api/v1/persons",
        json={"display_name": "B", "home_postcode": "SG1 1AA"},
        headers={**bearer, "x-csrf-token": ""},
    )
    assert made.status_code == 201
    listed = (await carer.get("/api/v1/auth/tokens")).json()
    assert listed[0]["prefix"] == created["token"][:10]
    assert "token" not in listed[0]
    clock.advance(timedelta(days=2))
    assert_problem(await api.get("/api/v1/me", headers=bearer), 401, rule="invalid_token")
    clock.advance(timedelta(days=-2))
    assert (await carer.delete(f"/api/v1/auth/tokens/{created['id']}")).status_code == 204
    assert_problem(await api.get("/api/v1/me", headers=bearer), 401, rule="invalid_token")
    assert_problem(await api.get("/api/v1/me", headers={"authorization": "Bearer slv_madeup"}), 401)


async def test_another_users_token_cannot_be_revoked(user: Factory) -> None:
    owner, other = await user(), await user()
    created = (await owner.post("/api/v1/auth/tokens", json={"name": "t"})).json()
    assert_problem(await other.delete(f"/api/v1/auth/tokens/{created['id']}"), 404)


async def test_health_ready_and_openapi(anonymous: Callable[[], ApiClient]) -> None:
    client = anonymous()
    assert (await client.get("/health")).json() == {"status": "ok"}
    assert (await client.get("/ready")).json() == {"status": "ok"}
    schema = (await client.get("/schema/openapi.json")).json()
    operation_ids = {op["operationId"] for path in schema["paths"].values() for op in path.values()}
    assert {
        "register",
        "login",
        "logout",
        "me",
        "createApiToken",
        "createPerson",
        "getPerson",
        "inviteToCircle",
        "removeFromCircle",
    } <= operation_ids
    assert (await client.get("/schema")).status_code == 200
    about = await client.get("/about")
    assert "Open Government Licence" in about.text
