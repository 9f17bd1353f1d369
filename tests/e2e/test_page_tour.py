"""A tour of the pages that journeys do not pass through: each page in each mode (mouse, keyboard, 320 px)
gets axe, the page checks every journey makes, a keyboard walk (keyboard mode) and a screenshot.

Quick by design: the data is made once through the JSON API, and each role has one signed-in browser
context per mode (the API client's session cookie), reused for every stop."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.browser import FOCUS_IS_VISIBLE, MODES, Ui
from tests.e2e.market import (
    Coordinator,
    act,
    add_free,
    at,
    carer_with_person,
    need,
    next_weekday,
    offer,
    self_funded_budget,
    soon,
    vetted_worker,
)

THURSDAY = 3
MAX_STOPS = 60  # Tab presses per page in keyboard mode: enough to pass the header into the main content


@dataclass
class Scene:
    clients: dict[str, httpx.Client]  # role -> a signed-in API client
    ids: dict[str, str]


@dataclass(frozen=True)
class Stop:
    name: str
    role: str
    path: Callable[[Scene], str]
    heading: str
    says: str = ""  # words the page must show


STOPS = [
    Stop("pattern", "volunteer", lambda s: "/work/availability", "When you are free"),
    Stop("credentials", "volunteer", lambda s: "/work/credentials", "Your checks and training"),
    Stop("profile", "paid", lambda s: "/work/profile", "Your profile"),
    Stop("expenses", "volunteer", lambda s: "/work/expenses", "Your expenses"),
    Stop("workers", "coordinator", lambda s: "/desk/workers", "Workers"),
    Stop("worker", "coordinator", lambda s: f"/desk/workers/{s.ids['volunteer']}", "Vic Tour"),
    Stop("demand", "coordinator", lambda s: "/desk/demand", "Unmet demand"),
    Stop("cancel", "carer", lambda s: f"/bookings/{s.ids['coming']}/cancel", "Cancel this visit?"),
    Stop("finished", "carer", lambda s: f"/bookings/{s.ids['finished']}", "Visit", says="Who came"),
    Stop("dispute", "carer", lambda s: f"/bookings/{s.ids['finished']}/dispute", "Dispute the timesheet"),
    Stop("disputes", "coordinator", lambda s: "/desk/disputes", "Disputed timesheets"),
    Stop(
        "settle",
        "coordinator",
        lambda s: f"/desk/disputes/{s.ids['disputed']}",
        "Settle a disputed timesheet",
    ),
    Stop("desk-expenses", "coordinator", lambda s: "/desk/expenses", "Expense claims"),
    Stop("budgets", "carer", lambda s: f"/people/{s.ids['person']}/budgets", "Budgets for Nell Tour"),
    Stop("statement", "carer", lambda s: f"/budgets/{s.ids['budget']}/statement", "Budget statement"),
]


@pytest.fixture(scope="module")
def scene(server: dict[str, Any], coordinator: Coordinator) -> Scene:
    """A volunteer with a pattern, a paid worker with a finished visit and one next Thursday, a carer
    with a funded person, and an open visit nobody has taken."""
    thursday = next_weekday(THURSDAY)
    start = soon(15)
    volunteer, _, volunteer_id = vetted_worker(
        server, coordinator, "Vic Tour", free=(at(thursday, 9), at(thursday, 12)), min_notice_minutes=0
    )
    add_free(volunteer, start - timedelta(minutes=30), start + timedelta(hours=2))
    paid, _, paid_id = vetted_worker(
        server,
        coordinator,
        "Pam Tour",
        kind="paid",
        free=(start - timedelta(minutes=30), start + timedelta(hours=2)),
        min_notice_minutes=0,
    )
    paid.post(
        "/api/v1/workers/me/availability",
        json={"kind": "window", "start": at(thursday, 13).isoformat(), "end": at(thursday, 17).isoformat()},
    ).raise_for_status()
    carer, _, person_id = carer_with_person(server, "Rob Tour", "Nell Tour")
    budget_id = self_funded_budget(carer, person_id, 50_000)
    finished = offer(carer, person_id, paid_id, start, start + timedelta(hours=1), budget_id=budget_id)
    act(paid, finished, "accept")
    act(paid, finished, "check-in")
    act(paid, finished, "check-out", {"visit_notes": "Tea and a walk."})
    disputed = offer(carer, person_id, volunteer_id, start, start + timedelta(hours=1))
    for action in ("accept", "check-in", "check-out"):
        act(volunteer, disputed, action)
    act(carer, disputed, "dispute", {"reason": "Vic left after ten minutes."})
    coming = offer(carer, person_id, paid_id, at(thursday, 14), at(thursday, 15), budget_id=budget_id)
    act(paid, coming, "accept")
    claim = {"kind": "mileage", "description": "To Nell's and back", "miles": "8.5"}
    volunteer.post(
        "/api/v1/expense-claims", json={"organisation_id": coordinator.organisation_id, "items": [claim]}
    ).raise_for_status()
    need(carer, person_id, at(thursday, 10), at(thursday, 11))  # unmet demand: asked, nobody offered yet
    return Scene(
        clients={"volunteer": volunteer, "coordinator": coordinator.client, "carer": carer, "paid": paid},
        ids={
            "volunteer": volunteer_id,
            "paid": paid_id,
            "person": person_id,
            "budget": budget_id,
            "finished": finished,
            "coming": coming,
            "disputed": disputed,
        },
    )


@pytest.fixture(scope="module")
def signed_in(browser: Browser, server: dict[str, Any], scene: Scene) -> Iterator[Callable[[str, str], Page]]:
    """One page per (mode, role), signed in with the role's API session, made on first use."""
    pages: dict[tuple[str, str], Page] = {}

    def page_for(mode: str, role: str) -> Page:
        if (mode, role) not in pages:
            viewport = {"width": 320, "height": 640} if mode == "narrow" else {"width": 1280, "height": 800}
            context = browser.new_context(base_url=server["base_url"], viewport=viewport, locale="en-GB")  # type: ignore[arg-type]
            context.set_default_timeout(10_000)
            client = scene.clients[role]
            context.add_cookies(
                [
                    {"name": name, "value": value, "url": server["base_url"]}
                    for name, value in client.cookies.items()
                ]
            )
            pages[(mode, role)] = context.new_page()
        return pages[(mode, role)]

    yield page_for
    for page in pages.values():
        page.context.close()


def walk_with_the_keyboard(page: Page) -> None:
    """Tab from the top: every stop shows where the focus is, and the focus reaches the main content."""
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0) }")
    reached_main = False
    for _ in range(MAX_STOPS):
        page.keyboard.press("Tab")
        focused = page.evaluate_handle("() => document.activeElement")
        if page.evaluate("el => el === document.body", focused):
            break
        assert page.evaluate(FOCUS_IS_VISIBLE, focused), (
            f"the focus is not visible on {page.evaluate('el => el.outerHTML.slice(0, 120)', focused)}"
        )
        if page.evaluate("el => !!el.closest('main') && el.tagName !== 'MAIN'", focused):
            reached_main = True
            break
    assert reached_main, "the keyboard never reaches the main content"


@pytest.mark.parametrize("stop", STOPS, ids=[s.name for s in STOPS])
@pytest.mark.parametrize("mode", MODES)
def test_page_tour(
    stop: Stop, mode: str, scene: Scene, signed_in: Callable[[str, str], Page], axe_source: str
) -> None:
    page = signed_in(mode, stop.role)
    ui = Ui(page, mode, axe_source, test_name="test_page_tour")
    ui.shots = STOPS.index(stop)
    assert ui.open(stop.path(scene)) == 200
    expect(page.get_by_role("heading", level=1)).to_have_text(stop.heading)
    if stop.says:
        expect(page.get_by_text(stop.says, exact=True)).to_be_visible()
    if ui.keyboard:
        walk_with_the_keyboard(page)
    ui.check(stop.name)
