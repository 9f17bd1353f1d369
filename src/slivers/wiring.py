"""The one place that builds the engine, sessions, clock and outside-system adapters.

The web app, the scheduler and the CLI all get their services from here, so nobody builds
sessions by hand, and each request, job or command is one unit of work with one commit.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from slivers.clock import Clock, SystemClock
from slivers.config import Settings
from slivers.db.engine import create_engine, create_session_maker
from slivers.gateways.channels import LoggingSmsSender, Mailer, SmsSender, SmtpMailer
from slivers.gateways.stripe import StripeGateway
from slivers.hooks import Hooks


@dataclass
class Wiring:
    settings: Settings
    clock: Clock
    engine: AsyncEngine
    session_maker: async_sessionmaker[AsyncSession]
    mailer: Mailer | None
    sms: SmsSender | None
    # what each domain plugs into the others' extension points (slivers.assembly fills it)
    hooks: Hooks
    # Stripe, when payments go through it: a test puts a fake here; else built from the settings on
    # first use (slivers.payments.providers.stripe_access), since most processes never call Stripe.
    stripe_gateway: StripeGateway | None = None

    @classmethod
    def build(
        cls,
        settings: Settings,
        *,
        hooks: Hooks,
        clock: Clock | None = None,
        mailer: Mailer | None = None,
        sms: SmsSender | None = None,
    ) -> Wiring:
        engine = create_engine(settings.database_url)
        if mailer is None and settings.smtp_host:
            mailer = SmtpMailer(
                host=settings.smtp_host,
                port=settings.smtp_port,
                sender=settings.smtp_from,
                user=settings.smtp_user,
                password=settings.smtp_password,
            )
        return cls(
            settings=settings,
            clock=clock or SystemClock(),
            engine=engine,
            session_maker=create_session_maker(engine),
            mailer=mailer,
            sms=sms or LoggingSmsSender(),
            hooks=hooks,
        )

    @asynccontextmanager
    async def unit_of_work(self) -> AsyncIterator[AsyncSession]:
        """One transaction: committed if the block succeeds, rolled back if it raises."""
        async with self.session_maker() as session:
            try:
                yield session
            except BaseException:
                await session.rollback()
                raise
            await session.commit()

    async def dispose(self) -> None:
        await self.engine.dispose()
