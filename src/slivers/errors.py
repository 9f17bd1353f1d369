"""Domain errors. Services raise these; one exception handler turns them into problem+json responses."""

from __future__ import annotations


class DomainError(Exception):
    status_code = 400
    title = "Bad request"

    def __init__(self, detail: str, *, field: str | None = None, rule: str | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.field = field
        self.rule = rule


class InvalidInput(DomainError):
    status_code = 400
    title = "Invalid input"


class NotAuthenticated(DomainError):
    status_code = 401
    title = "Sign in needed"


class Forbidden(DomainError):
    status_code = 403
    title = "Not allowed"


class NotFound(DomainError):
    status_code = 404
    title = "Not found"


class Conflict(DomainError):
    status_code = 409
    title = "Conflict"


class TooManyRequests(DomainError):
    status_code = 429
    title = "Too many attempts"

    def __init__(self, detail: str, *, retry_after_seconds: int) -> None:
        super().__init__(detail, rule="rate_limited")
        self.retry_after_seconds = retry_after_seconds
