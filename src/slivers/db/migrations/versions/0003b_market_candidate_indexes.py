"""market: an index on workers' home centroids, for candidate search's bounding box

Revision ID: 0003b
Revises: 0003
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0003b"
down_revision: str | None = "0003"
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_worker_market_profiles_home_lat_lon", "worker_market_profiles", ["home_lat", "home_lon"]
    )


def downgrade() -> None:
    op.drop_index("ix_worker_market_profiles_home_lat_lon", table_name="worker_market_profiles")
