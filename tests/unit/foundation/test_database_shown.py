"""Which database a command opens, as it prints it: never the password, and the same default a
command and the app compute from the environment."""

from __future__ import annotations

from pathlib import Path

import pytest

from slivers.config import Settings, database_shown, database_url_from_env


def test_a_sqlite_file_is_shown_by_its_path() -> None:
    assert database_shown("sqlite+aiosqlite:////srv/slivers/slivers.db") == {
        "database": "sqlite",
        "path": "/srv/slivers/slivers.db",
    }


@pytest.mark.parametrize(
    "url",
    [
        "postgresql+asyncpg://slivers:s3cr%40t-pw@db.example.org:5432/slivers",
        "postgresql+asyncpg://slivers@db.example.org:5432/slivers?password=s3cr%40t-pw",
        "postgresql+asyncpg://slivers:s3cr%40t-pw@db.example.org:5432/slivers?sslmode=require",
    ],
)
def test_a_server_is_shown_without_its_password(url: str) -> None:
    shown = database_shown(url)
    assert shown["database"] == "postgresql"
    assert shown["user"] == "slivers"
    assert shown["url"].startswith("postgresql+asyncpg://db.example.org:5432/slivers")
    for value in shown.values():
        assert "s3cr" not in value
        assert "***" not in value


def test_the_sslmode_stays() -> None:
    shown = database_shown("postgresql+asyncpg://u:p@h/d?sslmode=require")
    assert shown["url"] == "postgresql+asyncpg://h/d?sslmode=require"


def test_the_default_is_the_file_in_the_data_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("SLIVERS_DATABASE_URL", raising=False)
    monkeypatch.setenv("SLIVERS_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("SLIVERS_SECRET_KEY", "x" * 32)
    assert database_url_from_env() == f"sqlite+aiosqlite:///{tmp_path / 'slivers.db'}"
    assert database_url_from_env() == Settings.from_env().database_url
    assert not list(tmp_path.iterdir()), "reading the URL creates nothing"


def test_plain_forms_are_read_as_the_app_reads_them(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLIVERS_DATABASE_URL", "postgres://u:p@h/d")
    assert database_url_from_env() == "postgresql+asyncpg://u:p@h/d"
