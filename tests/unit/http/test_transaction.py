"""TransactionMiddleware without a database: a fake session records what the middleware did and in
what order against what reached the client."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy.exc import IntegrityError

from slivers.http.transaction import SESSION_KEY, TransactionMiddleware, mark_commit_anyway


class FakeSession:
    def __init__(self, events: list[str], *, commit_fails: bool = False) -> None:
        self.events = events
        self.commit_fails = commit_fails

    async def commit(self) -> None:
        self.events.append("commit")
        if self.commit_fails:
            raise IntegrityError("INSERT ...", {}, Exception("ex_bookings_worker_no_overlap"))

    async def rollback(self) -> None:
        self.events.append("rollback")

    async def close(self) -> None:
        self.events.append("close")


def app_answering(status: int, *, chunks: int = 1, commit_anyway: bool = False, raises: bool = False) -> Any:
    async def app(scope: Any, receive: Any, send: Any) -> None:
        scope[SESSION_KEY] = scope["fake_session"]
        if commit_anyway:
            mark_commit_anyway(scope)
        if raises:
            raise RuntimeError("the handler failed before answering")
        await send({"type": "http.response.start", "status": status, "headers": []})
        for n in range(chunks):
            await send({"type": "http.response.body", "body": b"part", "more_body": n < chunks - 1})

    return app


async def run(app: Any, *, commit_fails: bool = False) -> tuple[list[str], list[dict[str, Any]]]:
    events: list[str] = []
    sent: list[dict[str, Any]] = []

    async def send(message: Any) -> None:
        events.append(f"sent {message['type']}")
        sent.append(message)

    async def receive() -> Any:
        return {"type": "http.disconnect"}

    scope = {"type": "http", "fake_session": FakeSession(events, commit_fails=commit_fails)}
    await TransactionMiddleware(app)(scope, receive, send)
    return events, sent


@pytest.mark.parametrize("status", [200, 201, 204, 303])
async def test_success_and_redirects_commit_before_anything_is_sent(status: int) -> None:
    events, _ = await run(app_answering(status))
    assert events == ["commit", "close", "sent http.response.start", "sent http.response.body"]


@pytest.mark.parametrize("status", [400, 403, 404, 409, 500])
async def test_an_error_answer_rolls_back_even_a_page_showing_its_form_again(status: int) -> None:
    events, sent = await run(app_answering(status))
    assert events[:2] == ["rollback", "close"]
    assert sent[0]["status"] == status


async def test_a_handler_may_ask_to_keep_its_writes_with_an_error_answer() -> None:
    """A failed sign-in answers 401 and keeps its throttle record."""
    events, _ = await run(app_answering(401, commit_anyway=True))
    assert events[:2] == ["commit", "close"]


async def test_a_failed_commit_becomes_a_409_problem_instead_of_the_success_answer() -> None:
    events, sent = await run(app_answering(201, chunks=2), commit_fails=True)
    assert events[:3] == ["commit", "rollback", "close"]
    assert [m["type"] for m in sent] == ["http.response.start", "http.response.body"]
    assert sent[0]["status"] == 409
    assert (b"content-type", b"application/problem+json") in sent[0]["headers"]
    body = json.loads(sent[1]["body"])
    assert (body["status"], body["rule"]) == (409, "conflict")


async def test_a_streamed_answer_commits_before_its_first_chunk() -> None:
    events, _ = await run(app_answering(200, chunks=3))
    assert events.index("commit") < events.index("sent http.response.start")
    assert events.count("sent http.response.body") == 3
    assert events.count("commit") == 1


async def test_a_handler_that_raises_before_answering_is_rolled_back() -> None:
    events: list[str] = []

    async def send(message: Any) -> None:
        events.append("sent")

    async def receive() -> Any:
        return {"type": "http.disconnect"}

    scope = {"type": "http", "fake_session": FakeSession(events)}
    with pytest.raises(RuntimeError):
        await TransactionMiddleware(app_answering(200, raises=True))(scope, receive, send)
    assert events == ["rollback", "close"]


async def test_a_request_that_never_opened_a_session_passes_through() -> None:
    """CSRF refusals and static files answer before any handler asks for the session."""
    sent: list[dict[str, Any]] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": 403, "headers": []})
        await send({"type": "http.response.body", "body": b"", "more_body": False})

    async def send(message: Any) -> None:
        sent.append(message)

    async def receive() -> Any:
        return {"type": "http.disconnect"}

    await TransactionMiddleware(app)({"type": "http"}, receive, send)
    assert [m.get("status") for m in sent] == [403, None]
