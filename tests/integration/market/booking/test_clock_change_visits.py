"""A visit across the autumn clock change, 01:30-02:30 London on 31 October 2027, is two real hours:
the booker is told so before booking (the request, the booking, the page), the budget is held and
charged for two hours, and the worker is paid for two."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

from slivers.accounts.models import Worker
from slivers.payments.ledger.database import DbLedger
from slivers.payments.rules import ledger
from tests.integration.conftest import ApiClient
from tests.integration.market.conftest import Market, add_credentials

NOTE = "This visit is 2 hours long because the clocks go back at 2am on 31 October."
START = datetime(2027, 10, 31, 0, 30, tzinfo=UTC)  # 01:30 BST
END = datetime(2027, 10, 31, 2, 30, tzinfo=UTC)  # 02:30 GMT, after 01:00-02:00 has happened twice
RATE = 1400
SERIES = {
    "weekdays": [6],
    "start_time": "01:30:00",
    "end_time": "02:30:00",
    "from_date": "2027-10-31",
    "max_occurrences": 1,
}


async def _night_worker(market: Market) -> ApiClient:
    """A vetted worker, booked straight away, free that night (the helper's workers sleep at night)."""
    worker = await market.worker(vetted=False, availability=False, instant_book=True, hourly_rate_pence=RATE)
    wiring = market.app.state.wiring
    async with wiring.unit_of_work() as session:
        row = await session.get(Worker, uuid.UUID(worker.user["worker_id"]))
        assert row is not None
        row.status = "active"
        row.organisation_id = uuid.UUID(market.organisation_id)
        row.last_supervision_on = date(2027, 10, 1)
        add_credentials(session, row.id, wiring.clock.now(), issued_on=date(2027, 6, 1))
    posted = await worker.post(
        "/api/v1/workers/me/availability",
        json={"kind": "window", "start": "2027-10-30T22:00:00Z", "end": "2027-10-31T06:00:00Z"},
    )
    assert posted.status_code == 201, posted.text
    return worker


async def test_the_autumn_visit_is_shown_charged_and_paid_as_two_real_hours(market: Market) -> None:
    market.clock.set(datetime(2027, 10, 20, 12, 0, tzinfo=UTC))
    worker = await _night_worker(market)
    carer, person = await market.carer()
    request = await market.request(carer, person, start=None, end=None, series=SERIES)
    (occurrence,) = request["occurrences"]
    assert (occurrence["local_date"], occurrence["local_start_time"]) == ("2027-10-31", "01:30:00")
    assert datetime.fromisoformat(occurrence["start"]) == START
    assert datetime.fromisoformat(occurrence["end"]) == END
    assert (occurrence["minutes"], occurrence["clock_change"]) == (120, NOTE)
    assert request["coverage"][0]["coverable"] is True

    candidates = (await carer.get(f"/api/v1/requests/{request['id']}/candidates")).json()["candidates"]
    assert [c["worker_id"] for c in candidates] == [worker.user["worker_id"]]
    booking = await market.book(carer, request, worker)
    assert booking["status"] == "confirmed"
    assert (booking["minutes"], booking["clock_change"]) == (120, NOTE)

    wiring = market.app.state.wiring
    async with wiring.unit_of_work() as session:
        held = await DbLedger(session, wiring.clock).get(f"booking:{booking['id']}:confirm")
    assert held is not None
    budget = market.budgets[person]
    assert held.transaction.amount_for(ledger.holds_account(budget)) == 2 * RATE  # two hours held

    path = f"/api/v1/bookings/{booking['id']}"
    market.clock.set(START)
    assert (await worker.post(f"{path}/check-in")).status_code == 200
    market.clock.set(END)  # two real hours later, though the clock on the wall moved one
    out = await worker.post(f"{path}/check-out", json={})
    assert out.status_code == 200, out.text
    assert out.json()["actual_minutes"] == 120
    market.clock.advance(timedelta(minutes=5))
    approved = await carer.post(f"{path}/approve")
    assert approved.status_code == 200, approved.text

    async with wiring.unit_of_work() as session:
        settled = await DbLedger(session, wiring.clock).get(f"booking:{booking['id']}:approve")
    assert settled is not None
    charged, paid, fee = ledger.split_charge(2 * RATE, wiring.settings.platform_fee_bps)
    assert settled.transaction.amount_for(ledger.worker_account(worker.user["worker_id"])) == paid
    assert settled.transaction.amount_for(ledger.holds_account(budget)) == -charged
    assert settled.transaction.amount_for(ledger.budget_account(budget)) == 0  # nothing left over
    assert paid + fee == charged == 2 * RATE


async def test_the_booking_page_says_why_the_visit_is_two_hours(market: Market) -> None:
    market.clock.set(datetime(2027, 10, 20, 12, 0, tzinfo=UTC))
    await _night_worker(market)
    carer, person = await market.carer()
    request = await market.request(carer, person, start=None, end=None, series=SERIES)
    page = await carer.get(f"/requests/{request['id']}")
    assert page.status_code == 200, page.text
    assert "1:30am to 2:30am" in page.text
    assert NOTE in page.text
    assert "the worker is paid, for the time it really lasts" in page.text


async def test_an_ordinary_night_has_no_clock_note(market: Market) -> None:
    market.clock.set(datetime(2027, 10, 20, 12, 0, tzinfo=UTC))
    carer, person = await market.carer()
    request = await market.request(
        carer, person, start=None, end=None, series=SERIES | {"from_date": "2027-11-07"}
    )
    (occurrence,) = request["occurrences"]
    assert (occurrence["minutes"], occurrence["clock_change"]) == (60, None)
    page = await carer.get(f"/requests/{request['id']}")
    assert 'id="clock-change"' not in page.text
