"""Resampling: interpolation / upsampling and pixel shuffle (sub-pixel), per axis and whole shapes.

    >>> from convshape.api.resample import interpolate, pixel_shuffle
    >>> interpolate(37, scale=1.5).output
    (55,)
    >>> interpolate("37,37", scale=1.5, mode="bilinear").axes[0].source_step   # 1 / 1.5, not 37 / 55
    0.6666666666666666
    >>> pixel_shuffle("1x9x4x4", 3).shape
    (1, 1, 12, 12)

Interpolation is the one place where a shape rule is float arithmetic: torch multiplies the
size by the scale factor in IEEE double and truncates (``scaled_output``); ONNX floors the
product with the float32 scale, and onnxruntime multiplies in float32 (``onnx_scaled_output``,
``onnxruntime_scaled_output``); everything else here is integer arithmetic. Every rule was
confirmed against torch 2.13.0 (CPU), tensorflow 2.21.0, keras 3.15.1, onnx 1.23.2 with
onnxruntime 1.31.1, and jax 0.10.2.
"""

from __future__ import annotations

from typing import Any, NamedTuple, TypeVar

from convshape import frameworks
from convshape.axes import each_axis, empty_warning, empty_warnings
from convshape.errors import Rule, ShapeError
from convshape.frameworks import jax, keras, onnx, tf, torch
from convshape.frameworks.onnx import POLICIES as POLICIES  # the CLI's --keep-aspect-ratio-policy choices
from convshape.model import spatial_sizes
from convshape.params import (IntArg, NumberArg, ShapeArg, axis_count, is_scalar, number_values, per_axis,
                              per_axis_numbers, tensor_shape)
# the per-axis formulas live in convshape.rules.resample; re-exported for existing imports
from convshape.rules.resample import (INT32_MIN, INT64_MAX, factor_output, float32, keras_aspect_window,  # noqa: F401
                                      onnx_policy_outputs, onnx_scaled_output, onnxruntime_scaled_output,
                                      scaled_output, source_step, tf_int32, torch_source_step)

T = TypeVar("T")
ScaleArg = NumberArg

MODES = tuple(dict.fromkeys(torch.MODES + keras.MODES + tf.MODES + onnx.MODES + jax.MODES))
MODE_RANK = {"linear": 1, "bilinear": 2, "bicubic": 2, "lanczos": 2, "lanczos3": 2, "lanczos5": 2, "gaussian": 2,
             "mitchellcubic": 2, "cubic": 2, "bicubic-pytorch": 2, "trilinear": 3,
             "tricubic": 3}  # the spatial axes a mode implies when --i is one number


# ---------------------------------------------------------------------- rules (one axis)
# ---------------------------------------------------------------------- parsing
class ResampleAxis(NamedTuple):
    """One axis of an interpolation: what was asked (size or scale), the output, and what the
    kernel samples with (``scale_used``: the scale factor handed to the kernel, None when it
    derives one from the sizes; ``source_step``: input pixels per output pixel). ``pad_before`` /
    ``pad_after``: the rows keras Resizing's pad_to_aspect_ratio adds (negative: the rows its
    crop_to_aspect_ratio drops); 0 everywhere else."""

    input: int
    size: int | None
    scale: float | None
    output: int
    scale_used: float | None
    source_step: float | None
    pad_before: int = 0
    pad_after: int = 0

    @property
    def sampling_scale(self) -> float | None:
        """The scale the kernel samples with, output per input pixel (1 / source_step)."""
        return 1.0 / self.source_step if self.source_step else None

    def to_dict(self) -> dict[str, Any]:
        d = self._asdict()
        d["sampling_scale"] = self.sampling_scale
        return d


class InterpolateResult(NamedTuple):
    """An interpolation / upsampling layer: output per axis and the scale each axis samples with."""

    op: str
    framework: str
    layer: str
    mode: str
    align_corners: bool | None
    recompute_scale_factor: bool | None
    antialias: bool
    axes: tuple[ResampleAxis, ...]
    warnings: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def input(self) -> tuple[int, ...]:
        return spatial_sizes(self.axes, "input")

    @property
    def output(self) -> tuple[int, ...]:
        return spatial_sizes(self.axes, "output")

    def to_dict(self) -> dict[str, Any]:
        return {"op": self.op, "framework": self.framework, "layer": self.layer, "mode": self.mode,
                "align_corners": self.align_corners, "recompute_scale_factor": self.recompute_scale_factor,
                "antialias": self.antialias, "input": list(self.input), "output": list(self.output),
                "axes": [a.to_dict() for a in self.axes], "warnings": list(self.warnings), "notes": list(self.notes)}


class ShuffleAxis(NamedTuple):
    """One spatial axis of a pixel (un)shuffle: multiplied or divided by the factor."""

    input: int
    factor: int
    output: int
    pad_before: int = 0
    pad_after: int = 0

    def to_dict(self) -> dict[str, Any]:
        return self._asdict()


class PixelShuffleResult(NamedTuple):
    """A pixel shuffle (depth-to-space) or unshuffle (space-to-depth): the whole output shape."""

    op: str
    framework: str
    layer: str
    data_format: str
    factor: int
    input_shape: tuple[int, ...]
    shape: tuple[int, ...]
    channel_axis: int
    spatial_axes: tuple[int, ...]
    warnings: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def input(self) -> tuple[int, ...]:
        return tuple(self.input_shape[i] for i in self.spatial_axes)

    @property
    def output(self) -> tuple[int, ...]:
        return tuple(self.shape[i] for i in self.spatial_axes)

    @property
    def axes(self) -> tuple[ShuffleAxis, ...]:
        return tuple(ShuffleAxis(i, self.factor, o) for i, o in zip(self.input, self.output))

    def to_dict(self) -> dict[str, Any]:
        return {"op": self.op, "framework": self.framework, "layer": self.layer, "data_format": self.data_format,
                "factor": self.factor, "input_shape": list(self.input_shape), "shape": list(self.shape),
                "input": list(self.input), "output": list(self.output), "axes": [a.to_dict() for a in self.axes],
                "channels_in": self.input_shape[self.channel_axis], "channels_out": self.shape[self.channel_axis],
                "warnings": list(self.warnings), "notes": list(self.notes)}


# ---------------------------------------------------------------------- interpolation
def _interpolate(layer_name: str, input: IntArg, size: IntArg, scale: ScaleArg, mode: str | None,
                 align_corners: bool | None, recompute_scale_factor: bool | None, antialias: bool, framework: str,
                 ndim: int | None, keep_aspect_ratio_policy: str | None, crop_to_aspect_ratio: bool,
                 pad_to_aspect_ratio: bool) -> InterpolateResult:
    fw = frameworks.get(framework)
    rules = fw.resample
    if layer_name == "upsample":
        rules.check_upsample(antialias)
    rules.check_layer("interpolate", layer_name)  # a framework without the layer: its rejection (exit 1)
    if layer_name == "upsample" and rules.upsample_zero_scale_is_none and is_scalar(scale) and scale is not None:
        values = number_values(scale)  # a tuple: scale is not None
        if values is not None and not values[0]:  # nn.Upsample: float(scale) if scale else None
            scale = None
    if mode is not None:
        mode = mode.strip().lower()
    resizing = rules.resizing(size is not None)  # keras.layers.Resizing; a scale is UpSampling's factor
    n = ndim or axis_count(input, size, scale)
    if ndim is None and n == 1 and all(is_scalar(v) for v in (input, size, scale)):
        n = MODE_RANK.get(mode or "", rules.default_rank(resizing))
    ins = per_axis(input, "input", n)
    sizes = per_axis(size, "size", n) if size is not None else None
    values = number_values(scale)
    scales = per_axis_numbers(values, "scale", n) if values is not None else None
    # who owns each argument, as the rejection of another framework's call names it
    owners = {"align_corners": "torch", "recompute_scale_factor": "torch", "keep_aspect_ratio_policy": "ONNX Resize",
              "crop_to_aspect_ratio": "keras.layers.Resizing", "pad_to_aspect_ratio": "keras.layers.Resizing"}
    taken = rules.argument_options(resizing)
    for flag, name in ((align_corners, "align_corners"), (recompute_scale_factor, "recompute_scale_factor"),
                       (keep_aspect_ratio_policy, "keep_aspect_ratio_policy"),
                       (crop_to_aspect_ratio or None, "crop_to_aspect_ratio"),
                       (pad_to_aspect_ratio or None, "pad_to_aspect_ratio")):
        if flag is not None and name not in taken:
            raise ShapeError(f"{name} is {owners[name]}'s; {rules.layer_name(resizing)} has no such argument",
                             framework=fw.name, rule=Rule.OPTION_UNSUPPORTED, values={name: flag})
    rules.check_arguments(size, scale, antialias, resizing)
    notes: list[str] = []
    warnings: list[str] = []
    done = rules.interpolate(n, ins, sizes, scales, scale, mode, align_corners, recompute_scale_factor, antialias,
                             keep_aspect_ratio_policy, crop_to_aspect_ratio, pad_to_aspect_ratio, layer_name,
                             resizing, warnings, notes)
    outs, kernel_scales, scales, mode = done.outputs, done.kernel_scales, done.scales, done.mode
    align_corners, antialias, windows = done.align_corners, done.antialias, done.windows

    def one(axis: int) -> ResampleAxis:
        i, o = ins[axis], outs[axis]
        extent, pad_before, pad_after = windows[axis]
        step = None if o <= 0 else rules.sampling_step(mode, n, antialias, i, extent, o, kernel_scales[axis],
                                                       bool(align_corners))
        return ResampleAxis(i, None if sizes is None else sizes[axis], None if scales is None else scales[axis],
                            o, kernel_scales[axis], step, pad_before, pad_after)

    axes = each_axis(lambda axis, _: one(axis), range(n))
    for a_i, a in enumerate(axes):
        if a.scale_used and not align_corners and a.source_step and a.source_step != 1.0 / a.scale_used:
            notes.append(f"axis {a_i}: torch's {mode} kernel " + ("copies this axis (output == input)" if a.output ==
                         a.input else "shifts this axis (output == 2 x input)") + f" instead of sampling at scale "
                         f"{a.scale_used:g}")
        elif a.scale_used is not None and not align_corners and a.source_step and \
                abs(a.source_step * a.output / a.input - 1) > 1e-6:  # a visible difference, not float noise
            notes.append(f"axis {a_i}: the kernel samples with scale {a.scale_used:g} (step {a.source_step:.6g} "
                         f"input pixels per output pixel), not {a.output}/{a.input} = {a.output / a.input:.6g}"
                         + rules.recompute_hint)
    if recompute_scale_factor and any(a.scale is not None and a.scale * a.input != a.output for a in axes):
        notes.append("recompute_scale_factor=True: the kernel samples at output/input, not at the given scale")
    if align_corners and any(a.scale is not None for a in axes):
        notes.append("align_corners=True: the kernel ignores the scale and samples at (input-1)/(output-1)")
    warnings.extend(empty_warnings(outs, fw.name))
    # the command that computes it: upsample1d/2d/3d fix the rank; interpolate has no ranked command
    op = f"{layer_name}{n}d" if layer_name == "upsample" else layer_name
    return InterpolateResult(op, fw.name, done.layer, mode, align_corners, recompute_scale_factor,
                             antialias, axes, tuple(warnings), tuple(notes))


def interpolate(input: IntArg, size: IntArg = None, scale: ScaleArg = None, mode: str | None = None,
                align_corners: bool | None = None, recompute_scale_factor: bool | None = None,
                antialias: bool = False, *, framework: str = "torch", ndim: int | None = None,
                keep_aspect_ratio_policy: str | None = None, crop_to_aspect_ratio: bool = False,
                pad_to_aspect_ratio: bool = False) -> InterpolateResult:
    """Output of ``torch.nn.functional.interpolate`` (``framework="torch"``, the default), keras
    ``UpSampling1D/2D/3D`` (``"keras"`` with ``scale``: keras's integer ``size`` factor) or
    ``keras.layers.Resizing`` (``"keras"`` with ``size``: height, width; ``crop_to_aspect_ratio`` /
    ``pad_to_aspect_ratio`` change the window it resizes, not the output),
    ``tf.image.resize`` (``"tf"``: ``size`` only), ONNX ``Resize`` (``"onnx"``: ``scale`` or ``size``,
    ``keep_aspect_ratio_policy`` with ``size``; ``align_corners=True`` is its
    coordinate_transformation_mode) or ``jax.image.resize`` (``"jax"``: ``size`` only, ``mode``
    required), per spatial axis, with each framework's checks in its order and the scale each axis
    samples with. Caffe has no such layer (its bilinear upsampling is a Deconvolution).

    ``input``/``size`` take an int, ``"37,37"`` or a sequence; ``scale`` a number, ``"1/3"``,
    ``"2,1.5"`` or a sequence. With one value everywhere the number of axes is the mode's
    (bilinear 2, trilinear 3), else 1 (tf and keras with ``size``: 2); ``ndim`` overrides. ``mode=None`` is the
    framework's default (torch/onnx nearest, keras UpSampling nearest and Resizing bilinear, tf
    bilinear; jax has none).
    """
    return _interpolate("interpolate", input, size, scale, mode, align_corners, recompute_scale_factor, antialias,
                        framework, ndim, keep_aspect_ratio_policy, crop_to_aspect_ratio, pad_to_aspect_ratio)


def upsample(input: IntArg, size: IntArg = None, scale: ScaleArg = None, mode: str | None = None,
             align_corners: bool | None = None, recompute_scale_factor: bool | None = None,
             antialias: bool = False, *, framework: str = "torch", ndim: int | None = None,
             keep_aspect_ratio_policy: str | None = None, crop_to_aspect_ratio: bool = False,
             pad_to_aspect_ratio: bool = False) -> InterpolateResult:
    """:func:`interpolate` as ``torch.nn.Upsample`` runs it: the module stores
    ``float(scale_factor) if scale_factor else None`` (torch/nn/modules/upsampling.py), so a
    single scale of 0 counts as not given. Keras: the UpSampling layers or Resizing; tf: tf.image.resize;
    onnx: Resize (not the deprecated Upsample op); jax: jax.image.resize."""
    return _interpolate("upsample", input, size, scale, mode, align_corners, recompute_scale_factor, antialias,
                        framework, ndim, keep_aspect_ratio_policy, crop_to_aspect_ratio, pad_to_aspect_ratio)


# ---------------------------------------------------------------------- pixel shuffle
DATA_FORMATS = ("NCHW", "NHWC", "NCW", "NWC")
#: (framework, data format) -> the pixel shuffle layer; each framework's own table is its ``shuffle_layers``
LAYERS = {(fw.name, fmt): layer for fw in frameworks.FRAMEWORKS.values()
          for fmt, layer in fw.resample.shuffle_layers.items()}


def _shuffle_words(unshuffle: bool) -> dict[str, str]:
    return {"shuffle": "unshuffle" if unshuffle else "shuffle",
            "depth_to_space": "space_to_depth" if unshuffle else "depth_to_space",
            "batch_to_space": "space_to_batch" if unshuffle else "batch_to_space",
            "DepthToSpace": "SpaceToDepth" if unshuffle else "DepthToSpace"}


def _pixel_shuffle(input: ShapeArg, factor: int, data_format: str | None, framework: str,
                   unshuffle: bool) -> PixelShuffleResult:
    fw = frameworks.get(framework)
    rules = fw.resample
    rules.check_layer("pixel shuffle", "pixel unshuffle" if unshuffle else "pixel shuffle")
    shape = tensor_shape(input)
    if isinstance(factor, bool) or not isinstance(factor, int):
        factor = per_axis(factor, "factor", 1)[0]
    fmt = (data_format or rules.shuffle_format).upper()
    if fmt not in DATA_FORMATS:
        raise ShapeError(f"data_format must be one of {', '.join(DATA_FORMATS)}, but got {data_format!r}",
                         rule=Rule.BAD_SHAPE, values={"data_format": data_format})
    if fmt not in rules.shuffle_layers:
        raise ShapeError(f"{fw.name} has no pixel shuffle in {fmt}: use {rules.shuffle_hint}", framework=fw.name,
                         rule=Rule.DATA_FORMAT, values={"data_format": fmt})
    warnings: list[str] = []
    notes: list[str] = []
    out = rules.pixel_shuffle(shape, factor, unshuffle, fmt, warnings, notes)
    rank = len(shape)
    channel_axis = {"NCHW": rank - 3, "NHWC": 3, "NCW": 1, "NWC": 2}[fmt]
    spatial = {"NCHW": (rank - 2, rank - 1), "NHWC": (1, 2), "NCW": (2,), "NWC": (1,)}[fmt]
    op = f"pixel-{'un' if unshuffle else ''}shuffle"  # the command's name (no ranked commands)
    warnings.extend(empty_warning(i, fw.name) for i, a in enumerate(spatial) if out[a] == 0 and shape[a] != 0)
    return PixelShuffleResult(op, fw.name, rules.shuffle_layers[fmt].format(**_shuffle_words(unshuffle)), fmt, factor,
                              shape, out, channel_axis, spatial, tuple(warnings), tuple(notes))


def pixel_shuffle(input: ShapeArg, factor: int, data_format: str | None = None, *,
                  framework: str = "torch") -> PixelShuffleResult:
    """The whole output shape of a pixel shuffle (sub-pixel upsampling, depth-to-space):
    channels / factor^2, each spatial axis x factor.

    ``input`` is the whole tensor shape (``"1x9x4x4"``, ``"1,9,4,4"`` or a sequence).
    torch: ``F.pixel_shuffle`` on ``(*, C, H, W)`` (``data_format="NCHW"``, any leading dims);
    tf: ``tf.nn.depth_to_space`` on ``NHWC`` (default) or ``NCHW`` (GPU only), block_size >= 2;
    keras: ``keras.ops.depth_to_space`` on NHWC (default) or NCHW, block_size >= 2;
    onnx: ``DepthToSpace`` on NCHW (mode DCR or CRD: same shape), blocksize >= 1. JAX and Caffe
    have no such op (a "not-in-framework" ShapeError).
    1-D sub-pixel (Shi et al., CVPR 2016, on one axis): ``data_format="NWC"`` with tf is ``SubPixel1D`` (channels / r,
    width x r, via batch_to_space), ``"NCW"`` with torch is ``PixelShuffle1D`` (view-based).
    """
    return _pixel_shuffle(input, factor, data_format, framework, unshuffle=False)


def pixel_unshuffle(input: ShapeArg, factor: int, data_format: str | None = None, *,
                    framework: str = "torch") -> PixelShuffleResult:
    """The inverse of :func:`pixel_shuffle`: channels x factor^2, each spatial axis / factor
    (torch ``F.pixel_unshuffle``, tf ``tf.nn.space_to_depth``, keras ``keras.ops.space_to_depth``,
    onnx ``SpaceToDepth``, and the 1-D recipes' inverses)."""
    return _pixel_shuffle(input, factor, data_format, framework, unshuffle=True)


__all__ = ["InterpolateResult", "PixelShuffleResult", "ResampleAxis", "ShuffleAxis", "interpolate", "pixel_shuffle",
           "pixel_unshuffle", "upsample",
           # re-exported from convshape.rules.resample
           "factor_output", "float32", "keras_aspect_window", "onnx_policy_outputs", "onnx_scaled_output",
           "onnxruntime_scaled_output", "scaled_output", "source_step", "tf_int32", "torch_source_step"]
