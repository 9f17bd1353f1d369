"""Builders for vetting's plain data: a worker who holds everything, and visits at exact instants."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from slivers.vetting.rules.catalogue import DEFAULT_POLICY, WorkerKind
from slivers.vetting.rules.eligibility import CredentialRecord, CredentialStatus, VettingSubject, WorkerStatus

TODAY = date(2026, 6, 1)
ISSUED = date(2026, 1, 10)  # one-year training is valid until 10 January 2027
VISIT_START = datetime(2026, 7, 14, 12, 0, tzinfo=UTC)
VISIT_END = datetime(2026, 7, 14, 15, 0, tzinfo=UTC)


def record(code: str, n: int = 1, **changes: object) -> CredentialRecord:
    fields: dict[str, object] = {
        "id": f"{code}-{n}",
        "type_code": code,
        "status": CredentialStatus.VERIFIED,
        "issued_on": ISSUED,
    }
    if DEFAULT_POLICY.credential_type(code).is_criminal_record_check or code.startswith("dbs_barred"):
        fields |= {"certificate_number": "001234567890", "level": "enhanced"}
        fields |= {"barred_adults_checked": True, "barred_children_checked": True}
    fields |= changes
    return CredentialRecord(**fields)  # type: ignore[arg-type]


def every_credential() -> tuple[CredentialRecord, ...]:
    records: list[CredentialRecord] = []
    for ctype in DEFAULT_POLICY.credential_types:
        records += [record(ctype.code, n) for n in range(1, ctype.required_count + 1)]
    return tuple(records)


def subject(
    *,
    kind: WorkerKind = WorkerKind.PAID,
    status: WorkerStatus = WorkerStatus.ACTIVE,
    credentials: Iterable[CredentialRecord] | None = None,
    last_supervision_on: date | None = date(2026, 6, 1),
    self_employed: bool = False,
) -> VettingSubject:
    return VettingSubject(
        worker_id="w-1",
        kind=kind,
        status=status,
        credentials=tuple(every_credential() if credentials is None else credentials),
        last_supervision_on=last_supervision_on,
        self_employed=self_employed,
    )


def without(worker: VettingSubject, code: str) -> VettingSubject:
    return replace(worker, credentials=tuple(r for r in worker.credentials if r.type_code != code))


def with_record(worker: VettingSubject, new: CredentialRecord) -> VettingSubject:
    """`worker` with every record of `new`'s type replaced by `new`."""
    return replace(worker, credentials=(*without(worker, new.type_code).credentials, new))


class Builders:
    """The builders above, handed to tests as the `build` fixture (so no test imports conftest)."""

    today = TODAY
    issued = ISSUED
    visit_start = VISIT_START
    visit_end = VISIT_END
    record = staticmethod(record)
    every_credential = staticmethod(every_credential)
    subject = staticmethod(subject)
    without = staticmethod(without)
    with_record = staticmethod(with_record)


@pytest.fixture(scope="session")
def build() -> type[Builders]:
    return Builders
