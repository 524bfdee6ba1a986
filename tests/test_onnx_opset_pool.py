"""The ONNX spec's pooling rule by opset, against onnx's own shape inference run live.

MaxPool-22, AveragePool-22 and LpPool-22 (onnx#5741) changed the ceil_mode rule: before opset 22
shape inference takes an exact ceiling and keeps a last window starting in the right padding
(onnx/defs/nn/old.cc ``convPoolShapeInference_opset19``); from 22 it computes
``trunc((num + s - 1) / s) + 1`` and drops that window, as torch does. ``-f onnx`` follows the
latest rule unless given the opset (``--opset``, and a model file's own opset); onnxruntime 1.32
sizes every opset alike."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from onnx_tools import make_model, require, session

from convshape.api.pooling import pool
from convshape.cli import main
from convshape.errors import ShapeError
from convshape.models import network

OPS = {"MaxPool": "max", "AveragePool": "avg", "LpPool": "lp"}


def inferred(op: str, size: int, kernel: int, stride: int, pads: tuple[int, int], dilation: int, ceil: bool,
             opset: int) -> int | None:
    """onnx.shape_inference's output size for one 1-D pooling node (None: it gives no size)."""
    onnx = require("onnx")
    helper, proto = onnx.helper, onnx.TensorProto
    attrs: dict[str, Any] = {"kernel_shape": [kernel], "strides": [stride], "pads": list(pads)}
    if ceil:
        attrs["ceil_mode"] = 1
    if dilation != 1:
        attrs["dilations"] = [dilation]
    node = helper.make_node(op, ["x"], ["y"], **attrs)
    graph = helper.make_graph([node], "g", [helper.make_tensor_value_info("x", proto.FLOAT, [1, 1, size])],
                              [helper.make_tensor_value_info("y", proto.FLOAT, None)])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    dims = onnx.shape_inference.infer_shapes(model, strict_mode=True).graph.output[0].type.tensor_type.shape.dim
    return dims[2].dim_value if len(dims) == 3 and dims[2].HasField("dim_value") else None


def convshape_output(op: str, size: int, kernel: int, stride: int, pads: tuple[int, int], dilation: int, ceil: bool,
                     opset: int | None) -> int | str:
    try:
        return pool(OPS[op], size, kernel, stride, f"{pads[0]}:{pads[1]}", dilation, ceil, framework="onnx", ndim=1,
                    opset=opset).output[0]
    except ShapeError as exc:
        return exc.rule


def test_random_pools_match_shape_inference_at_every_opset() -> None:
    rng = random.Random(20261204)
    seen = {"differs": 0, "same": 0}
    for _ in range(600):
        op = rng.choice(list(OPS))
        opset = rng.choice([18, 19, 21, 22]) if op == "LpPool" else rng.choice([10, 11, 12, 17, 19, 21, 22])
        kernel, stride = rng.randint(1, 6), rng.randint(1, 4)
        dilation = rng.randint(1, 3) if op == "MaxPool" or opset >= 19 else 1
        pads = (rng.randint(0, kernel - 1), rng.randint(0, kernel - 1))
        size, ceil = rng.randint(1, 14), rng.random() < 0.8
        expected = inferred(op, size, kernel, stride, pads, dilation, ceil, opset)
        got = convshape_output(op, size, kernel, stride, pads, dilation, ceil, opset)
        case = (op, opset, size, kernel, stride, pads, dilation, ceil)
        if expected is not None and expected < 0:  # shape inference records a negative size: convshape rejects
            assert got == "output-negative", (case, expected, got)
            continue
        assert got == expected, (case, expected, got)
        if ceil:
            latest = convshape_output(op, size, kernel, stride, pads, dilation, ceil, None)
            seen["differs" if latest != got else "same"] += 1
    assert seen["differs"] >= 20 and seen["same"] >= 100, seen  # the opsets' rules really differ here


@pytest.mark.parametrize("op, size, kernel, stride, before_22, from_22", [
    ("AveragePool", 6, 1, 3, 3, 2),  # the last window starts at 6, past the input: kept before 22
    ("MaxPool", 1, 3, 2, 0, 1),  # a negative numerator: exact ceil(-2 / 2) + 1 = 0; trunc(-1 / 2) + 1 = 1
])
def test_the_two_rules_on_golden_cases(op: str, size: int, kernel: int, stride: int, before_22: int,
                                       from_22: int) -> None:
    assert inferred(op, size, kernel, stride, (0, 0), 1, True, 17) == before_22
    assert inferred(op, size, kernel, stride, (0, 0), 1, True, 22) == from_22
    assert convshape_output(op, size, kernel, stride, (0, 0), 1, True, 17) == before_22
    assert convshape_output(op, size, kernel, stride, (0, 0), 1, True, 22) == from_22
    assert convshape_output(op, size, kernel, stride, (0, 0), 1, True, None) == from_22
    # onnxruntime: one rule at every opset
    ort = pool(OPS[op], size, kernel, stride, 0, 1, True, framework="onnxruntime", ndim=1, opset=17)
    assert ort.output == pool(OPS[op], size, kernel, stride, 0, 1, True, framework="onnxruntime", ndim=1).output


def test_onnxruntime_runs_an_opset_17_ceil_pool_the_opset_22_way(tmp_path: Path) -> None:
    # AveragePool(k=1, s=3, ceil_mode) on 6 cells: shape inference at opset 17 says 3, onnxruntime gives 2
    onnx = require("onnx")
    helper, proto = onnx.helper, onnx.TensorProto
    node = helper.make_node("AveragePool", ["x"], ["y"], kernel_shape=[1], strides=[3], ceil_mode=1)
    path = tmp_path / "pool17.onnx"
    make_model(path, [node], [helper.make_tensor_value_info("x", proto.FLOAT, [1, 1, 6])],
               [helper.make_tensor_value_info("y", proto.FLOAT, None)], opset=17)
    numpy = require("numpy")
    out = session(str(path)).run(None, {"x": numpy.zeros((1, 1, 6), numpy.float32)})[0]
    assert out.shape == (1, 1, 2)
    assert network(str(path), framework="onnxruntime").output == (1, 1, 2)
    assert network(str(path), framework="onnx").output == (1, 1, 3)  # the model's opset: 17


def test_cli_opset_option() -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["maxpool1d", "--i", "6", "--k", "1", "--s", "3", "--ceil-mode", "-f", "onnx",
                                  "--opset", "17"])
    assert result.exit_code == 0, result.output
    assert "operator spec before opset 22" in result.output and "input 6 -> output 3" in result.output
    assert "opset 22 (MaxPool-22, AveragePool-22, LpPool-22) gives 2" in result.output
    latest = runner.invoke(main, ["maxpool1d", "--i", "6", "--k", "1", "--s", "3", "--ceil-mode", "-f", "onnx"])
    assert "input 6 -> output 2" in latest.output and "opsets before 22" in latest.output
    wrong = runner.invoke(main, ["maxpool1d", "--i", "6", "--k", "1", "--opset", "17", "--json"])
    assert wrong.exit_code == 2 and '"rule": "option-not-applicable"' in wrong.output


@pytest.mark.parametrize("opset, op, name, value", [
    (9, "MaxPool", "ceil_mode", 1), (10, "MaxPool", "ceil_mode", 1), (9, "MaxPool", "dilations", [2]),
    (10, "MaxPool", "dilations", [2]), (7, "MaxPool", "storage_order", 0), (8, "MaxPool", "storage_order", 0),
    (9, "AveragePool", "ceil_mode", 1), (10, "AveragePool", "ceil_mode", 1), (18, "AveragePool", "dilations", [2]),
    (19, "AveragePool", "dilations", [2]), (7, "AveragePool", "count_include_pad", 1),
    (17, "LpPool", "ceil_mode", 1), (18, "LpPool", "ceil_mode", 1), (17, "LpPool", "dilations", [2]),
    (18, "LpPool", "dilations", [2]),
])
def test_a_pooling_attribute_newer_than_the_model_is_refused(tmp_path: Path, opset: int, op: str, name: str,
                                                             value: Any) -> None:
    # onnxruntime 1.32 refuses the model ("Unrecognized attribute: dilations for operator MaxPool"), as
    # onnx.checker does; convshape names the attribute and the opset that introduced it, both frameworks
    onnx = require("onnx")
    helper, proto = onnx.helper, onnx.TensorProto
    node = helper.make_node(op, ["x"], ["y"], kernel_shape=[3], **{name: value})
    path = tmp_path / "pool.onnx"
    make_model(path, [node], [helper.make_tensor_value_info("x", proto.FLOAT, [1, 1, 7])],
               [helper.make_tensor_value_info("y", proto.FLOAT, None)], opset=opset)
    numpy = require("numpy")
    feeds = {"x": numpy.zeros((1, 1, 7), numpy.float32)}
    try:
        shape: tuple[int, ...] | None = session(str(path)).run(None, feeds)[0].shape
    except Exception as exc:  # onnxruntime's own refusal
        assert "Unrecognized attribute" in str(exc) or "invalid model" in str(exc), exc
        shape = None
    for framework in ("onnxruntime", "onnx"):
        report = network(str(path), framework=framework)
        assert report.output == shape, (framework, report.output, shape)
        if shape is None:
            assert any(layer.error and f"Unrecognized attribute: {name} for operator {op}" in layer.error
                       for layer in report.layers)
