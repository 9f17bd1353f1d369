"""Real servers the suite starts as subprocesses (the e2e server, the race tests', the fuzzed one):
a free port on 127.0.0.1, and waiting for `/health` with a deadline rather than a fixed sleep."""

from __future__ import annotations

import socket
import subprocess
import time
from pathlib import Path

import httpx

# Generous: on 2 loaded cores a cold uvicorn process (imports, migrations checked) has taken over 30 s.
START_SECONDS = 60.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until_healthy(
    base: str, process: subprocess.Popen[bytes], log: Path, *, seconds: float = START_SECONDS
) -> None:
    """Return once `base/health` answers 200; raise with the server's log if it exits or never answers."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError(f"The server at {base} did not start; its log:\n{log.read_text()[-5000:]}")
        time.sleep(0.1)  # waiting for a real process to listen; no clock under test is involved
