"""solve's answers did not change with its speed-ups: 233 seeded random one-axis invocations (every
framework; transposed convolutions mostly, some convolutions and poolings), each answer's full JSON
(every axis's answer list, the combinations, notes, errors) against its SHA-256 recorded before
the transposed-solve speed-up (benchmarks/solve_compare.py wrote tests/data/solve_answers.jsonl)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from convshape.api.solve import solve
from convshape.errors import ShapeError

RECORD = Path(__file__).parent / "data" / "solve_answers.jsonl"


def answer(case: dict) -> dict:
    kwargs = {k: v for k, v in case.items() if k not in ("op", "framework", "input", "output")}
    try:
        result = solve(case["input"], case["output"], case["op"], framework=case["framework"], limit=0, **kwargs)
    except ShapeError as exc:
        return {"error": exc.message, "rule": str(exc.rule)}
    return result.to_dict()


def test_answers_match_the_record() -> None:
    lines = [json.loads(line) for line in RECORD.read_text().splitlines()]
    assert len(lines) == 233
    frameworks = {line["case"]["framework"] for line in lines}
    assert frameworks == {"torch", "tf", "keras", "jax", "onnx", "onnxruntime", "caffe"}
    differ, solved = [], 0
    for line in lines:
        got = answer(line["case"])
        solved += "error" not in got
        if hashlib.sha256(json.dumps(got, sort_keys=True).encode()).hexdigest() != line["digest"]:
            differ.append(line["case"])
    assert not differ, differ[:3]
    assert solved > 100  # most cases have answers: the record is not a list of rejections
