"""One database transaction per request, committed or rolled back at the edge.

The session is opened lazily (by the `db_session` dependency) and kept in the ASGI scope. When the
response starts, this middleware commits it (status < 400, or a handler asked for it, as a failed
sign-in does to keep its throttle record) or rolls it back, before anything reaches the client. If
the commit fails (a unique key, the booking exclusion constraint, a serialisation failure), the
client gets a 409 problem response instead of the handler's answer. This works whatever raised,
which a generator dependency does not: Litestar does not clean those up when a later dependency
raises, and a dangling SQLite transaction would hold the write lock.

Why not advanced-alchemy's session handling (`SQLAlchemyAsyncConfig(before_send_handler=
"autocommit_include_redirects")`), which otherwise does the same (a lazy session in the scope,
decided at `http.response.start` before anything is sent, 4xx and 5xx rolled back, so a page that
shows its form again with 400 keeps nothing, and a streamed answer commits before its first chunk):
- its handler swallows a failed commit (advanced-alchemy 1.12, `autocommit_handler_maker`: `except
  Exception: logger.debug(...)`) and then sends the 201 or 303 it was about to send, so a commit the
  exclusion constraint, a unique key or a serialisation failure refuses would be reported as done;
- it decides by status code only (`extra_commit_statuses`), while a failed sign-in answers 401 and
  must keep its throttle record: a decision for that one request (`mark_commit_anyway`).
tests/unit/http/test_transaction.py holds each of these guarantees.
"""

from __future__ import annotations

import json
from typing import Any

from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from slivers.logs import get_logger

SESSION_KEY = "slivers_db_session"
COMMIT_ANYWAY_KEY = "slivers_commit_anyway"
log = get_logger(__name__)


def mark_commit_anyway(scope: Any) -> None:
    scope[COMMIT_ANYWAY_KEY] = True


class TransactionMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await self.app(scope, receive, send)
            return
        replaced = False

        async def send_wrapper(message: Message) -> None:
            nonlocal replaced
            if replaced:
                return
            if message["type"] == "http.response.start":
                failure = await self._finish(scope, int(message["status"]))
                if failure is not None:
                    replaced = True
                    await _send_problem(send, failure)
                    return
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        finally:
            session: AsyncSession | None = scope.pop(SESSION_KEY, None)  # type: ignore[misc]
            if session is not None:  # the app ended without starting a response
                await session.rollback()
                await session.close()

    async def _finish(self, scope: Scope, status: int) -> dict[str, Any] | None:
        session: AsyncSession | None = scope.pop(SESSION_KEY, None)  # type: ignore[misc]
        if session is None:
            return None
        try:
            if status < 400 or scope.get(COMMIT_ANYWAY_KEY):
                await session.commit()
            else:
                await session.rollback()
            return None
        except (IntegrityError, DBAPIError) as error:
            await session.rollback()
            log.info("db.commit_conflict", error_type=type(error.orig).__name__)
            return {
                "type": "about:blank",
                "status": 409,
                "title": "Conflict",
                "rule": "conflict",
                "detail": (
                    "That change clashes with something saved at the same moment. Reload and try again."
                ),
            }
        finally:
            await session.close()


async def _send_problem(send: Send, body: dict[str, Any]) -> None:
    payload = json.dumps(body).encode()
    await send(
        {
            "type": "http.response.start",
            "status": int(body["status"]),
            "headers": [
                (b"content-type", b"application/problem+json"),
                (b"content-length", str(len(payload)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": payload, "more_body": False})
