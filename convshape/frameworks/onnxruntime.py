"""onnxruntime's CPU execution provider: the ONNX operators as onnxruntime 1.32 runs them.

Derives from :mod:`convshape.frameworks.onnx` (the operator spec as shape inference applies it)
and overrides only where the runtime differs, each difference observed on onnx 1.23.2 /
onnxruntime 1.32.0 (tests/data/generate_onnx_ort.py records them) and read in its source:
core/providers/common.h (Conv sizes), core/providers/cpu/nn/conv_attributes.h,
conv_transpose_attributes.h (ConvTranspose), pool_attributes.h (pooling).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from convshape.errors import Rule
from convshape import rules
from convshape.frameworks import onnx
from convshape.frameworks.base import Framework, Pad, PoolRules
from convshape.model import AxisSpec, Counted, IntRuns, TransposeOption, TransposeOptions


class Conv(onnx.Conv):
    name = "onnxruntime"
    title = "onnxruntime (CPU provider)"
    negative_generated_pads = False  # generated pads are clamped at 0; the result must map back to the input
    smallest_default_output = 1  # 'Computed output dimension is <= 0'
    #: ConvTranspose runs an empty spatial axis where its computed output is positive (observed, 300 random
    #: cases: s*(0-1) + d*(k-1) + 1 + output_padding - pads, checked as for any input); with output_shape
    #: conv_transpose_attributes.h refuses it ('Input spatial dimension must be positive. Got: 0')
    transposed_empty_input = True
    sources = {
        "conv": "onnxruntime core/providers/common.h ComputePad / ComputeOutputShape ('Invalid input shape' when "
                "the padded input is smaller than the kernel); conv_attributes.h ('Dilation not supported for "
                "AutoPadType::SAME_UPPER or AutoPadType::SAME_LOWER.')",
        "transposed": "onnxruntime core/providers/cpu/nn/conv_transpose_attributes.h ComputePadsAndOutputShape: "
                      "output_shape 1 .. s(i-1) + eff + s - 1 under every auto_pad; SAME without output_shape "
                      "min(i*s, s(i-1) + eff + output_padding); output_padding < stride",
    }

    def pads(self, a: AxisSpec, padding: Pad, transposed: bool = False, ndim: int = 2) -> tuple[int, int]:
        if not transposed and padding in onnx.SAME and a.dilation > 1:
            raise self.error("Dilation not supported for AutoPadType::SAME_UPPER or AutoPadType::SAME_LOWER.",
                             Rule.DILATION_UNSUPPORTED, dilation=a.dilation)
        return super().pads(a, padding, transposed, ndim)

    def conv_output(self, a: AxisSpec, pad_before: int, pad_after: int) -> int:
        out = rules.conv_output(a.input, a.kernel, a.stride, a.dilation, pad_before, pad_after)
        if out < 1:
            raise self.error(f"Invalid input shape: {{{a.input}}} (padded input {a.input + pad_before + pad_after} is "
                             f"smaller than the kernel {rules.effective_kernel(a.kernel, a.dilation)})",
                             Rule.KERNEL_LARGER_THAN_INPUT, input=a.input)
        return out

    def transposed(self, a: AxisSpec, padding: Pad, output_padding: int | None, output_size: int | None,
                   ndim: int, axis: int) -> Any:
        """As the spec's, and an empty input (0) as conv_transpose_attributes.h takes it (observed):
        refused with output_shape; with output_padding > 0 the forward check maps the output back to
        ``trunc((output_padding - s) / s) + 1`` (C++ division toward zero), not 0: inconsistent."""
        op = output_padding or 0
        if a.input == 0 and output_size is not None:
            raise self.error(f"Input spatial dimension must be positive. Got: {a.input}", Rule.INPUT_SIZE,
                             input=a.input)
        if a.input == 0 and op > 0:
            self.check_output_padding(a, op, axis)
            back = abs(op - a.stride) // a.stride * (1 if op >= a.stride else -1) + 1
            raise self.error(f"Computed output shape is inconsistent with input spatial dimensions. output_padding "
                             f"({op}) may be too large for stride ({a.stride}). Expected input size {back} but got "
                             f"0.", Rule.OUTPUT_PADDING, output_padding=op, stride=a.stride)
        found = super().transposed(a, padding, output_padding, output_size, ndim, axis)
        if a.input == 0:  # output_shape refuses it: the default is the one size
            only = TransposeOption(found.output, op, found.pad_before, found.pad_after,
                                   "the default (output_shape refuses an empty input)")
            found = found._replace(valid_outputs=IntRuns((range(found.output, found.output + 1),)),
                                   options=TransposeOptions(1, lambda i: only,
                                                            lambda o: 0 if o == found.output else None))
        return found

    def check_output_padding(self, a: AxisSpec, op: int, axis: int) -> None:
        if op >= max(a.stride, a.dilation):
            raise self.error(f"output_padding[{axis}] ({op}) must be less than max(stride, dilation) "
                             f"({max(a.stride, a.dilation)}) for spatial dimension {axis}.", Rule.OUTPUT_PADDING,
                             output_padding=op, stride=a.stride, dilation=a.dilation)

    def fitting_output_padding(self, size: int, kernel: int, stride: int, dilation: int, pad_before: int,
                               pad_after: int, target: int) -> int | None:
        """As the spec's, but only below the stride: with explicit pads the forward Conv maps the
        output back to ``((i-1)*s + op)//s + 1``, the input only for op < s (ComputePadsAndOutputShape's check)."""
        op = super().fitting_output_padding(size, kernel, stride, dilation, pad_before, pad_after, target)
        return op if op is not None and op < stride else None

    def solve_output_paddings(self, a: AxisSpec, padding: str, target: int,
                              choices: Sequence[int | None]) -> Sequence[int | None]:
        """VALID gives ``F + op``, SAME ``min(i*s, F + op)`` (:meth:`same_total`): one op below i*s,
        every op from ``i*s - F`` on at i*s, none above; and only op < s, as with explicit pads
        (:meth:`fitting_output_padding`: the output plus its pads is F + op either way)."""
        full = rules.transposed_output(a.input, a.kernel, a.stride, a.dilation, 0, 0, 0)
        if padding == "valid" or target < a.input * a.stride:
            return [target - full] if target - full < a.stride and target - full in choices else []
        if target != a.input * a.stride:
            return []
        if isinstance(choices, range) and choices.step == 1:  # solve's 0..max(s, d) - 1: the run, not a scan
            return range(max(target - full, choices.start), min(a.stride, choices.stop))
        return [op for op in choices if op is not None and target - full <= op < a.stride]

    def same_total(self, a: AxisSpec, op: int) -> int:
        """SAME_* without output_shape: the pads that make the output ``i*s`` where the full output
        is at least that, none otherwise: the output is ``min(i*s, s(i-1) + eff + output_padding)``."""
        full = rules.transposed_output(a.input, a.kernel, a.stride, a.dilation, 0, 0, 0)
        return max(0, full + op - a.input * a.stride)

    def notes(self, specs: list[AxisSpec], pads: list[Pad], transposed: bool) -> list[str]:
        return []

    def result_notes(self, axes: Sequence[Any], transposed: bool) -> list[str]:
        return []  # where the runtime is stricter it rejects, with its own message


class Pool(onnx.Pool):
    name = "onnxruntime"
    title = "onnxruntime (CPU provider)"
    sources = {
        "size": "onnxruntime core/providers/cpu/nn/pool_attributes.h ComputeOutputSize (int64 division toward zero, "
                "std::ceil for ceil_mode, then the window starting past i + pad_head dropped; 'Calculated output "
                "dimension is negative')",
        "same": "pool_attributes.h ComputeSizePadDilations: SAME pads from the UNDILATED kernel, "
                "(ceil(i/s) - 1)*s + k - i, which may be negative",
        "checks": "pool_attributes.h PoolAttributes ('Pad should be smaller than kernel.')",
        "average": "AveragePool count_include_pad, default 0: padded cells are not counted",
    }

    def check_explicit(self, kind: str, ndim: int, axis: int, a: AxisSpec, pair: tuple[int, int]) -> None:
        super().check_explicit(kind, ndim, axis, a, pair)
        if max(pair) >= a.kernel:
            raise self.error(f"Pad should be smaller than kernel. (pads {pair[0]}:{pair[1]}, kernel_shape {a.kernel})",
                             Rule.PADDING_WINDOW, pad_before=pair[0], pad_after=pair[1], kernel=a.kernel)

    def same_pads(self, a: AxisSpec, keyword: str) -> tuple[int, int]:
        """``pad_needed = (ceil(i/s) - 1)*s + k - i`` with the undilated kernel, possibly negative;
        SAME_UPPER's head ``need/2``, SAME_LOWER's ``(need+1)/2`` (C++ division)."""
        need = (rules.same_output(a.input, a.stride) - 1) * a.stride + a.kernel - a.input
        head = rules.div_trunc(need + 1, 2) if keyword == "same-lower" else rules.div_trunc(need, 2)
        return head, need - head

    def at_opset(self, opset: int | None) -> PoolRules:
        return self  # one rule for every opset (observed: tests/data/generate_onnx_ort.py --opset 21 and 28)

    def count(self, kind: str, ndim: int, axis: int, a: AxisSpec, pads: tuple[int, int], ceil_mode: bool) -> Counted:
        return PoolRules.count(self, kind, ndim, axis, a, pads, ceil_mode)  # std::ceil: an exact ceil

    def axes(self, kind: str, ndim: int, specs: list[AxisSpec], pads: list[Pad], ceil_mode: bool) -> list[Counted]:
        counted = super().axes(kind, ndim, specs, pads, ceil_mode)
        if kind == "max" and all(a.dilation == 1 for a in specs) and any(
                min(c.pad_before, c.pad_after) < 0 for c in counted):
            raise self.error("padding values must be non-negative (SAME padding goes negative when the kernel is "
                             "smaller than the stride)", Rule.NEGATIVE_PADDING,
                             pads=tuple((c.pad_before, c.pad_after) for c in counted))
        return counted

    def check_output(self, kind: str, ndim: int, specs: list[AxisSpec], counted: list[Counted]) -> None:
        for a, c in zip(specs, counted):
            if c.output < 0:
                raise self.error("Calculated output dimension is negative. Check kernel_shape, pads, strides and "
                                 f"dilations. (output {c.output} for input {a.input}, pads {c.pad_before}:"
                                 f"{c.pad_after}, kernel_shape {a.kernel})", Rule.OUTPUT_NEGATIVE, output=c.output)

    def notes(self, kind: str, ndim: int, specs: list[AxisSpec], pads: list[Pad], stride_given: bool,
              result_axes: Sequence[Any], ceil_mode: bool) -> list[str]:
        notes = []
        if not stride_given:
            notes.append("ONNX strides default to 1, not to the kernel size as in torch and Keras")
        if any(p in onnx.SAME for p in pads) and any(a.dilation > 1 for a in specs):
            notes.append("SAME padding from the undilated kernel, as onnxruntime computes it; the spec and shape "
                         "inference use the dilated kernel and give ceil(i/s)")
        return notes


class Resample(onnx.Resample):
    """Resize's sizes as onnxruntime computes them, in float32 (upsamplebase.h ``ComputeOutputShape``,
    ``AdjustOutputSizeAsPolicy``); the spec's are named in a warning where they differ."""

    name = "onnxruntime"
    runtime = True


class Adaptive(onnx.Adaptive):
    name = "onnxruntime"


class Unpool(onnx.Unpool):
    name = "onnxruntime"


CONV = Conv()
POOL = Pool()
FRAMEWORK = Framework("onnxruntime", "onnxruntime", "onnxruntime 1.32 (CPUExecutionProvider)", CONV, POOL,
                      resample=Resample(), adaptive=Adaptive(), unpool=Unpool())
