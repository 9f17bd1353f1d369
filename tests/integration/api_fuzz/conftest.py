"""A live Slivers server (uvicorn in a subprocess, as `slivers serve` runs it) over the test's database,
with seeded data, for schemathesis to fuzz over real HTTP."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from slivers.config import Settings

ROOT = Path(__file__).resolve().parents[3]
SECRET = "schemathesis-secret-key-" * 2


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def live_settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(database_url=database_url, data_dir=tmp_path / "data", secret_key=SECRET)


@pytest.fixture
def live_server(live_settings: Settings, tmp_path: Path) -> Iterator[str]:
    """The server's base URL; its log is printed when the test fails."""
    port = _free_port()
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
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"server did not start: {log.read_text()}")
            time.sleep(0.1)  # waiting for a real process to listen; no clock under test is involved
        yield base
    finally:
        process.terminate()
        process.wait(timeout=15)
        print(log.read_text()[-20000:])  # shown by pytest only when the test fails
