"""vetting: credentials looked up by worker and type together

Candidate search asks for the credentials of a few dozen workers, of the types a visit needs. With
an index on (worker_id, type_code) SQLite's planner uses both; with one on worker_id alone it picks
the type index for long id lists and reads every credential of those types. The new index also
serves every lookup by worker, so the old one goes.

Revision ID: 0002c
Revises: 0002b
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0002c"
down_revision: str | None = "0002b"
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_credentials_worker_type", "credentials", ["worker_id", "type_code"])
    op.drop_index("ix_credentials_worker_id", table_name="credentials")


def downgrade() -> None:
    op.create_index("ix_credentials_worker_id", "credentials", ["worker_id"])
    op.drop_index("ix_credentials_worker_type", table_name="credentials")
