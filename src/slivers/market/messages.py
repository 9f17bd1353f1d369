"""Notification templates of this domain: name -> (subject, body), plain English, short.

Message data carries first names and London times only: never addresses or support notes."""

from __future__ import annotations

TEMPLATES: dict[str, tuple[str, str]] = {
    "market_booking_offer": (
        "New visit offer for {when}",
        "You have been offered a visit on {when} ({minutes} minutes). Answer by {respond_by} in Slivers.",
    ),
    "market_booking_confirmed": (
        "Visit confirmed for {when}",
        "The visit on {when} with {worker_name} is confirmed.",
    ),
    "market_booking_declined": (
        "{worker_name} cannot do {when}",
        "{worker_name} declined the visit on {when}. We will look for someone else.",
    ),
    "market_booking_expired": (
        "No answer for {when}",
        "{worker_name} did not answer the offer for {when} in time. We will look for someone else.",
    ),
    "market_booking_cancelled": (
        "Visit on {when} cancelled",
        "The visit on {when} was cancelled by the {cancelled_by}. {next_step}",
    ),
    "market_booking_no_show": (
        "{worker_name} has not arrived",
        "{worker_name} has not checked in for the visit that started at {when}. We are looking for cover.",
    ),
    "market_booking_lost": (
        "Visit on {when} needs a new worker",
        "{worker_name} can no longer do the visit on {when}. We are offering it to other vetted workers.",
    ),
    "market_timesheet_ready": (
        "Please approve the visit on {when}",
        "{worker_name} checked out after {minutes} minutes. Approve or dispute it within 48 hours.",
    ),
    "market_visit_reminder": (
        "Reminder: visit on {when}",
        "A reminder of the visit on {when} with {worker_name}.",
    ),
    "market_bookings_paused": (
        "New bookings paused",
        "You have had late cancellations or missed visits recently, so new bookings are paused until a "
        "coordinator reviews them with you.",
    ),
}
