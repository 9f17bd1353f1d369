"""iCalendar feeds (with the `icalendar` library) behind secret, revocable URLs: a worker's visits,
or a person's visits for one member of their circle. Only the token's SHA-256 is stored; making a
new URL revokes the old one. Feeds carry first names, times and the postcode district only."""

from __future__ import annotations

import uuid
from datetime import timedelta

import icalendar
import msgspec
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from slivers.accounts.actor import Actor
from slivers.accounts.guards import require_circle_permission
from slivers.accounts.models import CirclePermission, Person, Worker
from slivers.accounts.tokens import digest, new_secret
from slivers.clock import Clock
from slivers.errors import NotFound
from slivers.market.models import Booking, CalendarFeed
from slivers.market.rules.invariants import SEATED_STATES
from slivers.market.workers.service import my_worker

FEED_STATES = SEATED_STATES  # the visits that hold their seat: coming, happening or done
FEED_PAST = timedelta(days=30)
FEED_PATH = "/api/v1/calendar-feeds/"


class CalendarFeedRead(msgspec.Struct, kw_only=True):
    url: str  # secret: anyone with it can read the feed until it is revoked or replaced


class FeedService:
    def __init__(self, session: AsyncSession, clock: Clock) -> None:
        self.session = session
        self.clock = clock

    async def new_worker_feed(self, actor: Actor) -> CalendarFeedRead:
        worker = await my_worker(self.session, actor)
        await self._revoke(actor.user_id, worker_id=worker.id)
        return await self._issue(CalendarFeed(user_id=actor.user_id, worker_id=worker.id))

    async def new_person_feed(self, actor: Actor, person_id: uuid.UUID) -> CalendarFeedRead:
        await require_circle_permission(self.session, actor, person_id, CirclePermission.VIEW)
        await self._revoke(actor.user_id, person_id=person_id)
        return await self._issue(CalendarFeed(user_id=actor.user_id, person_id=person_id))

    async def revoke_worker_feed(self, actor: Actor) -> None:
        worker = await my_worker(self.session, actor)
        await self._revoke(actor.user_id, worker_id=worker.id)

    async def revoke_person_feed(self, actor: Actor, person_id: uuid.UUID) -> None:
        await require_circle_permission(self.session, actor, person_id, CirclePermission.VIEW)
        await self._revoke(actor.user_id, person_id=person_id)

    async def _issue(self, feed: CalendarFeed) -> CalendarFeedRead:
        token = new_secret()
        feed.token_hash = digest(token)
        self.session.add(feed)
        await self.session.flush()
        return CalendarFeedRead(url=f"{FEED_PATH}{token}.ics")

    async def _revoke(
        self, user_id: uuid.UUID, *, worker_id: uuid.UUID | None = None, person_id: uuid.UUID | None = None
    ) -> None:
        query = update(CalendarFeed).where(CalendarFeed.user_id == user_id, CalendarFeed.revoked_at.is_(None))
        if worker_id is not None:
            query = query.where(CalendarFeed.worker_id == worker_id)
        else:
            query = query.where(CalendarFeed.person_id == person_id)
        await self.session.execute(query.values(revoked_at=self.clock.now()))

    async def render(self, token: str) -> bytes:
        feed = await self.session.scalar(
            select(CalendarFeed).where(
                CalendarFeed.token_hash == digest(token), CalendarFeed.revoked_at.is_(None)
            )
        )
        if feed is None:
            raise NotFound(
                "This calendar link is not valid: it may have been replaced or revoked.", rule="not_found"
            )
        query = (
            select(Booking, Worker.first_name, Person.display_name, Person.home_postcode)
            .join(Worker, Worker.id == Booking.worker_id)
            .join(Person, Person.id == Booking.person_id)
            .where(Booking.status.in_(FEED_STATES), Booking.end_at > self.clock.now() - FEED_PAST)
            .order_by(Booking.start_at)
        )
        if feed.worker_id is not None:
            query = query.where(Booking.worker_id == feed.worker_id)
            name = "Slivers: my visits"
        else:
            query = query.where(Booking.person_id == feed.person_id)
            name = "Slivers: visits"
        calendar = icalendar.Calendar()
        calendar.add("prodid", "-//Slivers//market//EN")
        calendar.add("version", "2.0")
        calendar.add("x-wr-calname", name)
        for booking, worker_name, person_name, postcode in (await self.session.execute(query)).tuples():
            event = icalendar.Event()
            event.add("uid", f"booking-{booking.id}@slivers")
            event.add("dtstamp", self.clock.now())
            event.add("dtstart", booking.start_at)
            event.add("dtend", booking.end_at)
            who = person_name.split(" ")[0] if feed.worker_id is not None else worker_name
            event.add("summary", f"Visit: {who}")
            event.add("location", postcode.split(" ")[0])
            event.add("status", "CONFIRMED")
            calendar.add_component(event)
        body: bytes = calendar.to_ical()
        return body
