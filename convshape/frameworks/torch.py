"""Torch: every op family's rules as this framework applies them, with their sources."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from convshape import rules
from convshape.errors import Rule, ShapeError
from convshape.frameworks.base import (AdaptiveRules, ConvRules, FractionalRules, Framework, Pad, PoolRules,
                                       ResampleRules, UnfoldRules, UnpoolRules, empty_warnings, torch_adaptive_windows,
                                       torch_shape)
from convshape.limits import INT64_MAX, INT64_MIN
from convshape.model import AxisSpec, IntRuns, Window

if TYPE_CHECKING:  # the other families' values load on first use (convshape.model): start-up
    from convshape.model import Counted, Resampled, TransposedAxis, TransposeOption, UnpoolAxis


class Conv(ConvRules):
    name = "torch"
    title = "PyTorch (torch.nn)"
    solve_explicit = "symmetric"  # nn.ConvNd pads both sides equally (before:after needs F.pad / nn.ZeroPad)
    solve_numbers_first = True
    solve_note = ("torch's Conv layers pad both sides equally: solve lists symmetric paddings and padding='same' "
                  "(an odd total puts the extra at the end)")
    default_padding = "0"
    keywords = {
        "valid": "no padding",
        "same": "stride 1 only; total d*(k-1), the extra at the end (F.pad on the right when odd)",
    }
    transposed_keywords: dict[str, str] = {}
    # nn.ConvTransposeNd(..., output_padding=p)(x, output_size=...): _output_padding computes output_size - min_size
    # and never reads self.output_padding (torch 2.13; test/nn/test_convolution.py relies on it)
    output_padding_with_size = True
    output_size_overrides_output_padding = ("output_padding={output_padding} is ignored: given output_size, "
                                            "nn.ConvTranspose's forward computes output_padding = output_size - "
                                            "the smallest size (torch/nn/modules/conv.py _output_padding)")
    explicit = "asymmetric"  # nn.ConvNd pads symmetrically; before:after means nn.ZeroPadNd / F.pad first
    explicit_transposed = "symmetric"
    sources = {
        "conv": "aten/src/ATen/native/ConvUtils.h conv_output_size; Convolution.cpp check_shape_forward",
        "same": "torch/nn/modules/conv.py _ConvNd.__init__ (_reversed_padding_repeated_twice); "
                "aten Convolution.cpp _convolution_mode",
        "transposed": "torch/nn/modules/conv.py _ConvTransposeNd._output_padding; "
                      "aten Convolution.cpp (output padding check)",
    }

    def check_axis(self, a: AxisSpec, transposed: bool = False) -> None:
        if a.stride < 1:
            raise self.error(f"non-positive stride is not supported, but got stride={a.stride}", Rule.STRIDE,
                             stride=a.stride)
        super().check_axis(a, transposed)

    def notes(self, specs: list[AxisSpec], pads: list[Pad], transposed: bool) -> list[str]:
        if any(isinstance(p, tuple) and p[0] != p[1] for p in pads):
            return ["torch's Conv layers pad both sides equally: before:after means nn.ZeroPad / F.pad before the "
                    "convolution (as padding='same' does internally for an odd total)"]
        return []

    def native_pads(self, a: AxisSpec, keyword: str, transposed: bool) -> tuple[int, int]:
        if keyword == "same":
            if a.stride != 1:
                raise self.error(f"padding='same' is not supported for strided convolutions, but got "
                                 f"stride={a.stride}", Rule.SAME_STRIDED, stride=a.stride)
            return rules.split_padding(a.dilation * (a.kernel - 1), extra_at_end=True)
        return super().native_pads(a, keyword, transposed)

    def conv_output(self, a: AxisSpec, pad_before: int, pad_after: int) -> int:
        padded = a.input + pad_before + pad_after
        eff = rules.effective_kernel(a.kernel, a.dilation)
        if padded < eff:
            raise self.error(f"Calculated padded input size per channel: ({padded}). Kernel size: ({eff}). "
                             f"Kernel size can't be greater than actual input size", Rule.KERNEL_LARGER_THAN_INPUT,
                             padded_input=padded, kernel=eff)
        return rules.conv_output(a.input, a.kernel, a.stride, a.dilation, pad_before, pad_after)

    def transposed(self, a: AxisSpec, padding: Pad, output_padding: int | None, output_size: int | None,
                   ndim: int, axis: int) -> TransposedAxis:
        from convshape.model import TransposedAxis, TransposeOption, TransposeOptions

        pb, pa = self.pads(a, padding, transposed=True, ndim=ndim)
        base = rules.transposed_output(a.input, a.kernel, a.stride, a.dilation, pb, pa, 0)
        limit = max(a.stride, a.dilation)  # output_padding < stride or < dilation
        first = max(0, 1 - base)  # the smallest output_padding giving a non-empty output

        def option(i: int) -> TransposeOption:
            op = first + i
            return TransposeOption(base + op, op, pb, pa,
                                   f"output_padding={op}" + (f" or output_size={base + op}" if op < a.stride else ""))

        options = TransposeOptions(limit - first, option, lambda o: o - base - first)
        if output_size is not None:
            if not base <= output_size <= base + a.stride - 1:
                raise self.error(f"requested an output size of {output_size}, but valid sizes range from {base} "
                                 f"to {base + a.stride - 1} (for an input of {a.input})", Rule.OUTPUT_SIZE_RANGE,
                                 output_size=output_size, min_size=base, max_size=base + a.stride - 1)
            op = output_size - base
        else:
            op = 0 if output_padding is None else output_padding
            if op < 0:
                raise self.error(f"negative output_padding is not supported, but got output_padding={op}",
                                 Rule.NEGATIVE_OUTPUT_PADDING, output_padding=op)
            if op >= a.stride and op >= a.dilation:
                raise self.error(f"output padding must be smaller than either stride or dilation, but got "
                                 f"output_padding={op}, stride={a.stride}, dilation={a.dilation}",
                                 Rule.OUTPUT_PADDING, output_padding=op, stride=a.stride, dilation=a.dilation)
        out = base + op
        if out < 1:
            # torch's oneDNN backend (picked for kernels over 3 on both of the last two axes, batches
            # over 1, groups) skips this check and may return an empty tensor for an output of 0
            caveat = ("; torch's oneDNN backend, which it picks for larger kernels, batches or groups, may "
                      "instead return an empty tensor" if out == 0 and ndim >= 2 else "")
            if options and output_padding is None:  # the default is rejected, a larger size is not
                caveat += "; valid: " + ", ".join(f"{o.select} gives {o.output}" for o in options[:4]) + (
                    f" (and {len(options) - 4} more, up to {options[-1].output})" if len(options) > 4 else "")
            raise self.error(f"Given input size per channel: ({a.input}). Calculated output size per channel: "
                             f"({out}). Output size is too small{caveat}", Rule.OUTPUT_TOO_SMALL, input=a.input,
                             output=out)
        return TransposedAxis(a.input, a.kernel, a.stride, a.dilation, pb, pa, op, out,
                              IntRuns.run(base + first, base + limit - 1), options)


class Pool(PoolRules):
    name = "torch"
    title = "PyTorch (torch.nn.functional)"
    solve_numbers_first = True
    ops = {"max": "F.max_pool{n}d", "avg": "F.avg_pool{n}d", "lp": "F.lp_pool{n}d"}
    keywords: dict[str, str] = {}
    explicit = "symmetric"
    dilation_kinds = ("max",)
    cip_default = True
    sources = {
        "size": "aten/src/ATen/native/Pool.h pooling_output_shape / pooling_output_shape_pad_lr: "
                "floor((i + 2p - d(k-1) - 1) / s) + 1, ceil_mode rounds up and drops a last window starting at or "
                "past i + p",
        "checks": "Pool.h pooling_output_shape (stride, pad <= effective kernel / 2), pool2d_shape_check / "
                  "pool3d_shape_check (pad <= kernel / 2, output >= 1; avg_pool3d: input >= kernel); "
                  "MaxPooling.cpp check_max_pool1d (max_pool1d's own messages)",
        "average": "AveragePool2d.cpp / AvgPoolKernel.cpp: count_include_pad divides by the window clipped to the "
                   "padded input",
        "lp": "torch/nn/functional.py lp_pool1d/2d: avg_pool(x**p, padding=0) * kernel size, then **(1/p)",
    }

    def axes(self, kind: str, ndim: int, specs: list[AxisSpec], pads: list[Pad], ceil_mode: bool) -> list[Counted]:
        op = self.op(kind, ndim)
        padding = []
        for pad in pads:
            if isinstance(pad, str):
                raise self.error(f"{op} takes an integer padding (the same on both sides), not {pad!r}",
                                 Rule.PADDING_KEYWORD, padding=pad)
            if pad[0] != pad[1]:
                raise self.error(f"{op} pads both sides equally, but got padding {pad[0]}:{pad[1]} (F.pad first "
                                 f"pads with zeros, which changes max and LP pooling)", Rule.ASYMMETRIC_PADDING,
                                 pad_before=pad[0], pad_after=pad[1])
            padding.append(pad[0])
        if kind == "lp" and any(padding):
            raise self.error(f"{op} takes no padding (it runs avg_pool with padding=0), but got padding="
                             f"{tuple(padding)}", Rule.PADDING_UNSUPPORTED, padding=tuple(padding))
        if kind == "max" and ndim == 1:
            return [self._max_pool1d(specs[0], padding[0], ceil_mode)]
        # avg_pool1d and lp_pool1d run avg_pool2d on a unit height: its checks name two axes
        view = ([AxisSpec(1, 1, 1, 1)] if ndim == 1 else []) + list(specs)
        view_pads = ([0] if ndim == 1 else []) + padding
        counted = [self._output_shape(a, p, ceil_mode) for a, p in zip(view, view_pads)]
        self._shape_check(kind, view, view_pads, counted)
        return counted[1:] if ndim == 1 else counted

    def _output_shape(self, a: AxisSpec, pad: int, ceil_mode: bool) -> Counted:
        """Pool.h ``pooling_output_shape``: its checks, then the size."""
        from convshape.model import Counted

        if a.stride == 0:
            raise self.error("stride should not be zero", Rule.STRIDE, stride=0)
        if pad < 0:
            raise self.error(f"pad must be non-negative, but got pad: {pad}", Rule.NEGATIVE_PADDING, pad=pad)
        if pad > rules.div_trunc(rules.effective_kernel(a.kernel, a.dilation), 2):
            raise self.error(f"pad should be at most half of effective kernel size, but got pad={pad}, "
                             f"kernel_size={a.kernel} and dilation={a.dilation}", Rule.PAD_HALF_KERNEL, pad=pad,
                             kernel=a.kernel, dilation=a.dilation)
        if a.stride < 0 or a.kernel < 1 or a.dilation < 1:  # rejected by the shape check that follows
            return Counted(pad, pad, 0, 0, None, False)
        return PoolRules.count(self, "max", 2, 0, a, (pad, pad), ceil_mode)

    def _shape_check(self, kind: str, view: list[AxisSpec], pads: list[int], counted: list[Counted]) -> None:
        """Pool.h ``pool2d_shape_check`` / ``pool3d_shape_check``, in their order."""
        names = "HW" if len(view) == 2 else "THW"

        def listing(prefix: str, values: Sequence[int]) -> str:
            return " ".join(f"{prefix}{n}: {v}" for n, v in zip(names, values))

        ks = [a.kernel for a in view]
        if min(ks) < 1:
            raise self.error("kernel size should be greater than zero, but got " + listing("k", ks), Rule.KERNEL,
                             kernel=tuple(ks))
        ss = [a.stride for a in view]
        if min(ss) < 1:
            raise self.error("stride should be greater than zero, but got " + listing("d", ss), Rule.STRIDE,
                             stride=tuple(ss))
        ds = [a.dilation for a in view]
        if min(ds) < 1:
            raise self.error("dilation should be greater than zero, but got " + listing("dilation", ds), Rule.DILATION,
                             dilation=tuple(ds))
        if kind != "max" and len(view) == 3 and any(a.input < a.kernel for a in view):  # avg_pool3d (lp too)
            raise self.error(f"input image (T: {view[0].input} H: {view[1].input} W: {view[2].input}) smaller than "
                             f"kernel size ({listing('k', ks)})", Rule.INPUT_SMALLER_THAN_KERNEL,
                             input=tuple(a.input for a in view), kernel=tuple(ks))
        if any(p > k // 2 for p, k in zip(pads, ks)):
            if len(view) == 2:
                detail = f"padW = {pads[1]}, padH = {pads[0]}, kW = {ks[1]}, kH = {ks[0]}"
            else:
                detail = (f"kT: {ks[0]} kW: {ks[2]} kH: {ks[1]} padT: {pads[0]} padW: {pads[2]} padH: {pads[1]}")
            raise self.error("pad should be smaller than or equal to half of kernel size, but got " + detail,
                             Rule.PAD_HALF_KERNEL, pad=tuple(pads), kernel=tuple(ks))
        outs = [c.output for c in counted]
        if min(outs) < 1:
            raise self.error(f"Given input size: ({'x'.join(str(a.input) for a in view)}). Calculated output size: "
                             f"({'x'.join(str(o) for o in outs)}). Output size is too small", Rule.OUTPUT_TOO_SMALL,
                             output=tuple(outs))

    def _max_pool1d(self, a: AxisSpec, pad: int, ceil_mode: bool) -> Counted:
        """MaxPooling.cpp ``check_max_pool1d``: its own messages, in its order."""
        for ok, message, rule in (
                (a.kernel > 0, f"max_pool1d() kernel_size must be greater than zero, but got {a.kernel}", "kernel"),
                (a.stride > 0, f"max_pool1d() stride must be greater than zero, but got {a.stride}", "stride"),
                (pad >= 0, f"max_pool1d() padding must be non-negative, but got {pad}", "negative-padding"),
                (pad <= a.kernel // 2, f"max_pool1d() padding should be at most half of kernel size, but got "
                                       f"padding={pad} and kernel_size={a.kernel}", "pad-half-kernel"),
                (a.dilation > 0, f"max_pool1d() dilation must be greater than zero, but got {a.dilation}",
                 "dilation")):
            if not ok:
                raise self.error(message, rule, kernel=a.kernel, stride=a.stride, pad=pad, dilation=a.dilation)
        counted = PoolRules.count(self, "max", 1, 0, a, (pad, pad), ceil_mode)
        if counted.output <= 0:
            raise self.error(f"max_pool1d() Invalid computed output size: {counted.output}", Rule.OUTPUT_TOO_SMALL,
                             output=counted.output)
        return counted

    def notes(self, kind: str, ndim: int, specs: list[AxisSpec], pads: list[Pad], stride_given: bool,
              result_axes: Sequence[Any], ceil_mode: bool) -> list[str]:
        notes = []
        if kind == "lp":
            notes.append("lp_pool is avg_pool(x**p, padding=0) times the kernel size, then **(1/p): norm_type never "
                         "changes the shape")
            if ceil_mode and any(w.outside_taps for a in result_axes for w in a.windows):
                notes.append("with ceil_mode a window cut off by the input's end is scaled up: torch multiplies the "
                             "clipped average by the full kernel size (ONNX LpPool sums only the cells present)")
        return notes


# ---------------------------------------------------------------------------- resampling
MODES = ("nearest", "linear", "bilinear", "bicubic", "trilinear", "area", "nearest-exact", "lanczos")
NEAREST_LIKE = ("nearest", "area", "nearest-exact")  # torch: align_corners must stay None
KERNELS = {("nearest", 1): "upsample_nearest1d", ("nearest", 2): "upsample_nearest2d",
           ("nearest", 3): "upsample_nearest3d", ("nearest-exact", 1): "_upsample_nearest_exact1d",
           ("nearest-exact", 2): "_upsample_nearest_exact2d", ("nearest-exact", 3): "_upsample_nearest_exact3d",
           ("area", 1): "adaptive_avg_pool1d", ("area", 2): "adaptive_avg_pool2d",
           ("area", 3): "adaptive_avg_pool3d", ("linear", 1): "upsample_linear1d",
           ("bilinear", 2): "upsample_bilinear2d", ("trilinear", 3): "upsample_trilinear3d",
           ("bicubic", 2): "upsample_bicubic2d", ("lanczos", 2): "_upsample_lanczos2d_aa"}
AXIS_LETTERS = {1: "W", 2: "HW", 3: "DHW"}


class Resample(ResampleRules):
    name = "torch"
    lacks: dict[str, str] = {}
    modes = MODES
    interpolate_name = "torch"
    options = frozenset({"align_corners", "recompute_scale_factor"})
    recompute_hint = ": recompute_scale_factor=True would sample at the size ratio"
    #: torch.nn.Upsample stores ``float(scale_factor) if scale_factor else None``
    #: (torch/nn/modules/upsampling.py), so a single scale of 0 counts as not given
    upsample_zero_scale_is_none = True
    shuffle_layers = {"NCHW": "torch.nn.functional.pixel_{shuffle}",
                      "NCW": "PixelShuffle1D recipe (nn.PixelShuffle on one axis): view + permute"}
    shuffle_hint = "NCHW (F.pixel_shuffle), or NCW for the 1-D recipe"
    sources = {
        "interpolate": "torch/nn/functional.py interpolate; aten/src/ATen/native/UpSample.cpp/.h "
                       "(compute_output_size, upsample_{1,2,3}d_common_check)",
        "pixel shuffle": "aten/src/ATen/native/PixelShuffle.cpp, PixelShuffle.h check_pixel_(un)shuffle_shapes",
    }

    def check_upsample(self, antialias: bool) -> None:
        if antialias:
            raise self.error("torch.nn.Upsample has no antialias argument; use interpolate", Rule.OPTION_UNSUPPORTED,
                             antialias=True)

    def sizes_error(self, ins: Sequence[int], outs: Sequence[int]) -> ShapeError:
        """upsample_{1,2,3}d_common_check (aten/src/ATen/native/UpSample.h), its text per rank."""
        letters = AXIS_LETTERS[len(ins)]
        shown_in = ", ".join(f"{c}: {v}" for c, v in zip(letters, ins))
        shown_out = ", ".join(f"{c}: {v}" for c, v in zip(letters, outs))
        glue = " and output" if len(ins) == 1 else " output"
        return ShapeError(f"Input and output sizes should be greater than 0, but got input ({shown_in}){glue} "
                          f"({shown_out})", framework=self.name, rule=Rule.SIZE_POSITIVE,
                          values={"input": list(ins), "output": list(outs)})

    def area_checks(self, ins: Sequence[int], outs: Sequence[int]) -> None:
        """mode='area' is adaptive_avg_pool{1,2,3}d (aten/src/ATen/native/AdaptiveAveragePooling{,3d}.cpp):
        an output of 0 is allowed (an empty tensor), a negative one and an empty input are not."""
        n = len(ins)
        pooled_out, pooled_in = ([1, *outs], [1, *ins]) if n == 1 else (list(outs), list(ins))  # 1-D runs as 2-D
        name = "adaptive_avg_pool3d" if n == 3 else "adaptive_avg_pool2d"
        if any(o < 0 for o in pooled_out):
            shown = ", ".join(str(o) for o in pooled_out[:2]) + ("," + str(pooled_out[2]) if n == 3 else "")
            raise ShapeError(f"{name}: elements of output_size must be greater than or equal to 0 but received "
                             f"{{{shown}}}", framework=self.name, rule=Rule.SIZE_NEGATIVE,
                             values={"output": list(outs)})
        full = [1, 1, *pooled_in]
        for dim in range(2, len(full)):
            if full[dim] <= 0:
                raise ShapeError(f"{name}(): Expected input to have non-zero size for non-batch dimensions, but "
                                 f"input has sizes {full} with dimension {dim} being empty", framework=self.name,
                                 rule=Rule.INPUT_EMPTY, values={"input": list(ins)})

    def interpolate(self, n: int, ins: tuple[int, ...], sizes: tuple[int, ...] | None,
                    scales: tuple[Any, ...] | None, scale_arg: Any, mode: str | None, align_corners: bool | None,
                    recompute: bool | None, antialias: bool, policy: str | None, crop: bool, pad: bool,
                    layer_name: str, resizing: bool, warnings: list[str], notes: list[str]) -> Resampled:
        """torch.nn.functional.interpolate (torch/nn/functional.py) in its own order of checks, then
        the kernel's; the scale each axis hands the kernel and align_corners in effect."""
        import math

        from convshape.model import Resampled

        from convshape.rules.resample import scaled_output

        mode = mode or "nearest"
        layer = "torch.nn.Upsample" if layer_name == "upsample" else "torch.nn.functional.interpolate"
        torch_err = self.error
        if mode in NEAREST_LIKE:
            if align_corners is not None:
                raise torch_err("align_corners option can only be set with the interpolating modes: "
                                "linear | bilinear | bicubic | trilinear", Rule.ALIGN_CORNERS_MODE, mode=mode)
        elif align_corners is None:
            align_corners = False
        if sizes is not None and scales is not None:
            raise torch_err("only one of size or scale_factor should be defined", Rule.SIZE_AND_SCALE)
        if sizes is None and scales is None:
            raise torch_err("either size or scale_factor should be defined", Rule.SIZE_OR_SCALE)
        if recompute and sizes is not None:
            raise torch_err("recompute_scale_factor is not meaningful with an explicit size.", Rule.RECOMPUTE_WITH_SIZE)
        if mode == "area" and sizes is None:
            recompute = True
            notes.append("mode='area' always recomputes: torch turns the scale into a size and runs "
                         "adaptive_avg_pool, which sees only the sizes")
        kernel_scales: tuple[float | None, ...] = (None,) * n
        outs: tuple[int, ...] | None = sizes
        if recompute:  # Python computes the size; int() of a float raises on nan and infinity
            assert scales is not None  # recompute with a size was rejected above, so scales is set
            for i, s in zip(ins, scales):
                product = float(i) * s  # 0 x inf is NaN
                if math.isnan(product) or math.isinf(product):
                    raise ShapeError(f"cannot convert float {'NaN' if math.isnan(product) else 'infinity'} to "
                                     f"integer", framework=self.name, rule=Rule.SCALE_NOT_FINITE, values={"scale": s})
            outs = tuple(scaled_output(ins[i], scales[i]) for i in range(n))
        elif scales is not None:
            kernel_scales = tuple(float(s) for s in scales)
        if antialias and not (mode in ("bilinear", "bicubic", "lanczos") and n == 2):
            raise torch_err("Anti-alias option is restricted to bilinear, bicubic, and lanczos modes and requires "
                            "a 4-D tensor as input", Rule.ANTIALIAS_MODE, mode=mode)
        rank = n + 2
        wants = {"linear": 1, "bilinear": 2, "bicubic": 2, "lanczos": 2, "trilinear": 3}
        if mode not in MODES or rank > 5 or (mode in wants and wants[mode] != n):
            if mode in ("linear", "bilinear", "trilinear") and 3 <= rank <= 5:
                raise torch_err(f"Got {rank}D input, but {mode} mode needs {wants[mode] + 2}D input", Rule.MODE_RANK,
                                mode=mode, rank=rank)
            raise torch_err(f"Input Error: Only 3D, 4D and 5D input Tensors supported (got {rank}D) for the modes: "
                            f"nearest | linear | bilinear | bicubic | trilinear | lanczos | area | nearest-exact "
                            f"(got {mode})", Rule.MODE_RANK, mode=mode, rank=rank)
        if mode == "lanczos":
            if align_corners:
                raise torch_err("Lanczos mode does not support align_corners=True", Rule.LANCZOS_ALIGN_CORNERS)
            if not antialias:
                raise torch_err("Lanczos mode requires antialias=True", Rule.LANCZOS_ANTIALIAS)
        kernel = KERNELS[(mode, n)]
        if mode == "bilinear" and antialias or mode == "bicubic" and antialias:
            kernel = f"_upsample_{mode}2d_aa"
        if outs is None:  # the C++ kernel computes the size: overflow is checked there
            scales = scales or ()
            products = [float(i) * s for i, s in zip(ins, scales)]
            if any(math.isnan(p) or not -2.0 ** 63 <= p < 2.0 ** 63 for p in products):
                raise torch_err("value cannot be converted to type int64_t without overflow", Rule.SIZE_OVERFLOW,
                                scale=list(scales))
            outs = tuple(scaled_output(ins[i], scales[i]) for i in range(n))
        else:  # sizes (given, or recomputed in Python) reach the C++ binding, which unpacks int64
            for axis, out in enumerate(outs):
                if not INT64_MIN <= out <= INT64_MAX:
                    raise torch_err(f"{kernel}(): argument 'output_size' failed to unpack the object at pos "
                                    f"{axis + 1} with error \"Overflow when unpacking long long", Rule.SIZE_OVERFLOW,
                                    output=out)
        if mode == "area":
            self.area_checks(ins, outs)
            kernel_scales = (None,) * n
        elif any(i <= 0 for i in ins) or any(o <= 0 for o in outs):
            raise self.sizes_error(ins, outs)
        return Resampled(outs, kernel_scales, scales, mode, layer, align_corners, antialias,
                         tuple((i, 0, 0) for i in ins))

    def sampling_step(self, mode: str, n: int, antialias: bool, size: int, extent: int, output: int,
                      scale: float | None, align_corners: bool) -> float:
        from convshape.rules.resample import torch_source_step

        return torch_source_step(mode, n, antialias, size, output, scale, align_corners)

    def pixel_shuffle(self, shape: tuple[int, ...], factor: int, unshuffle: bool, data_format: str,
                      warnings: list[str], notes: list[str]) -> tuple[int, ...]:
        if data_format == "NCW":
            return self.recipe_1d(shape, factor, unshuffle)
        out = self.shuffle(shape, factor, unshuffle)
        if unshuffle and 0 in shape:  # PixelShuffle.cpp pixel_unshuffle_cpu: numel() == 0 -> self.clone()
            warnings.append(f"torch's CPU pixel_unshuffle returns an empty input unchanged, shape "
                            f"{'x'.join(map(str, shape))} (the meta device and other backends give "
                            f"{'x'.join(map(str, out))})")
            out = shape
        if len(shape) > 4:
            notes.append(f"torch keeps the {len(shape) - 3} leading dimensions and shuffles the last three (C, H, W)")
        elif len(shape) == 3:
            notes.append("a 3-D input is one unbatched (C, H, W) image in torch")
        return out

    def shuffle(self, shape: tuple[int, ...], r: int, unshuffle: bool) -> tuple[int, ...]:
        """``pixel_shuffle`` / ``pixel_unshuffle`` (aten/src/ATen/native/PixelShuffle.cpp, checks in
        PixelShuffle.h ``check_pixel_(un)shuffle_shapes``): any leading dims, then (C, H, W)."""
        name, what = ("pixel_unshuffle", "downscale_factor") if unshuffle else ("pixel_shuffle", "upscale_factor")
        def err(msg: str, rule: str) -> ShapeError:
            return ShapeError(msg, framework=self.name, rule=rule, values={"input": list(shape), "factor": r})

        if len(shape) < 3:
            raise err(f"{name} expects input to have at least 3 dimensions, but got input with {len(shape)} "
                      f"dimension(s)", Rule.RANK)
        if r <= 0:
            raise err(f"{name} expects a positive {what}, but got {r}", Rule.FACTOR_POSITIVE)
        *lead, c, h, w = shape
        if unshuffle:
            for dim, size, word in ((-2, h, "height"), (-1, w, "width")):
                if size % r:
                    raise err(f"pixel_unshuffle expects {word} to be divisible by downscale_factor, but "
                              f"input.size({dim})={size} is not divisible by {r}", Rule.SPATIAL_DIVISIBLE)
            return (*lead, c * r * r, h // r, w // r)
        if r > INT64_MAX // r:
            raise err(f"upscale factor is too large, (upscale_factor)^2 overflowed: upscale_factor={r}",
                      Rule.FACTOR_OVERFLOW)
        if c % (r * r):
            raise err(f"pixel_shuffle expects its input's 'channel' dimension to be divisible by the square of "
                      f"upscale_factor, but input.size(-3)={c} is not divisible by {r * r}", Rule.CHANNEL_DIVISIBLE)
        return (*lead, c // (r * r), h * r, w * r)

    def recipe_1d(self, shape: tuple[int, ...], r: int, unshuffle: bool) -> tuple[int, ...]:
        """The 1-D sub-pixel recipe (Shi et al., CVPR 2016, on one axis), (N, C, W): ``PixelShuffle1D``:
        ``view(N, C // r, r, W)``
        -> permute -> ``view(N, C // r, r * W)``; unshuffle: ``view(N, C, W // r, r)`` -> permute ->
        ``view(N, C * r, W // r)``; a view whose element count differs from the input's raises."""
        import math

        def err(msg: str, rule: str) -> ShapeError:
            return ShapeError(msg, framework=self.name, rule=rule, values={"input": list(shape), "factor": r})

        if len(shape) != 3:
            raise err(f"the 1-D sub-pixel recipe takes a rank-3 (N, C, W) tensor, but got rank {len(shape)}", Rule.RANK)
        b, c, w = shape
        if r <= 0:
            raise err(f"the 1-D recipe needs a positive factor, but got {r}", Rule.FACTOR_POSITIVE)
        view = (b, c, w // r, r) if unshuffle else (b, c // r, r, w)
        if math.prod(view) != b * c * w:
            raise err(f"shape '{list(view)}' is invalid for input of size {b * c * w} ("
                      + ("W" if unshuffle else "C") + f"={w if unshuffle else c} is not divisible by {r})",
                      "spatial-divisible" if unshuffle else "channel-divisible")
        return (b, c * r, w // r) if unshuffle else (b, c // r, w * r)


# ---------------------------------------------------------------------------- adaptive, fractional, unpooling
class Adaptive(AdaptiveRules):
    name = "torch"
    layers = "nn.AdaptiveAvgPool1d/2d/3d, nn.AdaptiveMaxPool1d/2d/3d"
    sources = {"windows": "aten/src/ATen/native/AdaptivePooling.h start_index / end_index"}

    def windows(self, kind: str, ins: Sequence[int], outs: Sequence[int], warnings: list[str],
                notes: list[str]) -> Callable[[int, int], Sequence[Window]]:
        """torch's own checks and their order (torch 2.13): avg checks output_size before the
        input, max the input first, then fails creating a tensor with a negative size."""
        n = len(ins)
        if kind == "avg":
            shown = [1, *outs] if n == 1 else list(outs)
            received = ", ".join(str(v) for v in shown[:2]) + "".join(f",{v}" for v in shown[2:])  # '{2, 2,-1}'
            negative = [v for v in outs if v < 0]
            if negative:
                raise ShapeError(f"adaptive_avg_pool{max(n, 2)}d: elements of output_size must be greater than or "
                                 f"equal to 0 but received {{{received}}}", framework=self.name, rule=Rule.OUTPUT_SIZE,
                                 values={"output_size": list(outs)})
        for axis, size in enumerate(ins):
            if size == 0:
                name = f"adaptive_avg_pool{max(n, 2)}d" if kind == "avg" else f"adaptive_max_pool{n}d"
                dims = [1, 1, *([1] if kind == "avg" and n == 1 else []), *ins]
                raise ShapeError(f"{name}(): Expected input to have non-zero size for non-batch dimensions, but "
                                 f"input has sizes {torch_shape(ins, n, extra=kind == 'avg')} with dimension "
                                 f"{len(dims) - n + axis} being empty", framework=self.name, rule=Rule.INPUT_SIZE,
                                 values={"input": list(ins)})
        for out in outs:
            if out < 0:
                raise ShapeError(f"Trying to create tensor with negative dimension {out}: "
                                 f"{torch_shape(outs, n, extra=True)}", framework=self.name, rule=Rule.OUTPUT_SIZE,
                                 values={"output_size": list(outs)})
        warnings.extend(empty_warnings(outs, "torch"))
        return torch_adaptive_windows


class Fractional(FractionalRules):
    name = "torch"
    layers = "nn.FractionalMaxPool2d / nn.FractionalMaxPool3d"
    sources = {"size": "torch/nn/functional.py fractional_max_pool2d/3d_with_indices; "
                       "aten FractionalMaxPool2d.cpp / FractionalMaxPool3d.cpp"}
    AXIS_NAMES = {2: ("height", "width"), 3: ("time", "height", "width")}
    CHECK_ORDER = {2: (0, 1), 3: (0, 2, 1)}  # FractionalMaxPool3d.cpp checks time, width, then height

    @staticmethod
    def scalar(value: object) -> bool:
        """Whether the user gave one value for every axis (torch quotes it as given)."""
        return isinstance(value, (int, float)) or isinstance(value, str) and "," not in value

    @staticmethod
    def ratios(value: Any, ndim: int) -> tuple[float, ...]:
        """``0.5`` / ``"0.5,0.7"`` / ``[0.5, 0.7]`` / ``"1/2"`` -> one float per axis (the one number parser)."""
        from convshape.params import number_values, per_axis_numbers

        numbers = number_values(value, "output_ratio") or ()
        return tuple(float(r) for r in per_axis_numbers(numbers, "output_ratio", ndim))

    def outputs(self, ins: Sequence[int], ks: Sequence[int], kernel: Any, output_size: Any, output_ratio: Any,
                n: int, notes: list[str]) -> tuple[tuple[int, ...], tuple[float | None, ...]]:
        """The output size, from ``output_size`` or ``output_ratio`` (``int(input * ratio)``, ratio in (0, 1)),
        checked against the kernel as torch checks it (2-D: ``output + kernel - 1 <= input``; 3-D: ``<``)."""
        from convshape.params import per_axis
        from convshape.rules.unpool import fractional_fits, fractional_output

        fw = self.name
        module = f"FractionalMaxPool{n}d"
        if min(ks) < 1:  # the 3-D module's check; nn.FractionalMaxPool2d / F take k <= 0 and return -inf
            raise ShapeError(f"kernel_size must be greater than 0, but got {ks[0] if self.scalar(kernel) else ks}",
                             framework=fw, rule=Rule.KERNEL_SIZE, values={"kernel": list(ks)})
        if output_size is None and output_ratio is None:
            raise ShapeError(f"{module} requires specifying either an output size, or a pooling ratio",
                             framework=fw, rule=Rule.OUTPUT_SELECTION)
        if output_size is not None and output_ratio is not None:
            raise ShapeError("only one of output_size and output_ratio may be specified", framework=fw,
                             rule=Rule.OUTPUT_SELECTION, values={"output_size": output_size,
                                                              "output_ratio": output_ratio})
        ratios: tuple[float | None, ...] = (None,) * n
        if output_ratio is not None:
            floats = self.ratios(output_ratio, n)
            if not all(0 < r < 1 for r in floats):
                raise ShapeError(f"output_ratio must be between 0 and 1 (got "
                                 f"{floats[0] if self.scalar(output_ratio) else tuple(floats)})",
                                 framework=fw, rule=Rule.OUTPUT_RATIO, values={"output_ratio": list(floats)})
            outs = tuple(fractional_output(i, r) for i, r in zip(ins, floats))
            ratios = floats
        else:
            outs = per_axis(output_size, "output_size", n)
        op = f"fractional_max_pool{n}d" + ("_out" if n == 3 else "")
        for axis, size in enumerate(ins):
            if size < 1:
                raise ShapeError(f"{op}(): Expected input to have non-zero size for non-batch dimensions, but got"
                                 f"{torch_shape(ins, n)} with dimension {axis + 2} being empty.", framework=fw,
                                 rule=Rule.INPUT_SIZE, values={"input": list(ins)})
        for axis in self.CHECK_ORDER[n]:
            name, size, k, out = self.AXIS_NAMES[n][axis], ins[axis], ks[axis], outs[axis]
            if not fractional_fits(size, k, out, n):
                raise ShapeError(f"{op}(): pool {name} {k} too large relative to input {name} {size}", framework=fw,
                                 rule=Rule.POOL_TOO_LARGE, values={"input": size, "kernel": k, "output": out})
        for out in outs:
            if out < 0:
                raise ShapeError(f"Trying to create tensor with negative dimension {out}: {torch_shape(outs, n)}",
                                 framework=fw, rule=Rule.OUTPUT_SIZE, values={"output_size": list(outs)})
        notes.append("windows start at random offsets each call (generate_intervals: steps of floor or ceil of "
                     "(input - kernel) / (output - 1)); only the last window is fixed, ending at the input's end")
        if n == 3:
            notes.append("FractionalMaxPool3d needs output + kernel <= input, one cell stricter than 2-D's "
                         "output + kernel - 1 <= input, and checks time, width, then height")
        return outs, ratios

    def limits(self, size: int, kernel: int, output: int, n: int) -> tuple[int, int]:
        from convshape.rules.unpool import fractional_largest_output

        return fractional_largest_output(size, kernel, n), fractional_largest_output(size, output, n)


class Unpool(UnpoolRules):
    name = "torch"
    layers = "nn.MaxUnpool1d/2d/3d"
    sources = {"size": "torch/nn/functional.py _unpool_output_size, _check_unpool_output_size"}

    def unpool(self, ins: Sequence[int], ks: Sequence[int], ss: Sequence[int], padding: Any,
               outs: Sequence[int] | None, n: int, stride_given: bool) -> tuple[tuple[UnpoolAxis, ...], list[str],
                                                                                  str, list[str]]:
        from convshape.model import UnpoolAxis
        from convshape.params import explicit_padding, format_padding, padding_keyword
        from convshape.rules.unpool import maxpool_inputs, unpool_default, unpool_valid_outputs

        shown = format_padding(0 if padding is None else padding)
        padding = padding if padding is not None else 0
        keyword = padding_keyword(padding)
        if keyword and keyword != "valid":
            raise ShapeError(f"MaxUnpool{n}d takes integer padding (that of the MaxPool{n}d it inverts), not "
                             f"{padding!r}", framework=self.name, rule=Rule.PADDING_KEYWORD,
                             values={"padding": padding})
        pairs = [(0, 0)] * n if keyword else explicit_padding(padding, n)
        for pb, pa in pairs:
            if pb != pa:
                raise ShapeError(f"MaxUnpool{n}d pads both sides equally, but got padding {pb}:{pa}",
                                 framework=self.name, rule=Rule.ASYMMETRIC_PADDING,
                                 values={"pad_before": pb, "pad_after": pa})
            if pb < 0:  # max_unpool itself runs it; the MaxPool that made the indices rejects it
                raise ShapeError(f"pad must be non-negative, but got pad: {pb}", framework=self.name,
                                 rule=Rule.NEGATIVE_PADDING, values={"padding": pb})
        ps = [p for p, _ in pairs]
        warnings = [f"MaxPool{n}d rejects this padding ('pad should be at most half of effective kernel size, but "
                    f"got pad={p}, kernel_size={k} and dilation=1'), so no max pool made these indices; max_unpool "
                    f"runs it" for k, p in zip(ks, ps) if p > k // 2][:1]
        defaults = [unpool_default(i, k, s, p) for i, k, s, p in zip(ins, ks, ss, ps)]
        if outs is not None:
            for axis, (out, default, s) in enumerate(zip(outs, defaults, ss)):
                if not default - s < out < default + s:
                    raise ShapeError(f'invalid output_size "{list(outs)}" (dim {axis} must be between {default - s} '
                                     f'and {default + s})', framework=self.name, rule=Rule.OUTPUT_SIZE,
                                     values={"output_size": list(outs), "default": default, "stride": s})
        chosen = list(outs) if outs is not None else defaults
        for axis, out in enumerate(chosen):
            if out < 0:
                raise ShapeError(f"max_unpooling: output_size must contain non-negative spatial dimensions, but got "
                                 f"output_size[{axis}]={out}", framework=self.name, rule=Rule.OUTPUT_SIZE,
                                 values={"output_size": chosen})
        axes = tuple(UnpoolAxis(i, k, s, p, p, d, o, IntRuns((unpool_valid_outputs(i, k, s, p),)),
                                tuple(maxpool_inputs(i, k, s, p)))
                     for i, k, s, p, d, o in zip(ins, ks, ss, ps, defaults, chosen))
        notes = [] if all(a.output in a.pool_inputs for a in axes) else [
            "torch accepts this size, but the max pool with this kernel, stride and padding never gives the input "
            "from it; the indices put the maxima back in place only for a size from pool_inputs"]
        return axes, warnings, shown, notes

class Unfold(UnfoldRules):
    """nn.Unfold / nn.Fold (F.unfold / F.fold): aten/src/ATen/native/im2col_shape_check.h, torch
    2.13's checks and words, in its order; two spatial axes; blocks per axis as a convolution's
    output (the floor formula of :func:`convshape.rules.conv_output`)."""

    layers = "nn.Unfold / nn.Fold, 2 spatial axes"

    def _window(self, ks: Sequence[int], ss: Sequence[int], ps: Sequence[int], ds: Sequence[int]) -> None:
        checks: tuple[tuple[str, Sequence[int], int, Rule], ...] = (
            ("kernel size", ks, 1, Rule.KERNEL_SIZE), ("dilation", ds, 1, Rule.DILATION),
            ("padding", ps, 0, Rule.NEGATIVE_PADDING), ("stride", ss, 1, Rule.STRIDE))
        for what, values, least, rule in checks:
            if not all(v >= least for v in values):
                word = {"kernel size": "kernel", "padding": "pad"}.get(what, what)
                need = "be non-negative" if what == "padding" else "be greater than zero"
                raise self.error(f"{what} should {need}, but got {word}_height: {values[0]} {word}_width: "
                                 f"{values[1]}", rule, **{what.replace(' ', '_'): list(values)})

    def _blocks(self, sizes: Sequence[int], ks: Sequence[int], ss: Sequence[int], ps: Sequence[int],
                ds: Sequence[int]) -> tuple[int, ...]:
        return tuple(rules.conv_output(i, k, s, d, p, p) for i, k, s, p, d in zip(sizes, ks, ss, ps, ds))

    def unfold(self, shape: Sequence[int], ks: Sequence[int], ss: Sequence[int], ps: Sequence[int],
               ds: Sequence[int]) -> tuple[tuple[int, ...], tuple[int, ...]]:
        self._window(ks, ss, ps, ds)
        if len(shape) not in (3, 4) or 0 in shape[-3:]:
            raise self.error(f"Expected 3D or 4D (batch mode) tensor with possibly 0 batch size and other non-zero "
                             f"dimensions for input, but got: {list(shape)}", Rule.RANK, shape=list(shape))
        blocks = self._blocks(shape[-2:], ks, ss, ps, ds)
        if any(b < 1 for b in blocks):
            raise self.error(f"Given input with spatial size ({shape[-2]}, {shape[-1]}), kernel_size=({ks[0]}, "
                             f"{ks[1]}), dilation=({ds[0]}, {ds[1]}), padding=({ps[0]}, {ps[1]}), calculated shape "
                             f"of the array of sliding blocks as ({blocks[0]}, {blocks[1]}), but its components "
                             f"must be at least one.", Rule.OUTPUT_TOO_SMALL, blocks=list(blocks))
        columns = shape[-3] * ks[0] * ks[1]
        return (*shape[:-3], columns, blocks[0] * blocks[1]), blocks

    def fold(self, shape: Sequence[int], output_size: Sequence[int], ks: Sequence[int], ss: Sequence[int],
             ps: Sequence[int], ds: Sequence[int]) -> tuple[tuple[int, ...], tuple[int, ...]]:
        self._window(ks, ss, ps, ds)
        if len(shape) not in (2, 3) or 0 in shape[-2:]:
            raise self.error(f"Expected 2D or 3D (batch mode) tensor for input with possibly 0 batch size and "
                             f"non-zero dimensions for input, but got: {list(shape)}", Rule.RANK, shape=list(shape))
        columns, length = shape[-2], shape[-1]
        if columns % (ks[0] * ks[1]):
            raise self.error(f"Expected size of input's dimension 1 to be divisible by the product of kernel_size, "
                             f"but got input.size(1)={columns} and kernel_size=({ks[0]}, {ks[1]}).",
                             Rule.CHANNEL_DIVISIBLE, columns=columns, kernel=list(ks))
        blocks = self._blocks(output_size, ks, ss, ps, ds)
        given = (f"Given output_size=({output_size[0]}, {output_size[1]}), kernel_size=({ks[0]}, {ks[1]}), "
                 f"dilation=({ds[0]}, {ds[1]}), padding=({ps[0]}, {ps[1]}), stride=({ss[0]}, {ss[1]}), ")
        if blocks[0] * blocks[1] != length:
            raise self.error(given + f"expected size of input's dimension 2 to match the calculated number of "
                             f"sliding blocks {blocks[0]} * {blocks[1]} = {blocks[0] * blocks[1]}, but got "
                             f"input.size(2)={length}.", Rule.BLOCKS, blocks=list(blocks), length=length)
        if any(b < 1 for b in blocks):
            raise self.error(given + f"calculated shape of the array of sliding blocks as ({blocks[0]}, "
                             f"{blocks[1]}), which is too small (non-positive)", Rule.OUTPUT_TOO_SMALL,
                             blocks=list(blocks))
        return (*shape[:-2], columns // (ks[0] * ks[1]), *output_size), blocks


CONV = Conv()
POOL = Pool()
FRAMEWORK = Framework("torch", "PyTorch", "torch 2.13.0 (CPU)", CONV, POOL, resample=Resample(),
                      adaptive=Adaptive(), fractional=Fractional(), unpool=Unpool(), unfold=Unfold(),
                      batchnorm_batch_check=True,
                      instancenorm_affine=False)
