"""Password hashing (argon2id, rehashed when parameters change) and the password rules."""

from __future__ import annotations

import os

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn import zxcvbn
from zxcvbn.frequency_lists import FREQUENCY_LISTS

from slivers.errors import InvalidInput

MIN_LENGTH = 10
MAX_LENGTH = 128


def _hasher_for(profile: str) -> PasswordHasher:
    """argon2id with its recommended parameters; the test suite asks for a cheap profile, since it
    registers hundreds of users (SLIVERS_PASSWORD_HASHING=fast-for-tests, never in production)."""
    if profile == "fast-for-tests":
        return PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1)
    return PasswordHasher()


_hasher = _hasher_for(os.environ.get("SLIVERS_PASSWORD_HASHING", "default"))
# A fixed hash to verify against when the email is unknown, so both paths take the same time.
_DUMMY_HASH = _hasher.hash("not-a-real-password-but-the-same-cost")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(stored_hash or _DUMMY_HASH, password) and stored_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    return _hasher.check_needs_rehash(stored_hash)


def check_password_rules(password: str, *, email: str = "", name: str = "") -> None:
    if len(password) < MIN_LENGTH:
        raise InvalidInput(
            f"Use a password of at least {MIN_LENGTH} characters.", field="password", rule="min_length"
        )
    if len(password) > MAX_LENGTH:
        raise InvalidInput(
            f"Use a password of at most {MAX_LENGTH} characters.", field="password", rule="max_length"
        )
    if password.lower() in _COMMON:
        raise InvalidInput(
            "That password is on a list of common passwords. Try three or four random words.",
            field="password",
            rule="common",
        )
    # zxcvbn's estimate also catches names, dates, keyboard patterns and the user's own details.
    if zxcvbn(password, user_inputs=[email, email.split("@", 1)[0], name])["score"] < 2:
        raise InvalidInput(
            "That password is too easy to guess. Try three or four random words.",
            field="password",
            rule="too_guessable",
        )


_COMMON = frozenset(FREQUENCY_LISTS["passwords"])
