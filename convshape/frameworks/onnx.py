"""Onnx: every op family's rules as this framework applies them, with their sources."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from convshape import rules
from convshape.frameworks.base import ConvRules, Framework, Pad, PoolRules

SAME = ("same", "same-upper", "same-lower")
from convshape.model import AxisSpec, Counted, TransposeOption, TransposedAxis
from convshape.rules.pool import starts_past_input


class Conv(ConvRules):
    name = "onnx"
    title = "ONNX (operator spec, as shape inference applies it)"
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
        if not transposed and any(p in SAME for p in pads) and any(a.dilation > 1 for a in specs):
            return ["onnxruntime rejects auto_pad SAME_UPPER / SAME_LOWER with dilations > 1 ('Dilation not "
                    "supported for AutoPadType::SAME_UPPER or AutoPadType::SAME_LOWER.'); the spec and shape "
                    "inference allow it"]
        return []

    def result_notes(self, axes: Sequence[Any], transposed: bool) -> list[str]:
        notes = []
        for i, a in enumerate(axes):
            eff = rules.effective_kernel(a.kernel, a.dilation)
            if not transposed and a.input + a.pad_before + a.pad_after < eff:
                floor = rules.conv_output(a.input, a.kernel, a.stride, a.dilation, a.pad_before, a.pad_after)
                notes.append(f"axis {i}: the padded input ({a.input + a.pad_before + a.pad_after}) is smaller than "
                             f"the kernel ({eff}): shape inference divides toward zero and gives {a.output}, the "
                             f"reference evaluator floors ({max(floor, 0)}), onnxruntime rejects it ('Invalid input "
                             f"shape: {{{a.input}}}')")
            if transposed and min(a.pad_before, a.pad_after) < 0:
                notes.append(f"axis {i}: output_shape={a.output} makes the spec's generated pads negative "
                             f"({a.pad_before}:{a.pad_after}); shape inference and the reference evaluator accept it, "
                             f"onnxruntime takes output_shape only up to {a.valid_outputs[-1] if a.valid_outputs else 0}")
            if transposed and a.output_padding >= a.stride:
                notes.append(f"axis {i}: output_padding {a.output_padding} >= stride {a.stride}: shape inference "
                             f"sizes it; onnxruntime and the reference evaluator reject it")
        return notes

    def check_explicit(self, pair: tuple[int, int], transposed: bool, ndim: int, keyword: str | None = None) -> None:
        if min(pair) < 0:
            raise self.error(f"Attribute pads must not contain negative values, but got pads {pair[0]}:{pair[1]}",
                             "negative-padding", pad_before=pair[0], pad_after=pair[1])
        super().check_explicit(pair, transposed, ndim, keyword)

    def conv_output(self, a: AxisSpec, pad_before: int, pad_after: int) -> int:
        """Shape inference (convPoolShapeInference): ``trunc((P - eff) / s) + 1``, unchecked, so a padded
        input a little smaller than the kernel gives 1 and a smaller one 0; a negative size is invalid."""
        out = rules.div_trunc(a.input + pad_before + pad_after - rules.effective_kernel(a.kernel, a.dilation),
                              a.stride) + 1
        if out < 0:
            raise self.error(f"shape inference gives a negative output size {out} (input={a.input}, pads "
                             f"{pad_before}:{pad_after}, kernel={a.kernel}, dilation={a.dilation}, stride={a.stride}); "
                             f"the reference evaluator: negative dimensions are not allowed", "output-negative",
                             output=out)
        return out

    #: ConvTranspose: the spec's generated pads may be negative (any output_shape is taken as is);
    #: onnxruntime clamps them at 0 and checks the result
    negative_generated_pads = True
    #: ConvTranspose without output_shape: shape inference and the reference evaluator give an empty
    #: output for 0 (negative is invalid); onnxruntime rejects 0 too
    smallest_default_output = 0

    def check_output_padding(self, a: AxisSpec, op: int, axis: int) -> None:
        """The spec's text asks output_padding to be below "the corresponding stride/dilation
        dimension", but shape inference (convTransposeShapeInference) checks nothing: it adds it
        to the size. convshape follows shape inference; a note names onnxruntime's rejection."""

    def same_total(self, a: AxisSpec, op: int) -> int:
        """ConvTranspose SAME_* without output_shape: shape inference (convTransposeShapeInference) pads
        ``max(eff - s, 0)`` in all, so the output is ``i*s + op`` when ``eff >= s``."""
        return max(rules.effective_kernel(a.kernel, a.dilation) - a.stride, 0)

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
        self.check_output_padding(a, op, axis)
        eff = rules.effective_kernel(a.kernel, a.dilation)
        full = (a.input - 1) * a.stride + eff
        if isinstance(padding, str) and padding != "valid":
            self.pads(a, padding, transposed=True, ndim=ndim)  # rejects keywords ONNX lacks
            default_pads = rules.split_padding(self.same_total(a, op), extra_at_end=padding in ("same", "same-upper"))
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
            if self.negative_generated_pads:  # the spec's equations, whatever their sign
                pb, pa = rules.split_padding(full + op - output_size, extra_at_end=padding in ("same", "same-upper"))
            elif back(output_size, pb, pa) != a.input:
                raise self.error(f"Explicit output_shape is inconsistent with input spatial dimensions and "
                                 f"convolution parameters. Expected input size {back(output_size, pb, pa)} but got "
                                 f"{a.input} (output_size={output_size}, kernel={a.kernel}, stride={a.stride}, "
                                 f"dilation={a.dilation}, output_padding={op}).", "output-size",
                                 output_size=output_size)
            return TransposedAxis(a.input, a.kernel, a.stride, a.dilation, pb, pa, op, output_size, valid,
                                  tuple(options))
        pb, pa = default_pads
        if default < self.smallest_default_output:
            raise self.error(f"Computed output dimension is <= 0: {default} (input={a.input}, pads {pb}:{pa})",
                             "output-too-small", output=default)
        if back(default, pb, pa) != a.input and not self.negative_generated_pads:
            raise self.error(f"Computed output shape is inconsistent with input spatial dimensions. output_padding "
                             f"({op}) may be too large for stride ({a.stride}). Expected input size "
                             f"{back(default, pb, pa)} but got {a.input}.", "output-padding", output_padding=op,
                             stride=a.stride)
        return TransposedAxis(a.input, a.kernel, a.stride, a.dilation, pb, pa, op, default, valid, tuple(options))


class Pool(PoolRules):
    name = "onnx"
    title = "ONNX (operator spec, as shape inference applies it)"
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

    def count(self, kind: str, ndim: int, axis: int, a: AxisSpec, pads: tuple[int, int], ceil_mode: bool) -> Counted:
        """Shape inference (opset 22, convPoolShapeInference): ceil_mode is ``trunc((num + s - 1) / s) + 1``,
        then the window starting past ``i + pad_before`` is dropped (onnxruntime takes an exact ceil)."""
        if not ceil_mode:
            return super().count(kind, ndim, axis, a, pads, ceil_mode)
        pb, pa = pads
        num = a.input + pb + pa - rules.effective_kernel(a.kernel, a.dilation)
        floor = rules.div_trunc(num, a.stride) + 1
        raw = rules.div_trunc(num + a.stride - 1, a.stride) + 1
        dropped = starts_past_input(raw, a.input, a.stride, pb)
        return Counted(pb, pa, raw - dropped, floor, raw, dropped)

    def check_output(self, kind: str, ndim: int, specs: list[AxisSpec], counted: list[Counted]) -> None:
        for a, c in zip(specs, counted):
            if c.output < 0:
                raise self.error(f"shape inference gives a negative output size {c.output} (input {a.input}, pads "
                                 f"{c.pad_before}:{c.pad_after}, kernel_shape {a.kernel})", "output-negative",
                                 output=c.output)

    def notes(self, kind: str, ndim: int, specs: list[AxisSpec], pads: list[Pad], stride_given: bool,
              result_axes: Sequence[Any], ceil_mode: bool) -> list[str]:
        notes = []
        if not stride_given:
            notes.append("ONNX strides default to 1, not to the kernel size as in torch and Keras")
        if self.name == "onnx" and any(max(a.pad_before, a.pad_after) >= a.kernel for a in result_axes
                                       if not isinstance(pads[0], str)):
            notes.append("a pad is not smaller than the kernel: the spec and shape inference size it, onnxruntime "
                         "refuses the model ('Pad should be smaller than kernel.')")
        same = [p for p in pads if p in ("same", "same-upper", "same-lower")]
        if same and any(a.dilation > 1 for a in specs):
            ort = []
            for a, p in zip(specs, pads):  # onnxruntime sizes SAME's padding by the undilated kernel
                total = (rules.same_output(a.input, a.stride) - 1) * a.stride + a.kernel - a.input
                ort.append(rules.div_trunc(a.input + total - rules.effective_kernel(a.kernel, a.dilation), a.stride) + 1)
            notes.append("onnxruntime 1.32 computes SAME padding from the undilated kernel and gives output "
                         + "x".join(str(o) for o in ort) + "; the spec and shape inference give ceil(i/s)")
        if same and kind == "max" and any(
                (rules.same_output(a.input, a.stride) - 1) * a.stride + a.kernel < a.input for a in specs):
            notes.append("onnxruntime 1.32 rejects this MaxPool ('padding values must be non-negative'): its SAME "
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
