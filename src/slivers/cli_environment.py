"""What a command runs against: the settings from the environment, and a clock a test can inject.

`slivers` commands build their wiring here, so the CLI, like the web app and the jobs, takes its clock
from one place. A shell gets the system clock; a test passes `obj=CliEnvironment(clock=...)` to
`CliRunner.invoke`, so a command's "today" is the test's, never the calendar's.
"""

from __future__ import annotations

from dataclasses import dataclass

import click

from slivers.assembly import build_wiring
from slivers.clock import Clock
from slivers.config import Settings
from slivers.wiring import Wiring


@dataclass(frozen=True)
class CliEnvironment:
    clock: Clock | None = None


def command_wiring() -> Wiring:
    """The wiring for the running command (the injected clock, if any; else the system clock)."""
    context = click.get_current_context(silent=True)
    environment = context.find_object(CliEnvironment) if context is not None else None
    clock = environment.clock if environment is not None else None
    return build_wiring(Settings.from_env(), clock=clock)
