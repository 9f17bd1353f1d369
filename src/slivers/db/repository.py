"""advanced-alchemy's repository, set up the way the services work: inside the request's (job's,
command's) one transaction, so it never commits (it flushes); no refresh after add (keys and
timestamps are set in Python); and SQLAlchemy's errors left as they are, so `slivers.http.problems`
still names the constraint a write broke (a wrapped error would become a 500)."""

from __future__ import annotations

from advanced_alchemy.repository import ModelT, SQLAlchemyAsyncRepository
from sqlalchemy.ext.asyncio import AsyncSession


class Repository(SQLAlchemyAsyncRepository[ModelT]):
    def __init__(self, session: AsyncSession) -> None:
        super().__init__(
            session=session, auto_commit=False, auto_expunge=False, auto_refresh=False, wrap_exceptions=False
        )
