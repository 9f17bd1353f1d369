"""Statements through the API: every visit, fee, top-up and hold, matching the ledger to the penny."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import timedelta

from litestar import Litestar

from slivers.clock import FrozenClock
from slivers.payments.budgets import booking_hooks as hooks
from tests.integration.payments.budgets.test_budgets_api import create_budget
from tests.integration.payments.conftest import Household


async def test_a_month_of_spending_as_csv_and_as_a_page(
    app: Litestar, household: Household, clock: FrozenClock
) -> None:
    budget_id = await create_budget(household, 20_000)
    wiring = app.state.wiring

    def money(minutes: int) -> hooks.BookingMoney:
        return hooks.BookingMoney(
            booking_id=uuid.uuid4(),
            budget_id=uuid.UUID(budget_id),
            person_id=household.person_id,
            worker_id=uuid.uuid4(),
            worker_is_volunteer=False,
            rate_pence_per_hour=1271,
            booked_minutes=minutes,
            start=clock.now() + timedelta(days=1),
        )

    visit, cancelled = money(120), money(60)
    async with wiring.unit_of_work() as session:
        await hooks.on_confirm(session, clock, visit, settings=wiring.settings)
        await hooks.on_confirm(session, clock, cancelled, settings=wiring.settings)
    clock.advance(timedelta(days=2))
    async with wiring.unit_of_work() as session:
        await hooks.on_approve(session, clock, visit, 90, settings=wiring.settings)
        await hooks.on_cancel(session, clock, cancelled, 0, settings=wiring.settings)

    url = f"/api/v1/budgets/{budget_id}/statement?from=2026-11-01&to=2026-12-01&format=csv"
    response = await household.carer.get(url)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [r["type"] for r in rows] == ["top-up", "hold placed", "hold placed", "visit", "hold released"]
    visit_row = rows[3]
    assert (visit_row["minutes"], visit_row["rate_gbp_per_hour"], visit_row["cost_gbp"]) == (
        "90",
        "12.71",
        "19.07",
    )
    assert visit_row["fee_gbp"] == "0.95"
    assert (visit_row["paid_out_gbp"], rows[-1]["balance_gbp"]) == ("19.07", "180.93")

    page = await household.funder.get(f"/api/v1/budgets/{budget_id}/statement?format=html")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "£180.93" in page.text
    assert "Direct payment 2026/27" in page.text
    # In the site's layout (base.html): its stylesheet, header and navigation, and who is signed in.
    assert '<link rel="stylesheet" href="/static/site.css">' in page.text
    assert 'class="site-header"' in page.text
    assert "Signed in as" in page.text
    assert "<title>Budget statement: Direct payment 2026/27 – Slivers</title>" in page.text

    earlier = await household.carer.get(
        f"/api/v1/budgets/{budget_id}/statement?from=2026-10-01&to=2026-11-01"
    )
    assert list(csv.DictReader(io.StringIO(earlier.text))) == []
