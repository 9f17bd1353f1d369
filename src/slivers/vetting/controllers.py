"""HTTP controllers of this domain, listed in HANDLERS and mounted by slivers.routes: one router over
all of them that provides the vetting services (`deps.API_DEPENDENCIES`) by name, so the use cases'
controllers do not import the root's deps module (which imports their services)."""

from __future__ import annotations

from typing import Any

from litestar import Router

from slivers.vetting.catalogue.controllers import CatalogueController
from slivers.vetting.credentials.controllers import CredentialController
from slivers.vetting.deps import API_DEPENDENCIES
from slivers.vetting.workers.controllers import WorkerVettingController

HANDLERS: list[Any] = [
    Router(
        path="/",
        route_handlers=[CredentialController, WorkerVettingController, CatalogueController],
        dependencies=API_DEPENDENCIES,
    )
]
