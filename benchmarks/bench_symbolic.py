#!/usr/bin/env python
"""How long the symbolic analysis takes: formulas and constraints of a 1,000-layer spec.

The spec (built here) is a residual U-Net: four stride-2 stages of residual blocks (conv, relu,
conv, add), a bottleneck, four transposed-convolution stages concatenated with their skips,
1,000 layers in all; its valid square sizes are the multiples of 16. Two figures, each the
median CPU time of several runs, in-process:

* ``analyse``: every tensor's size as a formula (:func:`convshape.network.symbolic.analyse`);
* ``constraints``: analyse, then the constraints with their causes over 1..4096
  (:func:`convshape.network.symbolic.constraints`), checked against the sweep.

Target: the constraints of the 1,000-layer spec in under 0.5 s. A report, not a test: it exits 0
whether the target is met or not.

    python benchmarks/bench_symbolic.py           # Markdown table
    python benchmarks/bench_symbolic.py --json    # the figures as JSON

Standard library and convshape only.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from convshape.network.evaluate import parse_spec  # noqa: E402
from convshape.network.sweep import sweep  # noqa: E402
from convshape.network.symbolic import analyse, constraints  # noqa: E402

TARGET = 0.5  # seconds for the constraints of 1,000 layers
LAYERS = 1000


def residual_unet(layers: int = LAYERS) -> dict[str, Any]:
    """A spec of exactly ``layers`` layers: 4 down stages, 4 up stages, residual blocks between."""
    out: list[dict[str, Any]] = [{"name": "stem", "op": "conv2d", "out_channels": 8, "kernel": 3, "padding": 1}]
    fixed = 1 + 4 * 2 + 4 * 3  # stem, (skip relu + pool) per down stage, (up + cat + fuse) per up stage
    blocks = (layers - fixed) // 4
    rest = layers - fixed - 4 * blocks
    per_stage = [blocks // 8 + (1 if i < blocks % 8 else 0) for i in range(8)]
    last = "stem"
    count = 0

    def block() -> None:
        nonlocal last, count
        a, b, c, d = (f"r{count}{x}" for x in "abcd")
        out.extend([{"name": a, "op": "conv2d", "out_channels": 8, "kernel": 3, "padding": 1, "inputs": [last]},
                    {"name": b, "op": "relu"}, {"name": c, "op": "conv2d", "out_channels": 8, "kernel": 3,
                                                "padding": 1},
                    {"name": d, "op": "add", "inputs": [c, last]}])
        last = d
        count += 1

    for stage in range(4):
        for _ in range(per_stage[stage]):
            block()
        out.append({"name": f"skip{stage}", "op": "relu", "inputs": [last]})
        out.append({"name": f"pool{stage}", "op": "maxpool2d", "kernel": 2})
        last = f"pool{stage}"
    for stage in range(4):
        for _ in range(per_stage[4 + stage]):
            block()
        out.append({"name": f"up{stage}", "op": "conv-transpose2d", "out_channels": 8, "kernel": 2, "stride": 2,
                    "inputs": [last]})
        out.append({"name": f"cat{stage}", "op": "concat", "inputs": [f"up{stage}", f"skip{3 - stage}"]})
        out.append({"name": f"fuse{stage}", "op": "conv2d", "out_channels": 8, "kernel": 1})
        last = f"fuse{stage}"
    out += [{"name": f"tail{i}", "op": "relu"} for i in range(rest)]
    assert len(out) == layers
    return {"input": [1, 8, 256, 256], "data_format": "NCHW", "framework": "torch", "layers": out}


def _median(fn: Any, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.process_time()  # CPU time: a shared machine's load does not count
        fn()
        times.append(time.process_time() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    spec = parse_spec(residual_unet(), "residual-unet")
    found = constraints(analyse(spec), (1, 4096))
    assert found.sizes() == sweep(spec, "1..4096").sizes(), "constraints disagree with the sweep"
    figures = {"layers": len(spec.layers), "reduced": found.reduced(),
               "analyse_s": _median(lambda: analyse(spec), args.runs),
               "constraints_s": _median(lambda: constraints(analyse(spec), (1, 4096)), args.runs),
               "target_s": TARGET, "python": platform.python_version()}
    figures["met"] = figures["constraints_s"] < TARGET
    if args.json:
        print(json.dumps(figures))
        return 0
    print(f"| spec | layers | analyse | constraints | target |\n|---|---|---|---|---|\n"
          f"| residual U-Net ({figures['reduced']}) | {figures['layers']} | {figures['analyse_s']:.3f} s | "
          f"{figures['constraints_s']:.3f} s | < {TARGET} s ({'met' if figures['met'] else 'missed'}) |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
