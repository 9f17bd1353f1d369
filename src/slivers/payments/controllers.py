"""HTTP controllers of this domain, listed in HANDLERS and mounted by slivers.routes."""

from __future__ import annotations

from typing import Any

HANDLERS: list[Any] = []
