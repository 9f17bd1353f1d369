"""What a page form needs: the values typed, one plain message per field, and an error summary.

Fields are named after the service's fields, so a `DomainError(field=..., rule=...)` raised by a
service lands on the same field the API would name in its problem response.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import unquote_plus, unquote_to_bytes

import msgspec
from litestar import Request
from litestar.enums import RequestEncodingType

from slivers import plain_text
from slivers.errors import DomainError

T = TypeVar("T")
GENERAL = ""  # errors that belong to no single field: shown in the summary only
_DIGITS = re.compile(r"[0-9]{1,12}")


@dataclass
class Form:
    fields: tuple[str, ...] = ()
    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    prefix: str = ""
    # a field whose control ids differ from `prefix + name` (a checkbox group links to its first box)
    anchors: dict[str, str] = field(default_factory=dict)

    def id_of(self, name: str) -> str:
        return self.anchors.get(name, f"{self.prefix}{name}")

    def value(self, name: str, default: str = "") -> str:
        value = self.values.get(name, default)
        return value if isinstance(value, str) else default

    def chosen(self, name: str) -> list[str]:
        value = self.values.get(name, [])
        return [value] if isinstance(value, str) else list(value)

    def error(self, name: str) -> str | None:
        return self.errors.get(name)

    def add_error(self, name: str, message: str) -> None:
        """The first problem with a field is the one to fix; later ones wait."""
        key = name if name in self.fields else GENERAL
        self.errors.setdefault(key, message)

    def add_domain_error(self, error: DomainError) -> None:
        self.add_error(error.field or GENERAL, error.detail)

    def check(self, step: Callable[[], T]) -> T | None:
        """Run a rule from the domain; a DomainError becomes this form's field error."""
        try:
            return step()
        except DomainError as error:
            self.add_domain_error(error)
            return None

    def require(self, name: str, message: str) -> None:
        if not self.value(name).strip():
            self.add_error(name, message)

    def forget(self, *names: str) -> None:
        """Never send a password back to the browser."""
        for name in names:
            self.values.pop(name, None)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> list[tuple[str | None, str]]:
        """(link target, message) in the order the fields appear on the page."""
        items: list[tuple[str | None, str]] = []
        if GENERAL in self.errors:
            items.append((None, self.errors[GENERAL]))
        items.extend(
            (f"#{self.id_of(name)}", self.errors[name]) for name in self.fields if name in self.errors
        )
        return items


async def read_form(
    request: Request[Any, Any, Any], fields: Iterable[str], *, lists: Iterable[str] = (), prefix: str = ""
) -> Form:
    """The submitted form, trimmed. Fields in `lists` (checkbox groups) keep every value. An answer that
    is not UTF-8 or holds a control character (slivers.plain_text) is already that field's error."""
    submitted = await request.form()
    names = tuple(fields)
    many = set(lists)
    values: dict[str, Any] = {}
    for name in names:
        if name in many:
            values[name] = [str(v) for v in submitted.getall(name)] if name in submitted else []
        else:
            raw = submitted.get(name)
            values[name] = raw.strip() if isinstance(raw, str) else ""
    form = Form(fields=names, values=values, prefix=prefix)
    not_utf8 = undecodable_fields(await request.body()) if _is_url_encoded(request) else set()
    for name in names:
        if name in not_utf8:
            form.add_error(name, "This answer did not arrive as readable text. Type it again.")
        # the values as sent: strip() would quietly drop \x1c-\x1f at either end
        sent = [v for v in submitted.getall(name) if isinstance(v, str)] if name in submitted else []
        for text in sent:
            character = plain_text.control_character(text)
            if character is not None:
                form.add_error(
                    name,
                    f"Remove the control character ({plain_text.code_point(character)}) from this answer. "
                    "Tabs and line breaks are fine.",
                )
    return form


def _is_url_encoded(request: Request[Any, Any, Any]) -> bool:
    return request.content_type[0] == RequestEncodingType.URL_ENCODED


def undecodable_fields(body: bytes) -> set[str]:
    """The fields of a url-encoded body whose value is not UTF-8 (the parser quietly puts U+FFFD there)."""
    names: set[str] = set()
    for pair in body.split(b"&"):
        name, _, value = pair.partition(b"=")
        try:
            unquote_to_bytes(value.replace(b"+", b" ")).decode("utf-8")
        except UnicodeDecodeError:
            names.add(unquote_plus(name.decode("latin-1")))
    return names


def whole_number(text: str) -> int | None:
    """`12` as 12; None for anything else (`12.5`, `-1`, `1e3`, and `²`, which str.isdigit accepts)."""
    return int(text) if _DIGITS.fullmatch(text) else None


def number_or_text(text: str) -> int | str:
    """A whole number as an int, else the text as typed, for the request struct's type check to refuse."""
    number = whole_number(text)
    return text if number is None else number


def build(
    struct_type: type[T],
    data: dict[str, Any],
    form: Form,
    messages: dict[str, str],
    *,
    rename: dict[str, str] | None = None,
) -> T | None:
    """Make the service's request structure; a failed constraint becomes that field's plain message.
    `rename` maps a service field to the page's field that asks it (in other units, say)."""
    try:
        return msgspec.convert(data, struct_type)
    except msgspec.ValidationError as error:
        text = str(error)
        name = text.rsplit("`$.", 1)[-1].rstrip("`").split(".")[0].split("[")[0] if "`$." in text else GENERAL
        message = messages.get(name, "Check this answer and try again.")
        form.add_error((rename or {}).get(name, name), message)
        return None


def safe_next(target: str | None) -> str:
    """Only ever send people on to a page of ours after they sign in."""
    if not target or not target.startswith("/") or target.startswith("//") or target.startswith("/\\"):
        return "/"
    return target
