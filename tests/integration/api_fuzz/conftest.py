"""A live Slivers server (uvicorn in a subprocess, as `slivers serve` runs it) over the test's database,
with seeded data, for schemathesis to fuzz over real HTTP."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from slivers.config import Settings
from tests.live_server import free_port, wait_until_healthy

ROOT = Path(__file__).resolve().parents[3]
SECRET = "schemathesis-secret-key-" * 2


@pytest.fixture
def live_settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(database_url=database_url, data_dir=tmp_path / "data", secret_key=SECRET)


@pytest.fixture
def live_server(live_settings: Settings, tmp_path: Path) -> Iterator[str]:
    """The server's base URL; its log is printed when the test fails."""
    port = free_port()
    log = tmp_path / "server.log"
    env = os.environ | {
        "SLIVERS_DATABASE_URL": live_settings.database_url,
        "SLIVERS_DATA_DIR": str(live_settings.data_dir),
        "SLIVERS_SECRET_KEY": live_settings.secret_key,
        "SLIVERS_LOG_JSON": "1",
        "PYTHONPATH": str(ROOT),
    }
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "--factory",
                "tests.shifted_app:create_app",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(base, process, log)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=15)
        print(log.read_text()[-20000:])  # shown by pytest only when the test fails
