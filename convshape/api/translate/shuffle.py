"""translate for pixel shuffle (depth-to-space) and pixel unshuffle (space-to-depth), 2-D.

Every framework moves the same cells; they differ in the channel order of the blocks. With ``r`` the factor, ``C``
the channels of the deep side (``C = c * r * r``) and ``b = i * r + j`` the cell's place in its r x r block:

- CRD (column-row-depth): channel ``c * r * r + b``: torch ``F.pixel_shuffle`` / ``pixel_unshuffle``
  (aten/src/ATen/native/PixelShuffle.cpp: the input viewed as ``(c, r, r, h, w)``) and ONNX ``DepthToSpace``
  mode ``CRD`` (onnx/defs/tensor/defs.cc);
- DCR (depth-column-row): channel ``b * c + c'``: ``tf.nn.depth_to_space`` / ``space_to_depth``
  (tensorflow/core/kernels/depthtospace_op.cc), ``keras.ops.depth_to_space`` / ``space_to_depth`` (its TF backend
  calls them), ONNX ``DepthToSpace`` mode ``DCR`` (the default) and ``SpaceToDepth`` (DCR only).

A port between orders permutes the deep side's channels: before a shuffle (the target reads channel ``perm[k]`` of
the source's layout at its ``k``), after an unshuffle. The port emits that permutation as a ``gather`` step
(``perm`` listed in full); folded into the layer before a shuffle (a convolution's output channels:
``w[perm]``, ``b[perm]``) it costs nothing at run time, which the note says. JAX has no such op: its port is the
reshape + transpose in the source's own order (no permutation). Caffe (BVLC) has no depth-to-space layer.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from convshape.errors import Rule, ShapeError
from convshape.frameworks import get

#: the channel order of each framework's op (ONNX DepthToSpace: its mode, DCR by default)
ORDERS = {"torch": "CRD", "tf": "DCR", "keras": "DCR", "onnx": "DCR", "onnxruntime": "DCR"}


class Shuffle(NamedTuple):
    """The source layer: NCHW sizes in the source's own terms (the data layout change is the result's ``data``)."""

    op: str
    framework: str
    unshuffle: bool
    factor: int
    order: str  # "CRD" / "DCR": the source's channel order
    channels: int
    input: tuple[int, ...]
    out_channels: int
    output: tuple[int, ...]
    padding: str = "-"
    pool: str = ""

    @property
    def ndim(self) -> int:
        return len(self.input)

    @property
    def deep_channels(self) -> int:
        """C: the channels of the deep side (the shuffle's input, the unshuffle's output)."""
        return self.out_channels if self.unshuffle else self.channels

    def to_dict(self) -> dict[str, Any]:
        return {"op": self.op, "framework": self.framework, "factor": self.factor, "order": self.order,
                "channels": self.channels, "input": list(self.input), "out_channels": self.out_channels,
                "output": list(self.output)}


def index(order: str, c: int, b: int, shallow: int, r: int) -> int:
    """The deep-side channel of channel ``c`` (of ``shallow``) at block place ``b`` in ``order``."""
    return c * r * r + b if order == "CRD" else b * shallow + c


def permutation(source: str, target: str, deep: int, r: int, unshuffle: bool) -> tuple[int, ...]:
    """Shuffle: ``x_target = x_source[perm]`` (the channels the target's op reads); unshuffle: ``y_source =
    y_target[perm]``. The identity where the orders agree."""
    shallow = deep // (r * r)
    perm = [0] * deep
    for c in range(shallow):
        for b in range(r * r):
            s, t = index(source, c, b, shallow, r), index(target, c, b, shallow, r)
            if unshuffle:
                perm[s] = t
            else:
                perm[t] = s
    return tuple(perm)


def resolve(op: str, framework: str, input: Any, factor: int | None, channels: int | None,
            mode: str | None) -> Shuffle:
    """The source pixel (un)shuffle as ``framework`` runs it (its own checks: :mod:`convshape.api.resample`)."""
    from convshape.api.resample import pixel_shuffle, pixel_unshuffle
    from convshape.params import per_axis

    unshuffle = op == "pixel-unshuffle"
    name = get(framework).name
    if factor is None:
        raise ShapeError(f"{op} needs the factor (upscale_factor / block_size)", rule=Rule.OPTION_NOT_APPLICABLE,
                         values={"factor": None})
    if name not in ORDERS:
        get(framework).resample.check_layer("pixel shuffle", "pixel unshuffle" if unshuffle else "pixel shuffle")
        raise ShapeError(f"{name} has no pixel shuffle to port", framework=name, rule=Rule.NOT_IN_FRAMEWORK,
                         values={"framework": name})
    order = ORDERS[name]
    if mode is not None:
        word = mode.upper()
        if name not in ("onnx", "onnxruntime") or unshuffle or word not in ("DCR", "CRD"):
            raise ShapeError(f"mode {mode!r} is ONNX DepthToSpace's (DCR or CRD), not {name}'s {op}",
                             rule=Rule.OPTION_NOT_APPLICABLE, values={"mode": mode})
        order = word
    h, w = per_axis(input, "input", 2)
    c = (factor * factor if not unshuffle else 1) if channels is None else channels
    channels_last = name in ("tf", "keras")
    shape = (1, h, w, c) if channels_last else (1, c, h, w)
    fn = pixel_unshuffle if unshuffle else pixel_shuffle
    res = fn(shape, factor, "NHWC" if channels_last else "NCHW", framework=name)
    out = res.shape
    oc, oh, ow = (out[3], out[1], out[2]) if channels_last else (out[1], out[2], out[3])
    if min(oc, oh, ow) < 1:
        raise ShapeError(f"{name} gives an empty output ({oc}x{oh}x{ow}); there is nothing to port", framework=name,
                         rule=Rule.OUTPUT_TOO_SMALL, values={"output": [oc, oh, ow]})
    return Shuffle(op, name, unshuffle, factor, order, c, (h, w), oc, (oh, ow))
