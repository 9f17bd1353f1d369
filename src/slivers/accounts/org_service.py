"""Organisations and their staff. Operators bootstrap them from the CLI; coordinators add staff."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from slivers.accounts.actor import Actor
from slivers.accounts.auth_service import normalise_email
from slivers.accounts.models import Organisation, OrganisationKind, OrganisationMember, OrgRole, User
from slivers.accounts.repositories import OrganisationRepository, UserRepository
from slivers.accounts.schemas import OrganisationMemberAdd, OrganisationMemberRead
from slivers.audit.service import record
from slivers.clock import Clock
from slivers.errors import Conflict, Forbidden, InvalidInput, NotFound


class OrganisationService:
    def __init__(self, session: AsyncSession, clock: Clock) -> None:
        self.session = session
        self.clock = clock
        self.organisations = OrganisationRepository(session)
        self.users = UserRepository(session)

    async def create(self, name: str, kind: str, *, actor_id: uuid.UUID | None = None) -> Organisation:
        if kind not in {k.value for k in OrganisationKind}:
            raise InvalidInput("Kind must be council, charity or agency.", field="kind", rule="choice")
        if await self.organisations.exists(name=name):
            raise Conflict(f"An organisation called {name!r} already exists.", field="name", rule="duplicate")
        org = await self.organisations.add(Organisation(name=name, kind=kind))
        await record(
            self.session,
            self.clock,
            actor_id=actor_id,
            action="organisation.created",
            subject_type="organisation",
            subject_id=org.id,
            data={"kind": kind},
        )
        return org

    async def by_name(self, name: str) -> Organisation:
        org = await self.organisations.get_one_or_none(name=name)
        if org is None:
            raise NotFound(f"No organisation called {name!r}.", field="organisation", rule="not_found")
        return org

    async def add_member(
        self, org: Organisation, email: str, role: str, *, actor_id: uuid.UUID | None
    ) -> OrganisationMember:
        if role not in {r.value for r in OrgRole}:
            raise InvalidInput("Role must be coordinator or funder.", field="role", rule="choice")
        if role == OrgRole.FUNDER and org.kind != OrganisationKind.COUNCIL:
            raise InvalidInput(
                "Only a council has funder officers.", field="role", rule="funder_needs_council"
            )
        user = await self.users.get_one_or_none(email=normalise_email(email))
        if user is None:
            raise NotFound(
                "No account uses that email. Ask them to sign up first.", field="email", rule="not_found"
            )
        existing = await self.session.scalar(
            select(OrganisationMember).where(
                OrganisationMember.organisation_id == org.id,
                OrganisationMember.user_id == user.id,
                OrganisationMember.role == role,
            )
        )
        if existing is not None:
            return existing
        member = OrganisationMember(organisation_id=org.id, user_id=user.id, role=role)
        self.session.add(member)
        if user.account_type in {"service_user", "carer"}:
            user.account_type = "staff"
        await self.session.flush()
        await record(
            self.session,
            self.clock,
            actor_id=actor_id,
            action="organisation.member_added",
            subject_type="organisation",
            subject_id=org.id,
            data={"user_id": str(user.id), "role": role},
        )
        return member

    async def add_member_as(
        self, actor: Actor, organisation_id: uuid.UUID, data: OrganisationMemberAdd
    ) -> OrganisationMemberRead:
        org = await self._visible(actor, organisation_id)
        if not actor.has_org_role(org.id, OrgRole.COORDINATOR):
            raise Forbidden("Only a coordinator of this organisation can add staff.", rule="coordinator_only")
        member = await self.add_member(org, data.email, data.role, actor_id=actor.user_id)
        user = await self.session.get(User, member.user_id)
        assert user is not None
        return OrganisationMemberRead(user_id=user.id, display_name=user.display_name, role=member.role)

    async def members(self, actor: Actor, organisation_id: uuid.UUID) -> list[OrganisationMemberRead]:
        org = await self._visible(actor, organisation_id)
        rows = (
            await self.session.execute(
                select(User, OrganisationMember.role)
                .join(OrganisationMember, OrganisationMember.user_id == User.id)
                .where(OrganisationMember.organisation_id == org.id)
                .order_by(User.display_name)
            )
        ).all()
        return [OrganisationMemberRead(user_id=u.id, display_name=u.display_name, role=r) for u, r in rows]

    async def _visible(self, actor: Actor, organisation_id: uuid.UUID) -> Organisation:
        org = await self.session.get(Organisation, organisation_id)
        if org is None or organisation_id not in actor.org_roles:
            raise NotFound("No such organisation.", field="organisation_id", rule="not_found")
        return org
