"""HTTP for accounts, organisations, persons and circles: parse, call one service method, return."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Controller, Request, Response, delete, get, patch, post
from litestar.datastructures import Cookie
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_201_CREATED, HTTP_204_NO_CONTENT

from slivers.accounts.actor import SESSION_COOKIE, Actor
from slivers.accounts.auth_service import GENERIC_LOGIN_FAILURE, AuthService, SignedIn
from slivers.accounts.deps import provide_auth_service, provide_org_service, provide_person_service
from slivers.accounts.org_service import OrganisationService
from slivers.accounts.person_service import PersonService
from slivers.accounts.schemas import (
    CircleInvite,
    CircleInviteRead,
    CircleMemberRead,
    CirclePermissionsUpdate,
    CircleRead,
    InvitationAccept,
    LoginRequest,
    MeRead,
    OrganisationMemberAdd,
    OrganisationMemberRead,
    PersonCreate,
    PersonRead,
    PersonUpdate,
    RegisterRequest,
    TokenCreate,
    TokenCreated,
    TokenRead,
)
from slivers.config import Settings
from slivers.errors import NotAuthenticated
from slivers.http.problems import problem
from slivers.http.transaction import mark_commit_anyway


def session_cookie(signed_in: SignedIn, settings: Settings) -> Cookie:
    return Cookie(
        key=SESSION_COOKIE,
        value=signed_in.session_token,
        httponly=True,
        samesite="lax",
        secure=settings.cookie_secure,
        # Both are seconds from now (Litestar writes `expires` as now + seconds), so the browser keeps
        # the cookie exactly as long as the server keeps the session.
        max_age=signed_in.lifetime_seconds,
        expires=signed_in.lifetime_seconds,
        path="/",
    )


def client_ip(request: Request[Any, Any, Any]) -> str:
    return request.client.host if request.client else "unknown"


class AuthController(Controller):
    path = "/api/v1/auth"
    tags = ["accounts"]
    dependencies = {"auth": Provide(provide_auth_service, sync_to_thread=False)}

    @post("/register", operation_id="register", status_code=HTTP_201_CREATED)
    async def register(
        self,
        data: JSONBody[RegisterRequest],
        auth: NamedDependency[AuthService],
        settings: NamedDependency[Settings],
    ) -> Response[MeRead]:
        """Create an account and sign in."""
        signed_in = await auth.register(data)
        me = await auth.me(_actor_of(signed_in))
        return Response(me, status_code=HTTP_201_CREATED, cookies=[session_cookie(signed_in, settings)])

    @post("/login", operation_id="login", status_code=200)
    async def login(
        self,
        request: Request[Any, Any, Any],
        data: JSONBody[LoginRequest],
        auth: NamedDependency[AuthService],
        settings: NamedDependency[Settings],
    ) -> Response[MeRead]:
        """Sign in with email and password; sets the session cookie."""
        signed_in = await auth.login(data, ip=client_ip(request))
        if signed_in is None:
            mark_commit_anyway(request.scope)  # keep the failed-attempt record for the throttle
            return problem(401, "Sign in needed", GENERIC_LOGIN_FAILURE, rule="bad_credentials")  # type: ignore[return-value]
        me = await auth.me(_actor_of(signed_in))
        return Response(me, cookies=[session_cookie(signed_in, settings)])

    @post("/logout", operation_id="logout", status_code=HTTP_204_NO_CONTENT)
    async def logout(
        self, request: Request[Any, Any, Any], auth: NamedDependency[AuthService]
    ) -> Response[None]:
        """Sign out: the session is deleted on the server and the cookie cleared."""
        await auth.logout(request.cookies.get(SESSION_COOKIE))
        return Response(
            None,
            status_code=HTTP_204_NO_CONTENT,
            cookies=[Cookie(key=SESSION_COOKIE, value="", max_age=0, path="/", httponly=True)],
        )

    @post("/tokens", operation_id="createApiToken", status_code=HTTP_201_CREATED)
    async def create_token(
        self,
        request: Request[Any, Any, Any],
        data: JSONBody[TokenCreate],
        maybe_actor: NamedDependency[Actor | None],
        auth: NamedDependency[AuthService],
    ) -> TokenCreated:
        """Create a personal access token; its secret is shown only once. Either signed in, or with
        `email` and `password` in the body and no cookie or CSRF token (throttled like sign-in)."""
        if data.email is not None and data.password is not None:
            created = await auth.create_token_with_password(
                data, data.email, data.password, ip=client_ip(request)
            )
            if created is None:
                mark_commit_anyway(request.scope)  # keep the failed-attempt record for the throttle
                return problem(401, "Sign in needed", GENERIC_LOGIN_FAILURE, rule="bad_credentials")  # type: ignore[return-value]
            return created
        if maybe_actor is None:
            raise NotAuthenticated(
                "Sign in, or send your email and password with the token's name.", rule="signed_out"
            )
        return await auth.create_token(maybe_actor, data)

    @get("/tokens", operation_id="listApiTokens")
    async def list_tokens(
        self, actor: NamedDependency[Actor], auth: NamedDependency[AuthService]
    ) -> list[TokenRead]:
        """List your API tokens (without their secrets)."""
        return await auth.list_tokens(actor)

    @delete("/tokens/{token_id:uuid}", operation_id="revokeApiToken", status_code=HTTP_204_NO_CONTENT)
    async def revoke_token(
        self, token_id: FromPath[uuid.UUID], actor: NamedDependency[Actor], auth: NamedDependency[AuthService]
    ) -> None:
        """Revoke one of your API tokens."""
        await auth.revoke_token(actor, token_id)


def _actor_of(signed_in: SignedIn) -> Actor:
    user = signed_in.user
    return Actor(
        user_id=user.id,
        email=user.email,
        display_name=user.display_name,
        account_type=user.account_type,
        via="session",
    )


class MeController(Controller):
    path = "/api/v1/me"
    tags = ["accounts"]
    dependencies = {"auth": Provide(provide_auth_service, sync_to_thread=False)}

    @get("/", operation_id="me")
    async def me(self, actor: NamedDependency[Actor], auth: NamedDependency[AuthService]) -> MeRead:
        """Who you are signed in as, your organisations and profiles."""
        return await auth.me(actor)


class OrganisationController(Controller):
    path = "/api/v1/organisations"
    tags = ["organisations"]
    dependencies = {"orgs": Provide(provide_org_service, sync_to_thread=False)}

    @get("/{organisation_id:uuid}/members", operation_id="listOrganisationMembers")
    async def members(
        self,
        organisation_id: FromPath[uuid.UUID],
        actor: NamedDependency[Actor],
        orgs: NamedDependency[OrganisationService],
    ) -> list[OrganisationMemberRead]:
        """Staff of an organisation you belong to."""
        return await orgs.members(actor, organisation_id)

    @post(
        "/{organisation_id:uuid}/members", operation_id="addOrganisationMember", status_code=HTTP_201_CREATED
    )
    async def add_member(
        self,
        organisation_id: FromPath[uuid.UUID],
        data: JSONBody[OrganisationMemberAdd],
        actor: NamedDependency[Actor],
        orgs: NamedDependency[OrganisationService],
    ) -> OrganisationMemberRead:
        """A coordinator adds a coordinator or funder officer to their own organisation."""
        return await orgs.add_member_as(actor, organisation_id, data)


class PersonController(Controller):
    path = "/api/v1/persons"
    tags = ["persons"]
    dependencies = {"persons": Provide(provide_person_service, sync_to_thread=False)}

    @post("/", operation_id="createPerson", status_code=HTTP_201_CREATED)
    async def create(
        self,
        data: JSONBody[PersonCreate],
        actor: NamedDependency[Actor],
        persons: NamedDependency[PersonService],
    ) -> PersonRead:
        """Add a person supported (yourself, or someone you look after); you join their circle."""
        return await persons.create(actor, data)

    @get("/", operation_id="listPersons")
    async def list_mine(
        self, actor: NamedDependency[Actor], persons: NamedDependency[PersonService]
    ) -> list[PersonRead]:
        """The persons whose circle you are in."""
        return await persons.list_mine(actor)

    @get("/{person_id:uuid}", operation_id="getPerson")
    async def get_person(
        self,
        person_id: FromPath[uuid.UUID],
        actor: NamedDependency[Actor],
        persons: NamedDependency[PersonService],
    ) -> PersonRead:
        """One person, if you are in their circle."""
        return await persons.get(actor, person_id)

    @patch("/{person_id:uuid}", operation_id="updatePerson")
    async def update(
        self,
        person_id: FromPath[uuid.UUID],
        data: JSONBody[PersonUpdate],
        actor: NamedDependency[Actor],
        persons: NamedDependency[PersonService],
    ) -> PersonRead:
        """Change a person's details (needs `manage`)."""
        return await persons.update(actor, person_id, data)

    @get("/{person_id:uuid}/circle", operation_id="getCircle")
    async def circle(
        self,
        person_id: FromPath[uuid.UUID],
        actor: NamedDependency[Actor],
        persons: NamedDependency[PersonService],
    ) -> CircleRead:
        """The circle of support: members, permissions and pending invitations."""
        return await persons.circle(actor, person_id)

    @post("/{person_id:uuid}/circle", operation_id="inviteToCircle", status_code=HTTP_201_CREATED)
    async def invite(
        self,
        person_id: FromPath[uuid.UUID],
        data: JSONBody[CircleInvite],
        actor: NamedDependency[Actor],
        persons: NamedDependency[PersonService],
    ) -> CircleInviteRead:
        """Invite someone by email to the circle (needs `manage`); they accept with the emailed code."""
        return await persons.invite(actor, person_id, data)

    @patch("/{person_id:uuid}/circle/{member_id:uuid}", operation_id="setCirclePermissions")
    async def set_permissions(
        self,
        person_id: FromPath[uuid.UUID],
        member_id: FromPath[uuid.UUID],
        data: JSONBody[CirclePermissionsUpdate],
        actor: NamedDependency[Actor],
        persons: NamedDependency[PersonService],
    ) -> CircleMemberRead:
        """Change a member's permissions (needs `manage`)."""
        return await persons.set_permissions(actor, person_id, member_id, list(data.permissions))

    @delete(
        "/{person_id:uuid}/circle/{member_id:uuid}",
        operation_id="removeFromCircle",
        status_code=HTTP_204_NO_CONTENT,
    )
    async def remove(
        self,
        person_id: FromPath[uuid.UUID],
        member_id: FromPath[uuid.UUID],
        actor: NamedDependency[Actor],
        persons: NamedDependency[PersonService],
    ) -> None:
        """Remove a member (needs `manage`, or it is yourself leaving)."""
        await persons.remove(actor, person_id, member_id)


class InvitationController(Controller):
    path = "/api/v1/invitations"
    tags = ["persons"]
    dependencies = {"persons": Provide(provide_person_service, sync_to_thread=False)}

    @post("/accept", operation_id="acceptInvitation", status_code=200)
    async def accept(
        self,
        data: JSONBody[InvitationAccept],
        actor: NamedDependency[Actor],
        persons: NamedDependency[PersonService],
    ) -> CircleMemberRead:
        """Accept an invitation to a circle with the code you were sent."""
        return await persons.accept(actor, data.token)
