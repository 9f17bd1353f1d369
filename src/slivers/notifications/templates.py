"""Short, plain-English messages. Each template renders a subject and a body from its data."""

from __future__ import annotations

from typing import Any

TEMPLATES: dict[str, tuple[str, str]] = {
    "circle_invitation": (
        "You have been invited to help {person_name}",
        "{inviter_name} has invited you to join {person_name}'s circle of support on Slivers. "
        "Sign in and use this code to accept: {token}",
    ),
    "generic": ("{subject}", "{body}"),
}


def render(template: str, data: dict[str, Any]) -> tuple[str, str]:
    subject, body = TEMPLATES.get(template, TEMPLATES["generic"])
    safe = _Defaulting(data)
    return subject.format_map(safe), body.format_map(safe)


class _Defaulting(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return ""
