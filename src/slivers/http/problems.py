"""Every error becomes an RFC 9457 problem response with a clear detail and, where known, the field.

Page routes (anything outside /api/ and the other machine paths) get the same plain message as an
HTML page instead, and a signed-out visitor is sent to sign in.
"""

from __future__ import annotations

from typing import Any

from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.status_codes import HTTP_409_CONFLICT, HTTP_500_INTERNAL_SERVER_ERROR
from sqlalchemy.exc import DBAPIError, IntegrityError

from slivers.errors import DomainError, NotAuthenticated, TooManyRequests
from slivers.http.deps import wiring_of
from slivers.http.error_pages import error_page, is_page_request, sign_in_redirect
from slivers.http.request_body import not_utf8
from slivers.logs import get_logger

log = get_logger(__name__)
PROBLEM = "application/problem+json"
CSRF_DETAIL = "This form has expired or was not sent from Slivers. Reload the page and try again."


def problem(
    status: int,
    title: str,
    detail: str,
    *,
    field: str | None = None,
    rule: str | None = None,
    extra: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> Response[dict[str, Any]]:
    body: dict[str, Any] = {"type": "about:blank", "status": status, "title": title, "detail": detail}
    if field:
        body["field"] = field
    if rule:
        body["rule"] = rule
    if extra:
        body.update(extra)
    return Response(body, status_code=status, media_type=PROBLEM, headers=headers)


def domain_error_handler(request: Request[Any, Any, Any], exc: DomainError) -> Response[Any]:
    if is_page_request(request):
        if isinstance(exc, NotAuthenticated):
            return sign_in_redirect(request)
        return error_page(request, exc.status_code, exc.detail)
    headers = None
    if isinstance(exc, TooManyRequests):
        headers = {"Retry-After": str(exc.retry_after_seconds)}
    return problem(exc.status_code, exc.title, exc.detail, field=exc.field, rule=exc.rule, headers=headers)


def validation_error_handler(request: Request[Any, Any, Any], exc: ValidationException) -> Response[Any]:
    if is_page_request(request):
        return error_page(request, 400, "Something in what was sent was not understood. Go back, try again.")
    errors = exc.extra if isinstance(exc.extra, list) else []
    field = None
    message = exc.detail
    if errors and isinstance(errors[0], dict):
        first = errors[0]
        field = str(first.get("key") or "") or None
        message = str(first.get("message") or message)
    if field and field.startswith("$."):
        field = field[2:]
    detail = _plain_validation_message(message, field)
    return problem(400, "Invalid input", detail, field=field, rule="validation", extra={"errors": errors})


def _plain_validation_message(message: str, field: str | None) -> str:
    if "Object contains unknown field" in message:
        return (
            f"Unknown field: {message.split('`')[1] if '`' in message else message}. Remove it and try again."
        )
    if field:
        return f"{field}: {message}"
    if message.startswith("Validation failed") or "JSON is malformed" in message or "malformed" in message:
        return "The request body is not valid JSON, or is missing. Send a JSON object."
    return message


def http_error_handler(request: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
    if is_page_request(request):
        if exc.status_code == 401:
            return sign_in_redirect(request)
        if "CSRF" in exc.detail:
            return error_page(request, 403, CSRF_DETAIL)
        return error_page(request, exc.status_code)
    title = {401: "Sign in needed", 403: "Not allowed", 404: "Not found", 405: "Method not allowed"}.get(
        exc.status_code, "Error"
    )
    detail = exc.detail
    if "CSRF" in detail:
        detail = CSRF_DETAIL
    return problem(
        exc.status_code, title, detail, rule="csrf" if "CSRF" in exc.detail else None, headers=exc.headers
    )


def integrity_error_handler(request: Request[Any, Any, Any], exc: IntegrityError) -> Response[Any]:
    text = str(exc.orig)
    for name, message in wiring_of(request.app.state).hooks.constraint_messages.items():
        if name in text:
            if is_page_request(request):
                return error_page(request, HTTP_409_CONFLICT, message)
            return problem(HTTP_409_CONFLICT, "Conflict", message, rule=name)
    log.warning("db.integrity_conflict", error_type=type(exc.orig).__name__)
    if is_page_request(request):
        return error_page(request, HTTP_409_CONFLICT, "That clashes with a change saved at the same moment.")
    return problem(
        HTTP_409_CONFLICT,
        "Conflict",
        "That change clashes with something saved at the same moment. Reload and try again.",
        rule="conflict",
    )


def dbapi_error_handler(request: Request[Any, Any, Any], exc: DBAPIError) -> Response[Any]:
    text = str(exc.orig).lower()
    if "could not serialize" in text or "deadlock" in text or "database is locked" in text:
        if is_page_request(request):
            return error_page(request, HTTP_409_CONFLICT, "Someone else changed this at the same moment.")
        return problem(
            HTTP_409_CONFLICT,
            "Conflict",
            "Someone else changed this at the same moment. Try again.",
            rule="concurrent_update",
        )
    return internal_error_handler(request, exc)


def internal_error_handler(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    log.error(
        "http.unhandled_error",
        error_type=type(exc).__name__,
        method=request.method,
        path=request.url.path,
        exc_info=exc,
    )
    if is_page_request(request):
        return error_page(request, HTTP_500_INTERNAL_SERVER_ERROR)
    return problem(
        HTTP_500_INTERNAL_SERVER_ERROR,
        "Something went wrong",
        "Something went wrong on our side. Nothing you sent was lost; try again in a moment.",
    )


def not_utf8_handler(request: Request[Any, Any, Any], exc: UnicodeDecodeError) -> Response[Any]:
    """Client text that is not UTF-8 and was decoded outside slivers.http.request_body (a multipart
    field read by Litestar's own extractor) is the client's error, not a 500."""
    return domain_error_handler(request, not_utf8())


EXCEPTION_HANDLERS: dict[Any, Any] = {
    DomainError: domain_error_handler,
    UnicodeDecodeError: not_utf8_handler,
    ValidationException: validation_error_handler,
    HTTPException: http_error_handler,
    IntegrityError: integrity_error_handler,
    DBAPIError: dbapi_error_handler,
    HTTP_500_INTERNAL_SERVER_ERROR: internal_error_handler,
}
