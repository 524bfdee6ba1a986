"""Pooling rules, one axis at a time: window counts, the ceil_mode drop, and the taps of a
window that fall in a range. Integer arithmetic only."""

from __future__ import annotations

from convshape.rules.arith import div_ceil, div_trunc
from convshape.rules.conv import effective_kernel


def window_count(size: int, kernel: int, stride: int, dilation: int, pad_before: int, pad_after: int,
                 ceil_mode: bool, trunc: bool = False) -> int:
    """Windows before any drop: ``floor((size + pad_before + pad_after - eff) / stride) + 1``, or
    ``ceil(...) + 1`` with ``ceil_mode`` (eff = dilation * (kernel - 1) + 1).

    torch ``pooling_output_shape_pad_lr`` (aten/src/ATen/native/Pool.h) floors with ``div_rtn``
    and ceils as ``div_rtn(num + stride - 1, stride)``; onnxruntime ``PoolAttributes::
    ComputeOutputSize`` (core/providers/cpu/nn/pool_attributes.h) divides int64 (``trunc``:
    toward zero) and ceils with ``std::ceil``; Caffe ``PoolingLayer::Reshape`` floors or ceils a
    float quotient (exact here for sizes below 2**24).
    """
    num = size + pad_before + pad_after - effective_kernel(kernel, dilation)
    if ceil_mode:
        return div_ceil(num, stride) + 1
    return (div_trunc(num, stride) if trunc else num // stride) + 1


def window_start(index: int, stride: int, pad_before: int) -> int:
    """Where window ``index`` starts in input coordinates (negative: in the left padding):
    ``index * stride - pad_before`` (torch Pool.h ``pooling_output_shape``'s windows, ONNX, Caffe)."""
    return index * stride - pad_before


def starts_past_input(count: int, size: int, stride: int, pad_before: int) -> bool:
    """Whether the last of ``count`` windows would start in the right padding or beyond:
    ``(count - 1) * stride >= size + pad_before``. torch, ONNX (onnx#5741) and Caffe (with
    padding) then drop it: "ensure that the last pooling starts inside the image"."""
    return count >= 1 and window_start(count - 1, stride, pad_before) >= size


def tap_range(start: int, kernel: int, dilation: int, lo: int, hi: int) -> range:
    """The taps ``t`` (0 <= t < kernel) with ``lo <= start + t * dilation < hi``: a window's taps
    that read the cells ``[lo, hi)`` (the input, or one side's padding)."""
    first = max(0, div_ceil(lo - start, dilation))
    last = min(kernel, div_ceil(hi - start, dilation))
    return range(first, max(first, last))


def taps(start: int, kernel: int, dilation: int, lo: int, hi: int) -> int:
    """How many of the taps ``start + t * dilation`` (0 <= t < kernel) fall in ``[lo, hi)``."""
    return len(tap_range(start, kernel, dilation, lo, hi))
