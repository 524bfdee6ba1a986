"""Small immutable values passed between the rules, the API and the CLI."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class AxisSpec:
    """One spatial axis of a layer, before padding is resolved."""

    input: int
    kernel: int
    stride: int = 1
    dilation: int = 1


@dataclass(frozen=True)
class ConvAxis:
    """One axis of a convolution as the framework runs it."""

    input: int
    kernel: int
    stride: int
    dilation: int
    pad_before: int
    pad_after: int
    output: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class TransposeOption:
    """One output size a transposed convolution can give, and how the framework selects it."""

    output: int
    output_padding: int
    pad_before: int
    pad_after: int
    select: str
    #: what the forward convolution, with these pads, gives for this output (filled in by the API)
    forward: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class TransposedAxis:
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
    options: tuple[TransposeOption, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["valid_outputs"] = list(self.valid_outputs)
        d["options"] = [o.to_dict() for o in self.options]
        return d
