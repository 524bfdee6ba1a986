"""Onnx: every op family's rules as this framework applies them, with their sources."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from convshape import rules
from convshape.frameworks.base import (ConvRules, Framework, Pad, PoolRules)
from convshape.model import AxisSpec, Counted, TransposeOption, TransposedAxis


class Conv(ConvRules):
    name = "onnx"
    title = "ONNX (operator spec; onnxruntime where the spec is silent)"
    default_padding = "0"  # auto_pad=NOTSET, pads all 0
    keywords = {"valid": "auto_pad=VALID: no padding",
                "same": "auto_pad=SAME_UPPER (ONNX has no plain SAME)",
                "same-upper": "auto_pad=SAME_UPPER: output ceil(i/s), extra at the end",
                "same-lower": "auto_pad=SAME_LOWER: output ceil(i/s), extra at the start"}
    transposed_keywords = {"valid": "auto_pad=VALID", "same": "auto_pad=SAME_UPPER",
                           "same-upper": "auto_pad=SAME_UPPER: output i*s (when d*(k-1)+1 + output_padding >= s), "
                                         "the extra cropped at the end",
                           "same-lower": "auto_pad=SAME_LOWER: the extra cropped at the start"}
    explicit = "asymmetric"  # pads=[x1_begin, x2_begin, ..., x1_end, x2_end, ...]
    explicit_transposed = "asymmetric"
    output_padding_with_size = True  # output_padding then only enters the generated pads
    sources = {
        "conv": "onnx/defs/nn/defs.cc Conv (auto_pad, pads) and convPoolShapeInference; onnxruntime "
                "core/providers/common.h ComputePadAndOutputShape (a padded input smaller than the kernel is "
                "rejected: 'Invalid input shape')",
        "transposed": "onnx/defs/nn/defs.cc ConvTranspose (output_shape, output_padding, the pads equations); "
                      "onnxruntime core/providers/cpu/nn/conv_transpose_attributes.h ComputePadsAndOutputShape",
    }

    def notes(self, specs: list[AxisSpec], pads: list[Pad], transposed: bool) -> list[str]:
        if any(p in ("same", "same-upper", "same-lower") for p in pads) and any(a.dilation > 1 for a in specs):
            return ["onnxruntime rejects auto_pad SAME_UPPER / SAME_LOWER with dilations > 1 ('Dilation not "
                    "supported for AutoPadType'); the spec and shape inference allow it"]
        return []

    def check_explicit(self, pair: tuple[int, int], transposed: bool, ndim: int, keyword: str | None = None) -> None:
        if min(pair) < 0:
            raise self.error(f"Attribute pads must not contain negative values, but got pads {pair[0]}:{pair[1]}",
                             "negative-padding", pad_before=pair[0], pad_after=pair[1])
        super().check_explicit(pair, transposed, ndim, keyword)

    def conv_output(self, a: AxisSpec, pad_before: int, pad_after: int) -> int:
        out = rules.conv_output(a.input, a.kernel, a.stride, a.dilation, pad_before, pad_after)
        if out < 1:
            raise self.error(f"Invalid input shape: {{{a.input}}} (padded input {a.input + pad_before + pad_after} is "
                             f"smaller than the kernel {rules.effective_kernel(a.kernel, a.dilation)})",
                             "kernel-larger-than-input", input=a.input)
        return out

    def output_shape_pads(self, a: AxisSpec, padding: Pad, output_padding: int, output: int) -> tuple[int, int]:
        """ConvTranspose's pads for an output size: ``total = max(0, F + output_padding - output)``,
        SAME_UPPER puts the odd extra at the end, every other auto_pad (NOTSET too) at the start."""
        full = (a.input - 1) * a.stride + rules.effective_kernel(a.kernel, a.dilation)
        total = max(0, full + output_padding - output)
        return rules.split_padding(total, extra_at_end=padding in ("same", "same-upper"))

    def transposed(self, a: AxisSpec, padding: Pad, output_padding: int | None, output_size: int | None,
                   ndim: int, axis: int) -> TransposedAxis:
        op = output_padding or 0
        if op < 0:
            raise self.error(f"Attribute output_padding must not contain negative values, but got {op}",
                             "negative-output-padding", output_padding=op)
        if op >= max(a.stride, a.dilation):
            raise self.error(f"output_padding[{axis}] ({op}) must be less than max(stride, dilation) "
                             f"({max(a.stride, a.dilation)}) for spatial dimension {axis}.", "output-padding",
                             output_padding=op, stride=a.stride, dilation=a.dilation)
        eff = rules.effective_kernel(a.kernel, a.dilation)
        full = (a.input - 1) * a.stride + eff
        if isinstance(padding, str) and padding != "valid":
            self.pads(a, padding, transposed=True, ndim=ndim)  # rejects keywords ONNX lacks
            default_pads = self.output_shape_pads(a, padding, op, a.input * a.stride)
        else:
            default_pads = self.pads(a, padding, transposed=True, ndim=ndim)
        default = full + op - default_pads[0] - default_pads[1]

        def back(o: int, pb: int, pa: int) -> int:
            return (o + pb + pa - eff) // a.stride + 1

        # output_shape: any size whose auto-generated pads the forward Conv maps back to the input.
        # Those pads total max(0, F + op - o), so the size the forward Conv gives back is
        # non-decreasing in o and the accepted sizes are one run, found by bisection; options are
        # listed for the sizes around the default, the ends of the run and a wanted size (a run
        # of millions of sizes is not spelled out one by one).
        run = rules.preimage(lambda o: back(o, *self.output_shape_pads(a, padding, op, o)), a.input, 1,
                             full + a.stride - 1)
        valid = tuple(range(run[0], run[1] + 1)) if run else ()
        listed = {default + d for d in range(-a.stride - 1, a.stride + 2)} | set(run or ())
        if output_size is not None:
            listed.add(output_size)
        options = []
        for o in sorted(listed):
            if run and run[0] <= o <= run[1]:
                pb, pa = self.output_shape_pads(a, padding, op, o)
                select = f"output_shape={o}" + (" or the default" if o == default else "")
                options.append(TransposeOption(o, op, pb, pa, select))
        if output_size is not None:
            if output_size <= 0:
                raise self.error(f"Explicit output size must be positive. Got: {output_size}", "output-size",
                                 output_size=output_size)
            pb, pa = self.output_shape_pads(a, padding, op, output_size)
            if back(output_size, pb, pa) != a.input:
                raise self.error(f"Explicit output_shape is inconsistent with input spatial dimensions and "
                                 f"convolution parameters. Expected input size {back(output_size, pb, pa)} but got "
                                 f"{a.input} (output_size={output_size}, kernel={a.kernel}, stride={a.stride}, "
                                 f"dilation={a.dilation}, output_padding={op}).", "output-size",
                                 output_size=output_size)
            return TransposedAxis(a.input, a.kernel, a.stride, a.dilation, pb, pa, op, output_size, valid,
                                  tuple(options))
        pb, pa = default_pads
        if default <= 0:
            raise self.error(f"Computed output dimension is <= 0: {default} (input={a.input}, pads {pb}:{pa})",
                             "output-too-small", output=default)
        if back(default, pb, pa) != a.input:
            raise self.error(f"Computed output shape is inconsistent with input spatial dimensions. output_padding "
                             f"({op}) may be too large for stride ({a.stride}). Expected input size "
                             f"{back(default, pb, pa)} but got {a.input}.", "output-padding", output_padding=op,
                             stride=a.stride)
        return TransposedAxis(a.input, a.kernel, a.stride, a.dilation, pb, pa, op, default, valid, tuple(options))


class Pool(PoolRules):
    name = "onnx"
    title = "ONNX (operator spec; onnxruntime where the spec is silent)"
    ops = {"max": "MaxPool", "avg": "AveragePool", "lp": "LpPool"}
    ndims = (1, 2, 3)
    keywords = {"valid": "auto_pad=VALID", "same": "auto_pad=SAME_UPPER",
                "same-upper": "auto_pad=SAME_UPPER: output ceil(i/s), the odd padding at the end",
                "same-lower": "auto_pad=SAME_LOWER: the odd padding at the start"}
    explicit = "asymmetric"
    cip_default = False
    stride_is_kernel = False  # "If not present, the stride defaults to 1 along each spatial axis"
    trunc = True  # ComputeOutputSize: int64 division
    sources = {
        "size": "onnx/defs/nn/defs.cc pool doc and convPoolShapeInference (ceil_mode drops a window starting in the "
                "right padding, onnx#5741); onnxruntime core/providers/cpu/nn/pool_attributes.h ComputeOutputSize "
                "(int64 division toward zero, std::ceil, 'Calculated output dimension is negative')",
        "checks": "pool_attributes.h PoolAttributes ('Pad should be smaller than kernel.'); shape inference "
                  "('Attribute strides must only contain positive values', pads non-negative)",
        "average": "AveragePool count_include_pad, default 0: padded cells are not counted",
    }

    def check_values(self, kind: str, ndim: int, specs: list[AxisSpec]) -> None:
        for what, values in (("kernel_shape", [a.kernel for a in specs]), ("strides", [a.stride for a in specs]),
                             ("dilations", [a.dilation for a in specs])):
            if min(values) < 1:
                raise self.error(f"[ShapeInferenceError] Attribute {what} must only contain positive values",
                                 {"kernel_shape": "kernel", "strides": "stride"}.get(what, "dilation"),
                                 **{what: tuple(values)})

    def check_explicit(self, kind: str, ndim: int, axis: int, a: AxisSpec, pair: tuple[int, int]) -> None:
        if min(pair) < 0:
            raise self.error(f"[ShapeInferenceError] Attribute pads must not contain negative values, but got pads "
                             f"{pair[0]}:{pair[1]}", "negative-padding", pad_before=pair[0], pad_after=pair[1])
        if max(pair) >= a.kernel:
            raise self.error(f"Pad should be smaller than kernel. (pads {pair[0]}:{pair[1]}, kernel_shape {a.kernel})",
                             "padding-window", pad_before=pair[0], pad_after=pair[1], kernel=a.kernel)

    def check_output(self, kind: str, ndim: int, specs: list[AxisSpec], counted: list[Counted]) -> None:
        for a, c in zip(specs, counted):
            if c.output < 0:
                raise self.error("Calculated output dimension is negative. Check kernel_shape, pads, strides and "
                                 f"dilations. (output {c.output} for input {a.input}, pads {c.pad_before}:"
                                 f"{c.pad_after}, kernel_shape {a.kernel})", "output-negative", output=c.output)

    def notes(self, kind: str, ndim: int, specs: list[AxisSpec], pads: list[Pad], stride_given: bool,
              result_axes: Sequence[Any], ceil_mode: bool) -> list[str]:
        notes = []
        if not stride_given:
            notes.append("ONNX strides default to 1, not to the kernel size as in torch and Keras")
        same = [p for p in pads if p in ("same", "same-upper", "same-lower")]
        if same and any(a.dilation > 1 for a in specs):
            ort = []
            for a, p in zip(specs, pads):  # onnxruntime sizes SAME's padding by the undilated kernel
                total = (rules.same_output(a.input, a.stride) - 1) * a.stride + a.kernel - a.input
                ort.append(rules.div_trunc(a.input + total - rules.effective_kernel(a.kernel, a.dilation), a.stride) + 1)
            notes.append("onnxruntime 1.31 computes SAME padding from the undilated kernel and gives output "
                         + "x".join(str(o) for o in ort) + "; the spec and shape inference give ceil(i/s)")
        if same and kind == "max" and any(
                (rules.same_output(a.input, a.stride) - 1) * a.stride + a.kernel < a.input for a in specs):
            notes.append("onnxruntime 1.31 rejects this MaxPool ('padding values must be non-negative'): its SAME "
                         "padding goes negative when kernel < stride")
        if any(a.input + a.pad_before + a.pad_after < rules.effective_kernel(a.kernel, a.dilation)
               and a.output > 0 for a in result_axes):
            notes.append("the padded input is smaller than the window: onnxruntime and shape inference divide toward "
                         "zero and keep a window reaching past the end; the spec's floor formula (and the reference "
                         "evaluator) give one window less")
        return notes


CONV = Conv()
POOL = Pool()
FRAMEWORK = Framework("onnx", "ONNX", "onnx 1.23.2 (operator spec, shape inference)", CONV, POOL)
