"""Booking help: what, for whom, when and where; then the vetted workers who can really come, each
with why they fit; then book one (or offer it to the best one). The services decide everything."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, QueryParameter

from slivers.accounts.actor import Actor
from slivers.accounts.deps import provide_person_service
from slivers.accounts.models import CirclePermission
from slivers.accounts.person_service import PersonService
from slivers.accounts.schemas import PersonRead
from slivers.clock import Clock, to_london
from slivers.errors import DomainError, InvalidInput
from slivers.http.forms import GENERAL, Form, build, read_form
from slivers.http.rendering import redirect, render
from slivers.market.booking.schemas import BookingCreate
from slivers.market.booking.service import BookingService
from slivers.market.candidates.schemas import CandidateRead
from slivers.market.candidates.service import CandidateService
from slivers.market.deps import provide_bookings, provide_candidates, provide_profiles, provide_requests
from slivers.market.requests.schemas import RequestCreate, RequestRead
from slivers.market.requests.service import RequestService
from slivers.market.rules.lifecycle import BookingState
from slivers.market.workers.service import ProfileService
from slivers.payments.budgets.service import BudgetService
from slivers.payments.deps import provide_budget_service
from slivers.web.words import (
    TASK_WORDS,
    day_words,
    parse_date,
    parse_time,
    pounds,
    slot_of,
    tasks_in_words,
    when_words,
)

BOOK_FIELDS = (
    "person_id",
    "task_types",
    "date",
    "start_time",
    "end_time",
    "weekly",
    "postcode",
    "budget_id",
)
BOOK_MESSAGES = {
    "postcode": "Enter a full UK postcode, like SG1 1AA, or leave it empty for their home.",
    "task_types": "Choose what help is needed.",
}
# Where a service names a field differently from this form.
SERVICE_FIELDS = {
    "start": "start_time",
    "end": "end_time",
    "series": "date",
    "series.start_time": "start_time",
    "series.end_time": "end_time",
    "series.from_date": "date",
    "series.weekdays": "date",
}
CANDIDATES_SHOWN = 20


def _map_error(form: Form, error: DomainError) -> None:
    form.add_error(SERVICE_FIELDS.get(error.field or "", error.field or GENERAL), error.detail)


def vetted_words(check_level: str | None, issued_on: date | None) -> str | None:
    """'Vetted: enhanced DBS, 2025': all a service user may see of a criminal-record check."""
    if check_level is None or issued_on is None:
        return None
    level = check_level[0].lower() + check_level[1:] if check_level[:1].isupper() else check_level
    return f"Vetted: {level}, {issued_on.year}"


async def bookable_people(actor: Actor, persons: PersonService) -> list[PersonRead]:
    return [p for p in await persons.list_mine(actor) if CirclePermission.REQUEST.value in p.my_permissions]


class BookingPages(Controller):
    tags = ["pages"]
    include_in_schema = False
    dependencies = {
        "persons": Provide(provide_person_service, sync_to_thread=False),
        "requests": Provide(provide_requests, sync_to_thread=False),
        "candidates": Provide(provide_candidates, sync_to_thread=False),
        "bookings": Provide(provide_bookings, sync_to_thread=False),
        "profiles": Provide(provide_profiles, sync_to_thread=False),
        "budgets": Provide(provide_budget_service, sync_to_thread=False),
    }

    async def _form_page(
        self,
        request: Request[Any, Any, Any],
        actor: Actor,
        persons: PersonService,
        budgets: BudgetService,
        clock: Clock,
        form: Form,
        status: int = 200,
    ) -> Response[Any]:
        people = await bookable_people(actor, persons)
        budget_options: list[tuple[str, str, str | None]] = []
        for person in people:
            for budget in await budgets.list_for_person(actor, person.id):
                budget_options.append(
                    (
                        str(budget.id),
                        f"{person.display_name}: {budget.name}",
                        f"{pounds(budget.available_pence)} available",
                    )
                )
        if budget_options:
            budget_options.append(
                ("", "No payment: volunteers only", "A volunteer sitter gives their time free.")
            )
        form.anchors["person_id"] = "person_id"
        form.anchors["task_types"] = "task_types"
        return render(
            request,
            "booking/new.html",
            actor=actor,
            form=form,
            status=status,
            context={
                "people": [(str(p.id), p.display_name, f"Home postcode {p.home_postcode}") for p in people],
                "tasks": [(code, words, None) for code, words in TASK_WORDS.items()],
                "budget_options": budget_options,
                "today": day_words(to_london(clock.now()).date()),
            },
        )

    @get("/book", operation_id="pageBook")
    async def book_form(
        self,
        request: Request[Any, Any, Any],
        actor: NamedDependency[Actor],
        persons: NamedDependency[PersonService],
        budgets: NamedDependency[BudgetService],
        clock: NamedDependency[Clock],
        person: Annotated[str | None, QueryParameter(name="person")] = None,
    ) -> Response[Any]:
        """What help, for whom, when and where."""
        people = await bookable_people(actor, persons)
        values: dict[str, Any] = {"task_types": [], "budget_id": ""}
        chosen = next((p for p in people if str(p.id) == person), people[0] if len(people) == 1 else None)
        if chosen is not None:
            values["person_id"] = str(chosen.id)
            values["postcode"] = chosen.home_postcode
        form = Form(fields=BOOK_FIELDS, values=values)
        return await self._form_page(request, actor, persons, budgets, clock, form)

    @post("/book", operation_id="pageBookSubmit")
    async def book(
        self,
        request: Request[Any, Any, Any],
        actor: NamedDependency[Actor],
        persons: NamedDependency[PersonService],
        requests: NamedDependency[RequestService],
        budgets: NamedDependency[BudgetService],
        clock: NamedDependency[Clock],
    ) -> Response[Any]:
        """Post the request, then show who can come."""
        form = await read_form(request, BOOK_FIELDS, lists=("task_types",))
        form.require("person_id", "Choose who the help is for.")
        if not form.chosen("task_types"):
            form.add_error("task_types", "Choose what help is needed.")
        day = parse_date(form.value("date"))
        if not form.value("date"):
            form.add_error("date", "Enter the date of the visit.")
        elif day is None:
            form.add_error("date", "Enter a real date, like 4/12/2026.")
        start = parse_time(form.value("start_time"))
        end = parse_time(form.value("end_time"))
        for name, value, words in (("start_time", start, "start"), ("end_time", end, "end")):
            if not form.value(name):
                form.add_error(name, f"Enter the {words} time.")
            elif value is None:
                form.add_error(name, f"Enter the {words} time like 14:00 or 2pm.")
        data: RequestCreate | None = None
        if form.ok and day is not None and start is not None and end is not None:
            body: dict[str, Any] = {
                "person_id": form.value("person_id"),
                "task_types": form.chosen("task_types"),
                "postcode": form.value("postcode") or None,
                "budget_id": form.value("budget_id") or None,
            }
            if form.value("weekly") == "yes":
                body["series"] = {
                    "weekdays": [day.weekday()],
                    "start_time": start,
                    "end_time": end,
                    "from_date": day,
                }
            else:
                body["start"], body["end"] = slot_of(day, start, end)
            try:
                data = build(RequestCreate, body, form, BOOK_MESSAGES)
            except InvalidInput as error:
                _map_error(form, error)
        if data is not None:
            try:
                made = await requests.create(actor, data)
            except DomainError as error:
                _map_error(form, error)
            else:
                return redirect(request, f"/requests/{made.id}", _saved_message(made))
        return await self._form_page(request, actor, persons, budgets, clock, form, status=400)

    async def _workers_page(
        self,
        request: Request[Any, Any, Any],
        actor: Actor,
        request_id: uuid.UUID,
        requests: RequestService,
        candidates: CandidateService,
        profiles: ProfileService,
        clock: Clock,
        form: Form | None = None,
        status: int = 200,
    ) -> Response[Any]:
        need = await requests.get(actor, request_id)
        today = to_london(clock.now()).date()
        upcoming = [o for o in need.occurrences if o.status == "open"]
        found: list[CandidateRead] = []
        if need.status == "open" and upcoming:
            found = (await candidates.list(actor, request_id, upcoming[0].id, CANDIDATES_SHOWN)).candidates
        cards = []
        for candidate in found:
            public = await profiles.public(candidate.worker_id)
            vetted = public.vetted
            cards.append(
                {
                    "candidate": candidate,
                    "initial": candidate.first_name[:1].upper(),
                    "kind": "Volunteer" if candidate.kind == "volunteer" else "Paid worker",
                    "reasons": [r.detail for r in candidate.reasons],
                    "vetted": vetted_words(vetted.check_level, vetted.issued_on) if vetted else None,
                    "rate": "Volunteer: no charge"
                    if candidate.hourly_rate_pence is None
                    else f"Paid worker: {pounds(candidate.hourly_rate_pence)} an hour",
                }
            )
        return render(
            request,
            "booking/workers.html",
            actor=actor,
            form=form,
            status=status,
            context={
                "need": need,
                "tasks": tasks_in_words(need.task_types),
                "first": upcoming[0] if upcoming else None,
                "when": when_words(upcoming[0].start, upcoming[0].end, today) if upcoming else None,
                "clock_change": upcoming[0].clock_change if upcoming else None,
                "series_count": len(need.occurrences),
                "cards": cards,
            },
        )

    @get("/requests/{request_id:uuid}", operation_id="pageRequestWorkers")
    async def workers(
        self,
        request: Request[Any, Any, Any],
        request_id: FromPath[uuid.UUID],
        actor: NamedDependency[Actor],
        requests: NamedDependency[RequestService],
        candidates: NamedDependency[CandidateService],
        profiles: NamedDependency[ProfileService],
        clock: NamedDependency[Clock],
    ) -> Response[Any]:
        """Vetted workers who can really come, best first, with why each fits."""
        return await self._workers_page(request, actor, request_id, requests, candidates, profiles, clock)

    @post("/requests/{request_id:uuid}/book", operation_id="pageBookWorker")
    async def book_worker(
        self,
        request: Request[Any, Any, Any],
        request_id: FromPath[uuid.UUID],
        actor: NamedDependency[Actor],
        requests: NamedDependency[RequestService],
        candidates: NamedDependency[CandidateService],
        profiles: NamedDependency[ProfileService],
        bookings: NamedDependency[BookingService],
        clock: NamedDependency[Clock],
    ) -> Response[Any]:
        """Book the chosen worker (an offer, or confirmed at once if they take instant bookings)."""
        form = await read_form(request, ("worker_id", "occurrence_id"))
        try:
            made = await bookings.create(
                actor,
                BookingCreate(
                    request_id=request_id,
                    worker_id=uuid.UUID(form.value("worker_id")),
                    occurrence_id=uuid.UUID(form.value("occurrence_id"))
                    if form.value("occurrence_id")
                    else None,
                ),
            )
        except ValueError:
            form.add_error(GENERAL, "Choose a worker from the list.")
        except DomainError as error:
            form.add_error(GENERAL, error.detail)
        else:
            return redirect(
                request, f"/bookings/{made.id}", _booked_message(made.status, made.worker_first_name)
            )
        return await self._workers_page(
            request, actor, request_id, requests, candidates, profiles, clock, form=form, status=409
        )

    @post("/requests/{request_id:uuid}/offer-best", operation_id="pageOfferToBest")
    async def offer_best(
        self,
        request: Request[Any, Any, Any],
        request_id: FromPath[uuid.UUID],
        actor: NamedDependency[Actor],
        requests: NamedDependency[RequestService],
        candidates: NamedDependency[CandidateService],
        profiles: NamedDependency[ProfileService],
        bookings: NamedDependency[BookingService],
        clock: NamedDependency[Clock],
    ) -> Response[Any]:
        """Post it and let the best available worker take it: offered to the top of the ranked list."""
        form = Form(fields=())
        need = await requests.get(actor, request_id)
        upcoming = [o for o in need.occurrences if o.status == "open"]
        if upcoming:
            ranked = (await candidates.list(actor, request_id, upcoming[0].id, 1)).candidates
            if not ranked:
                return redirect(
                    request,
                    "/bookings",
                    "Nobody can come at that time yet. Your request stays open, and a coordinator sees it.",
                    kind="info",
                )
            try:
                made = await bookings.create(
                    actor,
                    BookingCreate(
                        request_id=request_id, worker_id=ranked[0].worker_id, occurrence_id=upcoming[0].id
                    ),
                )
            except DomainError as error:
                form.add_error(GENERAL, error.detail)
            else:
                return redirect(
                    request, f"/bookings/{made.id}", _booked_message(made.status, made.worker_first_name)
                )
        else:
            form.add_error(GENERAL, "This request has no visits left to fill.")
        return await self._workers_page(
            request, actor, request_id, requests, candidates, profiles, clock, form=form, status=409
        )


def _saved_message(made: RequestRead) -> str:
    """Saved, and any day of the series a clock change takes away said in so many words."""
    gone = [p.detail for c in made.coverage or [] if c.occurrence_id is None for p in c.problems]
    return " ".join(["Your request is saved.", *(f"{detail} There is no visit that day." for detail in gone)])


def _booked_message(status: str, first_name: str) -> str:
    if status == BookingState.CONFIRMED:
        return f"Booked: {first_name} is confirmed."
    return f"Sent to {first_name}. We will tell you when they accept."
