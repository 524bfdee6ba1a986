"""The one exception type convshape raises for an invalid configuration."""

from __future__ import annotations

from typing import Any


class ShapeError(ValueError):
    """A configuration the framework would reject, or an input convshape cannot read.

    ``framework`` names the framework whose rule was broken (``None`` for convshape's own
    input checks), ``rule`` is a short stable identifier of the rule, and ``values`` holds the
    numbers the message quotes. The message reads like torch's: what is wrong, then the values.
    """

    def __init__(
        self,
        message: str,
        *,
        framework: str | None = None,
        rule: str = "invalid",
        values: dict[str, Any] | None = None,
    ) -> None:
        self.framework = framework
        self.rule = rule
        self.values = dict(values or {})
        self.message = message
        super().__init__(f"{framework}: {message}" if framework else message)
