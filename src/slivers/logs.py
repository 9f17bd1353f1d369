"""structlog set up in one place, for our own log lines and for every library's (Litestar, uvicorn,
APScheduler, SQLAlchemy) through the standard library's logging. Special-category data and secrets
never reach a log line:

- tracebacks are rendered without local variables (a frame's locals hold the ASGI scope with the
  `Authorization` header, and request bodies), in both the console and the JSON format;
- values under a sensitive key are replaced, at any depth (dicts, lists, header pairs, structs);
- text (messages, exception messages, access-log request lines) is scrubbed of bearer and API
  tokens, cookie values, email addresses, sensitive query parameters and database key details.
"""

from __future__ import annotations

import dataclasses
import logging
import re
import sys
from collections.abc import Mapping, MutableMapping
from typing import Any, TextIO

import msgspec
import structlog
from structlog.tracebacks import ExceptionDictTransformer

REDACTED = "[redacted]"

# Keys whose values may carry health details, addresses, criminal-record data or secrets.
REDACTED_KEYS = frozenset(
    {
        "address",
        "address_line",
        "needs",
        "support_notes",
        "notes",
        "note",
        "visit_notes",
        "hard_requirements",
        "preferences",
        "certificate_number",
        "dbs",
        "password",
        "token",
        "secret",
        "secret_key",
        "authorization",
        "proxy-authorization",
        "cookie",
        "set-cookie",
        "x-csrf-token",
        "email",
        "phone",
        "postcode",
        "body",
        "request_body",
    }
)
_SENSITIVE_SUFFIXES = ("_password", "_token", "_secret", "_notes")

_TEXT_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(?i)\b(bearer|basic)\s+[^\s'\",;]+"), r"\1 " + REDACTED),
    (re.compile(r"\bslv_[A-Za-z0-9_\-]+"), "slv_" + REDACTED),
    (re.compile(r"(?i)\b(slivers_session|slivers_csrf|csrftoken)=[^;\s'\",]*"), r"\1=" + REDACTED),
    (re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"), "[email]"),
    # PostgreSQL's "Key (email)=(a@b.c) already exists" quotes the clashing value.
    (
        re.compile(
            r"(?im)(\bkey \(.*?\)=\().*?(\)(?: already exists| is not present| is still referenced"
            r"| conflicts with|\.?$))"
        ),
        r"\1" + REDACTED + r"\2",
    ),
)
_QUERY_PARAMETER = re.compile(r"([?&;])([A-Za-z_][A-Za-z0-9_.\-]*)=([^&#\s'\"]*)")
_MAX_DEPTH = 12


def is_sensitive_key(key: object) -> bool:
    if isinstance(key, bytes):
        key = key.decode("latin-1")
    if not isinstance(key, str):
        return False
    name = key.lower()
    return name in REDACTED_KEYS or name.endswith(_SENSITIVE_SUFFIXES)


def scrub_text(text: str) -> str:
    """The text with secrets, email addresses and sensitive query parameters replaced."""
    for pattern, replacement in _TEXT_RULES:
        text = pattern.sub(replacement, text)
    return _QUERY_PARAMETER.sub(_query_parameter, text)


def _query_parameter(match: re.Match[str]) -> str:
    if is_sensitive_key(match.group(2)):
        return f"{match.group(1)}{match.group(2)}={REDACTED}"
    return match.group(0)


def scrub(value: Any, depth: int = 0) -> Any:
    """A copy of `value` fit for a log: sensitive keys redacted and text scrubbed, at any depth."""
    if isinstance(value, str):
        return scrub_text(value)
    if isinstance(value, bytes | bytearray):
        return scrub_text(bytes(value).decode("utf-8", "replace"))
    if value is None or isinstance(value, bool | int | float):
        return value
    if depth >= _MAX_DEPTH:
        return "[too deep]"
    if isinstance(value, Mapping):
        return {
            key: REDACTED if is_sensitive_key(key) else scrub(item, depth + 1) for key, item in value.items()
        }
    if isinstance(value, list | tuple | set | frozenset):
        items = list(value)
        if len(items) == 2 and is_sensitive_key(items[0]):  # a header pair: (b"authorization", b"...")
            return (scrub(items[0], depth + 1), REDACTED)
        scrubbed = [scrub(item, depth + 1) for item in items]
        return tuple(scrubbed) if isinstance(value, tuple) else scrubbed
    if isinstance(value, msgspec.Struct):
        fields = {name: getattr(value, name) for name in value.__struct_fields__}
        return {"type": type(value).__name__, **scrub(fields, depth + 1)}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
        return {"type": type(value).__name__, **scrub(fields, depth + 1)}
    # Anything else is rendered by its repr anyway (both renderers do); scrub that text.
    return scrub_text(repr(value))


def redact_special_category(
    _: Any, __: str, event_dict: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    for key in list(event_dict):
        if key.startswith("_"):  # structlog's own bookkeeping (the log record, the logger)
            continue
        event_dict[key] = REDACTED if is_sensitive_key(key) else scrub(event_dict[key])
    return event_dict


class _StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever `sys.stderr` is when a line is logged (so a test capturing it sees it)."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    @property
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, _: TextIO) -> None:
        pass


_HANDLER_NAME = "slivers"
# Loggers that libraries give handlers of their own; ours renders for them instead.
_LIBRARY_LOGGERS = ("uvicorn", "uvicorn.error", "uvicorn.access", "uvicorn.asgi", "litestar", "apscheduler")


def configure_logging(*, json: bool = False, level: int = logging.INFO) -> None:
    # Tracebacks become text (console) or frames (JSON) before redaction, so that it scrubs them
    # too; neither carries local variables.
    exceptions = (
        structlog.processors.ExceptionRenderer(ExceptionDictTransformer(show_locals=False))
        if json
        else structlog.processors.format_exc_info
    )
    renderer: Any = (
        structlog.processors.JSONRenderer() if json else structlog.dev.ConsoleRenderer(colors=False)
    )
    stamp = structlog.processors.TimeStamper(fmt="iso", utc=True)
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=[structlog.stdlib.add_log_level, structlog.stdlib.add_logger_name, stamp],
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            exceptions,
            redact_special_category,
            renderer,
        ],
    )
    handler = _StderrHandler()
    handler.set_name(_HANDLER_NAME)
    handler.setFormatter(formatter)
    root = logging.getLogger()
    for old in list(root.handlers):
        if old.get_name() == _HANDLER_NAME:
            root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    for name in _LIBRARY_LOGGERS:
        library = logging.getLogger(name)
        for old in list(library.handlers):
            library.removeHandler(old)
        library.propagate = True
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.stdlib.add_logger_name,
            stamp,
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.make_filtering_bound_logger(level),
        cache_logger_on_first_use=True,
    )


def get_logger(name: str) -> Any:
    return structlog.get_logger(name)
