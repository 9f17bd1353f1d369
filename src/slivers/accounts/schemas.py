"""Request and response structures for accounts, organisations, persons and circles."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

import msgspec
from msgspec import Meta

from slivers.accounts.models import AccountType

Name = Annotated[str, Meta(min_length=1, max_length=200)]
Email = Annotated[str, Meta(min_length=3, max_length=254)]
Password = Annotated[str, Meta(min_length=1, max_length=128)]
LongText = Annotated[str, Meta(max_length=5000)]
Postcode = Annotated[str, Meta(min_length=2, max_length=10)]
Permission = Literal["view", "request", "approve", "manage"]
SelfServiceAccountType = Literal["service_user", "carer", "worker", "volunteer"]


class Strict(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """Base for every request body: unknown fields are refused, not ignored."""


class RegisterRequest(Strict):
    email: Email
    password: Password
    display_name: Name
    account_type: SelfServiceAccountType


class LoginRequest(Strict):
    email: Email
    password: Password


class TokenCreate(Strict):
    """Signed in (session cookie + CSRF, or a bearer token), name the token; or send `email` and
    `password` alone, without a cookie or CSRF token: a script's way in, throttled like sign-in."""

    name: Annotated[str, Meta(min_length=1, max_length=100)]
    expires_in_days: Annotated[int, Meta(ge=1, le=365)] | None = 90
    email: Email | None = None
    password: Password | None = None

    def __post_init__(self) -> None:
        if (self.email is None) != (self.password is None):
            raise ValueError("Send email and password together, or neither when you are signed in.")


class TokenCreated(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    name: str
    token: str
    expires_at: datetime | None


class TokenRead(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    name: str
    prefix: str
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    last_used_at: datetime | None


class OrganisationRole(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    name: str
    kind: str
    role: str


class MeRead(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    email: str
    display_name: str
    account_type: AccountType
    organisations: list[OrganisationRole]
    worker_id: uuid.UUID | None
    person_id: uuid.UUID | None


class OrganisationMemberAdd(Strict):
    email: Email
    role: Literal["coordinator", "funder"]


class OrganisationMemberRead(msgspec.Struct, kw_only=True):
    user_id: uuid.UUID
    display_name: str
    role: str


class PersonCreate(Strict):
    display_name: Name
    home_postcode: Postcode
    address: LongText = ""
    needs: LongText = ""
    support_notes: LongText = ""
    household_has_child: bool = False
    hard_requirements: dict[str, Any] = msgspec.field(default_factory=dict)
    preferences: dict[str, Any] = msgspec.field(default_factory=dict)
    is_me: bool = False


class PersonUpdate(Strict):
    display_name: Name | None = None
    home_postcode: Postcode | None = None
    address: LongText | None = None
    needs: LongText | None = None
    support_notes: LongText | None = None
    household_has_child: bool | None = None
    hard_requirements: dict[str, Any] | None = None
    preferences: dict[str, Any] | None = None


class PersonRead(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    display_name: str
    home_postcode: str
    household_has_child: bool
    hard_requirements: dict[str, Any]
    preferences: dict[str, Any]
    my_permissions: list[str]
    # Present only for those allowed to see them.
    address: str | None = None
    needs: str | None = None
    support_notes: str | None = None


class CircleInvite(Strict):
    email: Email
    permissions: Annotated[list[Permission], Meta(min_length=1, max_length=4)]


class CircleInviteRead(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    email: str
    permissions: list[str]
    expires_at: datetime


class CircleMemberRead(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    user_id: uuid.UUID
    display_name: str
    permissions: list[str]
    is_person: bool


class CircleRead(msgspec.Struct, kw_only=True):
    person_id: uuid.UUID
    members: list[CircleMemberRead]
    pending_invitations: list[CircleInviteRead]


class CirclePermissionsUpdate(Strict):
    permissions: Annotated[list[Permission], Meta(min_length=1, max_length=4)]


class InvitationAccept(Strict):
    token: Annotated[str, Meta(min_length=10, max_length=200)]
