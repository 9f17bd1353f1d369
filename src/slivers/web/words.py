"""Plain words for what the services return in codes: task types, booking states, money, times.

Only presentation lives here; every rule (what a state allows, what a cancellation costs) stays in
the domain and is asked of it.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from slivers.clock import LONDON, to_london
from slivers.market.rules.lifecycle import BookingState

# What help, in the words a person would use (design 3.2's task types).
TASK_WORDS: dict[str, str] = {
    "companionship": "Company or a sitter (a carer's break)",
    "escort": "Going out together: shopping, appointments, outings",
    "domestic": "Light housework",
    "meal_preparation": "Making a meal",
    "personal_care": "Personal care: washing, dressing, using the toilet",
    "medication_prompt": "Reminders to take medicine",
    "moving_handling": "Moving and handling, including hoists",
}
TASK_SHORT: dict[str, str] = {
    "companionship": "company or sitting",
    "escort": "going out together",
    "domestic": "light housework",
    "meal_preparation": "making a meal",
    "personal_care": "personal care",
    "medication_prompt": "medicine reminders",
    "moving_handling": "moving and handling",
}

# A booking's status as a sentence the person reads (design 4.4).
STATUS_WORDS: dict[BookingState, str] = {
    BookingState.PROPOSED: "Waiting for the worker to accept",
    BookingState.CONFIRMED: "Confirmed",
    BookingState.IN_PROGRESS: "Happening now: the worker has arrived",
    BookingState.COMPLETED: "Visit finished: timesheet waiting for approval",
    BookingState.APPROVED: "Timesheet approved",
    BookingState.DISPUTED: "Timesheet disputed: a coordinator will look at it",
    BookingState.DECLINED: "The worker said no",
    BookingState.EXPIRED: "The worker did not answer in time",
    BookingState.CANCELLED: "Cancelled",
    BookingState.NO_SHOW: "The worker did not come",
}
WORKER_STATUS_WORDS: dict[BookingState, str] = {
    BookingState.PROPOSED: "Offer waiting for your answer",
    BookingState.CONFIRMED: "Confirmed",
    BookingState.IN_PROGRESS: "You are checked in",
    BookingState.COMPLETED: "Finished: waiting for the timesheet to be approved",
    BookingState.APPROVED: "Timesheet approved",
    BookingState.DISPUTED: "Timesheet disputed: a coordinator will look at it",
    BookingState.DECLINED: "You said no",
    BookingState.EXPIRED: "The offer ran out",
    BookingState.CANCELLED: "Cancelled",
    BookingState.NO_SHOW: "Recorded as not coming",
}
CREDENTIAL_STATUS_WORDS: dict[str, str] = {
    "submitted": "Waiting for a coordinator to check",
    "verified": "Checked and valid",
    "rejected": "Not accepted",
    "expired": "Expired",
    "revoked": "Withdrawn",
    "lapsed": "Expired",
}
WORKER_STANDING_WORDS: dict[str, str] = {
    "pending": "Waiting for approval",
    "active": "Active",
    "suspended": "Suspended",
}
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def tasks_in_words(codes: list[str]) -> str:
    return ", ".join(TASK_SHORT.get(code, code.replace("_", " ")) for code in codes)


def pounds(pence: int | None) -> str:
    if pence is None:
        return "no charge"
    sign = "-" if pence < 0 else ""
    whole, part = divmod(abs(pence), 100)
    return f"{sign}£{whole:,}.{part:02d}"


def day_words(day: date, today: date | None = None) -> str:
    """'Thursday 4 December 2026'; 'today' and 'tomorrow' said as such."""
    text = f"{WEEKDAYS[day.weekday()]} {day.day} {day:%B %Y}"
    if today is not None and day == today:
        return f"Today, {text}"
    if today is not None and day == today + timedelta(days=1):
        return f"Tomorrow, {text}"
    return text


def clock_words(moment: time) -> str:
    """'2pm', '2:30pm', 'midday', 'midnight'."""
    if moment.hour == 12 and moment.minute == 0:
        return "midday"
    if moment.hour == 0 and moment.minute == 0:
        return "midnight"
    hour = moment.hour % 12 or 12
    suffix = "am" if moment.hour < 12 else "pm"
    return f"{hour}{suffix}" if moment.minute == 0 else f"{hour}:{moment.minute:02d}{suffix}"


def when_words(start: datetime, end: datetime, today: date | None = None) -> str:
    """'Thursday 4 December 2026, 2pm to 5pm' in London time."""
    local_start, local_end = to_london(start), to_london(end)
    hours = f"{clock_words(local_start.time())} to {clock_words(local_end.time())}"
    text = f"{day_words(local_start.date(), today)}, {hours}"
    if local_end.date() != local_start.date():
        text += f" on {day_words(local_end.date())}"
    return text


def moment_words(at: datetime) -> str:
    local = to_london(at)
    return f"{clock_words(local.time())} on {day_words(local.date())}"


def minutes_words(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(f"{hours} hour{'s' if hours != 1 else ''}")
    if rest or not hours:
        parts.append(f"{rest} minute{'s' if rest != 1 else ''}")
    return " ".join(parts)


_TIME = re.compile(r"^\s*(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?\s*$", re.IGNORECASE)
_COMPACT = re.compile(r"^\s*(\d{2})(\d{2})\s*$")


def parse_time(text: str) -> time | None:
    """'14:00', '2pm', '2:30 pm', '1400', 'midday'; None when it is not a time of day."""
    raw = text.strip().lower()
    if raw in {"midday", "noon", "12 noon"}:
        return time(12, 0)
    if raw == "midnight":
        return time(0, 0)
    compact = _COMPACT.match(raw)
    match = _TIME.match(raw)
    if compact:
        hour, minute, suffix = int(compact.group(1)), int(compact.group(2)), None
    elif match:
        hour, minute = int(match.group(1)), int(match.group(2) or 0)
        suffix = (match.group(3) or "").replace(".", "") or None
    else:
        return None
    if suffix is not None:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if suffix == "pm" else 0)
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        return None
    return time(hour, minute)


_DATE = re.compile(r"^\s*(\d{1,2})\s*[/.\- ]\s*(\d{1,2})\s*[/.\- ]\s*(\d{2,4})\s*$")
_ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")


def parse_date(text: str) -> date | None:
    """'4/12/2026', '4 12 2026', '2026-12-04'; day first, as in the UK."""
    iso = _ISO.match(text)
    uk = _DATE.match(text)
    try:
        if iso:
            return date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
        if uk:
            year = int(uk.group(3))
            return date(year + 2000 if year < 100 else year, int(uk.group(2)), int(uk.group(1)))
    except ValueError:
        return None
    return None


def london_instant(day: date, at: time) -> datetime:
    """A London wall-clock time as an aware datetime (the services store UTC)."""
    return datetime.combine(day, at, tzinfo=LONDON)


def slot_of(day: date, start: time, end: time) -> tuple[datetime, datetime]:
    """An end at or before the start runs past midnight, as the services' weekly times do."""
    end_day = day + timedelta(days=1) if end <= start else day
    return london_instant(day, start), london_instant(end_day, end)
