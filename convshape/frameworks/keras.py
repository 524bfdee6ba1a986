"""Keras: every op family's rules as this framework applies them, with their sources."""

from __future__ import annotations


from convshape import rules
from convshape.frameworks.base import (ConvRules, Framework, Pad, PoolRules,
                                       geometric_pads)
from convshape.model import AxisSpec, Counted, TransposeOption, TransposedAxis
from convshape.frameworks.tf import CONV as TF_CONV


class Conv(ConvRules):
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
            return geometric_pads("causal", a)
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
        accepted = {o: (pb, pa) for o, pb, pa in TF_CONV.forward_valid(a, tf_mode, ndim)}
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
            TF_CONV.reject_output_shape(a, tf_mode, size, ndim, axis)
        pb, pa = accepted[size]
        op = size - rules.transposed_output(a.input, a.kernel, a.stride, a.dilation, pb, pa, 0)
        return TransposedAxis(a.input, a.kernel, a.stride, a.dilation, pb, pa, op, size,
                              tuple(o.output for o in options), options)


class Pool(PoolRules):
    name = "keras"
    title = "Keras 3 (TensorFlow backend)"
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
                             f"including values {{{min(ks)}}} that do not satisfy `value > 0`", "kernel", kernel=ks)
        if min(a.stride for a in specs) < 1:
            raise self.error(f"strides must be positive, but got strides={tuple(a.stride for a in specs)} (Keras "
                             f"pooling does not check: it raises ZeroDivisionError: division by zero)", "stride",
                             stride=tuple(a.stride for a in specs))

    def pads(self, kind: str, ndim: int, axis: int, a: AxisSpec, padding: Pad) -> tuple[int, int]:
        if isinstance(padding, str) and padding not in self.keywords:
            raise self.error(f"Argument `padding` must be either 'valid' or 'same'. Received: padding={padding}",
                             "padding-keyword", padding=padding)
        if isinstance(padding, tuple):
            raise self.error(f"Argument `padding` must be either 'valid' or 'same', not numbers "
                             f"({padding[0]}:{padding[1]}); a ZeroPadding{ndim}D layer before it pads with zeros",
                             "explicit-padding", pad_before=padding[0], pad_after=padding[1])
        return super().pads(kind, ndim, axis, a, padding)

    def check_output(self, kind: str, ndim: int, specs: list[AxisSpec], counted: list[Counted]) -> None:
        # 'same' always gives ceil(i/s) >= 1; the floor rule with SAME's pads is the same size
        if any(c.output <= 0 for c in counted):
            raise self.error("Computed output size would be zero or negative. Received: `inputs.shape=(None, "
                             + ", ".join(str(a.input) for a in specs) + ", C)`, `pool_size=("
                             + ", ".join(str(a.kernel) for a in specs) + ")`, `strides=("
                             + ", ".join(str(a.stride) for a in specs) + ")`, `padding=valid`.",
                             "output-too-small", output=tuple(c.output for c in counted))


CONV = Conv()
POOL = Pool()
FRAMEWORK = Framework("keras", "Keras 3", "keras 3.15 (TensorFlow backend)", CONV, POOL)
