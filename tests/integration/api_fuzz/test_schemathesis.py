"""The API fuzzed (issue 11, section 5): schemathesis generates requests for every operation of the
live server's OpenAPI document, signed in as each role and anonymous, on both databases, and every
answer must be no 500, a documented status, a documented content type and a body of the documented
shape.

Reproducible: a fixed seed, derandomized generation, the roles in a fixed order, each with freshly
seeded data on the one server of the run. Bounded to fit `make test` (see docs/testing.md for the
figures): on SQLite the signed-in roles get the coverage phase (boundary and negative values of
every parameter and body field) and a few fuzzed examples per operation; PostgreSQL runs the same
handlers, so it gets more fuzzed examples and no coverage phase.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis

from slivers.config import Settings
from tests.integration.api_fuzz import fuzz_run
from tests.integration.api_fuzz.seed import seed

ROLES = ["anonymous", "carer", "worker", "coordinator", "funder"]
# Ids a request body names (a new request's person and budget, a booking's request and worker): fixed
# to the role's own, as path parameters are, so bodies can pass the ownership checks.
BODY_IDS = ("person_id", "budget_id", "request_id", "worker_id")
SEED = 20261204
# Fuzzed examples per operation, and whether the coverage phase runs (boundary and negative values of
# every parameter and body field: about 2,500 cases a role). Anonymous requests stop at the sign-in
# check on all but a few operations, so they get fuzzed examples only.
BUDGET = {
    "sqlite": {"max_examples": 5, "coverage": True},
    "postgresql": {"max_examples": 5, "coverage": False},
}


def budget(database: str, role: str) -> dict[str, Any]:
    if role == "anonymous":
        return {"max_examples": 5, "coverage": False}
    return BUDGET[database]


@pytest.mark.slow
def test_every_operation_conforms_for_every_role(
    live_server: str, live_settings: Settings, database: str
) -> None:
    problems: list[str] = []
    for role in ROLES:
        headers: dict[str, str] = {}
        parameters: dict[str, str] = {}
        if role != "anonymous":
            account = seed(live_server, live_settings.database_url).accounts[role]
            headers = {"Authorization": f"Bearer {account.token}"}
            parameters = {f"path.{name}": value for name, value in account.ids.items()}
            parameters |= {f"body.{name}": account.ids[name] for name in BODY_IDS if name in account.ids}
        config = fuzz_run.config(seed=SEED, headers=headers, parameters=parameters, **budget(database, role))
        schema = schemathesis.openapi.from_url(f"{live_server}/schema/openapi.json", config=config)
        report = fuzz_run.run(schema)
        print(f"schemathesis {database} {role}: {report.summary()}")
        problems += [f"[{role}] {finding}" for finding in report.findings]
        problems += [f"[{role}] error: {error}" for error in report.errors]
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)
