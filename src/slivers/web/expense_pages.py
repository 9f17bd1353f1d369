"""Volunteer expenses: a volunteer claims mileage (the amount at 45p a mile shown before sending) or an
item with a receipt, and sees their claims; a coordinator approves or rejects the claims of their
organisations' volunteers. The payments expense service holds every rule; this only asks it."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from slivers.accounts.actor import Actor
from slivers.accounts.models import User, Worker
from slivers.errors import DomainError, Forbidden, InvalidInput, NotFound
from slivers.payments.expense_controllers import provide_expense_service
from slivers.payments.expense_service import ExpenseService
from slivers.payments.expenses import MILEAGE_RATE_PENCE_PER_MILE, mileage_pence
from slivers.payments.models import ExpenseClaimRow
from slivers.payments.schemas import ExpenseClaimCreate, ExpenseItemIn
from slivers.vetting.uploads import MAX_EVIDENCE_BYTES
from slivers.web.desk_pages import require_coordinator
from slivers.web.forms import GENERAL, Form, read_form
from slivers.web.profile_pages import parse_pounds
from slivers.web.rendering import redirect, render
from slivers.web.words import moment_words, pounds

MILEAGE_FIELDS = ("description", "miles")
ITEM_FIELDS = ("description", "amount", "receipt")
CLAIM_STATUS_WORDS = {
    "submitted": "Waiting for a coordinator",
    "approved": "Approved: paid to you",
    "rejected": "Not approved",
}
RECENT_CLAIMS = 30


async def volunteer_of(session: AsyncSession, actor: Actor) -> Worker:
    worker = await session.scalar(select(Worker).where(Worker.user_id == actor.user_id))
    if worker is None or worker.kind != "volunteer":
        raise Forbidden(
            "Expenses are for volunteers. Paid workers are paid for their time.", rule="not_volunteer"
        )
    return worker


def _item_words(item: dict[str, Any]) -> str:
    if item.get("kind") == "mileage":
        return f"{item.get('description', '')}: {item.get('miles')} miles at 45p a mile"
    return (
        f"{item.get('description', '')} (receipt attached)"
        if item.get("receipt_id")
        else str(item.get("description"))
    )


def claim_view(row: ExpenseClaimRow, name: str | None = None) -> dict[str, Any]:
    return {
        "id": row.id,
        "name": name,
        "status": row.status,
        "status_words": CLAIM_STATUS_WORDS.get(row.status, row.status),
        "total": pounds(row.total_pence),
        "lines": [(_item_words(item), pounds(int(item.get("amount_pence", 0)))) for item in row.items],
        "sent": moment_words(row.created_at),
        "reason": row.rejection_reason,
    }


class ExpensePages(Controller):
    path = "/work/expenses"
    tags = ["pages"]
    include_in_schema = False
    dependencies = {"expenses": Provide(provide_expense_service, sync_to_thread=False)}

    async def _page(
        self,
        request: Request[Any, Any, Any],
        actor: Actor,
        session: AsyncSession,
        *,
        mileage: Form | None = None,
        item: Form | None = None,
        preview: str | None = None,
        status: int = 200,
    ) -> Response[Any]:
        await volunteer_of(session, actor)
        rows = await session.scalars(
            select(ExpenseClaimRow)
            .where(ExpenseClaimRow.volunteer_user_id == actor.user_id)
            .order_by(ExpenseClaimRow.created_at.desc())
            .limit(RECENT_CLAIMS)
        )
        failed = mileage if mileage is not None and not mileage.ok else item
        return render(
            request,
            "work/expenses.html",
            actor=actor,
            form=failed,
            status=status,
            announce=f"{preview} Check it, then send the claim." if preview else None,
            context={
                "claims": [claim_view(row) for row in rows],
                "mileage_form": mileage or Form(fields=MILEAGE_FIELDS, prefix="mileage-"),
                "item_form": item or Form(fields=ITEM_FIELDS, prefix="item-"),
                "preview": preview,
                "rate": f"{MILEAGE_RATE_PENCE_PER_MILE}p",
                "max_mb": MAX_EVIDENCE_BYTES // (1024 * 1024),
            },
        )

    @get("/", operation_id="pageMyExpenses")
    async def mine(
        self,
        request: Request[Any, Any, Any],
        actor: NamedDependency[Actor],
        db_session: NamedDependency[AsyncSession],
    ) -> Response[Any]:
        """My claims with their status, and the forms to claim mileage or an item with a receipt."""
        return await self._page(request, actor, db_session)

    @post("/mileage", operation_id="pageClaimMileage")
    async def mileage(
        self,
        request: Request[Any, Any, Any],
        actor: NamedDependency[Actor],
        expenses: NamedDependency[ExpenseService],
        db_session: NamedDependency[AsyncSession],
    ) -> Response[Any]:
        """First shows the amount for the miles; sends the claim once the volunteer confirms it."""
        worker = await volunteer_of(db_session, actor)
        submitted = await request.form()
        form = await read_form(request, MILEAGE_FIELDS, prefix="mileage-")
        form.require("description", "Say what the journey was for, like: to and from Tom's.")
        miles = form.value("miles")
        amount = None
        if not miles:
            form.add_error("miles", "Enter the miles, like 12 or 12.5.")
        else:
            amount = form.check(lambda: mileage_pence(miles))
            if amount is not None and amount <= 0:
                form.add_error("miles", "Enter more than 0 miles.")
            elif amount is None:
                form.errors["miles"] = (
                    "Enter the miles as a number with at most one decimal place, like 12.5."
                )
        if len(form.value("description")) > 200:
            form.add_error("description", "Keep the description to 200 characters or fewer.")
        if not form.ok or amount is None:
            return await self._page(request, actor, db_session, mileage=form, status=400)
        said = f"{miles} miles at {MILEAGE_RATE_PENCE_PER_MILE}p a mile comes to {pounds(amount)}."
        if submitted.get("step") != "send":
            return await self._page(request, actor, db_session, mileage=form, preview=said)
        claim = ExpenseClaimCreate(
            organisation_id=worker.organisation_id or uuid.UUID(int=0),
            items=[ExpenseItemIn(kind="mileage", description=form.value("description"), miles=miles)],
        )
        try:
            await expenses.submit(actor, claim)
        except DomainError as error:
            form.add_error(GENERAL, error.detail)
            return await self._page(request, actor, db_session, mileage=form, status=400)
        return redirect(
            request, "/work/expenses", f"Claim sent: {pounds(amount)}. A coordinator will look at it."
        )

    @post("/item", operation_id="pageClaimItem")
    async def item(
        self,
        request: Request[Any, Any, Any],
        actor: NamedDependency[Actor],
        expenses: NamedDependency[ExpenseService],
        db_session: NamedDependency[AsyncSession],
    ) -> Response[Any]:
        """Claim something bought, with its receipt (PDF, JPEG or PNG)."""
        worker = await volunteer_of(db_session, actor)
        submitted = await request.form()
        form = await read_form(request, ITEM_FIELDS[:2], prefix="item-")
        form.fields = ITEM_FIELDS
        form.require("description", "Say what you bought, like: bus fare or a cinema ticket for Tom.")
        if len(form.value("description")) > 200:
            form.add_error("description", "Keep the description to 200 characters or fewer.")
        amount = parse_pounds(form.value("amount"))
        if amount is None or not 1 <= amount <= 100_000:
            form.add_error("amount", "Enter the amount in pounds, like 4.50, up to £1,000.")
        upload = submitted.get("receipt")
        if not isinstance(upload, UploadFile) or not upload.filename:
            form.add_error("receipt", "Choose the receipt: a photo or a PDF.")
        if form.ok and isinstance(upload, UploadFile):
            content = await upload.read(MAX_EVIDENCE_BYTES + 1)
            try:
                receipt = await expenses.upload_receipt(actor, content)
                await expenses.submit(
                    actor,
                    ExpenseClaimCreate(
                        organisation_id=worker.organisation_id or uuid.UUID(int=0),
                        items=[
                            ExpenseItemIn(
                                kind="other",
                                description=form.value("description"),
                                amount_pence=amount,
                                receipt_id=receipt.id,
                            )
                        ],
                    ),
                )
            except InvalidInput as error:
                form.add_error("receipt" if error.field == "receipt" else GENERAL, error.detail)
            except DomainError as error:
                form.add_error(GENERAL, error.detail)
            else:
                return redirect(
                    request, "/work/expenses", f"Claim sent: {pounds(amount)}. A coordinator will look at it."
                )
        return await self._page(request, actor, db_session, item=form, status=400)


class ExpenseDeskPages(Controller):
    path = "/desk/expenses"
    tags = ["pages"]
    include_in_schema = False
    dependencies = {"expenses": Provide(provide_expense_service, sync_to_thread=False)}

    async def _page(
        self,
        request: Request[Any, Any, Any],
        actor: Actor,
        session: AsyncSession,
        expenses: ExpenseService,
        *,
        failed: tuple[uuid.UUID, Form] | None = None,
    ) -> Response[Any]:
        orgs = actor.orgs_with_role("coordinator")
        rows = await session.execute(
            select(ExpenseClaimRow, User.display_name)
            .join(User, User.id == ExpenseClaimRow.volunteer_user_id)
            .where(ExpenseClaimRow.organisation_id.in_(orgs), ExpenseClaimRow.status == "submitted")
            .order_by(ExpenseClaimRow.created_at)
            .limit(100)
        )
        claims = []
        for row, name in rows.tuples():
            view = claim_view(row, name)
            prefix = f"reject-{row.id}-"
            view["form"] = (
                failed[1] if failed and failed[0] == row.id else Form(fields=("reason",), prefix=prefix)
            )
            claims.append(view)
        available = [pounds((await expenses.org_view(actor, org)).available_pence) for org in sorted(orgs)]
        return render(
            request,
            "desk/expenses.html",
            actor=actor,
            form=failed[1] if failed else None,
            status=400 if failed else 200,
            context={"claims": claims, "available": available[0] if len(available) == 1 else None},
        )

    @get("/", operation_id="pageDeskExpenses")
    async def queue(
        self,
        request: Request[Any, Any, Any],
        actor: NamedDependency[Actor],
        db_session: NamedDependency[AsyncSession],
        expenses: NamedDependency[ExpenseService],
    ) -> Response[Any]:
        """Volunteers' claims waiting for a decision, oldest first."""
        require_coordinator(actor)
        return await self._page(request, actor, db_session, expenses)

    @post("/{claim_id:uuid}/approve", operation_id="pageApproveExpenses")
    async def approve(
        self,
        request: Request[Any, Any, Any],
        claim_id: FromPath[uuid.UUID],
        actor: NamedDependency[Actor],
        expenses: NamedDependency[ExpenseService],
    ) -> Response[Any]:
        """Approve: paid from the organisation's expenses budget."""
        require_coordinator(actor)
        try:
            claim = await expenses.approve(actor, claim_id)
        except NotFound:
            raise
        except DomainError as error:
            return redirect(request, "/desk/expenses", f"Not approved: {error.detail}.", kind="info")
        return redirect(
            request, "/desk/expenses", f"Approved: {pounds(claim.total_pence)} paid to the volunteer."
        )

    @post("/{claim_id:uuid}/reject", operation_id="pageRejectExpenses")
    async def reject(
        self,
        request: Request[Any, Any, Any],
        claim_id: FromPath[uuid.UUID],
        actor: NamedDependency[Actor],
        db_session: NamedDependency[AsyncSession],
        expenses: NamedDependency[ExpenseService],
    ) -> Response[Any]:
        """Reject, with a reason the volunteer sees."""
        require_coordinator(actor)
        form = await read_form(request, ("reason",), prefix=f"reject-{claim_id}-")
        form.require("reason", "Say why, so the volunteer knows what to change.")
        if len(form.value("reason")) > 1000:
            form.add_error("reason", "Keep the reason to 1,000 characters or fewer.")
        if form.ok:
            try:
                await expenses.reject(actor, claim_id, form.value("reason"))
            except NotFound:
                raise
            except DomainError as error:
                form.add_error(GENERAL, error.detail)
            else:
                return redirect(request, "/desk/expenses", "Rejected. The volunteer sees your reason.")
        return await self._page(request, actor, db_session, expenses, failed=(claim_id, form))
