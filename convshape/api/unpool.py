"""Adaptive pooling, fractional max pooling and max unpooling: rules, results and the API.

    >>> from convshape.api.unpool import adaptive_pool, fractional_max_pool, max_unpool
    >>> adaptive_pool(5, 3).windows
    (((0, 2), (1, 4), (3, 5)),)
    >>> fractional_max_pool("50,32", 3, output_size="13,12").output
    (13, 12)
    >>> max_unpool(2, 2, stride=1, ndim=2).output
    (3, 3)

The rules are integer functions except where the framework itself uses floats (Keras's
adaptive windows in float32, torch's ``int(input * output_ratio)`` in double); those
reproduce the framework's float arithmetic exactly and say so.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, NamedTuple, TypeVar

from convshape import frameworks
from convshape.errors import Rule, ShapeError
from convshape.axes import each_axis, empty_warnings
from convshape.frameworks.keras import keras_adaptive_windows  # noqa: F401  (re-exported)
from convshape.limits import MAX_INPUT, MAX_WINDOW, MAX_WINDOWS, check_limit
from convshape.model import AdaptiveWindows, IntRuns, UnpoolAxis, Window, WindowArrays, result_head, spatial_sizes
from convshape.params import IntArg, PadArg, axis_count, per_axis
# the per-axis formulas live in convshape.rules.unpool; re-exported for existing imports
from convshape.rules.unpool import (adaptive_end, adaptive_larger, adaptive_overlapping,  # noqa: F401
                                    adaptive_sizes, adaptive_start, adaptive_uniform, adaptive_windows,
                                    fractional_fits, fractional_largest_output, fractional_output,
                                    maxpool_inputs, onnx_largest_index, onnx_pool_inputs,
                                    onnx_shape_size, onnx_unpool_default, tf_pool_inputs, uniform_pooling,
                                    unpool_default, unpool_valid_outputs, window_gap_runs)

T = TypeVar("T")
RatioArg = float | str | Sequence[float] | None



# ---------------------------------------------------------------------- rules: adaptive pooling
# ---------------------------------------------------------------------- rules: fractional max pooling
# ---------------------------------------------------------------------- rules: max unpooling
# ---------------------------------------------------------------------- results
def _lists(values: Sequence[Sequence[int]]) -> list[list[int]]:
    return [list(v) for v in values]


def window_gaps(windows: Sequence[Window], size: int) -> IntRuns:
    """Input cells no window covers (never in torch; Keras's float32 windows can skip one), held
    as runs (equal to the tuple of those cells)."""
    if isinstance(windows, AdaptiveWindows) and windows.integer_rule:
        return IntRuns()  # torch's windows cover every cell
    if isinstance(windows, AdaptiveWindows) and windows.exceptions is not None:
        return IntRuns(_excepted_gaps(windows))
    if isinstance(windows, AdaptiveWindows) and windows.arrays is not None:
        return IntRuns(windows.arrays.gaps(size))
    return IntRuns(window_gap_runs(windows, size))


def _touched(windows: AdaptiveWindows) -> list[int]:
    """The windows an exception touches (it and its neighbours), sorted."""
    n = len(windows)
    return sorted(t for t in {o + d for o in windows.exceptions or () for d in (-1, 0, 1)} if 0 <= t < n)


def _excepted_gaps(windows: AdaptiveWindows) -> tuple[range, ...]:
    """:func:`window_gap_runs` of torch's windows with exceptions, visiting only the windows an
    exception touches: torch's windows between them cover every cell up to their (rising) ends."""
    size, n = windows.size, len(windows)
    reach, last = 0, -1
    gaps: list[range] = []
    for o in _touched(windows):
        if o > last + 1:  # torch's windows last+1..o-1: no gap among them, ends rising
            reach = max(reach, adaptive_end(o - 1, size, n))
        s, e = windows[o]
        if s > reach:
            gaps.append(range(reach, s))
        reach, last = max(reach, e), o
    if last < n - 1:
        reach = max(reach, size)  # torch's last window ends at the input's end
    if size > reach:
        gaps.append(range(reach, size))
    return tuple(gaps)


class AdaptiveAxis(NamedTuple):
    """One axis of adaptive pooling: a window ``[start, end)`` per output index. The summaries
    (``window_sizes``, ``overlapping``, ``larger``, ``equivalent``, ``gaps``) are closed forms
    for torch's integer windows, so they cost nothing with the output size."""

    input: int
    output: int
    windows: Sequence[Window]
    pad_before: int = 0
    pad_after: int = 0

    @property
    def _closed_form(self) -> bool:
        w = self.windows
        return isinstance(w, AdaptiveWindows) and w.integer_rule and self.input >= 1 and self.output >= 1

    @property
    def _exceptions(self) -> dict[int, Window] | None:
        """Keras's float32 windows held as torch's with exceptions (else None)."""
        w = self.windows
        return w.exceptions if isinstance(w, AdaptiveWindows) else None

    @property
    def _arrays(self) -> WindowArrays | None:
        """Keras's float32 windows computed in bulk (else None)."""
        w = self.windows
        return w.arrays if isinstance(w, AdaptiveWindows) else None

    def _big_count(self) -> tuple[int, int, dict[int, Window]]:
        """(torch's count of windows of size ceil(i/n) + 1, Keras's, the exceptions)."""
        exceptions = self._exceptions or {}
        small = -(-self.input // self.output)
        torch_big = adaptive_larger(self.input, self.output, 0)[0]
        change = sum((e - s == small + 1) - (adaptive_end(o, self.input, self.output)
                                             - adaptive_start(o, self.input, self.output) == small + 1)
                     for o, (s, e) in exceptions.items())
        return torch_big, torch_big + change, exceptions

    def _memo(self, key: str, compute: Callable[[], T]) -> T:
        """A summary of windows with no closed form, computed once per windows object."""
        w = self.windows
        if not isinstance(w, AdaptiveWindows):
            return compute()
        if key not in w.memo:
            w.memo[key] = compute()
        return w.memo[key]  # type: ignore[no-any-return]

    @property
    def sizes(self) -> tuple[int, ...]:
        return self._memo("sizes", lambda: tuple(e - s for s, e in self.windows))

    @property
    def window_sizes(self) -> list[int]:
        """The distinct window sizes, sorted."""
        if self._closed_form:
            return list(adaptive_sizes(self.input, self.output))
        if self._exceptions is not None:
            small = -(-self.input // self.output)
            big = self._big_count()[1]
            return [size for size, count in ((small, self.output - big), (small + 1, big)) if count]
        arrays = self._arrays
        if arrays is not None:
            return self._memo("window_sizes", arrays.sizes_seen)
        return list(self._memo("window_sizes", lambda: sorted(set(self.sizes))))

    def overlap(self, o: int) -> int:
        """Cells window ``o`` shares with the one before it (0 for the first)."""
        return max(0, self.windows[o - 1][1] - self.windows[o][0]) if o else 0

    @property
    def overlaps(self) -> tuple[int, ...]:
        """Cells each window shares with the one before it (0 for the first)."""
        return tuple(self.overlap(o) for o in range(len(self.windows)))

    @property
    def overlapping(self) -> int:
        """How many windows overlap the one before."""
        if self._closed_form:
            return adaptive_overlapping(self.input, self.output)
        exceptions = self._exceptions
        if exceptions is not None:  # torch's count, corrected on the pairs an exception is in
            pairs = {p for o in exceptions for p in (o, o + 1) if 1 <= p < self.output}
            size, n = self.input, self.output
            w = self.windows
            return adaptive_overlapping(size, n) + sum(
                (w[p - 1][1] > w[p][0]) - (adaptive_end(p - 1, size, n) > adaptive_start(p, size, n)) for p in pairs)

        arrays = self._arrays
        if arrays is not None:
            return self._memo("overlapping", arrays.overlapping)

        def count() -> int:
            listed = list(self.windows)
            return sum(1 for a, b in zip(listed, listed[1:], strict=False) if a[1] > b[0])
        return self._memo("overlapping", count)

    def larger(self, limit: int) -> tuple[int, tuple[int, ...] | None]:
        """``(count, indices)`` of the windows of the larger size when there are two sizes
        (``(0, ())`` otherwise); the indices only when there are at most ``limit``."""
        if self._closed_form:
            return adaptive_larger(self.input, self.output, limit)
        if self._exceptions is not None:
            if len(self.window_sizes) < 2:
                return 0, ()
            torch_big, big, exceptions = self._big_count()
            if big > limit:
                return big, None
            # big <= limit, so torch's larger windows number at most limit + len(exceptions)
            listed = set(adaptive_larger(self.input, self.output, limit + len(exceptions))[1] or ())
            listed -= exceptions.keys()
            listed |= {o for o, (s, e) in exceptions.items() if e - s == self.window_sizes[-1]}
            return big, tuple(sorted(listed))
        seen = self.window_sizes
        if len(seen) < 2:
            return 0, ()
        arrays = self._arrays
        if arrays is not None:
            return arrays.larger.count(1), arrays.larger_outputs(limit)
        found = self._memo("larger", lambda: tuple(o for o, s in enumerate(self.sizes) if s == seen[-1]))
        return len(found), (found if len(found) <= limit else None)

    @property
    def equivalent(self) -> tuple[int, int] | None:
        if self._closed_form:
            return adaptive_uniform(self.input, self.output)
        exceptions = self._exceptions
        if exceptions is not None and self.output > 2 * len(exceptions) + 4:
            # uniform needs every start at o * stride: torch's starts floor(o*i/n) are so for
            # o < n / (i mod n) only unless torch is uniform itself (i mod n <= 1) with that stride,
            # so more than half the windows, outside the exceptions, would have to be exceptions
            sizes = self.window_sizes
            first, second = self.windows[0], self.windows[1]
            stride = second[0] - first[0]
            if len(sizes) != 1 or first[0] != 0 or adaptive_uniform(self.input, self.output) != (sizes[0], stride):
                return None
            return (sizes[0], stride) if all(s == o * stride for o, (s, _) in exceptions.items()) else None
        arrays = self._arrays
        if arrays is not None:
            return self._memo("equivalent", lambda: arrays.uniform(self.input))
        return self._memo("equivalent", lambda: uniform_pooling(self.windows, self.input))

    @property
    def gaps(self) -> IntRuns:
        return self._memo("gaps", lambda: window_gaps(self.windows, self.input))

    def to_dict(self) -> dict[str, Any]:
        eq = self.equivalent
        return {"input": self.input, "output": self.output, "pad_before": self.pad_before,
                "pad_after": self.pad_after, "window_sizes": self.window_sizes,
                "overlapping": self.overlapping, "gaps": self.gaps.to_json(),
                "equivalent": None if eq is None else {"kernel": eq[0], "stride": eq[1]}}  # windows: top level


class AdaptivePoolResult(NamedTuple):
    """Adaptive pooling: the window of every output index, per axis."""

    op: str
    framework: str
    kind: str
    axes: tuple[AdaptiveAxis, ...]
    warnings: tuple[str, ...]
    notes: tuple[str, ...]

    @property
    def input(self) -> tuple[int, ...]:
        return spatial_sizes(self.axes, "input")

    @property
    def output(self) -> tuple[int, ...]:
        return spatial_sizes(self.axes, "output")

    @property
    def windows(self) -> tuple[Sequence[Window], ...]:
        return tuple(a.windows for a in self.axes)

    def to_dict(self) -> dict[str, Any]:
        return {"op": self.op, "framework": self.framework, "kind": self.kind, "input": list(self.input),
                "output": list(self.output), "axes": [a.to_dict() for a in self.axes],
                "windows": [[[s, e] for s, e in w] for w in self.windows], "warnings": list(self.warnings),
                "notes": list(self.notes)}


class FractionalAxis(NamedTuple):
    """One axis of fractional max pooling: the output and torch's limits on it."""

    input: int
    kernel: int
    output: int
    output_ratio: float | None
    largest_output: int
    largest_kernel: int
    pad_before: int = 0
    pad_after: int = 0

    @property
    def mean_step(self) -> float | None:
        """The mean distance between window starts, ``(input - kernel) / (output - 1)``
        (FractionalMaxPooling.h ``generate_intervals``: alpha); each step is floor or ceil of it."""
        return (self.input - self.kernel) / (self.output - 1) if self.output > 1 else None

    def to_dict(self) -> dict[str, Any]:
        d = self._asdict()
        d["mean_step"] = self.mean_step
        return d


class FractionalResult(NamedTuple):
    """Fractional max pooling: the output size per axis and the kernel / output limits."""

    op: str
    framework: str
    axes: tuple[FractionalAxis, ...]
    warnings: tuple[str, ...]
    notes: tuple[str, ...]

    @property
    def input(self) -> tuple[int, ...]:
        return spatial_sizes(self.axes, "input")

    @property
    def output(self) -> tuple[int, ...]:
        return spatial_sizes(self.axes, "output")

    def to_dict(self) -> dict[str, Any]:
        return {"op": self.op, "framework": self.framework, "input": list(self.input),
                "output": list(self.output), "kernel": [a.kernel for a in self.axes],
                "output_ratio": None if self.axes[0].output_ratio is None else [a.output_ratio for a in self.axes],
                "axes": [a.to_dict() for a in self.axes], "warnings": list(self.warnings),
                "notes": list(self.notes)}


class UnpoolResult(NamedTuple):
    """Max unpooling: the output size, the default, and every valid output size per axis."""

    op: str
    framework: str
    padding: str
    axes: tuple[UnpoolAxis, ...]
    warnings: tuple[str, ...]
    notes: tuple[str, ...]

    @property
    def input(self) -> tuple[int, ...]:
        return spatial_sizes(self.axes, "input")

    @property
    def output(self) -> tuple[int, ...]:
        return spatial_sizes(self.axes, "output")

    def head(self) -> dict[str, Any]:
        """``{"op", "framework", "padding", "input", "output"}``."""
        return result_head(self)

    @property
    def valid_outputs(self) -> tuple[IntRuns, ...]:
        return tuple(a.valid_outputs for a in self.axes)

    def to_dict(self) -> dict[str, Any]:
        return {"op": self.op, "framework": self.framework, "padding": self.padding,
                "input": list(self.input), "output": list(self.output),
                "default_output": [a.default for a in self.axes], "axes": [a.to_dict() for a in self.axes],
                "valid_outputs": [v.to_json() for v in self.valid_outputs],
                "pool_inputs": _lists([a.pool_inputs for a in self.axes]),
                "warnings": list(self.warnings), "notes": list(self.notes)}


# ---------------------------------------------------------------------- shared plumbing
def _ndim(ndim: int | None, allowed: tuple[int, ...], *values: object) -> int:
    n = ndim or axis_count(*values)
    if n not in allowed:
        raise ShapeError(f"this layer has {'/'.join(map(str, allowed))} spatial axes, not {n}", rule=Rule.AXIS_COUNT,
                         values={"axes": n})
    return n


def adaptive_pool(input: IntArg, output_size: IntArg, kind: str = "avg", *, framework: str = "torch",
                  ndim: int | None = None) -> AdaptivePoolResult:
    """Adaptive average or max pooling (``kind``): the window ``[start, end)`` of every output
    index on each axis. Windows are the same for avg and max; they overlap where the input does
    not divide evenly, and repeat cells when the output is larger than the input (torch accepts
    that). An output size of 0 gives an empty tensor in torch; a negative one is rejected.
    ``framework="onnx"`` takes output 1 on every axis only (GlobalAveragePool / GlobalMaxPool)."""
    if kind not in ("avg", "max"):
        raise ShapeError(f"kind must be 'avg' or 'max', not {kind!r}", rule=Rule.UNKNOWN_KIND, values={"kind": kind})
    fw = frameworks.get(framework)
    rules = fw.adaptive
    rules.check_layer()
    n = _ndim(ndim, (1, 2, 3), input, output_size)
    ins = per_axis(input, "input", n)
    outs = per_axis(output_size, "output_size", n)
    check_limit("input", ins, MAX_INPUT)
    check_limit("output_size", outs, MAX_WINDOWS)
    for size in ins:
        if size < 0:
            raise ShapeError(f"input size must be at least 1, but got input={size}", framework=fw.name,
                             rule=Rule.INPUT_SIZE, values={"input": size})
    warnings: list[str] = []
    notes: list[str] = []
    windows = rules.windows(kind, ins, outs, warnings, notes)
    made: dict[tuple[int, int], Sequence[Window]] = {}  # axes alike share their windows and summaries

    def axis(_: int, size: int, out: int) -> AdaptiveAxis:
        if (size, out) not in made:
            made[size, out] = windows(size, out)
        return AdaptiveAxis(size, out, made[size, out])

    axes = each_axis(axis, ins, outs)
    if any(a.gaps for a in axes):
        warnings.append("some input cells are in no window (Keras's float32 window bounds skip them)")
    rules.final_notes(n, notes)
    return AdaptivePoolResult(f"adaptive-{kind}pool{n}d", fw.name, kind, axes, tuple(warnings), tuple(notes))


# ---------------------------------------------------------------------- fractional max pooling


def fractional_max_pool(input: IntArg, kernel: IntArg, output_size: IntArg = None, output_ratio: RatioArg = None, *,
                        framework: str = "torch", ndim: int | None = None) -> FractionalResult:
    """Fractional max pooling (torch nn.FractionalMaxPool2d/3d): the output size, from
    ``output_size`` or ``output_ratio`` (``int(input * ratio)``, ratio in (0, 1)), checked
    against the kernel as torch checks it (2-D: ``output + kernel - 1 <= input``; 3-D: ``<``)."""
    fw = frameworks.get(framework)
    rules = fw.fractional
    rules.check_layer()
    n = _ndim(ndim, (2, 3), input, kernel, output_size, output_ratio)
    ins = per_axis(input, "input", n)
    ks = per_axis(kernel, "kernel", n)
    check_limit("input", ins, MAX_INPUT)
    notes: list[str] = []
    outs, ratios = rules.outputs(ins, ks, kernel, output_size, output_ratio, n, notes)
    axes = each_axis(lambda _, i, k, o, r: FractionalAxis(i, k, o, r, *rules.limits(i, k, o, n)), ins, ks, outs,
                     ratios)
    return FractionalResult(f"fractional-maxpool{n}d", fw.name, axes, empty_warnings(outs, fw.name),
                            tuple(notes))


# ---------------------------------------------------------------------- max unpooling


def max_unpool(input: IntArg, kernel: IntArg, stride: IntArg = None, padding: PadArg = None,
               output_size: IntArg = None, *, framework: str = "torch", ndim: int | None = None) -> UnpoolResult:
    """Max unpooling (torch nn.MaxUnpool1d/2d/3d; TF's argmax scatter; ONNX MaxUnpool): the output
    size, the default ``(input - 1) * stride + kernel - 2 * padding`` (ONNX: ``- pad_before -
    pad_after``), every ``output_size`` the framework accepts (``valid_outputs``; ONNX: open-ended,
    listed through the largest pool input) and the sizes the matching max pool maps to ``input``
    (``pool_inputs``: where every maximum goes back to its place). ``stride`` defaults to the
    kernel (ONNX: 1); ``output_size`` selects a size or is rejected in the framework's words."""
    fw = frameworks.get(framework)
    rules = fw.unpool
    rules.check_layer()
    n = _ndim(ndim, (1, 2, 3), input, kernel, stride, padding, output_size)
    ins = per_axis(input, "input", n)
    ks = per_axis(kernel, "kernel", n)
    ss = per_axis(stride, "stride", n) if stride is not None else ks if rules.stride_is_kernel else (1,) * n
    outs = per_axis(output_size, "output_size", n) if output_size is not None else None
    check_limit("input", ins, MAX_INPUT)
    check_limit("kernel", ks, MAX_WINDOW)
    check_limit("stride", ss, MAX_WINDOW)
    for name, values in (("input", ins), ("kernel", ks), ("stride", ss)):
        if name not in rules.positive:
            continue
        for value in values:  # the max pool's rules (max_unpool alone does not check them)
            if value < 1:
                raise ShapeError(f"{name} size should be greater than zero, but got {name}={value}",
                                 framework=fw.name, rule=f"{name}-size", values={name: value})
    axes, warnings, shown, notes = rules.unpool(ins, ks, ss, padding, outs, n, stride is not None)
    warnings.extend(empty_warnings([a.output for a in axes], fw.name))
    return UnpoolResult(f"maxunpool{n}d", fw.name, shown, axes, tuple(warnings), tuple(notes))


__all__ = ["AdaptiveAxis", "AdaptivePoolResult", "FractionalAxis", "FractionalResult", "UnpoolAxis", "UnpoolResult",
           "adaptive_pool", "adaptive_windows", "fractional_max_pool", "keras_adaptive_windows", "max_unpool",
           # re-exported from convshape.rules.unpool
           "adaptive_end", "adaptive_start", "fractional_fits", "fractional_largest_output", "fractional_output",
           "maxpool_inputs", "onnx_largest_index", "onnx_pool_inputs", "onnx_shape_size", "onnx_unpool_default",
           "tf_pool_inputs", "uniform_pooling", "unpool_default", "unpool_valid_outputs", "window_gaps"]
