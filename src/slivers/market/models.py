"""Database models of this domain (imported by slivers.db.models for Alembic and tests)."""

from __future__ import annotations
