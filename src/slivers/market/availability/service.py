"""A worker's availability rules in the database, and their expansion through the pure core."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from slivers.accounts.actor import Actor
from slivers.clock import Clock, ensure_utc
from slivers.errors import InvalidInput, NotFound
from slivers.market.availability.schemas import (
    AvailabilityCreate,
    AvailabilityRead,
    AvailabilityRuleRead,
    IntervalRead,
    RemoveCreate,
    SkipCreate,
    WeeklyCreate,
    WindowCreate,
)
from slivers.market.models import AvailabilityRule
from slivers.market.rules.availability import (
    AvailabilityException,
    OneOffWindow,
    RemoveRange,
    SkipOccurrence,
    WeeklyPattern,
    expand,
)
from slivers.market.rules.intervals import Interval
from slivers.market.workers.service import my_worker

MAX_RULES_PER_WORKER = 200
MAX_WINDOW = timedelta(days=31)


def _minutes(at: time) -> int:
    return at.hour * 60 + at.minute


def _time_of(minutes: int) -> time:
    return time(minutes // 60, minutes % 60)


def _mask(weekdays: Iterable[int]) -> int:
    mask = 0
    for day in weekdays:
        mask |= 1 << day
    return mask


def _weekdays(mask: int) -> list[int]:
    return [day for day in range(7) if mask & (1 << day)]


def expand_rules(
    rules: Sequence[AvailabilityRule], horizon_start: datetime, horizon_end: datetime
) -> list[Interval]:
    """The rules of one worker as sorted, merged UTC intervals inside the horizon."""
    patterns: list[WeeklyPattern] = []
    windows: list[OneOffWindow] = []
    exceptions: list[AvailabilityException] = []
    for rule in rules:
        if rule.kind == "window" and rule.start_at and rule.end_at:
            windows.append(OneOffWindow(rule.start_at, rule.end_at))
        elif rule.kind == "remove" and rule.start_at and rule.end_at:
            exceptions.append(RemoveRange(rule.start_at, rule.end_at))
        elif rule.kind == "skip" and rule.skip_on:
            exceptions.append(SkipOccurrence(rule.skip_on, rule.pattern_id))
        elif rule.kind == "weekly" and rule.weekday_mask and rule.from_date is not None:
            assert rule.start_minute is not None
            assert rule.end_minute is not None
            patterns.append(
                WeeklyPattern(
                    frozenset(_weekdays(rule.weekday_mask)),
                    _time_of(rule.start_minute),
                    _time_of(rule.end_minute),
                    rule.from_date,
                    rule.until_date,
                    rule.id,
                )
            )
    return expand(patterns, windows, exceptions, horizon_start, horizon_end)


async def rules_by_worker(
    session: AsyncSession, worker_ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, list[AvailabilityRule]]:
    found: dict[uuid.UUID, list[AvailabilityRule]] = defaultdict(list)
    ids = list(worker_ids)
    if ids:
        for rule in await session.scalars(
            select(AvailabilityRule).where(AvailabilityRule.worker_id.in_(ids))
        ):
            found[rule.worker_id].append(rule)
    return found


def rule_read(rule: AvailabilityRule) -> AvailabilityRuleRead:
    if rule.kind == "weekly":
        assert rule.start_minute is not None
        assert rule.end_minute is not None
        return AvailabilityRuleRead(
            id=rule.id,
            kind=rule.kind,
            weekdays=_weekdays(rule.weekday_mask or 0),
            start_time=_time_of(rule.start_minute),
            end_time=_time_of(rule.end_minute),
            from_date=rule.from_date,
            until_date=rule.until_date,
        )
    if rule.kind == "skip":
        return AvailabilityRuleRead(id=rule.id, kind=rule.kind, on=rule.skip_on, pattern_id=rule.pattern_id)
    return AvailabilityRuleRead(id=rule.id, kind=rule.kind, start=rule.start_at, end=rule.end_at)


class AvailabilityService:
    def __init__(self, session: AsyncSession, clock: Clock) -> None:
        self.session = session
        self.clock = clock

    async def add(self, actor: Actor, data: AvailabilityCreate) -> AvailabilityRuleRead:
        worker = await my_worker(self.session, actor)
        count = len((await rules_by_worker(self.session, [worker.id]))[worker.id])
        if count >= MAX_RULES_PER_WORKER:
            raise InvalidInput(
                f"You have {count} availability entries; delete old ones first.", rule="too_many_rules"
            )
        rule = AvailabilityRule(worker_id=worker.id, kind=data.__struct_config__.tag)
        now = self.clock.now()
        if isinstance(data, WindowCreate | RemoveCreate):
            start, end = ensure_utc(data.start), ensure_utc(data.end)
            if end <= now:
                raise InvalidInput("This time has already passed.", field="end", rule="not_in_past")
            if isinstance(data, WindowCreate) and end - start > MAX_WINDOW:
                raise InvalidInput(
                    "A one-off window lasts at most 31 days; use a weekly pattern.",
                    field="end",
                    rule="max_length",
                )
            rule.start_at, rule.end_at = start, end
        elif isinstance(data, WeeklyCreate):
            rule.weekday_mask = _mask(data.weekdays)
            rule.start_minute, rule.end_minute = _minutes(data.start_time), _minutes(data.end_time)
            rule.overnight = data.end_time <= data.start_time
            rule.from_date, rule.until_date = data.from_date, data.until_date
        elif isinstance(data, SkipCreate):
            if data.pattern_id is not None:
                pattern = await self.session.get(AvailabilityRule, data.pattern_id)
                if pattern is None or pattern.worker_id != worker.id or pattern.kind != "weekly":
                    raise InvalidInput(
                        "No such weekly pattern of yours.", field="pattern_id", rule="not_found"
                    )
            rule.skip_on, rule.pattern_id = data.on, data.pattern_id
        self.session.add(rule)
        await self.session.flush()
        return rule_read(rule)

    async def list_mine(self, actor: Actor) -> AvailabilityRead:
        worker = await my_worker(self.session, actor)
        rules = (await rules_by_worker(self.session, [worker.id]))[worker.id]
        rules.sort(key=lambda rule: rule.created_at)
        now = self.clock.now()
        intervals = expand_rules(rules, now, now + timedelta(days=14))
        return AvailabilityRead(
            rules=[rule_read(rule) for rule in rules],
            next_14_days=[IntervalRead(start=i.start, end=i.end) for i in intervals],
        )

    async def delete(self, actor: Actor, rule_id: uuid.UUID) -> None:
        worker = await my_worker(self.session, actor)
        rule = await self.session.get(AvailabilityRule, rule_id)
        if rule is None or rule.worker_id != worker.id:
            raise NotFound("No such availability entry of yours.", field="rule_id", rule="not_found")
        await self.session.delete(rule)
