"""Speed of whole networks (issue 10, item 20): the sweep's fallback that tries every size, a
10,000-layer spec, and check / summary of a 1,000-layer spec each answer well under a second.

The bounds (2 s of this process's CPU time) are generous, so a loaded machine does not fail them;
before the fix the lenet5 sweep took 3.3 s and the 10,000-layer sweep over 6 s. Each test also
asserts the answer, and the shortcut that makes the sweep fast (window layers shifted from an
anchor of the same residues instead of re-evaluated) is checked against full evaluation.
"""

from __future__ import annotations

import functools
from fractions import Fraction
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import pytest

from convshape.errors import ShapeError
from convshape.models import check
from convshape.network.evaluate import (LayerSpec, NetworkSpec, Step, Tensor, input_tensor, layer_step, load_spec,
                                        network, parse_spec, walk)
from convshape.network.sweep import Progression, SweepResult, SpecNetwork, sweep

ROOT = Path(__file__).resolve().parent.parent
LENET = str(ROOT / "examples" / "networks" / "lenet5.json")
FRAMEWORKS = ("torch", "tf", "keras", "jax", "onnx", "onnxruntime", "caffe")
T = TypeVar("T")


def timed(call: Callable[[], T], bound: float = 2.0) -> T:
    start = time.process_time()
    result = call()
    spent = time.process_time() - start
    assert spent < bound, f"took {spent:.2f} s of CPU time (bound {bound} s)"
    return result


def deep_chain(blocks: int) -> dict[str, Any]:
    """``blocks`` times conv2d 8 k=3 p=1 then relu: 2 * blocks layers that keep every size."""
    layers: list[dict[str, Any]] = []
    for _ in range(blocks):
        layers += [{"op": "conv2d", "out_channels": 8, "kernel": 3, "padding": 1}, {"op": "relu"}]
    return {"input": [1, 8, 32, 32], "layers": layers}


@functools.lru_cache(maxsize=1)
def lenet_sweep() -> SweepResult:
    # 20,000 sizes traced one by one through evaluate()'s walk (planned once, steps memoised): ~0.9-1.2 s
    # of CPU here on a loaded machine, as before the sweep shared the walk (see benchmarks/bench_sweep.py)
    return timed(lambda: sweep(LENET, "1..20000"))


def test_lenet5_sweep_every_size_is_fast() -> None:
    # lenet5's fc1 takes in_features=400 = 16*5*5: the top of the range is rejected, so the sweep
    # tries every size. Valid: pool2 gives 5, i.e. floor((floor((n-4)/2) - 4) / 2) = 5, n in 32..35.
    result = lenet_sweep()
    assert result.method == "every size"
    assert result.valid == (Progression(32, 35, 1),)
    assert result.count == 4
    assert [(f.size, f.layer) for f in result.failures] == [(29, "fc1"), (30, "fc1"), (31, "fc1")]


def test_lenet5_valid_sizes_agree_with_torch() -> None:
    torch = pytest.importorskip("torch")
    nn = torch.nn
    model = nn.Sequential(nn.Conv2d(1, 6, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(6, 16, 5), nn.ReLU(),
                          nn.MaxPool2d(2), nn.Flatten(), nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84),
                          nn.ReLU(), nn.Linear(84, 10))
    result = lenet_sweep()
    for n in (28, 31, 32, 33, 34, 35, 36, 40):
        try:
            with torch.no_grad():
                model(torch.zeros(1, 1, n, n))
            runs = True
        except RuntimeError:
            runs = False
        assert runs == (n in result), n


def test_ten_thousand_layers_network_and_sweep_are_fast() -> None:
    spec = deep_chain(5000)
    report = timed(lambda: network(spec))
    assert len(report.layers) == 10000
    assert report.ok and report.output == (1, 8, 32, 32)  # k=3, p=1 keeps the size (torch: (32 + 2 - 3) + 1)
    assert report.params == 5000 * (8 * 8 * 9 + 8)
    assert report.layers[-1].receptive_field == (Fraction(10001), Fraction(10001))  # 5,000 convolutions of 3 add 2 each
    result = timed(lambda: sweep(spec, "1..4096"))
    assert result.valid == (Progression(1, 4096, 1),) and result.count == 4096


def test_check_and_summary_of_a_thousand_layers_are_fast(tmp_path: Path) -> None:
    import json

    from click.testing import CliRunner

    from convshape.cli.main import main

    path = tmp_path / "deep.json"
    path.write_text(json.dumps(deep_chain(500)))
    report = timed(lambda: check([str(path)]))
    assert report.ok and report.files[0].output == (1, 8, 32, 32)
    for command in ("check", "summary"):
        result = timed(lambda: CliRunner().invoke(main, [command, str(path), "--json"]))
        assert result.exit_code == 0, result.output
        assert json.loads(result.output)["ok"] is True


class _Evaluated(SpecNetwork):
    """The sweep's network without the shortcut: every layer evaluated in full."""

    def _shift(self, layer: LayerSpec, x: Tensor) -> None:
        return None


def _specs() -> list[NetworkSpec]:
    specs = []
    for path in sorted((ROOT / "examples" / "networks").iterdir()):
        for fw in FRAMEWORKS:
            try:
                specs.append(load_spec(str(path), framework=fw))
            except ShapeError:
                pass
    for fw in FRAMEWORKS:
        for pad, ceil, k, s in (("same", False, 3, 2), (1, True, 3, 2), (0, True, 2, 3), ("valid", True, 5, 3),
                                (2, False, 5, 2)):
            layers = [{"op": "conv2d", "out_channels": 4, "kernel": k, "stride": s, "padding": pad, "dilation": 2},
                      {"op": "maxpool2d", "kernel": k, "stride": s, "padding": 0 if pad == "same" else pad,
                       "ceil_mode": ceil},
                      {"op": "avgpool2d", "kernel": 2, "stride": 2, "ceil_mode": ceil}]
            try:
                specs.append(parse_spec({"input": [1, 3, 40, 40], "framework": fw, "layers": layers}))
            except ShapeError:
                pass
    return specs


def test_shifted_window_layers_match_full_evaluation() -> None:
    sizes = [*range(1, 33), 999, 1000, 1001]
    compared = 0
    for spec in _specs():
        for axis in (None, 0):
            try:
                fast, full = SpecNetwork(spec, axis), _Evaluated(spec, axis)
            except ShapeError:
                continue
            for n in sizes:
                a, b = fast.trace(n), full.trace(n)
                assert (a.hard, a.sizes, a.skips, a.periodic, a.unsettled) == \
                       (b.hard, b.sizes, b.skips, b.periodic, b.unsettled), (spec.source, spec.framework, axis, n)
                compared += 1
    assert compared > 4000


def test_walk_memo_and_plan_change_no_layer() -> None:
    """walk's memo (steps by signature and input) and plan give every layer of every example spec,
    in both modes, the step and output the unmemoised walk gives (errors by rule and message)."""
    def stepper(fw: str) -> Callable[[LayerSpec, Any], Step | ShapeError]:
        def steps(layer: LayerSpec, xs: Any) -> Step | ShapeError:
            try:
                return layer_step(layer, xs, fw)
            except ShapeError as exc:
                return exc
        return steps

    def seen(step: object) -> object:
        if step is None or isinstance(step, ShapeError):  # an input failed; the layer's rules raised
            return step if step is None else (step.rule, step.message)
        assert isinstance(step, Step)  # the geometry's closures are new at each step: compared through the outputs
        return step._replace(geometry=None), step.geometry is None

    compared = 0
    for spec in _specs():
        for n in (7, 40, 41, 64):
            shaped = spec._replace(input=SpecNetwork(spec, None).input_shape(n))
            for sizes_only in (False, True):
                first = input_tensor(shaped) if not sizes_only else Tensor(shaped.input, spec.data_format, (), (), ())
                memo: dict[Any, Any] = {}
                for _ in range(2):  # the second walk meets every layer in the memo
                    plain = list(walk(spec, stepper(spec.framework), first=first, sizes_only=sizes_only))
                    fast = list(walk(spec, stepper(spec.framework), first=first, sizes_only=sizes_only, memo=memo))
                    assert [(w[0], w[1], seen(w[2]), w[3], w[4]) for w in plain] == \
                           [(w[0], w[1], seen(w[2]), w[3], w[4]) for w in fast], (spec.source, spec.framework, n)
                    compared += len(plain)
    assert compared > 2000
