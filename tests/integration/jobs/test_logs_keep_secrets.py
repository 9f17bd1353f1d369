"""Outside a request too: a failing scheduled job and a failing command are logged usefully (which
job or command, the error type, a traceback without locals) and without the secrets they held."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import anyio
import pytest
from click.testing import CliRunner
from litestar import Litestar
from sqlalchemy import text

from slivers.accounts.org_service import OrganisationService
from slivers.config import Settings
from slivers.jobs.base import JobContext, SweepJob
from slivers.jobs.scheduler import run_guarded
from tests.integration.log_capture import (
    ADDRESS,
    NOTE,
    app,
    assert_nothing_secret,
    assert_traceback_without_locals,
    captured,
    log_format,
    the_event,
)

__all__ = ["app", "log_format"]
DB_ERRORS = {"OperationalError", "ProgrammingError"}
TOKEN = "slv_" + "k" * 43
EMAIL = "private.person@example.org"


async def _fail_with_secrets(session: Any) -> None:
    needs, token = NOTE, TOKEN  # locals a traceback could show
    await session.execute(
        text("SELECT x FROM no_such_table WHERE a = :needs AND b = :token AND c = :address"),
        {"needs": needs, "token": token, "address": ADDRESS},
    )


async def test_a_failing_job_is_logged_without_the_secrets_it_held(
    app: Litestar, log_format: str, capsys: pytest.CaptureFixture[str]
) -> None:
    async def run(context: JobContext) -> int:
        await _fail_with_secrets(context.session)
        return 1

    job = SweepJob(id="test.leaky", description="fails", every=timedelta(minutes=5), run=run)
    captured(capsys)
    await run_guarded(app.state.wiring, job)  # a failure is logged, not raised
    output = captured(capsys)
    event = the_event(output, "job.failed", log_format)
    assert "test.leaky" in str(event)
    assert_traceback_without_locals(output, event, DB_ERRORS)
    assert_nothing_secret(output, TOKEN)


async def test_a_failing_command_is_logged_without_the_secrets_it_held(
    app: Litestar,
    settings: Settings,
    log_format: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from slivers.cli import main

    async def add_member(self: OrganisationService, *args: Any, **kwargs: Any) -> None:
        await _fail_with_secrets(self.session)

    async def by_name(self: OrganisationService, name: str) -> Any:
        return name

    monkeypatch.setattr(OrganisationService, "add_member", add_member)
    monkeypatch.setattr(OrganisationService, "by_name", by_name)
    monkeypatch.setenv("SLIVERS_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("SLIVERS_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("SLIVERS_LOG_JSON", "1" if log_format == "json" else "0")

    def invoke() -> Any:
        return CliRunner().invoke(main, ["org", "add-member", "Carers", EMAIL, "--role", "coordinator"])

    result = await anyio.to_thread.run_sync(invoke)
    assert result.exit_code == 1
    output = result.output + captured(capsys)
    event = the_event(output, "cli.command_failed", log_format)
    assert "org" in str(event)
    assert_traceback_without_locals(output, event, DB_ERRORS)
    assert_nothing_secret(output, TOKEN, EMAIL)


def test_the_server_leaves_uvicorns_logs_to_ours(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """uvicorn's own logging config would render its lines (the request line, with its query string,
    and its tracebacks) past the redaction; `slivers serve` turns it off."""
    import uvicorn

    from slivers.cli import main

    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: calls.append(kwargs))
    monkeypatch.setenv("SLIVERS_DATA_DIR", str(tmp_path))
    result = CliRunner().invoke(main, ["serve", "--port", "8123"])
    assert result.exit_code == 0, result.output
    assert calls[0]["log_config"] is None
