"""Convolution rules, one axis at a time: forward output, SAME padding, transposed length,
and the stride-dilated input a transposed convolution is the convolution of.

Integer arithmetic only; each function names the framework source it follows.
"""

from __future__ import annotations

from convshape.rules.arith import div_ceil, div_trunc


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


def dilated_size(size: int, step: int) -> int:
    """Cells of ``size`` values spread ``step`` apart (``step - 1`` zeros between):
    ``(size - 1) * step + 1``, 0 for an empty input. The stride-dilated input of a transposed
    convolution (``jax.lax.conv_transpose`` runs ``conv_general_dilated`` with
    ``lhs_dilation=stride``) and the extent of a dilated kernel (``effective_kernel``)."""
    return (size - 1) * step + 1 if size else 0


def lax_transposed_output(size: int, kernel: int, stride: int, dilation: int, lo: int, hi: int) -> int:
    """A transposed convolution as JAX writes it: the forward, stride-1 convolution of the
    stride-dilated input padded ``lo``/``hi`` (``jax.lax.conv_transpose``:
    ``conv_general_dilated(lhs_dilation=strides)``), i.e. ``(size - 1) * stride + 1 + lo + hi - eff + 1``.
    The same length as :func:`transposed_output` with pads ``eff - 1 - lo`` and ``eff - 1 - hi``."""
    return conv_output(dilated_size(size, stride), kernel, 1, dilation, lo, hi)


def transposed_offset(kernel: int, stride: int, dilation: int, pad_before: int, pad_after: int,
                      output_padding: int) -> int:
    """The constant ``c`` of a transposed output ``stride * size + c``:
    ``dilation * (kernel - 1) + 1 + output_padding - stride - pad_before - pad_after``
    (:func:`transposed_output` at size 0)."""
    return transposed_output(0, kernel, stride, dilation, pad_before, pad_after, output_padding)
