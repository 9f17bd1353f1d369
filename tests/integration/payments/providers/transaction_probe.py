"""Is a database transaction of ours open right now? Asked from inside a (fake) Stripe call.

House rule: no outside system is called while a transaction is open. On SQLite every transaction
starts with BEGIN IMMEDIATE and holds the write lock, so the probe is a concurrent writer that will
not wait: `BEGIN IMMEDIATE` with no busy timeout fails at once if any transaction is open. On
PostgreSQL the probe asks `pg_stat_activity` for any other session of this database that is idle
inside a transaction (which is what a request waiting on Stripe with its transaction open looks like).
"""

from __future__ import annotations

import sqlite3

import anyio.from_thread
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine


def open_transactions(database_url: str) -> int:
    """How many transactions other than the probe's are open; call from a worker thread."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        assert url.database
        connection = sqlite3.connect(url.database, timeout=0, isolation_level=None)
        try:
            connection.execute("BEGIN IMMEDIATE")  # a writer that must not be blocked
            connection.execute("ROLLBACK")
            return 0
        except sqlite3.OperationalError as error:
            if "locked" not in str(error):
                raise
            return 1
        finally:
            connection.close()
    return int(anyio.from_thread.run(_postgres_idle_in_transaction, database_url))


async def _postgres_idle_in_transaction(database_url: str) -> int:
    engine = create_async_engine(database_url)
    try:
        async with engine.connect() as connection:
            found = await connection.scalar(
                text(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND pid <> pg_backend_pid() AND state LIKE 'idle in transaction%'"
                )
            )
            await connection.rollback()
            return int(found or 0)
    finally:
        await engine.dispose()
