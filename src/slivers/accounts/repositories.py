"""The accounts tables' plain reads and writes, through advanced-alchemy's repository."""

from __future__ import annotations

from slivers.accounts.models import ApiToken, Organisation, User
from slivers.db.repository import Repository


class UserRepository(Repository[User]):
    model_type = User


class OrganisationRepository(Repository[Organisation]):
    model_type = Organisation


class ApiTokenRepository(Repository[ApiToken]):
    model_type = ApiToken
