"""HTTP for iCalendar feeds: make or revoke a secret URL, and read a feed by its URL."""

from __future__ import annotations

import uuid

from litestar import Controller, Response, delete, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.status_codes import HTTP_201_CREATED, HTTP_204_NO_CONTENT

from slivers.accounts.actor import Actor
from slivers.errors import NotFound
from slivers.market.feeds.service import CalendarFeedRead, FeedService

Feeds = NamedDependency[FeedService]


class CalendarFeedController(Controller):
    path = "/api/v1"
    tags = ["calendar"]

    @post("/workers/me/calendar-feed", operation_id="createWorkerCalendarFeed", status_code=HTTP_201_CREATED)
    async def new_worker_feed(self, actor: NamedDependency[Actor], feeds: Feeds) -> CalendarFeedRead:
        """A new secret URL of your confirmed visits (the old one stops working)."""
        return await feeds.new_worker_feed(actor)

    @delete(
        "/workers/me/calendar-feed", operation_id="revokeWorkerCalendarFeed", status_code=HTTP_204_NO_CONTENT
    )
    async def revoke_worker_feed(self, actor: NamedDependency[Actor], feeds: Feeds) -> None:
        """Stop your calendar URL working."""
        await feeds.revoke_worker_feed(actor)

    @post(
        "/persons/{person_id:uuid}/calendar-feed",
        operation_id="createPersonCalendarFeed",
        status_code=HTTP_201_CREATED,
    )
    async def new_person_feed(
        self, person_id: FromPath[uuid.UUID], actor: NamedDependency[Actor], feeds: Feeds
    ) -> CalendarFeedRead:
        """A new secret URL of this person's visits, for you (a member of their circle)."""
        return await feeds.new_person_feed(actor, person_id)

    @delete(
        "/persons/{person_id:uuid}/calendar-feed",
        operation_id="revokePersonCalendarFeed",
        status_code=HTTP_204_NO_CONTENT,
    )
    async def revoke_person_feed(
        self, person_id: FromPath[uuid.UUID], actor: NamedDependency[Actor], feeds: Feeds
    ) -> None:
        """Stop your calendar URL of this person's visits working."""
        await feeds.revoke_person_feed(actor, person_id)

    @get(
        "/calendar-feeds/{feed_file:str}",
        operation_id="readCalendarFeed",
        include_in_schema=True,
        media_type="text/calendar",
    )
    async def read_feed(self, feed_file: FromPath[str], feeds: Feeds) -> Response[bytes]:
        """An iCalendar feed, by its secret URL (no sign-in: the URL is the key)."""
        if not feed_file.endswith(".ics"):
            raise NotFound("No such calendar.", rule="not_found")
        body = await feeds.render(feed_file.removesuffix(".ics"))
        return Response(body, media_type="text/calendar", headers={"Cache-Control": "private, max-age=300"})
