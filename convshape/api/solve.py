"""Solving for a layer's parameters: every kernel, stride, padding, dilation, output_padding
(and, for pooling, ceil_mode) that maps an input size to an output size in one framework, or
that scales every input size exactly, simplest first.

    >>> from convshape.api.solve import solve
    >>> s = solve(224, 112, "conv2d").solutions[0]
    >>> s.kernel, s.stride, s.padding
    ((1, 1), (2, 2), '0')
    >>> solve(op="conv-transpose1d", scale=2, for_all_inputs=True).solutions[0].rule
    ('output = 2*i for every i >= 1',)

solve only enumerates and ranks. Every candidate is judged by the framework classes the other
commands use (:class:`convshape.frameworks.Framework` ``pads`` / ``conv_output`` / ``transposed``,
:class:`convshape.api.pooling.PoolRules` ``check`` / ``axes``), so its answers and rejections are
exactly theirs. The search runs per axis (a candidate is tried on a layer with the same
parameters on every axis, so a rule that looks at the whole layer sees a real layer); the
per-axis answers are then combined, keeping only combinations one layer can express: a padding
keyword, ceil_mode and Keras's ``output_padding=None`` are the same on every axis, and
``Framework.check_layer`` (Keras: no stride > 1 with dilation > 1) passes.

Ranking (:func:`simplicity`, one key): dilation 1, output_padding 0, symmetric padding and the
default ceil_mode first; then for pooling a stride equal to the window; then less padding, a
smaller kernel, a smaller stride. A combination of axes ranks
with the same kernel, stride and dilation on every axis first, then by its least simple axis.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from fractions import Fraction
from itertools import chain, product
from typing import Any, NamedTuple, overload

from convshape import rules
from convshape.axes import each_axis
from convshape.errors import Rule, ShapeError
from convshape.frameworks import ConvRules, Pad, PoolRules, framework_rules
from convshape.limits import MAX_INPUT, check_limit
from convshape.model import AxisSpec
from convshape.ops import Family, lookup, require
from convshape.params import IntArg, axis_count, fraction_values, per_axis, per_axis_numbers


#: the op families solve takes, and what it calls them (pooling: by its kind)
TAKES = (Family.CONV, Family.CONV_TRANSPOSE, Family.POOL)
POOL_KIND = {"maxpool": "max", "avgpool": "avg", "lppool": "lp"}
DEFAULT_NDIM = 2  # for_all_inputs without a rank: every axis scales alike, shown as a 2-D layer
BOUND_LIMIT = 64  # kernel, stride, dilation and padding bounds: the search stays small
MAX_AXES = 8  # spatial axes solve takes (each is searched, then every combination ranked)
#: answers one axis's search collects before it stops (each costs the framework's rules a few calls)
AXIS_ANSWER_LIMIT = 2_000
COMBINATION_LIMIT = 20_000  # combinations of per-axis answers enumerated; beyond, each axis's best
RANKING = ("simplest first: dilation 1, output_padding 0, symmetric padding and the default ceil_mode first; then "
           "(pooling) stride equal to the window; then less total padding, smaller kernel, smaller stride. "
           "Combinations: the same kernel, stride and dilation on every axis first, then by the least simple axis")


# ---------------------------------------------------------------------------- values
class Bounds(NamedTuple):
    """The search bounds; ``max_padding`` None means the effective kernel - 1 per candidate."""

    max_kernel: int
    max_stride: int
    max_dilation: int
    max_padding: int | None

    def describe(self) -> str:
        text = f"kernel <= {self.max_kernel}, stride <= {self.max_stride}, dilation <= {self.max_dilation}"
        return text + (f", padding <= {self.max_padding}" if self.max_padding is not None else "")

    def to_dict(self) -> dict[str, Any]:
        return self._asdict()


#: what one layer has once for every axis (see :attr:`Way.style`)
Style = tuple[str, bool | None, bool, bool]


class Way(NamedTuple):
    """One way to spell a geometry on one axis, in the framework's own arguments."""

    #: the padding argument on this axis: a keyword, or a (before, after) pair in the framework's
    #: own terms (for jax transposed, the padding of the stride-dilated input)
    padding: Pad
    ceil_mode: bool | None  # pooling only
    output_padding: int | None  # the framework's output_padding argument; None: not given
    sized: bool  # the output size itself is passed (tf's output_shape)

    @property
    def style(self) -> Style:
        """What one layer has once for every axis: a padding keyword (or explicit numbers),
        ceil_mode, whether output_padding is given at all, whether output_shape is given."""
        return ("explicit" if isinstance(self.padding, tuple) else self.padding, self.ceil_mode,
                self.output_padding is None, self.sized)


class AxisSolution(NamedTuple):
    """One answer on one axis: the geometry (pads and output_padding in torch's terms, as the
    engine reports them) and every way the framework spells it, preferred first."""

    kernel: int
    stride: int
    dilation: int
    pad_before: int
    pad_after: int
    output_padding: int
    ways: tuple[Way, ...]
    rule: str = ""  # for_all_inputs: the size rule, e.g. "output = 2*i for every i >= 1"
    proof: str = ""  # for_all_inputs: why it holds for every size

    @property
    def geometry(self) -> tuple[int, ...]:
        return tuple(self[:6])

    def to_dict(self, transposed: bool = False, pool: bool = False) -> dict[str, Any]:
        d: dict[str, Any] = {"kernel": self.kernel, "stride": self.stride, "dilation": self.dilation,
                             "pad_before": self.pad_before, "pad_after": self.pad_after}
        if transposed:
            d["output_padding"] = self.output_padding
        d["padding"] = [_show_pad(w.padding) for w in self.ways]
        if pool:
            d["ceil_mode"] = sorted({bool(w.ceil_mode) for w in self.ways})
        if self.rule:
            d["rule"], d["proof"] = self.rule, self.proof
        return d


class AxisResult(NamedTuple):
    """Every answer on one axis, simplest first."""

    input: int | None
    output: int | None
    scale: str | None
    solutions: tuple[AxisSolution, ...]
    #: the search stopped at AXIS_ANSWER_LIMIT answers: more exist
    cut: bool = False


class Solution(NamedTuple):
    """One layer: per-axis values, the padding as typed for the framework, and the API
    arguments that reproduce it (the CLI spells them as a command line)."""

    kernel: tuple[int, ...]
    stride: tuple[int, ...]
    dilation: tuple[int, ...]
    pad_before: tuple[int, ...]
    pad_after: tuple[int, ...]
    output_padding: tuple[int, ...]
    padding: str  # the padding argument as convshape reads it, in the framework's own terms
    ceil_mode: bool | None
    select: tuple[str, ...]  # transposed: what selects the size on each axis
    arguments: dict[str, Any]  # the API call that reproduces it (api.conv / conv_transpose / pooling.pool)
    rule: tuple[str, ...]
    proof: tuple[str, ...]


class SolveResult(NamedTuple):
    """Every parameter set that maps the input to the output (or scales every input), simplest first."""

    op: str
    framework: str
    for_all_inputs: bool
    input: tuple[int, ...] | None
    output: tuple[int, ...] | None
    scale: tuple[str, ...] | None
    axes: tuple[AxisResult, ...]
    solutions: tuple[Solution, ...]  # simplest first, at most the limit asked for
    total: int  # every valid combination (of each axis's first answers when there are very many)
    bounds: Bounds
    notes: tuple[str, ...]

    @property
    def transposed(self) -> bool:
        return self.op.startswith("conv-transpose")

    @property
    def pool(self) -> bool:
        return "pool" in self.op

    @property
    def complete(self) -> bool:
        """False when an axis's search stopped at AXIS_ANSWER_LIMIT answers: ``total`` is then a lower bound."""
        return not any(a.cut for a in self.axes)

    def to_dict(self) -> dict[str, Any]:
        solutions = []
        for s in self.solutions:
            d: dict[str, Any] = {"kernel": list(s.kernel), "stride": list(s.stride), "dilation": list(s.dilation),
                                 "pad_before": list(s.pad_before), "pad_after": list(s.pad_after)}
            if self.transposed:
                d["output_padding"] = list(s.output_padding)
                d["select"] = list(s.select)
            d["padding"] = s.padding
            if self.pool:
                d["ceil_mode"] = s.ceil_mode
            if self.for_all_inputs:
                d["scale"] = list(self.scale or ())
                d["rule"], d["proof"] = list(s.rule), list(s.proof)
            d["arguments"] = dict(s.arguments)
            solutions.append(d)
        return {"op": self.op, "framework": self.framework, "for_all_inputs": self.for_all_inputs,
                "input": None if self.input is None else list(self.input),
                "output": None if self.output is None else list(self.output),
                "scale": None if self.scale is None else list(self.scale),
                "solutions": solutions, "shown": len(solutions), "total": self.total, "complete": self.complete,
                "axes": [{"input": a.input, "output": a.output, "scale": a.scale, "count": len(a.solutions),
                          "complete": not a.cut,
                          "solutions": [x.to_dict(self.transposed, self.pool) for x in a.solutions]}
                         for a in self.axes],
                "bounds": self.bounds.to_dict(), "ranking": RANKING, "notes": list(self.notes)}


# ---------------------------------------------------------------------------- parsing
def parse_op(op: str) -> tuple[str, int | None]:
    """``"conv2d"`` -> ``("conv", 2)``; ``"deconv"`` -> ``("conv-transpose", None)``; any name
    :mod:`convshape.ops` knows for a convolution, transposed convolution or max/avg/LP pooling
    (``Conv2DTranspose``, ``AveragePooling2D``, ``meanpool2d``, ``LPPool1d`` ...)."""
    found = require(lookup(op), TAKES, "solve")
    if found.family is Family.POOL:
        if found.pool is None:
            raise ShapeError(f"solve needs the kind of pooling: maxpool, avgpool or lppool, not {op!r}",
                             rule=Rule.OPTION_NOT_APPLICABLE, values={"op": op})
        return f"{found.pool}pool", found.ndim
    return found.family.value, found.ndim


def parse_scale(value: str | int | Fraction | Sequence[str | int | Fraction], ndim: int) -> tuple[Fraction, ...]:
    """``2`` / ``"1/2"`` / ``"2,1/2"`` -> per-axis Fractions; each must be N or 1/N."""
    parts = value.split(",") if isinstance(value, str) else \
        list(value) if isinstance(value, Sequence) else [value]
    scales = []
    for part, scale in zip(parts, fraction_values(value, "scale")):
        if scale <= 0 or (scale.numerator != 1 and scale.denominator != 1) or max(scale.numerator,
                                                                                   scale.denominator) > BOUND_LIMIT:
            raise ShapeError(f"scale must be N or 1/N with 1 <= N <= {BOUND_LIMIT}, but got {part!r}",
                             rule=Rule.NOT_A_NUMBER, values={"scale": str(part)})
        scales.append(scale)
    return per_axis_numbers(scales, "scale", ndim)


def _show_scale(scale: Fraction) -> str:
    return str(scale.numerator) if scale.denominator == 1 else f"1/{scale.denominator}"


def _show_pad(padding: Pad) -> str:
    if isinstance(padding, str):
        return padding
    return str(padding[0]) if padding[0] == padding[1] else f"{padding[0]}:{padding[1]}"


@overload
def _bound(value: int | None, name: str, default: int, low: int = 1) -> int: ...


@overload
def _bound(value: int | None, name: str, default: None, low: int = 1) -> int | None: ...


def _bound(value: int | None, name: str, default: int | None, low: int = 1) -> int | None:
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int):
        try:
            value = int(str(value).strip())
        except ValueError:
            raise ShapeError(f"{name} must be an integer, but got {value!r}", rule=Rule.NOT_AN_INTEGER,
                             values={name: value}) from None
    if not low <= value <= BOUND_LIMIT:
        raise ShapeError(f"{name} must be between {low} and {BOUND_LIMIT} in convshape solve, but got {name}={value}",
                         rule=Rule.CONVSHAPE_LIMIT, values={name: value})
    return value


# ---------------------------------------------------------------------------- the candidates
class Problem(NamedTuple):
    """What is being solved: the op family, its framework rules, the rank and the bounds."""

    family: str
    fw: ConvRules | PoolRules  # PoolRules for pooling
    ndim: int
    bounds: Bounds
    all_splits: bool

    @property
    def transposed(self) -> bool:
        return self.family == "conv-transpose"

    @property
    def kind(self) -> str | None:
        return POOL_KIND.get(self.family)

    @property
    def conv(self) -> ConvRules:
        """The convolution rules: ``fw`` narrowed, for the questions only convolutions are asked
        (transposed sizes, explicit solve paddings)."""
        if not isinstance(self.fw, ConvRules):
            raise TypeError(f"{self.family} is solved with pooling rules, not convolution rules")
        return self.fw


def _keywords(p: Problem) -> list[str]:
    """The framework's own padding keywords for this op; 'same-upper' is left out where it is
    only another name for 'same'."""
    fw = p.fw
    words = list(fw.transposed_keywords if isinstance(fw, ConvRules) and p.transposed else fw.keywords)
    if "same" in words and "same-upper" in words:
        words.remove("same-upper")
    return words


def _explicit_kind(p: Problem) -> str:
    fw = p.fw
    kind = fw.explicit_transposed if isinstance(fw, ConvRules) and p.transposed else fw.explicit
    # solve's vocabulary where it is narrower than the engine's (ConvRules.solve_explicit)
    return str(p.conv.solve_explicit or kind) if p.family == "conv" else str(kind)


def _tries_pairs(p: Problem) -> bool:
    """Whether explicit (before, after) pairs are proposed at all: not where the layer of this
    rank rejects every pair (tf.nn.conv1d / conv3d and their transposes take SAME or VALID only)."""
    return _explicit_kind(p) != "none" and (not isinstance(p.fw, ConvRules)
                                            or p.fw.takes_explicit(p.transposed, p.ndim))


def _paddings(p: Problem, kernel: int, stride: int, dilation: int,
              sums: tuple[int, int] | None = None) -> list[Pad]:
    """Every padding argument tried on one axis, in the framework's own terms, preferred first:
    keywords first where they are the idiom (tf, keras, jax, onnx), numbers first in torch and caffe.
    ``sums``: only the explicit pairs whose before + after lies in this range (in the pair's own
    terms; :func:`_pad_sums`), in the same order (keywords are always tried)."""
    eff = rules.effective_kernel(kernel, dilation)
    most = eff - 1 if p.bounds.max_padding is None else p.bounds.max_padding
    lo_sum, hi_sum = (-2 * BIG, 2 * BIG) if sums is None else sums
    kind = _explicit_kind(p) if _tries_pairs(p) else "none"
    pairs: list[Pad] = []
    if kind == "symmetric":
        pairs = [(q, q) for q in range(max(0, -(-lo_sum // 2)), min(most, hi_sum // 2) + 1)]
    elif kind == "asymmetric" and p.transposed and p.conv.transposed_dilated_pads:
        # lax.conv_transpose pads the stride-dilated input: lo = eff - 1 - pad_before in torch's
        # terms; hi past eff - 1 adds what output_padding adds elsewhere (up to max(s, d) - 1)
        extra = max(stride, dilation) - 1
        low = eff - 1 - most
        if sums is not None and not p.all_splits:
            pairs = list(_balanced_dilated_pairs(eff, low, eff + extra - 1, lo_sum, hi_sum))
        else:
            pairs = [(lo, hi) for lo in range(low, eff)
                     for hi in range(max(low, lo_sum - lo), min(eff + extra - 1, hi_sum - lo) + 1)]
    elif kind == "asymmetric" and p.all_splits:
        pairs = [(a, b) for a in range(most + 1) for b in range(max(0, lo_sum - a), min(most, hi_sum - a) + 1)]
    elif kind == "asymmetric":  # symmetric or the odd one at the end: a sum of 2a or 2a + 1
        pairs = [(a, b) for a in range(max(0, -(-lo_sum // 2) - 1), min(most, hi_sum // 2) + 1)
                 for b in (a, a + 1) if b <= most and lo_sum <= a + b <= hi_sum]
    if sums is not None and p.transposed and p.conv.transposed_output_shape and kind != "none" \
            and (0, 0) not in pairs and not p.conv.transposed_dilated_pads:
        pairs.insert(0, (0, 0))  # stands for auto_pad=NOTSET with output_shape (see _ways): always tried
    words: list[Pad] = list(_keywords(p))
    return pairs + words if p.fw.solve_numbers_first else words + pairs


BIG = 1 << 62  # no limit on the padding sums


def _balanced_dilated_pairs(eff: int, low: int, top: int, lo_sum: int, hi_sum: int) -> list[tuple[int, int]]:
    """The (lo, hi) pads of the stride-dilated input (lo in [low, eff - 1], hi in [low, top], lo + hi
    in [lo_sum, hi_sum]) whose geometry :func:`_balanced` keeps, in (lo, hi) order, found, not
    tried: jax's torch-terms pads are ``eff - 1 - lo`` and ``eff - 1 - hi`` (a negative after
    becomes output_padding, the after 0; :meth:`convshape.frameworks.jax.Conv.transposed`), so
    after - before is ``lo - hi`` (0 or 1: lo = ceil(S/2), hi = floor(S/2)) while hi <= eff - 1,
    and ``-(eff - 1 - lo)`` (0: lo = eff - 1) past it."""
    found = set()
    for total in range(max(lo_sum, 2 * low), min(hi_sum, eff - 1 + top) + 1):
        for lo, hi in ((total - total // 2, total // 2), (eff - 1, total - eff + 1)):
            if low <= lo <= eff - 1 and low <= hi <= top and (lo - hi in (0, 1) or (lo == eff - 1 and hi >= eff)):
                found.add((lo, hi))
    return sorted(found)


def _pad_sums(p: Problem, kernel: int, stride: int, dilation: int, size: int, target: int) -> tuple[int, int]:
    """The range of before + after (in the explicit pair's own terms) that can map ``size`` to
    ``target``: a necessary condition only, forward with a margin (every framework's output is
    within two strides of floor((i + P - eff)/s) + 1), transposed exactly the sums that
    (i - 1)*s + eff - P + output_padding allows (see below), so the pairs outside it need not be tried."""
    eff = rules.effective_kernel(kernel, dilation)
    if not p.transposed:
        margin = _margin(p, stride, dilation)
        centre = (target - 1) * stride + eff - size  # floor((i + P - eff)/s) + 1 = target
        return centre - margin, centre + margin
    # transposed: every framework's output with explicit pads is the cropped full output plus
    # output_padding, (i-1)*s + eff - P + op, with 0 <= op < max(s, d) where it is given (torch,
    # ONNX; tf's output_shape o is taken while floor((o + P - eff)/s) + 1 = i, i.e. o - ((i-1)*s + eff - P)
    # in 0..s-1; Caffe none), so P lies within max(s, d) - 1 above F - target (F = (i-1)*s + eff)
    centre = rules.transposed_output(size, kernel, stride, dilation, 0, 0, 0) - target  # P in torch's terms
    if p.conv.transposed_dilated_pads:  # lax: out = (i-1)*s + 2 + lo + hi - eff exactly (P = 2*(eff - 1) - lo - hi)
        return 2 * (eff - 1) - centre, 2 * (eff - 1) - centre
    return centre, centre + max(stride, dilation) - 1


def _margin(p: Problem, stride: int, dilation: int) -> int:
    """How far (in total padding P) from the floor-division answer a framework's output can be
    reached: forward, ``floor(x) + 1``, ``ceil(x) + 1``, C++'s truncation + 1 and ceil_mode's drop
    ``ceil(x)`` (x = (i + P - eff)/s) each equal the target only for P within a stride of
    ``(target - 1)*s + eff - i`` (a second stride kept as a margin: ONNX's pooling rules need
    more than one); transposed, within output_padding (< max(s, d)) and two strides."""
    return 2 * stride + 1 if not p.transposed else 2 * stride + max(stride, dilation)


def _may_reach(p: Problem, kernel: int, stride: int, dilation: int, size: int, target: int) -> bool:
    """A cheap necessary condition for a window to map ``size`` to ``target`` with any padding
    solve tries (explicit up to the bound, or a keyword's: at most eff - 1 a side), so that
    solve's work follows the answer, not the bounds."""
    eff = rules.effective_kernel(kernel, dilation)
    side = max(eff - 1, p.bounds.max_padding or 0)  # the largest padding a side any candidate has
    margin = _margin(p, stride, dilation)
    if not p.transposed:
        centre = (target - 1) * stride + eff - size  # the total padding floor division needs
        return centre - margin <= 2 * side and centre + margin >= 0
    if p.conv.transposed_output_shape and getattr(p.conv, "negative_generated_pads", False):
        return True  # the ONNX spec's output_shape generates pads of any sign: any target
    if _forward_keywords_only(p):
        same, valid = _forward_keyword_bands(stride, size, target)
        return same or valid[0] <= eff <= valid[1]
    uncropped = rules.transposed_output(size, kernel, stride, dilation, 0, 0, 0)
    # as _plausible: within the padding (at most max(eff, bound) a side) and output_padding; above
    # the uncropped output by output_padding (< max(s, d)) at most, or by SAME's i*s <= F + s - 1
    return abs(target - uncropped) <= 2 * max(eff, p.bounds.max_padding or 0) + max(stride, dilation) + stride \
        and target - uncropped <= max(stride, dilation) + stride


def _forward_keywords_only(p: Problem) -> bool:
    """A transposed layer sized by its forward convolution (tf's output_shape, Keras's sizes
    among them) with padding keywords only (tf.nn.conv1d_transpose / conv3d_transpose, Keras)."""
    return p.transposed and p.conv.transposed_by_forward and not _tries_pairs(p) \
        and set(_keywords(p)) <= {"valid", "same", "same-upper"}


def _forward_keyword_bands(stride: int, size: int, target: int) -> tuple[bool, tuple[int, int]]:
    """Where :func:`_forward_keywords_only` layers can give ``target``: tf accepts an output_shape o
    only when the forward convolution maps it back to the input i (conv_grad_shape_utils.cc
    ConvBackpropExtractAndVerifyDimension, GetWindowedOutputSizeVerbose): SAME ``ceil(o/s) = i``,
    whatever the kernel (the first value), VALID ``floor((o - eff)/s) + 1 = i``, i.e. the
    effective kernel in ``[o - i*s + 1, o - (i-1)*s]`` (the second)."""
    return -(-target // stride) == size, (target - size * stride + 1, target - (size - 1) * stride)


def _eff_ranges(p: Problem, stride: int, size: int, target: int) -> list[tuple[int, int]]:
    """Effective kernels (inclusive ranges) that may pass :func:`_may_reach` with this stride: a
    superset, solved from its inequalities, so the windows tried follow the answer."""
    b = p.bounds
    top = b.max_dilation * (b.max_kernel - 1) + 1
    mp = b.max_padding or 0
    if _forward_keywords_only(p):
        same, (lo, hi) = _forward_keyword_bands(stride, size, target)
        return [(1, top)] if same else [(max(lo, 1), min(hi, top))] if max(lo, 1) <= min(hi, top) else []
    if not p.transposed:
        margin = 2 * stride + 1
        low = size - (target - 1) * stride - margin  # centre + margin >= 0
        # centre - margin <= 2 * max(eff - 1, mp): eff >= grow (the eff - 1 side) or eff <= keep (the mp side)
        grow = (target - 1) * stride - size - margin + 2
        keep = 2 * mp + size + margin - (target - 1) * stride
    else:
        if p.conv.transposed_output_shape and getattr(p.conv, "negative_generated_pads", False):
            return [(1, top)]
        m = max(stride, b.max_dilation) + stride
        gap = target - (size - 1) * stride  # target - uncropped = gap - eff
        # gap - eff <= 2 * max(eff, mp) + m
        low = max(min(-(-(gap - m) // 3), gap - 2 * mp - m), gap - m)  # and gap - eff <= m
        # eff - gap <= 2 * max(eff, mp) + m: eff >= -gap - m, or eff <= gap + 2 * mp + m
        grow, keep = -gap - m, gap + 2 * mp + m
    low = max(low, 1)
    if grow <= keep + 1:
        return [(low, top)] if low <= top else []
    return [(lo, hi) for lo, hi in ((low, min(keep, top)), (max(low, grow), top)) if lo <= hi]


def _reaching_windows(p: Problem, size: int, target: int, dilated: bool | None = None
                      ) -> Iterator[tuple[int, int, int]]:
    """The (kernel, stride, dilation) of :func:`_windows` that pass :func:`_may_reach`, found
    from :func:`_eff_ranges` (the dilations of each kernel solved, not tried); ``dilated``:
    only those with dilation 1 (False) or above 1 (True)."""
    b = p.bounds
    least, most = (2 if dilated else 1), (1 if dilated is False else b.max_dilation)
    for stride in range(1, b.max_stride + 1):
        ranges = _eff_ranges(p, stride, size, target)
        for kernel in range(1, b.max_kernel + 1):
            if kernel == 1:
                dilations: Iterator[int] = iter((1,) if least == 1 and any(lo <= 1 <= hi for lo, hi in ranges)
                                                else ())
            else:
                dilations = (d for lo, hi in ranges
                             for d in range(max(least, -(-(lo - 1) // (kernel - 1))),
                                            min(most, (hi - 1) // (kernel - 1)) + 1))
            for dilation in dilations:
                if _may_reach(p, kernel, stride, dilation, size, target):
                    yield kernel, stride, dilation


def _ways(p: Problem, kernel: int, stride: int, dilation: int,
          sums: tuple[int, int] | None = None, size: int | None = None, target: int | None = None) -> Iterator[Way]:
    """Every way to configure one axis with this kernel, stride and dilation (``sums``: as
    :func:`_paddings`); given the ``size`` and ``target``, a transposed layer's output_padding is
    computed where the framework can (explicit pads: :meth:`ConvRules.fitting_output_padding`;
    keywords: :meth:`ConvRules.solve_output_paddings`), not tried value by value."""
    for padding in _paddings(p, kernel, stride, dilation, sums):
        if isinstance(p.fw, PoolRules):  # pooling (p.kind is set)
            modes = (p.fw.ceil_default, not p.fw.ceil_default) if p.fw.has_ceil_mode else (False,)
            for ceil in modes:
                yield Way(padding, ceil, None, False)
        elif p.transposed:
            select = p.fw.transposed_select
            aimed = None if size is None or target is None else (AxisSpec(size, kernel, stride, dilation), target)
            if select == "output_padding":
                ops: Sequence[int | None] = range(max(stride, dilation))
                if aimed and isinstance(padding, tuple):
                    op_ = p.fw.fitting_output_padding(aimed[0].input, kernel, stride, dilation, *padding, aimed[1])
                    ops = (op_,) if op_ is not None and op_ in ops else ()
                elif aimed and isinstance(padding, str):
                    ops = p.fw.solve_output_paddings(aimed[0], padding, aimed[1], ops)
                for op in ops:
                    yield Way(padding, None, op, False)
                if p.conv.transposed_output_shape and (isinstance(padding, str) or padding == (0, 0)):
                    # ConvTranspose's output_shape: the pads are then generated (explicit pads are
                    # ignored, so one explicit pair stands for auto_pad=NOTSET)
                    yield Way(padding, None, None, True)
            elif select == "keras_output_padding":
                choices: Sequence[int | None] = (None, *range(stride))
                if aimed and isinstance(padding, str):
                    choices = p.fw.solve_output_paddings(aimed[0], padding, aimed[1], choices)
                for op in choices:
                    yield Way(padding, None, op, False)
            else:
                yield Way(padding, None, None, select == "output_shape")
        else:
            yield Way(padding, None, None, False)


def _windows(p: Problem) -> Iterator[tuple[int, int, int]]:
    """(kernel, stride, dilation) within the bounds; a 1-wide kernel only with dilation 1
    (dilation does nothing there)."""
    b = p.bounds
    for kernel in range(1, b.max_kernel + 1):
        for dilation in range(1, (b.max_dilation if kernel > 1 else 1) + 1):
            for stride in range(1, b.max_stride + 1):
                yield kernel, stride, dilation


def evaluate(p: Problem, kernel: int, stride: int, dilation: int, way: Way, size: int,
             target: int | None = None, checked: bool = False) -> tuple[int, int, int, int] | None:
    """What the framework makes of ``way`` on an axis of ``size``: ``(pad_before, pad_after,
    output_padding, output)`` in torch's terms as the engine reports them, or None where it
    rejects the layer. ``target`` is the output size passed where the framework takes it
    (tf's output_shape)."""
    fw = p.fw
    spec = AxisSpec(size, kernel, stride, dilation)
    try:
        if isinstance(fw, PoolRules):  # pooling
            kind, specs = POOL_KIND[p.family], [spec] * p.ndim
            fw.check(kind, p.ndim, specs, bool(way.ceil_mode))
            c = fw.axes(kind, p.ndim, specs, [way.padding] * p.ndim, bool(way.ceil_mode))[0]
            return c.pad_before, c.pad_after, 0, c.output
        if not checked:  # the checks of the window alone (solve_axis makes them once per window)
            _check_window_spec(p, spec)
        if p.transposed:
            t = fw.transposed(spec, way.padding, way.output_padding, target if way.sized else None, p.ndim, 0)
            return t.pad_before, t.pad_after, t.output_padding, t.output
        pb, pa = fw.pads(spec, way.padding, transposed=False, ndim=p.ndim)
        return pb, pa, 0, fw.conv_output(spec, pb, pa)
    except ShapeError:
        return None


def _check_window_spec(p: Problem, spec: AxisSpec) -> None:
    """The framework's checks of a conv window and layer that do not depend on the padding."""
    fw = p.fw
    assert isinstance(fw, ConvRules)
    fw.check_axis(spec)
    fw.check_layer([spec] * p.ndim, p.transposed)


def _plausible(p: Problem, kernel: int, stride: int, dilation: int, way: Way, size: int, target: int) -> bool:
    """A cheap necessary condition for explicit transposed paddings, from the same rules the
    engine applies (so the slower engine calls run only where they can succeed)."""
    if not p.transposed:
        return True
    # every framework's transposed output lies within the uncropped (i - 1) * s + eff, give or
    # take the padding (at most the effective kernel, or the bound) on each side and output_padding
    eff = rules.effective_kernel(kernel, dilation)
    most = max(eff, p.bounds.max_padding or 0)
    uncropped = rules.transposed_output(size, kernel, stride, dilation, 0, 0, 0)
    # the ONNX spec's output_shape generates pads of any sign: every target is reachable there
    unbounded = way.sized and getattr(p.conv, "negative_generated_pads", False)
    if abs(target - uncropped) > 2 * most + max(stride, dilation) + stride and not unbounded:
        return False
    if way.sized and not p.conv.output_shape_fits(AxisSpec(size, kernel, stride, dilation), way.padding, target,
                                                  p.ndim):
        return False
    if not isinstance(way.padding, tuple):
        return True
    a, b = way.padding
    return bool(p.conv.transposed_fits(size, kernel, stride, dilation, a, b, way.output_padding or 0, target))


def _balanced(p: Problem, way: Way, pad_before: int, pad_after: int) -> bool:
    """Explicit paddings are listed symmetric or with the odd one at the end (as SAME splits
    them) unless every split is asked for; keywords always."""
    return p.all_splits or not isinstance(way.padding, tuple) or 0 <= pad_after - pad_before <= 1


def _collect(found: dict[tuple[int, ...], list[Way]], key: tuple[int, ...], way: Way) -> None:
    found.setdefault(key, []).append(way)


def _axis_solutions(found: dict[tuple[int, ...], list[Way]], extra: dict[tuple[int, ...], tuple[str, str]] | None,
                    p: Problem) -> tuple[AxisSolution, ...]:
    sols = [_axis_solution(geometry, ways, (extra or {}).get(geometry, ("", ""))) for geometry, ways in found.items()]
    return tuple(sorted(sols, key=lambda s: simplicity(s, p)))


def _axis_solution(geometry: tuple[int, ...], ways: list[Way], extra: tuple[str, str]) -> AxisSolution:
    kernel, stride, dilation, pad_before, pad_after, output_padding = geometry
    rule, proof = extra
    return AxisSolution(kernel, stride, dilation, pad_before, pad_after, output_padding, tuple(ways), rule, proof)


def simplicity(s: AxisSolution, p: Problem) -> tuple[int, ...]:
    """The one ranking key (smaller is simpler): dilation 1, output_padding 0, symmetric padding;
    then the framework's default ceil_mode; then for pooling a stride equal to the window; then less
    padding, a smaller kernel, a smaller stride."""
    skew = s.pad_after - s.pad_before
    default_mode = p.fw.ceil_default if isinstance(p.fw, PoolRules) else None  # pooling
    return (s.dilation != 1, s.output_padding != 0, skew != 0,
            all(w.ceil_mode != default_mode for w in s.ways), bool(p.kind) and s.stride != s.kernel,
            s.pad_before + s.pad_after, s.kernel, s.stride, s.dilation, s.output_padding, abs(skew), skew < 0)


def solve_axis(p: Problem, size: int, target: int) -> tuple[tuple[AxisSolution, ...], bool]:
    """Every answer on one axis that maps ``size`` to ``target``, simplest first, and whether the
    search stopped at AXIS_ANSWER_LIMIT answers (windows with dilation 1 are searched first, as
    they rank first; each window's answers are kept whole)."""
    found: dict[tuple[int, ...], list[Way]] = {}
    conv = not isinstance(p.fw, PoolRules)
    windows = chain(_reaching_windows(p, size, target, dilated=False), _reaching_windows(p, size, target, dilated=True))
    for kernel, stride, dilation in windows:
        if len(found) >= AXIS_ANSWER_LIMIT:
            return _axis_solutions(found, None, p), True
        if conv:
            try:
                _check_window_spec(p, AxisSpec(size, kernel, stride, dilation))
            except ShapeError:
                continue  # every padding is rejected with it (evaluate would return None)
        for way in _ways(p, kernel, stride, dilation, _pad_sums(p, kernel, stride, dilation, size, target), size,
                         target):
            if not _plausible(p, kernel, stride, dilation, way, size, target):
                continue
            got = evaluate(p, kernel, stride, dilation, way, size, target, checked=conv)
            if got is None or got[3] != target or not _balanced(p, way, got[0], got[1]):
                continue
            _collect(found, (kernel, stride, dilation, *got[:3]), way)
    return _axis_solutions(found, None, p), False


# ---------------------------------------------------------------------------- for every input
def _check_window(kernel: int, stride: int, dilation: int, reach: int, n: int, up: bool) -> int:
    """The largest input size checked one by one for a scale of n (up) or 1/n.

    Past the small sizes every rule's size is quasi-affine in the input: a forward output grows
    by exactly 1 for each +stride on the input (floor or ceil of (i + const)/s; SAME's ceil(i/s),
    its pads periodic in i mod s; C++'s truncation equal to the floor once the numerator is
    positive; ceil_mode's drop unchanged by i -> i + s), a transposed output by exactly s for each
    +1 (and the forward size that tf, keras and onnx check it against by exactly 1); rejections
    and clamps happen only while the padded input or the output is smaller than the kernel plus
    the padding (``reach``). So once the sizes checked cover that, plus two full periods, the claim
    holds for every size."""
    eff = rules.effective_kernel(kernel, dilation)
    if up:  # the period is one input step: out(i + 1) = out(i) + s
        return -(-(eff + 2 * reach) // stride) + 2 * stride + 2
    return eff + 2 * reach + 2 * stride * n + 2 * n


def _scaled(size: int, scale: Fraction) -> int | None:
    value = size * scale
    return value.numerator if value.denominator == 1 else None


def _up_proof(p: Problem, g: tuple[int, ...], way: Way, s_up: int) -> tuple[str, str]:
    kernel, stride, dilation, pb, pa, op = g
    rule = f"output = {s_up}*i for every i >= 1" if s_up > 1 else "output = i for every i >= 1"
    const = rules.transposed_offset(kernel, stride, dilation, pb, pa, op)
    proof = (f"output = s*i + (d*(k-1) + 1 + output_padding - s - pad_before - pad_after) = {stride}*i + "
             f"({dilation}*{kernel - 1} + 1 + {op} - {stride} - {pb} - {pa}) = {stride}*i + {const}")
    if p.conv.transposed_by_forward:
        forward = ("SAME gives ceil(o/s)" if way.padding in ("same", "same-upper") else
                   f"floor((o + {pb + pa} - {rules.effective_kernel(kernel, dilation)})/{stride}) + 1")
        proof += (f"; TF accepts the size o = {s_up}*i because its forward convolution maps it back to i "
                  f"({forward})")
    return rule, proof


def _down_proof(p: Problem, g: tuple[int, ...], way: Way, scale: Fraction, other: str) -> tuple[str, str]:
    kernel, stride, dilation, pb, pa, _ = g
    n = scale.denominator
    eff = rules.effective_kernel(kernel, dilation)
    total = pb + pa
    if n == 1:
        rule = "output = i for every i >= 1"
        proof = (f"output = floor((i + P - eff)/s) + 1 = i + {total} - {eff} + 1 = i (P = pad_before + pad_after "
                 f"= {total}, eff = d*(k-1) + 1 = {eff}, s = 1)")
        if way.padding in ("same", "same-upper", "same-lower"):
            proof = "SAME: output = ceil(i/1) = i; " + proof
        return rule, proof
    rule = f"output = i/{n} for every i = {n}*m, m >= 1; {other}"
    if way.ceil_mode:
        windows = rules.div_ceil(total - eff, n) + 1  # past m, before any drop
        proof = (f"ceil_mode: output = ceil((i + P - eff)/s) + 1, less a last window starting past the input; for "
                 f"i = {n}*m: m + ceil(({total} - {eff})/{n}) + 1 = m" + (f" + {windows}" if windows else "")
                 + (f", and that last window starts at m*{n} >= i + pad_before = {n}*m + {pb}, so it is dropped: m"
                    if windows == 1 else ""))
    else:
        proof = (f"output = floor((i + P - eff)/s) + 1; for i = {n}*m: m + floor(({total} - {eff})/{n}) + 1 = m, "
                 f"since -{n} <= P - eff = {total - eff} < 0 (P = pad_before + pad_after = {total}, eff = d*(k-1) + 1 "
                 f"= {eff}; the numerator is never negative, so C++'s truncation is the floor)")
    if way.padding in ("same", "same-upper", "same-lower"):
        proof = f"SAME: output = ceil(i/{n}), its pads {pb}:{pa} the same for every multiple of {n}; " + proof
    return rule, proof


def _other_sizes(p: Problem, kernel: int, stride: int, dilation: int, way: Way, n: int, last: int) -> str:
    """What the layer gives for sizes that are not multiples of ``n``: rounded up or down (judged
    on the periodic sizes, the upper half of the window), and the small sizes that differ."""
    if n == 1:
        return ""
    words: dict[int, str] = {}
    for size in range(1, last + 1):
        if size % n == 0:
            continue
        got = evaluate(p, kernel, stride, dilation, way, size)
        out = None if got is None else got[3]
        words[size] = ("ceil" if out == -(-size // n) else "floor" if out == size // n else
                       "rejected" if out is None else f"{out}")
    periodic = {size % n: words[size] for size in words if size > last // 2}
    kinds = set(periodic.values())
    if kinds == {"ceil"}:
        text = f"other sizes round up: output = ceil(i/{n})"
    elif kinds == {"floor"}:
        text = f"other sizes round down: output = floor(i/{n})"
    else:
        text = "other sizes: " + ", ".join(f"i mod {n} = {r}: {periodic[r]}" for r in sorted(periodic))
    odd = [size for size in words if words[size] != periodic[size % n]]
    if odd:
        shown = ", ".join(f"{size} ({words[size]})" for size in odd[:3]) + (", ..." if len(odd) > 3 else "")
        text += f", except i = {shown}"
    return text


def solve_axis_for_all(p: Problem, scale: Fraction) -> tuple[AxisSolution, ...]:
    """Every answer on one axis whose output is exactly ``scale`` times the input for every
    input size (every multiple of N for scale 1/N), simplest first, each with its proof."""
    up = scale.denominator == 1 and (scale > 1 or p.transposed)
    n = scale.numerator if up else scale.denominator
    found: dict[tuple[int, ...], list[Way]] = {}
    proofs: dict[tuple[int, ...], tuple[str, str]] = {}
    for kernel, stride, dilation in _windows(p):
        if stride != n:  # the slope: a transposed output grows by s per input, a forward one by 1/s
            continue
        reach = 2 * rules.effective_kernel(kernel, dilation) + stride + (p.bounds.max_padding or 0)
        last = _check_window(kernel, stride, dilation, reach, n, up)
        sizes = range(1, last + 1) if up else range(n, last + 1, n)
        for way in _ways(p, kernel, stride, dilation):
            first = sizes[0]
            target = _scaled(first, scale)
            if target is None or not _plausible(p, kernel, stride, dilation, way, first, target):  # never None:
                continue  # first is 1 scaled up, or N scaled by 1/N
                continue
            geometry = None
            for size in sizes:
                target = _scaled(size, scale)
                got = evaluate(p, kernel, stride, dilation, way, size, target)
                if got is None or got[3] != target or (geometry is not None and got[:3] != geometry):
                    break
                geometry = got[:3]
            else:
                if geometry is None or not _balanced(p, way, geometry[0], geometry[1]):
                    continue
                key = (kernel, stride, dilation, *geometry)
                _collect(found, key, way)
                if key not in proofs:
                    proofs[key] = _up_proof(p, key, way, n) if up else \
                        _down_proof(p, key, way, scale, _other_sizes(p, kernel, stride, dilation, way, n, last))
    return _axis_solutions(found, proofs, p)


# ---------------------------------------------------------------------------- combining axes
def _layer_ok(p: Problem, combo: Sequence[AxisSolution]) -> bool:
    """Rules that look at the whole layer (Keras: no stride > 1 with dilation > 1 anywhere)."""
    if isinstance(p.fw, PoolRules):  # pooling
        return True
    try:
        p.fw.check_layer([AxisSpec(1, s.kernel, s.stride, s.dilation) for s in combo], p.transposed)
    except ShapeError:
        return False
    return True


def combine(p: Problem, axes: Sequence[tuple[AxisSolution, ...]]) -> tuple[list[tuple[tuple[AxisSolution, ...], Style]],
                                                                             bool]:
    """Every valid combination of per-axis answers with its style, simplest first: the same
    kernel, stride and dilation on every axis first, then by the least simple axis (its rank on
    its axis), then the sum of ranks. With more than COMBINATION_LIMIT combinations, only each
    axis's first answers are combined (the second value is True then)."""
    heads = [len(a) for a in axes]
    cut = False
    while _product(heads) > COMBINATION_LIMIT:
        cut = True
        widest = max(range(len(heads)), key=lambda j: heads[j])
        heads[widest] = max(1, heads[widest] * 3 // 4)
    styles = [[frozenset(w.style for w in sol.ways) for sol in axis] for axis in axes]
    found: list[tuple[tuple[bool, int, int, tuple[int, ...]], tuple[AxisSolution, ...], Style]] = []
    for ranks in product(*(range(h) for h in heads)):
        shared = frozenset.intersection(*(styles[j][r] for j, r in enumerate(ranks)))
        if not shared:
            continue
        combo = tuple(axes[j][r] for j, r in enumerate(ranks))
        style = next(w.style for w in combo[0].ways if w.style in shared)
        if not _layer_ok(p, combo):
            continue
        mixed = len({(s.kernel, s.stride, s.dilation) for s in combo}) > 1
        found.append(((mixed, max(ranks), sum(ranks), ranks), combo, style))
    found.sort(key=lambda item: item[0])
    return [(combo, style) for _, combo, style in found], cut


def _product(values: Sequence[int]) -> int:
    total = 1
    for v in values:
        total *= v
    return total


def _joined(values: Sequence[object]) -> str:
    return str(values[0]) if len(set(values)) == 1 else ",".join(str(v) for v in values)


def _select(name: str, output_padding: int | None, output: int, way: Way, scaled: bool) -> str:
    """What selects the size on one axis of a transposed layer, in the framework's words."""
    if name == "output_shape" or way.sized:
        return "output_shape=S*i" if scaled else f"output_shape={output}"
    if name in ("output_padding", "keras_output_padding"):
        return f"output_padding={output_padding}"
    return f"padding={_show_pad(way.padding)}"  # jax, caffe: the padding alone fixes the size


def _build(p: Problem, combo: tuple[AxisSolution, ...], style: Style, inputs: Sequence[int],
           outputs: Sequence[int], example: bool) -> Solution:
    """The layer for one combination: the padding as typed, the selectors and the API arguments
    that reproduce it (for for_all_inputs, on an example size)."""
    ways = [next(w for w in s.ways if w.style == style) for s in combo]
    keyword = style[0]
    if keyword != "explicit":
        padding = keyword
    else:
        pairs = [w.padding for w in ways if isinstance(w.padding, tuple)]  # all of them: the style is explicit
        if all(a == b for a, b in pairs):
            padding = _joined([a for a, _ in pairs])
        else:
            padding = ",".join(f"{a}:{b}" for a, b in pairs)
    kernel = tuple(s.kernel for s in combo)
    stride = tuple(s.stride for s in combo)
    dilation = tuple(s.dilation for s in combo)
    args: dict[str, Any] = {"input": _joined(inputs), "kernel": _joined(kernel), "stride": _joined(stride),
                            "padding": padding, "dilation": _joined(dilation)}
    select: tuple[str, ...] = ()
    ceil = None
    if p.transposed:
        ops = [w.output_padding for w in ways]
        if style[2] is False and (p.conv.transposed_select == "keras_output_padding" or any(ops)):  # given
            args["output_padding"] = _joined(ops)
        if style[3]:  # tf: the output size is the output_shape argument
            args["output_size"] = _joined(outputs)
        name = p.conv.transposed_select
        select = tuple(_select(name, op_, o, w, example) for op_, o, w in zip(ops, outputs, ways))
    if p.kind:
        ceil = bool(style[1])
        args["ceil_mode"] = ceil
    return Solution(kernel, stride, dilation, tuple(s.pad_before for s in combo), tuple(s.pad_after for s in combo),
                    tuple(s.output_padding for s in combo), padding, ceil, select, args,
                    tuple(s.rule for s in combo), tuple(s.proof for s in combo))


# ---------------------------------------------------------------------------- errors
def _nothing(p: Problem, op: str, what: str, hint: str) -> ShapeError:
    return ShapeError(f"no {op} {what} with {p.bounds.describe()}" + (f"; {hint}" if hint else ""),
                      framework=p.fw.name, rule=Rule.NO_SOLUTION, values={"op": op})


def _hint(p: Problem, ndim: int, size: int, target: int) -> str:
    if not p.transposed and target > size:
        return f"a transposed convolution can: try op='conv-transpose{ndim}d'"
    if p.transposed and target < size:
        return f"a convolution can: try op='conv{ndim}d'"
    b = p.bounds
    ratio = max(-(-size // max(target, 1)), -(-target // size))
    if ratio > b.max_stride:
        return f"try max_stride={ratio}"
    return "larger bounds may (max_kernel, max_padding)"


def _scale_hint(p: Problem, ndim: int, scale: Fraction) -> str:
    if not p.transposed and scale > 1:
        return f"a transposed convolution can: try op='conv-transpose{ndim}d'"
    if p.transposed and scale < 1:
        return f"a convolution can: try op='conv{ndim}d'"
    n = max(scale.numerator, scale.denominator)
    if n > p.bounds.max_stride:
        return f"the stride must be {n}: try max_stride={n}"
    if p.transposed and 2 * n > p.bounds.max_kernel:
        return f"e.g. kernel {2 * n}, stride {n}: try max_kernel={2 * n}"
    return "larger bounds may (max_kernel, max_padding)"


# ---------------------------------------------------------------------------- API
def solve(input: IntArg = None, output_size: IntArg = None, op: str | None = None, *, framework: str = "torch",
          for_all_inputs: bool = False, scale: Any = None, max_kernel: int | None = None,
          max_stride: int | None = None, max_dilation: int | None = None, max_padding: int | None = None,
          all_splits: bool = False, limit: int | None = None, ndim: int | None = None) -> SolveResult:
    """Every parameter set (kernel, stride, padding or its before/after split, dilation,
    output_padding; ceil_mode for pooling) of ``op`` in ``framework`` that maps ``input`` to
    ``output_size`` per spatial axis, simplest first (see :func:`simplicity`).

    ``op``: conv, conv-transpose (deconv), maxpool or avgpool, with a rank (``conv2d``) or
    without (the rank is the number of values given). ``for_all_inputs`` (implied by ``scale``):
    the parameter sets whose output is exactly ``scale`` times every input (``scale`` N or
    ``"1/N"``; for 1/N every multiple of N, and each answer says what other sizes give), each
    with its rule and proof. Bounds default to kernel <= 7, stride <= 4, dilation <= 2 and, per
    candidate, padding <= its effective kernel - 1. Explicit paddings are listed symmetric or with
    the odd one at the end unless ``all_splits``. ``limit``: the combined solutions returned
    (None: all); each axis's full list is in ``axes``.
    Raises :class:`ShapeError` (rule ``no-solution``) when nothing within the bounds works.
    """
    for_all = bool(for_all_inputs or scale is not None)
    if op is not None:
        family, op_ndim = parse_op(op)
    else:
        family, op_ndim = None, None
    if for_all:
        if scale is None:
            raise ShapeError("for_all_inputs needs a scale (e.g. scale=2 or scale='1/2')", rule=Rule.MISSING,
                             values={"scale": None})
        if input is not None or output_size is not None:
            raise ShapeError("for_all_inputs solves for every input size: give scale, not input or output_size",
                             rule=Rule.BAD_SHAPE, values={"input": input, "output_size": output_size})
        n = ndim or op_ndim or (axis_count(scale) if axis_count(scale) > 1 else DEFAULT_NDIM)
        scales = parse_scale(scale, n)
        if family is None:
            family = "conv-transpose" if any(s > 1 for s in scales) else "conv"
    else:
        n = ndim or op_ndim or axis_count(input, output_size)
        family = family or "conv"
    if n > MAX_AXES:
        raise ShapeError(f"solve takes at most {MAX_AXES} spatial axes in convshape, but got {n}",
                         rule=Rule.CONVSHAPE_LIMIT, values={"axes": n})
    bounds = Bounds(_bound(max_kernel, "max_kernel", 7), _bound(max_stride, "max_stride", 4),
                    _bound(max_dilation, "max_dilation", 2), _bound(max_padding, "max_padding", None, low=0))
    if limit is not None:
        _bound(limit, "limit", 0, low=0)
    fw: ConvRules | PoolRules
    if family in POOL_KIND:
        from convshape.frameworks import pool_rules

        fw = pool_rules(framework)
        fw.check(POOL_KIND[family], n, [AxisSpec(1, 1, 1, 1)] * n, False)  # the kind and the rank it pools
    else:
        fw = framework_rules(framework)
    p = Problem(family, fw, n, bounds, bool(all_splits))
    op_name = f"{family}{n}d"
    notes: list[str] = []
    if for_all:
        axis_results = each_axis(lambda _, scale: AxisResult(None, None, _show_scale(scale),
                                                             solve_axis_for_all(p, scale)), scales)
        for axis, result in enumerate(axis_results):
            if not result.solutions:
                raise _nothing(p, op_name,
                               f"scales every input by {result.scale}" + (f" on axis {axis}" if n > 1 else ""),
                               _scale_hint(p, n, scales[axis]))
        up = [s.denominator == 1 and (s > 1 or p.transposed) for s in scales]
        inputs = [16 if u else 16 * s.denominator for u, s in zip(up, scales)]
        outputs = [_scaled(i, s) or 0 for i, s in zip(inputs, scales)]
        shown_in, shown_out = None, None
    else:
        inputs = list(per_axis(input, "input", n))
        sizes = per_axis(output_size, "output_size", n)
        check_limit("input", inputs, MAX_INPUT, low=1)
        check_limit("output_size", sizes, MAX_INPUT, low=1)
        outputs = list(sizes)
        axis_results = each_axis(lambda _, i, o: AxisResult(i, o, None, *solve_axis(p, i, o)), inputs, outputs)
        for axis, result in enumerate(axis_results):
            if result.cut:
                notes.append(f"{'axis ' + str(axis) + ': ' if n > 1 else ''}the search stopped after "
                             f"{len(result.solutions)} answers (convshape's limit, {AXIS_ANSWER_LIMIT}): more exist, "
                             f"and those shown are the simplest found (windows with dilation 1 first, then by "
                             f"stride and kernel); lower max_kernel, max_stride, max_dilation or max_padding to "
                             f"list every one")
        for axis, result in enumerate(axis_results):
            if not result.solutions:
                where = "x".join(map(str, inputs)), "x".join(map(str, outputs))
                differ = len(set(zip(inputs, outputs))) > 1
                what = f"maps {where[0]} to {where[1]}" + (f" (axis {axis}: {inputs[axis]} to {outputs[axis]})"
                                                          if differ else "")
                raise _nothing(p, op_name, what, _hint(p, n, inputs[axis], outputs[axis]))
        shown_in, shown_out = tuple(inputs), tuple(outputs)
    combos, cut = combine(p, [a.solutions for a in axis_results])
    if not combos:
        raise ShapeError(f"every axis has a solution, but no {op_name} combines them in one layer "
                         f"(a padding keyword, ceil_mode and Keras's output_padding=None apply to every axis"
                         + fw.solve_combination_limits + ")",
                         framework=fw.name, rule=Rule.NO_SOLUTION, values={"op": op_name})
    if cut:
        notes.append(f"over {COMBINATION_LIMIT} combinations: only each axis's simplest answers were combined "
                     f"(every axis's full list is under 'axes')")
    if not p.transposed and not p.kind and fw.solve_note:
        notes.append(fw.solve_note)
    if not all_splits and _explicit_kind(p) == "asymmetric":
        notes.append("explicit paddings are listed symmetric or with the odd one at the end, as SAME splits them; "
                     "all_splits=True lists every before:after split")
    if for_all:
        notes.append("each answer is proved for every size: the size rule is quasi-affine (each +stride on the input "
                     "adds exactly 1 output, or each +1 adds exactly stride for a transposed layer), and it was "
                     "checked exactly on every size up to two full periods past its last small-size effect")
    chosen = combos if limit is None or limit == 0 else combos[:limit]
    solutions = tuple(_build(p, combo, style, inputs, outputs, for_all) for combo, style in chosen)
    return SolveResult(op_name, fw.name, for_all, shown_in, shown_out,
                       tuple(_show_scale(s) for s in scales) if for_all else None, axis_results, solutions,
                       len(combos), bounds, tuple(notes))


__all__ = ["AxisResult", "AxisSolution", "Bounds", "Solution", "SolveResult", "parse_op", "parse_scale",
           "simplicity", "solve"]
