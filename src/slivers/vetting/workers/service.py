"""A worker's standing with their organisation: choosing it, approval, suspension and reinstatement
(design 3.3). Suspension takes effect at once: eligibility reads the status, and the market is told."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from slivers.accounts.actor import Actor
from slivers.accounts.models import Organisation, User, Worker
from slivers.audit.service import record
from slivers.clock import Clock
from slivers.errors import Conflict, NotFound
from slivers.hooks import WorkerLostHandler
from slivers.vetting.access import COORDINATOR, own_worker, worker_coordinated_by, worker_seen_by
from slivers.vetting.hooks import worker_lost
from slivers.vetting.notify import tell_worker
from slivers.vetting.schemas import Decision, OrganisationChoice, Reinstate, WorkerVettingRead


class WorkerStandingService:
    def __init__(
        self,
        session: AsyncSession,
        clock: Clock,
        worker_lost_handlers: Sequence[WorkerLostHandler],
        *,
        supervision_days: int,
    ) -> None:
        self.session = session
        self.clock = clock
        self.worker_lost_handlers = worker_lost_handlers
        self.supervision_days = supervision_days

    async def choose_organisation(self, actor: Actor, data: OrganisationChoice) -> WorkerVettingRead:
        """A worker picks the organisation that vets and supervises them. Moving makes them pending
        again (the new organisation has not approved them); a suspended worker cannot move."""
        worker = await own_worker(self.session, actor)
        if await self.session.get(Organisation, data.organisation_id) is None:
            raise NotFound("We cannot find that organisation.", field="organisation_id", rule="not_found")
        if worker.organisation_id == data.organisation_id:
            return await self.view(worker)
        if worker.status == "suspended":
            raise Conflict("You are suspended, so you cannot change organisation now.", rule="suspended")
        worker.organisation_id = data.organisation_id
        worker.status = "pending"
        worker.status_reason = ""
        await record(
            self.session,
            self.clock,
            actor_id=actor.user_id,
            action="worker.organisation_chosen",
            subject_type="worker",
            subject_id=worker.id,
            data={"organisation_id": str(data.organisation_id)},
        )
        return await self.view(worker)

    async def read(self, actor: Actor, worker_id: uuid.UUID) -> WorkerVettingRead:
        return await self.view(await worker_seen_by(self.session, actor, worker_id))

    async def listed(self, actor: Actor, status: str | None) -> list[WorkerVettingRead]:
        """Workers vetted by the organisations `actor` coordinates, optionally of one status."""
        orgs = actor.orgs_with_role(COORDINATOR)
        if not orgs:
            return []
        query = select(Worker).where(Worker.organisation_id.in_(orgs)).order_by(Worker.created_at).limit(500)
        if status is not None:
            query = query.where(Worker.status == status)
        return [await self.view(worker) for worker in await self.session.scalars(query)]

    async def approve(self, actor: Actor, worker_id: uuid.UUID) -> WorkerVettingRead:
        worker = await worker_coordinated_by(self.session, actor, worker_id)
        if worker.status != "pending":
            raise Conflict(f"This worker is {worker.status}, not waiting for approval.", rule="not_pending")
        await self._set(actor, worker, "active", "", "worker.approved")
        await tell_worker(
            self.session,
            self.clock,
            worker,
            "vetting_worker_active",
            {},
            f"vetting:worker:{worker.id}:approved:{self.clock.now().isoformat()}",
        )
        return await self.view(worker)

    async def suspend(self, actor: Actor, worker_id: uuid.UUID, data: Decision) -> WorkerVettingRead:
        worker = await worker_coordinated_by(self.session, actor, worker_id)
        if worker.status == "suspended":
            raise Conflict("This worker is already suspended.", rule="already_suspended")
        now = self.clock.now()
        await self._set(actor, worker, "suspended", data.reason, "worker.suspended")
        await tell_worker(
            self.session,
            self.clock,
            worker,
            "vetting_worker_suspended",
            {"reason": data.reason},
            f"vetting:worker:{worker.id}:suspended:{now.isoformat()}",
        )
        await worker_lost(self.session, self.clock, self.worker_lost_handlers, worker.id, "suspended", now)
        return await self.view(worker)

    async def reinstate(self, actor: Actor, worker_id: uuid.UUID, data: Reinstate) -> WorkerVettingRead:
        worker = await worker_coordinated_by(self.session, actor, worker_id)
        if worker.status != "suspended":
            raise Conflict("This worker is not suspended.", rule="not_suspended")
        await self._set(actor, worker, "active", "", "worker.reinstated", reason=data.reason)
        await tell_worker(
            self.session,
            self.clock,
            worker,
            "vetting_worker_active",
            {},
            f"vetting:worker:{worker.id}:reinstated:{self.clock.now().isoformat()}",
        )
        return await self.view(worker)

    async def _set(
        self, actor: Actor, worker: Worker, status: str, status_reason: str, action: str, *, reason: str = ""
    ) -> None:
        previous = worker.status
        worker.status = status
        worker.status_reason = status_reason
        await record(
            self.session,
            self.clock,
            actor_id=actor.user_id,
            action=action,
            subject_type="worker",
            subject_id=worker.id,
            reason=reason or status_reason,
            data={"from": previous, "to": status},
        )
        await self.session.flush()

    async def view(self, worker: Worker) -> WorkerVettingRead:
        user = await self.session.get(User, worker.user_id)
        assert user is not None
        return WorkerVettingRead(
            worker_id=worker.id,
            display_name=user.display_name,
            kind=worker.kind,
            status=worker.status,
            status_reason=worker.status_reason,
            organisation_id=worker.organisation_id,
            last_supervision_on=worker.last_supervision_on,
            supervision_due_on=self.supervision_due_on(worker),
        )

    def supervision_due_on(self, worker: Worker) -> date | None:
        if worker.kind != "volunteer" or worker.last_supervision_on is None:
            return None
        return worker.last_supervision_on + timedelta(days=self.supervision_days)
