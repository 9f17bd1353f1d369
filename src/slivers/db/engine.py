"""Engine and sessions. SQLite: WAL, foreign keys, and every transaction BEGIN IMMEDIATE, so write
transactions are serialised (our invariants rely on it). PostgreSQL: READ COMMITTED plus row locks
and constraints in the schema."""

from __future__ import annotations

import json
from typing import Any

import msgspec
from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import NullPool

from slivers.db.sqlite_driver import one_trip_dbapi

SQLITE_BUSY_TIMEOUT_MS = 30_000


def _json_loads(text: str | bytes) -> Any:
    """JSON columns are read with msgspec's decoder (the same values as the standard library's,
    several times faster: candidate search reads two JSON columns of every worker it narrows to).
    What only the standard library accepts (NaN, which json.dumps writes) still reads."""
    try:
        return _decode(text)
    except msgspec.DecodeError:
        return json.loads(text)


_decode = msgspec.json.Decoder().decode
# hide_parameters: a database error's message would otherwise quote the statement's values (a
# person's needs, an address) into the traceback that is logged.
_ENGINE_OPTIONS: dict[str, Any] = {"json_deserializer": _json_loads, "hide_parameters": True}


def create_engine(database_url: str, *, pool_size: int = 10) -> AsyncEngine:
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        if url.database and url.database != ":memory:":
            from pathlib import Path

            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        in_memory = not url.database or url.database == ":memory:"
        # A file database keeps a pool of open connections: opening one (a driver thread and the
        # pragmas below) costs milliseconds that every request would otherwise pay.
        pooling: dict[str, Any] = (
            {"poolclass": NullPool} if in_memory else {"pool_size": pool_size, "max_overflow": pool_size * 2}
        )
        engine = create_async_engine(
            url,
            module=one_trip_dbapi(),
            connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000, "isolation_level": None},
            **pooling,
            **_ENGINE_OPTIONS,
        )
        _configure_sqlite(engine)
        return engine
    return create_async_engine(
        url, pool_size=pool_size, max_overflow=pool_size * 2, pool_pre_ping=True, **_ENGINE_OPTIONS
    )


def _configure_sqlite(engine: AsyncEngine) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # The driver's own transaction handling is turned off (isolation_level=None above) so that
        # SQLAlchemy's "begin" event below decides how transactions start.
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def create_session_maker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=True)


async def core_connection(session: AsyncSession) -> AsyncConnection:
    """The session's connection (its transaction), with pending changes flushed first as
    `session.execute` would: for column-only reads in bulk, which the ORM layer only slows."""
    await session.flush()
    return await session.connection()


def dialect_name(session: AsyncSession) -> str:
    bind = session.get_bind()
    return bind.dialect.name
