"""A throwaway PostgreSQL 15 cluster for tests and benchmarks.

PostgreSQL refuses to run as root, so as root the cluster is created and started as the `postgres`
user (its files in a temporary folder that user owns). It listens on 127.0.0.1 on a free port.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

PG_BIN_CANDIDATES = [
    Path("/usr/lib/postgresql/15/bin"),
    Path("/usr/lib/postgresql/16/bin"),
    Path("/usr/lib/postgresql/17/bin"),
]


def pg_bin() -> Path:
    configured = os.environ.get("SLIVERS_PG_BIN")
    if configured:
        return Path(configured)
    for candidate in PG_BIN_CANDIDATES:
        if (candidate / "initdb").exists():
            return candidate
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    raise RuntimeError("PostgreSQL server binaries (initdb, pg_ctl) were not found; set SLIVERS_PG_BIN.")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _as_server_user(args: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *args]
    return args


@contextlib.contextmanager
def throwaway_cluster(database: str = "slivers") -> Iterator[str]:
    """Start a cluster, create `database`, yield an asyncpg URL, and remove everything afterwards."""
    bindir = pg_bin()
    root = Path(tempfile.mkdtemp(prefix="slivers-pg-"))
    data = root / "data"
    port = _free_port()
    if os.geteuid() == 0:
        root.chmod(0o755)
        shutil.chown(root, "postgres", "postgres")
    env = {**os.environ, "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"}
    run = {"check": True, "env": env, "stdout": subprocess.DEVNULL, "stderr": subprocess.PIPE}
    subprocess.run(
        _as_server_user(
            [
                str(bindir / "initdb"),
                "-D",
                str(data),
                "-U",
                "postgres",
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--no-sync",
            ]
        ),
        **run,
    )  # type: ignore[call-overload]
    options = (
        f"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={root} "
        "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300 "
        "-c shared_buffers=256MB"
    )
    subprocess.run(
        _as_server_user(
            [
                str(bindir / "pg_ctl"),
                "-D",
                str(data),
                "-o",
                options,
                "-l",
                str(root / "server.log"),
                "-w",
                "-t",
                "60",
                "start",
            ]
        ),
        **run,
    )  # type: ignore[call-overload]
    try:
        _wait_for(port)
        subprocess.run(
            _as_server_user(
                [str(bindir / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", database]
            ),
            **run,
        )  # type: ignore[call-overload]
        yield f"postgresql+asyncpg://postgres@127.0.0.1:{port}/{database}"
    finally:
        subprocess.run(
            _as_server_user([str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"]),
            check=False,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        shutil.rmtree(root, ignore_errors=True)


def _wait_for(port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
            return
        time.sleep(0.1)
    raise RuntimeError(f"PostgreSQL did not start listening on port {port}")


if __name__ == "__main__":  # `python -m slivers.devtools.pg_cluster`: a cluster for manual work
    with throwaway_cluster() as url:
        print(url, flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            while True:
                time.sleep(3600)
