"""Evidence files for credentials: upload by the worker, download by the deciding coordinator, and
deletion (audited) once decided. The file itself never goes near a served folder (design 3.3)."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from slivers.accounts.actor import Actor
from slivers.audit.service import record
from slivers.clock import Clock
from slivers.config import Settings
from slivers.errors import Conflict, Forbidden, InvalidInput, NotFound
from slivers.vetting.access import is_coordinator_of
from slivers.vetting.credentials.service import credential_for_update
from slivers.vetting.credentials.uploads import (
    EvidenceStore,
    FileEvidenceStore,
    UploadRejected,
    store_evidence,
)
from slivers.vetting.models import Credential
from slivers.vetting.schemas import EvidenceRead


def evidence_store(settings: Settings) -> EvidenceStore:
    """The configured store: files under the data folder."""
    return FileEvidenceStore(settings.evidence_dir)


class EvidenceService:
    def __init__(self, session: AsyncSession, clock: Clock, store: EvidenceStore) -> None:
        self.session = session
        self.clock = clock
        self.store = store

    async def upload(
        self, actor: Actor, credential_id: uuid.UUID, data: bytes, file_name: str | None
    ) -> EvidenceRead:
        credential, worker = await credential_for_update(self.session, credential_id)
        if worker.user_id != actor.user_id:
            raise NotFound("We cannot find that credential.", field="credential_id", rule="not_found")
        if credential.status != "submitted":
            raise Conflict("Evidence can be added only before the credential is decided.", rule="decided")
        try:
            stored = store_evidence(self.store, data, file_name, field="file")
        except UploadRejected as refused:
            raise InvalidInput(refused.message, field=refused.field, rule=refused.rule) from None
        if credential.evidence_key is not None:
            await delete_evidence(
                self.session,
                self.clock,
                self.store,
                credential,
                actor_id=actor.user_id,
                reason="replaced by the worker",
            )
        now = self.clock.now()
        credential.evidence_key = stored.key
        credential.evidence_sha256 = stored.sha256
        credential.evidence_content_type = stored.content_type
        credential.evidence_size = stored.size
        credential.evidence_uploaded_at = now
        credential.evidence_deleted_at = None
        await record(
            self.session,
            self.clock,
            actor_id=actor.user_id,
            action="credential.evidence_uploaded",
            subject_type="credential",
            subject_id=credential.id,
            data={"sha256": stored.sha256, "size": stored.size, "content_type": stored.content_type},
        )
        return EvidenceRead(
            credential_id=credential.id,
            content_type=stored.content_type,
            size=stored.size,
            sha256=stored.sha256,
        )

    async def download(self, actor: Actor, credential_id: uuid.UUID) -> tuple[bytes, str]:
        """Only a coordinator of the worker's organisation while undecided, then only the one who decided,
        until the evidence sweep deletes it. Not the worker: they already have their document."""
        credential, worker = await credential_for_update(self.session, credential_id)
        if not is_coordinator_of(actor, worker) or worker.user_id == actor.user_id:
            raise NotFound("We cannot find that credential.", field="credential_id", rule="not_found")
        if credential.decided_by_id is not None and credential.decided_by_id != actor.user_id:
            raise Forbidden(
                "Only the coordinator who decided this credential may see its evidence.", rule="not_decider"
            )
        if credential.evidence_key is None or credential.evidence_content_type is None:
            raise NotFound("There is no evidence file for this credential.", rule="no_evidence")
        return self.store.read(credential.evidence_key), credential.evidence_content_type


async def delete_evidence(
    session: AsyncSession,
    clock: Clock,
    store: EvidenceStore,
    credential: Credential,
    *,
    actor_id: uuid.UUID | None,
    reason: str,
) -> None:
    """Delete the file and say so in the audit log. Deleting a file that is already gone is harmless,
    so a sweep whose transaction failed after the delete simply does it again."""
    assert credential.evidence_key is not None
    store.delete(credential.evidence_key)
    await record(
        session,
        clock,
        actor_id=actor_id,
        action="credential.evidence_deleted",
        subject_type="credential",
        subject_id=credential.id,
        reason=reason,
        data={"sha256": credential.evidence_sha256},
    )
    credential.evidence_key = None
    credential.evidence_deleted_at = clock.now()
