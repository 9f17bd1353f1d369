"""Desk pages through the test client: matching runs (asked for, solved by the scheduler's sweep, read
in words, offers sent), for the organisation's coordinators only."""

from __future__ import annotations

import re

from slivers.jobs.registry import all_jobs, run_once
from tests.integration.market.conftest import Market
from tests.integration.web.test_pages import post_form

SOLVE = next(job for job in all_jobs() if job.id == "matching.solve_queued_runs")


async def test_a_matching_run_from_the_desk(market: Market) -> None:
    coordinator = await market.coordinator()
    worker = await market.worker()
    for start, end in (("10:00", "12:00"), ("10:30", "11:30")):
        carer, person_id = await market.carer()
        await market.request(carer, person_id, start=f"2026-12-02T{start}:00Z", end=f"2026-12-02T{end}:00Z")

    form = await coordinator.get("/desk/matching")
    assert form.status_code == 200
    assert 'value="fill" checked' in form.text
    refused = await post_form(
        coordinator,
        "/desk/matching",
        {"organisation_id": market.organisation_id, "from_date": "2/12/2026", "days": "0", "mode": "fill"},
    )
    assert refused.status_code == 400  # type: ignore[attr-defined]
    assert 'id="days-error"' in refused.text  # type: ignore[attr-defined]
    bad_area = await post_form(
        coordinator,
        "/desk/matching",
        {
            "organisation_id": market.organisation_id,
            "from_date": "2/12/2026",
            "days": "1",
            "districts": "SG1 nowhere!",
            "mode": "fill",
        },
    )
    assert bad_area.status_code == 400  # type: ignore[attr-defined]
    assert 'href="#districts"' in bad_area.text  # type: ignore[attr-defined]

    queued = await post_form(
        coordinator,
        "/desk/matching",
        {
            "organisation_id": market.organisation_id,
            "from_date": "2/12/2026",
            "days": "1",
            "districts": "sg1, SG2",
            "mode": "min_faces",
        },
    )
    assert queued.status_code == 303  # type: ignore[attr-defined]
    run_page = queued.headers["location"]  # type: ignore[attr-defined]
    waiting = await coordinator.get(run_page)
    assert "Waiting to run" in waiting.text
    assert "SG1, SG2" in waiting.text
    assert "Send these offers" not in waiting.text

    assert await run_once(market.app.state.wiring, SOLVE) == 1
    done = await coordinator.get(run_page)
    assert "Done" in done.text
    assert "1 visit filled, 1 could not be filled." in done.text
    assert "already busy at that time" in done.text
    assert worker.user["display_name"].split()[0] in done.text or "Visits filled" in done.text
    sent = await post_form(coordinator, f"{run_page}/apply", {})
    assert sent.status_code == 303  # type: ignore[attr-defined]
    after = await coordinator.get(run_page)
    assert re.search(r"1 offer sent", after.text)
    again = await post_form(coordinator, f"{run_page}/apply", {})
    assert "already sent" in (await coordinator.get(again.headers["location"])).text  # type: ignore[attr-defined]

    stranger, _ = await market.carer()
    assert (await stranger.get("/desk/matching")).status_code == 403
    assert (await stranger.get(run_page)).status_code == 403
