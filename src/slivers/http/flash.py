"""Flash messages after post/redirect/get, in a short-lived signed cookie.

Litestar's flash plugin needs session middleware, and its client-side cookie session needs the
`cryptography` package; the API keeps its own server-side session table. A flash message is neither
secret nor personal (it says "Invitation sent"), so an HMAC-signed cookie that lives two minutes is
enough: the next page shows the messages and deletes the cookie. The signature stops another site
from planting text on our pages.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from dataclasses import dataclass
from typing import Any, Literal

from litestar import Request
from litestar.datastructures import Cookie

FLASH_COOKIE = "slivers_flash"
FLASH_SECONDS = 120
FlashKind = Literal["success", "info"]


@dataclass(frozen=True, slots=True)
class Flash:
    text: str
    kind: FlashKind = "success"


def _signature(payload: str, secret: str) -> str:
    return hmac.new(f"flash:{secret}".encode(), payload.encode(), hashlib.sha256).hexdigest()


def flash_cookie(messages: list[Flash], secret: str, *, secure: bool = False) -> Cookie:
    raw = json.dumps([{"text": m.text, "kind": m.kind} for m in messages], separators=(",", ":"))
    payload = base64.urlsafe_b64encode(raw.encode()).decode()
    return Cookie(
        key=FLASH_COOKIE,
        value=f"{payload}.{_signature(payload, secret)}",
        max_age=FLASH_SECONDS,
        path="/",
        httponly=True,
        samesite="lax",
        secure=secure,
    )


def clear_flash_cookie() -> Cookie:
    return Cookie(key=FLASH_COOKIE, value="", max_age=0, path="/", httponly=True, samesite="lax")


def read_flashes(request: Request[Any, Any, Any], secret: str) -> list[Flash] | None:
    """The messages waiting for this request; None when there is no flash cookie at all."""
    value = request.cookies.get(FLASH_COOKIE)
    if value is None:
        return None
    payload, _, signature = value.rpartition(".")
    if not payload or not hmac.compare_digest(signature, _signature(payload, secret)):
        return []
    try:
        items = json.loads(base64.urlsafe_b64decode(payload.encode()))
    except ValueError:
        return []
    return [
        Flash(text=str(item["text"]), kind="info" if item.get("kind") == "info" else "success")
        for item in items
        if isinstance(item, dict) and "text" in item
    ]
