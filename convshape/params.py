"""The one normaliser: turns ``3`` / ``3,5`` / ``1:2`` / keywords into per-axis values, and
reads every other value a user types: integers, numbers (scales), whole tensor shapes, ranges.

Every error names the argument it came from, so the CLI and the API say the same thing.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from convshape.errors import Rule, ShapeError, quote
from convshape.limits import MAX_DIGITS, check_int64, check_padding

if TYPE_CHECKING:  # fractions loads decimal: only solve needs it, and imports it there
    from fractions import Fraction

IntArg = int | str | Sequence[int] | None
NumberArg = int | float | str | Sequence[int | float | str] | None
ShapeArg = str | Sequence[int]
N = TypeVar("N")  # one per-axis value: an int, a number, a padding pair
PadPair = tuple[int, int]
PadArg = str | int | Sequence[int | Sequence[int]] | None

PADDING_KEYWORDS = ("valid", "same", "same-upper", "same-lower", "full", "causal")
_KEYWORD_ALIASES = {"same_upper": "same-upper", "same_lower": "same-lower", "sameupper": "same-upper",
                    "samelower": "same-lower"}


def parse_int(text: str, name: str, what: str = "an integer") -> int:
    """The one integer parser: an optional sign and ASCII digits, spaces around them allowed.

    Python's ``int()`` also reads ``1_000`` and full-width or other Unicode digits (``３``);
    nobody writes a size that way on purpose, so those are ``not-an-integer`` like any word.
    ``what`` is what the message says was expected."""
    word = text.strip()
    digits = word[1:] if word[:1] in ("+", "-") else word
    if not (digits.isascii() and digits.isdigit()):
        raise ShapeError(f"{name} must be {what}, but got {quote(text)}", rule=Rule.NOT_AN_INTEGER, values={name: text})
    if len(digits) > MAX_DIGITS:  # int() itself refuses 4,300 digits with a ValueError
        raise ShapeError(f"{name} has {len(digits):,} digits; convshape reads integers of at most {MAX_DIGITS:,} "
                         f"digits", rule=Rule.CONVSHAPE_LIMIT, values={name: quote(text)})
    return int(word)


def _int(text: str, name: str) -> int:
    return parse_int(text, name, "an integer or a comma-separated list of integers")


def _per_axis_parts(value: str) -> list[str]:
    """``"3,5"``, ``"3x5"`` (also ``X``, ``×``: as a tensor is written) -> ``["3", "5"]``; a value
    with ``:`` (before:after) or a letter other than x is split on commas only."""
    text = value.strip()
    if ":" not in text and not any(c.isalpha() and c not in "xX" for c in text):
        for sep in ("x", "X", "×"):
            text = text.replace(sep, ",")
    return text.split(",")


def axis_count(*values: object) -> int:
    """The number of spatial axes implied by the longest per-axis argument (1 if all are scalars)."""
    n = 1
    for value in values:
        if isinstance(value, str):
            if value.strip().lower().replace("_", "-") in PADDING_KEYWORDS:
                continue
            n = max(n, len(_per_axis_parts(value)))
        elif isinstance(value, Sequence):
            n = max(n, len(value))
    return n


def _broadcast(items: list[N], name: str, ndim: int) -> list[N]:
    if len(items) == 1:
        return items * ndim
    if len(items) != ndim:
        raise ShapeError(f"{name} has {len(items)} values but the layer has {ndim} spatial axes; "
                         f"give one value or {ndim}", rule=Rule.AXIS_COUNT, values={name: len(items), "axes": ndim})
    return items


def per_axis(value: IntArg, name: str, ndim: int, default: int | None = None) -> tuple[int, ...]:
    """``3`` -> ``(3, 3)``; ``"3,5"`` / ``[3, 5]`` -> ``(3, 5)`` for ``ndim == 2``."""
    if value is None:
        if default is None:
            raise ShapeError(f"{name} is required", rule=Rule.MISSING, values={name: None})
        value = default
    if isinstance(value, bool):
        raise ShapeError(f"{name} must be an integer, but got {quote(value)}", rule=Rule.NOT_AN_INTEGER,
                         values={name: value})
    if isinstance(value, int):
        items = [value]
    elif isinstance(value, str):
        if not value.strip():
            raise ShapeError(f"{name} is empty", rule=Rule.NOT_AN_INTEGER, values={name: value})
        items = [_int(part, name) for part in _per_axis_parts(value)]
    elif isinstance(value, Sequence):
        items = []
        for part in value:
            if isinstance(part, bool) or not isinstance(part, (int, str)):
                raise ShapeError(f"{name} must hold integers, but got {quote(part)}", rule=Rule.NOT_AN_INTEGER,
                                 values={name: part})
            items.append(part if isinstance(part, int) else _int(part, name))
    else:
        raise ShapeError(f"{name} must be an integer or a list of integers, but got {quote(value)}",
                         rule=Rule.NOT_AN_INTEGER, values={name: value})
    return tuple(_broadcast(items, name, ndim))


def padding_keyword(value: PadArg) -> str | None:
    """The padding keyword in ``value`` (normalised, e.g. ``'SAME_UPPER'`` -> ``'same-upper'``), or None."""
    if isinstance(value, str):
        word = value.strip().lower()
        word = _KEYWORD_ALIASES.get(word, word.replace("_", "-"))
        if word in PADDING_KEYWORDS:
            return word
        if word and word[0].isalpha():
            raise ShapeError(f"unknown padding keyword {quote(value)}; expected a number, before:after, or one of "
                             + ", ".join(PADDING_KEYWORDS), rule=Rule.UNKNOWN_PADDING, values={"padding": value})
    return None


def _pair(part: object, name: str) -> PadPair:
    if isinstance(part, bool):
        raise ShapeError(f"{name} must hold integers, but got {quote(part)}", rule=Rule.NOT_AN_INTEGER,
                         values={name: part})
    if isinstance(part, int):
        return (check_int64(name, part), part)
    if isinstance(part, str):
        if ":" in part:
            pieces = part.split(":")
            if len(pieces) != 2:
                raise ShapeError(f"{name} takes before:after per axis, but got {quote(part)}", rule=Rule.NOT_AN_INTEGER,
                                 values={name: part})
            return (_int(pieces[0], name), _int(pieces[1], name))
        n = _int(part, name)
        return (n, n)
    if isinstance(part, Sequence) and len(part) == 2 and all(isinstance(p, int) and not isinstance(p, bool)
                                                              for p in part):
        return (check_int64(name, part[0]), check_int64(name, part[1]))
    raise ShapeError(f"{name} must be an integer, a (before, after) pair or a keyword, but got {quote(part)}",
                     rule=Rule.NOT_AN_INTEGER, values={name: part})


def explicit_padding(value: PadArg, ndim: int, name: str = "padding") -> tuple[PadPair, ...]:
    """``1`` -> ``((1, 1),) * ndim``; ``"0:1,1:2"`` -> ``((0, 1), (1, 2))``; ``[(0, 1), 2]`` likewise."""
    if isinstance(value, str):
        parts: list[Any] = list(value.split(","))
    elif isinstance(value, (int, bool)):
        parts = [value]
    elif isinstance(value, Sequence):
        parts = list(value)
    else:
        raise ShapeError(f"{name} must be an integer, before:after, or a keyword, but got {quote(value)}",
                         rule=Rule.NOT_AN_INTEGER, values={name: value})
    pairs = tuple(_broadcast([_pair(p, name) for p in parts], name, ndim))
    check_padding(pairs, name)  # convshape's limit (limits.MAX_PADDING): int32, as TF and Caffe store sizes
    return pairs


def format_padding(value: PadArg) -> str:
    """The padding as the user would type it on the command line."""
    if value is None:
        return "default"
    if isinstance(value, str):
        return value
    if isinstance(value, int):
        return str(value)
    # per axis: a number, "before:after" as typed, or a (before, after) pair
    return ",".join(":".join(str(v) for v in p) if isinstance(p, Sequence) and not isinstance(p, str)
                    else str(p).strip() for p in value)


# ---------------------------------------------------------------------------- numbers
def parse_number(text: str | int | float, name: str) -> float | int:
    """The one number parser (scales, ratios): ``2`` stays an int (Keras needs integer factors),
    ``1.5`` / ``1e-3`` / ``inf`` are floats, ``1/3`` is ``float(1) / float(3)`` as Python computes
    it. ASCII only, no ``_``: the same characters :func:`parse_int` takes, plus a float's."""
    if isinstance(text, bool):
        raise ShapeError(f"{name} must be a number, but got {quote(text)}", rule=Rule.NOT_A_NUMBER, values={name: text})
    if isinstance(text, float):
        return text
    if isinstance(text, int):
        return _float_sized(text, name)
    word = text.strip()
    try:
        if not word.isascii() or "_" in word:
            raise ValueError(word)
        if "/" in word:
            top, _, bottom = word.partition("/")
            return float(top) / float(bottom)
        number = int(word) if word.lstrip("+-").isdigit() else float(word)
    except (ValueError, ZeroDivisionError):
        raise ShapeError(f"{name} must be a number (e.g. 2, 1.5, 1/3), or one per axis comma-separated, "
                         f"but got {quote(text)}", rule=Rule.NOT_A_NUMBER, values={name: text}) from None
    return _float_sized(number, name) if isinstance(number, int) else number


def _float_sized(value: int, name: str) -> int:
    """An integer scale within a double's range: every framework turns a scale into a double
    (torch's ``float(scale_factor)`` raises OverflowError beyond it, as ``--scale 1e400`` is infinite)."""
    try:
        float(value)
    except OverflowError:
        raise ShapeError(f"{name} must be a number a double can hold (at most about 1.8e308), but got an integer "
                         f"of {len(str(abs(value)))} digits", rule=Rule.NOT_A_NUMBER,
                         values={name: f"{len(str(abs(value)))} digits"}) from None
    return value


def is_scalar(value: object) -> bool:
    """Whether ``value`` is one value for every axis (not a sequence, nor ``"a,b"``)."""
    return not isinstance(value, Sequence) or (isinstance(value, str) and "," not in value)


def number_values(value: NumberArg, name: str = "scale") -> tuple[float | int, ...] | None:
    """``1.5`` -> ``(1.5,)``; ``"2,1/3"`` -> ``(2, 0.333...)``; integers stay integers."""
    if value is None:
        return None
    if isinstance(value, str):
        if not value.strip():
            raise ShapeError(f"{name} is empty", rule=Rule.NOT_A_NUMBER, values={name: value})
        return tuple(parse_number(part, name) for part in value.split(","))
    if isinstance(value, Sequence):
        return tuple(parse_number(part, name) for part in value)
    return (parse_number(value, name),)


def per_axis_numbers(values: Sequence[N], name: str, ndim: int) -> tuple[N, ...]:
    """One number for every axis, or one per axis (the ``axis-count`` rule of :func:`per_axis`)."""
    return tuple(_broadcast(list(values), name, ndim))


def fraction_values(value: str | int | Fraction | Sequence[str | int | Fraction],
                    name: str = "scale") -> tuple[Fraction, ...]:
    """Exact rationals: ``2`` / ``"1/2"`` / ``"2,1/2"`` -> Fractions (integers and ``N/M`` with
    :func:`parse_int`'s characters)."""
    from fractions import Fraction

    parts = value.split(",") if isinstance(value, str) else list(value) if isinstance(value, Sequence) else [value]
    found = []
    for part in parts:
        try:
            if isinstance(part, str):
                top, slash, bottom = part.partition("/")
                found.append(Fraction(parse_int(top, name), parse_int(bottom, name) if slash else 1))
            elif isinstance(part, (int, Fraction)) and not isinstance(part, bool):
                found.append(Fraction(part))
            else:
                raise ValueError(part)
        except (ShapeError, ValueError, ZeroDivisionError):
            raise ShapeError(f"{name} must be N or 1/N (e.g. 2 or 1/2), but got {quote(part)}", rule=Rule.NOT_A_NUMBER,
                             values={name: part}) from None
    return tuple(found)


# ---------------------------------------------------------------------------- whole tensors and ranges
def tensor_shape(value: ShapeArg, name: str = "input", smallest: int | None = 0) -> tuple[int, ...]:
    """The one tensor-shape parser: ``"1x3x32x32"``, ``"1,3,32,32"``, ``"(1, 3, 32, 32)"``,
    ``"[1, 3, 32, 32]"`` (also ``×`` or ``*`` between sizes) or a sequence. Each size is read by
    :func:`parse_int` and must be at least ``smallest`` (None: any integer, e.g. a -1 wildcard)."""
    if isinstance(value, str):
        text = value.strip().strip("()[]")
        for sep in ("x", "X", "×", "*"):
            text = text.replace(sep, ",")
        parts: list[Any] = [p for p in text.split(",") if p.strip()]
    elif isinstance(value, Sequence):
        parts = list(value)
    else:
        parts = [value]
    dims = []
    for part in parts:
        try:
            dim = part if isinstance(part, int) and not isinstance(part, bool) else parse_int(str(part), name)
        except ShapeError as exc:
            if exc.rule == Rule.CONVSHAPE_LIMIT:
                raise
            dim = None
        if dim is not None:
            check_int64(name, dim)
        if dim is None or isinstance(part, bool) or (smallest is not None and dim < smallest):
            kind = "integers" if smallest is None else "non-negative integers" if smallest == 0 else \
                f"integers >= {smallest}"
            raise ShapeError(f"{name} must be a tensor shape like 1x9x4x4 ({kind}), but got {quote(value)}",
                             rule=Rule.BAD_SHAPE, values={name: value})
        dims.append(dim)
    if not dims:
        raise ShapeError(f"{name} is empty", rule=Rule.BAD_SHAPE, values={name: value})
    return tuple(dims)


def int_range(value: object, name: str = "range") -> tuple[int, int]:
    """``"1..4096"`` (also ``1...4096``, ``1:4096``, ``1-4096``; one number N is ``1..N``) or a
    pair of ints -> ``(lo, hi)`` with ``1 <= lo <= hi``."""
    if isinstance(value, str):
        text = value.replace("...", "..").replace(":", "..").replace("-", "..") if ".." not in value else value
        parts = text.split("..")
        try:
            lo, hi = (parse_int(p, name) for p in parts) if len(parts) == 2 else (1, parse_int(parts[0], name))
        except ShapeError:
            raise ShapeError(f"{name} must look like 1..4096, but got {quote(value)}", rule=Rule.BAD_RANGE,
                             values={name: value}) from None
    elif isinstance(value, Sequence) and len(value) == 2 and all(isinstance(v, int) and not isinstance(v, bool)
                                                                 for v in value):
        lo, hi = value
    else:
        raise ShapeError(f"{name} must be two integers lo..hi, but got {quote(value)}", rule=Rule.BAD_RANGE,
                         values={name: value})
    if lo < 1 or hi < lo:
        raise ShapeError(f"{name} must satisfy 1 <= lo <= hi, but got lo={lo}, hi={hi}", rule=Rule.BAD_RANGE,
                         values={"lo": lo, "hi": hi})
    return lo, hi
