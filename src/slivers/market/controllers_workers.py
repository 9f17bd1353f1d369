"""HTTP for worker profiles, availability and reliability: parse, call one service method, return."""

from __future__ import annotations

import uuid

from litestar import Controller, delete, get, post, put
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_201_CREATED, HTTP_204_NO_CONTENT
from sqlalchemy.ext.asyncio import AsyncSession

from slivers.accounts.actor import Actor
from slivers.clock import Clock
from slivers.market import reliability_service
from slivers.market.availability_service import AvailabilityService
from slivers.market.profiles import ProfileService
from slivers.market.schemas_availability import AvailabilityCreate, AvailabilityRead, AvailabilityRuleRead
from slivers.market.schemas_profiles import (
    ReliabilityRead,
    ReliabilityReview,
    WorkerProfileRead,
    WorkerProfileUpdate,
    WorkerPublicRead,
)


def provide_profiles(
    db_session: NamedDependency[AsyncSession], clock: NamedDependency[Clock]
) -> ProfileService:
    return ProfileService(db_session, clock)


def provide_availability(
    db_session: NamedDependency[AsyncSession], clock: NamedDependency[Clock]
) -> AvailabilityService:
    return AvailabilityService(db_session, clock)


class WorkerController(Controller):
    path = "/api/v1/workers"
    tags = ["workers"]
    dependencies = {"profiles": Provide(provide_profiles, sync_to_thread=False)}

    @put("/me", operation_id="updateMyWorkerProfile")
    async def update_me(
        self,
        data: JSONBody[WorkerProfileUpdate],
        actor: NamedDependency[Actor],
        profiles: NamedDependency[ProfileService],
    ) -> WorkerProfileRead:
        """Set your whole worker profile: area, tasks, rate, limits and attributes."""
        return await profiles.update_mine(actor, data)

    @get("/me", operation_id="getMyWorkerProfile")
    async def get_me(
        self, actor: NamedDependency[Actor], profiles: NamedDependency[ProfileService]
    ) -> WorkerProfileRead:
        """Your worker profile, with your reliability strikes and their reasons."""
        return await profiles.read_mine(actor)

    @get("/{worker_id:uuid}", operation_id="getWorker")
    async def get_worker(
        self,
        worker_id: FromPath[uuid.UUID],
        actor: NamedDependency[Actor],
        profiles: NamedDependency[ProfileService],
    ) -> WorkerPublicRead:
        """A worker's public summary: first name, tasks, rate and whether they are vetted."""
        return await profiles.public(worker_id)

    @post("/{worker_id:uuid}/reliability-review", operation_id="reviewWorkerReliability", status_code=200)
    async def review(
        self,
        worker_id: FromPath[uuid.UUID],
        data: JSONBody[ReliabilityReview],
        actor: NamedDependency[Actor],
        db_session: NamedDependency[AsyncSession],
        clock: NamedDependency[Clock],
    ) -> ReliabilityRead:
        """A coordinator reviews a worker's strikes, which lets new bookings resume."""
        return await reliability_service.review(db_session, clock, actor, worker_id, data.note)


class AvailabilityController(Controller):
    path = "/api/v1/workers/me/availability"
    tags = ["availability"]
    dependencies = {"availability": Provide(provide_availability, sync_to_thread=False)}

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
