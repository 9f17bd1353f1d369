"""A list parameter in a statement built once (`column IN :name`), written for each database."""

from __future__ import annotations

from typing import Any

from sqlalchemy import any_, bindparam
from sqlalchemy.dialects.postgresql import ARRAY


def member_of(column: Any, name: str, dialect: str) -> Any:
    """`column` is one of the list bound as `name`. On PostgreSQL that is one array parameter
    (`= ANY`), so the statement's text, and the plan the server prepared for it, stay the same
    whatever the list's length; elsewhere an expanding `IN`."""
    if dialect == "postgresql":
        return column == any_(bindparam(name, type_=ARRAY(column.type)))
    return column.in_(bindparam(name, expanding=True))
