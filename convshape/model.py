"""Small immutable values passed between the rules, the API and the CLI.

They are ``typing.NamedTuple`` classes rather than frozen dataclasses: as immutable, typed
field by field, and many times cheaper to define, which matters because every CLI call
defines them at start-up.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Literal, NamedTuple, Protocol


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


class SpatialAxis(Protocol):
    """An axis of a layer result: its spatial input and output size."""

    @property
    def input(self) -> int: ...

    @property
    def output(self) -> int: ...


class LayerResult(Protocol):
    """A layer result, as the head of the JSON contract every op command shares reads it."""

    @property
    def op(self) -> str: ...

    @property
    def framework(self) -> str: ...

    @property
    def padding(self) -> str: ...

    @property
    def input(self) -> tuple[int, ...]: ...

    @property
    def output(self) -> tuple[int, ...]: ...


def spatial_sizes(axes: Iterable[SpatialAxis], which: Literal["input", "output"]) -> tuple[int, ...]:
    """The ``input`` or the ``output`` size of each axis: a layer result's spatial sizes."""
    if which == "input":
        return tuple(a.input for a in axes)
    return tuple(a.output for a in axes)


def result_head(result: LayerResult) -> dict[str, Any]:
    """``{"op", "framework", "padding", "input", "output"}``: the head of every op command's JSON."""
    return {"op": result.op, "framework": result.framework, "padding": result.padding,
            "input": list(result.input), "output": list(result.output)}


# ---------------------------------------------------------------------------- frameworks
class Counted(NamedTuple):
    """What one framework computes for one axis, before the windows are listed."""

    pad_before: int
    pad_after: int
    output: int
    floor_output: int
    ceil_output: int | None
    dropped: bool



# ---------------------------------------------------------------------------- resampling, unpooling
Window = tuple[int, int]  # an adaptive window [start, end) (as convshape.rules.unpool.Window; rules import nothing)


class Resampled(NamedTuple):
    """What a framework's interpolation rules give: the output per axis, the scale each axis hands the
    kernel, the scales in effect, the mode and layer, and what the kernel resizes per axis
    ``(extent, pad_before, pad_after)``."""

    outputs: tuple[int, ...]
    kernel_scales: tuple[float | None, ...]
    scales: tuple[float, ...] | None
    mode: str
    layer: str
    align_corners: bool | None
    antialias: bool
    windows: tuple[tuple[int, int, int], ...]


class UnpoolAxis(NamedTuple):
    """One axis of max unpooling: the size in effect, every accepted size, and the sizes the
    matching max pool maps to the input (where the indices put every maximum back in place).
    ``open_ended``: every size above ``valid_outputs`` is accepted too (onnxruntime)."""

    input: int
    kernel: int
    stride: int
    pad_before: int
    pad_after: int
    default: int
    output: int
    valid_outputs: tuple[int, ...]
    pool_inputs: tuple[int, ...]
    open_ended: bool = False

    def to_dict(self) -> dict[str, Any]:
        d = self._asdict()
        d["valid_outputs"] = list(self.valid_outputs)
        d["pool_inputs"] = list(self.pool_inputs)
        return d
