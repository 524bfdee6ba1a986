"""Max / average / LP pooling: seed examples, golden values per framework, messages, properties.

Golden values were produced by running the real frameworks (torch 2.13.0 CPU; tensorflow-cpu
2.21.0 and keras 3.15.1; jax 0.10.2; onnx 1.23.2 with onnxruntime 1.31.1, opset 22), except
Caffe's, which follow BVLC/caffe master's src/caffe/layers/pooling_layer.cpp (Caffe was not run).
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from convshape import ShapeError
from convshape.api.pooling import pool, pool_compare

SEED_004 = "004_4cc0a9f496c36c00.txt"


# --- seed 004: max pooling, tf.nn.max_pool, max_pool_with_argmax ------------------------------
def test_seed004_max_pool_3x3_window_2_stride_1():
    """seed 004: [[1,2,3],[4,5,6],[7,8,9]], a 2x2 max pool with stride 1 -> [[5,6],[8,9]] (2x2)."""
    result = pool("max", 3, 2, 1, ndim=2)
    assert result.output == (2, 2)
    grid = [[1, 2, 3], [4, 5, 6], [7, 8, 9]]
    rows, cols = (a.windows for a in result.axes)
    values = [[max(grid[r][c] for r in range(max(0, wr.start), wr.end) for c in range(max(0, wc.start), wc.end))
               for wc in cols] for wr in rows]
    assert values == [[5, 6], [8, 9]]


def test_seed004_tf_max_pool_same_64x32x32x4():
    """seed 004: tf.nn.max_pool on [64, 32, 32, 4], ksize 2, stride 2, SAME -> (64, 16, 16, 4)."""
    assert pool("max", (32, 32), 2, 2, "same", framework="tf").output == (16, 16)


def test_seed004_tf_max_pool_with_argmax_1x4x4x3():
    """seed 004: tf.nn.max_pool_with_argmax on [1, 4, 4, 3], ksize 2, stride 2, SAME -> (1, 2, 2, 3)."""
    result = pool("max", (4, 4), 2, 2, "same", framework="tensorflow")
    assert result.output == (2, 2)
    assert [(a.pad_before, a.pad_after) for a in result.axes] == [(0, 0), (0, 0)]


# --- golden values per framework --------------------------------------------------------------
# (framework, kind, input, kernel, stride, padding, dilation, ceil_mode, expected output or error regex)
GOLDEN = [
    # torch 2.13.0 (F.max_pool / avg_pool / lp_pool on CPU)
    ("torch", "max", (5, 5), 2, 2, None, 1, True, (3, 3)),
    ("torch", "max", (4, 4), 2, 2, 1, 1, True, (3, 3)),
    ("torch", "max", (5,), 2, 2, 1, 1, True, (3,)),  # ceil gives 4; the 4th would start in the padding
    ("torch", "max", (9, 9), 3, 1, 2, 2, False, r"pad should be smaller than or equal to half of kernel size"),
    ("torch", "max", (9,), 3, 1, 2, 2, False, r"max_pool1d\(\) padding should be at most half of kernel size"),
    ("torch", "avg", (6,), 3, 2, 1, 1, True, (4,)),
    ("torch", "avg", (2, 2, 2), 3, 1, 1, 1, False, r"input image \(T: 2 H: 2 W: 2\) smaller than kernel size"),
    ("torch", "max", (2, 2, 2), 3, 1, 1, 1, False, (2, 2, 2)),
    ("torch", "lp", (7,), 2, 3, None, 1, False, (2,)),
    ("torch", "lp", (5,), 2, 2, None, 1, True, (3,)),
    ("torch", "max", (112, 112), 3, 2, None, 1, False, (55, 55)),
    ("torch", "max", (112, 112), 3, 2, None, 1, True, (56, 56)),  # torchvision GoogLeNet's ceil_mode=True
    # tensorflow 2.21.0 (tf.nn.*_pool*d, float32)
    ("tf", "max", (7, 7), 3, 2, "valid", 1, False, (3, 3)),
    ("tf", "max", (7, 7), 3, 2, "same", 1, False, (4, 4)),
    ("tf", "avg", (10,), 4, 3, "same", 1, False, (4,)),
    ("tf", "avg", (5, 6, 7), 2, 2, "valid", 1, False, (2, 3, 3)),
    ("tf", "max", (5, 5), 3, 2, "0:2", 1, False, (3, 3)),
    ("tf", "avg", (1,), 4, 2, "valid", 1, False, (0,)),  # an empty tensor (C++ truncation)
    ("tf", "max", (2,), 5, 1, "valid", 1, False, r"Computed output size would be negative: -2 \[input_size: 2"),
    ("tf", "max", (7, 7), 3, 1, "3:0,0", 1, False, r"Top padding 3 needs to be smaller than the window size 3"),
    ("tf", "avg", (7, 7), 3, 1, 1, 1, False, r"tf.nn.avg_pool2d takes padding 'SAME' or 'VALID' only"),
    ("tf", "max", (7, 7, 7), 3, 1, 1, 1, False, r"tf.nn.max_pool3d takes padding 'SAME' or 'VALID' only"),
    ("tf", "max", (7, 7), 3, 0, "valid", 1, False, r"Stride must be > 0, but got 0"),
    ("tf", "max", (2, 2), 3, 2, "valid", 1, False, (0, 0)),  # the empty tensor (Eigen, TF's CPU default; oneDNN fails)
    # keras 3.15.1 (layers on a symbolic keras.Input)
    ("keras", "max", (7, 7), 2, None, None, 1, False, (3, 3)),
    ("keras", "avg", (10,), 3, 2, "same", 1, False, (5,)),
    ("keras", "max", (5, 6, 7), 3, 1, None, 1, False, (3, 4, 5)),
    ("keras", "max", (2, 2), 3, 2, None, 1, False, r"Computed output size would be zero or negative"),
    ("keras", "max", (2, 2), 3, 2, "same", 1, False, (1, 1)),
    # jax 0.10.2 (lax.reduce_window shapes)
    ("jax", "max", (7,), 3, 2, "valid", 1, False, (3,)),
    ("jax", "max", (7,), 3, 2, "same", 1, False, (4,)),
    ("jax", "max", (7,), 3, 2, "same", 2, False, (4,)),
    ("jax", "max", (7, 9), 2, 1, "valid", 3, False, (4, 6)),
    ("jax", "max", (2,), 5, 1, "valid", 1, False, (0,)),  # empty, never an error
    ("jax", "max", (7,), 3, 2, "-2:1", 1, False, (2,)),
    ("jax", "max", (2,), 1, 1, "-3:0", 1, False, (0,)),
    # onnx 1.23.2 / onnxruntime 1.31.1 (MaxPool, AveragePool, LpPool)
    ("onnx", "max", (7,), 3, None, None, 1, False, (5,)),  # strides default to 1
    ("onnx", "max", (6,), 3, 2, None, 1, True, (3,)),
    ("onnx", "max", (5,), 2, 2, "1:1", 1, True, (3,)),
    ("onnx", "avg", (6,), 3, 4, "valid", 1, True, (2,)),
    ("onnx", "avg", (7,), 2, 3, "same-lower", 1, False, (3,)),
    ("onnx", "lp", (9,), 3, 2, "2:0", 2, False, (4,)),
    ("onnx", "max", (2,), 3, 2, None, 1, False, (1,)),  # truncation toward zero keeps a window
    ("onnx", "max", (1,), 4, 2, None, 1, False, (0,)),
    ("onnxruntime", "max", (1,), 5, 2, None, 1, False, r"Calculated output dimension is negative"),
    ("onnxruntime", "max", (7,), 3, None, "3:0", 1, False, r"Pad should be smaller than kernel"),
    ("onnx", "max", (1,), 5, 2, None, 1, False, r"shape inference gives a negative output size"),
    ("onnx", "max", (7,), 3, 0, None, 1, False, r"Attribute strides must only contain positive values"),
    # Caffe, from BVLC/caffe pooling_layer.cpp (round_mode CEIL by default; stride default 1)
    ("caffe", "max", (112, 112), 3, 2, None, 1, None, (56, 56)),
    ("caffe", "max", (55, 55), 3, 2, None, 1, None, (27, 27)),
    ("caffe", "max", (6, 6), 3, 2, None, 1, None, (3, 3)),
    ("caffe", "max", (6, 6), 3, 2, None, 1, False, (2, 2)),
    ("caffe", "max", (5, 5), 1, 3, None, 1, None, (3, 3)),  # no padding: the window past the input stays
    ("caffe", "max", (5, 5), 2, 2, 1, 1, None, (3, 3)),  # with padding it is dropped
    ("caffe", "avg", (7, 7), 3, None, None, 1, None, (5, 5)),
    ("caffe", "max", (7, 7), 3, 1, 3, 1, None, r"Check failed: pad_h_ < kernel_h_ \(3 vs. 3\)"),
    ("caffe", "max", (7,), 3, 1, None, 1, None, r"pools over 2-D inputs, not 1-D"),
]


@pytest.mark.parametrize("framework, kind, size, kernel, stride, padding, dilation, ceil_mode, expected", GOLDEN)
def test_golden(framework, kind, size, kernel, stride, padding, dilation, ceil_mode, expected):
    call = lambda: pool(kind, size, kernel, stride, padding, dilation, ceil_mode,  # noqa: E731
                        framework=framework, ndim=len(size))
    if isinstance(expected, str):
        with pytest.raises(ShapeError, match=expected) as info:
            call()
        assert info.value.framework == framework
    else:
        assert call().output == expected


# --- padding split, divisors, ceil_mode's last window ----------------------------------------
@pytest.mark.parametrize("framework, padding, pads", [
    ("tf", "same", (0, 1)), ("jax", "same", (0, 1)), ("onnx", "same-upper", (0, 1)),
    ("onnx", "same-lower", (1, 0)), ("jax", "same-lower", (1, 0)), ("keras", "same", (0, 1)),
])
def test_same_split(framework, padding, pads):
    """i=4, k=2, s=1: one cell of padding, at the end (SAME, SAME_UPPER) or the start (SAME_LOWER);
    onnxruntime's values show the side: SAME_UPPER [2,3,4,4], SAME_LOWER [1,2,3,4] on 1..4."""
    axis = pool("max", 4, 2, 1, padding, framework=framework, ndim=1).axes[0]
    assert (axis.pad_before, axis.pad_after) == pads and axis.output == 4


@pytest.mark.parametrize("framework, cip, divisors", [
    ("onnx", False, [1, 2, 2, 1]),  # onnxruntime: [1.0, 1.5, 2.5, 3.0] on 1..3
    ("onnx", True, [2, 2, 2, 2]),  # count_include_pad=1: [0.5, 1.5, 2.5, 1.5]
    ("torch", None, [2, 2, 2, 2]),  # torch's default count_include_pad=True
    ("torch", False, [1, 2, 2, 1]),
    ("jax", None, [2, 2, 2, 2]),  # flax.linen.avg_pool divides by the window size
])
def test_average_divisors(framework, cip, divisors):
    result = pool("avg", 3, 2, 1, 1 if framework == "torch" else "1:1", framework=framework, ndim=1,
                  count_include_pad=cip)
    assert [w.divisor for w in result.axes[0].windows] == divisors


def test_tf_same_average_excludes_padding():
    """tf.nn.avg_pool1d(arange(3), 2, 1, 'SAME') = [0.5, 1.5, 2.0]: the last window divides by 1."""
    result = pool("avg", 3, 2, 1, "same", framework="tf", ndim=1)
    assert result.count_include_pad is False
    sums = [sum(range(max(0, w.start), min(3, w.end))) for w in result.axes[0].windows]
    assert [s / w.divisor for s, w in zip(sums, result.axes[0].windows)] == [0.5, 1.5, 2.0]


@pytest.mark.parametrize("framework, cip, message", [
    ("tf", True, r"always excludes padded cells"),
    ("keras", True, r"always excludes padded cells"),
    ("caffe", False, r"always counts padded cells"),
])
def test_fixed_count_include_pad_is_rejected(framework, cip, message):
    with pytest.raises(ShapeError, match=message):
        pool("avg", 6, 2, 2, None, framework=framework, ndim=2, count_include_pad=cip)


def test_count_include_pad_is_for_average_pooling_only():
    with pytest.raises(ShapeError, match="average pooling only"):
        pool("max", 6, 2, count_include_pad=True)


def test_torch_ceil_mode_drops_a_window_starting_in_the_padding():
    axis = pool("max", 5, 2, 2, 1, ceil_mode=True).axes[0]
    assert (axis.floor_output, axis.ceil_output, axis.output) == (3, 4, 3)
    assert axis.last_window_dropped and "would start at 5" in axis.dropped_reason


def test_caffe_keeps_a_window_past_the_input_without_padding():
    result = pool("max", (5, 5), 1, 3, framework="caffe")
    assert result.output == (3, 3) and not result.axes[0].last_window_dropped
    assert any("past the input" in n for n in result.notes)
    assert pool("max", (5, 5), 1, 3, ceil_mode=True).output == (2, 2)  # torch drops it


@pytest.mark.parametrize("framework, kind, message", [
    ("tf", "lp", r"has no LP"), ("keras", "lp", r"has no LP"), ("caffe", "lp", r"has no LP"),
    ("tf", "max", r"has no ceil_mode"), ("keras", "avg", r"has no ceil_mode"), ("jax", "max", r"has no ceil_mode"),
])
def test_unsupported(framework, kind, message):
    with pytest.raises(ShapeError, match=message):
        pool(kind, (8, 8), 2, 2, None, 1, True, framework=framework)


@pytest.mark.parametrize("framework, kind, padding, dilation, message", [
    ("torch", "avg", 0, 2, r"F.avg_pool2d takes no dilation"),
    ("torch", "lp", 1, 1, r"F.lp_pool2d takes no padding"),
    ("torch", "max", "same", 1, r"takes an integer padding"),
    ("torch", "max", "0:1", 1, r"pads both sides equally"),
    ("tf", "max", 0, 2, r"takes no dilation"),
    ("keras", "max", 1, 1, r"Argument `padding` must be either 'valid' or 'same'"),
    ("caffe", "max", "same", 1, r"takes pad"),
    ("onnx", "max", "-1:0", 1, r"Attribute pads must not contain negative values"),
])
def test_framework_specific_rejections(framework, kind, padding, dilation, message):
    with pytest.raises(ShapeError, match=message):
        pool(kind, (8, 8), 3, 1, padding, dilation, framework=framework)


def test_notes():
    assert any("strides default to 1" in n for n in pool("max", 7, 3, framework="onnx").notes)
    assert any("undilated kernel and gives output 5" in n
               for n in pool("max", 7, 3, 1, "same", 2, framework="onnx", ndim=1).notes)
    assert any("padding values must be non-negative" in n
               for n in pool("max", 5, 1, 3, "same", framework="onnx", ndim=1).notes)
    assert any("no default stride" in n for n in pool("max", 8, 2, framework="tf", ndim=2).notes)
    assert any("scaled up" in n for n in pool("lp", 6, 3, 2, ceil_mode=True, ndim=1).notes)
    assert any("reads no input cell" in n for n in pool("max", 1, 2, 1, 1, 2, True, ndim=1).notes)
    assert pool("max", 2, 3, 1, framework="jax", ndim=1).warnings  # empty output


def test_windows_are_capped_for_large_outputs():
    axis = pool("max", 10_000, 3, 2, ndim=1).axes[0]
    assert axis.output == 4999 and len(axis.windows) == 16
    assert axis.windows[-1].index == 4998 and axis.windows[-1].start == 9996
    assert pool("max", 10_000, 3, 2, ndim=1).to_dict()["axes"][0]["windows_complete"] is False


def test_json_contract():
    d = pool("avg", (6, 7), 3, 2, 1, ceil_mode=True).to_dict()
    assert d["op"] == "avgpool2d" and d["framework"] == "torch"
    assert d["input"] == [6, 7] and d["output"] == [4, 4] and d["ceil_mode"] is True
    assert d["count_include_pad"] is True and "norm_type" not in d
    axis = d["axes"][0]
    for key in ("input", "kernel", "stride", "dilation", "pad_before", "pad_after", "output", "ceil_mode",
                "floor_output", "ceil_output", "last_window_dropped", "dropped_reason", "windows"):
        assert key in axis
    assert pool("lp", 6, 2, norm_type=3).to_dict()["norm_type"] == 3.0


def test_compare_shows_every_framework():
    result = pool_compare("max", (112, 112), 3, 2)
    by_name = {r.framework: r for r in result.rows}
    assert list(by_name) == ["torch", "tf", "keras", "jax", "onnx", "onnxruntime", "caffe"]
    assert by_name["torch"].result.output == (55, 55) and by_name["caffe"].result.output == (56, 56)
    assert set(result.outputs) == {(55, 55), (56, 56)}
    d = result.to_dict()
    assert d["agree"] is False and d["frameworks"][0]["framework"] == "torch"
    rejected = pool_compare("lp", (8, 8), 2)
    assert {r.framework for r in rejected.rows if r.error} == {"tf", "keras", "caffe"}


def test_compare_raises_usage_errors():
    with pytest.raises(ShapeError) as info:
        pool_compare("max", "x", 3)
    assert info.value.framework is None


def test_unknown_kind():
    with pytest.raises(ShapeError, match="unknown pooling kind"):
        pool("median", 5, 2)
    assert pool("average", 6, 2).kind == "avg"


# --- properties -------------------------------------------------------------------------------
sizes = st.integers(1, 200)
kernels = st.integers(1, 9)
strides = st.integers(1, 6)
dilations = st.integers(1, 3)


@given(sizes, kernels, strides, st.integers(0, 4), dilations, st.sampled_from(["torch", "onnx", "caffe"]))
def test_ceil_mode_adds_at_most_one_window(size, kernel, stride, pad, dilation, framework):
    if framework == "caffe":
        dilation = 1
    pad = min(pad, kernel // 2 if framework == "torch" else kernel - 1)
    args = {"framework": framework, "ndim": 1}
    try:
        floor = pool("max", size, kernel, stride, pad, dilation, False, **args).output[0]
        ceil = pool("max", size, kernel, stride, pad, dilation, True, **args).output[0]
    except ShapeError:
        return
    assert floor <= ceil <= floor + 1


@given(sizes, kernels, strides, st.integers(0, 4), dilations, st.sampled_from(["torch", "onnx"]))
def test_last_window_starts_inside_input_or_left_padding(size, kernel, stride, pad, dilation, framework):
    pad = min(pad, kernel // 2)
    try:
        result = pool("max", size, kernel, stride, pad, dilation, True, framework=framework, ndim=1)
    except ShapeError:
        return
    axis = result.axes[0]
    if axis.output:
        assert (axis.output - 1) * stride - pad < size  # the last window starts before the input's end
        assert not axis.last_window_dropped or axis.ceil_output == axis.output + 1


@given(sizes, kernels, strides, dilations, st.sampled_from(["tf", "keras", "jax", "onnx"]))
def test_same_gives_ceil_input_over_stride(size, kernel, stride, dilation, framework):
    if framework in ("tf", "keras"):
        dilation = 1
    axis = pool("max", size, kernel, stride, "same", dilation, framework=framework, ndim=1).axes[0]
    assert axis.output == -(-size // stride)
    assert axis.pad_before <= axis.pad_after <= axis.pad_before + 1


@given(sizes, kernels, strides, st.integers(0, 4), dilations, st.booleans())
def test_windows_cover_kernel_taps(size, kernel, stride, pad, dilation, ceil_mode):
    try:
        axis = pool("max", size, kernel, stride, [(pad, pad)], dilation, ceil_mode, framework="jax"
                    if not ceil_mode else "onnx", ndim=1).axes[0]
    except ShapeError:
        return
    assert len(axis.windows) == (axis.output if axis.output <= 64 else 16)
    for w in axis.windows:
        assert w.input_taps + w.left_pad_taps + w.right_pad_taps + w.outside_taps == kernel
        assert w.end - w.start == dilation * (kernel - 1) + 1


@given(sizes, kernels, strides, st.integers(0, 3), st.booleans())
def test_output_grows_with_the_input(size, kernel, stride, pad, ceil_mode):
    pad = min(pad, kernel // 2)
    try:
        small = pool("avg", size, kernel, stride, pad, ceil_mode=ceil_mode, ndim=1).output[0]
        large = pool("avg", size + 1, kernel, stride, pad, ceil_mode=ceil_mode, ndim=1).output[0]
    except ShapeError:
        return
    assert small <= large <= small + 1
