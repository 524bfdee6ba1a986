"""convshape's own size limits, the frameworks' integer types, and the one check of them.

Two kinds of limit live here:

- the frameworks' integer types: no framework stores a size, padding or channel count wider than
  a signed 64-bit integer (torch, onnx and jax use int64; tf stores tensor sizes as int64 and
  Caffe its layer parameters as uint32), so every integer convshape reads must fit in int64
  (:func:`check_int64`, applied by :mod:`convshape.params` to every integer it reads);
- convshape's own: sizes, paddings and channel counts within the int32 range TF and Caffe store
  sizes in (so every computed size stays far inside int64), and kernels, strides and dilations
  small enough to list every valid size (one per stride step).

Both are usage errors (rule ``convshape-limit``, exit 2 in the CLI): nothing is computed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from convshape.errors import Rule, ShapeError
from convshape.model import AxisSpec

INT64_MAX = 2**63 - 1  # torch, onnx and jax sizes (int64_t); no framework stores a wider integer
INT64_MIN = -(2**63)
MAX_INPUT = 2**31 - 1  # int32 sizes, as TF and Caffe store them
MAX_PADDING = MAX_INPUT  # explicit padding, each side (negative: at least -MAX_PADDING)
MAX_CHANNELS = MAX_INPUT  # a tensor's channels and batch, out_channels, out_features, groups
MAX_WINDOW = 65536  # kernel, stride, dilation: keeps the listed valid sizes (one per stride step) small
MAX_WINDOWS = 1 << 20  # adaptive windows listed per axis (--json lists every one)
MAX_DIGITS = 1000  # digits of an integer read from text: far beyond any size, below Python's 4,300-digit int() limit


def shown(value: int) -> str:
    """An integer as an error echoes it: a very long one by its number of digits."""
    text = str(value)
    return text if len(text) <= 24 else f"a {len(text.lstrip('-'))}-digit {'negative ' if value < 0 else ''}number"


def check_int64(name: str, value: int) -> int:
    """``value`` if it fits in a signed 64-bit integer (the widest integer any framework stores a
    size in); else convshape's ``convshape-limit`` error, naming the limit."""
    if not INT64_MIN <= value <= INT64_MAX:
        raise ShapeError(f"{name} must fit in a signed 64-bit integer (-2**63 to 2**63-1 = {INT64_MAX}, the int64 "
                         f"torch, onnx and jax store sizes in), but got {shown(value)}", rule=Rule.CONVSHAPE_LIMIT,
                         values={name: shown(value)})
    return value


def check_limit(name: str, values: Iterable[int], limit: int = MAX_INPUT, low: int | None = None) -> None:
    """Raise convshape's ``convshape-limit`` error for the first value above ``limit`` (or below
    ``low``, when given: the message then names the range)."""
    for value in values:
        if value > limit or (low is not None and value < low):
            bound = f"between {low} and {limit}" if low is not None else f"at most {limit} in convshape"
            why = " (int32, as TF and Caffe store sizes)" if limit == MAX_INPUT else ""
            raise ShapeError(f"{name} must be {bound}{why}, but got {name}={shown(value)}", rule=Rule.CONVSHAPE_LIMIT,
                             values={name: shown(value) if len(str(value)) > 24 else value})


def check_padding(pairs: Sequence[tuple[int, int]], name: str = "padding") -> None:
    """Explicit paddings within ``-MAX_PADDING..MAX_PADDING`` on each side."""
    check_limit(name, (p for pair in pairs for p in pair), MAX_PADDING, low=-MAX_PADDING)


def check_axes(axes: Sequence[AxisSpec]) -> None:
    """The limits on every axis of a windowed layer, axis by axis: input at most MAX_INPUT,
    kernel, stride and dilation at most MAX_WINDOW."""
    for a in axes:
        check_limit("input", (a.input,), MAX_INPUT)
        for name, value in (("kernel", a.kernel), ("stride", a.stride), ("dilation", a.dilation)):
            check_limit(name, (value,), MAX_WINDOW)
