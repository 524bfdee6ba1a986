"""Adaptive pooling, fractional max pooling and max unpooling rules, one axis at a time.

Integer arithmetic, except ``fractional_output``, which is torch's ``int(size * ratio)`` in
Python doubles and says so.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from convshape.rules.arith import div_ceil
from convshape.rules.conv import dilated_size, transposed_output
from convshape.rules.pool import window_count

Window = tuple[int, int]


# ---------------------------------------------------------------------- rules: adaptive pooling
def adaptive_start(index: int, size: int, output: int) -> int:
    """First input cell of adaptive window ``index``: ``floor(index * size / output)``
    (torch aten/src/ATen/native/AdaptivePooling.h ``start_index``: ``(a / b) * c + ((a % b) * c) / b``,
    the same value without int64 overflow)."""
    return index * size // output


def adaptive_end(index: int, size: int, output: int) -> int:
    """One past the last input cell of window ``index``: ``ceil((index + 1) * size / output)``
    (AdaptivePooling.h ``end_index``: ``1 + ((a + 1) * c - 1) / b``)."""
    return div_ceil((index + 1) * size, output)


def adaptive_windows(size: int, output: int) -> tuple[Window, ...]:
    """torch's adaptive windows ``[start, end)``, one per output index, for avg and max alike
    (AdaptiveAveragePooling.cpp, AdaptiveMaxPooling2d.cpp both use start_index / end_index).
    An output larger than the input repeats cells; confirmed on torch 2.13 by running the ops."""
    return tuple((adaptive_start(o, size, output), adaptive_end(o, size, output)) for o in range(output))


def uniform_pooling(windows: Sequence[Window], size: int) -> tuple[int, int] | None:
    """(kernel, stride) of the plain pooling with the same windows, or None."""
    if not windows or any(e - s != windows[0][1] - windows[0][0] for s, e in windows):
        return None
    if len(windows) == 1:
        return windows[0][1] - windows[0][0], size
    stride = windows[1][0] - windows[0][0]
    if stride < 1 or windows[0][0] != 0 or any(s != i * stride for i, (s, _) in enumerate(windows)):
        return None
    return windows[0][1] - windows[0][0], stride


# ---------------------------------------------------------------------- rules: fractional max pooling
def fractional_output(size: int, ratio: float) -> int:
    """``int(size * output_ratio)`` in Python doubles, as torch/nn/functional.py
    ``fractional_max_pool2d_with_indices`` / ``..._3d_with_indices`` compute it (truncation)."""
    return int(size * ratio)


def fractional_largest_output(size: int, kernel: int, ndim: int) -> int:
    """The largest output torch allows for this kernel: FractionalMaxPool2d.cpp checks
    ``outputH + poolSizeH - 1 <= inputH``, FractionalMaxPool3d.cpp ``outputT + poolSizeT - 1 < inputT``
    (one cell stricter; confirmed on torch 2.13)."""
    return size - kernel + (1 if ndim == 2 else 0)


def fractional_fits(size: int, kernel: int, output: int, ndim: int) -> bool:
    """Whether torch's "pool ... too large relative to input ..." check passes on one axis.
    2-D: ``output + kernel - 1 <= size`` only, so a negative output can pass it with a kernel
    larger than the input (and then fails creating the tensor). 3-D: ``output + kernel <= size``
    and, as observed on torch 2.13 for every output tried down to -9, ``kernel <= size``."""
    return output <= fractional_largest_output(size, kernel, ndim) and (ndim == 2 or kernel <= size)


# ---------------------------------------------------------------------- rules: max unpooling
def unpool_default(size: int, kernel: int, stride: int, padding: int) -> int:
    """``(size - 1) * stride + kernel - 2 * padding`` (torch/nn/functional.py ``_unpool_output_size``):
    the transposed length with dilation 1."""
    return transposed_output(size, kernel, stride, 1, padding, padding, 0)


def unpool_valid_outputs(size: int, kernel: int, stride: int, padding: int) -> range:
    """Every output_size torch's max_unpool accepts: ``default - stride < o < default + stride``
    (both bounds exclusive, ``_unpool_output_size``) and ``o >= 0`` (``_check_unpool_output_size``)."""
    default = unpool_default(size, kernel, stride, padding)
    return range(max(0, default - stride + 1), max(0, default + stride))


def maxpool_inputs(size: int, kernel: int, stride: int, padding: int) -> range:
    """Every input size torch's MaxPool (floor mode, dilation 1) maps to ``size``:
    ``floor((n + 2p - k) / s) + 1 == size`` (aten pooling_output_shape), i.e.
    ``(size - 1) * s + k - 2p <= n < size * s + k - 2p``, n >= 1."""
    first = unpool_default(size, kernel, stride, padding)
    return range(max(1, first), max(1, first + stride))


def tf_pool_inputs(size: int, kernel: int, stride: int, padding: str) -> range:
    """Every input size ``tf.nn.max_pool_with_argmax`` maps to ``size``: VALID ``(n - k + s) / s``
    -> ``(size-1)*s + k <= n < size*s + k``; SAME ``ceil(n / s)`` -> ``(size-1)*s < n <= size*s``
    (kernel_shape_util.cc GetWindowedOutputSizeVerbose; confirmed on tensorflow-cpu 2.21)."""
    # VALID: the transposed length; SAME: the stride-dilated input, one cell past (size - 1) * s
    first = transposed_output(size, kernel, stride, 1, 0, 0, 0) if padding == "valid" else dilated_size(size, stride)
    return range(first, first + stride)


def onnx_unpool_default(size: int, kernel: int, stride: int, pad_before: int, pad_after: int) -> int:
    """``(size - 1) * stride + kernel - pad_before - pad_after``: onnx 1.23.2 onnx/defs/nn/defs.cc
    ``maxUnpoolShapeInference`` and onnxruntime 1.31.1 core/providers/cpu/nn/unpool.cc
    ``MaxUnpool::Compute`` (which rejects a result <= 0); confirmed by running both. The transposed
    length with dilation 1."""
    return transposed_output(size, kernel, stride, 1, pad_before, pad_after, 0)


def onnx_pool_inputs(size: int, kernel: int, stride: int, pad_before: int, pad_after: int) -> tuple[int, ...]:
    """Every input size onnxruntime's MaxPool (ceil_mode 0) maps to ``size``:
    ``trunc((n + pad_before + pad_after - kernel) / stride) + 1 == size`` (pool_attributes.h
    ``ComputeOutputSize``, int64 division toward zero, so a window larger than the padded input
    still gives 1); n >= 1. The default is always one of them."""
    default = onnx_unpool_default(size, kernel, stride, pad_before, pad_after)
    return tuple(n for n in range(max(1, default - stride + 1), default + stride)
                 if window_count(n, kernel, stride, 1, pad_before, pad_after, False, trunc=True) == size)


def onnx_largest_index(pool_input: Sequence[int], defaults: Sequence[int], pads_after: Sequence[int]) -> int:
    """The largest flat index onnxruntime's MaxPool can return for an input of ``pool_input``
    (batch 1, channel 1): the cell ``min(n, default + pad_after) - 1`` on every axis (the last real
    cell of the last window), flattened row-major. Reached when the data rise along every axis;
    confirmed on onnxruntime 1.31.1 (290 configurations, 1-D to 3-D, arange inputs)."""
    flat = 0
    for n, default, pad_after in zip(pool_input, defaults, pads_after):
        flat = flat * n + min(n, default + pad_after) - 1
    return flat


def onnx_shape_size(shape: Sequence[int]) -> int:
    """onnxruntime's ``TensorShape::Size()``: the element count, or -1 if any size is negative."""
    return -1 if any(v < 0 for v in shape) else math.prod(shape)


def window_gap_runs(windows: Sequence[Window], size: int) -> tuple[range, ...]:
    """Input cells no window covers (never in torch; Keras's float32 windows can skip one), as
    sorted runs: a gap of two billion cells costs one ``range``."""
    if not windows:
        return ()
    reach = 0
    gaps: list[range] = []
    for s, e in sorted(windows):
        if s > reach:
            gaps.append(range(reach, s))
        reach = max(reach, e)
    if size > reach:
        gaps.append(range(reach, size))
    return tuple(gaps)


# ---------------------------------------------------------------------- adaptive windows in closed form
# torch's window o on an input i to an output n: start floor(o*i/n), end ceil((o+1)*i/n). With
# r = o*i mod n its size is ceil((r + i) / n), and as o runs over 0..n-1, r takes every multiple of
# g = gcd(i, n) exactly g times: the summaries below follow, whatever n (i, n >= 1).
def adaptive_window(o: int, size: int, output: int) -> Window:
    """torch's window ``o``: ``(adaptive_start, adaptive_end)``."""
    return adaptive_start(o, size, output), adaptive_end(o, size, output)


def adaptive_sizes(size: int, output: int) -> range:
    """Every window size torch's windows take: ``ceil(i/n) .. ceil((i + n - g)/n)`` (one or two)."""
    g = math.gcd(size, output)
    return range(div_ceil(size, output), div_ceil(size + output - g, output) + 1)


def adaptive_overlapping(size: int, output: int) -> int:
    """How many windows overlap the one before (by one cell each): ``o*i/n`` not whole, ``n - g``."""
    return output - math.gcd(size, output)


def adaptive_larger(size: int, output: int, limit: int) -> tuple[int, tuple[int, ...] | None]:
    """``(count, indices)`` of the windows of the larger size (0, () when all are one size);
    the indices when there are at most ``limit`` of them, else None."""
    sizes = adaptive_sizes(size, output)
    if len(sizes) < 2:
        return 0, ()
    g = math.gcd(size, output)
    period = output // g
    # larger: r + i > (larger - 1) * n, r = k*g for k in 0..period-1
    first_k = ((sizes[-1] - 1) * output - size) // g + 1
    count = (period - first_k) * g
    if count > limit:
        return count, None
    inverse = pow(size // g, -1, period) if period > 1 else 0
    found = sorted((k * inverse % period if period > 1 else 0) + j * period
                   for k in range(first_k, period) for j in range(g))
    return count, tuple(found)


def adaptive_uniform(size: int, output: int) -> tuple[int, int] | None:
    """``uniform_pooling`` of torch's windows: one window size, and starts ``o * floor(i/n)``,
    which holds when ``i mod n`` is 0 or 1."""
    sizes = adaptive_sizes(size, output)
    if len(sizes) != 1:
        return None
    if output == 1:
        return sizes[0], size
    stride, rest = divmod(size, output)
    return (sizes[0], stride) if stride >= 1 and rest <= 1 else None
