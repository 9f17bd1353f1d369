"""Short, plain-English messages. Each domain keeps its templates in `<domain>/messages.py` as
`TEMPLATES = {name: (subject, body)}`; bodies use `str.format` fields from the message data."""

from __future__ import annotations

from functools import cache
from typing import Any

CORE_TEMPLATES: dict[str, tuple[str, str]] = {
    "circle_invitation": (
        "You have been invited to help {person_name}",
        "{inviter_name} has invited you to join {person_name}'s circle of support on Slivers. "
        "Sign in and use this code to accept: {token}",
    ),
    "generic": ("{subject}", "{body}"),
}


@cache
def all_templates() -> dict[str, tuple[str, str]]:
    from slivers.market.messages import TEMPLATES as market
    from slivers.payments.messages import TEMPLATES as payments
    from slivers.vetting.messages import TEMPLATES as vetting

    merged = dict(CORE_TEMPLATES)
    for domain in (vetting, market, payments):
        clash = set(domain) & set(merged)
        if clash:
            raise RuntimeError(f"notification templates defined twice: {sorted(clash)}")
        merged.update(domain)
    return merged


def render(template: str, data: dict[str, Any]) -> tuple[str, str]:
    templates = all_templates()
    subject, body = templates.get(template, templates["generic"])
    safe = _Defaulting(data)
    return subject.format_map(safe), body.format_map(safe)


class _Defaulting(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return ""
