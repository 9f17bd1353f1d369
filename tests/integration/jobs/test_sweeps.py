from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import func, select

from slivers.accounts.models import LoginAttempt, UserSession
from slivers.clock import FrozenClock
from slivers.jobs.registry import all_jobs, run_once
from slivers.jobs.scheduler import build_scheduler
from slivers.notifications.models import OutboxMessage
from tests.integration.conftest import Factory


def _job(job_id: str) -> Any:
    return next(job for job in all_jobs() if job.id == job_id)


async def _count(app: Any, model: Any) -> int:
    async with app.state.wiring.unit_of_work() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_purging_expired_sessions_twice_changes_nothing_the_second_time(
    app: Any, user: Factory, anonymous: Any, clock: FrozenClock
) -> None:
    await user()
    await user()
    await anonymous().post(
        "/api/v1/auth/login", json={"email": "x@example.org", "password": "wrong wrong wrong"}
    )
    assert await _count(app, UserSession) == 2
    job = _job("accounts.purge_expired_sessions")
    assert await run_once(app.state.wiring, job) == 0  # nothing has expired yet
    clock.advance(timedelta(days=15))
    assert await run_once(app.state.wiring, job) == 3  # two sessions and one failed sign-in
    assert await run_once(app.state.wiring, job) == 0
    assert await _count(app, UserSession) == 0
    assert await _count(app, LoginAttempt) == 0


async def test_outbox_sweep_sends_each_message_once(app: Any, user: Factory, mailer: Any) -> None:
    carer = await user()
    person = (
        await carer.post("/api/v1/persons", json={"display_name": "P", "home_postcode": "SG1 1AA"})
    ).json()
    await carer.post(
        f"/api/v1/persons/{person['id']}/circle",
        json={"email": "friend@example.org", "permissions": ["view"]},
    )
    job = _job("notifications.send_outbox")
    assert await run_once(app.state.wiring, job) == 1
    assert await run_once(app.state.wiring, job) == 0
    assert [to for to, _, _ in mailer.sent] == ["friend@example.org"]
    assert "circle of support" in mailer.sent[0][2]
    async with app.state.wiring.unit_of_work() as session:
        assert await session.scalar(select(func.count()).where(OutboxMessage.sent_at.is_(None))) == 0


async def test_the_scheduler_runs_every_job_at_start_and_folds_missed_runs(app: Any) -> None:
    scheduler = build_scheduler(app.state.wiring)
    jobs = scheduler.get_jobs()
    assert {job.id for job in jobs} == {job.id for job in all_jobs()}
    for job in jobs:
        assert job.coalesce is True
        assert job.max_instances == 1
        assert job.misfire_grace_time == int(job.trigger.interval.total_seconds())
        assert job.next_run_time is not None  # runs as soon as the process starts: nothing missed is skipped
