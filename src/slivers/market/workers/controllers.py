"""HTTP for worker profiles and reliability: parse, call one service method, return."""

from __future__ import annotations

import uuid

from litestar import Controller, get, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody
from sqlalchemy.ext.asyncio import AsyncSession

from slivers.accounts.actor import Actor
from slivers.clock import Clock
from slivers.market.workers import reliability
from slivers.market.workers.schemas import (
    ReliabilityRead,
    ReliabilityReview,
    WorkerProfileRead,
    WorkerProfileUpdate,
    WorkerPublicRead,
)
from slivers.market.workers.service import ProfileService


class WorkerController(Controller):
    path = "/api/v1/workers"
    tags = ["workers"]

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
        return await reliability.review(db_session, clock, actor, worker_id, data.note)
