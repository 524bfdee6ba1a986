"""Each framework's convolution rules, in one place per framework.

A framework answers three questions for one spatial axis:

* ``pads``: which (before, after) padding a padding argument means there;
* ``conv_output``: the forward output size, or the framework's rejection;
* ``transposed``: the transposed-convolution sizes it can give, and what selects each.

The integer formulas live in :mod:`convshape.rules`; this module says which of them each
framework applies, with the source each rule was confirmed against.
"""

from __future__ import annotations

from typing import Union

from convshape import rules
from convshape.errors import ShapeError
from convshape.model import AxisSpec, TransposeOption, TransposedAxis

Pad = Union[str, tuple[int, int]]  # a padding keyword, or an explicit (before, after) pair

MAX_INPUT = 2**31 - 1  # int32 sizes, as TF and Caffe store them
MAX_WINDOW = 65536  # kernel, stride, dilation: keeps the listed valid sizes (one per stride step) small

# Keywords that only name a geometry; they mean explicit padding wherever the framework takes it.
GEOMETRIC = {
    "valid": "no padding",
    "full": "d*(k-1) on both sides: every overlap of kernel and input",
    "causal": "d*(k-1) before, 0 after: output t sees inputs <= t",
}


def _geometric_pads(keyword: str, a: AxisSpec) -> tuple[int, int]:
    reach = rules.effective_kernel(a.kernel, a.dilation) - 1
    return {"valid": (0, 0), "full": (reach, reach), "causal": (reach, 0)}[keyword]


class Framework:
    """The rules shared by most frameworks; subclasses override what differs."""

    name = ""
    title = ""
    #: what the framework uses when no padding is given, as typed on the command line
    default_padding = "0"
    #: native padding keywords for a forward convolution -> what they mean there
    keywords: dict[str, str] = {}
    #: native padding keywords for a transposed convolution
    transposed_keywords: dict[str, str] = {}
    #: "asymmetric", "symmetric" or "none": which explicit paddings the layer takes
    explicit = "asymmetric"
    explicit_transposed = "asymmetric"
    negative_padding = False
    #: whether output_padding and an explicit output size can be given together (ONNX)
    output_padding_with_size = False
    #: the smallest output size the transposed convolution may be asked for (TF accepts an empty 0)
    smallest_transposed_output = 1
    #: where the rules come from
    sources: dict[str, str] = {}

    # ------------------------------------------------------------------ helpers
    def error(self, message: str, rule: str, **values: object) -> ShapeError:
        return ShapeError(message, framework=self.name, rule=rule, values=values)

    def check_axis(self, a: AxisSpec) -> None:
        """Reject sizes no framework runs: non-positive input, kernel, stride or dilation, and
        sizes beyond convshape's limits (every valid output size is listed, one per stride step)."""
        for name, value, limit in (("input", a.input, MAX_INPUT), ("kernel", a.kernel, MAX_WINDOW),
                                   ("stride", a.stride, MAX_WINDOW), ("dilation", a.dilation, MAX_WINDOW)):
            if value > limit:
                raise ShapeError(f"{name} must be at most {limit} in convshape, but got {name}={value}",
                                 rule="convshape-limit", values={name: value})
        if a.input < 1:
            raise self.error(f"input size must be at least 1, but got input={a.input}", "input-size",
                             input=a.input)
        if a.kernel < 1:
            raise self.error(f"kernel size should be greater than zero, but got kernel={a.kernel}",
                             "kernel-size", kernel=a.kernel)
        if a.stride < 1:
            raise self.error(f"stride should be greater than zero, but got stride={a.stride}", "stride",
                             stride=a.stride)
        if a.dilation < 1:
            raise self.error(f"dilation should be greater than zero, but got dilation={a.dilation}",
                             "dilation", dilation=a.dilation)

    def check_layer(self, specs: list[AxisSpec], transposed: bool) -> None:
        """Rules that look at every axis at once (none by default)."""

    def notes(self, specs: list[AxisSpec], pads: list[Pad], transposed: bool) -> list[str]:
        """What a user of this framework should know about this layer (none by default)."""
        return []

    def layer(self, transposed: bool, ndim: int) -> str:
        return f"{'ConvTranspose' if transposed else 'Conv'}{ndim}d"

    # ------------------------------------------------------------------ padding
    def pads(self, a: AxisSpec, padding: Pad, transposed: bool = False, ndim: int = 2) -> tuple[int, int]:
        """The explicit (before, after) padding that ``padding`` means on this axis."""
        native = self.transposed_keywords if transposed else self.keywords
        if isinstance(padding, str):
            if padding in native:
                return self.native_pads(a, padding, transposed)
            if padding in GEOMETRIC:
                pair = _geometric_pads(padding, a)
                self.check_explicit(pair, transposed, ndim, keyword=padding)
                return pair
            have = ", ".join(repr(k) for k in native) or "no padding keywords"
            raise self.error(f"{self.layer(transposed, ndim)} has no padding {padding!r}; it takes {have}"
                             + self.explicit_hint(transposed), "padding-keyword", padding=padding)
        self.check_explicit(padding, transposed, ndim)
        return padding

    def explicit_hint(self, transposed: bool) -> str:
        kind = self.explicit_transposed if transposed else self.explicit
        return {"asymmetric": " or explicit numbers", "symmetric": " or a number (the same on both sides)",
                "none": ""}[kind]

    def native_pads(self, a: AxisSpec, keyword: str, transposed: bool) -> tuple[int, int]:
        """Pads of a native keyword; the default covers SAME-style keywords."""
        if keyword == "valid":
            return (0, 0)
        lower = keyword == "same-lower"
        return rules.split_padding(rules.same_total_padding(a.input, a.kernel, a.stride, a.dilation),
                                   extra_at_end=not lower)

    def check_explicit(self, pair: tuple[int, int], transposed: bool, ndim: int, keyword: str | None = None) -> None:
        kind = self.explicit_transposed if transposed else self.explicit
        what = f"padding {keyword!r} ({pair[0]}:{pair[1]})" if keyword else f"padding {pair[0]}:{pair[1]}"
        if kind == "none":
            raise self.error(f"{self.layer(transposed, ndim)} takes no explicit padding, but got {what}; "
                             f"it takes " + ", ".join(repr(k) for k in
                                                       (self.transposed_keywords if transposed else self.keywords)),
                             "explicit-padding", pad_before=pair[0], pad_after=pair[1])
        if kind == "symmetric" and pair[0] != pair[1]:
            raise self.error(f"{self.layer(transposed, ndim)} pads both sides equally, but got {what}",
                             "asymmetric-padding", pad_before=pair[0], pad_after=pair[1])
        if not self.negative_padding and min(pair) < 0:
            raise self.error(f"negative padding is not supported, but got {what}", "negative-padding",
                             pad_before=pair[0], pad_after=pair[1])

    # ------------------------------------------------------------------ forward convolution
    def conv_output(self, a: AxisSpec, pad_before: int, pad_after: int) -> int:
        """Forward output with floor rounding; an output below 1 is rejected."""
        out = rules.conv_output(a.input, a.kernel, a.stride, a.dilation, pad_before, pad_after)
        if out < 1:
            raise self.error(
                f"computed output size {out} is too small, for input={a.input}, pad_before={pad_before}, "
                f"pad_after={pad_after}, kernel={a.kernel}, dilation={a.dilation}, stride={a.stride}",
                "output-too-small", output=out)
        return out

    # ------------------------------------------------------------------ transposed convolution
    def transposed(self, a: AxisSpec, padding: Pad, output_padding: int | None, output_size: int | None,
                   ndim: int, axis: int) -> TransposedAxis:
        raise NotImplementedError

    def forward_output(self, a: AxisSpec, padding: Pad, ndim: int) -> int:
        """The forward output for ``padding`` on this axis, -1 where the framework rejects it
        (the output is non-decreasing in the input size, and a rejection means 'too small')."""
        try:
            pb, pa = self.pads(a, padding, transposed=False, ndim=ndim)
            return self.conv_output(a, pb, pa)
        except ShapeError:
            return -1

    def forward_valid(self, a: AxisSpec, padding: Pad, ndim: int) -> list[tuple[int, int, int]]:
        """Every size o whose forward convolution (same padding argument) gives ``a.input``,
        with the pads used: ``[(o, pad_before, pad_after), ...]``."""
        eff = rules.effective_kernel(a.kernel, a.dilation)
        extra = sum(abs(p) for p in padding) if isinstance(padding, tuple) else 0
        run = rules.preimage(lambda o: self.forward_output(AxisSpec(o, a.kernel, a.stride, a.dilation), padding, ndim),
                             a.input, self.smallest_transposed_output, (a.input + 1) * a.stride + eff + extra)
        if run is None:
            return []
        found = []
        for o in range(run[0], run[1] + 1):
            pb, pa = self.pads(AxisSpec(o, a.kernel, a.stride, a.dilation), padding, transposed=False, ndim=ndim)
            found.append((o, pb, pa))
        return found


class Torch(Framework):
    name = "torch"
    title = "PyTorch (torch.nn)"
    default_padding = "0"
    keywords = {
        "valid": "no padding",
        "same": "stride 1 only; total d*(k-1), the extra at the end (F.pad on the right when odd)",
    }
    transposed_keywords: dict[str, str] = {}
    explicit = "asymmetric"  # nn.ConvNd pads symmetrically; before:after means nn.ZeroPadNd / F.pad first
    explicit_transposed = "symmetric"
    sources = {
        "conv": "aten/src/ATen/native/ConvUtils.h conv_output_size; Convolution.cpp check_shape_forward",
        "same": "torch/nn/modules/conv.py _ConvNd.__init__ (_reversed_padding_repeated_twice); "
                "aten Convolution.cpp _convolution_mode",
        "transposed": "torch/nn/modules/conv.py _ConvTransposeNd._output_padding; "
                      "aten Convolution.cpp (output padding check)",
    }

    def check_axis(self, a: AxisSpec) -> None:
        if a.stride < 1:
            raise self.error(f"non-positive stride is not supported, but got stride={a.stride}", "stride",
                             stride=a.stride)
        super().check_axis(a)

    def notes(self, specs: list[AxisSpec], pads: list[Pad], transposed: bool) -> list[str]:
        if any(isinstance(p, tuple) and p[0] != p[1] for p in pads):
            return ["torch's Conv layers pad both sides equally: before:after means nn.ZeroPad / F.pad before the "
                    "convolution (as padding='same' does internally for an odd total)"]
        return []

    def native_pads(self, a: AxisSpec, keyword: str, transposed: bool) -> tuple[int, int]:
        if keyword == "same":
            if a.stride != 1:
                raise self.error(f"padding='same' is not supported for strided convolutions, but got "
                                 f"stride={a.stride}", "same-strided", stride=a.stride)
            return rules.split_padding(a.dilation * (a.kernel - 1), extra_at_end=True)
        return super().native_pads(a, keyword, transposed)

    def conv_output(self, a: AxisSpec, pad_before: int, pad_after: int) -> int:
        padded = a.input + pad_before + pad_after
        eff = rules.effective_kernel(a.kernel, a.dilation)
        if padded < eff:
            raise self.error(f"Calculated padded input size per channel: ({padded}). Kernel size: ({eff}). "
                             f"Kernel size can't be greater than actual input size", "kernel-larger-than-input",
                             padded_input=padded, kernel=eff)
        return rules.conv_output(a.input, a.kernel, a.stride, a.dilation, pad_before, pad_after)

    def transposed(self, a: AxisSpec, padding: Pad, output_padding: int | None, output_size: int | None,
                   ndim: int, axis: int) -> TransposedAxis:
        pb, pa = self.pads(a, padding, transposed=True, ndim=ndim)
        base = rules.transposed_output(a.input, a.kernel, a.stride, a.dilation, pb, pa, 0)
        limit = max(a.stride, a.dilation)  # output_padding < stride or < dilation
        options = tuple(
            TransposeOption(base + op, op, pb, pa,
                            f"output_padding={op}" + (f" or output_size={base + op}" if op < a.stride else ""))
            for op in range(limit) if base + op >= 1)
        if output_size is not None:
            if not base <= output_size <= base + a.stride - 1:
                raise self.error(f"requested an output size of {output_size}, but valid sizes range from {base} "
                                 f"to {base + a.stride - 1} (for an input of {a.input})", "output-size-range",
                                 output_size=output_size, min_size=base, max_size=base + a.stride - 1)
            op = output_size - base
        else:
            op = 0 if output_padding is None else output_padding
            if op < 0:
                raise self.error(f"negative output_padding is not supported, but got output_padding={op}",
                                 "negative-output-padding", output_padding=op)
            if op >= a.stride and op >= a.dilation:
                raise self.error(f"output padding must be smaller than either stride or dilation, but got "
                                 f"output_padding={op}, stride={a.stride}, dilation={a.dilation}",
                                 "output-padding", output_padding=op, stride=a.stride, dilation=a.dilation)
        out = base + op
        if out < 1:
            # torch's oneDNN backend (picked for kernels over 3 on both of the last two axes, batches
            # over 1, groups) skips this check and may return an empty tensor for an output of 0
            caveat = ("; torch's oneDNN backend, which it picks for larger kernels, batches or groups, may "
                      "instead return an empty tensor" if out == 0 and ndim >= 2 else "")
            if options and output_padding is None:  # the default is rejected, a larger size is not
                caveat += "; valid: " + ", ".join(f"{o.select} gives {o.output}" for o in options)
            raise self.error(f"Given input size per channel: ({a.input}). Calculated output size per channel: "
                             f"({out}). Output size is too small{caveat}", "output-too-small", input=a.input,
                             output=out)
        return TransposedAxis(a.input, a.kernel, a.stride, a.dilation, pb, pa, op, out,
                              tuple(o.output for o in options), options)


class TensorFlow(Framework):
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


class Keras(Framework):
    name = "keras"
    title = "Keras 3 (TensorFlow backend)"
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

    def check_layer(self, specs: list[AxisSpec], transposed: bool) -> None:
        strides = tuple(a.stride for a in specs)
        dilations = tuple(a.dilation for a in specs)
        if any(s > 1 for s in strides) and any(d > 1 for d in dilations):
            raise self.error(f"`strides > 1` not supported in conjunction with `dilation_rate > 1`. Received: "
                             f"strides={strides} and dilation_rate={dilations}", "strides-with-dilation",
                             strides=strides, dilation_rate=dilations)

    def native_pads(self, a: AxisSpec, keyword: str, transposed: bool) -> tuple[int, int]:
        if keyword == "causal":
            return _geometric_pads("causal", a)
        return super().native_pads(a, keyword, transposed)

    def pads(self, a: AxisSpec, padding: Pad, transposed: bool = False, ndim: int = 2) -> tuple[int, int]:
        if padding == "causal" and (ndim != 1 or transposed):
            raise self.error("The `padding` argument must be a list/tuple or one of {'same', 'valid'}. Received: "
                             f"causal ('causal' is for Conv1D only, not {self.layer(transposed, ndim)})",
                             "causal-rank", ndim=ndim)
        return super().pads(a, padding, transposed, ndim)

    def explicit_hint(self, transposed: bool) -> str:
        return "; explicit padding is a ZeroPaddingND layer before the convolution"

    def conv_output(self, a: AxisSpec, pad_before: int, pad_after: int) -> int:
        out = rules.conv_output(a.input, a.kernel, a.stride, a.dilation, pad_before, pad_after)
        if out <= 0:
            raise self.error(f"Computed output size would be zero or negative: {out}. Received inputs shape={a.input}, "
                             f"kernel shape={a.kernel}, dilation_rate={a.dilation}, strides={a.stride}",
                             "output-too-small", output=out)
        return out

    def deconv_length(self, a: AxisSpec, padding: str, output_padding: int | None) -> int:
        """keras/src/backend/common/backend_utils.py ``_get_output_shape_given_tf_padding``
        (the kernel dilated first): valid ``(i-1)*s + max(eff, s)`` or ``(i-1)*s + eff + p``;
        same ``i*s`` or ``(i-1)*s + eff % 2 + p``."""
        eff = rules.effective_kernel(a.kernel, a.dilation)
        if padding == "valid":
            return (a.input - 1) * a.stride + (max(eff, a.stride) if output_padding is None else eff + output_padding)
        if output_padding is None:
            return a.input * a.stride
        return (a.input - 1) * a.stride + eff % 2 + output_padding

    def transposed(self, a: AxisSpec, padding: Pad, output_padding: int | None, output_size: int | None,
                   ndim: int, axis: int) -> TransposedAxis:
        self.pads(a, padding, transposed=True, ndim=ndim)  # rejects what Keras does not take
        tf_mode = "valid" if padding == "valid" else "same"
        if output_padding is not None and output_padding < 0:
            raise self.error(f"The `output_padding` argument must be non-negative, but got {output_padding}",
                             "negative-output-padding", output_padding=output_padding)
        if output_padding is not None and output_padding >= a.stride:
            raise self.error(f"`output_padding` must be strictly less than `strides` for all dimensions. At "
                             f"dimension {axis}, `output_padding` is {output_padding} but `strides` is {a.stride}",
                             "output-padding", output_padding=output_padding, stride=a.stride)
        accepted = {o: (pb, pa) for o, pb, pa in TENSORFLOW.forward_valid(a, tf_mode, ndim)}
        by_size: dict[int, list[str]] = {}
        for op in (None, *range(a.stride)):
            size = self.deconv_length(a, tf_mode, op)
            if size in accepted:
                by_size.setdefault(size, []).append(f"output_padding={op}")
        options = tuple(
            TransposeOption(o, o - rules.transposed_output(a.input, a.kernel, a.stride, a.dilation,
                                                           *accepted[o], 0), *accepted[o], " or ".join(sel))
            for o, sel in sorted(by_size.items()))
        if output_size is not None:
            chosen = next((opt for opt in options if opt.output == output_size), None)
            if chosen is None:
                raise self.error(f"no output_padding gives output size {output_size}; Keras gives "
                                 + ", ".join(str(o.output) for o in options), "output-size",
                                 output_size=output_size)
            return TransposedAxis(a.input, a.kernel, a.stride, a.dilation, chosen.pad_before, chosen.pad_after,
                                  chosen.output_padding, chosen.output, tuple(o.output for o in options), options)
        size = self.deconv_length(a, tf_mode, output_padding)
        if size not in accepted:
            TENSORFLOW.reject_output_shape(a, tf_mode, size, ndim, axis)
        pb, pa = accepted[size]
        op = size - rules.transposed_output(a.input, a.kernel, a.stride, a.dilation, pb, pa, 0)
        return TransposedAxis(a.input, a.kernel, a.stride, a.dilation, pb, pa, op, size,
                              tuple(o.output for o in options), options)


class Jax(Framework):
    name = "jax"
    title = "JAX (jax.lax)"
    default_padding = "valid"
    keywords = {"valid": "VALID: no padding", "same": "SAME: output ceil(i/s), extra at the end",
                "same-upper": "SAME (extra at the end)", "same-lower": "SAME_LOWER: extra at the start"}
    transposed_keywords = {"valid": "VALID: output i*s + max(d*(k-1)+1 - s, 0)", "same": "SAME: output i*s",
                           "same-upper": "SAME"}
    explicit = "asymmetric"
    explicit_transposed = "asymmetric"  # lax.conv_transpose: pads of the stride-dilated input
    negative_padding = True
    sources = {
        "conv": "jax/_src/lax/convolution.py conv_general_dilated, conv_shape_tuple (out = max(0, (P - ke)//s + 1)); "
                "jax/_src/lax/lax.py padtype_to_pads",
        "transposed": "jax/_src/lax/convolution.py conv_transpose, _conv_transpose_padding (with the dilated "
                      "kernel); explicit pairs pad the stride-dilated input unless use_consistent_padding=True",
    }

    def conv_output(self, a: AxisSpec, pad_before: int, pad_after: int) -> int:
        padded = a.input + pad_before + pad_after
        if padded < 0:
            raise self.error(f"Negative padding is larger than the size of the corresponding dimension: got "
                             f"padding=(({pad_before}, {pad_after}),) for lhs_shape[2:]=({a.input},)",
                             "negative-padding", pad_before=pad_before, pad_after=pad_after)
        out = rules.conv_output(a.input, a.kernel, a.stride, a.dilation, pad_before, pad_after)
        return max(out, 0)  # core.stride_dim clamps at 0: an empty output, not an error

    def notes(self, specs: list[AxisSpec], pads: list[Pad], transposed: bool) -> list[str]:
        if transposed and any(isinstance(p, tuple) for p in pads):
            return ["lax.conv_transpose's explicit pairs pad the stride-dilated input (the default "
                    "use_consistent_padding=False); pad before:after is the same geometry in torch's terms"]
        return []

    def transposed_pads(self, a: AxisSpec, padding: Pad) -> tuple[int, int]:
        """The (lo, hi) padding of the stride-dilated input that lax.conv_transpose applies
        (``_conv_transpose_padding``, given the dilated kernel)."""
        if isinstance(padding, tuple):
            return padding
        eff = rules.effective_kernel(a.kernel, a.dilation)
        if padding == "valid":
            total = eff + a.stride - 2 + max(eff - a.stride, 0)
            lo = eff - 1
        else:  # SAME
            total = eff + a.stride - 2
            lo = eff - 1 if a.stride > eff - 1 else rules.div_ceil(total, 2)
        return lo, total - lo

    def transposed(self, a: AxisSpec, padding: Pad, output_padding: int | None, output_size: int | None,
                   ndim: int, axis: int) -> TransposedAxis:
        if output_padding is not None:
            raise self.error("lax.conv_transpose has no output_padding; choose the size with explicit padding",
                             "output-padding-unsupported", output_padding=output_padding)
        if isinstance(padding, str) and padding not in self.transposed_keywords:
            raise self.error(f"lax.conv_transpose takes padding 'SAME', 'VALID' or explicit pairs, not {padding!r}",
                             "padding-keyword", padding=padding)
        lo, hi = self.transposed_pads(a, padding)
        eff = rules.effective_kernel(a.kernel, a.dilation)
        dilated = (a.input - 1) * a.stride + 1
        if dilated + lo + hi < 0:
            raise self.error(f"Negative padding is larger than the size of the corresponding dimension: got "
                             f"padding=(({lo}, {hi}),) for the stride-dilated input of {dilated}",
                             "negative-padding", pad_before=lo, pad_after=hi)
        out = max(0, dilated + lo + hi - eff + 1)
        # the same geometry in torch's terms: padding cropped from the full transposed output
        pb, pa = eff - 1 - lo, eff - 1 - hi
        op = max(0, -pa)
        pa = max(pa, 0)
        shown = f"'{padding.upper().replace('-UPPER', '')}'" if isinstance(padding, str) else f"(({lo}, {hi}),)"
        select = f"padding={shown}"
        if pb >= 0 and op == 0:
            select += f" or padding=(({pb}, {pa}),), use_consistent_padding=True"
        options = (TransposeOption(out, op, pb, pa, select),) if out >= 1 else ()
        if output_size is not None and output_size != out:
            raise self.error(f"padding={shown} gives output size {out}, not {output_size}", "output-size",
                             output=out, output_size=output_size)
        return TransposedAxis(a.input, a.kernel, a.stride, a.dilation, pb, pa, op, out,
                              tuple(o.output for o in options), options)


class Onnx(Framework):
    name = "onnx"
    title = "ONNX (operator spec; onnxruntime where the spec is silent)"
    default_padding = "0"  # auto_pad=NOTSET, pads all 0
    keywords = {"valid": "auto_pad=VALID: no padding",
                "same": "auto_pad=SAME_UPPER (ONNX has no plain SAME)",
                "same-upper": "auto_pad=SAME_UPPER: output ceil(i/s), extra at the end",
                "same-lower": "auto_pad=SAME_LOWER: output ceil(i/s), extra at the start"}
    transposed_keywords = {"valid": "auto_pad=VALID", "same": "auto_pad=SAME_UPPER",
                           "same-upper": "auto_pad=SAME_UPPER: output i*s (when d*(k-1)+1 + output_padding >= s), "
                                         "the extra cropped at the end",
                           "same-lower": "auto_pad=SAME_LOWER: the extra cropped at the start"}
    explicit = "asymmetric"  # pads=[x1_begin, x2_begin, ..., x1_end, x2_end, ...]
    explicit_transposed = "asymmetric"
    output_padding_with_size = True  # output_padding then only enters the generated pads
    sources = {
        "conv": "onnx/defs/nn/defs.cc Conv (auto_pad, pads) and convPoolShapeInference; onnxruntime "
                "core/providers/common.h ComputePadAndOutputShape (a padded input smaller than the kernel is "
                "rejected: 'Invalid input shape')",
        "transposed": "onnx/defs/nn/defs.cc ConvTranspose (output_shape, output_padding, the pads equations); "
                      "onnxruntime core/providers/cpu/nn/conv_transpose_attributes.h ComputePadsAndOutputShape",
    }

    def notes(self, specs: list[AxisSpec], pads: list[Pad], transposed: bool) -> list[str]:
        if any(p in ("same", "same-upper", "same-lower") for p in pads) and any(a.dilation > 1 for a in specs):
            return ["onnxruntime rejects auto_pad SAME_UPPER / SAME_LOWER with dilations > 1 ('Dilation not "
                    "supported for AutoPadType'); the spec and shape inference allow it"]
        return []

    def check_explicit(self, pair: tuple[int, int], transposed: bool, ndim: int, keyword: str | None = None) -> None:
        if min(pair) < 0:
            raise self.error(f"Attribute pads must not contain negative values, but got pads {pair[0]}:{pair[1]}",
                             "negative-padding", pad_before=pair[0], pad_after=pair[1])
        super().check_explicit(pair, transposed, ndim, keyword)

    def conv_output(self, a: AxisSpec, pad_before: int, pad_after: int) -> int:
        out = rules.conv_output(a.input, a.kernel, a.stride, a.dilation, pad_before, pad_after)
        if out < 1:
            raise self.error(f"Invalid input shape: {{{a.input}}} (padded input {a.input + pad_before + pad_after} is "
                             f"smaller than the kernel {rules.effective_kernel(a.kernel, a.dilation)})",
                             "kernel-larger-than-input", input=a.input)
        return out

    def output_shape_pads(self, a: AxisSpec, padding: Pad, output_padding: int, output: int) -> tuple[int, int]:
        """ConvTranspose's pads for an output size: ``total = max(0, F + output_padding - output)``,
        SAME_UPPER puts the odd extra at the end, every other auto_pad (NOTSET too) at the start."""
        full = (a.input - 1) * a.stride + rules.effective_kernel(a.kernel, a.dilation)
        total = max(0, full + output_padding - output)
        return rules.split_padding(total, extra_at_end=padding in ("same", "same-upper"))

    def transposed(self, a: AxisSpec, padding: Pad, output_padding: int | None, output_size: int | None,
                   ndim: int, axis: int) -> TransposedAxis:
        op = output_padding or 0
        if op < 0:
            raise self.error(f"Attribute output_padding must not contain negative values, but got {op}",
                             "negative-output-padding", output_padding=op)
        if op >= max(a.stride, a.dilation):
            raise self.error(f"output_padding[{axis}] ({op}) must be less than max(stride, dilation) "
                             f"({max(a.stride, a.dilation)}) for spatial dimension {axis}.", "output-padding",
                             output_padding=op, stride=a.stride, dilation=a.dilation)
        eff = rules.effective_kernel(a.kernel, a.dilation)
        full = (a.input - 1) * a.stride + eff
        if isinstance(padding, str) and padding != "valid":
            self.pads(a, padding, transposed=True, ndim=ndim)  # rejects keywords ONNX lacks
            default_pads = self.output_shape_pads(a, padding, op, a.input * a.stride)
        else:
            default_pads = self.pads(a, padding, transposed=True, ndim=ndim)
        default = full + op - default_pads[0] - default_pads[1]

        def back(o: int, pb: int, pa: int) -> int:
            return (o + pb + pa - eff) // a.stride + 1

        # output_shape: any size whose auto-generated pads the forward Conv maps back to the input.
        # Those pads total max(0, F + op - o), so the size the forward Conv gives back is
        # non-decreasing in o and the accepted sizes are one run, found by bisection; options are
        # listed for the sizes around the default, the ends of the run and a wanted size (a run
        # of millions of sizes is not spelled out one by one).
        run = rules.preimage(lambda o: back(o, *self.output_shape_pads(a, padding, op, o)), a.input, 1,
                             full + a.stride - 1)
        valid = tuple(range(run[0], run[1] + 1)) if run else ()
        listed = {default + d for d in range(-a.stride - 1, a.stride + 2)} | set(run or ())
        if output_size is not None:
            listed.add(output_size)
        options = []
        for o in sorted(listed):
            if run and run[0] <= o <= run[1]:
                pb, pa = self.output_shape_pads(a, padding, op, o)
                select = f"output_shape={o}" + (" or the default" if o == default else "")
                options.append(TransposeOption(o, op, pb, pa, select))
        if output_size is not None:
            if output_size <= 0:
                raise self.error(f"Explicit output size must be positive. Got: {output_size}", "output-size",
                                 output_size=output_size)
            pb, pa = self.output_shape_pads(a, padding, op, output_size)
            if back(output_size, pb, pa) != a.input:
                raise self.error(f"Explicit output_shape is inconsistent with input spatial dimensions and "
                                 f"convolution parameters. Expected input size {back(output_size, pb, pa)} but got "
                                 f"{a.input} (output_size={output_size}, kernel={a.kernel}, stride={a.stride}, "
                                 f"dilation={a.dilation}, output_padding={op}).", "output-size",
                                 output_size=output_size)
            return TransposedAxis(a.input, a.kernel, a.stride, a.dilation, pb, pa, op, output_size, valid,
                                  tuple(options))
        pb, pa = default_pads
        if default <= 0:
            raise self.error(f"Computed output dimension is <= 0: {default} (input={a.input}, pads {pb}:{pa})",
                             "output-too-small", output=default)
        if back(default, pb, pa) != a.input:
            raise self.error(f"Computed output shape is inconsistent with input spatial dimensions. output_padding "
                             f"({op}) may be too large for stride ({a.stride}). Expected input size "
                             f"{back(default, pb, pa)} but got {a.input}.", "output-padding", output_padding=op,
                             stride=a.stride)
        return TransposedAxis(a.input, a.kernel, a.stride, a.dilation, pb, pa, op, default, valid, tuple(options))


class Caffe(Framework):
    name = "caffe"
    title = "Caffe (BVLC)"
    default_padding = "0"
    keywords: dict[str, str] = {}
    transposed_keywords: dict[str, str] = {}
    explicit = "symmetric"  # pad / pad_h, pad_w
    explicit_transposed = "symmetric"
    sources = {
        "conv": "caffe/src/caffe/layers/conv_layer.cpp ConvolutionLayer::compute_output_shape",
        "transposed": "caffe/src/caffe/layers/deconv_layer.cpp DeconvolutionLayer::compute_output_shape",
    }

    def layer(self, transposed: bool, ndim: int) -> str:
        return "Deconvolution" if transposed else "Convolution"

    def conv_output(self, a: AxisSpec, pad_before: int, pad_after: int) -> int:
        out = rules.caffe_output(a.input, a.kernel, a.stride, a.dilation, pad_before)
        if out < 0:
            raise self.error(f"Check failed: shape[i] >= 0 ({out} vs. 0): output size {out} for input={a.input}, "
                             f"pad={pad_before}, kernel={a.kernel}, dilation={a.dilation}, stride={a.stride}",
                             "output-negative", output=out)
        return out

    def transposed(self, a: AxisSpec, padding: Pad, output_padding: int | None, output_size: int | None,
                   ndim: int, axis: int) -> TransposedAxis:
        if output_padding:
            raise self.error(f"Deconvolution has no output_padding, but got output_padding={output_padding}",
                             "output-padding-unsupported", output_padding=output_padding)
        pb, pa = self.pads(a, padding, transposed=True, ndim=ndim)
        out = rules.transposed_output(a.input, a.kernel, a.stride, a.dilation, pb, pa, 0)
        if out < 0:
            raise self.error(f"Check failed: shape[i] >= 0 ({out} vs. 0): Deconvolution output {out} for "
                             f"input={a.input}, pad={pb}, kernel={a.kernel}, stride={a.stride}", "output-negative",
                             output=out)
        options = (TransposeOption(out, 0, pb, pa, f"pad={pb}"),) if out >= 1 else ()
        if output_size is not None and output_size != out:
            raise self.error(f"Deconvolution with pad={pb} gives {out}, not {output_size}", "output-size",
                             output=out, output_size=output_size)
        return TransposedAxis(a.input, a.kernel, a.stride, a.dilation, pb, pa, 0, out,
                              tuple(o.output for o in options), options)


TORCH = Torch()
TENSORFLOW = TensorFlow()
FRAMEWORKS: dict[str, Framework] = {fw.name: fw for fw in (TORCH, TENSORFLOW, Keras(), Jax(), Onnx(), Caffe())}
ALIASES = {"pytorch": "torch", "tensorflow": "tf", "tf.nn": "tf", "tf.keras": "keras", "lax": "jax",
           "jax.lax": "jax", "onnxruntime": "onnx", "ort": "onnx"}


def framework_rules(name: str) -> Framework:
    """The rules of a framework by name or alias (``torch``, ``pytorch``, ``tf``, ``tensorflow``, ...)."""
    key = ALIASES.get(name.strip().lower(), name.strip().lower())
    if key not in FRAMEWORKS:
        raise ShapeError(f"unknown framework {name!r}; expected one of " + ", ".join(FRAMEWORKS),
                         rule="unknown-framework", values={"framework": name})
    return FRAMEWORKS[key]
