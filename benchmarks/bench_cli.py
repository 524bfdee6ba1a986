#!/usr/bin/env python
"""Start-up time of the convshape CLI against its floors, in one run.

Each command runs as a fresh subprocess of ``sys.executable`` (the same interpreter for
every row: the ``convshape`` console script beside it, whose shebang is that interpreter, or
``python -m convshape`` where the script is not installed). After the
warm-up runs, the timed runs go round-robin (one run of every command per round), so a
slow spell on the machine lands on every row alike; the PyTorch reference (about two
seconds a run, several threads) is timed on its own afterwards, so it neither stretches
the rounds nor loads the machine under the other rows. The figure is the median wall time.

Floors:

* ``--json`` prints with click only, so its floor is ``python -c "import click"``;
* the table output draws rich tables, so its floor is a script that imports click and
  rich and prints a one-cell rich table (both run with ``FORCE_COLOR=1``, so rich renders
  as in a terminal even though stdout is a pipe).

Targets: json <= 1.25x its floor, table <= 1.25x its floor. This is a report, not a
test: it exits 0 whether the targets are met or not (2 for a bad command line, 1 if a
command that passed its warm-ups fails on a timed run).

    python benchmarks/bench_cli.py            # Markdown table
    python benchmarks/bench_cli.py --runs 50  # more runs
    python benchmarks/bench_cli.py --json     # the figures as JSON

Standard library only.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent  # run from the repo root, so -m convshape finds the package
TARGET = 1.25

RICH_FLOOR = """\
import click
from rich.console import Console
from rich.table import Table

table = Table(title="floor")
table.add_column("output")
table.add_row("31x31")
Console().print(table)
"""

TORCH_CODE = "import torch; print(torch.nn.Conv2d(1,1,3,stride=2)(torch.zeros(1,1,64,64)).shape)"

# The console script users run, installed beside this interpreter (its shebang is this same
# interpreter); ``python -m convshape`` where it is not installed.
_SCRIPT = Path(sys.executable).with_name("convshape")
CONVSHAPE = [str(_SCRIPT)] if _SCRIPT.exists() else ["-m", "convshape"]
_SHOWN = "convshape" if _SCRIPT.exists() else "python -m convshape"

# (key, label, argv after the interpreter (or a script's absolute path), force colour, floor key)
COMMANDS = [
    ("bare", "`python -c pass`", ["-c", "pass"], False, None),
    ("click", '`python -c "import click"`', ["-c", "import click"], False, None),
    ("click_rich", "click + rich one-cell table script (FORCE_COLOR=1)", ["-c", RICH_FLOOR], True, None),
    ("json", f"`{_SHOWN} conv2d --i 64 --k 3 --s 2 --json`",
     [*CONVSHAPE, "conv2d", "--i", "64", "--k", "3", "--s", "2", "--json"], False, "click"),
    ("table", f"`{_SHOWN} conv2d --i 64 --k 3 --s 2` (FORCE_COLOR=1)",
     [*CONVSHAPE, "conv2d", "--i", "64", "--k", "3", "--s", "2"], True, "click_rich"),
    ("torch", "PyTorch: `torch.nn.Conv2d(1,1,3,stride=2)(torch.zeros(1,1,64,64)).shape`",
     ["-c", TORCH_CODE], False, None),
]
CHECKS = [("json", "click"), ("table", "click_rich")]
REFERENCE = {"torch"}  # slow rows, timed after the round-robin rather than inside it

# Variables that would change what a run measures: bytecode caches must be written and
# used (warm), and import tracing must be off.
DROP_ENV = ("PYTHONDONTWRITEBYTECODE", "PYTHONPROFILEIMPORTTIME", "PYTHONVERBOSE", "PYTHONDEVMODE")


def child_env(force_color: bool) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in DROP_ENV}
    env.pop("FORCE_COLOR", None)
    if force_color:
        env["FORCE_COLOR"] = "1"
        env.pop("NO_COLOR", None)  # NO_COLOR wins over FORCE_COLOR in the CLI: it would print plain text
    return env


def run_once(argv: list[str], env: dict[str, str]) -> tuple[float, subprocess.CompletedProcess]:
    start = time.perf_counter()
    command = argv if os.path.isabs(argv[0]) else [sys.executable, *argv]
    proc = subprocess.run(command, env=env, cwd=ROOT, stdin=subprocess.DEVNULL,
                          capture_output=True)
    return time.perf_counter() - start, proc


def measure(runs: int, warmups: int, log) -> tuple[dict[str, list[float]], dict[str, str]]:
    """Timings in seconds per command key, and a note per command that was skipped."""
    skipped: dict[str, str] = {}
    envs = {key: child_env(colour) for key, _, _, colour, _ in COMMANDS}
    active = []
    for key, _label, argv, _, _ in COMMANDS:
        log(f"warming up {key} ...")
        for _ in range(max(warmups, 1)):  # at least one run, to check the command works
            _, proc = run_once(argv, envs[key])
            if proc.returncode != 0:
                last = (proc.stderr.decode(errors="replace").strip().splitlines() or ["(no stderr)"])[-1]
                skipped[key] = f"exit {proc.returncode}: {last}"
                break
        else:
            active.append((key, argv))
    times: dict[str, list[float]] = {key: [] for key, _ in active}

    def timed(key: str, argv: list[str]) -> None:
        elapsed, proc = run_once(argv, envs[key])
        if proc.returncode != 0:
            raise SystemExit(f"{key} failed on a timed run: exit {proc.returncode}\n"
                             + proc.stderr.decode(errors="replace"))
        times[key].append(elapsed)

    for i in range(runs):
        log(f"round {i + 1}/{runs}")
        for key, argv in active:
            if key not in REFERENCE:
                timed(key, argv)
    for key, argv in active:
        if key in REFERENCE:
            log(f"timing {key} ({runs} runs) ...")
            for _ in range(runs):
                timed(key, argv)
    return times, skipped


def summarise(times: dict[str, list[float]], skipped: dict[str, str], runs: int, warmups: int) -> dict:
    med = {key: statistics.median(ts) * 1000 for key, ts in times.items()}
    rows = []
    for key, label, _argv, colour, floor in COMMANDS:
        row = {"key": key, "command": label, "force_color": colour, "floor": floor}
        if key in skipped:
            row.update(skipped=skipped[key])
        else:
            ts = sorted(t * 1000 for t in times[key])
            row.update(median_ms=round(med[key], 2), min_ms=round(ts[0], 2), max_ms=round(ts[-1], 2),
                       vs_floor=round(med[key] / med[floor], 3) if floor and floor in med else None,
                       vs_bare=round(med[key] / med["bare"], 3) if "bare" in med else None)
        rows.append(row)
    checks = []
    for key, floor in CHECKS:
        if key in med and floor in med:
            ratio = med[key] / med[floor]
            checks.append({"command": key, "floor": floor, "ratio": round(ratio, 3), "target": TARGET,
                           "pass": ratio <= TARGET})
        else:
            checks.append({"command": key, "floor": floor, "ratio": None, "target": TARGET, "pass": None})
    return {
        "python": sys.version.split()[0], "executable": sys.executable, "platform": platform.platform(),
        "runs": runs, "warmups": warmups, "rows": rows, "checks": checks,
    }


def markdown(report: dict) -> str:
    def ratio(x: float | None) -> str:
        return "-" if x is None else f"{x:.2f}x"

    out = [f"Python {report['python']} ({report['executable']}), {report['platform']}; "
           f"median of {report['runs']} runs each after {report['warmups']} warm-ups", "",
           "| command | median ms | vs floor | vs bare python |", "|---|---:|---:|---:|"]
    notes = []
    for row in report["rows"]:
        if "skipped" in row:
            out.append(f"| {row['command']} | skipped | - | - |")
            notes.append(f"note: {row['key']} skipped ({row['skipped']})")
            continue
        out.append(f"| {row['command']} | {row['median_ms']:.1f} | {ratio(row['vs_floor'])} | "
                   f"{ratio(row['vs_bare'])} |")
    out.append("")
    out.extend(notes)
    names = {"json": "json  <= 1.25x `import click`         ",
             "table": "table <= 1.25x click+rich table script"}
    for check in report["checks"]:
        verdict = "n/a (not measured)" if check["pass"] is None else \
            f"{'PASS' if check['pass'] else 'FAIL'} ({check['ratio']:.2f}x)"
        out.append(f"{names.get(check['command'], check['command'])}: {verdict}")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=20, help="timed runs per command (default 20)")
    parser.add_argument("--warmups", type=int, default=2, help="untimed runs per command first (default 2)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON instead of a table")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")
    args = parser.parse_args(argv)
    if args.runs < 1 or args.warmups < 0:
        parser.error("--runs must be >= 1 and --warmups >= 0")

    def log(msg: str) -> None:
        if not args.quiet:
            print(msg, file=sys.stderr, flush=True)

    times, skipped = measure(args.runs, args.warmups, log)
    report = summarise(times, skipped, args.runs, args.warmups)
    print(json.dumps(report, indent=2) if args.json else markdown(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
