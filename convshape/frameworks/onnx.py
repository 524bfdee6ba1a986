"""Onnx: every op family's rules as this framework applies them, with their sources."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from convshape import rules
from convshape.errors import Rule, ShapeError
from convshape.frameworks.base import (AdaptiveRules, ConvRules, Framework, Pad, PoolRules, ResampleRules,
                                       UnpoolRules, torch_adaptive_windows)
from convshape.limits import INT64_MAX, INT64_MIN
from convshape.limits import shown as shown_int
from convshape.model import (AxisSpec, Counted, IntRuns, Resampled, TransposeOption, TransposedAxis, TransposeOptions,
                             UnpoolAxis, Window)
from convshape.rules.pool import starts_past_input, window_count

SAME = ("same", "same-upper", "same-lower")


class Conv(ConvRules):
    name = "onnx"
    title = "ONNX (operator spec, as shape inference applies it)"
    transposed_output_shape = True
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
                             f"onnxruntime takes output_shape only up to "
                             f"{a.valid_outputs[-1] if a.valid_outputs else 0}")
            if transposed and a.output_padding >= a.stride:
                notes.append(f"axis {i}: output_padding {a.output_padding} >= stride {a.stride}: shape inference "
                             f"sizes it; onnxruntime and the reference evaluator reject it")
        return notes

    def check_explicit(self, pair: tuple[int, int], transposed: bool, ndim: int, keyword: str | None = None) -> None:
        if min(pair) < 0:
            raise self.error(f"Attribute pads must not contain negative values, but got pads {pair[0]}:{pair[1]}",
                             Rule.NEGATIVE_PADDING, pad_before=pair[0], pad_after=pair[1])
        super().check_explicit(pair, transposed, ndim, keyword)

    def conv_output(self, a: AxisSpec, pad_before: int, pad_after: int) -> int:
        """Shape inference (convPoolShapeInference): ``trunc((P - eff) / s) + 1``, unchecked, so a padded
        input a little smaller than the kernel gives 1 and a smaller one 0; a negative size is invalid."""
        out = rules.div_trunc(a.input + pad_before + pad_after - rules.effective_kernel(a.kernel, a.dilation),
                              a.stride) + 1
        if out < 0:
            raise self.error(f"shape inference gives a negative output size {out} (input={a.input}, pads "
                             f"{pad_before}:{pad_after}, kernel={a.kernel}, dilation={a.dilation}, stride={a.stride}); "
                             f"the reference evaluator: negative dimensions are not allowed", Rule.OUTPUT_NEGATIVE,
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

    def keyword_total(self, a: AxisSpec, padding: str, op: int) -> int:
        """ConvTranspose without output_shape: the pads a keyword generates in all (VALID none)."""
        return 0 if padding == "valid" else self.same_total(a, op)

    def solve_output_paddings(self, a: AxisSpec, padding: str, target: int,
                              choices: Sequence[int | None]) -> Sequence[int | None]:
        """Without output_shape a keyword's output is ``F + op - keyword_total(op)``: only the
        output_padding values for which that is ``target`` (output_shape is a way of its own)."""
        full = rules.transposed_output(a.input, a.kernel, a.stride, a.dilation, 0, 0, 0)
        wanted = target - full + self.keyword_total(a, padding, 0)  # the total does not depend on op here
        return [wanted] if wanted in choices else []

    def output_shape_fits(self, a: AxisSpec, padding: Pad, target: int, ndim: int) -> bool:
        """output_shape=target (output_padding 0) is taken: always by the spec (its generated pads may
        be negative); by onnxruntime when the forward Conv maps it back to the input (see transposed)."""
        if self.negative_generated_pads:
            return True
        pb, pa = self.output_shape_pads(a, padding, 0, target)
        return (target + pb + pa - rules.effective_kernel(a.kernel, a.dilation)) // a.stride + 1 == a.input

    def output_shape_pads(self, a: AxisSpec, padding: Pad, output_padding: int, output: int) -> tuple[int, int]:
        """ConvTranspose's pads for an output size: ``total = max(0, F + output_padding - output)``,
        SAME_UPPER puts the odd extra at the end, every other auto_pad (NOTSET too) at the start."""
        full = rules.transposed_output(a.input, a.kernel, a.stride, a.dilation, 0, 0, 0)
        total = max(0, full + output_padding - output)
        return rules.split_padding(total, extra_at_end=padding in ("same", "same-upper"))

    def transposed(self, a: AxisSpec, padding: Pad, output_padding: int | None, output_size: int | None,
                   ndim: int, axis: int) -> TransposedAxis:
        op = output_padding or 0
        if op < 0:
            raise self.error(f"Attribute output_padding must not contain negative values, but got {op}",
                             Rule.NEGATIVE_OUTPUT_PADDING, output_padding=op)
        self.check_output_padding(a, op, axis)
        eff = rules.effective_kernel(a.kernel, a.dilation)
        full = rules.transposed_output(a.input, a.kernel, a.stride, a.dilation, 0, 0, 0)
        if isinstance(padding, str) and padding != "valid":
            self.pads(a, padding, transposed=True, ndim=ndim)  # rejects keywords ONNX lacks
            default_pads = rules.split_padding(self.keyword_total(a, padding, op),
                                               extra_at_end=padding in ("same", "same-upper"))
        else:
            default_pads = self.pads(a, padding, transposed=True, ndim=ndim)
        default = full + op - default_pads[0] - default_pads[1]

        def back(o: int, pb: int, pa: int) -> int:
            return (o + pb + pa - eff) // a.stride + 1

        # output_shape: any size whose auto-generated pads the forward Conv maps back to the input.
        # Those pads total max(0, F + op - o), so the size the forward Conv gives back is
        # non-decreasing in o and the accepted sizes are one run, found by bisection; each size's
        # option is computed when asked for (a run of billions of sizes is not spelled out).
        run = rules.preimage(lambda o: back(o, *self.output_shape_pads(a, padding, op, o)), a.input, 1,
                             full + a.stride - 1)
        sizes = range(run[0], run[1] + 1) if run else range(0)
        valid = IntRuns((sizes,))

        def option(i: int) -> TransposeOption:
            o = sizes[i]
            pb, pa = self.output_shape_pads(a, padding, op, o)
            return TransposeOption(o, op, pb, pa, f"output_shape={o}" + (" or the default" if o == default else ""))

        options = TransposeOptions(len(sizes), option, lambda o: o - sizes.start)
        if output_size is not None:
            if output_size <= 0:
                raise self.error(f"Explicit output size must be positive. Got: {output_size}", Rule.OUTPUT_SIZE,
                                 output_size=output_size)
            pb, pa = self.output_shape_pads(a, padding, op, output_size)
            if self.negative_generated_pads:  # the spec's equations, whatever their sign
                pb, pa = rules.split_padding(full + op - output_size, extra_at_end=padding in ("same", "same-upper"))
            elif back(output_size, pb, pa) != a.input:
                raise self.error(f"Explicit output_shape is inconsistent with input spatial dimensions and "
                                 f"convolution parameters. Expected input size {back(output_size, pb, pa)} but got "
                                 f"{a.input} (output_size={output_size}, kernel={a.kernel}, stride={a.stride}, "
                                 f"dilation={a.dilation}, output_padding={op}).", Rule.OUTPUT_SIZE,
                                 output_size=output_size)
            return TransposedAxis(a.input, a.kernel, a.stride, a.dilation, pb, pa, op, output_size, valid, options)
        pb, pa = default_pads
        if default < self.smallest_default_output:
            raise self.error(f"Computed output dimension is <= 0: {default} (input={a.input}, pads {pb}:{pa})",
                             Rule.OUTPUT_TOO_SMALL, output=default)
        if back(default, pb, pa) != a.input and not self.negative_generated_pads:
            raise self.error(f"Computed output shape is inconsistent with input spatial dimensions. output_padding "
                             f"({op}) may be too large for stride ({a.stride}). Expected input size "
                             f"{back(default, pb, pa)} but got {a.input}.", Rule.OUTPUT_PADDING, output_padding=op,
                             stride=a.stride)
        return TransposedAxis(a.input, a.kernel, a.stride, a.dilation, pb, pa, op, default, valid, options)


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
                             f"{pair[0]}:{pair[1]}", Rule.NEGATIVE_PADDING, pad_before=pair[0], pad_after=pair[1])

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

    def at_opset(self, opset: int | None) -> PoolRules:
        """MaxPool, AveragePool and LpPool changed their shape rule in opset 22 (onnx#5741): a model
        of an earlier opset gets :class:`PoolBefore22`'s."""
        return POOL_BEFORE_22 if opset is not None and opset < 22 else self

    def check_output(self, kind: str, ndim: int, specs: list[AxisSpec], counted: list[Counted]) -> None:
        for a, c in zip(specs, counted):
            if c.output < 0:
                raise self.error(f"shape inference gives a negative output size {c.output} (input {a.input}, pads "
                                 f"{c.pad_before}:{c.pad_after}, kernel_shape {a.kernel})", Rule.OUTPUT_NEGATIVE,
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
            for a, _p in zip(specs, pads):  # onnxruntime sizes SAME's padding by the undilated kernel
                total = (rules.same_output(a.input, a.stride) - 1) * a.stride + a.kernel - a.input
                ort.append(rules.div_trunc(a.input + total - rules.effective_kernel(a.kernel, a.dilation),
                                           a.stride) + 1)
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
        if ceil_mode and self.name == "onnx":
            notes += self.opset_notes(kind, ndim, specs, result_axes)
        return notes

    def opset_notes(self, kind: str, ndim: int, specs: list[AxisSpec], result_axes: Sequence[Any]) -> list[str]:
        """Where the other opset rule (before 22 / from 22) sizes this ceil_mode layer otherwise."""
        other = POOL_BEFORE_22 if self is POOL else POOL
        outs = [other.count(kind, ndim, i, a, (r.pad_before, r.pad_after), True).output
                for i, (a, r) in enumerate(zip(specs, result_axes))]
        if outs == [r.output for r in result_axes]:
            return []
        shape = "x".join(map(str, outs))
        if other is POOL:
            return [f"opset {OPSET_LATEST_POOL} (MaxPool-22, AveragePool-22, LpPool-22) gives {shape}: it computes "
                    f"trunc((num + s - 1) / s) + 1 and drops a last window starting in the right padding (onnx#5741)"]
        return [f"opsets before 22 (MaxPool-12, AveragePool-19, LpPool-18 and earlier) give {shape}: they take an "
                f"exact ceiling and keep a last window starting in the right padding"]




class PoolBefore22(Pool):
    """The ONNX spec before opset 22 (MaxPool-1..12, AveragePool-1..19, LpPool-1..18), as shape
    inference applies it: onnx/defs/nn/old.cc ``convPoolShapeInference_opset19`` and
    ``_opset1_to_11``. ceil_mode is an exact ceiling, ``ceil((i + pads - eff) / s) + 1`` (also for a
    negative numerator: input 1, kernel 3, stride 2 gives 0, where opset 22 gives 1), and a last
    window starting in the right padding is kept (opset 22 drops it, as torch does). onnx 1.23.2's
    shape inference agrees at opsets 10 to 21 (tests/test_onnx_opset_pool.py); onnxruntime 1.32
    sizes every opset alike (frameworks/onnxruntime.py)."""

    title = "ONNX (operator spec before opset 22, as shape inference applies it)"

    def at_opset(self, opset: int | None) -> PoolRules:
        return POOL if opset is None or opset >= 22 else self

    def count(self, kind: str, ndim: int, axis: int, a: AxisSpec, pads: tuple[int, int], ceil_mode: bool) -> Counted:
        pb, pa = pads
        floor = window_count(a.input, a.kernel, a.stride, a.dilation, pb, pa, False, trunc=True)
        if not ceil_mode:
            return Counted(pb, pa, floor, floor, None, False)
        raw = window_count(a.input, a.kernel, a.stride, a.dilation, pb, pa, True)
        return Counted(pb, pa, raw, floor, raw, False)

# ---------------------------------------------------------------------------- resampling
MODES = ("nearest", "linear", "cubic")  # Resize's mode attribute
POLICIES = ("stretch", "not_larger", "not_smaller")  # Resize keep_aspect_ratio_policy
ORT_LINEAR = ("'Linear' mode only supports: * 2-D inputs or * 3-D inputs ('Bilinear', 'Trilinear') or * 4-D inputs "
              "with the corresponding outermost 2 scale values being 1 or the corresponding outermost and innermost "
              "scale values being 1 or * 5-D inputs with the corresponding outermost 2 scale values being 1in the "
              "Resize operator")
ORT_CUBIC = ("'Cubic' mode only supports: * 2-D inputs ('Bicubic') or * 4-D inputs with the corresponding outermost 2 "
             "scale values being 1 or the corresponding outermost and innermost scale values being 1 with antialias "
             "attribute or the corresponding outermost and innermost scale values being 1 and other scales >= 1 "
             "without antialias attribute in the Resize operator")


class Resample(ResampleRules):
    name = "onnx"
    lacks: dict[str, str] = {}
    modes = MODES
    interpolate_name = "ONNX Resize"
    # onnx's align_corners is coordinate_transformation_mode='align_corners': the sampling, not the size
    options = frozenset({"align_corners", "keep_aspect_ratio_policy"})
    shuffle_layers = {"NCHW": "onnx {DepthToSpace}"}
    shuffle_hint = "NCHW (DepthToSpace / SpaceToDepth)"
    #: whose Resize size this is: the spec's (floor with the float32 scale) or onnxruntime's (float32 product)
    runtime = False
    sources = {
        "interpolate": "onnx/defs/tensor/defs.cc Resize (opset 19), utils.cc resizeShapeInferenceVersioned; "
                       "onnx/reference/ops/op_resize.py; onnxruntime core/providers/cpu/tensor/upsamplebase.h",
        "pixel shuffle": "onnx/defs/tensor/defs.cc DepthToSpace / SpaceToDepth; onnxruntime "
                         "core/providers/cpu/tensor/space_depth_ops.h",
    }

    def interpolate(self, n: int, ins: tuple[int, ...], sizes: tuple[int, ...] | None,
                    scales: tuple[Any, ...] | None, scale_arg: Any, mode: str | None, align_corners: bool | None,
                    recompute: bool | None, antialias: bool, policy: str | None, crop: bool, pad: bool,
                    layer_name: str, resizing: bool, warnings: list[str], notes: list[str]) -> Resampled:
        """ONNX ``Resize`` (opset 19; onnx 1.23.2 onnx/defs/tensor/defs.cc and utils.cc
        ``resizeShapeInferenceVersioned``; onnxruntime 1.31 core/providers/cpu/tensor/upsamplebase.h) on an
        ``(N, C, *spatial)`` tensor, ``axes`` = the spatial axes. Checks in onnxruntime's order: shape
        inference, the kernel's constructor (mode, antialias), then ``ScalesValidation``; with ``sizes``
        the zero-input check and the aspect-ratio policy come first. Texts are onnxruntime's (the two
        multi-line ones joined). The sizes are the spec's (``-f onnx``) or onnxruntime's float32 ones
        (``-f onnxruntime``), with a warning naming the other where they differ."""
        from convshape.rules.resample import (float32, onnx_policy_outputs, onnx_scaled_output,
                                              onnxruntime_scaled_output)

        err = self.error
        policy = (policy or "stretch").strip().lower()
        if policy not in POLICIES:
            raise err(f"Unknown value for `keep_aspect_ratio_policy`: {policy}.", Rule.POLICY_UNKNOWN, policy=policy)
        if (sizes is None) == (scales is None):
            raise err("Either `sizes` or `scales` must be provided, but not both of them", Rule.SIZE_OR_SCALE)
        if scales is not None and policy != "stretch":
            raise err('Providing `scales` is incompatible with a `keep_aspect_ratio_policy` other than "stretch".',
                      Rule.POLICY_WITH_SCALE, policy=policy)
        mode = mode or "nearest"
        if mode not in MODES:
            raise err(f"mode attribute is {mode}. It can only be nearest(default) or linear or cubic.",
                      Rule.MODE_UNKNOWN, mode=mode)
        if antialias and mode == "nearest":
            raise err("when anti-aliasing is set, Resize only supports mode `LINEAR` and `CUBIC`.", Rule.ANTIALIAS_MODE)
        if scales is not None:
            used: tuple[float, ...] = tuple(float32(s) for s in scales)
        else:
            for axis, o in enumerate(sizes or ()):  # Resize's sizes input is an int64 tensor
                if not INT64_MIN <= o <= INT64_MAX:
                    raise err(f"sizes[{axis}] = {shown_int(o)} does not fit int64 (Resize's sizes input is an int64 "
                              f"tensor: -2**63 to {INT64_MAX})", Rule.SIZE_OVERFLOW, output=shown_int(o))
            for axis, (i, o) in enumerate(zip(ins, sizes or ())):
                if i == 0 and o != 0:  # "Dimension" counts N and C
                    raise err(f"Input dim is zero but required output dim is non-zero. Cannot scale 0 by any factor "
                              f"to generate a non-zero value. Dimension: {axis + 2} Input dim value: 0 Output dim "
                              f"value: {o}", Rule.INPUT_EMPTY, input=list(ins), output=list(sizes or ()))
            used = tuple(float32(float32(o) / float32(i)) if i else 1.0 for i, o in zip(ins, sizes or ()))
        if policy != "stretch":
            outs, runtime, scale = onnx_policy_outputs(ins, sizes or (), policy)
            used = (scale,) * n
            notes.append(f"keep_aspect_ratio_policy={policy}: one scale for every axis, "
                         f"{'min' if policy == 'not_larger' else 'max'}(size / input) = {scale:.6g}; output "
                         f"round_int(scale x input)")
        if not all(s > 0 for s in used):  # NaN fails too
            raise err("Scale value should be greater than 0.", Rule.SCALE_POSITIVE, scale=list(used))
        if mode == "linear" and n > 3 or mode == "cubic" and n != 2:
            raise err(f"{ORT_LINEAR if mode == 'linear' else ORT_CUBIC} (got a {n + 2}-D input: N, C and {n} spatial "
                      f"axes)", Rule.MODE_RANK, mode=mode, axes=n)
        kernel_scales: tuple[float | None, ...] = used  # the scale each axis hands the kernel
        if scales is not None:
            if any(not i * s < 2.0 ** 63 for i, s in zip(ins, used)):
                raise err(f"output size {ins} x {scales} does not fit int64", Rule.SIZE_OVERFLOW, scale=list(scales))
            outs = tuple(onnx_scaled_output(ins[a], scales[a]) for a in range(n))
            runtime = tuple(onnxruntime_scaled_output(ins[a], scales[a]) for a in range(n))
        elif policy == "stretch":
            outs = runtime = sizes or ()
            kernel_scales = (None,) * n  # the kernel samples at output / input
        if runtime != outs:
            def shown(sizes: Sequence[int]) -> str:
                return "x".join(map(str, sizes))

            how = ("(trunc(float32(input) x float32(scale)))" if scales is not None else
                   "(std::round(scale x input) with a float32 scale)")
            if self.runtime:
                warnings.append(f"the ONNX spec (and onnx's shape inference and reference implementation) gives "
                                f"{shown(outs)}, not onnxruntime 1.31's {shown(runtime)}: onnxruntime computes in "
                                f"float32 {how}")
            else:
                warnings.append(f"onnxruntime 1.31 gives {shown(runtime)}, not the spec's {shown(outs)}: it computes "
                                f"in float32 {how}")
        notes.append("coordinate_transformation_mode and nearest_mode move the sampling points, not the size (even "
                     "tf_crop_and_resize: onnxruntime 1.31 and onnx's shape inference leave out the spec's "
                     "roi_end - roi_start factor)")
        layer = "onnx Resize" + (" (coordinate_transformation_mode=align_corners)" if align_corners else "")
        return Resampled(tuple(runtime if self.runtime else outs), kernel_scales, scales, mode, layer, align_corners,
                         antialias, tuple((i, 0, 0) for i in ins))

    def rounding(self, size: int, scale: Any, scale_used: float | None) -> tuple[str, str]:
        if self.runtime:  # upsamplebase.h ComputeOutputShape: a float32 product, truncated
            return f"scale {scale:g}", f"trunc(float32 {size} x float32 {scale_used!r})"
        return f"scale {scale:g}", f"floor({size} x float32 {scale_used!r})"

    def sampling_step(self, mode: str, n: int, antialias: bool, size: int, extent: int, output: int,
                      scale: float | None, align_corners: bool) -> float:
        from convshape.rules.resample import source_step

        return source_step(extent, output, scale, align_corners)

    def pixel_shuffle(self, shape: tuple[int, ...], factor: int, unshuffle: bool, data_format: str,
                      warnings: list[str], notes: list[str]) -> tuple[int, ...]:
        """ONNX ``DepthToSpace`` / ``SpaceToDepth`` on NCHW: onnx 1.23's shape inference checks the
        blocksize and the rank (onnx/defs/tensor/defs.cc), onnxruntime 1.31 the divisibility when it runs
        (core/providers/cpu/tensor/space_depth_ops.h ``InputValidationsAndOutputDimsCalc``, height before
        width); the texts are theirs, with the values added. blocksize 1 is allowed."""
        r = factor
        def err(msg: str, rule: str) -> ShapeError:
            return ShapeError(msg, framework=self.name, rule=rule, values={"input": list(shape), "factor": r})

        if r <= 0:
            raise err("Blocksize must be positive", Rule.FACTOR_POSITIVE)
        if len(shape) != 4:
            raise err(f"Input tensor must be 4-dimensional, but got rank {len(shape)}", Rule.RANK)
        n, c, h, w = shape
        if unshuffle:
            for size, word in ((h, "height"), (w, "width")):
                if size % r:
                    raise err(f"SpaceToDepth requires input {word} to be a multiple of block_size, but got {word} "
                              f"{size} and block_size {r}", Rule.SPATIAL_DIVISIBLE)
            return (n, c * r * r, h // r, w // r)
        if c % (r * r):
            raise err(f"DepthToSpace requires input depth to be a multiple of (block_size * block_size), but got "
                      f"depth {c} and block_size {r}", Rule.CHANNEL_DIVISIBLE)
        notes.append("DepthToSpace mode DCR (the default; tf.nn.depth_to_space's channel order) and CRD "
                     "(torch's pixel_shuffle order) give the same shape")
        return (n, c // (r * r), h * r, w * r)


# ---------------------------------------------------------------------------- adaptive pooling, unpooling
class Adaptive(AdaptiveRules):
    name = "onnx"
    layers = "GlobalAveragePool / GlobalMaxPool, output 1 on every axis only"
    sources = {"global": "onnx/defs/nn/defs.cc GlobalAveragePool / GlobalMaxPool; torch's TorchScript exporter "
                         "symbolic_opset9.py _adaptive_pool; onnxruntime pool_attributes.h SetOutputSize"}

    def windows(self, kind: str, ins: Sequence[int], outs: Sequence[int], warnings: list[str],
                notes: list[str]) -> Callable[[int, int], Sequence[Window]]:
        """ONNX has no adaptive pooling; output 1 on every axis is GlobalAveragePool / GlobalMaxPool
        (onnx 1.23.2 has no other Global*/Adaptive* pool but GlobalLpPool). torch's TorchScript exporter
        (torch/onnx/_internal/torchscript_exporter/symbolic_opset9.py ``_adaptive_pool``) writes exactly
        that for output 1, and a plain pool with kernel = stride = input / output where that divides.
        onnxruntime 1.31.1 rejects an empty spatial axis (pool_attributes.h ``SetOutputSize``)."""
        if any(o != 1 for o in outs):
            raise ShapeError(f"onnx has no adaptive pooling to output {'x'.join(map(str, outs))}: only Global"
                             f"{'Average' if kind == 'avg' else 'Max'}Pool, which is output 1 on every axis (torch's "
                             f"exporter writes {'AveragePool' if kind == 'avg' else 'MaxPool'} with kernel = stride = "
                             f"input / output where the output divides the input); convshape knows it in "
                             f"{self.known(skip_layers=self.layers)}", framework=self.name, rule=Rule.UNSUPPORTED_OP,
                             values={"output_size": list(outs)})
        if 0 in ins:
            raise ShapeError("Invalid input shape. Only N can be zero. Got:{" + ",".join(map(str, [1, 1, *ins]))
                             + "}", framework=self.name, rule=Rule.INPUT_SIZE, values={"input": list(ins)})
        notes.append(f"ONNX has no adaptive pooling: output 1 on every axis is Global"
                     f"{'Average' if kind == 'avg' else 'Max'}Pool (one window, the whole input), as torch's "
                     f"ONNX exporter writes it")
        return torch_adaptive_windows


class Unpool(UnpoolRules):
    name = "onnx"
    layers = "MaxUnpool, opset 9+ (X, I, optional output_shape)"
    stride_is_kernel = False
    positive = ("input",)
    pooled_by = "MaxPool (ceil_mode 0) maps it to the input"
    sources = {"size": "onnx/defs/nn/defs.cc maxUnpoolShapeInference; onnxruntime core/providers/cpu/nn/unpool.cc, "
                       "unpool.h"}

    def unpool(self, ins: Sequence[int], ks: Sequence[int], ss: Sequence[int], padding: Any,
               outs: Sequence[int] | None, n: int, stride_given: bool) -> tuple[tuple[UnpoolAxis, ...], list[str],
                                                                                  str, list[str]]:
        """ONNX MaxUnpool as onnxruntime 1.31.1 runs it on a (1, 1, *spatial) tensor, its checks in
        its order: the constructor (unpool.h: kernel > 0 and pads < kernel per axis, then strides > 0),
        then ``Compute`` (unpool.cc: each default > 0; with output_shape, its element count >= the
        default's), then every index < the output's element count (data-dependent: a warning here)."""
        import math

        from convshape.params import explicit_padding, format_padding, padding_keyword
        from convshape.rules.unpool import onnx_largest_index, onnx_pool_inputs, onnx_shape_size, onnx_unpool_default

        shown_padding = format_padding(0 if padding is None else padding)
        padding = padding if padding is not None else 0
        err = self.error
        keyword = padding_keyword(padding)
        if keyword and keyword != "valid":
            raise err(f"MaxUnpool has no auto_pad: give the pads of the MaxPool it inverts (N or before:after per "
                      f"axis), not {padding!r}", Rule.PADDING_KEYWORD, padding=padding)
        pairs = [(0, 0)] * n if keyword else explicit_padding(padding, n)
        for k, (pb, pa) in zip(ks, pairs):
            if k < 1:
                raise err(f"kernel_shape_[dim] > 0 was false. (kernel_shape {list(ks)})", Rule.KERNEL_SIZE,
                          kernel=list(ks))
            if max(pb, pa) >= k:
                raise err(f"Pad should be smaller than kernel. (pads {pb}:{pa}, kernel_shape {k})", Rule.PADDING_WINDOW,
                          pad_before=pb, pad_after=pa, kernel=k)
        for s in ss:
            if s < 1:
                raise err(f"All stride values must be positive, got: {s}", Rule.STRIDE_SIZE, stride=s)
        for pb, pa in pairs:
            if min(pb, pa) < 0:  # MaxUnpool alone runs them ((i-1)s + k + 1 for pads -1:0)
                raise err(f"Pad values must be non-negative. (pads {pb}:{pa}: the MaxPool that makes the indices "
                          f"rejects them, though MaxUnpool alone runs them)", Rule.NEGATIVE_PADDING, pad_before=pb,
                          pad_after=pa)
        defaults = [onnx_unpool_default(i, k, s, pb, pa) for i, k, s, (pb, pa) in zip(ins, ks, ss, pairs)]
        for axis, default in enumerate(defaults):
            if default < 1:
                raise err(f"Computed output dimension is not positive for axis {axis + 2}. Check kernel_shape, "
                          f"strides, and pads attributes. (output {default})", Rule.OUTPUT_SIZE, output=default,
                          axis=axis)
        def shape(values: Sequence[int]) -> str:  # TensorShape's printing
            return "{" + ",".join(str(v) for v in [1, 1, *values]) + "}"

        if outs is not None and onnx_shape_size(outs) < math.prod(defaults):
            raise err(f"output_shape is smaller than minimum required. output_shape:{shape(outs)} inferred output "
                      f"shape:{shape(defaults)}", Rule.OUTPUT_SIZE, output_size=list(outs), default=defaults)
        chosen = list(outs) if outs is not None else defaults
        sources = [onnx_pool_inputs(i, k, s, pb, pa) for i, k, s, (pb, pa) in zip(ins, ks, ss, pairs)]
        # per axis, the other axes at their defaults: the element-count check is o >= default, with no upper bound
        axes = tuple(UnpoolAxis(i, k, s, pair[0], pair[1], d, o, IntRuns.run(d, max(d, r[-1])), r, True)
                     for i, k, s, pair, d, o, r in zip(ins, ks, ss, pairs, defaults, chosen, sources))
        warnings: list[str] = []
        size = math.prod(chosen)
        pads_after = [pa for _, pa in pairs]
        for pool_input in (tuple(r[0] for r in sources), tuple(r[-1] for r in sources)):
            index = onnx_largest_index(pool_input, defaults, pads_after)
            if index >= size:
                corner = ",".join(str(min(p, d + pa) - 1) for p, d, pa in zip(pool_input, defaults, pads_after))
                warnings.append(f"the indices of a max pool over {'x'.join(map(str, pool_input))} reach flat index "
                                f"{index} (cell {corner}) but the output has {size} cells: onnxruntime fails ('Index "
                                f"value out of bounds. Got: <the first such index>. Valid range is [0, {size}).') "
                                f"when a maximum lies past the end; pass that input's size as output_shape "
                                f"(output_size={','.join(map(str, pool_input))})")
                break
        notes = [] if stride_given else ["ONNX strides default to 1, not to the kernel size as in torch"]
        notes.append("onnxruntime 1.31.1 checks output_shape only by its element count (>= the default's) and each "
                     "index against it: the indices are flat positions in the max pool's (N, C, ...) input, so the "
                     "maxima land in place only in that input's shape (pool_inputs), and with batch or channels > 1 "
                     "anything else can fail ('Index value out of bounds'); every size above valid_outputs passes "
                     "too")
        if any(a.output not in a.pool_inputs for a in axes):
            notes.append("onnxruntime accepts this size, but no max pool with these attributes maps it to the input: "
                         "the flat indices put the maxima elsewhere")
        return axes, warnings, shown_padding, notes

CONV = Conv()
POOL = Pool()
POOL_BEFORE_22 = PoolBefore22()
OPSET_LATEST_POOL = 22  # the opset of the latest MaxPool / AveragePool / LpPool
FRAMEWORK = Framework("onnx", "ONNX", "onnx 1.23.2 (operator spec, shape inference)", CONV, POOL,
                      resample=Resample(), adaptive=Adaptive(), unpool=Unpool())
