"""HTTP for payouts under the `ledger` provider: record what is due, and the CSV for the bank run."""

from __future__ import annotations

import uuid

from litestar import Controller, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath

from slivers.accounts.actor import Actor
from slivers.payments.budgets.controllers import PeriodFrom, PeriodTo
from slivers.payments.payouts.schemas import PayoutRunRead
from slivers.payments.payouts.service import PayoutService


class PayoutController(Controller):
    path = "/api/v1/organisations/{organisation_id:uuid}"
    tags = ["payouts"]

    @post("/payouts", operation_id="recordPayouts", status_code=200)
    async def record(
        self,
        organisation_id: FromPath[uuid.UUID],
        actor: NamedDependency[Actor],
        payouts: NamedDependency[PayoutService],
    ) -> PayoutRunRead:
        """Record what each paid worker of the organisation is owed as paid out (once, however often run)."""
        return await payouts.record_due(actor, organisation_id)

    @get("/payouts.csv", operation_id="exportPayouts", media_type="text/csv")
    async def export(
        self,
        organisation_id: FromPath[uuid.UUID],
        actor: NamedDependency[Actor],
        payouts: NamedDependency[PayoutService],
        period_from: PeriodFrom = None,
        period_to: PeriodTo = None,
    ) -> Response[str]:
        """Recorded payouts as CSV for a bank or payroll run (`to` exclusive, Europe/London days)."""
        body = await payouts.csv(actor, organisation_id, period_from, period_to)
        return Response(
            body,
            media_type="text/csv",
            headers={"Content-Disposition": f'attachment; filename="payouts-{organisation_id}.csv"'},
        )
