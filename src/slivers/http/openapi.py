"""The OpenAPI document tells the truth about errors: every API operation documents the problem+json
answers it can give (the shape `problems.problem` builds), in one place rather than in each controller.

Litestar documents only the success response and a 400 of its own shape; our exception handlers answer
400, 401, 403, 404, 409, 413 and 429 as RFC 9457 problems, so a client generated from the document
(or schemathesis checking conformance) would otherwise meet statuses and bodies it was never told of.
"""

from __future__ import annotations

import datetime as dt
import inspect
from typing import TYPE_CHECKING, Any

import msgspec
from litestar import Litestar
from litestar.handlers import HTTPRouteHandler
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import OpenAPIType, Schema
from litestar.plugins import OpenAPISchemaPlugin
from litestar.routes import HTTPRoute
from litestar.typing import FieldDefinition

from slivers.http.api_docs import ANYONE, SIGNED_IN
from slivers.http.problems import PROBLEM

if TYPE_CHECKING:
    from litestar._openapi.schema_generation import SchemaCreator


class Problem(msgspec.Struct, kw_only=True):
    """What went wrong, in words a person can act on; `field` and `rule` say which input broke which rule."""

    type: str = "about:blank"
    status: int
    title: str
    detail: str
    field: str | None = None
    rule: str | None = None
    # The validator's own findings, on 400 answers to input that did not match the schema.
    errors: list[dict[str, Any]] | None = None


ERROR_RESPONSES: dict[int, str] = {
    400: "Invalid input: the problem names the field and the rule it broke.",
    401: "Sign in needed: no valid session or bearer token.",
    403: "Not allowed: not permitted to do this to this object, or the CSRF token is missing.",
    404: "Not found, or not visible to you.",
    409: "Conflict: the change clashes with the current state or with a change saved at the same moment.",
    413: "The request body is too large.",
    429: "Too many attempts: wait for the number of seconds in Retry-After.",
}


def problem_responses() -> dict[int, ResponseSpec]:
    return {
        status: ResponseSpec(
            data_container=Problem, description=description, media_type=PROBLEM, generate_examples=False
        )
        for status, description in ERROR_RESPONSES.items()
    }


def document_problem_responses(app: Litestar) -> None:
    """Add the problem responses to every API handler in the schema (a handler's own `responses=` win),
    and say that a 204 has no body (Litestar documents a JSON `null` for a `Response[None]` handler).
    The probes outside /api/ (/health, /ready) document their own answers."""
    for route in app.routes:
        if not isinstance(route, HTTPRoute) or not route.path.startswith("/api/"):
            continue
        for handler in route.route_handlers:
            if isinstance(handler, HTTPRouteHandler) and handler.include_in_schema:
                _document(handler)


def _document(handler: HTTPRouteHandler) -> None:
    responses = problem_responses()
    if handler.status_code == 204:
        responses[204] = ResponseSpec(data_container=None, description="Done; no content.")
    handler.responses = responses | dict(handler.responses or {})
    if handler.security is None:
        if _depends_on(handler, "actor"):
            handler.security = SIGNED_IN
        elif _depends_on(handler, "maybe_actor"):
            handler.security = ANYONE


def _depends_on(handler: HTTPRouteHandler, name: str) -> bool:
    """Whether the handler takes `name`, itself or through any dependency it takes (a provider that
    needs the actor makes its handler need a signed-in caller), so the document cannot drift from the code."""
    providers = handler.resolve_dependencies()
    seen: set[str] = set()
    waiting = list(handler.parsed_fn_signature.parameters)
    while waiting:
        parameter = waiting.pop()
        if parameter == name:
            return True
        if parameter in seen or parameter not in providers:
            continue
        seen.add(parameter)
        waiting.extend(inspect.signature(providers[parameter].dependency).parameters)
    return False


class LocalTimeSchemaPlugin(OpenAPISchemaPlugin):
    """A time of day (`datetime.time`) as the API sends and takes it: "HH:MM:SS", London time.

    Litestar documents `time` as an ISO 8601 duration ("P1D"), which no client should send us."""

    def is_plugin_supported_field(self, field_definition: FieldDefinition) -> bool:
        return field_definition.annotation is dt.time

    def to_openapi_schema(self, field_definition: FieldDefinition, schema_creator: SchemaCreator) -> Schema:
        return Schema(
            type=OpenAPIType.STRING,
            pattern=r"^([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,6})?$",
            description="A time of day in Europe/London, HH:MM:SS.",
            examples=["09:30:00"],
        )
