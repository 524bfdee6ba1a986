"""Keras: every op family's rules as this framework applies them, with their sources."""

from __future__ import annotations

import math
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from itertools import repeat
from operator import eq, sub, truediv
from typing import Any

from convshape import rules
from convshape.rules.unpool import adaptive_window
from convshape.rules.resample import float32
from convshape.errors import Rule, ShapeError
from convshape.frameworks.base import (AdaptiveRules, ConvRules, Framework, Pad, PoolRules, ResampleRules,
                                       geometric_pads, torch_adaptive_windows)
from convshape.model import (AdaptiveWindows, AxisSpec, Counted, IntRuns, Resampled, TransposeOption, TransposedAxis,
                             TransposeOptions, Window, WindowArrays)
from convshape.frameworks.tf import CONV as TF_CONV
from convshape.frameworks.tf import ONEDNN_ON, eigen_transposed_dilation



def _clip_tail(values: array[int], limit: int) -> None:
    """``min(v, limit)`` for every value of a nondecreasing array: only a tail can exceed ``limit``."""
    cut = bisect_right(values, limit)
    values[cut:] = array("q", repeat(limit, len(values) - cut))


def keras_window_arrays(size: int, output: int) -> WindowArrays:
    """Keras 3.15's adaptive windows on the TensorFlow backend, in its own float32 arithmetic,
    every window at once (:class:`~convshape.model.WindowArrays`), or its GatherV2 error.

    keras/src/backend/tensorflow/nn.py ``_compute_static_gather_indices`` computes
    ``start = floor(f32(o) * f32(size) / f32(output))``, ``end = ceil(f32(o + 1) * f32(size) / f32(output))``
    in float32 (each operation rounded to float32; double arithmetic rounded to float32 is exact
    here), clips ``end <= size`` and ``start <= size - 1``, then gathers from two VALID pools of
    stride 1 with windows ``small = ceil(size / output)`` and ``big = small + 1``
    (backend_utils.py ``compute_adaptive_pooling_window_sizes``): window ``o`` is ``big`` cells
    if ``end - start == big``, else ``small``. Equal to torch's windows while ``o * size`` is
    exact in float32; beyond that (e.g. size 389893, output 49) windows shift by a cell.
    Confirmed on keras 3.15.1 / tensorflow-cpu 2.21 by running AdaptiveAveragePooling1D.
    """
    small = math.ceil(size / output)  # Python double, as keras computes it
    big = small + 1
    small_len, big_len = size - small + 1, size - big + 1
    top = small_len + big_len
    # float32 rounding of every bound at once, each pass a map in C: array('f') stores each double
    # as the nearest float32 (the product of two float32 values is exact in a double, and a float32
    # quotient computed in double and rounded is the float32 quotient)
    fs, fn = float32(size), float32(output)
    ticks: Sequence[float | int] = range(output + 1)  # f32(o) is o itself up to 2**24
    if output > 1 << 24:
        ticks = array("f", ticks)
    bounds = array("f", map(fs.__mul__, ticks))  # f32(f32(o) * f32(size))
    bounds = array("f", map(truediv, bounds, repeat(fn)))
    starts = array("q", map(math.floor, bounds))
    ends = array("q", map(math.ceil, bounds))
    # rounding is monotonic, so the bounds never fall: each clip acts on a tail found by bisection
    _clip_tail(starts, size - 1)
    _clip_tail(ends, size)
    del starts[-1], ends[0]
    # tf.gather into [small pool, big pool]: index start + small_len when end - start == big, else start
    larger = bytearray(map(eq, map(sub, ends, starts), repeat(big)))
    del ends
    # the first index outside both pools: a larger window starting at big_len or beyond, or a
    # smaller one at top or beyond (starts rise, so each is the first flag from a bisection)
    bad = [o for o in (larger.find(1, bisect_left(starts, big_len)), larger.find(0, bisect_left(starts, top)))
           if o != -1]
    if bad:
        o = min(bad)
        index = starts[o] + (small_len if larger[o] else 0)
        raise ShapeError(f"indices[{o}] = {index} is not in [0, {top}) [Op:GatherV2]",
                         framework="keras", rule=Rule.GATHER_INDEX, values={"input": size, "output": output})
    # a smaller window whose index reaches the big pool (start >= small_len) is that pool's window
    # start - small_len: a window near the input's start, so the starts no longer rise
    moved: list[int] = []
    o = larger.find(0, bisect_left(starts, small_len))
    while o != -1:
        moved.append(o)
        o = larger.find(0, o + 1)
    for o in moved:
        starts[o] -= small_len
        larger[o] = 1
    return WindowArrays(starts, larger, small, tuple(moved))


def keras_adaptive_windows(size: int, output: int) -> tuple[Window, ...]:
    """Every one of Keras's windows (:func:`keras_window_arrays`) as a tuple of ``(start, end)``."""
    return tuple(keras_window_arrays(size, output))


class Conv(ConvRules):
    name = "keras"
    title = "Keras 3 (TensorFlow backend)"
    transposed_select = "keras_output_padding"
    transposed_by_forward = True
    solve_combination_limits = "; Keras takes no stride > 1 with dilation > 1"
    default_padding = "valid"
    keywords = {"valid": "no padding; an output below 1 is an error (Keras never gives an empty output)",
                "same": "output ceil(i/s); pads as TF SAME, extra at the end",
                "same-upper": "Keras 'same' (extra at the end)",
                "causal": "Conv1D only: d*(k-1) before, 0 after"}
    transposed_keywords = {"valid": "output (i-1)*s + max(d*(k-1)+1, s) when output_padding=None",
                           "same": "output i*s when output_padding=None",
                           "same-upper": "Keras 'same'"}
    explicit = "none"  # explicit padding is a separate ZeroPaddingND layer
    explicit_transposed = "none"
    sources = {
        "conv": "keras/src/ops/operation_utils.py compute_conv_output_shape (run at build time)",
        "transposed": "keras/src/backend/common/backend_utils.py compute_conv_transpose_output_shape, "
                      "_get_output_shape_given_tf_padding; then tf.nn.conv_transpose checks the size (TF backend)",
        "checks": "keras/src/layers/convolutional/base_conv.py and base_conv_transpose.py __init__ "
                  "(strides > 1 with dilation_rate > 1; output_padding < strides)",
    }

    def check_layer(self, specs: list[AxisSpec], transposed: bool, depthwise: bool = False) -> None:
        """base_conv.py and base_conv_transpose.py refuse strides > 1 with dilation > 1 (Conv1D-3D,
        Conv1D-3DTranspose); base_depthwise_conv.py and base_separable_conv.py do not, and the
        TensorFlow backend runs them (keras/src/backend/tensorflow/nn.py ``depthwise_conv`` /
        ``separable_conv``: ``_needs_depthwise_stride_dilation_decomposition`` sends them to
        ``_depthwise_conv_stride_dilation_decomposition``, the dilated convolution at stride 1 then a
        subsample, whose sizes are the usual ones; recorded: tests/data/observed_keras_depthwise.json)."""
        strides = tuple(a.stride for a in specs)
        dilations = tuple(a.dilation for a in specs)
        if not depthwise and any(s > 1 for s in strides) and any(d > 1 for d in dilations):
            raise self.error(f"`strides > 1` not supported in conjunction with `dilation_rate > 1`. Received: "
                             f"strides={strides} and dilation_rate={dilations}", Rule.STRIDES_WITH_DILATION,
                             strides=strides, dilation_rate=dilations)

    def notes(self, specs: list[AxisSpec], pads: list[Pad], transposed: bool) -> list[str]:
        """Conv1D-3DTranspose with dilation_rate > 1 (strides 1: :meth:`check_layer`): the TF backend runs
        tf.nn.conv_transpose (keras/src/backend/tensorflow/nn.py ``conv_transpose``), whose Eigen CPU kernels
        refuse any dilation > 1 and whose oneDNN kernels run float32 (see the tf ``Conv.notes``). Conv3D with
        dilation runs on both: tensorflow/python/ops/nn_ops.py ``convolution_internal`` sends a dilated
        convolution to ``Convolution`` (space_to_batch, then an undilated conv3d), not to the Conv3D kernel
        (observed on tensorflow-cpu 2.21.0 / keras 3.15.1: tests/data/observed_tf_kernels.json)."""
        if not transposed or all(a.dilation == 1 for a in specs):
            return []
        return [f"Conv{len(specs)}DTranspose with dilation_rate > 1 fails when called on TF's Eigen CPU kernels (its "
                f"default unless oneDNN is on; every dtype): '{eigen_transposed_dilation(len(specs))}'; "
                f"with oneDNN on ({ONEDNN_ON}) float32 runs with these sizes, as GPUs do"]

    def native_pads(self, a: AxisSpec, keyword: str, transposed: bool) -> tuple[int, int]:
        if keyword == "causal":
            return geometric_pads("causal", a)
        return super().native_pads(a, keyword, transposed)

    def pads(self, a: AxisSpec, padding: Pad, transposed: bool = False, ndim: int = 2) -> tuple[int, int]:
        if padding == "causal" and (ndim != 1 or transposed):
            raise self.error("The `padding` argument must be a list/tuple or one of {'same', 'valid'}. Received: "
                             f"causal ('causal' is for Conv1D only, not {self.layer(transposed, ndim)})",
                             Rule.CAUSAL_RANK, ndim=ndim)
        return super().pads(a, padding, transposed, ndim)

    def explicit_hint(self, transposed: bool) -> str:
        return "; explicit padding is a ZeroPaddingND layer before the convolution"

    def conv_output(self, a: AxisSpec, pad_before: int, pad_after: int) -> int:
        out = rules.conv_output(a.input, a.kernel, a.stride, a.dilation, pad_before, pad_after)
        if out <= 0:
            raise self.error(f"Computed output size would be zero or negative: {out}. Received inputs shape={a.input}, "
                             f"kernel shape={a.kernel}, dilation_rate={a.dilation}, strides={a.stride}",
                             Rule.OUTPUT_TOO_SMALL, output=out)
        return out

    def transposed_fits(self, size: int, kernel: int, stride: int, dilation: int, pad_before: int, pad_after: int,
                        output_padding: int, target: int) -> bool:
        """Keras takes no explicit transposed pads: no cheap condition to check."""
        return True

    def solve_output_paddings(self, a: AxisSpec, padding: str, target: int,
                              choices: Sequence[int | None]) -> Sequence[int | None]:
        """output_padding p gives deconv_length(p) = deconv_length(0) + p (or is rejected), so
        only None and ``target - deconv_length(0)`` can give ``target``."""
        mode = "valid" if padding == "valid" else "same"
        wanted = target - self.deconv_length(a, mode, 0)
        return [c for c in choices if c is None or c == wanted]

    def deconv_length(self, a: AxisSpec, padding: str, output_padding: int | None) -> int:
        """keras/src/backend/common/backend_utils.py ``_get_output_shape_given_tf_padding``
        (the kernel dilated first): valid ``(i-1)*s + max(eff, s)`` or ``(i-1)*s + eff + p``;
        same ``i*s`` or ``(i-1)*s + eff % 2 + p``."""
        eff = rules.effective_kernel(a.kernel, a.dilation)
        if padding == "valid":
            full = rules.transposed_output(a.input, a.kernel, a.stride, a.dilation, 0, 0, 0)  # (i-1)*s + eff
            return full + (max(eff, a.stride) - eff if output_padding is None else output_padding)
        if output_padding is None:
            return a.input * a.stride
        return (a.input - 1) * a.stride + eff % 2 + output_padding

    def transposed(self, a: AxisSpec, padding: Pad, output_padding: int | None, output_size: int | None,
                   ndim: int, axis: int) -> TransposedAxis:
        self.pads(a, padding, transposed=True, ndim=ndim)  # rejects what Keras does not take
        tf_mode = "valid" if padding == "valid" else "same"
        if output_padding is not None and output_padding < 0:
            raise self.error(f"The `output_padding` argument must be non-negative, but got {output_padding}",
                             Rule.NEGATIVE_OUTPUT_PADDING, output_padding=output_padding)
        if output_padding is not None and output_padding >= a.stride:
            raise self.error(f"`output_padding` must be strictly less than `strides` for all dimensions. At "
                             f"dimension {axis}, `output_padding` is {output_padding} but `strides` is {a.stride}",
                             Rule.OUTPUT_PADDING, output_padding=output_padding, stride=a.stride)
        sizes, pads_of = TF_CONV.forward_valid(a, tf_mode, ndim)
        # output_padding=p gives deconv_length(p) = deconv_length(0) + p (p < stride), None its own size:
        # the sizes the forward convolution maps back are one run of the former, and maybe the latter
        lo_op = self.deconv_length(a, tf_mode, 0)
        ops_run = range(max(lo_op, sizes.start), min(lo_op + a.stride, sizes.stop))
        none_size = self.deconv_length(a, tf_mode, None)
        extra = none_size if none_size in sizes and none_size not in ops_run else None
        at_extra = 0 if not ops_run or (extra is not None and extra < ops_run.start) else len(ops_run)
        shift = 1 if extra is not None and at_extra == 0 else 0

        def option(i: int) -> TransposeOption:
            size = extra if extra is not None and i == at_extra else ops_run[i - shift]
            sel = (["output_padding=None"] if size == none_size else []) + (
                [f"output_padding={size - lo_op}"] if size in ops_run else [])
            pb, pa = pads_of(size)
            return TransposeOption(size, size - rules.transposed_output(a.input, a.kernel, a.stride, a.dilation,
                                                                        pb, pa, 0), pb, pa, " or ".join(sel))

        def index_of(o: int) -> int | None:
            if o == extra:
                return at_extra
            return o - ops_run.start + shift if o in ops_run else None

        options = TransposeOptions(len(ops_run) + (extra is not None), option, index_of)
        valid = IntRuns(sorted([ops_run] + ([range(extra, extra + 1)] if extra is not None else []),
                               key=lambda r: r.start))
        if output_size is not None:
            chosen = options.find(output_size)
            if chosen is None:
                raise self.error(f"no output_padding gives output size {output_size}; Keras gives "
                                 + ", ".join(str(o.output) for o in options[:8])
                                 + (f", ... ({len(options)} sizes, up to {options[-1].output})" if len(options) > 8
                                    else ""), Rule.OUTPUT_SIZE, output_size=output_size)
            return TransposedAxis(a.input, a.kernel, a.stride, a.dilation, chosen.pad_before, chosen.pad_after,
                                  chosen.output_padding, chosen.output, valid, options)
        size = self.deconv_length(a, tf_mode, output_padding)
        if size not in sizes:
            TF_CONV.reject_output_shape(a, tf_mode, size, ndim, axis)
        pb, pa = pads_of(size)
        op = size - rules.transposed_output(a.input, a.kernel, a.stride, a.dilation, pb, pa, 0)
        return TransposedAxis(a.input, a.kernel, a.stride, a.dilation, pb, pa, op, size, valid, options)


class Pool(PoolRules):
    name = "keras"
    title = "Keras 3 (TensorFlow backend)"
    solve_combination_limits = "; Keras takes no stride > 1 with dilation > 1"  # (solve says it for pools too)
    ops = {"max": "MaxPooling{n}D", "avg": "AveragePooling{n}D"}
    default_padding = "valid"
    keywords = {"valid": "output floor((i - k) / s) + 1, rejected when <= 0",
                "same": "output ceil(i/s), pads as TF SAME", "same-upper": "'same'"}
    explicit = "none"
    has_ceil_mode = False
    dilation_kinds = ()
    cip_default = False
    cip_choice = False
    sources = {
        "size": "keras/src/ops/operation_utils.py compute_pooling_output_shape (the layer's output shape in a model)",
        "defaults": "keras/src/layers/pooling/base_pooling.py: strides=None means pool_size",
        "average": "keras/src/backend/tensorflow/nn.py average_pool calls tf.nn.avg_pool: SAME excludes padding",
    }

    def check_values(self, kind: str, ndim: int, specs: list[AxisSpec]) -> None:
        ks = tuple(a.kernel for a in specs)
        if min(ks) < 1:
            raise self.error(f"The `pool_size` argument must be a tuple of {ndim} integers. Received pool_size={ks}, "
                             f"including values {{{min(ks)}}} that do not satisfy `value > 0`", Rule.KERNEL, kernel=ks)
        if min(a.stride for a in specs) < 1:
            raise self.error(f"strides must be positive, but got strides={tuple(a.stride for a in specs)} (Keras "
                             f"pooling does not check: it raises ZeroDivisionError: division by zero)", Rule.STRIDE,
                             stride=tuple(a.stride for a in specs))

    def pads(self, kind: str, ndim: int, axis: int, a: AxisSpec, padding: Pad) -> tuple[int, int]:
        if isinstance(padding, str) and padding not in self.keywords:
            raise self.error(f"Argument `padding` must be either 'valid' or 'same'. Received: padding={padding}",
                             Rule.PADDING_KEYWORD, padding=padding)
        if isinstance(padding, tuple):
            raise self.error(f"Argument `padding` must be either 'valid' or 'same', not numbers "
                             f"({padding[0]}:{padding[1]}); a ZeroPadding{ndim}D layer before it pads with zeros",
                             Rule.EXPLICIT_PADDING, pad_before=padding[0], pad_after=padding[1])
        return super().pads(kind, ndim, axis, a, padding)

    def check_output(self, kind: str, ndim: int, specs: list[AxisSpec], counted: list[Counted]) -> None:
        # 'same' always gives ceil(i/s) >= 1; the floor rule with SAME's pads is the same size
        if any(c.output <= 0 for c in counted):
            raise self.error("Computed output size would be zero or negative. Received: `inputs.shape=(None, "
                             + ", ".join(str(a.input) for a in specs) + ", C)`, `pool_size=("
                             + ", ".join(str(a.kernel) for a in specs) + ")`, `strides=("
                             + ", ".join(str(a.stride) for a in specs) + ")`, `padding=valid`.",
                             Rule.OUTPUT_TOO_SMALL, output=tuple(c.output for c in counted))


# ---------------------------------------------------------------------------- resampling
# UpSampling2D and Resizing: keras/src/backend/tensorflow/image.py RESIZE_INTERPOLATIONS, in its order (its error
# text prints the tuple)
MODES = ("bilinear", "nearest", "lanczos3", "lanczos5", "bicubic", "area")


class Resample(ResampleRules):
    name = "keras"
    lacks: dict[str, str] = {}
    modes = MODES
    interpolate_name = "keras UpSampling"
    shuffle_layers = {"NHWC": "keras.ops.{depth_to_space}", "NCHW": "keras.ops.{depth_to_space} (channels_first)"}
    shuffle_hint = "NHWC (channels_last) or NCHW (channels_first)"
    shuffle_format = "NHWC"
    sources = {
        "upsampling": "keras/src/layers/reshaping/up_sampling{1,2,3}d.py (keras 3.15)",
        "resizing": "keras/src/layers/preprocessing/image_preprocessing/resizing.py; "
                    "keras/src/backend/tensorflow/image.py resize",
        "pixel shuffle": "keras/src/ops/nn.py depth_to_space / space_to_depth",
    }

    def resizing(self, size_given: bool) -> bool:
        """keras.layers.Resizing takes a size; a scale is UpSampling's factor."""
        return size_given

    def default_rank(self, resizing: bool) -> int:
        return 2 if resizing else 1

    def argument_options(self, resizing: bool) -> frozenset[str]:
        return frozenset({"crop_to_aspect_ratio", "pad_to_aspect_ratio"}) if resizing else frozenset()

    def rounding(self, size: int, scale: Any, scale_used: float | None) -> tuple[str, str]:
        return f"factor {scale}", f"{size} x {scale}"

    def layer_name(self, resizing: bool) -> str:
        return "keras.layers.Resizing" if resizing else self.interpolate_name

    def check_arguments(self, size: Any, scale: Any, antialias: bool, resizing: bool) -> None:
        if size is not None and scale is not None:
            raise ShapeError("keras.layers.Resizing takes the output size (height, width), UpSampling an integer "
                             "factor (its `size` argument): give size or scale, not both", framework=self.name,
                             rule=Rule.SIZE_AND_SCALE, values={"size": size, "scale": scale})
        if antialias and not resizing:
            raise ShapeError("antialias is not an argument of keras UpSampling layers", framework=self.name,
                             rule=Rule.OPTION_UNSUPPORTED, values={"antialias": True})

    def interpolate(self, n: int, ins: tuple[int, ...], sizes: tuple[int, ...] | None,
                    scales: tuple[Any, ...] | None, scale_arg: Any, mode: str | None, align_corners: bool | None,
                    recompute: bool | None, antialias: bool, policy: str | None, crop: bool, pad: bool,
                    layer_name: str, resizing: bool, warnings: list[str], notes: list[str]) -> Resampled:
        if resizing:
            outs, mode, windows = self.resize(n, ins, sizes or (), mode, antialias, crop, pad, warnings, notes)
            return Resampled(outs, (None,) * n, scales, mode, "keras.layers.Resizing", align_corners, antialias,
                             windows)
        outs, mode, layer = self.upsampling(n, ins, scales, scale_arg, mode, notes)
        if scales is None:
            scales = (2,) * n
            notes.append(f"no scale given: keras's default {layer}(size={2 if n == 1 else (2,) * n})")
        kernel_scales = tuple(float(s) for s in scales)  # an exact integer factor
        return Resampled(outs, kernel_scales, scales, mode, f"keras.layers.{layer}", align_corners, antialias,
                         tuple((i, 0, 0) for i in ins))

    def upsampling(self, n: int, ins: tuple[int, ...], scales: tuple[Any, ...] | None, scale_arg: Any,
                   mode: str | None, notes: list[str]) -> tuple[tuple[int, ...], str, str]:
        """keras.layers.UpSampling1D/2D/3D (keras 3.15, keras/src/layers/reshaping/up_sampling{1,2,3}d.py)."""
        from convshape.rules.resample import factor_output

        if n > 3:
            raise ShapeError(f"keras has UpSampling1D, UpSampling2D and UpSampling3D, but got {n} spatial axes",
                             framework=self.name, rule=Rule.MODE_RANK, values={"axes": n})
        layer = f"UpSampling{n}D"
        factors = scales if scales is not None else (2,) * n  # keras's default size=2 / (2, 2) / (2, 2, 2)
        scalar = not isinstance(scale_arg, Sequence) or (isinstance(scale_arg, str) and "," not in scale_arg)
        shown = factors[0] if scale_arg is not None and scalar else tuple(factors)  # as keras prints it
        if n == 1:
            if not isinstance(factors[0], int):
                raise ShapeError(f"Expected an integer value for `size`, got {type(factors[0])}.", framework=self.name,
                                 rule=Rule.FACTOR_INTEGER, values={"scale": factors[0]})
            if factors[0] <= 0:
                raise ShapeError(f"Argument `size` should be a positive integer. Received: size={factors[0]}",
                                 framework=self.name, rule=Rule.FACTOR_POSITIVE, values={"scale": factors[0]})
        else:
            if not all(isinstance(f, int) for f in factors):
                raise ShapeError(f"The `size` argument must be a tuple of {n} integers. Received size={shown}",
                                 framework=self.name, rule=Rule.FACTOR_INTEGER, values={"scale": list(factors)})
            bad = {f for f in factors if f <= 0}
            if bad:
                raise ShapeError(f"The `size` argument must be a tuple of {n} integers. Received size={shown}, "
                                 f"including values {bad} that do not satisfy `value > 0`", framework=self.name,
                                 rule=Rule.FACTOR_POSITIVE, values={"scale": list(factors)})
        if n != 2 and mode == "nearest":  # given explicitly
            notes.append(f"{layer} has no interpolation argument: it always repeats (nearest), and "
                         f"{layer}(interpolation='nearest') itself raises 'Unrecognized keyword arguments'")
        mode = (mode or "nearest").lower()
        if n != 2 and mode != "nearest":
            raise ShapeError(f"Unrecognized keyword arguments passed to {layer}: {{'interpolation': {mode!r}}}",
                             framework=self.name, rule=Rule.MODE_UNSUPPORTED, values={"mode": mode})
        if n == 2 and mode not in MODES:
            raise ShapeError(f"Invalid value for argument `interpolation`. Expected of one {MODES}. "
                             f"Received: interpolation={mode}", framework=self.name, rule=Rule.MODE_UNKNOWN,
                             values={"mode": mode})
        outs = tuple(factor_output(ins[i], int(factors[i])) for i in range(n))
        if n == 2 and mode != "nearest" and any(o <= 0 for o in outs):  # ops.image.resize; nearest is ops.repeat
            raise ShapeError(f"`size` must have positive height and width. Received: size={outs}",
                             framework=self.name, rule=Rule.SIZE_POSITIVE, values={"output": list(outs)})
        return outs, mode, layer

    def resize(self, n: int, ins: tuple[int, ...], sizes: tuple[int, ...], mode: str | None, antialias: bool,
               crop: bool, pad: bool, warnings: list[str],
               notes: list[str]) -> tuple[tuple[int, ...], str, tuple[tuple[int, int, int], ...]]:
        """``keras.layers.Resizing(height, width, interpolation, crop_to_aspect_ratio, pad_to_aspect_ratio)``
        (keras 3.15.1, TF backend: keras/src/layers/preprocessing/image_preprocessing/resizing.py, then
        keras/src/backend/tensorflow/image.py ``resize``): the output is ``(height, width)``. The layer checks
        nothing when it is built (``compute_output_shape`` just copies the size); its checks run on the first
        call, in this order, and end in ``tf.image.resize`` on the cropped or padded image. Returns outputs,
        mode and each axis's :func:`keras_aspect_window`."""
        from convshape.frameworks.tf import resize_checks
        from convshape.rules.resample import keras_aspect_window

        err = self.error
        mode = mode or "bilinear"
        if mode not in MODES:
            raise err(f"Invalid value for argument `interpolation`. Expected of one {MODES}. "
                      f"Received: interpolation={mode}", Rule.MODE_UNKNOWN, mode=mode)
        if crop and pad:
            raise err("Only one of `pad_to_aspect_ratio` & `crop_to_aspect_ratio` can be `True`.", Rule.CROP_AND_PAD)
        if n != 2:  # a rank-3 tensor is one unbatched (height, width, channels) image, a rank-5 one is refused
            raise err(("Invalid images rank: expected rank 3 (single image) or rank 4 (batch of images); "
                       if n == 3 else "") + f"keras.layers.Resizing resizes 2 spatial axes (height, width), but got "
                                            f"{n}", Rule.MODE_RANK, axes=n)
        policy = "crop" if crop else "pad" if pad else None
        if policy and any(not -2 ** 63 <= o < 2 ** 63 for o in sizes):  # int32 tensor * the Python int
            raise err("Can't convert Python sequence with out-of-range integer to Tensor.", Rule.SIZE_OVERFLOW,
                      output=list(sizes))
        windows = tuple(keras_aspect_window(ins[a], ins[1 - a], sizes[a], sizes[1 - a], policy) if policy
                        else (ins[a], 0, 0) for a in range(2))
        sizes = resize_checks(self.name, [w[0] for w in windows], sizes, mode, antialias, warnings)
        if policy:
            (h, *_), (w, *_) = windows
            notes.append(f"{policy}_to_aspect_ratio: keras resizes " + (
                f"the centred {h}x{w} window (rows {-windows[0][1]}..{-windows[0][1] + h}, columns {-windows[1][1]}.."
                f"{-windows[1][1] + w}) of the input" if crop else
                f"the input padded to {h}x{w} ({windows[0][1]} rows and {windows[1][1]} columns of fill_value on each "
                f"side)") + f"; the output is still {sizes[0]}x{sizes[1]}")
        return sizes, mode, windows

    def pixel_shuffle(self, shape: tuple[int, ...], factor: int, unshuffle: bool, data_format: str,
                      warnings: list[str], notes: list[str]) -> tuple[int, ...]:
        """``keras.ops.depth_to_space`` / ``space_to_depth`` (keras 3.15, keras/src/ops/nn.py): ``block_size >= 2``
        in the op, then ``DepthToSpace`` / ``SpaceToDepth.compute_output_spec`` when a model is built (these
        texts; an eager call reaches tf.nn's kernel and its texts instead). channels_first runs on the CPU
        too: the TF backend transposes around tf.nn's NHWC op."""
        shape, r = shape, factor
        name = "space_to_depth" if unshuffle else "depth_to_space"
        def err(msg: str, rule: str) -> ShapeError:
            return ShapeError(msg, framework=self.name, rule=rule, values={"input": list(shape), "factor": r})

        if r < 2:
            raise err(f"`block_size` must be at least 2. Received: block_size={r}", Rule.FACTOR_POSITIVE)
        if len(shape) != 4:
            raise err(f"`{name}` requires a 4D input tensor. Received: x.shape={shape}", Rule.RANK)
        n, c, h, w = shape if data_format == "NCHW" else (shape[0], shape[3], shape[1], shape[2])
        if unshuffle:
            for size, word in ((h, "Height"), (w, "Width")):
                if size % r:
                    raise err(f"{word} ({size}) must be divisible by block_size ({r}).", Rule.SPATIAL_DIVISIBLE)
            c, h, w = c * r * r, h // r, w // r
        else:
            if c % (r * r):
                raise err(f"The number of channels ({c}) must be divisible by block_size**2 ({r * r}).",
                          Rule.CHANNEL_DIVISIBLE)
            c, h, w = c // (r * r), h * r, w * r
        return (n, c, h, w) if data_format == "NCHW" else (n, h, w, c)


#: at most this many candidate bounds are rounded one by one; beyond it (float32 errors of a cell or
#: more are dense there) :func:`keras_window_arrays` computes every window in bulk
KERAS_CANDIDATES = 1 << 14


def keras_window(o: int, size: int, output: int) -> Window:
    """Keras's window ``o`` alone, in the same float32 arithmetic as :func:`keras_adaptive_windows`
    (keras/src/backend/tensorflow/nn.py ``_compute_static_gather_indices``), or its GatherV2 error."""
    small = math.ceil(size / output)
    big = small + 1
    small_len, big_len = size - small + 1, size - big + 1
    fs, fn = float32(size), float32(output)
    start = min(math.floor(float32(float32(float32(o) * fs) / fn)), size - 1)
    end = min(math.ceil(float32(float32(float32(o + 1) * fs) / fn)), size)
    index = start + small_len if end - start == big else start
    if index >= small_len + big_len:
        raise ShapeError(f"indices[{o}] = {index} is not in [0, {small_len + big_len}) [Op:GatherV2]",
                         framework="keras", rule=Rule.GATHER_INDEX, values={"input": size, "output": output})
    return (index, index + small) if index < small_len else (index - small_len, index - small_len + big)


def _odd(value: int) -> int:
    return value >> ((value & -value).bit_length() - 1) if value else 0


def keras_candidate_bounds(size: int, output: int) -> list[int] | None:
    """Every bound ``b`` (0..output) whose float32 value ``Q = f32(f32(b * size) / output)`` may floor
    or ceil differently from the exact ``B = b * size / output``; None when there are more than
    :data:`KERAS_CANDIDATES` of them or ``size`` is not a float32 (above 2**24).

    With ``size`` and ``b <= output <= 2**20`` exact in float32, ``Q`` is ``B`` after two roundings
    of at most 2**-24 each (the product, the quotient), so ``|Q - B| < B * 2**-22 <= size * 2**-22``.
    ``B``'s fraction is ``k / n'`` (``g = gcd(size, output)``, ``n' = output / g``, ``s' = size / g``,
    ``k = b * s' mod n'``): floor and ceiling can move only for ``0 < k < n' * tol`` or
    ``n' - k < n' * tol`` (``b`` in one residue class mod ``n'`` per ``k``: ``g`` bounds each), or
    for ``k = 0`` when the product ``b * size`` is not a float32 (an integer ``B <= 2**24`` is one)."""
    if float32(size) != size or output > 1 << 24:
        return None
    g = math.gcd(size, output)
    n, s = output // g, size // g
    kmax = min((size * n - 1) >> 22, n - 1)  # k * 2**22 < size * n'
    count = min(2 * kmax, n - 1) if kmax >= 1 else 0
    whole = g * _odd(n * size) >= 1 << 24  # some b = j * n' has a product that is not a float32
    if count * g + (g + 1 if whole else 0) > KERAS_CANDIDATES:
        return None
    ks = sorted(set(range(1, kmax + 1)) | set(range(n - kmax, n))) if kmax >= 1 else []
    inverse = pow(s, -1, n) if n > 1 else 0
    bounds = [k * inverse % n + j * n for k in ks for j in range(g)]
    if whole:
        bounds += [j * n for j in range(g + 1)]
    return sorted(bounds)


def keras_windows(size: int, output: int) -> Sequence[Window]:
    """Keras's windows: torch's integer windows while ``output * size`` is below 2**24 (every float32
    product and quotient then rounds to the exact bound: an error would need ``output * size > 2**24``).
    Beyond, torch's windows except where a candidate bound (:func:`keras_candidate_bounds`) really
    floors or ceils differently in float32: those windows are kept as exceptions and every summary
    corrects torch's closed forms at them, whatever the output count. Where float32 errors are dense
    (more candidates than :data:`KERAS_CANDIDATES`, or an input above 2**24),
    :func:`keras_window_arrays` computes every window in bulk (a few passes in C per summary)."""
    if 0 <= output * size < 1 << 24:
        return torch_adaptive_windows(size, output)
    bounds = keras_candidate_bounds(size, output)
    if bounds is None:
        return AdaptiveWindows.bulk(size, keras_window_arrays(size, output))
    fs, fn = float32(size), float32(output)
    moved: set[int] = set()
    for b in bounds:
        q = float32(float32(b * fs) / fn)
        if math.floor(q) != b * size // output or math.ceil(q) != -(-b * size // output):
            moved.update((b - 1, b))
    exceptions: dict[int, Window] = {}
    for o in sorted(moved):
        if 0 <= o < output:
            window = keras_window(o, size, output)  # raises the first GatherV2 error: only these can fail
            if window != adaptive_window(o, size, output):
                exceptions[o] = window
    if not exceptions:
        return torch_adaptive_windows(size, output)
    return AdaptiveWindows.excepting(size, output, exceptions)


# ---------------------------------------------------------------------------- adaptive pooling
class Adaptive(AdaptiveRules):
    name = "keras"
    layers = "keras.layers.AdaptiveAveragePooling1D/2D/3D, AdaptiveMaxPooling1D/2D/3D, Keras 3.15+"
    sources = {"windows": "keras/src/backend/tensorflow/nn.py _compute_static_gather_indices; "
                          "backend_utils.py compute_adaptive_pooling_window_sizes"}

    def windows(self, kind: str, ins: Sequence[int], outs: Sequence[int], warnings: list[str],
                notes: list[str]) -> Callable[[int, int], Sequence[Window]]:
        """Keras 3.15 (TF backend) does not validate output_size: 0 divides by zero in
        compute_adaptive_pooling_window_sizes; a negative size fails in tf.range."""
        if 0 in outs:
            raise ShapeError("division by zero (keras computes ceil(input / output_size) with output_size 0)",
                             framework=self.name, rule=Rule.OUTPUT_SIZE, values={"output_size": list(outs)})
        for out in outs:
            if out < 0:
                raise ShapeError(f"Requires start <= limit when delta > 0: 0/{out} [Op:Range]", framework=self.name,
                                 rule=Rule.OUTPUT_SIZE, values={"output_size": list(outs)})
        if 0 in ins:
            raise ShapeError(f"input size must be at least 1, but got input={list(ins)}", framework=self.name,
                             rule=Rule.INPUT_SIZE, values={"input": list(ins)})
        if kind == "max" and 1 in (ins[-1], outs[-1]):
            # TF's Eigen CPU kernel (its default unless oneDNN is on) runs it; the oneDNN kernel dies:
            # observed on tensorflow-cpu 2.21 with and without TF_ENABLE_ONEDNN_OPTS=1, float32, 1-D to 3-D
            warnings.append("Keras 3.15 AdaptiveMaxPooling on the TensorFlow backend crashes the process (SIGFPE) "
                            "when the last (width) axis has input 1 or output 1 and TF's oneDNN kernels are on "
                            f"({ONEDNN_ON}): its unused 'big' window pool has an empty VALID output there, and "
                            "oneDNN max pooling to an empty width dies (tensorflow#125509); TF's Eigen kernel runs it")
        if any(o * i >= 1 << 24 for i, o in zip(ins, outs)):
            notes.append("Keras computes window bounds in float32: with output * input >= 2**24 they can differ "
                         "from torch's exact integer windows (shown here as Keras computes them)")
        return keras_windows

    def final_notes(self, n: int, notes: list[str]) -> None:
        notes.append(f"Keras layers are AdaptiveAveragePooling{n}D / AdaptiveMaxPooling{n}D (Keras 3.15, TF backend)")

def negative_pad_error(key: str, axis: int, ndim: int, pair: tuple[int, int]) -> str:
    """ZeroPadding1D-3D and Cropping1D-3D ``__init__`` (keras/src/layers/reshaping/zero_padding{1,2,3}d.py,
    cropping{1,2,3}d.py) read each axis's pair with ``argument_validation.standardize_tuple(..., allow_zero=True)``
    (keras/src/utils/argument_validation.py), which refuses a negative value, axis by axis (observed on
    keras 3.15.1)."""
    name = key if ndim == 1 else f"{('1st', '2nd', '3rd')[axis]} entry of {key}"
    negative = ", ".join(str(v) for v in sorted({v for v in pair if v < 0}))
    return (f"The `{name}` argument must be a tuple of 2 integers. Received {name}=({pair[0]}, {pair[1]}), "
            f"including values {{{negative}}} that do not satisfy `value >= 0`")


CONV = Conv()
POOL = Pool()
FRAMEWORK = Framework("keras", "Keras 3", "keras 3.15 (TensorFlow backend)", CONV, POOL, resample=Resample(),
                      adaptive=Adaptive(), channels_last=True, transposed_groups=False, transposed_weight="k,out,in",
                      global_pool_keepdims=False, merge_broadcasts=True, depthwise_equal_strides=True,
                      groups_words="keras", negative_pad_error=negative_pad_error)
