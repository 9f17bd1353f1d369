"""Page controllers (HTML for people), separate from the JSON API but calling the same services.

`slivers.app.route_handlers()` mounts PAGE_HANDLERS. Booking, my bookings, the worker's day, the
coordinator's desk and budgets sit beside the account and circle pages.
"""

from __future__ import annotations

from typing import Any

from slivers.web.account_pages import AccountPages
from slivers.web.book_help_pages import BookingPages
from slivers.web.budget_pages import BudgetPages
from slivers.web.circle_pages import CirclePages, InvitationPages
from slivers.web.desk_pages import DeskPages
from slivers.web.dispute_pages import DisputePages
from slivers.web.expense_pages import ExpenseDeskPages, ExpensePages
from slivers.web.matching_pages import MatchingPages
from slivers.web.my_bookings_pages import BookingsPages
from slivers.web.people_pages import PeoplePages
from slivers.web.profile_pages import ProfilePages
from slivers.web.worker_pages import WorkerPages

PAGE_HANDLERS: list[Any] = [
    AccountPages,
    PeoplePages,
    CirclePages,
    InvitationPages,
    BookingPages,
    BookingsPages,
    WorkerPages,
    ProfilePages,
    DeskPages,
    MatchingPages,
    DisputePages,
    ExpensePages,
    ExpenseDeskPages,
    BudgetPages,
]
