"""Reading and editing an organisation's catalogue (design 3.1, 3.2). Edits are audited with the
codes before and after, and take effect for bookings made from then on (see `policy`)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from slivers.accounts.actor import Actor
from slivers.accounts.models import Organisation
from slivers.audit.service import record
from slivers.clock import Clock
from slivers.errors import Forbidden, InvalidInput, NotFound
from slivers.vetting.access import COORDINATOR
from slivers.vetting.catalogue.policy import (
    PolicyDocumentError,
    document_of,
    policy_for,
    policy_from_document,
)
from slivers.vetting.models import VettingPolicy
from slivers.vetting.rules.catalogue import DEFAULT_POLICY, RequirementsPolicy
from slivers.vetting.schemas import CatalogueEdit, CatalogueRead, CredentialTypeRead, NationRead


class CatalogueService:
    def __init__(self, session: AsyncSession, clock: Clock) -> None:
        self.session = session
        self.clock = clock

    async def read(self, organisation_id: uuid.UUID | None) -> CatalogueRead:
        if organisation_id is None:
            return catalogue_read(DEFAULT_POLICY, None, 0)
        await self._organisation(organisation_id)
        row = await self._row(organisation_id)
        policy = await policy_for(self.session, organisation_id)
        return catalogue_read(policy, organisation_id, row.version if row else 0)

    async def edit(self, actor: Actor, organisation_id: uuid.UUID, data: CatalogueEdit) -> CatalogueRead:
        await self._organisation(organisation_id)
        if not actor.has_org_role(organisation_id, COORDINATOR):
            raise Forbidden(
                "Only a coordinator of this organisation can change its catalogue.", rule="coordinator_only"
            )
        document: dict[str, Any] = {
            "every_visit": data.every_visit,
            "paid_workers": data.paid_workers,
            "self_employed_workers": data.self_employed_workers,
            "per_task": dict(data.per_task),
            "child_in_household": data.child_in_household,
            "validity_years": data.validity_years,
        }
        try:
            policy = policy_from_document(document)
        except PolicyDocumentError as error:
            raise InvalidInput(str(error), field=error.field, rule="catalogue") from None
        stored = document_of(policy)
        row = await self._row(organisation_id, for_update=True)
        before = row.document if row else document_of(DEFAULT_POLICY)
        if row is None:
            row = VettingPolicy(
                organisation_id=organisation_id, document=stored, version=1, updated_by_id=actor.user_id
            )
            self.session.add(row)
        else:
            row.document = stored
            row.version += 1
            row.updated_by_id = actor.user_id
        await self.session.flush()
        await record(
            self.session,
            self.clock,
            actor_id=actor.user_id,
            action="catalogue.edited",
            subject_type="organisation",
            subject_id=organisation_id,
            reason=data.reason,
            data={"version": row.version, "before": before, "after": stored},
        )
        return catalogue_read(policy, organisation_id, row.version)

    async def _organisation(self, organisation_id: uuid.UUID) -> None:
        if await self.session.get(Organisation, organisation_id) is None:
            raise NotFound("We cannot find that organisation.", field="organisation_id", rule="not_found")

    async def _row(self, organisation_id: uuid.UUID, *, for_update: bool = False) -> VettingPolicy | None:
        query = select(VettingPolicy).where(VettingPolicy.organisation_id == organisation_id)
        if for_update:
            query = query.with_for_update()
        row: VettingPolicy | None = await self.session.scalar(query)
        return row


def catalogue_read(
    policy: RequirementsPolicy, organisation_id: uuid.UUID | None, version: int
) -> CatalogueRead:
    return CatalogueRead(
        organisation_id=organisation_id,
        version=version,
        credential_types=[
            CredentialTypeRead(
                code=t.code,
                title=t.title,
                validity=t.validity.kind.value,
                validity_years=t.validity.years,
                criminal_record_check=t.is_criminal_record_check,
                paid_only=t.paid_only,
                self_employed_only=t.self_employed_only,
                required_count=t.required_count,
            )
            for t in policy.credential_types
        ],
        every_visit=list(policy.every_visit),
        paid_workers=list(policy.paid_workers),
        self_employed_workers=list(policy.self_employed_workers),
        per_task={task.value: list(codes) for task, codes in policy.per_task.items()},
        child_in_household=list(policy.child_in_household),
        nations={
            nation.value: NationRead(
                criminal_record_check=rules.criminal_record_check, replaces=sorted(rules.replaces)
            )
            for nation, rules in policy.nations.items()
        },
    )
