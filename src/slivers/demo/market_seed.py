"""The demo's working market: vetted credentials, profiles and weekly availability for the workers, a
council budget for every person, open requests next week and a few offers, all made through the same
services the API uses (so the demo obeys the same rules)."""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from slivers.accounts.actor import Actor
from slivers.accounts.models import Organisation, Person, User, Worker
from slivers.clock import LONDON, Clock
from slivers.errors import DomainError
from slivers.market.availability.schemas import WeeklyCreate
from slivers.market.availability.service import AvailabilityService
from slivers.market.booking.schemas import BookingCreate
from slivers.market.booking.service import BookingService
from slivers.market.candidates.service import CandidateService
from slivers.market.models import AvailabilityRule, CareRequest
from slivers.market.requests.schemas import RequestCreate
from slivers.market.requests.service import RequestService
from slivers.market.workers.schemas import WorkerProfileUpdate
from slivers.market.workers.service import ProfileService
from slivers.payments.ledger.database import DbLedger
from slivers.payments.models import Budget
from slivers.payments.rules import ledger
from slivers.vetting.models import Credential
from slivers.vetting.rules.catalogue import DEFAULT_POLICY
from slivers.vetting.rules.eligibility import CredentialRecord, credential_valid_until

REQUEST_MIXES = [
    ["companionship"],
    ["escort"],
    ["personal_care"],
    ["domestic", "meal_preparation"],
    ["companionship", "meal_preparation"],
]
PENDING_WORKERS = 2  # the last two workers wait in the coordinator's vetting queue
BUDGET_PENCE = 60_000


def actor_for(user: User) -> Actor:
    return Actor(
        user_id=user.id,
        email=user.email,
        display_name=user.display_name,
        account_type=user.account_type,
        via="demo",
    )


async def seed_worker_market(
    session: AsyncSession,
    clock: Clock,
    rng: random.Random,
    user: User,
    worker: Worker,
    coordinator: User,
    *,
    pending: bool,
) -> None:
    actor = actor_for(user)
    await ProfileService(session, clock).update_mine(
        actor,
        WorkerProfileUpdate(
            home_postcode=worker.home_postcode or "SG1 1AA",
            max_travel_km=worker.max_travel_km,
            task_types=list(worker.task_types),
            hourly_rate_pence=worker.hourly_rate_pence,
            min_notice_minutes=worker.min_notice_minutes,
            instant_book=worker.instant_book,
            languages=list(worker.attributes.get("languages", ["english"])),
            gender=worker.attributes.get("gender"),
            attributes={"non_smoker": True, "pets_ok": bool(worker.attributes.get("pets_ok"))},
        ),
    )
    has_rules = await session.scalar(select(func.count()).where(AvailabilityRule.worker_id == worker.id))
    if not has_rules:
        today = clock.now().astimezone(LONDON).date()
        days = sorted(rng.sample(range(7), k=rng.randint(3, 6)))
        start = rng.choice([time(8, 0), time(9, 0), time(12, 0)])
        await AvailabilityService(session, clock).add(
            actor,
            WeeklyCreate(
                weekdays=days, start_time=start, end_time=time(min(start.hour + 9, 21), 0), from_date=today
            ),
        )
    has_credentials = await session.scalar(select(func.count()).where(Credential.worker_id == worker.id))
    if not has_credentials:
        _add_credentials(session, clock, rng, worker, coordinator, pending=pending)
    if pending:
        worker.status = "pending"


def _add_credentials(
    session: AsyncSession,
    clock: Clock,
    rng: random.Random,
    worker: Worker,
    coordinator: User,
    *,
    pending: bool,
) -> None:
    now = clock.now()
    today = now.astimezone(LONDON).date()
    for ctype in DEFAULT_POLICY.credential_types:
        if ctype.code in {"pvg_adults", "public_liability"} and not (
            ctype.code == "public_liability" and worker.self_employed
        ):
            continue
        for _ in range(ctype.required_count):
            # Some one-year trainings were taken nearly a year ago, so the demo shows expiry warnings.
            issued = today - timedelta(days=rng.randint(30, 360))
            status = "submitted" if pending else "verified"
            record = CredentialRecord(id="demo", type_code=ctype.code, status=status, issued_on=issued)  # type: ignore[arg-type]
            session.add(
                Credential(
                    worker_id=worker.id,
                    type_code=ctype.code,
                    status=status,
                    issued_on=issued,
                    valid_until=None if pending else credential_valid_until(record, DEFAULT_POLICY),
                    certificate_number="00" + str(rng.randint(10**9, 10**10 - 1))
                    if ctype.is_criminal_record_check
                    else None,
                    level="enhanced" if ctype.is_criminal_record_check else None,
                    barred_adults_checked=ctype.is_criminal_record_check,
                    submitted_at=now,
                    decided_at=None if pending else now,
                    decided_by_id=None if pending else coordinator.id,
                )
            )


async def seed_budget(
    session: AsyncSession, clock: Clock, person: Person, council: Organisation, funder: User
) -> Budget:
    found = await session.scalar(select(Budget).where(Budget.person_id == person.id))
    if found is not None:
        return found
    budget = Budget(
        person_id=person.id,
        kind="direct_payment",
        name="Direct payment",
        funder_org_id=council.id,
        created_by_id=funder.id,
    )
    session.add(budget)
    await session.flush()
    await DbLedger(session, clock).post(
        ledger.top_up(budget.id, budget.funder_owner, BUDGET_PENCE, f"topup:demo:{budget.id}")
    )
    return budget


async def seed_request(
    session: AsyncSession,
    clock: Clock,
    rng: random.Random,
    n: int,
    carer: User,
    person: Person,
    budget: Budget,
) -> None:
    if await session.scalar(select(func.count()).where(CareRequest.person_id == person.id)):
        return
    day = clock.now().astimezone(LONDON).date() + timedelta(days=2 + n % 6)
    start = datetime.combine(day, time(rng.choice([10, 11, 13, 14])), tzinfo=LONDON)
    actor = actor_for(carer)
    try:
        created = await RequestService(session, clock).create(
            actor,
            RequestCreate(
                person_id=person.id,
                task_types=REQUEST_MIXES[n % len(REQUEST_MIXES)],
                start=start,
                end=start + timedelta(hours=rng.choice([2, 3])),
                budget_id=budget.id,
                volunteers_first=n % 4 == 0,
            ),
        )
        if n % 3 == 0:  # some carers have already picked a worker, who now has an offer waiting
            listed = await CandidateService(session, clock).list(actor, created.id, None, 1)
            if listed.candidates:
                await BookingService(session, clock).create(
                    actor, BookingCreate(request_id=created.id, worker_id=listed.candidates[0].worker_id)
                )
    except DomainError:
        return  # a demo request that does not fit is simply left out
