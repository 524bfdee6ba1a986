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

from collections.abc import Sequence
from typing import Any, NamedTuple, TypeVar

from convshape import rules
from convshape.axes import each_axis, empty_warnings
from convshape.errors import Rule, ShapeError
from convshape.frameworks import FRAMEWORKS, KINDS, Pad, PoolRules, pool_rules
from convshape.limits import check_axes
from convshape.model import AxisSpec, Counted, result_head, spatial_sizes
from convshape.params import IntArg, PadArg, axis_count, explicit_padding, format_padding, padding_keyword, per_axis
from convshape.rules.pool import taps, window_start

T = TypeVar("T")

_KIND_ALIASES = {"maxpool": "max", "average": "avg", "avgpool": "avg", "mean": "avg", "lppool": "lp",
                 "power": "lp"}
WINDOW_LIMIT = 64  # every window is listed up to this many per axis; beyond, the first and last EDGE
EDGE = 8




# ---------------------------------------------------------------------------- results
class Window(NamedTuple):
    """One pooling window on one axis: ``[start, end)`` in input coordinates (negative = left
    padding), how many of its taps read input, left padding, right padding, or lie beyond the
    padded input (ceil_mode), and for average pooling the divisor the framework uses."""

    index: int  # type: ignore[assignment]  # a field's name (in the JSON too) shadows tuple.index
    start: int
    end: int
    input_taps: int
    left_pad_taps: int
    right_pad_taps: int
    outside_taps: int
    divisor: int | None

    def to_dict(self) -> dict[str, Any]:
        return self._asdict()


class PoolAxis(NamedTuple):
    """One spatial axis of a pooling layer as the framework runs it. ``floor_output`` is the size
    without ceil_mode; ``ceil_output`` the window count with it, before the framework drops a last
    window that would start in the right padding (None without ceil_mode)."""

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


class PoolResult(NamedTuple):
    """A max / average / LP pooling layer in one framework."""

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
    #: the ONNX opset asked for (``-f onnx``: the spec's pooling rule changed in opset 22); None: the latest
    opset: int | None = None

    @property
    def input(self) -> tuple[int, ...]:
        return spatial_sizes(self.axes, "input")

    @property
    def output(self) -> tuple[int, ...]:
        return spatial_sizes(self.axes, "output")

    def head(self) -> dict[str, Any]:
        """``{"op", "framework", "padding", "input", "output"}``."""
        return result_head(self)


    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "op": self.op, "kind": self.kind, "framework": self.framework, "padding": self.padding,
            "input": _list(self.input), "output": _list(self.output), "ceil_mode": self.ceil_mode,
            "axes": [a.to_dict() for a in self.axes], "warnings": list(self.warnings), "notes": list(self.notes)}
        if self.kind == "avg":
            d["count_include_pad"] = self.count_include_pad
        if self.kind == "lp":
            d["norm_type"] = self.norm_type
        if self.opset is not None:
            d["opset"] = self.opset
        return d


class CompareRow(NamedTuple):
    """One framework's answer for the configuration: a result, or its rejection."""

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


class PoolCompareResult(NamedTuple):
    """The same pooling configuration in every framework, side by side."""

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






















# ---------------------------------------------------------------------------- API
def _kind(kind: str) -> str:
    word = kind.strip().lower().replace("-", "").replace("_", "")
    word = _KIND_ALIASES.get(word, word)
    if word not in KINDS:
        raise ShapeError(f"unknown pooling kind {kind!r}; expected one of " + ", ".join(KINDS), rule=Rule.UNKNOWN_KIND,
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
               ceil_mode: bool | None, framework: str, ndim: int | None, opset: int | None = None
               ) -> tuple[str, PoolRules, int, list[AxisSpec], list[Pad], bool, list[Counted]]:
    """The checks and per-axis sizes of :func:`pool`, without its windows."""
    kind = _kind(kind)
    if opset is not None and opset < 1:
        raise ShapeError(f"an ONNX opset is at least 1, not {opset}", rule=Rule.BAD_OPTION, values={"opset": opset})
    fw = pool_rules(framework).at_opset(opset)
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
            raise fw.error(f"input size must be at least 1, but got input={a.input}", Rule.INPUT_SIZE, input=a.input)
    return kind, fw, n, specs, pads, ceil, fw.axes(kind, n, specs, pads, ceil)


def pool_axes(kind: str, input: IntArg, kernel: IntArg, stride: IntArg = None, padding: PadArg = None,
              dilation: IntArg = 1, ceil_mode: bool | None = None, *, framework: str = "torch",
              ndim: int | None = None, opset: int | None = None) -> tuple[tuple[AxisSpec, Counted], ...]:
    """Only the per-axis sizes of :func:`pool` (same rules and rejections), without windows:
    what a network needs of each layer, many times over in a sweep."""
    _, _, _, specs, _, _, counted = _pool_axes(kind, input, kernel, stride, padding, dilation, ceil_mode,
                                               framework, ndim, opset)
    return tuple(zip(specs, counted))


def pool(kind: str, input: IntArg, kernel: IntArg, stride: IntArg = None, padding: PadArg = None,
         dilation: IntArg = 1, ceil_mode: bool | None = None, *, framework: str = "torch", ndim: int | None = None,
         count_include_pad: bool | None = None, norm_type: float = 2, opset: int | None = None) -> PoolResult:
    """Max (``kind="max"``), average (``"avg"``) or LP (``"lp"``) pooling in ``framework``.

    ``stride=None`` is the framework's default (the kernel in torch, Keras, and for tf / jax
    where it is required; 1 in ONNX and Caffe). ``padding`` takes a number, ``before:after``,
    per-axis lists, or ``valid`` / ``same`` / ``same-upper`` / ``same-lower`` where the framework
    has them; ``None`` is its default. ``ceil_mode=None`` is the framework's default (False,
    but Caffe rounds up); ``count_include_pad=None`` likewise (average pooling only).
    ``norm_type`` is LP pooling's p, shown only: it never changes the shape. ``opset``: the ONNX
    opset of the model the layer is in (``-f onnx`` only: before 22 ceil_mode keeps a last window
    starting in the right padding); None is the latest spec.
    Raises :class:`ShapeError` where the framework would reject the layer.
    """
    kind, fw, n, specs, pads, ceil, counted = _pool_axes(kind, input, kernel, stride, padding, dilation, ceil_mode,
                                                         framework, ndim, opset)
    cip = fw.count_include_pad(kind, count_include_pad, n)
    axes = each_axis(lambda _, a, c: PoolAxis(
        a.input, a.kernel, a.stride, a.dilation, c.pad_before, c.pad_after, c.output, c.floor_output, c.ceil_output,
        c.dropped, ceil, _windows(a, c, kind, cip)), specs, counted)
    warnings = empty_warnings([a.output for a in axes], fw.name)
    notes = fw.notes(kind, n, specs, pads, stride is not None, axes, ceil)
    for i, a in enumerate(axes):
        empty = [w.index for w in a.windows if not w.input_taps]
        if empty:
            notes.append(f"axis {i}: window {', '.join(map(str, empty))} reads no input cell, only padding: "
                         f"max pooling gives -inf there (torch's index then points outside the input), "
                         f"average pooling 0 or, without padding in the divisor, NaN")
    shown = format_padding(fw.default_padding if padding is None else padding)
    return PoolResult(f"{kind}pool{n}d", kind, fw.name, shown, ceil, cip,
                      float(norm_type) if kind == "lp" else None, axes, warnings, tuple(notes), opset)


def pool_compare(kind: str, input: IntArg, kernel: IntArg, stride: IntArg = None, padding: PadArg = None,
                 dilation: IntArg = 1, ceil_mode: bool | None = None, *, ndim: int | None = None,
                 count_include_pad: bool | None = None, norm_type: float = 2,
                 opset: int | None = None) -> PoolCompareResult:
    """The same configuration in every framework (each with its own defaults where an argument
    is None): one row per framework, its result or its rejection (``opset``: the ONNX spec's, as
    in :func:`pool`). convshape's own usage errors (unreadable numbers) are raised, not tabulated."""
    kind = _kind(kind)
    n = ndim or axis_count(input, kernel, stride, dilation, padding)
    rows = []
    for name in FRAMEWORKS:
        try:
            result = pool(kind, input, kernel, stride, padding, dilation, ceil_mode, framework=name, ndim=n,
                          count_include_pad=count_include_pad, norm_type=norm_type, opset=opset)
            rows.append(CompareRow(name, FRAMEWORKS[name].pool.at_opset(opset).title, result, None))
        except ShapeError as exc:
            if exc.framework is None:
                raise
            rows.append(CompareRow(name, FRAMEWORKS[name].pool.at_opset(opset).title, None, exc.message))
    if all(row.error for row in rows):  # invalid everywhere: an error, not a table of errors
        raise ShapeError("every framework rejects this configuration: "
                         + "; ".join(f"{row.framework}: {row.error}" for row in rows),
                         framework="all", rule=Rule.REJECTED_EVERYWHERE, values={"frameworks": len(rows)})
    return PoolCompareResult(f"{kind}pool{n}d", kind, per_axis(input, "input", n), tuple(rows))


__all__ = ["CompareRow", "PoolAxis", "PoolCompareResult", "PoolResult", "Window", "pool", "pool_compare"]
