"""Pages to create an account, sign in and sign out; the same AuthService as the JSON API."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import Cookie
from litestar.di import NamedDependency, Provide
from litestar.params import QueryParameter

from slivers.accounts.actor import SESSION_COOKIE, Actor
from slivers.accounts.auth_service import GENERIC_LOGIN_FAILURE, AuthService, normalise_email
from slivers.accounts.controllers import client_ip, session_cookie
from slivers.accounts.deps import provide_auth_service
from slivers.accounts.models import AccountType
from slivers.accounts.passwords import check_password_rules
from slivers.accounts.schemas import LoginRequest, RegisterRequest
from slivers.config import Settings
from slivers.errors import DomainError, TooManyRequests
from slivers.http.forms import Form, build, read_form, safe_next
from slivers.http.rendering import redirect, render
from slivers.http.transaction import mark_commit_anyway

# The roles in the words people use about themselves, with what each means here.
ROLES: list[tuple[str, str, str | None]] = [
    (AccountType.SERVICE_USER.value, "I need help", "You book help for yourself."),
    (AccountType.CARER.value, "I look after someone", "You book help or a break for someone you care for."),
    (AccountType.WORKER.value, "I want to work", "As a paid care or support worker."),
    (AccountType.VOLUNTEER.value, "I want to volunteer", "As a volunteer sitter. You get expenses, not pay."),
]
SIGN_UP_FIELDS = ("account_type", "display_name", "email", "password")
SIGN_UP_MESSAGES = {
    "display_name": "Enter your name, up to 200 characters.",
    "email": "Enter an email address of up to 254 characters.",
    "password": "Use a password of at most 128 characters.",
    "account_type": "Choose what brings you to Slivers.",
}
AFTER_SIGN_UP = {
    AccountType.CARER.value: ("/people/new", "Your account is ready. Now add the person you look after."),
    AccountType.SERVICE_USER.value: (
        "/people/new?me=yes",
        "Your account is ready. Now add your own details, so you can book help.",
    ),
}
AFTER_SIGN_UP_WORKER = (
    "/",
    "Your account is ready. Before you can take bookings, a coordinator checks your details and documents.",
)


class AccountPages(Controller):
    tags = ["pages"]
    include_in_schema = False
    dependencies = {"auth": Provide(provide_auth_service, sync_to_thread=False)}

    @get("/", operation_id="pageHome")
    async def home(
        self, request: Request[Any, Any, Any], maybe_actor: NamedDependency[Actor | None]
    ) -> Response[Any]:
        """What Slivers is, with a way in."""
        return render(request, "home.html", actor=maybe_actor)

    @get("/sign-up", operation_id="pageSignUp")
    async def sign_up_form(
        self, request: Request[Any, Any, Any], maybe_actor: NamedDependency[Actor | None]
    ) -> Response[Any]:
        """The form to create an account."""
        if maybe_actor is not None:
            return redirect(request, "/")
        return render(
            request,
            "account/sign_up.html",
            actor=None,
            form=Form(fields=SIGN_UP_FIELDS),
            context={"roles": ROLES},
        )

    @post("/sign-up", operation_id="pageSignUpSubmit")
    async def sign_up(
        self,
        request: Request[Any, Any, Any],
        auth: NamedDependency[AuthService],
        settings: NamedDependency[Settings],
    ) -> Response[Any]:
        """Create the account, sign in, and go on to the first useful step."""
        form = await read_form(request, SIGN_UP_FIELDS)
        if form.value("account_type") not in {value for value, _, _ in ROLES}:
            form.add_error("account_type", SIGN_UP_MESSAGES["account_type"])
        form.require("display_name", "Enter your name.")
        email, password = form.value("email"), form.value("password")
        if not email:
            form.add_error("email", "Enter your email address.")
        else:
            form.check(lambda: normalise_email(email))
        if not password:
            form.add_error("password", "Create a password.")
        else:
            # Checked here as well as in the service, so every problem shows at once.
            form.check(lambda: check_password_rules(password, email=email, name=form.value("display_name")))
        data = (
            build(RegisterRequest, {n: form.value(n) for n in SIGN_UP_FIELDS}, form, SIGN_UP_MESSAGES)
            if form.ok
            else None
        )
        if data is not None:
            try:
                signed_in = await auth.register(data)
            except DomainError as error:
                form.add_domain_error(error)
            else:
                to, message = AFTER_SIGN_UP.get(data.account_type, AFTER_SIGN_UP_WORKER)
                return redirect(request, to, message, cookies=[session_cookie(signed_in, settings)])
        form.forget("password")
        return render(
            request, "account/sign_up.html", actor=None, form=form, context={"roles": ROLES}, status=400
        )

    @get("/sign-in", operation_id="pageSignIn")
    async def sign_in_form(
        self,
        request: Request[Any, Any, Any],
        maybe_actor: NamedDependency[Actor | None],
        next_page: Annotated[str | None, QueryParameter(name="next")] = None,
    ) -> Response[Any]:
        """The sign-in form; `next` is where to go afterwards."""
        if maybe_actor is not None:
            return redirect(request, safe_next(next_page))
        return render(
            request,
            "account/sign_in.html",
            actor=None,
            form=Form(fields=("email", "password")),
            context={"next": safe_next(next_page), "asked_to_sign_in": next_page is not None},
        )

    @post("/sign-in", operation_id="pageSignInSubmit")
    async def sign_in(
        self,
        request: Request[Any, Any, Any],
        auth: NamedDependency[AuthService],
        settings: NamedDependency[Settings],
    ) -> Response[Any]:
        """Sign in; a wrong email or password gets one message that does not say which."""
        form = await read_form(request, ("email", "password", "next"))
        form.fields = ("email", "password")
        form.require("email", "Enter your email address.")
        form.require("password", "Enter your password.")
        data = (
            build(
                LoginRequest,
                {"email": form.value("email"), "password": form.value("password")},
                form,
                {"email": GENERIC_LOGIN_FAILURE, "password": GENERIC_LOGIN_FAILURE},
            )
            if form.ok
            else None
        )
        status = 400
        if data is not None:
            try:
                signed_in = await auth.login(data, ip=client_ip(request))
            except TooManyRequests as error:
                form.add_error("email", error.detail)
                status = 429
            else:
                if signed_in is not None:
                    return redirect(
                        request, safe_next(form.value("next")), cookies=[session_cookie(signed_in, settings)]
                    )
                mark_commit_anyway(request.scope)  # keep the failed attempt for the throttle
                form.add_error("email", GENERIC_LOGIN_FAILURE)
        form.forget("password")
        return render(
            request,
            "account/sign_in.html",
            actor=None,
            form=form,
            status=status,
            context={"next": safe_next(form.value("next")), "asked_to_sign_in": False},
        )

    @post("/sign-out", operation_id="pageSignOut")
    async def sign_out(
        self, request: Request[Any, Any, Any], auth: NamedDependency[AuthService]
    ) -> Response[Any]:
        """Sign out on the server and forget the cookie."""
        await auth.logout(request.cookies.get(SESSION_COOKIE))
        gone = Cookie(key=SESSION_COOKIE, value="", max_age=0, path="/", httponly=True, samesite="lax")
        return redirect(request, "/", "You have signed out.", cookies=[gone])
