"""Model bases: every table uses advanced-alchemy's UUIDv7 keys and UTC timestamps."""

from __future__ import annotations

from advanced_alchemy.base import UUIDv7AuditBase, UUIDv7Base, orm_registry
from advanced_alchemy.types import DateTimeUTC, JsonB

# Tables with created_at/updated_at.
Base = UUIDv7AuditBase
# Append-only tables (ledger, audit): no updated_at, since rows never change.
AppendOnlyBase = UUIDv7Base
metadata = orm_registry.metadata

__all__ = ["AppendOnlyBase", "Base", "DateTimeUTC", "JsonB", "metadata"]
