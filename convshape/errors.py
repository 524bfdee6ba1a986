"""The one exception type convshape raises for an invalid configuration, and the rules it names."""

from __future__ import annotations

import re
from enum import Enum
from typing import Any

#: the most characters of a user's value an error message echoes (a 1 MB kernel string gives a short line)
ECHO_LIMIT = 80


class Rule(str, Enum):
    """The stable identifier of each rule a configuration can break (``--json`` prints the value).

    A :class:`str` enum, so a rule compares equal to its identifier (``Rule.BAD_SPEC == "bad-spec"``).
    :attr:`is_usage` says which are convshape's own input checks (exit 2 when no framework raised
    them) rather than a framework's rejection (exit 1).
    """

    ALIGN_CORNERS_MODE = "align-corners-mode"
    ANTIALIAS_MODE = "antialias-mode"
    ASYMMETRIC_PADDING = "asymmetric-padding"
    AXIS = "axis"
    AXIS_COUNT = "axis-count"
    BAD_RANGE = "bad-range"
    BAD_OPTION = "bad-option"
    BAD_SHAPE = "bad-shape"
    BAD_SPEC = "bad-spec"
    BLOCKS = "blocks"
    CAUSAL_RANK = "causal-rank"
    CEIL_MODE = "ceil-mode"
    CHANNEL_DIVISIBLE = "channel-divisible"
    CHANNELS = "channels"
    CONVSHAPE_LIMIT = "convshape-limit"
    COUNT_INCLUDE_PAD = "count-include-pad"
    CROP_AND_PAD = "crop-and-pad"
    DATA_FORMAT = "data-format"
    DILATION = "dilation"
    DILATION_SIZE = "dilation-size"
    DILATION_UNSUPPORTED = "dilation-unsupported"
    EMPTY_MAX_POOL = "empty-max-pool"
    EXPECT = "expect"
    EXPLICIT_PADDING = "explicit-padding"
    FILE = "file"
    FACTOR_INTEGER = "factor-integer"
    FACTOR_OVERFLOW = "factor-overflow"
    FACTOR_POSITIVE = "factor-positive"
    GATHER_INDEX = "gather-index"
    GROUPS = "groups"
    IN_FEATURES = "in-features"
    INPUT_EMPTY = "input-empty"
    INPUT_FAILED = "input-failed"
    INPUT_SIZE = "input-size"
    INPUT_SMALLER_THAN_KERNEL = "input-smaller-than-kernel"
    INVALID = "invalid"
    KERNEL = "kernel"
    KERNEL_LARGER_THAN_INPUT = "kernel-larger-than-input"
    KERNEL_SIZE = "kernel-size"
    KIND = "kind"
    LANCZOS_ALIGN_CORNERS = "lanczos-align-corners"
    LANCZOS_ANTIALIAS = "lanczos-antialias"
    MISSING = "missing"
    MODE_RANK = "mode-rank"
    MODE_REQUIRED = "mode-required"
    MODE_UNKNOWN = "mode-unknown"
    MODE_UNSUPPORTED = "mode-unsupported"
    NEGATIVE_OUTPUT_PADDING = "negative-output-padding"
    NEGATIVE_PADDING = "negative-padding"
    NO_SOLUTION = "no-solution"
    NOT_A_NUMBER = "not-a-number"
    NOT_AN_INTEGER = "not-an-integer"
    NOT_IN_FRAMEWORK = "not-in-framework"
    OPTION_NOT_APPLICABLE = "option-not-applicable"
    OPTION_UNSUPPORTED = "option-unsupported"
    OUTPUT_NEGATIVE = "output-negative"
    OUTPUT_PADDING = "output-padding"
    OUTPUT_PADDING_UNSUPPORTED = "output-padding-unsupported"
    OUTPUT_RATIO = "output-ratio"
    OUTPUT_SELECTION = "output-selection"
    OUTPUT_SIZE = "output-size"
    OUTPUT_SIZE_RANGE = "output-size-range"
    OUTPUT_TOO_SMALL = "output-too-small"
    PAD_HALF_KERNEL = "pad-half-kernel"
    PADDING_KEYWORD = "padding-keyword"
    PADDING_UNSUPPORTED = "padding-unsupported"
    PADDING_WINDOW = "padding-window"
    POLICY_UNKNOWN = "policy-unknown"
    POLICY_WITH_SCALE = "policy-with-scale"
    POOL_TOO_LARGE = "pool-too-large"
    RANK = "rank"
    RECOMPUTE_WITH_SIZE = "recompute-with-size"
    REJECTED_EVERYWHERE = "rejected-everywhere"
    RESHAPE = "reshape"
    SAME_STRIDED = "same-strided"
    SCALE_NOT_FINITE = "scale-not-finite"
    SCALE_POSITIVE = "scale-positive"
    SIZE_AND_SCALE = "size-and-scale"
    SIZE_NEGATIVE = "size-negative"
    SIZE_OR_SCALE = "size-or-scale"
    SIZE_OVERFLOW = "size-overflow"
    SIZE_POSITIVE = "size-positive"
    SIZE_REQUIRED = "size-required"
    SKIP_MISMATCH = "skip-mismatch"
    SPATIAL_DIVISIBLE = "spatial-divisible"
    STRIDE = "stride"
    STRIDE_SIZE = "stride-size"
    STRIDES_WITH_DILATION = "strides-with-dilation"
    SWEEP_RANGE = "sweep-range"
    UNKNOWN_FRAMEWORK = "unknown-framework"
    UNKNOWN_COMMAND = "unknown-command"
    UNKNOWN_KIND = "unknown-kind"
    UNKNOWN_OP = "unknown-op"
    UNKNOWN_OPTION = "unknown-option"
    UNKNOWN_PADDING = "unknown-padding"
    UNSUPPORTED_OP = "unsupported-op"
    USAGE = "usage"

    def __str__(self) -> str:
        return str(self.value)

    def __format__(self, spec: str) -> str:
        return format(str(self.value), spec)

    @property
    def is_usage(self) -> bool:
        """convshape's own input errors: a usage error (exit 2) when no framework raised it."""
        return self in _USAGE


_USAGE = frozenset({Rule.NOT_AN_INTEGER, Rule.NOT_A_NUMBER, Rule.BAD_SHAPE, Rule.AXIS_COUNT, Rule.UNKNOWN_PADDING,
                    Rule.MISSING, Rule.UNKNOWN_FRAMEWORK, Rule.CONVSHAPE_LIMIT, Rule.UNKNOWN_OP,
                    Rule.OPTION_NOT_APPLICABLE, Rule.BAD_SPEC, Rule.BAD_RANGE, Rule.SWEEP_RANGE,
                    # the command line itself (Click's parser, unreadable or unwritable files): cli/ raises them
                    Rule.USAGE, Rule.BAD_OPTION, Rule.UNKNOWN_OPTION, Rule.UNKNOWN_COMMAND, Rule.FILE})


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
_LONG = re.compile(rf"(?<![\w'\"])(?:'[^'\n]{{{_N},}}'|\"[^\"\n]{{{_N},}}\")(?![\w'\"])|\d{{{_N},}}")


def shorten(message: str, limit: int = ECHO_LIMIT) -> str:
    """``message`` with every echoed value longer than ``limit`` shortened as :func:`quote` does: the
    one place every error line passes (ShapeError and the CLI's messages from Click), so no error
    repeats a huge argument whichever code built it."""
    def short(m: re.Match[str]) -> str:
        run = m.group(0)
        if run[0] in "'\"":
            return f"{run[:limit + 1]}{run[0]}… ({len(run) - 2:,} characters)"
        return f"{run[:limit]}… ({len(run):,} digits)"

    return _LONG.sub(short, message) if len(message) > limit else message


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
