"""An unhandled error in a request that carries a bearer token and a health note is logged usefully
(what failed, where) in every log format, and neither the token, the session cookie, nor the note
reaches the log: not through a frame's locals, the request body, nor the database error's message."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import text

from slivers.accounts.actor import SESSION_COOKIE
from slivers.accounts.person_service import PersonService
from slivers.accounts.schemas import PersonCreate
from tests.integration.conftest import ApiClient, Factory
from tests.integration.log_capture import (
    ADDRESS,
    NOTE,
    app,
    assert_nothing_secret,
    assert_traceback_without_locals,
    captured,
    log_format,
    the_event,
)

__all__ = ["app", "log_format"]
DB_ERRORS = {"OperationalError", "ProgrammingError"}


@pytest.fixture
def failing_person_create(monkeypatch: pytest.MonkeyPatch) -> None:
    """Saving a person fails in the database, on a statement that carries the person's needs."""

    async def create(self: PersonService, actor: object, data: PersonCreate) -> object:
        needs, address = data.needs, data.address  # locals a traceback could show
        await self.session.execute(
            text("SELECT needs FROM no_such_table WHERE needs = :needs AND address = :address"),
            {"needs": needs, "address": address},
        )
        raise AssertionError("unreachable")

    monkeypatch.setattr(PersonService, "create", create)


async def test_an_api_error_logs_what_failed_but_not_the_token_nor_the_note(
    user: Factory,
    anonymous: Callable[[], ApiClient],
    failing_person_create: None,
    log_format: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    carer = await user("carer")
    created = await carer.post("/api/v1/auth/tokens", json={"name": "laptop"})
    token = str(created.json()["token"])
    captured(capsys)
    response = await anonymous().post(
        "/api/v1/persons",
        json={"display_name": "Mum", "home_postcode": "SG5 1AA", "address": ADDRESS, "needs": NOTE},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 500
    assert NOTE not in response.text
    output = captured(capsys)
    event = the_event(output, "http.unhandled_error", log_format)
    assert "/api/v1/persons" in str(event)
    assert "POST" in str(event)
    # The response names the request, and so does the log line: a support call finds it.
    request_id = response.headers["x-request-id"]
    assert len(request_id) == 32
    assert request_id in str(event)
    assert_traceback_without_locals(output, event, DB_ERRORS)
    assert "no_such_table" in output  # the statement is kept; its values are not
    assert_nothing_secret(output, token, token.removeprefix("slv_"))


async def test_a_page_error_logs_what_failed_but_not_the_session_nor_the_note(
    user: Factory, failing_person_create: None, log_format: str, capsys: pytest.CaptureFixture[str]
) -> None:
    carer = await user("carer")
    await carer._prime_csrf()
    session, csrf = str(carer.cookies[SESSION_COOKIE]), str(carer.cookies["slivers_csrf"])
    captured(capsys)
    response = await carer.post(
        "/people/new",
        data={
            "display_name": "Dad",
            "home_postcode": "SG5 1AA",
            "address": ADDRESS,
            "needs": NOTE,
            "_csrf_token": csrf,
        },
        headers={"x-csrf-token": ""},
    )
    assert response.status_code == 500
    assert response.headers["content-type"].startswith("text/html")
    output = captured(capsys)
    event = the_event(output, "http.unhandled_error", log_format)
    assert "/people/new" in str(event)
    assert response.headers["x-request-id"] in str(event)
    assert_traceback_without_locals(output, event, DB_ERRORS)
    assert_nothing_secret(output, session, csrf)


async def test_a_proxys_request_id_is_kept_and_anything_else_replaced(
    anonymous: Callable[[], ApiClient], log_format: str
) -> None:
    client = anonymous()
    kept = await client.get("/health", headers={"X-Request-ID": "edge-4f1c2a9b"})
    assert kept.headers["x-request-id"] == "edge-4f1c2a9b"
    smuggled = await client.get("/health", headers={"X-Request-ID": "a b\\nfake.log.line slv_x"})
    assert smuggled.headers["x-request-id"] != "a b\\nfake.log.line slv_x"
    assert len(smuggled.headers["x-request-id"]) == 32
    fresh = [(await client.get("/health")).headers["x-request-id"] for _ in range(2)]
    assert fresh[0] != fresh[1]
