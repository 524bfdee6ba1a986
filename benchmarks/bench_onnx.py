#!/usr/bin/env python
"""ONNX models: how long ``summary`` and ``sweep`` of a ResNet-50-sized graph take, against the
same questions answered by onnxruntime.

The model is ResNet-50's graph (a 7x7 stem, a max pool, 3 + 4 + 6 + 3 bottleneck blocks, global
pooling and a linear head: 169 nodes from the TorchScript exporter) with channel counts divided
by 16, exported with N, H and W dynamic into a temporary folder (needs torch; onnxruntime for
the comparison). Figures, each the median of several runs:

* ``summary``: ``convshape summary resnet50.onnx --i 1x3x224x224`` as a fresh process, against
  ``python -c "import click"`` (target: within 2x);
* ``sweep``: :func:`convshape.models.sweep` over 1..4096 in-process (target: under 1 s), the
  periodic analysis; ``sweep_each``: the same range size by size
  (:func:`convshape.models.onnx_model.sweep_each`, the fallback and the code before it);
* ``onnxruntime``: one InferenceSession run per size on a sample of the range, extrapolated to
  the whole range, and the ratio to convshape's sweep.

A report, not a test: it exits 0 whether the targets are met or not.

    python benchmarks/bench_onnx.py           # Markdown table
    python benchmarks/bench_onnx.py --json    # the figures as JSON
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def build(path: str) -> None:
    """ResNet-50's graph at 1/16 of its widths, exported with dynamic N, H and W."""
    import torch
    import torch.nn.functional as F
    from torch import nn

    class Bottleneck(nn.Module):
        def __init__(self, cin: int, mid: int, cout: int, stride: int) -> None:
            super().__init__()
            self.c1, self.b1 = nn.Conv2d(cin, mid, 1, bias=False), nn.BatchNorm2d(mid)
            self.c2, self.b2 = nn.Conv2d(mid, mid, 3, stride, 1, bias=False), nn.BatchNorm2d(mid)
            self.c3, self.b3 = nn.Conv2d(mid, cout, 1, bias=False), nn.BatchNorm2d(cout)
            self.down = (nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))
                         if stride != 1 or cin != cout else None)

        def forward(self, x: Any) -> Any:
            y = F.relu(self.b2(self.c2(F.relu(self.b1(self.c1(x))))))
            return F.relu(self.b3(self.c3(y)) + (self.down(x) if self.down is not None else x))

    class ResNet50(nn.Module):
        def __init__(self, width: int = 4) -> None:
            super().__init__()
            self.stem = nn.Sequential(nn.Conv2d(3, width, 7, 2, 3, bias=False), nn.BatchNorm2d(width), nn.ReLU(),
                                      nn.MaxPool2d(3, 2, 1))
            blocks: list[nn.Module] = []
            cin = width
            for stage, (count, stride) in enumerate(zip((3, 4, 6, 3), (1, 2, 2, 2))):
                mid = width * 2 ** stage
                for i in range(count):
                    blocks.append(Bottleneck(cin, mid, mid * 4, stride if i == 0 else 1))
                    cin = mid * 4
            self.blocks = nn.Sequential(*blocks)
            self.fc = nn.Linear(cin, 10)

        def forward(self, x: Any) -> Any:
            return self.fc(torch.flatten(F.adaptive_avg_pool2d(self.blocks(self.stem(x)), 1), 1))

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(ResNet50().eval(), (torch.zeros(1, 3, 224, 224),), path, dynamo=False, input_names=["x"],
                          output_names=["y"], dynamic_axes={"x": {0: "N", 2: "H", 3: "W"}})


def median(fn: Any, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def measure(runs: int) -> dict[str, Any]:
    from convshape.models import sweep

    folder = tempfile.mkdtemp()
    path = str(Path(folder) / "resnet50.onnx")
    build(path)
    cli = [sys.executable, "-m", "convshape", "summary", path, "--i", "1x3x224x224"]
    # as an installed package runs: bytecode cached (pip compiles it; a PYTHONDONTWRITEBYTECODE shell would
    # compile every module of ours on every run, while click's bytecode is cached), warmed by one run each
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "PYTHONPROFILEIMPORTTIME")}
    env.setdefault("PYTHONPYCACHEPREFIX", str(Path(folder) / "pycache"))
    click_cmd = [sys.executable, "-c", "import click"]
    for command in (cli, click_cmd):
        subprocess.run(command, check=True, capture_output=True, env=env)
    summary = median(lambda: subprocess.run(cli, check=True, capture_output=True, env=env), runs)
    click = median(lambda: subprocess.run(click_cmd, check=True, env=env), runs)
    from convshape.models.onnx_model import sweep_each

    swept = median(lambda: sweep(path, "1..4096"), max(1, runs // 2))
    each = median(lambda: sweep_each(path, "1..4096"), 1)
    figures: dict[str, Any] = {"summary_s": summary, "import_click_s": click, "summary_ratio": summary / click,
                               "sweep_1_4096_s": swept, "sweep_each_1_4096_s": each}
    try:
        import numpy as np
        import onnxruntime as ort
    except ImportError:
        return figures
    options = ort.SessionOptions()
    options.log_severity_level = 4
    session = ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])
    sample = range(1, 4097, 64)
    start = time.perf_counter()
    for n in sample:
        try:
            session.run(None, {"x": np.zeros((1, 3, n, n), np.float32)})
        except Exception:  # noqa: BLE001, S112 - a rejected size costs its attempt too
            continue
    per_size = (time.perf_counter() - start) / len(sample)
    figures.update({"onnxruntime_1_4096_s": per_size * 4096, "onnxruntime_ratio": per_size * 4096 / swept})
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    figures = measure(args.runs)
    if args.json:
        print(json.dumps(figures, indent=1))
        return
    print("| figure | value |\n|---|---|")
    for key, value in figures.items():
        print(f"| {key} | {value:.3f} |")


if __name__ == "__main__":
    main()
