"""Hostile JSON bodies made from the msgspec request schemas the handlers declare.

Every leaf of a schema (nested structs, lists, unions and dicts included) is named by the path a 400
names it by (`items[0].amount_pence`). A body that holds only the way to one leaf is enough: the text
rule runs before any schema, and msgspec reports a wrong type at the field before it misses the others.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import msgspec
import msgspec.inspect as mi
from hypothesis import strategies as st
from litestar import Litestar
from litestar.enums import RequestEncodingType

FORBIDDEN = [chr(c) for c in range(0x20) if chr(c) not in "\t\n\r"] + ["\x7f"]
SAFE_TEXT = st.text(st.characters(exclude_categories=("Cc", "Cs")), max_size=8)


# every type that JSON carries as a string
TEXT = mi.StrType | mi.LiteralType | mi.EnumType | mi.DateType | mi.DateTimeType | mi.TimeType | mi.UUIDType


class Key(str):
    """A step into a dict: msgspec names it `[...]` in type errors, the text rule by the key itself."""


@dataclass(frozen=True)
class Leaf:
    path: str  # as a problem's `field` names it
    typed_path: str  # as msgspec's type errors name it
    kind: str  # "text" for every JSON string, "integer", "boolean"
    body: Any  # the way to the leaf, with a placeholder where the hostile value goes
    steps: tuple[str | int, ...]
    info: Any = None  # msgspec's description of the leaf's type (its constraints)


@dataclass(frozen=True)
class Operation:
    method: str
    path: str  # path parameters filled in
    name: str
    body_type: Any


def json_operations(app: Litestar) -> list[Operation]:
    """Every POST/PUT/PATCH handler that declares a JSON `data` body."""
    found = []
    for route in app.routes:
        for handler in getattr(route, "route_handlers", []):
            data = handler.parsed_fn_signature.parameters.get("data")
            if data is None or handler.resolve_data_dto() is not None:
                continue
            if _is_form(data):
                continue
            for method in sorted(set(handler.http_methods) & {"POST", "PUT", "PATCH"}):
                path = re.sub(r"\{[^}:]+:uuid\}", lambda _: str(uuid.uuid4()), route.path)
                found.append(Operation(method, path, handler.handler_name, data.annotation))
    return sorted(found, key=lambda op: (op.path, op.method))


def _is_form(data: Any) -> bool:
    media_type = getattr(data.kwarg_definition, "media_type", None)
    return media_type in {RequestEncodingType.MULTI_PART, RequestEncodingType.URL_ENCODED}


def leaves(body_type: Any) -> list[Leaf]:
    return list(_walk(mi.type_info(body_type), (), {}))


def _walk(info: Any, steps: tuple[str | int, ...], tags: dict[tuple[str | int, ...], Any]) -> Iterator[Leaf]:
    info = _unwrap(info)
    if isinstance(info, mi.StructType):
        here = dict(tags)
        if info.tag_field is not None:
            here[steps] = (info.tag_field, info.tag)
            yield _leaf((*steps, info.tag_field), "text", tags)
        for field in info.fields:
            yield from _walk(field.type, (*steps, field.encode_name), here)
    elif isinstance(info, mi.DataclassType | mi.TypedDictType):
        for field in info.fields:
            yield from _walk(field.type, (*steps, field.encode_name), tags)
    elif isinstance(info, mi.ListType | mi.SetType | mi.FrozenSetType | mi.VarTupleType):
        yield from _walk(info.item_type, (*steps, 0), tags)
    elif isinstance(info, mi.TupleType):
        for i, item in enumerate(info.item_types):
            yield from _walk(item, (*steps, i), tags)
    elif isinstance(info, mi.DictType):
        yield from _walk(info.value_type, (*steps, Key("k")), tags)
    elif isinstance(info, mi.UnionType):
        members = [_unwrap(member) for member in info.types]
        # where text or a float is also allowed, a numeric string or 12.0 is no wrong type
        lax = any(isinstance(m, TEXT | mi.FloatType) for m in members)
        for member in members:
            if not (lax and isinstance(member, mi.IntType | mi.BoolType)):
                yield from _walk(member, steps, tags)
    elif isinstance(info, mi.IntType):
        yield _leaf(steps, "integer", tags, info)
    elif isinstance(info, mi.BoolType):
        yield _leaf(steps, "boolean", tags)
    elif isinstance(info, TEXT):
        yield _leaf(steps, "text", tags)


HOLE = object()


def _unwrap(info: Any) -> Any:
    while isinstance(info, mi.Metadata):
        info = info.type
    return info


def _leaf(
    steps: tuple[str | int, ...], kind: str, tags: dict[tuple[str | int, ...], Any], info: Any = None
) -> Leaf:
    body: Any = HOLE
    for depth in range(len(steps), 0, -1):
        step = steps[depth - 1]
        if isinstance(step, int):
            body = [*([None] * step), body]
        else:
            parent: dict[str, Any] = {}
            if steps[: depth - 1] in tags:
                tag_field, tag = tags[steps[: depth - 1]]
                parent[tag_field] = tag
            parent[step] = body
            body = parent
    return Leaf(_path(steps), _path(steps, typed=True), kind, body, steps, info)


def _path(steps: tuple[str | int, ...], *, typed: bool = False) -> str:
    path = ""
    for step in steps:
        if isinstance(step, int) or (typed and isinstance(step, Key)):
            path = f"{path}[{'...' if isinstance(step, Key) else step}]"
        else:
            path = f"{path}.{step}" if path else step
    return path


def fill(body: Any, value: Any) -> Any:
    if body is HOLE:
        return value
    if isinstance(body, dict):
        return {k: fill(v, value) for k, v in body.items()}
    if isinstance(body, list):
        return [fill(v, value) for v in body]
    return body


def hostile_text() -> st.SearchStrategy[str]:
    """Text that breaks the one rule: a control character somewhere in otherwise ordinary text."""
    return st.builds(lambda a, c, b: a + c + b, SAFE_TEXT, st.sampled_from(FORBIDDEN), SAFE_TEXT)


def not_an_integer() -> st.SearchStrategy[Any]:
    """What lax decoding would have read as an integer: `"12"`, `12.0`, `true`."""
    number = st.integers(min_value=-(10**12), max_value=10**12)
    return st.one_of(number.map(str), number.map(float), st.booleans())


def not_a_boolean() -> st.SearchStrategy[Any]:
    return st.one_of(st.sampled_from(["true", "false", "1", "0", "yes"]), st.integers(0, 1))


def encode(body: Any) -> bytes:
    return msgspec.json.encode(body)
