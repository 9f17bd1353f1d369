"""The one place that plugs the domains into each other's extension points (`slivers.hooks`), and
builds a process's wiring with them. The web app, the scheduler and the CLI all start here."""

from __future__ import annotations

from slivers.accounts.actor import resolve_actor
from slivers.accounts.messages import TEMPLATES as accounts_templates
from slivers.clock import Clock
from slivers.config import Settings
from slivers.gateways.channels import Mailer, SmsSender
from slivers.hooks import Hooks
from slivers.market.cover.service import reopen_for_lost_worker
from slivers.market.hooks import has_booking_with
from slivers.market.messages import TEMPLATES as market_templates
from slivers.market.rules.invariants import CONSTRAINT_MESSAGES as market_constraints
from slivers.notifications.templates import merge_templates
from slivers.payments.messages import TEMPLATES as payments_templates
from slivers.vetting.messages import TEMPLATES as vetting_templates
from slivers.wiring import Wiring


def domain_hooks() -> Hooks:
    return Hooks(
        # a worker with any booking with the person may not approve or manage in their circle
        worker_relation_checks=(has_booking_with,),
        # a worker suspended or whose credential lapsed: the market reopens their future bookings
        worker_lost_handlers=(reopen_for_lost_worker,),
        notification_templates=merge_templates(
            accounts_templates, vetting_templates, market_templates, payments_templates
        ),
        constraint_messages=dict(market_constraints),
        resolve_actor=resolve_actor,
    )


def build_wiring(
    settings: Settings,
    *,
    clock: Clock | None = None,
    mailer: Mailer | None = None,
    sms: SmsSender | None = None,
) -> Wiring:
    return Wiring.build(settings, hooks=domain_hooks(), clock=clock, mailer=mailer, sms=sms)
