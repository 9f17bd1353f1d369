"""A write the database refuses by one of the market's invariant constraints gets that invariant's
message, handed to the http layer through the wiring's hooks (the message lives once, beside the rule)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from litestar import Litestar, post
from litestar.testing import TestClient
from sqlalchemy.exc import IntegrityError

from slivers.assembly import build_wiring, domain_hooks
from slivers.config import Settings
from slivers.http.problems import EXCEPTION_HANDLERS
from slivers.market.rules import invariants


def test_every_invariant_constraint_is_worded_for_the_http_layer() -> None:
    messages = domain_hooks().constraint_messages
    for name in (invariants.NO_OVERLAP_CONSTRAINT, invariants.SEAT_INDEX, invariants.OPEN_OFFER_INDEX):
        assert messages[name] == invariants.CONSTRAINT_MESSAGES[name]


@pytest.fixture
def refusing(tmp_path: Path) -> Iterator[TestClient[Litestar]]:
    """An app whose one route fails as a database refusing a write does (no database is opened)."""
    errors: list[str] = []

    @post("/api/v1/write", sync_to_thread=False)
    def write() -> None:
        raise IntegrityError("INSERT INTO bookings ...", None, Exception(errors[-1]))

    app = Litestar(route_handlers=[write], exception_handlers=EXCEPTION_HANDLERS)
    app.state.wiring = build_wiring(
        Settings(database_url=f"sqlite+aiosqlite:///{tmp_path}/x.db", data_dir=tmp_path, secret_key="k" * 40)
    )
    app.state.errors = errors
    with TestClient(app) as client:
        yield client


@pytest.mark.parametrize(
    "constraint", [invariants.NO_OVERLAP_CONSTRAINT, invariants.SEAT_INDEX, invariants.OPEN_OFFER_INDEX]
)
def test_a_refused_write_is_a_409_with_the_invariants_message(
    refusing: TestClient[Litestar], constraint: str
) -> None:
    refusing.app.state.errors.append(f'conflicting key value violates exclusion constraint "{constraint}"')
    answer = refusing.post("/api/v1/write")
    assert answer.status_code == 409
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert answer.json()["detail"] == invariants.CONSTRAINT_MESSAGES[constraint]
    assert answer.json()["rule"] == constraint


def test_another_constraint_is_a_plain_conflict(refusing: TestClient[Litestar]) -> None:
    refusing.app.state.errors.append('duplicate key value violates unique constraint "uq_something_else"')
    answer = refusing.post("/api/v1/write")
    assert answer.status_code == 409
    assert answer.json()["rule"] == "conflict"
