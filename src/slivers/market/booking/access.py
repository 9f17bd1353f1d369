"""Who the actor is to a booking, worked out from the object (design 2: role alone is never enough)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from slivers.accounts.actor import Actor
from slivers.accounts.guards import circle_membership
from slivers.accounts.models import CirclePermission, Person, Worker
from slivers.errors import Forbidden, NotFound
from slivers.market.models import Booking
from slivers.market.rules.lifecycle import EDGES, ROLES_FOR, BookingState, PartyRole, Transition

# When the actor holds several relations, the first that may make the transition acts.
_PRIORITY = (PartyRole.WORKER, PartyRole.BOOKER, PartyRole.APPROVER, PartyRole.COORDINATOR)


@dataclass(frozen=True, slots=True)
class BookingParty:
    booking: Booking
    worker: Worker
    person: Person
    roles: frozenset[PartyRole]
    can_view: bool

    def role_for(self, transition: Transition) -> PartyRole:
        """The actor's role for this transition; an unrelated actor is refused here (403)."""
        if not self.roles:
            raise Forbidden("You are not a party to this booking.", rule="not_a_party")
        edge = EDGES.get((BookingState(self.booking.status), transition))
        allowed = edge[1] if edge is not None else ROLES_FOR[transition]
        for role in _PRIORITY:
            if role in self.roles and role in allowed:
                return role
        # None of the actor's roles may: let the state machine say why (403 or 409).
        return next(role for role in _PRIORITY if role in self.roles)


async def load_party(session: AsyncSession, actor: Actor, booking_id: uuid.UUID) -> BookingParty:
    booking = await session.get(Booking, booking_id)
    if booking is None:
        raise NotFound("We cannot find that booking.", field="booking_id", rule="not_found")
    worker = await session.get(Worker, booking.worker_id)
    person = await session.get(Person, booking.person_id)
    assert worker is not None
    assert person is not None
    roles: set[PartyRole] = set()
    can_view = False
    if worker.user_id == actor.user_id:
        roles.add(PartyRole.WORKER)
        can_view = True
    member = await circle_membership(session, booking.person_id, actor.user_id)
    if member is not None:
        permissions = member.permissions()
        can_view = can_view or CirclePermission.VIEW in permissions
        if CirclePermission.REQUEST in permissions:
            roles.add(PartyRole.BOOKER)
        if CirclePermission.APPROVE in permissions:
            roles.add(PartyRole.APPROVER)
    if actor.has_org_role(worker.organisation_id, "coordinator"):
        roles.add(PartyRole.COORDINATOR)
        can_view = True
    if not roles and not can_view:
        raise Forbidden("You are not a party to this booking.", rule="not_a_party")
    return BookingParty(booking, worker, person, frozenset(roles), can_view or bool(roles))
