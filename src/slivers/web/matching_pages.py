"""Matching runs on the coordinator's desk: ask for a run (when, where, what to aim for), watch it wait
and run, read what it found in plain words, and send the offers. The matching service queues and
applies; the scheduler's sweep solves, never this web process."""

from __future__ import annotations

import re
import uuid
from datetime import date, datetime, timedelta
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath

from slivers.accounts.actor import Actor
from slivers.clock import Clock, to_london
from slivers.errors import DomainError
from slivers.http.forms import Form, build, read_form, whole_number
from slivers.http.rendering import redirect, render
from slivers.matching.deps import provide_matching, provide_matching_listing
from slivers.matching.listing import MatchingListing, VisitPlace
from slivers.matching.models import MatchingRun
from slivers.matching.schemas import MAX_HORIZON, MatchingRunCreate
from slivers.matching.service import MatchingService
from slivers.web.desk_pages import require_coordinator
from slivers.web.words import day_words, london_instant, moment_words, parse_date, when_words

RUN_FIELDS = ("organisation_id", "from_date", "days", "districts", "mode")
MODE_CHOICES = [
    ("fill", "Fill as many visits as we can", "Longest-waiting and most urgent visits first."),
    ("min_workers", "Cover the visits with as few workers as we can", None),
    ("min_faces", "Fewest different faces for each person", "Good for people who find new faces hard."),
]
MODE_WORDS = {value: text for value, text, _ in MODE_CHOICES}
STATUS_WORDS = {
    "queued": "Waiting to run",
    "running": "Running",
    "done": "Done",
    "failed": "Did not finish",
}
REASON_WORDS = {
    "no_eligible_worker": (
        "Nobody can take it: no vetted worker who offers this help is free then and near enough."
    ),
    "eligible_workers_busy": "The workers who could take it are already busy at that time.",
    "caps_reached": "The workers who could take it have reached the hours they set for a day or a week.",
}
RUN_MESSAGES = {
    "districts": "Enter postcode districts like SG1 or SG1 SG2, or leave it empty for everywhere.",
    "mode": "Choose what to aim for.",
    "organisation_id": "Choose the organisation whose workers are matched.",
}
RECENT_RUNS = 5
_SPLIT = re.compile(r"[\s,;]+")


def visit_words(places: dict[str, VisitPlace], today: date) -> dict[str, dict[str, Any]]:
    """When and where each visit a run names is, as the page says it."""
    return {
        key: {"when": when_words(place.start, place.end, today), "area": place.district, "start": place.start}
        for key, place in places.items()
    }


def run_view(run: MatchingRun, visits: dict[str, dict[str, Any]], names: dict[str, str]) -> dict[str, Any]:
    """The run as the page says it: status, what was filled and by whom, what was not and why."""
    far_future = datetime.max.replace(tzinfo=run.horizon_start.tzinfo)
    filled = sorted(
        (
            {
                "when": visits.get(key, {}).get("when", "A visit no longer listed"),
                "area": visits.get(key, {}).get("area", ""),
                "who": ", ".join(names.get(w, "a worker") for w in workers),
                "start": visits.get(key, {}).get("start", far_future),
            }
            for key, workers in run.assignments.items()
        ),
        key=lambda row: row["start"],
    )
    unfilled = sorted(
        (
            {
                "when": visits.get(key, {}).get("when", "A visit no longer listed"),
                "area": visits.get(key, {}).get("area", ""),
                "why": REASON_WORDS.get(str(why.get("reason")), "No reason was given."),
                "start": visits.get(key, {}).get("start", far_future),
            }
            for key, why in run.unfilled.items()
        ),
        key=lambda row: row["start"],
    )
    first_day = to_london(run.horizon_start).date()
    last_day = to_london(run.horizon_end - timedelta(seconds=1)).date()
    horizon = (
        day_words(first_day) if last_day == first_day else f"{day_words(first_day)} to {day_words(last_day)}"
    )
    return {
        "run": run,
        "status": STATUS_WORDS.get(run.status, run.status),
        "mode": MODE_WORDS.get(run.mode, run.mode),
        "horizon": horizon,
        "areas": ", ".join(run.districts) if run.districts else "Everywhere",
        "filled": filled,
        "unfilled": unfilled,
        "asked": moment_words(run.created_at),
        "applied": moment_words(run.applied_at) if run.applied_at else None,
    }


class MatchingPages(Controller):
    path = "/desk/matching"
    tags = ["pages"]
    include_in_schema = False
    dependencies = {
        "matching": Provide(provide_matching, sync_to_thread=False),
        "listing": Provide(provide_matching_listing, sync_to_thread=False),
    }

    async def _form_page(
        self,
        request: Request[Any, Any, Any],
        actor: Actor,
        listing: MatchingListing,
        clock: Clock,
        *,
        form: Form | None = None,
        status: int = 200,
    ) -> Response[Any]:
        organisations = await listing.coordinated_organisations(actor)
        tomorrow = to_london(clock.now()).date() + timedelta(days=1)
        default = Form(
            fields=RUN_FIELDS,
            values={
                "organisation_id": organisations[0][0] if organisations else "",
                "from_date": f"{tomorrow.day}/{tomorrow.month}/{tomorrow.year}",
                "days": "7",
                "districts": "",
                "mode": "fill",
            },
        )
        default.anchors["mode"] = "mode"
        recent = await listing.recent_runs(actor, RECENT_RUNS)
        return render(
            request,
            "desk/matching.html",
            actor=actor,
            form=form or default,
            status=status,
            context={
                "recent": [
                    {
                        "id": run.id,
                        "asked": moment_words(run.created_at),
                        "status": STATUS_WORDS.get(run.status, run.status),
                        "filled": len(run.assignments),
                        "unfilled": len(run.unfilled),
                        "done": run.status == "done",
                    }
                    for run in recent
                ],
                "organisations": organisations,
                "modes": MODE_CHOICES,
                "max_days": MAX_HORIZON.days,
            },
        )

    @get("/", operation_id="pageMatchingNew")
    async def new_run(
        self,
        request: Request[Any, Any, Any],
        actor: NamedDependency[Actor],
        listing: NamedDependency[MatchingListing],
        clock: NamedDependency[Clock],
    ) -> Response[Any]:
        """Ask for a matching run: from when, for how many days, where, and what to aim for."""
        require_coordinator(actor)
        return await self._form_page(request, actor, listing, clock)

    @post("/", operation_id="pageMatchingQueue")
    async def queue(
        self,
        request: Request[Any, Any, Any],
        actor: NamedDependency[Actor],
        matching: NamedDependency[MatchingService],
        listing: NamedDependency[MatchingListing],
        clock: NamedDependency[Clock],
    ) -> Response[Any]:
        """Queue the run; the scheduler solves it."""
        require_coordinator(actor)
        form = await read_form(request, RUN_FIELDS)
        form.anchors["mode"] = "mode"
        first = parse_date(form.value("from_date"))
        if first is None:
            form.add_error("from_date", "Enter the first day, like 1/12/2026.")
        elif first < to_london(clock.now()).date():
            form.add_error("from_date", "The first day must be today or later.")
        days = whole_number(form.value("days")) or 0
        if not 1 <= days <= MAX_HORIZON.days:
            form.add_error("days", f"Enter a number of days from 1 to {MAX_HORIZON.days}.")
        districts = [d.upper() for d in _SPLIT.split(form.value("districts")) if d]
        if form.value("mode") not in MODE_WORDS:
            form.add_error("mode", RUN_MESSAGES["mode"])
        data = None
        if form.ok and first is not None:
            start = london_instant(first, datetime.min.time())
            end = london_instant(first + timedelta(days=days), datetime.min.time())
            data = build(
                MatchingRunCreate,
                {
                    "organisation_id": form.value("organisation_id"),
                    "horizon_start": start,
                    "horizon_end": end,
                    "districts": districts,
                    "mode": form.value("mode"),
                },
                form,
                RUN_MESSAGES,
            )
        if data is not None:
            try:
                run = await matching.queue(actor, data)
            except DomainError as error:
                form.add_domain_error(error)
            else:
                return redirect(
                    request, f"/desk/matching/{run.id}", "Matching run asked for. It is waiting to run."
                )
        return await self._form_page(request, actor, listing, clock, form=form, status=400)

    @get("/{run_id:uuid}", operation_id="pageMatchingRun")
    async def show(
        self,
        request: Request[Any, Any, Any],
        run_id: FromPath[uuid.UUID],
        actor: NamedDependency[Actor],
        matching: NamedDependency[MatchingService],
        listing: NamedDependency[MatchingListing],
        clock: NamedDependency[Clock],
    ) -> Response[Any]:
        """A run: its status and, once done, what it filled, what it could not and why."""
        require_coordinator(actor)
        run = await matching.visible(actor, run_id)
        today = to_london(clock.now()).date()
        visits = visit_words(await listing.visits([*run.assignments, *run.unfilled]), today)
        names = await listing.worker_names(run.assignments)
        return render(request, "desk/matching_run.html", actor=actor, context=run_view(run, visits, names))

    @post("/{run_id:uuid}/apply", operation_id="pageMatchingApply")
    async def apply(
        self,
        request: Request[Any, Any, Any],
        run_id: FromPath[uuid.UUID],
        actor: NamedDependency[Actor],
        matching: NamedDependency[MatchingService],
    ) -> Response[Any]:
        """Send the run's offers to the workers."""
        require_coordinator(actor)
        run = await matching.visible(actor, run_id)
        back = f"/desk/matching/{run_id}"
        try:
            done = await matching.apply(actor, run)
        except DomainError as error:
            return redirect(request, back, error.detail, kind="info")
        sent = done.offers_made
        return redirect(
            request,
            back,
            f"{sent} offer{'s' if sent != 1 else ''} sent. Each worker is asked to accept."
            if sent
            else "No offers could be sent: the visits were filled or the workers booked since the run.",
        )
