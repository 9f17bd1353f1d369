"""HTTP for a worker's availability rules: parse, call one service method, return."""

from __future__ import annotations

import uuid

from litestar import Controller, delete, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_201_CREATED, HTTP_204_NO_CONTENT

from slivers.accounts.actor import Actor
from slivers.market.availability.schemas import AvailabilityCreate, AvailabilityRead, AvailabilityRuleRead
from slivers.market.availability.service import AvailabilityService


class AvailabilityController(Controller):
    path = "/api/v1/workers/me/availability"
    tags = ["availability"]

    @post("/", operation_id="addAvailability", status_code=HTTP_201_CREATED)
    async def add(
        self,
        data: JSONBody[AvailabilityCreate],
        actor: NamedDependency[Actor],
        availability: NamedDependency[AvailabilityService],
    ) -> AvailabilityRuleRead:
        """Post a window, a weekly pattern, or an exception ("not this Tuesday", "away then")."""
        return await availability.add(actor, data)

    @get("/", operation_id="listAvailability")
    async def list_mine(
        self, actor: NamedDependency[Actor], availability: NamedDependency[AvailabilityService]
    ) -> AvailabilityRead:
        """Your availability rules, and what they give over the next 14 days."""
        return await availability.list_mine(actor)

    @delete("/{rule_id:uuid}", operation_id="deleteAvailability", status_code=HTTP_204_NO_CONTENT)
    async def remove(
        self,
        rule_id: FromPath[uuid.UUID],
        actor: NamedDependency[Actor],
        availability: NamedDependency[AvailabilityService],
    ) -> None:
        """Delete one of your availability rules."""
        await availability.delete(actor, rule_id)
