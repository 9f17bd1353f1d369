"""HTTP for credentials: submission, evidence, decisions and the coordinator's queue. Thin: parse, call
one service method, return a struct."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from litestar import Controller, Response, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import FromPath, JSONBody, MultipartBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from slivers.accounts.actor import Actor
from slivers.vetting.credentials.decisions import DecisionService
from slivers.vetting.credentials.evidence import EvidenceService
from slivers.vetting.credentials.service import CredentialService
from slivers.vetting.credentials.status_checks import StatusCheckService
from slivers.vetting.credentials.uploads import MAX_EVIDENCE_BYTES
from slivers.vetting.schemas import (
    CredentialRead,
    CredentialSubmit,
    Decision,
    EvidenceRead,
    QueueItem,
    StatusCheckCreate,
    StatusCheckRead,
    Verify,
)

# A little above the file limit for the multipart framing, so a 6 MB file is refused (413) before it is
# read, while a 5 MB one reaches the content checks, which give the precise reason.
MAX_UPLOAD_REQUEST_BYTES = MAX_EVIDENCE_BYTES + 64 * 1024


@dataclass
class EvidenceUpload:
    file: UploadFile


class CredentialController(Controller):
    path = "/api/v1"
    tags = ["vetting"]

    @post("/workers/me/credentials", operation_id="submitCredential", status_code=HTTP_201_CREATED)
    async def submit(
        self,
        data: JSONBody[CredentialSubmit],
        actor: NamedDependency[Actor],
        credentials: NamedDependency[CredentialService],
    ) -> CredentialRead:
        """Submit one of your credentials for a coordinator to verify."""
        return await credentials.submit(actor, data)

    @get("/workers/me/credentials", operation_id="listMyCredentials")
    async def mine(
        self, actor: NamedDependency[Actor], credentials: NamedDependency[CredentialService]
    ) -> list[CredentialRead]:
        """Your credentials, their verification state and history."""
        return await credentials.mine(actor)

    @get("/workers/{worker_id:uuid}/credentials", operation_id="listWorkerCredentials")
    async def of_worker(
        self,
        worker_id: FromPath[uuid.UUID],
        actor: NamedDependency[Actor],
        credentials: NamedDependency[CredentialService],
    ) -> list[CredentialRead]:
        """A worker's credentials, for the worker or their organisation's coordinators."""
        return await credentials.of_worker(actor, worker_id)

    @get("/vetting/queue", operation_id="vettingQueue")
    async def queue(
        self, actor: NamedDependency[Actor], credentials: NamedDependency[CredentialService]
    ) -> list[QueueItem]:
        """Credentials waiting for a decision in the organisations you coordinate, oldest first."""
        return await credentials.queue(actor)

    @post(
        "/credentials/{credential_id:uuid}/verify", operation_id="verifyCredential", status_code=HTTP_200_OK
    )
    async def verify(
        self,
        credential_id: FromPath[uuid.UUID],
        data: JSONBody[Verify],
        actor: NamedDependency[Actor],
        decisions: NamedDependency[DecisionService],
    ) -> CredentialRead:
        """Verify a worker's credential (a coordinator of their organisation)."""
        return await decisions.verify(actor, credential_id, data)

    @post(
        "/credentials/{credential_id:uuid}/reject", operation_id="rejectCredential", status_code=HTTP_200_OK
    )
    async def reject(
        self,
        credential_id: FromPath[uuid.UUID],
        data: JSONBody[Decision],
        actor: NamedDependency[Actor],
        decisions: NamedDependency[DecisionService],
    ) -> CredentialRead:
        """Reject a worker's credential, with a reason."""
        return await decisions.reject(actor, credential_id, data)

    @post(
        "/credentials/{credential_id:uuid}/revoke", operation_id="revokeCredential", status_code=HTTP_200_OK
    )
    async def revoke(
        self,
        credential_id: FromPath[uuid.UUID],
        data: JSONBody[Decision],
        actor: NamedDependency[Actor],
        decisions: NamedDependency[DecisionService],
    ) -> CredentialRead:
        """Withdraw a verified credential, with a reason; the worker's affected bookings are reopened."""
        return await decisions.revoke(actor, credential_id, data)

    @post(
        "/credentials/{credential_id:uuid}/status-checks",
        operation_id="recordStatusCheck",
        status_code=HTTP_201_CREATED,
    )
    async def status_check(
        self,
        credential_id: FromPath[uuid.UUID],
        data: JSONBody[StatusCheckCreate],
        actor: NamedDependency[Actor],
        status_checks: NamedDependency[StatusCheckService],
    ) -> StatusCheckRead:
        """Record a DBS Update Service status check: clear extends the certificate, changed withdraws it."""
        return await status_checks.record(actor, credential_id, data)

    @post(
        "/credentials/{credential_id:uuid}/evidence",
        operation_id="uploadCredentialEvidence",
        status_code=HTTP_201_CREATED,
        request_max_body_size=MAX_UPLOAD_REQUEST_BYTES,
    )
    async def upload(
        self,
        credential_id: FromPath[uuid.UUID],
        data: MultipartBody[EvidenceUpload],
        actor: NamedDependency[Actor],
        evidence: NamedDependency[EvidenceService],
    ) -> EvidenceRead:
        """Upload a PDF, JPEG or PNG (5 MB at most) as evidence for your credential, in the field `file`."""
        content = await data.file.read(MAX_EVIDENCE_BYTES + 1)
        return await evidence.upload(actor, credential_id, content, data.file.filename)

    @get(
        "/credentials/{credential_id:uuid}/evidence",
        operation_id="downloadCredentialEvidence",
        responses={
            200: ResponseSpec(
                bytes,
                media_type="*/*",
                description="The file as uploaded: application/pdf, image/jpeg or image/png.",
                generate_examples=False,
            )
        },
    )
    async def download(
        self,
        credential_id: FromPath[uuid.UUID],
        actor: NamedDependency[Actor],
        evidence: NamedDependency[EvidenceService],
    ) -> Response[bytes]:
        """The evidence file, for the coordinator deciding the credential."""
        content, content_type = await evidence.download(actor, credential_id)
        return Response(
            content,
            media_type=content_type,
            headers={
                "Content-Disposition": f'attachment; filename="evidence-{credential_id}"',
                "Cache-Control": "no-store",
                "X-Content-Type-Options": "nosniff",
            },
        )
