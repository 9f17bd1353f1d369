"""The one rule for text anyone sends us: no control characters except tab, line feed and carriage return.

PostgreSQL cannot store NUL in text while SQLite can, so without one rule the two databases disagree
about the same request. The other C0 controls and DEL are never typed by a person; they only confuse
whatever shows the text later (pages, CSV exports, terminals). The rule is applied where request bodies
and page forms are read (slivers.http.request_body, slivers.http.forms), so every schema has it without
its author doing anything.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
RULE = "control_characters"
RULE_WORDS = "Text may hold tabs and line breaks, but no other control characters."


def control_character(text: str) -> str | None:
    """The first forbidden control character in `text`, or None."""
    found = CONTROL_CHARACTERS.search(text)
    return found.group() if found else None


def code_point(character: str) -> str:
    return f"U+{ord(character):04X}"


def explain(field: str | None, character: str) -> str:
    where = f"{field}: " if field else ""
    return f"{where}contains the control character {code_point(character)}. {RULE_WORDS}"


def json_path(parent: str, step: str | int) -> str:
    """Paths as the validation errors name fields: `needs`, `items[0].description`."""
    if isinstance(step, int):
        return f"{parent}[{step}]"
    return f"{parent}.{step}" if parent else step


def strings_in(value: object, *, max_depth: int) -> Iterator[tuple[str, str]]:
    """Every string in a decoded JSON value, keys included, as (path, text), without recursion.
    Raises `TooDeep` past `max_depth` levels of arrays and objects."""
    stack: list[tuple[str, object, int]] = [("", value, 0)]
    while stack:
        path, item, depth = stack.pop()
        if isinstance(item, str):
            yield path, item
            continue
        if not isinstance(item, dict | list):
            continue
        if depth >= max_depth:
            raise TooDeep(path)
        if isinstance(item, dict):
            children = [(str(key), child) for key, child in item.items()]
            for key, _ in children:
                yield json_path(path, key), key
            stack.extend((json_path(path, key), child, depth + 1) for key, child in reversed(children))
        else:
            stack.extend(
                (json_path(path, i), child, depth + 1) for i, child in reversed(list(enumerate(item)))
            )


class TooDeep(Exception):
    def __init__(self, path: str) -> None:
        super().__init__(path)
        self.path = path
