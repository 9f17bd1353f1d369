"""`slivers`: the operator's command line. Each command is one unit of work (one commit)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import click

from slivers.cli_environment import command_wiring
from slivers.config import Settings, database_shown, database_url_from_env, log_json_from_env
from slivers.logs import configure_logging, get_logger
from slivers.wiring import Wiring

T = TypeVar("T")
log = get_logger(__name__)


def _run(work: Callable[[Wiring], Awaitable[T]]) -> T:
    async def main() -> T:
        wiring = command_wiring()
        try:
            return await work(wiring)
        finally:
            await wiring.dispose()

    return asyncio.run(main())


class LoggedGroup(click.Group):
    """A command that fails unexpectedly is logged like a web or job failure (through the redaction,
    without locals), not left to Python's bare traceback, and exits with status 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except Exception as error:
            log.error(
                "cli.command_failed",
                command=ctx.invoked_subcommand,  # its arguments may be an email address or a name
                error_type=type(error).__name__,
                exc_info=error,
            )
            ctx.exit(1)


@click.group(cls=LoggedGroup)
@click.pass_context
def main(ctx: click.Context) -> None:
    """Slivers: a local labour market for short slots of care."""
    configure_logging(json=log_json_from_env())
    # Every command says which database it opens (a forgotten SLIVERS_DATA_DIR opens another, empty
    # one), without credentials.
    log.info("cli.database", command=ctx.invoked_subcommand, **database_shown(database_url_from_env()))


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=int, help="Port to listen on.")
@click.option("--workers", default=1, show_default=True, type=int, help="Web processes (PostgreSQL only).")
def serve(host: str, port: int, workers: int) -> None:
    """Serve the web app and the API."""
    import uvicorn

    settings = Settings.from_env()
    if settings.is_sqlite and workers > 1:
        raise click.UsageError("SQLite serves from one process; use PostgreSQL for several workers.")
    uvicorn.run(
        "slivers.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        proxy_headers=True,
        log_level="info",
        # uvicorn's own logging config would bypass the redaction; its loggers render through ours
        log_config=None,
    )


@main.group()
def db() -> None:
    """Database commands."""


@db.command()
def upgrade() -> None:
    """Apply every migration to the configured database."""
    from slivers.db.migrate import upgrade as apply

    settings = Settings.from_env()
    apply(settings.database_url)
    click.echo("Database is up to date.")


@main.command()
def scheduler() -> None:
    """Run the background jobs (one process per deployment)."""
    from slivers.jobs.scheduler import run_forever

    asyncio.run(run_forever(command_wiring()))


@main.group()
def org() -> None:
    """Bootstrap organisations (councils, charities, agencies) and their staff."""


@org.command("create")
@click.argument("name")
@click.option("--kind", type=click.Choice(["council", "charity", "agency"]), required=True)
def org_create(name: str, kind: str) -> None:
    """Create an organisation."""
    from slivers.accounts.org_service import OrganisationService

    async def work(wiring: Wiring) -> str:
        async with wiring.unit_of_work() as session:
            created = await OrganisationService(session, wiring.clock).create(name, kind)
            return str(created.id)

    click.echo(f"Created {name} ({kind}): {_checked(work)}")


@org.command("add-member")
@click.argument("organisation")
@click.argument("email")
@click.option("--role", type=click.Choice(["coordinator", "funder"]), required=True)
def org_add_member(organisation: str, email: str, role: str) -> None:
    """Make an existing account a coordinator or funder officer of ORGANISATION."""
    from slivers.accounts.org_service import OrganisationService

    async def work(wiring: Wiring) -> str:
        async with wiring.unit_of_work() as session:
            service = OrganisationService(session, wiring.clock)
            found = await service.by_name(organisation)
            await service.add_member(found, email, role, actor_id=None)
            return found.name

    click.echo(f"{email} is now a {role} of {_checked(work)}.")


def _checked(work: Callable[[Wiring], Awaitable[str]]) -> str:
    from slivers.errors import DomainError

    try:
        return _run(work)
    except DomainError as error:
        raise click.ClickException(error.detail) from error


@main.command()
@click.option("--workers", "worker_count", default=50, show_default=True, type=int)
@click.option("--persons", "person_count", default=30, show_default=True, type=int)
def demo(worker_count: int, person_count: int) -> None:
    """Seed a realistic demo area around Stevenage (idempotent: run it as often as you like)."""
    from slivers.demo.seed import seed_demo

    summary = _run(lambda wiring: seed_demo(wiring, workers=worker_count, persons=person_count))
    click.echo(summary)


def _register_engine_commands() -> None:
    from slivers.matching.cli import match
    from slivers.scheduling.cli import solve

    main.add_command(solve)
    main.add_command(match)


_register_engine_commands()
