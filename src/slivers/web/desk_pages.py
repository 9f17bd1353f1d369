"""The coordinator's desk: the vetting queue (verify or reject with a reason, with the evidence),
workers with their status (suspend, reinstate, supervision), and unmet demand by day and postcode
district. Powers apply inside the coordinator's own organisations; the vetting services check that."""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import date
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath

from slivers.accounts.actor import Actor
from slivers.clock import Clock, to_london
from slivers.errors import DomainError, Forbidden, NotFound
from slivers.http.forms import Form, build, read_form
from slivers.http.rendering import redirect, render
from slivers.market.deps import provide_desk
from slivers.market.desk.service import DEMAND_DAYS, DeskService
from slivers.vetting.credentials.decisions import DecisionService
from slivers.vetting.credentials.evidence import EvidenceService
from slivers.vetting.credentials.service import CredentialService
from slivers.vetting.deps import (
    provide_credentials,
    provide_decisions,
    provide_evidence,
    provide_oversight,
    provide_standing,
)
from slivers.vetting.schemas import Decision, QueueItem, Reinstate, SupervisionCreate, Verify
from slivers.vetting.workers.oversight import OversightService
from slivers.vetting.workers.service import WorkerStandingService
from slivers.web.words import (
    CREDENTIAL_STATUS_WORDS,
    WORKER_STANDING_WORDS,
    day_words,
    moment_words,
    parse_date,
)

REASON_MESSAGES = {"reason": "Give a reason of 3 to 2,000 characters."}


def require_coordinator(actor: Actor) -> None:
    if not actor.orgs_with_role("coordinator"):
        raise Forbidden("Only a coordinator can use the desk.", rule="needs_coordinator")


class DeskPages(Controller):
    path = "/desk"
    tags = ["pages"]
    include_in_schema = False
    dependencies = {
        "credentials": Provide(provide_credentials, sync_to_thread=False),
        "decisions": Provide(provide_decisions, sync_to_thread=False),
        "evidence": Provide(provide_evidence, sync_to_thread=False),
        "standing": Provide(provide_standing, sync_to_thread=False),
        "oversight": Provide(provide_oversight, sync_to_thread=False),
        "desk": Provide(provide_desk, sync_to_thread=False),
    }

    @get("/", operation_id="pageDesk")
    async def desk(
        self,
        request: Request[Any, Any, Any],
        actor: NamedDependency[Actor],
        credentials: NamedDependency[CredentialService],
    ) -> Response[Any]:
        """The vetting queue, oldest first."""
        require_coordinator(actor)
        queue = await credentials.queue(actor)
        return render(
            request,
            "desk/queue.html",
            actor=actor,
            context={
                "queue": [
                    {"item": item, "submitted": moment_words(item.credential.submitted_at)} for item in queue
                ]
            },
        )

    async def _queued(
        self, actor: Actor, credentials: CredentialService, credential_id: uuid.UUID
    ) -> QueueItem:
        for item in await credentials.queue(actor):
            if item.credential.id == credential_id:
                return item
        raise NotFound("That credential is not waiting for a decision.", rule="not_found")

    async def _credential_page(
        self,
        request: Request[Any, Any, Any],
        actor: Actor,
        credentials: CredentialService,
        credential_id: uuid.UUID,
        *,
        verify_form: Form | None = None,
        reject_form: Form | None = None,
        status: int = 200,
    ) -> Response[Any]:
        item = await self._queued(actor, credentials, credential_id)
        failed = verify_form if verify_form and not verify_form.ok else reject_form
        return render(
            request,
            "desk/credential.html",
            actor=actor,
            form=failed,
            status=status,
            context={
                "item": item,
                "c": item.credential,
                "issued": day_words(item.credential.issued_on),
                "expires": day_words(item.credential.expires_on) if item.credential.expires_on else None,
                "verify_form": verify_form or Form(fields=("expires_on", "note"), prefix="verify-"),
                "reject_form": reject_form or Form(fields=("reason",), prefix="reject-"),
            },
        )

    @get("/credentials/{credential_id:uuid}", operation_id="pageDeskCredential")
    async def credential(
        self,
        request: Request[Any, Any, Any],
        credential_id: FromPath[uuid.UUID],
        actor: NamedDependency[Actor],
        credentials: NamedDependency[CredentialService],
    ) -> Response[Any]:
        """One credential waiting: its details, the evidence, and the decision."""
        require_coordinator(actor)
        return await self._credential_page(request, actor, credentials, credential_id)

    @get("/credentials/{credential_id:uuid}/evidence", operation_id="pageDeskEvidence")
    async def view_evidence(
        self,
        credential_id: FromPath[uuid.UUID],
        actor: NamedDependency[Actor],
        evidence: NamedDependency[EvidenceService],
    ) -> Response[bytes]:
        """The evidence file, opened in the browser's own viewer (PDF or image)."""
        require_coordinator(actor)
        content, content_type = await evidence.download(actor, credential_id)
        return Response(
            content,
            media_type=content_type,
            headers={
                "Content-Disposition": f'inline; filename="evidence-{credential_id}"',
                "Cache-Control": "no-store",
                "X-Content-Type-Options": "nosniff",
            },
        )

    @post("/credentials/{credential_id:uuid}/verify", operation_id="pageDeskVerify")
    async def verify(
        self,
        request: Request[Any, Any, Any],
        credential_id: FromPath[uuid.UUID],
        actor: NamedDependency[Actor],
        credentials: NamedDependency[CredentialService],
        decisions: NamedDependency[DecisionService],
    ) -> Response[Any]:
        """Verify the credential."""
        require_coordinator(actor)
        form = await read_form(request, ("expires_on", "note"), prefix="verify-")
        expires = parse_date(form.value("expires_on")) if form.value("expires_on") else None
        if form.value("expires_on") and expires is None:
            form.add_error("expires_on", "Enter the date on the document, like 1/6/2028, or leave it empty.")
        data = (
            build(Verify, {"expires_on": expires, "note": form.value("note")}, form, {}) if form.ok else None
        )
        if data is not None:
            try:
                done = await decisions.verify(actor, credential_id, data)
            except DomainError as error:
                form.add_domain_error(error)
            else:
                return redirect(request, "/desk", f"Verified: {done.title}.")
        return await self._credential_page(
            request, actor, credentials, credential_id, verify_form=form, status=400
        )

    @post("/credentials/{credential_id:uuid}/reject", operation_id="pageDeskReject")
    async def reject(
        self,
        request: Request[Any, Any, Any],
        credential_id: FromPath[uuid.UUID],
        actor: NamedDependency[Actor],
        credentials: NamedDependency[CredentialService],
        decisions: NamedDependency[DecisionService],
    ) -> Response[Any]:
        """Reject the credential, with a reason the worker sees."""
        require_coordinator(actor)
        form = await read_form(request, ("reason",), prefix="reject-")
        form.require("reason", "Say why it is rejected; the worker sees the reason.")
        data = build(Decision, {"reason": form.value("reason")}, form, REASON_MESSAGES) if form.ok else None
        if data is not None:
            try:
                done = await decisions.reject(actor, credential_id, data)
            except DomainError as error:
                form.add_domain_error(error)
            else:
                return redirect(request, "/desk", f"Rejected: {done.title}. The worker has been told why.")
        return await self._credential_page(
            request, actor, credentials, credential_id, reject_form=form, status=400
        )

    @get("/workers", operation_id="pageDeskWorkers")
    async def workers(
        self,
        request: Request[Any, Any, Any],
        actor: NamedDependency[Actor],
        standing: NamedDependency[WorkerStandingService],
        clock: NamedDependency[Clock],
    ) -> Response[Any]:
        """Workers of my organisations with their status and supervision."""
        require_coordinator(actor)
        today = to_london(clock.now()).date()
        listed = await standing.listed(actor, None)
        return render(
            request,
            "desk/workers.html",
            actor=actor,
            context={
                "workers": [
                    {
                        "w": w,
                        "status": WORKER_STANDING_WORDS.get(w.status, w.status),
                        "due": day_words(w.supervision_due_on) if w.supervision_due_on else None,
                        "overdue": w.supervision_due_on is not None and w.supervision_due_on < today,
                    }
                    for w in listed
                ]
            },
        )

    async def _worker_page(
        self,
        request: Request[Any, Any, Any],
        actor: Actor,
        standing: WorkerStandingService,
        credentials: CredentialService,
        clock: Clock,
        worker_id: uuid.UUID,
        *,
        form: Form | None = None,
        status: int = 200,
    ) -> Response[Any]:
        worker = await standing.read(actor, worker_id)
        today = to_london(clock.now()).date()
        held = await credentials.of_worker(actor, worker_id)
        return render(
            request,
            "desk/worker.html",
            actor=actor,
            form=form or Form(fields=("reason", "held_on"), values={"held_on": f"{today:%d/%m/%Y}"}),
            status=status,
            context={
                "w": worker,
                "status": WORKER_STANDING_WORDS.get(worker.status, worker.status),
                "due": day_words(worker.supervision_due_on) if worker.supervision_due_on else None,
                "last": day_words(worker.last_supervision_on) if worker.last_supervision_on else None,
                "credentials": [
                    (
                        c.title,
                        CREDENTIAL_STATUS_WORDS.get(c.status, c.status),
                        day_words(c.valid_until) if c.valid_until else "Does not expire",
                    )
                    for c in held
                ],
            },
        )

    @get("/workers/{worker_id:uuid}", operation_id="pageDeskWorker")
    async def worker(
        self,
        request: Request[Any, Any, Any],
        worker_id: FromPath[uuid.UUID],
        actor: NamedDependency[Actor],
        standing: NamedDependency[WorkerStandingService],
        credentials: NamedDependency[CredentialService],
        clock: NamedDependency[Clock],
    ) -> Response[Any]:
        """One worker: status, credentials, suspend or reinstate, supervision."""
        require_coordinator(actor)
        return await self._worker_page(request, actor, standing, credentials, clock, worker_id)

    @post("/workers/{worker_id:uuid}/{action:str}", operation_id="pageDeskWorkerAction")
    async def worker_action(
        self,
        request: Request[Any, Any, Any],
        worker_id: FromPath[uuid.UUID],
        action: FromPath[str],
        actor: NamedDependency[Actor],
        standing: NamedDependency[WorkerStandingService],
        oversight: NamedDependency[OversightService],
        credentials: NamedDependency[CredentialService],
        clock: NamedDependency[Clock],
    ) -> Response[Any]:
        """Approve, suspend (with a reason), reinstate, or record a supervision meeting."""
        require_coordinator(actor)
        form = await read_form(request, ("reason", "held_on"))
        back = f"/desk/workers/{worker_id}"
        try:
            if action == "approve":
                done = await standing.approve(actor, worker_id)
                return redirect(request, back, f"{done.display_name} is approved and can be booked.")
            if action == "suspend":
                form.require("reason", "Say why you are suspending them.")
                data = (
                    build(Decision, {"reason": form.value("reason")}, form, REASON_MESSAGES)
                    if form.ok
                    else None
                )
                if data is not None:
                    done = await standing.suspend(actor, worker_id, data)
                    return redirect(
                        request, back, f"{done.display_name} is suspended. Their future visits are reopened."
                    )
            elif action == "reinstate":
                if form.ok:
                    done = await standing.reinstate(
                        actor, worker_id, Reinstate(reason=form.value("reason")[:2000])
                    )
                    return redirect(request, back, f"{done.display_name} is reinstated.")
            elif action == "supervision":
                held = parse_date(form.value("held_on"))
                if held is None:
                    form.add_error("held_on", "Enter the date of the meeting, like 1/12/2026.")
                else:
                    await oversight.record_supervision(actor, worker_id, SupervisionCreate(held_on=held))
                    return redirect(request, back, "Supervision recorded.")
            else:
                raise NotFound("No such action.")
        except DomainError as error:
            if isinstance(error, NotFound | Forbidden):
                raise
            form.add_domain_error(error)
        return await self._worker_page(
            request, actor, standing, credentials, clock, worker_id, form=form, status=400
        )

    @get("/demand", operation_id="pageDeskDemand")
    async def demand(
        self,
        request: Request[Any, Any, Any],
        actor: NamedDependency[Actor],
        desk: NamedDependency[DeskService],
        clock: NamedDependency[Clock],
    ) -> Response[Any]:
        """Open and unfilled visits by day and postcode district, as a table and bars."""
        require_coordinator(actor)
        cells = await desk.unmet_demand(actor, days=DEMAND_DAYS)
        today = to_london(clock.now()).date()
        by_day: dict[date, int] = defaultdict(int)
        for cell in cells:
            by_day[cell.day] += cell.unfilled
        biggest = max(by_day.values(), default=0)
        return render(
            request,
            "desk/demand.html",
            actor=actor,
            context={
                "rows": [(day_words(c.day, today), c.district, c.unfilled) for c in cells],
                "bars": [
                    (day_words(day, today), n, round(100 * n / biggest) if biggest else 0)
                    for day, n in sorted(by_day.items())
                ],
                "total": sum(by_day.values()),
                "days": DEMAND_DAYS,
            },
        )
