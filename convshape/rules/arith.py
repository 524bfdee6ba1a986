"""Integer arithmetic the shape rules share.

Where a framework is written in C++ and divides a possibly negative numerator, it truncates
toward zero rather than flooring; ``div_trunc`` reproduces that, ``//`` is Python's floor.
"""

from __future__ import annotations

from collections.abc import Callable


def div_trunc(a: int, b: int) -> int:
    """C/C++ integer division (truncates toward zero), for b > 0."""
    q = abs(a) // b
    return q if a >= 0 else -q


def div_ceil(a: int, b: int) -> int:
    """ceil(a / b) for b > 0, in integers."""
    return -((-a) // b)


def preimage(f: Callable[[int], int], target: int, lo: int, hi: int) -> tuple[int, int] | None:
    """The run ``[first, last]`` of x in ``[lo, hi]`` where a non-decreasing ``f(x) == target``,
    by binary search (every output size is non-decreasing in the input size), or None."""

    def first_at_least(value: int) -> int:
        a, b = lo, hi + 1
        while a < b:
            mid = (a + b) // 2
            if f(mid) >= value:
                b = mid
            else:
                a = mid + 1
        return a

    first = first_at_least(target)
    if first > hi or f(first) != target:
        return None
    return first, first_at_least(target + 1) - 1
