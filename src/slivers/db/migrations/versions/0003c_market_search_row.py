"""market: each worker's reach on their market profile, and covering indexes for candidate search

The narrowing query's cheap tests (bounding box, task types, distance within the worker's own reach)
now read one index alone, before any worker row is fetched. `reach_km` copies `workers.max_travel_km`
and triggers keep it so, whoever writes either table. Bookings get an index for "has this worker
visited this person before?", asked of every worker the narrowing keeps.

Revision ID: 0003c
Revises: 0003b
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003c"
down_revision: str | None = "0003b"
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None

_POSTGRES_TRIGGERS = (
    """
    CREATE OR REPLACE FUNCTION slivers_profile_reach() RETURNS trigger AS $$
    BEGIN
      NEW.reach_km := (SELECT max_travel_km FROM workers WHERE id = NEW.worker_id);
      RETURN NEW;
    END $$ LANGUAGE plpgsql
    """,
    "CREATE TRIGGER worker_market_profiles_reach BEFORE INSERT OR UPDATE ON worker_market_profiles "
    "FOR EACH ROW EXECUTE FUNCTION slivers_profile_reach()",
    """
    CREATE OR REPLACE FUNCTION slivers_worker_reach() RETURNS trigger AS $$
    BEGIN
      UPDATE worker_market_profiles SET reach_km = NEW.max_travel_km WHERE worker_id = NEW.id;
      RETURN NULL;
    END $$ LANGUAGE plpgsql
    """,
    "CREATE TRIGGER workers_reach AFTER UPDATE OF max_travel_km ON workers "
    "FOR EACH ROW EXECUTE FUNCTION slivers_worker_reach()",
)
_SQLITE_TRIGGERS = (
    "CREATE TRIGGER worker_market_profiles_reach AFTER INSERT ON worker_market_profiles BEGIN "
    "UPDATE worker_market_profiles SET reach_km = (SELECT max_travel_km FROM workers "
    "WHERE id = NEW.worker_id) WHERE id = NEW.id; END",
    "CREATE TRIGGER worker_market_profiles_reach_kept AFTER UPDATE OF reach_km, worker_id "
    "ON worker_market_profiles BEGIN "
    "UPDATE worker_market_profiles SET reach_km = (SELECT max_travel_km FROM workers "
    "WHERE id = NEW.worker_id) WHERE id = NEW.id AND reach_km IS NOT (SELECT max_travel_km "
    "FROM workers WHERE id = NEW.worker_id); END",
    "CREATE TRIGGER workers_reach AFTER UPDATE OF max_travel_km ON workers BEGIN "
    "UPDATE worker_market_profiles SET reach_km = NEW.max_travel_km WHERE worker_id = NEW.id; END",
)


def upgrade() -> None:
    op.add_column(
        "worker_market_profiles", sa.Column("reach_km", sa.Integer(), nullable=False, server_default="0")
    )
    op.execute(
        "UPDATE worker_market_profiles SET reach_km = "
        "(SELECT max_travel_km FROM workers WHERE workers.id = worker_market_profiles.worker_id)"
    )
    postgres = op.get_bind().dialect.name == "postgresql"
    for statement in _POSTGRES_TRIGGERS if postgres else _SQLITE_TRIGGERS:
        op.execute(statement)
    op.drop_index("ix_worker_market_profiles_home_lat_lon", table_name="worker_market_profiles")
    op.create_index(
        "ix_worker_market_profiles_search",
        "worker_market_profiles",
        ["home_lat", "home_lon", "task_mask", "reach_km", "worker_id", "reliability_reviewed_at"],
    )
    op.create_index("ix_worker_market_profiles_reach_km", "worker_market_profiles", ["reach_km"])
    op.create_index("ix_bookings_worker_person", "bookings", ["worker_id", "person_id", "status"])


def downgrade() -> None:
    op.drop_index("ix_bookings_worker_person", table_name="bookings")
    op.drop_index("ix_worker_market_profiles_reach_km", table_name="worker_market_profiles")
    op.drop_index("ix_worker_market_profiles_search", table_name="worker_market_profiles")
    op.create_index(
        "ix_worker_market_profiles_home_lat_lon", "worker_market_profiles", ["home_lat", "home_lon"]
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS workers_reach ON workers")
        op.execute("DROP TRIGGER IF EXISTS worker_market_profiles_reach ON worker_market_profiles")
        op.execute("DROP FUNCTION IF EXISTS slivers_worker_reach()")
        op.execute("DROP FUNCTION IF EXISTS slivers_profile_reach()")
    else:
        for trigger in ("workers_reach", "worker_market_profiles_reach", "worker_market_profiles_reach_kept"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    op.drop_column("worker_market_profiles", "reach_km")
