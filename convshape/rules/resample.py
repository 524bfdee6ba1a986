"""Resampling's per-axis formulas: the output size from a scale or a factor, the source step the
kernels sample with, and the float32 arithmetic of ONNX, onnxruntime and keras. No framework
dispatch here; the framework modules say which rule each applies.

Interpolation is the one place where a shape rule is float arithmetic: torch multiplies the
size by the scale factor in IEEE double and truncates (``scaled_output``); ONNX floors the
product with the float32 scale, and onnxruntime multiplies in float32 (``onnx_scaled_output``,
``onnxruntime_scaled_output``); everything else here is integer arithmetic.
"""

from __future__ import annotations

import math
import struct
from collections.abc import Sequence

INT64_MAX = 2 ** 63 - 1
INT32_MIN = -2 ** 31


def scaled_output(size: int, scale: float) -> int:
    """torch's output size from a scale factor: ``trunc(double(size) * scale)``.

    A float rule, reproduced exactly: the product is one IEEE-754 double multiplication and the
    result is truncated toward zero (floor for the positive case). Both of torch's paths agree:
    Python's ``_sym_int(input.size(i + 2) * scale_factors[i])`` (torch/nn/functional.py,
    ``interpolate``, recompute_scale_factor=True and mode='area') and C++
    ``static_cast<double>(input_size[i + 2]) * scale_factors[i]`` cast by ``checked_convert``
    (aten/src/ATen/native/UpSample.cpp, ``upsample::compute_output_size``). So 37 x 1.5 -> 55,
    15 x 0.1 -> 1, 50 x 2.3 -> 114 (114.99999999999999), 100 x 0.29 -> 28, 49 x (1/49) -> 0
    (0.9999999999999999, which torch then rejects).
    """
    return math.trunc(float(size) * scale)


def source_step(size: int, output: int, scale: float | None, align_corners: bool) -> float:
    """Input pixels per output pixel in torch's kernels (aten/src/ATen/native/UpSample.h,
    ``area_pixel_compute_scale`` and ``compute_scales_value``): with align_corners
    ``(size - 1) / (output - 1)`` (0 for output 1); otherwise ``1 / scale`` when the user's
    scale reaches the kernel and is > 0, else ``size / output``. The kernel rounds it to the
    input's dtype (float32 by default); this is the double value.
    """
    if align_corners:
        return (size - 1) / (output - 1) if output > 1 else 0.0
    return 1.0 / scale if scale is not None and scale > 0 else size / output


def torch_source_step(mode: str, ndim: int, antialias: bool, size: int, output: int, scale: float | None,
                      align_corners: bool) -> float:
    """The source step torch 2.13's CPU kernels really use on one axis (contiguous float32 input),
    confirmed by sampling ``arange`` inputs: :func:`source_step`, except that an axis whose
    output equals its input is copied (step 1) by linear/bilinear/trilinear
    (UpSample.h ``compute_source_index_and_lambda``: "scale_factor = 1, simply copy") and by the
    antialiased separable kernels (bilinear/bicubic antialias, lanczos), and that 2-D nearest
    goes through UpSample.h ``nearest_idx``, which also copies and turns output == 2 * input into
    a shift (step 1/2). 1-D/3-D nearest, nearest-exact and plain bicubic use the scale as given.
    mode='area' is adaptive average pooling: ``size / output``.
    """
    if mode == "area":
        return size / output
    if output == size and (mode in ("linear", "bilinear", "trilinear") or antialias or (mode, ndim) == ("nearest", 2)):
        return 1.0
    if (mode, ndim) == ("nearest", 2) and output == 2 * size:
        return 0.5
    return source_step(size, output, scale, align_corners)


def factor_output(size: int, factor: int) -> int:
    """Keras ``UpSampling1D/2D/3D``: ``size * factor`` per axis (keras/src/layers/reshaping/up_sampling*.py:
    ``ops.repeat`` for nearest, ``ops.image.resize`` to ``size * factor`` otherwise)."""
    return size * factor


def tf_int32(value: float) -> int:
    """``tf.cast(x, "int32")`` of a float on the CPU: truncation toward zero, and INT32_MIN for infinity,
    NaN and anything outside int32 (tensorflow 2.21: inf, -inf, nan, 3e9 and -3e9 all give -2147483648)."""
    if math.isfinite(value) and -2.0 ** 31 <= value < 2.0 ** 31:
        return math.trunc(value)
    return INT32_MIN


def keras_aspect_window(size: int, other: int, target: int, other_target: int,
                        policy: str) -> tuple[int, int, int]:
    """What keras ``Resizing(crop_to_aspect_ratio=True)`` / ``(pad_to_aspect_ratio=True)`` hands
    ``tf.image.resize`` on one axis, as ``(extent, pad_before, pad_after)`` (a crop as negative pads).

    keras 3.15, TF backend (keras/src/backend/tensorflow/image.py ``resize``), for the height
    (the width swaps the roles): ``want = int32(float32(int32(width * target_height)) / target_width)``
    (int32 product, float32 quotient, :func:`tf_int32`). crop: ``c = max(min(height, want), 1)``,
    ``start = int32(float32(height - c) / 2)``, the slice ``[start:start + c]``. pad:
    ``p = max(height, want)``, ``start = int32(float32(p - height) / 2)``, and ``start`` rows of
    ``fill_value`` on BOTH sides, so an odd ``p - height`` pads to ``p - 1``. The resize then
    gives ``target`` whatever the window: neither option changes the output size. 375x500 ->
    224x224: crop 375x375 (columns 62..437), pad 499x500 (62 rows above and below, for 125).
    """
    product = (other * target + 2 ** 31) % 2 ** 32 - 2 ** 31  # int32 arithmetic wraps
    want = tf_int32(float32(float32(product) / float32(other_target))) if other_target else INT32_MIN
    if policy == "crop":
        extent = max(min(size, want), 1)
        start = tf_int32(float32((size - extent) / 2))
        kept = max(0, min(start + extent, size) - start)  # an empty axis stays empty
        return kept, -start, -(size - start - kept)
    start = tf_int32(float32((max(size, want) - size) / 2))
    start = max(start, 0)  # tf.cond(start > 0, pad, keep)
    return size + 2 * start, start, start


def float32(value: float) -> float:
    """``value`` rounded to IEEE single precision, as ONNX holds ``scales`` (a float tensor); beyond
    float32's range it is infinity, as numpy's ``float32()`` gives."""
    try:
        return float(struct.unpack("f", struct.pack("f", value))[0])
    except OverflowError:
        return math.copysign(math.inf, value)


def onnx_scaled_output(size: int, scale: float) -> int:
    """ONNX ``Resize`` (opset 19 text, onnx/defs/tensor/defs.cc): ``floor(input_dimension * scale)``
    with ``scale`` the float32 value of ``scales``, in double (exact for an int below 2**29), as
    onnx 1.23.2's reference implementation (op_resize.py: ``(scale_factors * shape).astype(int)``)
    and its shape inference compute it. So 100 x 0.29 (float32 0.28999999165534973) -> 28."""
    return math.floor(size * float32(scale))


def onnxruntime_scaled_output(size: int, scale: float) -> int:
    """onnxruntime 1.31's size from a scale, ``static_cast<int64_t>(scales[i] * input_dims[i])``
    (core/providers/cpu/tensor/upsamplebase.h ``ComputeOutputShape``): a float32 product (the int64
    converts to float), rounded to float32, then truncated. 100 x 0.29 -> 29.0f -> 29, 50 x 2.3 -> 115
    and 49 x (1/49) -> 1, where the spec's floor gives 28, 114 and 0 (1500 random cases, 0 mismatches)."""
    return math.trunc(float32(float32(size) * float32(scale)))


def onnx_policy_outputs(ins: Sequence[int], sizes: Sequence[int],
                        policy: str) -> tuple[tuple[int, ...], tuple[int, ...], float]:
    """ONNX Resize ``keep_aspect_ratio_policy`` (``sizes`` only): one scale for every resized axis,
    ``min`` (not_larger) or ``max`` (not_smaller) of ``sizes[i] / in[i]``, and
    ``out = round_int(scale * in)``, halves up. Returns the spec's sizes as onnx 1.23.2's reference
    implementation computes them (onnx/reference/ops/op_resize.py ``_interpolate_nd``: double
    division, ``int(scale * in + 0.5)``), onnxruntime 1.31's (float32: ``scales[i] = float(out) /
    float(in)`` in upsamplebase.h ``ParseScalesDataAndAdjustOutputSize``, an input of 0 counting as
    scale 1, then ``std::round(scale * in)`` in ``AdjustOutputSizeAsPolicy``), and onnxruntime's
    float32 scale. They differ in about 1 case in 5000 (halves, e.g. 99 x 24/176 = 13.5: 13 and 14)."""
    pick = min if policy == "not_larger" else max
    exact = pick(o / i if i else 1.0 for i, o in zip(ins, sizes))
    scale = pick(float32(float32(o) / float32(i)) if i else 1.0 for i, o in zip(ins, sizes))
    spec = tuple(int(exact * i + 0.5) for i in ins)
    runtime = tuple(math.floor(float32(scale * float32(i)) + 0.5) for i in ins)  # std::round, float32 product
    return spec, runtime, scale
