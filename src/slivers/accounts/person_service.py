"""Persons supported and their circles of support. Every change is audited."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from slivers.accounts.actor import Actor
from slivers.accounts.auth_service import normalise_email
from slivers.accounts.guards import circle_membership, require_circle_permission, works_for
from slivers.accounts.models import CircleInvitation, CircleMember, CirclePermission, Person, User
from slivers.accounts.schemas import (
    CircleInvite,
    CircleInviteRead,
    CircleMemberRead,
    CircleRead,
    PersonCreate,
    PersonRead,
    PersonUpdate,
)
from slivers.accounts.tokens import digest, new_secret
from slivers.audit.service import record
from slivers.clock import Clock
from slivers.errors import Conflict, Forbidden, InvalidInput, NotFound
from slivers.geo import PostcodeError, parse_postcode
from slivers.hooks import WorkerRelationCheck
from slivers.notifications.service import enqueue

INVITATION_DAYS = 14
CONFLICTED_PERMISSIONS = {CirclePermission.APPROVE, CirclePermission.MANAGE}


def _postcode(raw: str, field: str) -> str:
    try:
        return parse_postcode(raw).text
    except PostcodeError as error:
        raise InvalidInput(str(error), field=field, rule=error.rule) from error


def _set_permissions(member: CircleMember, permissions: set[CirclePermission]) -> None:
    # `view` comes with every other permission: you cannot book for someone you cannot see.
    member.can_view = True
    member.can_request = CirclePermission.REQUEST in permissions
    member.can_approve = CirclePermission.APPROVE in permissions
    member.can_manage = CirclePermission.MANAGE in permissions


def person_read(person: Person, member: CircleMember) -> PersonRead:
    perms = sorted(p.value for p in member.permissions())
    return PersonRead(
        id=person.id,
        display_name=person.display_name,
        home_postcode=person.home_postcode,
        household_has_child=person.household_has_child,
        hard_requirements=person.hard_requirements,
        preferences=person.preferences,
        my_permissions=perms,
        address=person.address,
        needs=person.needs,
        support_notes=person.support_notes,
    )


class PersonService:
    def __init__(
        self, session: AsyncSession, clock: Clock, worker_relation_checks: Sequence[WorkerRelationCheck]
    ) -> None:
        self.session = session
        self.clock = clock
        self.worker_relation_checks = worker_relation_checks

    async def _audit(self, actor: Actor, action: str, person_id: uuid.UUID, **data: str) -> None:
        await record(
            self.session,
            self.clock,
            actor_id=actor.user_id,
            action=action,
            subject_type="person",
            subject_id=person_id,
            data=dict(data),
        )

    async def create(self, actor: Actor, data: PersonCreate) -> PersonRead:
        postcode = _postcode(data.home_postcode, "home_postcode")
        if data.is_me and await self.session.scalar(select(Person.id).where(Person.user_id == actor.user_id)):
            raise Conflict("You already have your own person record.", field="is_me", rule="duplicate")
        person = Person(
            display_name=data.display_name.strip(),
            user_id=actor.user_id if data.is_me else None,
            home_postcode=postcode,
            address=data.address,
            needs=data.needs,
            support_notes=data.support_notes,
            household_has_child=data.household_has_child,
            hard_requirements=data.hard_requirements,
            preferences=data.preferences,
            created_by_id=actor.user_id,
        )
        self.session.add(person)
        await self.session.flush()
        member = CircleMember(person_id=person.id, user_id=actor.user_id)
        _set_permissions(member, set(CirclePermission))
        self.session.add(member)
        await self.session.flush()
        await self._audit(actor, "person.created", person.id)
        return person_read(person, member)

    async def list_mine(self, actor: Actor) -> list[PersonRead]:
        rows = (
            await self.session.execute(
                select(Person, CircleMember)
                .join(CircleMember, CircleMember.person_id == Person.id)
                .where(CircleMember.user_id == actor.user_id)
                .order_by(Person.display_name)
            )
        ).all()
        return [person_read(p, m) for p, m in rows]

    async def get(self, actor: Actor, person_id: uuid.UUID) -> PersonRead:
        person, member = await require_circle_permission(
            self.session, actor, person_id, CirclePermission.VIEW
        )
        return person_read(person, member)

    async def update(self, actor: Actor, person_id: uuid.UUID, data: PersonUpdate) -> PersonRead:
        person, member = await require_circle_permission(
            self.session, actor, person_id, CirclePermission.MANAGE
        )
        changed: list[str] = []
        for field in PersonUpdate.__struct_fields__:
            value = getattr(data, field)
            if value is None:
                continue
            if field == "home_postcode":
                value = _postcode(value, "home_postcode")
            if field == "preferences":
                # Merged, not replaced: other features keep their own keys here (the market's reserve list).
                value = {**person.preferences, **value}
            setattr(person, field, value)
            changed.append(field)
        await self._audit(actor, "person.updated", person.id, fields=",".join(changed))
        return person_read(person, member)

    async def circle(self, actor: Actor, person_id: uuid.UUID) -> CircleRead:
        person, _ = await require_circle_permission(self.session, actor, person_id, CirclePermission.VIEW)
        rows = (
            await self.session.execute(
                select(CircleMember, User)
                .join(User, User.id == CircleMember.user_id)
                .where(CircleMember.person_id == person.id)
                .order_by(User.display_name)
            )
        ).all()
        invitations = await self.session.scalars(
            select(CircleInvitation).where(
                CircleInvitation.person_id == person.id,
                CircleInvitation.accepted_at.is_(None),
                CircleInvitation.revoked_at.is_(None),
                CircleInvitation.expires_at > self.clock.now(),
            )
        )
        return CircleRead(
            person_id=person.id,
            members=[
                CircleMemberRead(
                    id=m.id,
                    user_id=u.id,
                    display_name=u.display_name,
                    permissions=sorted(p.value for p in m.permissions()),
                    is_person=person.user_id == u.id,
                )
                for m, u in rows
            ],
            pending_invitations=[
                CircleInviteRead(id=i.id, email=i.email, permissions=i.permissions, expires_at=i.expires_at)
                for i in invitations
            ],
        )

    async def invite(self, actor: Actor, person_id: uuid.UUID, data: CircleInvite) -> CircleInviteRead:
        person, _ = await require_circle_permission(self.session, actor, person_id, CirclePermission.MANAGE)
        email = normalise_email(data.email)
        invitee = await self.session.scalar(select(User).where(User.email == email))
        if invitee is not None and await circle_membership(self.session, person.id, invitee.id):
            raise Conflict("They are already in this circle.", field="email", rule="already_member")
        permissions = sorted(set(data.permissions) | {"view"})
        token = new_secret(24)
        invitation = CircleInvitation(
            person_id=person.id,
            email=email,
            permissions=permissions,
            token_hash=digest(token),
            invited_by_id=actor.user_id,
            expires_at=self.clock.now() + dt.timedelta(days=INVITATION_DAYS),
        )
        self.session.add(invitation)
        await self.session.flush()
        await enqueue(
            self.session,
            self.clock,
            recipient_id=invitee.id if invitee else None,
            recipient_email=None if invitee else email,
            template="circle_invitation",
            data={"person_name": person.display_name, "inviter_name": actor.display_name, "token": token},
            dedupe_key=f"invitation:{invitation.id}",
            channels=("in_app", "email") if invitee else ("email",),
        )
        await self._audit(actor, "circle.invited", person.id, permissions=",".join(permissions))
        return CircleInviteRead(
            id=invitation.id, email=email, permissions=permissions, expires_at=invitation.expires_at
        )

    async def accept(self, actor: Actor, token: str) -> CircleMemberRead:
        invitation = await self.session.scalar(
            select(CircleInvitation).where(CircleInvitation.token_hash == digest(token))
        )
        if (
            invitation is None
            or invitation.email != actor.email
            or invitation.revoked_at is not None
            or invitation.expires_at <= self.clock.now()
        ):
            raise NotFound(
                "That invitation code is not valid for your account, or has expired.",
                field="token",
                rule="invalid_invitation",
            )
        if invitation.accepted_at is not None:
            raise Conflict(
                "That invitation has already been accepted.", field="token", rule="already_accepted"
            )
        permissions = {CirclePermission(p) for p in invitation.permissions}
        await self._refuse_conflict_of_interest(actor.user_id, invitation.person_id, permissions)
        member = await circle_membership(self.session, invitation.person_id, actor.user_id)
        if member is None:
            member = CircleMember(person_id=invitation.person_id, user_id=actor.user_id)
            self.session.add(member)
        _set_permissions(member, permissions)
        invitation.accepted_at = self.clock.now()
        invitation.accepted_by_id = actor.user_id
        await self.session.flush()
        await self._audit(
            actor,
            "circle.joined",
            invitation.person_id,
            permissions=",".join(sorted(p.value for p in permissions)),
        )
        return CircleMemberRead(
            id=member.id,
            user_id=actor.user_id,
            display_name=actor.display_name,
            permissions=sorted(p.value for p in member.permissions()),
            is_person=False,
        )

    async def set_permissions(
        self, actor: Actor, person_id: uuid.UUID, member_id: uuid.UUID, permissions: list[str]
    ) -> CircleMemberRead:
        person, _ = await require_circle_permission(self.session, actor, person_id, CirclePermission.MANAGE)
        member = await self._member(person.id, member_id)
        if person.user_id == member.user_id:
            raise Forbidden("The person's own permissions cannot be changed.", rule="person_holds_all")
        wanted = {CirclePermission(p) for p in permissions}
        await self._refuse_conflict_of_interest(member.user_id, person.id, wanted)
        _set_permissions(member, wanted)
        await self._audit(
            actor,
            "circle.permissions_changed",
            person.id,
            member_user_id=str(member.user_id),
            permissions=",".join(sorted(p.value for p in member.permissions())),
        )
        user = await self.session.get(User, member.user_id)
        assert user is not None
        return CircleMemberRead(
            id=member.id,
            user_id=user.id,
            display_name=user.display_name,
            permissions=sorted(p.value for p in member.permissions()),
            is_person=False,
        )

    async def remove(self, actor: Actor, person_id: uuid.UUID, member_id: uuid.UUID) -> None:
        person = await self.session.get(Person, person_id)
        mine = await circle_membership(self.session, person_id, actor.user_id) if person else None
        if person is None or mine is None:
            raise NotFound("We cannot find that person.", field="person_id", rule="not_found")
        member = await self._member(person.id, member_id)
        if member.user_id == person.user_id:
            raise Forbidden(
                "Nobody can remove the person themself from their own circle.", rule="person_stays"
            )
        leaving_myself = member.user_id == actor.user_id
        if not leaving_myself and CirclePermission.MANAGE not in mine.permissions():
            raise Forbidden("You may not change who is in this person's circle.", rule="needs_manage")
        await self.session.delete(member)
        await self._audit(actor, "circle.member_removed", person.id, member_user_id=str(member.user_id))

    async def _member(self, person_id: uuid.UUID, member_id: uuid.UUID) -> CircleMember:
        member = await self.session.get(CircleMember, member_id)
        if member is None or member.person_id != person_id:
            raise NotFound("No such circle member.", field="member_id", rule="not_found")
        return member

    async def _refuse_conflict_of_interest(
        self, user_id: uuid.UUID, person_id: uuid.UUID, permissions: set[CirclePermission]
    ) -> None:
        if permissions & CONFLICTED_PERMISSIONS and await works_for(
            self.session, self.worker_relation_checks, user_id, person_id
        ):
            raise Forbidden(
                "A worker who supports this person cannot approve timesheets or manage their circle.",
                field="permissions",
                rule="worker_conflict_of_interest",
            )
