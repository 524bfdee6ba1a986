"""Adaptive pooling's windows, fractional max pooling's limits and max unpooling's sizes: per-axis
formulas. No framework dispatch here; the framework modules say which rule each applies.

The rules are integer functions except where the framework itself uses floats (Keras's
adaptive windows in float32, torch's ``int(input * output_ratio)`` in double); those
reproduce the framework's float arithmetic exactly and say so.
"""

from __future__ import annotations

import math
import struct
from collections.abc import Sequence

from convshape.errors import ShapeError
from convshape.model import Window
from convshape.rules import div_trunc


def adaptive_start(index: int, size: int, output: int) -> int:
    """First input cell of adaptive window ``index``: ``floor(index * size / output)``
    (torch aten/src/ATen/native/AdaptivePooling.h ``start_index``: ``(a / b) * c + ((a % b) * c) / b``,
    the same value without int64 overflow)."""
    return index * size // output


def adaptive_end(index: int, size: int, output: int) -> int:
    """One past the last input cell of window ``index``: ``ceil((index + 1) * size / output)``
    (AdaptivePooling.h ``end_index``: ``1 + ((a + 1) * c - 1) / b``)."""
    return -(-(index + 1) * size // output)


def adaptive_windows(size: int, output: int) -> tuple[Window, ...]:
    """torch's adaptive windows ``[start, end)``, one per output index, for avg and max alike
    (AdaptiveAveragePooling.cpp, AdaptiveMaxPooling2d.cpp both use start_index / end_index).
    An output larger than the input repeats cells; confirmed on torch 2.13 by running the ops."""
    return tuple((adaptive_start(o, size, output), adaptive_end(o, size, output)) for o in range(output))


def _f32(x: float) -> float:
    """Round a double to float32 (round to nearest even, as the CPU does)."""
    return struct.unpack("f", struct.pack("f", x))[0]


def keras_adaptive_windows(size: int, output: int) -> tuple[Window, ...]:
    """Keras 3.15's adaptive windows on the TensorFlow backend, in its own float32 arithmetic.

    keras/src/backend/tensorflow/nn.py ``_compute_static_gather_indices`` computes
    ``start = floor(f32(o) * f32(size) / f32(output))``, ``end = ceil(f32(o + 1) * f32(size) / f32(output))``
    in float32 (each operation rounded to float32; double arithmetic rounded to float32 is exact
    here), clips ``end <= size`` and ``start <= size - 1``, then gathers from two VALID pools of
    stride 1 with windows ``small = ceil(size / output)`` and ``big = small + 1``
    (backend_utils.py ``compute_adaptive_pooling_window_sizes``): window ``o`` is ``big`` cells
    if ``end - start == big``, else ``small``. Equal to torch's windows while ``o * size`` is
    exact in float32; beyond that (e.g. size 389893, output 49) windows shift by a cell.
    Confirmed on keras 3.15.1 / tensorflow-cpu 2.21 by running AdaptiveAveragePooling1D.
    """
    small = math.ceil(size / output)  # Python double, as keras computes it
    big = small + 1
    small_len, big_len = size - small + 1, size - big + 1
    windows = []
    for o in range(output):
        start = min(math.floor(_f32(_f32(_f32(o) * _f32(size)) / _f32(output))), size - 1)
        end = min(math.ceil(_f32(_f32(_f32(o + 1) * _f32(size)) / _f32(output))), size)
        index = start + small_len if end - start == big else start  # tf.gather into [small pool, big pool]
        if index < small_len:
            windows.append((index, index + small))
        elif index - small_len < big_len:
            windows.append((index - small_len, index - small_len + big))
        else:
            raise ShapeError(f"indices[{o}] = {index} is not in [0, {small_len + big_len}) [Op:GatherV2]",
                             framework="keras", rule="gather-index", values={"input": size, "output": output})
    return tuple(windows)


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


def window_gaps(windows: Sequence[Window], size: int) -> tuple[int, ...]:
    """Input cells no window covers (never in torch; Keras's float32 windows can skip one)."""
    if not windows:
        return ()
    reach = 0
    gaps: list[int] = []
    for s, e in sorted(windows):
        gaps.extend(range(reach, s))
        reach = max(reach, e)
    gaps.extend(range(reach, size))
    return tuple(gaps)


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


def unpool_default(size: int, kernel: int, stride: int, padding: int) -> int:
    """``(size - 1) * stride + kernel - 2 * padding`` (torch/nn/functional.py ``_unpool_output_size``)."""
    return (size - 1) * stride + kernel - 2 * padding


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
    first = (size - 1) * stride + (kernel if padding == "valid" else 1)
    return range(first, first + stride)


def onnx_unpool_default(size: int, kernel: int, stride: int, pad_before: int, pad_after: int) -> int:
    """``(size - 1) * stride + kernel - pad_before - pad_after``: onnx 1.23.2 onnx/defs/nn/defs.cc
    ``maxUnpoolShapeInference`` and onnxruntime 1.31.1 core/providers/cpu/nn/unpool.cc
    ``MaxUnpool::Compute`` (which rejects a result <= 0); confirmed by running both."""
    return (size - 1) * stride + kernel - pad_before - pad_after


def onnx_pool_inputs(size: int, kernel: int, stride: int, pad_before: int, pad_after: int) -> tuple[int, ...]:
    """Every input size onnxruntime's MaxPool (ceil_mode 0) maps to ``size``:
    ``trunc((n + pad_before + pad_after - kernel) / stride) + 1 == size`` (pool_attributes.h
    ``ComputeOutputSize``, int64 division toward zero, so a window larger than the padded input
    still gives 1); n >= 1. The default is always one of them."""
    default = onnx_unpool_default(size, kernel, stride, pad_before, pad_after)
    return tuple(n for n in range(max(1, default - stride + 1), default + stride)
                 if div_trunc(n + pad_before + pad_after - kernel, stride) + 1 == size)


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
