"""Bad input never reaches a 500 (issue 11, section 2): bodies made hostile from the request schemas the
handlers declare, sent to every POST/PUT/PATCH JSON operation. Each is a 400 problem naming the field and
the rule, and changes nothing in the database.

The first test tries every leaf of every schema once, so a new schema (or a handler that reads its body
some other way) is covered or fails here; the others let hypothesis choose the hostile values, seeded
(derandomize) and bounded so the run is reproducible and quick.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from litestar import Litestar
from litestar.testing import TestClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import create_async_engine

from slivers.app import create_app
from slivers.clock import FrozenClock
from slivers.config import Settings
from slivers.http.request_body import MAX_DEPTH
from slivers.metadata import metadata
from tests.integration.conftest import PASSWORD, assert_problem
from tests.integration.hostile_bodies import (
    Leaf,
    Operation,
    encode,
    fill,
    hostile_text,
    json_operations,
    leaves,
    not_a_boolean,
    not_an_integer,
)

JSON = {"content-type": "application/json"}
FIXED = {"text": "a\x00b", "integer": "12", "boolean": "true"}
RULE = {"text": "control_characters", "integer": "validation", "boolean": "validation"}
BAD_UTF8 = [b"\xff", b"\xfe\xff", b"\xc3(", b"\xc0\xaf", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\x80"]
EXAMPLES = hypothesis_settings(
    max_examples=150,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def row_counts(url: str) -> dict[str, int]:
    async def count() -> dict[str, int]:
        engine = create_async_engine(url)
        try:
            async with engine.connect() as connection:
                return {
                    table.name: int(await connection.scalar(select(func.count()).select_from(table)) or 0)
                    for table in metadata.sorted_tables
                }
        finally:
            await engine.dispose()

    return asyncio.run(count())


@contextmanager
def signed_in(settings: Settings, clock: FrozenClock) -> Iterator[tuple[Litestar, TestClient[Litestar]]]:
    app = create_app(settings, clock=clock)
    with TestClient(app) as client:
        registered = client.post(
            "/api/v1/auth/register",
            json={
                "email": "hostile@example.org",
                "password": PASSWORD,
                "display_name": "Hostile Client",
                "account_type": "carer",
            },
        )
        assert registered.status_code == 201, registered.text
        client.get("/health")
        client.headers["x-csrf-token"] = client.cookies["slivers_csrf"]
        yield app, client


def send(client: TestClient[Litestar], operation: Operation, content: bytes) -> httpx.Response:
    return client.request(operation.method, operation.path, content=content, headers=JSON)


def cases(app: Litestar) -> list[tuple[Operation, Leaf]]:
    return [(operation, leaf) for operation in json_operations(app) for leaf in leaves(operation.body_type)]


def test_every_field_of_every_json_body_is_checked(settings: Settings, clock: FrozenClock) -> None:
    with signed_in(settings, clock) as (app, client):
        before = row_counts(settings.database_url)
        tried = cases(app)
        assert len(tried) > 100  # the schemas were found
        for operation, leaf in tried:
            response = send(client, operation, encode(fill(leaf.body, FIXED[leaf.kind])))
            assert response.status_code == 400, (operation.name, leaf.path, response.text)
            assert_problem(response, 400, field=expected_field(leaf), rule=RULE[leaf.kind])
        assert row_counts(settings.database_url) == before


def expected_field(leaf: Leaf) -> str:
    return leaf.path if leaf.kind == "text" else leaf.typed_path


def test_every_integer_a_body_takes_has_a_range(settings: Settings, clock: FrozenClock) -> None:
    """Unbounded, `10**30` would reach the database and overflow its BIGINT there (a 500 on PostgreSQL)."""
    unbounded = [
        (operation.name, leaf.path)
        for operation, leaf in cases(create_app(settings, clock=clock))
        if leaf.kind == "integer" and not (_has_floor(leaf.info) and _has_ceiling(leaf.info))
    ]
    assert unbounded == []


def _has_floor(info: Any) -> bool:
    return info.ge is not None or info.gt is not None


def _has_ceiling(info: Any) -> bool:
    return info.le is not None or info.lt is not None


def hostile_value(kind: str) -> st.SearchStrategy[Any]:
    return {"text": hostile_text(), "integer": not_an_integer(), "boolean": not_a_boolean()}[kind]


def test_hostile_values_in_any_field_are_400s_naming_it(settings: Settings, clock: FrozenClock) -> None:
    with signed_in(settings, clock) as (app, client):
        before = row_counts(settings.database_url)

        @EXAMPLES
        @given(st.sampled_from(cases(app)).flatmap(lambda c: st.tuples(st.just(c), hostile_value(c[1].kind))))
        def check(case: tuple[tuple[Operation, Leaf], Any]) -> None:
            (operation, leaf), value = case
            response = send(client, operation, encode(fill(leaf.body, value)))
            assert_problem(response, 400, field=expected_field(leaf), rule=RULE[leaf.kind])

        check()
        assert row_counts(settings.database_url) == before


def test_bodies_that_are_not_utf8_or_nested_too_deep_are_400s(settings: Settings, clock: FrozenClock) -> None:
    with signed_in(settings, clock) as (app, client):
        before = row_counts(settings.database_url)
        operations = json_operations(app)

        @EXAMPLES
        @given(st.sampled_from(operations), st.sampled_from(BAD_UTF8))
        def not_utf8(operation: Operation, broken: bytes) -> None:
            body = b'{"name": "caf' + broken + b'", "reason": "ok"}'
            assert_problem(send(client, operation, body), 400, rule="utf8")

        @EXAMPLES
        @given(st.sampled_from(operations), st.integers(MAX_DEPTH + 1, 5000), st.booleans())
        def too_deep(operation: Operation, depth: int, objects: bool) -> None:
            body = (b'{"a":' * depth + b"1" + b"}" * depth) if objects else (b"[" * depth + b"]" * depth)
            assert_problem(send(client, operation, body), 400, rule="too_deep")

        not_utf8()
        too_deep()
        assert row_counts(settings.database_url) == before


# API operations that take a body but declare no JSON `data`: each reads raw bytes for a reason, and
# never decodes JSON from them itself. A new one fails here until its author has looked.
RAW_BODIES = {
    "logout": "takes no body",
    "onboard": "takes no body",
    "card_setup": "takes no body",
    "upload_receipt": "the receipt file's bytes, judged by content",
    "stripe_webhook": "verified on the raw bytes by its signature before anything else",
}


def test_every_api_body_is_read_through_the_checks(settings: Settings, clock: FrozenClock) -> None:
    app = create_app(settings, clock=clock)
    raw = set()
    for route in app.routes:
        for handler in getattr(route, "route_handlers", []):
            if not route.path.startswith("/api/") or not set(handler.http_methods) & {"POST", "PUT", "PATCH"}:
                continue
            parameters = handler.parsed_fn_signature.parameters
            data = parameters.get("data")
            if data is None:
                if "request" in parameters or "body" in parameters:
                    raw.add(handler.handler_name)
                continue
            if data.annotation not in {op.body_type for op in json_operations(app)}:
                # a multipart body: a text field there would miss the text rule
                assert not [leaf for leaf in leaves(data.annotation) if leaf.kind == "text"], route.path
    assert raw == set(RAW_BODIES)
