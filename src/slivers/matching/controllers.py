from __future__ import annotations

import uuid

from litestar import Controller, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_202_ACCEPTED

from slivers.accounts.actor import Actor
from slivers.matching.deps import provide_matching
from slivers.matching.schemas import MatchingRunCreate, MatchingRunRead
from slivers.matching.service import MatchingService, run_read


class MatchingController(Controller):
    path = "/api/v1/matching/runs"
    tags = ["matching"]
    dependencies = {"matching": Provide(provide_matching, sync_to_thread=False)}

    @post("/", operation_id="createMatchingRun", status_code=HTTP_202_ACCEPTED)
    async def create(
        self,
        data: JSONBody[MatchingRunCreate],
        actor: NamedDependency[Actor],
        matching: NamedDependency[MatchingService],
    ) -> MatchingRunRead:
        """Queue an optimiser run for your organisation; the scheduler solves it (never the web process)."""
        return run_read(await matching.queue(actor, data))

    @get("/{run_id:uuid}", operation_id="getMatchingRun")
    async def read(
        self,
        run_id: FromPath[uuid.UUID],
        actor: NamedDependency[Actor],
        matching: NamedDependency[MatchingService],
    ) -> MatchingRunRead:
        """A run's status; once done, its assignments, unfilled requests with reasons, objective and bound."""
        return run_read(await matching.visible(actor, run_id))

    @post("/{run_id:uuid}/apply", operation_id="applyMatchingRun", status_code=200)
    async def apply(
        self,
        run_id: FromPath[uuid.UUID],
        actor: NamedDependency[Actor],
        matching: NamedDependency[MatchingService],
    ) -> MatchingRunRead:
        """Send the run's assignments to the workers as offers."""
        run = await matching.visible(actor, run_id)
        return run_read(await matching.apply(actor, run))


HANDLERS = [MatchingController]
