"""A real server for the concurrency tests: `python serve_for_test.py PORT WORKERS`, configured by
SLIVERS_DATABASE_URL, SLIVERS_DATA_DIR and SLIVERS_SECRET_KEY. With WORKERS > 1, uvicorn runs that
many processes, so a race crosses processes as it would behind a load balancer."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import uvicorn
from litestar import Litestar

from slivers.app import create_app
from slivers.config import Settings
from tests import real_clock

real_clock.install()  # the suite's shifted real clock, inherited through the environment


def app_from_env() -> Litestar:
    return create_app(
        Settings(
            database_url=os.environ["SLIVERS_DATABASE_URL"],
            data_dir=Path(os.environ["SLIVERS_DATA_DIR"]),
            secret_key=os.environ["SLIVERS_SECRET_KEY"],
        )
    )


if __name__ == "__main__":
    uvicorn.run(
        "tests.integration.market.booking.serve_for_test:app_from_env",
        factory=True,
        host="127.0.0.1",
        port=int(sys.argv[1]),
        workers=int(sys.argv[2]),
        log_level="warning",
    )
