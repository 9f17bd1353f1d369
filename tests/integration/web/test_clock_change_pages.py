"""Booking weekly visits on the pages: a Sunday the spring-forward gap takes away is said in words."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.integration.market.conftest import Market

NO_HEADER = {"x-csrf-token": ""}
GONE = (
    "The clocks go forward at 1am on 28 March, so 1:30am does not happen that day. "
    "There is no visit that day."
)


async def _book_weekly(
    market: Market, day: str, start: str = "1:30am", end: str = "2:30am"
) -> tuple[str, str]:
    carer, person = await market.carer()
    await carer._prime_csrf()
    form = {
        "person_id": person,
        "task_types": "companionship",
        "date": day,
        "start_time": start,
        "end_time": end,
        "weekly": "yes",
        "budget_id": market.budgets[person],
        "_csrf_token": str(carer.cookies["slivers_csrf"]),
    }
    posted = await carer.post("/book", data=form, headers=NO_HEADER)
    assert posted.status_code in (302, 303), posted.text
    page = await carer.get(posted.headers["location"])
    assert page.status_code == 200
    return posted.headers["location"], page.text


async def test_the_saved_message_says_which_sunday_has_no_visit(market: Market) -> None:
    market.clock.set(datetime(2027, 3, 1, 12, 0, tzinfo=UTC))
    _, page = await _book_weekly(market, "21/3/2027")
    assert "Your request is saved." in page
    assert GONE in page


async def test_a_daytime_series_is_just_saved(market: Market) -> None:
    market.clock.set(datetime(2027, 3, 1, 12, 0, tzinfo=UTC))
    _, page = await _book_weekly(market, "21/3/2027", "10am", "noon")
    assert "Your request is saved." in page
    assert "clocks go" not in page
