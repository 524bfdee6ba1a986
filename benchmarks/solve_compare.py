#!/usr/bin/env python
"""Answer-for-answer comparison of ``convshape solve`` between two trees (a speed-up must change
no answer): run the same seeded random solve invocations with each tree on PYTHONPATH and
compare the full JSON (every axis's full answer list, the combinations, notes, errors).

    PYTHONPATH=/path/to/old python benchmarks/solve_compare.py run --out old.jsonl
    PYTHONPATH=/path/to/new python benchmarks/solve_compare.py run --out new.jsonl
    python benchmarks/solve_compare.py diff old.jsonl new.jsonl

``run --digest`` prints one SHA-256 per case instead: tests/data/solve_answers.jsonl holds those of
the tree before the transposed-solve speed-up (``run --seed 12 --count 360 --ndim 1 --digest``, on
commit 4681d8a), and tests/test_solve_regression.py checks them.
Standard library and convshape only.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
import time
from typing import Any

FRAMEWORKS = ("torch", "tf", "keras", "jax", "onnx", "onnxruntime", "caffe")


def cases(seed: int, count: int, wide: bool = False, ndim: int | None = None) -> list[dict[str, Any]]:
    """Seeded random solve invocations, mostly transposed convolutions (the speed-up's subject),
    with some forward convolutions and poolings (they share the search); ``ndim``: only those of
    that rank (the others are still drawn, so a case is the same whatever the filter)."""
    rng = random.Random(seed)
    out = []
    for n in range(count):
        fw = FRAMEWORKS[n % len(FRAMEWORKS)]
        family = rng.choices(["conv-transpose", "conv", "maxpool", "avgpool"], [8, 2, 1, 1])[0]
        rank = rng.choice([1, 1, 2])
        top = 64 if wide else 12
        bounds = {"max_kernel": rng.randint(1, top), "max_stride": rng.randint(1, top),
                  "max_dilation": rng.randint(1, top if wide else 4)}
        if rng.random() < 0.25:
            bounds["max_padding"] = rng.randint(0, 8)
        ins, outs = [], []
        for _ in range(rank):
            i = rng.randint(1, 120)
            if family == "conv-transpose":
                o = max(1, i * rng.randint(1, 6) + rng.randint(-8, 8))
            else:
                o = max(1, i // rng.randint(1, 5) + rng.randint(-2, 2))
            ins.append(i)
            outs.append(o)
        out.append({"op": f"{family}{rank}d", "framework": fw, "input": ",".join(map(str, ins)),
                    "output": ",".join(map(str, outs)), "all_splits": rng.random() < 0.2, **bounds})
    return [c for c in out if ndim is None or c["op"].endswith(f"{ndim}d")]


def run_case(case: dict[str, Any]) -> dict[str, Any]:
    from convshape.api.solve import solve
    from convshape.errors import ShapeError

    kwargs = {k: v for k, v in case.items() if k not in ("op", "framework", "input", "output")}
    try:
        result = solve(case["input"], case["output"], case["op"], framework=case["framework"], limit=0, **kwargs)
    except ShapeError as exc:
        return {"error": exc.message, "rule": str(exc.rule)}
    return result.to_dict()


def digest(answer: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(answer, sort_keys=True).encode()).hexdigest()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run")
    run.add_argument("--seed", type=int, default=10)
    run.add_argument("--count", type=int, default=400)
    run.add_argument("--wide", action="store_true", help="bounds up to 64 (slow before the speed-up)")
    run.add_argument("--ndim", type=int, default=None, help="only the cases of this rank")
    run.add_argument("--out", default="-")
    run.add_argument("--digest", action="store_true")
    diff = sub.add_parser("diff")
    diff.add_argument("old")
    diff.add_argument("new")
    args = parser.parse_args()
    if args.command == "run":
        lines = []
        slowest = (0.0, None)
        for case in cases(args.seed, args.count, args.wide, args.ndim):
            start = time.perf_counter()
            answer = run_case(case)
            took = time.perf_counter() - start
            slowest = max(slowest, (took, case), key=lambda t: t[0])
            lines.append(json.dumps({"case": case, "digest": digest(answer)} if args.digest else
                                    {"case": case, "answer": answer}, sort_keys=True))
        text = "\n".join(lines) + "\n"
        if args.out == "-":
            sys.stdout.write(text)
        else:
            with open(args.out, "w") as f:
                f.write(text)
        print(f"slowest case: {slowest[0]:.3f} s {slowest[1]}", file=sys.stderr)
        return 0
    with open(args.old) as f:
        old = [json.loads(line) for line in f]
    with open(args.new) as f:
        new = [json.loads(line) for line in f]
    differ = [(a["case"], a, b) for a, b in zip(old, new) if a != b]
    for case, _old, _new in differ[:5]:
        print("DIFFERS:", json.dumps(case))
    print(f"{len(old)} cases, {len(differ)} differ" + ("" if len(old) == len(new) else " (lengths differ)"))
    return 1 if differ or len(old) != len(new) else 0


if __name__ == "__main__":
    sys.exit(main())
