"""Single-node ONNX models, op by op, run live: onnxruntime 1.32 and onnx 1.23.2's shape inference
(strict) must still give the recorded answer, and convshape's -f onnxruntime / -f onnx must give it
too. Each case is a discrepancy a differential fuzz found (random single-node models of every
supported op, several opsets each, against both authorities); SPEC_DIFFERS marks where convshape's
-f onnx deliberately refuses what shape inference lets through (an axis or scale the operator's text
rules out, which shape inference does not check; or, for Resize, the registry's rule, which takes
onnxruntime's mode ranks for both) and only onnxruntime is compared."""

from __future__ import annotations

from pathlib import Path
from typing import Any, NamedTuple

import pytest
from onnx_tools import require

from convshape.errors import ShapeError
from convshape.models.onnx_model import open_model, resolve_inputs

REJECT = "reject"
SPEC_DIFFERS = "spec-differs"
#: shape inference gives the output no shape (GlobalLpPool-1, GroupNormalization): -f onnx is not compared
SPEC_UNKNOWN = "spec-unknown"
I32_MAX, I64_MAX = 2**31 - 1, 2**63 - 1

Shapes = tuple[tuple[int, ...], ...]


class Case(NamedTuple):
    op: str
    opset: int
    x: tuple[int, ...]
    attrs: dict[str, Any]
    inputs: tuple[Any, ...]  # (values, dtype) initializers after x; None: an omitted optional input
    ort: Shapes | str
    spec: Shapes | str
    outputs: int = 1


FLOAT, INT = "float32", "int64"


def ints(*v: int) -> tuple[list[int], str]:
    return list(v), INT


def floats(*v: float) -> tuple[list[float], str]:
    return list(v), FLOAT


def zeros(*shape: int) -> tuple[Any, str]:
    return ("zeros", shape), FLOAT


def scalar(v: int) -> tuple[int, str]:
    return v, INT


CASES: dict[str, Case] = {
    # Flatten counted a negative axis as axis % (r + 1): -1 on 5x5x2 gave 50x1
    "flatten_negative_axis": Case("Flatten", 13, (5, 5, 2), {"axis": -1}, (), ((25, 2),), ((25, 2),)),
    "flatten_axis_minus_rank": Case("Flatten", 11, (5, 3, 4), {"axis": -3}, (), ((1, 60),), ((1, 60),)),
    "flatten_negative_axis_opset_9": Case("Flatten", 9, (5, 4, 4), {"axis": -1}, (), REJECT, REJECT),
    "transpose_negative_perm": Case("Transpose", 13, (4, 5, 5), {"perm": [-1, 1, 0]}, (), REJECT, REJECT),
    "concat_without_axis": Case("Concat", 13, (2, 3), {}, (zeros(2, 3),), REJECT, REJECT),
    "concat_rank_of_an_empty_input": Case("Concat", 11, (0, 1), {"axis": -2}, (zeros(2), zeros(1, 1)), REJECT,
                                          REJECT),
    "tile_negative_repeats": Case("Tile", 13, (3, 2), {}, (ints(1, -1),), REJECT, REJECT),
    "expand_negative_size": Case("Expand", 13, (2, 1, 1), {}, (ints(-1),), REJECT, SPEC_DIFFERS),
    "trilu_rank_1": Case("Trilu", 14, (3,), {}, (), REJECT, REJECT),
    "cumsum_axis_out_of_range": Case("CumSum", 14, (2, 1, 4, 5), {}, (scalar(-5),), REJECT, SPEC_DIFFERS),
    "cumsum_axis_out_of_range_empty": Case("CumSum", 11, (0, 5), {}, (scalar(2),), ((0, 5),), SPEC_DIFFERS),
    "softmax_axis_opset_13": Case("Softmax", 13, (2, 3), {"axis": 3}, (), REJECT, REJECT),
    "logsoftmax_axis_opset_1": Case("LogSoftmax", 1, (1, 1), {"axis": -3}, (), REJECT, ((1, 1),)),
    "logsoftmax_default_axis_rank_1_opset_1": Case("LogSoftmax", 1, (4,), {}, (), REJECT, ((4,),)),
    "hardmax_axis_opset_1_empty": Case("Hardmax", 1, (1, 0, 4, 2), {"axis": 4}, (), ((1, 0, 4, 2),),
                                       ((1, 0, 4, 2),)),
    "squeeze_empty_axes_input": Case("Squeeze", 13, (1, 3, 1, 2), {}, (ints(),), ((3, 2),), ((1, 3, 1, 2),)),
    "split_18_without_num_outputs": Case("Split", 18, (6, 6, 2), {"axis": -1}, (), REJECT, REJECT, 2),
    "split_18_num_outputs_not_outputs": Case("Split", 18, (5, 1), {"num_outputs": 3}, (), REJECT, SPEC_DIFFERS, 2),
    "pad_duplicate_axes": Case("Pad", 19, (1, 3), {}, (ints(2, 2, -2, 2, 1, 2), None, ints(0, 1, 0)), REJECT, REJECT),
    "pad_edge_cropped_past_nothing": Case("Pad", 13, (2,), {"mode": "edge"}, (ints(1, -3),), REJECT, ((0,),)),
    "pad_edge_cropped_to_nothing": Case("Pad", 13, (2, 3), {"mode": "edge"}, (ints(0, 0, -2, 0),), REJECT,
                                        ((0, 3),)),
    "pad_wrap_empty_input": Case("Pad", 19, (4, 0), {"mode": "wrap"}, (ints(1, 0, 0, 0),), REJECT, ((5, 0),)),
    "pad_reflect_sliced_past_the_rest": Case("Pad", 13, (3,), {"mode": "reflect"}, (ints(-1, 4),), REJECT, ((6,),)),
    "pad_reflect_empty_input": Case("Pad", 11, (4, 0, 2), {"mode": "reflect"}, (ints(4, 3, -2, 4, -3, 4),),
                                    ((12, 0, 4),), ((12, 0, 4),)),
    "pad_edge_empty_axis_left_empty": Case("Pad", 13, (5, 0, 3, 1), {"mode": "edge"},
                                           (ints(1, 3, -2, -3, 4, -3, 4, 3),), ((10, 0, 5, 1),), ((10, 0, 5, 1),)),
    "topk_1_k_0": Case("TopK", 1, (1, 0, 5), {"axis": 1, "k": 0}, (), REJECT, REJECT, 2),
    "global_lp_pool_opset_1": Case("GlobalLpPool", 1, (1, 2, 3, 3), {}, (), REJECT, SPEC_UNKNOWN),
    "global_lp_pool_opset_22": Case("GlobalLpPool", 22, (1, 2, 3, 3), {}, (), REJECT, ((1, 2, 1, 1),)),
    "global_avg_pool_no_channels": Case("GlobalAveragePool", 1, (2, 0, 3), {}, (), REJECT, ((2, 0, 1),)),
    "max_unpool_indices_shape": Case("MaxUnpool", 11, (1, 2, 3), {"kernel_shape": [2], "strides": [1]},
                                     (ints(*[0] * 8),), REJECT, ((1, 2, 4),)),
    "max_6_does_not_broadcast": Case("Max", 7, (2, 1, 1, 3), {}, (zeros(3),), REJECT, SPEC_DIFFERS),
    "slice_int_max_end_negative_step": Case("Slice", 11, (6,), {}, (ints(I32_MAX), ints(I32_MAX), ints(0), ints(-2)),
                                            ((3,),), ((0,),)),
    "slice_int64_max_end_negative_step": Case("Slice", 13, (5, 7), {},
                                              (ints(-(2**31), I64_MAX), ints(I64_MAX, 5), None, ints(-3, 2)),
                                              ((1, 0),), ((0, 0),)),
    "slice_empty_axis_negative_step": Case("Slice", 13, (0, 0), {}, (ints(I32_MAX), ints(I64_MAX), ints(-1), ints(-2)),
                                           ((0, 0),), ((0, 0),)),
    "resize_linear_1d": Case("Resize", 13, (7,), {"mode": "linear"}, (None, floats(2.0)), REJECT, ((14,),)),
    "resize_cubic_3d": Case("Resize", 13, (2, 3, 4), {"mode": "cubic"}, (None, floats(1, 1, 2)), REJECT,
                            SPEC_DIFFERS),  # shape inference: 2x3x8
    "resize_linear_4d_outer_and_inner_1": Case("Resize", 10, (1, 2, 2, 2), {"mode": "linear"}, (floats(1, 2, 2, 1),),
                                               ((1, 4, 4, 2),), ((1, 4, 4, 2),)),
    "resize_linear_4d_channels_and_spatial": Case("Resize", 10, (1, 2, 2, 2), {"mode": "linear"},
                                                  (floats(1, 2, 2, 2),), REJECT, ((1, 4, 4, 4),)),
    "upsample_scale_below_1": Case("Upsample", 9, (1, 2, 2, 2), {"mode": "nearest"}, (floats(1, 0.5, 2, 2),), REJECT,
                                   ((1, 1, 4, 4),)),
    "resize_sizes_0": Case("Resize", 13, (2, 3), {"mode": "nearest"}, (None, None, ints(2, 0)), REJECT, ((2, 0),)),
    "resize_policy_rank_2": Case("Resize", 18, (6, 6), {"mode": "linear", "keep_aspect_ratio_policy": "not_larger"},
                                 (None, None, ints(9, 3)), ((3, 3),), ((3, 3),)),
    "resize_duplicate_axes": Case("Resize", 19, (7, 2, 1), {"mode": "nearest", "axes": [-2, 1]},
                                  (None, floats(2.0, 0.29)), REJECT, REJECT),
    "argmax_empty_axis": Case("ArgMax", 13, (1, 1, 0), {"axis": -1}, (), REJECT, ((1, 1, 1),)),
    "argmin_empty_axis_empty_output": Case("ArgMin", 13, (0, 4, 0, 1), {"axis": 2}, (), ((0, 4, 1, 1),),
                                           ((0, 4, 1, 1),)),
    "instance_norm_rank_2": Case("InstanceNormalization", 6, (3, 3), {}, (zeros(3), zeros(3)), REJECT, ((3, 3),)),
    "instance_norm_scale_size": Case("InstanceNormalization", 22, (3, 3, 1, 2), {}, (zeros(4), zeros(4)), REJECT,
                                     ((3, 3, 1, 2),)),
    "group_norm_18_scale_size": Case("GroupNormalization", 18, (2, 4, 2), {"num_groups": 1}, (zeros(2), zeros(2)),
                                     REJECT, SPEC_UNKNOWN),
    "group_norm_empty": Case("GroupNormalization", 21, (2, 0, 2), {"num_groups": 2}, (zeros(0), zeros(0)), REJECT,
                             SPEC_UNKNOWN),
    "layer_norm_scale_not_broadcast": Case("LayerNormalization", 17, (1, 2, 1), {"axis": -3}, (zeros(2),), REJECT,
                                           ((1, 2, 1),)),
    "layer_norm_scale_wider_than_axes": Case("LayerNormalization", 17, (1, 2, 4), {}, (zeros(2, 4),), ((1, 2, 4),),
                                             ((1, 2, 4),)),
    "layer_norm_nothing_to_normalise": Case("LayerNormalization", 17, (3, 3, 0), {"axis": 1}, (zeros(3, 0),), REJECT,
                                            ((3, 3, 0),)),
    "batchnorm_rank_1_one_channel": Case("BatchNormalization", 15, (3,), {}, (zeros(1),) * 4, ((3,),), ((3,),)),
    "batchnorm_rank_1_three_channels": Case("BatchNormalization", 15, (3,), {}, (zeros(3),) * 4, REJECT, REJECT),
    "prelu_broadcasts_both_ways_in_onnxruntime": Case("PRelu", 16, (3,), {}, (zeros(2, 1, 1),), ((2, 1, 3),),
                                                      SPEC_DIFFERS),
}


def build(case: Case, path: Path) -> str:
    onnx = require("onnx")
    np = require("numpy")
    helper, numpy_helper = onnx.helper, onnx.numpy_helper
    names, inits = ["x"], []
    for i, given in enumerate(case.inputs):
        if given is None:
            names.append("")
            continue
        values, dtype = given
        if isinstance(values, tuple) and values[0] == "zeros":
            array = np.zeros(values[1], dtype)
        else:
            array = np.array(values, dtype)
        inits.append(numpy_helper.from_array(array, f"i{i}"))
        names.append(f"i{i}")
    if case.op == "MaxUnpool":  # indices one longer than X on the last axis
        inits[0] = numpy_helper.from_array(np.zeros((1, 2, 4), np.int64), "i0")
    outputs = [f"y{i}" for i in range(case.outputs)]
    node = helper.make_node(case.op, names, outputs, **case.attrs)
    graph = helper.make_graph([node], "g", [helper.make_tensor_value_info("x", onnx.TensorProto.FLOAT, list(case.x))],
                              [helper.make_empty_tensor_value_info(o) for o in outputs], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", case.opset)], ir_version=8)
    onnx.save(model, str(path))
    return str(path)


def onnxruntime_answer(path: str, x: tuple[int, ...]) -> Shapes | str:
    ort = require("onnxruntime")
    np = require("numpy")
    options = ort.SessionOptions()
    options.log_severity_level = 4
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
    try:
        sess = ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])
        return tuple(tuple(o.shape) for o in sess.run(None, {"x": np.zeros(x, np.float32)}))
    except Exception:  # noqa: BLE001 - onnxruntime's Fail / InvalidArgument / NotImplemented types
        return REJECT


def spec_answer(path: str) -> Shapes | str | None:
    """Shape inference's output shapes, its rejection, or None where it gives an output no shape."""
    onnx = require("onnx")
    try:
        inferred = onnx.shape_inference.infer_shapes(onnx.load(path), strict_mode=True)
    except Exception:  # noqa: BLE001 - InferenceError and its kin
        return REJECT
    shapes = []
    for out in inferred.graph.output:
        if not out.type.tensor_type.HasField("shape"):
            return None
        shapes.append(tuple(d.dim_value for d in out.type.tensor_type.shape.dim))
    return tuple(shapes)


def convshape_answer(path: str, framework: str, x: tuple[int, ...]) -> Shapes | str:
    try:
        model = open_model(path, framework)
        inputs = resolve_inputs(model.graph, "x".join(map(str, x)))
        if model.failure(x, inputs) is not None:
            return REJECT
        return tuple(s or () for s in model.outputs(x, inputs).values())
    except ShapeError:
        return REJECT


@pytest.mark.parametrize("name", list(CASES))
def test_op_against_onnxruntime_and_shape_inference(name: str, tmp_path: Path) -> None:
    case = CASES[name]
    path = build(case, tmp_path / f"{name}.onnx")
    assert onnxruntime_answer(path, case.x) == case.ort, "onnxruntime's answer changed"
    assert convshape_answer(path, "onnxruntime", case.x) == case.ort
    if case.spec == SPEC_UNKNOWN:
        assert spec_answer(path) is None, "shape inference now gives a shape"
        return
    if case.spec == SPEC_DIFFERS:
        assert convshape_answer(path, "onnx", case.x) == REJECT
        return
    assert spec_answer(path) == case.spec, "shape inference's answer changed"
    assert convshape_answer(path, "onnx", case.x) == case.spec


def shape_chain(path: Path, x: tuple[int, ...], ops: list[tuple[str, Any, bool]]) -> str:
    """Shape(x), then each (op, int64 constant, constant first) in turn: an exporter's shape computation."""
    onnx = require("onnx")
    np = require("numpy")
    helper, numpy_helper = onnx.helper, onnx.numpy_helper
    nodes = [helper.make_node("Shape", ["x"], ["s0"])]
    inits = []
    for i, (op, constant, first) in enumerate(ops):
        inputs = [f"s{i}"]
        if constant is not None:
            inits.append(numpy_helper.from_array(np.array(constant, np.int64), f"c{i}"))
            inputs = [f"c{i}", f"s{i}"] if first else [f"s{i}", f"c{i}"]
        nodes.append(helper.make_node(op, inputs, [f"s{i + 1}"]))
    graph = helper.make_graph(nodes, "g", [helper.make_tensor_value_info("x", onnx.TensorProto.FLOAT, list(x))],
                              [helper.make_empty_tensor_value_info(f"s{len(ops)}")], inits)
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=8), str(path))
    return str(path)


def test_int64_shape_values_wrap_as_onnxruntime_computes_them(tmp_path: Path) -> None:
    """Shape values overflowing int64: onnxruntime's Pow is a double std::pow cast to int64 (3**40 gives
    -2**63), Mul and Neg wrap; convshape's values were unbounded Python integers (3**40 kept whole)."""
    np = require("numpy")
    x = (8, 9, 5, 1, 3)
    path = shape_chain(tmp_path / "wrap.onnx", x, [("Mul", 5, False), ("Pow", 3, True), ("Mul", 5, False),
                                                   ("Neg", None, False)])
    ort = require("onnxruntime")
    theirs = ort.InferenceSession(path, providers=["CPUExecutionProvider"]).run(
        None, {"x": np.zeros(x, np.float32)})[0].tolist()
    assert theirs == [-(2**63), -(2**63), -4236443047215, -1215, -71744535]
    model = open_model(path, "onnxruntime")
    _, tensors, _ = model.evaluate(x, resolve_inputs(model.graph, "x".join(map(str, x))))
    found = tensors["s4"]
    assert found is not None and list(found.value or ()) == theirs


def test_a_huge_integer_power_is_not_computed_whole(tmp_path: Path) -> None:
    """3 ** (3 ** 27): a double overflow (no value), at once, where Python's integer power would not end."""
    path = shape_chain(tmp_path / "power.onnx", (27,), [("Pow", 3, True), ("Pow", 3, True)])
    model = open_model(path, "onnxruntime")
    _, tensors, _ = model.evaluate((27,), resolve_inputs(model.graph, "27"))
    found = tensors["s2"]
    assert found is not None and found.shape == (1,) and found.value is None
