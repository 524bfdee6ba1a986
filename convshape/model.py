"""Small immutable values passed between the rules, the API and the CLI.

They are ``typing.NamedTuple`` classes rather than frozen dataclasses: as immutable, typed
field by field, and many times cheaper to define, which matters because every CLI call
defines them at start-up.
"""

# No ``from __future__ import annotations`` here: typing.NamedTuple compiles each string annotation
# (a third of building the class), and these classes are built on every command's start-up.
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, Literal, NamedTuple, Protocol, overload

#: JSON lists a set of sizes as its numbers up to this many; a larger one as its runs
RUNS_LISTED = 1024


class IntRuns(Sequence[int]):
    """An immutable, sorted set of integers held as runs (``range`` objects): memory, ``len``,
    ``in`` and indexing cost nothing with the sizes (the ONNX ConvTranspose output_shape run can
    hold a billion sizes). Equal to any sequence of the same integers in the same order.

    >>> r = IntRuns.run(5, 9)
    >>> (len(r), 7 in r, r[0], r[-1], list(r) == [5, 6, 7, 8, 9], r == (5, 6, 7, 8, 9))
    (5, True, 5, 9, True, True)
    >>> IntRuns.of([1, 2, 3, 7]).ranges
    (range(1, 4), range(7, 8))
    """

    __slots__ = ("ranges", "_len")
    ranges: tuple[range, ...]

    def __init__(self, ranges: Iterable[range] = ()) -> None:
        kept: list[range] = []
        for r in ranges:
            if not r:
                continue
            if r.step < 0:
                raise ValueError("IntRuns holds ascending runs")
            if len(r) == 1:
                r = range(r.start, r.start + 1)
            if kept and kept[-1][-1] >= r.start:
                raise ValueError("IntRuns holds sorted, disjoint runs")
            last = kept[-1] if kept else None
            if last is not None and last.step == 1 and r.step == 1 and last.stop == r.start:
                kept[-1] = range(last.start, r.stop)
            else:
                kept.append(r)
        self.ranges = tuple(kept)
        self._len = sum(len(r) for r in kept)

    @classmethod
    def run(cls, first: int, last: int) -> "IntRuns":
        """Every integer from ``first`` to ``last``, both included (empty when ``last < first``)."""
        return cls((range(first, last + 1),))

    @classmethod
    def of(cls, values: Iterable[int]) -> "IntRuns":
        """A small set given number by number (sorted and deduplicated here)."""
        ordered = sorted(set(values))
        runs: list[range] = []
        for v in ordered:
            if runs and runs[-1].stop == v:
                runs[-1] = range(runs[-1].start, v + 1)
            else:
                runs.append(range(v, v + 1))
        return cls(runs)

    def __len__(self) -> int:
        return self._len

    def __bool__(self) -> bool:
        return self._len > 0

    def __contains__(self, value: object) -> bool:
        return isinstance(value, int) and any(value in r for r in self.ranges)

    def __iter__(self) -> Iterator[int]:
        for r in self.ranges:
            yield from r

    @overload
    def __getitem__(self, index: int) -> int: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[int, ...]: ...

    def __getitem__(self, index: int | slice) -> int | tuple[int, ...]:
        if isinstance(index, slice):
            return tuple(self[i] for i in range(*index.indices(self._len)))
        i = index + self._len if index < 0 else index
        if not 0 <= i < self._len:
            raise IndexError("IntRuns index out of range")
        for r in self.ranges:
            if i < len(r):
                return r[i]
            i -= len(r)
        raise IndexError("IntRuns index out of range")  # pragma: no cover

    def __eq__(self, other: object) -> bool:
        if isinstance(other, IntRuns):
            return self.ranges == other.ranges or (self._len == other._len and all(
                a == b for a, b in zip(self, other, strict=True)))
        if isinstance(other, (tuple, list, range)):
            return len(other) == self._len and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    def __hash__(self) -> int:
        # as the tuple of the same numbers while that is cheap to build
        return hash(tuple(self)) if self._len <= RUNS_LISTED else hash(self.ranges)

    def __repr__(self) -> str:
        return f"IntRuns({list(self.ranges)!r})"

    def to_json(self) -> list[int] | list[dict[str, int]]:
        """Up to RUNS_LISTED numbers as a list of ints; a larger set as its runs,
        ``[{"start", "stop", "step"}, ...]`` (``stop`` excluded, as Python's ``range``)."""
        if self._len <= RUNS_LISTED:
            return list(self)
        return [{"start": r.start, "stop": r.stop, "step": r.step} for r in self.ranges]


class AxisSpec(NamedTuple):
    """One spatial axis of a layer, before padding is resolved."""

    input: int
    kernel: int
    stride: int = 1
    dilation: int = 1


class ConvAxis(NamedTuple):
    """One axis of a convolution as the framework runs it."""

    input: int
    kernel: int
    stride: int
    dilation: int
    pad_before: int
    pad_after: int
    output: int

    def to_dict(self) -> dict[str, Any]:
        return self._asdict()


class TransposeOption(NamedTuple):
    """One output size a transposed convolution can give, and how the framework selects it."""

    output: int
    output_padding: int
    pad_before: int
    pad_after: int
    select: str
    #: what the forward convolution, with these pads, gives for this output (filled in by the API)
    forward: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return self._asdict()


class TransposeOptions(Sequence[TransposeOption]):
    """The output sizes a transposed convolution can give, each with what selects it: option
    ``i`` is computed when asked for (``at``) and a size is found by arithmetic (``index_of``),
    so a stride or dilation of 65536 (65536 options) costs what one option costs. Equal to any
    sequence of the same options.

    >>> opts = TransposeOptions(3, lambda i: TransposeOption(10 + i, i, 0, 0, f"output_padding={i}"),
    ...                         lambda o: o - 10 if 10 <= o < 13 else None)
    >>> (len(opts), opts.find(12).select, opts.find(13), [o.output for o in opts])
    (3, 'output_padding=2', None, [10, 11, 12])
    """

    __slots__ = ("total", "at", "index_of")

    def __init__(self, count: int, at: Callable[[int], TransposeOption],
                 index_of: Callable[[int], int | None]) -> None:
        self.total, self.at, self.index_of = max(count, 0), at, index_of

    @classmethod
    def listed(cls, options: Iterable[TransposeOption] = ()) -> "TransposeOptions":
        """A few options given one by one (sorted by output, one per output)."""
        held = tuple(sorted(options, key=lambda o: o.output))
        where = {o.output: i for i, o in enumerate(held)}
        return cls(len(held), held.__getitem__, where.get)

    def find(self, output: int) -> TransposeOption | None:
        """The option giving ``output``, or None when this configuration cannot give it."""
        i = self.index_of(output)
        return None if i is None or not 0 <= i < self.total else self.at(i)

    def map(self, change: Callable[[TransposeOption], TransposeOption]) -> "TransposeOptions":
        """The same options, each changed by ``change`` (output unchanged) when it is asked for."""
        at = self.at
        return TransposeOptions(self.total, lambda i: change(at(i)), self.index_of)

    def __len__(self) -> int:
        return self.total

    @overload
    def __getitem__(self, index: int) -> TransposeOption: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[TransposeOption, ...]: ...

    def __getitem__(self, index: int | slice) -> TransposeOption | tuple[TransposeOption, ...]:
        if isinstance(index, slice):
            return tuple(self.at(i) for i in range(*index.indices(self.total)))
        i = index + self.total if index < 0 else index
        if not 0 <= i < self.total:
            raise IndexError("option index out of range")
        return self.at(i)

    def __iter__(self) -> Iterator[TransposeOption]:
        return (self.at(i) for i in range(self.total))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (TransposeOptions, tuple, list)):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self.total, self.at(0) if self.total else None))

    def __repr__(self) -> str:
        return repr(tuple(self)) if self.total <= 16 else f"TransposeOptions(total={self.total})"

    def shown(self, around: int, each: int = 8) -> tuple[TransposeOption, ...]:
        """Every option while there are at most RUNS_LISTED; beyond, the first and last ``each``
        and the ``each`` on either side of the size ``around`` (the one in effect)."""
        if self.total <= RUNS_LISTED:
            return tuple(self)
        centre = self.index_of(around)
        picked = set(range(each)) | set(range(self.total - each, self.total))
        if centre is not None:
            picked |= set(range(max(centre - each, 0), min(centre + each + 1, self.total)))
        return tuple(self.at(i) for i in sorted(picked))


NO_OPTIONS = TransposeOptions.listed()


class TransposedAxis(NamedTuple):
    """One axis of a transposed convolution: the size in effect and every valid size."""

    input: int
    kernel: int
    stride: int
    dilation: int
    pad_before: int
    pad_after: int
    output_padding: int
    output: int
    valid_outputs: IntRuns
    options: TransposeOptions = NO_OPTIONS

    def to_dict(self) -> dict[str, Any]:
        d = self._asdict()
        d["valid_outputs"] = self.valid_outputs.to_json()
        d["options"] = [o.to_dict() for o in self.options.shown(self.output)]
        d["option_count"] = len(self.options)
        return d


class SpatialAxis(Protocol):
    """An axis of a layer result: its spatial input and output size."""

    @property
    def input(self) -> int: ...

    @property
    def output(self) -> int: ...


class LayerResult(Protocol):
    """A layer result, as the head of the JSON contract every op command shares reads it."""

    @property
    def op(self) -> str: ...

    @property
    def framework(self) -> str: ...

    @property
    def padding(self) -> str: ...

    @property
    def input(self) -> tuple[int, ...]: ...

    @property
    def output(self) -> tuple[int, ...]: ...


def spatial_sizes(axes: Iterable[SpatialAxis], which: Literal["input", "output"]) -> tuple[int, ...]:
    """The ``input`` or the ``output`` size of each axis: a layer result's spatial sizes."""
    if which == "input":
        return tuple(a.input for a in axes)
    return tuple(a.output for a in axes)


def result_head(result: LayerResult) -> dict[str, Any]:
    """``{"op", "framework", "padding", "input", "output"}``: the head of every op command's JSON."""
    return {"op": result.op, "framework": result.framework, "padding": result.padding,
            "input": list(result.input), "output": list(result.output)}


# ---------------------------------------------------------------------------- frameworks
class Counted(NamedTuple):
    """What one framework computes for one axis, before the windows are listed."""

    pad_before: int
    pad_after: int
    output: int
    floor_output: int
    ceil_output: int | None
    dropped: bool



# ---------------------------------------------------------------------------- resampling, unpooling
Window = tuple[int, int]  # an adaptive window [start, end) (as convshape.rules.unpool.Window; rules import nothing)


class AdaptiveWindows(Sequence[Window]):
    """The adaptive windows ``[start, end)`` of one axis, one per output index, each computed
    when asked for: a table showing the first and last windows of a million costs two
    windows. ``integer_rule``: the windows are torch's ``floor(o*i/n)``, ``ceil((o+1)*i/n)``
    (AdaptivePooling.h), so their summaries have closed forms (rules.unpool)."""

    __slots__ = ("size", "output", "at", "integer_rule", "memo", "held")

    def __init__(self, size: int, output: int, at: Callable[[int], Window], integer_rule: bool) -> None:
        self.size, self.output, self.at, self.integer_rule = size, output, at, integer_rule
        #: summaries computed once (by the API) for windows with no closed form
        self.memo: dict[str, Any] = {}
        #: the windows when computed up front (iterated and sliced directly)
        self.held: tuple[Window, ...] | None = None

    @classmethod
    def listed(cls, size: int, windows: tuple[Window, ...]) -> "AdaptiveWindows":
        """Windows computed up front (Keras's float32 windows), with their summaries kept once computed."""
        made = cls(size, len(windows), windows.__getitem__, integer_rule=False)
        made.held = windows
        return made

    def __len__(self) -> int:
        return max(self.output, 0)

    @overload
    def __getitem__(self, index: int) -> Window: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[Window, ...]: ...

    def __getitem__(self, index: int | slice) -> Window | tuple[Window, ...]:
        if self.held is not None:
            return self.held[index]
        if isinstance(index, slice):
            return tuple(self.at(i) for i in range(*index.indices(len(self))))
        i = index + len(self) if index < 0 else index
        if not 0 <= i < len(self):
            raise IndexError("window index out of range")
        return self.at(i)

    def __iter__(self) -> Iterator[Window]:
        if self.held is not None:
            return iter(self.held)
        return (self.at(i) for i in range(len(self)))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, AdaptiveWindows) and self.integer_rule and other.integer_rule:
            return (self.size, len(self)) == (other.size, len(other))
        if isinstance(other, (AdaptiveWindows, tuple, list)):
            return len(self) == len(other) and all(a == tuple(b) for a, b in zip(self, other, strict=True))
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self.size, len(self)))

    def __repr__(self) -> str:
        return repr(tuple(self)) if len(self) <= 64 else f"AdaptiveWindows(size={self.size}, output={self.output})"


class Resampled(NamedTuple):
    """What a framework's interpolation rules give: the output per axis, the scale each axis hands the
    kernel, the scales in effect, the mode and layer, and what the kernel resizes per axis
    ``(extent, pad_before, pad_after)``."""

    outputs: tuple[int, ...]
    kernel_scales: tuple[float | None, ...]
    scales: tuple[float, ...] | None
    mode: str
    layer: str
    align_corners: bool | None
    antialias: bool
    windows: tuple[tuple[int, int, int], ...]


class UnpoolAxis(NamedTuple):
    """One axis of max unpooling: the size in effect, every accepted size, and the sizes the
    matching max pool maps to the input (where the indices put every maximum back in place).
    ``open_ended``: every size above ``valid_outputs`` is accepted too (onnxruntime)."""

    input: int
    kernel: int
    stride: int
    pad_before: int
    pad_after: int
    default: int
    output: int
    valid_outputs: IntRuns
    pool_inputs: tuple[int, ...]
    open_ended: bool = False

    def to_dict(self) -> dict[str, Any]:
        d = self._asdict()
        d["valid_outputs"] = self.valid_outputs.to_json()
        d["pool_inputs"] = list(self.pool_inputs)
        return d
