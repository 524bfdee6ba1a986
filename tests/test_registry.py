"""The framework registry (issue 9): every registered framework answers every op family with its
rule or an explicit rejection, a framework added later is one registry entry away from every
command, and onnxruntime's Resize sizes are its own (float32), not the spec's."""

from __future__ import annotations

import glob
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from convshape import frameworks
from convshape.api.conv import conv, conv_transpose
from convshape.api.pooling import pool
from convshape.api.resample import interpolate, pixel_shuffle, pixel_unshuffle, upsample
from convshape.api.solve import solve
from convshape.api.unpool import adaptive_pool, fractional_max_pool, max_unpool
from convshape.cli.main import main
from convshape.errors import ShapeError
from convshape.frameworks import torch as torch_rules
from convshape.frameworks.base import Framework
from convshape.network.evaluate import chain

ROOT = Path(__file__).resolve().parent.parent

#: the explicit rejections of a family the framework lacks
REJECTIONS = {"not-in-framework", "unsupported-op"}

#: every op family's entry point, on a small configuration valid wherever the layer exists
FAMILIES: dict[str, Callable[[str], object]] = {
    "conv": lambda fw: conv("8,8", 3, framework=fw),
    "conv-transpose": lambda fw: conv_transpose("8,8", 3, framework=fw),
    "maxpool": lambda fw: pool("max", "8,8", 2, stride=2, framework=fw),
    "avgpool": lambda fw: pool("avg", "8,8", 2, stride=2, framework=fw),
    "adaptive-avg": lambda fw: adaptive_pool("4,4", "1,1", "avg", framework=fw),
    "adaptive-max": lambda fw: adaptive_pool("4,4", "1,1", "max", framework=fw),
    "fractional": lambda fw: fractional_max_pool("8,8", 2, output_size="4,4", framework=fw),
    "unpool": lambda fw: max_unpool("4,4", 2, framework=fw),
    "interpolate": lambda fw: interpolate("8,8", size="16,16", mode="nearest", framework=fw),
    "upsample": lambda fw: upsample("8,8", size="16,16", mode="nearest", framework=fw),
    "pixel-shuffle": lambda fw: pixel_shuffle("1x4x4x4", 2, framework=fw),
    "pixel-unshuffle": lambda fw: pixel_unshuffle("1x4x4x4", 2, framework=fw),
    "chain": lambda fw: chain("1x4x8x8", ["conv2d 4 k=3", "batchnorm", "relu", "flatten", "linear 10"], framework=fw),
    "solve": lambda fw: solve(8, 4, "conv2d", framework=fw),
}


@pytest.mark.parametrize("family", sorted(FAMILIES))
@pytest.mark.parametrize("name", sorted(frameworks.FRAMEWORKS))
def test_every_framework_answers_every_family(name: str, family: str) -> None:
    try:
        result = FAMILIES[family](name)
    except ShapeError as exc:
        assert exc.rule in REJECTIONS, (name, family, exc.rule, str(exc))
        assert exc.framework == name
    else:
        assert result is not None
        framework = getattr(result, "framework", name)
        assert framework == name


@pytest.mark.parametrize("name", sorted(frameworks.FRAMEWORKS))
def test_every_framework_has_every_family_and_fact(name: str) -> None:
    fw = frameworks.get(name)
    for family in ("conv", "pool", "resample", "adaptive", "fractional", "unpool"):
        assert getattr(fw, family).name == name, family
    assert isinstance(fw.bias_default, bool) and isinstance(fw.channels_last, bool)
    assert fw.transposed_weight in ("in,out,k", "k,out,in", "k,in,out")
    assert fw.groups_words in ("torch", "keras")


def test_onnxruntime_inherits_onnx_families() -> None:
    onnx, ort = frameworks.get("onnx"), frameworks.get("ort")
    for family in ("conv", "pool", "resample", "adaptive", "unpool"):
        assert isinstance(getattr(ort, family), type(getattr(onnx, family))), family


# ---------------------------------------------------------------------- a framework registered later
class _Conv(torch_rules.Conv):
    name = "mxnet"


class _Pool(torch_rules.Pool):
    name = "mxnet"


class _Resample(torch_rules.Resample):
    name = "mxnet"


class _Adaptive(torch_rules.Adaptive):
    name = "mxnet"


class _Fractional(torch_rules.Fractional):
    name = "mxnet"


class _Unpool(torch_rules.Unpool):
    name = "mxnet"


MXNET = Framework("mxnet", "MXNet (torch's rules, a test double)", "none", _Conv(), _Pool(), resample=_Resample(),
                  adaptive=_Adaptive(), fractional=_Fractional(), unpool=_Unpool(), batchnorm_batch_check=True)


@pytest.fixture
def mxnet(monkeypatch: pytest.MonkeyPatch) -> Iterator[Framework]:
    monkeypatch.setitem(frameworks.FRAMEWORKS, "mxnet", MXNET)
    yield MXNET


COMMANDS = [
    ["conv2d", "--i", "64", "--k", "3", "--s", "2", "--p", "1"],
    ["conv-transpose2d", "--i", "32", "--k", "4", "--s", "2", "--p", "1"],
    ["maxpool2d", "--i", "7", "--k", "3", "--s", "2", "--compare"],
    ["adaptive-avgpool2d", "--i", "7,5", "--o", "3,2"],
    ["fractional-maxpool2d", "--i", "50,32", "--k", "3", "--o", "13,12"],
    ["maxunpool2d", "--i", "4", "--k", "2"],
    ["interpolate", "--i", "37", "--scale", "1.5"],
    ["upsample", "--i", "5,7", "--scale", "2", "--mode", "bilinear"],
    ["pixel-shuffle", "--i", "1x9x4x4", "--r", "3"],
    ["pixel-unshuffle", "--i", "1x1x4x4", "--r", "2"],
    ["chain", "--input", "1x3x32x32", "conv2d 16 k=3 p=1", "batchnorm", "relu", "maxpool2d k=2", "flatten",
     "linear 10"],
    ["solve", "--i", "224", "--o", "112", "--op", "conv2d", "--limit", "4"],
    ["explain", "conv2d", "--i", "5", "--k", "3", "--s", "2", "--p", "1"],
    *(["summary", path] for path in sorted(glob.glob(str(ROOT / "examples" / "networks" / "*.toml")))),
]


def _run(args: list[str], framework: str) -> tuple[int, Any]:
    result = CliRunner().invoke(main, [*args, "-f", framework, "--json"])
    assert not isinstance(result.exception, (KeyError, AttributeError, NotImplementedError)), result.exception
    return result.exit_code, json.loads(result.stdout) if result.stdout.strip() else None


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a[:2]))
def test_a_framework_registered_later_runs_every_command(mxnet: Framework, args: list[str]) -> None:
    code, data = _run(args, "mxnet")
    torch_code, torch_data = _run(args, "torch")
    assert code == torch_code
    if "--compare" in args:  # every registered framework side by side: torch's row and mxnet's agree
        text = json.dumps(data)
        assert "mxnet" in text and "KeyError" not in text
        return
    assert json.dumps(data).replace("mxnet", "torch") == json.dumps(torch_data)


def test_an_unknown_framework_is_still_a_usage_error() -> None:
    result = CliRunner().invoke(main, ["interpolate", "--i", "37", "--scale", "1.5", "-f", "mxnet"])
    assert result.exit_code == 2 and "mxnet" in result.output


# ---------------------------------------------------------------------- onnx (spec) vs onnxruntime (float32)
# 100 x 0.29: the spec floors 100 x float32(0.29) = 28.999999165534973 -> 28; onnxruntime 1.31/1.32 computes
# float32(100) x float32(0.29) = 29.0f -> 29. Run for real (onnxruntime 1.32.0, CPU): a one-node Resize
# (opset 19, scales [1, 1, 0.29], mode nearest) on a (1, 1, 100) tensor returns (1, 1, 29), and warns that shape
# inference expected {1,1,28}; 50 x 2.3 likewise gives 115 where the spec gives 114.
@pytest.mark.parametrize("size, scale, spec, runtime", [(100, 0.29, 28, 29), (50, 2.3, 114, 115)])
def test_onnx_gives_the_spec_and_onnxruntime_its_own_size(size: int, scale: float, spec: int, runtime: int) -> None:
    onnx = interpolate(size, scale=scale, framework="onnx")
    ort = interpolate(size, scale=scale, framework="ort")
    assert onnx.output == (spec,) and ort.output == (runtime,)
    assert ort.framework == "onnxruntime"
    assert any(w.startswith(f"onnxruntime 1.31 gives {runtime}, not the spec's {spec}") for w in onnx.warnings)
    assert any(f"gives {spec}, not onnxruntime 1.31's {runtime}" in w for w in ort.warnings)


def test_onnx_and_onnxruntime_keep_aspect_ratio_policy() -> None:
    """99 x 24/176 = 13.5: the reference implementation rounds 13.499... in double to 13, onnxruntime the
    float32 product to 14 (run for real: Resize sizes [24, 24], axes [2, 3], not_larger on 99x176 -> 14x24)."""
    onnx = interpolate("99,176", size="24,24", keep_aspect_ratio_policy="not_larger", framework="onnx")
    ort = interpolate("99,176", size="24,24", keep_aspect_ratio_policy="not_larger", framework="onnxruntime")
    assert onnx.output == (13, 24) and ort.output == (14, 24)
    assert onnx.warnings[0].startswith("onnxruntime 1.31 gives 14x24, not the spec's 13x24")
    assert "gives 13x24, not onnxruntime 1.31's 14x24" in ort.warnings[0]


def test_onnx_and_onnxruntime_agree_where_float32_does_not_matter() -> None:
    onnx = interpolate(37, scale=1.5, framework="onnx")
    ort = interpolate(37, scale=1.5, framework="onnxruntime")
    assert onnx.output == ort.output == (55,)
    assert not ort.warnings and not onnx.warnings


def test_onnxruntime_resize_runs_as_modelled() -> None:
    """Build the one-node Resize and run it on onnxruntime (skipped where it is not installed)."""
    ort = pytest.importorskip("onnxruntime")
    helper = pytest.importorskip("onnx.helper")
    np = pytest.importorskip("numpy")
    from onnx import TensorProto

    def run(size: int, scale: float) -> tuple[int, ...]:
        node = helper.make_node("Resize", ["X", "", "scales"], ["Y"], mode="nearest")
        graph = helper.make_graph([node], "resize", [helper.make_tensor_value_info("X", TensorProto.FLOAT,
                                                                                   [1, 1, size])],
                                  [helper.make_tensor_value_info("Y", TensorProto.FLOAT, None)],
                                  [helper.make_tensor("scales", TensorProto.FLOAT, [3], [1.0, 1.0, scale])])
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 19)])
        options = ort.SessionOptions()
        options.log_severity_level = 3  # its shape-inference mismatch warning is the point here
        session = ort.InferenceSession(model.SerializeToString(), options, providers=["CPUExecutionProvider"])
        return tuple(session.run(None, {"X": np.zeros((1, 1, size), np.float32)})[0].shape[2:])

    for size, scale in ((100, 0.29), (50, 2.3), (37, 1.5)):
        assert run(size, scale) == interpolate(size, scale=scale, framework="onnxruntime").output

    node = helper.make_node("Resize", ["X", "", "", "sizes"], ["Y"], mode="nearest", axes=[2, 3],
                            keep_aspect_ratio_policy="not_larger")
    graph = helper.make_graph([node], "policy", [helper.make_tensor_value_info("X", TensorProto.FLOAT,
                                                                               [1, 1, 99, 176])],
                              [helper.make_tensor_value_info("Y", TensorProto.FLOAT, None)],
                              [helper.make_tensor("sizes", TensorProto.INT64, [2], [24, 24])])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 19)])
    session = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    shape = session.run(None, {"X": np.zeros((1, 1, 99, 176), np.float32)})[0].shape[2:]
    assert tuple(shape) == interpolate("99,176", size="24,24", keep_aspect_ratio_policy="not_larger",
                                       framework="onnxruntime").output
