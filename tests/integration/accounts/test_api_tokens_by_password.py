"""A script gets its API token with email and password alone (no cookie, no CSRF token), throttled
like sign-in; the signed-in way (session cookie + CSRF) keeps working and keeps its CSRF check."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import timedelta

import httpx
import pytest
from litestar import Litestar

from slivers.clock import FrozenClock
from tests.integration.conftest import PASSWORD, ApiClient, Factory, assert_problem

TOKENS = "/api/v1/auth/tokens"


@pytest.fixture
async def script(app: Litestar) -> AsyncIterator[httpx.AsyncClient]:
    """A bare client as curl is: it keeps no cookies and sends no CSRF header."""
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://testserver"
    ) as client:
        yield client


async def test_a_token_from_email_and_password_alone_works_as_bearer(
    user: Factory, script: httpx.AsyncClient
) -> None:
    carer = await user()
    created = await script.post(
        TOKENS, json={"name": "my script", "email": carer.user["email"], "password": PASSWORD}
    )
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["token"].startswith("slv_")
    assert body["name"] == "my script"
    me = await script.get("/api/v1/me", headers={"authorization": f"Bearer {body['token']}"})
    assert me.status_code == 200
    assert me.json()["id"] == carer.user["id"]
    # no session was started: the answer set no session cookie
    assert "slivers_session" not in created.cookies


async def test_the_email_is_matched_as_sign_in_matches_it(user: Factory, script: httpx.AsyncClient) -> None:
    carer = await user()
    shouted = "  " + carer.user["email"].upper()
    created = await script.post(TOKENS, json={"name": "t", "email": shouted, "password": PASSWORD})
    assert created.status_code == 201, created.text


async def test_wrong_credentials_get_the_sign_in_answer(user: Factory, script: httpx.AsyncClient) -> None:
    carer = await user()
    for email, password in [(carer.user["email"], "not the password"), ("nobody@example.org", PASSWORD)]:
        response = await script.post(TOKENS, json={"name": "t", "email": email, "password": password})
        body = assert_problem(response, 401, rule="bad_credentials")
        assert body["detail"] == "The email or password is not right."


async def test_email_without_password_names_the_rule(user: Factory, script: httpx.AsyncClient) -> None:
    carer = await user()
    response = await script.post(TOKENS, json={"name": "t", "email": carer.user["email"]})
    body = assert_problem(response, 400)
    assert "together" in body["detail"]


async def test_no_credentials_and_no_session_is_401(script: httpx.AsyncClient) -> None:
    assert_problem(await script.post(TOKENS, json={"name": "t"}), 401, rule="signed_out")


async def test_failed_attempts_are_throttled_together_with_sign_in(
    user: Factory, script: httpx.AsyncClient, anonymous: Callable[[], ApiClient], clock: FrozenClock
) -> None:
    email = (await user()).user["email"]
    browser = anonymous()
    for attempt in range(5):
        guess = {"email": email, "password": f"guess number {attempt}"}
        if attempt % 2:
            assert_problem(await browser.post("/api/v1/auth/login", json=guess), 401)
        else:
            assert_problem(await script.post(TOKENS, json={"name": "t", **guess}), 401)
    right = {"name": "t", "email": email, "password": PASSWORD}
    blocked = await script.post(TOKENS, json=right)
    assert_problem(blocked, 429, rule="rate_limited")
    assert blocked.headers["retry-after"] == "900"
    assert_problem(await browser.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD}), 429)
    clock.advance(timedelta(minutes=16))
    assert (await script.post(TOKENS, json=right)).status_code == 201


async def test_signed_in_way_still_works_and_still_needs_the_csrf_token(
    user: Factory, script: httpx.AsyncClient
) -> None:
    carer = await user()
    made = await carer.post(TOKENS, json={"name": "from the browser"})  # cookie + x-csrf-token
    assert made.status_code == 201, made.text
    session = carer.cookies["slivers_session"]
    # the same session cookie without the CSRF token is refused, as any cookie request that changes things
    forged = await script.post(
        TOKENS, json={"name": "forged"}, headers={"cookie": f"slivers_session={session}"}
    )
    assert_problem(forged, 403)
    # and email + password do not lift the CSRF check from a request that carries the session cookie
    with_cookie = await script.post(
        TOKENS,
        json={"name": "forged", "email": carer.user["email"], "password": PASSWORD},
        headers={"cookie": f"slivers_session={session}"},
    )
    assert_problem(with_cookie, 403)
    names = [token["name"] for token in (await carer.get(TOKENS)).json()]
    assert names == ["from the browser"]
