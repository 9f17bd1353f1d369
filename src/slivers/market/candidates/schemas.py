"""Response structures for a request's candidates and for why a worker is not one."""

from __future__ import annotations

import uuid

import msgspec


class ProblemRead(msgspec.Struct, kw_only=True):
    rule: str
    detail: str


class ReasonRead(msgspec.Struct, kw_only=True):
    code: str
    detail: str


class CandidateRead(msgspec.Struct, kw_only=True):
    rank: int
    worker_id: uuid.UUID
    first_name: str
    kind: str
    distance_km: float
    hourly_rate_pence: int | None
    instant_book: bool
    reasons: list[ReasonRead]


class CandidatesRead(msgspec.Struct, kw_only=True):
    request_id: uuid.UUID
    occurrence_id: uuid.UUID
    candidates: list[CandidateRead]


class WhyNotRead(msgspec.Struct, kw_only=True):
    request_id: uuid.UUID
    occurrence_id: uuid.UUID
    worker_id: uuid.UUID
    is_candidate: bool
    failing_rules: list[ProblemRead]
