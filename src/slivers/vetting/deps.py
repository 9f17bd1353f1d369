"""The vetting services for a request: the one set of providers the API controllers and the pages share."""

from __future__ import annotations

from litestar.datastructures import State
from litestar.di import NamedDependency, Provide
from sqlalchemy.ext.asyncio import AsyncSession

from slivers.clock import Clock
from slivers.config import Settings
from slivers.http.deps import wiring_of
from slivers.vetting.catalogue.service import CatalogueService
from slivers.vetting.credentials.decisions import DecisionService
from slivers.vetting.credentials.evidence import EvidenceService, evidence_store
from slivers.vetting.credentials.service import CredentialService
from slivers.vetting.credentials.status_checks import StatusCheckService
from slivers.vetting.workers.oversight import OversightService
from slivers.vetting.workers.service import WorkerStandingService


def provide_credentials(
    db_session: NamedDependency[AsyncSession], clock: NamedDependency[Clock]
) -> CredentialService:
    return CredentialService(db_session, clock)


def provide_decisions(
    db_session: NamedDependency[AsyncSession], clock: NamedDependency[Clock], state: State
) -> DecisionService:
    return DecisionService(db_session, clock, wiring_of(state).hooks.worker_lost_handlers)


def provide_status_checks(
    db_session: NamedDependency[AsyncSession], clock: NamedDependency[Clock], state: State
) -> StatusCheckService:
    return StatusCheckService(db_session, clock, wiring_of(state).hooks.worker_lost_handlers)


def provide_evidence(
    db_session: NamedDependency[AsyncSession],
    clock: NamedDependency[Clock],
    settings: NamedDependency[Settings],
) -> EvidenceService:
    return EvidenceService(db_session, clock, evidence_store(settings))


def provide_standing(
    db_session: NamedDependency[AsyncSession],
    clock: NamedDependency[Clock],
    settings: NamedDependency[Settings],
    state: State,
) -> WorkerStandingService:
    return WorkerStandingService(
        db_session,
        clock,
        wiring_of(state).hooks.worker_lost_handlers,
        supervision_days=settings.supervision_days,
    )


def provide_oversight(
    db_session: NamedDependency[AsyncSession], clock: NamedDependency[Clock]
) -> OversightService:
    return OversightService(db_session, clock)


def provide_catalogue(
    db_session: NamedDependency[AsyncSession], clock: NamedDependency[Clock]
) -> CatalogueService:
    return CatalogueService(db_session, clock)


API_DEPENDENCIES: dict[str, Provide] = {
    "catalogue": Provide(provide_catalogue, sync_to_thread=False),
    "credentials": Provide(provide_credentials, sync_to_thread=False),
    "decisions": Provide(provide_decisions, sync_to_thread=False),
    "evidence": Provide(provide_evidence, sync_to_thread=False),
    "status_checks": Provide(provide_status_checks, sync_to_thread=False),
    "standing": Provide(provide_standing, sync_to_thread=False),
    "oversight": Provide(provide_oversight, sync_to_thread=False),
}
