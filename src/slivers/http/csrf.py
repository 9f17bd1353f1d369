"""CSRF protection for cookie sessions, using Litestar's middleware.

A request that carries `Authorization: Bearer` is authenticated by that token alone (the session
cookie is ignored), and a cross-site page cannot set that header, so such requests skip the check.

So may a request to one of `cookieless_paths` that carries no session cookie at all: CSRF abuses the
credentials a browser adds by itself, and such a request has none; it must bring its own (creating an
API token with email and password). With the session cookie, the check applies as everywhere.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from litestar.config.csrf import CSRFConfig
from litestar.enums import ScopeType
from litestar.middleware.csrf import CSRFMiddleware
from litestar.types import ASGIApp, Receive, Scope, Send


class BearerAwareCSRFMiddleware(CSRFMiddleware):
    def __init__(
        self,
        app: ASGIApp,
        config: CSRFConfig,
        *,
        cookieless_paths: Collection[str] = (),
        session_cookie: str = "",
    ) -> None:
        super().__init__(app, config)
        self.cookieless_paths = frozenset(cookieless_paths)
        self.session_cookie = session_cookie

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == ScopeType.HTTP:
            headers = list(scope.get("headers", []))
            bearer = any(
                name == b"authorization" and value[:7].lower() == b"bearer " for name, value in headers
            )
            if bearer or (scope["path"] in self.cookieless_paths and not self._has_session(headers)):
                await self.app(scope, receive, send)
                return
        await super().__call__(scope, receive, send)

    def _has_session(self, headers: Iterable[tuple[bytes, bytes]]) -> bool:
        for name, value in headers:
            if name != b"cookie":
                continue
            for pair in value.decode("latin-1").split(";"):
                if pair.split("=", 1)[0].strip() == self.session_cookie:
                    return True
        return False
