"""The booking moves' one page route (`/bookings/{id}/{move}`): each move lands where it did, a move the
reader may not make is said on the page, and an unknown move or page is a 404."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import httpx

from tests.integration.market.conftest import Market
from tests.integration.web.test_pages import post_form

START = "2026-11-26T10:00:00Z"
END = "2026-11-26T12:00:00Z"


async def _post(client: Any, path: str, data: dict[str, str | list[str]] | None = None) -> httpx.Response:
    response = await post_form(client, path, data or {})
    assert isinstance(response, httpx.Response)
    return response


async def test_each_move_through_the_one_route(market: Market) -> None:
    worker = await market.worker()
    carer, person_id = await market.carer()
    declined = await market.book(carer, await market.request(carer, person_id), worker)
    booking = await market.book(carer, await market.request(carer, person_id, start=START, end=END), worker)
    path = f"/bookings/{booking['id']}"

    no = await _post(worker, f"/bookings/{declined['id']}/decline")
    assert (no.status_code, no.headers["location"]) == (303, "/work")
    assert (await carer.get(f"/api/v1/bookings/{declined['id']}")).json()["status"] == "declined"

    assert (await worker.get(f"{path}/accept")).status_code == 404  # no page asks before accepting
    assert (await _post(worker, f"{path}/juggle")).status_code == 404
    refused = await _post(carer, f"{path}/accept")  # the booker cannot accept for the worker
    assert refused.status_code == 403
    assert "There is a problem" in refused.text

    yes = await _post(worker, f"{path}/accept")
    assert (yes.status_code, yes.headers["location"]) == (303, path)
    market.clock.set(datetime.fromisoformat(START.replace("Z", "+00:00")))
    assert (await _post(worker, f"{path}/check-in")).status_code == 303
    market.clock.set(datetime.fromisoformat(END.replace("Z", "+00:00")))
    long_notes = await _post(worker, f"{path}/check-out", {"visit_notes": "x" * 5001})
    assert long_notes.status_code == 400
    assert "Keep the visit notes under 5,000 characters." in long_notes.text
    assert (await carer.get(f"/api/v1/bookings/{booking['id']}")).json()["status"] == "in_progress"
    out = await _post(worker, f"{path}/check-out", {"visit_notes": "A walk to the park."})
    assert (out.status_code, out.headers["location"]) == (303, path)

    asked = await carer.get(f"{path}/dispute")
    assert asked.status_code == 200
    assert "Dispute the timesheet" in asked.text
    approved = await _post(carer, f"{path}/approve")
    assert approved.status_code == 303
    read = (await carer.get(f"/api/v1/bookings/{booking['id']}")).json()
    assert read["status"] == "approved"


async def test_a_refused_move_leaves_nothing_behind_on_the_page(market: Market) -> None:
    """The budget affords one of two offers: accepting the second is refused when the money is held,
    after the booking was seated. The page shown with the refusal says what is saved (still an offer),
    not the half-made move, and nothing of it is saved."""
    worker = await market.worker()
    carer, person_id = await market.carer()
    small = str(await market.fund(person_id, carer.user["id"], 3000))  # one two-hour visit at £14 an hour
    first = await market.book(carer, await market.request(carer, person_id, budget_id=small), worker)
    second = await market.book(
        carer, await market.request(carer, person_id, start=START, end=END, budget_id=small), worker
    )
    assert (await _post(worker, f"/bookings/{first['id']}/accept")).status_code == 303

    refused = await _post(worker, f"/bookings/{second['id']}/accept")
    assert refused.status_code == 409
    assert "Offer waiting for your answer" in refused.text
    assert (await carer.get(f"/api/v1/bookings/{second['id']}")).json()["status"] == "proposed"
