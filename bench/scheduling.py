"""Scheduling engine benchmark: synthetic county weeks (S, M, L, XL) and the SMPTSP files.

    .venv/bin/python bench/scheduling.py                # everything (takes a while)
    .venv/bin/python bench/scheduling.py --quick        # S, M and the smallest SMPTSP files
    .venv/bin/python bench/scheduling.py --sizes L,XL --no-smptsp

Each instance runs in its own subprocess, so the peak memory reported is that instance's. The table
goes into docs/benchmarks.md between the scheduling markers; other sections are left alone.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SMPTSP_DIR = REPO.parent / "shared" / "data" / "smptsp"
DOC = REPO / "docs" / "benchmarks.md"
START, END = "<!-- bench:scheduling:start -->", "<!-- bench:scheduling:end -->"
# size: (time limit s, target gap, target seconds, target MB)
TARGETS = {
    "S": (5.0, None, None, None),
    "M": (10.0, None, None, None),
    "L": (10.0, 0.001, 10.0, 1024.0),
    "XL": (60.0, 0.005, 60.0, 2048.0),
}


def run_synthetic(size: str, time_limit: float, seed: int) -> dict[str, object]:
    """Child process: generate, solve, validate, report one JSON object."""
    from slivers.scheduling.cli import peak_rss_mb
    from slivers.scheduling.generator import county_week
    from slivers.scheduling.settings import Settings
    from slivers.scheduling.solver import solve
    from slivers.scheduling.validate import validate

    instance = county_week(size, seed=seed)
    started = time.perf_counter()
    solution = solve(instance, Settings(time_limit_s=time_limit))
    seconds = time.perf_counter() - started
    violations = validate(instance, solution)
    return {
        "size": size,
        "requests": len(instance.requests),
        "workers": len(instance.workers),
        "pairs": len(instance.candidates),
        "filled": solution.filled_count,
        "objective": solution.objective,
        "bound": solution.bound,
        "gap": solution.gap,
        "greedy": solution.greedy_objective,
        "status": str(solution.status),
        "seconds": round(seconds, 2),
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "violations": len(violations),
    }


def in_subprocess(args: list[str], timeout: float) -> dict[str, object]:
    done = subprocess.run(args, capture_output=True, text=True, timeout=timeout, check=False, cwd=REPO)
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        return {"error": (done.stderr.strip().splitlines() or ["no output"])[-1]}
    result: dict[str, object] = json.loads(lines[-1])
    return result


def machine() -> str:
    model = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return f"{os.cpu_count()} cores, {model}, Python {platform.python_version()}"


def load_average() -> str:
    path = Path("/proc/loadavg")
    return " ".join(path.read_text().split()[:3]) if path.exists() else "unknown"


def synthetic_table(rows: list[dict[str, object]]) -> list[str]:
    out = [
        "| size | requests × workers | pairs | filled | filled priority | bound | gap | greedy | wall s "
        "| peak MB | valid | target |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        size = str(row["size"])
        if "error" in row:
            out.append(f"| {size} | error: {row['error']} |||||||||||")
            continue
        _, gap_target, seconds_target, mb_target = TARGETS[size]
        target = "—"
        if gap_target is not None and seconds_target is not None and mb_target is not None:
            met = (
                float(str(row["gap"])) <= gap_target
                and float(str(row["seconds"])) <= seconds_target
                and float(str(row["peak_rss_mb"])) <= mb_target
            )
            target = (
                f"{'met' if met else 'missed'} (≤{gap_target:.1%}, ≤{seconds_target:g} s, ≤{mb_target:g} MB)"
            )
        out.append(
            f"| {size} | {row['requests']} × {row['workers']} | {row['pairs']} | {row['filled']} "
            f"| {row['objective']} | {row['bound']} | {float(str(row['gap'])):.3%} | {row['greedy']} "
            f"| {row['seconds']} | {row['peak_rss_mb']} | {'yes' if row['violations'] == 0 else 'NO'} "
            f"| {target} |"
        )
    return out


def smptsp_table(rows: list[dict[str, object]]) -> list[str]:
    out = [
        "| file | lower bound | workers used | greedy | proved optimal | wall s | peak MB |",
        "|---|---|---|---|---|---|---|",
    ]
    at_bound = 0
    for row in rows:
        name = Path(str(row.get("file", "?"))).name
        if "error" in row:
            out.append(f"| {name} | error: {row['error']} ||||||")
            continue
        at_bound += row["workers_used"] == row["lower_bound"]
        out.append(
            f"| {name} | {row['lower_bound']} | {row['workers_used']} | {row['greedy_workers_used']} "
            f"| {'yes' if row['optimal'] else 'no'} | {row['seconds']} | {row['peak_rss_mb']} |"
        )
    share = at_bound / len(rows) if rows else 0.0
    out.append("")
    out.append(
        f"At the max-overlap lower bound: {at_bound} of {len(rows)} files ({share:.0%}; target ≥ 90 %)."
    )
    return out


def write_section(lines: list[str]) -> None:
    section = "\n".join([START, *lines, END])
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else "# Benchmarks\n"
    if START in text and END in text:
        before, rest = text.split(START, 1)
        _, after = rest.split(END, 1)
        text = before + section + after
    else:
        text = text.rstrip("\n") + "\n\n## Scheduling engine\n\n" + section + "\n"
    DOC.parent.mkdir(parents=True, exist_ok=True)
    DOC.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="S,M,L,XL", help="comma-separated synthetic sizes")
    parser.add_argument(
        "--quick", action="store_true", help="S and M, the five smallest SMPTSP files, short limits"
    )
    parser.add_argument("--no-smptsp", action="store_true")
    parser.add_argument("--smptsp-limit", type=float, default=60.0, help="seconds per SMPTSP file")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--notes", default="", help="text to put under the tables (what was missed and why)")
    parser.add_argument("--child", nargs=2, metavar=("SIZE", "LIMIT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_synthetic(args.child[0], float(args.child[1]), args.seed)))
        return

    sizes = ["S", "M"] if args.quick else [s.strip().upper() for s in args.sizes.split(",") if s.strip()]
    files = sorted(SMPTSP_DIR.glob("*.dat"), key=lambda p: p.stat().st_size)
    if args.quick:
        files = files[:5]
    smptsp_limit = 10.0 if args.quick else args.smptsp_limit
    started = dt.datetime.now(dt.UTC)
    load_at_start = load_average()

    # SMPTSP first: the synthetic XL run is the longest and comes last.
    smptsp: list[dict[str, object]] = []
    if not args.no_smptsp:
        for path in files:
            print(f"smptsp {path.name} ...", file=sys.stderr, flush=True)
            command = "from slivers.scheduling.cli import solve; solve()"
            row = in_subprocess(
                [
                    sys.executable,
                    "-c",
                    command,
                    "smptsp",
                    str(path),
                    "--time-limit",
                    str(smptsp_limit),
                    "--json",
                ],
                timeout=smptsp_limit * 4 + 120,
            )
            row.setdefault("file", str(path))
            smptsp.append(row)
            print(json.dumps(row), file=sys.stderr, flush=True)

    synthetic: list[dict[str, object]] = []
    for size in sizes:
        limit = TARGETS[size][0]
        print(f"synthetic {size} ({limit:g} s) ...", file=sys.stderr, flush=True)
        row = in_subprocess(
            [sys.executable, __file__, "--child", size, str(limit), "--seed", str(args.seed)],
            timeout=limit * 4 + 300,
        )
        row.setdefault("size", size)
        synthetic.append(row)
        print(json.dumps(row), file=sys.stderr, flush=True)

    lines = [
        f"Run {started:%Y-%m-%d %H:%M} UTC on {machine()}; solver num_workers = 2.",
        f"Load average (1, 5, 15 min) at the start: {load_at_start}; at the end: {load_average()}"
        " (the machine is shared with other engineers' test runs).",
        f"Command: `{' '.join(['.venv/bin/python bench/scheduling.py', *sys.argv[1:]])}`.",
        "",
        "Synthetic county weeks (seeded generator, real Hertfordshire/Bedfordshire postcode sectors;"
        " fill mode;"
        " the objective is priority-weighted filled requests, the bound the best of CP-SAT's and the LP"
        " relaxation's (above decompose_above_pairs, XL: the sum of the days' bounds, each day solved"
        " alone), wall time the whole solve including model building):",
        "",
        *synthetic_table(synthetic),
    ]
    if smptsp:
        lines += [
            "",
            f"SMPTSP files (min_workers, {smptsp_limit:g} s limit each):",
            "",
            *smptsp_table(smptsp),
        ]
    if args.notes:
        lines += ["", args.notes]
    write_section(lines)
    print(f"wrote {DOC}", file=sys.stderr)


if __name__ == "__main__":
    main()
