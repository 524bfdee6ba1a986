"""Per-axis shape rules: small pure integer functions, one axis at a time.

Every function here uses integer arithmetic only. Where a framework is written in C++ and
divides a possibly negative numerator, it truncates toward zero rather than flooring;
``div_trunc`` reproduces that, ``//`` is Python's floor.
"""

from __future__ import annotations

from collections.abc import Callable


def div_trunc(a: int, b: int) -> int:
    """C/C++ integer division (truncates toward zero), for b > 0."""
    q = abs(a) // b
    return q if a >= 0 else -q


def div_ceil(a: int, b: int) -> int:
    """ceil(a / b) for b > 0, in integers."""
    return -((-a) // b)


def effective_kernel(kernel: int, dilation: int) -> int:
    """The extent a dilated kernel covers: ``dilation * (kernel - 1) + 1``."""
    return dilation * (kernel - 1) + 1


def conv_output(size: int, kernel: int, stride: int, dilation: int, pad_before: int, pad_after: int) -> int:
    """Output of a convolution with explicit padding, floor rounding.

    ``floor((size + pad_before + pad_after - dilation * (kernel - 1) - 1) / stride) + 1``,
    as in torch's ``conv_output_size`` (aten/src/ATen/native/ConvUtils.h), ONNX Conv with
    ``auto_pad=NOTSET`` and ``jax.lax.conv_general_dilated`` (before its clamp at 0).
    """
    return (size + pad_before + pad_after - effective_kernel(kernel, dilation)) // stride + 1


def caffe_output(size: int, kernel: int, stride: int, dilation: int, pad: int) -> int:
    """Caffe's convolution output, C++ truncating division:
    ``(input_dim + 2 * pad - kernel_extent) / stride + 1``
    (caffe/src/caffe/layers/conv_layer.cpp, ``ConvolutionLayer::compute_output_shape``).
    Differs from the floor rule when the padded input is smaller than the kernel.
    """
    return div_trunc(size + 2 * pad - effective_kernel(kernel, dilation), stride) + 1


def tf_windowed_output(size: int, kernel: int, stride: int, dilation: int, pad_before: int, pad_after: int) -> int:
    """TensorFlow's VALID / EXPLICIT output, C++ truncating division:
    ``(input_size + padding_before + padding_after - effective_filter_size + stride) / stride``
    (tensorflow/core/framework/kernel_shape_util.cc, ``GetWindowedOutputSizeVerbose``).
    A result of 0 is an empty tensor; TF rejects only a negative one.
    """
    return div_trunc(size + pad_before + pad_after - effective_kernel(kernel, dilation) + stride, stride)


def same_output(size: int, stride: int) -> int:
    """SAME padding's output, ``ceil(size / stride)`` (TF, Keras, JAX, ONNX SAME_*)."""
    return div_ceil(size, stride)


def same_total_padding(size: int, kernel: int, stride: int, dilation: int) -> int:
    """SAME's total padding: ``max(0, (ceil(size / stride) - 1) * stride + effective_kernel - size)``.

    TF ``GetWindowedOutputSizeVerbose`` (kernel_shape_util.cc), ``jax.lax.padtype_to_pads``
    and ONNX Conv's auto_pad rule all use this total.
    """
    return max(0, (same_output(size, stride) - 1) * stride + effective_kernel(kernel, dilation) - size)


def split_padding(total: int, extra_at_end: bool = True) -> tuple[int, int]:
    """Split a total padding into (before, after); an odd total puts the extra at the end
    (TF/Keras/JAX SAME, ONNX SAME_UPPER, torch 'same') or at the start (ONNX SAME_LOWER,
    JAX SAME_LOWER)."""
    small = total // 2
    return (small, total - small) if extra_at_end else (total - small, small)


def transposed_output(
    size: int, kernel: int, stride: int, dilation: int, pad_before: int, pad_after: int, output_padding: int
) -> int:
    """Output of a transposed convolution:
    ``(size - 1) * stride - pad_before - pad_after + dilation * (kernel - 1) + output_padding + 1``.

    torch ``ConvTranspose`` docs and ``conv_input_size`` (aten ConvUtils.h); ONNX ConvTranspose
    ``output_shape`` formula; Caffe ``DeconvolutionLayer::compute_output_shape`` (no
    output_padding there).
    """
    return (size - 1) * stride - pad_before - pad_after + effective_kernel(kernel, dilation) + output_padding


def preimage(f: Callable[[int], int], target: int, lo: int, hi: int) -> tuple[int, int] | None:
    """The run ``[first, last]`` of x in ``[lo, hi]`` where a non-decreasing ``f(x) == target``,
    by binary search (every output size is non-decreasing in the input size), or None."""

    def first_at_least(value: int) -> int:
        a, b = lo, hi + 1
        while a < b:
            mid = (a + b) // 2
            if f(mid) >= value:
                b = mid
            else:
                a = mid + 1
        return a

    first = first_at_least(target)
    if first > hi or f(first) != target:
        return None
    return first, first_at_least(target + 1) - 1
