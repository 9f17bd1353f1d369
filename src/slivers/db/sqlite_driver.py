"""SQLite through aiosqlite in one thread round trip per statement.

SQLAlchemy's aiosqlite adapter makes four trips to the driver's thread for each statement (open a
cursor, execute, fetch, close); each trip is a thread wake-up and an event-loop wake-up, about a
tenth of a millisecond on this hardware, so a request of eight queries lost ~3 ms to them. Here
the four steps run as one function in the driver's thread. Server-side cursors and everything else
are SQLAlchemy's own. If a future aiosqlite drops the private hooks used (`_execute`, `_conn`), the
adapter falls back to SQLAlchemy's behaviour rather than failing.
"""

from __future__ import annotations

import sqlite3
from collections import deque
from typing import Any

import aiosqlite
from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_cursor,
    AsyncAdapt_aiosqlite_dbapi,
)

_HOOKS = hasattr(aiosqlite.Connection, "_execute") and hasattr(aiosqlite.Connection, "_conn")


def _run(connection: sqlite3.Connection, operation: str, parameters: Any) -> tuple[Any, list[Any], Any, int]:
    """Runs in the driver's thread: what SQLAlchemy's cursor does in four trips."""
    cursor = connection.cursor()
    try:
        if parameters is None:
            cursor.execute(operation)
        else:
            cursor.execute(operation, parameters)
        if cursor.description:
            return cursor.description, cursor.fetchall(), -1, -1
        return None, [], cursor.lastrowid, cursor.rowcount
    finally:
        cursor.close()


class _OneTripCursor(AsyncAdapt_aiosqlite_cursor):
    __slots__ = ()

    def execute(self, operation: Any, parameters: Any = None) -> Any:
        try:
            driver = self._connection
            found = self.await_(driver._execute(_run, driver._conn, operation, parameters))
            self.description, rows, self.lastrowid, self.rowcount = found
            self._rows = deque(rows)
        except Exception as error:
            self._adapt_connection._handle_exception(error)


class _OneTripConnection(AsyncAdapt_aiosqlite_connection):
    __slots__ = ()

    def cursor(self, server_side: bool = False) -> AsyncAdapt_aiosqlite_cursor:
        if server_side:
            return super().cursor(server_side)
        return _OneTripCursor(self)


class OneTripDBAPI(AsyncAdapt_aiosqlite_dbapi):
    def connect(self, *arg: Any, **kw: Any) -> AsyncAdapt_aiosqlite_connection:
        connection = super().connect(*arg, **kw)
        if _HOOKS and type(connection) is AsyncAdapt_aiosqlite_connection:
            connection.__class__ = _OneTripConnection
        return connection


def one_trip_dbapi() -> OneTripDBAPI:
    """The DBAPI module to give `create_async_engine(module=...)` for an aiosqlite URL."""
    return OneTripDBAPI(aiosqlite, sqlite3)
