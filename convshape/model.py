"""Small immutable values passed between the rules, the API and the CLI.

They are namedtuples rather than frozen dataclasses: as immutable, and many times cheaper
to define, which matters because every CLI call defines them at start-up. The annotations
in each body document the fields' types.
"""

from __future__ import annotations

from collections import namedtuple
from typing import Any


class AxisSpec(namedtuple("AxisSpec", "input kernel stride dilation", defaults=(1, 1))):
    """One spatial axis of a layer, before padding is resolved."""

    __slots__ = ()

    input: int
    kernel: int
    stride: int
    dilation: int


class ConvAxis(namedtuple("ConvAxis", "input kernel stride dilation pad_before pad_after output")):
    """One axis of a convolution as the framework runs it."""

    __slots__ = ()

    input: int
    kernel: int
    stride: int
    dilation: int
    pad_before: int
    pad_after: int
    output: int

    def to_dict(self) -> dict[str, Any]:
        return self._asdict()


class TransposeOption(namedtuple(
        "TransposeOption", "output output_padding pad_before pad_after select forward", defaults=(None,))):
    """One output size a transposed convolution can give, and how the framework selects it."""

    __slots__ = ()

    output: int
    output_padding: int
    pad_before: int
    pad_after: int
    select: str
    #: what the forward convolution, with these pads, gives for this output (filled in by the API)
    forward: int | None

    def to_dict(self) -> dict[str, Any]:
        return self._asdict()


class TransposedAxis(namedtuple(
        "TransposedAxis",
        "input kernel stride dilation pad_before pad_after output_padding output valid_outputs options",
        defaults=((),))):
    """One axis of a transposed convolution: the size in effect and every valid size."""

    __slots__ = ()

    input: int
    kernel: int
    stride: int
    dilation: int
    pad_before: int
    pad_after: int
    output_padding: int
    output: int
    valid_outputs: tuple[int, ...]
    options: tuple[TransposeOption, ...]

    def to_dict(self) -> dict[str, Any]:
        d = self._asdict()
        d["valid_outputs"] = list(self.valid_outputs)
        d["options"] = [o.to_dict() for o in self.options]
        return d


class SpatialResult:
    """Mixin for a layer result whose ``axes`` each have an ``input`` and an ``output``: the
    spatial sizes, and the head of the JSON contract every op command shares."""

    __slots__ = ()

    @property
    def input(self) -> tuple[int, ...]:
        return tuple(a.input for a in self.axes)  # type: ignore[attr-defined]

    @property
    def output(self) -> tuple[int, ...]:
        return tuple(a.output for a in self.axes)  # type: ignore[attr-defined]

    def head(self) -> dict[str, Any]:
        """``{"op", "framework", "padding", "input", "output"}``."""
        return {"op": self.op, "framework": self.framework, "padding": self.padding,  # type: ignore[attr-defined]
                "input": list(self.input), "output": list(self.output)}


# ---------------------------------------------------------------------------- frameworks
class Counted(namedtuple("Counted", "pad_before pad_after output floor_output ceil_output dropped")):
    """What one framework computes for one axis, before the windows are listed."""

    __slots__ = ()

    pad_before: int
    pad_after: int
    output: int
    floor_output: int
    ceil_output: int | None
    dropped: bool



# ---------------------------------------------------------------------------- resampling, unpooling
Window = tuple[int, int]  # an adaptive window [start, end)


class Resampled(namedtuple("Resampled", "outputs kernel_scales scales mode layer align_corners antialias windows")):
    """What a framework's interpolation rules give: the output per axis, the scale each axis hands the
    kernel, the scales in effect, the mode and layer, and what the kernel resizes per axis
    ``(extent, pad_before, pad_after)``."""

    __slots__ = ()

    outputs: tuple[int, ...]
    kernel_scales: tuple[float | None, ...]
    scales: tuple[float, ...] | None
    mode: str
    layer: str
    align_corners: bool | None
    antialias: bool
    windows: tuple[tuple[int, int, int], ...]


class UnpoolAxis(namedtuple(
        "UnpoolAxis", "input kernel stride pad_before pad_after default output valid_outputs pool_inputs open_ended",
        defaults=(False,))):
    """One axis of max unpooling: the size in effect, every accepted size, and the sizes the
    matching max pool maps to the input (where the indices put every maximum back in place).
    ``open_ended``: every size above ``valid_outputs`` is accepted too (onnxruntime)."""

    __slots__ = ()

    input: int
    kernel: int
    stride: int
    pad_before: int
    pad_after: int
    default: int
    output: int
    valid_outputs: tuple[int, ...]
    pool_inputs: tuple[int, ...]
    open_ended: bool

    def to_dict(self) -> dict[str, Any]:
        d = self._asdict()
        d["valid_outputs"] = list(self.valid_outputs)
        d["pool_inputs"] = list(self.pool_inputs)
        return d
