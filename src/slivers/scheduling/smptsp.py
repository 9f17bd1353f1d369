"""Shift Minimisation Personnel Task Scheduling instances (Krishnamoorthy, Ernst and Baatar 2012).

Format (see shared/data/smptsp/SOURCE.md): comment lines start with '#'; `Type = 1`; `Jobs = n`;
n lines `start end` (half-open minutes); `Qualifications = W`; W lines `c: j1 ... jc` (0-based tasks).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from slivers.scheduling.model import Candidate, Instance, Request, Worker
from slivers.scheduling.travel import ZeroTravel

_HEADER = re.compile(r"^\s*(\w+)\s*=\s*(-?\d+)\s*$")


class SmptspFormatError(ValueError):
    """A malformed file; the message names the file and line."""

    def __init__(self, path: str, line: int, problem: str) -> None:
        super().__init__(f"{path}:{line}: {problem}")
        self.path = path
        self.line = line


@dataclass(frozen=True, slots=True)
class SmptspData:
    name: str
    tasks: tuple[tuple[int, int], ...]
    qualifications: tuple[tuple[int, ...], ...]  # per worker, the tasks they may do

    def lower_bound(self) -> int:
        return max_overlap(self.tasks)

    def to_instance(self) -> Instance:
        """Every task a one-worker request at one place (no travel), for `Mode.MIN_WORKERS`."""
        requests = tuple(
            Request(id=f"t{j}", start=s, end=e, person_id=f"t{j}", location=(0.0, 0.0))
            for j, (s, e) in enumerate(self.tasks)
        )
        workers = tuple(Worker(id=f"w{w}", location=(0.0, 0.0)) for w in range(len(self.qualifications)))
        candidates = tuple(
            Candidate(request_id=f"t{j}", worker_id=f"w{w}")
            for w, tasks in enumerate(self.qualifications)
            for j in tasks
        )
        return Instance(requests, workers, candidates, travel=ZeroTravel())


def max_overlap(intervals: tuple[tuple[int, int], ...] | list[tuple[int, int]]) -> int:
    """The most half-open intervals that share one moment: a lower bound on the workers needed."""
    events = sorted([(e, -1) for _, e in intervals] + [(s, 1) for s, _ in intervals])
    best = current = 0
    for _, change in events:  # at equal times ends (-1) come first: [s, e) and [e, f) do not overlap
        current += change
        best = max(best, current)
    return best


def load_smptsp(path: str | Path) -> SmptspData:
    path = Path(path)
    name = str(path)
    lines = [
        (number, text.strip())
        for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if text.strip() and not text.lstrip().startswith("#")
    ]
    position = 0

    def header(key: str) -> tuple[int, int]:
        nonlocal position
        if position >= len(lines):
            last = lines[-1][0] if lines else 0
            raise SmptspFormatError(name, last + 1, f"expected '{key} = <number>', found the end of the file")
        number, text = lines[position]
        match = _HEADER.match(text)
        if match is None or match.group(1) != key:
            raise SmptspFormatError(name, number, f"expected '{key} = <number>', found {text!r}")
        position += 1
        return number, int(match.group(2))

    header("Type")
    jobs_line, jobs = header("Jobs")
    if jobs < 0:
        raise SmptspFormatError(name, jobs_line, "the number of jobs must not be negative")
    tasks: list[tuple[int, int]] = []
    for _ in range(jobs):
        if position >= len(lines) or "=" in lines[position][1]:
            found = lines[position][0] if position < len(lines) else (lines[-1][0] + 1)
            raise SmptspFormatError(name, found, f"expected {jobs} job lines 'start end', found {len(tasks)}")
        number, text = lines[position]
        parts = text.split()
        if len(parts) != 2 or not all(_is_int(p) for p in parts):
            raise SmptspFormatError(name, number, f"expected 'start end' as two integers, found {text!r}")
        start, end = int(parts[0]), int(parts[1])
        if end <= start:
            raise SmptspFormatError(name, number, f"a job must end after it starts, found {text!r}")
        tasks.append((start, end))
        position += 1
    workers_line, count = header("Qualifications")
    if count < 0:
        raise SmptspFormatError(name, workers_line, "the number of workers must not be negative")
    qualifications: list[tuple[int, ...]] = []
    for _ in range(count):
        if position >= len(lines):
            raise SmptspFormatError(
                name, lines[-1][0] + 1, f"expected {count} qualification lines, found {len(qualifications)}"
            )
        number, text = lines[position]
        qualifications.append(_qualification(name, number, text, jobs))
        position += 1
    if position < len(lines):
        number, text = lines[position]
        raise SmptspFormatError(name, number, f"unexpected text after the qualifications: {text!r}")
    return SmptspData(path.name, tuple(tasks), tuple(qualifications))


def _qualification(name: str, number: int, text: str, jobs: int) -> tuple[int, ...]:
    count_text, colon, rest = text.partition(":")
    if not colon or not _is_int(count_text.strip()):
        raise SmptspFormatError(name, number, f"expected 'count: job job ...', found {text!r}")
    parts = rest.split()
    if not all(_is_int(p) for p in parts):
        raise SmptspFormatError(name, number, f"job numbers must be integers, found {text!r}")
    tasks = tuple(int(p) for p in parts)
    if len(tasks) != int(count_text):
        raise SmptspFormatError(name, number, f"the line says {int(count_text)} jobs but lists {len(tasks)}")
    for task in tasks:
        if not 0 <= task < jobs:
            raise SmptspFormatError(name, number, f"job {task} is out of range 0..{jobs - 1}")
    if len(set(tasks)) != len(tasks):
        raise SmptspFormatError(name, number, "a job is listed twice")
    return tasks


def _is_int(text: str) -> bool:
    return re.fullmatch(r"-?\d+", text) is not None
