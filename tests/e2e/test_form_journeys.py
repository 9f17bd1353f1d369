"""Journeys through the forms the page tour only looks at, each with a mouse, keyboard-only and at
320 px: a worker changing their profile, a volunteer claiming expenses that a coordinator then decides,
and a circle member disputing a finished visit that a coordinator then settles.

Each journey tries a bad answer first: the error is named in the summary and on its field, what was
typed is still there, and nothing was saved. Then it checks what the page shows afterwards and what the
server saved (through the API, or the server's database where no API reads it)."""

from __future__ import annotations

import hashlib
import re
import uuid
from datetime import timedelta
from typing import Any

from playwright.sync_api import Page, expect

from tests.e2e.browser import Ui
from tests.e2e.market import (
    Coordinator,
    act,
    carer_with_person,
    offer,
    saved_rows,
    self_funded_budget,
    soon,
    vetted_worker,
)
from tests.e2e.test_journeys import sign_in, status_message
from tests.e2e.test_market_journeys import PNG

LONG_REASON = " ".join(["She arrived late and left early, and the timesheet says otherwise."] * 31)  # > 2,000


def expect_error_on(page: Page, label: str, message: str) -> None:
    """The message is in the summary (which has the focus) and tied to the field, marked invalid."""
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text(message)
    expect(summary).to_be_focused()
    field = page.get_by_label(label, exact=True)
    expect(field).to_have_attribute("aria-invalid", "true")
    error_id = field.get_attribute("id")
    expect(page.locator(f"#{error_id}-error")).to_contain_text(message)
    expect(field).to_have_attribute("aria-describedby", re.compile(rf"\b{error_id}-error\b"))


def sign_out(ui: Ui) -> None:
    ui.press("Sign out")
    assert "You have signed out." in status_message(ui.page)
    ui.open("/sign-in")


def test_worker_changes_their_profile(
    ui: Ui, page: Page, server: dict[str, Any], coordinator: Coordinator, mode: str
) -> None:
    name = f"Ros{mode.capitalize()}"
    worker, email, _ = vetted_worker(server, coordinator, f"{name} Hale", kind="paid")
    before = worker.get("/api/v1/workers/me").json()
    assert (before["hourly_rate_pence"], before["home_postcode"]) == (1500, "SG1 2AA")

    ui.open("/sign-in")
    sign_in(ui, email)
    ui.follow("Your day")
    ui.follow(re.compile("^Your profile"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your profile")
    expect(page.get_by_text("£15.00 an hour")).to_be_visible()
    ui.check("profile")

    ui.fill("Postcode you start from", "SG2 7AA")
    ui.fill("How far will you travel, in km?", "10")
    ui.tick("Making a meal", group="What help do you offer?")
    ui.untick("Light housework", group="What help do you offer?")
    ui.fill("Your hourly rate, in pounds", "9.50")  # below the National Living Wage
    ui.choose("Longest visit you take", "3 hours")
    ui.tick("On: confirm bookings straight away", group="Instant booking")
    ui.fill("Languages you speak (optional)", "English, Welsh")
    ui.press("Save your profile")
    expect_error_on(page, "Your hourly rate, in pounds", "at least the National Living Wage")
    assert page.title().startswith("Error: ")
    # Everything typed is still there, and nothing was saved.
    expect(page.get_by_label("Postcode you start from", exact=True)).to_have_value("SG2 7AA")
    expect(page.get_by_label("How far will you travel, in km?", exact=True)).to_have_value("10")
    expect(page.get_by_label("Making a meal", exact=True)).to_be_checked()
    expect(page.get_by_label("Light housework", exact=True)).not_to_be_checked()
    expect(page.get_by_label("Your hourly rate, in pounds", exact=True)).to_have_value("9.50")
    expect(page.get_by_label("Longest visit you take", exact=True)).to_have_value("180")
    expect(page.get_by_label("On: confirm bookings straight away", exact=True)).to_be_checked()
    expect(page.get_by_label("Languages you speak (optional)", exact=True)).to_have_value("English, Welsh")
    assert worker.get("/api/v1/workers/me").json() == before
    ui.check("profile-error")

    ui.fill("Your hourly rate, in pounds", "13.50")
    ui.press("Save your profile")
    assert "Your profile is saved." in status_message(page)
    summary = page.locator("dl.details")
    for shown in (
        "SG2 7AA",
        "Up to 10 km",
        "Company or sitting, going out together, making a meal",
        "£13.50 an hour",
        "30 minutes to 3 hours",
        "On: a booking is confirmed without asking you",
        "English, Welsh",
    ):
        expect(summary).to_contain_text(shown)
    ui.check("profile-saved")
    after = worker.get("/api/v1/workers/me").json()
    assert after["home_postcode"] == "SG2 7AA"
    assert after["max_travel_km"] == 10
    assert sorted(after["task_types"]) == ["companionship", "escort", "meal_preparation"]
    assert after["hourly_rate_pence"] == 1350
    assert after["max_visit_minutes"] == 180
    assert after["instant_book"] is True
    assert after["attributes"]["languages"] == ["english", "welsh"]


def test_volunteer_claims_expenses_and_a_coordinator_decides(
    ui: Ui, page: Page, server: dict[str, Any], coordinator: Coordinator, mode: str
) -> None:
    name = f"Vera{mode.capitalize()}"
    _, email, _ = vetted_worker(server, coordinator, f"{name} Lane")
    org = coordinator.organisation_id
    topped = coordinator.client.post(
        f"/api/v1/organisations/{org}/expenses-budget/top-ups",
        json={"amount_pence": 10_000, "reference": f"e2e-{uuid.uuid4().hex[:12]}"},
    )
    assert topped.status_code == 201, topped.text

    def claims() -> list[tuple[Any, ...]]:
        return saved_rows(
            server,
            "SELECT status, total_pence, rejection_reason, decided_by_id FROM expense_claims "
            "WHERE volunteer_user_id = (SELECT id FROM users WHERE email = ?) ORDER BY total_pence DESC",
            email,
        )

    ui.open("/sign-in")
    sign_in(ui, email)
    ui.follow("Your day")
    ui.follow(re.compile("^Claim expenses"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your expenses")
    ui.check("expenses")

    ui.fill("What was the journey for?", "To Tom's and back")
    ui.fill("Miles", "twelve")
    ui.press("Work out the amount")
    expect_error_on(page, "Miles", "Enter the miles as a number")
    expect(page.get_by_label("What was the journey for?", exact=True)).to_have_value("To Tom's and back")
    expect(page.get_by_label("Miles", exact=True)).to_have_value("twelve")
    ui.check("mileage-error")

    ui.fill("Miles", "12.5")
    ui.press("Work out the amount")
    assert "12.5 miles at 45p a mile comes to £5.63." in status_message(page)
    expect(page.locator("#mileage-amount")).to_contain_text("£5.63")
    assert claims() == []  # worked out, not yet sent
    ui.check("mileage-amount")
    ui.press("Send the claim")
    assert "Claim sent: £5.63." in status_message(page)

    ui.fill("What did you pay for?", "Bus fare to the day centre")
    ui.fill("Amount, in pounds", "4.50")
    ui.upload("Receipt", "ticket.png", "image/png", b"not really a picture of a ticket")
    ui.press("Send the claim with its receipt")
    expect_error_on(page, "Receipt", "The file is not a PDF, JPEG or PNG.")
    expect(page.get_by_label("What did you pay for?", exact=True)).to_have_value("Bus fare to the day centre")
    expect(page.get_by_label("Amount, in pounds", exact=True)).to_have_value("4.50")
    assert [row[:2] for row in claims()] == [("submitted", 563)]
    ui.check("receipt-error")

    ui.upload("Receipt", "ticket.png", "image/png", PNG)
    ui.press("Send the claim with its receipt")
    assert "Claim sent: £4.50." in status_message(page)
    mine = page.get_by_role("listitem").filter(has_text="Waiting for a coordinator")
    expect(mine).to_have_count(2)
    expect(page.get_by_text("Bus fare to the day centre (receipt attached): £4.50")).to_be_visible()
    expect(page.get_by_text("To Tom's and back: 12.5 miles at 45p a mile: £5.63")).to_be_visible()
    ui.check("claims-sent")
    assert [row[:2] for row in claims()] == [("submitted", 563), ("submitted", 450)]
    receipts = saved_rows(server, "SELECT sha256, content_type FROM expense_receipts")
    assert (hashlib.sha256(PNG).hexdigest(), "image/png") in receipts
    sign_out(ui)

    available = coordinator.client.get(f"/api/v1/organisations/{org}/expenses-budget").json()
    sign_in(ui, coordinator.email)
    ui.follow("Coordinator's desk")
    ui.follow("Expense claims")
    expect(page.get_by_role("heading", name=f"{name} Lane: £5.63")).to_be_visible()
    expect(page.get_by_role("heading", name=f"{name} Lane: £4.50")).to_be_visible()
    ui.check("desk-claims")
    ui.press(f"Approve £5.63 for {name} Lane")
    assert "Approved: £5.63 paid to the volunteer." in status_message(page)
    expect(page.get_by_role("heading", name=f"{name} Lane: £5.63")).to_have_count(0)

    ui.press(f"Reject £4.50 for {name} Lane")
    reason = f"Reason, if you reject it: £4.50 for {name} Lane"
    expect_error_on(page, reason, "Say why, so the volunteer knows what to change.")
    expect(page.get_by_role("alert")).to_contain_text(f"{name} Lane, £4.50: Say why")  # which claim
    assert [row[0] for row in claims()] == ["approved", "submitted"]
    ui.check("reject-error")
    ui.fill(reason, "The ticket is dated last year.")
    ui.press(f"Reject £4.50 for {name} Lane")
    assert "Rejected. The volunteer sees your reason." in status_message(page)
    expect(page.get_by_role("heading", name=re.compile(f"^{name} Lane: "))).to_have_count(0)
    ui.check("decided")

    approved, rejected = claims()
    assert approved[0] == "approved"
    assert approved[3] is not None
    assert rejected[:3] == ("rejected", 450, "The ticket is dated last year.")
    now = coordinator.client.get(f"/api/v1/organisations/{org}/expenses-budget").json()
    assert now["available_pence"] == available["available_pence"] - 563


def test_circle_member_disputes_a_visit_and_a_coordinator_settles_it(
    ui: Ui, page: Page, server: dict[str, Any], coordinator: Coordinator, mode: str
) -> None:
    name = f"Kit{mode.capitalize()}"
    start = soon(15)
    worker, _, worker_id = vetted_worker(
        server,
        coordinator,
        f"{name} Moss",
        kind="paid",
        free=(start - timedelta(minutes=30), start + timedelta(hours=2)),
        min_notice_minutes=0,
    )
    carer, email, person_id = carer_with_person(server, "Jo Finch", f"Alf {mode.capitalize()} Finch")
    person = f"Alf {mode.capitalize()} Finch"
    budget_id = self_funded_budget(carer, person_id, 20_000)
    booking_id = offer(carer, person_id, worker_id, start, start + timedelta(hours=1), budget_id=budget_id)
    for action in ("accept", "check-in", "check-out"):
        act(worker, booking_id, action)

    ui.open("/sign-in")
    sign_in(ui, email)
    ui.follow("My bookings")
    expect(page.get_by_role("heading", name="Timesheets to approve")).to_be_visible()
    ui.follow(re.compile(r"^Today, "))
    ui.follow("Dispute timesheet")
    expect(page.get_by_role("heading", level=1)).to_have_text("Dispute the timesheet")
    ui.check("dispute")

    ui.fill("What is wrong with the timesheet?", LONG_REASON, paste=True)
    ui.press("Send the dispute")
    expect_error_on(page, "What is wrong with the timesheet?", "Keep the reason under 2,000 characters.")
    expect(page.get_by_label("What is wrong with the timesheet?", exact=True)).to_have_value(LONG_REASON)
    assert carer.get(f"/api/v1/bookings/{booking_id}").json()["status"] == "completed"
    ui.check("dispute-error")

    said = f"{name} left after twenty minutes, not an hour."
    ui.fill("What is wrong with the timesheet?", said)
    ui.press("Send the dispute")
    assert "Timesheet disputed. A coordinator will be in touch." in status_message(page)
    expect(page.locator(".status-tag")).to_have_text("Timesheet disputed: a coordinator will look at it")
    expect(page.get_by_text(said)).to_be_visible()
    expect(page.get_by_role("button", name="Approve timesheet")).to_have_count(0)
    ui.check("disputed")
    saved = carer.get(f"/api/v1/bookings/{booking_id}").json()
    assert (saved["status"], saved["ended_reason"]) == ("disputed", said)
    sign_out(ui)

    sign_in(ui, coordinator.email)
    ui.follow("Coordinator's desk")
    ui.follow("Disputed timesheets")
    listed = page.get_by_role("listitem").filter(
        has=page.get_by_role("link", name=re.compile(f"^{name} for "))
    )
    expect(listed).to_contain_text(f"What is said to be wrong: {said}")
    ui.check("disputes")
    ui.follow(re.compile(f"^{name} for {person}: "))
    expect(page.get_by_role("heading", level=1)).to_have_text("Settle a disputed timesheet")
    expect(page.locator("dl.details")).to_contain_text(said)
    ui.press("Settle the dispute")
    expect(page.get_by_role("alert")).to_contain_text("Choose whether to approve the timesheet or cancel")
    expect_error_on(page, "Reason", "Say why you settled it this way.")
    assert carer.get(f"/api/v1/bookings/{booking_id}").json()["status"] == "disputed"
    ui.check("settle-error")

    ui.tick("Cancel the visit", group="How do you settle it?")
    ui.fill("Reason", "The key safe log shows a 20-minute visit.")
    ui.press("Settle the dispute")
    assert f"Settled. {name}'s timesheet is cancelled: nothing is paid." in status_message(page)
    expect(page.get_by_role("link", name=re.compile(f"^{name} for "))).to_have_count(0)
    ui.check("settled")
    settled = carer.get(f"/api/v1/bookings/{booking_id}").json()
    assert settled["status"] == "cancelled"
    budget = carer.get(f"/api/v1/budgets/{budget_id}").json()
    assert budget["available_pence"] == 20_000  # the hold went back
