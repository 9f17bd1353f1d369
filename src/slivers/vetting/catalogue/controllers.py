"""HTTP for the credential catalogue: the seeded one, and each organisation's (coordinators edit it)."""

from __future__ import annotations

import uuid

from litestar import Controller, get, put
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from slivers.accounts.actor import Actor
from slivers.vetting.catalogue.service import CatalogueService
from slivers.vetting.schemas import CatalogueEdit, CatalogueRead


class CatalogueController(Controller):
    path = "/api/v1"
    tags = ["vetting"]

    @get("/vetting/catalogue", operation_id="readDefaultCatalogue")
    async def default(
        self, actor: NamedDependency[Actor], catalogue: NamedDependency[CatalogueService]
    ) -> CatalogueRead:
        """The seeded credential catalogue and what each task type requires."""
        return await catalogue.read(None)

    @get("/organisations/{organisation_id:uuid}/vetting-catalogue", operation_id="readOrganisationCatalogue")
    async def of_organisation(
        self,
        organisation_id: FromPath[uuid.UUID],
        actor: NamedDependency[Actor],
        catalogue: NamedDependency[CatalogueService],
    ) -> CatalogueRead:
        """The catalogue in force for workers vetted by this organisation."""
        return await catalogue.read(organisation_id)

    @put("/organisations/{organisation_id:uuid}/vetting-catalogue", operation_id="editOrganisationCatalogue")
    async def edit(
        self,
        organisation_id: FromPath[uuid.UUID],
        data: JSONBody[CatalogueEdit],
        actor: NamedDependency[Actor],
        catalogue: NamedDependency[CatalogueService],
    ) -> CatalogueRead:
        """Replace this organisation's catalogue (coordinators); applies to bookings made from now on."""
        return await catalogue.edit(actor, organisation_id, data)
