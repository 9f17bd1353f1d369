"""HTTP for a worker's standing: organisation, approval, suspension, supervision, overrides, eligibility
and the public vetted summary."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from litestar import Controller, get, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED
from sqlalchemy.ext.asyncio import AsyncSession

from slivers.accounts.actor import Actor
from slivers.clock import Clock
from slivers.config import Settings
from slivers.vetting.schemas import (
    Decision,
    EligibilityRead,
    OrganisationChoice,
    OverrideCreate,
    OverrideRead,
    Reinstate,
    SupervisionCreate,
    SupervisionRead,
    VettedRead,
    WorkerVettingRead,
)
from slivers.vetting.workers.checks import vetted_for_public, worker_eligibility
from slivers.vetting.workers.oversight import OversightService
from slivers.vetting.workers.service import WorkerStandingService

WorkerId = FromPath[uuid.UUID]


class WorkerVettingController(Controller):
    path = "/api/v1"
    tags = ["vetting"]

    @put("/workers/me/organisation", operation_id="chooseWorkerOrganisation")
    async def choose_organisation(
        self,
        data: JSONBody[OrganisationChoice],
        actor: NamedDependency[Actor],
        standing: NamedDependency[WorkerStandingService],
    ) -> WorkerVettingRead:
        """Choose the organisation that vets and supervises you."""
        return await standing.choose_organisation(actor, data)

    @get("/vetting/workers", operation_id="listVettingWorkers")
    async def listed(
        self,
        actor: NamedDependency[Actor],
        standing: NamedDependency[WorkerStandingService],
        status: FromQuery[Literal["pending", "active", "suspended"] | None] = None,
    ) -> list[WorkerVettingRead]:
        """Workers of the organisations you coordinate, optionally of one status."""
        return await standing.listed(actor, status)

    @get("/workers/{worker_id:uuid}/vetting", operation_id="readWorkerVetting")
    async def read(
        self,
        worker_id: WorkerId,
        actor: NamedDependency[Actor],
        standing: NamedDependency[WorkerStandingService],
    ) -> WorkerVettingRead:
        """A worker's status and supervision, for the worker or their coordinators."""
        return await standing.read(actor, worker_id)

    @post("/workers/{worker_id:uuid}/approve", operation_id="approveWorker", status_code=HTTP_200_OK)
    async def approve(
        self,
        worker_id: WorkerId,
        actor: NamedDependency[Actor],
        standing: NamedDependency[WorkerStandingService],
    ) -> WorkerVettingRead:
        """Approve a pending worker, so they can be booked."""
        return await standing.approve(actor, worker_id)

    @post("/workers/{worker_id:uuid}/suspend", operation_id="suspendWorker", status_code=HTTP_200_OK)
    async def suspend(
        self,
        worker_id: WorkerId,
        data: JSONBody[Decision],
        actor: NamedDependency[Actor],
        standing: NamedDependency[WorkerStandingService],
    ) -> WorkerVettingRead:
        """Suspend a worker at once, with a reason; their future bookings are reopened."""
        return await standing.suspend(actor, worker_id, data)

    @post("/workers/{worker_id:uuid}/reinstate", operation_id="reinstateWorker", status_code=HTTP_200_OK)
    async def reinstate(
        self,
        worker_id: WorkerId,
        data: JSONBody[Reinstate],
        actor: NamedDependency[Actor],
        standing: NamedDependency[WorkerStandingService],
    ) -> WorkerVettingRead:
        """Lift a worker's suspension."""
        return await standing.reinstate(actor, worker_id, data)

    @post(
        "/workers/{worker_id:uuid}/supervision",
        operation_id="recordSupervision",
        status_code=HTTP_201_CREATED,
    )
    async def record_supervision(
        self,
        worker_id: WorkerId,
        data: JSONBody[SupervisionCreate],
        actor: NamedDependency[Actor],
        oversight: NamedDependency[OversightService],
    ) -> SupervisionRead:
        """Record a volunteer's supervision meeting."""
        return await oversight.record_supervision(actor, worker_id, data)

    @get("/workers/{worker_id:uuid}/supervision", operation_id="listSupervision")
    async def supervisions(
        self, worker_id: WorkerId, actor: NamedDependency[Actor], oversight: NamedDependency[OversightService]
    ) -> list[SupervisionRead]:
        """A volunteer's supervision meetings, newest first."""
        return await oversight.supervisions(actor, worker_id)

    @post("/workers/{worker_id:uuid}/overrides", operation_id="grantOverride", status_code=HTTP_201_CREATED)
    async def grant_override(
        self,
        worker_id: WorkerId,
        data: JSONBody[OverrideCreate],
        actor: NamedDependency[Actor],
        oversight: NamedDependency[OversightService],
    ) -> OverrideRead:
        """Let one booking go ahead despite a missing credential, with a written reason."""
        return await oversight.grant_override(actor, worker_id, data)

    @get("/workers/{worker_id:uuid}/overrides", operation_id="listOverrides")
    async def overrides(
        self, worker_id: WorkerId, actor: NamedDependency[Actor], oversight: NamedDependency[OversightService]
    ) -> list[OverrideRead]:
        """A worker's overrides, used and unused."""
        return await oversight.overrides(actor, worker_id)

    @get("/workers/{worker_id:uuid}/eligibility", operation_id="workerEligibility")
    async def eligibility(
        self,
        worker_id: WorkerId,
        actor: NamedDependency[Actor],
        db_session: NamedDependency[AsyncSession],
        settings: NamedDependency[Settings],
        task_types: FromQuery[str],
        postcode: FromQuery[str],
        start: FromQuery[datetime],
        end: FromQuery[datetime],
        household_has_child: FromQuery[bool] = False,
        request_id: FromQuery[uuid.UUID | None] = None,
    ) -> EligibilityRead:
        """Whether a worker may do a visit, and why not, rule by rule."""
        return await worker_eligibility(
            db_session,
            actor,
            worker_id,
            task_types=task_types,
            postcode=postcode,
            start=start,
            end=end,
            household_has_child=household_has_child,
            supervision_days=settings.supervision_days,
            request_id=request_id,
        )

    @get("/workers/{worker_id:uuid}/vetted", operation_id="workerVettedSummary")
    async def vetted(
        self,
        worker_id: WorkerId,
        actor: NamedDependency[Actor],
        db_session: NamedDependency[AsyncSession],
        clock: NamedDependency[Clock],
    ) -> VettedRead:
        """ "Vetted", the check level and its date: all anyone else may see of a worker's checks."""
        return await vetted_for_public(db_session, clock, worker_id)
