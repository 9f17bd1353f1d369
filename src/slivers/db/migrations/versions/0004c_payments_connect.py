"""payments: worker_payout_accounts (Stripe Connect accounts of self-employed workers)

Revision ID: 0004c
Revises: 0004
Create Date: 2026-11-26 10:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import advanced_alchemy.types
import sqlalchemy as sa
from alembic import op

revision: str = "0004c"
down_revision: str | None = "0004"
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None

_GUID = advanced_alchemy.types.guid.GUID(length=16)
_UTC = advanced_alchemy.types.datetime.DateTimeUTC(timezone=True)


def upgrade() -> None:
    op.create_table(
        "worker_payout_accounts",
        sa.Column("id", _GUID, nullable=False),
        sa.Column("worker_id", _GUID, nullable=False),
        sa.Column("stripe_account_id", sa.String(length=64), nullable=False),
        sa.Column("charges_enabled", sa.Boolean(), nullable=False),
        sa.Column("payouts_enabled", sa.Boolean(), nullable=False),
        sa.Column("details_submitted", sa.Boolean(), nullable=False),
        sa.Column("synced_at", _UTC, nullable=True),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.Column("created_at", _UTC, nullable=False),
        sa.Column("updated_at", _UTC, nullable=False),
        sa.ForeignKeyConstraint(
            ["worker_id"],
            ["workers.id"],
            name=op.f("fk_worker_payout_accounts_worker_id_workers"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_worker_payout_accounts")),
        sa.UniqueConstraint("worker_id", name=op.f("uq_worker_payout_accounts_worker_id")),
        sa.UniqueConstraint("stripe_account_id", name=op.f("uq_worker_payout_accounts_stripe_account_id")),
    )


def downgrade() -> None:
    op.drop_table("worker_payout_accounts")
