"""ONNX models: hand-built graphs (onnx.helper) for the attributes exporters rarely write, each
checked against onnxruntime at every size of a range (and -f onnx against onnx.shape_inference
where the two differ); the commands on .onnx files through Click's CliRunner (tables at 80 and
120 columns, JSON keys, exit codes, messages)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from onnx_tools import agreement, make_model, require

from convshape import ShapeError
from convshape.cli import main
from convshape.models import network, sweep
from convshape.models.onnx_model import open_model, resolve_inputs

DATA = Path(__file__).resolve().parent / "data"
UNET = str(DATA / "onnx_zoo" / "unet_dynamo.onnx")
HEAD = str(DATA / "onnx_zoo" / "head_dynamo.onnx")


def h() -> Any:
    return require("onnx").helper


def x_input(channels: int = 1, rank: int = 2) -> Any:
    return h().make_tensor_value_info("x", 1, ["N", channels] + [f"S{i}" for i in range(rank)])


def y_output() -> Any:
    return h().make_empty_tensor_value_info("y") if hasattr(h(), "make_empty_tensor_value_info") else \
        h().make_tensor_value_info("y", 1, None)


def weight(name: str, dims: list[int]) -> Any:
    import math

    return h().make_tensor(name, 1, dims, [0.0] * math.prod(dims))


def ints(name: str, values: list[int]) -> Any:
    return h().make_tensor(name, 7, [len(values)], values)


def floats(name: str, values: list[float]) -> Any:
    return h().make_tensor(name, 1, [len(values)], values)


def conv_model(tmp_path: Path, **attrs: Any) -> str:
    node = h().make_node("Conv", ["x", "w"], ["y"], **attrs)
    k = attrs.get("kernel_shape", [3, 3])
    return make_model(tmp_path / "m.onnx", [node], [x_input()], [y_output()], [weight("w", [1, 1, *k])])


# ---------------------------------------------------------------------------- hand-built graphs vs onnxruntime
@pytest.mark.parametrize(("attrs", "accepted"), [
    ({"auto_pad": "SAME_UPPER", "kernel_shape": [3, 3], "strides": [2, 2]}, 30),
    ({"auto_pad": "SAME_LOWER", "kernel_shape": [4, 4], "strides": [2, 3]}, 30),
    ({"auto_pad": "VALID", "kernel_shape": [5, 5], "strides": [2, 2]}, 26),
    ({"kernel_shape": [3, 3], "pads": [0, 2, 1, 0], "dilations": [3, 2]}, 25),
    # onnxruntime refuses SAME with dilations (conv_attributes.h); the spec and shape inference do not
    ({"auto_pad": "SAME_UPPER", "kernel_shape": [3, 3], "dilations": [2, 2]}, 0),
])
def test_conv_auto_pad_and_dilations(tmp_path: Path, attrs: dict[str, Any], accepted: int) -> None:
    assert agreement(conv_model(tmp_path, **attrs), range(1, 31))[0] == accepted


def test_same_with_dilation_is_valid_by_the_spec(tmp_path: Path) -> None:
    path = conv_model(tmp_path, auto_pad="SAME_UPPER", kernel_shape=[3, 3], dilations=[2, 2])
    spec = network(path, input="1x1x9x9", framework="onnx")
    assert spec.ok and spec.layers[0].shape == (1, 1, 9, 9)
    runtime = network(path, input="1x1x9x9")
    assert not runtime.ok and runtime.layers[0].rule == "dilation-unsupported"
    assert "Dilation not supported for AutoPadType::SAME_UPPER" in (runtime.layers[0].error or "")


#: onnxruntime's accepted inputs in 1..24 (observed; convshape agrees size by size)
ACCEPTED_TRANSPOSED = {str({"strides": [2, 2], "output_shape": [20, 20]}): 16,
                       str({"strides": [3, 3], "output_shape": [31, 29], "auto_pad": "SAME_UPPER"}): 15,
                       str({"strides": [2, 2], "output_padding": [1, 0], "pads": [1, 1, 0, 2]}): 23,
                       str({"strides": [2, 2], "auto_pad": "SAME_LOWER"}): 24}


@pytest.mark.parametrize("attrs", [
    {"strides": [2, 2], "output_shape": [20, 20]},
    {"strides": [3, 3], "output_shape": [31, 29], "auto_pad": "SAME_UPPER"},
    {"strides": [2, 2], "output_padding": [1, 0], "pads": [1, 1, 0, 2]},
    {"strides": [2, 2], "auto_pad": "SAME_LOWER"},
])
def test_conv_transpose_output_shape_and_padding(tmp_path: Path, attrs: dict[str, Any]) -> None:
    node = h().make_node("ConvTranspose", ["x", "w"], ["y"], kernel_shape=[3, 3], **attrs)
    path = make_model(tmp_path / "m.onnx", [node], [x_input()], [y_output()], [weight("w", [1, 1, 3, 3])])
    accepted, _ = agreement(path, range(1, 25))
    assert accepted == ACCEPTED_TRANSPOSED[str(attrs)]


def test_conv_transpose_output_shape_selects_the_size(tmp_path: Path) -> None:
    """output_shape 20 with stride 2, kernel 3: onnxruntime takes every input whose generated pads
    (total max(0, full - 20)) map back to it: 9 and up (conv_transpose_attributes.h)."""
    node = h().make_node("ConvTranspose", ["x", "w"], ["y"], kernel_shape=[3, 3], strides=[2, 2],
                         output_shape=[20, 20])
    path = make_model(tmp_path / "m.onnx", [node], [x_input()], [y_output()], [weight("w", [1, 1, 3, 3])])
    result = sweep(path, "1..40")
    assert result.sizes() == list(range(9, 41))
    assert network(path, input="1x1x10x10").output == (1, 1, 20, 20)
    assert network(path, input="1x1x30x30").output == (1, 1, 20, 20)
    assert agreement(path, range(1, 41))[0] == 32


@pytest.mark.parametrize("attrs", [
    {"kernel_shape": [3, 3], "strides": [2, 2], "dilations": [2, 2], "ceil_mode": 1, "pads": [1, 1, 1, 1]},
    {"kernel_shape": [3, 2], "strides": [3, 2], "ceil_mode": 1},
    {"kernel_shape": [2, 2], "strides": [2, 2], "auto_pad": "SAME_UPPER"},
])
@pytest.mark.parametrize("op", ["MaxPool", "AveragePool"])
def test_pools_ceil_mode_and_dilations(tmp_path: Path, op: str, attrs: dict[str, Any]) -> None:
    if op == "AveragePool":  # AveragePool takes dilations from opset 19 only
        attrs = {k: v for k, v in attrs.items() if k != "dilations"}
    node = h().make_node(op, ["x"], ["y"], **attrs)
    path = make_model(tmp_path / "m.onnx", [node], [x_input()], [y_output()])
    accepted, tried = agreement(path, range(1, 41))
    assert 0 < accepted <= tried


@pytest.mark.parametrize(("inputs", "attrs", "opset"), [
    (["", "scales"], {"mode": "nearest"}, 13),
    (["", "scales"], {"mode": "linear", "coordinate_transformation_mode": "align_corners"}, 13),
    (["", "", "sizes"], {"mode": "nearest"}, 13),
    (["", "", "sizes2"], {"mode": "linear", "keep_aspect_ratio_policy": "not_larger", "axes": [2, 3]}, 18),
    (["", "", "sizes2"], {"mode": "nearest", "keep_aspect_ratio_policy": "not_smaller", "axes": [2, 3]}, 18),
])
def test_resize_scales_and_sizes(tmp_path: Path, inputs: list[str], attrs: dict[str, Any], opset: int) -> None:
    node = h().make_node("Resize", ["x", *inputs], ["y"], **attrs)
    inits = [floats("scales", [1.0, 1.0, 1.7, 0.29]), ints("sizes", [1, 1, 7, 12]), ints("sizes2", [11, 7])]
    path = make_model(tmp_path / "m.onnx", [node], [x_input()], [y_output()], inits, opset=opset)
    accepted, _ = agreement(path, range(1, 61))
    assert accepted >= 56


def test_resize_rounding_differs_between_spec_and_onnxruntime(tmp_path: Path) -> None:
    """100 x 0.29: the spec floors the double product of float32(0.29) (28), onnxruntime truncates
    a float32 product (29) (frameworks/onnxruntime.py; rules.resample)."""
    node = h().make_node("Resize", ["x", "", "scales"], ["y"], mode="nearest")
    path = make_model(tmp_path / "m.onnx", [node], [x_input()], [y_output()],
                      [floats("scales", [1.0, 1.0, 0.29, 1.0])], opset=13)
    assert network(path, input="1x1x100x4").output == (1, 1, 29, 4)
    assert network(path, input="1x1x100x4", framework="onnx").output == (1, 1, 28, 4)
    compared = network(path, input="1x1x100x4", compare=True)
    assert compared.model is not None
    assert [d["node"] for d in compared.model["compare"]] == ["Resize_0"]
    result = sweep(path, "90..110", axis=0, input="1x1x100x4", compare=True)
    assert result.compared is not None and 100 in result.compared["sizes"]


def test_pad_slice_reshape(tmp_path: Path) -> None:
    helper = h()
    nodes = [helper.make_node("Pad", ["x", "pads"], ["p"], mode="constant"),
             helper.make_node("Slice", ["p", "starts", "ends", "axes", "steps"], ["s"]),
             helper.make_node("Shape", ["s"], ["shape"]),
             helper.make_node("Gather", ["shape", "two"], ["h"], axis=0),
             helper.make_node("Unsqueeze", ["h", "zero"], ["h1"]),
             helper.make_node("Concat", ["zero", "h1", "minus"], ["target"], axis=0),
             helper.make_node("Reshape", ["s", "target"], ["y"])]
    inits = [ints("pads", [0, 0, 1, 2, 0, 0, 3, 0]), ints("starts", [-5, 0]), ints("ends", [1000, 9]),
             ints("axes", [2, 3]), ints("steps", [2, 1]), helper.make_tensor("two", 7, [], [2]),
             ints("zero", [0]), ints("minus", [-1])]
    path = make_model(tmp_path / "m.onnx", nodes, [x_input()], [y_output()], inits, opset=13)
    accepted, _ = agreement(path, range(1, 41))
    assert accepted == 40
    report = network(path, input="1x1x10x20")
    assert report.output == (1, 3, 9)  # pad H 10 -> 14, W 20 -> 22; rows -5.. step 2: 3; columns 0..9: 9


def test_depth_to_space_and_space_to_depth(tmp_path: Path) -> None:
    helper = h()
    nodes = [helper.make_node("SpaceToDepth", ["x"], ["s"], blocksize=2),
             helper.make_node("DepthToSpace", ["s"], ["y"], blocksize=2, mode="CRD")]
    path = make_model(tmp_path / "m.onnx", nodes, [x_input(2)], [y_output()])
    accepted, _ = agreement(path, range(1, 31))
    assert accepted == 15
    report = network(path, input="1x2x7x8")
    assert not report.ok and report.errors[0].rule == "spatial-divisible"


def test_broadcast_rejection(tmp_path: Path) -> None:
    node = h().make_node("Add", ["x", "b"], ["y"])
    path = make_model(tmp_path / "m.onnx", [node], [x_input()], [y_output()], [weight("b", [1, 1, 1, 5])])
    assert agreement(path, range(1, 8))[0] == 2  # W = 1 or 5
    report = network(path, input="1x1x4x3")
    assert report.errors[0].rule == "broadcast"
    assert report.errors[0].error == ("Attempting to broadcast an axis by a dimension other than 1. 3 by 5 "
                                      "({1,1,4,3} and {1,1,1,5})")


def test_split_expand_range_constant_of_shape(tmp_path: Path) -> None:
    helper = h()
    nodes = [helper.make_node("Split", ["x", "split"], ["a", "b"], axis=2),
             helper.make_node("Shape", ["b"], ["bs"], start=2),
             helper.make_node("ConstantOfShape", ["bs"], ["ones"], value=helper.make_tensor("v", 1, [1], [1.0])),
             helper.make_node("Shape", ["b"], ["as_"]),
             helper.make_node("Expand", ["ones", "as_"], ["e"]),
             helper.make_node("Size", ["e"], ["n"]),
             helper.make_node("Range", ["zero", "n", "one"], ["r"]),
             helper.make_node("Shape", ["r"], ["rs"]),
             helper.make_node("Reshape", ["e", "rs"], ["y"])]
    inits = [ints("split", [2, 3]), helper.make_tensor("zero", 7, [], [0]), helper.make_tensor("one", 7, [], [1])]
    path = make_model(tmp_path / "m.onnx", nodes, [x_input(1, 2)], [y_output()], inits, opset=15)
    report = network(path, input="1x1x5x4")
    assert report.ok and report.output == (1 * 1 * 3 * 4,)
    assert [layer.shape for layer in report.layers[:3]] == [(1, 1, 2, 4), (2,), (3, 4)]
    assert agreement(path, range(1, 10))[0] == 1  # only H = 5 splits into 2 + 3


# ---------------------------------------------------------------------------- commands
def unsupported_model(tmp_path: Path) -> str:
    helper = h()
    nodes = [helper.make_node("Relu", ["x"], ["r"], name="act"),
             helper.make_node("NonZero", ["r"], ["nz"], name="where_nonzero"),
             helper.make_node("Einsum", ["r", "r"], ["y"], equation="ij,ij->ij", name="mix")]
    return make_model(tmp_path / "odd.onnx", nodes, [x_input()], [y_output()], opset=17)


def test_unsupported_op_is_a_usage_error_naming_it(tmp_path: Path) -> None:
    path = unsupported_model(tmp_path)
    with pytest.raises(ShapeError) as info:
        network(path, input="1x1x8x8")
    assert info.value.rule == "unmodelled-op" and info.value.rule.is_usage
    assert "node 'where_nonzero' is a NonZero, opset 17" in info.value.message
    result = CliRunner().invoke(main, ["summary", path, "--i", "1x1x8x8", "--json"])
    assert result.exit_code == 2
    data = json.loads(result.output)
    assert data["rule"] == "unmodelled-op" and data["unsupported_ops"] == ["Einsum", "NonZero"]
    plain = CliRunner().invoke(main, ["sweep", path, "--range", "1..8"])
    assert plain.exit_code == 2 and "convshape does not model it" in plain.output


def test_free_size_must_be_given() -> None:
    result = CliRunner().invoke(main, ["summary", UNET])
    assert result.exit_code == 2
    assert "axis 2 ('s53'), axis 3 ('s0') are free sizes; give the whole input shape, e.g. --i 1x1x224x224" \
        in result.output
    data = json.loads(CliRunner().invoke(main, ["summary", UNET, "--json"]).output)
    assert data["rule"] == "free-dim"


def test_summary_table() -> None:
    """The plain (piped) table; tests/test_tables_width.py draws it with rich at 80 and 120 columns."""
    result = CliRunner().invoke(main, ["summary", UNET, "--i", "1x1x32x32"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == f"{UNET} · onnxruntime (CPU provider) · input 1x1x32x32 (NCHW)"
    assert lines[1] == "onnx opset 20, producer pytorch 2.13.0+cpu, 14 nodes"
    assert lines[4].split() == ["node", "op", "output", "weights", "params", "MACs", "pad", "check"]
    assert lines[5].split() == ["node_conv2d", "Conv", "1x2x32x32", "(2,", "1,", "3,", "3)", "+", "(2)", "20",
                                "18,432", "1:1,1:1"]
    assert "outputs: y 1x1x32x32" in result.output


def test_summary_json_and_failure() -> None:
    ok = json.loads(CliRunner().invoke(main, ["summary", UNET, "--i", "1x1x32x32", "--json"]).output)
    assert ok["ok"] and ok["framework"] == "onnxruntime" and ok["model"]["outputs"] == {"y": [1, 1, 32, 32]}
    assert {"name", "op", "inputs", "shape", "weight_shape", "params", "error", "rule"} <= set(ok["layers"][0])
    assert ok["params"] == sum(layer["params"] for layer in ok["layers"]) > 0
    bad = CliRunner().invoke(main, ["summary", UNET, "--i", "1x1x30x30", "--json"])
    assert bad.exit_code == 1
    data = json.loads(bad.output)
    assert data["errors"][0]["rule"] == "skip-mismatch"
    assert "Non concat axis dimensions must match: Axis 2 has mismatched dimensions of 15 and 14" == \
        data["errors"][0]["message"]
    assert any(layer["rule"] == "input-failed" for layer in data["layers"])


def test_check_models() -> None:
    result = CliRunner().invoke(main, ["check", UNET, HEAD, "--i", "1x1x64x64"])
    assert result.exit_code == 1
    assert f"ok    {UNET}" in result.output and f"FAIL  {HEAD}" in result.output
    assert "GEMM: Dimension mismatch" in result.output


def test_sweep_json() -> None:
    result = CliRunner().invoke(main, ["sweep", UNET, "--range", "1..200", "--json"])
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["valid"] == [{"start": 4, "stop": 200, "step": 4}] and data["count"] == 50
    assert data["failures"] and data["failures"][0]["rule"] == "skip-mismatch"
    head = json.loads(CliRunner().invoke(main, ["sweep", HEAD, "--range", "1..200", "--json"]).output)
    assert head["valid"] == [{"start": 31, "stop": 34, "step": 1}]


def test_sweep_one_axis_keeps_the_others() -> None:
    result = sweep(UNET, "1..64", axis=1, input="1x1x32x32")
    assert result.sizes() == list(range(4, 65, 4)) and result.input[2] == 32


def test_framework_must_be_onnx_or_onnxruntime() -> None:
    result = CliRunner().invoke(main, ["summary", UNET, "--i", "1x1x32x32", "-f", "torch"])
    assert result.exit_code == 2 and "not 'torch'" in result.output


def test_compare_on_a_spec_file_is_a_usage_error() -> None:
    result = CliRunner().invoke(main, ["summary", "examples/networks/unet.toml", "--compare"])
    assert result.exit_code == 2


def test_declared_size_is_enforced(tmp_path: Path) -> None:
    """A fixed input dim: onnxruntime refuses any other size ('Got invalid dimensions for input')."""
    helper = h()
    node = helper.make_node("Relu", ["x"], ["y"])
    path = make_model(tmp_path / "m.onnx", [node], [helper.make_tensor_value_info("x", 1, [1, 1, 8, 8])],
                      [y_output()])
    assert sweep(path, "1..20").sizes() == [8]
    assert agreement(path, range(1, 12))[0] == 1
    model = open_model(path)
    inputs = resolve_inputs(model.graph, "1x1x9x9")
    assert model.failure((1, 1, 9, 9), inputs) == (
        "x", "input-size", "Got invalid dimensions for input: x for the following indices index: 2 Got: 9 Expected: 8")


def test_summary_does_not_import_onnx_or_numpy() -> None:
    import subprocess
    import sys

    code = ("import sys; from convshape.cli import main; from click.testing import CliRunner; "
            f"r = CliRunner().invoke(main, ['summary', {UNET!r}, '--i', '1x1x32x32']); "
            "assert r.exit_code == 0, r.output; "
            "print(sorted(m for m in ('onnx', 'numpy', 'torch', 'onnxruntime') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout + out.stderr


def first_failure_without_memo(path: str, shape: tuple[int, ...]) -> tuple[str, str, str] | None:
    """The first rejection by a plain walk over every node, nothing remembered between sizes."""
    model = open_model(path)
    inputs = resolve_inputs(model.graph, shape)
    rows, _, rejected = model.evaluate(shape, inputs)
    if rejected is not None:
        return (inputs.name, str(rejected.rule), rejected.message)
    for index, result, _ in rows:
        if result is not None and result.error is not None:
            return (model.names[index], str(result.error.rule), result.error.message)
    return None


@pytest.mark.parametrize("name", ["resnet", "unet", "googlenet", "fcn", "head", "tf_pad"])
def test_sweep_memo_gives_what_a_plain_walk_gives(name: str) -> None:
    """The sweep's shortcuts (a cut's answer remembered, alike nodes evaluated once) against a
    fresh walk of the graph at every size: the same first failure, message and all."""
    path = str(DATA / "onnx_zoo" / f"{name}_dynamo.onnx")
    model = open_model(path)
    channels = model.graph.inputs[0].dims[1]  # type: ignore[index]
    for n in range(1, 70):
        shape = (1, channels, n, n)
        assert model.failure(shape, resolve_inputs(model.graph, shape)) == \
            first_failure_without_memo(path, shape), (name, n)  # type: ignore[arg-type]


def op_cases() -> list[tuple[str, int, list[Any], list[Any]]]:
    """(id, opset, nodes, initializers): one op (or a short chain) each, input x (N, 2, H, W)."""
    helper = h()
    n = helper.make_node
    i64 = helper.make_tensor
    return [
        ("maxunpool", 11, [n("MaxPool", ["x"], ["p", "i"], kernel_shape=[2, 2], strides=[2, 2]),
                           n("MaxUnpool", ["p", "i"], ["y"], kernel_shape=[2, 2], strides=[2, 2])], []),
        ("maxunpool_output_shape", 11, [n("MaxPool", ["x"], ["p", "i"], kernel_shape=[2, 2], strides=[2, 2]),
                                        n("Shape", ["x"], ["s"]),
                                        n("MaxUnpool", ["p", "i", "s"], ["y"], kernel_shape=[2, 2], strides=[2, 2])],
         []),
        ("maxunpool_pads", 11, [n("MaxPool", ["x"], ["p", "i"], kernel_shape=[3, 3], strides=[2, 2],
                                  pads=[1, 1, 1, 1]),
                                n("MaxUnpool", ["p", "i"], ["y"], kernel_shape=[3, 3], strides=[2, 2],
                                  pads=[1, 1, 1, 1])], []),
        ("maxunpool_ceil", 11, [n("MaxPool", ["x"], ["p", "i"], kernel_shape=[2, 3], strides=[2, 3], ceil_mode=1),
                                n("MaxUnpool", ["p", "i"], ["y"], kernel_shape=[2, 3], strides=[2, 3])], []),
        ("lppool", 18, [n("LpPool", ["x"], ["y"], kernel_shape=[3, 2], strides=[2, 1], pads=[1, 0, 1, 0], p=2)], []),
        ("global_pools", 17, [n("GlobalLpPool", ["x"], ["a"]), n("GlobalMaxPool", ["a"], ["y"])], []),
        ("norms", 18, [n("InstanceNormalization", ["x", "c2", "c2"], ["a"]),
                       n("GroupNormalization", ["a", "c2", "c2"], ["b"], num_groups=2),
                       n("LayerNormalization", ["b", "w1", "w1"], ["y"], axis=-1)],
         [weight("c2", [2]), weight("w1", [1])]),
        ("batchnorm", 15, [n("BatchNormalization", ["x", "c2", "c2", "c2", "c2"], ["y"])], [weight("c2", [2])]),
        ("flatten_gemm", 13, [n("Flatten", ["x"], ["f"], axis=1), n("Gemm", ["f", "w", "b"], ["y"], transB=1)],
         [weight("w", [3, 32]), weight("b", [3])]),
        ("matmul_broadcast", 13, [n("MatMul", ["x", "w"], ["y"])], [weight("w", [4, 3])]),
        ("matmul_batched", 13, [n("Transpose", ["x"], ["t"], perm=[0, 1, 3, 2]), n("MatMul", ["x", "t"], ["y"])], []),
        ("reduce_attr", 13, [n("ReduceMean", ["x"], ["a"], axes=[2], keepdims=0),
                             n("ReduceMax", ["a"], ["y"], axes=[-1], keepdims=1)], []),
        ("reduce_input", 18, [n("ReduceSum", ["x", "ax"], ["a"], keepdims=0),
                              n("ReduceL2", ["a", "empty"], ["y"], noop_with_empty_axes=1)],
         [ints("ax", [1, 3]), i64("empty", 7, [0], [])]),
        ("argmax_topk", 13, [n("ArgMax", ["x"], ["a"], axis=3, keepdims=0),
                             n("TopK", ["x", "k"], ["y", "idx"], axis=2)], [ints("k", [3])]),
        ("squeeze_unsqueeze_11", 11, [n("Unsqueeze", ["x"], ["a"], axes=[0, 3]),
                                      n("Squeeze", ["a"], ["y"], axes=[0])], []),
        ("squeeze_unsqueeze_13", 13, [n("Unsqueeze", ["x", "ax"], ["a"]), n("Squeeze", ["a", "ax"], ["y"])],
         [ints("ax", [0, 3])]),
        ("split_18", 18, [n("Split", ["x"], ["y", "b", "c"], axis=3, num_outputs=3)], []),
        ("split_even", 13, [n("Split", ["x"], ["y", "b"], axis=2)], []),
        ("upsample_9", 9, [n("Upsample", ["x", "sc"], ["y"], mode="nearest")], [floats("sc", [1.0, 1.0, 2.0, 1.5])]),
        ("resize_10", 10, [n("Resize", ["x", "sc"], ["y"], mode="nearest")], [floats("sc", [1.0, 1.0, 0.5, 2.5])]),
        ("tile_expand", 13, [n("Tile", ["x", "rep"], ["a"]), n("Expand", ["a", "shape"], ["y"])],
         [ints("rep", [1, 1, 2, 1]), ints("shape", [3, 1, 1, 1])]),
        ("pad_reflect", 13, [n("Pad", ["x", "pads"], ["y"], mode="reflect")], [ints("pads", [0, 0, 2, 1, 0, 0, 0, 3])]),
        ("pad_edge_axes", 18, [n("Pad", ["x", "pads", "", "axes"], ["y"], mode="edge")],
         [ints("pads", [1, -1, 2, 0]), ints("axes", [3, 2])]),
        ("slice_negative_steps", 13, [n("Slice", ["x", "st", "en", "ax", "sp"], ["y"])],
         [ints("st", [-1, 100]), ints("en", [-1000, 1]), ints("ax", [2, 3]), ints("sp", [-2, -3])]),
        ("depthwise_conv", 13, [n("Conv", ["x", "w"], ["y"], group=2, kernel_shape=[3, 3], strides=[2, 2],
                                  pads=[1, 0, 0, 1])], [weight("w", [4, 1, 3, 3])]),
        ("conv_transpose_groups", 13, [n("ConvTranspose", ["x", "w"], ["y"], group=2, strides=[3, 2],
                                         dilations=[2, 1], pads=[1, 0, 2, 1], output_padding=[1, 1])],
         [weight("w", [2, 2, 3, 3])]),
        ("where_broadcast", 13, [n("ReduceMax", ["x"], ["m"], axes=[3], keepdims=1),
                                 n("Greater", ["x", "m"], ["g"]), n("Where", ["g", "x", "m"], ["y"])], []),
        ("softmax_clip_prelu", 13, [n("Softmax", ["x"], ["a"], axis=1), n("Clip", ["a", "lo", "hi"], ["b"]),
                                    n("PRelu", ["b", "slope"], ["y"])],
         [helper.make_tensor("lo", 1, [], [0.0]), helper.make_tensor("hi", 1, [], [1.0]), weight("slope", [2, 1, 1])]),
    ]


@pytest.mark.parametrize("case", op_cases(), ids=lambda c: c[0])
def test_ops_agree_with_onnxruntime(tmp_path: Path, case: tuple[str, int, list[Any], list[Any]]) -> None:
    """Each op convshape models, on its own or in a short chain, against onnxruntime at every size
    1..20 (square): accepted sizes and output shapes."""
    name, opset, nodes, inits = case
    path = make_model(tmp_path / f"{name}.onnx", nodes, [x_input(2)], [y_output()], inits, opset=opset)
    accepted, tried = agreement(path, range(1, 21))
    assert accepted > 0, name


def test_sweep_axis_out_of_range_is_a_usage_error() -> None:
    result = CliRunner().invoke(main, ["sweep", UNET, "--range", "1..30", "--axis", "5"])
    assert result.exit_code == 2
    assert "the model's input has 2 spatial axes (0 to 1), but got axis=5" in result.output


def test_input_of_another_rank_is_a_usage_error() -> None:
    result = CliRunner().invoke(main, ["summary", UNET, "--i", "1x1x64"])
    assert result.exit_code == 2 and "has rank 3, but the model's input 'x' has rank 4" in result.output


def test_conv2d_does_not_load_the_model_modules() -> None:
    """Start-up: a single-layer command never imports the model readers or the ONNX shape functions."""
    import subprocess
    import sys

    code = ("import sys; from convshape.cli import main; from click.testing import CliRunner; "
            "r = CliRunner().invoke(main, ['conv2d', '--i', '64', '--k', '3']); assert r.exit_code == 0; "
            "print(sorted(m for m in sys.modules if m.startswith('convshape.models') or m.startswith('onnx')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout + out.stderr
