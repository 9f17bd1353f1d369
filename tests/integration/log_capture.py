"""The app logging in each format (console, JSON, console with debug on), and checks on what the
captured log says. Import `app` and `log_format` into a test module to run it in every format."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from litestar import Litestar

from slivers.app import create_app
from slivers.clock import FrozenClock
from slivers.config import Settings
from slivers.gateways.channels import InMemoryMailer

NOTE = "Insulin at noon; HIV positive; lives alone"
ADDRESS = "14 Quiet Lane, Hitchin"
# Parts of the note and address, so a quoted, truncated or re-wrapped copy is caught too.
FRAGMENTS = ("Insulin", "HIV", "Quiet Lane")


@pytest.fixture(params=["console", "json", "console-debug"])
def log_format(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
async def app(
    settings: Settings, clock: FrozenClock, mailer: InMemoryMailer, log_format: str
) -> AsyncIterator[Litestar]:
    logged = dataclasses.replace(settings, log_json=log_format == "json", debug=log_format.endswith("debug"))
    application = create_app(logged, clock=clock, mailer=mailer)
    yield application
    await application.state.wiring.dispose()


def captured(capsys: pytest.CaptureFixture[str]) -> str:
    out, err = capsys.readouterr()
    return out + err


def assert_nothing_secret(output: str, *secrets: str) -> None:
    for secret in (NOTE, ADDRESS, *secrets):
        assert secret not in output
    for fragment in FRAGMENTS:
        assert fragment not in output


def the_event(output: str, event: str, log_format: str) -> dict[str, Any] | str:
    """The one log line for `event`: parsed in the JSON format (every line must parse), else the text."""
    if log_format == "json":
        lines = [json.loads(line) for line in output.splitlines() if line.strip()]
        found: list[Any] = [line for line in lines if line["event"] == event]
    else:
        found = [line for line in output.splitlines() if event in line]
    assert len(found) == 1, output
    result: dict[str, Any] | str = found[0]
    return result


def assert_traceback_without_locals(output: str, event: dict[str, Any] | str, error_types: set[str]) -> None:
    if isinstance(event, dict):
        exception = event["exception"][0]
        assert exception["exc_type"] in error_types
        assert exception["frames"]
        assert all("locals" not in frame for frame in exception["frames"])
    else:
        assert "Traceback (most recent call last)" in output
        assert any(f"{name}:" in output for name in error_types), output
