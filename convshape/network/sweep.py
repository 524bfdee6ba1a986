"""Which input sizes a whole network accepts: every layer valid, every skip connection aligned.

A sweep never tries every size of a big range. Each layer's output size is a step function of
the input size ``n`` that is *quasi-affine*: a window of stride s maps ``x`` to
``floor((x + c) / s)`` (or ceil), a transposed convolution to ``(x - 1) s + c``, an upsampling
by 3/2 to ``floor(3x / 2)``. Composing them, every layer's size satisfies

    size(n + P) = size(n) + P * m          (m: the layer's exact slope, a fraction)

for the network's period ``P`` (the least common multiple of the denominators of every slope:
16 for four stride-2 poolings) once every window layer's input is at least its effective
kernel (below that C++ truncation or a framework's special case may differ from floor). So:

1. Rejections that depend on the size alone ("input smaller than the kernel", "output size 0")
   hold below a threshold ``A`` and never above it: ``A`` is found by bisection.
2. Sizes below ``T`` (where every window layer is in its regular regime) are tried one by one.
3. From ``T`` on, each residue class ``n = b + kP`` is decided at once: every skip connection
   compares two sizes that move by ``P m1`` and ``P m2`` per step, so it holds for every ``k``
   (equal slopes and equal at ``b``), never, or at exactly one ``k``. Divisibility rules (pixel
   unshuffle) are constant within a class because ``P m`` is a multiple of the factor.
4. The answer is checked against a full evaluation one period further on; any disagreement
   (a rule outside this model) falls back to trying every size, which is capped.

Fixed sizes (a ``Linear`` with ``in_features``, a transposed convolution with ``output_size``)
make the valid set bounded; the sweep detects that at the top of the range and tries every size.

The analysis (:func:`sweep_network`) reads a network only through the :class:`Sweepable`
protocol: traces of single sizes and the slopes. :class:`SpecNetwork` implements it for spec
files and chains with the network's one graph walk (:func:`convshape.network.evaluate.walk`, in
its sizes-only mode), so a sweep obeys exactly the rules :func:`~convshape.network.evaluate.evaluate`
applies; a model file's reader implements it for its own nodes.
"""

from __future__ import annotations

import builtins
from collections.abc import Callable, Mapping, Sequence
from fractions import Fraction
from math import gcd
from operator import add, floordiv, le, mod
from typing import Any, NamedTuple, Protocol

from convshape.errors import Rule, ShapeError
from convshape.limits import MAX_INPUT
from convshape.params import int_range
from convshape.network.evaluate import (DATA_FORMATS, LayerSpec, NetworkSpec, SpecArg, Step, Tensor, as_spec,
                                        WalkMemo, broadcast_merge, evaluate, layer_step, plan_walk, walk,
                                        window_geometry)

#: the layers whose sizes follow floor((size + c) / stride) from their effective kernel plus padding on
_WINDOW_KINDS = frozenset({"conv", "depthwise", "separable", "max", "avg", "lp"})

#: where a data format's spatial axes start in its shape
_FIRST_SPATIAL = {fmt: 1 if last else 2 for fmt, (_, last) in DATA_FORMATS.items()}

#: beyond any size: the divisor that leaves an axis as it is (see SpecNetwork._anchor)
_BEYOND = 1 << 64

#: the most sizes a sweep tries one by one when the periodic analysis does not apply
BRUTE_FORCE_LIMIT = 20000


class Progression(NamedTuple):
    """The sizes start, start + step, ..., stop (inclusive)."""

    start: int
    stop: int
    step: int

    def __len__(self) -> int:
        return (self.stop - self.start) // self.step + 1

    def __contains__(self, n: object) -> bool:
        return isinstance(n, int) and self.start <= n <= self.stop and (n - self.start) % self.step == 0

    def to_dict(self) -> dict[str, int]:
        return {"start": self.start, "stop": self.stop, "step": self.step}

    def describe(self) -> str:
        """``16..4096``, ``every multiple of 16 from 16 to 4096``, ``17, 33, ..., 4081 (every 16)``."""
        if self.start == self.stop:
            return str(self.start)
        if self.step == 1:
            return f"{self.start}..{self.stop}"
        if len(self) == 2:
            return f"{self.start}, {self.stop}"
        if self.start % self.step == 0:
            return f"every multiple of {self.step} from {self.start} to {self.stop}"
        return f"{self.start}, {self.start + self.step}, ..., {self.stop} (every {self.step})"


class Failure(NamedTuple):
    """Why one size fails: the first layer that rejects it, or the skip that does not align."""

    size: int
    layer: str
    rule: str
    message: str

    def to_dict(self) -> dict[str, Any]:
        return self._asdict()


class SweepResult(NamedTuple):
    """The input sizes in ``range`` for which the whole network is valid, as progressions."""

    source: str
    framework: str
    axis: int | None
    input: tuple[int, ...]
    range: tuple[int, int]
    valid: tuple[Progression, ...]
    count: int  # type: ignore[assignment]  # a field's name (in the JSON too) shadows tuple.count
    period: int | None
    threshold: int | None
    method: str
    failures: tuple[Failure, ...]
    notes: tuple[str, ...]
    #: the valid sizes nearest the spec's own size: the largest below it and the smallest above it
    #: (None where the range holds none)
    nearest_valid: tuple[int | None, int | None] = (None, None)
    position: int = 2  # where the swept axis sits in ``input``
    #: the valid sizes as constraints with their causes (:mod:`convshape.network.symbolic`), when asked for
    constraints: Any = None
    #: dynamic-shape specs for exporters (:mod:`convshape.network.emit`), when asked for
    emitted: tuple[Any, ...] = ()
    #: a model file's sweep with compare: where the ONNX spec and onnxruntime disagree (None: not asked)
    compared: Mapping[str, Any] | None = None

    @property
    def size(self) -> int:
        """The spec's own size on the swept axis (the one the nearest sizes are around)."""
        return self.input[self.position]

    def __contains__(self, n: object) -> bool:
        return any(n in p for p in self.valid)

    def sizes(self) -> list[int]:
        """Every valid size (a list: mind huge ranges)."""
        return sorted(n for p in self.valid for n in range(p.start, p.stop + 1, p.step))

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.source, "framework": self.framework, "axis": self.axis, "input": list(self.input),
                "range": list(self.range), "valid": [p.to_dict() for p in self.valid], "count": self.count,
                "period": self.period, "threshold": self.threshold, "method": self.method,
                "failures": [f.to_dict() for f in self.failures],
                "size": self.size, "size_valid": self.size in self,
                "nearest_valid": {"below": self.nearest_valid[0], "above": self.nearest_valid[1]},
                "notes": list(self.notes),
                **({"constraints": self.constraints.to_dict()} if self.constraints is not None else {}),
                **({"emit": {e.target: e.to_dict() for e in self.emitted}} if self.emitted else {}),
                **({"compare": dict(self.compared)} if self.compared is not None else {})}


def nearest_valid(valid: Sequence[Progression], n: int) -> tuple[int | None, int | None]:
    """The largest valid size below ``n`` and the smallest above it (None where there is none)."""
    below: int | None = None
    above: int | None = None
    for p in valid:
        if p.start < n:
            b = min(p.stop, p.start + (n - 1 - p.start) // p.step * p.step)
            below = b if below is None else max(below, b)
        if p.stop > n:
            a = max(p.start, p.start - (p.start - n - 1) // p.step * p.step) if p.start <= n else p.start
            above = a if above is None else min(above, a)
    return below, above


# ---------------------------------------------------------------------------- what a sweep reads
class Skip(NamedTuple):
    """A node that needs its inputs' spatial sizes equal (a skip connection: concat, add), as one
    size meets it: the node, the names of its inputs (each a key of :attr:`Slopes.slopes`), and
    each input's spatial sizes there."""

    node: str
    inputs: tuple[str, ...]
    sizes: tuple[tuple[int, ...], ...]


class Trace(NamedTuple):
    """One size through the network, going on past skip mismatches and divisibility failures:
    the first hard rejection (a Failure or None), the skip comparisons, the divisibility
    failures, every node's spatial sizes, and whether some node is below its regular regime.
    See :class:`Sweepable` for what each must hold."""

    hard: Failure | None
    skips: tuple[Skip, ...]
    periodic: tuple[Failure, ...]
    sizes: dict[str, tuple[int, ...]]
    unsettled: bool

    def strict(self) -> Failure | None:
        """The reason this size fails, or None when the network is valid at it (size 0 where the
        reason is a skip: :func:`failure` sets it)."""
        if self.hard is not None:
            return self.hard
        for skip in self.skips:
            if len(set(skip.sizes)) > 1:
                return Failure(0, skip.node, "skip-mismatch",
                               "skip connection sizes differ: " + " vs ".join("x".join(map(str, s))
                                                                              for s in skip.sizes))
        return self.periodic[0] if self.periodic else None


class Slopes(NamedTuple):
    """Per node (and ``"input"``), its exact slope per spatial axis; and the period P that makes
    every ``P * slope`` an integer (see :meth:`Sweepable.slopes`)."""

    slopes: dict[str, tuple[Fraction, ...]]
    period: int


class Sweepable(Protocol):
    """A network the sweep can run over, whatever it was read from: a spec file's layers
    (:class:`SpecNetwork`), a model file's nodes of any op type. The sweep (:func:`sweep_network`)
    reads only this.

    Sizes: ``n`` is the size given to the swept spatial axis of the input (to every spatial axis
    when ``axis`` is None), the other axes as in ``input``. ``input[position]`` is the model's
    own size on the swept axis (the failures shown and the nearest valid sizes are around it).

    ``trace(n)`` walks every node at ``n`` in order and returns a :class:`Trace`:

    * ``hard``: the first failure that does not repeat with the period: a node's rules reject its
      input (too small for the kernel, a fixed size that does not match, ...) or give an output
      size 0: ``Failure(n, node, rule, message)``. The trace stops there; the other fields hold
      what came before. Hard failures must hold below some size and nowhere from it on, except
      where a fixed size (a ``Linear`` with ``in_features``) rejects the top of the range, which
      the sweep detects (it then tries every size).
    * ``skips``: every :class:`Skip` met, aligned or not; past a mismatch the walk goes on with
      the first input's sizes. Every input named must have a slope in ``slopes()``.
    * ``periodic``: failures that repeat with the period (a size not divisible by a factor: pixel
      unshuffle, ``SpaceToDepth``), ``Failure(n, node, "divisible", message)``; the walk goes on
      with the sizes floored.
    * ``sizes``: each node's spatial output sizes (by node name; for tests and tools).
    * ``unsettled``: True when some node at ``n`` is below the size from which its integer formula
      follows its long-run slope (a window larger than its input plus padding, where C++
      truncation or a framework's special case may differ from floor). Once False at a size
      with no hard failure, it must stay False at every larger size: the sweep finds that size
      T by bisection and tries every size below it one by one.

    ``slopes(probes)``: each node's exact slope per spatial axis (a Fraction: how much its size
    grows per unit of ``n`` in the long run: 1/2 after a stride-2 pool, 2 after a stride-2
    transposed conv, 0 for a fixed output size) and the period P, the least common multiple of
    the slopes' denominators, such that from T on ``size(n + P) = size(n) + P * slope`` for every
    node and each divisibility failure depends on ``n mod P`` only. Read it off the first probe
    at which ``trace`` has no hard failure. Return None when the network is outside that model:
    no probe traces without a hard failure, a node scales a size inexactly (a float scale that
    is not a short binary fraction), or a skip compares sizes that moved through a flattened
    tensor. None makes the sweep try every size of the range instead (at most
    :data:`BRUTE_FORCE_LIMIT` sizes, else a ``sweep-range`` ShapeError). ``trace`` may read what
    ``slopes`` learnt (which axes move): the sweep discards the traces it took before calling it.
    Wrong slopes are caught, not trusted: the sweep checks its answer one period further on by
    traces and falls back to trying every size where they disagree.

    ``explain(n)``: why a full evaluation at ``n`` fails, in the framework's own words (the
    first failing node), or None to let the trace's reason stand; called for a few sizes only.
    """

    @property
    def source(self) -> str: ...

    @property
    def framework(self) -> str: ...

    @property
    def axis(self) -> int | None: ...

    @property
    def input(self) -> tuple[int, ...]: ...

    @property
    def position(self) -> int: ...

    def trace(self, n: int) -> Trace: ...

    def slopes(self, probes: Sequence[int]) -> Slopes | None: ...

    def explain(self, n: int) -> Failure | None: ...


# ---------------------------------------------------------------------------- a spec file's network
def _indivisible(layer: LayerSpec, x: Tensor) -> int | None:
    """A pixel unshuffle's factor where ``x``'s spatial sizes are not all divisible by it (a
    failure that repeats with the period: the sweep goes on with the sizes floored)."""
    if layer.kind == "pixel_unshuffle" and x.data_format is not None:
        r: int = layer.args["factor"]
        if any(s % r for s in x.spatial):
            return r
    return None


class SpecNetwork:
    """A spec prepared for many sizes (a :class:`Sweepable`): traced by the network's one walk
    (:func:`convshape.network.evaluate.walk`) in its sizes-only mode, layer steps memoised by
    their input shapes, window layers in their regular regime shifted from an anchor."""

    def __init__(self, spec: NetworkSpec, axis: int | None) -> None:
        self.spec = spec
        self.axis = axis
        self.source, self.framework, self.input = spec.source, spec.framework, spec.input
        fmt = spec.data_format
        if fmt is None:
            raise ShapeError(f"{spec.source}: the input {list(spec.input)} has no spatial axes to sweep",
                             rule=Rule.BAD_SPEC, values={"input": list(spec.input)})
        ndim, last = DATA_FORMATS[fmt]
        self.positions = list(range(1, 1 + ndim)) if last else list(range(2, 2 + ndim))
        if axis is not None and not 0 <= axis < ndim:
            raise ShapeError(f"axis must be between 0 and {ndim - 1} (the input has {ndim} spatial axes), "
                             f"but got axis={axis}", rule=Rule.AXIS_COUNT, values={"axis": axis})
        self.position = self.positions[axis if axis is not None else 0]
        #: the positions in ``input`` that a trace sets to n
        self.swept = tuple(p for i, p in enumerate(self.positions) if axis is None or axis == i)
        #: the walk's plan (inputs resolved, signatures computed) and memo (each layer's step and output
        #: by signature and input shape: layers alike, as a deep chain of one block, are stepped once
        #: per input shape), both kept for every size traced
        self.plan = plan_walk(spec)
        self.memo: WalkMemo = {}
        #: what a layer's step depends on besides its input (its op, rank and arguments, not its name or inputs)
        self.signatures = {p.layer.name: p.signature for p in self.plan if p.signature is not None}
        #: window layers' steps in their regular regime (see _shift): per (signature, data format), the
        #: divisor of each axis of the input shape (its stride on a spatial axis, _BEYOND elsewhere, so
        #: that mod and floor division leave batch and channels as they are); and by (signature, data
        #: format, the input shape mod those divisors) the anchor: each axis's least and greatest input
        #: in the regime, the offsets of the output shape, and the anchor's step
        self.divisors: dict[tuple[str, str | None], tuple[int, ...]] = {}
        self.anchors: dict[tuple[str, str | None, tuple[int, ...]],
                           tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...], Step]] = {}
        #: an identity layer's step (relu, dropout, ...) by data format: the same at every size but its shape
        self.kept: dict[str | None, Step] = {}
        #: per layer, the spatial axes whose size moves with n (set by slopes(); all until then)
        self.moving: dict[str, tuple[bool, ...]] = {}
        #: whether elementwise merges broadcast sizes of 1 (keras): see evaluate.broadcast_merge
        from convshape.frameworks import get

        self.broadcasts: bool = get(spec.framework).merge_broadcasts

    def input_shape(self, n: int) -> tuple[int, ...]:
        shape = list(self.spec.input)
        for position in self.swept:
            shape[position] = n
        return tuple(shape)

    def step(self, layer: LayerSpec, xs: Sequence[Tensor]) -> Step | ShapeError:
        """The walk's stepper, sizes only (a shifted window step keeps no weights, MACs or notes):
        a merge's inputs are taken at the first one's sizes (the skip is judged per residue class);
        a pixel unshuffle of indivisible sizes floors them (a periodic failure, see :meth:`trace`)."""
        x = xs[0]
        kind = layer.kind
        if kind == "concat" or kind == "add":
            if kind == "add" and self.broadcasts:  # sizes of 1 broadcast: aligned that way, or judged per class
                try:
                    return layer_step(layer, xs, self.spec.framework)
                except ShapeError:
                    pass
            try:
                return layer_step(layer, [t if t.spatial == x.spatial else _respace(t, x.spatial) for t in xs],
                                  self.spec.framework)
            except ShapeError as exc:
                return exc.with_traceback(None)  # kept: no frames held (see walk's memo)
        if kind == "identity":  # relu, dropout, ...: the tensor as it is, whatever its size
            kept = self.kept.get(x.data_format)
            if kept is None:
                kept = self.kept[x.data_format] = layer_step(layer, xs, self.spec.framework)
            return tuple.__new__(Step, (x.shape, *kept[1:]))  # (as below)
        window = kind in _WINDOW_KINDS
        if window:
            shifted = self._shift(layer, x)
            if shifted is not None:  # in the regular regime, so no extent to check. (tuple.__new__: the
                shape, step0 = shifted  # NamedTuple without its Python-level constructor, a third of a
                # trace's time here)
                return tuple.__new__(Step, (shape, (), 0, step0.geometry, step0.pad_before, step0.pad_after, (),
                                            step0.scale, (), step0.out_format))
        r = _indivisible(layer, x) if kind == "pixel_unshuffle" else None
        if r is not None:
            n = len(x.spatial)
            return Step(x.with_spatial([s // r for s in x.spatial], x.channels * r ** n), (), 0,
                        tuple(window_geometry(r, r, 1, 0) for _ in range(n)), (0,) * n, (0,) * n, (),
                        (Fraction(1, r),) * n)
        try:
            hit = layer_step(layer, xs, self.spec.framework)
        except ShapeError as exc:
            return exc.with_traceback(None)  # kept: no frames held (see walk's memo)
        if window:
            self._anchor(layer, x, hit)
        return hit

    def _anchor(self, layer: LayerSpec, x: Tensor, step: Step) -> None:
        """Remember a window layer's step at ``x`` for every size of the same residues mod its
        strides, if ``x`` is in its regular regime (see :meth:`_shift`)."""
        scale, extent, spatial, fmt = step.scale, step.extent, x.spatial, x.data_format
        if fmt is None or scale is None or not len(spatial) == len(extent) == len(scale) == \
                len(step.pad_before) == len(step.pad_after) or len(step.shape) != len(x.shape):
            return
        if any(f is None or f.numerator != 1 for f in scale):
            return
        strides = tuple(f.denominator for f in scale if f is not None)
        low = tuple(e + abs(b) + abs(a) for e, b, a in zip(extent, step.pad_before, step.pad_after))
        signature = self.signatures[layer.name]
        first = _FIRST_SPATIAL[fmt]
        rest = len(x.shape) - first - len(strides)
        divisors = (_BEYOND,) * first + strides + (_BEYOND,) * rest
        if any(n < lo or n > MAX_INPUT for n, lo in zip(spatial, low)) or \
                self.divisors.setdefault((signature, fmt), divisors) != divisors:
            return
        least = (0,) * first + low + (0,) * rest
        most = (_BEYOND,) * first + (MAX_INPUT,) * len(strides) + (_BEYOND,) * rest
        # on a spatial axis: out = out0 + (size - size0) // stride = (out0 - size0 // stride) + size // stride, the
        # sizes having one residue; elsewhere out = out0 (the key holds the input's batch and channels)
        offsets = tuple(o - n // d for o, n, d in zip(step.shape, x.shape, divisors))
        self.anchors.setdefault((signature, fmt, tuple(map(mod, x.shape, divisors))), (least, most, offsets, step))

    def _shift(self, layer: LayerSpec, x: Tensor) -> tuple[tuple[int, ...], Step] | None:
        """A window layer's output shape and anchor step at ``x``, from an anchor of the same
        residues mod its strides, both in the regular regime (every axis at least its effective
        kernel plus all its padding): there every axis's output is floor((size + c) / stride) (or
        ceil), so ``j`` strides more input give ``j`` more outputs (the model the periodic sweep
        rests on), and the pads, which depend on the size mod the stride only, are the anchor's.
        None where there is no such anchor."""
        signature = self.signatures[layer.name]
        fmt = x.data_format
        divisors = self.divisors.get((signature, fmt))  # None: never anchored (a flattened tensor never is)
        if divisors is None:
            return None
        shape = x.shape
        found = self.anchors.get((signature, fmt, tuple(map(mod, shape, divisors))))
        if found is None:
            return None
        least, most, offsets, step0 = found
        if not all(map(le, least, shape)) or not all(map(le, shape, most)):
            return None
        return tuple(map(add, offsets, map(floordiv, shape, divisors))), step0

    def _first(self, n: int) -> Tensor:
        return Tensor(self.input_shape(n), self.spec.data_format, (), (), ())

    def trace(self, n: int) -> Trace:
        first = self._first(n)
        sizes = {"input": first.spatial}  # the input's dropped at the end
        skips: list[Skip] = []
        periodic: list[Failure] = []
        unsettled = False
        moving = self.moving
        for layer, xs, step, out, _ in walk(self.spec, self.step, first=first, sizes_only=True, plan=self.plan,
                                                  memo=self.memo):
            kind = layer.kind
            if (kind == "concat" or kind == "add") and xs:
                spatial = tuple(sizes[name] for name in layer.inputs)
                if kind == "add" and self.broadcasts and len(set(spatial)) > 1:
                    try:  # sizes of 1 broadcast (keras merges): aligned by broadcasting, or not at all
                        aligned = Tensor(broadcast_merge(layer, xs, self.spec.framework), xs[0].data_format,
                                         (), (), ()).spatial
                        spatial = (aligned,) * len(spatial)
                    except ShapeError:
                        pass
                skips.append(Skip(layer.name, layer.inputs, spatial))
            if out is None or not isinstance(step, Step):  # the first failure: the walk stops here
                assert isinstance(step, ShapeError)  # no input failed before it
                del sizes["input"]  # (tuple.__new__: the NamedTuples without their Python-level constructors)
                return tuple.__new__(Trace, (tuple.__new__(Failure, (n, layer.name, step.rule, step.message)),
                                             tuple(skips), tuple(periodic), sizes, unsettled))
            x = xs[0]
            r = _indivisible(layer, x) if kind == "pixel_unshuffle" else None
            if r is not None:
                periodic.append(Failure(n, layer.name, "divisible",
                                        f"spatial sizes {list(x.spatial)} are not divisible by the factor {r}"))
            elif step.extent and not unsettled and not all(map(le, step.extent, sizes[layer.inputs[0]])):
                axes = moving.get(layer.inputs[0])  # some axis is below its regime: does it move with n?
                if any(s < e and (axes is None or move)
                       for s, e, move in zip(sizes[layer.inputs[0]], step.extent, axes or step.extent)):
                    unsettled = True
            out_spatial = sizes[layer.name] = sizes[layer.inputs[0]] if out is x else out.spatial
            if 0 in out_spatial and out.data_format is not None:
                del sizes["input"]
                return Trace(Failure(n, layer.name, "empty-output",
                                     f"output size 0 (an empty tensor) from input {list(x.shape)}"),
                             tuple(skips), tuple(periodic), sizes, unsettled)
        del sizes["input"]
        return tuple.__new__(Trace, (None, tuple(skips), tuple(periodic), sizes, unsettled))

    def slopes(self, probes: Sequence[int]) -> Slopes | None:
        """Each layer's exact slope per spatial axis (size change per unit of n), and the period
        P making every P * slope an integer, read off the first of ``probes`` at which every
        layer evaluates; None when some layer scales inexactly (or none evaluates)."""
        for probe in probes:
            if self.trace(probe).hard is None:
                return self._slopes(probe)
        return None

    def _slopes(self, probe: int) -> Slopes | None:
        ndim = len(self.positions)
        m: dict[str, tuple[Fraction, ...]] = {
            "input": tuple(Fraction(1) if self.axis is None or self.axis == i else Fraction(0) for i in range(ndim))}
        period = 1
        self.moving["input"] = tuple(v != 0 for v in m["input"])
        flat: dict[str, bool] = {}  # flattened tensors: does their size move with n?
        for layer, _, step, _, _ in walk(self.spec, self.step, first=self._first(probe), sizes_only=True,
                                         plan=self.plan, memo=self.memo):
            first = layer.inputs[0]
            if first not in m:  # a flattened tensor: no spatial axes, so no period to track
                moving = any(flat.get(name, True) for name in layer.inputs)
                if layer.kind in ("concat", "add") and moving:
                    return None  # two flattened sizes compared: outside the periodic model
                flat[layer.name] = moving
                continue
            if not isinstance(step, Step):  # pragma: no cover - the probe traced without a failure
                return None
            scale = step.scale  # a merge's: 1 per axis
            if scale is None or len(scale) != ndim:
                # spatial axes end here: flatten, a global pool that drops them, a reshape
                if layer.kind in ("flatten", "linear") or step.drops_spatial:
                    flat[layer.name] = any(v != 0 for v in m[first])
                    continue
                return None
            out = []
            for slope, factor in zip(m[first], scale):
                if slope == 0:
                    out.append(Fraction(0))
                elif factor is None:
                    return None
                else:
                    out.append(slope * factor)
            m[layer.name] = tuple(out)
            self.moving[layer.name] = tuple(v != 0 for v in out)
            for value in out:
                period = period * value.denominator // gcd(period, value.denominator)
        return Slopes(m, period)

    def explain(self, n: int) -> Failure | None:
        """The first layer a full evaluation (:func:`convshape.network.evaluate.evaluate`) rejects at n."""
        report = evaluate(self.spec._replace(input=self.input_shape(n)))
        bad = next((layer for layer in report.layers if layer.error and layer.rule != Rule.EXPECT), None)
        if bad is None or bad.rule == Rule.INPUT_FAILED:
            return None
        return Failure(n, bad.name, bad.rule or "", bad.error or "")


def _respace(t: Tensor, spatial: tuple[int, ...]) -> Tensor:
    return Tensor(t.with_spatial(spatial, t.channels), t.data_format, (), (), ())


# ---------------------------------------------------------------------------- compaction
def compact(points: Sequence[int], runs: Sequence[Progression] = ()) -> tuple[Progression, ...]:
    """Sorted distinct ``points`` plus progressions (each starting above every point) as few
    progressions as this greedy pass finds: a progression absorbs the points that continue it
    downwards; the remaining points become runs of consecutive sizes, equally spaced triples or
    more, or single sizes."""
    remaining = sorted(set(points))
    merged: list[Progression] = []
    taken = set(remaining)
    for p in sorted(runs):
        start = p.start
        while start - p.step in taken:
            start -= p.step
            taken.discard(start)
        merged.append(Progression(start, p.stop, p.step))
    remaining = sorted(taken)
    i = 0
    while i < len(remaining):
        if i + 2 < len(remaining):
            step = remaining[i + 1] - remaining[i]
            j = i + 1
            while j + 1 < len(remaining) and remaining[j + 1] - remaining[j] == step:
                j += 1
            if j - i >= 2 or step == 1:
                merged.append(Progression(remaining[i], remaining[j], step))
                i = j + 1
                continue
        if i + 1 < len(remaining) and remaining[i + 1] - remaining[i] == 1:
            merged.append(Progression(remaining[i], remaining[i + 1], 1))
            i += 2
            continue
        merged.append(Progression(remaining[i], remaining[i], 1))
        i += 1
    return tuple(sorted(merged))


def _classes(residues: Sequence[int], period: int) -> list[tuple[int, int]]:
    """The residues mod ``period`` as cosets of the coarsest step d | period that keeps them
    whole: ``[(residue mod d, d), ...]``."""
    chosen = set(residues)
    for d in range(1, period + 1):
        if period % d == 0 and all((r + d) % period in chosen for r in chosen):
            return sorted({(r % d, d) for r in chosen})
    return [(r, period) for r in sorted(chosen)]  # pragma: no cover - d = period always qualifies


# ---------------------------------------------------------------------------- the sweep
def first_true(predicate: Callable[[int], bool], lo: int, hi: int) -> int:
    """The smallest n in [lo, hi] with predicate(n), for a predicate false then true (bisection);
    hi + 1 if none (or the interval is empty)."""
    if lo > hi or not predicate(hi):
        return hi + 1
    while lo < hi:
        mid = (lo + hi) // 2
        if predicate(mid):
            hi = mid
        else:
            lo = mid + 1
    return lo


class _Traces:
    """A Sweepable's traces, memoised: the sweep asks again for the sizes it just traced. Those
    taken before ``slopes()`` are discarded (a trace may read what it learnt)."""

    def __init__(self, net: Sweepable) -> None:
        self.net = net
        self.traces: dict[int, Trace] = {}

    def trace(self, n: int) -> Trace:
        found = self.traces.get(n)
        if found is None:
            if len(self.traces) >= 256:  # the sweep revisits the sizes it just traced, not older ones
                self.traces.clear()
            found = self.traces[n] = self.net.trace(n)
        return found

    def failure(self, n: int) -> Failure | None:
        return failure(self.trace(n), n)

    def failure_once(self, n: int) -> Failure | None:
        """:meth:`failure` for a size not asked for again (trying every size): traced, not kept."""
        found = self.traces.get(n)
        return failure(self.net.trace(n) if found is None else found, n)

    def slopes(self, probes: Sequence[int]) -> Slopes | None:
        found = self.net.slopes(probes)
        self.traces.clear()
        return found


def failure(trace: Trace, n: int) -> Failure | None:
    """Why size ``n`` fails by its trace, or None when the network is valid at it."""
    reason = trace.strict()
    return reason if reason is None or reason.size == n else tuple.__new__(Failure, (n, *reason[1:]))


def _brute(net: _Traces, lo: int, hi: int) -> list[int]:
    return [n for n in builtins.range(lo, hi + 1) if net.failure_once(n) is None]


def _examples(net: _Traces, valid: Sequence[Progression], lo: int, hi: int, around: int,
              limit: int = 3) -> tuple[Failure, ...]:
    """Why the invalid sizes nearest the model's own input fail, in the framework's words."""
    found: list[Failure] = []
    for distance in builtins.range(0, 4 * max(p.step for p in valid) + 8 if valid else 64):
        for n in {around - distance, around + distance}:
            if lo <= n <= hi and len(found) < limit and not any(n in p for p in valid):
                reason = net.net.explain(n) or net.failure(n)
                if reason is not None:
                    found.append(reason)
        if len(found) >= limit:
            break
    return tuple(sorted(found))


def sweep_range(range: object) -> tuple[int, int]:
    """A sweep's range (``"lo..hi"`` or ``(lo, hi)``) as (lo, hi), within convshape's size limit."""
    lo, hi = int_range(range)
    if hi > MAX_INPUT:  # every size past it is convshape's limit, not the network's: say so, not the fallback's cap
        raise ShapeError(f"the range {lo}..{hi} ends past convshape's size limit: give sizes up to {MAX_INPUT} "
                         f"(a network whose sizes scale exactly is swept over any such range; one that does not, "
                         f"over at most {BRUTE_FORCE_LIMIT} sizes)", rule=Rule.SWEEP_RANGE, values={"lo": lo, "hi": hi})
    return lo, hi


def sweep(spec: SpecArg, range: object = "1..4096", *, axis: int | None = None, input: object = None,
          framework: str | None = None) -> SweepResult:
    """The input sizes in ``range`` (``"lo..hi"`` or ``(lo, hi)``) for which every layer of the
    network is valid and every skip connection aligns: square inputs (every spatial axis = n)
    by default, or only spatial ``axis`` (0-based) with the others as in the spec. ``expect``
    is not checked (it pins one input). Raises ShapeError for a malformed spec or range."""
    lo, hi = sweep_range(range)
    return sweep_network(SpecNetwork(as_spec(spec, input, framework), axis), (lo, hi))


def sweep_network(sweepable: Sweepable, range: object) -> SweepResult:
    """The sizes in ``range`` at which ``sweepable`` is valid: the periodic analysis of the
    module's docstring over the :class:`Sweepable` protocol, falling back to trying every size."""
    lo, hi = sweep_range(range)
    net = _Traces(sweepable)
    axis, position = sweepable.axis, sweepable.position
    shown = sweepable.input[position]
    notes: list[str] = []
    mid = (lo + hi) // 2
    slopes = net.slopes([n for n in (shown, hi, mid, (lo + mid) // 2, lo) if lo <= n <= hi])

    def exhaustive(reason: str) -> SweepResult:
        if hi - lo + 1 > BRUTE_FORCE_LIMIT:
            raise ShapeError(f"{reason}, so the sweep tries every size, and {lo}..{hi} holds {hi - lo + 1} sizes; "
                             f"give a range of at most {BRUTE_FORCE_LIMIT} sizes for this network (the limit of "
                             f"trying every size; one whose sizes scale exactly is swept over any range up to "
                             f"{MAX_INPUT})", rule=Rule.SWEEP_RANGE, values={"lo": lo, "hi": hi})
        valid = _brute(net, lo, hi)
        progressions = compact(valid)
        return SweepResult(sweepable.source, sweepable.framework, axis, sweepable.input, (lo, hi), progressions,
                           len(valid), None, None, "every size", _examples(net, progressions, lo, hi, shown),
                           tuple(notes + [reason]), nearest_valid(progressions, shown), position)

    if slopes is None and net.trace(shown if lo <= shown <= hi else hi).hard is not None:
        failed = net.failure(shown if lo <= shown <= hi else hi)
        assert failed is not None  # the trace at that size failed hard: failure() reports it
        return exhaustive(f"the network fails at every size probed (at {failed.size}: {failed.layer}: "
                          f"{failed.message})")
    if slopes is None:
        return exhaustive("a layer scales sizes inexactly (a float scale, or a flattened tensor before a spatial "
                          "layer)")
    m, period = slopes
    top = net.trace(hi)
    if top.hard is not None:
        return exhaustive(f"the largest size {hi} is rejected ({top.hard.layer}: {top.hard.message})")

    # 1. sizes below A are rejected by some layer whatever the skips do
    a = first_true(lambda n: net.trace(n).hard is None, lo, hi)
    # 2. from T on, every window layer is in its regular regime
    t = first_true(lambda n: net.trace(n).hard is None and not net.trace(n).unsettled, a, hi)
    prefix = _brute(net, lo, min(t, hi + 1) - 1)
    # 3. each residue class from T
    singles: list[int] = []
    everywhere: list[int] = []
    for b in builtins.range(t, min(t + period, hi + 1)):
        trace = net.trace(b)
        k_fixed: set[int] | None = None  # None: every k so far
        possible = trace.hard is None and not trace.periodic
        for skip in trace.skips if possible else ():
            spatial = skip.sizes
            slopes_in = [m[i] for i in skip.inputs]
            for other, slope in zip(spatial[1:], slopes_in[1:]):
                for u, v, mu, mv in zip(spatial[0], other, slopes_in[0], slope):
                    diff, drift = u - v, (mu - mv) * period
                    if drift == 0:
                        if diff != 0:
                            possible = False
                    elif (-diff) % drift == 0 and -diff // drift >= 0:
                        k = int(-diff // drift)
                        if k_fixed is not None and k not in k_fixed:
                            possible = False
                        k_fixed = {k}
                    else:
                        possible = False
        if not possible:
            continue
        if k_fixed is None:
            everywhere.append(b)
        else:
            k = next(iter(k_fixed))
            if b + k * period <= hi:
                singles.append(b + k * period)
    # 4. check the model one period on, and the singles, by full evaluation
    for b in builtins.range(t, min(t + period, hi + 1)):
        for n in (b, b + period):
            if n > hi:
                continue
            predicted = b in everywhere or n in singles
            if (net.failure(n) is None) != predicted:
                notes.append(f"the periodic model disagreed with a full evaluation at {n}")
                return exhaustive(f"size {n} does not follow the period {period} of the network's strides")
    for n in singles:
        if net.failure(n) is not None:
            return exhaustive(f"size {n} does not follow the period {period}")
    progressions = []
    for residue, step in _classes([b - t for b in everywhere], period):
        first = t + residue
        if first > hi:
            continue
        progressions.append(Progression(first, first + (hi - first) // step * step, step))
    valid = compact(prefix + sorted(singles), progressions)
    count = sum(len(p) for p in valid)
    if period > 1:
        notes.append(f"sizes repeat with period {period} from {t} on (the product of the network's strides)")
    return SweepResult(sweepable.source, sweepable.framework, axis, sweepable.input, (lo, hi), valid, count, period,
                       t, "periodic", _examples(net, valid, lo, hi, shown), tuple(notes),
                       nearest_valid(valid, shown), position)

