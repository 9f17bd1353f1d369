"""Short, plain-English messages. Each domain keeps its wording in `<domain>/messages.py` as
`TEMPLATES = {name: (subject, body)}`; `slivers.assembly` merges them into `Hooks.notification_templates`,
so notifications sits below the domains it speaks for. Bodies use `str.format` fields from the data."""

from __future__ import annotations

from typing import Any

from slivers.hooks import Templates

GENERIC: dict[str, tuple[str, str]] = {"generic": ("{subject}", "{body}")}


def merge_templates(*domains: Templates) -> dict[str, tuple[str, str]]:
    """One table of every domain's templates and the generic one; a name defined twice is a mistake."""
    merged = dict(GENERIC)
    for domain in domains:
        clash = set(domain) & set(merged)
        if clash:
            raise RuntimeError(f"notification templates defined twice: {sorted(clash)}")
        merged.update(domain)
    return merged


def render(templates: Templates, template: str, data: dict[str, Any]) -> tuple[str, str]:
    subject, body = templates.get(template, templates.get("generic", GENERIC["generic"]))
    safe = _Defaulting(data)
    return subject.format_map(safe), body.format_map(safe)


class _Defaulting(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return ""
