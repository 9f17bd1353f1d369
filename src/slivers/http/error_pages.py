"""HTML error pages for page routes; API routes keep their problem+json responses (see problems.py)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlsplit

from litestar import Request, Response
from litestar.response import Redirect

from slivers.http.rendering import render
from slivers.identity import Actor

# Machine-facing paths: they answer in JSON even when something goes wrong.
MACHINE_PREFIXES = ("/api/", "/schema", "/health", "/ready", "/static/")

TITLES = {
    400: "There is a problem with what was sent",
    403: "You cannot do that",
    404: "Page not found",
    405: "Page not found",
    409: "Someone changed this at the same moment",
    429: "Too many attempts",
    500: "Sorry, something went wrong on our side",
}


def is_page_request(request: Request[Any, Any, Any]) -> bool:
    path = request.url.path
    return not (path.startswith(MACHINE_PREFIXES) or path in {"/schema", "/health", "/ready"})


def _known_actor(request: Request[Any, Any, Any]) -> Actor | None:
    """Who is signed in, if a dependency already found out; an error page does not query the database."""
    actor = request.scope.get("slivers_actor")
    return actor if isinstance(actor, Actor) else None


def error_page(request: Request[Any, Any, Any], status: int, detail: str | None = None) -> Response[Any]:
    shown_status = 404 if status == 405 else status  # a page address used the wrong way is simply not there
    return render(
        request,
        "errors/error.html",
        actor=_known_actor(request),
        status=shown_status,
        context={"status": shown_status, "title": TITLES.get(status, TITLES[400]), "detail": detail},
    )


def sign_in_redirect(request: Request[Any, Any, Any]) -> Response[Any]:
    """A signed-out visitor is sent to sign in, and back here afterwards."""
    target = request.url.path
    if request.url.query:
        target += f"?{request.url.query}"
    if request.method != "GET":
        referer = urlsplit(request.headers.get("referer", ""))
        target = referer.path if referer.netloc == request.url.netloc and referer.path else "/"
    return Redirect(f"/sign-in?next={quote(target, safe='/')}", status_code=303)
