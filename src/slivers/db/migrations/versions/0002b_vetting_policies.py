"""vetting: organisations' edited catalogues, supervision notices

The seeded catalogue is `slivers.vetting.rules.catalogue.DEFAULT_POLICY` in code; an organisation without a
row in vetting_policies uses it, so there are no rows to seed here.

Revision ID: 0002b
Revises: 0002
"""

from __future__ import annotations

from collections.abc import Sequence

import advanced_alchemy.types
import sqlalchemy as sa
from alembic import op
from sqlalchemy import Text
from sqlalchemy.dialects import postgresql

from slivers.db import append_only

revision: str = "0002b"
down_revision: str | None = "0002"
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None

_GUID = advanced_alchemy.types.guid.GUID(length=16)
_UTC = advanced_alchemy.types.datetime.DateTimeUTC(timezone=True)
_JSON = (
    sa.JSON()
    .with_variant(postgresql.JSONB(astext_type=Text()), "cockroachdb")
    .with_variant(advanced_alchemy.types.json.ORA_JSONB(), "oracle")
    .with_variant(postgresql.JSONB(astext_type=Text()), "postgresql")
)


def upgrade() -> None:
    op.create_table(
        "vetting_policies",
        sa.Column("id", _GUID, nullable=False),
        sa.Column("organisation_id", _GUID, nullable=False),
        sa.Column("document", _JSON, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_by_id", _GUID, nullable=False),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.Column("created_at", _UTC, nullable=False),
        sa.Column("updated_at", _UTC, nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_vetting_policies_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"], ["users.id"], name=op.f("fk_vetting_policies_updated_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vetting_policies")),
        sa.UniqueConstraint("organisation_id", name=op.f("uq_vetting_policies_organisation_id")),
    )
    op.create_table(
        "supervision_notices",
        sa.Column("id", _GUID, nullable=False),
        sa.Column("worker_id", _GUID, nullable=False),
        sa.Column("deadline", sa.String(length=10), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("outcome", sa.String(length=10), nullable=False),
        sa.Column("at", _UTC, nullable=False),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["worker_id"],
            ["workers.id"],
            name=op.f("fk_supervision_notices_worker_id_workers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supervision_notices")),
        sa.UniqueConstraint("worker_id", "deadline", "kind", name=op.f("uq_supervision_notices_worker_id")),
    )
    append_only.protect("supervision_notices")


def downgrade() -> None:
    append_only.unprotect("supervision_notices")
    op.drop_table("supervision_notices")
    op.drop_table("vetting_policies")
