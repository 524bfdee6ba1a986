"""Torch: every op family's rules as this framework applies them, with their sources."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from convshape import rules
from convshape.frameworks.base import (ConvRules, Framework, Pad, PoolRules)
from convshape.model import AxisSpec, Counted, TransposeOption, TransposedAxis


class Conv(ConvRules):
    name = "torch"
    title = "PyTorch (torch.nn)"
    default_padding = "0"
    keywords = {
        "valid": "no padding",
        "same": "stride 1 only; total d*(k-1), the extra at the end (F.pad on the right when odd)",
    }
    transposed_keywords: dict[str, str] = {}
    explicit = "asymmetric"  # nn.ConvNd pads symmetrically; before:after means nn.ZeroPadNd / F.pad first
    explicit_transposed = "symmetric"
    sources = {
        "conv": "aten/src/ATen/native/ConvUtils.h conv_output_size; Convolution.cpp check_shape_forward",
        "same": "torch/nn/modules/conv.py _ConvNd.__init__ (_reversed_padding_repeated_twice); "
                "aten Convolution.cpp _convolution_mode",
        "transposed": "torch/nn/modules/conv.py _ConvTransposeNd._output_padding; "
                      "aten Convolution.cpp (output padding check)",
    }

    def check_axis(self, a: AxisSpec) -> None:
        if a.stride < 1:
            raise self.error(f"non-positive stride is not supported, but got stride={a.stride}", "stride",
                             stride=a.stride)
        super().check_axis(a)

    def notes(self, specs: list[AxisSpec], pads: list[Pad], transposed: bool) -> list[str]:
        if any(isinstance(p, tuple) and p[0] != p[1] for p in pads):
            return ["torch's Conv layers pad both sides equally: before:after means nn.ZeroPad / F.pad before the "
                    "convolution (as padding='same' does internally for an odd total)"]
        return []

    def native_pads(self, a: AxisSpec, keyword: str, transposed: bool) -> tuple[int, int]:
        if keyword == "same":
            if a.stride != 1:
                raise self.error(f"padding='same' is not supported for strided convolutions, but got "
                                 f"stride={a.stride}", "same-strided", stride=a.stride)
            return rules.split_padding(a.dilation * (a.kernel - 1), extra_at_end=True)
        return super().native_pads(a, keyword, transposed)

    def conv_output(self, a: AxisSpec, pad_before: int, pad_after: int) -> int:
        padded = a.input + pad_before + pad_after
        eff = rules.effective_kernel(a.kernel, a.dilation)
        if padded < eff:
            raise self.error(f"Calculated padded input size per channel: ({padded}). Kernel size: ({eff}). "
                             f"Kernel size can't be greater than actual input size", "kernel-larger-than-input",
                             padded_input=padded, kernel=eff)
        return rules.conv_output(a.input, a.kernel, a.stride, a.dilation, pad_before, pad_after)

    def transposed(self, a: AxisSpec, padding: Pad, output_padding: int | None, output_size: int | None,
                   ndim: int, axis: int) -> TransposedAxis:
        pb, pa = self.pads(a, padding, transposed=True, ndim=ndim)
        base = rules.transposed_output(a.input, a.kernel, a.stride, a.dilation, pb, pa, 0)
        limit = max(a.stride, a.dilation)  # output_padding < stride or < dilation
        options = tuple(
            TransposeOption(base + op, op, pb, pa,
                            f"output_padding={op}" + (f" or output_size={base + op}" if op < a.stride else ""))
            for op in range(limit) if base + op >= 1)
        if output_size is not None:
            if not base <= output_size <= base + a.stride - 1:
                raise self.error(f"requested an output size of {output_size}, but valid sizes range from {base} "
                                 f"to {base + a.stride - 1} (for an input of {a.input})", "output-size-range",
                                 output_size=output_size, min_size=base, max_size=base + a.stride - 1)
            op = output_size - base
        else:
            op = 0 if output_padding is None else output_padding
            if op < 0:
                raise self.error(f"negative output_padding is not supported, but got output_padding={op}",
                                 "negative-output-padding", output_padding=op)
            if op >= a.stride and op >= a.dilation:
                raise self.error(f"output padding must be smaller than either stride or dilation, but got "
                                 f"output_padding={op}, stride={a.stride}, dilation={a.dilation}",
                                 "output-padding", output_padding=op, stride=a.stride, dilation=a.dilation)
        out = base + op
        if out < 1:
            # torch's oneDNN backend (picked for kernels over 3 on both of the last two axes, batches
            # over 1, groups) skips this check and may return an empty tensor for an output of 0
            caveat = ("; torch's oneDNN backend, which it picks for larger kernels, batches or groups, may "
                      "instead return an empty tensor" if out == 0 and ndim >= 2 else "")
            if options and output_padding is None:  # the default is rejected, a larger size is not
                caveat += "; valid: " + ", ".join(f"{o.select} gives {o.output}" for o in options)
            raise self.error(f"Given input size per channel: ({a.input}). Calculated output size per channel: "
                             f"({out}). Output size is too small{caveat}", "output-too-small", input=a.input,
                             output=out)
        return TransposedAxis(a.input, a.kernel, a.stride, a.dilation, pb, pa, op, out,
                              tuple(o.output for o in options), options)


class Pool(PoolRules):
    name = "torch"
    title = "PyTorch (torch.nn.functional)"
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
                                 "padding-keyword", padding=pad)
            if pad[0] != pad[1]:
                raise self.error(f"{op} pads both sides equally, but got padding {pad[0]}:{pad[1]} (F.pad first "
                                 f"pads with zeros, which changes max and LP pooling)", "asymmetric-padding",
                                 pad_before=pad[0], pad_after=pad[1])
            padding.append(pad[0])
        if kind == "lp" and any(padding):
            raise self.error(f"{op} takes no padding (it runs avg_pool with padding=0), but got padding="
                             f"{tuple(padding)}", "padding-unsupported", padding=tuple(padding))
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
        if a.stride == 0:
            raise self.error("stride should not be zero", "stride", stride=0)
        if pad < 0:
            raise self.error(f"pad must be non-negative, but got pad: {pad}", "negative-padding", pad=pad)
        if pad > rules.div_trunc((a.kernel - 1) * a.dilation + 1, 2):
            raise self.error(f"pad should be at most half of effective kernel size, but got pad={pad}, "
                             f"kernel_size={a.kernel} and dilation={a.dilation}", "pad-half-kernel", pad=pad,
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
            raise self.error("kernel size should be greater than zero, but got " + listing("k", ks), "kernel",
                             kernel=tuple(ks))
        ss = [a.stride for a in view]
        if min(ss) < 1:
            raise self.error("stride should be greater than zero, but got " + listing("d", ss), "stride",
                             stride=tuple(ss))
        ds = [a.dilation for a in view]
        if min(ds) < 1:
            raise self.error("dilation should be greater than zero, but got " + listing("dilation", ds), "dilation",
                             dilation=tuple(ds))
        if kind != "max" and len(view) == 3 and any(a.input < a.kernel for a in view):  # avg_pool3d (lp too)
            raise self.error(f"input image (T: {view[0].input} H: {view[1].input} W: {view[2].input}) smaller than "
                             f"kernel size ({listing('k', ks)})", "input-smaller-than-kernel",
                             input=tuple(a.input for a in view), kernel=tuple(ks))
        if any(p > k // 2 for p, k in zip(pads, ks)):
            if len(view) == 2:
                detail = f"padW = {pads[1]}, padH = {pads[0]}, kW = {ks[1]}, kH = {ks[0]}"
            else:
                detail = (f"kT: {ks[0]} kW: {ks[2]} kH: {ks[1]} padT: {pads[0]} padW: {pads[2]} padH: {pads[1]}")
            raise self.error("pad should be smaller than or equal to half of kernel size, but got " + detail,
                             "pad-half-kernel", pad=tuple(pads), kernel=tuple(ks))
        outs = [c.output for c in counted]
        if min(outs) < 1:
            raise self.error(f"Given input size: ({'x'.join(str(a.input) for a in view)}). Calculated output size: "
                             f"({'x'.join(str(o) for o in outs)}). Output size is too small", "output-too-small",
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
            raise self.error(f"max_pool1d() Invalid computed output size: {counted.output}", "output-too-small",
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


CONV = Conv()
POOL = Pool()
FRAMEWORK = Framework("torch", "PyTorch", "torch 2.13.0 (CPU)", CONV, POOL)
