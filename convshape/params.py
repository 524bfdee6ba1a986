"""The one normaliser: turns ``3`` / ``3,5`` / ``1:2`` / keywords into per-axis values.

Every error names the argument it came from, so the CLI and the API say the same thing.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Union

from convshape.errors import ShapeError

IntArg = Union[int, str, Sequence[int], None]
PadPair = tuple[int, int]
PadArg = Union[str, int, Sequence[Union[int, Sequence[int]]], None]

PADDING_KEYWORDS = ("valid", "same", "same-upper", "same-lower", "full", "causal")
_KEYWORD_ALIASES = {"same_upper": "same-upper", "same_lower": "same-lower", "sameupper": "same-upper",
                    "samelower": "same-lower"}


def _int(text: str, name: str) -> int:
    try:
        return int(text.strip())
    except ValueError:
        raise ShapeError(f"{name} must be an integer or a comma-separated list of integers, but got {text!r}",
                         rule="not-an-integer", values={name: text}) from None


def axis_count(*values: object) -> int:
    """The number of spatial axes implied by the longest per-axis argument (1 if all are scalars)."""
    n = 1
    for value in values:
        if isinstance(value, str):
            if value.strip().lower().replace("_", "-") in PADDING_KEYWORDS:
                continue
            n = max(n, len(value.split(",")))
        elif isinstance(value, Sequence):
            n = max(n, len(value))
    return n


def _broadcast(items: list, name: str, ndim: int) -> list:
    if len(items) == 1:
        return items * ndim
    if len(items) != ndim:
        raise ShapeError(f"{name} has {len(items)} values but the layer has {ndim} spatial axes; "
                         f"give one value or {ndim}", rule="axis-count", values={name: len(items), "axes": ndim})
    return items


def per_axis(value: IntArg, name: str, ndim: int, default: int | None = None) -> tuple[int, ...]:
    """``3`` -> ``(3, 3)``; ``"3,5"`` / ``[3, 5]`` -> ``(3, 5)`` for ``ndim == 2``."""
    if value is None:
        if default is None:
            raise ShapeError(f"{name} is required", rule="missing", values={name: None})
        value = default
    if isinstance(value, bool):
        raise ShapeError(f"{name} must be an integer, but got {value!r}", rule="not-an-integer", values={name: value})
    if isinstance(value, int):
        items = [value]
    elif isinstance(value, str):
        if not value.strip():
            raise ShapeError(f"{name} is empty", rule="not-an-integer", values={name: value})
        items = [_int(part, name) for part in value.split(",")]
    elif isinstance(value, Sequence):
        items = []
        for part in value:
            if isinstance(part, bool) or not isinstance(part, (int, str)):
                raise ShapeError(f"{name} must hold integers, but got {part!r}", rule="not-an-integer",
                                 values={name: part})
            items.append(part if isinstance(part, int) else _int(part, name))
    else:
        raise ShapeError(f"{name} must be an integer or a list of integers, but got {value!r}",
                         rule="not-an-integer", values={name: value})
    return tuple(_broadcast(items, name, ndim))


def padding_keyword(value: PadArg) -> str | None:
    """The padding keyword in ``value`` (normalised, e.g. ``'SAME_UPPER'`` -> ``'same-upper'``), or None."""
    if isinstance(value, str):
        word = value.strip().lower()
        word = _KEYWORD_ALIASES.get(word, word.replace("_", "-"))
        if word in PADDING_KEYWORDS:
            return word
        if word and word[0].isalpha():
            raise ShapeError(f"unknown padding keyword {value!r}; expected a number, before:after, or one of "
                             + ", ".join(PADDING_KEYWORDS), rule="unknown-padding", values={"padding": value})
    return None


def _pair(part: object, name: str) -> PadPair:
    if isinstance(part, bool):
        raise ShapeError(f"{name} must hold integers, but got {part!r}", rule="not-an-integer", values={name: part})
    if isinstance(part, int):
        return (part, part)
    if isinstance(part, str):
        if ":" in part:
            pieces = part.split(":")
            if len(pieces) != 2:
                raise ShapeError(f"{name} takes before:after per axis, but got {part!r}", rule="not-an-integer",
                                 values={name: part})
            return (_int(pieces[0], name), _int(pieces[1], name))
        n = _int(part, name)
        return (n, n)
    if isinstance(part, Sequence) and len(part) == 2 and all(isinstance(p, int) and not isinstance(p, bool)
                                                              for p in part):
        return (part[0], part[1])
    raise ShapeError(f"{name} must be an integer, a (before, after) pair or a keyword, but got {part!r}",
                     rule="not-an-integer", values={name: part})


def explicit_padding(value: PadArg, ndim: int, name: str = "padding") -> tuple[PadPair, ...]:
    """``1`` -> ``((1, 1),) * ndim``; ``"0:1,1:2"`` -> ``((0, 1), (1, 2))``; ``[(0, 1), 2]`` likewise."""
    if isinstance(value, str):
        parts: list = [p for p in value.split(",")]
    elif isinstance(value, (int, bool)):
        parts = [value]
    elif isinstance(value, Sequence):
        parts = list(value)
    else:
        raise ShapeError(f"{name} must be an integer, before:after, or a keyword, but got {value!r}",
                         rule="not-an-integer", values={name: value})
    return tuple(_broadcast([_pair(p, name) for p in parts], name, ndim))


def format_padding(value: PadArg) -> str:
    """The padding as the user would type it on the command line."""
    if value is None:
        return "default"
    if isinstance(value, str):
        return value
    if isinstance(value, int):
        return str(value)
    return ",".join(f"{p[0]}:{p[1]}" if isinstance(p, Sequence) else str(p) for p in value)
