"""Controllers of the domains beyond accounts. Each domain adds its controllers to this list."""

from __future__ import annotations

from typing import Any

DOMAIN_HANDLERS: list[Any] = []
