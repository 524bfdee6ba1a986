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

import math
from collections import namedtuple
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from convshape.axes import each_axis, empty_warning, empty_warnings
from convshape.errors import ShapeError
from convshape.frameworks import framework_rules
from convshape.model import SpatialResult
from convshape.params import (IntArg, NumberArg, ShapeArg, axis_count, is_scalar, number_values, per_axis,
                              per_axis_numbers, tensor_shape)
# the framework functions below (and callers of this module) use these rules by these names
from convshape.rules.resample import (INT64_MAX, factor_output, float32, keras_aspect_window,  # noqa: F401
                                      onnx_policy_outputs, onnx_scaled_output, onnxruntime_scaled_output,
                                      scaled_output, source_step, torch_source_step)

T = TypeVar("T")
ScaleArg = NumberArg

COVERED = {"interpolate": ("torch", "keras", "tf", "onnx", "jax"), "pixel shuffle": ("torch", "tf", "keras", "onnx")}
NOT_IN_FRAMEWORK = {  # the frameworks without the layer, and what to use instead
    ("interpolate", "caffe"): "BVLC Caffe has no Upsample, Interp or Resize layer (those live in forks). Its "
                              "bilinear upsampling by r is a Deconvolution with weight_filler 'bilinear', kernel_size "
                              "2r - r % 2, stride r, pad ceil((r - 1) / 2) (include/caffe/filler.hpp BilinearFiller): "
                              "use a caffe conv-transpose2d (r = 2: kernel=4, stride=2, padding=1)",
    ("pixel shuffle", "jax"): "jax.nn, jax.image and jax.lax have no depth-to-space or space-to-depth op; written as "
                              "reshape + transpose it has the shapes of torch's",
    ("pixel shuffle", "caffe"): "BVLC Caffe has no PixelShuffle, DepthToSpace or SpaceToDepth layer",
}

TORCH_MODES = ("nearest", "linear", "bilinear", "bicubic", "trilinear", "area", "nearest-exact", "lanczos")
NEAREST_LIKE = ("nearest", "area", "nearest-exact")  # torch: align_corners must stay None
KERAS_MODES = ("bilinear", "nearest", "lanczos3", "lanczos5", "bicubic", "area")  # UpSampling2D and Resizing:
# keras/src/backend/tensorflow/image.py RESIZE_INTERPOLATIONS, in its order (its error text prints the tuple)
TF_MODES = ("bilinear", "nearest", "bicubic", "area", "lanczos3", "lanczos5", "gaussian", "mitchellcubic")
ONNX_MODES = ("nearest", "linear", "cubic")  # Resize's mode attribute
JAX_MODES = ("nearest", "linear", "bilinear", "trilinear", "triangle", "cubic", "bicubic", "tricubic", "cubic-pytorch",
             "bicubic-pytorch", "lanczos3", "lanczos5", "area")  # jax 0.10.2 ResizeMethod.from_string
MODES = tuple(dict.fromkeys(TORCH_MODES + KERAS_MODES + TF_MODES + ONNX_MODES + JAX_MODES))
MODE_RANK = {"linear": 1, "bilinear": 2, "bicubic": 2, "lanczos": 2, "lanczos3": 2, "lanczos5": 2, "gaussian": 2,
             "mitchellcubic": 2, "cubic": 2, "bicubic-pytorch": 2, "trilinear": 3,
             "tricubic": 3}  # the spatial axes a mode implies when input is one number
POLICIES = ("stretch", "not_larger", "not_smaller")  # ONNX Resize keep_aspect_ratio_policy
TORCH_KERNEL = {("nearest", 1): "upsample_nearest1d", ("nearest", 2): "upsample_nearest2d",
                ("nearest", 3): "upsample_nearest3d", ("nearest-exact", 1): "_upsample_nearest_exact1d",
                ("nearest-exact", 2): "_upsample_nearest_exact2d", ("nearest-exact", 3): "_upsample_nearest_exact3d",
                ("area", 1): "adaptive_avg_pool1d", ("area", 2): "adaptive_avg_pool2d",
                ("area", 3): "adaptive_avg_pool3d", ("linear", 1): "upsample_linear1d",
                ("bilinear", 2): "upsample_bilinear2d", ("trilinear", 3): "upsample_trilinear3d",
                ("bicubic", 2): "upsample_bicubic2d", ("lanczos", 2): "_upsample_lanczos2d_aa"}
AXIS_LETTERS = {1: "W", 2: "HW", 3: "DHW"}


# the framework functions below call it by this name
_is_scalar = is_scalar


def _framework(name: str, what: str, label: str) -> str:
    """The framework's canonical name; a framework without the layer is its rejection (exit 1)."""
    fw = framework_rules(name).name
    # onnxruntime's resampling and unpooling still follow the ONNX rules here (its float32 sizes are noted)
    fw = "onnx" if fw == "onnxruntime" else fw
    if fw not in COVERED[what]:
        raise ShapeError(f"no {label} layer: {NOT_IN_FRAMEWORK[(what, fw)]}", framework=fw,
                         rule="not-in-framework", values={"framework": fw})
    return fw


# ---------------------------------------------------------------------- results
class ResampleAxis(namedtuple("ResampleAxis", "input size scale output scale_used source_step pad_before pad_after",
                              defaults=(0, 0))):
    """One axis of an interpolation: what was asked (size or scale), the output, and what the
    kernel samples with (``scale_used``: the scale factor handed to the kernel, None when it
    derives one from the sizes; ``source_step``: input pixels per output pixel). ``pad_before`` /
    ``pad_after``: the rows keras Resizing's pad_to_aspect_ratio adds (negative: the rows its
    crop_to_aspect_ratio drops); 0 everywhere else."""

    __slots__ = ()

    input: int
    size: int | None
    scale: float | None
    output: int
    scale_used: float | None
    source_step: float | None
    pad_before: int
    pad_after: int

    @property
    def sampling_scale(self) -> float | None:
        """The scale the kernel samples with, output per input pixel (1 / source_step)."""
        return 1.0 / self.source_step if self.source_step else None

    def to_dict(self) -> dict[str, Any]:
        d = self._asdict()
        d["sampling_scale"] = self.sampling_scale
        return d


class InterpolateResult(SpatialResult, namedtuple(
        "InterpolateResult",
        "op framework layer mode align_corners recompute_scale_factor antialias axes warnings notes",
        defaults=((), ()))):
    """An interpolation / upsampling layer: output per axis and the scale each axis samples with."""

    __slots__ = ()

    op: str
    framework: str
    layer: str
    mode: str
    align_corners: bool | None
    recompute_scale_factor: bool | None
    antialias: bool
    axes: tuple[ResampleAxis, ...]
    warnings: tuple[str, ...]
    notes: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"op": self.op, "framework": self.framework, "layer": self.layer, "mode": self.mode,
                "align_corners": self.align_corners, "recompute_scale_factor": self.recompute_scale_factor,
                "antialias": self.antialias, "input": list(self.input), "output": list(self.output),
                "axes": [a.to_dict() for a in self.axes], "warnings": list(self.warnings), "notes": list(self.notes)}


class ShuffleAxis(namedtuple("ShuffleAxis", "input factor output pad_before pad_after", defaults=(0, 0))):
    """One spatial axis of a pixel (un)shuffle: multiplied or divided by the factor."""

    __slots__ = ()

    input: int
    factor: int
    output: int
    pad_before: int
    pad_after: int

    def to_dict(self) -> dict[str, Any]:
        return self._asdict()


class PixelShuffleResult(namedtuple(
        "PixelShuffleResult",
        "op framework layer data_format factor input_shape shape channel_axis spatial_axes warnings notes",
        defaults=((), ()))):
    """A pixel shuffle (depth-to-space) or unshuffle (space-to-depth): the whole output shape."""

    __slots__ = ()

    op: str
    framework: str
    layer: str
    data_format: str
    factor: int
    input_shape: tuple[int, ...]
    shape: tuple[int, ...]
    channel_axis: int
    spatial_axes: tuple[int, ...]
    warnings: tuple[str, ...]
    notes: tuple[str, ...]

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
def _per_axis(fn: Callable[[int], T], n: int) -> tuple[T, ...]:
    """:func:`convshape.axes.each_axis` over ``n`` axes, ``fn(axis)``: the framework functions
    below call it by this name (it goes once they call ``each_axis`` themselves)."""
    return each_axis(lambda axis, _: fn(axis), range(n))


def _torch_sizes_error(ins: Sequence[int], outs: Sequence[int]) -> ShapeError:
    """upsample_{1,2,3}d_common_check (aten/src/ATen/native/UpSample.h), its text per rank."""
    letters = AXIS_LETTERS[len(ins)]
    shown_in = ", ".join(f"{c}: {v}" for c, v in zip(letters, ins))
    shown_out = ", ".join(f"{c}: {v}" for c, v in zip(letters, outs))
    glue = " and output" if len(ins) == 1 else " output"
    return ShapeError(f"Input and output sizes should be greater than 0, but got input ({shown_in}){glue} "
                      f"({shown_out})", framework="torch", rule="size-positive", values={"input": list(ins),
                                                                                        "output": list(outs)})


def _torch_area_checks(ins: Sequence[int], outs: Sequence[int]) -> None:
    """mode='area' is adaptive_avg_pool{1,2,3}d (aten/src/ATen/native/AdaptiveAveragePooling{,3d}.cpp):
    an output of 0 is allowed (an empty tensor), a negative one and an empty input are not."""
    n = len(ins)
    pooled_out, pooled_in = ([1, *outs], [1, *ins]) if n == 1 else (list(outs), list(ins))  # 1-D runs as 2-D
    name = "adaptive_avg_pool3d" if n == 3 else "adaptive_avg_pool2d"
    if any(o < 0 for o in pooled_out):
        shown = ", ".join(str(o) for o in pooled_out[:2]) + ("," + str(pooled_out[2]) if n == 3 else "")
        raise ShapeError(f"{name}: elements of output_size must be greater than or equal to 0 but received "
                         f"{{{shown}}}", framework="torch", rule="size-negative", values={"output": list(outs)})
    full = [1, 1, *pooled_in]
    for dim in range(2, len(full)):
        if full[dim] <= 0:
            raise ShapeError(f"{name}(): Expected input to have non-zero size for non-batch dimensions, but input "
                             f"has sizes {full} with dimension {dim} being empty", framework="torch",
                             rule="input-empty", values={"input": list(ins)})


def _torch(n: int, ins: tuple[int, ...], sizes: tuple[int, ...] | None, scales: tuple[float, ...] | None,
           mode: str, align_corners: bool | None, recompute: bool | None,
           antialias: bool) -> tuple[tuple[int, ...], tuple[float | None, ...], bool | None, list[str]]:
    """torch.nn.functional.interpolate (torch/nn/functional.py) in its own order of checks, then
    the kernel's. Returns outputs, the scale each axis hands the kernel, align_corners in effect,
    and notes."""
    torch_err = lambda msg, rule, **values: ShapeError(msg, framework="torch", rule=rule, values=values)  # noqa: E731
    notes: list[str] = []
    if mode in NEAREST_LIKE:
        if align_corners is not None:
            raise torch_err("align_corners option can only be set with the interpolating modes: "
                            "linear | bilinear | bicubic | trilinear", "align-corners-mode", mode=mode)
    elif align_corners is None:
        align_corners = False
    if sizes is not None and scales is not None:
        raise torch_err("only one of size or scale_factor should be defined", "size-and-scale")
    if sizes is None and scales is None:
        raise torch_err("either size or scale_factor should be defined", "size-or-scale")
    if recompute and sizes is not None:
        raise torch_err("recompute_scale_factor is not meaningful with an explicit size.", "recompute-with-size")
    if mode == "area" and sizes is None:
        recompute = True
        notes.append("mode='area' always recomputes: torch turns the scale into a size and runs "
                     "adaptive_avg_pool, which sees only the sizes")
    kernel_scales: tuple[float | None, ...] = (None,) * n
    outs: tuple[int, ...] | None = sizes
    if recompute:  # Python computes the size; int() of a float raises on nan and infinity
        for i, s in zip(ins, scales or ()):  # recompute with a size was rejected above, so scales is set
            product = float(i) * s  # 0 x inf is NaN
            if math.isnan(product) or math.isinf(product):
                raise ShapeError(f"cannot convert float {'NaN' if math.isnan(product) else 'infinity'} to integer",
                                 framework="torch", rule="scale-not-finite", values={"scale": s})
        outs = _per_axis(lambda i: scaled_output(ins[i], scales[i]), n)
    elif scales is not None:
        kernel_scales = tuple(float(s) for s in scales)
    if antialias and not (mode in ("bilinear", "bicubic", "lanczos") and n == 2):
        raise torch_err("Anti-alias option is restricted to bilinear, bicubic, and lanczos modes and requires a "
                        "4-D tensor as input", "antialias-mode", mode=mode)
    rank = n + 2
    wants = {"linear": 1, "bilinear": 2, "bicubic": 2, "lanczos": 2, "trilinear": 3}
    if mode not in TORCH_MODES or rank > 5 or (mode in wants and wants[mode] != n):
        if mode in ("linear", "bilinear", "trilinear") and 3 <= rank <= 5:
            raise torch_err(f"Got {rank}D input, but {mode} mode needs {wants[mode] + 2}D input", "mode-rank",
                            mode=mode, rank=rank)
        raise torch_err(f"Input Error: Only 3D, 4D and 5D input Tensors supported (got {rank}D) for the modes: "
                        f"nearest | linear | bilinear | bicubic | trilinear | lanczos | area | nearest-exact "
                        f"(got {mode})", "mode-rank", mode=mode, rank=rank)
    if mode == "lanczos":
        if align_corners:
            raise torch_err("Lanczos mode does not support align_corners=True", "lanczos-align-corners")
        if not antialias:
            raise torch_err("Lanczos mode requires antialias=True", "lanczos-antialias")
    kernel = TORCH_KERNEL[(mode, n)]
    if mode == "bilinear" and antialias or mode == "bicubic" and antialias:
        kernel = f"_upsample_{mode}2d_aa"
    if outs is None:  # the C++ kernel computes the size: overflow is checked there
        scales = scales or ()
        products = [float(i) * s for i, s in zip(ins, scales)]
        if any(math.isnan(p) or not -2.0 ** 63 <= p < 2.0 ** 63 for p in products):
            raise torch_err("value cannot be converted to type int64_t without overflow", "size-overflow",
                            scale=list(scales))
        outs = _per_axis(lambda i: scaled_output(ins[i], scales[i]), n)
    elif recompute:  # Python ints reach the C++ binding, which unpacks int64
        for axis, out in enumerate(outs):
            if not -2 ** 63 <= out <= INT64_MAX:
                raise torch_err(f"{kernel}(): argument 'output_size' failed to unpack the object at pos {axis + 1} "
                                f"with error \"Overflow when unpacking long long", "size-overflow", output=out)
    if mode == "area":
        _torch_area_checks(ins, outs)
    elif any(i <= 0 for i in ins) or any(o <= 0 for o in outs):
        raise _torch_sizes_error(ins, outs)
    return outs, kernel_scales, align_corners, notes


def _keras(n: int, ins: tuple[int, ...], scales: tuple[float, ...] | None, scale_arg: ScaleArg, mode: str | None,
           notes: list[str]) -> tuple[tuple[int, ...], str, str]:
    """keras.layers.UpSampling1D/2D/3D (keras 3.15, keras/src/layers/reshaping/up_sampling{1,2,3}d.py)."""
    if n > 3:
        raise ShapeError(f"keras has UpSampling1D, UpSampling2D and UpSampling3D, but got {n} spatial axes",
                         framework="keras", rule="mode-rank", values={"axes": n})
    layer = f"UpSampling{n}D"
    factors = scales if scales is not None else (2,) * n  # keras's default size=2 / (2, 2) / (2, 2, 2)
    shown = factors[0] if scale_arg is not None and _is_scalar(scale_arg) else tuple(factors)  # as keras prints it
    if n == 1:
        if not isinstance(factors[0], int):
            raise ShapeError(f"Expected an integer value for `size`, got {type(factors[0])}.", framework="keras",
                             rule="factor-integer", values={"scale": factors[0]})
        if factors[0] <= 0:
            raise ShapeError(f"Argument `size` should be a positive integer. Received: size={factors[0]}",
                             framework="keras", rule="factor-positive", values={"scale": factors[0]})
    else:
        if not all(isinstance(f, int) for f in factors):
            raise ShapeError(f"The `size` argument must be a tuple of {n} integers. Received size={shown}",
                             framework="keras", rule="factor-integer", values={"scale": list(factors)})
        bad = {f for f in factors if f <= 0}
        if bad:
            raise ShapeError(f"The `size` argument must be a tuple of {n} integers. Received size={shown}, including "
                             f"values {bad} that do not satisfy `value > 0`", framework="keras",
                             rule="factor-positive", values={"scale": list(factors)})
    if n != 2 and mode == "nearest":  # given explicitly
        notes.append(f"{layer} has no interpolation argument: it always repeats (nearest), and "
                     f"{layer}(interpolation='nearest') itself raises 'Unrecognized keyword arguments'")
    mode = (mode or "nearest").lower()
    if n != 2 and mode != "nearest":
        raise ShapeError(f"Unrecognized keyword arguments passed to {layer}: {{'interpolation': {mode!r}}}",
                         framework="keras", rule="mode-unsupported", values={"mode": mode})
    if n == 2 and mode not in KERAS_MODES:
        raise ShapeError(f"Invalid value for argument `interpolation`. Expected of one {KERAS_MODES}. "
                         f"Received: interpolation={mode}", framework="keras", rule="mode-unknown",
                         values={"mode": mode})
    outs = _per_axis(lambda i: factor_output(ins[i], int(factors[i])), n)
    if n == 2 and mode != "nearest" and any(o <= 0 for o in outs):  # ops.image.resize; nearest is ops.repeat
        raise ShapeError(f"`size` must have positive height and width. Received: size={outs}", framework="keras",
                         rule="size-positive", values={"output": list(outs)})
    return outs, mode, layer


def _tf(n: int, ins: tuple[int, ...], sizes: tuple[int, ...] | None, mode: str | None, antialias: bool,
        warnings: list[str]) -> tuple[tuple[int, ...], str]:
    """tf.image.resize (tensorflow 2.21, tensorflow/python/ops/image_ops_impl.py ``resize_images_v2``, kernels
    in tensorflow/core/kernels/image/resize_*_op.cc and scale_and_translate_op.cc): the output is ``size``."""
    mode = (mode or "bilinear").lower()
    if mode not in TF_MODES:
        raise ShapeError(f"Resize method is not implemented: {mode}", framework="tf", rule="mode-unknown",
                         values={"mode": mode})
    if sizes is None:
        raise ShapeError("tf.image.resize takes size (the output size), not a scale factor", framework="tf",
                         rule="size-required", values={})
    if n != 2:
        raise ShapeError(f"'size' must be a 1-D Tensor of 2 elements: new_height, new_width (tf.image.resize "
                         f"resizes images: 2 spatial axes, got {n})", framework="tf", rule="mode-rank",
                         values={"axes": n})
    return _tf_resize_checks("tf", ins, sizes, mode, antialias, warnings), mode


def _tf_resize_checks(fw: str, ins: Sequence[int], sizes: Sequence[int], mode: str, antialias: bool,
                      warnings: list[str]) -> tuple[int, ...]:
    """``tf.image.resize``'s checks on the sizes, in its order, and the sizes it resizes to. The size
    becomes an int32 tensor that silently wraps (2**32 + 3 -> 3; beyond int64: "'size' must be a 1-D
    int32 Tensor"). Then the static shape (image_ops_impl.py ``_resize_images_common``:
    ``constant_value_as_shape`` reads -1 as unknown and rejects any other negative size), then the
    kernel's: input before output in ``ImageResizerState``
    (resize_{bilinear,nearest_neighbor,bicubic,area}_op.cc), output before input in
    ``ScaleAndTranslate`` (scale_and_translate_op.cc: lanczos3/5, gaussian, mitchellcubic, and
    bilinear/bicubic with antialias)."""
    if any(not -2 ** 63 <= o < 2 ** 63 for o in sizes):
        raise ShapeError("'size' must be a 1-D int32 Tensor", framework=fw, rule="size-overflow",
                         values={"output": list(sizes)})
    wrapped = tuple((o + 2 ** 31) % 2 ** 32 - 2 ** 31 for o in sizes)
    warnings.extend(f"size {o} does not fit int32: tf.image.resize wraps it to {w}, silently"
                    for o, w in zip(sizes, wrapped) if o != w)
    sizes = wrapped
    for o in sizes:
        if o < -1:
            raise ShapeError(f"Dimension {o} must be >= 0", framework=fw, rule="size-negative",
                             values={"output": list(sizes)})
    empty = ShapeError("input image must be of non-zero size", framework=fw, rule="input-empty",
                       values={"input": list(ins)})
    if any(i <= 0 for i in ins) and not (mode in ("lanczos3", "lanczos5", "gaussian", "mitchellcubic") or
                                         antialias and mode in ("bilinear", "bicubic")):
        raise empty
    if any(o <= 0 for o in sizes):
        raise ShapeError("output dimensions must be positive", framework=fw, rule="size-positive",
                         values={"output": list(sizes)})
    if any(i <= 0 for i in ins):
        raise empty
    return sizes


def _keras_resizing(n: int, ins: tuple[int, ...], sizes: tuple[int, ...], mode: str | None, antialias: bool,
                    crop: bool, pad: bool, warnings: list[str],
                    notes: list[str]) -> tuple[tuple[int, ...], str, tuple[tuple[int, int, int], ...]]:
    """``keras.layers.Resizing(height, width, interpolation, crop_to_aspect_ratio, pad_to_aspect_ratio)``
    (keras 3.15.1, TF backend: keras/src/layers/preprocessing/image_preprocessing/resizing.py, then
    keras/src/backend/tensorflow/image.py ``resize``): the output is ``(height, width)``. The layer checks
    nothing when it is built (``compute_output_shape`` just copies the size); its checks run on the first
    call, in this order, and end in ``tf.image.resize`` on the cropped or padded image. Returns outputs,
    mode and each axis's :func:`keras_aspect_window`."""
    err = lambda msg, rule, **values: ShapeError(msg, framework="keras", rule=rule, values=values)  # noqa: E731
    mode = mode or "bilinear"
    if mode not in KERAS_MODES:
        raise err(f"Invalid value for argument `interpolation`. Expected of one {KERAS_MODES}. "
                  f"Received: interpolation={mode}", "mode-unknown", mode=mode)
    if crop and pad:
        raise err("Only one of `pad_to_aspect_ratio` & `crop_to_aspect_ratio` can be `True`.", "crop-and-pad")
    if n != 2:  # a rank-3 tensor is one unbatched (height, width, channels) image, a rank-5 one is refused
        raise err(("Invalid images rank: expected rank 3 (single image) or rank 4 (batch of images); "
                   if n == 3 else "") + f"keras.layers.Resizing resizes 2 spatial axes (height, width), but got {n}",
                  "mode-rank", axes=n)
    policy = "crop" if crop else "pad" if pad else None
    if policy and any(not -2 ** 63 <= o < 2 ** 63 for o in sizes):  # int32 tensor * the Python int
        raise err("Can't convert Python sequence with out-of-range integer to Tensor.", "size-overflow",
                  output=list(sizes))
    windows = tuple(keras_aspect_window(ins[a], ins[1 - a], sizes[a], sizes[1 - a], policy) if policy
                    else (ins[a], 0, 0) for a in range(2))
    sizes = _tf_resize_checks("keras", [w[0] for w in windows], sizes, mode, antialias, warnings)
    if policy:
        (h, *_), (w, *_) = windows
        notes.append(f"{policy}_to_aspect_ratio: keras resizes " + (
            f"the centred {h}x{w} window (rows {-windows[0][1]}..{-windows[0][1] + h}, columns {-windows[1][1]}.."
            f"{-windows[1][1] + w}) of the input" if crop else
            f"the input padded to {h}x{w} ({windows[0][1]} rows and {windows[1][1]} columns of fill_value on each "
            f"side)") + f"; the output is still {sizes[0]}x{sizes[1]}")
    return sizes, mode, windows


ORT_LINEAR = ("'Linear' mode only supports: * 2-D inputs or * 3-D inputs ('Bilinear', 'Trilinear') or * 4-D inputs "
              "with the corresponding outermost 2 scale values being 1 or the corresponding outermost and innermost "
              "scale values being 1 or * 5-D inputs with the corresponding outermost 2 scale values being 1in the "
              "Resize operator")
ORT_CUBIC = ("'Cubic' mode only supports: * 2-D inputs ('Bicubic') or * 4-D inputs with the corresponding outermost 2 "
             "scale values being 1 or the corresponding outermost and innermost scale values being 1 with antialias "
             "attribute or the corresponding outermost and innermost scale values being 1 and other scales >= 1 "
             "without antialias attribute in the Resize operator")


def _onnx(n: int, ins: tuple[int, ...], sizes: tuple[int, ...] | None, scales: tuple[float, ...] | None,
          mode: str | None, antialias: bool, policy: str | None, warnings: list[str],
          notes: list[str]) -> tuple[tuple[int, ...], tuple[float | None, ...], str]:
    """ONNX ``Resize`` (opset 19; onnx 1.23.2 onnx/defs/tensor/defs.cc and utils.cc
    ``resizeShapeInferenceVersioned``; onnxruntime 1.31 core/providers/cpu/tensor/upsamplebase.h) on an
    ``(N, C, *spatial)`` tensor, ``axes`` = the spatial axes. Checks in onnxruntime's order: shape
    inference, the kernel's constructor (mode, antialias), then ``ScalesValidation``; with ``sizes``
    the zero-input check and the aspect-ratio policy come first. Texts are onnxruntime's (the two
    multi-line ones joined). Returns outputs, the (float32) scale each axis samples with, the mode."""
    err = lambda msg, rule, **values: ShapeError(msg, framework="onnx", rule=rule, values=values)  # noqa: E731
    policy = (policy or "stretch").strip().lower()
    if policy not in POLICIES:
        raise err(f"Unknown value for `keep_aspect_ratio_policy`: {policy}.", "policy-unknown", policy=policy)
    if (sizes is None) == (scales is None):
        raise err("Either `sizes` or `scales` must be provided, but not both of them", "size-or-scale")
    if scales is not None and policy != "stretch":
        raise err('Providing `scales` is incompatible with a `keep_aspect_ratio_policy` other than "stretch".',
                  "policy-with-scale", policy=policy)
    mode = mode or "nearest"
    if mode not in ONNX_MODES:
        raise err(f"mode attribute is {mode}. It can only be nearest(default) or linear or cubic.", "mode-unknown",
                  mode=mode)
    if antialias and mode == "nearest":
        raise err("when anti-aliasing is set, Resize only supports mode `LINEAR` and `CUBIC`.", "antialias-mode")
    if scales is not None:
        used: tuple[float | None, ...] = tuple(float32(s) for s in scales)
    else:
        for axis, (i, o) in enumerate(zip(ins, sizes or ())):
            if i == 0 and o != 0:  # "Dimension" counts N and C
                raise err(f"Input dim is zero but required output dim is non-zero. Cannot scale 0 by any factor to "
                          f"generate a non-zero value. Dimension: {axis + 2} Input dim value: 0 Output dim value: {o}",
                          "input-empty", input=list(ins), output=list(sizes or ()))
        used = tuple(float32(float32(o) / float32(i)) if i else 1.0 for i, o in zip(ins, sizes or ()))
    if policy != "stretch":
        outs, runtime, scale = onnx_policy_outputs(ins, sizes or (), policy)
        used = (scale,) * n
        notes.append(f"keep_aspect_ratio_policy={policy}: one scale for every axis, "
                     f"{'min' if policy == 'not_larger' else 'max'}(size / input) = {scale:.6g}; output "
                     f"round_int(scale x input)")
    if not all(s > 0 for s in used):  # type: ignore[operator]  # NaN fails too
        raise err("Scale value should be greater than 0.", "scale-positive", scale=list(used))
    if mode == "linear" and n > 3 or mode == "cubic" and n != 2:
        raise err(f"{ORT_LINEAR if mode == 'linear' else ORT_CUBIC} (got a {n + 2}-D input: N, C and {n} spatial "
                  f"axes)", "mode-rank", mode=mode, axes=n)
    if scales is not None:
        if any(not i * s < 2.0 ** 63 for i, s in zip(ins, used)):  # type: ignore[operator]
            raise err(f"output size {ins} x {scales} does not fit int64", "size-overflow", scale=list(scales))
        outs = _per_axis(lambda a: onnx_scaled_output(ins[a], scales[a]), n)
        runtime = _per_axis(lambda a: onnxruntime_scaled_output(ins[a], scales[a]), n)
    elif policy == "stretch":
        outs = runtime = sizes or ()
        used = (None,) * n  # the kernel samples at output / input
    if runtime != outs:
        shown = lambda sizes: "x".join(map(str, sizes))  # noqa: E731
        warnings.append(f"onnxruntime 1.31 gives {shown(runtime)}, not the spec's {shown(outs)}: it computes in "
                        f"float32 " + ("(trunc(float32(input) x float32(scale)))" if scales is not None else
                                       "(std::round(scale x input) with a float32 scale)"))
    notes.append("coordinate_transformation_mode and nearest_mode move the sampling points, not the size (even "
                 "tf_crop_and_resize: onnxruntime 1.31 and onnx's shape inference leave out the spec's "
                 "roi_end - roi_start factor)")
    return outs, used, mode


def _jax(ins: tuple[int, ...], sizes: tuple[int, ...] | None, scales: tuple[float, ...] | None, mode: str | None,
         warnings: list[str]) -> tuple[tuple[int, ...], str]:
    """``jax.image.resize(image, shape, method)`` (jax 0.10.2, jax/_src/image/scale.py ``resize``,
    ``_resize``, ``_resize_nearest``, ``ResizeMethod.from_string``): the output is ``shape``, every axis
    alike (batch and channel axes are axes whose size is kept). A negative size gives an empty axis, no
    error; an empty input axis resized to another size fails: the other methods divide by it, nearest
    gathers from it, one axis after the other, unless that gather's result is empty (jnp indexing
    then skips it), so ``(0, 0) -> (3, 0)`` passes and ``(0, 2) -> (3, 2)`` fails."""
    err = lambda msg, rule, **values: ShapeError(msg, framework="jax", rule=rule, values=values)  # noqa: E731
    if mode is None:
        raise err("resize() missing 1 required positional argument: 'method'", "mode-required")
    if scales is not None or sizes is None:
        raise err("jax.image.resize takes shape (the output shape), not a scale factor (jax.image.scale_and_translate "
                  "takes one, with the output shape as well)", "size-required")
    if mode not in JAX_MODES:
        raise err(f'Unknown resize method "{mode}"', "mode-unknown", mode=mode)
    current = list(ins)  # nearest resizes one axis after the other
    for axis, (i, o) in enumerate(zip(ins, sizes)):
        current[axis] = max(o, 0)
        if i == 0 and o != 0 and (mode != "nearest" or 0 not in current):  # jnp skips a gather whose result is empty
            raise err(f"Slice size at index {axis} in gather op is out of range, must be within [0, 0 + 1), got 1."
                      if mode == "nearest" else f"division by zero (the scale {o} / 0 of axis {axis})", "input-empty",
                      input=list(ins), output=list(sizes))
        if o < 0:
            warnings.append(f"size {o} on axis {axis}: jax.image.resize returns an empty axis, without an error")
    return tuple(current), mode


def _interpolate(layer_name: str, input: IntArg, size: IntArg, scale: ScaleArg, mode: str | None,
                 align_corners: bool | None, recompute_scale_factor: bool | None, antialias: bool, framework: str,
                 ndim: int | None, keep_aspect_ratio_policy: str | None, crop_to_aspect_ratio: bool,
                 pad_to_aspect_ratio: bool) -> InterpolateResult:
    fw = _framework(framework, "interpolate", layer_name)
    if layer_name == "upsample" and fw == "torch" and is_scalar(scale) and scale is not None:
        if not number_values(scale)[0]:  # type: ignore[index]  # nn.Upsample: float(scale) if scale else None
            scale = None
    if mode is not None:
        mode = mode.strip().lower()
    resizing = fw == "keras" and size is not None  # keras.layers.Resizing; a scale is UpSampling's factor
    n = ndim or axis_count(input, size, scale)
    if ndim is None and n == 1 and all(is_scalar(v) for v in (input, size, scale)):
        n = MODE_RANK.get(mode or "", 2 if fw == "tf" or resizing else 1)
    ins = per_axis(input, "input", n)
    sizes = per_axis(size, "size", n) if size is not None else None
    values = number_values(scale)
    scales = per_axis_numbers(values, "scale", n) if values is not None else None
    named = {"keras": "keras.layers.Resizing" if resizing else "keras UpSampling", "tf": "tf.image.resize",
             "jax": "jax.image.resize", "onnx": "ONNX Resize"}
    # onnx's align_corners is coordinate_transformation_mode='align_corners': the sampling, not the size
    who = "resizing" if resizing else fw
    owners = {"onnx": "ONNX Resize", "resizing": "keras.layers.Resizing"}
    for flag, name, owner in ((align_corners, "align_corners", "torch onnx"),
                              (recompute_scale_factor, "recompute_scale_factor", "torch"),
                              (keep_aspect_ratio_policy, "keep_aspect_ratio_policy", "onnx"),
                              (crop_to_aspect_ratio or None, "crop_to_aspect_ratio", "resizing"),
                              (pad_to_aspect_ratio or None, "pad_to_aspect_ratio", "resizing")):
        if flag is not None and who not in owner.split():
            raise ShapeError(f"{name} is {owners.get(owner, 'torch')}'s; {named.get(fw, fw)} has no such argument",
                             framework=fw, rule="option-unsupported", values={name: flag})
    if fw == "keras" and size is not None and scale is not None:
        raise ShapeError("keras.layers.Resizing takes the output size (height, width), UpSampling an integer factor "
                         "(its `size` argument): give size or scale, not both", framework=fw, rule="size-and-scale",
                         values={"size": size, "scale": scale})
    if antialias and fw == "keras" and not resizing:
        raise ShapeError("antialias is not an argument of keras UpSampling layers", framework=fw,
                         rule="option-unsupported", values={"antialias": True})
    notes: list[str] = []
    warnings: list[str] = []
    kernel_scales: tuple[float | None, ...] = (None,) * n
    windows = tuple((i, 0, 0) for i in ins)  # what the kernel resizes per axis: (extent, pad_before, pad_after)
    if fw == "torch":
        mode = mode or "nearest"
        layer = "torch.nn.Upsample" if layer_name == "upsample" else "torch.nn.functional.interpolate"
        outs, kernel_scales, align_corners, notes = _torch(n, ins, sizes, scales, mode, align_corners,
                                                           recompute_scale_factor, antialias)
        if mode == "area":
            kernel_scales = (None,) * n
    elif resizing:
        outs, mode, windows = _keras_resizing(n, ins, sizes or (), mode, antialias, crop_to_aspect_ratio,
                                              pad_to_aspect_ratio, warnings, notes)
        layer = "keras.layers.Resizing"
    elif fw == "keras":
        outs, mode, layer = _keras(n, ins, scales, scale, mode, notes)
        if scales is None:
            scales = (2,) * n
            notes.append(f"no scale given: keras's default {layer}(size={2 if n == 1 else (2,) * n})")
        kernel_scales = tuple(float(s) for s in scales)  # an exact integer factor
        layer = f"keras.layers.{layer}"
    elif fw == "onnx":
        outs, kernel_scales, mode = _onnx(n, ins, sizes, scales, mode, antialias, keep_aspect_ratio_policy, warnings,
                                          notes)
        layer = "onnx Resize" + (" (coordinate_transformation_mode=align_corners)" if align_corners else "")
    elif fw == "jax":
        outs, mode = _jax(ins, sizes, scales, mode, warnings)
        layer, antialias = "jax.image.resize", mode != "nearest"  # jax's antialias=True; nearest ignores it
    else:
        outs, mode = _tf(n, ins, sizes, mode, antialias, warnings)
        layer = "tf.image.resize"

    def one(axis: int, i: int, o: int) -> ResampleAxis:
        extent, pad_before, pad_after = windows[axis]
        step = None if o <= 0 else torch_source_step(mode, n, antialias, i, o, kernel_scales[axis], bool(
            align_corners)) if fw == "torch" else source_step(extent, o, kernel_scales[axis], fw == "onnx" and
                                                              bool(align_corners))
        return ResampleAxis(i, None if sizes is None else sizes[axis], None if scales is None else scales[axis],
                            o, kernel_scales[axis], step, pad_before, pad_after)

    axes = each_axis(one, ins, outs)
    for a_i, a in enumerate(axes):
        if a.scale_used and not align_corners and a.source_step and a.source_step != 1.0 / a.scale_used:
            notes.append(f"axis {a_i}: torch's {mode} kernel " + ("copies this axis (output == input)" if a.output ==
                         a.input else "shifts this axis (output == 2 x input)") + f" instead of sampling at scale "
                         f"{a.scale_used:g}")
        elif a.scale_used is not None and not align_corners and a.source_step and \
                abs(a.source_step * a.output / a.input - 1) > 1e-6:  # a visible difference, not float noise
            notes.append(f"axis {a_i}: the kernel samples with scale {a.scale_used:g} (step {a.source_step:.6g} "
                         f"input pixels per output pixel), not {a.output}/{a.input} = {a.output / a.input:.6g}"
                         + (": recompute_scale_factor=True would sample at the size ratio" if fw == "torch" else ""))
    if recompute_scale_factor and any(a.scale is not None and a.scale * a.input != a.output for a in axes):
        notes.append("recompute_scale_factor=True: the kernel samples at output/input, not at the given scale")
    if align_corners and any(a.scale is not None for a in axes):
        notes.append("align_corners=True: the kernel ignores the scale and samples at (input-1)/(output-1)")
    warnings.extend(empty_warnings(outs, fw))
    return InterpolateResult(f"{layer_name}{n}d", fw, layer, mode, align_corners, recompute_scale_factor,
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
    if antialias and framework_rules(framework).name == "torch":
        raise ShapeError("torch.nn.Upsample has no antialias argument; use interpolate", framework="torch",
                         rule="option-unsupported", values={"antialias": True})
    return _interpolate("upsample", input, size, scale, mode, align_corners, recompute_scale_factor, antialias,
                        framework, ndim, keep_aspect_ratio_policy, crop_to_aspect_ratio, pad_to_aspect_ratio)


# ---------------------------------------------------------------------- pixel shuffle
DATA_FORMATS = ("NCHW", "NHWC", "NCW", "NWC")
LAYERS = {("torch", "NCHW"): "torch.nn.functional.pixel_{shuffle}",
          ("tf", "NHWC"): "tf.nn.{depth_to_space}", ("tf", "NCHW"): "tf.nn.{depth_to_space}",
          ("tf", "NWC"): "SubPixel1D recipe (seed 004): transpose + tf.{batch_to_space}",
          ("torch", "NCW"): "PixelShuffle1D recipe (seed 004): view + permute",
          ("onnx", "NCHW"): "onnx {DepthToSpace}", ("keras", "NHWC"): "keras.ops.{depth_to_space}",
          ("keras", "NCHW"): "keras.ops.{depth_to_space} (channels_first)"}


def _shuffle_words(unshuffle: bool) -> dict[str, str]:
    return {"shuffle": "unshuffle" if unshuffle else "shuffle",
            "depth_to_space": "space_to_depth" if unshuffle else "depth_to_space",
            "batch_to_space": "space_to_batch" if unshuffle else "batch_to_space",
            "DepthToSpace": "SpaceToDepth" if unshuffle else "DepthToSpace"}


def _torch_shuffle(shape: tuple[int, ...], r: int, unshuffle: bool) -> tuple[int, ...]:
    """``pixel_shuffle`` / ``pixel_unshuffle`` (aten/src/ATen/native/PixelShuffle.cpp, checks in
    PixelShuffle.h ``check_pixel_(un)shuffle_shapes``): any leading dims, then (C, H, W)."""
    name, what = ("pixel_unshuffle", "downscale_factor") if unshuffle else ("pixel_shuffle", "upscale_factor")
    err = lambda msg, rule: ShapeError(msg, framework="torch", rule=rule,  # noqa: E731
                                       values={"input": list(shape), "factor": r})
    if len(shape) < 3:
        raise err(f"{name} expects input to have at least 3 dimensions, but got input with {len(shape)} dimension(s)",
                  "rank")
    if r <= 0:
        raise err(f"{name} expects a positive {what}, but got {r}", "factor-positive")
    *lead, c, h, w = shape
    if unshuffle:
        for dim, size, word in ((-2, h, "height"), (-1, w, "width")):
            if size % r:
                raise err(f"pixel_unshuffle expects {word} to be divisible by downscale_factor, but "
                          f"input.size({dim})={size} is not divisible by {r}", "spatial-divisible")
        return (*lead, c * r * r, h // r, w // r)
    if r > INT64_MAX // r:
        raise err(f"upscale factor is too large, (upscale_factor)^2 overflowed: upscale_factor={r}", "factor-overflow")
    if c % (r * r):
        raise err(f"pixel_shuffle expects its input's 'channel' dimension to be divisible by the square of "
                  f"upscale_factor, but input.size(-3)={c} is not divisible by {r * r}", "channel-divisible")
    return (*lead, c // (r * r), h * r, w * r)


def _tf_shuffle(shape: tuple[int, ...], r: int, unshuffle: bool, data_format: str) -> tuple[int, ...]:
    """``tf.nn.depth_to_space`` / ``space_to_depth`` (tensorflow/core/kernels/depthtospace_op.cc,
    spacetodepth_op.cc; block_size >= 2 from the op registration, array_ops.cc)."""
    err = lambda msg, rule: ShapeError(msg, framework="tf", rule=rule,  # noqa: E731
                                       values={"input": list(shape), "factor": r})
    if r < 2:
        raise err(f"Value for attr 'block_size' of {r} must be at least minimum 2", "factor-positive")
    if len(shape) != 4:
        raise err(f"Input rank should be{'' if unshuffle else ':'} 4 instead of{'' if unshuffle else ':'} "
                  f"{len(shape)}", "rank")
    n, c, h, w = shape if data_format == "NCHW" else (shape[0], shape[3], shape[1], shape[2])
    if unshuffle:
        if h % r or w % r:
            raise err(f"Image width {w} and height {h} should be divisible by block_size: {r}", "spatial-divisible")
        c, h, w = c * r * r, h // r, w // r
    else:
        if c % (r * r):
            raise err(f"Input depth dimension {c} should be divisible by: {r * r}", "channel-divisible")
        c, h, w = c // (r * r), h * r, w * r
    return (n, c, h, w) if data_format == "NCHW" else (n, h, w, c)


def _keras_shuffle(shape: tuple[int, ...], r: int, unshuffle: bool, data_format: str) -> tuple[int, ...]:
    """``keras.ops.depth_to_space`` / ``space_to_depth`` (keras 3.15, keras/src/ops/nn.py): ``block_size >= 2``
    in the op, then ``DepthToSpace`` / ``SpaceToDepth.compute_output_spec`` when a model is built (these
    texts; an eager call reaches tf.nn's kernel and its texts instead). channels_first runs on the CPU
    too: the TF backend transposes around tf.nn's NHWC op."""
    name = "space_to_depth" if unshuffle else "depth_to_space"
    err = lambda msg, rule: ShapeError(msg, framework="keras", rule=rule,  # noqa: E731
                                       values={"input": list(shape), "factor": r})
    if r < 2:
        raise err(f"`block_size` must be at least 2. Received: block_size={r}", "factor-positive")
    if len(shape) != 4:
        raise err(f"`{name}` requires a 4D input tensor. Received: x.shape={shape}", "rank")
    n, c, h, w = shape if data_format == "NCHW" else (shape[0], shape[3], shape[1], shape[2])
    if unshuffle:
        for size, word in ((h, "Height"), (w, "Width")):
            if size % r:
                raise err(f"{word} ({size}) must be divisible by block_size ({r}).", "spatial-divisible")
        c, h, w = c * r * r, h // r, w // r
    else:
        if c % (r * r):
            raise err(f"The number of channels ({c}) must be divisible by block_size**2 ({r * r}).",
                      "channel-divisible")
        c, h, w = c // (r * r), h * r, w * r
    return (n, c, h, w) if data_format == "NCHW" else (n, h, w, c)


def _onnx_shuffle(shape: tuple[int, ...], r: int, unshuffle: bool) -> tuple[int, ...]:
    """ONNX ``DepthToSpace`` / ``SpaceToDepth`` on NCHW: onnx 1.23's shape inference checks the
    blocksize and the rank (onnx/defs/tensor/defs.cc), onnxruntime 1.31 the divisibility when it runs
    (core/providers/cpu/tensor/space_depth_ops.h ``InputValidationsAndOutputDimsCalc``, height before
    width); the texts are theirs, with the values added. blocksize 1 is allowed."""
    err = lambda msg, rule: ShapeError(msg, framework="onnx", rule=rule,  # noqa: E731
                                       values={"input": list(shape), "factor": r})
    if r <= 0:
        raise err("Blocksize must be positive", "factor-positive")
    if len(shape) != 4:
        raise err(f"Input tensor must be 4-dimensional, but got rank {len(shape)}", "rank")
    n, c, h, w = shape
    if unshuffle:
        for size, word in ((h, "height"), (w, "width")):
            if size % r:
                raise err(f"SpaceToDepth requires input {word} to be a multiple of block_size, but got {word} {size} "
                          f"and block_size {r}", "spatial-divisible")
        return (n, c * r * r, h // r, w // r)
    if c % (r * r):
        raise err(f"DepthToSpace requires input depth to be a multiple of (block_size * block_size), but got depth {c} "
                  f"and block_size {r}", "channel-divisible")
    return (n, c // (r * r), h * r, w * r)


def _recipe_1d(fw: str, shape: tuple[int, ...], r: int, unshuffle: bool) -> tuple[int, ...]:
    """The 1-D sub-pixel recipes of seed 004, reshape-based, exactly as their code runs.

    tf, (N, W, C): ``SubPixel1D``: ``transpose(I, [2, 1, 0])`` -> ``tf.batch_to_space(X, [r], [[0, 0]])``
    -> transpose back, so C must divide by r (BatchToSpaceND, tensorflow/core/kernels/batchtospace_op.cc);
    unshuffle is the same with ``space_to_batch`` (spacetobatch_op.cc).
    torch, (N, C, W): ``PixelShuffle1D``: ``view(N, C // r, r, W)`` -> permute -> ``view(N, C // r, r * W)``;
    unshuffle: ``view(N, C, W // r, r)`` -> permute -> ``view(N, C * r, W // r)``; a view whose element
    count differs from the input's raises.
    """
    err = lambda msg, rule: ShapeError(msg, framework=fw, rule=rule,  # noqa: E731
                                       values={"input": list(shape), "factor": r})
    layout = "(N, W, C)" if fw == "tf" else "(N, C, W)"
    if len(shape) != 3:
        raise err(f"the 1-D sub-pixel recipe takes a rank-3 {layout} tensor, but got rank {len(shape)}", "rank")
    if fw == "tf":
        b, w, c = shape
        if r <= 0:
            raise err(f"All values in block_shape must be positive, got value, {r} at index 0." if unshuffle else
                      f"Product of block sizes must be positive, got {r}", "factor-positive")
        if unshuffle:
            if w % r:
                raise err(f"padded_shape[0]={w} is not divisible by block_shape[0]={r}", "spatial-divisible")
            return (b, w // r, c * r)
        if c % r:
            raise err(f"Input batch dimension ({c}) is not divisible by product of block sizes ({r}) (SubPixel1D moves "
                      f"the channels to the batch axis)", "channel-divisible")
        return (b, w * r, c // r)
    b, c, w = shape
    if r <= 0:
        raise err(f"the 1-D recipe needs a positive factor, but got {r}", "factor-positive")
    view = (b, c, w // r, r) if unshuffle else (b, c // r, r, w)
    if math.prod(view) != b * c * w:
        raise err(f"shape '{list(view)}' is invalid for input of size {b * c * w} ("
                  + ("W" if unshuffle else "C") + f"={w if unshuffle else c} is not divisible by {r})",
                  "spatial-divisible" if unshuffle else "channel-divisible")
    return (b, c * r, w // r) if unshuffle else (b, c // r, w * r)


def _pixel_shuffle(input: ShapeArg, factor: int, data_format: str | None, framework: str,
                   unshuffle: bool) -> PixelShuffleResult:
    fw = _framework(framework, "pixel shuffle", "pixel unshuffle" if unshuffle else "pixel shuffle")
    shape = tensor_shape(input)
    if isinstance(factor, bool) or not isinstance(factor, int):
        factor = per_axis(factor, "factor", 1)[0]
    fmt = (data_format or ("NHWC" if fw in ("tf", "keras") else "NCHW")).upper()
    if fmt not in DATA_FORMATS:
        raise ShapeError(f"data_format must be one of {', '.join(DATA_FORMATS)}, but got {data_format!r}",
                         rule="bad-shape", values={"data_format": data_format})
    if (fw, fmt) not in LAYERS:
        hint = {"torch": "NCHW (F.pixel_shuffle), or NCW for the 1-D recipe",
                "tf": "NHWC or NCHW (tf.nn.depth_to_space), or NWC for the 1-D recipe",
                "onnx": "NCHW (DepthToSpace / SpaceToDepth)",
                "keras": "NHWC (channels_last) or NCHW (channels_first)"}[fw]
        raise ShapeError(f"{fw} has no pixel shuffle in {fmt}: use {hint}", framework=fw, rule="data-format",
                         values={"data_format": fmt})
    warnings: list[str] = []
    notes: list[str] = []
    if fmt in ("NCW", "NWC"):
        out = _recipe_1d(fw, shape, factor, unshuffle)
    elif fw == "torch":
        out = _torch_shuffle(shape, factor, unshuffle)
        if unshuffle and 0 in shape:  # PixelShuffle.cpp pixel_unshuffle_cpu: numel() == 0 -> self.clone()
            warnings.append(f"torch's CPU pixel_unshuffle returns an empty input unchanged, shape "
                            f"{'x'.join(map(str, shape))} (the meta device and other backends give "
                            f"{'x'.join(map(str, out))})")
            out = shape
        if len(shape) > 4:
            notes.append(f"torch keeps the {len(shape) - 3} leading dimensions and shuffles the last three (C, H, W)")
        elif len(shape) == 3:
            notes.append("a 3-D input is one unbatched (C, H, W) image in torch")
    elif fw == "keras":
        out = _keras_shuffle(shape, factor, unshuffle, fmt)
    elif fw == "onnx":
        out = _onnx_shuffle(shape, factor, unshuffle)
        if not unshuffle:
            notes.append("DepthToSpace mode DCR (the default; tf.nn.depth_to_space's channel order) and CRD "
                         "(torch's pixel_shuffle order) give the same shape")
    else:
        out = _tf_shuffle(shape, factor, unshuffle, fmt)
        if fmt == "NCHW":
            warnings.append(f"tf.nn.{_shuffle_words(unshuffle)['depth_to_space']} runs NCHW only on a GPU: on the "
                            f"CPU it fails with 'Could not find device for node'")
    rank = len(shape)
    channel_axis = {"NCHW": rank - 3, "NHWC": 3, "NCW": 1, "NWC": 2}[fmt]
    spatial = {"NCHW": (rank - 2, rank - 1), "NHWC": (1, 2), "NCW": (2,), "NWC": (1,)}[fmt]
    op = f"pixel-{'un' if unshuffle else ''}shuffle{len(spatial)}d"
    warnings.extend(empty_warning(i, fw) for i, a in enumerate(spatial) if out[a] == 0 and shape[a] != 0)
    return PixelShuffleResult(op, fw, LAYERS[(fw, fmt)].format(**_shuffle_words(unshuffle)), fmt, factor, shape, out,
                              channel_axis, spatial, tuple(warnings), tuple(notes))


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
    1-D sub-pixel (seed 004): ``data_format="NWC"`` with tf is ``SubPixel1D`` (channels / r,
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
           "pixel_unshuffle", "upsample"]
