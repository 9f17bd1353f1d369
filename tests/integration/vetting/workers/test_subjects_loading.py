"""`load_subjects` builds records from plain result tuples for speed: they must be exactly the records
`record_from_row` makes of the ORM rows, with or without a type filter or known worker rows."""

from __future__ import annotations

import datetime as dt
import random

from litestar import Litestar
from sqlalchemy import insert, select

from slivers.accounts.models import Worker
from slivers.vetting.models import Credential
from slivers.vetting.workers.subjects import load_subjects, record_from_row
from tests.bench_rows import seed_rows


async def test_loaded_subjects_hold_the_records_of_the_orm_rows(app: Litestar) -> None:
    rng = random.Random(11)
    tables = seed_rows(12, rng)
    for row in tables[Credential]:  # every status and expiry field a decision can leave behind
        row["status"] = rng.choice(("verified", "verified", "lapsed", "submitted", "rejected", "revoked"))
        row["valid_until"] = rng.choice((None, dt.date(2027, 3, 1), dt.date(2026, 12, 1)))
        row["expires_on"] = rng.choice((None, dt.date(2027, 6, 30)))
        row["on_update_service"] = rng.random() < 0.3
        row["update_service_checked_on"] = rng.choice((None, dt.date(2026, 10, 1)))
    async with app.state.wiring.unit_of_work() as session:
        for model, rows in tables.items():
            if rows:
                await session.execute(insert(model), rows)
    ids = [row["id"] for row in tables[Worker]]
    codes = {"dbs_enhanced", "reference", "id_check"}
    async with app.state.wiring.unit_of_work() as session:
        credentials = (await session.scalars(select(Credential))).all()
        expected = {
            worker_id: sorted(
                (
                    record_from_row(c)
                    for c in credentials
                    if c.worker_id == worker_id and c.status in ("verified", "lapsed")
                ),
                key=lambda r: r.id,
            )
            for worker_id in ids
        }
        workers = {w.id: w for w in (await session.scalars(select(Worker).where(Worker.id.in_(ids)))).all()}

        every = await load_subjects(session, ids)
        some = await load_subjects(session, ids, workers, codes=codes)

    assert sum(len(records) for records in expected.values()) > 20  # something to compare
    for worker_id in ids:
        assert sorted(every[worker_id].credentials, key=lambda r: r.id) == expected[worker_id]
        assert sorted(some[worker_id].credentials, key=lambda r: r.id) == [
            r for r in expected[worker_id] if r.type_code in codes
        ]
        assert (every[worker_id].kind, every[worker_id].status) == (
            some[worker_id].kind,
            some[worker_id].status,
        )
