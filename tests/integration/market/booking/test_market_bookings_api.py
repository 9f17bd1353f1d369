"""The booking lifecycle over the API: who may do what, the travel buffer, fees and strikes, cover,
the sweeps, and refusals that change nothing."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from slivers.accounts.guards import works_for
from slivers.jobs.registry import run_once
from slivers.market.jobs import JOBS
from slivers.market.models import Booking, ReliabilityStrike
from slivers.notifications.models import OutboxMessage
from tests.integration.conftest import ApiClient, assert_problem
from tests.integration.market.conftest import Market

JOB = {job.id: job for job in JOBS}


async def confirmed(market: Market, **worker: Any) -> tuple[ApiClient, ApiClient, dict[str, Any]]:
    worker_client = await market.worker(**worker)
    carer, person = await market.carer()
    request = await market.request(carer, person)
    booking = await market.book(carer, request, worker_client)
    accepted = await worker_client.post(f"/api/v1/bookings/{booking['id']}/accept")
    assert accepted.status_code == 200, accepted.text
    return worker_client, carer, accepted.json()


async def test_offer_accept_check_in_out_and_approve(market: Market) -> None:
    worker = await market.worker()
    carer, person = await market.carer()
    request = await market.request(carer, person)
    offer = await market.book(carer, request, worker)
    assert offer["status"] == "proposed"
    seen_by_worker = (await worker.get(f"/api/v1/bookings/{offer['id']}")).json()
    assert seen_by_worker["address"] is None
    assert seen_by_worker["postcode"] == "SG1"
    booking = (await worker.post(f"/api/v1/bookings/{offer['id']}/accept")).json()
    assert booking["status"] == "confirmed"
    assert booking["address"] == "12 Example Road, Stevenage"
    assert booking["support_notes"] == "Key safe code 1234"
    market.clock.set(datetime(2026, 12, 2, 9, 50, tzinfo=UTC))
    assert (await worker.post(f"/api/v1/bookings/{offer['id']}/check-in")).json()["status"] == "in_progress"
    market.clock.set(datetime(2026, 12, 2, 11, 57, 40, tzinfo=UTC))
    out = await worker.post(
        f"/api/v1/bookings/{offer['id']}/check-out", json={"visit_notes": "Lunch and a walk"}
    )
    assert out.json()["actual_minutes"] == 130  # 2 h 7 min 40 s, to the nearest 5 minutes
    approved = await carer.post(f"/api/v1/bookings/{offer['id']}/approve")
    assert approved.json()["status"] == "approved"
    mine = (await worker.get("/api/v1/bookings")).json()
    assert [b["id"] for b in mine] == [offer["id"]]


async def test_instant_book_confirms_at_once(market: Market) -> None:
    worker = await market.worker(instant_book=True)
    carer, person = await market.carer()
    booking = await market.book(carer, await market.request(carer, person), worker)
    assert booking["status"] == "confirmed"


@pytest.mark.parametrize("status_after", ["proposed", "approved"])
async def test_illegal_transitions_are_refused_and_change_nothing(market: Market, status_after: str) -> None:
    worker, carer, booking = await confirmed(market)
    other_worker = await market.worker()
    url = f"/api/v1/bookings/{booking['id']}"
    if status_after == "approved":
        market.clock.set(datetime(2026, 12, 2, 10, 0, tzinfo=UTC))
        await worker.post(f"{url}/check-in")
        market.clock.set(datetime(2026, 12, 2, 12, 0, tzinfo=UTC))
        await worker.post(f"{url}/check-out", json={})
        assert (await carer.post(f"{url}/approve")).status_code == 200
        assert_problem(await carer.post(f"{url}/cancel", json={}), 409, rule="not_from_approved")
    else:
        proposed = await market.book(
            carer,
            await market.request(
                carer,
                (await carer.get(url)).json()["person_id"],
                start="2026-12-03T10:00:00Z",
                end="2026-12-03T12:00:00Z",
            ),
            worker,
        )
        assert_problem(
            await carer.post(f"/api/v1/bookings/{proposed['id']}/approve"), 409, rule="not_from_proposed"
        )
        url = f"/api/v1/bookings/{proposed['id']}"
    before = (await carer.get(url)).json()
    assert_problem(await carer.post(f"{url}/check-in"), 403)  # the booker is not the worker
    assert_problem(await other_worker.post(f"{url}/check-in"), 403, rule="not_a_party")
    assert_problem(await other_worker.get(url), 403, rule="not_a_party")
    assert (await carer.get(url)).json() == before


async def test_a_booker_cancelling_late_owes_the_fee_and_a_worker_gets_a_strike(market: Market) -> None:
    worker, carer, booking = await confirmed(market, hourly_rate_pence=1500)
    market.clock.set(datetime(2026, 12, 1, 12, 0, tzinfo=UTC))  # 22 hours before
    cancelled = (
        await carer.post(f"/api/v1/bookings/{booking['id']}/cancel", json={"reason": "hospital"})
    ).json()
    assert (cancelled["status"], cancelled["late_fee_pence"]) == ("cancelled", 3000)

    worker, carer, booking = await confirmed(market)
    market.clock.set(datetime(2026, 12, 1, 12, 0, tzinfo=UTC))
    cancelled = (await worker.post(f"/api/v1/bookings/{booking['id']}/cancel", json={})).json()
    assert (cancelled["status"], cancelled["late_fee_pence"], cancelled["ended_by"]) == (
        "cancelled",
        0,
        "worker",
    )
    strikes = (await worker.get("/api/v1/workers/me")).json()["reliability"]["strikes"]
    assert [(s["kind"], s["points"]) for s in strikes] == [("late_cancellation", 1)]
    assert "late cancellation" in strikes[0]["reason"]


async def test_two_visits_twenty_km_apart_need_the_travel_time_between_them(market: Market) -> None:
    worker = await market.worker(max_travel_km=30, instant_book=True)
    carer, person = await market.carer()
    first = await market.request(carer, person)  # Stevenage, 10:00-12:00
    assert (await market.book(carer, first, worker))["status"] == "confirmed"
    # Luton is about 20 km from Stevenage: 26 road km at 30 km/h is 52 minutes.
    ten_minutes_later = await market.request(
        carer, person, postcode="LU1 1AA", start="2026-12-02T12:10:00Z", end="2026-12-02T13:10:00Z"
    )
    refused = await carer.post(
        "/api/v1/bookings",
        json={"request_id": ten_minutes_later["id"], "worker_id": worker.user["worker_id"]},
    )
    assert_problem(refused, 409, rule="worker_booked")
    ninety_minutes_later = await market.request(
        carer, person, postcode="LU1 1AA", start="2026-12-02T13:30:00Z", end="2026-12-02T14:30:00Z"
    )
    assert (await market.book(carer, ninety_minutes_later, worker))["status"] == "confirmed"


async def test_sweeps_expire_offers_mark_no_shows_and_approve_late_timesheets(market: Market) -> None:
    wiring = market.app.state.wiring
    worker = await market.worker()
    carer, person = await market.carer()
    offer = await market.book(carer, await market.request(carer, person), worker)
    market.clock.set(datetime(2026, 11, 26, 12, 0, tzinfo=UTC))  # respond_by
    assert await run_once(wiring, JOB["market.expire_proposals"]) == 1
    assert await run_once(wiring, JOB["market.expire_proposals"]) == 0
    assert (await carer.get(f"/api/v1/bookings/{offer['id']}")).json()["status"] == "expired"

    worker, carer, booking = await confirmed(market)
    market.clock.set(datetime(2026, 12, 1, 12, 0, tzinfo=UTC))
    assert await run_once(wiring, JOB["market.visit_reminders"]) >= 1
    assert await run_once(wiring, JOB["market.visit_reminders"]) >= 1  # deduplicated in the outbox
    async with wiring.unit_of_work() as session:
        reminders = (
            await session.scalars(
                select(OutboxMessage).where(
                    OutboxMessage.template == "market_visit_reminder", OutboxMessage.channel == "in_app"
                )
            )
        ).all()
    assert len(reminders) == 2  # the worker and the carer, once each
    market.clock.set(datetime(2026, 12, 2, 10, 15, tzinfo=UTC))
    assert await run_once(wiring, JOB["market.mark_no_shows"]) == 1
    assert await run_once(wiring, JOB["market.mark_no_shows"]) == 0
    assert (await carer.get(f"/api/v1/bookings/{booking['id']}")).json()["status"] == "no_show"
    strikes = (await worker.get("/api/v1/workers/me")).json()["reliability"]
    assert strikes["points_last_30_days"] == 2


async def test_auto_approval_after_48_hours(market: Market) -> None:
    worker, carer, booking = await confirmed(market)
    url = f"/api/v1/bookings/{booking['id']}"
    market.clock.set(datetime(2026, 12, 2, 10, 0, tzinfo=UTC))
    await worker.post(f"{url}/check-in")
    market.clock.set(datetime(2026, 12, 2, 12, 0, tzinfo=UTC))
    await worker.post(f"{url}/check-out", json={})
    market.clock.advance(timedelta(hours=47))
    assert await run_once(market.app.state.wiring, JOB["market.auto_approve"]) == 0
    market.clock.advance(timedelta(hours=1))
    assert await run_once(market.app.state.wiring, JOB["market.auto_approve"]) == 1
    assert (await carer.get(url)).json()["status"] == "approved"


async def test_three_strikes_pause_new_bookings_until_a_review(market: Market) -> None:
    worker = await market.worker()
    carer, person = await market.carer()
    for day in (2, 3):
        request = await market.request(
            carer, person, start=f"2026-12-0{day}T10:00:00Z", end=f"2026-12-0{day}T12:00:00Z"
        )
        booking = await market.book(carer, request, worker)
        await worker.post(f"/api/v1/bookings/{booking['id']}/accept")
    market.clock.set(datetime(2026, 12, 2, 10, 20, tzinfo=UTC))
    await run_once(market.app.state.wiring, JOB["market.mark_no_shows"])  # 2 points
    cancel_for = (await worker.get("/api/v1/bookings?status=confirmed")).json()[0]
    await worker.post(f"/api/v1/bookings/{cancel_for['id']}/cancel", json={})  # 1 point, late
    assert (await worker.get("/api/v1/workers/me")).json()["reliability"]["paused"] is True
    later = await market.request(carer, person, start="2026-12-05T10:00:00Z", end="2026-12-05T12:00:00Z")
    assert_problem(
        await carer.post(
            "/api/v1/bookings", json={"request_id": later["id"], "worker_id": worker.user["worker_id"]}
        ),
        409,
        rule="not_eligible",
    )
    coordinator = await market.coordinator()
    review = await coordinator.post(
        f"/api/v1/workers/{worker.user['worker_id']}/reliability-review",
        json={"note": "Talked it through; car fixed"},
    )
    assert review.status_code == 200
    assert review.json()["paused"] is False
    assert (await market.book(carer, later, worker))["status"] == "proposed"


async def test_a_worker_cancelling_reopens_the_visit_and_cover_offers_go_out(market: Market) -> None:
    worker = await market.worker()
    preferred = await market.worker()
    carer, person = await market.carer()
    request = await market.request(carer, person, preferred_worker_ids=[preferred.user["worker_id"]])
    booking = await market.book(carer, request, worker)
    await worker.post(f"/api/v1/bookings/{booking['id']}/accept")
    await worker.post(f"/api/v1/bookings/{booking['id']}/cancel", json={"reason": "ill"})
    assert (await carer.get(f"/api/v1/requests/{request['id']}")).json()["occurrences"][0][
        "cover_needed"
    ] is True
    assert await run_once(market.app.state.wiring, JOB["market.offer_cover"]) == 1
    assert await run_once(market.app.state.wiring, JOB["market.offer_cover"]) == 0  # waits for the answer
    offers = (await preferred.get("/api/v1/bookings")).json()
    assert [(o["status"], o["is_cover"]) for o in offers] == [("proposed", True)]
    await preferred.post(f"/api/v1/bookings/{offers[0]['id']}/accept")
    occurrence = (await carer.get(f"/api/v1/requests/{request['id']}")).json()["occurrences"][0]
    assert (occurrence["status"], occurrence["cover_needed"]) == ("filled", False)


async def test_suspension_reopens_the_workers_future_bookings(market: Market) -> None:
    worker, carer, booking = await confirmed(market)
    coordinator = await market.coordinator()
    suspended = await coordinator.post(
        f"/api/v1/workers/{worker.user['worker_id']}/suspend",
        json={"reason": "Safeguarding concern under review"},
    )
    assert suspended.status_code == 200, suspended.text
    after = (await carer.get(f"/api/v1/bookings/{booking['id']}")).json()
    assert (after["status"], after["ended_by"]) == ("cancelled", "system")
    async with market.app.state.wiring.unit_of_work() as session:
        strikes = (await session.scalars(select(ReliabilityStrike))).all()
        row = await session.get(Booking, uuid.UUID(booking["id"]))
    assert strikes == []
    assert row is not None
    assert row.seat is None


async def test_a_worker_who_booked_with_a_person_cannot_approve_in_their_circle(market: Market) -> None:
    worker, _, booking = await confirmed(market)
    async with market.app.state.wiring.unit_of_work() as session:
        checks = market.app.state.wiring.hooks.worker_relation_checks
        assert await works_for(session, checks, uuid.UUID(worker.user["id"]), uuid.UUID(booking["person_id"]))


async def test_calendar_feeds_are_secret_and_revocable(market: Market) -> None:
    worker, carer, booking = await confirmed(market)
    worker_feed = (await worker.post("/api/v1/workers/me/calendar-feed")).json()["url"]
    person_feed = (await carer.post(f"/api/v1/persons/{booking['person_id']}/calendar-feed")).json()["url"]
    stranger = await market.user("carer")  # the URL is the key: no relation to the booking is needed
    for url, summary in ((worker_feed, "Visit: Grace"), (person_feed, "Visit: Test")):
        response = await stranger.get(url)
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith("text/calendar")
        text = response.text
        assert f"UID:booking-{booking['id']}@slivers" in text
        assert "DTSTART:20261202T100000Z" in text
        assert summary in text
        assert "Example Road" not in text
    assert_problem(await stranger.post(f"/api/v1/persons/{booking['person_id']}/calendar-feed"), 404)
    assert (await worker.delete("/api/v1/workers/me/calendar-feed")).status_code == 204
    assert_problem(await stranger.get(worker_feed), 404)
    assert (await stranger.get(person_feed)).status_code == 200


async def test_cover_goes_to_the_persons_reserve_before_the_wider_pool(market: Market) -> None:
    worker = await market.worker()
    pool = await market.worker(hourly_rate_pence=1400)
    reserve = await market.worker(hourly_rate_pence=1600)  # ranks after `pool` on rate alone
    carer, person = await market.carer()
    stranger, _ = await market.carer()
    body = {"worker_ids": [reserve.user["worker_id"]]}
    assert (await stranger.put(f"/api/v1/persons/{person}/reserve", json=body)).status_code == 404
    unknown = await carer.put(f"/api/v1/persons/{person}/reserve", json={"worker_ids": [str(uuid.uuid4())]})
    assert_problem(unknown, 400, field="worker_ids", rule="unknown_worker")
    saved = await carer.put(f"/api/v1/persons/{person}/reserve", json=body)
    assert saved.status_code == 200, saved.text
    assert saved.json()["worker_ids"] == body["worker_ids"]
    request = await market.request(carer, person)
    booking = await market.book(carer, request, worker)
    await worker.post(f"/api/v1/bookings/{booking['id']}/accept")
    await worker.post(f"/api/v1/bookings/{booking['id']}/cancel", json={"reason": "ill"})

    assert await run_once(market.app.state.wiring, JOB["market.offer_cover"]) == 1

    assert [o["is_cover"] for o in (await reserve.get("/api/v1/bookings")).json()] == [True]
    assert (await pool.get("/api/v1/bookings")).json() == []
