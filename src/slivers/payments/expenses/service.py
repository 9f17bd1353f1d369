"""Volunteer expense claims: submitted by the volunteer, decided by a coordinator of their organisation,
paid from that organisation's expenses budget in the ledger. Time is never paid (see `expenses`)."""

from __future__ import annotations

import uuid
from dataclasses import asdict
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from slivers.accounts.actor import Actor
from slivers.accounts.models import OrgRole, Worker
from slivers.audit.service import record
from slivers.clock import Clock
from slivers.errors import Forbidden, InvalidInput, NotFound
from slivers.payments.expenses.schemas import (
    ExpenseClaimCreate,
    ExpenseClaimRead,
    ExpenseItemRead,
    OrgExpensesRead,
    OrgExpensesTopUp,
    ReceiptRead,
)
from slivers.payments.ledger.database import DbLedger
from slivers.payments.models import ExpenseClaimRow, ExpenseReceipt
from slivers.payments.rules import ledger
from slivers.payments.rules.budgets import check_available, org_expenses_view
from slivers.payments.rules.expenses import (
    ClaimStatus,
    Decider,
    ExpenseClaim,
    ExpenseItem,
    ItemKind,
    approve_claim,
    reject_claim,
)
from slivers.payments.rules.expenses import submit_claim as check_claim
from slivers.vetting.credentials.uploads import FileEvidenceStore, UploadRejected, store_evidence


def _read(row: ExpenseClaimRow) -> ExpenseClaimRead:
    return ExpenseClaimRead(
        id=row.id,
        volunteer_user_id=row.volunteer_user_id,
        organisation_id=row.organisation_id,
        status=row.status,
        total_pence=row.total_pence,
        items=[ExpenseItemRead(**item) for item in row.items],
        rejection_reason=row.rejection_reason,
    )


class ExpenseService:
    def __init__(self, session: AsyncSession, clock: Clock, data_dir: Path) -> None:
        self.session = session
        self.clock = clock
        self.ledger = DbLedger(session, clock)
        self.receipts = data_dir / "receipts"

    async def upload_receipt(self, actor: Actor, data: bytes) -> ReceiptRead:
        try:
            stored = store_evidence(FileEvidenceStore(self.receipts), data, field="receipt")
        except UploadRejected as error:
            raise InvalidInput(error.message, field=error.field, rule=error.rule) from error
        row = ExpenseReceipt(
            uploaded_by_id=actor.user_id,
            storage_key=stored.key,
            sha256=stored.sha256,
            content_type=stored.content_type,
            size=stored.size,
        )
        self.session.add(row)
        await self.session.flush()
        return ReceiptRead(id=row.id, content_type=row.content_type, size=row.size, sha256=row.sha256)

    async def submit(self, actor: Actor, data: ExpenseClaimCreate) -> ExpenseClaimRead:
        worker = await self.session.scalar(select(Worker).where(Worker.user_id == actor.user_id))
        if worker is None or worker.kind != "volunteer" or worker.organisation_id != data.organisation_id:
            raise Forbidden(
                "Only a volunteer of that organisation can claim its expenses.", rule="not_volunteer"
            )
        raw_items = []
        for index, item in enumerate(data.items):
            raw = {k: v for k, v in asdict_item(item).items() if v is not None}
            if item.receipt_id is not None:
                receipt = await self.session.get(ExpenseReceipt, item.receipt_id)
                if receipt is None or receipt.uploaded_by_id != actor.user_id:
                    raise InvalidInput("Upload the receipt first", field=f"items[{index}].receipt_id")
                raw["receipt_ref"] = str(receipt.id)
            raw.pop("receipt_id", None)
            raw_items.append(raw)
        claim = check_claim("new", str(actor.user_id), str(data.organisation_id), {"items": raw_items})
        row = ExpenseClaimRow(
            volunteer_user_id=actor.user_id,
            organisation_id=data.organisation_id,
            status=claim.status.value,
            total_pence=claim.total_pence,
            items=[_item_json(i) for i in claim.items],
        )
        self.session.add(row)
        await self.session.flush()
        return _read(row)

    async def _decide_on(
        self, actor: Actor, claim_id: uuid.UUID
    ) -> tuple[ExpenseClaimRow, ExpenseClaim, Decider]:
        row = await self.session.get(ExpenseClaimRow, claim_id)
        if row is None or not (
            row.volunteer_user_id == actor.user_id or actor.has_org_role(row.organisation_id, "coordinator")
        ):
            raise NotFound("We cannot find that claim.", field="claim_id", rule="not_found")
        items = tuple(_item(i) for i in row.items)
        claim = ExpenseClaim(
            str(row.id), str(row.volunteer_user_id), str(row.organisation_id), items, ClaimStatus(row.status)
        )
        decider = Decider(
            str(actor.user_id), frozenset(str(o) for o in actor.orgs_with_role(OrgRole.COORDINATOR))
        )
        return row, claim, decider

    async def approve(self, actor: Actor, claim_id: uuid.UUID) -> ExpenseClaimRead:
        row, claim, decider = await self._decide_on(actor, claim_id)
        approved = approve_claim(claim, decider)
        org = row.organisation_id
        posted = await self.ledger.touching(
            [ledger.AccountRef.of(ledger.AccountKind.ORG_EXPENSES_BUDGET, org)]
        )
        now = self.clock.now()
        check_available(
            org_expenses_view(posted, org, period_start=now, period_end=now), approved.total_pence
        )
        await self.ledger.post(
            ledger.expense_claim_paid(row.id, org, row.volunteer_user_id, approved.total_pence)
        )
        await self._decided(actor, row, approved.status.value)
        return _read(row)

    async def reject(self, actor: Actor, claim_id: uuid.UUID, reason: str) -> ExpenseClaimRead:
        row, claim, decider = await self._decide_on(actor, claim_id)
        rejected = reject_claim(claim, decider, reason)
        row.rejection_reason = rejected.rejection_reason
        await self._decided(actor, row, rejected.status.value)
        return _read(row)

    async def _decided(self, actor: Actor, row: ExpenseClaimRow, status: str) -> None:
        row.status, row.decided_by_id, row.decided_at = status, actor.user_id, self.clock.now()
        await record(
            self.session,
            self.clock,
            actor_id=actor.user_id,
            action=f"expense_claim.{status}",
            subject_type="expense_claim",
            subject_id=row.id,
            data={"total_pence": row.total_pence},
        )
        await self.session.flush()

    async def top_up_org(self, actor: Actor, org_id: uuid.UUID, data: OrgExpensesTopUp) -> OrgExpensesRead:
        if not actor.has_org_role(org_id, OrgRole.COORDINATOR.value):
            raise NotFound("We cannot find that organisation.", field="organisation_id", rule="not_found")
        key = f"org-expenses:{org_id}:{data.reference}"
        transaction = ledger.fund_org_expenses(org_id, org_id, data.amount_pence, key)
        if (await self.ledger.post(transaction)).transaction != transaction:
            raise InvalidInput("That reference was already used for a different amount", field="reference")
        await record(
            self.session,
            self.clock,
            actor_id=actor.user_id,
            action="org_expenses.topped_up",
            subject_type="organisation",
            subject_id=org_id,
            data={"amount_pence": data.amount_pence},
        )
        return await self.org_view(actor, org_id)

    async def org_view(self, actor: Actor, org_id: uuid.UUID) -> OrgExpensesRead:
        if not actor.has_org_role(org_id, OrgRole.COORDINATOR.value):
            raise NotFound("We cannot find that organisation.", field="organisation_id", rule="not_found")
        posted = await self.ledger.touching(
            [ledger.AccountRef.of(ledger.AccountKind.ORG_EXPENSES_BUDGET, org_id)]
        )
        now = self.clock.now()
        view = org_expenses_view(
            posted, org_id, period_start=now.replace(day=1, hour=0, minute=0), period_end=now
        )
        return OrgExpensesRead(
            organisation_id=org_id,
            available_pence=view.available_pence,
            spent_in_period_pence=view.spent_in_period_pence,
        )


def asdict_item(item: object) -> dict[str, object]:
    import msgspec

    return dict(msgspec.structs.asdict(item))  # type: ignore[arg-type]


def _item_json(item: ExpenseItem) -> dict[str, object]:
    values = asdict(item)
    values["kind"] = item.kind.value
    values["receipt_id"] = values.pop("receipt_ref")
    return {k: v for k, v in values.items() if v is not None}


def _item(stored: dict[str, object]) -> ExpenseItem:
    miles, receipt = stored.get("miles"), stored.get("receipt_id")
    return ExpenseItem(
        ItemKind(str(stored["kind"])),
        str(stored["description"]),
        int(str(stored["amount_pence"])),
        miles=str(miles) if miles is not None else None,
        receipt_ref=str(receipt) if receipt is not None else None,
    )
