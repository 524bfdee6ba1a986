"""Symbolic shapes: every tensor's size as a formula of the input sizes, and the constraints on
the input with their causes, derived from the per-size engine (never a second copy of the rules).

A layer's output size on one spatial axis is quasi-affine in its input size ``x`` once ``x`` is in
the layer's regular regime (:mod:`convshape.network.sweep` explains why): with the layer's exact
slope ``m = p / q`` (``Step.scale``: 1/stride for a window, stride for a transposed convolution,
3/2 for an exact upsampling, 0 for a fixed output size)

    out(x) = floor((p * x + r) / q)

for one integer ``r``. :func:`fit_layer` reads ``p / q`` off the layer's step, finds ``r`` from
``q`` consecutive evaluations (``p * x mod q`` takes every value, so the bounds
``q * out - p * x <= r <= q * out - p * x + q - 1`` meet in one ``r``), verifies the formula on
further sizes with the same evaluator every command uses (:func:`evaluate.layer_step`), and walks
down from the regime to the smallest size from which the formula holds (``start``), noting which
residues mod ``q`` the layer accepts (pixel unshuffle: multiples of its factor) and the valid
sizes below ``start`` that are exceptions.

:func:`analyse` composes those formulas along a network (``expr`` simplifies them:
``floor(floor(H / 2) / 2) = floor(H / 4)``) and :func:`constraints` turns them into the set of
input sizes the network accepts, each constraint with its cause: a layer's minimum, a skip
connection whose two sides must be equal (equal slopes: a residue condition; different slopes:
single sizes), a layer's divisibility, a maximum, a flattened head's fixed size. Sizes below
``T`` (where some layer is below its formula's start) are decided by the engine one by one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from fractions import Fraction
from math import gcd, prod
from typing import Any, NamedTuple

from convshape.errors import Rule, ShapeError
from convshape.network.evaluate import (DATA_FORMATS, ConstrainedReport, LayerSpec, NetworkReport, NetworkSpec, SpecArg,
                                        Tensor, as_spec, evaluate, layer_signature, layer_step)
from convshape.network.expr import Lin, const, product, quasi_affine, sym
from convshape.network.sweep import first_true

#: the input symbols, per number of spatial axes
SYMBOLS = {1: ("W",), 2: ("H", "W"), 3: ("D", "H", "W")}
#: a layer's own input size, in its formula
X = "x"
#: the most sizes a fit walks down from the regular regime, one by one
_WALK = 4096


class LayerFormula(NamedTuple):
    """One layer's output size on one spatial axis as a formula of its input size ``x``: exact
    for every accepted ``x >= start``; ``x`` is accepted from ``start`` on when ``x mod modulus``
    is one of ``residues``; below ``start`` the layer accepts only ``exceptions`` (size, output)."""

    formula: Lin
    start: int
    modulus: int
    residues: tuple[int, ...]
    exceptions: tuple[tuple[int, int], ...]

    @property
    def slope(self) -> Fraction:
        return self.formula.slope()

    def accepts(self, x: int) -> bool:
        """Does the layer accept input size ``x`` on this axis (from ``start`` on; below it, the exceptions)?"""
        if x >= self.start:
            return x % self.modulus in self.residues
        return any(x == e for e, _ in self.exceptions)

    def condition(self, name: str = X) -> str:
        """``x >= 7``, ``x >= 2 and x ≡ 0 (mod 2)``."""
        text = f"{name} >= {self.start}"
        if len(self.residues) < self.modulus:
            text += f" and {name} ≡ {', '.join(map(str, self.residues))} (mod {self.modulus})"
        return text

    def to_dict(self, name: str = X) -> dict[str, Any]:
        return {"formula": self.formula.render(), "python": self.formula.render("python"),
                "condition": self.condition(name), "start": self.start, "modulus": self.modulus,
                "residues": list(self.residues),
                "exceptions": [{"input": x, "output": out} for x, out in self.exceptions]}


def _tensor(shape: tuple[int, ...], data_format: str | None) -> Tensor:
    return Tensor(shape, data_format, (), (), ())


def _positions(data_format: str | None, shape: tuple[int, ...]) -> list[int]:
    if data_format is None:
        return []
    ndim, last = DATA_FORMATS[data_format]
    return list(range(1, 1 + ndim)) if last else list(range(2, 2 + ndim))


class _Probe:
    """A layer's output size on one axis as a function of its input size there (None: rejected)."""

    def __init__(self, layer: LayerSpec, x: Tensor, axis: int, framework: str) -> None:
        self.layer, self.x, self.framework = layer, x, framework
        self.position = _positions(x.data_format, x.shape)[axis]
        self.memo: dict[int, int | None] = {}

    def shape(self, n: int) -> tuple[int, ...]:
        s = list(self.x.shape)
        s[self.position] = n
        return tuple(s)

    def __call__(self, n: int) -> int | None:
        if n in self.memo:
            return self.memo[n]
        try:
            step = layer_step(self.layer, [_tensor(self.shape(n), self.x.data_format)], self.framework)
            out: int | None = step.shape[self.position] if step.geometry is not None or step.scale else None
            if out is not None and out < 1:  # an empty output: invalid, as the sweep counts it
                out = None
        except ShapeError:
            out = None
        self.memo[n] = out
        return out

    def reference(self) -> tuple[int, Any]:
        """A size the layer accepts (the spec's, or a larger one) and its step there (None: none found)."""
        base = self.x.shape[self.position]
        for n in (base, 2 * base, 64, 256, 1024, 4096, 65536):
            try:
                return n, layer_step(self.layer, [_tensor(self.shape(n), self.x.data_format)], self.framework)
            except ShapeError:
                continue
        return base, None


def fit_layer(layer: LayerSpec, x: Tensor, axis: int, framework: str,
              max_period: int | None = None) -> LayerFormula | None:
    """The formula of ``layer``'s output size on spatial ``axis`` as a function of its input size
    there (the other axes as in ``x``), fitted and verified as the module docstring says; None
    where the layer scales inexactly (a float scale) or does not keep the axis."""
    probe = _Probe(layer, x, axis, framework)
    accepted, step = probe.reference()
    if step is None or step.scale is None or axis >= len(step.scale) or step.scale[axis] is None:
        return None
    low = 1
    if step.extent and axis < len(step.extent):
        low = step.extent[axis] + abs(step.pad_before[axis]) + abs(step.pad_after[axis])
    return fit_probe(probe, step.scale[axis], low, accepted, max_period)


def fit_probe(probe: Callable[[int], int | None], m: Fraction, low: int, accepted: int,
              max_period: int | None = None) -> LayerFormula | None:
    """:func:`fit_layer` for any per-size function ``probe`` (None: the size is rejected) of
    exact slope ``m``, whose regular regime starts near ``low``; ``accepted``: a size it takes.
    ``max_period``: none where the slope's denominator is larger (a fit costs a few periods of probes)."""
    p, q = m.numerator, m.denominator
    if max_period is not None and q > max_period:
        return None
    x0 = max(low, 1) + 2 * q  # a little past the regime's edge: the residues a layer takes, not its minimum
    first = [(n, probe(n)) for n in range(x0, x0 + q)]
    if all(out is None for _, out in first) and accepted > x0:  # a minimum past the kernel (a fixed output
        x0 = accepted                                            # size): fit from a size the layer takes
        first = [(n, probe(n)) for n in range(x0, x0 + q)]
    residues = tuple(sorted(n % q for n, out in first if out is not None))
    if not residues:
        return None
    if p == 0:
        outs = {out for _, out in first if out is not None}
        if len(outs) != 1:
            return None
        formula, r = const(outs.pop()), 0
    else:
        r = max(q * out - p * n for n, out in first if out is not None)
        if any(r > q * out - p * n + q - 1 for n, out in first if out is not None):
            return None
        formula = quasi_affine(sym(X), p, r, q)
    fitted = _formula_fn(p, r, q, formula)
    # verify: two more periods, and far out (a formula that only looks right near the kernel fails here)
    checks = list(range(x0 + q, x0 + 3 * q)) + [x0 + k * q + j for k in (97, 1000) for j in range(q)]
    for n in checks:
        out = probe(n)
        if (out is not None) != (n % q in residues) or (out is not None and out != fitted(n)):
            return None
    def holds(n: int) -> bool:
        out = probe(n)
        return (out is not None) == (n % q in residues) and (out is None or out == fitted(n))

    def walk(top: int) -> int:
        """The smallest size down to which the formula holds from ``top``, one by one (``_WALK`` at most)."""
        start = top
        n = top - 1
        while n >= 1 and top - n <= _WALK and holds(n):
            start = n
            n -= 1
        return start

    # walk down to the formula's start, then note the exceptions below it
    start = walk(x0)
    if start == x0 - _WALK and start > 1:
        # still holding after the walk (a padding far larger than the kernel): the formula's start is
        # found by bisection over whole periods (the regular regime is every size from its start on),
        # then walked to exactly
        def period_holds(m: int) -> bool:
            return all(holds(n) for n in range(m, m + q))

        good, step = start, q
        while good - step >= 1 and period_holds(good - step):
            good, step = good - step, 2 * step
        bad = max(1, good - step)
        if period_holds(bad):
            good = bad
        else:
            while good - bad > 1:
                middle = (good + bad) // 2
                good, bad = (middle, bad) if period_holds(middle) else (good, middle)
        start = walk(good)
    exceptions = tuple((k, out) for k in range(max(1, start - _WALK), start) if (out := probe(k)) is not None)
    return LayerFormula(formula, start, q, residues, exceptions)


def _formula_fn(p: int, r: int, q: int, formula: Lin) -> Callable[[int], int]:
    if p == 0:
        return lambda n: formula.const
    return lambda n: (p * n + r) // q


# ---------------------------------------------------------------------------- a network
class Skip(NamedTuple):
    """A merge layer whose inputs must agree on every spatial axis."""

    layer: str
    inputs: tuple[str, ...]
    #: why the inputs can never agree whatever the input size (their channels or batch differ), or None
    never: str | None = None


class Equality(NamedTuple):
    """A linear layer whose flattened input must have exactly ``features`` features."""

    layer: str
    input: str
    features: int


class TensorFormula(NamedTuple):
    """A layer's output: per spatial axis its size as a formula of the input symbols, or, once
    flattened, its feature count (``flat``)."""

    name: str
    op: str
    axes: tuple[Lin, ...]
    flat: Lin | None
    layer: tuple[LayerFormula | None, ...]  # the layer's own formula per axis (None: a merge, an identity)

    def to_dict(self, symbols: Sequence[str]) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "op": self.op,
                               "formula": {s: f.render() for s, f in zip(symbols, self.axes)},
                               "python": {s: f.render("python") for s, f in zip(symbols, self.axes)}}
        if self.flat is not None:
            out["features"] = self.flat.render()
        if any(self.layer):
            out["layer"] = {s: None if f is None else f.to_dict() for s, f in zip(symbols, self.layer)}
        return out


class Symbolic(NamedTuple):
    """A network's tensors as formulas of its input symbols, with what constrains them."""

    spec: NetworkSpec
    symbols: tuple[str, ...]
    positions: tuple[int, ...]
    tensors: tuple[TensorFormula, ...]
    skips: tuple[Skip, ...]
    equalities: tuple[Equality, ...]
    exact: bool
    notes: tuple[str, ...]
    #: every tensor's whole shape at the reference size (the spec's, or the nearest valid one)
    shapes: dict[str, tuple[int, ...] | None]

    def formula(self, name: str) -> TensorFormula:
        return next(t for t in self.tensors if t.name == name)

    def to_dict(self) -> dict[str, Any]:
        return {"symbols": list(self.symbols), "exact": self.exact,
                "tensors": [t.to_dict(self.symbols) for t in self.tensors], "notes": list(self.notes)}


def analyse(spec: SpecArg, *, input: object = None, framework: str | None = None) -> Symbolic:
    """Every tensor's size as a formula of the input symbols (``H``, ``W``; ``D, H, W``; ``W``).

    Each layer is fitted at a reference input (the spec's own sizes, or larger square sizes when
    some layer rejects those): only its batch, channels and other axes matter there."""
    spec = as_spec(spec, input=input, framework=framework)
    if spec.data_format is None:
        raise ShapeError(f"{spec.source}: the input {list(spec.input)} has no spatial axes to write as symbols",
                         rule=Rule.BAD_SPEC, values={"input": list(spec.input)})
    positions = tuple(_positions(spec.data_format, spec.input))
    cache: dict[tuple[str, tuple[int, ...], int], LayerFormula | None] = {}
    found: Symbolic | None = None
    for n in (None, 1024, 4096, 256, 64):
        found = _analyse_at(spec, positions, n, cache)
        if found.exact or not found.notes[-1].startswith("\0"):
            break
    assert found is not None
    notes = [note.lstrip("\0") for note in found.notes]
    if not found.exact and found.notes[-1].startswith("\0"):
        notes[-1] = f"at every reference size tried (the spec's, 1024, 4096, 256, 64), {notes[-1]}"
    return found._replace(notes=tuple(notes))


def _analyse_at(spec: NetworkSpec, positions: tuple[int, ...], n: int | None,
                cache: dict[tuple[str, tuple[int, ...], int], LayerFormula | None]) -> Symbolic:
    """:func:`analyse` with every layer fitted at input size ``n`` (None: the spec's); a note
    starting with NUL says a layer rejected that reference size (try another)."""
    symbols = SYMBOLS[len(positions)]
    ref_env = {s: (spec.input[p] if n is None else n) for s, p in zip(symbols, positions)}
    start = list(spec.input)
    for s, p in zip(symbols, positions):
        start[p] = ref_env[s]
    shapes: dict[str, tuple[int, ...] | None] = {"input": tuple(start)}
    formulas: dict[str, tuple[Lin, ...]] = {"input": tuple(sym(s) for s in symbols)}
    flats: dict[str, Lin] = {}
    tensors: list[TensorFormula] = []
    skips: list[Skip] = []
    equalities: list[Equality] = []
    notes: list[str] = []
    exact = True
    fmt = spec.data_format
    channel = len(spec.input) - 1 if fmt is not None and DATA_FORMATS[fmt][1] else 1

    def done() -> Symbolic:
        return Symbolic(spec, symbols, positions, tuple(tensors), tuple(skips), tuple(equalities), exact,
                        tuple(notes), shapes)

    for layer in spec.layers:
        first = layer.inputs[0]
        if first in flats:  # after flatten: a feature count, no spatial axes
            features = flats[first]
            if layer.kind == "linear":
                expected = layer.args.get("in_features")
                if expected is not None:
                    equalities.append(Equality(layer.name, first, expected))
                features = const(layer.args["out_features"])
            flats[layer.name] = features
            tensors.append(TensorFormula(layer.name, layer.op, (), features, ()))
            continue
        if any(name not in formulas for name in layer.inputs):
            exact = False
            notes.append(f"{layer.name}: an input has no formula")
            return done()
        ins = formulas[first]
        xs = [shapes[name] for name in layer.inputs]
        if any(x is None or min(x) < 1 for x in xs):
            exact = False
            notes.append(f"\0{layer.name}: its input is empty at the reference size")
            return done()
        x_shape = xs[0]
        assert x_shape is not None
        if layer.kind in ("concat", "add"):
            fixed = [tuple(d for j, d in enumerate(x) if j not in positions and (layer.kind == "add" or j != channel))
                     for x in xs if x is not None]
            never = None
            if len(set(fixed)) > 1:
                never = (f"{layer.name} ({layer.op}): the non-spatial sizes of "
                         + " and ".join(f"{name} {list(x)}" for name, x in zip(layer.inputs, xs) if x is not None)
                         + " differ at every input size")
            skips.append(Skip(layer.name, layer.inputs, never))
            formulas[layer.name] = ins
            merged = list(x_shape)
            if layer.kind == "concat":  # channels add up (a mismatch of the spatial sizes is the skip's constraint)
                merged[channel] = sum(x[channel] for x in xs if x is not None)
            shapes[layer.name] = tuple(merged)
            tensors.append(TensorFormula(layer.name, layer.op, ins, None, (None,) * len(ins)))
            continue
        x = _tensor(x_shape, fmt)
        try:
            step = layer_step(layer, [x], spec.framework)
        except ShapeError as exc:
            exact = False
            notes.append(f"\0{layer.name} ({layer.op}) rejects the reference size {list(x_shape)}: {exc.message}")
            return done()
        shapes[layer.name] = step.shape
        if step.drops_spatial and layer.kind != "flatten":
            # the spatial axes end here (a global pool without keepdims): a fixed feature count when the
            # output does not move with the input's sizes
            grown = tuple(d + 1 if j in positions else d for j, d in enumerate(x_shape))
            try:
                moved = layer_step(layer, [_tensor(grown, fmt)], spec.framework).shape != step.shape
            except ShapeError:
                moved = True
            if moved or len(step.shape) != 2:
                exact = False
                notes.append(f"{layer.name} ({layer.op}): its output drops the spatial axes but moves with them")
                return done()
            flats[layer.name] = const(step.shape[1])
            tensors.append(TensorFormula(layer.name, layer.op, (), flats[layer.name], ()))
            continue
        if layer.kind == "flatten":
            rest = [d for i, d in enumerate(x_shape[1:], 1) if i not in positions]
            flats[layer.name] = product([const(prod(rest)), *ins])
            tensors.append(TensorFormula(layer.name, layer.op, (), flats[layer.name], ()))
            continue
        own: list[LayerFormula | None] = []
        outs: list[Lin] = []
        for i in range(len(positions)):
            masked = tuple(-1 if j == positions[i] else d for j, d in enumerate(x_shape))
            key = (layer_signature(layer), masked, i)
            if key not in cache:
                cache[key] = fit_layer(layer, x, i, spec.framework)
            fit = cache[key]
            if fit is None:
                exact = False
                notes.append(f"{layer.name} ({layer.op}): no exact formula on axis {symbols[i]} (its size does not "
                             f"scale by an exact fraction)")
                return done()
            own.append(fit)
            outs.append(fit.formula.subs({X: ins[i]}))
        formulas[layer.name] = tuple(outs)
        tensors.append(TensorFormula(layer.name, layer.op, tuple(outs), None, tuple(own)))
    return done()


# ---------------------------------------------------------------------------- constraints
class Constraint(NamedTuple):
    """One condition on the swept size ``n`` and what imposes it.

    ``kind``: ``min`` (n >= value), ``max`` (n <= value), ``mod`` (n mod ``modulus`` in
    ``residues``), ``fixed`` (n in ``sizes``), ``below`` (the sizes under the formulas' reach,
    decided one by one: ``sizes`` valid there)."""

    kind: str
    text: str
    cause: str
    value: int | None = None
    modulus: int | None = None
    residues: tuple[int, ...] = ()
    sizes: tuple[int, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind, "constraint": self.text, "cause": self.cause}
        if self.value is not None:
            out["value"] = self.value
        if self.modulus is not None:
            out["modulus"] = self.modulus
            out["residues"] = list(self.residues)
        if self.sizes:
            out["sizes"] = list(self.sizes)
        return out


class ConstraintSet(NamedTuple):
    """The sizes ``n`` in ``range`` the network accepts, as constraints with causes, and reduced:
    from ``threshold`` on, ``n >= minimum``, ``n <= maximum`` (None: none in range), ``n mod
    period in residues``, and (when some head fixes the size) ``n in fixed``; below ``threshold``
    exactly ``below`` (decided by the engine, size by size)."""

    symbol: str
    range: tuple[int, int]
    constraints: tuple[Constraint, ...]
    minimum: int | None
    maximum: int | None
    period: int
    residues: tuple[int, ...]
    fixed: tuple[int, ...] | None
    threshold: int
    below: tuple[int, ...]

    def __contains__(self, n: object) -> bool:
        if not isinstance(n, int) or not self.range[0] <= n <= self.range[1]:
            return False
        if n < self.threshold:
            return n in self.below
        if self.minimum is None or n < self.minimum or (self.maximum is not None and n > self.maximum):
            return False
        if self.fixed is not None and n not in self.fixed:
            return False
        return n % self.period in self.residues

    def sizes(self) -> list[int]:
        lo, hi = self.range
        out = [n for n in self.below if lo <= n <= hi]
        if self.minimum is None:
            return out
        if self.fixed is not None:
            return out + [n for n in self.fixed if n in self]
        top = hi if self.maximum is None else min(hi, self.maximum)
        start = max(self.threshold, self.minimum)
        for r in self.residues:
            first = start + (r - start) % self.period
            out += range(first, top + 1, self.period)
        return sorted(out)

    def reduced(self) -> str:
        """``n >= 16, n ≡ 0 (mod 16)``, ``n = 32``."""
        s = self.symbol
        if self.minimum is None and not self.below:
            return "no size in the range"
        parts: list[str] = []
        if self.fixed is not None:
            shown = [n for n in self.fixed if n in self] + list(self.below)
            return f"{s} = " + ", ".join(map(str, sorted(set(shown)))) if shown else "no size in the range"
        if self.minimum is not None:
            parts.append(f"{s} >= {self.minimum}")
            if self.maximum is not None:
                parts.append(f"{s} <= {self.maximum}")
            if len(self.residues) < self.period:
                parts.append(f"{s} ≡ {_residues(self.residues)} (mod {self.period})")
        extra = [n for n in self.below if self.minimum is None or n < self.minimum]
        if extra and not parts:
            parts.append(f"{s} in {{" + ", ".join(map(str, extra[:20])) + (", ...}" if len(extra) > 20 else "}"))
        elif extra:
            parts.append("also " + ", ".join(map(str, extra)))
        return ", ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        return {"symbol": self.symbol, "range": list(self.range), "reduced": self.reduced(),
                "minimum": self.minimum, "maximum": self.maximum, "period": self.period,
                "residues": list(self.residues), "fixed": None if self.fixed is None else list(self.fixed),
                "threshold": self.threshold, "below": list(self.below),
                "constraints": [c.to_dict() for c in self.constraints]}


def _residues(residues: Sequence[int]) -> str:
    if len(residues) > 6:
        return f"{residues[0]}..{residues[-1]}" if list(residues) == list(range(residues[0], residues[-1] + 1)) \
            else ", ".join(map(str, residues[:6])) + ", ..."
    return ", ".join(map(str, residues))


def coarsest(residues: Sequence[int], period: int) -> tuple[int, tuple[int, ...]]:
    """The residues mod ``period`` as residues mod the smallest divisor d of ``period`` that
    describes the same set (``{0, 16} mod 32`` -> ``{0} mod 16``)."""
    chosen = {r % period for r in residues}
    for d in range(1, period + 1):
        if period % d == 0 and all((r + d) % period in chosen for r in chosen):
            return d, tuple(sorted({r % d for r in chosen}))
    return period, tuple(sorted(chosen))  # pragma: no cover - d = period always qualifies


def _lcm(a: int, b: int) -> int:
    return a * b // gcd(a, b)


def constraints(sym_net: Symbolic, range: tuple[int, int] = (1, 4096), *, axis: int | None = None) -> ConstraintSet:
    """The sizes ``n`` in ``range`` the network accepts, where every spatial axis is ``n``
    (``axis=None``, the sweep's square inputs) or only spatial ``axis`` is (the others as in the
    spec), as constraints each naming its cause."""
    spec = sym_net.spec
    lo, hi = range
    swept = [i for i in builtins_range(len(sym_net.symbols)) if axis is None or i == axis]
    name = sym_net.symbols[swept[0]] if axis is not None else "n"
    fixed_values = {s: spec.input[p] for s, p in zip(sym_net.symbols, sym_net.positions)}

    def env(n: int) -> dict[str, int]:
        e = dict(fixed_values)
        for i in swept:
            e[sym_net.symbols[i]] = n
        return e

    if not sym_net.exact:
        return _by_sweep(sym_net, (lo, hi), axis, name)
    ins: dict[str, tuple[Lin, ...]] = {"input": tuple(sym(s) for s in sym_net.symbols)}
    for t in sym_net.tensors:
        ins[t.name] = t.axes
    by_name = {layer.name: layer for layer in spec.layers}
    window = [(t, by_name[t.name].inputs[0]) for t in sym_net.tensors if any(t.layer)]

    # each distinct (input formula, start) once: layers alike at one resolution share them
    starts: dict[Lin, int] = {}
    for t, src in window:
        for i, f in enumerate(t.layer):
            if f is not None:
                starts[ins[src][i]] = max(starts.get(ins[src][i], f.start), f.start)

    if _broadcasts(spec.framework):  # an add broadcasting a side of size 1 (keras): such sizes are decided one by one
        for skip in sym_net.skips:
            if by_name[skip.layer].kind == "add":
                for side in (ins[name][i] for name in skip.inputs for i in builtins_range(len(sym_net.symbols))):
                    if side.slope() != 0:
                        starts[side] = max(starts.get(side, 2), 2)

    def in_regime(n: int) -> bool:
        e = env(n)
        return all(formula(e) >= least for formula, least in starts.items())

    threshold = first_true(in_regime, max(lo, 1), hi)
    found: list[Constraint] = []
    axes_of: dict[tuple[str, str, str], tuple[int, list[str]]] = {}

    def note(c: Constraint, origin: str, axis_symbol: str) -> None:
        """Add ``c``, once for every axis it holds on (square inputs: H and W give the same condition)."""
        key = (c.kind, c.text, origin)
        if key in axes_of:
            axes_of[key][1].append(axis_symbol)
            return
        axes_of[key] = (len(found), [axis_symbol])
        found.append(c)

    # below the threshold: the engine decides, size by size
    below: tuple[int, ...] = ()
    if threshold > lo and not sym_net.equalities and not any(t.flat is not None for t in sym_net.tensors):
        below = tuple(n for n in builtins_range(lo, threshold) if _walk(sym_net, env(n)) is None)
    elif threshold > lo:  # a flattened head: the sweep's traces
        from convshape.network.sweep import sweep

        below = tuple(sweep(spec, (lo, threshold - 1), axis=axis).sizes())
    if below:
        found.append(Constraint("below", f"{lo}..{threshold - 1}: " + (", ".join(map(str, below)) or "none"),
                                f"below {threshold} some layer's input is under its formula's start; "
                                f"each size there was evaluated", sizes=below))
    period = 1
    for size in {f for t in sym_net.tensors for f in t.axes}:
        period = _lcm(period, size.slope().denominator)
    top = hi
    start = threshold
    # residue classes from the threshold on: the skips, the divisibility rules
    allowed = set(builtins_range(period))
    singles: set[int] | None = None
    if start <= hi:
        for t, src in window:
            for i, lf in enumerate(t.layer):
                if lf is None or len(lf.residues) == lf.modulus:
                    continue
                ok = {(b - start) % period for b in builtins_range(start, start + period)
                      if ins[src][i](env(b)) % lf.modulus in lf.residues}
                if len(ok) < period:
                    d, rs = coarsest([start + r for r in ok], period)
                    sym_name = sym_net.symbols[i]
                    note(Constraint("mod", f"{name} ≡ {_residues(rs)} (mod {d})",
                                    f"{t.name} ({t.op}) takes sizes x ≡ {_residues(lf.residues)} (mod {lf.modulus}); "
                                    f"its input is {ins[src][i].render()}", modulus=d, residues=rs), t.name, sym_name)
                    allowed &= ok
        for skip in sym_net.skips:
            if skip.never is not None:
                note(Constraint("mod", f"no {name} from {start} on", skip.never, modulus=1), skip.layer, "")
                allowed = set()
                continue
            sides = [ins[s] for s in skip.inputs]
            for i in builtins_range(len(sym_net.symbols)):  # the axes not swept too: constants that must agree
                first = sides[0][i]
                for other_name, other_axes in zip(skip.inputs[1:], sides[1:]):
                    other = other_axes[i]
                    if first == other:
                        continue
                    drift = (first.slope() - other.slope()) * period
                    sym_name = sym_net.symbols[i]
                    cause = (f"{skip.layer}: {skip.inputs[0]} = {first.render()} must equal {other_name} = "
                             f"{other.render()}")
                    if drift == 0:
                        ok = {(b - start) % period for b in builtins_range(start, start + period)
                              if first(env(b)) == other(env(b))}
                        if len(ok) == period:
                            continue  # equal at every size (an axis not swept, equal constants)
                        d, rs = coarsest([start + r for r in ok], period) if ok else (period, ())
                        note(Constraint("mod", f"{name} ≡ {_residues(rs)} (mod {d})" if rs else
                                        f"no {name} from {start} on", cause, modulus=d, residues=rs),
                             skip.layer + " " + other_name, sym_name)
                        allowed &= ok
                    else:
                        hits = set()
                        for b in builtins_range(start, start + period):
                            diff = first(env(b)) - other(env(b))
                            if (-diff) % drift == 0 and -diff // drift >= 0:
                                n = b + int(-diff // drift) * period
                                if n <= hi:
                                    hits.add(n)
                        note(Constraint("fixed", f"{name} = " + (", ".join(map(str, sorted(hits))) or "none"),
                                        cause, sizes=tuple(sorted(hits))), skip.layer + " " + other_name, sym_name)
                        singles = hits if singles is None else singles & hits
        for eq in sym_net.equalities:
            features = sym_net.formula(eq.input).flat
            assert features is not None
            if features.is_const:  # the same at every size (a global pool's channels): it holds or never does
                if features({}) == eq.features:
                    continue
                found.append(Constraint("fixed", f"no {name}", f"{eq.layer}: in_features={eq.features} must equal "
                                        f"the flattened {eq.input} = {features.render()}", sizes=()))
                singles = set()
                continue
            first_at = first_true(lambda n: features(env(n)) >= eq.features, start, hi)
            hits = set()
            n = first_at
            while n <= hi and features(env(n)) == eq.features and len(hits) < 100000:
                hits.add(n)
                n += 1
            found.append(Constraint("fixed", f"{name} = " + (", ".join(map(str, sorted(hits))) or "none"),
                                    f"{eq.layer}: in_features={eq.features} must equal the flattened "
                                    f"{eq.input} = {features.render()}", sizes=tuple(sorted(hits))))
            singles = hits if singles is None else singles & hits
        # a maximum: a layer that rejects sizes near the top of the range (layers alike checked once)
        topped: dict[tuple[str, tuple[int, ...], int], bool] = {}
        for t, src in window:
            layer = by_name[t.name]
            for i, lf in enumerate(t.layer):
                if lf is None or i not in swept:
                    continue
                x_shape = _shape_at(spec, sym_net, ins, src, env(hi))
                if x_shape is None:
                    continue
                x_top = ins[src][i](env(hi))
                key = (layer_signature(layer), x_shape, i)
                if key not in topped:
                    probe = _Probe(layer, _tensor(x_shape, spec.data_format), i, spec.framework)
                    topped[key] = probe(x_top) is not None or not lf.accepts(x_top)
                if topped[key]:
                    continue

                def rejects(n: int, layer: LayerSpec = layer, src: str = src, i: int = i,
                            lf: LayerFormula = lf) -> bool:
                    """Does the layer reject input size ``n`` that its formula accepts? (Every swept axis
                    at ``n``: the other axes' sizes at ``hi`` could be what is rejected.)"""
                    shape = _shape_at(spec, sym_net, ins, src, env(n))
                    x_n = ins[src][i](env(n))
                    return shape is not None and lf.accepts(x_n) and \
                        _Probe(layer, _tensor(shape, spec.data_format), i, spec.framework)(x_n) is None

                last = first_true(rejects, start, hi) - 1
                top = min(top, last)
                why = _why(spec, sym_net, swept, last + 1)
                cause = why if why.startswith(f"{t.name} (") else f"{t.name} ({t.op}) rejects larger inputs: {why}"
                note(Constraint("max", f"{name} <= {last}", cause, value=last), t.name, sym_net.symbols[i])
    residues = tuple(sorted((start + r) % period for r in allowed))
    d, rs = coarsest(residues, period) if residues else (period, ())
    minimum: int | None = None
    if start <= top:
        candidates = [start + (r - start) % d for r in rs]
        if singles is not None:
            candidates = [n for n in singles if start <= n <= top and n % d in rs]
        minimum = min((c for c in candidates if c <= top), default=None)
    for index, axes in axes_of.values():
        if axis is None and len(sym_net.symbols) > 1:
            c = found[index]
            where = f"axis {axes[0]}" if len(axes) == 1 else f"axes {', '.join(axes)}"
            found[index] = c._replace(cause=f"{c.cause} (on {where})")
    result = ConstraintSet(name, (lo, hi), (), minimum, top if top < hi else None, d, rs,
                           None if singles is None else tuple(sorted(singles)), threshold, below)
    first_valid = min(below) if below else minimum
    if first_valid is not None and first_valid > lo:
        cause = _why(spec, sym_net, swept, first_valid - 1)
        found.insert(0, Constraint("min", f"{name} >= {first_valid}", cause, value=first_valid))
    return result._replace(constraints=tuple(found))


builtins_range = range


def _by_sweep(sym_net: Symbolic, range: tuple[int, int], axis: int | None, name: str) -> ConstraintSet:
    """Without a formula for every layer, the sweep decides (size by size where it must), and the
    constraint says why there is no closed form."""
    from convshape.network.sweep import sweep

    result = sweep(sym_net.spec, range, axis=axis)
    sizes = tuple(result.sizes())
    reason = "; ".join(sym_net.notes)
    shown = ", ".join(map(str, sizes[:20])) + (", ..." if len(sizes) > 20 else "")
    constraint = Constraint("below", f"{name} in {{{shown}}}" if sizes else f"no {name}",
                            f"{reason}; so every size was decided by the sweep, without formulas", sizes=sizes)
    return ConstraintSet(name, range, (constraint,), None, None, 1, (), None, range[1] + 1, sizes)


def _shape_at(spec: NetworkSpec, sym_net: Symbolic, ins: dict[str, tuple[Lin, ...]], src: str,
              e: dict[str, int]) -> tuple[int, ...] | None:
    """The whole shape of tensor ``src`` at the input sizes ``e`` (channels from the reference evaluation)."""
    shape = sym_net.shapes.get(src)
    if shape is None:
        return None
    s = list(shape)
    for p, f in zip(_positions(spec.data_format, spec.input), ins[src]):
        s[p] = f(e)
    return tuple(s)


def _input_at(spec: NetworkSpec, swept: Sequence[int], n: int) -> tuple[int, ...]:
    shape = list(spec.input)
    positions = _positions(spec.data_format, spec.input)
    for i in swept:
        shape[positions[i]] = n
    return tuple(shape)


def _broadcasts(framework: str) -> bool:
    """Whether the framework's elementwise merges broadcast a size of 1 (keras; see evaluate.broadcast_merge)."""
    from convshape.frameworks import get

    return get(framework).merge_broadcasts


def _walk(sym_net: Symbolic, e: dict[str, int]) -> int | None:
    """The index of the first layer that rejects the input sizes ``e`` (None: every layer holds),
    from the fitted layers alone: a layer's formula from its start on (its residues), its
    exceptions below, each skip's sides equal. Exact below the formulas' threshold too, since a
    fit lists every size below its start that the layer accepts."""
    values: dict[str, tuple[int, ...]] = {"input": tuple(e[s] for s in sym_net.symbols)}
    broadcasts = _broadcasts(sym_net.spec.framework)
    never = {skip.layer for skip in sym_net.skips if skip.never is not None}  # other sizes differ: at every n
    for index, (layer, t) in enumerate(zip(sym_net.spec.layers, sym_net.tensors)):
        ins = [values[name] for name in layer.inputs]
        if t.flat is not None:
            return None  # not walked past a flatten (constraints() does not ask)
        if layer.name in never:
            return index
        if not any(t.layer):  # a merge: every side equal on every axis (or 1, where an add broadcasts)
            if broadcasts and layer.kind == "add":
                merged = tuple(max(sizes) for sizes in zip(*ins))
                if any(x not in (1, m) for side in ins for x, m in zip(side, merged)):
                    return index
                values[layer.name] = merged
                continue
            if any(side != ins[0] for side in ins[1:]):
                return index
            values[layer.name] = ins[0]
            continue
        out = []
        for x, lf in zip(ins[0], t.layer):
            assert lf is not None
            if x >= lf.start:
                if x % lf.modulus not in lf.residues:
                    return index
                y = lf.formula({X: x})
            else:
                y = dict(lf.exceptions).get(x, 0)
            if y < 1:
                return index
            out.append(y)
        values[layer.name] = tuple(out)
    return None


def _why(spec: NetworkSpec, sym_net: Symbolic, swept: Sequence[int], n: int) -> str:
    """The first layer that rejects size ``n``, in the framework's words."""
    e = {s: spec.input[p] for s, p in zip(sym_net.symbols, sym_net.positions)}
    for i in swept:
        e[sym_net.symbols[i]] = n
    flat = sym_net.equalities or any(t.flat is not None for t in sym_net.tensors)
    index = None if flat else _walk(sym_net, e)
    if index is not None:  # the network up to that layer is enough to hear the framework say it
        spec = spec._replace(layers=spec.layers[:index + 1])
    report = evaluate(spec._replace(input=_input_at(spec, swept, n)))
    bad = next((layer for layer in report.layers if layer.error and layer.rule not in (Rule.EXPECT,
                                                                                      Rule.INPUT_FAILED)), None)
    if bad is None:
        return f"at {n} every layer holds"
    return f"{bad.name} ({bad.op}) rejects {n}: {bad.error}"


def agrees(c: ConstraintSet, valid: Sequence[Any]) -> bool:
    """Do the constraints describe exactly the sizes of ``valid`` (the sweep's progressions)?"""
    from convshape.network.emit import progressions

    mine = progressions(c)
    if sum(len(p) for p in mine) != sum(len(p) for p in valid):
        return False
    if sum(len(p) for p in valid) <= 200000:
        return sorted(n for p in mine for n in range(p.start, p.stop + 1, p.step)) == \
            sorted(n for p in valid for n in range(p.start, p.stop + 1, p.step))
    return all(n in c for p in valid for n in {p.start, p.stop, p.start + p.step * (len(p) // 2)})


class FormulaReport(NamedTuple):
    """``summary --formulas``: the network's report, its tensors as formulas, its constraints."""

    report: NetworkReport
    symbolic: Symbolic
    constraints: ConstraintSet

    @property
    def ok(self) -> bool:
        return self.report.ok

    def to_dict(self) -> dict[str, Any]:
        out = self.report.to_dict()
        by_name = {t.name: t for t in self.symbolic.tensors}
        for layer in out["layers"]:
            t = by_name.get(layer["name"])
            if t is not None:
                layer.update({k: v for k, v in t.to_dict(self.symbolic.symbols).items() if k not in ("name", "op")})
        out["symbols"] = list(self.symbolic.symbols)
        out["formulas_exact"] = self.symbolic.exact
        out["constraints"] = self.constraints.to_dict()
        out["formula_notes"] = list(self.symbolic.notes)
        return out


def constrained(spec: NetworkSpec, range: tuple[int, int] = (1, 4096)) -> ConstrainedReport:
    """The network's report with the constraints on square inputs over ``range`` (where it has
    spatial axes); a network the formulas cannot analyse keeps its report, with a note."""
    report = evaluate(spec)
    if spec.data_format is None:
        return ConstrainedReport(report, None)
    try:
        return ConstrainedReport(report, constraints(analyse(spec), range))
    except ShapeError as exc:
        return ConstrainedReport(report, None, (f"no constraints: {exc.message}",))
