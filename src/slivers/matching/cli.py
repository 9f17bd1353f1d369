"""`slivers match`: solve the open requests of an area and horizon for one organisation's workers."""

from __future__ import annotations

import asyncio
from datetime import date, datetime, timedelta

import click
from rich.console import Console
from rich.table import Table

from slivers.cli_environment import command_wiring
from slivers.clock import LONDON
from slivers.errors import DomainError
from slivers.matching.models import MatchingRun
from slivers.matching.runner import execute
from slivers.matching.schemas import MatchingRunCreate
from slivers.matching.service import MatchingService


@click.command(name="match")
@click.option("--organisation", required=True, help="The organisation whose workers are matched.")
@click.option(
    "--from",
    "start_day",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="First day (Europe/London), default tomorrow.",
)
@click.option("--days", default=7, show_default=True, type=click.IntRange(1, 28))
@click.option(
    "--district", "districts", multiple=True, help="Postcode districts, e.g. --district SG1 --district SG2."
)
@click.option(
    "--mode", type=click.Choice(["fill", "min_workers", "min_faces"]), default="fill", show_default=True
)
@click.option("--time-limit", default=30, show_default=True, type=click.IntRange(1, 300), help="Seconds.")
@click.option("--apply", "apply_offers", is_flag=True, help="Send the assignments to the workers as offers.")
def match(
    organisation: str,
    start_day: datetime | None,
    days: int,
    districts: tuple[str, ...],
    mode: str,
    time_limit: int,
    apply_offers: bool,
) -> None:
    """Match open requests to workers with the optimiser and print what it found."""
    console = Console()
    try:
        run = asyncio.run(
            _match(
                organisation,
                start_day.date() if start_day else None,
                days,
                districts,
                mode,
                time_limit,
                apply_offers,
                console,
            )
        )
    except DomainError as error:
        raise click.ClickException(error.detail) from error
    _print(console, run)
    if run.status != "done":
        raise click.ClickException(f"The run failed: {run.error}")


async def _match(
    organisation: str,
    first: date | None,
    days: int,
    districts: tuple[str, ...],
    mode: str,
    time_limit: int,
    apply_offers: bool,
    console: Console,
) -> MatchingRun:
    from slivers.accounts.org_service import OrganisationService

    wiring = command_wiring()
    try:
        first = first or (wiring.clock.now().astimezone(LONDON).date() + timedelta(days=1))
        start = datetime.combine(first, datetime.min.time(), tzinfo=LONDON)
        end = datetime.combine(first + timedelta(days=days), datetime.min.time(), tzinfo=LONDON)
        async with wiring.unit_of_work() as session:
            org = await OrganisationService(session, wiring.clock).by_name(organisation)
            queued = await MatchingService(session, wiring.clock).queue(
                None,
                MatchingRunCreate(
                    organisation_id=org.id,
                    horizon_start=start,
                    horizon_end=end,
                    districts=list(districts),
                    mode=mode,  # type: ignore[arg-type]  # click.Choice has checked it
                    time_limit_s=time_limit,
                ),
            )
            run_id = queued.id
        with console.status(f"Solving (up to {time_limit} s)…"):
            run = await execute(wiring, run_id)
        if apply_offers and run.status == "done":
            async with wiring.unit_of_work() as session:
                service = MatchingService(session, wiring.clock)
                applied = await session.get(MatchingRun, run_id)
                assert applied is not None
                run = await service.apply(None, applied)
        return run
    finally:
        await wiring.dispose()


def _print(console: Console, run: MatchingRun) -> None:
    table = Table(title=f"Matching run {run.id} ({run.mode})")
    table.add_column("measure")
    table.add_column("value", justify="right")
    for key, value in run.summary.items():
        table.add_row(key.replace("_", " "), f"{value:.4f}" if isinstance(value, float) else str(value))
    reasons: dict[str, int] = {}
    for why in run.unfilled.values():
        reasons[why["reason"]] = reasons.get(why["reason"], 0) + 1
    for reason, count in sorted(reasons.items()):
        table.add_row(f"unfilled: {reason.replace('_', ' ')}", str(count))
    if run.applied_at is not None:
        table.add_row("offers sent", str(run.offers_made))
    console.print(table)
