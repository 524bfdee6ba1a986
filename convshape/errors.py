"""The one exception type convshape raises for an invalid configuration, and the rules it names."""

from __future__ import annotations

import re
from typing import Any, ClassVar

#: the most characters of a user's value an error message echoes (a 1 MB kernel string gives a short line)
ECHO_LIMIT = 80


class Rule(str):
    """The stable identifier of each rule a configuration can break (``--json`` prints it).

    A :class:`str`, so a rule compares equal to its identifier (``Rule.BAD_SPEC == "bad-spec"``);
    each constant's identifier is its name in lower case with dashes (``BAD_SPEC``: ``bad-spec``).
    ``Rule(identifier)`` gives the constant, and raises ValueError for an identifier that is none.
    :attr:`is_usage` says which are convshape's own input checks (exit 2 when no framework raised
    them) rather than a framework's rejection (exit 1). (A plain class, not an Enum: building an
    Enum of these rules cost a tenth of the CLI's start-up.)
    """

    __slots__ = ()

    ALIGN_CORNERS_MODE: ClassVar[Rule]
    ANTIALIAS_MODE: ClassVar[Rule]
    ASYMMETRIC_PADDING: ClassVar[Rule]
    AXIS: ClassVar[Rule]
    AXIS_COUNT: ClassVar[Rule]
    BAD_RANGE: ClassVar[Rule]
    BAD_OPTION: ClassVar[Rule]
    BAD_SHAPE: ClassVar[Rule]
    BAD_SPEC: ClassVar[Rule]
    BROADCAST: ClassVar[Rule]
    BLOCKS: ClassVar[Rule]
    CAUSAL_RANK: ClassVar[Rule]
    CEIL_MODE: ClassVar[Rule]
    CHANNEL_DIVISIBLE: ClassVar[Rule]
    CHANNELS: ClassVar[Rule]
    CONVSHAPE_LIMIT: ClassVar[Rule]
    COUNT_INCLUDE_PAD: ClassVar[Rule]
    CROP_AND_PAD: ClassVar[Rule]
    DATA_FORMAT: ClassVar[Rule]
    DILATION: ClassVar[Rule]
    DILATION_SIZE: ClassVar[Rule]
    DILATION_UNSUPPORTED: ClassVar[Rule]
    EMPTY_MAX_POOL: ClassVar[Rule]
    EXPECT: ClassVar[Rule]
    EXPLICIT_PADDING: ClassVar[Rule]
    FREE_DIM: ClassVar[Rule]
    FILE: ClassVar[Rule]
    FACTOR_INTEGER: ClassVar[Rule]
    FACTOR_OVERFLOW: ClassVar[Rule]
    FACTOR_POSITIVE: ClassVar[Rule]
    GATHER_INDEX: ClassVar[Rule]
    GROUPS: ClassVar[Rule]
    IN_FEATURES: ClassVar[Rule]
    INPUT_EMPTY: ClassVar[Rule]
    INPUT_FAILED: ClassVar[Rule]
    INPUT_SIZE: ClassVar[Rule]
    INPUT_SMALLER_THAN_KERNEL: ClassVar[Rule]
    INVALID: ClassVar[Rule]
    KERNEL: ClassVar[Rule]
    KERNEL_LARGER_THAN_INPUT: ClassVar[Rule]
    KERNEL_SIZE: ClassVar[Rule]
    KIND: ClassVar[Rule]
    LANCZOS_ALIGN_CORNERS: ClassVar[Rule]
    LANCZOS_ANTIALIAS: ClassVar[Rule]
    MISSING: ClassVar[Rule]
    MODE_RANK: ClassVar[Rule]
    MODE_REQUIRED: ClassVar[Rule]
    MODE_UNKNOWN: ClassVar[Rule]
    MODE_UNSUPPORTED: ClassVar[Rule]
    NEGATIVE_OUTPUT_PADDING: ClassVar[Rule]
    NEGATIVE_PADDING: ClassVar[Rule]
    NO_SOLUTION: ClassVar[Rule]
    NOT_A_NUMBER: ClassVar[Rule]
    NOT_AN_INTEGER: ClassVar[Rule]
    NOT_IN_FRAMEWORK: ClassVar[Rule]
    OPTION_NOT_APPLICABLE: ClassVar[Rule]
    OPTION_UNSUPPORTED: ClassVar[Rule]
    OUTPUT_NEGATIVE: ClassVar[Rule]
    OUTPUT_PADDING: ClassVar[Rule]
    OUTPUT_PADDING_UNSUPPORTED: ClassVar[Rule]
    OUTPUT_RATIO: ClassVar[Rule]
    OUTPUT_SELECTION: ClassVar[Rule]
    OUTPUT_SIZE: ClassVar[Rule]
    OUTPUT_SIZE_RANGE: ClassVar[Rule]
    OUTPUT_TOO_SMALL: ClassVar[Rule]
    PAD_HALF_KERNEL: ClassVar[Rule]
    PADDING_KEYWORD: ClassVar[Rule]
    PADDING_UNSUPPORTED: ClassVar[Rule]
    PADDING_WINDOW: ClassVar[Rule]
    POLICY_UNKNOWN: ClassVar[Rule]
    POLICY_WITH_SCALE: ClassVar[Rule]
    POOL_TOO_LARGE: ClassVar[Rule]
    RANK: ClassVar[Rule]
    RECOMPUTE_WITH_SIZE: ClassVar[Rule]
    RESHAPE: ClassVar[Rule]
    REJECTED_EVERYWHERE: ClassVar[Rule]
    SAME_STRIDED: ClassVar[Rule]
    SCALE_NOT_FINITE: ClassVar[Rule]
    SCALE_POSITIVE: ClassVar[Rule]
    SHAPE_VALUE: ClassVar[Rule]
    SIZE_AND_SCALE: ClassVar[Rule]
    SIZE_NEGATIVE: ClassVar[Rule]
    SIZE_OR_SCALE: ClassVar[Rule]
    SIZE_OVERFLOW: ClassVar[Rule]
    SIZE_POSITIVE: ClassVar[Rule]
    SIZE_REQUIRED: ClassVar[Rule]
    SKIP_MISMATCH: ClassVar[Rule]
    SPATIAL_DIVISIBLE: ClassVar[Rule]
    STRIDE: ClassVar[Rule]
    STRIDE_SIZE: ClassVar[Rule]
    STRIDES_WITH_DILATION: ClassVar[Rule]
    SWEEP_RANGE: ClassVar[Rule]
    UNKNOWN_FRAMEWORK: ClassVar[Rule]
    UNKNOWN_COMMAND: ClassVar[Rule]
    UNKNOWN_KIND: ClassVar[Rule]
    UNKNOWN_OP: ClassVar[Rule]
    UNKNOWN_OPTION: ClassVar[Rule]
    UNKNOWN_PADDING: ClassVar[Rule]
    UNMODELLED_OP: ClassVar[Rule]
    UNSUPPORTED_OP: ClassVar[Rule]
    USAGE: ClassVar[Rule]

    def __new__(cls, identifier: str) -> Rule:
        found = _BY_ID.get(identifier)
        if found is None:
            raise ValueError(f"{identifier!r} is not a valid Rule")
        return found

    def __repr__(self) -> str:
        return f"Rule.{self.name}"

    @property
    def value(self) -> str:
        """The identifier, as a plain string."""
        return str.__str__(self)

    @property
    def name(self) -> str:
        """The constant's name (``BAD_SPEC``)."""
        return self.value.upper().replace("-", "_")

    @property
    def is_usage(self) -> bool:
        """convshape's own input errors: a usage error (exit 2) when no framework raised it."""
        return self in _USAGE


#: every rule by its identifier (the constants are made here, once, from the names declared above)
_BY_ID: dict[str, Rule] = {}
for _name in Rule.__annotations__:
    _rule = _BY_ID[_name.lower().replace("_", "-")] = str.__new__(Rule, _name.lower().replace("_", "-"))
    setattr(Rule, _name, _rule)
del _name, _rule

_USAGE = frozenset({Rule.NOT_AN_INTEGER, Rule.NOT_A_NUMBER, Rule.BAD_SHAPE, Rule.AXIS_COUNT, Rule.UNKNOWN_PADDING,
                    Rule.MISSING, Rule.UNKNOWN_FRAMEWORK, Rule.CONVSHAPE_LIMIT, Rule.UNKNOWN_OP,
                    Rule.OPTION_NOT_APPLICABLE, Rule.BAD_SPEC, Rule.BAD_RANGE, Rule.SWEEP_RANGE,
                    # the command line itself (Click's parser, unreadable or unwritable files): cli/ raises them
                    Rule.USAGE, Rule.BAD_OPTION, Rule.UNKNOWN_OPTION, Rule.UNKNOWN_COMMAND, Rule.FILE,
                    # a model file: an op convshape does not model, a free input size not given, a shape
                    # input computed from data
                    Rule.UNMODELLED_OP, Rule.FREE_DIM, Rule.SHAPE_VALUE})


def quote(value: object, limit: int = ECHO_LIMIT) -> str:
    """``repr(value)`` as an error message echoes it: at most ``limit`` characters of a long value,
    then "…" and its length, so a 1 MB argument gives a one-line error."""
    text = value if isinstance(value, str) else repr(value)
    if len(text) <= limit:
        return repr(value)
    shown = repr(text[:limit]) if isinstance(value, str) else text[:limit]
    return f"{shown}… ({len(text):,} characters)"


#: a quoted run or a run of digits longer than ECHO_LIMIT: an echoed value nobody shortened at its source
#: (a quote opens after a non-word character and closes before one: 'a' and 'b' is two values, not one)
_N = ECHO_LIMIT + 1
_LONG = (rf"(?<![\w'\"])(?:'[^'\n]{{{_N},}}'|\"[^\"\n]{{{_N},}}\")(?![\w'\"])|\d{{{_N},}}")


def shorten(message: str, limit: int = ECHO_LIMIT) -> str:
    """``message`` with every echoed value longer than ``limit`` shortened as :func:`quote` does: the
    one place every error line passes (ShapeError and the CLI's messages from Click), so no error
    repeats a huge argument whichever code built it."""
    def short(m: re.Match[str]) -> str:
        run = m.group(0)
        if run[0] in "'\"":
            return f"{run[:limit + 1]}{run[0]}… ({len(run) - 2:,} characters)"
        return f"{run[:limit]}… ({len(run):,} digits)"

    return re.sub(_LONG, short, message) if len(message) > limit else message  # compiled once, on first use


class ShapeError(ValueError):
    """A configuration the framework would reject, or an input convshape cannot read.

    ``framework`` names the framework whose rule was broken (``None`` for convshape's own
    input checks), ``rule`` is the :class:`Rule` broken, and ``values`` holds the numbers the
    message quotes. The message reads like torch's: what is wrong, then the values.
    """

    def __init__(
        self,
        message: str,
        *,
        framework: str | None = None,
        rule: Rule | str = Rule.INVALID,
        values: dict[str, Any] | None = None,
    ) -> None:
        self.framework = framework
        self.rule = Rule(rule)  # a rule id that is not in Rule is a bug: ValueError here, at once
        self.values = dict(values or {})
        self.message = message = shorten(message)
        super().__init__(f"{framework}: {message}" if framework else message)
