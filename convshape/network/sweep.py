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
"""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from fractions import Fraction
from math import gcd, prod
from operator import add, floordiv, le, mod, sub
from typing import Any, NamedTuple

from convshape.errors import Rule, ShapeError
from convshape.limits import MAX_INPUT
from convshape.params import int_range
from convshape.network.evaluate import (_EVALUATORS, DATA_FORMATS, LayerSpec, NetworkSpec, SpecArg, Step, Tensor,
                                        _merge, _spec, broadcast_merge, layer_signature)

#: the layers whose sizes follow floor((size + c) / stride) from their effective kernel plus padding on
_WINDOW_KINDS = frozenset({"conv", "depthwise", "separable", "max", "avg", "lp"})

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
                "notes": list(self.notes)}


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


# ---------------------------------------------------------------------------- one size, leniently
class Trace(NamedTuple):
    """One size through the network, going on past skip mismatches: the first hard rejection
    (a Failure or None), the skip comparisons (layer, spatial sizes per input), the divisibility
    failures, every layer's spatial sizes, and whether some window layer is below its regime."""

    hard: Failure | None
    skips: tuple[tuple[str, tuple[tuple[int, ...], ...]], ...]
    periodic: tuple[Failure, ...]
    sizes: dict[str, tuple[int, ...]]
    unsettled: bool

    def strict(self) -> Failure | None:
        """The reason this size fails, or None when the network is valid at it."""
        if self.hard is not None:
            return self.hard
        for name, spatial in self.skips:
            if len(set(spatial)) > 1:
                return Failure(0, name, "skip-mismatch",
                               "skip connection sizes differ: " + " vs ".join("x".join(map(str, s)) for s in spatial))
        return self.periodic[0] if self.periodic else None


#: a layer's output, its spatial sizes, and which of its input's axes are below its regular regime (None: none)
_Outcome = tuple[Tensor, tuple[int, ...], tuple[bool, ...] | None]


class _Network:
    """A spec prepared for many sizes: layer steps memoised by their input shapes."""

    def __init__(self, spec: NetworkSpec, axis: int | None) -> None:
        self.spec = spec
        self.axis = axis
        fmt = spec.data_format
        if fmt is None:
            raise ShapeError(f"{spec.source}: the input {list(spec.input)} has no spatial axes to sweep",
                             rule=Rule.BAD_SPEC, values={"input": list(spec.input)})
        ndim, last = DATA_FORMATS[fmt]
        self.positions = list(range(1, 1 + ndim)) if last else list(range(2, 2 + ndim))
        if axis is not None and not 0 <= axis < ndim:
            raise ShapeError(f"axis must be between 0 and {ndim - 1} (the input has {ndim} spatial axes), "
                             f"but got axis={axis}", rule=Rule.AXIS_COUNT, values={"axis": axis})
        #: what a layer's step depends on besides its input (its op, rank and arguments, not its name
        #: or inputs): layers alike (a deep chain of one block) are evaluated once per input shape
        self.signatures = {layer.name: layer_signature(layer) for layer in spec.layers}
        self.cache: dict[tuple[str, tuple[int, ...]], Step | ShapeError] = {}
        #: the same, as a trace reads it (see _outcome)
        self.outcomes: dict[tuple[str, tuple[int, ...]], _Outcome | ShapeError] = {}
        #: window layers' steps in their regular regime, by (layer, batch and channels, residues of the
        #: sizes mod the strides), and each such layer's strides (see _shifted)
        self.anchors: dict[tuple[str, tuple[int, ...], tuple[int, ...], tuple[int, ...]],
                           tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...], Step]] = {}
        self.strides: dict[str, tuple[int, ...]] = {}
        #: per layer, the spatial axes whose size moves with n (set by slopes(); all until then)
        self.moving: dict[str, tuple[bool, ...]] = {}
        #: the sizes traced last (the sweep asks again for the sizes it just traced); cleared when
        #: ``moving`` changes, which a trace reads
        self.traces: dict[int, Trace] = {}
        #: whether elementwise merges broadcast sizes of 1 (keras): see evaluate.broadcast_merge
        from convshape.frameworks import get

        self.broadcasts = get(spec.framework).merge_broadcasts

    def input_shape(self, n: int) -> tuple[int, ...]:
        shape = list(self.spec.input)
        for i, position in enumerate(self.positions):
            if self.axis is None or self.axis == i:
                shape[position] = n
        return tuple(shape)

    def step(self, layer: LayerSpec, x: Tensor) -> Step | ShapeError:
        key = (self.signatures[layer.name], x.shape)
        hit = self.cache.get(key)
        if hit is None:
            hit = self._shifted(layer, x) if layer.kind in _WINDOW_KINDS else None
            if hit is None:
                try:
                    hit = _EVALUATORS[layer.kind](layer, x, self.spec.framework)
                except ShapeError as exc:
                    hit = exc
                if layer.kind in _WINDOW_KINDS and isinstance(hit, Step):
                    self._anchor(layer, x, hit)
            self.cache[key] = hit
        return hit

    def _anchor(self, layer: LayerSpec, x: Tensor, step: Step) -> None:
        """Remember a window layer's step at ``x`` for every size of the same residues mod its
        strides, if ``x`` is in its regular regime (see :meth:`_shifted`)."""
        scale, extent, spatial = step.scale, step.extent, x.spatial
        if x.data_format is None or scale is None or not len(spatial) == len(extent) == len(scale) == \
                len(step.pad_before) == len(step.pad_after):
            return
        if any(f is None or f.numerator != 1 for f in scale):
            return
        strides = tuple(f.denominator for f in scale if f is not None)
        low = tuple(e + abs(b) + abs(a) for e, b, a in zip(extent, step.pad_before, step.pad_after))
        signature = self.signatures[layer.name]
        if any(n < lo or n > MAX_INPUT for n, lo in zip(spatial, low)) or \
                self.strides.setdefault(signature, strides) != strides:
            return
        first = 1 if DATA_FORMATS[x.data_format][1] else 2
        out0 = step.shape[first:first + len(strides)]
        key = (signature, x.shape[:first], x.shape[first + len(strides):],
               tuple(n % s for n, s in zip(spatial, strides)))
        self.anchors.setdefault(key, (spatial, out0, low, step))

    def _shifted(self, layer: LayerSpec, x: Tensor) -> Step | None:
        """A window layer's step at ``x`` from an anchor of the same residues mod its strides, both
        in the regular regime (every axis at least its effective kernel plus all its padding):
        there every axis's output is floor((size + c) / stride) (or ceil), so ``j`` strides more
        input give ``j`` more outputs (the model the periodic sweep rests on), and the pads,
        which depend on the size mod the stride only, are the anchor's."""
        found = self._shift(layer, x)
        if found is None:
            return None
        shape, out, step0 = found
        macs = step0.macs // prod(self._out0(step0, x)) * prod(out) if step0.macs else 0
        return Step(shape, step0.weights, macs, *step0[3:])

    @staticmethod
    def _out0(step0: Step, x: Tensor) -> tuple[int, ...]:
        return Tensor(step0.shape, x.data_format, (), (), ()).spatial

    def _shift(self, layer: LayerSpec, x: Tensor) -> tuple[tuple[int, ...], tuple[int, ...], Step] | None:
        """:meth:`_shifted`'s output shape, output spatial sizes and anchor step, or None."""
        signature = self.signatures[layer.name]
        strides = self.strides.get(signature)
        if strides is None or x.data_format is None:
            return None
        shape, ndim = x.shape, len(strides)
        first = 1 if DATA_FORMATS[x.data_format][1] else 2
        spatial = shape[first:first + ndim]
        found = self.anchors.get((signature, shape[:first], shape[first + ndim:], tuple(map(mod, spatial, strides))))
        if found is None:
            return None
        spatial0, out0, low, step0 = found
        if not all(map(le, low, spatial)) or max(spatial) > MAX_INPUT:
            return None
        out = tuple(map(add, out0, map(floordiv, map(sub, spatial, spatial0), strides)))
        return step0.shape[:first] + out + step0.shape[first + ndim:], out, step0

    def _outcome(self, layer: LayerSpec, x: Tensor) -> _Outcome | ShapeError:
        """What a trace needs of a layer (not a merge) at input ``x``, memoised like its step."""
        if layer.kind == "identity":  # relu, dropout, ...: the tensor as it is (see evaluate._identity_step)
            return x, x.spatial, None
        shifted = self._shift(layer, x) if layer.kind in _WINDOW_KINDS else None
        if shifted is not None:  # in the regular regime: cheaper to shift again than to keep (each size is new)
            return Tensor(shifted[0], x.data_format, (), (), ()), shifted[1], None
        stepped = self.step(layer, x)
        done: _Outcome | ShapeError
        if isinstance(stepped, ShapeError):
            done = stepped
        else:
            below = tuple(s < e for s, e in zip(x.spatial, stepped.extent)) if stepped.extent else ()
            out = Tensor(stepped.shape, stepped.out_format or (x.data_format if stepped.geometry is not None or
                                                               stepped.scale else None), (), (), ())
            done = (out, out.spatial, below if any(below) else None)
        self.outcomes[(self.signatures[layer.name], x.shape)] = done
        return done

    def trace(self, n: int) -> Trace:
        found = self.traces.get(n)
        if found is None:
            if len(self.traces) >= 256:  # the sweep revisits the sizes it just traced, not older ones
                self.traces.clear()
            found = self.traces[n] = self._trace(n)
        return found

    def _trace(self, n: int) -> Trace:
        tensors: dict[str, Tensor] = {"input": Tensor(self.input_shape(n), self.spec.data_format, (), (), ())}
        sizes: dict[str, tuple[int, ...]] = {}
        skips: list[tuple[str, tuple[tuple[int, ...], ...]]] = []
        periodic: list[Failure] = []
        unsettled = False
        signatures = self.signatures
        for layer in self.spec.layers:
            inputs = layer.inputs
            x = tensors[inputs[0]]
            if layer.kind in ("concat", "add"):
                xs = [tensors[name] for name in inputs]
                spatial = tuple(t.spatial for t in xs)
                if layer.kind == "add" and self.broadcasts and len(set(spatial)) > 1:
                    try:  # sizes of 1 broadcast (keras merges): aligned by broadcasting, or not at all
                        broadcast = Tensor(broadcast_merge(layer, xs, self.spec.framework), x.data_format, (), (), ())
                        spatial, x = (broadcast.spatial,) * len(xs), broadcast
                    except ShapeError:
                        pass
                skips.append((layer.name, spatial))
                try:  # aligned or not, go on with the first input's sizes (the skip is judged per class)
                    step = _merge(layer, [t if t.spatial == x.spatial else _respace(t, x.spatial) for t in xs],
                                  self.spec.framework)
                except ShapeError as exc:
                    return Trace(Failure(n, layer.name, exc.rule, exc.message), tuple(skips), tuple(periodic),
                                 sizes, unsettled)
            elif layer.kind == "pixel_unshuffle" and x.data_format is not None and \
                    any(s % layer.args["factor"] for s in x.spatial):
                r = layer.args["factor"]
                periodic.append(Failure(n, layer.name, "divisible",
                                        f"spatial sizes {list(x.spatial)} are not divisible by the factor {r}"))
                step = Step(x.with_spatial([s // r for s in x.spatial], x.channels * r ** len(x.spatial)), (), 0,
                            None, (), (), (), (Fraction(1, r),) * len(x.spatial))
            else:
                done = self.outcomes.get((signatures[layer.name], x.shape))
                if done is None:
                    done = self._outcome(layer, x)
                if isinstance(done, ShapeError):
                    return Trace(Failure(n, layer.name, done.rule, done.message), tuple(skips),
                                 tuple(periodic), sizes, unsettled)
                out, out_spatial, below = done
                if below is not None and not unsettled:
                    moving = self.moving.get(inputs[0])
                    unsettled = any(b and (moving is None or move) for b, move in zip(below, moving or below))
                if 0 in out_spatial and out.data_format is not None:
                    return Trace(Failure(n, layer.name, "empty-output",
                                         f"output size 0 (an empty tensor) from input {list(x.shape)}"),
                                 tuple(skips), tuple(periodic), sizes, unsettled)
                tensors[layer.name] = out
                sizes[layer.name] = out_spatial
                continue
            if step.extent and not unsettled:
                moving = self.moving.get(inputs[0])
                if any(s < e and (moving is None or move)
                       for s, e, move in zip(x.spatial, step.extent, moving or step.extent)):
                    unsettled = True
            out = Tensor(step.shape, x.data_format if step.geometry is not None or step.scale else None,
                         (), (), ())
            out_spatial = out.spatial
            if 0 in out_spatial and out.data_format is not None:
                return Trace(Failure(n, layer.name, "empty-output",
                                     f"output size 0 (an empty tensor) from input {list(x.shape)}"),
                             tuple(skips), tuple(periodic), sizes, unsettled)
            tensors[layer.name] = out
            sizes[layer.name] = out_spatial
        return Trace(None, tuple(skips), tuple(periodic), sizes, unsettled)

    def failure(self, n: int) -> Failure | None:
        reason = self.trace(n).strict()
        return None if reason is None else reason._replace(size=n)

    def slopes(self, probes: Sequence[int]) -> tuple[dict[str, tuple[Fraction, ...]], int] | None:
        """Each layer's exact slope per spatial axis (size change per unit of n), and the period
        P making every P * slope an integer, read off the first of ``probes`` at which every
        layer evaluates; None when some layer scales inexactly (or none evaluates)."""
        for probe in probes:
            if self.trace(probe).hard is None:
                return self._slopes(probe)
        return None

    def _slopes(self, probe: int) -> tuple[dict[str, tuple[Fraction, ...]], int] | None:
        self.traces.clear()  # a trace reads ``moving``, set here
        tensors: dict[str, Tensor] = {"input": Tensor(self.input_shape(probe), self.spec.data_format, (), (), ())}
        ndim = len(self.positions)
        m: dict[str, tuple[Fraction, ...]] = {
            "input": tuple(Fraction(1) if self.axis is None or self.axis == i else Fraction(0) for i in range(ndim))}
        period = 1
        self.moving["input"] = tuple(v != 0 for v in m["input"])
        flat: dict[str, bool] = {}  # flattened tensors: does their size move with n?
        for layer in self.spec.layers:
            first = layer.inputs[0]
            if first not in m:  # a flattened tensor: no spatial axes, so no period to track
                moving = any(flat.get(name, True) for name in layer.inputs)
                if layer.kind in ("concat", "add") and moving:
                    return None  # two flattened sizes compared: outside the periodic model
                flat[layer.name] = moving
                continue
            x = tensors[first]
            if layer.kind in ("concat", "add"):
                scale: tuple[Fraction | None, ...] | None = (Fraction(1),) * ndim
                shape = x.shape
                fmt = x.data_format
                ends = False
            else:
                step = self.step(layer, x)
                if isinstance(step, ShapeError):
                    return None
                scale, shape = step.scale, step.shape
                fmt = step.out_format or x.data_format
                # spatial axes end here: flatten, a global pool that drops them, a reshape
                ends = layer.kind in ("flatten", "linear") or step.geometry is None and step.out_format is None
            if scale is None or len(scale) != ndim:
                if ends:
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
            tensors[layer.name] = Tensor(shape, fmt, (), (), ())
        return m, period


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
def _first_true(predicate: Any, lo: int, hi: int) -> int:
    """The smallest n in [lo, hi] with predicate(n), for a predicate false then true; hi + 1 if none."""
    if not predicate(hi):
        return hi + 1
    while lo < hi:
        mid = (lo + hi) // 2
        if predicate(mid):
            hi = mid
        else:
            lo = mid + 1
    return lo


def _brute(net: _Network, lo: int, hi: int) -> list[int]:
    return [n for n in builtins.range(lo, hi + 1) if net.failure(n) is None]


def _examples(net: _Network, valid: Sequence[Progression], lo: int, hi: int, around: int,
              limit: int = 3) -> tuple[Failure, ...]:
    """Why the invalid sizes nearest the spec's own input fail, in the framework's words."""
    from convshape.network.evaluate import evaluate

    found: list[Failure] = []
    for distance in builtins.range(0, 4 * max(p.step for p in valid) + 8 if valid else 64):
        for n in {around - distance, around + distance}:
            if lo <= n <= hi and len(found) < limit and not any(n in p for p in valid):
                report = evaluate(net.spec._replace(input=net.input_shape(n)))
                bad = next((layer for layer in report.layers if layer.error and layer.rule != Rule.EXPECT), None)
                reason = net.failure(n)
                if bad is not None and bad.rule != Rule.INPUT_FAILED:
                    found.append(Failure(n, bad.name, bad.rule or "", bad.error or ""))
                elif reason is not None:
                    found.append(reason)
        if len(found) >= limit:
            break
    return tuple(sorted(found))


def sweep(spec: SpecArg, range: object = "1..4096", *, axis: int | None = None, input: object = None,
          framework: str | None = None) -> SweepResult:
    """The input sizes in ``range`` (``"lo..hi"`` or ``(lo, hi)``) for which every layer of the
    network is valid and every skip connection aligns: square inputs (every spatial axis = n)
    by default, or only spatial ``axis`` (0-based) with the others as in the spec. ``expect``
    is not checked (it pins one input). Raises ShapeError for a malformed spec or range."""
    lo, hi = int_range(range)
    if hi > MAX_INPUT:  # every size past it is convshape's limit, not the network's: say so, not the fallback's cap
        raise ShapeError(f"the range {lo}..{hi} ends past convshape's size limit: give sizes up to {MAX_INPUT} "
                         f"(a network whose sizes scale exactly is swept over any such range; one that does not, "
                         f"over at most {BRUTE_FORCE_LIMIT} sizes)", rule=Rule.SWEEP_RANGE, values={"lo": lo, "hi": hi})
    net = _Network(_spec(spec, input, framework), axis)
    position = net.positions[axis if axis is not None else 0]
    shown = net.spec.input[position]
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
        return SweepResult(net.spec.source, net.spec.framework, axis, net.spec.input, (lo, hi), progressions,
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
    a = _first_true(lambda n: net.trace(n).hard is None, lo, hi)
    # 2. from T on, every window layer is in its regular regime
    t = _first_true(lambda n: net.trace(n).hard is None and not net.trace(n).unsettled, a, hi)
    prefix = _brute(net, lo, min(t, hi + 1) - 1)
    # 3. each residue class from T
    singles: list[int] = []
    everywhere: list[int] = []
    by_name = {layer.name: layer for layer in net.spec.layers}
    for b in builtins.range(t, min(t + period, hi + 1)):
        trace = net.trace(b)
        k_fixed: set[int] | None = None  # None: every k so far
        possible = trace.hard is None and not trace.periodic
        for name, spatial in trace.skips if possible else ():
            layer = by_name[name]
            slopes_in = [m[i] for i in layer.inputs]
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
    return SweepResult(net.spec.source, net.spec.framework, axis, net.spec.input, (lo, hi), valid, count, period,
                       t, "periodic", _examples(net, valid, lo, hi, shown), tuple(notes),
                       nearest_valid(valid, shown), position)

