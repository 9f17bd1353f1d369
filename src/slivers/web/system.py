"""Liveness, readiness and the About page (with the bundled data's licence)."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Controller, Response, get
from litestar.datastructures import State
from litestar.response import Template
from sqlalchemy import text

from slivers.geo import attribution
from slivers.http.deps import wiring_of


class Health(msgspec.Struct):
    status: str


class SystemController(Controller):
    tags = ["system"]

    @get("/health", operation_id="health")
    async def health(self) -> Health:
        """Liveness: the process answers."""
        return Health(status="ok")

    @get("/ready", operation_id="ready")
    async def ready(self, state: State) -> Response[Any]:
        """Readiness: the database answers."""
        try:
            async with wiring_of(state).engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
        except Exception:
            return Response(
                {"status": "unavailable", "detail": "The database is not reachable."},
                status_code=503,
                media_type="application/problem+json",
            )
        return Response({"status": "ok"})

    @get("/about", operation_id="about", include_in_schema=False)
    async def about(self) -> Template:
        """What Slivers is, and the licences of the data it carries."""
        return Template(template_name="about.html", context={"attribution": attribution()})
