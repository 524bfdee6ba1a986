"""Pooling's per-axis integer formulas: how many windows fit, and whether ceil_mode's last window
starts past the input. No framework names here; the framework modules say which rule each applies."""

from __future__ import annotations

from convshape.rules import div_ceil, div_trunc, effective_kernel

# ---------------------------------------------------------------------------- per-axis rules
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


def starts_past_input(count: int, size: int, stride: int, pad_before: int) -> bool:
    """Whether the last of ``count`` windows would start in the right padding or beyond:
    ``(count - 1) * stride >= size + pad_before``. torch, ONNX (onnx#5741) and Caffe (with
    padding) then drop it: "ensure that the last pooling starts inside the image"."""
    return count >= 1 and (count - 1) * stride >= size + pad_before
