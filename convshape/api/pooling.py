"""Max, average and LP pooling: each framework's output size, padding split and windows.

    >>> from convshape.api.pooling import pool
    >>> pool("max", 3, 2, 1, ndim=2).output
    (2, 2)
    >>> pool("max", 5, 2, 2, padding=1, ceil_mode=True).axes[0].last_window_dropped
    True

Every rule below was confirmed by running the framework (torch 2.13 CPU; tensorflow-cpu 2.21 and
keras 3.15; jax 0.10.2; onnx 1.23.2 with onnxruntime 1.31.1) or, for Caffe, read from BVLC/caffe
master. The scripts are in /work/scratch-pool (outside the package).
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from convshape import rules
from convshape.axes import each_axis, empty_warnings
from convshape.errors import ShapeError
from convshape.frameworks import FRAMEWORKS, Pad, framework_rules
from convshape.limits import check_axes
from convshape.model import AxisSpec, SpatialResult
from convshape.params import IntArg, PadArg, axis_count, explicit_padding, format_padding, padding_keyword, per_axis
from convshape.rules.pool import starts_past_input, taps, window_count, window_start

T = TypeVar("T")

KINDS = {"max": "max pooling", "avg": "average pooling", "lp": "LP (power-average) pooling"}
_KIND_ALIASES = {"maxpool": "max", "average": "avg", "avgpool": "avg", "mean": "avg", "lppool": "lp",
                 "power": "lp"}
WINDOW_LIMIT = 64  # every window is listed up to this many per axis; beyond, the first and last EDGE
EDGE = 8


def _per_axis(fn: Callable[..., T], *columns: Sequence[Any]) -> list[T]:
    """:func:`convshape.axes.each_axis` as a list, for ``PoolRules.axes`` (which returns a list);
    goes once the framework rules call ``each_axis`` themselves."""
    return list(each_axis(fn, *columns))


# ---------------------------------------------------------------------------- results
class Window(namedtuple("Window", "index start end input_taps left_pad_taps right_pad_taps outside_taps divisor")):
    """One pooling window on one axis: ``[start, end)`` in input coordinates (negative = left
    padding), how many of its taps read input, left padding, right padding, or lie beyond the
    padded input (ceil_mode), and for average pooling the divisor the framework uses."""

    __slots__ = ()

    index: int
    start: int
    end: int
    input_taps: int
    left_pad_taps: int
    right_pad_taps: int
    outside_taps: int
    divisor: int | None

    def to_dict(self) -> dict[str, Any]:
        return self._asdict()


class PoolAxis(namedtuple(
        "PoolAxis", "input kernel stride dilation pad_before pad_after output floor_output ceil_output "
                    "last_window_dropped ceil_mode windows")):
    """One spatial axis of a pooling layer as the framework runs it. ``floor_output`` is the size
    without ceil_mode; ``ceil_output`` the window count with it, before the framework drops a last
    window that would start in the right padding (None without ceil_mode)."""

    __slots__ = ()

    input: int
    kernel: int
    stride: int
    dilation: int
    pad_before: int
    pad_after: int
    output: int
    floor_output: int
    ceil_output: int | None
    last_window_dropped: bool
    ceil_mode: bool
    #: every window (output <= WINDOW_LIMIT), else the first and last EDGE of them
    windows: tuple[Window, ...]

    @property
    def dropped_reason(self) -> str | None:
        if not self.last_window_dropped or self.ceil_output is None:
            return None
        start = window_start(self.ceil_output - 1, self.stride, self.pad_before)
        return (f"window {self.ceil_output - 1} would start at {start}, past the input (size {self.input}), "
                f"reading only right padding")

    def to_dict(self) -> dict[str, Any]:
        d = self._asdict()
        d["dropped_reason"] = self.dropped_reason
        d["windows"] = [w.to_dict() for w in self.windows]
        d["windows_complete"] = len(self.windows) == self.output
        return d


def _list(values: Sequence[int]) -> list[int]:
    return list(values)


class PoolResult(SpatialResult, namedtuple(
        "PoolResult", "op kind framework padding ceil_mode count_include_pad norm_type axes warnings notes")):
    """A max / average / LP pooling layer in one framework."""

    __slots__ = ()

    op: str
    kind: str
    framework: str
    padding: str
    ceil_mode: bool
    #: average pooling: whether padded cells count in the divisor; None for max and LP
    count_include_pad: bool | None
    #: LP pooling's p (display only: it never changes the shape); None otherwise
    norm_type: float | None
    axes: tuple[PoolAxis, ...]
    warnings: tuple[str, ...]
    notes: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "op": self.op, "kind": self.kind, "framework": self.framework, "padding": self.padding,
            "input": _list(self.input), "output": _list(self.output), "ceil_mode": self.ceil_mode,
            "axes": [a.to_dict() for a in self.axes], "warnings": list(self.warnings), "notes": list(self.notes)}
        if self.kind == "avg":
            d["count_include_pad"] = self.count_include_pad
        if self.kind == "lp":
            d["norm_type"] = self.norm_type
        return d


class CompareRow(namedtuple("CompareRow", "framework title result error")):
    """One framework's answer for the configuration: a result, or its rejection."""

    __slots__ = ()

    framework: str
    title: str
    result: PoolResult | None
    error: str | None

    def to_dict(self) -> dict[str, Any]:
        r = self.result
        return {"framework": self.framework, "error": self.error,
                "output": None if r is None else _list(r.output),
                "stride": None if r is None else [a.stride for a in r.axes],
                "pad_before": None if r is None else [a.pad_before for a in r.axes],
                "pad_after": None if r is None else [a.pad_after for a in r.axes],
                "ceil_mode": None if r is None else r.ceil_mode,
                "last_window_dropped": None if r is None else [a.last_window_dropped for a in r.axes],
                "count_include_pad": None if r is None else r.count_include_pad}


class PoolCompareResult(namedtuple("PoolCompareResult", "op kind input rows")):
    """The same pooling configuration in every framework, side by side."""

    __slots__ = ()

    op: str
    kind: str
    input: tuple[int, ...]
    rows: tuple[CompareRow, ...]

    @property
    def outputs(self) -> dict[tuple[int, ...], list[str]]:
        """Each distinct output and the frameworks giving it."""
        found: dict[tuple[int, ...], list[str]] = {}
        for row in self.rows:
            if row.result is not None:
                found.setdefault(row.result.output, []).append(row.framework)
        return found

    def to_dict(self) -> dict[str, Any]:
        return {"op": self.op, "kind": self.kind, "input": _list(self.input),
                "frameworks": [r.to_dict() for r in self.rows],
                "agree": len(self.outputs) <= 1,
                "outputs": [{"output": list(o), "frameworks": fws} for o, fws in self.outputs.items()]}


# ---------------------------------------------------------------------------- frameworks
class Counted(namedtuple("Counted", "pad_before pad_after output floor_output ceil_output dropped")):
    """What one framework computes for one axis, before the windows are listed."""

    __slots__ = ()

    pad_before: int
    pad_after: int
    output: int
    floor_output: int
    ceil_output: int | None
    dropped: bool


class PoolRules:
    """A framework's pooling rules; subclasses override what differs."""

    name = ""
    title = ""
    #: the layer or function per kind (``{n}`` = spatial axes); a missing kind is unsupported
    ops: dict[str, str] = {}
    ndims = (1, 2, 3)
    default_padding = "0"
    keywords: dict[str, str] = {}
    #: "asymmetric", "symmetric" or "none": which explicit paddings the layer takes
    explicit = "asymmetric"
    has_ceil_mode = True
    ceil_default = False
    #: the kinds that take a dilation
    dilation_kinds: tuple[str, ...] = ("max", "avg", "lp")
    #: average pooling: the default, and whether the user may choose
    cip_default = False
    cip_choice = True
    stride_is_kernel = True  # the default stride: the kernel (True) or 1
    trunc = False  # the floor rule divides toward zero (C++ int64), not down
    drop_needs_padding = False  # Caffe drops a window starting past the input only when it pads
    sources: dict[str, str] = {}

    def error(self, message: str, rule: str, **values: object) -> ShapeError:
        return ShapeError(message, framework=self.name, rule=rule, values=values)

    def op(self, kind: str, ndim: int) -> str:
        return self.ops[kind].format(n=ndim)

    # ------------------------------------------------------------------ layer
    def default_stride(self, kernel: tuple[int, ...]) -> tuple[int, ...]:
        return kernel if self.stride_is_kernel else (1,) * len(kernel)

    def count_include_pad(self, kind: str, wanted: bool | None, ndim: int) -> bool | None:
        if kind != "avg":
            if wanted is not None:
                raise ShapeError("count_include_pad applies to average pooling only", rule="count-include-pad",
                                 values={"count_include_pad": wanted})
            return None
        if wanted is None or wanted == self.cip_default:
            return self.cip_default
        if not self.cip_choice:
            raise self.error(f"{self.op('avg', ndim)} always {'counts' if self.cip_default else 'excludes'} padded "
                             f"cells in the average; it has no count_include_pad", "count-include-pad",
                             count_include_pad=wanted)
        return wanted

    def check(self, kind: str, ndim: int, specs: list[AxisSpec], ceil_mode: bool) -> None:
        """What the framework cannot run at all: the kind, the rank, ceil_mode, dilation."""
        if kind not in self.ops:
            have = ", ".join(f"{k} ({self.op(k, ndim)})" for k in self.ops)
            raise self.error(f"{self.title} has no {KINDS[kind]}; it has {have}", "kind", kind=kind)
        if ndim not in self.ndims:
            raise self.error(f"{self.op(kind, 2)} pools over " + " or ".join(f"{n}-D" for n in self.ndims)
                             + f" inputs, not {ndim}-D", "rank", ndim=ndim)
        if ceil_mode and not self.has_ceil_mode:
            raise self.error(f"{self.op(kind, ndim)} has no ceil_mode; its 'same' padding gives ceil(input / stride)",
                             "ceil-mode", ceil_mode=True)
        dilation = tuple(a.dilation for a in specs)
        if kind not in self.dilation_kinds and any(d != 1 for d in dilation):
            raise self.error(f"{self.op(kind, ndim)} takes no dilation, but got dilation={dilation}",
                             "dilation-unsupported", dilation=dilation)

    def axes(self, kind: str, ndim: int, specs: list[AxisSpec], pads: list[Pad], ceil_mode: bool) -> list[Counted]:
        """Every axis's padding and sizes, or the framework's rejection."""
        self.check_values(kind, ndim, specs)
        counted = _per_axis(lambda axis, spec, pad: self.count(kind, ndim, axis, spec,
                                                               self.pads(kind, ndim, axis, spec, pad), ceil_mode),
                            specs, pads)
        self.check_output(kind, ndim, specs, counted)
        return counted

    def check_values(self, kind: str, ndim: int, specs: list[AxisSpec]) -> None:
        for a in specs:
            for what, value in (("kernel", a.kernel), ("stride", a.stride), ("dilation", a.dilation)):
                if value < 1:
                    raise self.error(f"{what} should be greater than zero, but got {what}={value}", what,
                                     **{what: value})

    def check_output(self, kind: str, ndim: int, specs: list[AxisSpec], counted: list[Counted]) -> None:
        """Rejections that look at the computed sizes (none by default)."""

    # ------------------------------------------------------------------ padding
    def pads(self, kind: str, ndim: int, axis: int, a: AxisSpec, padding: Pad) -> tuple[int, int]:
        op = self.op(kind, ndim)
        if isinstance(padding, str):
            if padding not in self.keywords:
                have = ", ".join(repr(k) for k in self.keywords) or "no padding keywords"
                numbers = {"asymmetric": " or numbers (before:after)", "symmetric": " or a number (both sides)",
                           "none": ""}[self.explicit]
                raise self.error(f"{op} has no padding {padding!r}; it takes {have}{numbers}", "padding-keyword",
                                 padding=padding)
            if padding == "valid":
                return (0, 0)
            return self.same_pads(a, padding)
        if self.explicit == "none":
            raise self.error(f"{op} takes padding " + " or ".join(repr(k) for k in self.keywords)
                             + f", not numbers ({padding[0]}:{padding[1]})", "explicit-padding",
                             pad_before=padding[0], pad_after=padding[1])
        if self.explicit == "symmetric" and padding[0] != padding[1]:
            raise self.error(f"{op} pads both sides equally, but got padding {padding[0]}:{padding[1]}",
                             "asymmetric-padding", pad_before=padding[0], pad_after=padding[1])
        self.check_explicit(kind, ndim, axis, a, padding)
        return padding

    def same_pads(self, a: AxisSpec, keyword: str) -> tuple[int, int]:
        """SAME: output ceil(i/s); total max(0, (o-1)*s + eff - i), the odd one at the end
        (at the start for same-lower)."""
        total = rules.same_total_padding(a.input, a.kernel, a.stride, a.dilation)
        return rules.split_padding(total, extra_at_end=keyword != "same-lower")

    def check_explicit(self, kind: str, ndim: int, axis: int, a: AxisSpec, pair: tuple[int, int]) -> None:
        if min(pair) < 0:
            raise self.error(f"negative padding is not supported, but got padding {pair[0]}:{pair[1]}",
                             "negative-padding", pad_before=pair[0], pad_after=pair[1])

    # ------------------------------------------------------------------ sizes
    def count(self, kind: str, ndim: int, axis: int, a: AxisSpec, pads: tuple[int, int], ceil_mode: bool) -> Counted:
        """The floor or ceil rule, and ceil_mode's drop of a last window starting past the input."""
        pb, pa = pads
        floor = window_count(a.input, a.kernel, a.stride, a.dilation, pb, pa, False, self.trunc)
        if not ceil_mode:
            return Counted(pb, pa, floor, floor, None, False)
        raw = window_count(a.input, a.kernel, a.stride, a.dilation, pb, pa, True)
        dropped = (pb > 0 or not self.drop_needs_padding) and starts_past_input(raw, a.input, a.stride, pb)
        return Counted(pb, pa, raw - dropped, floor, raw, dropped)

    def notes(self, kind: str, ndim: int, specs: list[AxisSpec], pads: list[Pad], stride_given: bool,
              result_axes: Sequence[PoolAxis], ceil_mode: bool) -> list[str]:
        return []


class TorchPool(PoolRules):
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
              result_axes: Sequence[PoolAxis], ceil_mode: bool) -> list[str]:
        notes = []
        if kind == "lp":
            notes.append("lp_pool is avg_pool(x**p, padding=0) times the kernel size, then **(1/p): norm_type never "
                         "changes the shape")
            if ceil_mode and any(w.outside_taps for a in result_axes for w in a.windows):
                notes.append("with ceil_mode a window cut off by the input's end is scaled up: torch multiplies the "
                             "clipped average by the full kernel size (ONNX LpPool sums only the cells present)")
        return notes


class TensorFlowPool(PoolRules):
    name = "tf"
    title = "TensorFlow (tf.nn)"
    ops = {"max": "tf.nn.max_pool{n}d", "avg": "tf.nn.avg_pool{n}d"}
    default_padding = "valid"
    keywords = {"valid": "VALID", "same": "SAME: output ceil(i/s), the odd padding at the end",
                "same-upper": "SAME"}
    explicit = "asymmetric"  # max_pool1d / max_pool2d (and tf.nn.max_pool on 3-D / 4-D inputs) only
    has_ceil_mode = False
    dilation_kinds = ()
    cip_default = False
    cip_choice = False
    sources = {
        "size": "tensorflow/core/framework/kernel_shape_util.cc GetWindowedOutputSizeVerbose: VALID / EXPLICIT "
                "(i + pb + pa - k + s) / s in C++ (truncating), negative rejected; SAME ceil(i/s)",
        "checks": "tensorflow/core/kernels/pooling_ops_common.cc PoolParameters (explicit padding < window, "
                  "'Top/Bottom/Left/Right padding'), ops/nn_ops.cc (explicit_paddings for MaxPool only)",
        "average": "avg_pool divides by the in-bounds cells only (SAME excludes padding)",
    }

    def check_values(self, kind: str, ndim: int, specs: list[AxisSpec]) -> None:
        ks = [a.kernel for a in specs]
        if min(ks) < 1:
            raise self.error("Sliding window ksize must be positive. The specified or inferred ksize is: "
                             + ",".join(str(k) for k in (1, *ks, 1)), "kernel", kernel=tuple(ks))
        for a in specs:
            if a.stride < 1:
                raise self.error(f"Stride must be > 0, but got {a.stride}", "stride", stride=a.stride)

    def check_explicit(self, kind: str, ndim: int, axis: int, a: AxisSpec, pair: tuple[int, int]) -> None:
        if kind != "max" or ndim == 3:
            raise self.error(f"{self.op(kind, ndim)} takes padding 'SAME' or 'VALID' only (explicit padding lists are "
                             f"for max_pool1d and max_pool2d), but got padding {pair[0]}:{pair[1]}", "explicit-padding",
                             pad_before=pair[0], pad_after=pair[1])
        if min(pair) < 0:
            raise self.error("All elements of explicit_paddings must be nonnegative", "negative-padding",
                             pad_before=pair[0], pad_after=pair[1])
        sides = ("Top", "Bottom") if ndim == 2 and axis == 0 else ("Left", "Right")
        for side, p in zip(sides, pair):
            if p >= a.kernel:
                raise self.error(f"{side} padding {p} needs to be smaller than the window size {a.kernel}",
                                 "padding-window", pad=p, kernel=a.kernel)

    def count(self, kind: str, ndim: int, axis: int, a: AxisSpec, pads: tuple[int, int], ceil_mode: bool) -> Counted:
        pb, pa = pads
        out = rules.tf_windowed_output(a.input, a.kernel, a.stride, 1, pb, pa)
        if out < 0:
            raise self.error(f"Computed output size would be negative: {out} [input_size: {a.input}, "
                             f"effective_filter_size: {a.kernel}, stride: {a.stride}]", "output-negative", output=out)
        return Counted(pb, pa, out, out, None, False)

    def axes(self, kind: str, ndim: int, specs: list[AxisSpec], pads: list[Pad], ceil_mode: bool) -> list[Counted]:
        counted = super().axes(kind, ndim, specs, pads, ceil_mode)
        if kind == "max" and any(isinstance(p, str) for p in pads) and any(c.output == 0 for c in counted):
            # VALID with an empty output: oneDNN rejects it, the Eigen kernel dies (tensorflow#125509)
            raise self.error("max_pool with an empty (size 0) VALID output fails in TF 2.21: oneDNN raises 'could not "
                             "create a descriptor for a pooling forward propagation primitive' or the process dies "
                             f"with SIGFPE (tensorflow#125509); output {tuple(c.output for c in counted)}",
                             "empty-max-pool", output=tuple(c.output for c in counted))
        return counted

    def notes(self, kind: str, ndim: int, specs: list[AxisSpec], pads: list[Pad], stride_given: bool,
              result_axes: Sequence[PoolAxis], ceil_mode: bool) -> list[str]:
        notes = []
        if not stride_given:
            notes.append("tf.nn pooling has no default stride; convshape used the kernel size")
        if kind == "avg" and any(a.pad_before or a.pad_after for a in result_axes):
            notes.append("avg_pool with SAME divides by the cells inside the input, never by padded cells")
        return notes


class KerasPool(PoolRules):
    name = "keras"
    title = "Keras 3 (TensorFlow backend)"
    ops = {"max": "MaxPooling{n}D", "avg": "AveragePooling{n}D"}
    default_padding = "valid"
    keywords = {"valid": "output floor((i - k) / s) + 1, rejected when <= 0",
                "same": "output ceil(i/s), pads as TF SAME", "same-upper": "'same'"}
    explicit = "none"
    has_ceil_mode = False
    dilation_kinds = ()
    cip_default = False
    cip_choice = False
    sources = {
        "size": "keras/src/ops/operation_utils.py compute_pooling_output_shape (the layer's output shape in a model)",
        "defaults": "keras/src/layers/pooling/base_pooling.py: strides=None means pool_size",
        "average": "keras/src/backend/tensorflow/nn.py average_pool calls tf.nn.avg_pool: SAME excludes padding",
    }

    def check_values(self, kind: str, ndim: int, specs: list[AxisSpec]) -> None:
        ks = tuple(a.kernel for a in specs)
        if min(ks) < 1:
            raise self.error(f"The `pool_size` argument must be a tuple of {ndim} integers. Received pool_size={ks}, "
                             f"including values {{{min(ks)}}} that do not satisfy `value > 0`", "kernel", kernel=ks)
        if min(a.stride for a in specs) < 1:
            raise self.error(f"strides must be positive, but got strides={tuple(a.stride for a in specs)} (Keras "
                             f"pooling does not check: it raises ZeroDivisionError: division by zero)", "stride",
                             stride=tuple(a.stride for a in specs))

    def pads(self, kind: str, ndim: int, axis: int, a: AxisSpec, padding: Pad) -> tuple[int, int]:
        if isinstance(padding, str) and padding not in self.keywords:
            raise self.error(f"Argument `padding` must be either 'valid' or 'same'. Received: padding={padding}",
                             "padding-keyword", padding=padding)
        if isinstance(padding, tuple):
            raise self.error(f"Argument `padding` must be either 'valid' or 'same', not numbers "
                             f"({padding[0]}:{padding[1]}); a ZeroPadding{ndim}D layer before it pads with zeros",
                             "explicit-padding", pad_before=padding[0], pad_after=padding[1])
        return super().pads(kind, ndim, axis, a, padding)

    def check_output(self, kind: str, ndim: int, specs: list[AxisSpec], counted: list[Counted]) -> None:
        # 'same' always gives ceil(i/s) >= 1; the floor rule with SAME's pads is the same size
        if any(c.output <= 0 for c in counted):
            raise self.error("Computed output size would be zero or negative. Received: `inputs.shape=(None, "
                             + ", ".join(str(a.input) for a in specs) + ", C)`, `pool_size=("
                             + ", ".join(str(a.kernel) for a in specs) + ")`, `strides=("
                             + ", ".join(str(a.stride) for a in specs) + ")`, `padding=valid`.",
                             "output-too-small", output=tuple(c.output for c in counted))


class JaxPool(PoolRules):
    name = "jax"
    title = "JAX (jax.lax.reduce_window)"
    ops = {"max": "lax.reduce_window (max)", "avg": "lax.reduce_window (sum / count)",
           "lp": "lax.reduce_window (sum of |x|**p)"}
    ndims = (1, 2, 3)
    default_padding = "valid"
    keywords = {"valid": "VALID", "same": "SAME: output ceil(i/s), pads from the dilated window, odd one at the end",
                "same-upper": "SAME", "same-lower": "SAME_LOWER: the odd padding at the start"}
    explicit = "asymmetric"  # (low, high) pairs, negative allowed
    has_ceil_mode = False
    cip_default = True  # flax.linen.avg_pool's default
    sources = {
        "size": "jax/_src/lax/windowed_reductions.py reduce_window_shape_tuple: core.stride_dim = max(0, "
                "(i + lo + hi - eff) // s + 1), never an error; lax.padtype_to_pads for SAME",
        "checks": "windowed_reductions.py _common_reduce_window_shape_rule (window_dimensions and window_strides "
                  "strictly positive); lax._dilate_shape (dilations positive)",
        "average": "flax/linen/pooling.py avg_pool: count_include_pad=True divides by the window size, False by a "
                   "reduce_window of ones",
    }

    def check_values(self, kind: str, ndim: int, specs: list[AxisSpec]) -> None:
        for what, values in (("window_dimensions", [a.kernel for a in specs]),
                             ("window_strides", [a.stride for a in specs])):
            if min(values) < 1:
                raise self.error(f"reduce_window {what} must have every element be strictly positive, got "
                                 f"{(1, 1, *values)}.", "kernel" if what == "window_dimensions" else "stride",
                                 **{what: tuple(values)})
        ds = [a.dilation for a in specs]
        if min(ds) < 1:
            raise self.error(f"All dilations must be positive, got {(1, 1, *ds)}.", "dilation", dilation=tuple(ds))

    def check_explicit(self, kind: str, ndim: int, axis: int, a: AxisSpec, pair: tuple[int, int]) -> None:
        """Negative pads crop the input; reduce_window accepts any pair."""

    def count(self, kind: str, ndim: int, axis: int, a: AxisSpec, pads: tuple[int, int], ceil_mode: bool) -> Counted:
        out = max(0, window_count(a.input, a.kernel, a.stride, a.dilation, pads[0], pads[1], False))
        return Counted(pads[0], pads[1], out, out, None, False)

    def notes(self, kind: str, ndim: int, specs: list[AxisSpec], pads: list[Pad], stride_given: bool,
              result_axes: Sequence[PoolAxis], ceil_mode: bool) -> list[str]:
        notes = []
        if not stride_given:
            notes.append("lax.reduce_window needs window_strides; convshape used the kernel size "
                         "(flax.linen's pooling defaults to 1)")
        if kind == "avg":
            notes.append("jax.lax has no average pooling: reduce_window(lax.add) divided by the window size "
                         "(count_include_pad=True, flax's default) or by a reduce_window of ones (False)")
        return notes


class OnnxPool(PoolRules):
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
              result_axes: Sequence[PoolAxis], ceil_mode: bool) -> list[str]:
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


class CaffePool(PoolRules):
    name = "caffe"
    title = "Caffe (BVLC)"
    ops = {"max": "Pooling (MAX)", "avg": "Pooling (AVE)"}
    ndims = (2,)
    keywords: dict[str, str] = {}
    explicit = "symmetric"  # pad / pad_h, pad_w
    ceil_default = True  # round_mode: CEIL
    dilation_kinds = ()
    cip_default = True
    cip_choice = False
    stride_is_kernel = False  # PoolingParameter stride [default = 1]
    drop_needs_padding = True  # "if (pad_h_ || pad_w_)": without padding a window past the input stays
    sources = {
        "size": "caffe/src/caffe/layers/pooling_layer.cpp PoolingLayer::Reshape: ceil (round_mode CEIL, the default) "
                "or floor of (i + 2p - k) / s, + 1; with pad > 0 a last window starting at or past i + p is dropped",
        "checks": "pooling_layer.cpp LayerSetUp (CHECK_GT(kernel_h_, 0) 'Filter dimensions cannot be zero.', "
                  "CHECK_LT(pad_h_, kernel_h_)); Reshape CHECK_EQ(4, num_axes); blob.cpp CHECK_GE(shape[i], 0)",
        "average": "pooling_layer.cpp Forward_cpu AVE: pool_size = the window clipped to the padded input",
        "round_mode": "caffe.proto PoolingParameter round_mode [default = CEIL] (FLOOR: BVLC master since 2017)",
    }

    def check_values(self, kind: str, ndim: int, specs: list[AxisSpec]) -> None:
        for a in specs:
            if a.kernel < 1:
                raise self.error("Check failed: kernel_h_ > 0 (0 vs. 0) Filter dimensions cannot be zero.", "kernel",
                                 kernel=a.kernel)
        for a in specs:
            if a.stride < 1:
                raise self.error(f"stride must be positive, but got stride={a.stride} (PoolingParameter.stride is a "
                                 f"uint32 and Caffe divides by it unchecked)", "stride", stride=a.stride)

    def pads(self, kind: str, ndim: int, axis: int, a: AxisSpec, padding: Pad) -> tuple[int, int]:
        if isinstance(padding, str):
            raise self.error(f"Caffe's Pooling takes pad (or pad_h, pad_w), not {padding!r}", "padding-keyword",
                             padding=padding)
        return super().pads(kind, ndim, axis, a, padding)

    def check_explicit(self, kind: str, ndim: int, axis: int, a: AxisSpec, pair: tuple[int, int]) -> None:
        name = "hw"[axis]
        if pair[0] < 0:
            raise self.error(f"pad must not be negative (PoolingParameter.pad is a uint32), but got pad={pair[0]}",
                             "negative-padding", pad=pair[0])
        if pair[0] >= a.kernel:
            raise self.error(f"Check failed: pad_{name}_ < kernel_{name}_ ({pair[0]} vs. {a.kernel})", "padding-window",
                             pad=pair[0], kernel=a.kernel)

    def check_output(self, kind: str, ndim: int, specs: list[AxisSpec], counted: list[Counted]) -> None:
        for a, c in zip(specs, counted):
            if c.output < 0:
                raise self.error(f"Check failed: shape[i] >= 0 ({c.output} vs. 0): pooled size {c.output} for "
                                 f"input={a.input}, pad={c.pad_before}, kernel={a.kernel}, stride={a.stride}",
                                 "output-negative", output=c.output)

    def notes(self, kind: str, ndim: int, specs: list[AxisSpec], pads: list[Pad], stride_given: bool,
              result_axes: Sequence[PoolAxis], ceil_mode: bool) -> list[str]:
        notes = []
        if not stride_given:
            notes.append("Caffe's stride defaults to 1, not to the kernel size")
        notes.append("round_mode: CEIL, Caffe's default" if ceil_mode else
                     "round_mode: FLOOR (BVLC master since 2017; older Caffe and many forks always round up)")
        for i, a in enumerate(result_axes):
            if a.output and a.pad_before == 0 and (a.output - 1) * a.stride >= a.input:
                notes.append(f"axis {i}: the last window starts at {(a.output - 1) * a.stride}, past the input "
                             f"({a.input}); Caffe drops such a window only when pad > 0 (torch and ONNX drop it)")
        return notes


POOL_RULES: dict[str, PoolRules] = {fw.name: fw for fw in (TorchPool(), TensorFlowPool(), KerasPool(), JaxPool(),
                                                            OnnxPool(), CaffePool())}


def pool_rules(name: str) -> PoolRules:
    """A framework's pooling rules by name or alias (``pytorch``, ``tensorflow``, ``ort``, ...)."""
    return POOL_RULES[framework_rules(name).name]


# ---------------------------------------------------------------------------- API
def _kind(kind: str) -> str:
    word = kind.strip().lower().replace("-", "").replace("_", "")
    word = _KIND_ALIASES.get(word, word)
    if word not in KINDS:
        raise ShapeError(f"unknown pooling kind {kind!r}; expected one of " + ", ".join(KINDS), rule="unknown-kind",
                         values={"kind": kind})
    return word


def _windows(a: AxisSpec, c: Counted, kind: str, cip: bool | None) -> tuple[Window, ...]:
    """The windows of one axis: all of them up to WINDOW_LIMIT, else the first and last EDGE."""
    n = c.output
    indices = range(n) if n <= WINDOW_LIMIT else [*range(EDGE), *range(n - EDGE, n)]
    eff = rules.effective_kernel(a.kernel, a.dilation)
    lo, hi = -c.pad_before, a.input + c.pad_after  # the padded input (negative pads crop it)
    found = []
    for j in indices:
        start = window_start(j, a.stride, c.pad_before)
        inside = taps(start, a.kernel, a.dilation, max(lo, 0), min(hi, a.input))
        left = taps(start, a.kernel, a.dilation, lo, min(0, hi))
        right = taps(start, a.kernel, a.dilation, max(a.input, lo), hi)
        outside = a.kernel - inside - left - right
        divisor = None if kind != "avg" else (inside + left + right if cip else inside)
        found.append(Window(j, start, start + eff, inside, left, right, outside, divisor))
    return tuple(found)


def _pool_axes(kind: str, input: IntArg, kernel: IntArg, stride: IntArg, padding: PadArg, dilation: IntArg,
               ceil_mode: bool | None, framework: str, ndim: int | None
               ) -> tuple[str, PoolRules, int, list[AxisSpec], list[Pad], bool, list[Counted]]:
    """The checks and per-axis sizes of :func:`pool`, without its windows."""
    kind = _kind(kind)
    fw = pool_rules(framework)
    n = ndim or axis_count(input, kernel, stride, dilation, padding)
    ins = per_axis(input, "input", n)
    ks = per_axis(kernel, "kernel", n)
    ss = per_axis(stride, "stride", n) if stride is not None else fw.default_stride(ks)
    ds = per_axis(dilation, "dilation", n, default=1)
    if padding is None:
        padding = fw.default_padding
    keyword = padding_keyword(padding)
    pads: list[Pad] = [keyword] * n if keyword else list(explicit_padding(padding, n))
    ceil = fw.ceil_default if ceil_mode is None else bool(ceil_mode)
    specs = [AxisSpec(i, k, s, d) for i, k, s, d in zip(ins, ks, ss, ds)]
    check_axes(specs)
    fw.check(kind, n, specs, ceil)
    for a in specs:
        if a.input < 1:
            raise fw.error(f"input size must be at least 1, but got input={a.input}", "input-size", input=a.input)
    return kind, fw, n, specs, pads, ceil, fw.axes(kind, n, specs, pads, ceil)


def pool_axes(kind: str, input: IntArg, kernel: IntArg, stride: IntArg = None, padding: PadArg = None,
              dilation: IntArg = 1, ceil_mode: bool | None = None, *, framework: str = "torch",
              ndim: int | None = None) -> tuple[tuple[AxisSpec, Counted], ...]:
    """Only the per-axis sizes of :func:`pool` (same rules and rejections), without windows:
    what a network needs of each layer, many times over in a sweep."""
    _, _, _, specs, _, _, counted = _pool_axes(kind, input, kernel, stride, padding, dilation, ceil_mode,
                                               framework, ndim)
    return tuple(zip(specs, counted))


def pool(kind: str, input: IntArg, kernel: IntArg, stride: IntArg = None, padding: PadArg = None,
         dilation: IntArg = 1, ceil_mode: bool | None = None, *, framework: str = "torch", ndim: int | None = None,
         count_include_pad: bool | None = None, norm_type: float = 2) -> PoolResult:
    """Max (``kind="max"``), average (``"avg"``) or LP (``"lp"``) pooling in ``framework``.

    ``stride=None`` is the framework's default (the kernel in torch, Keras, and for tf / jax
    where it is required; 1 in ONNX and Caffe). ``padding`` takes a number, ``before:after``,
    per-axis lists, or ``valid`` / ``same`` / ``same-upper`` / ``same-lower`` where the framework
    has them; ``None`` is its default. ``ceil_mode=None`` is the framework's default (False,
    but Caffe rounds up); ``count_include_pad=None`` likewise (average pooling only).
    ``norm_type`` is LP pooling's p, shown only: it never changes the shape.
    Raises :class:`ShapeError` where the framework would reject the layer.
    """
    kind, fw, n, specs, pads, ceil, counted = _pool_axes(kind, input, kernel, stride, padding, dilation, ceil_mode,
                                                         framework, ndim)
    cip = fw.count_include_pad(kind, count_include_pad, n)
    axes = each_axis(lambda _, a, c: PoolAxis(
        a.input, a.kernel, a.stride, a.dilation, c.pad_before, c.pad_after, c.output, c.floor_output, c.ceil_output,
        c.dropped, ceil, _windows(a, c, kind, cip)), specs, counted)
    warnings = empty_warnings([a.output for a in axes], fw.name)
    notes = fw.notes(kind, n, specs, pads, stride is not None, axes, ceil)
    for i, a in enumerate(axes):
        empty = [w.index for w in a.windows if not w.input_taps]
        if empty:
            notes.append(f"axis {i}: window {', '.join(map(str, empty))} reads no input cell, only padding: max pooling "
                         f"gives -inf there (torch's index then points outside the input), average pooling 0 or, without padding in the divisor, "
                         f"NaN")
    shown = format_padding(fw.default_padding if padding is None else padding)
    return PoolResult(f"{kind}pool{n}d", kind, fw.name, shown, ceil, cip,
                      float(norm_type) if kind == "lp" else None, axes, warnings, tuple(notes))


def pool_compare(kind: str, input: IntArg, kernel: IntArg, stride: IntArg = None, padding: PadArg = None,
                 dilation: IntArg = 1, ceil_mode: bool | None = None, *, ndim: int | None = None,
                 count_include_pad: bool | None = None, norm_type: float = 2) -> PoolCompareResult:
    """The same configuration in every framework (each with its own defaults where an argument
    is None): one row per framework, its result or its rejection. convshape's own usage errors
    (unreadable numbers) are raised, not tabulated."""
    kind = _kind(kind)
    n = ndim or axis_count(input, kernel, stride, dilation, padding)
    rows = []
    for name in FRAMEWORKS:
        try:
            result = pool(kind, input, kernel, stride, padding, dilation, ceil_mode, framework=name, ndim=n,
                          count_include_pad=count_include_pad, norm_type=norm_type)
            rows.append(CompareRow(name, POOL_RULES[name].title, result, None))
        except ShapeError as exc:
            if exc.framework is None:
                raise
            rows.append(CompareRow(name, POOL_RULES[name].title, None, exc.message))
    if all(row.error for row in rows):  # invalid everywhere: an error, not a table of errors
        raise ShapeError("every framework rejects this configuration: "
                         + "; ".join(f"{row.framework}: {row.error}" for row in rows),
                         framework="all", rule="rejected-everywhere", values={"frameworks": len(rows)})
    return PoolCompareResult(f"{kind}pool{n}d", kind, per_axis(input, "input", n), tuple(rows))


__all__ = ["CompareRow", "PoolAxis", "PoolCompareResult", "PoolResult", "Window", "pool", "pool_compare"]
