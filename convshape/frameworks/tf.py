"""TensorFlow: every op family's rules as this framework applies them, with their sources."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from convshape import rules
from convshape.frameworks.base import (ConvRules, Framework, Pad, PoolRules)
from convshape.model import AxisSpec, Counted, TransposeOption, TransposedAxis


class Conv(ConvRules):
    name = "tf"
    title = "TensorFlow (tf.nn)"
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
                             f"conv2d_transpose), but got {what}", "explicit-padding", pad_before=pair[0],
                             pad_after=pair[1])
        if min(pair) < 0:
            raise self.error(f"All elements of explicit_paddings must be nonnegative, but got padding "
                             f"{pair[0]}:{pair[1]}", "negative-padding", pad_before=pair[0], pad_after=pair[1])
        super().check_explicit(pair, transposed, ndim, keyword)

    def notes(self, specs: list[AxisSpec], pads: list[Pad], transposed: bool) -> list[str]:
        notes = []
        if transposed:
            notes.append("tf.nn.conv_transpose needs output_shape: every listed size is accepted; the smallest is "
                         "shown until --o picks one")
            if any(a.dilation > 1 for a in specs):
                notes.append("TF's float64 CPU kernels reject dilations > 1 in conv*_transpose; the float32 "
                             "(oneDNN) kernels run them with these sizes")
        return notes

    def conv_output(self, a: AxisSpec, pad_before: int, pad_after: int) -> int:
        out = rules.tf_windowed_output(a.input, a.kernel, a.stride, a.dilation, pad_before, pad_after)
        if out < 0:
            raise self.error(f"Computed output size would be negative: {out} [input_size: {a.input}, "
                             f"effective_filter_size: {rules.effective_kernel(a.kernel, a.dilation)}, "
                             f"stride: {a.stride}]", "output-negative", output=out)
        return out

    def transposed(self, a: AxisSpec, padding: Pad, output_padding: int | None, output_size: int | None,
                   ndim: int, axis: int) -> TransposedAxis:
        if output_padding is not None:
            raise self.error("tf.nn.conv_transpose has no output_padding; it takes the size itself as "
                             "output_shape (--o)", "output-padding-unsupported", output_padding=output_padding)
        found = self.forward_valid(a, padding, ndim)
        options = tuple(
            TransposeOption(o, o - rules.transposed_output(a.input, a.kernel, a.stride, a.dilation, pb, pa, 0),
                            pb, pa, f"output_shape={o}") for o, pb, pa in found)
        if output_size is not None:
            chosen = next((opt for opt in options if opt.output == output_size), None)
            if chosen is None:
                self.reject_output_shape(a, padding, output_size, ndim, axis)
        elif options:
            # tf needs output_shape; the smallest non-empty one is shown until one is chosen
            chosen = next((opt for opt in options if opt.output >= 1), options[0])
        else:
            raise self.error(f"no output_shape maps back to input={a.input}", "output-size", input=a.input)
        return TransposedAxis(a.input, a.kernel, a.stride, a.dilation, chosen.pad_before, chosen.pad_after,
                              chosen.output_padding, chosen.output, tuple(o.output for o in options), options)

    def reject_output_shape(self, a: AxisSpec, padding: Pad, output_size: int, ndim: int, axis: int) -> None:
        """TF's own rejection of an output_shape outside the valid set (conv_grad_shape_utils.cc)."""
        fa = AxisSpec(output_size, a.kernel, a.stride, a.dilation)
        if output_size < 0:
            raise self.error(f"output_shape must not be negative, but got {output_size}", "output-size",
                             output_size=output_size)
        pb, pa = self.pads(fa, padding, transposed=False, ndim=ndim)
        computed = self.conv_output(fa, pb, pa)
        op = "Conv3DBackpropInputOp" if ndim == 3 else "Conv2DCustomBackpropInput"
        spatial_dim = axis + 1 + (1 if ndim == 1 else 0)  # conv1d runs as conv2d with a unit height
        raise self.error(f"{op}: Size of out_backprop doesn't match computed: actual = {a.input}, "
                         f"computed = {computed} spatial_dim: {spatial_dim} input: {output_size} "
                         f"filter: {a.kernel} output: {a.input} stride: {a.stride} dilation: {a.dilation}",
                         "output-size", actual=a.input, computed=computed, output_size=output_size)


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
                             + ",".join(str(k) for k in (1, *ks, 1)), "kernel", kernel=tuple(ks))
        for a in specs:
            if a.stride < 1:
                raise self.error(f"Stride must be > 0, but got {a.stride}", "stride", stride=a.stride)

    def check_explicit(self, kind: str, ndim: int, axis: int, a: AxisSpec, pair: tuple[int, int]) -> None:
        if kind != "max" or ndim == 3:
            raise self.error(f"{self.op(kind, ndim)} takes padding 'SAME' or 'VALID' only (explicit padding lists are "
                             f"for max_pool1d and max_pool2d), but got padding {pair[0]}:{pair[1]}", "explicit-padding",
                             pad_before=pair[0], pad_after=pair[1])
        if min(pair) < 0:
            raise self.error("All elements of explicit_paddings must be nonnegative", "negative-padding",
                             pad_before=pair[0], pad_after=pair[1])
        sides = ("Top", "Bottom") if ndim == 2 and axis == 0 else ("Left", "Right")
        for side, p in zip(sides, pair):
            if p >= a.kernel:
                raise self.error(f"{side} padding {p} needs to be smaller than the window size {a.kernel}",
                                 "padding-window", pad=p, kernel=a.kernel)

    def count(self, kind: str, ndim: int, axis: int, a: AxisSpec, pads: tuple[int, int], ceil_mode: bool) -> Counted:
        pb, pa = pads
        out = rules.tf_windowed_output(a.input, a.kernel, a.stride, 1, pb, pa)
        if out < 0:
            raise self.error(f"Computed output size would be negative: {out} [input_size: {a.input}, "
                             f"effective_filter_size: {a.kernel}, stride: {a.stride}]", "output-negative", output=out)
        return Counted(pb, pa, out, out, None, False)

    def axes(self, kind: str, ndim: int, specs: list[AxisSpec], pads: list[Pad], ceil_mode: bool) -> list[Counted]:
        counted = super().axes(kind, ndim, specs, pads, ceil_mode)
        if kind == "max" and any(isinstance(p, str) for p in pads) and any(c.output == 0 for c in counted):
            # VALID with an empty output: oneDNN rejects it, the Eigen kernel dies (tensorflow#125509)
            raise self.error("max_pool with an empty (size 0) VALID output fails in TF 2.21: oneDNN raises 'could not "
                             "create a descriptor for a pooling forward propagation primitive' or the process dies "
                             f"with SIGFPE (tensorflow#125509); output {tuple(c.output for c in counted)}",
                             "empty-max-pool", output=tuple(c.output for c in counted))
        return counted

    def notes(self, kind: str, ndim: int, specs: list[AxisSpec], pads: list[Pad], stride_given: bool,
              result_axes: Sequence[Any], ceil_mode: bool) -> list[str]:
        notes = []
        if not stride_given:
            notes.append("tf.nn pooling has no default stride; convshape used the kernel size")
        if kind == "avg" and any(a.pad_before or a.pad_after for a in result_axes):
            notes.append("avg_pool with SAME divides by the cells inside the input, never by padded cells")
        return notes


CONV = Conv()
POOL = Pool()
FRAMEWORK = Framework("tf", "TensorFlow", "tensorflow-cpu 2.21 (tf.nn)", CONV, POOL)
