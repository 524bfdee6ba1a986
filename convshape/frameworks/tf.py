"""TensorFlow: every op family's rules as this framework applies them, with their sources."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NoReturn

from convshape import rules
from convshape.errors import Rule, ShapeError
from convshape.frameworks.base import (ConvRules, FractionalRules, Framework, Pad, PoolRules, ResampleRules,
                                       UnfoldRules,
                                       UnpoolRules)
from convshape.model import (AxisSpec, Counted, IntRuns, Resampled, TransposeOption, TransposedAxis, TransposeOptions,
                             UnpoolAxis)


#: when TF runs its oneDNN CPU kernels instead of its Eigen ones (TF 2.9 release notes; core/util/util.cc IsMKLEnabled)
ONEDNN_ON = "TF_ENABLE_ONEDNN_OPTS=1, the default on CPUs with AVX512_VNNI, AVX512_BF16, AVX_VNNI or AMX"


def eigen_transposed_dilation(ndim: int) -> str:
    """The Eigen CPU kernels' refusal of a dilated transposed convolution (kernels/conv_grad_input_ops.cc;
    kernels/conv_grad_ops_3d.cc for 3-D), as observed on tensorflow-cpu 2.21.0."""
    return f"Current CPU implementation{' does' if ndim == 3 else 's do'} not yet support dilation rates larger than 1."


class Conv(ConvRules):
    name = "tf"
    title = "TensorFlow (tf.nn)"
    transposed_select = "output_shape"
    transposed_by_forward = True
    default_padding = "valid"  # tf.nn.conv2d has no default; VALID is the no-padding choice
    keywords = {"valid": "VALID: no padding",
                "same": "SAME: output ceil(i/s), total max(0, (o-1)*s + d*(k-1) + 1 - i), extra at the end",
                "same-upper": "SAME (TF's SAME puts the extra at the end)"}
    transposed_keywords = keywords
    explicit = "asymmetric"  # padding=[[0, 0], [before, after], ...]: tf.nn.conv2d / conv2d_transpose only
    explicit_transposed = "asymmetric"
    smallest_transposed_output = 0  # an output_shape of 0 passes the size check (an empty tensor)
    sources = {
        "conv": "tensorflow/core/framework/kernel_shape_util.cc GetWindowedOutputSizeVerbose (the eager kernels; "
                "C++ truncating division, so a padded input a little smaller than the kernel gives 0)",
        "transposed": "tensorflow/core/kernels/conv_grad_shape_utils.cc ConvBackpropComputeDimensionsV2 / "
                      "ConvBackpropExtractAndVerifyDimension: output_shape o is accepted iff the forward size of o "
                      "is the input",
        "explicit": "tf.nn.conv2d and conv2d_transpose take a padding list; conv1d, conv3d and their transposes "
                    "take 'SAME' or 'VALID' only",
    }

    def check_explicit(self, pair: tuple[int, int], transposed: bool, ndim: int, keyword: str | None = None) -> None:
        if ndim != 2:
            op = f"tf.nn.conv{ndim}d{'_transpose' if transposed else ''}"
            what = f"padding {keyword!r}" if keyword else f"padding {pair[0]}:{pair[1]}"
            raise self.error(f"{op} takes padding 'SAME' or 'VALID' only (explicit padding lists are for conv2d and "
                             f"conv2d_transpose), but got {what}", Rule.EXPLICIT_PADDING, pad_before=pair[0],
                             pad_after=pair[1])
        if min(pair) < 0:
            # The Eigen kernels check it (every dtype; conv2d_transpose with a padding list runs on Eigen even with
            # oneDNN on); the float32 oneDNN conv2d does not: it fails in oneDNN, or returns a tensor of the input's
            # shape where an axis is empty (observed on tensorflow-cpu 2.21.0: tests/data/observed_tf_kernels.json)
            onednn = "" if transposed else (
                " (TF's Eigen CPU kernels, its default; with oneDNN on, TF_ENABLE_ONEDNN_OPTS=1, float32 conv2d "
                "skips this check, then fails: 'could not create a primitive descriptor for the convolution forward "
                "propagation primitive', or returns a tensor of the input's shape where an axis would be empty)")
            raise self.error(f"All elements of explicit_paddings must be nonnegative, but got padding "
                             f"{pair[0]}:{pair[1]}{onednn}", Rule.NEGATIVE_PADDING, pad_before=pair[0],
                             pad_after=pair[1])
        super().check_explicit(pair, transposed, ndim, keyword)

    def output_shape_fits(self, a: AxisSpec, padding: Pad, target: int, ndim: int) -> bool:
        """output_shape=target is taken only if the forward convolution maps it back to the input."""
        return self.forward_output(AxisSpec(target, a.kernel, a.stride, a.dilation), padding, ndim) == a.input

    def takes_explicit(self, transposed: bool, ndim: int) -> bool:
        return ndim == 2  # check_explicit: padding lists are for conv2d and conv2d_transpose only

    def notes(self, specs: list[AxisSpec], pads: list[Pad], transposed: bool) -> list[str]:
        """Dilations > 1 in conv*_transpose and in conv3d: two CPU kernels, one shape rule. TF's Eigen kernels
        (its CPU default unless oneDNN is on; every dtype) refuse them: kernels/conv_grad_input_ops.cc
        (Conv2DBackpropInput, which conv1d_transpose also runs) and kernels/conv_grad_ops_3d.cc
        (Conv3DBackpropInputV2) 'Current CPU implementation(s) do(es) not yet support dilation rates larger than
        1', kernels/conv_ops_3d.cc 'CPU implementation of Conv3D currently only supports dilated rates of 1'. The
        oneDNN kernels (kernels/mkl/mkl_conv_grad_input_ops.cc, mkl_conv_ops.cc; on with TF_ENABLE_ONEDNN_OPTS=1
        and by default on CPUs with AVX512_VNNI / AVX512_BF16 / AVX_VNNI / AMX, core/util/util.cc IsMKLEnabled)
        run float32 with TF's shape rule, as GPUs do; convshape gives those sizes (observed on tensorflow-cpu
        2.21.0: tests/data/observed_tf_kernels.json)."""
        notes = []
        if transposed:
            notes.append("tf.nn.conv_transpose needs output_shape: every listed size is accepted; the smallest is "
                         "shown until output_size picks one")
        if transposed and any(a.dilation > 1 for a in specs) and not all(isinstance(p, str) for p in pads):
            # oneDNN's conv2d_transpose takes 'SAME' / 'VALID' only: an explicit list goes to the Eigen kernel
            notes.append("conv2d_transpose with explicit padding and dilations > 1: TF's CPU kernels refuse it "
                         f"('{eigen_transposed_dilation(2)}': the "
                         "Eigen kernel's, which runs explicit padding lists even with oneDNN on); GPUs run it "
                         "with these sizes")
        elif any(a.dilation > 1 for a in specs) and (transposed or len(specs) == 3):
            refusal = ("conv*_transpose with dilations > 1: TF's Eigen CPU kernels (its default unless oneDNN is on) "
                       f"refuse it in every dtype ('{eigen_transposed_dilation(len(specs))}'" if transposed else
                       "conv3d with dilations > 1: TF's Eigen CPU kernel (its default unless oneDNN is on) refuses it "
                       "in every dtype ('CPU implementation of Conv3D currently only supports dilated rates of 1.'")
            notes.append(f"{refusal}); the oneDNN kernels ({ONEDNN_ON}) run float32 with these sizes, as GPUs do")
        return notes

    def result_notes(self, axes: Sequence[Any], transposed: bool) -> list[str]:
        """An empty forward output: the Eigen kernels return the empty tensor; the float32 oneDNN kernels
        return a tensor of the input's spatial shape (observed on tensorflow-cpu 2.21.0, 1-D to 3-D:
        tests/data/observed_tf_kernels.json)."""
        if transposed or all(a.output != 0 for a in axes):
            return []
        return ["an empty output is an empty tensor on TF's Eigen CPU kernels (its default unless oneDNN is on); "
                f"with oneDNN on ({ONEDNN_ON}) float32 returns a tensor of the input's spatial shape instead, with no "
                "error"]

    def conv_output(self, a: AxisSpec, pad_before: int, pad_after: int) -> int:
        out = rules.tf_windowed_output(a.input, a.kernel, a.stride, a.dilation, pad_before, pad_after)
        if out < 0:
            raise self.error(f"Computed output size would be negative: {out} [input_size: {a.input}, "
                             f"effective_filter_size: {rules.effective_kernel(a.kernel, a.dilation)}, "
                             f"stride: {a.stride}]", Rule.OUTPUT_NEGATIVE, output=out)
        return out

    def transposed(self, a: AxisSpec, padding: Pad, output_padding: int | None, output_size: int | None,
                   ndim: int, axis: int) -> TransposedAxis:
        if output_padding is not None:
            raise self.error("tf.nn.conv_transpose has no output_padding; it takes the size itself as "
                             "output_shape (output_size)", Rule.OUTPUT_PADDING_UNSUPPORTED,
                             output_padding=output_padding)
        sizes, pads_of = self.forward_valid(a, padding, ndim)

        def option(i: int) -> TransposeOption:
            o = sizes[i]
            pb, pa = pads_of(o)
            return TransposeOption(o, o - rules.transposed_output(a.input, a.kernel, a.stride, a.dilation, pb, pa, 0),
                                   pb, pa, f"output_shape={o}")

        options = TransposeOptions(len(sizes), option, lambda o: o - sizes.start)
        if output_size is not None:
            found = options.find(output_size)
            if found is None:
                self.reject_output_shape(a, padding, output_size, ndim, axis)
            chosen = found
        elif options:
            # tf needs output_shape; the smallest non-empty one is shown until one is chosen
            chosen = options.find(max(1, sizes.start)) or options[0]
        else:
            raise self.error(f"no output_shape maps back to input={a.input}", Rule.OUTPUT_SIZE, input=a.input)
        return TransposedAxis(a.input, a.kernel, a.stride, a.dilation, chosen.pad_before, chosen.pad_after,
                              chosen.output_padding, chosen.output, IntRuns((sizes,)), options)

    def reject_output_shape(self, a: AxisSpec, padding: Pad, output_size: int, ndim: int, axis: int) -> NoReturn:
        """TF's own rejection of an output_shape outside the valid set (conv_grad_shape_utils.cc)."""
        fa = AxisSpec(output_size, a.kernel, a.stride, a.dilation)
        if output_size < 0:
            raise self.error(f"output_shape must not be negative, but got {output_size}", Rule.OUTPUT_SIZE,
                             output_size=output_size)
        pb, pa = self.pads(fa, padding, transposed=False, ndim=ndim)
        computed = self.conv_output(fa, pb, pa)
        op = "Conv3DBackpropInputOp" if ndim == 3 else "Conv2DCustomBackpropInput"
        spatial_dim = axis + 1 + (1 if ndim == 1 else 0)  # conv1d runs as conv2d with a unit height
        # output_shape 0: the Eigen kernels check it (every dtype); the float32 oneDNN kernels take it with 'SAME' /
        # 'VALID' (a padding list runs on Eigen) and return the empty tensor (observed on tensorflow-cpu 2.21.0:
        # tests/data/observed_tf_kernels.json)
        onednn = ""
        if (padding == "valid" and a.input == 1 and a.dilation == 1
                and max(1, a.kernel - a.stride + 1) <= output_size < a.kernel):
            # the float32 oneDNN kernels size VALID as (o - k) / s + 1 truncated toward zero: 1 for these o
            # (observed on tensorflow-cpu 2.21.0, dilation 1: tests/data/observed_tf_kernels.json)
            onednn = (" (TF's Eigen CPU kernels, its default; with oneDNN on, TF_ENABLE_ONEDNN_OPTS=1, float32 takes "
                      f"output_shape {output_size}: its check truncates (o - k)/s + 1 toward zero, which gives 1)")
        if output_size == 0 and isinstance(padding, str):
            onednn = (" (TF's Eigen CPU kernels, its default; with oneDNN on, TF_ENABLE_ONEDNN_OPTS=1, float32 takes "
                      "output_shape 0 and returns an empty tensor)")
        raise self.error(f"{op}: Size of out_backprop doesn't match computed: actual = {a.input}, "
                         f"computed = {computed} spatial_dim: {spatial_dim} input: {output_size} "
                         f"filter: {a.kernel} output: {a.input} stride: {a.stride} dilation: {a.dilation}{onednn}",
                         Rule.OUTPUT_SIZE, actual=a.input, computed=computed, output_size=output_size)

    def transposed_fits(self, size: int, kernel: int, stride: int, dilation: int, pad_before: int, pad_after: int,
                        output_padding: int, target: int) -> bool:
        return rules.tf_windowed_output(target, kernel, stride, dilation, pad_before, pad_after) == size


class Pool(PoolRules):
    name = "tf"
    title = "TensorFlow (tf.nn)"
    ops = {"max": "tf.nn.max_pool{n}d", "avg": "tf.nn.avg_pool{n}d"}
    default_padding = "valid"
    keywords = {"valid": "VALID", "same": "SAME: output ceil(i/s), the odd padding at the end",
                "same-upper": "SAME"}
    explicit = "asymmetric"  # max_pool1d / max_pool2d (and tf.nn.max_pool on 3-D / 4-D inputs) only
    has_ceil_mode = False
    dilation_kinds = ()
    cip_default = False
    cip_choice = False
    sources = {
        "size": "tensorflow/core/framework/kernel_shape_util.cc GetWindowedOutputSizeVerbose: VALID / EXPLICIT "
                "(i + pb + pa - k + s) / s in C++ (truncating), negative rejected; SAME ceil(i/s)",
        "checks": "tensorflow/core/kernels/pooling_ops_common.cc PoolParameters (explicit padding < window, "
                  "'Top/Bottom/Left/Right padding'), ops/nn_ops.cc (explicit_paddings for MaxPool only)",
        "average": "avg_pool divides by the in-bounds cells only (SAME excludes padding)",
    }

    def check_values(self, kind: str, ndim: int, specs: list[AxisSpec]) -> None:
        ks = [a.kernel for a in specs]
        if min(ks) < 1:
            raise self.error("Sliding window ksize must be positive. The specified or inferred ksize is: "
                             + ",".join(str(k) for k in (1, *ks, 1)), Rule.KERNEL, kernel=tuple(ks))
        for a in specs:
            if a.stride < 1:
                raise self.error(f"Stride must be > 0, but got {a.stride}", Rule.STRIDE, stride=a.stride)

    def check_explicit(self, kind: str, ndim: int, axis: int, a: AxisSpec, pair: tuple[int, int]) -> None:
        if kind != "max" or ndim == 3:
            raise self.error(f"{self.op(kind, ndim)} takes padding 'SAME' or 'VALID' only (explicit padding lists are "
                             f"for max_pool1d and max_pool2d), but got padding {pair[0]}:{pair[1]}",
                             Rule.EXPLICIT_PADDING, pad_before=pair[0], pad_after=pair[1])
        if min(pair) < 0:
            raise self.error("All elements of explicit_paddings must be nonnegative", Rule.NEGATIVE_PADDING,
                             pad_before=pair[0], pad_after=pair[1])
        sides = ("Top", "Bottom") if ndim == 2 and axis == 0 else ("Left", "Right")
        for side, p in zip(sides, pair):
            if p >= a.kernel:
                raise self.error(f"{side} padding {p} needs to be smaller than the window size {a.kernel}",
                                 Rule.PADDING_WINDOW, pad=p, kernel=a.kernel)

    def count(self, kind: str, ndim: int, axis: int, a: AxisSpec, pads: tuple[int, int], ceil_mode: bool) -> Counted:
        pb, pa = pads
        out = rules.tf_windowed_output(a.input, a.kernel, a.stride, 1, pb, pa)
        if out < 0:
            raise self.error(f"Computed output size would be negative: {out} [input_size: {a.input}, "
                             f"effective_filter_size: {a.kernel}, stride: {a.stride}]", Rule.OUTPUT_NEGATIVE,
                             output=out)
        return Counted(pb, pa, out, out, None, False)

    def notes(self, kind: str, ndim: int, specs: list[AxisSpec], pads: list[Pad], stride_given: bool,
              result_axes: Sequence[Any], ceil_mode: bool) -> list[str]:
        notes = []
        if not stride_given:
            notes.append("tf.nn pooling has no default stride; convshape used the kernel size")
        if kind == "avg" and any(a.pad_before or a.pad_after for a in result_axes):
            notes.append("avg_pool with SAME divides by the cells inside the input, never by padded cells")
        if kind == "max" and any(a.output == 0 for a in result_axes):
            # Two kernels, one shape rule (kernel_shape_util.cc GetWindowedOutputSizeVerbose accepts 0). The Eigen
            # kernel (kernels/maxpooling_op.cc), TF's CPU default unless oneDNN is on, returns the empty tensor;
            # the oneDNN kernel (kernels/mkl/mkl_maxpooling_op.cc), on with TF_ENABLE_ONEDNN_OPTS=1 and by default
            # on CPUs with AVX512_VNNI / AVX512_BF16 / AVX_VNNI / AMX (core/util/util.cc IsMKLEnabled), fails
            # (observed with tensorflow-cpu 2.21.0).
            notes.append("max_pool with an empty (size 0) output: TF's Eigen CPU kernel returns the empty tensor "
                         f"(its default unless oneDNN is on); with oneDNN on ({ONEDNN_ON}) it fails: "
                         "'could not create a descriptor for a pooling forward propagation primitive', or the "
                         "process dies with SIGFPE (tensorflow#125509)")
        return notes


# ---------------------------------------------------------------------------- resampling
MODES = ("bilinear", "nearest", "bicubic", "area", "lanczos3", "lanczos5", "gaussian", "mitchellcubic")


def resize_checks(fw: str, ins: Sequence[int], sizes: Sequence[int], mode: str, antialias: bool,
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
        raise ShapeError("'size' must be a 1-D int32 Tensor", framework=fw, rule=Rule.SIZE_OVERFLOW,
                         values={"output": list(sizes)})
    wrapped = tuple((o + 2 ** 31) % 2 ** 32 - 2 ** 31 for o in sizes)
    warnings.extend(f"size {o} does not fit int32: tf.image.resize wraps it to {w}, silently"
                    for o, w in zip(sizes, wrapped) if o != w)
    sizes = wrapped
    for o in sizes:
        if o < -1:
            raise ShapeError(f"Dimension {o} must be >= 0", framework=fw, rule=Rule.SIZE_NEGATIVE,
                             values={"output": list(sizes)})
    empty = ShapeError("input image must be of non-zero size", framework=fw, rule=Rule.INPUT_EMPTY,
                       values={"input": list(ins)})
    if any(i <= 0 for i in ins) and not (mode in ("lanczos3", "lanczos5", "gaussian", "mitchellcubic") or
                                         antialias and mode in ("bilinear", "bicubic")):
        raise empty
    if any(o <= 0 for o in sizes):
        raise ShapeError("output dimensions must be positive", framework=fw, rule=Rule.SIZE_POSITIVE,
                         values={"output": list(sizes)})
    if any(i <= 0 for i in ins):
        raise empty
    return sizes


class Resample(ResampleRules):
    name = "tf"
    lacks: dict[str, str] = {}
    modes = MODES
    interpolate_name = "tf.image.resize"
    shuffle_layers = {"NHWC": "tf.nn.{depth_to_space}", "NCHW": "tf.nn.{depth_to_space}",
                      "NWC": "SubPixel1D recipe (Shi et al. 2016 sub-pixel, 1-D): transpose + tf.{batch_to_space}"}
    shuffle_hint = "NHWC or NCHW (tf.nn.depth_to_space), or NWC for the 1-D recipe"
    shuffle_format = "NHWC"
    sources = {
        "interpolate": "tensorflow/python/ops/image_ops_impl.py resize_images_v2; "
                       "tensorflow/core/kernels/image/resize_*_op.cc, scale_and_translate_op.cc",
        "pixel shuffle": "tensorflow/core/kernels/depthtospace_op.cc, spacetodepth_op.cc; array_ops.cc",
    }

    def default_rank(self, resizing: bool) -> int:
        return 2

    def interpolate(self, n: int, ins: tuple[int, ...], sizes: tuple[int, ...] | None,
                    scales: tuple[Any, ...] | None, scale_arg: Any, mode: str | None, align_corners: bool | None,
                    recompute: bool | None, antialias: bool, policy: str | None, crop: bool, pad: bool,
                    layer_name: str, resizing: bool, warnings: list[str], notes: list[str]) -> Resampled:
        """tf.image.resize (tensorflow 2.21, tensorflow/python/ops/image_ops_impl.py ``resize_images_v2``, kernels
        in tensorflow/core/kernels/image/resize_*_op.cc and scale_and_translate_op.cc): the output is ``size``."""
        mode = (mode or "bilinear").lower()
        if mode not in MODES:
            raise ShapeError(f"Resize method is not implemented: {mode}", framework=self.name, rule=Rule.MODE_UNKNOWN,
                             values={"mode": mode})
        if sizes is None:
            raise ShapeError("tf.image.resize takes size (the output size), not a scale factor", framework=self.name,
                             rule=Rule.SIZE_REQUIRED, values={})
        if n != 2:
            raise ShapeError(f"'size' must be a 1-D Tensor of 2 elements: new_height, new_width (tf.image.resize "
                             f"resizes images: 2 spatial axes, got {n})", framework=self.name, rule=Rule.MODE_RANK,
                             values={"axes": n})
        outs = resize_checks(self.name, ins, sizes, mode, antialias, warnings)
        return Resampled(outs, (None,) * n, scales, mode, "tf.image.resize", align_corners, antialias,
                         tuple((i, 0, 0) for i in ins))

    def pixel_shuffle(self, shape: tuple[int, ...], factor: int, unshuffle: bool, data_format: str,
                      warnings: list[str], notes: list[str]) -> tuple[int, ...]:
        if data_format == "NWC":
            return self.recipe_1d(shape, factor, unshuffle)
        out = self.shuffle(shape, factor, unshuffle, data_format)
        if data_format == "NCHW":
            warnings.append(f"tf.nn.{'space_to_depth' if unshuffle else 'depth_to_space'} runs NCHW only on a GPU: "
                            f"on the CPU it fails with 'Could not find device for node'")
        return out

    def shuffle(self, shape: tuple[int, ...], r: int, unshuffle: bool, data_format: str) -> tuple[int, ...]:
        """``tf.nn.depth_to_space`` / ``space_to_depth`` (tensorflow/core/kernels/depthtospace_op.cc,
        spacetodepth_op.cc; block_size >= 2 from the op registration, array_ops.cc)."""
        def err(msg: str, rule: str) -> ShapeError:
            return ShapeError(msg, framework=self.name, rule=rule, values={"input": list(shape), "factor": r})

        if r < 2:
            raise err(f"Value for attr 'block_size' of {r} must be at least minimum 2", Rule.FACTOR_POSITIVE)
        if len(shape) != 4:
            raise err(f"Input rank should be{'' if unshuffle else ':'} 4 instead of{'' if unshuffle else ':'} "
                      f"{len(shape)}", Rule.RANK)
        n, c, h, w = shape if data_format == "NCHW" else (shape[0], shape[3], shape[1], shape[2])
        if unshuffle:
            if h % r or w % r:
                raise err(f"Image width {w} and height {h} should be divisible by block_size: {r}",
                          Rule.SPATIAL_DIVISIBLE)
            c, h, w = c * r * r, h // r, w // r
        else:
            if c % (r * r):
                raise err(f"Input depth dimension {c} should be divisible by: {r * r}", Rule.CHANNEL_DIVISIBLE)
            c, h, w = c // (r * r), h * r, w * r
        return (n, c, h, w) if data_format == "NCHW" else (n, h, w, c)

    def recipe_1d(self, shape: tuple[int, ...], r: int, unshuffle: bool) -> tuple[int, ...]:
        """The 1-D sub-pixel recipe (Shi et al., CVPR 2016, on one axis), (N, W, C): ``SubPixel1D``:
        ``transpose(I, [2, 1, 0])`` ->
        ``tf.batch_to_space(X, [r], [[0, 0]])`` -> transpose back, so C must divide by r (BatchToSpaceND,
        tensorflow/core/kernels/batchtospace_op.cc); unshuffle is the same with ``space_to_batch``
        (spacetobatch_op.cc)."""
        def err(msg: str, rule: str) -> ShapeError:
            return ShapeError(msg, framework=self.name, rule=rule, values={"input": list(shape), "factor": r})

        if len(shape) != 3:
            raise err(f"the 1-D sub-pixel recipe takes a rank-3 (N, W, C) tensor, but got rank {len(shape)}", Rule.RANK)
        b, w, c = shape
        if r <= 0:
            raise err(f"All values in block_shape must be positive, got value, {r} at index 0." if unshuffle else
                      f"Product of block sizes must be positive, got {r}", Rule.FACTOR_POSITIVE)
        if unshuffle:
            if w % r:
                raise err(f"padded_shape[0]={w} is not divisible by block_shape[0]={r}", Rule.SPATIAL_DIVISIBLE)
            return (b, w // r, c * r)
        if c % r:
            raise err(f"Input batch dimension ({c}) is not divisible by product of block sizes ({r}) (SubPixel1D "
                      f"moves the channels to the batch axis)", Rule.CHANNEL_DIVISIBLE)
        return (b, w * r, c // r)


# ---------------------------------------------------------------------------- adaptive, fractional, unpooling
class Fractional(FractionalRules):
    name = "tf"
    not_modelled = "tf.nn.fractional_max_pool takes a pooling ratio >= 1 and no kernel; not modelled in convshape"


class Unpool(UnpoolRules):
    name = "tf"
    layers = "tf.nn.max_pool_with_argmax, then tf.scatter_nd into the pooled tensor's shape; 2-D only"
    pooled_by = "max_pool_with_argmax maps it to the input"
    sources = {"size": "tensorflow/core/framework/kernel_shape_util.cc GetWindowedOutputSizeVerbose "
                       "(max_pool_with_argmax)"}

    def unpool(self, ins: Sequence[int], ks: Sequence[int], ss: Sequence[int], padding: Any,
               outs: Sequence[int] | None, n: int, stride_given: bool) -> tuple[tuple[UnpoolAxis, ...], list[str],
                                                                                  str, list[str]]:
        from convshape.params import format_padding, padding_keyword
        from convshape.rules.unpool import tf_pool_inputs

        if n != 2:
            raise ShapeError(f"tensor_in must be 4-dimensional: tf.nn.max_pool_with_argmax pools 2-D NHWC tensors "
                             f"only, so TF has no {n}-D argmax unpooling", framework=self.name,
                             rule=Rule.UNSUPPORTED_OP, values={"axes": n})
        keyword = padding_keyword(padding if padding is not None else "valid")
        if keyword not in ("valid", "same"):
            raise ShapeError(f"tf.nn.max_pool_with_argmax takes padding 'SAME' or 'VALID' only, not {padding!r} "
                             f"(Value for attr 'padding' of \"EXPLICIT\" is not in the list of allowed values)",
                             framework=self.name, rule=Rule.PADDING_KEYWORD, values={"padding": padding})
        sources = [tf_pool_inputs(i, k, s, keyword) for i, k, s in zip(ins, ks, ss)]
        # without output_size: the size that fits the windows exactly, as the common unpool_with_argmax
        # recipe (pooled * ksize) when k == s
        defaults = [r[-1] if keyword == "same" else r[0] for r in sources]
        if outs is not None:
            for axis, (out, r, k, s) in enumerate(zip(outs, sources, ks, ss)):
                if out not in r:
                    raise ShapeError(f"the unpooled size is the size that was pooled: max_pool_with_argmax(ksize={k}, "
                                     f"strides={s}, padding='{keyword.upper()}') gives {ins[axis]} on axis {axis} for "
                                     f"sizes {r[0]}..{r[-1]} only, not {out}; its argmax indices are positions in that "
                                     f"input, and scattering them into another shape misplaces them or fails ('does "
                                     f"not index into shape')", framework=self.name, rule=Rule.OUTPUT_SIZE,
                                     values={"output_size": list(outs), "pool_inputs": [r[0], r[-1]]})
        chosen = list(outs) if outs is not None else defaults

        def one(i: int, k: int, s: int, d: int, o: int, r: range) -> UnpoolAxis:
            total = max(0, (i - 1) * s + k - o) if keyword == "same" else 0
            return UnpoolAxis(i, k, s, total // 2, total - total // 2, d, o, IntRuns((r,)), tuple(r))

        axes = tuple(one(*column) for column in zip(ins, ks, ss, defaults, chosen, sources))
        shown = format_padding("valid" if padding is None else padding)
        notes = ["TF has no unpooling op: tf.nn.max_pool_with_argmax, then tf.scatter_nd of the pooled values at the "
                 "argmax indices into the shape of the tensor that was pooled; that shape is the unpooled size"]
        if any(a.output != a.input * a.kernel for a in axes):
            notes.append("the common unpool_with_argmax recipe scatters into pooled size * ksize, "
                         "which is not this size here: its scatter then misplaces the maxima or fails")
        return axes, [], shown, notes

CONV = Conv()
POOL = Pool()
class Unfold(UnfoldRules):
    """``tf.image.extract_patches(images, sizes=[1, kh, kw, 1], strides=[1, sh, sw, 1], rates=[1, rh, rw,
    1], padding)`` (tensorflow/core/kernels/extract_image_patches_op.cc; the sizes from
    kernel_shape_util.cc ``GetWindowedOutputSizeVerbose``): an NHWC tensor to (N, rows, cols,
    kh*kw*C), each axis's blocks TF's VALID windowed output (a negative one rejected, 0 an empty
    tensor); with padding 'SAME' ``ceil(i/s)`` blocks, the padding ``max((out-1)*s + d(k-1) + 1 - i, 0)``
    split with the odd cell at the end (``GetWindowedOutputSizeVerbose`` SAME). Observed on
    tensorflow-cpu 2.21 (tests/data/generate_tf_patches.py). TF has no fold."""

    layers = "tf.image.extract_patches, NHWC, 2 spatial axes"
    columns_last = True

    def unfold_keyword(self, shape: Sequence[int], ks: Sequence[int], ss: Sequence[int], ds: Sequence[int],
                       keyword: str) -> tuple[tuple[int, ...], tuple[int, ...], tuple[tuple[int, int], ...]]:
        if keyword == "valid":
            output, blocks = self.unfold(shape, ks, ss, (0, 0), ds)
            return output, blocks, ((0, 0),) * len(blocks)
        self.check_window(shape, ks, ss, ds)
        pads = tuple(rules.split_padding(rules.same_total_padding(i, k, s, d), extra_at_end=True)
                     for i, k, s, d in zip(shape[1:3], ks, ss, ds))
        blocks = tuple(rules.same_output(i, s) for i, s in zip(shape[1:3], ss))
        return (shape[0], blocks[0], blocks[1], ks[0] * ks[1] * shape[3]), blocks, pads

    def check_window(self, shape: Sequence[int], ks: Sequence[int], ss: Sequence[int], ds: Sequence[int]) -> None:
        """ExtractImagePatchesOp's checks before the sizes (extract_image_patches_op.cc)."""
        for name, values, rule in (("ksizes", ks, Rule.KERNEL_SIZE), ("strides", ss, Rule.STRIDE),
                                   ("rates", ds, Rule.DILATION)):
            if min(values) < 1:
                raise self.error(f"{name} is out of range.", rule, **{name: list(values)})
        if len(shape) != 4:
            raise self.error(f"input must be 4-dimensional[{','.join(map(str, shape))}]", Rule.RANK, shape=list(shape))

    def unfold(self, shape: Sequence[int], ks: Sequence[int], ss: Sequence[int], ps: Sequence[int],
               ds: Sequence[int]) -> tuple[tuple[int, ...], tuple[int, ...]]:
        for name, values, rule in (("ksizes", ks, Rule.KERNEL_SIZE), ("strides", ss, Rule.STRIDE),
                                   ("rates", ds, Rule.DILATION)):
            if min(values) < 1:
                raise self.error(f"{name} is out of range.", rule, **{name: list(values)})
        if any(ps):
            raise self.error(f"tf.image.extract_patches takes padding 'VALID' or 'SAME', not numbers, but got "
                             f"padding={list(ps)} (padding 0 is 'VALID'; give padding 'same' for SAME)",
                             Rule.PADDING_UNSUPPORTED, padding=list(ps))
        if len(shape) != 4:
            raise self.error(f"input must be 4-dimensional[{','.join(map(str, shape))}]", Rule.RANK, shape=list(shape))
        blocks = []
        for i, k, s, d in zip(shape[1:3], ks, ss, ds):
            out = rules.tf_windowed_output(i, k, s, d, 0, 0)
            if out < 0:
                raise self.error(f"Computed output size would be negative: {out} [input_size: {i}, "
                                 f"effective_filter_size: {rules.effective_kernel(k, d)}, stride: {s}]",
                                 Rule.OUTPUT_NEGATIVE, output=out)
            blocks.append(out)
        return (shape[0], blocks[0], blocks[1], ks[0] * ks[1] * shape[3]), tuple(blocks)

    def fold(self, shape: Sequence[int], output_size: Sequence[int], ks: Sequence[int], ss: Sequence[int],
             ps: Sequence[int], ds: Sequence[int]) -> tuple[tuple[int, ...], tuple[int, ...]]:
        raise ShapeError("tf has no fold (col2im) layer: tf.image.extract_patches only unfolds; convshape knows "
                         "fold in torch (nn.Fold)", framework=self.name, rule=Rule.UNSUPPORTED_OP,
                         values={"framework": self.name})


def negative_pad_error(key: str, axis: int, ndim: int, pair: tuple[int, int]) -> str:
    """tf.pad (kernels/pad_op.cc PadOp::Compute) refuses a negative amount, dimension by dimension
    (observed on tensorflow-cpu 2.21.0); TF has no cropping layer (a slice crops)."""
    if key == "cropping":
        return f"cropping must be non-negative (a slice crops in TF), but got {pair[0]}:{pair[1]}"
    return f"Paddings must be non-negative: {pair[0]} {pair[1]}"


FRAMEWORK = Framework("tf", "TensorFlow", "tensorflow-cpu 2.21 (tf.nn)", CONV, POOL, resample=Resample(),
                      fractional=Fractional(), unpool=Unpool(), unfold=Unfold(), bias_default=False, channels_last=True,
                      transposed_groups=False, transposed_weight="k,out,in", negative_pad_error=negative_pad_error)
