"""The Litestar application factory."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from litestar import Litestar
from litestar.config.csrf import CSRFConfig
from litestar.di import Provide
from litestar.middleware.base import DefineMiddleware
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.static_files import create_static_files_router
from litestar.template.config import TemplateConfig

from slivers.accounts.actor import SESSION_COOKIE
from slivers.assembly import build_wiring
from slivers.clock import Clock
from slivers.config import Settings
from slivers.gateways.channels import Mailer, SmsSender
from slivers.http.api_docs import openapi_config
from slivers.http.csrf import BearerAwareCSRFMiddleware
from slivers.http.deps import (
    provide_actor,
    provide_clock,
    provide_db_session,
    provide_maybe_actor,
    provide_settings,
)
from slivers.http.openapi import LocalTimeSchemaPlugin, document_problem_responses
from slivers.http.problems import EXCEPTION_HANDLERS
from slivers.http.request_body import BodyCheckingRequest
from slivers.http.request_id import RequestIdMiddleware
from slivers.http.transaction import TransactionMiddleware
from slivers.logs import configure_logging
from slivers.market.rules.lifecycle import BookingState

WEB_DIR = Path(__file__).parent / "web"
# Paths that take no CSRF token: sign-in and registration start a session, and the Stripe webhook is
# authenticated by its signature.
CSRF_EXEMPT = ["/api/v1/auth/login", "/api/v1/auth/register", "/api/v1/payments/stripe/webhook"]
# Paths that take no CSRF token when the request carries no session cookie: a script creates its API
# token with email and password alone (with the cookie, the check applies).
CSRF_COOKIELESS = ["/api/v1/auth/tokens"]


def route_handlers() -> list[Any]:
    from slivers.accounts.controllers import (
        AuthController,
        InvitationController,
        MeController,
        OrganisationController,
        PersonController,
    )
    from slivers.web.system import SystemController

    handlers: list[Any] = [
        SystemController,
        AuthController,
        MeController,
        OrganisationController,
        PersonController,
        InvitationController,
    ]
    handlers.extend(_optional_handlers())
    handlers.extend(_page_handlers())
    return handlers


def _page_handlers() -> Sequence[Any]:
    from slivers.web.pages import PAGE_HANDLERS

    return PAGE_HANDLERS


def _optional_handlers() -> Sequence[Any]:
    """Domain controllers register here as they land, so the factory stays one list."""
    from slivers.routes import DOMAIN_HANDLERS

    return DOMAIN_HANDLERS


def _template_globals(engine: JinjaTemplateEngine) -> None:
    """What every page template may compare with: a booking's states through the enum, as in the code."""
    engine.engine.globals["BookingState"] = BookingState


def create_app(
    settings: Settings | None = None,
    *,
    clock: Clock | None = None,
    mailer: Mailer | None = None,
    sms: SmsSender | None = None,
) -> Litestar:
    settings = settings or Settings.from_env()
    configure_logging(json=settings.log_json)
    wiring = build_wiring(settings, clock=clock, mailer=mailer, sms=sms)

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        app.state.wiring = wiring
        try:
            yield
        finally:
            await wiring.dispose()

    csrf = CSRFConfig(
        secret=settings.secret_key,
        cookie_name="slivers_csrf",
        header_name="x-csrf-token",
        cookie_secure=settings.cookie_secure,
        cookie_samesite="lax",
        exclude=CSRF_EXEMPT,
    )
    app = Litestar(
        route_handlers=[
            *route_handlers(),
            create_static_files_router(
                path="/static", directories=[WEB_DIR / "static"], include_in_schema=False
            ),
        ],
        dependencies={
            "db_session": Provide(provide_db_session, sync_to_thread=False),
            "clock": Provide(provide_clock, sync_to_thread=False),
            "settings": Provide(provide_settings, sync_to_thread=False),
            "maybe_actor": Provide(provide_maybe_actor),
            "actor": Provide(provide_actor),
        },
        middleware=[
            RequestIdMiddleware,
            TransactionMiddleware,
            DefineMiddleware(
                BearerAwareCSRFMiddleware,
                config=csrf,
                cookieless_paths=CSRF_COOKIELESS,
                session_cookie=SESSION_COOKIE,
            ),
        ],
        exception_handlers=EXCEPTION_HANDLERS,
        request_class=BodyCheckingRequest,
        template_config=TemplateConfig(
            directory=WEB_DIR / "templates", engine=JinjaTemplateEngine, engine_callback=_template_globals
        ),
        openapi_config=openapi_config(),
        lifespan=[lifespan],
        plugins=[LocalTimeSchemaPlugin()],
        # Logging is configured by slivers.logs alone: Litestar's own config would replace the root
        # handler (and with it the redaction), and our 500 handler already logs every unhandled error.
        logging_config=None,
        debug=settings.debug,
    )
    document_problem_responses(app)
    app.state.wiring = wiring
    return app
