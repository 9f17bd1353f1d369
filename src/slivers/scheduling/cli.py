"""`slivers solve ...`: run the engine on benchmark files from the command line."""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

import click

from slivers.scheduling.settings import Mode, Settings
from slivers.scheduling.smptsp import SmptspFormatError, load_smptsp
from slivers.scheduling.solution import Status
from slivers.scheduling.solver import solve as solve_instance
from slivers.scheduling.validate import validate


def peak_rss_mb() -> float:
    """This process's peak resident memory (Linux reports kilobytes, macOS bytes)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


@click.group(name="solve")
def solve() -> None:
    """Solve scheduling benchmark instances."""


@solve.command()
@click.argument(
    "files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option("--time-limit", type=float, default=60.0, show_default=True, help="Seconds per file.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line (the default output too).")
@click.option("--workers", type=int, default=2, show_default=True, help="CP-SAT search workers.")
def smptsp(files: tuple[Path, ...], time_limit: float, as_json: bool, workers: int) -> None:
    """Cover every task of SMPTSP FILES with the fewest workers; one JSON line per file."""
    for path in files:
        started = time.perf_counter()
        try:
            data = load_smptsp(path)
        except SmptspFormatError as error:
            raise click.ClickException(str(error)) from error
        instance = data.to_instance()
        settings = Settings(mode=Mode.MIN_WORKERS, time_limit_s=time_limit, num_workers=workers)
        solution = solve_instance(instance, settings)
        violations = validate(instance, solution)
        if violations:
            raise click.ClickException(f"{path}: invalid solution: {violations[0]}")
        lower_bound = data.lower_bound()
        covered = len(solution.unfilled) == 0
        record = {
            "file": str(path),
            "workers_used": solution.workers_used,
            "lower_bound": lower_bound,
            "solver_bound": solution.bound,
            "all_tasks_covered": covered,
            "optimal": covered
            and (solution.status is Status.OPTIMAL or solution.workers_used == lower_bound),
            "greedy_workers_used": solution.greedy_objective,
            "seconds": round(time.perf_counter() - started, 3),
            "peak_rss_mb": round(peak_rss_mb(), 1),
        }
        click.echo(json.dumps(record))
