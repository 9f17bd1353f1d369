"""Postcodes as the market uses them: a place with a centroid and a nation, and task types as a bit
mask, so candidate search can narrow workers in SQL on both databases."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from slivers.errors import InvalidInput
from slivers.geo import Nation, PostcodeError, centroid, nation_of, parse_postcode
from slivers.vetting.rules.catalogue import TaskType

TASK_BITS: dict[str, int] = {task.value: 1 << index for index, task in enumerate(TaskType)}


@dataclass(frozen=True, slots=True)
class Place:
    postcode: str
    lat: float
    lon: float
    nation: Nation


def place_of(raw: str, *, field: str) -> Place:
    """A postcode inside the service area, or 400 naming the field and the rule it breaks."""
    try:
        postcode = parse_postcode(raw)
    except PostcodeError as error:
        raise InvalidInput(str(error), field=field, rule=error.rule) from error
    lat, lon = centroid(postcode)
    return Place(postcode.text, lat, lon, nation_of(postcode))


def task_types_checked(raw: Iterable[str], *, field: str) -> list[str]:
    tasks = sorted(set(raw))
    unknown = [task for task in tasks if task not in TASK_BITS]
    if unknown:
        known = ", ".join(TASK_BITS)
        raise InvalidInput(
            f"Unknown task type: {', '.join(unknown)}. Choose from {known}.",
            field=field,
            rule="unknown_task_type",
        )
    return tasks


def task_mask(tasks: Iterable[str]) -> int:
    mask = 0
    for task in tasks:
        mask |= TASK_BITS[task]
    return mask
