"""Golden values per framework, each observed on the real framework (see the README's
'Where each rule comes from'): TF 2.21 (float64 kernels), Keras 3.15, JAX 0.10.2, ONNX 1.23 /
onnxruntime 1.31, and Caffe's source (conv_layer.cpp, deconv_layer.cpp)."""

from __future__ import annotations

import pytest

from convshape import ShapeError, conv, conv_transpose


# --- TensorFlow ------------------------------------------------------------------------------
@pytest.mark.parametrize("size, kernel, stride, padding, expected", [
    (2, 3, 1, "valid", 0),       # (2 - 3 + 1) / 1 = 0: an empty tensor
    (1, 4, 2, "valid", 0),       # (1 - 4 + 2) / 2 = -1/2 truncates to 0 (Python's floor would say -1)
    (5, 3, 2, "valid", 2),
    (5, 3, 2, "same", 3),
    (7, 1, 3, "same", 3),
])
def test_tf_conv(size, kernel, stride, padding, expected):
    assert conv(size, kernel, stride, padding, framework="tf").output == (expected,)


def test_tf_conv_negative_output_message():
    with pytest.raises(ShapeError, match=r"Computed output size would be negative: -1 \[input_size: 1, "
                                         r"effective_filter_size: 5, stride: 2\]"):
        conv(1, 5, 2, "valid", framework="tf")


def test_tf_explicit_padding_is_conv2d_only():
    assert conv((5, 5), 3, 1, "1:0,0:2", framework="tf").output == (4, 5)
    with pytest.raises(ShapeError, match="tf.nn.conv1d takes padding 'SAME' or 'VALID' only"):
        conv(5, 3, 1, "1:0", framework="tf")


def test_tf_conv3d_transpose_label():
    with pytest.raises(ShapeError, match=r"^tf: Conv3DBackpropInputOp: Size of out_backprop"):
        conv_transpose(4, 3, 2, "same", framework="tf", ndim=3, output_size=9)


def test_tf_conv1d_transpose_spatial_dim_is_2():
    with pytest.raises(ShapeError, match=r"spatial_dim: 2 input: 129"):
        conv_transpose(64, 3, 2, "same", framework="tf", ndim=1, output_size=129)


# --- Keras -----------------------------------------------------------------------------------
def test_keras_valid_never_gives_an_empty_output():
    with pytest.raises(ShapeError, match="Computed output size would be zero or negative"):
        conv((2, 2), 3, framework="keras")


def test_keras_strides_with_dilation():
    with pytest.raises(ShapeError, match=r"`strides > 1` not supported in conjunction with `dilation_rate > 1`"):
        conv((10, 10), 3, (2, 1), "valid", (1, 2), framework="keras")


def test_keras_causal_is_conv1d_only():
    assert conv(10, 3, 1, "causal", 2, framework="keras").axes[0][4:6] == (4, 0)
    with pytest.raises(ShapeError, match="Received: causal"):
        conv((10, 10), 3, 1, "causal", framework="keras")


@pytest.mark.parametrize("size, kernel, stride, padding, output_padding, expected", [
    (5, 3, 2, "valid", None, 11),   # (i-1)*s + max(eff, s)
    (5, 1, 3, "valid", None, 15),
    (5, 3, 2, "valid", 1, 12),      # (i-1)*s + eff + p
    (5, 3, 2, "same", None, 10),    # i*s
    (5, 3, 2, "same", 0, 9),        # (i-1)*s + eff % 2 + p
    (5, 3, 2, "same", 1, 10),
])
def test_keras_conv_transpose_lengths(size, kernel, stride, padding, output_padding, expected):
    result = conv_transpose(size, kernel, stride, padding, output_padding=output_padding, framework="keras")
    assert result.output == (expected,)


def test_keras_same_even_kernel_output_padding_0_fails_in_tf():
    """Builds in Keras, then tf.nn.conv_transpose rejects the size at call time (observed)."""
    with pytest.raises(ShapeError, match=r"actual = 64, computed = 63 spatial_dim: 1 input: 126 filter: 4"):
        conv_transpose((64, 64), 4, 2, "same", output_padding=0, framework="keras")


def test_keras_output_padding_must_be_below_stride():
    with pytest.raises(ShapeError, match="`output_padding` must be strictly less than `strides`"):
        conv_transpose(5, 3, 2, "valid", output_padding=2, framework="keras")


# --- JAX -------------------------------------------------------------------------------------
def test_jax_conv_small_input_is_empty_not_an_error():
    assert conv(2, 5, 1, "valid", framework="jax").output == (0,)
    assert conv(5, 3, 1, "-3:0", framework="jax").output == (0,)
    with pytest.raises(ShapeError, match="Negative padding is larger than the size"):
        conv(5, 3, 1, "-6:0", framework="jax")


@pytest.mark.parametrize("size, kernel, stride, dilation, padding, expected", [
    (5, 3, 2, 1, "same", 10),      # i*s
    (5, 3, 2, 2, "same", 10),
    (5, 3, 2, 1, "valid", 11),     # i*s + max(eff - s, 0)
    (5, 1, 3, 1, "valid", 15),
    (5, 3, 2, 2, "valid", 13),     # eff = 5
    (5, 3, 2, 1, "0:0", 7),        # explicit: (i-1)*s + lo + hi - eff + 2
    (5, 3, 2, 1, "2:2", 11),
])
def test_jax_conv_transpose(size, kernel, stride, dilation, padding, expected):
    assert conv_transpose(size, kernel, stride, padding, dilation, framework="jax").output == (expected,)


def test_jax_same_pads_use_the_dilated_kernel():
    """k=3, d=2, s=2, SAME: _conv_transpose_padding gives (3, 2) from eff 5 (observed)."""
    axis = conv_transpose(4, 3, 2, "same", 2, framework="jax").axes[0]
    assert "padding='SAME'" in axis.options[0].select
    assert (axis.pad_before, axis.pad_after) == (5 - 1 - 3, 5 - 1 - 2)


# --- ONNX ------------------------------------------------------------------------------------
def test_onnx_conv_same_split():
    assert conv(4, 2, 1, "same-upper", framework="onnx").axes[0][4:6] == (0, 1)
    assert conv(4, 2, 1, "same-lower", framework="onnx").axes[0][4:6] == (1, 0)


def test_onnx_conv_input_smaller_than_kernel_is_rejected_as_onnxruntime_does():
    with pytest.raises(ShapeError, match=r"Invalid input shape: \{2\}"):
        conv(2, 3, 1, "valid", framework="onnxruntime")


def test_onnx_spec_conv_input_smaller_than_kernel_truncates():
    """Shape inference (onnx 1.23, tests/data/observed_onnx_ort.json): [1], k2, s3 gives 1 (trunc(-1/3) + 1);
    [2], k5, d2, pads 1:4 gives 0; [2], k4, VALID is negative: rejected. Each names onnxruntime's rejection."""
    result = conv(1, 2, 3, 0, framework="onnx")
    assert result.output == (1,) and any("onnxruntime rejects" in n for n in result.notes)
    assert conv(2, 5, 2, [(1, 4)], 2, framework="onnx").output == (0,)
    with pytest.raises(ShapeError, match="negative output size -1"):
        conv(2, 4, 1, "valid", framework="onnx")


@pytest.mark.parametrize("padding, pads", [("0", (1, 0)), ("same-upper", (0, 1)), ("same-lower", (1, 0)),
                                           ("valid", (1, 0))])
def test_onnx_conv_transpose_output_shape_pad_split(padding, pads):
    """i=3, k=3, s=2, output_shape 6: total padding 1, cropped at the end only for SAME_UPPER."""
    axis = conv_transpose(3, 3, 2, padding, framework="onnx", output_size=6).axes[0]
    assert (axis.pad_before, axis.pad_after) == pads


def test_onnx_conv_transpose_accepted_output_shapes():
    """i=4, k=3, s=2: onnxruntime accepts output_shape 1..10 (F + s - 1) and rejects 11."""
    assert conv_transpose(4, 3, 2, framework="onnxruntime").valid_outputs == (tuple(range(1, 11)),)
    with pytest.raises(ShapeError, match="Expected input size 5 but got 4"):
        conv_transpose(4, 3, 2, framework="onnxruntime", output_size=11)


def test_onnx_spec_conv_transpose_takes_any_output_shape():
    """The spec's equations generate negative pads for a large output_shape: input 16, k3, s4,
    SAME_UPPER, output_shape 67 is accepted by shape inference and the reference evaluator
    (onnxruntime 1.32 rejects it: 'Expected input size 17 but got 16')."""
    result = conv_transpose(16, 3, 4, "same-upper", framework="onnx", output_size=67)
    assert result.output == (67,) and (result.axes[0].pad_before, result.axes[0].pad_after) == (-2, -2)
    assert any("onnxruntime takes output_shape only up to 66" in n for n in result.notes)
    with pytest.raises(ShapeError, match="Expected input size 17 but got 16"):
        conv_transpose(16, 3, 4, "same-upper", framework="onnxruntime", output_size=67)
    assert conv_transpose(16, 3, 4, "same-upper", framework="onnxruntime", output_size=64).output == (64,)


def test_onnx_conv_transpose_same_is_not_always_i_times_s():
    for framework in ("onnx", "onnxruntime"):
        assert conv_transpose(3, 3, 2, "same", framework=framework).output == (6,)
        assert conv_transpose(3, 1, 2, "same", framework=framework).output == (5,)   # eff + op < s: F + op
    # [17], k2, s3, d2, output_padding 2, SAME_LOWER: shape inference i*s + op = 53, onnxruntime min(i*s, F + op) = 51
    assert conv_transpose(17, 2, 3, "same-lower", 2, 2, framework="onnx").output == (53,)
    assert conv_transpose(17, 2, 3, "same-lower", 2, 2, framework="onnxruntime").output == (51,)


def test_onnx_output_padding_bounds():
    with pytest.raises(ShapeError, match=r"must be less than max\(stride, dilation\)"):
        conv_transpose(3, 3, 2, framework="onnxruntime", output_padding=2)
    with pytest.raises(ShapeError, match="may be too large for stride"):
        conv_transpose(4, 3, 1, 0, 2, framework="onnxruntime", output_padding=1)
    # shape inference never checks output_padding: (3-1)*2 + 3 + 2 = 9, with a note naming onnxruntime's rejection
    assert conv_transpose(3, 3, 2, framework="onnx", output_padding=2).output == (9,)
    result = conv_transpose(4, 3, 1, 0, 2, framework="onnx", output_padding=1)
    assert result.output == (9,) and any("onnxruntime and the reference evaluator reject" in n for n in result.notes)


# --- Caffe -----------------------------------------------------------------------------------
def test_caffe_truncates():
    """conv_layer.cpp: (1 + 0 - 2) / 2 + 1 = 0 + 1 = 1 in C++ (floor would give 0)."""
    assert conv(1, 2, 2, 0, framework="caffe").output == (1,)
    assert conv(7, 3, 2, 1, framework="caffe").output == (4,)


def test_caffe_has_no_same_padding_and_pads_symmetrically():
    with pytest.raises(ShapeError, match="Convolution has no padding 'same'"):
        conv(7, 3, 1, "same", framework="caffe")
    with pytest.raises(ShapeError, match="pads both sides equally"):
        conv(7, 3, 1, "0:1", framework="caffe")
