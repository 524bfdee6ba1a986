"""Small immutable values passed between the rules, the API and the CLI.

They are ``typing.NamedTuple`` classes rather than frozen dataclasses: as immutable, typed
field by field, and many times cheaper to define, which matters because every CLI call
defines them at start-up. Those a forward convolution does not need (the other op families')
live in :mod:`convshape.family_values`, imported from here on first use.
"""

# No ``from __future__ import annotations`` here: typing.NamedTuple compiles each string annotation
# (a third of building the class), and these classes are built on every command's start-up.
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, Literal, NamedTuple, Protocol, overload

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


# ---------------------------------------------------------------------------- the other families' values
#: defined in convshape.family_values, imported on the first use of one of them (a forward convolution
#: never needs them: start-up); importing them from here works as before
FAMILY_VALUES = ("TransposeOption", "TransposeOptions", "NO_OPTIONS", "TransposedAxis", "Counted",
                 "AdaptiveWindows", "WindowArrays", "Resampled", "UnpoolAxis")
Window = tuple[int, int]  # an adaptive window [start, end) (as convshape.rules.unpool.Window; rules import nothing)

if TYPE_CHECKING:
    from convshape.family_values import NO_OPTIONS as NO_OPTIONS
    from convshape.family_values import AdaptiveWindows as AdaptiveWindows
    from convshape.family_values import Counted as Counted
    from convshape.family_values import Resampled as Resampled
    from convshape.family_values import TransposedAxis as TransposedAxis
    from convshape.family_values import TransposeOption as TransposeOption
    from convshape.family_values import TransposeOptions as TransposeOptions
    from convshape.family_values import UnpoolAxis as UnpoolAxis
    from convshape.family_values import WindowArrays as WindowArrays
else:
    def __getattr__(name: str) -> Any:  # hidden from mypy: it checks the names above, and no others
        if name in FAMILY_VALUES:
            from convshape import family_values

            return getattr(family_values, name)
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
