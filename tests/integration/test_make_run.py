"""`make run` runs the whole product: the web process and the scheduler together (scripts/run.sh, the
Procfile under honcho), on one database, and Ctrl-C stops both.

This runs the real thing as the Makefile does (`BIN=... sh scripts/run.sh`, after the venv and assets),
against a throwaway data folder and a free port: a matching run queued through the API must be solved
by the scheduler process, not by the test.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy.engine import make_url

from tests.real_clock import true_now

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
COORDINATOR = "coordinator@stevenage.example.org"
DEMO_PASSWORD = "stevenage demo password"
STARTUP_SECONDS = 30  # migrate, seed a small demo, start both processes (about 15 s on a busy 2-core machine)
SOLVE_SECONDS = 20  # the matching sweep runs every 10 s, then a 2 s solve


@dataclass
class Running:
    process: subprocess.Popen[bytes]
    base: str
    log: Path
    database_url: str | None

    def output(self) -> str:
        return self.log.read_text(errors="replace")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_until_ready(running: Running) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while True:
        try:
            if httpx.get(f"{running.base}/ready", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        if running.process.poll() is not None or time.monotonic() > deadline:
            raise AssertionError(f"make run did not start:\n{running.output()[-5000:]}")
        time.sleep(0.2)  # polling a real process with a deadline; no clock under test is involved


@pytest.fixture
def make_run(database: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Running]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("SLIVERS_")}
    database_url = None
    if database == "postgresql":
        database_url = str(request.getfixturevalue("database_url"))  # truncated afterwards
        env["SLIVERS_DATABASE_URL"] = database_url
    port = _free_port()
    env |= {
        "BIN": str(BIN),
        "SLIVERS_DATA_DIR": str(tmp_path / "var"),  # what the Makefile exports
        "SLIVERS_PORT": str(port),
        "SLIVERS_DEMO_ARGS": "--workers 6 --persons 3",
        "SLIVERS_PASSWORD_HASHING": "fast-for-tests",
    }
    log = tmp_path / "make-run.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(
            ["sh", str(ROOT / "scripts" / "run.sh")],
            cwd=ROOT,
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, as a terminal's Ctrl-C would reach
        )
    running = Running(process, f"http://127.0.0.1:{port}", log, database_url)
    try:
        yield running
    finally:
        if process.poll() is None:  # the test failed before stopping it: stop what it started
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
        print(running.output()[-20000:])  # shown by pytest only when the test fails


def test_make_run_serves_and_schedules_on_one_database_and_stops_on_ctrl_c(make_run: Running) -> None:
    _wait_until_ready(make_run)
    with httpx.Client(base_url=make_run.base, timeout=10) as api:
        created = api.post(
            "/api/v1/auth/tokens",
            json={"name": "make run test", "email": COORDINATOR, "password": DEMO_PASSWORD},
        )
        assert created.status_code == 201, created.text
        bearer = {"authorization": f"Bearer {created.json()['token']}"}
        me = api.get("/api/v1/me", headers=bearer).json()
        organisation = next(org for org in me["organisations"] if org["role"] == "coordinator")
        start = true_now() + timedelta(hours=1)  # the processes run on the machine's own clock
        queued = api.post(
            "/api/v1/matching/runs",
            headers=bearer,
            json={
                "organisation_id": organisation["id"],
                "horizon_start": start.isoformat(),
                "horizon_end": (start + timedelta(days=7)).isoformat(),
                "time_limit_s": 2,
            },
        )
        assert queued.status_code == 202, queued.text
        run_id = queued.json()["id"]

        deadline = time.monotonic() + SOLVE_SECONDS
        while (run := api.get(f"/api/v1/matching/runs/{run_id}", headers=bearer).json())["status"] != "done":
            assert run["status"] in {"queued", "running"}, run
            assert time.monotonic() < deadline, f"not solved in {SOLVE_SECONDS} s: {run}"
            time.sleep(0.2)  # polling the real scheduler process with a deadline
        assert run["finished_at"] is not None

    make_run.process.send_signal(signal.SIGINT)  # Ctrl-C reaches honcho, which stops both
    assert make_run.process.wait(timeout=10) is not None
    output = make_run.output()
    assert "web.1 stopped" in output
    assert "scheduler.1 stopped" in output
    with pytest.raises(httpx.TransportError):
        httpx.get(f"{make_run.base}/health", timeout=1)

    # every command said which database it opened, and it was the same one
    opened = {
        command: line
        for line in output.splitlines()
        if (found := re.search(r"cli\.database.*command=(\w+)(.*)", line))
        for command in [found.group(1)]
    }
    assert set(opened) == {"db", "demo", "serve", "scheduler"}, output[-3000:]
    places = {re.sub(r".*command=\w+", "", line).strip() for line in opened.values()}
    assert len(places) == 1, places
    if make_run.database_url is None:
        assert "database=sqlite" in next(iter(places))
        assert "/var/slivers.db" in next(iter(places))
    else:
        assert "database=postgresql" in next(iter(places))
        password = make_url(make_run.database_url).password
        if password:
            assert str(password) not in output


def test_the_makefile_runs_this_script_after_the_venv_and_the_assets() -> None:
    makefile = (ROOT / "Makefile").read_text()
    recipe = re.search(r"^run: (.*)\n((?:\t.*\n)+)", makefile, re.MULTILINE)
    assert recipe is not None
    assert recipe.group(1).split() == ["venv", "assets"]
    assert recipe.group(2).strip() == 'BIN="$(CURDIR)/$(BIN)" sh scripts/run.sh'
    assert re.search(r"^export SLIVERS_DATA_DIR \?= \$\(CURDIR\)/var$", makefile, re.MULTILINE)
    processes = dict(
        line.split(":", 1) for line in (ROOT / "Procfile").read_text().splitlines() if line and line[0] != "#"
    )
    assert {name: command.split()[:2] for name, command in processes.items()} == {
        "web": ["slivers", "serve"],
        "scheduler": ["slivers", "scheduler"],
    }
