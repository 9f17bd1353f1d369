"""HTTP for the market's view of a person: their approved reserve of workers for cover."""

from __future__ import annotations

import uuid

from litestar import Controller, put
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from slivers.accounts.actor import Actor
from slivers.market.cover.reserve import ReserveRead, ReserveService, ReserveUpdate


class PersonReserveController(Controller):
    path = "/api/v1/persons"
    tags = ["persons"]

    @put("/{person_id:uuid}/reserve", operation_id="setPersonReserve")
    async def set_reserve(
        self,
        person_id: FromPath[uuid.UUID],
        data: JSONBody[ReserveUpdate],
        actor: NamedDependency[Actor],
        reserve: NamedDependency[ReserveService],
    ) -> ReserveRead:
        """Set the person's approved reserve: workers offered cover after the preferred ones."""
        return await reserve.replace(actor, person_id, data)
