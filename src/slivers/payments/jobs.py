"""Sweep jobs of this domain, registered in slivers.jobs.registry.

Both sweeps call Stripe outside any database transaction and are idempotent: every call carries
our own key, reconciliation only stores what Stripe says now, and a transfer owed to a worker whose
account became enabled is reserved once (by its key) and made by the provider-actions sweep.
"""

from __future__ import annotations

from datetime import timedelta

from slivers.jobs.base import JobContext, SweepJob
from slivers.payments.providers.actions import run_due_actions
from slivers.payments.providers.connect_sync import reconcile_accounts, reserve_owed_transfers
from slivers.payments.providers.stripe_sync import reconcile


async def _provider_actions(ctx: JobContext) -> int:
    return await run_due_actions(ctx.wiring)


async def _reconcile(ctx: JobContext) -> int:
    changed = await reconcile(ctx.wiring)
    changed += await reconcile_accounts(ctx.wiring)
    return changed + await reserve_owed_transfers(ctx.wiring)


JOBS: list[SweepJob] = [
    SweepJob(
        id="payments.provider_actions",
        description="Make the card calls owed by confirmed, approved and cancelled bookings, and "
        "off-session charges of saved cards 2 days before a visit (Stripe provider only)",
        every=timedelta(minutes=1),
        run=_provider_actions,
    ),
    SweepJob(
        id="payments.stripe_reconcile",
        description="Re-read recent PaymentIntents and workers' Connect accounts from Stripe and repair "
        "our record of them; reserve the transfers owed to workers whose account is now enabled",
        every=timedelta(minutes=15),
        run=_reconcile,
    ),
]
