"""Render a page with what every page needs: who is signed in, the navigation, the CSRF token and
the flash messages waiting for this request."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from litestar import Request
from litestar.datastructures import Cookie
from litestar.response import Redirect, Template
from litestar.utils.scope.state import ScopeState

from slivers.http.deps import wiring_of
from slivers.http.flash import Flash, FlashKind, clear_flash_cookie, flash_cookie, read_flashes
from slivers.http.forms import Form
from slivers.identity import Actor

# The templates and static files stay with the pages in slivers/web; this is a path, not an import.
HTMX_FILE = Path(__file__).parents[1] / "web" / "static" / "vendor" / "htmx.min.js"
LONDON = ZoneInfo("Europe/London")
CSRF_COOKIE = "slivers_csrf"
WORKER_ACCOUNTS = frozenset({"worker", "volunteer"})


@dataclass(frozen=True, slots=True)
class NavItem:
    href: str
    label: str


def navigation_for(actor: Actor | None) -> list[NavItem]:
    """The main navigation: what this person can do here. Sign out is a form, added by the layout."""
    if actor is None:
        return [
            NavItem("/", "Home"),
            NavItem("/sign-in", "Sign in"),
            NavItem("/sign-up", "Create an account"),
        ]
    items = [NavItem("/", "Home")]
    if actor.account_type in WORKER_ACCOUNTS:
        items.append(NavItem("/work", "Your day"))
    items += [
        NavItem("/book", "Book help"),
        NavItem("/bookings", "My bookings"),
        NavItem("/people", "My people"),
        NavItem("/invitations/accept", "Invitations"),
    ]
    if actor.orgs_with_role("coordinator"):
        items.append(NavItem("/desk", "Coordinator's desk"))
    return items


def csrf_token_of(request: Request[Any, Any, Any]) -> str:
    """The token for hidden form fields. Error pages may render before the CSRF middleware ran;
    the cookie holds the same token then."""
    token = ScopeState.from_scope(request.scope).csrf_token
    if isinstance(token, str) and token:
        return token
    return request.cookies.get(CSRF_COOKIE, "")


def london_date(moment: Any) -> str:
    local = moment.astimezone(LONDON)
    return f"{local.day} {local:%B %Y}"


def render(
    request: Request[Any, Any, Any],
    template: str,
    *,
    actor: Actor | None,
    context: dict[str, Any] | None = None,
    form: Form | None = None,
    status: int = 200,
    announce: str | None = None,
) -> Template:
    """`announce` adds a message to the status region now (for htmx updates, which swap that region)."""
    secret = wiring_of(request.app.state).settings.secret_key
    flashes = read_flashes(request, secret)
    path = request.url.path
    values: dict[str, Any] = {
        "actor": actor,
        "nav": navigation_for(actor),
        "current_path": path,
        "csrf_token_value": csrf_token_of(request),
        "flashes": [*(flashes or []), *([Flash(announce, "info")] if announce else [])],
        "form": form or Form(),
        "htmx": HTMX_FILE.exists(),
        **(context or {}),
    }
    cookies: list[Cookie] = [clear_flash_cookie()] if flashes is not None else []
    return Template(template_name=template, context=values, status_code=status, cookies=cookies)


def redirect(
    request: Request[Any, Any, Any],
    to: str,
    message: str | None = None,
    *,
    kind: FlashKind = "success",
    cookies: list[Cookie] | None = None,
) -> Redirect:
    """Post/redirect/get, with an optional message for the next page."""
    settings = wiring_of(request.app.state).settings
    all_cookies = list(cookies or [])
    if message:
        all_cookies.append(
            flash_cookie([Flash(message, kind)], settings.secret_key, secure=settings.cookie_secure)
        )
    return Redirect(to, status_code=303, cookies=all_cookies)
