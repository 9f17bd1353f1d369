"""'My people': the persons whose circle of support I am in, adding one, and one person's page."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, QueryParameter

from slivers.accounts.actor import Actor
from slivers.accounts.deps import provide_person_service
from slivers.accounts.guards import PERMISSION_WORDS
from slivers.accounts.models import CirclePermission
from slivers.accounts.person_service import PersonService
from slivers.accounts.schemas import PersonCreate
from slivers.errors import DomainError
from slivers.http.forms import Form, build, read_form
from slivers.http.rendering import redirect, render

PERSON_FIELDS = ("is_me", "display_name", "home_postcode", "address", "needs", "household_has_child")
PERSON_MESSAGES = {
    "display_name": "Enter a name of up to 200 characters.",
    "home_postcode": "Enter a full UK postcode, like SG1 1AA.",
    "address": "Keep the address under 5,000 characters.",
    "needs": "Keep the description of needs under 5,000 characters.",
}


def permission_words(permissions: list[str]) -> list[str]:
    """What a member may do, in words, in the order the permissions build on each other."""
    return [PERMISSION_WORDS[p] for p in CirclePermission if p.value in permissions]


class PeoplePages(Controller):
    path = "/people"
    tags = ["pages"]
    include_in_schema = False
    dependencies = {"persons": Provide(provide_person_service, sync_to_thread=False)}

    @get("/", operation_id="pageMyPeople")
    async def my_people(
        self,
        request: Request[Any, Any, Any],
        actor: NamedDependency[Actor],
        persons: NamedDependency[PersonService],
    ) -> Response[Any]:
        """The persons whose circle I am in."""
        people = await persons.list_mine(actor)
        return render(
            request,
            "people/list.html",
            actor=actor,
            context={
                "people": [(p, permission_words(p.my_permissions)) for p in people],
            },
        )

    @get("/new", operation_id="pageAddPerson")
    async def add_form(
        self,
        request: Request[Any, Any, Any],
        actor: NamedDependency[Actor],
        me: Annotated[str | None, QueryParameter(name="me")] = None,
    ) -> Response[Any]:
        """The form to add a person."""
        form = Form(fields=PERSON_FIELDS, values={"is_me": "yes" if me == "yes" else ""})
        return render(request, "people/new.html", actor=actor, form=form)

    @post("/new", operation_id="pageAddPersonSubmit")
    async def add(
        self,
        request: Request[Any, Any, Any],
        actor: NamedDependency[Actor],
        persons: NamedDependency[PersonService],
    ) -> Response[Any]:
        """Add the person; I join their circle with every permission."""
        form = await read_form(request, PERSON_FIELDS)
        form.require("display_name", "Enter their name.")
        form.require("home_postcode", "Enter the postcode where they live.")
        data = (
            build(
                PersonCreate,
                {
                    "display_name": form.value("display_name"),
                    "home_postcode": form.value("home_postcode"),
                    "address": form.value("address"),
                    "needs": form.value("needs"),
                    "household_has_child": form.value("household_has_child") == "yes",
                    "is_me": form.value("is_me") == "yes",
                },
                form,
                PERSON_MESSAGES,
            )
            if form.ok
            else None
        )
        if data is not None:
            try:
                person = await persons.create(actor, data)
            except DomainError as error:
                form.add_domain_error(error)
            else:
                return redirect(request, "/people", f"{person.display_name} has been added.")
        return render(request, "people/new.html", actor=actor, form=form, status=400)

    @get("/{person_id:uuid}", operation_id="pagePerson")
    async def person(
        self,
        request: Request[Any, Any, Any],
        person_id: FromPath[uuid.UUID],
        actor: NamedDependency[Actor],
        persons: NamedDependency[PersonService],
    ) -> Response[Any]:
        """One person, showing what my permissions let me see."""
        person = await persons.get(actor, person_id)
        return render(
            request,
            "people/show.html",
            actor=actor,
            context={
                "person": person,
                "can": permission_words(person.my_permissions),
                "can_manage": CirclePermission.MANAGE.value in person.my_permissions,
            },
        )
