"""Bookings (design 4.4): every transition an operation, checked for who may make it, with its
consequences recorded in the same transaction."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from slivers.accounts.actor import Actor
from slivers.accounts.guards import require_circle_permission
from slivers.accounts.models import CircleMember, CirclePermission, Worker
from slivers.audit.service import record
from slivers.clock import Clock
from slivers.config import Settings
from slivers.errors import Conflict, Forbidden, NotFound
from slivers.market.booking import effects
from slivers.market.booking.access import BookingParty, load_party
from slivers.market.booking.confirmation import confirm, respond_by_for
from slivers.market.booking.schemas import BookingCreate, BookingRead
from slivers.market.booking.state import record_state
from slivers.market.candidates.eligibility import judge_worker
from slivers.market.candidates.slot import load_slot
from slivers.market.models import Booking
from slivers.market.rules.intervals import clock_change_note
from slivers.market.rules.invariants import OPEN_STATES
from slivers.market.rules.lifecycle import (
    ENDED_STATES,
    BookingSnapshot,
    BookingState,
    IllegalTransition,
    NotAllowed,
    PartyRole,
    Transition,
    TransitionResult,
    apply,
)
from slivers.payments.budgets import booking_hooks
from slivers.vetting.workers.oversight import usable_overrides

# How long the worker keeps sight of the address and notes after the visit (design 2's retention).
ADDRESS_VISIBLE_AFTER_END = timedelta(days=7)
_ADDRESS_STATES = frozenset(
    {
        BookingState.CONFIRMED,
        BookingState.IN_PROGRESS,
        BookingState.COMPLETED,
        BookingState.DISPUTED,
        BookingState.APPROVED,
    }
)


def snapshot_of(booking: Booking) -> BookingSnapshot:
    return BookingSnapshot(
        state=BookingState(booking.status),
        start=booking.start_at,
        end=booking.end_at,
        respond_by=booking.respond_by,
        rate_pence_per_hour=booking.rate_pence_per_hour,
        instant_book=booking.instant_book,
        checked_in_at=booking.checked_in_at,
        checked_out_at=booking.checked_out_at,
    )


def transition(booking: Booking, move: Transition, role: PartyRole, now: datetime) -> TransitionResult:
    try:
        return apply(snapshot_of(booking), move, role, now)
    except IllegalTransition as error:
        raise Conflict(error.message[0].upper() + error.message[1:] + ".", rule=error.code) from error
    except NotAllowed as error:
        raise Forbidden(error.message[0].upper() + error.message[1:] + ".", rule=error.code) from error


class BookingService:
    def __init__(self, session: AsyncSession, clock: Clock, settings: Settings | None = None) -> None:
        self.session = session
        self.clock = clock
        self.settings = settings

    async def create(self, actor: Actor, data: BookingCreate) -> BookingRead:
        """Book the worker, or offer them the visit. All or nothing (a savepoint): when a rule refuses
        it part-way, nothing of it stays in the session, so a page showing the refusal shows what is
        saved, and the request may go on."""
        async with self.session.begin_nested():
            booking_id = await self._create(actor, data)
        return await self.read(actor, booking_id)

    async def _create(self, actor: Actor, data: BookingCreate) -> uuid.UUID:
        now = self.clock.now()
        slot = await load_slot(self.session, data.request_id, data.occurrence_id, now)
        await require_circle_permission(self.session, actor, slot.request.person_id, CirclePermission.REQUEST)
        if slot.request.status != "open":
            raise Conflict("This request is no longer open.", field="request_id", rule="request_closed")
        worker = await self.session.get(Worker, data.worker_id)
        if worker is None:
            raise NotFound("We cannot find that worker.", field="worker_id", rule="not_found")
        booking = await self.propose(
            actor.user_id, slot.request.id, slot.occurrence.id, worker, now, is_cover=False
        )
        if worker.instant_book:
            result = transition(booking, Transition.CONFIRM_INSTANT, PartyRole.BOOKER, now)
            await confirm(self.session, self.clock, self.settings, booking, result, accepted_by_worker=False)
            await self._audit(actor.user_id, booking, "booking.confirmed_instantly")
            await self._tell_confirmed(booking, worker)
        else:
            # An offer goes only to a worker who is eligible now; confirmation checks again.
            usable = await usable_overrides(self.session, worker.id, slot.request.id)
            failures = (await judge_worker(self.session, slot, worker.id, now, frozenset(usable))).failures
            if failures:
                names = ", ".join(f.rule for f in failures)
                raise Conflict(
                    f"This worker cannot take this visit ({names}).", field="worker_id", rule="not_eligible"
                )
        return booking.id

    async def propose(
        self,
        booked_by_id: uuid.UUID,
        request_id: uuid.UUID,
        occurrence_id: uuid.UUID,
        worker: Worker,
        now: datetime,
        *,
        is_cover: bool,
    ) -> Booking:
        """Add an offer (the caller has checked the booker's right to make it)."""
        slot = await load_slot(self.session, request_id, occurrence_id, now)
        occurrence = slot.occurrence
        if occurrence.start_at <= now:
            raise Conflict("This visit has already started.", field="occurrence_id", rule="already_started")
        open_offer = await self.session.scalar(
            select(Booking.id).where(
                Booking.occurrence_id == occurrence.id,
                Booking.worker_id == worker.id,
                Booking.status.in_(OPEN_STATES),  # invariant 3
            )
        )
        if open_offer is not None:
            raise Conflict(
                "This worker already has an offer or a booking for this visit.",
                field="worker_id",
                rule="already_offered",
            )
        booking = Booking(
            request_id=slot.request.id,
            occurrence_id=occurrence.id,
            person_id=slot.request.person_id,
            worker_id=worker.id,
            booked_by_id=booked_by_id,
            status=BookingState.PROPOSED.value,
            start_at=occurrence.start_at,
            end_at=occurrence.end_at,
            lat=slot.request.lat,
            lon=slot.request.lon,
            rate_pence_per_hour=None if worker.kind == "volunteer" else worker.hourly_rate_pence,
            worker_is_volunteer=worker.kind == "volunteer",
            instant_book=worker.instant_book,
            budget_id=slot.request.budget_id,
            respond_by=respond_by_for(occurrence.start_at, now),
            is_cover=is_cover,
        )
        self.session.add(booking)
        await self.session.flush()
        if not worker.instant_book:
            data = effects.message_data(booking, worker)
            data["respond_by"] = effects.when(booking.respond_by or booking.start_at)
            await effects.tell_worker(
                self.session, self.clock, booking, worker, "market_booking_offer", data, "offer"
            )
        return booking

    async def act(
        self,
        actor: Actor,
        booking_id: uuid.UUID,
        move: Transition,
        *,
        reason: str = "",
        visit_notes: str = "",
    ) -> BookingRead:
        """Make one move on a booking, all or nothing like `create` (a refusal can come after the move
        began: confirmation holds the money after it takes the seat)."""
        async with self.session.begin_nested():
            party = await load_party(self.session, actor, booking_id)
            role = party.role_for(move)
            await self.apply(
                party.booking,
                party.worker,
                move,
                role,
                actor_id=actor.user_id,
                reason=reason,
                visit_notes=visit_notes,
            )
        return await self.read(actor, booking_id)

    async def apply(
        self,
        booking: Booking,
        worker: Worker,
        move: Transition,
        role: PartyRole,
        *,
        actor_id: uuid.UUID | None,
        reason: str = "",
        visit_notes: str = "",
    ) -> TransitionResult:
        """Make one transition with its consequences. Used by the API, the jobs and cover."""
        now = self.clock.now()
        was_confirmed = booking.status == BookingState.CONFIRMED
        result = transition(booking, move, role, now)
        data = effects.message_data(booking, worker)
        if result.state is BookingState.CONFIRMED:
            # Confirmation records the state itself, between its checks and the database's backstop.
            await confirm(
                self.session,
                self.clock,
                self.settings,
                booking,
                result,
                accepted_by_worker=role is PartyRole.WORKER,
            )
            await self._tell_confirmed(booking, worker)
        elif result.state in ENDED_STATES:
            record_state(booking, result, now)
            settled_by_resolve = move is Transition.RESOLVE_CANCEL
            await effects.after_end(
                self.session,
                self.clock,
                self.settings,
                booking,
                worker,
                result,
                role,
                was_confirmed or settled_by_resolve,
                reason,
            )
            await self._tell_ended(booking, worker, result, role, data)
        else:
            record_state(booking, result, now)
            if result.checked_out_at is not None:
                booking.visit_notes = visit_notes
                data["minutes"] = result.actual_minutes or 0
                await effects.tell_circle(
                    self.session,
                    self.clock,
                    booking,
                    "market_timesheet_ready",
                    data,
                    "timesheet",
                    approvers_only=True,
                )
            if result.state is BookingState.APPROVED:
                await booking_hooks.on_approve(
                    self.session,
                    self.clock,
                    effects.money_of(booking),
                    booking.actual_minutes or 0,
                    settings=self.settings,
                )
            if result.state is BookingState.DISPUTED:
                booking.ended_reason = reason
                await booking_hooks.on_dispute(self.session, self.clock, effects.money_of(booking))
        await self._audit(actor_id, booking, f"booking.{move.value}", reason=reason, role=role)
        return result

    async def _tell_confirmed(self, booking: Booking, worker: Worker) -> None:
        data = effects.message_data(booking, worker)
        await effects.tell_circle(
            self.session, self.clock, booking, "market_booking_confirmed", data, BookingState.CONFIRMED
        )
        await effects.tell_worker(
            self.session,
            self.clock,
            booking,
            worker,
            "market_booking_confirmed",
            data,
            BookingState.CONFIRMED,
        )

    async def _tell_ended(
        self,
        booking: Booking,
        worker: Worker,
        result: TransitionResult,
        role: PartyRole,
        data: dict[str, object],
    ) -> None:
        state = result.state
        if state is BookingState.NO_SHOW:
            await effects.tell_circle(
                self.session, self.clock, booking, "market_booking_no_show", data, BookingState.NO_SHOW
            )
            return
        if state in (BookingState.DECLINED, BookingState.EXPIRED):
            template = (
                "market_booking_declined" if state is BookingState.DECLINED else "market_booking_expired"
            )
            await effects.tell_circle(self.session, self.clock, booking, template, data, state.value)
            return
        data["cancelled_by"] = {"worker": "worker", "booker": "person's circle"}.get(
            role.value, "coordinator"
        )
        data["next_step"] = "We are offering it to other vetted workers." if result.reopen_request else ""
        if role is not PartyRole.WORKER:
            await effects.tell_worker(
                self.session,
                self.clock,
                booking,
                worker,
                "market_booking_cancelled",
                data,
                BookingState.CANCELLED,
            )
        await effects.tell_circle(
            self.session, self.clock, booking, "market_booking_cancelled", data, BookingState.CANCELLED
        )

    async def _audit(
        self,
        actor_id: uuid.UUID | None,
        booking: Booking,
        action: str,
        *,
        reason: str = "",
        role: PartyRole | None = None,
    ) -> None:
        await record(
            self.session,
            self.clock,
            actor_id=actor_id,
            action=action,
            subject_type="booking",
            subject_id=booking.id,
            reason=reason,
            data={"status": booking.status, "role": role.value if role else "booker"},
        )

    async def read(self, actor: Actor, booking_id: uuid.UUID) -> BookingRead:
        party = await load_party(self.session, actor, booking_id)
        return self._read(party, self.clock.now())

    def _read(self, party: BookingParty, now: datetime) -> BookingRead:
        booking, worker, person = party.booking, party.worker, party.person
        sees_address = (
            PartyRole.WORKER in party.roles
            and booking.status in _ADDRESS_STATES
            and now <= booking.end_at + ADDRESS_VISIBLE_AFTER_END
        )
        postcode = person.home_postcode
        return BookingRead(
            id=booking.id,
            request_id=booking.request_id,
            occurrence_id=booking.occurrence_id,
            person_id=booking.person_id,
            person_name=person.display_name,
            worker_id=worker.id,
            worker_first_name=worker.first_name,
            status=booking.status,
            start=booking.start_at,
            end=booking.end_at,
            postcode=postcode if sees_address else postcode.split(" ")[0],
            rate_pence_per_hour=booking.rate_pence_per_hour,
            respond_by=booking.respond_by,
            is_cover=booking.is_cover,
            checked_in_at=booking.checked_in_at,
            checked_out_at=booking.checked_out_at,
            minutes=int((booking.end_at - booking.start_at) // timedelta(minutes=1)),
            clock_change=clock_change_note(booking.start_at, booking.end_at),
            actual_minutes=booking.actual_minutes,
            late_fee_pence=booking.late_fee_pence,
            ended_by=booking.ended_by,
            ended_reason=booking.ended_reason,
            my_roles=sorted(role.value for role in party.roles),
            address=person.address if sees_address else None,
            support_notes=person.support_notes if sees_address else None,
        )

    async def list_mine(self, actor: Actor, status: str | None, limit: int) -> list[BookingRead]:
        """Bookings where the actor is the worker or in the person's circle, soonest first."""
        worker_id = await self.session.scalar(select(Worker.id).where(Worker.user_id == actor.user_id))
        persons = select(CircleMember.person_id).where(CircleMember.user_id == actor.user_id)
        query = select(Booking.id).where(or_(Booking.worker_id == worker_id, Booking.person_id.in_(persons)))
        if status is not None:
            query = query.where(Booking.status == status)
        ids = list(await self.session.scalars(query.order_by(Booking.start_at).limit(limit)))
        return [await self.read(actor, booking_id) for booking_id in ids]
