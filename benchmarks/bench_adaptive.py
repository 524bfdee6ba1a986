#!/usr/bin/env python
"""Adaptive pooling at a million outputs: the engine in-process and the CLI as a fresh process.

Rows (README "Speed / Adaptive pooling"):

* torch's windows, whose summaries are closed forms (cost independent of the output count);
* Keras's float32 windows held as torch's with a few exceptions (sparse rounding errors);
* Keras's float32 windows where rounding errors are dense, computed in bulk as arrays (the one
  adaptive case whose cost grows with the output count: at most 2**20 outputs per axis).

The figures are medians of ``--runs`` runs (wall time; peak memory of the fresh process from
``resource.getrusage`` of the child). A report, not a test: it exits 0 whatever the figures.

    python benchmarks/bench_adaptive.py            # Markdown table
    python benchmarks/bench_adaptive.py --runs 7   # more runs

Standard library only (plus convshape itself, imported from the repository).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# (label, kind, input, output, framework)
CASES = [
    ("torch, closed forms", "avg", 1, 1048576, "torch"),
    ("Keras, sparse float32 errors (exceptions)", "avg", 5003, 1048573, "keras"),
    ("Keras, dense float32 errors (bulk)", "avg", 999983, 1048573, "keras"),
    ("Keras, input above 2**24 (bulk)", "max", 2147483647, 1048576, "keras"),
]


def engine_seconds(kind: str, size: int, output: int, framework: str) -> float:
    """The API call and every summary a table prints, in this process."""
    from convshape.api.unpool import adaptive_pool

    start = time.perf_counter()
    result = adaptive_pool(size, output, kind, framework=framework)
    for axis in result.axes:
        (axis.window_sizes, axis.overlapping, axis.larger(32), axis.equivalent, axis.gaps)
        axis.windows[0], axis.windows[-1]
    return time.perf_counter() - start


def cli_run(kind: str, size: int, output: int, framework: str) -> tuple[float, float]:
    """(seconds, peak MB) of ``convshape adaptive-{kind}pool1d ...`` as a fresh process (a table)."""
    argv = [sys.executable, "-m", "convshape", f"adaptive-{kind}pool1d", "--i", str(size), "--o", str(output),
            "-f", framework]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}  # cached bytecode, as installed
    start = time.perf_counter()
    child = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)  # this child's own peak resident size
    seconds = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        raise SystemExit(f"{' '.join(argv[1:])} exited with {child.returncode}")
    return seconds, usage.ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    print("| windows | command | engine (in-process) | `convshape` table (fresh process) | peak MB |")
    print("|---|---|---:|---:|---:|")
    cli_run("avg", 8, 4, "torch")  # warm the bytecode cache
    # the fresh processes first: Linux carries a forked child's peak size over from this process, which
    # the in-process runs would grow
    cli = {case: [cli_run(*case[1:]) for _ in range(args.runs)] for case in CASES}
    for case in CASES:
        label, kind, size, output, framework = case
        engine = statistics.median(engine_seconds(kind, size, output, framework) for _ in range(args.runs))
        wall = statistics.median(r[0] for r in cli[case])
        peak = max(r[1] for r in cli[case])
        command = f"`adaptive-{kind}pool1d --i {size} --o {output} -f {framework}`"
        print(f"| {label} | {command} | {engine * 1000:.0f} ms | {wall * 1000:.0f} ms | {peak:.0f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
