"""Load workers' vetting state from the database into the pure core's VettingSubject, in bulk."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import date
from functools import cache
from typing import Any, Protocol

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from slivers.accounts.models import Worker
from slivers.db.engine import core_connection, dialect_name
from slivers.db.lists import member_of
from slivers.vetting.models import Credential
from slivers.vetting.rules.eligibility import CredentialRecord, VettingSubject

# Only these statuses matter to eligibility; submitted and rejected ones never count.
_COUNTED = ("verified", "lapsed")
# Ids per query: well inside both databases' limits on bound parameters.
_CHUNK = 1000


class CredentialFields(Protocol):
    """What eligibility reads of a credential: a `Credential` row, or a row of just these columns."""

    @property
    def id(self) -> uuid.UUID: ...
    @property
    def worker_id(self) -> uuid.UUID: ...
    @property
    def type_code(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def issued_on(self) -> date: ...
    @property
    def expires_on(self) -> date | None: ...
    @property
    def valid_until(self) -> date | None: ...
    @property
    def certificate_number(self) -> str | None: ...
    @property
    def level(self) -> str | None: ...
    @property
    def barred_adults_checked(self) -> bool: ...
    @property
    def barred_children_checked(self) -> bool: ...
    @property
    def on_update_service(self) -> bool: ...
    @property
    def update_service_checked_on(self) -> date | None: ...


_FIELDS = (
    Credential.id,
    Credential.worker_id,
    Credential.type_code,
    Credential.status,
    Credential.issued_on,
    Credential.expires_on,
    Credential.valid_until,
    Credential.certificate_number,
    Credential.level,
    Credential.barred_adults_checked,
    Credential.barred_children_checked,
    Credential.on_update_service,
    Credential.update_service_checked_on,
)


def record_from_row(c: CredentialFields) -> CredentialRecord:
    return _record(
        c.id,
        c.type_code,
        c.status,
        c.issued_on,
        c.expires_on,
        c.valid_until,
        c.certificate_number,
        c.level,
        c.barred_adults_checked,
        c.barred_children_checked,
        c.on_update_service,
        c.update_service_checked_on,
    )


def _record_from_values(values: tuple[Any, ...]) -> CredentialRecord:
    """`record_from_row` for a row of `_FIELDS` taken as a plain tuple (its second field is the worker):
    in bulk loads, reading a result row's fields by name costs three times as much as the record."""
    return _record(values[0], *values[2:])


def _record(
    id_: uuid.UUID,
    code: str,
    status: str,
    issued_on: date,
    expires_on: date | None,
    valid_until: date | None,
    number: str | None,
    level: str | None,
    adults: bool,
    children: bool,
    update: bool,
    checked: date | None,
) -> CredentialRecord:
    # A decided credential's `valid_until` was fixed by the catalogue in force at the decision; using it
    # as the expiry keeps later catalogue edits from changing credentials already verified.
    decided = status in _COUNTED and valid_until is not None
    return CredentialRecord(
        id=str(id_),
        type_code=code,
        status=status,  # type: ignore[arg-type]  # the record turns the string into its enum
        issued_on=issued_on,
        expires_on=valid_until if decided else expires_on,
        certificate_number=number,
        level=level,
        barred_adults_checked=adults,
        barred_children_checked=children,
        on_update_service=update,
        update_service_checked_on=checked,
    )


class WorkerFields(Protocol):
    """What eligibility reads of a worker: a `Worker` row, or a row of just these columns."""

    @property
    def id(self) -> uuid.UUID: ...
    @property
    def kind(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def last_supervision_on(self) -> date | None: ...
    @property
    def self_employed(self) -> bool: ...


_WORKER_FIELDS = (Worker.id, Worker.kind, Worker.status, Worker.last_supervision_on, Worker.self_employed)


def subject_from_rows(worker: WorkerFields, credentials: Iterable[CredentialFields]) -> VettingSubject:
    return _subject(worker, tuple(record_from_row(c) for c in credentials))


def _subject(worker: WorkerFields, records: tuple[CredentialRecord, ...]) -> VettingSubject:
    return VettingSubject(
        worker_id=str(worker.id),
        kind=worker.kind,  # type: ignore[arg-type]
        status=worker.status,  # type: ignore[arg-type]
        credentials=records,
        last_supervision_on=worker.last_supervision_on,
        self_employed=worker.self_employed,
    )


async def load_subjects(
    session: AsyncSession,
    worker_ids: Iterable[uuid.UUID],
    known: Mapping[uuid.UUID, WorkerFields] | None = None,
    *,
    codes: Collection[str] | None = None,
) -> dict[uuid.UUID, VettingSubject]:
    """Each worker's vetting state. Credentials are selected by worker (and by type, given `codes`)
    through the `(worker_id, type_code)` index, and their status is filtered here: with the status in
    SQL too, SQLite's planner (no statistics) picks the status index, which nearly every row matches,
    and scans the table. Only the columns eligibility reads are loaded, not whole ORM objects. Workers
    in `known` (read in the same transaction by the caller) are not read again. With `codes`, only
    credentials of those types are loaded (a visit check that asks for no others judges the same)."""
    ids = list(dict.fromkeys(worker_ids))
    if not ids:
        return {}
    known = known or {}
    connection = await core_connection(session)
    dialect = dialect_name(session)
    workers: dict[uuid.UUID, WorkerFields] = {wid: known[wid] for wid in ids if wid in known}
    credentials: dict[uuid.UUID, list[CredentialRecord]] = defaultdict(list)
    for chunk in _chunks(ids):
        unknown = [wid for wid in chunk if wid not in known]
        if unknown:
            rows_of_workers = await connection.execute(_workers_statement(dialect), {"ids": unknown})
            workers.update((w.id, w) for w in rows_of_workers)
        params = {"ids": chunk} if codes is None else {"ids": chunk, "codes": sorted(codes)}
        statement = _credentials_statement(dialect, codes is not None)
        for values in (await connection.execute(statement, params)).tuples():
            if values[3] in _COUNTED:  # status
                credentials[values[1]].append(_record_from_values(values))  # by worker_id
    return {wid: _subject(worker, tuple(credentials[wid])) for wid, worker in workers.items()}


# Built once: building and keying a statement costs more than running it for a few dozen workers.
@cache
def _workers_statement(dialect: str) -> Select[Any]:
    return select(*_WORKER_FIELDS).where(member_of(Worker.id, "ids", dialect))


@cache
def _credentials_statement(dialect: str, by_code: bool) -> Select[Any]:
    query = select(*_FIELDS).where(member_of(Credential.worker_id, "ids", dialect))
    if by_code:
        query = query.where(member_of(Credential.type_code, "codes", dialect))
    return query


def _chunks(ids: Sequence[uuid.UUID]) -> Iterable[Sequence[uuid.UUID]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start : start + _CHUNK]
