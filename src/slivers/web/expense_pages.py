"""Volunteer expenses: a volunteer claims mileage (the amount at 45p a mile shown before sending) or an
item with a receipt, and sees their claims; a coordinator approves or rejects the claims of their
organisations' volunteers. The payments expense service holds every rule and its listing reads the
claims each reader may see; this only asks them."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath

from slivers.accounts.actor import Actor
from slivers.errors import DomainError, InvalidInput, NotFound
from slivers.http.forms import GENERAL, Form, read_form
from slivers.http.rendering import redirect, render
from slivers.payments.deps import provide_expense_listing, provide_expense_service
from slivers.payments.expenses.listing import ClaimListed, ExpenseListing
from slivers.payments.expenses.schemas import ExpenseClaimCreate, ExpenseItemIn, ExpenseItemRead
from slivers.payments.expenses.service import ExpenseService
from slivers.payments.rules.expenses import MILEAGE_RATE_PENCE_PER_MILE, mileage_pence
from slivers.vetting.credentials.uploads import MAX_EVIDENCE_BYTES
from slivers.web.desk_pages import require_coordinator
from slivers.web.profile_pages import parse_pounds
from slivers.web.words import moment_words, pounds

MILEAGE_FIELDS = ("description", "miles")
ITEM_FIELDS = ("description", "amount", "receipt")
CLAIM_STATUS_WORDS = {
    "submitted": "Waiting for a coordinator",
    "approved": "Approved: paid to you",
    "rejected": "Not approved",
}
RECENT_CLAIMS = 30


def _item_words(item: ExpenseItemRead) -> str:
    if item.kind == "mileage":
        return f"{item.description}: {item.miles} miles at 45p a mile"
    return f"{item.description} (receipt attached)" if item.receipt_id else item.description


def claim_view(claim: ClaimListed) -> dict[str, Any]:
    return {
        "id": claim.id,
        "name": claim.volunteer_name,
        "status": claim.status,
        "status_words": CLAIM_STATUS_WORDS.get(claim.status, claim.status),
        "total": pounds(claim.total_pence),
        "lines": [(_item_words(item), pounds(item.amount_pence)) for item in claim.items],
        "sent": moment_words(claim.submitted_at),
        "reason": claim.rejection_reason,
    }


class ExpensePages(Controller):
    path = "/work/expenses"
    tags = ["pages"]
    include_in_schema = False
    dependencies = {
        "expenses": Provide(provide_expense_service, sync_to_thread=False),
        "listing": Provide(provide_expense_listing, sync_to_thread=False),
    }

    async def _page(
        self,
        request: Request[Any, Any, Any],
        actor: Actor,
        listing: ExpenseListing,
        *,
        mileage: Form | None = None,
        item: Form | None = None,
        preview: str | None = None,
        status: int = 200,
    ) -> Response[Any]:
        claims = await listing.mine(actor, limit=RECENT_CLAIMS)
        failed = mileage if mileage is not None and not mileage.ok else item
        return render(
            request,
            "work/expenses.html",
            actor=actor,
            form=failed,
            status=status,
            announce=f"{preview} Check it, then send the claim." if preview else None,
            context={
                "claims": [claim_view(claim) for claim in claims],
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
        listing: NamedDependency[ExpenseListing],
    ) -> Response[Any]:
        """My claims with their status, and the forms to claim mileage or an item with a receipt."""
        return await self._page(request, actor, listing)

    @post("/mileage", operation_id="pageClaimMileage")
    async def mileage(
        self,
        request: Request[Any, Any, Any],
        actor: NamedDependency[Actor],
        expenses: NamedDependency[ExpenseService],
        listing: NamedDependency[ExpenseListing],
    ) -> Response[Any]:
        """First shows the amount for the miles; sends the claim once the volunteer confirms it."""
        claimant = await listing.claimant(actor)
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
            return await self._page(request, actor, listing, mileage=form, status=400)
        said = f"{miles} miles at {MILEAGE_RATE_PENCE_PER_MILE}p a mile comes to {pounds(amount)}."
        if submitted.get("step") != "send":
            return await self._page(request, actor, listing, mileage=form, preview=said)
        claim = ExpenseClaimCreate(
            organisation_id=claimant.organisation_id or uuid.UUID(int=0),
            items=[ExpenseItemIn(kind="mileage", description=form.value("description"), miles=miles)],
        )
        try:
            await expenses.submit(actor, claim)
        except DomainError as error:
            form.add_error(GENERAL, error.detail)
            return await self._page(request, actor, listing, mileage=form, status=400)
        return redirect(
            request, "/work/expenses", f"Claim sent: {pounds(amount)}. A coordinator will look at it."
        )

    @post("/item", operation_id="pageClaimItem")
    async def item(
        self,
        request: Request[Any, Any, Any],
        actor: NamedDependency[Actor],
        expenses: NamedDependency[ExpenseService],
        listing: NamedDependency[ExpenseListing],
    ) -> Response[Any]:
        """Claim something bought, with its receipt (PDF, JPEG or PNG)."""
        claimant = await listing.claimant(actor)
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
                        organisation_id=claimant.organisation_id or uuid.UUID(int=0),
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
        return await self._page(request, actor, listing, item=form, status=400)


class ExpenseDeskPages(Controller):
    path = "/desk/expenses"
    tags = ["pages"]
    include_in_schema = False
    dependencies = {
        "expenses": Provide(provide_expense_service, sync_to_thread=False),
        "listing": Provide(provide_expense_listing, sync_to_thread=False),
    }

    async def _page(
        self,
        request: Request[Any, Any, Any],
        actor: Actor,
        listing: ExpenseListing,
        expenses: ExpenseService,
        *,
        failed: tuple[uuid.UUID, Form] | None = None,
    ) -> Response[Any]:
        orgs = actor.orgs_with_role("coordinator")
        claims = []
        for claim in await listing.waiting(actor):
            view = claim_view(claim)
            if failed and failed[0] == claim.id:
                view["form"] = failed[1]
                said = failed[1].errors.get("reason")
                if said:  # the summary names the claim: several may be listed
                    failed[1].errors["reason"] = f"{claim.volunteer_name}, {view['total']}: {said}"
            else:
                view["form"] = Form(fields=("reason",), prefix=f"reject-{claim.id}-")
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
        listing: NamedDependency[ExpenseListing],
        expenses: NamedDependency[ExpenseService],
    ) -> Response[Any]:
        """Volunteers' claims waiting for a decision, oldest first."""
        require_coordinator(actor)
        return await self._page(request, actor, listing, expenses)

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
        listing: NamedDependency[ExpenseListing],
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
        return await self._page(request, actor, listing, expenses, failed=(claim_id, form))
