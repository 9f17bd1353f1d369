"""Notification templates of this domain: name -> (subject, body), plain English, short.

Never put criminal-record content in these: the credential's title and dates are enough.
"""

from __future__ import annotations

TEMPLATES: dict[str, tuple[str, str]] = {
    "vetting_credential_verified": (
        "{title}: verified",
        "Your {title} has been checked and verified by your coordinator.",
    ),
    "vetting_credential_rejected": (
        "{title}: not accepted",
        "Your {title} was not accepted. The reason given: {reason}",
    ),
    "vetting_credential_revoked": (
        "{title}: withdrawn",
        "Your {title} has been withdrawn by your coordinator. The reason given: {reason}",
    ),
    "vetting_credential_expiring": (
        "{title} for {worker_name} runs out in {days} days",
        "{worker_name}'s {title} is valid until {valid_until}. Renew it before then, or visits after that "
        "date cannot go ahead.",
    ),
    "vetting_credential_lapsed": (
        "{title} for {worker_name} has run out",
        "{worker_name}'s {title} ran out on {valid_until}. Visits that need it cannot go ahead until a "
        "renewed one is verified.",
    ),
    "vetting_supervision_due": (
        "Supervision for {worker_name} is due by {due_on}",
        "{worker_name}'s next supervision meeting is due by {due_on}. Book it now so new visits can "
        "still be offered.",
    ),
    "vetting_supervision_overdue": (
        "Supervision for {worker_name} is overdue",
        "{worker_name} has no supervision meeting on record in time, so no new visits can be booked until "
        "one is held and recorded.",
    ),
    "vetting_worker_suspended": (
        "Your work through Slivers is suspended",
        "A coordinator has suspended you. The reason given: {reason}. Your future visits will be offered "
        "to others.",
    ),
    "vetting_worker_active": (
        "You can now be booked",
        "A coordinator has approved you. You can now be offered visits.",
    ),
}
