"""A process that never loads the web app (the `slivers` CLI, the scheduler) still refuses `approve`
to a worker who works for the person: the market's check is in the wiring every entry point builds
(slivers.assembly), not registered when some market module happens to be imported."""

from __future__ import annotations

import os
import sys
from typing import Any

import anyio
import pytest

from slivers.config import Settings
from tests.integration.accounts.test_persons_and_circles import invite_and_accept
from tests.integration.market.conftest import Market

# Run in a fresh interpreter: load only the entry point's module, take the wiring the way that
# entry point does, and try to give the worker `approve` in the person's circle.
SCRIPT = """
import asyncio, importlib, sys, uuid

importlib.import_module(sys.argv[1])
from slivers.accounts.actor import Actor
from slivers.accounts.person_service import PersonService
from slivers.cli_environment import command_wiring
from slivers.errors import Forbidden

carer_id, person_id, member_id = (uuid.UUID(value) for value in sys.argv[2:5])


async def grant() -> str:
    wiring = command_wiring()
    try:
        async with wiring.unit_of_work() as session:
            service = PersonService(session, wiring.clock, wiring.hooks.worker_relation_checks)
            actor = Actor(carer_id, "", "", "individual", "token")
            try:
                await service.set_permissions(actor, person_id, member_id, ["view", "approve"])
            except Forbidden as refused:
                return str(refused.rule)
            return "granted"
    finally:
        await wiring.dispose()


loaded = sorted(m for m in ("slivers.app", "slivers.web", "slivers.market.controllers") if m in sys.modules)
print(f"loaded {loaded}" if loaded else asyncio.run(grant()))
"""


@pytest.mark.parametrize("entry_point", ["slivers.cli", "slivers.jobs.scheduler"])
async def test_a_bare_process_refuses_approve_to_a_worker_who_works_for_the_person(
    market: Market, settings: Settings, mailer: Any, entry_point: str
) -> None:
    worker = await market.worker()
    carer, person_id = await market.carer()
    member = await invite_and_accept(carer, worker, person_id, ["view"], mailer)
    request = await market.request(carer, person_id)
    await market.book(carer, request, worker)  # an offer is enough to work for the person

    env = {
        **os.environ,
        "SLIVERS_DATABASE_URL": settings.database_url,
        "SLIVERS_DATA_DIR": str(settings.data_dir),
        "SLIVERS_SECRET_KEY": settings.secret_key,
    }
    with anyio.fail_after(120):
        done = await anyio.run_process(
            [sys.executable, "-c", SCRIPT, entry_point, carer.user["id"], person_id, member["id"]],
            env=env,
            check=False,
        )
    assert done.returncode == 0, done.stderr.decode()
    assert done.stdout.decode().strip() == "worker_conflict_of_interest"
