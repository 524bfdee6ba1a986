"""Adaptive pooling, fractional max pooling and max unpooling: seed examples, golden values
recorded from the real frameworks, rejections in the frameworks' words, and properties."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from convshape import ShapeError
from convshape.api.unpool import (adaptive_pool, adaptive_windows, fractional_max_pool, keras_adaptive_windows,
                              max_unpool, onnx_largest_index, onnx_pool_inputs, window_gaps)

# ---------------------------------------------------------------------- seed examples


def test_seed_004_max_pool_3x3_to_2x2_unpools_back_to_3x3():
    """004_4cc0a9f496c36c00.txt: a 3x3 map, max pool 2x2 stride 1 -> 2x2, unpooling -> 3x3
    (torch: MaxUnpool2d(2, stride=1) on 2x2 gives 3x3; the max pool maps 3 back to 2)."""
    result = max_unpool(2, 2, stride=1, ndim=2)
    assert result.output == (3, 3)
    assert result.valid_outputs == ((3,), (3,))  # stride 1: the only size torch accepts
    assert all(a.pool_inputs == (3,) for a in result.axes)


def test_seed_004_max_pool_with_argmax_4x4_unpools_to_4x4():
    """004_4cc0a9f496c36c00.txt: tf.nn.max_pool_with_argmax on [1, 4, 4, 3], ksize 2, stride 2,
    SAME -> (1, 2, 2, 3); unpooled -> (1, 4, 4, 3) (tensorflow-cpu 2.21 gives both)."""
    result = max_unpool(2, 2, padding="same", framework="tf", ndim=2)
    assert result.output == (4, 4)
    assert result.valid_outputs == ((3, 4), (3, 4))  # SAME pooling of 3 or 4 gives 2
    assert max_unpool(2, 2, padding="same", output_size=4, framework="tf", ndim=2).output == (4, 4)
    with pytest.raises(ShapeError, match=r"the unpooled size is the size that was pooled.* sizes 3\.\.4 only, not 5"):
        max_unpool(2, 2, padding="same", output_size=5, framework="tf", ndim=2)


def test_seed_004_unpool_with_argmax_is_wrong_when_the_input_was_odd():
    """The seed's unpool_with_with_argmax scatters into pooled * ksize: for a 5x5 input (SAME,
    ksize 2) that is 6x6, not 5x5; TF 2.21 then misplaces the maxima (VALID: scatter fails with
    'indices[10] = [0, 55] does not index into shape [1,48]')."""
    result = max_unpool(3, 2, padding="same", output_size=5, framework="tf", ndim=2)
    assert result.output == (5, 5) and result.axes[0].default == 6
    assert any("unpool_with_argmax recipe scatters into pooled size * ksize" in n for n in result.notes)
    with pytest.raises(ShapeError, match=r"sizes 4\.\.5 only, not 6"):  # VALID: 4 and 5 pool to 2
        max_unpool(2, 2, padding="valid", output_size=6, framework="tf", ndim=2)


def test_torch_docs_fractional_examples():
    """torch.nn.functional.fractional_max_pool2d's docstring, run on torch 2.13: (20, 16, 50, 32),
    kernel 3 -> 13x12 with output_size=(13, 12); kernel 3, output_ratio 0.5 -> 25x16."""
    assert fractional_max_pool("50,32", 3, output_size="13,12").output == (13, 12)
    assert fractional_max_pool("50,32", 3, output_ratio=0.5).output == (25, 16)


# ---------------------------------------------------------------------- torch golden values (torch 2.13.0, CPU)


@pytest.mark.parametrize("size, output, windows", [
    (5, 3, ((0, 2), (1, 4), (3, 5))),
    (6, 3, ((0, 2), (2, 4), (4, 6))),
    (7, 3, ((0, 3), (2, 5), (4, 7))),
    (3, 5, ((0, 1), (0, 2), (1, 2), (1, 3), (2, 3))),  # larger output: cells repeat
    (10, 4, ((0, 3), (2, 5), (5, 8), (7, 10))),
    (1, 3, ((0, 1), (0, 1), (0, 1))),
    (4, 1, ((0, 4),)),
    (4, 0, ()),  # an empty output, no error
])
def test_adaptive_windows_torch(size, output, windows):
    for kind in ("avg", "max"):
        assert adaptive_pool(size, output, kind).windows == (windows,)


def test_adaptive_equivalent_plain_pooling():
    axes = adaptive_pool("7,8,10", "3,4,4", ndim=3).axes
    assert [a.equivalent for a in axes] == [(3, 2), (2, 2), None]
    assert adaptive_pool(9, 1).axes[0].equivalent == (9, 9)


def test_adaptive_overlaps_and_sizes():
    axis = adaptive_pool(5, 3).axes[0]
    assert axis.sizes == (2, 3, 2) and axis.overlaps == (0, 1, 1)
    d = axis.to_dict()
    assert d["window_sizes"] == [2, 3] and d["overlapping"] == 2 and d["gaps"] == []


@pytest.mark.parametrize("call, message", [
    (lambda: adaptive_pool(5, -1), r"adaptive_avg_pool2d: elements of output_size must be greater than or equal to 0 "
                                   r"but received \{1, -1\}$"),
    (lambda: adaptive_pool(5, "2,-1"), r"received \{2, -1\}$"),
    (lambda: adaptive_pool(5, "2,2,-1"), r"adaptive_avg_pool3d: .* received \{2, 2,-1\}$"),  # torch's spacing
    (lambda: adaptive_pool(5, -2, "max"), r"Trying to create tensor with negative dimension -2: \[1, 1, 1, -2\]$"),
    (lambda: adaptive_pool(5, "2,-3", "max"), r"negative dimension -3: \[1, 1, 2, -3\]$"),
    (lambda: adaptive_pool("3,0", 2, "max"), r"adaptive_max_pool2d\(\): Expected input to have non-zero size for "
                                             r"non-batch dimensions, but input has sizes \[1, 1, 3, 0\] with "
                                             r"dimension 3 being empty$"),
    (lambda: adaptive_pool(0, 2), r"adaptive_avg_pool2d\(\): .*sizes \[1, 1, 1, 0\] with dimension 3 being empty$"),
    (lambda: adaptive_pool(0, -1), r"elements of output_size"),  # avg checks the output first
    (lambda: adaptive_pool(0, -1, "max"), r"non-zero size"),  # max the input first
])
def test_adaptive_rejections_read_like_torch(call, message):
    with pytest.raises(ShapeError, match=message) as info:
        call()
    assert info.value.framework == "torch"


def test_adaptive_zero_output_warns():
    result = adaptive_pool(5, "0,3")
    assert result.output == (0, 3) and "output size 0 on axis 0" in result.warnings[0]


@pytest.mark.parametrize("args, output", [
    (("5,5", 3, "3,3"), (3, 3)),
    (("5,5", 1, "5,5"), (5, 5)),  # 2-D: output + kernel - 1 <= input
    (("5,5,5", 3, "2,2,2"), (2, 2, 2)),  # 3-D: output + kernel <= input
    (("5,5", 3, "0,3"), (0, 3)),
])
def test_fractional_outputs_torch(args, output):
    assert fractional_max_pool(*args).output == output


@pytest.mark.parametrize("call, message", [
    (lambda: fractional_max_pool("5,5", 3, "4,3"), r"fractional_max_pool2d\(\): pool height 3 too large relative to "
                                                   r"input height 5$"),
    (lambda: fractional_max_pool("5,5", 3, "3,4"), r"pool width 3 too large relative to input width 5$"),
    (lambda: fractional_max_pool("5,5,5", 3, "3,3,3"), r"fractional_max_pool3d_out\(\): pool time 3 too large "
                                                       r"relative to input time 5$"),
    (lambda: fractional_max_pool("9,3,3", 1, "1,5,5"), r"pool width 1 too large"),  # 3-D checks width before height
    (lambda: fractional_max_pool("5,5,5", "6,1,1", "-4,1,1"), r"pool time 6 too large"),  # 3-D: kernel > input
    (lambda: fractional_max_pool("5,5", "1,4", "1,-2"), r"Trying to create tensor with negative dimension -2: "
                                                        r"\[1, 1, 1, -2\]$"),  # 2-D lets the kernel through
    (lambda: fractional_max_pool("5,5", 2, output_ratio=1.5), r"output_ratio must be between 0 and 1 \(got 1\.5\)$"),
    (lambda: fractional_max_pool("5,5", 2, output_ratio="0.5,1"), r"\(got \(0\.5, 1\.0\)\)$"),
    (lambda: fractional_max_pool("5,5", 2), r"FractionalMaxPool2d requires specifying either an output size, or a "
                                            r"pooling ratio$"),
    (lambda: fractional_max_pool("5,5", 2, 3, 0.5), r"only one of output_size and output_ratio may be specified$"),
    (lambda: fractional_max_pool("5,5,5", 0, 1), r"kernel_size must be greater than 0, but got 0$"),
    (lambda: fractional_max_pool("0,5", 1, 1), r"fractional_max_pool2d\(\): Expected input to have non-zero size "
                                               r"for non-batch dimensions, but got\[1, 1, 0, 5\] with dimension 2 "
                                               r"being empty\.$"),
])
def test_fractional_rejections_read_like_torch(call, message):
    with pytest.raises(ShapeError, match=message):
        call()


def test_fractional_ratio_is_truncated_in_doubles():
    # 100 * 0.29 == 28.999999999999996 in doubles: torch 2.13 gives 28, not 29
    assert fractional_max_pool(100, 1, output_ratio=0.29, ndim=2).output == (28, 28)
    assert fractional_max_pool("7,9", 2, output_ratio="0.5,0.34").output == (3, 3)


@pytest.mark.parametrize("args, default, valid, sources", [
    ((5, 2), 10, range(9, 12), (10, 11)),
    ((5, 3, 2, 1), 9, range(8, 11), (9, 10)),
    ((1, 2, 2, 1), 0, range(0, 2), (1,)),  # the default is empty; the max pool came from 1
    ((4, 3, 1), 6, (6,), (6,)),
])
def test_unpool_torch(args, default, valid, sources):
    axis = max_unpool(*args).axes[0]
    assert (axis.default, axis.valid_outputs, axis.pool_inputs) == (default, tuple(valid), sources)


@pytest.mark.parametrize("call, message", [
    (lambda: max_unpool(5, 2, output_size=8), r'invalid output_size "\[8\]" \(dim 0 must be between 8 and 12\)$'),
    (lambda: max_unpool(5, 2, output_size=12), r"between 8 and 12"),
    (lambda: max_unpool(2, 2, stride=1, output_size="3,4"), r'invalid output_size "\[3, 4\]" \(dim 1 must be '
                                                            r'between 2 and 4\)$'),
    (lambda: max_unpool(1, 1, 1, 1), r"max_unpooling: output_size must contain non-negative spatial dimensions, "
                                     r"but got output_size\[0\]=-1$"),
    (lambda: max_unpool(5, 2, padding=-1), r"pad must be non-negative, but got pad: -1$"),
    (lambda: max_unpool(5, 2, padding="same"), r"takes integer padding"),
    (lambda: max_unpool(5, 2, padding="0:1"), r"pads both sides equally"),
    (lambda: max_unpool(5, 0), r"kernel size should be greater than zero"),
])
def test_unpool_rejections_read_like_torch(call, message):
    with pytest.raises(ShapeError, match=message):
        call()


def test_unpool_warns_about_padding_no_max_pool_takes():
    result = max_unpool(3, 2, padding=2)  # torch 2.13: F.max_unpool1d runs it, giving 2
    assert result.output == (2,) and "pad should be at most half of effective kernel size" in result.warnings[0]


def test_unpool_tf_rules():
    assert max_unpool(3, 3, 2, framework="tf", ndim=2).valid_outputs == ((7, 8), (7, 8))  # VALID
    assert max_unpool(3, 3, 2, "same", framework="tf", ndim=2).valid_outputs == ((5, 6), (5, 6))
    with pytest.raises(ShapeError, match="4-dimensional"):
        max_unpool(3, 2, framework="tf", ndim=3)
    with pytest.raises(ShapeError, match="'SAME' or 'VALID' only"):
        max_unpool(3, 2, padding=1, framework="tf", ndim=2)


@pytest.mark.parametrize("call, framework", [
    (lambda: adaptive_pool(5, 3, framework="jax"), "jax"),
    (lambda: adaptive_pool(5, 3, framework="onnx"), "onnx"),
    (lambda: fractional_max_pool("5,5", 2, 2, framework="keras"), "keras"),
    (lambda: max_unpool(5, 2, framework="caffe"), "caffe"),
])
def test_other_frameworks_say_who_has_the_op(call, framework):
    with pytest.raises(ShapeError, match=r"has no .*; convshape knows it in torch") as info:
        call()
    assert info.value.framework == framework and info.value.rule == "unsupported-op"


# ---------------------------------------------------------------------- ONNX MaxUnpool, recorded on onnxruntime 1.31.1
# Models built with onnx 1.23.2 (opset 22, IR 10), run on the CPU provider with X of shape (1, 1, *input).


@pytest.mark.parametrize("args, output", [
    ((5, 2), (6,)),  # strides default to 1
    ((5, 2, 2), (10,)),
    ((5, 3, 2, "1:0"), (10,)),  # onnx.shape_inference gives 10 too
    ((5, 3, 2, "0:2"), (9,)),
    ((5, 3, 2, "2:2"), (7,)),
    (("3,4", "2,3", "2,1", "1:0,0:2"), (5, 4)),
    (("2,3,4", 2, 2), (4, 6, 8)),
])
def test_onnx_unpool_default(args, output):
    assert max_unpool(*args, framework="onnx").output == output


@pytest.mark.parametrize("args, output_shape, accepted", [
    # (input, kernel, stride), spatial output_shape, whether onnxruntime runs it
    ((2, 2, 2), "3", False), ((2, 2, 2), "4", True), ((2, 2, 2), "5", True), ((2, 2, 2), "40", True),
    (("2,2", 2, 2), "2,8", True),  # only the element count is checked: 16 >= 16
    (("2,2", 2, 2), "8,2", True),
    (("2,2", 2, 2), "3,5", False),  # 15 < 16
    (("2,2", 2, 2), "4,0", False),
    (("2,2", 2, 2), "-4,-4", False),  # a negative size makes TensorShape::Size() -1
])
def test_onnx_output_shape_is_checked_by_element_count(args, output_shape, accepted):
    if accepted:
        assert max_unpool(*args, output_size=output_shape, framework="onnx").output == \
            tuple(int(v) for v in output_shape.split(","))
    else:
        with pytest.raises(ShapeError, match=r"output_shape is smaller than minimum required\. output_shape:\{1,1,"):
            max_unpool(*args, output_size=output_shape, framework="onnx")


def test_onnx_output_shape_error_text():
    with pytest.raises(ShapeError) as info:
        max_unpool("2,2", 2, 2, output_size="3,5", framework="onnx")
    assert info.value.message == ("output_shape is smaller than minimum required. output_shape:{1,1,3,5} inferred "
                                  "output shape:{1,1,4,4}")
    assert info.value.framework == "onnx" and info.value.rule == "output-size"


@pytest.mark.parametrize("call, message", [
    (lambda: max_unpool(5, 3, 2, "3:0", framework="onnx"), r"Pad should be smaller than kernel\. \(pads 3:0"),
    (lambda: max_unpool(5, 3, 2, "0:3", framework="onnx"), r"Pad should be smaller than kernel\."),
    (lambda: max_unpool(5, 0, 1, framework="onnx"), r"kernel_shape_\[dim\] > 0 was false\."),
    (lambda: max_unpool(5, 2, 0, framework="onnx"), r"All stride values must be positive, got: 0$"),
    (lambda: max_unpool(5, 2, -1, framework="onnx"), r"All stride values must be positive, got: -1$"),
    (lambda: max_unpool(1, 2, 1, 1, framework="onnx"), r"Computed output dimension is not positive for axis 2\. "
                                                       r"Check kernel_shape, strides, and pads attributes\."),
    (lambda: max_unpool("3,1", 3, 1, "0:0,2:2", framework="onnx"), r"not positive for axis 3\."),
    # with output_shape the default is still checked first
    (lambda: max_unpool(1, 3, 1, 2, output_size=9, framework="onnx"), r"not positive for axis 2"),
    # MaxUnpool alone runs pads -1:0 (gives 12 here); the MaxPool that makes the indices rejects them
    (lambda: max_unpool(5, 3, 2, "-1:0", framework="onnx"), r"Pad values must be non-negative\."),
    (lambda: max_unpool(5, 2, padding="same", framework="onnx"), r"MaxUnpool has no auto_pad"),
])
def test_onnx_rejections_read_like_onnxruntime(call, message):
    with pytest.raises(ShapeError, match=message) as info:
        call()
    assert info.value.framework == "onnx"


def test_onnx_valid_outputs_are_open_ended():
    axis = max_unpool(5, 3, 2, "0:1", framework="onnx").axes[0]
    assert axis.valid_outputs == (10, 11) and axis.pool_inputs == (10, 11) and axis.open_ended
    d = max_unpool(5, 3, 2, "0:1", output_size=25, framework="onnx").to_dict()
    assert d["output"] == [25] and d["axes"][0]["open_ended"] is True and d["valid_outputs"] == [[10, 11]]
    assert any("no max pool with these attributes maps it" in n for n in
               max_unpool(5, 3, 2, "0:1", output_size=25, framework="onnx").notes)
    assert max_unpool(5, 2).axes[0].open_ended is False  # torch: both bounds


def test_onnx_pool_inputs_truncate_toward_zero():
    # onnxruntime 1.31.1 MaxPool(kernel 3, stride 3) maps inputs 1..5 to 1 and 6..8 to 2
    assert onnx_pool_inputs(1, 3, 3, 0, 0) == (1, 2, 3, 4, 5)
    assert onnx_pool_inputs(2, 3, 3, 0, 0) == (6, 7, 8)


@pytest.mark.parametrize("args, output_size, pool_input, index", [
    # recorded: MaxPool on arange over pool_input, then MaxUnpool fails with
    # 'Index value out of bounds. Got: 10. Valid range is [0, 10).' (1-D) / 'Got: 16. ... [0, 16).' (5x5: the
    # first index past the end in pooled order; the largest, 18, is what convshape names)
    ((5, 3, 2, "0:1"), None, "11", 10),
    (("2,2", 2, 2), None, "5x5", 18),
    (("2,2", 2, 2), "2,8", "5x5", 18),
])
def test_onnx_index_out_of_bounds_warning(args, output_size, pool_input, index):
    result = max_unpool(*args, output_size=output_size, framework="onnx")
    assert any(f"max pool over {pool_input} reach flat index {index}" in w and "Index value out of bounds" in w
               for w in result.warnings)


@pytest.mark.parametrize("args, output_size", [
    ((5, 3, 2, "0:1"), 11), (("2,2", 2, 2), "5,5"), ((5, 3, 2, "1:0"), None), (("2,2", 2, 2), "4,5"),
])
def test_onnx_no_index_warning_where_onnxruntime_runs(args, output_size):
    # recorded: these run on onnxruntime 1.31.1 with indices from MaxPool over every pool input
    assert not max_unpool(*args, output_size=output_size, framework="onnx").warnings


def test_onnx_largest_index():
    # arange input: onnxruntime's MaxPool returns these as the largest index
    assert onnx_largest_index((5, 5), (4, 4), (0, 0)) == 18
    assert onnx_largest_index((11,), (10,), (1,)) == 10
    assert onnx_largest_index((4, 4), (4, 4), (0, 0)) == 15


def test_onnx_notes():
    notes = max_unpool(5, 2, framework="onnx").notes
    assert any("strides default to 1" in n for n in notes)
    assert not any("strides default" in n for n in max_unpool(5, 2, 2, framework="onnx").notes)
    assert any("element count" in n for n in notes)


@pytest.mark.parametrize("kind, input", [("avg", "7,5"), ("max", "7,5"), ("avg", 7), ("max", "2,3,4")])
def test_onnx_adaptive_output_one_is_global_pool(kind, input):
    # onnxruntime 1.31.1 GlobalAveragePool / GlobalMaxPool give 1 on every spatial axis
    result = adaptive_pool(input, 1, kind, framework="onnx", ndim=None if isinstance(input, str) else 1)
    assert set(result.output) == {1} and all(a.windows == ((0, a.input),) for a in result.axes)
    assert any(("GlobalAveragePool" if kind == "avg" else "GlobalMaxPool") in n for n in result.notes)


def test_onnx_adaptive_other_outputs_rejected():
    with pytest.raises(ShapeError, match=r"onnx has no adaptive pooling to output 2x1: only GlobalMaxPool") as info:
        adaptive_pool("7,5", "2,1", "max", framework="onnx")
    assert info.value.rule == "unsupported-op"
    with pytest.raises(ShapeError, match=r"Invalid input shape\. Only N can be zero\. Got:\{1,1,3,0\}$"):
        adaptive_pool("3,0", 1, framework="onnx")


# ---------------------------------------------------------------------- Keras 3.15.1 (TF 2.21 backend), recorded


@pytest.mark.parametrize("size, output, index, keras, torch_window", [
    # keras.ops.adaptive_max_pool on float64 arange / reversed arange, keras 3.15.1
    (13459, 4357, 3132, (9674, 9678), (9674, 9679)),
    (11303, 6333, 5952, (10623, 10625), (10622, 10625)),
    (9682, 10170, 4564, (4345, 4346), (4344, 4346)),
    (389893, 49, 45, (358064, 366022), (358065, 366022)),
])
def test_keras_float32_windows_differ_from_torch_where_recorded(size, output, index, keras, torch_window):
    assert keras_adaptive_windows(size, output)[index] == keras
    assert adaptive_windows(size, output)[index] == torch_window
    result = adaptive_pool(size, output, framework="keras")
    assert result.windows[0][index] == keras and any("float32" in n for n in result.notes)


def test_keras_rejections_and_crash_warning():
    with pytest.raises(ShapeError, match="division by zero"):
        adaptive_pool(5, 0, framework="keras")
    with pytest.raises(ShapeError, match=r"Requires start <= limit when delta > 0: 0/-1 \[Op:Range\]"):
        adaptive_pool(5, -1, framework="keras")
    # recorded: with TF's oneDNN kernels on, AdaptiveMaxPooling1D(1) on float32 kills the process with SIGFPE
    # (exit 136), and so do 2-D / 3-D layers whose last axis has input or output 1; (9, 4) -> (1, 3) runs.
    # TF's Eigen kernel runs every one of them (tensorflow-cpu 2.21, TF_ENABLE_ONEDNN_OPTS unset on a CPU
    # without AVX512): the warning names both
    assert "SIGFPE" in adaptive_pool(4, 1, "max", framework="keras").warnings[0]
    assert "SIGFPE" in adaptive_pool("5,6,1", 3, "max", framework="keras").warnings[0]
    assert not adaptive_pool("9,4", "1,3", "max", framework="keras").warnings
    assert not adaptive_pool(4, 1, "avg", framework="keras").warnings
    assert adaptive_pool(5, 3, "max", framework="keras").windows == (((0, 2), (1, 4), (3, 5)),)


# ---------------------------------------------------------------------- properties

sizes = st.integers(1, 5000)


@given(sizes, st.integers(1, 5000))
def test_adaptive_windows_tile_the_input(size, output):
    windows = adaptive_windows(size, output)
    assert len(windows) == output
    assert windows[0][0] == 0 and windows[-1][1] == size
    assert all(e > s for s, e in windows)  # every window non-empty
    assert all(b[0] <= a[1] for a, b in zip(windows, windows[1:]))  # no gap between neighbours
    assert all(b[0] >= a[0] and b[1] >= a[1] for a, b in zip(windows, windows[1:]))
    assert window_gaps(windows, size) == ()
    small = -(-size // output)
    assert {e - s for s, e in windows} <= {small, small + 1}


@given(st.integers(1, 4095), st.integers(1, 4095))
def test_keras_windows_equal_torch_while_float32_is_exact(size, output):
    """output * size < 2**24: every product and quotient in Keras's float32 lands on the same
    integer floor and ceiling as torch's integer arithmetic."""
    assert keras_adaptive_windows(size, output) == adaptive_windows(size, output)


@given(st.integers(1, 60), st.integers(1, 8), st.integers(1, 6), st.integers(0, 4))
def test_unpool_sets(size, kernel, stride, padding):
    try:
        axis = max_unpool(size, kernel, stride, padding).axes[0]
    except ShapeError as exc:
        assert "non-negative" in exc.message and (size - 1) * stride + kernel - 2 * padding < 0
        return
    assert all(abs(o - axis.default) < stride and o >= 0 for o in axis.valid_outputs)
    assert (axis.default in axis.valid_outputs) == (axis.default >= 0)
    if padding <= kernel // 2:  # a max pool that exists
        assert set(axis.pool_inputs) <= set(axis.valid_outputs)


@given(st.integers(1, 60), st.integers(1, 8), st.integers(1, 6), st.integers(0, 7), st.integers(0, 7))
def test_onnx_unpool_sets(size, kernel, stride, pad_before, pad_after):
    try:
        result = max_unpool(size, kernel, stride, f"{pad_before}:{pad_after}", framework="onnx")
    except ShapeError as exc:
        assert exc.rule in ("padding-window", "output-size")
        assert max(pad_before, pad_after) >= kernel or (size - 1) * stride + kernel - pad_before - pad_after < 1
        return
    axis = result.axes[0]
    assert axis.default == (size - 1) * stride + kernel - pad_before - pad_after
    assert axis.valid_outputs[0] == axis.default and axis.default in axis.pool_inputs
    if pad_before == pad_after:
        assert axis.default == max_unpool(size, kernel, stride, pad_before).axes[0].default
    # the pooled input of the default size never overflows the default output when nothing is padded after
    if pad_after == 0:
        assert onnx_largest_index((axis.default,), (axis.default,), (0,)) < axis.default
    # one size above the default on one axis is always accepted
    assert max_unpool(size, kernel, stride, f"{pad_before}:{pad_after}", axis.default + 1,
                      framework="onnx").output == (axis.default + 1,)


@given(st.integers(1, 200), st.integers(1, 10), st.floats(0.01, 0.99), st.sampled_from((2, 3)))
def test_fractional_limits(size, kernel, ratio, ndim):
    try:
        axis = fractional_max_pool(size, kernel, output_ratio=ratio, ndim=ndim).axes[0]
    except ShapeError as exc:
        assert exc.rule == "pool-too-large"
        return
    assert 0 <= axis.output <= size and axis.output <= axis.largest_output
    assert fractional_max_pool(size, kernel, axis.largest_output, ndim=ndim).output[0] == axis.largest_output
    with pytest.raises(ShapeError, match="too large"):
        fractional_max_pool(size, kernel, axis.largest_output + 1, ndim=ndim)
