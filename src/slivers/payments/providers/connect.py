"""Stripe Connect for self-employed workers: onboarding to an Express account, and its status.

Only a self-employed paid worker is paid by transfer; employed workers and volunteers are paid
through payroll from the ledger (volunteers never for time). The account is created under
`worker:{id}:connect:account`, so onboarding however often repeated finds one account. Its status
is ours only once Stripe says so: `account.updated` (verified, re-read from Stripe) and the
reconciliation sweep update the row (`connect_sync`).

Stripe is called outside any database transaction: reads and writes are short units of work on
either side of the call (on SQLite every transaction holds the write lock).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

import anyio.to_thread
import msgspec
from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from uuid_utils.compat import uuid7

from slivers.accounts.actor import Actor
from slivers.accounts.models import OrgRole, Worker
from slivers.clock import Clock
from slivers.db.engine import dialect_name
from slivers.errors import Forbidden, NotFound
from slivers.payments.models import WorkerPayoutAccount
from slivers.payments.providers.stripe_access import stripe_gateway
from slivers.payments.providers.stripe_gateway import StripeGateway
from slivers.wiring import Wiring

# Where Stripe sends the worker back; `Settings.extra` may override them (absolute URLs).
RETURN_PATH = "/work?payout_account=done"
REFRESH_PATH = "/work?payout_account=expired"


class PayoutAccountStatus(StrEnum):
    NOT_STARTED = "not_started"
    DETAILS_NEEDED = "details_needed"
    CHECKING = "checking"
    ENABLED = "enabled"


STATUS_WORDS = {
    PayoutAccountStatus.NOT_STARTED: "You have not set up payments to your bank through Stripe yet.",
    PayoutAccountStatus.DETAILS_NEEDED: "Stripe still needs some details from you. Continue setting up "
    "to be paid.",
    PayoutAccountStatus.CHECKING: "Stripe has your details and is checking them. You will be paid "
    "through Stripe once it has finished.",
    PayoutAccountStatus.ENABLED: "Stripe pays what you earn to your bank account.",
}


class PayoutAccountRead(msgspec.Struct, kw_only=True):
    worker_id: uuid.UUID
    status: str  # not_started | details_needed | checking | enabled
    status_text: str
    stripe_account_id: str | None = None
    charges_enabled: bool = False
    payouts_enabled: bool = False
    details_submitted: bool = False


class PayoutOnboardingRead(msgspec.Struct, kw_only=True):
    onboarding_url: str  # Stripe's hosted onboarding; expires within minutes, ask again for a new one
    account: PayoutAccountRead


def account_status(row: WorkerPayoutAccount | None) -> PayoutAccountStatus:
    if row is None:
        return PayoutAccountStatus.NOT_STARTED
    if row.payouts_enabled:
        return PayoutAccountStatus.ENABLED
    if row.details_submitted:
        return PayoutAccountStatus.CHECKING
    return PayoutAccountStatus.DETAILS_NEEDED


def read_account(worker_id: uuid.UUID, row: WorkerPayoutAccount | None) -> PayoutAccountRead:
    status = account_status(row)
    return PayoutAccountRead(
        worker_id=worker_id,
        status=status.value,
        status_text=STATUS_WORDS[status],
        stripe_account_id=row.stripe_account_id if row else None,
        charges_enabled=bool(row and row.charges_enabled),
        payouts_enabled=bool(row and row.payouts_enabled),
        details_submitted=bool(row and row.details_submitted),
    )


def require_connect_eligible(worker: Worker) -> None:
    """Only a self-employed paid worker is paid by Connect transfer."""
    if worker.kind != "paid":
        raise Forbidden(
            "Volunteers are not paid for their time, so there is no payout account to set up.",
            rule="volunteer_not_paid",
        )
    if not worker.self_employed:
        raise Forbidden(
            "Only self-employed workers are paid through Stripe; your employer pays you through payroll.",
            rule="not_self_employed",
        )


async def own_worker(session: AsyncSession, actor: Actor) -> Worker:
    worker = await session.scalar(select(Worker).where(Worker.user_id == actor.user_id))
    if worker is None:
        raise NotFound("You do not have a worker profile.", rule="not_a_worker")
    return worker


async def payout_account_of(session: AsyncSession, worker_id: uuid.UUID) -> WorkerPayoutAccount | None:
    row: WorkerPayoutAccount | None = await session.scalar(
        select(WorkerPayoutAccount).where(WorkerPayoutAccount.worker_id == worker_id)
    )
    return row


async def require_payout_account_reader(session: AsyncSession, actor: Actor, worker_id: uuid.UUID) -> None:
    """The worker themself, or a coordinator of their organisation; anyone else is told it is not there."""
    worker = await session.get(Worker, worker_id)
    allowed = worker is not None and (
        worker.user_id == actor.user_id
        or (
            worker.organisation_id is not None
            and actor.has_org_role(worker.organisation_id, OrgRole.COORDINATOR.value)
        )
    )
    if not allowed:
        raise NotFound("No such worker.", rule="not_found")


def account_key(worker_id: uuid.UUID) -> str:
    return f"worker:{worker_id}:connect:account"


def link_key(worker_id: uuid.UUID, now: datetime) -> str:
    # A link expires within minutes, so each minute gets a new one; a double click shares one.
    return f"worker:{worker_id}:connect:link:{now:%Y%m%dT%H%M}"


def _require_gateway(wiring: Wiring) -> StripeGateway:
    gateway = stripe_gateway(wiring)
    if gateway is None:
        raise NotFound("Payments through Stripe are not set up on this server.", rule="stripe_not_configured")
    return gateway


async def _store_account(session: AsyncSession, clock: Clock, worker_id: uuid.UUID, account: str) -> None:
    """Insert the worker's account once; a concurrent onboarding got the same account from Stripe."""
    insert = postgresql.insert if dialect_name(session) == "postgresql" else sqlite.insert
    now = clock.now()
    await session.execute(
        insert(WorkerPayoutAccount)
        .values(
            id=uuid7(),
            worker_id=worker_id,
            stripe_account_id=account,
            charges_enabled=False,
            payouts_enabled=False,
            details_submitted=False,
            created_at=now,
            updated_at=now,
        )
        .on_conflict_do_nothing(index_elements=["worker_id"])
    )


async def start_onboarding(wiring: Wiring, actor: Actor, base_url: str) -> PayoutOnboardingRead:
    """Create (once) the worker's Express account and a fresh Account Link to Stripe's onboarding."""
    gateway = _require_gateway(wiring)
    async with wiring.unit_of_work() as session:
        worker = await own_worker(session, actor)
        require_connect_eligible(worker)
        row = await payout_account_of(session, worker.id)
        account = row.stripe_account_id if row else None
    worker_id = worker.id
    if account is None:
        created = await anyio.to_thread.run_sync(
            lambda: gateway.create_connect_account(worker_id=str(worker_id), key=account_key(worker_id))
        )
        account = created.id
        async with wiring.unit_of_work() as session:
            await _store_account(session, wiring.clock, worker_id, account)
    extra = wiring.settings.extra
    base = base_url.rstrip("/")
    refresh_url = extra.get("stripe_connect_refresh_url") or base + REFRESH_PATH
    return_url = extra.get("stripe_connect_return_url") or base + RETURN_PATH
    url = await anyio.to_thread.run_sync(
        lambda: gateway.create_onboarding_link(
            account=account,
            refresh_url=refresh_url,
            return_url=return_url,
            key=link_key(worker_id, wiring.clock.now()),
        )
    )
    async with wiring.unit_of_work() as session:
        stored = await payout_account_of(session, worker_id)
        return PayoutOnboardingRead(onboarding_url=url, account=read_account(worker_id, stored))
