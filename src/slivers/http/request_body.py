"""Reading request bodies: the one place every JSON body is decoded, so its rules hold for every schema.

In order, each failure a 400 problem naming the field and the rule, before any handler runs:
- the body must be UTF-8 JSON, nested at most MAX_DEPTH levels (`utf8`, `malformed_json`, `too_deep`);
- no string may hold a control character other than tab, line feed or carriage return (slivers.plain_text);
- it must decode *strictly* into the handler's `data` type. Litestar converts bodies with msgspec's lax
  rules (strict=False, meant for query strings), which read `"12"`, `12.0` or `"true"` as numbers and
  booleans; money and limits take JSON integers only, so the body is checked strictly here first.
Form bodies (pages, uploads) that are not UTF-8 are refused too; page forms get their per-field checks
in slivers.http.forms.
"""

from __future__ import annotations

import re
from functools import partial
from typing import Any

import msgspec
from litestar import Request
from litestar.datastructures import FormMultiDict
from litestar.exceptions import ValidationException
from litestar.serialization import default_deserializer
from litestar.types import Empty

from slivers import plain_text
from slivers.errors import InvalidInput

MAX_DEPTH = 32  # our deepest schema is four levels; anything far deeper is an attack, not a request
_MISSING = re.compile(r"Object missing required field `(?P<name>[^`]+)`")


class BodyCheckingRequest(Request[Any, Any, Any]):
    """The app's request class (`Litestar(request_class=...)`): JSON and forms read through the checks."""

    async def json(self) -> Any:
        if self._json is Empty:
            state = self._connection_state
            if state.json is Empty:
                state.json = read_json(self, await self.body() or b"null")
            self._json = state.json
        return self._json

    async def form(self) -> FormMultiDict:
        try:
            return await super().form()
        except UnicodeDecodeError as error:  # a multipart text field that is not UTF-8
            raise not_utf8() from error


def read_json(request: Request[Any, Any, Any], raw: bytes) -> Any:
    value = decode_untyped(raw)
    check_text(value)
    target = body_type(request)
    if target is not None:
        check_types(request, value, target)
    return value


def decode_untyped(raw: bytes) -> Any:
    try:
        return msgspec.json.decode(raw)
    except UnicodeDecodeError as error:
        raise not_utf8() from error
    except RecursionError as error:
        raise too_deep(None) from error
    except msgspec.DecodeError as error:
        raise InvalidInput(
            "The request body is not valid JSON, or is missing. Send a JSON object.", rule="malformed_json"
        ) from error


def check_text(value: Any) -> None:
    try:
        for path, text in plain_text.strings_in(value, max_depth=MAX_DEPTH):
            character = plain_text.control_character(text)
            if character is not None:
                field = path or None
                raise InvalidInput(plain_text.explain(field, character), field=field, rule=plain_text.RULE)
    except plain_text.TooDeep as error:
        raise too_deep(error.path or None) from error


def body_type(request: Request[Any, Any, Any]) -> Any | None:
    """The handler's declared JSON body type; None when it reads the body itself."""
    handler = request.route_handler
    data = handler.parsed_fn_signature.parameters.get("data")
    if data is None or handler.resolve_data_dto() is not None:
        return None
    return data.annotation


def check_types(request: Request[Any, Any, Any], value: Any, target: Any) -> None:
    """The decoded body converted strictly to the handler's type (the text parsed once, above)."""
    decoders = request.route_handler.resolve_type_decoders()
    try:
        msgspec.convert(
            value, type=target, strict=True, dec_hook=partial(default_deserializer, type_decoders=decoders)
        )
    except msgspec.ValidationError as error:
        message, field = split_validation_error(str(error))
        raise ValidationException(
            detail=f"Validation failed for {request.method} {request.url.path}",
            extra=[{"message": message, "key": field or "data", "source": "body"}],
        ) from error


def split_validation_error(text: str) -> tuple[str, str | None]:
    """msgspec's `Expected `int`, got `str` - at `$.items[0].amount_pence`` as (message, field path)."""
    message, _, where = text.partition(" - at `")
    path = where.rstrip("`").removeprefix("$").removeprefix(".")
    missing = _MISSING.fullmatch(message)
    if missing:
        path = plain_text.json_path(path, missing.group("name"))
    return message, path or None


def not_utf8() -> InvalidInput:
    return InvalidInput("The request body is not valid UTF-8 text. Send it encoded as UTF-8.", rule="utf8")


def too_deep(field: str | None) -> InvalidInput:
    return InvalidInput(
        f"The request body is nested more than {MAX_DEPTH} levels deep. Send the fields the operation takes.",
        field=field,
        rule="too_deep",
    )
