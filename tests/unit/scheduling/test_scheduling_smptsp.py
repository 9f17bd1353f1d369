"""SMPTSP files: loading, malformed input, the max-overlap bound, and min_workers reaching it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from slivers.scheduling import Mode, Settings, solve, validate
from slivers.scheduling.cli import solve as solve_cli
from slivers.scheduling.smptsp import SmptspFormatError, load_smptsp, max_overlap

DATA = Path(__file__).resolve().parent / "data"
FILES = sorted(DATA.glob("*.dat"))


def test_the_copied_files_are_there() -> None:
    assert len(FILES) == 4


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_min_workers_reaches_the_max_overlap_lower_bound(path: Path) -> None:
    data = load_smptsp(path)
    _, workers, tasks, _ = path.stem.split("_")[1:]
    assert (len(data.qualifications), len(data.tasks)) == (int(workers), int(tasks))
    instance = data.to_instance()

    solution = solve(instance, Settings(mode=Mode.MIN_WORKERS, time_limit_s=20.0))

    assert validate(instance, solution) == []
    assert solution.unfilled == {}
    assert solution.workers_used == data.lower_bound()
    assert solution.bound <= solution.workers_used


def test_max_overlap_treats_intervals_as_half_open() -> None:
    assert max_overlap([(0, 10), (10, 20)]) == 1
    assert max_overlap([(0, 10), (9, 20), (5, 6)]) == 2
    assert max_overlap([]) == 0


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("Type = 1\nJobs = 2\n0 10\n5 x\nQualifications = 1\n2: 0 1\n", 4, "two integers"),
        ("# c\nType = 1\nJobs = 1\n10 5\nQualifications = 1\n1: 0\n", 4, "end after it starts"),
        ("Type = 1\nJobs = 1\n0 10\nQualifications = 1\n2: 0\n", 5, "says 2 jobs"),
        ("Type = 1\nJobs = 1\n0 10\nQualifications = 1\n1: 3\n", 5, "out of range"),
        ("Type = 1\nJobs = 2\n0 10\nQualifications = 1\n1: 0\n", 4, "expected 2 job lines"),
        ("Type = 1\nJobs = 1\n0 10\nQualifications = 2\n1: 0\n", 6, "expected 2 qualification lines"),
        ("Jobs = 1\n", 1, "'Type = <number>'"),
        ("Type = 1\nJobs = 1\n0 10\nQualifications = 1\n1 0\n", 5, "count: job"),
    ],
)
def test_malformed_files_name_the_line(tmp_path: Path, text: str, line: int, words: str) -> None:
    path = tmp_path / "bad.dat"
    path.write_text(text)

    with pytest.raises(SmptspFormatError) as raised:
        load_smptsp(path)

    assert raised.value.line == line
    assert f"bad.dat:{line}:" in str(raised.value)
    assert words in str(raised.value)


def test_cli_prints_one_validated_json_line_per_file() -> None:
    files = [str(p) for p in FILES[:2]]

    result = CliRunner().invoke(solve_cli, ["smptsp", *files, "--time-limit", "10", "--json"])

    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.output.splitlines()]
    assert [r["file"] for r in records] == files
    for record, path in zip(records, FILES[:2], strict=True):
        assert record["lower_bound"] == load_smptsp(path).lower_bound()
        assert record["workers_used"] >= record["lower_bound"]
        assert record["optimal"] is (record["workers_used"] == record["lower_bound"]) or record["optimal"]
        assert record["seconds"] > 0
        assert record["peak_rss_mb"] > 0


def test_cli_rejects_a_malformed_file_naming_the_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.dat"
    path.write_text("Type = 1\nJobs = 1\n0 ten\nQualifications = 1\n1: 0\n")

    result = CliRunner().invoke(solve_cli, ["smptsp", str(path)])

    assert result.exit_code != 0
    assert "broken.dat:3:" in result.output
