"""Random secrets for sessions, API tokens and invitations; only their SHA-256 is stored."""

from __future__ import annotations

import hashlib
import secrets

API_TOKEN_PREFIX = "slv_"  # noqa: S105 - a public prefix, not a secret


def new_secret(nbytes: int = 32) -> str:
    return secrets.token_urlsafe(nbytes)


def new_api_token() -> str:
    return API_TOKEN_PREFIX + secrets.token_urlsafe(32)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()
