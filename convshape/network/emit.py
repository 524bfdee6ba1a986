"""Dynamic-shape specs for exporters, from a network's constraints (:mod:`convshape.network.symbolic`).

Each spatial axis is analysed on its own (the others as in the spec) and its valid sizes in the
range written as arithmetic progressions. An exporter takes one progression per axis:

* ``torch-export``: ``torch.export.export(..., dynamic_shapes=...)`` with ``Dim`` objects
  (``torch.export.Dim(name, min=, max=)``; a derived dim ``16 * h + r`` for a progression of step 16,
  as torch/export/dynamic_shapes.py's ``_DerivedDim`` allows);
* ``jax``: ``jax.export.symbolic_shape(shape, constraints=[...])`` (jax/_src/export/shape_poly.py:
  dimension expressions ``16*h`` with ``>=`` / ``<=`` constraints);
* ``tensorrt``: an optimization profile, min / opt / max shapes (trtexec ``--minShapes`` ...,
  onnxruntime's TensorRT provider ``trt_profile_min_shapes`` ...), snapped to valid sizes;
* ``onnx``: the input's dims as symbols and the output's dims as expressions of them.

Where the valid sizes are not one progression (runs of 16 every 32), no exporter can say so: the
largest progression inside the set is emitted, with that said, and the input padding that makes
every size valid (pad up to the next size of the progression, crop the output back).
"""

from __future__ import annotations

from math import gcd
from typing import Any, NamedTuple

from convshape.network.sweep import Progression
from convshape.network.expr import sym as sym_formula
from convshape.network.symbolic import ConstraintSet, Symbolic, constraints

TARGETS = ("torch-export", "jax", "tensorrt", "onnx")


class AxisSpec(NamedTuple):
    """One spatial axis: its symbol, its valid sizes as progressions, the one emitted."""

    symbol: str
    position: int
    constraints: ConstraintSet
    valid: tuple[Progression, ...]
    chosen: Progression | None

    @property
    def exact(self) -> bool:
        return len(self.valid) <= 1

    @property
    def dim(self) -> str:
        return self.symbol.lower()

    def expression(self, style: str = "torch") -> str:
        """``16 * h``, ``16 * h + 1``, ``h`` (torch); ``16*h`` (jax); the size itself when fixed."""
        p = self.chosen
        assert p is not None
        if p.start == p.stop:
            return str(p.start)
        times = " * " if style == "torch" else "*"
        if p.step == 1:
            return self.dim
        r = p.start % p.step
        return f"{p.step}{times}{self.dim}" + (f" + {r}" if r else "")

    def bounds(self) -> tuple[int, int]:
        """The range of the symbol: the sizes themselves (step 1), or k in step * k + r."""
        p = self.chosen
        assert p is not None
        if p.step == 1:
            return p.start, p.stop
        return p.start // p.step, p.stop // p.step

    def padding(self) -> str | None:
        """How to make every size valid: pad up to the next size of the emitted progression."""
        p = self.chosen
        if p is None or self.exact and p.step == 1:
            return None
        r = p.start % p.step
        need = f"({r} - {self.symbol}) % {p.step}" if r else f"(-{self.symbol}) % {p.step}"
        return (f"pad {self.symbol} up to the next size ≡ {r} (mod {p.step}) (by {need} cells; sizes below "
                f"{p.start} up to {p.start}) and crop the output back to what {self.symbol} gives")


def progressions(c: ConstraintSet) -> tuple[Progression, ...]:
    """The valid sizes of ``c`` as progressions, without listing them (ranges up to 2**31 - 1)."""
    lo, hi = c.range
    out: list[Progression] = []
    below = sorted(set(c.below))
    if c.minimum is not None:
        if c.fixed is not None:
            below = sorted(set(below) | {n for n in c.fixed if n in c})
        else:
            top = hi if c.maximum is None else min(hi, c.maximum)
            start = max(c.threshold, c.minimum)
            for r in c.residues:
                first = start + (r - start) % c.period
                if first <= top:
                    stop = first + (top - first) // c.period * c.period
                    # sizes below the threshold continuing this progression downwards join it
                    while first - c.period in below:
                        below.remove(first - c.period)
                        first -= c.period
                    out.append(Progression(first, stop, c.period))
    runs: list[Progression] = []
    for n in below:
        if runs and runs[-1].step == 1 and runs[-1].stop == n - 1:
            runs[-1] = Progression(runs[-1].start, n, 1)
        else:
            runs.append(Progression(n, n, 1))
    return tuple(sorted(out + runs))


def axes(net: Symbolic, range: tuple[int, int]) -> tuple[AxisSpec, ...]:
    """Every spatial axis's valid sizes in ``range`` (the other axes as in the spec)."""
    found = []
    for i, (symbol, position) in enumerate(zip(net.symbols, net.positions)):
        c = constraints(net, range, axis=i)
        valid = progressions(c)
        chosen = max(valid, key=lambda p: (len(p), -p.start), default=None)
        found.append(AxisSpec(symbol, position, c, valid, chosen))
    return tuple(found)


class Emitted(NamedTuple):
    """A dynamic-shape spec for one exporter: the code or flags to paste, the same as data, and
    what it cannot say."""

    target: str
    text: str
    data: dict[str, Any]
    exact: bool
    notes: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"target": self.target, "exact": self.exact, "code": self.text, **self.data,
                "notes": list(self.notes)}


def _example(net: Symbolic, specs: tuple[AxisSpec, ...]) -> tuple[int, ...]:
    """The spec's input with every swept axis snapped to the nearest size of its progression."""
    shape = list(net.spec.input)
    for a in specs:
        if a.chosen is None:
            continue
        n, p = shape[a.position], a.chosen
        k = min(max((n - p.start + p.step // 2) // p.step, 0), len(p) - 1)
        shape[a.position] = p.start + k * p.step
    return tuple(shape)


def _ceil_class(net: Symbolic, a: AxisSpec, example: tuple[int, ...], notes: list[str]) -> AxisSpec:
    """A ceil_mode pool makes torch check that its last window starts inside the input
    (``pooling_output_shape`` in aten/src/ATen/native/Pool.h, and its symbolic twin in
    torch/_meta_registrations.py): a guard that depends on the size mod the stride, which
    torch.export cannot decide for a plain ``Dim`` (observed with torch 2.13: "Expected op to be
    '==', got <"). Within one residue class mod the network's period every floor is affine and
    the guard decided, so the Dim is ``P * h + r`` with ``r`` the example's residue."""
    p = a.chosen
    if p is None or p.start == p.stop or not any(layer.args.get("ceil_mode") for layer in net.spec.layers):
        return a
    period = 1
    for t in net.tensors:
        for f, s in zip(t.axes, net.symbols):
            if s == a.symbol:
                d = f.slope().denominator
                period = period * d // gcd(period, d)
    step = p.step * period // gcd(p.step, period)
    if step == p.step:
        return a
    n = example[a.position]
    base = n if n in p else p.start
    first = p.start + ((base - p.start) % step)
    if first > p.stop:
        return a
    notes.append(f"{a.symbol}: a ceil_mode pool makes torch.export guard on {a.symbol} mod {step} (it cannot "
                 f"decide that guard for every {a.symbol}): the Dim keeps the example's class, {a.symbol} ≡ "
                 f"{first % step} (mod {step}); export one program per class, or pad {a.symbol} up to the next "
                 f"size of the class, to take the others")
    return a._replace(chosen=Progression(first, first + (p.stop - first) // step * step, step))


def _ones(net: Symbolic, a: AxisSpec, example: tuple[int, ...]) -> int | None:
    """The largest emitted size at which some tensor that moves with the axis has size 1 there
    (None: none). torch.export assumes a dynamic size is never 0 or 1 (its "0/1 specialization",
    torch/fx/experimental/symbolic_shapes.py), intermediate sizes included: the U-Net's program
    guards ``H // 16 != 1`` (observed, torch 2.13) unless ``backed_size_oblivious`` is set
    (torch/fx/experimental/_config.py), with which it runs at H = 16 too."""
    p = a.chosen
    if p is None or p.start == p.stop:
        return None
    env = {s: example[position] for s, position in zip(net.symbols, net.positions)}
    moving = [f for t in net.tensors for f, s in zip(t.axes, net.symbols) if s == a.symbol and a.symbol in
              f.symbols()] + [sym_formula(a.symbol)]
    last = None
    for k in range(len(p)):
        n = p.start + k * p.step
        if all(f({**env, a.symbol: n}) >= 2 for f in moving):  # sizes only grow with n: none further on
            break
        last = n
    return last


def _inexact_notes(target: str, specs: tuple[AxisSpec, ...]) -> list[str]:
    notes = []
    for a in specs:
        if a.chosen is None:
            notes.append(f"{a.symbol}: no size in the range is valid")
        elif not a.exact:
            notes.append(f"{a.symbol}: the valid sizes ({len(a.valid)} progressions) are not one arithmetic "
                         f"progression, which {target} cannot express; emitted the largest inside them, "
                         f"{a.chosen.describe()}; to take any size, {a.padding()}")
    return notes


def emit(net: Symbolic, target: str, range: tuple[int, int] = (1, 4096), name: str = "x") -> Emitted:
    """The dynamic-shape spec for ``target`` (one of :data:`TARGETS`)."""
    if target not in TARGETS:
        raise ValueError(f"unknown target {target!r}")  # the CLI offers TARGETS only
    specs = axes(net, range)
    example = _example(net, specs)
    notes = _inexact_notes(target, specs)
    exact = all(a.exact and a.chosen is not None for a in specs)
    dynamic = [a for a in specs if a.chosen is not None and a.chosen.start != a.chosen.stop]

    def axes_data() -> list[dict[str, Any]]:
        return [{"symbol": a.symbol, "position": a.position, "valid": [p.to_dict() for p in a.valid[:64]],
                 "emitted": None if a.chosen is None else a.chosen.to_dict(),
                 "constraints": a.constraints.reduced()} for a in specs]

    if target == "torch-export":
        restricted = tuple(_ceil_class(net, a, example, notes) for a in specs)
        exact = exact and restricted == specs
        specs = restricted
        dynamic = [a for a in specs if a.chosen is not None and a.chosen.start != a.chosen.stop]
        ones = {a.symbol: n for a in dynamic if (n := _ones(net, a, example)) is not None}
        for symbol, n in ones.items():
            notes.append(f"{symbol}: at {symbol} <= {n} some tensor has size 1 on this axis, which torch.export "
                         f"specializes (it assumes dynamic sizes >= 2) unless backed_size_oblivious is set, as the "
                         f"snippet does; without it the program takes only {symbol} > {n}")
        lines = ["import torch", "from torch.export import Dim, export", ""]
        for a in dynamic:
            lo, hi = a.bounds()
            lines.append(f'{a.dim} = Dim("{a.dim}", min={lo}, max={hi})')
        entries = ", ".join(f"{a.position}: {a.expression()}" for a in dynamic)
        lines.append(f'dynamic_shapes = {{"{name}": {{{entries}}}}}')
        call = (f"export(model, (torch.randn({', '.join(map(str, example))}),), "
                f"dynamic_shapes=dynamic_shapes)")
        if ones:
            lines[1:1] = ["import torch.fx.experimental._config as fx_config"]
            lines += ["with fx_config.patch(backed_size_oblivious=True):  # sizes of 1 stay dynamic (see the notes)",
                      f"    ep = {call}"]
        else:
            lines.append(f"ep = {call}")
        for a in specs:
            if a.chosen is not None and a.chosen.start == a.chosen.stop:
                notes.append(f"{a.symbol}: only {a.chosen.start} is valid: a static size, not a Dim")
        data = {"argument": name, "example": list(example), "backed_size_oblivious": bool(ones),
                "dims": {a.dim: dict(zip(("min", "max"), a.bounds())) for a in dynamic},
                "dynamic_shapes": {name: {str(a.position): a.expression() for a in dynamic}}}
        return Emitted(target, "\n".join(lines), {**data, "axes": axes_data()}, exact, tuple(notes))
    if target == "jax":
        dims = [a.expression("jax") if a in dynamic else str(example[a.position]) for a in specs]
        by_position = {a.position: d for a, d in zip(specs, dims)}
        shape = ", ".join(by_position.get(i, str(d)) for i, d in enumerate(net.spec.input))
        cons = []
        for a in dynamic:
            lo, hi = a.bounds()
            cons += [f"{a.dim} >= {lo}", f"{a.dim} <= {hi}"]
        text = ("from jax import export\n"
                f"shape = export.symbolic_shape({shape!r}, constraints={cons!r})")
        return Emitted(target, text, {"shape": shape, "constraints": cons, "axes": axes_data()}, exact, tuple(notes))
    if target == "tensorrt":
        shapes = {}
        for key in ("min", "opt", "max"):
            picked = list(example)
            for a in specs:
                if a.chosen is not None and key != "opt":
                    picked[a.position] = a.chosen.start if key == "min" else a.chosen.stop
            shapes[key] = "x".join(map(str, picked))
        if any(a.chosen is not None and a.chosen.step > 1 for a in specs):
            notes.append("a TensorRT profile admits every size from min to max; only the sizes of the progression "
                         "above are valid: feed those (pad up to them)")
        text = (f"trtexec --minShapes={name}:{shapes['min']} --optShapes={name}:{shapes['opt']} "
                f"--maxShapes={name}:{shapes['max']}\n"
                f"onnxruntime TensorrtExecutionProvider: trt_profile_min_shapes={name}:{shapes['min']}, "
                f"trt_profile_opt_shapes={name}:{shapes['opt']}, trt_profile_max_shapes={name}:{shapes['max']}")
        return Emitted(target, text, {"input": name, **shapes, "axes": axes_data()}, exact, tuple(notes))
    # onnx: the input's dims named, the output's as expressions of them
    last = net.tensors[-1] if net.tensors else None
    in_dims = [str(d) for d in net.spec.input]
    for a in dynamic:
        in_dims[a.position] = a.symbol
    out_dims: list[str] = []
    if last is not None and last.axes:
        out_dims = [str(d) for d in net.shapes.get(last.name) or ()]
        for a, f in zip(specs, last.axes):
            if a in dynamic and a.position < len(out_dims):
                out_dims[a.position] = f.render("python")
            elif a.position < len(out_dims):
                out_dims[a.position] = str(f({s.symbol: example[s.position] for s in specs}))
    elif last is not None and last.flat is not None:
        out_dims = [str(d) for d in (net.shapes.get(last.name) or ())]
    text = f"input {name}: [{', '.join(in_dims)}]\noutput {last.name if last else '-'}: [{', '.join(out_dims)}]"
    return Emitted(target, text, {"input": in_dims, "output": out_dims, "axes": axes_data()}, exact, tuple(notes))
