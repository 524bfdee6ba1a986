"""What every framework module builds on: one base class per op family, each holding the
rules most frameworks share, and :class:`Framework`, the registry entry that bundles a
framework's families. A family the framework lacks answers with :meth:`FamilyRules.no_layer`
(an explicit rejection), never a fall-through.

The integer formulas live in :mod:`convshape.rules`; the framework modules say which of them
each framework applies, with the source each rule was confirmed against.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from convshape import rules
from convshape.errors import Rule, ShapeError
from convshape.axes import empty_warnings as empty_warnings  # re-exported: the framework modules' one warning
from convshape.limits import check_axes
from convshape.model import AxisSpec, Window
from convshape.rules.pool import starts_past_input, window_count

if TYPE_CHECKING:  # the other families' values load on first use (convshape.model): start-up
    from convshape.model import AdaptiveWindows, Counted, Resampled, TransposedAxis, UnpoolAxis

Pad = str | tuple[int, int]  # a padding keyword, or an explicit (before, after) pair


KINDS = {"max": "max pooling", "avg": "average pooling", "lp": "LP (power-average) pooling"}

# Keywords that only name a geometry; they mean explicit padding wherever the framework takes it.
GEOMETRIC = {
    "valid": "no padding",
    "full": "d*(k-1) on both sides: every overlap of kernel and input",
    "causal": "d*(k-1) before, 0 after: output t sees inputs <= t",
}


def geometric_pads(keyword: str, a: AxisSpec) -> tuple[int, int]:
    reach = rules.effective_kernel(a.kernel, a.dilation) - 1
    return {"valid": (0, 0), "full": (reach, reach), "causal": (reach, 0)}[keyword]


class ConvRules:
    """A framework's convolution and transposed-convolution rules, one spatial axis at a time:

    * ``pads``: which (before, after) padding a padding argument means there;
    * ``conv_output``: the forward output size, or the framework's rejection;
    * ``transposed``: the transposed-convolution sizes it can give, and what selects each.

    The rules shared by most frameworks; subclasses override what differs."""

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
    #: whether output_padding and an explicit output size can be given together (ONNX, torch)
    output_padding_with_size = False
    #: with both given, the note saying the output size wins and output_padding is ignored (torch), or ""
    output_size_overrides_output_padding = ""
    #: the smallest output size the transposed convolution may be asked for (TF accepts an empty 0)
    smallest_transposed_output = 1
    #: where the rules come from
    sources: dict[str, str] = {}
    #: how a transposed convolution selects its size on top of the padding: "output_padding",
    #: "keras_output_padding" (None or 0..s-1), "output_shape" (tf) or "padding" (the pads alone)
    transposed_select = "output_padding"
    #: whether an output_shape (with auto_pad or pads 0, which it then generates) also selects the size (ONNX)
    transposed_output_shape = False
    #: whether explicit transposed pads are those of the stride-dilated input (jax.lax.conv_transpose)
    transposed_dilated_pads = False
    #: whether the transposed size is the one whose forward convolution gives the input (tf, keras)
    transposed_by_forward = False
    #: solve: which explicit paddings it proposes for a forward convolution, where narrower than the engine's
    solve_explicit: str | None = None
    #: solve: numbers before keywords (where numbers are the idiom)
    solve_numbers_first = False
    #: solve: what a combination may not mix, beyond the shared rules (appended to its rejection)
    solve_combination_limits = ""
    #: solve: a note on every forward-convolution answer
    solve_note = ""

    # ------------------------------------------------------------------ helpers
    def error(self, message: str, rule: Rule | str, **values: object) -> ShapeError:
        return ShapeError(message, framework=self.name, rule=rule, values=values)

    def transposed_fits(self, size: int, kernel: int, stride: int, dilation: int, pad_before: int, pad_after: int,
                        output_padding: int, target: int) -> bool:
        """Whether explicit transposed pads give ``target``: by default the cropped full output
        ``(i-1)*s - pb - pa + d*(k-1) + 1 + op`` (torch, ONNX, Caffe); a framework overrides it."""
        return rules.transposed_output(size, kernel, stride, dilation, pad_before, pad_after, output_padding) == target

    #: whether a transposed convolution takes an empty spatial input (size 0) (onnxruntime: without output_shape)
    transposed_empty_input = False

    def fitting_output_padding(self, size: int, kernel: int, stride: int, dilation: int, pad_before: int,
                               pad_after: int, target: int) -> int | None:
        """The output_padding with which :meth:`transposed_fits` holds for these explicit pads (the
        inverse of the default: ``target - ((i-1)*s - pb - pa + d*(k-1) + 1)``), None where the
        framework rejects every one; solve computes it instead of trying every output_padding. A
        framework overriding one overrides both."""
        return target - rules.transposed_output(size, kernel, stride, dilation, pad_before, pad_after, 0)

    def output_shape_fits(self, a: AxisSpec, padding: Pad, target: int, ndim: int) -> bool:
        """solve: a cheap necessary condition for a transposed layer to take the output size
        ``target`` as its output_shape argument (tf, ONNX); by default no condition."""
        return True

    def takes_explicit(self, transposed: bool, ndim: int) -> bool:
        """Whether the layer of this rank takes explicit (before, after) numbers at all (solve
        proposes none where every pair is rejected)."""
        return (self.explicit_transposed if transposed else self.explicit) != "none"

    def solve_output_paddings(self, a: AxisSpec, padding: str, target: int,
                              choices: Sequence[int | None]) -> Sequence[int | None]:
        """solve: the output_padding values among ``choices`` that may give ``target`` with this
        padding keyword (a necessary condition; the engine then judges each). By default all."""
        return choices

    def check_axis(self, a: AxisSpec, transposed: bool = False) -> None:
        """Reject sizes no framework runs: non-positive input, kernel, stride or dilation, and
        sizes beyond convshape's limits (every valid output size is listed, one per stride step).
        ``transposed``: a transposed convolution's axis (an input of 0 where the framework runs it)."""
        check_axes([a])
        if a.input < (0 if transposed and self.transposed_empty_input else 1):
            raise self.error(f"input size must be at least 1, but got input={a.input}", Rule.INPUT_SIZE,
                             input=a.input)
        if a.kernel < 1:
            raise self.error(f"kernel size should be greater than zero, but got kernel={a.kernel}",
                             Rule.KERNEL_SIZE, kernel=a.kernel)
        if a.stride < 1:
            raise self.error(f"stride should be greater than zero, but got stride={a.stride}", Rule.STRIDE,
                             stride=a.stride)
        if a.dilation < 1:
            raise self.error(f"dilation should be greater than zero, but got dilation={a.dilation}",
                             Rule.DILATION, dilation=a.dilation)

    def check_layer(self, specs: list[AxisSpec], transposed: bool, depthwise: bool = False) -> None:
        """Rules that look at every axis at once (none by default); ``depthwise``: a depthwise or
        separable layer (Keras runs those through other code)."""

    def notes(self, specs: list[AxisSpec], pads: list[Pad], transposed: bool) -> list[str]:
        """What a user of this framework should know about this layer (none by default)."""
        return []

    def result_notes(self, axes: Sequence[Any], transposed: bool) -> list[str]:
        """What a user should know about the computed axes (``ConvAxis`` / ``TransposedAxis``):
        where another authority of the same framework gives another answer (none by default)."""
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
                pair = geometric_pads(padding, a)
                self.check_explicit(pair, transposed, ndim, keyword=padding)
                return pair
            have = ", ".join(repr(k) for k in native) or "no padding keywords"
            raise self.error(f"{self.layer(transposed, ndim)} has no padding {padding!r}; it takes {have}"
                             + self.explicit_hint(transposed), Rule.PADDING_KEYWORD, padding=padding)
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
                             Rule.EXPLICIT_PADDING, pad_before=pair[0], pad_after=pair[1])
        if kind == "symmetric" and pair[0] != pair[1]:
            raise self.error(f"{self.layer(transposed, ndim)} pads both sides equally, but got {what}",
                             Rule.ASYMMETRIC_PADDING, pad_before=pair[0], pad_after=pair[1])
        if not self.negative_padding and min(pair) < 0:
            raise self.error(f"negative padding is not supported, but got {what}", Rule.NEGATIVE_PADDING,
                             pad_before=pair[0], pad_after=pair[1])

    # ------------------------------------------------------------------ forward convolution
    def conv_output(self, a: AxisSpec, pad_before: int, pad_after: int) -> int:
        """Forward output with floor rounding; an output below 1 is rejected."""
        out = rules.conv_output(a.input, a.kernel, a.stride, a.dilation, pad_before, pad_after)
        if out < 1:
            raise self.error(
                f"computed output size {out} is too small, for input={a.input}, pad_before={pad_before}, "
                f"pad_after={pad_after}, kernel={a.kernel}, dilation={a.dilation}, stride={a.stride}",
                Rule.OUTPUT_TOO_SMALL, output=out)
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

    def forward_valid(self, a: AxisSpec, padding: Pad, ndim: int) -> tuple[range, Callable[[int], tuple[int, int]]]:
        """Every size o whose forward convolution (same padding argument) gives ``a.input`` (one
        run, found by bisection: its cost does not grow with the stride), and the pads the
        forward convolution uses for each: ``(sizes, pads_of)``."""
        eff = rules.effective_kernel(a.kernel, a.dilation)
        extra = sum(abs(p) for p in padding) if isinstance(padding, tuple) else 0
        run = rules.preimage(lambda o: self.forward_output(AxisSpec(o, a.kernel, a.stride, a.dilation), padding, ndim),
                             a.input, self.smallest_transposed_output, (a.input + 1) * a.stride + eff + extra)

        def pads_of(o: int) -> tuple[int, int]:
            return self.pads(AxisSpec(o, a.kernel, a.stride, a.dilation), padding, transposed=False, ndim=ndim)

        return (range(0) if run is None else range(run[0], run[1] + 1)), pads_of


class PoolRules:
    """A framework's pooling rules; subclasses override what differs."""

    name = ""
    title = ""
    #: the layer or function per kind (``{n}`` = spatial axes); a missing kind is unsupported
    ops: dict[str, str] = {}
    ndims: tuple[int, ...] = (1, 2, 3)
    default_padding = "0"
    keywords: dict[str, str] = {}
    #: "asymmetric", "symmetric" or "none": which explicit paddings the layer takes
    explicit = "asymmetric"
    has_ceil_mode = True
    ceil_default = False
    #: the kinds that take a dilation
    dilation_kinds: tuple[str, ...] = ("max", "avg", "lp")
    #: average pooling: the default, and whether the user may choose
    cip_default = False
    cip_choice = True
    stride_is_kernel = True  # the default stride: the kernel (True) or 1
    trunc = False  # the floor rule divides toward zero (C++ int64), not down
    drop_needs_padding = False  # Caffe drops a window starting past the input only when it pads
    sources: dict[str, str] = {}
    #: solve: numbers before keywords (where numbers are the idiom)
    solve_numbers_first = False
    #: solve: what a combination may not mix, beyond the shared rules (appended to its rejection)
    solve_combination_limits = ""
    #: solve: a note on every answer (none for pooling)
    solve_note = ""

    def error(self, message: str, rule: Rule | str, **values: object) -> ShapeError:
        return ShapeError(message, framework=self.name, rule=rule, values=values)

    def op(self, kind: str, ndim: int) -> str:
        return self.ops[kind].format(n=ndim)

    def at_opset(self, opset: int | None) -> PoolRules:
        """These rules as a model of ONNX ``opset`` gets them: the ONNX spec versions its pooling
        operators (see frameworks/onnx.py); every other framework's rules are themselves."""
        return self

    # ------------------------------------------------------------------ layer
    def default_stride(self, kernel: tuple[int, ...]) -> tuple[int, ...]:
        return kernel if self.stride_is_kernel else (1,) * len(kernel)

    def count_include_pad(self, kind: str, wanted: bool | None, ndim: int) -> bool | None:
        if kind != "avg":
            if wanted is not None:
                raise ShapeError("count_include_pad applies to average pooling only", rule=Rule.COUNT_INCLUDE_PAD,
                                 values={"count_include_pad": wanted})
            return None
        if wanted is None or wanted == self.cip_default:
            return self.cip_default
        if not self.cip_choice:
            raise self.error(f"{self.op('avg', ndim)} always {'counts' if self.cip_default else 'excludes'} padded "
                             f"cells in the average; it has no count_include_pad", Rule.COUNT_INCLUDE_PAD,
                             count_include_pad=wanted)
        return wanted

    def check(self, kind: str, ndim: int, specs: list[AxisSpec], ceil_mode: bool) -> None:
        """What the framework cannot run at all: the kind, the rank, ceil_mode, dilation."""
        if kind not in self.ops:
            have = ", ".join(f"{k} ({self.op(k, ndim)})" for k in self.ops)
            raise self.error(f"{self.title} has no {KINDS[kind]}; it has {have}", Rule.KIND, kind=kind)
        if ndim not in self.ndims:
            raise self.error(f"{self.op(kind, 2)} pools over " + " or ".join(f"{n}-D" for n in self.ndims)
                             + f" inputs, not {ndim}-D", Rule.RANK, ndim=ndim)
        if ceil_mode and not self.has_ceil_mode:
            raise self.error(f"{self.op(kind, ndim)} has no ceil_mode; its 'same' padding gives ceil(input / stride)",
                             Rule.CEIL_MODE, ceil_mode=True)
        dilation = tuple(a.dilation for a in specs)
        if kind not in self.dilation_kinds and any(d != 1 for d in dilation):
            raise self.error(f"{self.op(kind, ndim)} takes no dilation, but got dilation={dilation}",
                             Rule.DILATION_UNSUPPORTED, dilation=dilation)

    def axes(self, kind: str, ndim: int, specs: list[AxisSpec], pads: list[Pad], ceil_mode: bool) -> list[Counted]:
        """Every axis's padding and sizes, or the framework's rejection."""
        self.check_values(kind, ndim, specs)
        counted = [self.count(kind, ndim, axis, spec, self.pads(kind, ndim, axis, spec, pad), ceil_mode)
                   for axis, (spec, pad) in enumerate(zip(specs, pads))]
        self.check_output(kind, ndim, specs, counted)
        return counted

    def check_values(self, kind: str, ndim: int, specs: list[AxisSpec]) -> None:
        for a in specs:
            for what, value in (("kernel", a.kernel), ("stride", a.stride), ("dilation", a.dilation)):
                if value < 1:
                    raise self.error(f"{what} should be greater than zero, but got {what}={value}", what,
                                     **{what: value})

    def check_output(self, kind: str, ndim: int, specs: list[AxisSpec], counted: list[Counted]) -> None:
        """Rejections that look at the computed sizes (none by default)."""

    # ------------------------------------------------------------------ padding
    def pads(self, kind: str, ndim: int, axis: int, a: AxisSpec, padding: Pad) -> tuple[int, int]:
        op = self.op(kind, ndim)
        if isinstance(padding, str):
            if padding not in self.keywords:
                have = ", ".join(repr(k) for k in self.keywords) or "no padding keywords"
                numbers = {"asymmetric": " or numbers (before:after)", "symmetric": " or a number (both sides)",
                           "none": ""}[self.explicit]
                raise self.error(f"{op} has no padding {padding!r}; it takes {have}{numbers}", Rule.PADDING_KEYWORD,
                                 padding=padding)
            if padding == "valid":
                return (0, 0)
            return self.same_pads(a, padding)
        if self.explicit == "none":
            raise self.error(f"{op} takes padding " + " or ".join(repr(k) for k in self.keywords)
                             + f", not numbers ({padding[0]}:{padding[1]})", Rule.EXPLICIT_PADDING,
                             pad_before=padding[0], pad_after=padding[1])
        if self.explicit == "symmetric" and padding[0] != padding[1]:
            raise self.error(f"{op} pads both sides equally, but got padding {padding[0]}:{padding[1]}",
                             Rule.ASYMMETRIC_PADDING, pad_before=padding[0], pad_after=padding[1])
        self.check_explicit(kind, ndim, axis, a, padding)
        return padding

    def same_pads(self, a: AxisSpec, keyword: str) -> tuple[int, int]:
        """SAME: output ceil(i/s); total max(0, (o-1)*s + eff - i), the odd one at the end
        (at the start for same-lower)."""
        total = rules.same_total_padding(a.input, a.kernel, a.stride, a.dilation)
        return rules.split_padding(total, extra_at_end=keyword != "same-lower")

    def check_explicit(self, kind: str, ndim: int, axis: int, a: AxisSpec, pair: tuple[int, int]) -> None:
        if min(pair) < 0:
            raise self.error(f"negative padding is not supported, but got padding {pair[0]}:{pair[1]}",
                             Rule.NEGATIVE_PADDING, pad_before=pair[0], pad_after=pair[1])

    # ------------------------------------------------------------------ sizes
    def count(self, kind: str, ndim: int, axis: int, a: AxisSpec, pads: tuple[int, int], ceil_mode: bool) -> Counted:
        """The floor or ceil rule, and ceil_mode's drop of a last window starting past the input."""
        from convshape.model import Counted

        pb, pa = pads
        floor = window_count(a.input, a.kernel, a.stride, a.dilation, pb, pa, False, self.trunc)
        if not ceil_mode:
            return Counted(pb, pa, floor, floor, None, False)
        raw = window_count(a.input, a.kernel, a.stride, a.dilation, pb, pa, True)
        dropped = (pb > 0 or not self.drop_needs_padding) and starts_past_input(raw, a.input, a.stride, pb)
        return Counted(pb, pa, raw - dropped, floor, raw, dropped)

    def notes(self, kind: str, ndim: int, specs: list[AxisSpec], pads: list[Pad], stride_given: bool,
              result_axes: Sequence[Any], ceil_mode: bool) -> list[str]:
        return []



# ---------------------------------------------------------------------------- resampling, unpooling
class FamilyRules:
    """What every op family's rules share: the framework's name and its errors. A family the
    framework lacks answers with :meth:`no_layer`, an explicit rejection (exit 1)."""

    name = ""
    #: the family, as the rejection names it
    family = ""
    #: where the rules come from
    sources: dict[str, str] = {}

    def error(self, message: str, rule: Rule | str, **values: object) -> ShapeError:
        return ShapeError(message, framework=self.name, rule=rule, values=values)


class ResampleRules(FamilyRules):
    """Interpolation / upsampling and pixel (un)shuffle. The base rules have neither: each entry
    point raises the rejection "no <layer> layer: <why>" (rule ``not-in-framework``); a framework
    with the layer drops it from :attr:`lacks` and overrides the entry point."""

    family = "resample"
    #: the layers the framework has no counterpart of -> why, and what to use instead
    lacks: dict[str, str] = {"interpolate": "no interpolation or upsampling layer is known to convshape",
                             "pixel shuffle": "no pixel shuffle (depth-to-space) layer is known to convshape"}
    #: interpolation modes the framework knows, in its own order
    modes: tuple[str, ...] = ()
    #: what the argument-check errors call the interpolation layer ("<flag> ...; <this> has no such argument")
    interpolate_name = ""
    #: the interpolate arguments the framework's layer takes (the others are rejected as another framework's)
    options: frozenset[str] = frozenset()
    #: the note's ending where the kernel samples with the scale, not with output / input
    recompute_hint = ""
    #: pixel shuffle: data format -> the layer ({shuffle}, {depth_to_space}, ... filled in for unshuffle)
    shuffle_layers: dict[str, str] = {}
    shuffle_hint = ""
    #: the data format a pixel shuffle defaults to
    shuffle_format = "NCHW"

    def no_layer(self, what: str, label: str) -> ShapeError:
        return ShapeError(f"no {label} layer: {self.lacks[what]}", framework=self.name, rule=Rule.NOT_IN_FRAMEWORK,
                          values={"framework": self.name})

    def check_layer(self, what: str, label: str) -> None:
        """``what`` is "interpolate" or "pixel shuffle": the rejection if the framework lacks it."""
        if what in self.lacks:
            raise self.no_layer(what, label)

    # ------------------------------------------------------------------ interpolation
    def resizing(self, size_given: bool) -> bool:
        """Whether the call is a resize to a size rather than an upsampling by a factor (keras)."""
        return False

    def default_rank(self, resizing: bool) -> int:
        """The spatial axes when one number is given and the mode implies none."""
        return 1

    #: whether ``upsample`` (the module form) drops a single scale of 0
    upsample_zero_scale_is_none = False

    def check_upsample(self, antialias: bool) -> None:
        """The module form's own argument checks (none by default)."""

    def argument_options(self, resizing: bool) -> frozenset[str]:
        return self.options

    def layer_name(self, resizing: bool) -> str:
        """The layer, as an argument check names it."""
        return self.interpolate_name or self.name

    def check_arguments(self, size: Any, scale: Any, antialias: bool, resizing: bool) -> None:
        """Argument combinations the layer refuses before it looks at sizes (none by default)."""

    def interpolate(self, n: int, ins: tuple[int, ...], sizes: tuple[int, ...] | None,
                    scales: tuple[Any, ...] | None, scale_arg: Any, mode: str | None, align_corners: bool | None,
                    recompute: bool | None, antialias: bool, policy: str | None, crop: bool, pad: bool,
                    layer_name: str, resizing: bool, warnings: list[str], notes: list[str]) -> Resampled:
        """The output sizes, checked in the framework's order, or its rejection."""
        raise self.no_layer("interpolate", layer_name)

    def rounding(self, size: int, scale: Any, scale_used: float | None) -> tuple[str, str]:
        """How a report shows a scale and the size computed from it: ``(asked, rounding)``; by default
        torch's ``trunc(double(size) * scale)``."""
        return f"scale {scale:g}", f"trunc({size} x {scale!r} = {float(size) * scale!r})"

    def sampling_step(self, mode: str, n: int, antialias: bool, size: int, extent: int, output: int,
                      scale: float | None, align_corners: bool) -> float:
        """Input pixels per output pixel on one axis (``extent``: what the kernel resizes)."""
        from convshape.rules.resample import source_step

        return source_step(extent, output, scale, False)

    # ------------------------------------------------------------------ pixel shuffle
    def pixel_shuffle(self, shape: tuple[int, ...], factor: int, unshuffle: bool, data_format: str,
                      warnings: list[str], notes: list[str]) -> tuple[int, ...]:
        """The whole output shape, or the framework's rejection."""
        raise self.no_layer("pixel shuffle", "pixel unshuffle" if unshuffle else "pixel shuffle")


def torch_shape(values: Sequence[int], ndim: int, extra: bool = False) -> str:
    """A tensor's sizes as torch prints them for a batch of 1 with 1 channel (``[1, 1, 5, 3]``);
    ``extra`` adds the axis torch's 1-D ops insert before calling the 2-D kernel."""
    return "[" + ", ".join(str(v) for v in [1, 1, *([1] if extra and ndim == 1 else []), *values]) + "]"


class PoolingFamilyRules(FamilyRules):
    """Adaptive pooling, fractional max pooling and max unpooling share this rejection: "<fw> has no
    <what>; convshape knows it in <the frameworks that have it>" (rule ``unsupported-op``)."""

    what = ""
    #: the framework's layers for the family (None: it has none)
    layers: str | None = None
    #: why a framework with the layer in another, unmodelled form is not said to lack it
    not_modelled: str | None = None

    def known(self, skip_layers: str | None = None) -> str:
        """The frameworks that have this family, as the rejections list them (one line per distinct layer)."""
        from convshape.frameworks import FRAMEWORKS

        seen: dict[str, str] = {}
        for fw in FRAMEWORKS.values():
            rules = getattr(fw, self.family)
            if rules.layers is not None and rules.layers not in seen.values() and rules.layers != skip_layers:
                seen[fw.name] = rules.layers
        return "; ".join(f"{k} ({v})" for k, v in seen.items())

    def no_layer(self) -> ShapeError:
        lacks = self.not_modelled or f"{self.name} has no {self.what}"
        return ShapeError(f"{lacks}; convshape knows it in {self.known()}", framework=self.name,
                          rule=Rule.UNSUPPORTED_OP, values={"framework": self.name})

    def check_layer(self) -> None:
        if self.layers is None:
            raise self.no_layer()


def torch_adaptive_windows(size: int, output: int) -> AdaptiveWindows:
    """torch's adaptive windows (rules.unpool.adaptive_window), each computed when asked for."""
    from convshape.model import AdaptiveWindows
    from convshape.rules.unpool import adaptive_window

    return AdaptiveWindows(size, output, lambda o: adaptive_window(o, size, output), integer_rule=True)


class AdaptiveRules(PoolingFamilyRules):
    """Adaptive average / max pooling: the checks, and the window function."""

    family = "adaptive"
    what = "adaptive pooling"

    def windows(self, kind: str, ins: Sequence[int], outs: Sequence[int], warnings: list[str],
                notes: list[str]) -> Callable[[int, int], Sequence[Window]]:
        """The framework's checks in its order, then its window rule ``(input, output) -> windows``."""
        raise self.no_layer()

    def final_notes(self, n: int, notes: list[str]) -> None:
        """Notes after the windows are listed (none by default)."""


class FractionalRules(PoolingFamilyRules):
    """Fractional max pooling: torch's only (see :mod:`convshape.frameworks.torch`)."""

    family = "fractional"
    what = "fractional max pooling"

    def outputs(self, ins: Sequence[int], ks: Sequence[int], kernel: Any, output_size: Any, output_ratio: Any,
                n: int, notes: list[str]) -> tuple[tuple[int, ...], tuple[float | None, ...]]:
        """The output size and ratio per axis, checked in the framework's order, or its rejection."""
        raise self.no_layer()

    def limits(self, size: int, kernel: int, output: int, n: int) -> tuple[int, int]:
        """(the largest output for this kernel, the largest kernel for this output) on one axis."""
        raise self.no_layer()


class UnpoolRules(PoolingFamilyRules):
    """Max unpooling: the sizes, every accepted output size, and the max pool's inputs."""

    family = "unpool"
    what = "max unpooling"
    #: the stride when none is given: the kernel (True) or 1
    stride_is_kernel = True
    #: the max pool's values this framework checks before unpooling
    positive: tuple[str, ...] = ("input", "kernel", "stride")
    #: how the unpool report's column names the max pool
    pooled_by = "MaxPool (ceil_mode=False) maps it to the input"

    def unpool(self, ins: Sequence[int], ks: Sequence[int], ss: Sequence[int], padding: Any,
               outs: Sequence[int] | None, n: int, stride_given: bool) -> tuple[tuple[UnpoolAxis, ...], list[str],
                                                                                  str, list[str]]:
        """Axes, warnings, the padding as shown, and notes; or the framework's rejection."""
        raise self.no_layer()


class UnfoldRules(PoolingFamilyRules):
    """Unfold (im2col: sliding blocks to columns) and fold (col2im: columns back to a tensor)."""

    family = "unfold"
    what = "unfold / fold (im2col / col2im) layer"
    #: the columns are the last axis (tf.image.extract_patches: N, rows, cols, kh*kw*C), not the second to last
    columns_last = False

    def unfold(self, shape: Sequence[int], ks: Sequence[int], ss: Sequence[int], ps: Sequence[int],
               ds: Sequence[int]) -> tuple[tuple[int, ...], tuple[int, ...]]:
        """(the output tensor, the blocks per spatial axis) for an input tensor, or the rejection."""
        raise self.no_layer()

    def unfold_keyword(self, shape: Sequence[int], ks: Sequence[int], ss: Sequence[int], ds: Sequence[int],
                       keyword: str) -> tuple[tuple[int, ...], tuple[int, ...], tuple[tuple[int, int], ...]]:
        """(the output tensor, the blocks, the (before, after) pads per spatial axis) for a padding
        keyword; by default the layer takes numbers only."""
        layer = (self.layers or self.name).split(",")[0]
        raise ShapeError(f"{layer} takes padding numbers, not {keyword!r}", framework=self.name,
                         rule=Rule.PADDING_KEYWORD, values={"padding": keyword})

    def fold(self, shape: Sequence[int], output_size: Sequence[int], ks: Sequence[int], ss: Sequence[int],
             ps: Sequence[int], ds: Sequence[int]) -> tuple[tuple[int, ...], tuple[int, ...]]:
        """(the output tensor, the blocks per spatial axis) for a column tensor, or the rejection."""
        raise self.no_layer()


NO_RESAMPLE = ResampleRules()
NO_ADAPTIVE = AdaptiveRules()
NO_FRACTIONAL = FractionalRules()
NO_UNPOOL = UnpoolRules()
NO_UNFOLD = UnfoldRules()


F = TypeVar("F", bound=FamilyRules)


def bind(rules: F, name: str) -> F:
    """A base rejection object named for the framework that uses it (the shared one has no name)."""
    if rules.name == name:
        return rules
    named = object.__new__(type(rules))  # copy.copy, as it copies a FamilyRules (its state is its __dict__),
    named.__dict__.update(rules.__dict__)  # without importing copy at start-up
    named.name = name
    return named


class Framework:
    """A framework's registry entry: its name, a title for reports, the versions its rules were
    observed on, one rules object per op family, and the facts the network layers need.

    A family left out is the base rules object, which rejects every layer of it explicitly."""

    __slots__ = ("name", "title", "versions", "conv", "pool", "resample", "adaptive", "fractional", "unpool", "unfold",
                 "bias_default", "channels_last", "tensor_channels_last", "transposed_groups", "transposed_weight",
                 "groups_words", "batchnorm_batch_check", "instancenorm_affine", "global_pool_keepdims", "conv_weight",
                 "merge_broadcasts", "depthwise_equal_strides", "negative_pad_error")

    def __init__(self, name: str, title: str, versions: str, conv: ConvRules, pool: PoolRules, *,
                 resample: ResampleRules = NO_RESAMPLE, adaptive: AdaptiveRules = NO_ADAPTIVE,
                 fractional: FractionalRules = NO_FRACTIONAL, unpool: UnpoolRules = NO_UNPOOL,
                 unfold: UnfoldRules = NO_UNFOLD,
                 bias_default: bool = True, channels_last: bool = False, transposed_groups: bool = True,
                 transposed_weight: str = "in,out,k", groups_words: str = "torch",
                 batchnorm_batch_check: bool = False, tensor_channels_last: bool | None = None,
                 instancenorm_affine: bool = True, global_pool_keepdims: bool = True,
                 conv_weight: str | None = None, merge_broadcasts: bool = False,
                 depthwise_equal_strides: bool = False,
                 negative_pad_error: Callable[[str, int, int, tuple[int, int]], str] | None = None) -> None:
        self.name = name
        self.title = title
        self.versions = versions
        self.conv = conv
        self.pool = pool
        self.resample = bind(resample, name)
        self.adaptive = bind(adaptive, name)
        self.fractional = bind(fractional, name)
        self.unpool = bind(unpool, name)
        self.unfold = bind(unfold, name)
        #: whether convolution layers have a bias unless told otherwise (tf.nn and jax.lax ops have none)
        self.bias_default = bias_default
        #: weights stored with the spatial axes first, channels last (tf, keras, flax)
        self.channels_last = channels_last
        #: a whole tensor's default layout: channels last (NWC / NHWC / NDHWC: tf, keras) or first (NCW /
        #: NCHW / NCDHW: torch, onnx, caffe, and jax, whose lax.conv_general_dilated defaults to
        #: dimension_numbers ("NCHW", "OIHW", "NCHW")); by default as the weights
        self.tensor_channels_last = channels_last if tensor_channels_last is None else tensor_channels_last
        #: whether a transposed convolution takes groups
        self.transposed_groups = transposed_groups
        #: a transposed convolution's weight layout: "in,out,k" (torch), "k,out,in" (tf, keras), "k,in,out" (flax)
        self.transposed_weight = transposed_weight
        #: whose words the groups checks use: "torch" (_ConvNd) or "keras" (base_conv.py build)
        self.groups_words = groups_words
        #: whether batch norm in training mode needs more than one value per channel (torch)
        self.batchnorm_batch_check = batchnorm_batch_check
        #: whether instance norm has a scale and shift unless told otherwise (torch InstanceNorm*d: no)
        self.instancenorm_affine = instancenorm_affine
        #: whether a global pooling layer keeps its spatial axes as 1s (keras Global*Pooling*D: no)
        self.global_pool_keepdims = global_pool_keepdims
        #: a convolution's weight layout: "out,in,k" (torch, onnx, caffe), "k,in,out" (tf, keras, flax)
        self.conv_weight = conv_weight or ("k,in,out" if channels_last else "out,in,k")
        #: whether an elementwise merge (add, multiply, ...) broadcasts sizes of 1 (keras: its merge layers
        #: call ops.add & co., numpy broadcasting) instead of requiring equal shapes
        self.merge_broadcasts = merge_broadcasts
        #: whether a 2-D depthwise (and separable) convolution needs equal strides on both axes
        #: (keras on TensorFlow: the DepthwiseConv2dNative kernel); see check_depthwise_strides
        self.depthwise_equal_strides = depthwise_equal_strides
        #: an explicit padding / cropping layer's rejection of a negative amount: (key, spatial axis, spatial
        #: rank, the axis's (before, after) amounts given) -> the framework's words; None: a negative pad crops
        #: (torch F.pad, ONNX Pad), a negative cropping is refused in convshape's words
        self.negative_pad_error = negative_pad_error

    # ------------------------------------------------------------------ channels and weights
    def check_groups(self, in_channels: int, out_channels: int, groups: int, shape: Sequence[int] = (),
                     transposed: bool = False) -> None:
        """Channels divisible by groups (torch's _ConvNd checks and words; Keras's own words);
        a transposed convolution takes groups only where the framework has them."""
        fw = self.name
        if self.groups_words == "keras" and groups >= 1 and (in_channels % groups or out_channels % groups):
            if in_channels % groups:  # keras/src/layers/convolutional/base_conv.py build()
                raise ShapeError(f"The number of input channels must be evenly divisible by the number of groups. "
                                 f"Received groups={groups}, but the input has {in_channels} channels (full input "
                                 f"shape is {tuple(shape)}).", framework=fw, rule=Rule.GROUPS,
                                 values={"in_channels": in_channels, "groups": groups})
            raise ShapeError(f"The number of filters must be evenly divisible by the number of groups. Received: "
                             f"groups={groups}, filters={out_channels}.", framework=fw, rule=Rule.GROUPS,
                             values={"out_channels": out_channels, "groups": groups})
        if groups < 1:
            raise ShapeError(f"non-positive groups is not supported, but got groups={groups}", framework=fw,
                             rule=Rule.GROUPS, values={"groups": groups})
        if in_channels % groups:
            raise ShapeError(f"in_channels must be divisible by groups, but got in_channels={in_channels}, "
                             f"groups={groups}", framework=fw, rule=Rule.GROUPS,
                             values={"in_channels": in_channels, "groups": groups})
        if out_channels % groups:
            raise ShapeError(f"out_channels must be divisible by groups, but got out_channels={out_channels}, "
                             f"groups={groups}", framework=fw, rule=Rule.GROUPS,
                             values={"out_channels": out_channels, "groups": groups})
        if out_channels < 1:
            raise ShapeError(f"out_channels must be positive, but got out_channels={out_channels}", framework=fw,
                             rule=Rule.CHANNELS, values={"out_channels": out_channels})
        if transposed and groups != 1 and not self.transposed_groups:  # tf.nn.conv2d_transpose, keras, flax
            raise ShapeError(f"a transposed convolution takes no groups in {fw}, but got groups={groups}",
                             framework=fw, rule=Rule.GROUPS, values={"groups": groups})

    def check_depthwise_strides(self, strides: Sequence[int], dilations: Sequence[int]) -> None:
        """Keras 3 on TensorFlow runs a 2-D DepthwiseConv2D / SeparableConv2D with
        tf.nn.depthwise_conv2d (keras/src/backend/tensorflow/nn.py ``depthwise_conv``; only strides
        together with dilations are decomposed, ``_needs_depthwise_stride_dilation_decomposition``),
        whose DepthwiseConv2dNative kernel rejects unequal strides. Observed on keras 3.15.1 / TF 2.21:
        DepthwiseConv2D((3, 1), strides=(2, 1)) raises the message below at every input size."""
        if not self.depthwise_equal_strides or len(strides) != 2 or strides[0] == strides[1]:
            return
        if any(s > 1 for s in strides) and any(d > 1 for d in dilations):
            return
        raise ShapeError(f"Current implementation only supports equal length strides in the row and column "
                         f"dimensions. [Op:DepthwiseConv2dNative] (strides={list(strides)})", framework=self.name,
                         rule=Rule.STRIDE, values={"stride": list(strides)})

    def depthwise_weights(self, kernel: Sequence[int], in_channels: int, multiplier: int, out_channels: int | None,
                          bias: bool | None) -> tuple[tuple[int, ...], ...]:
        """A depthwise convolution's weights (then a separable one's pointwise weights, when
        ``out_channels`` is given) and bias, in this framework's layout."""
        from convshape.rules.weights import depthwise_weight, pointwise_weight

        fw = self.name
        if multiplier < 1:
            raise ShapeError(f"depth_multiplier must be positive, but got depth_multiplier={multiplier}",
                             framework=fw, rule=Rule.CHANNELS, values={"depth_multiplier": multiplier})
        if out_channels is not None and out_channels < 1:
            raise ShapeError(f"out_channels must be positive, but got out_channels={out_channels}", framework=fw,
                             rule=Rule.CHANNELS, values={"out_channels": out_channels})
        weights = [depthwise_weight(kernel, in_channels, multiplier, self.conv_weight)]
        mid = in_channels * multiplier
        if out_channels is not None:
            weights.append(pointwise_weight(len(kernel), mid, out_channels, self.conv_weight))
        if self.bias_default if bias is None else bias:
            weights.append((mid if out_channels is None else out_channels,))
        return tuple(weights)

    def conv_weights(self, kernel: Sequence[int], in_channels: int, out_channels: int, groups: int,
                     bias: bool | None, transposed: bool = False) -> tuple[tuple[int, ...], ...]:
        """The weight tensors of a convolution layer in this framework's layout, and its bias
        (``bias`` None: the framework's default)."""
        from convshape.rules.weights import conv_weight, transposed_weight

        weight = (transposed_weight(kernel, in_channels, out_channels, groups, self.transposed_weight) if transposed
                  else conv_weight(kernel, in_channels, out_channels, groups, self.conv_weight))
        with_bias = self.bias_default if bias is None else bias
        return (weight, (out_channels,)) if with_bias else (weight,)

    def __repr__(self) -> str:
        return f"<framework {self.name}>"
