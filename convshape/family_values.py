"""The values of the op families beyond the forward convolution: a transposed convolution's
options and axes, a pooling axis's count, adaptive windows, resampling and unpooling.

:mod:`convshape.model` re-exports every one of them (``from convshape.model import TransposedAxis``
works as ever) and imports this module on the first use of one, so a forward convolution never
builds them: each ``typing.NamedTuple`` costs about a million instructions to define, a measurable
part of the CLI's start-up (benchmarks/bench_cli.py).
"""

# No ``from __future__ import annotations`` here: typing.NamedTuple compiles each string annotation
# (a third of building the class), see convshape.model.
from array import array
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import compress, count, islice, repeat
from operator import add, gt
from typing import Any, NamedTuple, overload

from convshape.model import RUNS_LISTED, IntRuns, Window

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



# ---------------------------------------------------------------------------- pooling
class Counted(NamedTuple):
    """What one framework computes for one axis, before the windows are listed."""

    pad_before: int
    pad_after: int
    output: int
    floor_output: int
    ceil_output: int | None
    dropped: bool



# ---------------------------------------------------------------------------- resampling, unpooling
class WindowArrays:
    """Adaptive windows computed in bulk (Keras's float32 windows where rounding errors are dense):
    window ``o`` is ``[starts[o], ends[o])``, of ``small + larger[o]`` cells. Held as ``array('q')``
    starts and ends and a ``bytearray`` of 0/1 flags, so a million windows cost 17 MB and every
    summary is a pass or two in C (``bytearray.count``/``find``, ``map``), never a Python step per
    window. ``moved``: the windows out of order (the starts of the others never fall)."""

    __slots__ = ("starts", "ends", "larger", "small", "moved")

    def __init__(self, starts: "array[int]", larger: bytearray, small: int, moved: tuple[int, ...] = ()) -> None:
        self.starts, self.larger, self.small, self.moved = starts, larger, small, moved
        self.ends = array("q", map(add, starts, map(add, larger, repeat(small))))

    def at(self, o: int) -> Window:
        return self.starts[o], self.ends[o]

    def __iter__(self) -> Iterator[Window]:
        return zip(self.starts, self.ends)

    def sizes_seen(self) -> list[int]:
        """The distinct window sizes, sorted."""
        big = self.larger.count(1)
        return [size for size, count in ((self.small, len(self.larger) - big), (self.small + 1, big)) if count]

    def larger_outputs(self, limit: int) -> tuple[int, ...] | None:
        """The outputs whose window is the larger size, or None when there are more than ``limit``."""
        if self.larger.count(1) > limit:
            return None
        found: list[int] = []
        o = self.larger.find(1)
        while o != -1:
            found.append(o)
            o = self.larger.find(1, o + 1)
        return tuple(found)

    def overlapping(self) -> int:
        """How many windows overlap the one before (end of ``o - 1`` beyond the start of ``o``)."""
        return sum(map(gt, self.ends, islice(self.starts, 1, None)))

    def gaps(self, size: int) -> tuple[range, ...]:
        """The input cells no window covers, as sorted runs.

        Among windows with rising starts, a gap before window ``o`` needs ``starts[o] > ends[o - 1]``;
        the furthest end before it is then the largest end among the windows sharing ``o - 1``'s
        start (every earlier window starts lower and is at most one cell longer), so only those are
        read. The ``moved`` windows are set aside for that scan, then their cells taken out of the gaps."""
        starts, ends = self.starts, self.ends
        if self.moved:
            starts, ends = array("q", starts), array("q", ends)
            for o in reversed(self.moved):
                del starts[o], ends[o]
        gaps: list[range] = []
        if starts:
            if starts[0] > 0:
                gaps.append(range(0, starts[0]))
            for o in compress(count(1), map(gt, islice(starts, 1, None), ends)):
                reach = max(ends[bisect_left(starts, starts[o - 1]):o])
                if starts[o] > reach:
                    gaps.append(range(reach, starts[o]))
        reach = max(ends[bisect_left(starts, starts[-1]):]) if starts else 0
        if size > reach:
            gaps.append(range(reach, size))
        for o in self.moved:
            start, end = self.starts[o], self.ends[o]
            gaps = [piece for run in gaps
                    for piece in (range(run.start, min(run.stop, start)), range(max(run.start, end), run.stop))
                    if piece]
        return tuple(gaps)

    def uniform(self, size: int) -> tuple[int, int] | None:
        """(kernel, stride) of the plain pooling with the same windows, or None."""
        seen = self.sizes_seen()
        n = len(self.starts)
        if len(seen) != 1:
            return None
        if n == 1:
            return seen[0], size
        stride = self.starts[1] - self.starts[0]
        if stride < 1 or self.starts[0] != 0 or self.starts != array("q", range(0, n * stride, stride)):
            return None
        return seen[0], stride


class AdaptiveWindows(Sequence[Window]):
    """The adaptive windows ``[start, end)`` of one axis, one per output index, each computed
    when asked for: a table showing the first and last windows of a million costs two
    windows. ``integer_rule``: the windows are torch's ``floor(o*i/n)``, ``ceil((o+1)*i/n)``
    (AdaptivePooling.h), so their summaries have closed forms (rules.unpool)."""

    __slots__ = ("size", "output", "at", "integer_rule", "memo", "arrays", "exceptions")

    def __init__(self, size: int, output: int, at: Callable[[int], Window], integer_rule: bool) -> None:
        self.size, self.output, self.at, self.integer_rule = size, output, at, integer_rule
        #: summaries computed once (by the API) for windows with no closed form
        self.memo: dict[str, Any] = {}
        #: the windows when computed up front in bulk (iterated directly, summarised in C)
        self.arrays: WindowArrays | None = None
        #: torch's integer windows except these (Keras's float32 windows where a bound rounds across
        #: an integer): the summaries are torch's closed forms corrected at them
        self.exceptions: dict[int, Window] | None = None

    @classmethod
    def excepting(cls, size: int, output: int, exceptions: dict[int, Window]) -> "AdaptiveWindows":
        """torch's windows ``floor(o*i/n)``, ``ceil((o+1)*i/n)`` except ``exceptions[o]``."""
        from convshape.rules.unpool import adaptive_window

        def at(o: int) -> Window:
            found = exceptions.get(o)
            return adaptive_window(o, size, output) if found is None else found

        made = cls(size, output, at, integer_rule=False)
        made.exceptions = exceptions
        return made

    @classmethod
    def bulk(cls, size: int, arrays: WindowArrays) -> "AdaptiveWindows":
        """Windows computed up front in bulk (Keras's float32 windows where its errors are dense)."""
        made = cls(size, len(arrays.starts), arrays.at, integer_rule=False)
        made.arrays = arrays
        return made

    def __len__(self) -> int:
        return max(self.output, 0)

    @overload
    def __getitem__(self, index: int) -> Window: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[Window, ...]: ...

    def __getitem__(self, index: int | slice) -> Window | tuple[Window, ...]:
        if isinstance(index, slice):
            return tuple(self.at(i) for i in range(*index.indices(len(self))))
        i = index + len(self) if index < 0 else index
        if not 0 <= i < len(self):
            raise IndexError("window index out of range")
        return self.at(i)

    def __iter__(self) -> Iterator[Window]:
        if self.arrays is not None:
            return iter(self.arrays)
        return (self.at(i) for i in range(len(self)))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, AdaptiveWindows) and self.integer_rule and other.integer_rule:
            return (self.size, len(self)) == (other.size, len(other))
        if isinstance(other, AdaptiveWindows) and self.arrays is not None and other.arrays is not None:
            return self.arrays.starts == other.arrays.starts and self.arrays.ends == other.arrays.ends
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
