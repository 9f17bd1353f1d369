"""Workers' market profiles (design 4.1): saved by the worker, shown in public only as a vetted summary."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from slivers.accounts.actor import Actor
from slivers.accounts.models import Worker
from slivers.audit.service import record
from slivers.clock import Clock
from slivers.errors import InvalidInput, NotFound
from slivers.market.models import WorkerMarketProfile
from slivers.market.rules.intervals import london_date
from slivers.market.rules.places import place_of, task_mask, task_types_checked
from slivers.market.rules.wages import minimum_rate_for_visit
from slivers.market.workers.reliability import reliability_of
from slivers.market.workers.schemas import (
    VettedRead,
    WorkerProfileRead,
    WorkerProfileUpdate,
    WorkerPublicRead,
)
from slivers.vetting.rules.explain import vetted_summary
from slivers.vetting.workers.subjects import load_subjects


async def my_worker(session: AsyncSession, actor: Actor) -> Worker:
    worker = await session.scalar(select(Worker).where(Worker.user_id == actor.user_id))
    if worker is None:
        raise NotFound(
            "You do not have a worker profile. Register as a worker or volunteer.", rule="not_a_worker"
        )
    return worker


class ProfileService:
    def __init__(self, session: AsyncSession, clock: Clock) -> None:
        self.session = session
        self.clock = clock

    async def update_mine(self, actor: Actor, data: WorkerProfileUpdate) -> WorkerProfileRead:
        worker = await my_worker(self.session, actor)
        place = place_of(data.home_postcode, field="home_postcode")
        tasks = task_types_checked(data.task_types, field="task_types")
        self._check_rate(worker.kind, data.hourly_rate_pence)
        attributes: dict[str, object] = dict(data.attributes)
        attributes["languages"] = sorted({language.strip().lower() for language in data.languages})
        if data.gender is not None:
            attributes["gender"] = data.gender.strip().lower()
        worker.home_postcode = place.postcode
        worker.max_travel_km = data.max_travel_km
        worker.task_types = tasks
        worker.hourly_rate_pence = data.hourly_rate_pence
        worker.min_notice_minutes = data.min_notice_minutes
        worker.min_visit_minutes = data.min_visit_minutes
        worker.max_visit_minutes = data.max_visit_minutes
        worker.max_minutes_per_day = data.max_minutes_per_day
        worker.max_minutes_per_week = data.max_minutes_per_week
        worker.instant_book = data.instant_book
        worker.attributes = attributes
        profile = await self.session.scalar(
            select(WorkerMarketProfile).where(WorkerMarketProfile.worker_id == worker.id)
        )
        if profile is None:
            profile = WorkerMarketProfile(worker_id=worker.id, home_lat=place.lat, home_lon=place.lon)
            self.session.add(profile)
        profile.home_lat, profile.home_lon = place.lat, place.lon
        profile.task_mask = task_mask(tasks)
        await record(
            self.session,
            self.clock,
            actor_id=actor.user_id,
            action="worker.profile_updated",
            subject_type="worker",
            subject_id=worker.id,
        )
        await self.session.flush()
        return await self.read_mine(actor)

    def _check_rate(self, kind: str, rate: int | None) -> None:
        if kind == "volunteer":
            if rate is not None:
                raise InvalidInput(
                    "Volunteers are not paid for their time, so leave the hourly rate empty.",
                    field="hourly_rate_pence",
                    rule="volunteer_no_rate",
                )
            return
        if rate is None:
            raise InvalidInput("Enter your hourly rate in pence.", field="hourly_rate_pence", rule="required")
        minimum = minimum_rate_for_visit(self.clock.now())
        if rate < minimum:
            raise InvalidInput(
                f"Your rate must be at least the National Living Wage, £{minimum / 100:.2f} an hour.",
                field="hourly_rate_pence",
                rule="below_living_wage",
            )

    async def read_mine(self, actor: Actor) -> WorkerProfileRead:
        worker = await my_worker(self.session, actor)
        return WorkerProfileRead(
            id=worker.id,
            first_name=worker.first_name,
            kind=worker.kind,
            status=worker.status,
            home_postcode=worker.home_postcode,
            max_travel_km=worker.max_travel_km,
            task_types=list(worker.task_types),
            hourly_rate_pence=worker.hourly_rate_pence,
            min_notice_minutes=worker.min_notice_minutes,
            min_visit_minutes=worker.min_visit_minutes,
            max_visit_minutes=worker.max_visit_minutes,
            max_minutes_per_day=worker.max_minutes_per_day,
            max_minutes_per_week=worker.max_minutes_per_week,
            instant_book=worker.instant_book,
            attributes=dict(worker.attributes),
            reliability=await reliability_of(self.session, worker.id, self.clock.now()),
        )

    async def public(self, worker_id: uuid.UUID) -> WorkerPublicRead:
        worker = await self.session.get(Worker, worker_id)
        if worker is None:
            raise NotFound("We cannot find that worker.", field="worker_id", rule="not_found")
        subject = (await load_subjects(self.session, [worker_id]))[worker_id]
        summary = vetted_summary(subject, london_date(self.clock.now()))
        return WorkerPublicRead(
            id=worker.id,
            first_name=worker.first_name,
            kind=worker.kind,
            task_types=list(worker.task_types),
            hourly_rate_pence=worker.hourly_rate_pence,
            instant_book=worker.instant_book,
            vetted=None
            if summary is None
            else VettedRead(
                status=summary.status, check_level=summary.check_level, issued_on=summary.issued_on
            ),
        )
