"""Apply Alembic migrations programmatically (used by `slivers db upgrade`, `make run` and the tests)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def upgrade(database_url: str, revision: str = "heads") -> None:
    command.upgrade(alembic_config(database_url), revision)


def revision(
    database_url: str, message: str, rev_id: str, *, head: str = "head", depends_on: str | None = None
) -> None:
    """Autogenerate a new revision against a database upgraded to all heads (a developer's tool:
    review the file it writes and keep only your domain's tables). Each domain is a branch off 0001,
    so pass head="0001" for a new domain, or head="<your last revision>"."""
    command.revision(
        alembic_config(database_url),
        message=message,
        autogenerate=True,
        rev_id=rev_id,
        head=head,
        depends_on=depends_on,
        splice=head not in ("head", "heads"),
    )
