"""A worker's day: today's visits (address once confirmed) with check in and out, offers waiting,
"I'm free" in two taps, the weekly pattern, credentials with their status and upload, reliability and
earnings (volunteers: hours given). Every change goes through the market's and vetting's services."""

from __future__ import annotations

import uuid
from datetime import time, timedelta
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath

from slivers.accounts.actor import Actor
from slivers.clock import Clock, to_london
from slivers.errors import DomainError, InvalidInput
from slivers.http.forms import GENERAL, Form, build, read_form, whole_number
from slivers.http.rendering import redirect, render
from slivers.market.availability.schemas import WeeklyCreate, WindowCreate
from slivers.market.availability.service import AvailabilityService
from slivers.market.booking.service import BookingService
from slivers.market.deps import provide_availability, provide_bookings, provide_profiles
from slivers.market.rules.lifecycle import BookingState, cost_pence
from slivers.market.workers.service import ProfileService
from slivers.vetting.credentials.evidence import EvidenceService
from slivers.vetting.credentials.service import CredentialService
from slivers.vetting.credentials.uploads import MAX_EVIDENCE_BYTES
from slivers.vetting.deps import provide_credentials, provide_evidence
from slivers.vetting.rules.catalogue import DEFAULT_POLICY
from slivers.vetting.schemas import CredentialSubmit
from slivers.web.my_bookings_pages import booking_view
from slivers.web.words import (
    CREDENTIAL_STATUS_WORDS,
    WEEKDAYS,
    WORKER_STANDING_WORDS,
    clock_words,
    day_words,
    minutes_words,
    parse_date,
    parse_time,
    pounds,
    slot_of,
    when_words,
)

FREE_FIELDS = ("day", "start_time", "end_time")
WEEKLY_FIELDS = ("weekdays", "start_time", "end_time", "from_date", "until_date")
CREDENTIAL_FIELDS = (
    "type_code",
    "issued_on",
    "expires_on",
    "certificate_number",
    "level",
    "barred_adults_checked",
    "barred_children_checked",
)
CREDENTIAL_MESSAGES = {
    "type_code": "Choose which credential this is.",
    "certificate_number": "Enter the certificate number: 4 to 40 letters, numbers, spaces, / or -.",
    "level": "Choose the level of the check.",
}
LEVELS = [
    ("", "Not a criminal-record check", None),
    ("enhanced", "Enhanced", None),
    ("standard", "Standard", None),
    ("basic", "Basic", None),
    ("pvg_scheme", "PVG scheme (Scotland)", None),
]
SEATED = frozenset({BookingState.CONFIRMED, BookingState.IN_PROGRESS, BookingState.COMPLETED})
FINISHED = frozenset({BookingState.COMPLETED, BookingState.APPROVED})


def _times(
    form: Form, start_name: str = "start_time", end_name: str = "end_time"
) -> tuple[time, time] | None:
    start, end = parse_time(form.value(start_name)), parse_time(form.value(end_name))
    for name, value, words in ((start_name, start, "from"), (end_name, end, "until")):
        if not form.value(name):
            form.add_error(name, f"Enter the time you are free {words}.")
        elif value is None:
            form.add_error(name, "Enter a time like 13:00 or 1pm.")
    return (start, end) if start is not None and end is not None else None


class WorkerPages(Controller):
    path = "/work"
    tags = ["pages"]
    include_in_schema = False
    dependencies = {
        "profiles": Provide(provide_profiles, sync_to_thread=False),
        "availability": Provide(provide_availability, sync_to_thread=False),
        "bookings": Provide(provide_bookings, sync_to_thread=False),
        "credentials": Provide(provide_credentials, sync_to_thread=False),
        "evidence": Provide(provide_evidence, sync_to_thread=False),
    }

    async def _day(
        self,
        request: Request[Any, Any, Any],
        actor: Actor,
        profiles: ProfileService,
        availability: AvailabilityService,
        bookings: BookingService,
        clock: Clock,
        *,
        form: Form | None = None,
        status: int = 200,
    ) -> Response[Any]:
        profile = await profiles.read_mine(actor)
        now = clock.now()
        today = to_london(now).date()
        mine = [b for b in await bookings.list_mine(actor, None, 200) if "worker" in b.my_roles]
        todays = [
            booking_view(b, today) for b in mine if b.status in SEATED and to_london(b.start).date() == today
        ]
        coming = [
            booking_view(b, today)
            for b in mine
            if b.status == BookingState.CONFIRMED and to_london(b.start).date() > today
        ]
        offers = [booking_view(b, today) for b in mine if b.status == BookingState.PROPOSED and b.end > now]
        done = [b for b in mine if b.status in FINISHED and b.actual_minutes]
        approved = [b for b in done if b.status == BookingState.APPROVED]
        earned = sum(
            cost_pence(b.rate_pence_per_hour, b.actual_minutes or 0)
            for b in approved
            if b.rate_pence_per_hour
        )
        free = (await availability.list_mine(actor)).next_14_days
        reliability = profile.reliability
        return render(
            request,
            "work/day.html",
            actor=actor,
            form=form
            or Form(fields=FREE_FIELDS, values={"day": "today", "start_time": "13:00", "end_time": "17:00"}),
            status=status,
            context={
                "profile": profile,
                "standing": WORKER_STANDING_WORDS.get(profile.status, profile.status),
                "today": day_words(today),
                "todays": todays,
                "coming": coming,
                "offers": offers,
                "free": [when_words(i.start, i.end, today) for i in free[:10]],
                "day_choices": [
                    ("today", f"Today ({day_words(today)})", None),
                    ("tomorrow", f"Tomorrow ({day_words(today + timedelta(days=1))})", None),
                ],
                "volunteer": profile.kind == "volunteer",
                "earned": pounds(earned),
                "hours_given": minutes_words(sum(b.actual_minutes or 0 for b in done)),
                "visits_done": len(done),
                "strike_points": reliability.points_last_30_days,
                "paused": reliability.paused,
                "strikes": [
                    {"when": day_words(to_london(s.at).date()), "reason": s.reason, "points": s.points}
                    for s in reliability.strikes
                ],
            },
        )

    @get("/", operation_id="pageWorkerDay")
    async def day(
        self,
        request: Request[Any, Any, Any],
        actor: NamedDependency[Actor],
        profiles: NamedDependency[ProfileService],
        availability: NamedDependency[AvailabilityService],
        bookings: NamedDependency[BookingService],
        clock: NamedDependency[Clock],
    ) -> Response[Any]:
        """Today's visits, offers, I'm free, reliability and earnings."""
        return await self._day(request, actor, profiles, availability, bookings, clock)

    @post("/free", operation_id="pageImFree")
    async def im_free(
        self,
        request: Request[Any, Any, Any],
        actor: NamedDependency[Actor],
        profiles: NamedDependency[ProfileService],
        availability: NamedDependency[AvailabilityService],
        bookings: NamedDependency[BookingService],
        clock: NamedDependency[Clock],
    ) -> Response[Any]:
        """Post a one-off window today or tomorrow."""
        form = await read_form(request, FREE_FIELDS)
        form.anchors["day"] = "day"
        if form.value("day") not in {"today", "tomorrow"}:
            form.add_error("day", "Choose today or tomorrow.")
        times = _times(form)
        if form.ok and times is not None:
            today = to_london(clock.now()).date()
            day = today + timedelta(days=1 if form.value("day") == "tomorrow" else 0)
            start, end = slot_of(day, *times)
            try:
                await availability.add(actor, WindowCreate(start=start, end=end))
            except DomainError as error:
                form.add_error(
                    {"start": "start_time", "end": "end_time"}.get(error.field or "", GENERAL), error.detail
                )
            else:
                return redirect(
                    request,
                    "/work",
                    f"You are free {form.value('day')} "
                    f"from {clock_words(times[0])} to {clock_words(times[1])}.",
                )
        return await self._day(request, actor, profiles, availability, bookings, clock, form=form, status=400)

    async def _pattern(
        self,
        request: Request[Any, Any, Any],
        actor: Actor,
        availability: AvailabilityService,
        clock: Clock,
        *,
        form: Form | None = None,
        status: int = 200,
    ) -> Response[Any]:
        listed = await availability.list_mine(actor)
        today = to_london(clock.now()).date()
        rules = []
        for rule in listed.rules:
            if rule.kind == "weekly" and rule.weekdays and rule.start_time and rule.end_time:
                text = (
                    f"Every {', '.join(WEEKDAYS[d] for d in rule.weekdays)}, "
                    f"{clock_words(rule.start_time)} to {clock_words(rule.end_time)}"
                    + (f", from {day_words(rule.from_date)}" if rule.from_date else "")
                    + (f" until {day_words(rule.until_date)}" if rule.until_date else "")
                )
            elif rule.kind == "window" and rule.start and rule.end:
                text = f"Free {when_words(rule.start, rule.end, today)}"
            elif rule.kind == "skip" and rule.on:
                text = f"Not free on {day_words(rule.on)}"
            elif rule.start and rule.end:
                text = f"Away {when_words(rule.start, rule.end, today)}"
            else:
                text = rule.kind
            rules.append({"id": rule.id, "text": text})
        return render(
            request,
            "work/availability.html",
            actor=actor,
            form=form
            or Form(fields=WEEKLY_FIELDS, values={"weekdays": [], "from_date": f"{today:%d/%m/%Y}"}),
            status=status,
            context={
                "rules": rules,
                "weekdays": [(str(i), name, None) for i, name in enumerate(WEEKDAYS)],
            },
        )

    @get("/availability", operation_id="pageAvailability")
    async def pattern(
        self,
        request: Request[Any, Any, Any],
        actor: NamedDependency[Actor],
        availability: NamedDependency[AvailabilityService],
        clock: NamedDependency[Clock],
    ) -> Response[Any]:
        """The weekly pattern and one-off windows, with a form to add to the pattern."""
        return await self._pattern(request, actor, availability, clock)

    @post("/availability", operation_id="pageAddWeekly")
    async def add_weekly(
        self,
        request: Request[Any, Any, Any],
        actor: NamedDependency[Actor],
        availability: NamedDependency[AvailabilityService],
        clock: NamedDependency[Clock],
    ) -> Response[Any]:
        """Add a weekly pattern."""
        form = await read_form(request, WEEKLY_FIELDS, lists=("weekdays",))
        form.anchors["weekdays"] = "weekdays"
        days = [d for d in map(whole_number, form.chosen("weekdays")) if d is not None and d < 7]
        if not days:
            form.add_error("weekdays", "Choose at least one day.")
        times = _times(form)
        from_date = parse_date(form.value("from_date"))
        if from_date is None:
            form.add_error("from_date", "Enter the first date, like 1/12/2026.")
        until = parse_date(form.value("until_date")) if form.value("until_date") else None
        if form.value("until_date") and until is None:
            form.add_error("until_date", "Enter the last date, like 31/3/2027, or leave it empty.")
        if form.ok and times is not None and from_date is not None:
            try:
                rule = WeeklyCreate(
                    weekdays=days,
                    start_time=times[0],
                    end_time=times[1],
                    from_date=from_date,
                    until_date=until,
                )
                await availability.add(actor, rule)
            except DomainError as error:
                form.add_domain_error(error)
            else:
                return redirect(request, "/work/availability", "Weekly pattern saved.")
        return await self._pattern(request, actor, availability, clock, form=form, status=400)

    @post("/availability/{rule_id:uuid}/delete", operation_id="pageDeleteAvailability")
    async def delete_rule(
        self,
        request: Request[Any, Any, Any],
        rule_id: FromPath[uuid.UUID],
        actor: NamedDependency[Actor],
        availability: NamedDependency[AvailabilityService],
    ) -> Response[Any]:
        """Remove one rule."""
        await availability.delete(actor, rule_id)
        return redirect(request, "/work/availability", "Removed.")

    async def _credentials(
        self,
        request: Request[Any, Any, Any],
        actor: Actor,
        credentials: CredentialService,
        clock: Clock,
        *,
        form: Form | None = None,
        status: int = 200,
    ) -> Response[Any]:
        today = to_london(clock.now()).date()
        rows = []
        for credential in await credentials.mine(actor):
            until = credential.valid_until
            rows.append(
                {
                    "c": credential,
                    "status": CREDENTIAL_STATUS_WORDS.get(credential.status, credential.status),
                    "until": day_words(until) if until else "Does not expire",
                    "soon": until is not None and until <= today + timedelta(days=60),
                    "expired": until is not None and until < today,
                }
            )
        return render(
            request,
            "work/credentials.html",
            actor=actor,
            form=form or Form(fields=CREDENTIAL_FIELDS, values={"level": ""}),
            status=status,
            context={
                "rows": rows,
                "types": [(t.code, t.title) for t in DEFAULT_POLICY.credential_types],
                "levels": LEVELS,
                "max_mb": MAX_EVIDENCE_BYTES // (1024 * 1024),
            },
        )

    @get("/credentials", operation_id="pageMyCredentials")
    async def my_credentials(
        self,
        request: Request[Any, Any, Any],
        actor: NamedDependency[Actor],
        credentials: NamedDependency[CredentialService],
        clock: NamedDependency[Clock],
    ) -> Response[Any]:
        """Credentials with their status and expiry; add one; upload evidence."""
        return await self._credentials(request, actor, credentials, clock)

    @post("/credentials", operation_id="pageSubmitCredential")
    async def submit_credential(
        self,
        request: Request[Any, Any, Any],
        actor: NamedDependency[Actor],
        credentials: NamedDependency[CredentialService],
        clock: NamedDependency[Clock],
    ) -> Response[Any]:
        """Submit a credential for a coordinator to check."""
        form = await read_form(request, CREDENTIAL_FIELDS)
        form.require("type_code", "Choose which credential this is.")
        issued = parse_date(form.value("issued_on"))
        if issued is None:
            form.add_error("issued_on", "Enter the date it was issued, like 1/6/2025.")
        expires = parse_date(form.value("expires_on")) if form.value("expires_on") else None
        if form.value("expires_on") and expires is None:
            form.add_error("expires_on", "Enter the expiry date, like 1/6/2028, or leave it empty.")
        data = None
        if form.ok:
            try:
                data = build(
                    CredentialSubmit,
                    {
                        "type_code": form.value("type_code"),
                        "issued_on": issued,
                        "expires_on": expires,
                        "certificate_number": form.value("certificate_number") or None,
                        "level": form.value("level") or None,
                        "barred_adults_checked": form.value("barred_adults_checked") == "yes",
                        "barred_children_checked": form.value("barred_children_checked") == "yes",
                    },
                    form,
                    CREDENTIAL_MESSAGES,
                )
            except InvalidInput as error:
                form.add_domain_error(error)
        if data is not None:
            try:
                await credentials.submit(actor, data)
            except DomainError as error:
                form.add_domain_error(error)
            else:
                return redirect(
                    request, "/work/credentials", "Sent for checking. A coordinator will look at it."
                )
        return await self._credentials(request, actor, credentials, clock, form=form, status=400)

    @post("/credentials/{credential_id:uuid}/evidence", operation_id="pageUploadEvidence")
    async def upload(
        self,
        request: Request[Any, Any, Any],
        credential_id: FromPath[uuid.UUID],
        actor: NamedDependency[Actor],
        credentials: NamedDependency[CredentialService],
        evidence: NamedDependency[EvidenceService],
        clock: NamedDependency[Clock],
    ) -> Response[Any]:
        """Upload a PDF, JPEG or PNG as evidence; checked by its content."""
        submitted = await request.form()
        upload = submitted.get("file")
        form = Form(fields=())
        if not isinstance(upload, UploadFile) or not upload.filename:
            form.add_error(GENERAL, "Choose a file to upload.")
        else:
            content = await upload.read(MAX_EVIDENCE_BYTES + 1)
            try:
                await evidence.upload(actor, credential_id, content, upload.filename)
            except DomainError as error:
                form.add_error(GENERAL, error.detail)
            else:
                return redirect(request, "/work/credentials", "Evidence uploaded.")
        return await self._credentials(request, actor, credentials, clock, form=form, status=400)
