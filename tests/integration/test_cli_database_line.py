"""Every `slivers` command says which database it opened, at start-up, without credentials (a
forgotten SLIVERS_DATA_DIR opens another, empty database, and the operator must see that)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import anyio
import pytest
from click.testing import CliRunner, Result

from slivers.cli import main
from slivers.config import Settings, database_shown


def _invoke(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def _database_line(result: Result) -> str:
    lines = [line for line in result.stderr.splitlines() if "cli.database" in line]
    assert len(lines) == 1, result.output
    return lines[0]


async def test_a_command_says_which_database_it_opened(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SLIVERS_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("SLIVERS_DATA_DIR", str(settings.data_dir))
    result = await anyio.to_thread.run_sync(_invoke, "db", "upgrade")
    assert result.exit_code == 0, result.output
    line = _database_line(result)
    shown = database_shown(settings.database_url)
    assert f"database={shown['database']}" in line
    assert "command=db" in line
    where = shown.get("path") or shown["url"]
    assert where in line
    assert "Database is up to date." in result.stdout  # the line is on stderr, not in the command's output


def test_without_a_url_it_is_the_file_in_the_data_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("SLIVERS_DATABASE_URL", raising=False)
    monkeypatch.setenv("SLIVERS_DATA_DIR", str(tmp_path / "elsewhere"))
    result = _invoke("db", "upgrade")
    assert result.exit_code == 0, result.output
    assert f"path={tmp_path / 'elsewhere' / 'slivers.db'}" in _database_line(result)


@pytest.mark.parametrize(
    "args", [("db", "upgrade"), ("org", "create", "Stevenage Carers", "--kind", "charity")]
)
def test_the_password_is_never_shown_even_when_the_server_refuses(
    args: tuple[str, ...], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # port 1 on this machine: nothing listens, so the command fails at once, after the line
    monkeypatch.setenv("SLIVERS_DATABASE_URL", "postgresql://operator:Sup3r-s3cret-pw@127.0.0.1:1/slivers")
    monkeypatch.setenv("SLIVERS_DATA_DIR", str(tmp_path))
    result: Any = _invoke(*args)
    assert result.exit_code != 0
    line = _database_line(result)
    assert "url=postgresql+asyncpg://127.0.0.1:1/slivers" in line
    assert "user=operator" in line
    assert "Sup3r-s3cret-pw" not in result.output
