"""structlog set up in one place. Special-category data never reaches a log line."""

from __future__ import annotations

import logging
from collections.abc import MutableMapping
from typing import Any

import structlog

# Keys whose values may carry health details, addresses, criminal-record data or secrets.
REDACTED_KEYS = frozenset(
    {
        "address",
        "address_line",
        "needs",
        "support_notes",
        "notes",
        "visit_notes",
        "certificate_number",
        "dbs",
        "password",
        "token",
        "secret",
        "authorization",
        "cookie",
        "email",
        "phone",
        "postcode",
    }
)


def redact_special_category(
    _: Any, __: str, event_dict: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    for key in list(event_dict):
        if key.lower() in REDACTED_KEYS:
            event_dict[key] = "[redacted]"
    return event_dict


def configure_logging(*, json: bool = False, level: int = logging.INFO) -> None:
    renderer: Any = (
        structlog.processors.JSONRenderer() if json else structlog.dev.ConsoleRenderer(colors=False)
    )
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            redact_special_category,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(level),
        cache_logger_on_first_use=True,
    )


def get_logger(name: str) -> Any:
    return structlog.get_logger(name)
