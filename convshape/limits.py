"""convshape's own size limits, and the one check of them.

These are not any framework's rules: they keep the listed valid sizes (one per stride step)
and windows small, and sizes within the int32 range TF and Caffe store them in.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from convshape.errors import Rule, ShapeError
from convshape.model import AxisSpec

MAX_INPUT = 2**31 - 1  # int32 sizes, as TF and Caffe store them
MAX_WINDOW = 65536  # kernel, stride, dilation: keeps the listed valid sizes (one per stride step) small
MAX_WINDOWS = 1 << 20  # adaptive windows listed per axis (--json lists every one)
MAX_DIGITS = 1000  # digits of an integer read from text: far beyond any size, below Python's 4,300-digit int() limit


def check_limit(name: str, values: Iterable[int], limit: int = MAX_INPUT, low: int | None = None) -> None:
    """Raise convshape's ``convshape-limit`` error for the first value above ``limit`` (or below
    ``low``, when given: the message then names the range)."""
    for value in values:
        if value > limit or (low is not None and value < low):
            bound = f"between {low} and {limit}" if low is not None else f"at most {limit} in convshape"
            raise ShapeError(f"{name} must be {bound}, but got {name}={value}", rule=Rule.CONVSHAPE_LIMIT,
                             values={name: value})


def check_axes(axes: Sequence[AxisSpec]) -> None:
    """The limits on every axis of a windowed layer, axis by axis: input at most MAX_INPUT,
    kernel, stride and dilation at most MAX_WINDOW."""
    for a in axes:
        check_limit("input", (a.input,), MAX_INPUT)
        for name, value in (("kernel", a.kernel), ("stride", a.stride), ("dilation", a.dilation)):
            check_limit(name, (value,), MAX_WINDOW)
