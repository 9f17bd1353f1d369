"""The OpenAPI document says what the API answers: problems for every 4xx, no body for a 204, times of
day as HH:MM:SS, and the media types of the answers that are not JSON (which say their charset once)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from tests.integration.conftest import ApiClient, StaffFactory

METHODS = {"get", "post", "put", "patch", "delete"}


async def _document(anonymous: Callable[[], ApiClient]) -> dict[str, Any]:
    response = await anonymous().get("/schema/openapi.json")
    assert response.status_code == 200
    document: dict[str, Any] = response.json()
    return document


async def test_every_api_operation_documents_its_problem_answers(anonymous: Callable[[], ApiClient]) -> None:
    document = await _document(anonymous)
    problem = document["components"]["schemas"]["Problem"]
    assert set(problem["required"]) == {"status", "title", "detail"}
    assert {"type", "field", "rule", "errors"} <= set(problem["properties"])
    operations = [
        (path, method, operation)
        for path, item in document["paths"].items()
        if path.startswith("/api/")
        for method, operation in item.items()
        if method in METHODS
    ]
    assert len(operations) > 80
    for path, method, operation in operations:
        for status in ("400", "401", "403", "404", "409", "413", "429"):
            content = operation["responses"][status]["content"]
            assert content == {
                "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
            }, (
                method,
                path,
                status,
            )
        if "204" in operation["responses"]:
            assert "content" not in operation["responses"]["204"], (method, path)


async def test_times_of_day_and_non_json_answers_are_documented_as_sent(
    anonymous: Callable[[], ApiClient],
) -> None:
    document = await _document(anonymous)
    local_start = document["components"]["schemas"]["OccurrenceRead"]["properties"]["local_start_time"]
    assert "format" not in local_start
    assert re.fullmatch(local_start["pattern"], "09:30:00")
    assert not re.fullmatch(local_start["pattern"], "P1D")
    paths = document["paths"]

    def media_types(path: str) -> set[str]:
        return set(paths[path]["get"]["responses"]["200"]["content"])

    assert media_types("/api/v1/budgets/{budget_id}/statement") == {"text/*"}
    assert media_types("/api/v1/organisations/{organisation_id}/payouts.csv") == {"text/csv"}
    assert media_types("/api/v1/calendar-feeds/{feed_file}") == {"text/calendar"}
    assert media_types("/api/v1/credentials/{credential_id}/evidence") == {"*/*"}


async def test_a_csv_answer_names_its_charset_once(org_staff: StaffFactory) -> None:
    coordinator = await org_staff("Stevenage Crossroads", "charity")
    organisation_id = coordinator.user["organisations"][0]["id"]
    response = await coordinator.get(f"/api/v1/organisations/{organisation_id}/payouts.csv")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
