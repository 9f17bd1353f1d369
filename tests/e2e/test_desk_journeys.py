"""The coordinator's desk in a browser, with a mouse, keyboard-only and at 320 px: asking for a matching
run, reading what it found once the scheduler's sweep has solved it, and sending the offers."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from playwright.sync_api import Page, expect

from tests.e2e.browser import MODES, Ui
from tests.e2e.market import (
    Coordinator,
    at,
    carer_with_person,
    london_now,
    need,
    profile_body,
    run_sweep,
    vetted_worker,
)
from tests.e2e.test_journeys import sign_in, status_message


def test_coordinator_runs_matching_and_sends_the_offers(
    ui: Ui, page: Page, server: dict[str, Any], coordinator: Coordinator, mode: str
) -> None:
    # A day of its own per mode, three weeks out, where only this test's worker is free.
    day = london_now().date() + timedelta(days=20 + MODES.index(mode))
    name = f"Mia{mode.capitalize()}"
    cooking = ("companionship", "meal_preparation")
    worker, _, _ = vetted_worker(
        server, coordinator, f"{name} Shaw", free=(at(day, 9), at(day, 17)), tasks=cooking
    )
    carer, _, person_id = carer_with_person(server, "Ann Lowe", "Ted Lowe")
    need(carer, person_id, at(day, 10), at(day, 12))
    need(carer, person_id, at(day, 10, 30), at(day, 11, 30))  # at the same time: she cannot do both
    need(carer, person_id, at(day, 14), at(day, 15), tasks=("meal_preparation",))
    # She stops cooking after the meal was asked for, so nobody can take it. (Asking for help that no
    # worker offers at all is a 500 in the market today: `rank_slot` steps a range by zero.)
    worker.put("/api/v1/workers/me", json=profile_body("volunteer", ("companionship",))).raise_for_status()

    ui.open("/sign-in")
    sign_in(ui, coordinator.email)
    ui.follow("Coordinator's desk")
    ui.follow("Run matching")
    expect(page.get_by_label("Fill as many visits as we can")).to_be_checked()
    ui.fill("How many days", "40")
    ui.press("Run matching")
    expect(page.get_by_role("alert")).to_contain_text("Enter a number of days from 1 to 28.")
    expect(page.get_by_label("How many days", exact=True)).to_have_attribute("aria-invalid", "true")
    ui.check("matching-error")

    ui.fill("First day", f"{day.day}/{day.month}/{day.year}")
    ui.fill("How many days", "1")
    ui.fill("Postcode districts (optional)", "sg1")
    ui.press("Run matching")
    assert "waiting to run" in status_message(page)
    expect(page.locator(".status-tag")).to_have_text("Waiting to run")
    expect(page.get_by_role("button", name="Send these offers")).to_have_count(0)
    ui.check("run-waiting")

    assert run_sweep(server, "matching.solve_queued_runs") >= 1  # what `slivers scheduler` does
    ui.follow("Check again")
    expect(page.locator(".status-tag")).to_have_text("Done")
    expect(page.get_by_text("1 visit filled, 2 could not be filled.")).to_be_visible()
    expect(page.get_by_role("table", name="Visits filled")).to_contain_text(name)
    expect(page.get_by_text("already busy at that time")).to_be_visible()
    expect(page.get_by_text("Nobody can take it")).to_be_visible()
    ui.check("run-done")

    ui.press("Send these offers")
    assert "1 offer sent" in status_message(page)
    expect(page.get_by_text(re.compile(r"^Offers sent at .*: 1\."))).to_be_visible()
    expect(page.get_by_role("button", name="Send these offers")).to_have_count(0)
    ui.check("offers-sent")
