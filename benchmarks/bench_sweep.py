#!/usr/bin/env python
"""How long a sweep takes: every input size of a 4-level U-Net over huge ranges.

Two figures per range, each the median of several runs:

* ``api``: :func:`convshape.network.sweep.sweep` called in-process (the engine alone);
* ``cli``: ``convshape sweep SPEC --range 1..N --json`` as a fresh process (what a user or a
  CI step waits for, start-up included).

For scale, a brute-force reference: the in-process time to evaluate the network at every size
of a small range, extrapolated to the big one. Target: the whole range 1..1,000,000 in under a
second. A report, not a test: it exits 0 whether the target is met or not.

    python benchmarks/bench_sweep.py           # Markdown table
    python benchmarks/bench_sweep.py --json    # the figures as JSON

Standard library and convshape only.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = str(ROOT / "examples" / "networks" / "unet.toml")
RANGES = (4096, 100_000, 1_000_000, 100_000_000)
TARGET = 1.0  # seconds for 1..1,000,000
_SCRIPT = Path(sys.executable).with_name("convshape")


def _median(fn: object, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from convshape.network.evaluate import evaluate, load_spec
    from convshape.network.sweep import SpecNetwork, sweep

    command = [str(_SCRIPT)] if _SCRIPT.exists() else [sys.executable, "-m", "convshape"]
    rows = []
    for hi in RANGES:
        result = sweep(SPEC, (1, hi))
        api = _median(lambda: sweep(SPEC, (1, hi)), args.runs)
        cli = _median(lambda: subprocess.run([*command, "sweep", SPEC, "--range", f"1..{hi}", "--json"],
                                             check=True, capture_output=True, cwd=ROOT), args.runs)
        rows.append({"range": [1, hi], "valid": result.count, "progressions": len(result.valid),
                     "api_s": round(api, 4), "cli_s": round(cli, 4)})
    spec = load_spec(SPEC)
    net = SpecNetwork(spec, None)
    sample = 2000
    start = time.perf_counter()
    for n in range(1, sample + 1):
        evaluate(spec._replace(input=net.input_shape(n)))
    per_size = (time.perf_counter() - start) / sample
    report = {"python": platform.python_version(), "machine": platform.machine(), "spec": "examples/networks/unet.toml",
              "rows": rows, "brute_force_s_per_size": round(per_size, 6),
              "brute_force_1e6_s_estimate": round(per_size * 1_000_000, 1)}
    if args.json:
        print(json.dumps(report))
        return 0
    print(f"U-Net sweep (examples/networks/unet.toml), Python {report['python']}, median of {args.runs}\n")
    print("| range | valid sizes | progressions | engine (in-process) | `convshape sweep --json` |")
    print("| --- | --- | --- | --- | --- |")
    for row in rows:
        print(f"| 1..{row['range'][1]:,} | {row['valid']:,} | {row['progressions']} | {row['api_s'] * 1000:.0f} ms "
              f"| {row['cli_s'] * 1000:.0f} ms |")
    print(f"\nTrying every size instead: {per_size * 1000:.2f} ms per size, about "
          f"{report['brute_force_1e6_s_estimate']:,} s for 1..1,000,000.")
    million = next(r for r in rows if r["range"][1] == 1_000_000)
    verdict = "met" if million["cli_s"] < TARGET else "NOT met"
    print(f"Target: 1..1,000,000 under {TARGET:.0f} s end to end: {verdict}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
