"""The accounts services for a request: the one set of providers the API controllers and the pages share."""

from __future__ import annotations

from litestar.datastructures import State
from litestar.di import NamedDependency
from sqlalchemy.ext.asyncio import AsyncSession

from slivers.accounts.auth_service import AuthService
from slivers.accounts.org_service import OrganisationService
from slivers.accounts.person_service import PersonService
from slivers.clock import Clock
from slivers.config import Settings
from slivers.http.deps import wiring_of


def provide_auth_service(
    db_session: NamedDependency[AsyncSession],
    clock: NamedDependency[Clock],
    settings: NamedDependency[Settings],
) -> AuthService:
    return AuthService(db_session, clock, session_days=settings.session_days)


def provide_person_service(
    db_session: NamedDependency[AsyncSession], clock: NamedDependency[Clock], state: State
) -> PersonService:
    return PersonService(db_session, clock, wiring_of(state).hooks.worker_relation_checks)


def provide_org_service(
    db_session: NamedDependency[AsyncSession], clock: NamedDependency[Clock]
) -> OrganisationService:
    return OrganisationService(db_session, clock)
