"""The one-round-trip SQLite adapter behaves as SQLAlchemy's own: rows, row counts, inserted ids,
constraint errors as IntegrityError, transactions; and it is the one the engine uses."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from slivers.db.engine import create_engine
from slivers.db.sqlite_driver import _OneTripConnection


async def test_statements_behave_as_with_sqlalchemys_adapter(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path}/driver.db")
    try:
        async with engine.begin() as connection:
            raw = await connection.get_raw_connection()
            assert type(raw.dbapi_connection) is _OneTripConnection
            await connection.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT UNIQUE)"))
            inserted = await connection.execute(text("INSERT INTO t (name) VALUES ('a')"))
            assert inserted.lastrowid == 1
            await connection.execute(text("INSERT INTO t (name) VALUES (:n)"), [{"n": "b"}, {"n": "c"}])
            changed = await connection.execute(text("UPDATE t SET name = name || '!' WHERE id > 1"))
            assert changed.rowcount == 2
            rows = (await connection.execute(text("SELECT id, name FROM t ORDER BY id"))).all()
            assert [tuple(row) for row in rows] == [(1, "a"), (2, "b!"), (3, "c!")]
            assert (await connection.execute(text("SELECT name FROM t WHERE id = :i"), {"i": 9})).all() == []
        with pytest.raises(IntegrityError):
            async with engine.begin() as connection:
                await connection.execute(text("INSERT INTO t (name) VALUES ('a')"))
        async with engine.begin() as connection:
            await connection.execute(text("INSERT INTO t (name) VALUES ('d')"))
            await connection.rollback()
        async with engine.connect() as connection:
            count = (await connection.execute(text("SELECT count(*) FROM t"))).scalar()
            assert count == 3  # the failed insert and the rolled-back one left nothing
            streamed = await connection.stream(text("SELECT name FROM t ORDER BY id"))  # a server-side cursor
            assert [row.name async for row in streamed] == ["a", "b!", "c!"]
    finally:
        await engine.dispose()
