"""Reports for interpolation / upsampling and pixel shuffle (blocks for convshape.render.conv)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from convshape.frameworks import get
from convshape.render.conv import Block, Table, sizes

if TYPE_CHECKING:  # pragma: no cover
    from convshape.api.resample import InterpolateResult, PixelShuffleResult


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:.6g}"


def interpolate_report(result: InterpolateResult) -> list[Block]:
    flags = [f"mode {result.mode}"]
    if result.align_corners is not None:
        flags.append(f"align_corners={result.align_corners}")
    if result.recompute_scale_factor is not None:
        flags.append(f"recompute_scale_factor={result.recompute_scale_factor}")
    if result.antialias:
        flags.append("antialias=True")
    blocks: list[Block] = [f"{result.op} · {result.layer} · " + ", ".join(flags),
                           f"input {sizes(result.input)} -> output {sizes(result.output)}"]
    rows = []
    for i, a in enumerate(result.axes):
        if a.size is not None:
            asked, how = f"size {a.size}", ("size as given" if a.size == a.output or a.scale_used is None else
                                             f"round({a.input} x {a.scale_used:.6g})")  # onnx aspect-ratio policy
        else:  # how the framework turns the scale into a size
            asked, how = get(result.framework).resample.rounding(a.input, a.scale, a.scale_used)
        rows.append((str(i), str(a.input), asked, how, str(a.output), _num(a.scale_used) if a.scale_used is not None
                     else "from sizes", _num(a.sampling_scale), _num(a.source_step)))
    blocks.append(Table("Per axis", ("axis", "input", "asked", "rounding", "output", "scale passed to kernel",
                                     "scale used for sampling", "input px per output px"), tuple(rows)))
    blocks.extend(f"warning: {w}" for w in result.warnings)
    blocks.extend(f"note: {n}" for n in result.notes)
    return blocks


def pixel_shuffle_report(result: PixelShuffleResult) -> list[Block]:
    r = result.factor
    unshuffle = "unshuffle" in result.op
    blocks: list[Block] = [f"{result.op} · {result.layer} · {result.data_format} · factor {r}",
                           f"shape {sizes(result.input_shape)} -> {sizes(result.shape)}"]
    layout = result.data_format
    if len(result.input_shape) == len(layout):
        names = dict(enumerate(layout))
    else:  # torch: any leading dims, then C, H, W
        names = {result.channel_axis: "C", **dict(zip(result.spatial_axes, layout[-len(result.spatial_axes):]))}
    rows = []
    for d, (before, after) in enumerate(zip(result.input_shape, result.shape)):
        name = names.get(d, "batch")
        if name == "C":
            per = r * r if len(result.spatial_axes) == 2 else r
            how = f"{before} x {per}" if unshuffle else f"{before} / {per}"
        elif d in result.spatial_axes:
            how = f"{before} / {r}" if unshuffle else f"{before} x {r}"
        else:
            how = "kept"
        rows.append((str(d), name, str(before), str(after), how))
    blocks.append(Table("Per dimension", ("dim", "name", "input", "output", "rule"), tuple(rows)))
    blocks.extend(f"warning: {w}" for w in result.warnings)
    blocks.extend(f"note: {n}" for n in result.notes)
    return blocks
