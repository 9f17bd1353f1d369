"""Bad input on the pages (issue 11, section 2): a control character, text that is not UTF-8 or a number
that is no whole number shows the form again with the error next to the field (400), never a 500, and
changes nothing."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from litestar import Litestar
from litestar.testing import TestClient
from sqlalchemy import func, select

from slivers.accounts.models import Person
from slivers.clock import FrozenClock
from slivers.config import Settings
from tests.integration.conftest import Factory
from tests.integration.hostile_bodies import hostile_text
from tests.integration.market.conftest import Market
from tests.integration.test_hostile_bodies import row_counts, signed_in
from tests.integration.web.test_pages import NO_HEADER, form_token, post_form

START = "2026-11-26T10:00:00Z"
END = "2026-11-26T12:00:00Z"
PERSON = {"display_name": "Ravi", "home_postcode": "SG1 1AA", "address": "1 High St", "needs": "Tea"}


async def _persons(app: Any) -> int:
    async with app.state.wiring.unit_of_work() as session:
        return int(await session.scalar(select(func.count()).select_from(Person)) or 0)


def assert_field_error(page: object, field: str) -> str:
    assert isinstance(page, httpx.Response)
    assert page.status_code == 400, page.text[:500]
    assert page.headers["content-type"].startswith("text/html")
    assert f'id="{field}-error"' in page.text
    return page.text


@pytest.mark.parametrize(
    ("field", "character"),
    [("display_name", "\x00"), ("home_postcode", "\x1b"), ("address", "\x7f"), ("needs", "\x08")],
)
async def test_a_control_character_in_a_form_field_is_that_fields_error(
    user: Factory, app: Any, field: str, character: str
) -> None:
    carer = await user()
    page = await post_form(carer, "/people/new", {**PERSON, field: f"a{character}b"})
    text = assert_field_error(page, field)
    assert "Remove the control character" in text
    assert await _persons(app) == 0


@hypothesis_settings(max_examples=60, derandomize=True, deadline=None, database=None)
@given(field=st.sampled_from(sorted(PERSON)), text=hostile_text())
def hostile_person_form(client: TestClient[Litestar], field: str, text: str) -> None:
    page = client.post("/people/new", data={**PERSON, field: text})
    assert_field_error(page, field)


def test_hostile_text_in_any_field_of_a_form_shows_it_again(settings: Settings, clock: FrozenClock) -> None:
    with signed_in(settings, clock) as (_, client):
        before = row_counts(settings.database_url)
        hostile_person_form(client)
        assert row_counts(settings.database_url) == before


async def test_tabs_and_line_breaks_are_fine(user: Factory, app: Any) -> None:
    carer = await user()
    page = await post_form(carer, "/people/new", {**PERSON, "needs": "Tea\twith milk\r\nNo sugar"})
    assert isinstance(page, httpx.Response)
    assert page.status_code == 303
    assert await _persons(app) == 1


@pytest.mark.parametrize("broken", [b"%FF", b"%ED%A0%80"])
async def test_a_form_field_that_is_not_utf8_is_that_fields_error(
    user: Factory, app: Any, broken: bytes
) -> None:
    carer = await user()
    token = (await form_token(carer)).encode()
    body = b"display_name=Ravi&home_postcode=SG1+1AA&needs=caf" + broken + b"&_csrf_token=" + token
    page = await carer.post(
        "/people/new",
        content=body,
        headers={**NO_HEADER, "content-type": "application/x-www-form-urlencoded"},
    )
    text = assert_field_error(page, "needs")
    assert "did not arrive as readable text" in text
    assert await _persons(app) == 0


async def test_a_multipart_form_that_is_not_utf8_is_a_400(market: Market) -> None:
    worker = await market.worker()
    token = (await form_token(worker)).encode()
    boundary = b"hostile"
    body = (
        b"--" + boundary + b'\r\nContent-Disposition: form-data; name="_csrf_token"\r\n\r\n' + token
        + b"\r\n--" + boundary + b'\r\nContent-Disposition: form-data; name="description"\r\n\r\ncaf\xff'
        + b"\r\n--" + boundary + b"--\r\n"
    )  # fmt: skip
    page = await worker.post(
        "/work/expenses/item",
        content=body,
        headers={**NO_HEADER, "content-type": "multipart/form-data; boundary=hostile"},
    )
    assert page.status_code == 400
    assert page.headers["content-type"].startswith("text/html")


async def test_cancelling_or_checking_out_with_a_control_character_changes_nothing(market: Market) -> None:
    from datetime import datetime

    worker = await market.worker()
    carer, person_id = await market.carer()
    booking = await market.book(carer, await market.request(carer, person_id, start=START, end=END), worker)
    path = f"/bookings/{booking['id']}"
    assert (await post_form(worker, f"{path}/accept", {})).status_code == 303  # type: ignore[attr-defined]

    assert_field_error(await post_form(carer, f"{path}/cancel", {"reason": "ill\x00"}), "reason")
    assert (await carer.get(f"/api/v1/bookings/{booking['id']}")).json()["status"] == "confirmed"

    market.clock.set(datetime.fromisoformat(START.replace("Z", "+00:00")))
    assert (await post_form(worker, f"{path}/check-in", {})).status_code == 303  # type: ignore[attr-defined]
    market.clock.set(datetime.fromisoformat(END.replace("Z", "+00:00")))
    page = await post_form(worker, f"{path}/check-out", {"visit_notes": "walk\x00"})
    assert isinstance(page, httpx.Response)
    assert page.status_code == 400
    assert "Remove the control character" in page.text
    assert (await carer.get(f"/api/v1/bookings/{booking['id']}")).json()["status"] == "in_progress"


async def test_a_reinstatement_reason_with_a_control_character_is_refused(market: Market) -> None:
    coordinator = await market.coordinator()
    worker = await market.worker()
    path = f"/desk/workers/{worker.user['worker_id']}"
    assert (await post_form(coordinator, f"{path}/suspend", {"reason": "Checks"})).status_code == 303  # type: ignore[attr-defined]
    assert_field_error(await post_form(coordinator, f"{path}/reinstate", {"reason": "ok\x00"}), "reason")
    assert (await market.worker_row(worker)).status == "suspended"


@pytest.mark.parametrize("days", ["²", "1.5", "٣x"])
async def test_a_number_of_days_that_is_no_whole_number_is_that_fields_error(
    market: Market, days: str
) -> None:
    coordinator = await market.coordinator()
    page = await post_form(
        coordinator,
        "/desk/matching",
        {"organisation_id": market.organisation_id, "from_date": "2/12/2026", "days": days, "mode": "fill"},
    )
    assert_field_error(page, "days")


@pytest.mark.parametrize("km", ["²", "1.5"])
async def test_a_travel_distance_that_is_no_whole_number_is_that_fields_error(
    market: Market, km: str
) -> None:
    worker = await market.worker()
    form = (await worker.get("/work/profile")).text
    assert 'name="max_travel_km"' in form
    page = await post_form(
        worker,
        "/work/profile",
        {
            "home_postcode": "SG1 1AA",
            "max_travel_km": km,
            "task_types": ["companionship"],
            "hourly_rate": "14.00",
            "min_notice_minutes": "60",
            "min_visit_minutes": "30",
            "max_visit_minutes": "240",
            "hours_per_day": "8",
            "hours_per_week": "30",
            "instant_book": "no",
            "languages": "",
        },
    )
    assert_field_error(page, "max_travel_km")
