"""Small immutable values passed between the rules, the API and the CLI.

They are NamedTuples rather than frozen dataclasses: as immutable, and about eight times
cheaper to define, which matters because every CLI call defines them at start-up.
"""

from __future__ import annotations

from typing import Any, NamedTuple


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


class TransposeOption(NamedTuple):
    """One output size a transposed convolution can give, and how the framework selects it."""

    output: int
    output_padding: int
    pad_before: int
    pad_after: int
    select: str
    #: what the forward convolution, with these pads, gives for this output (filled in by the API)
    forward: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return self._asdict()


class TransposedAxis(NamedTuple):
    """One axis of a transposed convolution: the size in effect and every valid size."""

    input: int
    kernel: int
    stride: int
    dilation: int
    pad_before: int
    pad_after: int
    output_padding: int
    output: int
    valid_outputs: tuple[int, ...]
    options: tuple[TransposeOption, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        d = self._asdict()
        d["valid_outputs"] = list(self.valid_outputs)
        d["options"] = [o.to_dict() for o in self.options]
        return d
