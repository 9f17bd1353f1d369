"""HTTP controllers of this domain, listed in HANDLERS and mounted by slivers.routes."""

from __future__ import annotations

from typing import Any

from slivers.vetting.catalogue.controllers import CatalogueController
from slivers.vetting.credentials.controllers import CredentialController
from slivers.vetting.workers.controllers import WorkerVettingController

HANDLERS: list[Any] = [CredentialController, WorkerVettingController, CatalogueController]
