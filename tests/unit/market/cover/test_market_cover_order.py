"""Cover offers go in design 4.4's tiers: preferred, then the person's approved reserve (in the circle's
order), then the wider pool; the candidates' own rank decides within the preferred and the pool."""

from __future__ import annotations

import uuid
from dataclasses import replace

from tests.unit.market.rules.test_market_candidates import worker

from slivers.market.cover.service import cover_order
from slivers.market.rules.candidates import Candidate


def _ranked(ids: list[uuid.UUID]) -> list[Candidate]:
    return [Candidate(rank, replace(worker(), id=i), 1.0, ()) for rank, i in enumerate(ids, start=1)]


def test_preferred_then_reserve_in_the_circles_order_then_the_pool() -> None:
    pool_a, reserve_1, pool_b, preferred, reserve_2 = (uuid.uuid4() for _ in range(5))
    ranked = _ranked([pool_a, reserve_1, pool_b, preferred, reserve_2])

    ordered = cover_order(ranked, [str(preferred)], [reserve_2, reserve_1, uuid.uuid4()])

    assert [c.worker.id for c in ordered] == [preferred, reserve_2, reserve_1, pool_a, pool_b]


def test_a_worker_both_preferred_and_in_reserve_is_preferred_and_no_reserve_keeps_the_rank() -> None:
    ids = [uuid.uuid4() for _ in range(3)]
    ranked = _ranked(ids)
    assert [c.worker.id for c in cover_order(ranked, [], [])] == ids
    both = cover_order(ranked, [str(ids[2])], [ids[2], ids[1]])
    assert [c.worker.id for c in both] == [ids[2], ids[1], ids[0]]
