"""Page controllers (HTML for people), separate from the JSON API but calling the same services.

`slivers.app.route_handlers()` mounts PAGE_HANDLERS. Booking, worker-day, coordinator and budget
pages join this list as their services land.
"""

from __future__ import annotations

from typing import Any

from slivers.web.account_pages import AccountPages
from slivers.web.circle_pages import CirclePages, InvitationPages
from slivers.web.people_pages import PeoplePages

PAGE_HANDLERS: list[Any] = [AccountPages, PeoplePages, CirclePages, InvitationPages]
