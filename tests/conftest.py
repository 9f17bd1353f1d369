"""Shared fixtures. Integration tests run once per database: SQLite and PostgreSQL.

`SLIVERS_TEST_DATABASES` (default "sqlite,postgresql") chooses which; CI runs both. PostgreSQL is a
throwaway cluster started once per session; if it cannot start, the run fails, never skips.
"""

from __future__ import annotations

import os

# Cheap argon2 parameters for the hundreds of test accounts (inherited by test servers too).
os.environ.setdefault("SLIVERS_PASSWORD_HASHING", "fast-for-tests")
import shutil
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from slivers.clock import FrozenClock
from slivers.db.migrate import upgrade
from slivers.devtools.pg_cluster import throwaway_cluster
from slivers.metadata import metadata
from tests import real_clock

# The time-bomb check: the real clock runs years ahead for the whole suite (see tests/real_clock.py).
real_clock.install()

DATABASES = [d.strip() for d in os.environ.get("SLIVERS_TEST_DATABASES", "sqlite,postgresql").split(",") if d]
# A Wednesday in GMT; tests that need BST or the clock changes move the clock themselves.
DEFAULT_NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "database" in metafunc.fixturenames:
        metafunc.parametrize("database", DATABASES, indirect=True, scope="session")


@pytest.fixture(scope="session")
def database(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    upgrade(f"sqlite+aiosqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    with throwaway_cluster("slivers_test") as url:
        upgrade(url)
        yield url


@pytest.fixture
def database_url(database: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if database == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        path = tmp_path / "slivers.db"
        shutil.copyfile(template, path)
        yield f"sqlite+aiosqlite:///{path}"
        return
    url: str = request.getfixturevalue("postgres_url")
    yield url
    _truncate_postgres(url)


def _truncate_postgres(url: str) -> None:
    import asyncio

    tables = ", ".join(f'"{t.name}"' for t in metadata.sorted_tables)

    async def truncate() -> None:
        engine = create_async_engine(url)
        async with engine.begin() as connection:
            await connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        await engine.dispose()

    asyncio.run(truncate())


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(DEFAULT_NOW)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def pytest_collection_modifyitems(items: list[Any]) -> None:
    for item in items:
        path = str(item.fspath)
        if "/integration/" in path:
            item.add_marker(pytest.mark.integration)
        if "/e2e/" in path:
            item.add_marker(pytest.mark.e2e)


async def _noop() -> AsyncIterator[None]:  # pragma: no cover - keeps typing of async fixtures simple
    yield None
