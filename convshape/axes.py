"""The one loop over spatial axes, and the one warning about an empty axis."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

T = TypeVar("T")


def each_axis(fn: Callable[..., T], *columns: Iterable[Any]) -> tuple[T, ...]:
    """``fn(axis, item_of_each_column...)`` for every spatial axis, the columns zipped:
    ``each_axis(f, specs, pads)`` is ``(f(0, specs[0], pads[0]), f(1, specs[1], pads[1]), ...)``;
    ``each_axis(f, range(n))`` calls ``f(axis, axis)``."""
    return tuple(fn(axis, *items) for axis, items in enumerate(zip(*columns)))


def empty_warning(axis: int, framework: str) -> str:
    """What convshape says of an output of size 0 on ``axis`` (the framework runs it)."""
    return f"output size 0 on axis {axis}: {framework} returns an empty tensor, almost certainly a mistake"


def empty_warnings(outputs: Sequence[int], framework: str) -> tuple[str, ...]:
    """:func:`empty_warning` for every axis whose output is 0."""
    return tuple(empty_warning(axis, framework) for axis, out in enumerate(outputs) if out == 0)
