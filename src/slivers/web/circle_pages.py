"""Circle of support pages: members and their permissions in words, invitations, removal, accepting."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, QueryParameter

from slivers.accounts.actor import Actor
from slivers.accounts.deps import provide_person_service
from slivers.accounts.models import CirclePermission
from slivers.accounts.person_service import PersonService
from slivers.accounts.schemas import CircleInvite, CircleMemberRead, InvitationAccept
from slivers.errors import DomainError, NotFound
from slivers.http.forms import Form, build, read_form
from slivers.http.rendering import london_date, redirect, render
from slivers.web.people_pages import permission_words

# `view` comes with every membership, so only the others are choices.
CHOSEN_PERMISSIONS: list[tuple[str, str, str | None]] = [
    (CirclePermission.REQUEST.value, "Ask for help or book for them", None),
    (CirclePermission.APPROVE.value, "Approve timesheets and spending", "Spending from their budget, too."),
    (
        CirclePermission.MANAGE.value,
        "Change who is in the circle",
        "Invite and remove people, and change what they may do.",
    ),
]
CHOICES = {value for value, _, _ in CHOSEN_PERMISSIONS}
INVITE_FIELDS = ("email", "permissions")


def _member_form(member: CircleMemberRead) -> Form:
    return Form(
        fields=("permissions",),
        prefix=f"member-{member.id}-",
        values={"permissions": [p for p in member.permissions if p in CHOICES]},
    )


def _wanted(form: Form) -> list[str]:
    return ["view", *[p for p in form.chosen("permissions") if p in CHOICES]]


class CirclePages(Controller):
    path = "/people/{person_id:uuid}/circle"
    tags = ["pages"]
    include_in_schema = False
    dependencies = {"persons": Provide(provide_person_service, sync_to_thread=False)}

    async def _page(
        self,
        request: Request[Any, Any, Any],
        actor: Actor,
        persons: PersonService,
        person_id: uuid.UUID,
        *,
        invite_form: Form | None = None,
        failed_member: tuple[uuid.UUID, Form] | None = None,
        status: int = 200,
    ) -> Response[Any]:
        person = await persons.get(actor, person_id)
        circle = await persons.circle(actor, person_id)
        members = []
        for member in circle.members:
            form = (
                failed_member[1] if failed_member and failed_member[0] == member.id else _member_form(member)
            )
            members.append(
                {
                    "member": member,
                    "can": permission_words(member.permissions),
                    "form": form,
                    "is_me": member.user_id == actor.user_id,
                }
            )
        invitations = [
            {"email": i.email, "can": permission_words(i.permissions), "expires": london_date(i.expires_at)}
            for i in circle.pending_invitations
        ]
        page_form = (
            failed_member[1]
            if failed_member
            else (invite_form or Form(fields=INVITE_FIELDS, prefix="invite-"))
        )
        # An htmx update swaps only the member's card and the status region: say there what went wrong.
        announce = None
        if failed_member and request.headers.get("hx-request") and not failed_member[1].ok:
            announce = "Not saved: " + " ".join(failed_member[1].errors.values())
        return render(
            request,
            "circle/show.html",
            announce=announce,
            actor=actor,
            form=page_form,
            status=status,
            context={
                "person": person,
                "members": members,
                "invitations": invitations,
                "can_manage": CirclePermission.MANAGE.value in person.my_permissions,
                "invite_form": invite_form or Form(fields=INVITE_FIELDS, prefix="invite-"),
                "permission_choices": CHOSEN_PERMISSIONS,
            },
        )

    @get("/", operation_id="pageCircle")
    async def circle(
        self,
        request: Request[Any, Any, Any],
        person_id: FromPath[uuid.UUID],
        actor: NamedDependency[Actor],
        persons: NamedDependency[PersonService],
    ) -> Response[Any]:
        """The circle: who is in it, what each may do, and pending invitations."""
        return await self._page(request, actor, persons, person_id)

    @post("/invitations", operation_id="pageInviteToCircle")
    async def invite(
        self,
        request: Request[Any, Any, Any],
        person_id: FromPath[uuid.UUID],
        actor: NamedDependency[Actor],
        persons: NamedDependency[PersonService],
    ) -> Response[Any]:
        """Invite someone by email; they accept with the code we email them."""
        form = await read_form(request, INVITE_FIELDS, lists=("permissions",), prefix="invite-")
        form.anchors["permissions"] = "invite-permissions"
        form.require("email", "Enter the email address of the person to invite.")
        data = (
            build(
                CircleInvite,
                {"email": form.value("email"), "permissions": _wanted(form)},
                form,
                {"email": "Enter an email address of up to 254 characters."},
            )
            if form.ok
            else None
        )
        if data is not None:
            try:
                invitation = await persons.invite(actor, person_id, data)
            except DomainError as error:
                form.add_domain_error(error)
            else:
                return redirect(
                    request,
                    f"/people/{person_id}/circle",
                    f"Invitation sent to {invitation.email}. They have 14 days to accept it.",
                )
        return await self._page(request, actor, persons, person_id, invite_form=form, status=400)

    @post("/{member_id:uuid}/permissions", operation_id="pageSetCirclePermissions")
    async def set_permissions(
        self,
        request: Request[Any, Any, Any],
        person_id: FromPath[uuid.UUID],
        member_id: FromPath[uuid.UUID],
        actor: NamedDependency[Actor],
        persons: NamedDependency[PersonService],
    ) -> Response[Any]:
        """Change what one member may do."""
        form = await read_form(
            request, ("permissions",), lists=("permissions",), prefix=f"member-{member_id}-"
        )
        try:
            member = await persons.set_permissions(actor, person_id, member_id, _wanted(form))
        except DomainError as error:
            if error.status_code == 404:
                raise
            form.add_domain_error(error)
            return await self._page(
                request, actor, persons, person_id, failed_member=(member_id, form), status=400
            )
        return redirect(request, f"/people/{person_id}/circle", f"Saved what {member.display_name} may do.")

    @get("/{member_id:uuid}/remove", operation_id="pageRemoveFromCircleConfirm")
    async def remove_confirm(
        self,
        request: Request[Any, Any, Any],
        person_id: FromPath[uuid.UUID],
        member_id: FromPath[uuid.UUID],
        actor: NamedDependency[Actor],
        persons: NamedDependency[PersonService],
    ) -> Response[Any]:
        """Ask before removing someone (or leaving)."""
        person = await persons.get(actor, person_id)
        circle = await persons.circle(actor, person_id)
        member = next((m for m in circle.members if m.id == member_id), None)
        if member is None:
            raise NotFound("No such circle member.")
        return render(
            request,
            "circle/remove.html",
            actor=actor,
            context={
                "person": person,
                "member": member,
                "leaving": member.user_id == actor.user_id,
            },
        )

    @post("/{member_id:uuid}/remove", operation_id="pageRemoveFromCircle")
    async def remove(
        self,
        request: Request[Any, Any, Any],
        person_id: FromPath[uuid.UUID],
        member_id: FromPath[uuid.UUID],
        actor: NamedDependency[Actor],
        persons: NamedDependency[PersonService],
    ) -> Response[Any]:
        """Remove a member, or leave the circle."""
        circle = await persons.circle(actor, person_id)
        member = next((m for m in circle.members if m.id == member_id), None)
        await persons.remove(actor, person_id, member_id)
        if member is not None and member.user_id == actor.user_id:
            return redirect(request, "/people", "You have left the circle.")
        name = member.display_name if member else "They"
        return redirect(request, f"/people/{person_id}/circle", f"{name} has been removed from the circle.")


class InvitationPages(Controller):
    path = "/invitations"
    tags = ["pages"]
    include_in_schema = False
    dependencies = {"persons": Provide(provide_person_service, sync_to_thread=False)}

    @get("/accept", operation_id="pageAcceptInvitation")
    async def accept_form(
        self,
        request: Request[Any, Any, Any],
        actor: NamedDependency[Actor],
        code: Annotated[str | None, QueryParameter(name="code")] = None,
    ) -> Response[Any]:
        """The form to enter an invitation code."""
        return render(
            request,
            "circle/accept.html",
            actor=actor,
            form=Form(fields=("token",), values={"token": code or ""}),
        )

    @post("/accept", operation_id="pageAcceptInvitationSubmit")
    async def accept(
        self,
        request: Request[Any, Any, Any],
        actor: NamedDependency[Actor],
        persons: NamedDependency[PersonService],
    ) -> Response[Any]:
        """Join the circle the code invites me to."""
        form = await read_form(request, ("token",))
        form.require("token", "Enter the code from your invitation email.")
        data = (
            build(
                InvitationAccept,
                {"token": form.value("token")},
                form,
                {"token": "Enter the code exactly as it is in the email."},
            )
            if form.ok
            else None
        )
        if data is not None:
            try:
                await persons.accept(actor, data.token)
            except DomainError as error:
                form.add_domain_error(error)
            else:
                return redirect(
                    request, "/people", "You have joined the circle of support. They are now in My people."
                )
        return render(request, "circle/accept.html", actor=actor, form=form, status=400)
