"""The market's journeys in a browser, each with a mouse, keyboard-only and at 320 px: booking a sitter,
a worker's day, the coordinator's queue and approving a timesheet."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.e2e.accounts import PASSWORD, unique_email
from tests.e2e.browser import Ui
from tests.e2e.market import (
    Coordinator,
    act,
    at,
    carer_with_person,
    london_now,
    new_worker,
    next_weekday,
    offer,
    self_funded_budget,
    soon,
    submit_credentials,
    vetted_worker,
)
from tests.e2e.test_journeys import sign_in, status_message

THURSDAY = 3
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cf"
    "c0f01f0005000201a6f2ee8c0000000049454e44ae426082"
)


def test_carer_books_a_sitter_for_thursday_afternoon(
    ui: Ui, page: Page, server: dict[str, Any], coordinator: Coordinator, mode: str
) -> None:
    thursday = next_weekday(THURSDAY)
    sitter_name = f"Sita{mode.capitalize()}"
    sitter, _, _ = vetted_worker(
        server, coordinator, f"{sitter_name} Rao", free=(at(thursday, 13), at(thursday, 18))
    )

    ui.open("/sign-up")
    ui.tick("I look after someone")
    ui.fill("Your name", "Bea Carter")
    ui.fill("Email address", unique_email("bea"))
    ui.fill("Create a password", PASSWORD)
    ui.press("Create account")
    ui.fill("Name", "Tom Carter")
    ui.fill("Postcode where they live", "SG1 1AA")
    ui.press("Add this person")
    ui.follow("Book help")
    ui.check("book")

    ui.press("Find workers")  # nothing chosen yet: every problem is listed and tied to its field
    expect(page.get_by_role("alert")).to_contain_text("Choose what help is needed.")
    expect(page.locator("#date-error")).to_contain_text("Enter the date of the visit.")
    ui.check("book-errors")

    ui.tick("Company or a sitter (a carer's break)")
    ui.fill("Date", f"{thursday.day}/{thursday.month}/{thursday.year}")
    ui.fill("Start time", "2pm")
    ui.fill("End time", "17:00")
    expect(page.get_by_label("Postcode of the visit", exact=True)).to_have_value("SG1 1AA")
    ui.press("Find workers")
    expect(page.get_by_role("heading", level=1)).to_have_text("Who can come")
    card = page.get_by_role("listitem").filter(has=page.get_by_role("heading", name=sitter_name))
    expect(card).to_contain_text(re.compile(r"Vetted: enhanced DBS, \d{4}"))
    expect(card).to_contain_text("km from home")
    ui.check("workers")

    ui.press(f"Book {sitter_name}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Booking sent")
    assert f"Sent to {sitter_name}" in status_message(page)
    expect(page.get_by_text("What happens next")).to_be_visible()
    ui.check("booking-sent")

    booking_id = page.url.rsplit("/", 1)[1]
    act(sitter, booking_id, "accept")
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text("Booking confirmed")
    expect(page.get_by_text("Confirmed", exact=True)).to_be_visible()
    ui.check("booking-confirmed")
    ui.follow("Back to my bookings")
    expect(page.get_by_role("link", name=re.compile(r"Thursday .*, 2pm to 5pm"))).to_be_visible()
    ui.check("my-bookings")


def test_worker_posts_im_free_accepts_an_offer_checks_in_and_out(
    ui: Ui, page: Page, server: dict[str, Any], coordinator: Coordinator, mode: str
) -> None:
    name = f"Wes{mode.capitalize()}"
    _, email, worker_id = vetted_worker(server, coordinator, f"{name} Bell", min_notice_minutes=0)
    carer, _, person_id = carer_with_person(server, "Dee Moss", "Ray Moss")

    ui.open("/sign-in")
    sign_in(ui, email)
    ui.follow("Your day")
    ui.check("day")
    start = soon(15)
    free_from = london_now().replace(second=0, microsecond=0)
    ui.fill("From", "")  # an empty time is named on its field
    ui.press("Post that I'm free")
    expect(page.locator("#start_time-error")).to_contain_text("Enter the time you are free from.")
    ui.check("free-error")
    ui.tick(
        re.sub(
            r"\s+", " ", page.get_by_label(re.compile("^Today")).first.evaluate("e => e.labels[0].innerText")
        )
    )
    ui.fill("From", f"{free_from:%H:%M}")
    ui.fill("Until", f"{(free_from + timedelta(hours=3)):%H:%M}")
    ui.press("Post that I'm free")
    assert "You are free today" in status_message(page)
    ui.check("free-posted")

    booking_id = offer(carer, person_id, worker_id, start, start + timedelta(hours=1))
    page.reload()
    expect(page.get_by_text("Ray Moss, near SG1")).to_be_visible()
    ui.press(re.compile(r"^Accept: Ray Moss"))
    assert "Accepted" in status_message(page)
    expect(page.get_by_text("4 Orchard Road")).to_be_visible()  # the address, now it is confirmed
    ui.check("accepted")
    ui.press("Check in")
    assert "Checked in" in status_message(page)
    ui.fill("Visit notes (optional)", "We played cards.")
    ui.check("checked-in")
    ui.press("Check out")
    assert "Checked out" in status_message(page)
    expect(page.get_by_text("Finished: waiting for the timesheet to be approved")).to_be_visible()
    ui.check("checked-out")
    assert booking_id in page.url


def test_coordinator_verifies_a_credential_from_the_queue(
    ui: Ui, page: Page, server: dict[str, Any], coordinator: Coordinator, mode: str
) -> None:
    name = f"Val{mode.capitalize()}"
    worker, _, _ = new_worker(server, coordinator, f"{name} Penn")
    [credential_id] = submit_credentials(worker, "volunteer", only=("dbs_enhanced",))
    uploaded = worker.post(
        f"/api/v1/credentials/{credential_id}/evidence",
        files={"file": ("dbs.png", PNG, "image/png")},
        headers={"x-csrf-token": worker.headers["x-csrf-token"]},
    )
    assert uploaded.status_code == 201, uploaded.text

    ui.open("/sign-in")
    sign_in(ui, coordinator.email)
    ui.follow("Coordinator's desk")
    ui.check("queue")
    ui.follow(re.compile(f"^{name} Penn: "))
    evidence = page.get_by_role("link", name=re.compile("Open the evidence"))
    expect(evidence).to_be_visible()
    assert (
        httpx.get(
            server["base_url"] + evidence.get_attribute("href"),  # type: ignore[operator]
            cookies={c["name"]: c["value"] for c in page.context.cookies()},
        )
        .headers["content-type"]
        .startswith("image/png")
    )
    ui.check("credential")
    ui.press("Reject")
    expect(page.get_by_role("alert")).to_contain_text("Say why it is rejected")
    ui.check("reject-error")
    ui.press("Verify")
    assert "Verified: " in status_message(page)
    expect(page.get_by_role("link", name=re.compile(f"^{name} Penn: "))).to_have_count(0)
    ui.check("verified")


def test_person_approves_the_timesheet(
    ui: Ui, page: Page, server: dict[str, Any], coordinator: Coordinator, mode: str
) -> None:
    name = f"Pat{mode.capitalize()}"
    start = soon(15)
    worker, _, worker_id = vetted_worker(
        server,
        coordinator,
        f"{name} Quinn",
        kind="paid",
        free=(start - timedelta(minutes=30), start + timedelta(hours=2)),
        min_notice_minutes=0,
    )
    me, email, person_id = carer_with_person(server, "Una Reid", "Una Reid", account_type="service_user")
    budget_id = self_funded_budget(me, person_id, 20_000)
    booking_id = offer(me, person_id, worker_id, start, start + timedelta(hours=1), budget_id=budget_id)
    act(worker, booking_id, "accept")
    act(worker, booking_id, "check-in")
    act(worker, booking_id, "check-out", {"visit_notes": "All well."})

    ui.open("/sign-in")
    sign_in(ui, email)
    ui.follow("My bookings")
    expect(page.get_by_role("heading", name="Timesheets to approve")).to_be_visible()
    ui.check("bookings-to-approve")
    ui.follow(re.compile(r"^Today, "))
    expect(page.get_by_role("button", name="Approve timesheet")).to_be_visible()
    ui.check("timesheet")
    ui.press("Approve timesheet")
    assert "Timesheet approved" in status_message(page)
    expect(page.get_by_text("Timesheet approved", exact=True)).to_be_visible()
    ui.check("approved")
    assert budget_id


@pytest.mark.parametrize("mode", ["mouse"])
def test_nobody_sees_someone_elses_booking(
    ui: Ui, page: Page, server: dict[str, Any], coordinator: Coordinator
) -> None:
    thursday = next_weekday(THURSDAY)
    _, _, worker_id = vetted_worker(
        server, coordinator, "Xan Other", free=(at(thursday, 9), at(thursday, 12))
    )
    owner, _, person_id = carer_with_person(server, "Olu Owner", "Private Person")
    booking_id = offer(owner, person_id, worker_id, at(thursday, 10), at(thursday, 11))
    _, stranger_email, _ = carer_with_person(server, "Sam Stranger", "Someone Else")
    ui.open("/sign-in")
    sign_in(ui, stranger_email)
    status = ui.open(f"/bookings/{booking_id}")
    assert status in (403, 404)
    expect(page.get_by_text("Private Person")).to_have_count(0)
    ui.check("booking-refused")
    assert ui.open(f"/bookings/{booking_id}/cancel") in (403, 404)
