"""HTTP for requests and their candidates."""

from __future__ import annotations

import uuid
from typing import Annotated

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter
from litestar.status_codes import HTTP_201_CREATED

from slivers.accounts.actor import Actor
from slivers.market.candidates.schemas import CandidatesRead, WhyNotRead
from slivers.market.candidates.service import CandidateService
from slivers.market.requests.schemas import RequestCreate, RequestRead
from slivers.market.requests.service import RequestService


class RequestController(Controller):
    path = "/api/v1/requests"
    tags = ["requests"]

    @post("/", operation_id="createRequest", status_code=HTTP_201_CREATED)
    async def create(
        self,
        data: JSONBody[RequestCreate],
        actor: NamedDependency[Actor],
        requests: NamedDependency[RequestService],
    ) -> RequestRead:
        """Ask for help for a person: one slot or a weekly series, each occurrence checked for cover."""
        return await requests.create(actor, data)

    @get("/{request_id:uuid}", operation_id="getRequest")
    async def get_request(
        self,
        request_id: FromPath[uuid.UUID],
        actor: NamedDependency[Actor],
        requests: NamedDependency[RequestService],
    ) -> RequestRead:
        """A request with its occurrences and how many workers each has."""
        return await requests.get(actor, request_id)

    @get("/{request_id:uuid}/candidates", operation_id="listCandidates")
    async def list_candidates(
        self,
        request_id: FromPath[uuid.UUID],
        actor: NamedDependency[Actor],
        candidates: NamedDependency[CandidateService],
        occurrence_id: FromQuery[uuid.UUID | None] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=100)] = 20,
    ) -> CandidatesRead:
        """Vetted workers who can really come, best first, each with the reasons for their place."""
        return await candidates.list(actor, request_id, occurrence_id, limit)

    @get("/{request_id:uuid}/candidates/{worker_id:uuid}/why-not", operation_id="explainNotCandidate")
    async def why_not(
        self,
        request_id: FromPath[uuid.UUID],
        worker_id: FromPath[uuid.UUID],
        actor: NamedDependency[Actor],
        candidates: NamedDependency[CandidateService],
        occurrence_id: FromQuery[uuid.UUID | None] = None,
    ) -> WhyNotRead:
        """For a coordinator: every rule a worker of their organisation fails for this request."""
        return await candidates.why_not(actor, request_id, worker_id, occurrence_id)
