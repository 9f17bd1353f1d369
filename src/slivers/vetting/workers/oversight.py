"""Supervision records for volunteers, and coordinators' one-booking overrides (design 3.3).

The market asks `usable_overrides` when it books and calls `use_override` for each one it relied on, so an
override lets exactly one booking through.
"""

from __future__ import annotations

import uuid

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from slivers.accounts.actor import Actor
from slivers.audit.service import record
from slivers.clock import Clock, to_london
from slivers.errors import Conflict, InvalidInput
from slivers.vetting.access import worker_coordinated_by, worker_seen_by
from slivers.vetting.catalogue.policy import policy_for
from slivers.vetting.models import EligibilityOverride, SupervisionRecord
from slivers.vetting.rules.catalogue import ValidityKind
from slivers.vetting.schemas import OverrideCreate, OverrideRead, SupervisionCreate, SupervisionRead

MAX_PAST_SUPERVISION_DAYS = 366


class OversightService:
    def __init__(self, session: AsyncSession, clock: Clock) -> None:
        self.session = session
        self.clock = clock

    async def record_supervision(
        self, actor: Actor, worker_id: uuid.UUID, data: SupervisionCreate
    ) -> SupervisionRead:
        worker = await worker_coordinated_by(self.session, actor, worker_id)
        if worker.kind != "volunteer":
            raise Conflict("Supervision records are kept for volunteers only.", rule="not_volunteer")
        today = to_london(self.clock.now()).date()
        if data.held_on > today:
            raise InvalidInput(
                "Record a supervision once it has been held.", field="held_on", rule="not_future"
            )
        if (today - data.held_on).days > MAX_PAST_SUPERVISION_DAYS:
            raise InvalidInput("That date is more than a year ago.", field="held_on", rule="too_old")
        row = SupervisionRecord(worker_id=worker.id, held_on=data.held_on, recorded_by_id=actor.user_id)
        self.session.add(row)
        if worker.last_supervision_on is None or data.held_on > worker.last_supervision_on:
            worker.last_supervision_on = data.held_on
        await self.session.flush()
        await record(
            self.session,
            self.clock,
            actor_id=actor.user_id,
            action="worker.supervision_recorded",
            subject_type="worker",
            subject_id=worker.id,
            data={"held_on": data.held_on.isoformat()},
        )
        return SupervisionRead(id=row.id, held_on=row.held_on, recorded_at=row.created_at)

    async def supervisions(self, actor: Actor, worker_id: uuid.UUID) -> list[SupervisionRead]:
        worker = await worker_seen_by(self.session, actor, worker_id)
        rows = await self.session.scalars(
            select(SupervisionRecord)
            .where(SupervisionRecord.worker_id == worker.id)
            .order_by(SupervisionRecord.held_on.desc())
        )
        return [SupervisionRead(id=r.id, held_on=r.held_on, recorded_at=r.created_at) for r in rows]

    async def grant_override(self, actor: Actor, worker_id: uuid.UUID, data: OverrideCreate) -> OverrideRead:
        """ "Book anyway" for one booking despite a missing credential. Criminal-record checks and barred
        lists are the law's minimum for this work, so they cannot be overridden."""
        worker = await worker_coordinated_by(self.session, actor, worker_id)
        policy = await policy_for(self.session, worker.organisation_id)
        try:
            ctype = policy.credential_type(data.credential_code)
        except KeyError:
            raise InvalidInput(
                f"{data.credential_code!r} is not a credential in the catalogue.",
                field="credential_code",
                rule="unknown_type",
            ) from None
        if ctype.is_criminal_record_check or ctype.validity.kind is ValidityKind.AS_DBS_CERTIFICATE:
            raise InvalidInput(
                f"{ctype.title} cannot be overridden.", field="credential_code", rule="not_overridable"
            )
        row = EligibilityOverride(
            worker_id=worker.id,
            credential_code=data.credential_code,
            request_id=data.request_id,
            reason=data.reason,
            granted_by_id=actor.user_id,
        )
        self.session.add(row)
        await self.session.flush()
        await record(
            self.session,
            self.clock,
            actor_id=actor.user_id,
            action="eligibility.override_granted",
            subject_type="worker",
            subject_id=worker.id,
            reason=data.reason,
            data={
                "credential_code": data.credential_code,
                "override_id": str(row.id),
                "request_id": str(data.request_id) if data.request_id else None,
            },
        )
        return override_read(row)

    async def overrides(self, actor: Actor, worker_id: uuid.UUID) -> list[OverrideRead]:
        worker = await worker_seen_by(self.session, actor, worker_id)
        rows = await self.session.scalars(
            select(EligibilityOverride)
            .where(EligibilityOverride.worker_id == worker.id)
            .order_by(EligibilityOverride.created_at.desc())
        )
        return [override_read(r) for r in rows]


async def usable_overrides(
    session: AsyncSession, worker_id: uuid.UUID, request_id: uuid.UUID | None = None
) -> dict[str, uuid.UUID]:
    """Unused overrides for this worker (for `request_id`, or for any request): credential code -> id."""
    scope: ColumnElement[bool] = EligibilityOverride.request_id.is_(None)
    if request_id is not None:
        scope = or_(scope, EligibilityOverride.request_id == request_id)
    rows = await session.scalars(
        select(EligibilityOverride)
        .where(
            EligibilityOverride.worker_id == worker_id,
            EligibilityOverride.used_by_booking_id.is_(None),
            scope,
        )
        .order_by(EligibilityOverride.created_at)
    )
    usable: dict[str, uuid.UUID] = {}
    for row in rows:
        usable.setdefault(row.credential_code, row.id)
    return usable


async def use_override(
    session: AsyncSession, clock: Clock, override_id: uuid.UUID, booking_id: uuid.UUID
) -> None:
    """Spend an override on a booking (in the booking's transaction), and audit it."""
    row = await session.get(EligibilityOverride, override_id, with_for_update=True)
    if row is None or row.used_by_booking_id is not None:
        raise Conflict("That override has already been used.", rule="override_used")
    row.used_by_booking_id = booking_id
    await record(
        session,
        clock,
        actor_id=None,
        action="eligibility.override_used",
        subject_type="worker",
        subject_id=row.worker_id,
        data={"override_id": str(row.id), "booking_id": str(booking_id)},
    )


def override_read(row: EligibilityOverride) -> OverrideRead:
    return OverrideRead(
        id=row.id,
        worker_id=row.worker_id,
        credential_code=row.credential_code,
        request_id=row.request_id,
        reason=row.reason,
        granted_at=row.created_at,
        used_by_booking_id=row.used_by_booking_id,
    )
