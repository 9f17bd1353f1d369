"""A worker's own profile: where they start from and how far they travel, the help they offer in words,
their rate beside the National Living Wage, notice, visit lengths, hours, instant booking and
languages. Shown and changed on one page; the market's profile service checks every rule."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency, Provide

from slivers.accounts.actor import Actor
from slivers.clock import Clock, to_london
from slivers.errors import DomainError, InvalidInput
from slivers.http.forms import Form, build, number_or_text, read_form
from slivers.http.rendering import redirect, render
from slivers.market.deps import provide_profiles
from slivers.market.rules.wages import NATIONAL_LIVING_WAGE, minimum_hourly_rate_pence
from slivers.market.workers.schemas import WorkerProfileRead, WorkerProfileUpdate
from slivers.market.workers.service import ProfileService
from slivers.web.words import TASK_WORDS, day_words, minutes_words, pounds, tasks_in_words

PROFILE_FIELDS = (
    "home_postcode",
    "max_travel_km",
    "task_types",
    "hourly_rate",
    "min_notice_minutes",
    "min_visit_minutes",
    "max_visit_minutes",
    "hours_per_day",
    "hours_per_week",
    "instant_book",
    "languages",
)
NOTICE_CHOICES = (
    [("0", "None: book me at short notice")]
    + [(str(m), minutes_words(m)) for m in (30, 60, 120, 240, 720)]
    + [
        ("1440", "1 day"),
        ("2880", "2 days"),
    ]
)
LENGTH_CHOICES = [(str(m), minutes_words(m)) for m in (15, 30, 45, 60, 90, 120, 180, 240, 360, 480, 720)]
PROFILE_MESSAGES = {
    "home_postcode": "Enter your postcode, like SG1 1AA.",
    "max_travel_km": "Enter how far you will travel, from 1 to 50 km.",
    "task_types": "Choose at least one kind of help.",
    "min_notice_minutes": "Choose how much notice you need.",
    "min_visit_minutes": "Choose the shortest visit you take.",
    "max_visit_minutes": "Choose the longest visit you take.",
    "max_minutes_per_day": "Enter the most hours a day, from 1 to 24.",
    "max_minutes_per_week": "Enter the most hours a week, from 1 to 168.",
    "languages": "Enter each language in 2 to 40 letters, with commas between them.",
}
# The service's field names, for the fields the page asks in other units.
PAGE_FIELD = {
    "hourly_rate_pence": "hourly_rate",
    "max_minutes_per_day": "hours_per_day",
    "max_minutes_per_week": "hours_per_week",
}
_MONEY = re.compile(r"^£?\s*(\d{1,4})(?:\.(\d{1,2}))?$")
_HOURS = re.compile(r"^(\d{1,3})(?:\.(\d{1,2}))?$")


def parse_pounds(text: str) -> int | None:
    """'£13.50', '13.5', '14' as pence; None when it is not an amount."""
    match = _MONEY.match(text.strip().replace(",", ""))
    if match is None:
        return None
    return int(match.group(1)) * 100 + int((match.group(2) or "0").ljust(2, "0"))


def parse_hours(text: str) -> int | None:
    """'8', '7.5' hours as minutes; None when it is not a number of hours."""
    match = _HOURS.match(text.strip())
    if match is None:
        return None
    return int(match.group(1)) * 60 + round(float(f"0.{match.group(2) or '0'}") * 60)


def hours_words(minutes: int) -> str:
    hours = minutes / 60
    return f"{hours:g} hour{'s' if hours != 1 else ''}"


def living_wage_words(today: date) -> str:
    """The rate in force today and, when known, the next one: 'the National Living Wage, £12.71 an hour'."""
    now_rate = minimum_hourly_rate_pence(today)
    text = f"The National Living Wage is {pounds(now_rate)} an hour"
    later = [(since, rate) for since, rate in NATIONAL_LIVING_WAGE if since > today]
    if later:
        since, rate = later[0]
        text += f", and {pounds(rate)} from {day_words(since)}"
    return text + ". Your rate must be at least this on the day of each visit."


def form_of(profile: WorkerProfileRead) -> Form:
    languages = profile.attributes.get("languages", [])
    return Form(
        fields=PROFILE_FIELDS,
        values={
            "home_postcode": profile.home_postcode or "",
            "max_travel_km": str(profile.max_travel_km),
            "task_types": list(profile.task_types),
            "hourly_rate": f"{profile.hourly_rate_pence / 100:.2f}" if profile.hourly_rate_pence else "",
            "min_notice_minutes": str(profile.min_notice_minutes),
            "min_visit_minutes": str(profile.min_visit_minutes),
            "max_visit_minutes": str(profile.max_visit_minutes),
            "hours_per_day": f"{profile.max_minutes_per_day / 60:g}",
            "hours_per_week": f"{profile.max_minutes_per_week / 60:g}",
            "instant_book": "yes" if profile.instant_book else "no",
            "languages": ", ".join(
                lang.capitalize() for lang in (languages if isinstance(languages, list) else [])
            ),
        },
        anchors={"task_types": "task_types", "instant_book": "instant_book"},
    )


def summary_of(profile: WorkerProfileRead) -> list[tuple[str, str]]:
    """The profile as others' bookings depend on it, in words."""
    languages = profile.attributes.get("languages", [])
    rows = [
        ("Starting from", profile.home_postcode or "Not given yet"),
        ("How far you travel", f"Up to {profile.max_travel_km} km"),
        ("Help you offer", tasks_in_words(profile.task_types).capitalize() or "None chosen yet"),
    ]
    if profile.kind == "volunteer":
        rows.append(("Rate", "None: volunteers give their time and claim expenses"))
    else:
        rate = profile.hourly_rate_pence
        rows.append(("Hourly rate", f"{pounds(rate)} an hour" if rate else "Not set yet"))
    rows += [
        (
            "Notice you need",
            minutes_words(profile.min_notice_minutes) if profile.min_notice_minutes else "None",
        ),
        (
            "Visit lengths",
            f"{minutes_words(profile.min_visit_minutes)} to {minutes_words(profile.max_visit_minutes)}",
        ),
        (
            "Most hours",
            f"{hours_words(profile.max_minutes_per_day)} a day, "
            f"{hours_words(profile.max_minutes_per_week)} a week",
        ),
        (
            "Instant booking",
            "On: a booking is confirmed without asking you"
            if profile.instant_book
            else "Off: you accept or decline each offer",
        ),
        (
            "Languages",
            ", ".join(lang.capitalize() for lang in languages)
            if isinstance(languages, list) and languages
            else "None listed",
        ),
    ]
    return rows


class ProfilePages(Controller):
    path = "/work/profile"
    tags = ["pages"]
    include_in_schema = False
    dependencies = {"profiles": Provide(provide_profiles, sync_to_thread=False)}

    async def _page(
        self,
        request: Request[Any, Any, Any],
        actor: Actor,
        profiles: ProfileService,
        clock: Clock,
        *,
        form: Form | None = None,
        status: int = 200,
    ) -> Response[Any]:
        profile = await profiles.read_mine(actor)
        today = to_london(clock.now()).date()
        return render(
            request,
            "work/profile.html",
            actor=actor,
            form=form or form_of(profile),
            status=status,
            context={
                "profile": profile,
                "summary": summary_of(profile),
                "volunteer": profile.kind == "volunteer",
                "living_wage": living_wage_words(today),
                "tasks": [(code, words, None) for code, words in TASK_WORDS.items()],
                "notice_choices": NOTICE_CHOICES,
                "length_choices": LENGTH_CHOICES,
                "instant_choices": [
                    ("no", "Off: I accept or decline each offer", None),
                    ("yes", "On: confirm bookings straight away", "Only when you are sure you are free."),
                ],
            },
        )

    @get("/", operation_id="pageMyProfile")
    async def show(
        self,
        request: Request[Any, Any, Any],
        actor: NamedDependency[Actor],
        profiles: NamedDependency[ProfileService],
        clock: NamedDependency[Clock],
    ) -> Response[Any]:
        """My profile in words, and the form to change it."""
        return await self._page(request, actor, profiles, clock)

    @post("/", operation_id="pageSaveProfile")
    async def save(
        self,
        request: Request[Any, Any, Any],
        actor: NamedDependency[Actor],
        profiles: NamedDependency[ProfileService],
        clock: NamedDependency[Clock],
    ) -> Response[Any]:
        """Save the whole profile."""
        current = await profiles.read_mine(actor)
        form = await read_form(request, PROFILE_FIELDS, lists=("task_types",))
        form.anchors.update({"task_types": "task_types", "instant_book": "instant_book"})
        volunteer = current.kind == "volunteer"
        rate = None
        if not volunteer:
            rate = parse_pounds(form.value("hourly_rate"))
            if rate is None:
                form.add_error("hourly_rate", "Enter your hourly rate in pounds, like 13.50.")
        km = form.value("max_travel_km")
        numbers = {
            name: form.value(name)
            for name in ("min_notice_minutes", "min_visit_minutes", "max_visit_minutes")
        }
        per_day, per_week = (
            parse_hours(form.value("hours_per_day")),
            parse_hours(form.value("hours_per_week")),
        )
        if per_day is None:
            form.add_error("hours_per_day", "Enter the most hours a day as a number, like 8.")
        if per_week is None:
            form.add_error("hours_per_week", "Enter the most hours a week as a number, like 30.")
        if form.value("instant_book") not in {"yes", "no"}:
            form.add_error("instant_book", "Choose whether instant booking is on or off.")
        languages = [part.strip() for part in form.value("languages").split(",") if part.strip()]
        attributes = {k: v for k, v in current.attributes.items() if k not in {"languages", "gender"}}
        gender = current.attributes.get("gender")
        data = None
        if form.ok:
            try:
                data = build(
                    WorkerProfileUpdate,
                    {
                        "home_postcode": form.value("home_postcode"),
                        "max_travel_km": number_or_text(km),
                        "task_types": form.chosen("task_types"),
                        "hourly_rate_pence": rate,
                        **{name: number_or_text(v) for name, v in numbers.items()},
                        "max_minutes_per_day": per_day,
                        "max_minutes_per_week": per_week,
                        "instant_book": form.value("instant_book") == "yes",
                        "languages": languages,
                        "gender": gender if isinstance(gender, str) else None,
                        "attributes": attributes,
                    },
                    form,
                    PROFILE_MESSAGES,
                    rename=PAGE_FIELD,
                )
            except InvalidInput as error:  # a cross-field rule of the profile (shortest above longest)
                form.add_error(PAGE_FIELD.get(error.field or "", error.field or ""), error.detail)
        if data is not None:
            try:
                await profiles.update_mine(actor, data)
            except DomainError as error:
                form.add_error(PAGE_FIELD.get(error.field or "", error.field or ""), error.detail)
            else:
                return redirect(request, "/work/profile", "Your profile is saved.")
        return await self._page(request, actor, profiles, clock, form=form, status=400)
