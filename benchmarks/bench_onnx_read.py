#!/usr/bin/env python
"""Cost of reading an ONNX model with convshape's wire-format reader, against ``onnx.load``.

Builds a ResNet-50-shaped model with onnx.helper (``tests/onnx_graphs.py: resnet50_like``: 175
nodes, 267 initializers, ~25.5M float weights as raw_data, ~102 MB), writes it to a temporary
directory, then reports (median wall time of ``--runs`` runs, each in a fresh subprocess of
``sys.executable``):

* ``read_model``  ``convshape.models.onnx_wire.read_model(path)``, measured inside the process
  (the import excluded);
* ``read bytes``  ``open(path, "rb").read()``: the floor a reader that reads the file would pay;
* ``onnx.load``   ``onnx.load(path)``, the import excluded;
* ``import + read_model`` and ``import onnx + onnx.load``: the whole subprocess, wall time;
* ``import click``: the CLI's floor (``benchmarks/bench_cli.py``).

Target: ``read_model`` well under 0.1 s, and not growing with the weights (the same graph with
one-element weights reads in about the same time). Needs onnx and numpy to BUILD the model only.
A report, not a test (tests/test_onnx_reader.py asserts a generous bound).

    python benchmarks/bench_onnx_read.py            # Markdown table
    python benchmarks/bench_onnx_read.py --runs 10
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

INNER = {
    "read_model": ("from convshape.models.onnx_wire import read_model\nimport time\n"
                   "t = time.perf_counter(); read_model(PATH); print(time.perf_counter() - t)"),
    "read bytes": ("import time\nt = time.perf_counter()\nwith open(PATH, 'rb') as f: f.read()\n"
                   "print(time.perf_counter() - t)"),
    "onnx.load": "import onnx, time\nt = time.perf_counter(); onnx.load(PATH); print(time.perf_counter() - t)",
}
WHOLE = {
    "import + read_model": "from convshape.models.onnx_wire import read_model; read_model(PATH)",
    "import onnx + onnx.load": "import onnx; onnx.load(PATH)",
    "import click": "import click",
}


def run(code: str, path: str) -> tuple[float, str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code.replace("PATH", repr(path))], capture_output=True, text=True,
                         check=True, env=env, cwd=ROOT).stdout
    return time.perf_counter() - start, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "tests"))
    from onnx_graphs import resnet50_like

    with tempfile.TemporaryDirectory() as tmp:
        paths = {}
        for weights in (True, False):
            path = os.path.join(tmp, f"resnet50_{'weights' if weights else 'noweights'}.onnx")
            with open(path, "wb") as f:
                f.write(resnet50_like(weights).SerializeToString())
            paths[weights] = path
        size = os.path.getsize(paths[True])
        rows = []
        for label, code in INNER.items():
            for weights in (True, False) if label == "read_model" else (True,):
                figures = [float(run(code, paths[weights])[1]) for _ in range(args.runs)]
                rows.append((f"{label}{'' if weights else ' (no weights)'}", statistics.median(figures)))
        for label, code in WHOLE.items():
            rows.append((label, statistics.median(run(code, paths[True])[0] for _ in range(args.runs))))
    print(f"ResNet-50-shaped model, {size / 1e6:.1f} MB; median of {args.runs} runs\n")
    print("| what | seconds |\n|---|---|")
    for label, seconds in rows:
        print(f"| {label} | {seconds:.4f} |")


if __name__ == "__main__":
    main()
