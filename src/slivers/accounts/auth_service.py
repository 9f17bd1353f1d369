"""Registration, sign-in (throttled), sign-out and API tokens."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from slivers.accounts import passwords
from slivers.accounts.actor import Actor
from slivers.accounts.models import (
    AccountType,
    ApiToken,
    LoginAttempt,
    Organisation,
    OrganisationMember,
    Person,
    User,
    UserSession,
    Worker,
)
from slivers.accounts.repositories import ApiTokenRepository, UserRepository
from slivers.accounts.schemas import (
    LoginRequest,
    MeRead,
    OrganisationRole,
    RegisterRequest,
    TokenCreate,
    TokenCreated,
    TokenRead,
)
from slivers.accounts.tokens import digest, new_api_token, new_secret
from slivers.audit.service import record
from slivers.clock import Clock
from slivers.errors import Conflict, InvalidInput, NotFound, TooManyRequests

THROTTLE_WINDOW = dt.timedelta(minutes=15)
MAX_FAILURES_PER_ACCOUNT = 5
MAX_FAILURES_PER_IP = 20
GENERIC_LOGIN_FAILURE = "The email or password is not right."


def normalise_email(raw: str) -> str:
    try:
        return validate_email(raw.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as error:
        raise InvalidInput(f"Enter a valid email address: {error}", field="email", rule="email") from error


@dataclass(frozen=True, slots=True)
class SignedIn:
    user: User
    session_token: str
    started_at: dt.datetime
    expires_at: dt.datetime

    @property
    def lifetime_seconds(self) -> int:
        """How long the session lasts, which is how long its cookie should."""
        return int((self.expires_at - self.started_at).total_seconds())


class AuthService:
    def __init__(self, session: AsyncSession, clock: Clock, *, session_days: int = 14) -> None:
        self.session = session
        self.clock = clock
        self.session_days = session_days
        self.users = UserRepository(session)
        self.tokens = ApiTokenRepository(session)

    async def register(self, data: RegisterRequest) -> SignedIn:
        email = normalise_email(data.email)
        display_name = data.display_name.strip()
        if not display_name:
            raise InvalidInput("Enter your name.", field="display_name", rule="required")
        passwords.check_password_rules(data.password, email=email, name=display_name)
        if await self.users.exists(email=email):
            raise Conflict(
                "An account with this email already exists. Sign in instead.", field="email", rule="duplicate"
            )
        user = await self.users.add(
            User(
                email=email,
                password_hash=passwords.hash_password(data.password),
                display_name=display_name,
                account_type=data.account_type,
            )
        )
        if data.account_type in {AccountType.WORKER.value, AccountType.VOLUNTEER.value}:
            self.session.add(
                Worker(
                    user_id=user.id,
                    kind="paid" if data.account_type == AccountType.WORKER.value else "volunteer",
                    first_name=display_name.split()[0][:100],
                )
            )
        await record(
            self.session,
            self.clock,
            actor_id=user.id,
            action="user.registered",
            subject_type="user",
            subject_id=user.id,
            data={"account_type": data.account_type},
        )
        return await self._start_session(user)

    async def login(self, data: LoginRequest, *, ip: str) -> SignedIn | None:
        """None when the credentials are wrong. It does not raise then: the failed attempt must be
        committed with the request, or the throttle would never see it."""
        user = await self._authenticate(data.email, data.password, ip=ip)
        return None if user is None else await self._start_session(user)

    async def create_token_with_password(
        self, data: TokenCreate, email: str, password: str, *, ip: str
    ) -> TokenCreated | None:
        """A token for whoever the email and password name, with no session: the same throttle and
        failed-attempt record as sign-in (a token is a sign-in that lasts), so None when they are wrong."""
        user = await self._authenticate(email, password, ip=ip)
        return None if user is None else await self._new_token(user.id, data)

    async def _authenticate(self, raw_email: str, password: str, *, ip: str) -> User | None:
        email = raw_email.strip().lower()
        now = self.clock.now()
        await self._check_throttle(email, ip, now)
        user = await self.users.get_one_or_none(email=email)
        ok = passwords.verify_password(user.password_hash if user else None, password)
        if user is None or not ok or not user.is_active:
            self.session.add(LoginAttempt(email_hash=digest(email), ip=ip, at=now))
            return None
        if passwords.needs_rehash(user.password_hash):
            user.password_hash = passwords.hash_password(password)
        return user

    async def _check_throttle(self, email: str, ip: str, now: dt.datetime) -> None:
        since = now - THROTTLE_WINDOW
        by_account = await self.session.scalar(
            select(func.count()).where(LoginAttempt.email_hash == digest(email), LoginAttempt.at > since)
        )
        by_ip = await self.session.scalar(
            select(func.count()).where(LoginAttempt.ip == ip, LoginAttempt.at > since)
        )
        if (by_account or 0) >= MAX_FAILURES_PER_ACCOUNT or (by_ip or 0) >= MAX_FAILURES_PER_IP:
            minutes = int(THROTTLE_WINDOW.total_seconds() // 60)
            raise TooManyRequests(
                f"Too many attempts to sign in. Wait {minutes} minutes and try again.",
                retry_after_seconds=int(THROTTLE_WINDOW.total_seconds()),
            )

    async def _start_session(self, user: User) -> SignedIn:
        token = new_secret()
        started_at = self.clock.now()
        expires_at = started_at + dt.timedelta(days=self.session_days)
        self.session.add(UserSession(user_id=user.id, token_hash=digest(token), expires_at=expires_at))
        await self.session.flush()
        return SignedIn(user=user, session_token=token, started_at=started_at, expires_at=expires_at)

    async def logout(self, session_cookie: str | None) -> None:
        if session_cookie:
            await self.session.execute(
                delete(UserSession).where(UserSession.token_hash == digest(session_cookie))
            )

    async def create_token(self, actor: Actor, data: TokenCreate) -> TokenCreated:
        return await self._new_token(actor.user_id, data)

    async def _new_token(self, user_id: uuid.UUID, data: TokenCreate) -> TokenCreated:
        secret = new_api_token()
        expires_at = (
            self.clock.now() + dt.timedelta(days=data.expires_in_days) if data.expires_in_days else None
        )
        token = ApiToken(
            user_id=user_id,
            name=data.name,
            prefix=secret[:10],
            token_hash=digest(secret),
            expires_at=expires_at,
        )
        await self.tokens.add(token)
        return TokenCreated(id=token.id, name=token.name, token=secret, expires_at=expires_at)

    async def list_tokens(self, actor: Actor) -> list[TokenRead]:
        tokens = await self.tokens.get_many(
            ApiToken.user_id == actor.user_id, order_by=ApiToken.created_at.asc()
        )
        return [
            TokenRead(
                id=t.id,
                name=t.name,
                prefix=t.prefix,
                created_at=t.created_at,
                expires_at=t.expires_at,
                revoked_at=t.revoked_at,
                last_used_at=t.last_used_at,
            )
            for t in tokens
        ]

    async def revoke_token(self, actor: Actor, token_id: uuid.UUID) -> None:
        token = await self.tokens.get_one_or_none(id=token_id)
        if token is None or token.user_id != actor.user_id:
            raise NotFound("No such token.", field="token_id", rule="not_found")
        if token.revoked_at is None:
            token.revoked_at = self.clock.now()

    async def me(self, actor: Actor) -> MeRead:
        rows = (
            await self.session.execute(
                select(Organisation, OrganisationMember.role)
                .join(OrganisationMember, OrganisationMember.organisation_id == Organisation.id)
                .where(OrganisationMember.user_id == actor.user_id)
                .order_by(Organisation.name)
            )
        ).all()
        worker_id = await self.session.scalar(select(Worker.id).where(Worker.user_id == actor.user_id))
        person_id = await self.session.scalar(select(Person.id).where(Person.user_id == actor.user_id))
        return MeRead(
            id=actor.user_id,
            email=actor.email,
            display_name=actor.display_name,
            account_type=AccountType(actor.account_type),
            organisations=[OrganisationRole(id=o.id, name=o.name, kind=o.kind, role=r) for o, r in rows],
            worker_id=worker_id,
            person_id=person_id,
        )

    async def purge_expired(self) -> int:
        """Sweep: delete expired sessions and day-old failed sign-ins. Idempotent."""
        now = self.clock.now()
        sessions = await self.session.execute(delete(UserSession).where(UserSession.expires_at <= now))
        attempts = await self.session.execute(
            delete(LoginAttempt).where(LoginAttempt.at <= now - dt.timedelta(days=1))
        )
        return int(getattr(sessions, "rowcount", 0) or 0) + int(getattr(attempts, "rowcount", 0) or 0)
