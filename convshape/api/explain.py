"""The picture of a layer, as data: its cells, the window each output reads, its matrix.

    >>> from convshape.api.explain import explain_layer
    >>> ex = explain_layer("conv2d", 4, 3)
    >>> ex.matrix.rows, ex.matrix.cols
    (4, 16)
    >>> [w.start for w in explain_layer("conv1d", 5, 3, stride=2, padding=1).axes[0].views[0].windows]
    [-1, 1, 3]

Everything here is built FROM the engine's own result (:func:`convshape.api.conv.conv`,
:func:`convshape.api.conv.conv_transpose`, :func:`convshape.api.pooling.pool`): the pads, the SAME
splits, the output sizes, ceil_mode's dropped windows and every rejection are exactly the
engine's. This module only lays the geometry out: where each window sits is
``start = j * stride - pad_before`` with taps ``start + t * dilation`` (torch's
``F.conv1d`` is a cross-correlation: ``y[j] = sum_t w[t] x[j*s - pb + t*d]``), and a
transposed convolution writes ``x[j] * w[t]`` into output ``j*s - pb + t*d``
(``F.conv_transpose1d``); both confirmed cell by cell against torch 2.13 on the CPU
(tests/test_torch_explain_differential.py).

Coordinates: a forward row is in input coordinates (negative = padding before); the direct
view of a transposed convolution is in the coordinates of the zero-inserted ("stretched")
input, where input ``j`` sits at ``j * stride``; its scatter view is in output coordinates.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from math import gcd, prod
from typing import TYPE_CHECKING, Any, NamedTuple, cast

from convshape import rules
from convshape.axes import each_axis
from convshape.errors import Rule, ShapeError
from convshape.ops import Family, lookup
from convshape.params import IntArg, PadArg
from convshape.rules.pool import tap_range

if TYPE_CHECKING:
    from convshape.api.conv import ConvResult, ConvTransposeResult
    from convshape.api.pooling import PoolAxis, PoolResult
    from convshape.model import ConvAxis, TransposedAxis

    LayerResult = ConvResult | ConvTransposeResult | PoolResult

WINDOW_LIMIT = 64  # every window is listed up to this many per axis; beyond, the first and last EDGE
EDGE = 8
MATRIX_ROWS = 32  # the matrix's entries are listed up to this size; beyond, its shape and counts only
MATRIX_COLS = 48

#: one axis's matrix entries, {(row, col): kernel tap}
Entries = dict[tuple[int, int], int]

FAMILIES = ("conv", "conv-transpose", "pool")
TAKES = (Family.CONV, Family.CONV_TRANSPOSE, Family.POOL)  # the op families explain draws


# ---------------------------------------------------------------------------- results
class Segment(NamedTuple):
    """A run of cells ``[start, stop)`` of one row. ``kind``: ``input`` (input ``j`` at position
    ``j * step``; the other cells of the run are inserted zeros), ``pad``, ``output``, or
    ``cropped`` (cells a negative padding removes, or that a transposed convolution's padding
    crops from its output)."""

    kind: str
    start: int
    stop: int
    step: int = 1

    def to_dict(self) -> dict[str, Any]:
        return self._asdict()


class Window(NamedTuple):
    """The taps of one output (or, in the scatter view, the cells one input writes):
    ``start + t * dilation`` for ``t < kernel``, ``[start, end)`` in the row's coordinates.
    ``hits``: taps on data cells (input cells; output cells in the scatter view), then taps on
    padding, on inserted zeros, and on cropped cells or beyond the row. ``dropped``: a window
    ceil_mode counted and the framework drops (pooling)."""

    index: int  # type: ignore[assignment]  # a field's name (in the JSON too) shadows tuple.index
    start: int
    end: int
    hits: int
    pad_taps: int
    zero_taps: int
    cropped_taps: int
    dropped: bool

    def to_dict(self) -> dict[str, Any]:
        return self._asdict()


class View(NamedTuple):
    """One drawing of an axis: a row of cells and windows over it.

    ``name``: ``windows`` (what each output reads), ``direct`` (a transposed convolution as a
    stride-1 convolution of the zero-inserted input) or ``scatter`` (the output cells each input
    of a transposed convolution writes). ``windows`` lists every window up to WINDOW_LIMIT, else
    the first and last EDGE (and a dropped one); ``count`` is how many there are. Tap ``t`` of a
    window multiplies kernel tap ``kernel - 1 - t`` when ``rotated`` (the kernel turned 180°),
    else ``t``."""

    name: str
    row: tuple[Segment, ...]
    windows: tuple[Window, ...]
    count: int  # type: ignore[assignment]  # a field's name (in the JSON too) shadows tuple.count
    step: int
    kernel: int
    rotated: bool

    def kind_at(self, position: int) -> str | None:
        """``input``, ``zero``, ``pad``, ``output``, ``cropped``, or None past the row."""
        return kind_at(self.row, position)

    def tap_label(self, t: int) -> int:
        return self.kernel - 1 - t if self.rotated else t

    def to_dict(self) -> dict[str, Any]:
        d = self._asdict()
        d["row"] = [s.to_dict() for s in self.row]
        d["windows"] = [w.to_dict() for w in self.windows]
        d["windows_complete"] = len([w for w in self.windows if not w.dropped]) == self.count
        return d


class DirectConv(NamedTuple):
    """A transposed convolution as a direct one: ``zeros_between`` zeros inserted between the
    ``input`` cells (``stretched`` cells), padded ``pad_before`` and ``pad_after`` (the latter
    includes ``output_padding``; negative = cropped), stride 1, the kernel rotated 180°."""

    input: int
    zeros_between: int
    stretched: int
    pad_before: int
    pad_after: int
    output_padding: int
    kernel: int
    dilation: int
    output: int

    @property
    def full(self) -> bool:
        """Whether this is FULL padding, ``dilation * (kernel - 1)`` on both sides."""
        reach = rules.effective_kernel(self.kernel, self.dilation) - 1
        return self.pad_before == self.pad_after == reach

    def to_dict(self) -> dict[str, Any]:
        d = self._asdict()
        d["full"] = self.full
        return d


class ExplainAxis(NamedTuple):
    """One spatial axis: the engine's numbers, the views to draw, the direct-convolution form
    (of a transposed convolution; of a convolution's gradient) and the non-zeros of this
    axis's matrix."""

    axis: int
    input: int
    kernel: int
    stride: int
    dilation: int
    pad_before: int
    pad_after: int
    output: int
    output_padding: int
    views: tuple[View, ...]
    direct: DirectConv | None
    nnz: int

    def to_dict(self) -> dict[str, Any]:
        d = self._asdict()
        d["views"] = [v.to_dict() for v in self.views]
        d["direct"] = None if self.direct is None else self.direct.to_dict()
        return d


class Matrix(NamedTuple):
    """The layer as a matrix on the flattened (row-major) spatial cells, one channel:
    ``rows`` = product of the outputs, ``cols`` = product of the inputs. ``entries[r][c]`` is
    the kernel tap (flattened row-major over ``kernel``) at that entry, None for 0; listed up
    to MATRIX_ROWS x MATRIX_COLS, else None."""

    name: str
    rows: int
    cols: int
    nnz: int
    kernel: tuple[int, ...]
    entries: tuple[tuple[int | None, ...], ...] | None

    @property
    def density(self) -> float:
        return self.nnz / (self.rows * self.cols) if self.rows and self.cols else 0.0

    def to_dict(self) -> dict[str, Any]:
        d = self._asdict()
        d["kernel"] = list(self.kernel)
        d["entries"] = None if self.entries is None else [list(r) for r in self.entries]
        return d


#: where the matrix, transpose, direct-convolution and gradient identities are stated
CONV_ARITHMETIC = 'Dumoulin & Visin, "A guide to convolution arithmetic for deep learning", 2016'


class Identity(NamedTuple):
    """An identity shown for this configuration, its numbers filled in; ``source`` names where it
    is stated (a paper), or None."""

    name: str
    source: str | None
    statement: str

    def to_dict(self) -> dict[str, Any]:
        return self._asdict()


class ExplainResult(NamedTuple):
    """The picture of one layer in one framework (``family``: conv, conv-transpose or pool;
    ``kind``: the pooling kind, else None)."""

    op: str
    family: str
    kind: str | None
    framework: str
    padding: str
    axes: tuple[ExplainAxis, ...]
    matrix: Matrix
    identities: tuple[Identity, ...]
    notes: tuple[str, ...]

    @property
    def input(self) -> tuple[int, ...]:
        return tuple(a.input for a in self.axes)

    @property
    def output(self) -> tuple[int, ...]:
        return tuple(a.output for a in self.axes)

    def to_dict(self) -> dict[str, Any]:
        return {"op": self.op, "family": self.family, "kind": self.kind, "framework": self.framework,
                "padding": self.padding, "input": list(self.input), "output": list(self.output),
                "axes": [a.to_dict() for a in self.axes], "matrix": self.matrix.to_dict(),
                "identities": [i.to_dict() for i in self.identities], "notes": list(self.notes)}


# ---------------------------------------------------------------------------- geometry
def kind_at(row: Sequence[Segment], position: int) -> str | None:
    for seg in row:
        if seg.start <= position < seg.stop:
            if seg.kind == "input" and position % seg.step:
                return "zero"
            return seg.kind
    return None


def _row(data_kind: str, size: int, step: int, pad_before: int, pad_after: int) -> tuple[Segment, ...]:
    """``size`` data cells (at ``j * step``, zeros between) with ``pad_before`` / ``pad_after``
    cells of padding; a negative pad crops that many cells of the data instead."""
    length = rules.dilated_size(size, step)
    lo, hi = -pad_before, length + pad_after  # the padded (or cropped) run
    segments = []
    if pad_before > 0:
        segments.append(Segment("pad", lo, 0))
    elif pad_before < 0:
        segments.append(Segment("cropped", 0, min(lo, length)))
    if max(lo, 0) < min(hi, length):
        segments.append(Segment(data_kind, max(lo, 0), min(hi, length), step))
    if pad_after > 0:
        segments.append(Segment("pad", length, hi))
    elif pad_after < 0:
        segments.append(Segment("cropped", max(hi, lo, 0), length))
    return tuple(s for s in segments if s.start < s.stop)


def _on_grid(taps: range, start: int, step: int, spacing: int) -> int:
    """How many of ``taps`` land on a multiple of ``spacing`` (``(start + t*step) % spacing == 0``):
    at most one residue per period ``spacing / gcd(step, spacing)``, found by a short search."""
    if spacing == 1 or not taps:
        return len(taps)
    period = spacing // gcd(step, spacing)
    hit = next((t for t in range(taps.start, taps.start + period) if (start + t * step) % spacing == 0), None)
    if hit is None or hit >= taps.stop:
        return 0
    return (taps.stop - 1 - hit) // period + 1


def _window(row: Sequence[Segment], index: int, start: int, step: int, kernel: int, dropped: bool = False) -> Window:
    hits = pads = zeros = 0
    for seg in row:
        taps = tap_range(start, kernel, step, seg.start, seg.stop)
        if seg.kind in ("input", "output"):
            on = _on_grid(taps, start, step, seg.step)
            hits += on
            zeros += len(taps) - on
        elif seg.kind == "pad":
            pads += len(taps)
    cropped = kernel - hits - pads - zeros  # on cropped cells, or past the row
    return Window(index, start, start + rules.effective_kernel(kernel, step), hits, pads, zeros, cropped, dropped)


def _listed(count: int) -> list[int]:
    return list(range(count)) if count <= WINDOW_LIMIT else [*range(EDGE), *range(count - EDGE, count)]


def _view(name: str, row: tuple[Segment, ...], count: int, first: int, stride: int, step: int, kernel: int,
          rotated: bool = False, indices: Sequence[int] | None = None, dropped: int | None = None) -> View:
    """Windows ``j`` start at ``first + j * stride``."""
    found = [_window(row, j, first + j * stride, step, kernel) for j in (_listed(count) if indices is None
                                                                          else indices)]
    if dropped is not None:
        found.append(_window(row, dropped, first + dropped * stride, step, kernel, dropped=True))
    return View(name, row, tuple(found), count, step, kernel, rotated)


def _hits(count: int, first: int, stride: int, step: int, kernel: int, lo: int, hi: int) -> int:
    """Non-zeros of one axis's matrix: the pairs (window j < count, tap t) with
    ``lo <= first + j*stride + t*step < hi``, counted per tap."""
    # for each tap, the windows that put it in [lo, hi): the same count with the roles swapped
    return sum(len(tap_range(first + t * step, count, stride, lo, hi)) for t in range(kernel))


def _axis_matrix(count: int, first: int, stride: int, step: int, kernel: int, size: int,
                 transposed: bool) -> Entries:
    """One axis's entries {(row, col): tap}: window j's tap t on data cell c = first + j*stride + t*step
    is entry (j, c); a transposed convolution's matrix has them the other way round (row = the
    output cell written, col = the input j)."""
    found = {}
    for j in range(count):
        for t in tap_range(first + j * stride, kernel, step, 0, size):
            cell = first + j * stride + t * step
            found[(cell, j) if transposed else (j, cell)] = t
    return found


def _matrix(name: str, axes: Sequence[ExplainAxis], per_axis: Sequence[Callable[[], Entries]],
            kernel: tuple[int, ...]) -> Matrix:
    rows = prod(a.output for a in axes)
    cols = prod(a.input for a in axes)
    nnz = prod(a.nnz for a in axes)
    entries = None
    if rows <= MATRIX_ROWS and cols <= MATRIX_COLS:
        parts = [fn() for fn in per_axis]
        grid: list[list[int | None]] = [[None] * cols for _ in range(rows)]
        outs = [a.output for a in axes]
        ins = [a.input for a in axes]

        def flat(index: Sequence[int], shape: Sequence[int]) -> int:
            n = 0
            for i, size in zip(index, shape):
                n = n * size + i
            return n

        combos: list[tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]]] = [((), (), ())]
        for part in parts:  # the layer's matrix is the Kronecker product of the axes'
            combos = [(r + (pr,), c + (pc,), t + (pt,)) for r, c, t in combos for (pr, pc), pt in part.items()]
        for r, c, t in combos:
            grid[flat(r, outs)][flat(c, ins)] = flat(t, kernel)
        entries = tuple(tuple(row) for row in grid)
    return Matrix(name, rows, cols, nnz, kernel, entries)


def _xs(values: Sequence[object]) -> str:
    return "x".join(str(v) for v in values)


def _pads(axes: Sequence[object], before: str = "pad_before", after: str = "pad_after") -> str:
    return ",".join(f"{getattr(a, before)}:{getattr(a, after)}" for a in axes)


def _same(values: Sequence[object]) -> str:
    """One value if every axis has it, else per axis."""
    return str(values[0]) if len(set(values)) == 1 else ",".join(str(v) for v in values)


# ---------------------------------------------------------------------------- convolution
def _direct(input: int, kernel: int, stride: int, dilation: int, pad_before: int, pad_after: int,
            output_padding: int, output: int) -> DirectConv:
    """The transposed convolution ``input -> output`` (cropping pad_before:pad_after, then
    output_padding) as a stride-1 convolution of the zero-inserted input: pads
    ``d(k-1) - pad_before`` and ``d(k-1) - pad_after + output_padding``, kernel rotated 180°."""
    reach = rules.effective_kernel(kernel, dilation) - 1
    stretched = rules.dilated_size(input, stride)
    return DirectConv(input, stride - 1, stretched, reach - pad_before, reach - pad_after + output_padding,
                      output_padding, kernel, dilation, output)


def _conv_axis(axis: int, a: ConvAxis) -> ExplainAxis:
    row = _row("input", a.input, 1, a.pad_before, a.pad_after)
    first = -a.pad_before
    view = _view("windows", row, a.output, first, a.stride, a.dilation, a.kernel)
    direct = None
    if a.output >= 1:  # the gradient: the transposed convolution of the output back to the input
        back = rules.transposed_output(a.output, a.kernel, a.stride, a.dilation, a.pad_before, a.pad_after, 0)
        direct = _direct(a.output, a.kernel, a.stride, a.dilation, a.pad_before, a.pad_after, a.input - back,
                         a.input)
    nnz = _hits(a.output, first, a.stride, a.dilation, a.kernel, 0, a.input)
    return ExplainAxis(axis, a.input, a.kernel, a.stride, a.dilation, a.pad_before, a.pad_after, a.output, 0,
                       (view,), direct, nnz)


def _conv_identities(axes: Sequence[ExplainAxis], matrix: Matrix) -> tuple[Identity, ...]:
    ins, outs = _xs([a.input for a in axes]), _xs([a.output for a in axes])
    found = [Identity("matrix", CONV_ARITHMETIC, f"y = C x on the flattened cells: C is {matrix.rows} x {matrix.cols} "
                                       f"(output {outs} by input {ins}); {matrix.nnz} of its "
                                       f"{matrix.rows * matrix.cols} entries are kernel taps, the rest 0")]
    directs = [a.direct for a in axes if a.direct is not None]
    if len(directs) == len(axes):  # every axis has one (an output of at least 1)
        ops = [d.output_padding for d in directs]
        found.append(Identity(
            "transpose", CONV_ARITHMETIC,
            f"C^T ({matrix.cols} x {matrix.rows}) is the transposed convolution of output {outs} back to {ins}: "
            f"kernel {_same([a.kernel for a in axes])}, stride {_same([a.stride for a in axes])}, "
            f"dilation {_same([a.dilation for a in axes])}, padding {_pads(axes)} (cropped), "
            f"output_padding {_same(ops)}"))
        full = all(d.full for d in directs)
        found.append(Identity(
            "gradient", CONV_ARITHMETIC,
            f"dL/dx = C^T dL/dy = a stride-1 convolution of dL/dy ({outs}) with the kernel rotated 180°: "
            f"{_same([d.zeros_between for d in directs])} zero(s) inserted between cells "
            f"({_xs([d.stretched for d in directs])} cells), padding "
            f"{_pads(directs)} = d(k-1) - pad_before : d(k-1) - pad_after + output_padding -> {ins}"
            + (" (FULL padding: every overlap of kernel and input)" if full else "")))
    return tuple(found)


def _explain_conv(result: ConvResult) -> ExplainResult:
    axes = each_axis(_conv_axis, result.axes)
    kernel = tuple(a.kernel for a in axes)
    matrix = _matrix("C", axes, [
        partial(_axis_matrix, a.output, -a.pad_before, a.stride, a.dilation, a.kernel, a.input, False)
        for a in axes], kernel)
    return ExplainResult(result.op, "conv", None, result.framework, result.padding, axes, matrix,
                         _conv_identities(axes, matrix), (*result.warnings, *result.notes))


# ---------------------------------------------------------------------------- transposed convolution
def _transposed_axis(axis: int, a: TransposedAxis) -> ExplainAxis:
    direct = _direct(a.input, a.kernel, a.stride, a.dilation, a.pad_before, a.pad_after, a.output_padding, a.output)
    stretched_row = _row("input", a.input, a.stride, direct.pad_before, direct.pad_after)
    direct_view = _view("direct", stretched_row, a.output, -direct.pad_before, 1, a.dilation, a.kernel, rotated=True)
    # as it runs: input j writes x[j] * w[t] into output j*s - pad_before + t*d; the full result
    # (s(i-1) + d(k-1) + 1 cells) loses pad_before:pad_after and gains output_padding at the end
    full = rules.transposed_output(a.input, a.kernel, a.stride, a.dilation, 0, 0, 0)
    lo, hi = -a.pad_before, full - a.pad_before
    out_row = [Segment("output", 0, a.output)] if a.output > 0 else []
    if lo < 0:
        out_row.insert(0, Segment("cropped", lo, 0))
    if hi > a.output:
        out_row.append(Segment("cropped", max(a.output, lo), hi))
    scatter = _view("scatter", tuple(out_row), a.input, lo, a.stride, a.dilation, a.kernel)
    nnz = _hits(a.input, lo, a.stride, a.dilation, a.kernel, 0, a.output)
    return ExplainAxis(axis, a.input, a.kernel, a.stride, a.dilation, a.pad_before, a.pad_after, a.output,
                       a.output_padding, (direct_view, scatter), direct, nnz)


def _transposed_identities(result: ConvTransposeResult, axes: Sequence[ExplainAxis],
                           matrix: Matrix) -> tuple[Identity, ...]:
    from convshape.api.conv import forward_of
    from convshape.frameworks import framework_rules

    fw = framework_rules(result.framework)
    ins, outs = _xs([a.input for a in axes]), _xs([a.output for a in axes])
    directs = [a.direct for a in axes if a.direct is not None]  # every axis has one here
    found = [Identity(
        "direct", CONV_ARITHMETIC,
        f"the same as a stride-1 convolution: insert {_same([a.stride - 1 for a in axes])} zero(s) between "
        f"the {ins} inputs "
        f"({_xs([d.stretched for d in directs])} cells), pad d(k-1) - pad_before = "
        f"{_same([d.pad_before for d in directs])} before and d(k-1) - pad_after + output_padding = "
        f"{_same([d.pad_after for d in directs])} after, "
        f"kernel {_same([a.kernel for a in axes])} rotated 180°, dilation {_same([a.dilation for a in axes])} "
        f"-> {outs}")]
    forwards = [forward_of(fw, t, t.output, t.pad_before, t.pad_after) for t in result.axes]
    shown = _xs(["rejected" if f is None else f for f in forwards])
    back = (f"it gives {ins}, the input again" if forwards == [a.input for a in axes]
            else f"it gives {shown}, not {ins}: the sizes do not map back, and C^T keeps only part of it")
    found.append(Identity(
        "transpose", CONV_ARITHMETIC,
        f"its matrix T ({matrix.rows} x {matrix.cols}) = C^T, C the matrix of the convolution of {outs} with kernel "
        f"{_same([a.kernel for a in axes])}, stride {_same([a.stride for a in axes])}, dilation "
        f"{_same([a.dilation for a in axes])}, padding {_pads(axes)} ({back})"))
    found.append(Identity(
        "gradient", CONV_ARITHMETIC,
        "it is the gradient of that convolution with respect to the convolution's input; its own gradient with "
        "respect to its input is that convolution (y = C x)"))
    return tuple(found)


def _explain_transposed(result: ConvTransposeResult) -> ExplainResult:
    axes = each_axis(_transposed_axis, result.axes)
    kernel = tuple(a.kernel for a in axes)
    matrix = _matrix("T", axes, [
        partial(_axis_matrix, a.input, -a.pad_before, a.stride, a.dilation, a.kernel, a.output, True)
        for a in axes], kernel)
    return ExplainResult(result.op, "conv-transpose", None, result.framework, result.padding, axes, matrix,
                         _transposed_identities(result, axes, matrix), (*result.warnings, *result.notes))


# ---------------------------------------------------------------------------- pooling
def _pool_axis(axis: int, a: PoolAxis) -> ExplainAxis:
    row = _row("input", a.input, 1, a.pad_before, a.pad_after)
    first = -a.pad_before
    dropped = a.ceil_output - 1 if a.last_window_dropped and a.ceil_output else None
    # the engine's own windows: every one up to its limit, else the first and last few
    view = _view("windows", row, a.output, first, a.stride, a.dilation, a.kernel,
                 indices=[w.index for w in a.windows], dropped=dropped)
    nnz = _hits(a.output, first, a.stride, a.dilation, a.kernel, 0, a.input)
    return ExplainAxis(axis, a.input, a.kernel, a.stride, a.dilation, a.pad_before, a.pad_after, a.output, 0,
                       (view,), None, nnz)


def _explain_pool(result: PoolResult) -> ExplainResult:
    axes = each_axis(_pool_axis, result.axes)
    kernel = tuple(a.kernel for a in axes)
    matrix = _matrix("P", axes, [
        partial(_axis_matrix, a.output, -a.pad_before, a.stride, a.dilation, a.kernel, a.input, False)
        for a in axes], kernel)
    what = {"max": "max pooling takes the largest of each row's marked entries (not a matrix product)",
            "avg": "average pooling is y = P x with 1/divisor at each marked entry",
            "lp": f"LP pooling: (sum of x^p over each row's marked entries)^(1/p), p = {result.norm_type or 2:g}"}
    found = [Identity("matrix", None, f"P ({matrix.rows} x {matrix.cols}) marks the {matrix.nnz} input cells the "
                                      f"windows read (counted once per window); {what[result.kind]}")]
    found.extend(Identity("dropped", None, f"axis {i}: {a.dropped_reason}; ceil_mode drops it")
                 for i, a in enumerate(result.axes) if a.dropped_reason)
    return ExplainResult(result.op, "pool", result.kind, result.framework, result.padding, axes, matrix,
                         tuple(found), (*result.warnings, *result.notes))


# ---------------------------------------------------------------------------- API
def explain_result(result: object) -> ExplainResult:
    """The picture of an engine result: a :class:`~convshape.api.conv.ConvResult`,
    :class:`~convshape.api.conv.ConvTransposeResult` or :class:`~convshape.api.pooling.PoolResult`."""
    # told apart by their fields (the api modules are imported only when used)
    if hasattr(result, "ceil_mode"):
        return _explain_pool(cast("PoolResult", result))
    if hasattr(result, "maps_back"):
        return _explain_transposed(cast("ConvTransposeResult", result))
    if hasattr(result, "same_output_inputs"):
        return _explain_conv(cast("ConvResult", result))
    raise TypeError(f"explain_result takes a conv, conv_transpose or pool result, not {type(result).__name__}")


def parse_op(op: str) -> tuple[str, str | None, int | None]:
    """``"deconv2d"`` -> ``("conv-transpose", None, 2)``; ``"MaxPool1d"`` -> ``("pool", "max", 1)``;
    ``"conv"`` -> ``("conv", None, None)``: any name :mod:`convshape.ops` knows for these families."""
    found = lookup(op)
    if found.family not in TAKES:
        raise ShapeError(f"explain draws conv1d/2d/3d, conv-transpose1d/2d/3d (deconv2d, ...), maxpool, avgpool and "
                         f"lppool layers, not {op!r} (a {found.family.value} layer)", rule=Rule.OPTION_NOT_APPLICABLE,
                         values={"op": op})
    return found.family.value, found.pool, found.ndim


def explain_layer(op: str, input: IntArg, kernel: IntArg, stride: IntArg = None, padding: PadArg = None,
                  dilation: IntArg = 1, output_padding: IntArg = None, output_size: IntArg = None,
                  ceil_mode: bool | None = None, *, framework: str = "torch", ndim: int | None = None,
                  kind: str | None = None, count_include_pad: bool | None = None,
                  norm_type: float = 2) -> ExplainResult:
    """The picture of a layer: ``op`` names it as the CLI does (``conv2d``, ``conv-transpose1d``,
    ``deconv2d``, ``maxpool2d``, ``avgpool1d``, ``lppool2d``; or ``conv`` / ``conv-transpose`` /
    ``pool`` with ``ndim`` and, for pooling, ``kind``). The other arguments are those of
    :func:`convshape.api.conv.conv`, :func:`convshape.api.conv.conv_transpose` or
    :func:`convshape.api.pooling.pool`, which compute the layer (and raise its rejections);
    ``stride=None`` is 1 for a convolution and the framework's default for pooling.
    """
    family, named_kind, named_ndim = parse_op(op)
    if named_ndim is not None and ndim is not None and named_ndim != ndim:
        raise ShapeError(f"{op} has {named_ndim} spatial axes, but ndim={ndim}", rule=Rule.AXIS_COUNT,
                         values={"op": op, "ndim": ndim})
    ndim = named_ndim or ndim
    given = {"output_padding": output_padding, "output_size": output_size, "ceil_mode": ceil_mode,
             "count_include_pad": count_include_pad}
    applies = {"conv": (), "conv-transpose": ("output_padding", "output_size"),
               "pool": ("ceil_mode", "count_include_pad")}[family]
    for name, value in given.items():
        if value is not None and name not in applies:
            raise ShapeError(f"{name} does not apply to {op}", rule=Rule.OPTION_NOT_APPLICABLE, values={name: value})
    if family == "conv":
        from convshape.api.conv import conv

        result: LayerResult = conv(input, kernel, 1 if stride is None else stride, padding, dilation,
                                   framework=framework, ndim=ndim)
    elif family == "conv-transpose":
        from convshape.api.conv import conv_transpose

        result = conv_transpose(input, kernel, 1 if stride is None else stride, padding, dilation, output_padding,
                                output_size, framework=framework, ndim=ndim)
    else:
        from convshape.api.pooling import pool

        if named_kind and kind and named_kind != kind:
            raise ShapeError(f"{op} is {named_kind} pooling, but kind={kind!r}", rule=Rule.OPTION_NOT_APPLICABLE,
                             values={"kind": kind})
        if not (named_kind or kind):
            raise ShapeError("pooling needs a kind: max, avg or lp", rule=Rule.MISSING, values={"kind": None})
        result = pool(named_kind or kind or "", input, kernel, stride, padding, dilation, ceil_mode,
                      framework=framework, ndim=ndim, count_include_pad=count_include_pad, norm_type=norm_type)
    return explain_result(result)


__all__ = ["DirectConv", "ExplainAxis", "ExplainResult", "Identity", "Matrix", "Segment", "View", "Window",
           "explain_layer", "explain_result", "parse_op"]
