"""translate for interpolation (nearest, linear / bilinear / trilinear) between torch (``F.interpolate``) and ONNX
``Resize`` as onnxruntime runs it, to tf (``tf.image.resize`` and its raw ops, 2-D), keras (``UpSampling1D/2D/3D``,
``Resizing``) and jax (``jax.image.resize``), which resize at the size ratio only; and from tf (``tf.image.resize``),
keras (``Resizing`` with a size; ``UpSampling1D/2D/3D`` with a scale: integer factors) and jax
(``jax.image.resize``, antialias off) to all of these.

The source's output size and the step its kernel samples with come from :func:`convshape.api.resample.interpolate`
(torch's copy when the size is kept, 1 / scale_factor where the scale reaches the kernel, ONNX ``scales`` or
``sizes``). The port spells the same sampling: ``sizes`` / ``size=`` where the step is the size ratio,
``scales`` / ``scale_factor=`` (``recompute_scale_factor=False``) where it is 1 / scale and the target's output from
that scale is the source's; the coordinate mapping: torch ``nearest`` is ONNX ``asymmetric`` + ``floor``,
``nearest-exact`` ``tf_half_pixel_for_nn`` + ``floor`` or ``half_pixel`` + ``round_prefer_ceil``, linear modes
``half_pixel`` or ``align_corners`` (onnx/defs/tensor/defs.cc Resize). Nearest picks one input cell per output
cell in float32 arithmetic, differently in each framework (aten/src/ATen/native/UpSample.h ``nearest_idx`` /
``nearest_neighbor_exact_compute_source_index``: ``floor(j * step)``; onnxruntime upsamplebase.h: ``j / scale``
with ``scale = out / in``; TF ``tf_indices``, jax ``jax_indices``, keras UpSampling's repeat ``j // factor``): the
port is exact only where the emulated index maps agree on every output cell. The tf / keras / jax sources sample
linear modes with half-pixel centers at the size ratio (ONNX ``half_pixel``, torch ``align_corners=False``).
Bicubic (2-D, torch ``bicubic`` <-> ONNX ``cubic`` with cubic_coeff_a=-0.75, exclude_outside=0) ports as the linear
modes do, and to jax as ``"bicubic-pytorch"``; TF's and Keras's bicubic are never exact (see ``_to_tf_jax``).
"""

from __future__ import annotations

import math
from typing import Any, NamedTuple

from convshape.api.translate import Exactness, Step
from convshape.errors import Rule, ShapeError
from convshape.params import IntArg
from convshape.rules.resample import float32

FRAMEWORKS = ("torch", "onnx", "onnxruntime")
#: frameworks an interpolation is ported from: their own rules give the output size and the step
SOURCES = (*FRAMEWORKS, "tf", "keras", "jax")
LINEAR = {1: "linear", 2: "bilinear", 3: "trilinear"}
#: ONNX Resize's cubic as torch's bicubic samples: Keys' kernel with A = -0.75 (aten/src/ATen/native/UpSample.h
#: ``cubic_convolution1`` / ``cubic_convolution2``, A = -0.75 in ``get_cubic_upsample_coefficients``), the four taps
#: read with their indices clamped to the input (``upsample_get_value_bounded``) as onnxruntime does with
#: exclude_outside=0 (onnxruntime/core/providers/cpu/tensor/upsample.cc ``ResizeBiCubic``: ``GetCubicCoeffs``,
#: ``GetDataForCoordinate`` clamps)
CUBIC_ONNX: tuple[tuple[str, object], ...] = (("cubic_coeff_a", -0.75), ("exclude_outside", 0))


class Resize(NamedTuple):
    """The source interpolation, per spatial axis."""

    op: str
    framework: str
    mode: str  # as the source names it
    kind: str  # "nearest" / "linear"
    transform: str  # ONNX's coordinate_transformation_mode it samples with
    rounding: str | None  # ONNX's nearest_mode (nearest)
    align_corners: bool
    input: tuple[int, ...]
    output: tuple[int, ...]
    step: tuple[float, ...]
    scale: tuple[float, ...] | None
    padding: str = "-"
    pool: str = ""

    @property
    def ndim(self) -> int:
        return len(self.input)

    def to_dict(self) -> dict[str, Any]:
        return {"op": self.op, "framework": self.framework, "mode": self.mode, "align_corners": self.align_corners,
                "coordinate_transformation_mode": self.transform, "nearest_mode": self.rounding,
                "input": list(self.input), "output": list(self.output), "step": list(self.step),
                "scale": None if self.scale is None else list(self.scale)}


def _f(v: float) -> float:
    return float32(v)


def torch_indices(mode: str, size: int, output: int, step: float) -> tuple[int, ...]:
    """torch's nearest input cell per output cell: ``floor(j * step)`` (nearest) or ``floor((j + 0.5) * step)``
    (nearest-exact), float32, clamped to the input."""
    s = _f(step)
    if mode == "nearest":
        return tuple(min(math.floor(_f(_f(j) * s)), size - 1) for j in range(output))
    return tuple(min(math.floor(_f(_f(j + 0.5) * s)), size - 1) for j in range(output))


def ort_indices(transform: str, rounding: str, size: int, output: int, scale: float) -> tuple[int, ...]:
    """onnxruntime's nearest input cell: the transformed coordinate in float32 (``scale``: out / in, float32), then
    nearest_mode, clamped to the input."""
    s = _f(scale)
    found = []
    for j in range(output):
        if transform == "asymmetric":
            x = _f(_f(j) / s)
        elif transform == "half_pixel":
            x = _f(_f(_f(j + 0.5) / s) - 0.5)
        elif transform == "tf_half_pixel_for_nn":
            x = _f(_f(j + 0.5) / s)
        else:  # align_corners
            x = 0.0 if output == 1 else _f(_f(_f(j) * _f(size - 1)) / _f(output - 1))
        if rounding == "floor":
            v = math.floor(x)
        elif rounding == "ceil":
            v = math.ceil(x)
        elif x == math.floor(x) + 0.5:
            v = math.floor(x) if rounding == "round_prefer_floor" else math.ceil(x)
        else:
            v = round(x)
        found.append(max(0, min(v, size - 1)))
    return tuple(found)


def resolve(op: str, framework: str, input: IntArg, size: IntArg, scale: Any, mode: str | None,
            align_corners: bool | None) -> Resize:
    from convshape.api.resample import interpolate
    from convshape.params import axis_count, per_axis

    if framework not in SOURCES:
        raise ShapeError(f"translate writes interpolation ports from torch, onnx / onnxruntime, tf, keras and jax, "
                         f"not from {framework}", rule=Rule.OPTION_NOT_APPLICABLE, values={"framework": framework})
    ins = per_axis(input, "input", axis_count(input, size))
    n = len(ins)
    res = interpolate(ins, size, scale, mode, align_corners, None, False, framework=framework, ndim=n)
    if any(a.output < 1 for a in res.axes):
        raise ShapeError(f"{framework} gives an empty output; there is nothing to port", framework=framework,
                         rule=Rule.OUTPUT_TOO_SMALL, values={"output": [a.output for a in res.axes]})
    m = res.mode
    ac = bool(res.align_corners)
    if m in ("nearest", "nearest-exact"):
        kind = "nearest"
        if framework == "torch":
            transform, rounding = ("asymmetric", "floor") if m == "nearest" else ("half_pixel", "round_prefer_ceil")
        elif framework == "keras" and scale is not None:  # UpSampling: keras.ops.repeat, cell j // factor
            transform, rounding = "asymmetric", "floor"
        elif framework in ("tf", "keras", "jax"):  # half-pixel centers, floor (the float32 details: *_indices)
            transform, rounding = "tf_half_pixel_for_nn", "floor"
        else:
            transform, rounding = ("align_corners" if ac else "half_pixel"), "round_prefer_floor"
    elif m in ("linear", "bilinear", "trilinear"):
        kind, rounding = "linear", None
        transform = "align_corners" if ac else "half_pixel"
    elif m in ("bicubic", "cubic") and framework in FRAMEWORKS:
        # torch upsample_bicubic2d / ONNX Resize cubic with its defaults (cubic_coeff_a=-0.75, exclude_outside=0)
        kind, rounding = "cubic", None
        transform = "align_corners" if ac else "half_pixel"
    else:
        raise ShapeError(f"translate writes nearest, linear and (torch / ONNX) cubic interpolation ports so far, "
                         f"not mode {m!r} from {framework}",
                         rule=Rule.OPTION_NOT_APPLICABLE, values={"mode": m})
    steps = tuple(float(a.source_step or 0.0) for a in res.axes)
    scales = None if all(a.scale_used is None for a in res.axes) else tuple(
        float(a.scale_used if a.scale_used is not None else a.output / a.input) for a in res.axes)
    return Resize(op, res.framework, m, kind, transform, rounding, ac, tuple(a.input for a in res.axes),
                  tuple(a.output for a in res.axes), steps, scales)


def _same(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-12 * max(1.0, abs(a))


def _to_onnx(r: Resize) -> tuple[list[Step], str | None]:
    from convshape.rules.resample import onnxruntime_scaled_output

    n = r.ndim
    spellings: list[tuple[str, tuple[Any, ...]]] = []
    if r.transform == "align_corners" or all(_same(st, i / o) for st, i, o in zip(r.step, r.input, r.output)):
        spellings.append(("sizes", r.output))
    if r.scale is not None and all(_same(st, 1 / sc) and onnxruntime_scaled_output(i, sc) == o
                                   for st, sc, i, o in zip(r.step, r.scale, r.input, r.output)):
        spellings.append(("scales", r.scale))
    modes: list[tuple[str, str | None]]
    if r.kind in ("linear", "cubic"):
        modes = [(r.transform, None)]
    elif r.framework == "torch" and r.mode == "nearest":
        modes = [("asymmetric", "floor")]
    elif r.framework == "torch":
        modes = [("tf_half_pixel_for_nn", "floor"), ("half_pixel", "round_prefer_ceil")]
    else:  # the source's own mapping first, then the others whose cells might agree
        modes = list(dict.fromkeys([(r.transform, r.rounding), ("tf_half_pixel_for_nn", "floor"),
                                    ("asymmetric", "floor"), ("half_pixel", "round_prefer_ceil")]))
    for key, values in spellings:
        for transform, rounding in modes:
            if r.kind == "nearest":
                ratios = [o / i if key == "sizes" else v for o, i, v in zip(r.output, r.input, values)]
                if any(want != ort_indices(transform, rounding or "", i, o, q)
                       for want, i, o, q in zip(_source_indices(r), r.input, r.output, ratios)):
                    continue
            params: list[tuple[str, object]] = [("mode", r.kind), ("coordinate_transformation_mode", transform)]
            if rounding:
                params.append(("nearest_mode", rounding))
            if r.kind == "cubic":
                params += CUBIC_ONNX
            full = (1, 1, *values) if key == "scales" else ("N", "C", *values)
            params.append((key, tuple(float(v) for v in full) if key == "scales" else full))
            return [Step("layer", "Resize", tuple(params))], None
    why = ("no ONNX Resize (sizes or scales, coordinate_transformation_mode, nearest_mode) samples the same cells as "
           f"{r.framework}'s {r.mode}: " + (
               "onnxruntime's float32 coordinates pick other input cells" if spellings else
               f"the step {r.framework} samples with is neither the size ratio nor 1 / a scale giving the same "
               "output in onnxruntime"))
    del n
    params = [("mode", r.kind), ("coordinate_transformation_mode", modes[0][0])]
    if modes[0][1]:
        params.append(("nearest_mode", modes[0][1]))
    if r.kind == "cubic":
        params += CUBIC_ONNX
    params.append(("sizes", ("N", "C", *r.output)))
    return [Step("layer", "Resize", tuple(params))], why


def _to_torch(r: Resize) -> tuple[list[Step], str | None]:
    from convshape.api.resample import interpolate

    n = r.ndim
    if r.kind == "linear":
        modes: list[tuple[str, bool | None]] = [(LINEAR[n], r.transform == "align_corners")]
    elif r.kind == "cubic":
        modes = [("bicubic", r.transform == "align_corners")]
    elif r.transform == "align_corners":
        modes = []
    elif r.framework in ("tf", "keras", "jax"):
        modes = [("nearest-exact", None), ("nearest", None)]
    else:
        modes = [("nearest-exact", None)]
    candidates: list[tuple[str, tuple[Any, ...]]] = [("size", r.output)]
    if r.scale is not None:
        candidates.append(("scale_factor", r.scale))
    for mode, ac in modes:
        for key, values in candidates:
            try:
                res = interpolate(r.input, values if key == "size" else None, values if key != "size" else None,
                                  mode, ac, False if key != "size" else None, False, framework="torch", ndim=n)
            except ShapeError:
                continue
            if tuple(a.output for a in res.axes) != r.output:
                continue
            steps = [float(a.source_step or 0.0) for a in res.axes]
            if r.kind != "nearest" and not ac and not all(_same(a, b) for a, b in zip(steps, r.step)):
                continue
            if r.kind == "nearest" and any(torch_indices(mode, i, o, st) != want for i, o, st, want in
                                           zip(r.input, r.output, steps, _source_indices(r))):
                continue
            params: list[tuple[str, object]] = [(key, tuple(values)), ("mode", mode)]
            if ac is not None:
                params.append(("align_corners", ac))
            if key == "scale_factor":
                params.append(("recompute_scale_factor", False))
            return [Step("layer", "F.interpolate", tuple(params))], None
    why = ("no torch F.interpolate samples the same cells as "
           + (f"onnxruntime's Resize ({r.mode}, {r.transform}" + (f", {r.rounding}" if r.rounding else "") + ")"
              if r.framework in FRAMEWORKS else f"{r.framework}'s {r.mode}")
           + (": torch's nearest modes have no align_corners" if r.kind == "nearest" and r.transform ==
              "align_corners" else ""))
    if r.kind == "nearest" and r.transform != "align_corners":
        for axis, (i, o, theirs) in enumerate(zip(r.input, r.output, _source_indices(r))):
            q = o / i if r.scale is None else r.scale[axis]
            ours = torch_indices("nearest-exact", i, o, i / o if r.scale is None else 1 / q)
            diff = [j for j in range(o) if theirs[j] != ours[j]]
            if diff:
                j = diff[0]
                why += (f": on axis {axis} output cell {j} reads input cell {theirs[j]} in {r.framework}, "
                        f"{ours[j]} in torch's nearest-exact"
                        + (" (a tie rounded the other way)" if r.framework in FRAMEWORKS else ""))
                break
    mode_name = LINEAR[n] if r.kind == "linear" else "bicubic" if r.kind == "cubic" else "nearest-exact"
    return [Step("layer", "F.interpolate", (("size", r.output), ("mode", mode_name)))], why


def tf_indices(half_pixel: bool, size: int, output: int) -> tuple[int, ...]:
    """TF's nearest cell (tensorflow/core/kernels/image/resize_nearest_neighbor_op.cc with CalculateResizeScale:
    ``scale = in / (float) out``): ``floor((j + 0.5) * scale)`` (half_pixel_centers) or ``floor(j * scale)``,
    float32, clamped."""
    s = _f(size / output)
    return tuple(min(math.floor(_f(_f(j + 0.5 if half_pixel else j) * s)), size - 1) for j in range(output))


def jax_indices(size: int, output: int) -> tuple[int, ...]:
    """jax.image.resize's nearest cell (jax/_src/image/scale.py ``_resize_nearest``): ``floor((j + 0.5) * in / out)``
    in float32, an axis whose size is kept untouched."""
    if size == output:
        return tuple(range(output))
    return tuple(math.floor(_f(_f(_f(j + 0.5) * size) / output)) for j in range(output))


def _source_indices(r: Resize) -> list[tuple[int, ...]]:
    """The input cell the source's nearest reads per output cell, per axis."""
    if r.framework == "torch":
        return [torch_indices(r.mode, i, o, st) for i, o, st in zip(r.input, r.output, r.step)]
    if r.framework == "jax":
        return [jax_indices(i, o) for i, o in zip(r.input, r.output)]
    if r.framework == "keras" and r.transform == "asymmetric":
        # keras/src/layers/reshaping/up_sampling2d.py _resize_images: ops.repeat by the integer factor
        return [tuple(j // (o // i) for j in range(o)) for i, o in zip(r.input, r.output)]
    if r.framework in ("tf", "keras"):  # tf.image.resize (keras Resizing: ops.image.resize, tf backend)
        return [tf_indices(True, i, o) for i, o in zip(r.input, r.output)]
    return [ort_indices(r.transform, r.rounding or "", i, o, o / i if r.scale is None else sc)
            for i, o, sc in zip(r.input, r.output, r.scale or r.output)]


def _to_tf_jax(r: Resize, target: str) -> tuple[list[Step], str, str | None]:
    """tf: ``tf.image.resize`` (bilinear: half_pixel; nearest: half-pixel centers), ``tf.raw_ops.ResizeBilinear``
    with align_corners, ``tf.raw_ops.ResizeNearestNeighbor`` without half-pixel centers (torch's ``nearest``);
    NHWC, 2-D only, always at the size ratio; bicubic is inexact (TF's weights come from a 1024-step table; with
    half-pixel centers its cubic is A = -0.5), the closest port ``tf.raw_ops.ResizeBicubic`` with align_corners (A =
    -0.75, clamped taps) or ``tf.image.resize(method="bicubic")``. jax: ``jax.image.resize`` (half_pixel only,
    antialias off; NCHW; bicubic as ``"bicubic-pytorch"``: jax/_src/image/scale.py ``_fill_opencv_cubic_kernel``, A =
    -0.75 with edge padding)."""
    n = r.ndim
    ratio = r.transform == "align_corners" or all(_same(st, i / o) for st, i, o in zip(r.step, r.input, r.output))
    wanted = _source_indices(r) if r.kind == "nearest" else []
    why = None
    size = list(r.output)
    if target == "tf":
        if n != 2:
            why = f"tf.image.resize resizes 2-D images, not {n}-D"
        if r.kind == "cubic":
            # tensorflow/core/kernels/image/resize_bicubic_op.cc GetCoeffsTable: A = -0.5 (Keys) with half-pixel
            # centers; the legacy sampling (half_pixel_centers=False, align_corners) uses A = -0.75 and clamps the
            # taps as torch does, but both read the weights from a 1024-step table: never within 1e-5 of torch
            if r.transform == "align_corners":
                step = Step("layer", "tf.raw_ops.ResizeBicubic", (("size", r.output), ("align_corners", True),
                                                                  ("half_pixel_centers", False)))
                why = why or ("TF's bicubic weights come from a table of the cubic at 1024 steps (resize_bicubic_op.cc "
                              "GetCoeffsTable, kTableSize), not the cubic itself: values differ from "
                              f"{r.framework}'s by up to about 1e-3 (observed with TF 2.21)")
            else:
                step = Step("layer", "tf.image.resize", (("size", r.output), ("method", "bicubic")))
                why = why or (f"tf.image.resize's bicubic (half-pixel centers) is Keys' cubic with A = -0.5 "
                              f"(resize_bicubic_op.cc GetCoeffsTable), {r.framework}'s A = -0.75; TF's A = -0.75 "
                              f"sampling (half_pixel_centers=False) has no half-pixel offset")
        elif r.kind == "linear":
            step = (Step("layer", "tf.raw_ops.ResizeBilinear", (("size", r.output), ("align_corners", True),
                                                                ("half_pixel_centers", False)))
                    if r.transform == "align_corners" else
                    Step("layer", "tf.image.resize", (("size", r.output), ("method", "bilinear"))))
        else:
            half = tuple(tf_indices(True, i, o) for i, o in zip(r.input, r.output)) == tuple(wanted)
            legacy = tuple(tf_indices(False, i, o) for i, o in zip(r.input, r.output)) == tuple(wanted)
            step = (Step("layer", "tf.image.resize", (("size", r.output), ("method", "nearest"))) if half or not legacy
                    else Step("layer", "tf.raw_ops.ResizeNearestNeighbor", (
                        ("size", r.output), ("align_corners", False), ("half_pixel_centers", False))))
            if not (half or legacy):
                why = why or "TF's nearest (float32 cells, half-pixel centers or not) picks other input cells"
        if step.name == "tf.image.resize":
            call = f"tf.image.resize(x, {size}, method={step.param('method')!r})"
        else:
            extra = ", ".join(f"{k}={v!r}" for k, v in step.params if k != "size")
            call = f"{step.name}(images=x, size={size}, {extra})"
        code = "\n".join(["import tensorflow as tf", f"y = {call}"])
    else:
        if r.transform == "align_corners":
            why = "jax.image.resize has no align_corners (half_pixel only)"
        elif r.kind == "nearest" and tuple(jax_indices(i, o) for i, o in zip(r.input, r.output)) != tuple(wanted):
            why = "jax.image.resize's nearest (floor((j + 0.5) * in / out) in float32) picks other input cells"
        method = {"linear": "linear", "cubic": "bicubic-pytorch"}.get(r.kind, "nearest")
        step = Step("layer", "jax.image.resize", (("shape", ("N", "C", *r.output)), ("method", method),
                                                  ("antialias", False)))
        code = "\n".join(["import jax", f"y = jax.image.resize(x, (*x.shape[:2], {', '.join(map(str, size))}), "
                                         f"method={method!r}, antialias=False)"])
    if why is None and not ratio:
        why = (f"{target} resizes at the size ratio; {r.framework} samples with another step "
               f"({', '.join(f'{st:.6g}' for st in r.step)} input cells per output cell)")
    return [step], code, why


def _to_keras(r: Resize) -> tuple[list[Step], str, str | None]:
    """keras (channels_last): ``UpSampling1D/2D/3D(size=factors)`` for nearest at integer factors (its nearest is
    ``ops.repeat``: cell ``j // factor``, keras/src/layers/reshaping/up_sampling2d.py ``_resize_images``), else
    ``keras.layers.Resizing(height, width, interpolation=...)`` (2-D; ``ops.image.resize``, which the TF backend runs
    as ``tf.image.resize``: half-pixel centers, at the size ratio). Keras has no align_corners and resizes linearly
    in 2-D only (UpSampling1D / 3D repeat)."""
    n = r.ndim
    name = f"UpSampling{n}D"
    factors = tuple(o // i for i, o in zip(r.input, r.output))
    ratio = r.transform == "align_corners" or all(_same(st, i / o) for st, i, o in zip(r.step, r.input, r.output))
    why = None
    if r.kind == "nearest" and all(o % i == 0 for i, o in zip(r.input, r.output)) and _source_indices(r) == [
            tuple(j // f for j in range(o)) for f, o in zip(factors, r.output)]:
        size: object = factors[0] if n == 1 else factors
        params: tuple[tuple[str, object], ...] = (("size", size),) + (
            (("interpolation", "nearest"),) if n == 2 else ())
        step = Step("layer", f"keras.layers.{name}", params)
        args = ", ".join(f"{k}={v!r}" for k, v in params)
        return [step], "\n".join(["import keras", f"y = keras.layers.{name}({args})(x)"]), None
    method = {"linear": "bilinear", "cubic": "bicubic"}.get(r.kind, "nearest")
    if n != 2:
        why = (f"keras resizes {n}-D data only by repeating cells (UpSampling{n}D, nearest at integer factors)"
               + (": the source interpolates linearly" if r.kind == "linear" else
                  ": the source's nearest reads other cells"))
    elif r.transform == "align_corners":
        why = "keras has no align_corners (keras.layers.Resizing and UpSampling2D sample half-pixel centers)"
    elif r.kind == "cubic":
        why = (f"keras's bicubic (Resizing: ops.image.resize, tf.image.resize on the TF backend) is Keys' cubic with "
               f"A = -0.5 (tensorflow/core/kernels/image/resize_bicubic_op.cc GetCoeffsTable), {r.framework}'s "
               f"A = -0.75")
    elif r.kind == "nearest" and tuple(tf_indices(True, i, o) for i, o in zip(r.input, r.output)) != tuple(
            _source_indices(r)):
        why = "keras's nearest (ops.image.resize: tf.image.resize's float32 half-pixel cells, or a repeat) picks " \
              "other input cells"
    elif not ratio:
        why = (f"keras resizes at the size ratio; {r.framework} samples with another step "
               f"({', '.join(f'{st:.6g}' for st in r.step)} input cells per output cell)")
    step = Step("layer", "keras.layers.Resizing", (("height", r.output[0]), ("width", r.output[-1]),
                                                   ("interpolation", method)))
    code = "\n".join(["import keras", f"y = keras.layers.Resizing({r.output[0]}, {r.output[-1]}, "
                                      f"interpolation={method!r})(x)"])
    return [step], code, why


def translate_resize(r: Resize, target: str) -> tuple[tuple[Step, ...], str, str | None]:
    """(steps, code, the reason it is inexact or None)."""
    if target in ("tf", "jax"):
        steps, code, why = _to_tf_jax(r, target)
        return tuple(steps), code, why
    if target == "keras":
        steps, code, why = _to_keras(r)
        return tuple(steps), code, why
    if target not in FRAMEWORKS:
        raise ShapeError(f"translate writes interpolation ports to torch, onnx / onnxruntime, tf, keras and jax, "
                         f"not to {target}", rule=Rule.OPTION_NOT_APPLICABLE, values={"framework": target})
    if target == "torch":
        steps, why = _to_torch(r)
        args = ", ".join(f"{k}={v!r}" for k, v in steps[0].params)
        code = "\n".join(["import torch.nn.functional as F", f"y = F.interpolate(x, {args})"])
        return tuple(steps), code, why
    steps, why = _to_onnx(r)
    p = dict(steps[0].params)
    attrs = ", ".join(f"{k}={v!r}" for k, v in steps[0].params if k not in ("sizes", "scales"))
    if "scales" in p:
        inputs, init = "['x', '', 'scales']", f"numpy_helper.from_array(np.array({list(p['scales'])}, np.float32), " \
                                               f"'scales')"
    else:
        inputs = "['x', '', '', 'sizes']"
        init = (f"numpy_helper.from_array(np.array([x.shape[0], x.shape[1], "
                f"{', '.join(str(v) for v in p['sizes'][2:])}], np.int64), 'sizes')")
    code = "\n".join(["import numpy as np", "from onnx import helper, numpy_helper",
                      f"nodes = [helper.make_node('Resize', {inputs}, ['y'], {attrs})]",
                      f"initializers = [{init}]"])
    return tuple(steps), code, why


EVERY = Exactness(False, (), (), None, "this input size (the sampling depends on the sizes)")
