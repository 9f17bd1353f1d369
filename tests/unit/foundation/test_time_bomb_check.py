"""The time-bomb check is in force: the real clock, as the code under test sees it, runs years ahead
(tests/real_clock.py), in this process and in the processes the suite starts."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta

from slivers.clock import SystemClock
from tests import real_clock


def test_the_real_clock_runs_years_ahead_in_the_suite() -> None:
    ahead = SystemClock().now() - real_clock.true_now()
    assert ahead >= timedelta(days=3 * 365)
    assert ahead.days % 7 != 0  # the weekday moves too


def test_processes_the_suite_starts_inherit_the_shift() -> None:
    assert os.environ[real_clock.ENV] == str(real_clock.shift().days)
    script = (
        "from tests import real_clock; real_clock.install();"
        "from slivers.clock import SystemClock;"
        "print(round((SystemClock().now() - real_clock.true_now()).total_seconds() / 86400))"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert int(done.stdout) == real_clock.shift().days
