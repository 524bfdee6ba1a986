"""What every framework module builds on: one base class per op family, each holding the
rules most frameworks share, and :class:`Framework`, the registry entry that bundles a
framework's families. A family the framework lacks answers with :meth:`FamilyRules.no_layer`
(an explicit rejection), never a fall-through.

The integer formulas live in :mod:`convshape.rules`; the framework modules say which of them
each framework applies, with the source each rule was confirmed against.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Union

from convshape import rules
from convshape.errors import ShapeError
from convshape.limits import check_axes
from convshape.model import AxisSpec, Counted, TransposedAxis
from convshape.rules.pool import starts_past_input, window_count

Pad = Union[str, tuple[int, int]]  # a padding keyword, or an explicit (before, after) pair


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
        check_axes([a])
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


class PoolRules:
    """A framework's pooling rules; subclasses override what differs."""

    name = ""
    title = ""
    #: the layer or function per kind (``{n}`` = spatial axes); a missing kind is unsupported
    ops: dict[str, str] = {}
    ndims = (1, 2, 3)
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

    def error(self, message: str, rule: str, **values: object) -> ShapeError:
        return ShapeError(message, framework=self.name, rule=rule, values=values)

    def op(self, kind: str, ndim: int) -> str:
        return self.ops[kind].format(n=ndim)

    # ------------------------------------------------------------------ layer
    def default_stride(self, kernel: tuple[int, ...]) -> tuple[int, ...]:
        return kernel if self.stride_is_kernel else (1,) * len(kernel)

    def count_include_pad(self, kind: str, wanted: bool | None, ndim: int) -> bool | None:
        if kind != "avg":
            if wanted is not None:
                raise ShapeError("count_include_pad applies to average pooling only", rule="count-include-pad",
                                 values={"count_include_pad": wanted})
            return None
        if wanted is None or wanted == self.cip_default:
            return self.cip_default
        if not self.cip_choice:
            raise self.error(f"{self.op('avg', ndim)} always {'counts' if self.cip_default else 'excludes'} padded "
                             f"cells in the average; it has no count_include_pad", "count-include-pad",
                             count_include_pad=wanted)
        return wanted

    def check(self, kind: str, ndim: int, specs: list[AxisSpec], ceil_mode: bool) -> None:
        """What the framework cannot run at all: the kind, the rank, ceil_mode, dilation."""
        if kind not in self.ops:
            have = ", ".join(f"{k} ({self.op(k, ndim)})" for k in self.ops)
            raise self.error(f"{self.title} has no {KINDS[kind]}; it has {have}", "kind", kind=kind)
        if ndim not in self.ndims:
            raise self.error(f"{self.op(kind, 2)} pools over " + " or ".join(f"{n}-D" for n in self.ndims)
                             + f" inputs, not {ndim}-D", "rank", ndim=ndim)
        if ceil_mode and not self.has_ceil_mode:
            raise self.error(f"{self.op(kind, ndim)} has no ceil_mode; its 'same' padding gives ceil(input / stride)",
                             "ceil-mode", ceil_mode=True)
        dilation = tuple(a.dilation for a in specs)
        if kind not in self.dilation_kinds and any(d != 1 for d in dilation):
            raise self.error(f"{self.op(kind, ndim)} takes no dilation, but got dilation={dilation}",
                             "dilation-unsupported", dilation=dilation)

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
                raise self.error(f"{op} has no padding {padding!r}; it takes {have}{numbers}", "padding-keyword",
                                 padding=padding)
            if padding == "valid":
                return (0, 0)
            return self.same_pads(a, padding)
        if self.explicit == "none":
            raise self.error(f"{op} takes padding " + " or ".join(repr(k) for k in self.keywords)
                             + f", not numbers ({padding[0]}:{padding[1]})", "explicit-padding",
                             pad_before=padding[0], pad_after=padding[1])
        if self.explicit == "symmetric" and padding[0] != padding[1]:
            raise self.error(f"{op} pads both sides equally, but got padding {padding[0]}:{padding[1]}",
                             "asymmetric-padding", pad_before=padding[0], pad_after=padding[1])
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
                             "negative-padding", pad_before=pair[0], pad_after=pair[1])

    # ------------------------------------------------------------------ sizes
    def count(self, kind: str, ndim: int, axis: int, a: AxisSpec, pads: tuple[int, int], ceil_mode: bool) -> Counted:
        """The floor or ceil rule, and ceil_mode's drop of a last window starting past the input."""
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



class Framework:
    """A framework's registry entry: its name, a title for reports, the versions its rules were
    observed on, and one rules object per op family (conv and transposed conv, pooling)."""

    __slots__ = ("name", "title", "versions", "conv", "pool")

    def __init__(self, name: str, title: str, versions: str, conv: ConvRules, pool: PoolRules) -> None:
        self.name = name
        self.title = title
        self.versions = versions
        self.conv = conv
        self.pool = pool

    def __repr__(self) -> str:
        return f"<framework {self.name}>"
