"""`uvicorn --factory tests.shifted_app:create_app`: the app as `slivers serve` builds it, with the
suite's shifted real clock (tests/real_clock.py) installed first."""

from __future__ import annotations

from litestar import Litestar

from tests import real_clock


def create_app() -> Litestar:
    real_clock.install()
    from slivers.app import create_app as build

    return build()
