"""translate for max pooling: the source framework's pooling rules give the windows (start ``j*s - pad_before``,
``output`` of them, ceil_mode included: a window starting in the end padding dropped where the framework drops
it); the port pads with -inf (max pooling's neutral value: a window running past the padded input, which
ceil_mode allows, reads nothing more) so that the target's floor-mode windows are exactly those.

Per axis the port's end padding is the source's own where the target's floor mode gives the same windows with
it (then the port holds at every input size: floor mode with the same pads), else exactly what the last window
reaches, ``(output-1)*s + d*(k-1) + 1 - i - pad_before`` (negative: cells no window reads, cropped).
"""

from __future__ import annotations

from typing import Any, NamedTuple

from convshape.api.translate import Exactness, Geometry
from convshape.errors import Rule, ShapeError
from convshape.params import IntArg, PadArg
from convshape.rules import effective_kernel

#: the frameworks pooling ports are written between so far (proved by values: torch <-> onnxruntime in CI)
POOL_FRAMEWORKS = ("torch", "onnx", "onnxruntime")


def port_pads(input: int, kernel: int, stride: int, dilation: int, pad_before: int, pad_after: int,
              output: int) -> tuple[int, int]:
    """(before, after) padding whose floor-mode windows are the source's ``output`` windows."""
    eff = effective_kernel(kernel, dilation)
    if (input + pad_before + pad_after - eff) // stride + 1 == output and pad_after >= 0:
        return pad_before, pad_after
    return pad_before, (output - 1) * stride + eff - input - pad_before


def _source(kind: str, framework: str, input: IntArg, kernel: IntArg, stride: IntArg, padding: PadArg,
            dilation: IntArg, ceil_mode: bool | None, ndim: int, count_include_pad: bool | None) -> Any:
    from convshape.api.pooling import pool

    return pool(kind, input, kernel, stride, padding, dilation, ceil_mode, framework=framework, ndim=ndim,
                count_include_pad=count_include_pad)


def _axis_pads(a: Any) -> tuple[int, int]:
    return port_pads(a.input, a.kernel, a.stride, a.dilation, a.pad_before, a.pad_after, a.output)


class PoolPlan(NamedTuple):
    """What the target port writes: for max pooling the -inf pads (before, after) per axis, for average pooling
    the :class:`AvgPort` (None: no exact one); ``inexact`` says why the port is not exact (None: it is)."""

    geometry: Geometry
    exactness: Exactness
    before: tuple[int, ...]
    after: tuple[int, ...]
    avg: AvgPort | None
    inexact: str | None


def resolve(op: str, kind: str, ndim: int, framework: str, target: str, input: IntArg, kernel: IntArg,
            stride: IntArg, padding: PadArg, dilation: IntArg, ceil_mode: bool | None, count_include_pad: bool | None,
            channels: int) -> PoolPlan:
    """The source geometry, the port's plan, and for which sizes the static port holds."""
    for name, role in ((framework, "from"), (target, "to")):
        if name not in POOL_FRAMEWORKS:
            raise ShapeError(f"translate writes pooling ports between {', '.join(POOL_FRAMEWORKS)} so far, not "
                             f"{role} {name}", rule=Rule.OPTION_NOT_APPLICABLE, values={"framework": name})
    if kind == "max" and count_include_pad is not None:
        raise ShapeError(f"count_include_pad is for average pooling, not {op}", rule=Rule.OPTION_NOT_APPLICABLE,
                         values={"count_include_pad": count_include_pad})
    res = _source(kind, framework, input, kernel, stride, padding, dilation, ceil_mode, ndim, count_include_pad)
    axes = res.axes
    if any(a.output < 1 for a in axes):
        raise ShapeError(f"{framework} gives an empty output ({'x'.join(str(a.output) for a in axes)}); there is "
                         f"nothing to port", framework=framework, rule=Rule.OUTPUT_TOO_SMALL,
                         values={"output": [a.output for a in axes]})
    if kind == "avg" and any(a.dilation != 1 for a in axes):
        raise ShapeError("translate writes average pooling ports with dilation 1 (torch's AvgPoolNd has none)",
                         rule=Rule.OPTION_NOT_APPLICABLE, values={"dilation": [a.dilation for a in axes]})
    for a in axes:  # the windows the port reproduces: start j*s - pad_before, as many as the output
        assert all(w.start == w.index * a.stride - a.pad_before for w in a.windows)
    g = Geometry(res.op, res.framework, False, res.padding, tuple(a.input for a in axes),
                 tuple(a.kernel for a in axes), tuple(a.stride for a in axes), tuple(a.dilation for a in axes),
                 tuple(a.pad_before for a in axes), tuple(a.pad_after for a in axes), (0,) * ndim,
                 tuple(a.output for a in axes), channels, channels, 1, res.ceil_mode, kind,
                 res.count_include_pad)
    runners = tuple(dict.fromkeys((target, "onnxruntime"))) if target != "torch" else (target,)

    def source_at(axis: int, size: int) -> Any:
        sizes = list(g.input)
        sizes[axis] = size
        try:
            return _source(kind, framework, tuple(sizes), g.kernel, g.stride, padding, g.dilation, ceil_mode, ndim,
                           count_include_pad).axes[axis]
        except ShapeError:
            return None

    if kind == "max":
        empty = [(axis, w.index) for axis, a in enumerate(axes) for w in a.windows if not w.input_taps]
        inexact = None
        if empty and (framework == "torch") != (target == "torch"):
            axis, index = empty[0]
            inexact = (f"window {index} on axis {axis} reads only padding: torch gives -inf there, onnxruntime "
                       f"the float type's lowest value (its MaxPool starts from lowest(); a -inf pad cannot change "
                       f"that); every other value matches")
        pads = [_axis_pads(a) for a in axes]
        before = tuple(p[0] for p in pads)
        after = tuple(p[1] for p in pads)

        def holds(axis: int, size: int) -> bool:
            a = source_at(axis, size)
            return a is not None and a.output >= 1 and _axis_pads(a) == (before[axis], after[axis])

        return PoolPlan(g, _exactness(g, holds), before, after, None, inexact)
    windows = tuple(a.windows for a in axes)
    plan = avg_port(g, windows, runners, bool(res.count_include_pad))
    if plan is None and target == "torch" and all(_divisors_follow_rule(a, bool(res.count_include_pad))
                                                   for a in axes):
        pads = [_axis_pads(a) for a in axes]
        plan = AvgPort(tuple(AvgAxis(p, (0, 0)) for p in pads), True, False,
                       tuple((a.pad_before, a.pad_after, bool(res.count_include_pad)) for a in axes))

        def corrected_holds(axis: int, size: int) -> bool:
            a = source_at(axis, size)
            return (a is not None and a.output >= 1 and _axis_pads(a) == pads[axis]
                    and _divisors_follow_rule(a, bool(res.count_include_pad)))

        return PoolPlan(g, _exactness(g, corrected_holds), tuple(p[0] for p in pads), tuple(p[1] for p in pads),
                        plan, None)
    if plan is None:
        reason = (f"no {target} AveragePool / AvgPool (with a zero pad before it, count_include_pad and ceil_mode "
                  f"either way) sums the same cells and divides by the same counts as {framework}'s windows")
        zero = (0,) * ndim
        return PoolPlan(g, _exactness(g, lambda axis, size: False), zero, zero, None, reason)

    def avg_holds(axis: int, size: int) -> bool:
        a = source_at(axis, size)
        if a is None or a.output < 1:
            return False
        c = plan.axes[axis]
        k, s = g.kernel[axis], g.stride[axis]
        want = _signature(a.windows, 0, k, size, a.output)
        return all(_axis_signature(t, size + sum(c.explicit), k, s, c.layer, plan.ceil_mode, plan.count_include_pad,
                                   c.explicit[0], size) == want for t in runners)

    before = tuple(c.explicit[0] for c in plan.axes)
    after = tuple(c.explicit[1] for c in plan.axes)
    return PoolPlan(g, _exactness(g, avg_holds), before, after, plan, None)


def _exactness(g: Geometry, holds: Any) -> Exactness:
    """The static port holds at the sizes where ``holds(axis, size)``: one size of every residue modulo the
    stride is checked (and the next size of that residue)."""
    n = g.ndim
    moduli, residues = [], []
    for axis in range(n):
        s = g.stride[axis]
        ok = []
        for r in range(s if s <= 64 else 0):
            here = g.input[axis] + (r - g.input[axis]) % s
            if holds(axis, here) and holds(axis, here + s):
                ok.append(r)
        moduli.append(s)
        residues.append(tuple(ok) if s <= 64 else (g.input[axis] % s,))
    every = all(len(r) == m for r, m in zip(residues, moduli))
    if every:
        text = "every input size (the padding does not depend on it)"
    elif not all(residues):
        text = "no input size (there is no exact port)"
    else:
        parts = [f"axis {a}: input % {m} in {{{', '.join(map(str, rs))}}}"
                 for a, (m, rs) in enumerate(zip(moduli, residues)) if len(rs) < m]
        text = "inputs with " + "; ".join(parts) + " (the padding the windows need depends on the input size)"
    return Exactness(every, tuple(moduli), tuple(residues), None, text)


# ---------------------------------------------------------------------- average pooling
class AvgAxis(NamedTuple):
    """One axis of an average pooling port: zero padding as a step before the layer (``explicit``) and the
    layer's own padding (``layer``), each (before, after)."""

    explicit: tuple[int, int]
    layer: tuple[int, int]


class AvgPort(NamedTuple):
    """An average pooling port: per axis its pads, and the layer's count_include_pad and ceil_mode."""

    axes: tuple[AvgAxis, ...]
    count_include_pad: bool
    ceil_mode: bool
    #: torch only, where no AvgPool divides as the source: the layer divides by the whole kernel (every window
    #: inside the zero-padded input) and the code multiplies by ``k / divisor`` per axis, the source's divisors
    #: computed from the input size: (pad_before, pad_after, count_include_pad) of the source per axis
    correction: tuple[tuple[int, int, bool], ...] | None = None


def correction_divisors(size: int, kernel: int, stride: int, pad_before: int, pad_after: int, cip: bool,
                        output: int) -> list[int]:
    """The divisor of every window: the window clipped to the padded input (count_include_pad) or to the input;
    the formula the torch correction code computes from the input size."""
    lo, hi = (-pad_before, size + pad_after) if cip else (0, size)
    return [min(j * stride - pad_before + kernel, hi) - max(j * stride - pad_before, lo) for j in range(output)]


def _divisors_follow_rule(a: Any, cip: bool) -> bool:
    """Whether the source's listed windows divide as :func:`correction_divisors` says (none by 0)."""
    ds = correction_divisors(a.input, a.kernel, a.stride, a.pad_before, a.pad_after, cip, a.output)
    return all(w.divisor == ds[w.index] and w.divisor > 0 for w in a.windows)


def _overlap(start: int, kernel: int, size: int) -> int:
    return max(0, min(start + kernel, size) - max(start, 0))


def _signature(windows: Any, shift: int, kernel: int, size: int, output: int) -> tuple[Any, ...]:
    """What an average window computes, in the source's coordinates: which input cells it sums (from start,
    the overlap with the input) and what it divides by; and how many windows there are."""
    return (output, *((w.index, w.start - shift, _overlap(w.start - shift, kernel, size), w.divisor)
                      for w in windows))


def _axis_signature(framework: str, size: int, kernel: int, stride: int, pads: tuple[int, int], ceil: bool,
                    cip: bool, shift: int, source_size: int) -> tuple[Any, ...] | None:
    from convshape.api.pooling import WINDOW_LIMIT, pool

    try:
        res = pool("avg", (size,), (kernel,), (stride,), f"{pads[0]}:{pads[1]}", 1, ceil, framework=framework,
                   ndim=1, count_include_pad=cip)
    except ShapeError:
        return None
    a = res.axes[0]
    if a.output < 1 or (a.output > WINDOW_LIMIT and max(*pads, shift) >= 8 * stride):
        return None  # (only the edge windows are listed: too few to cover every padded one)
    return _signature(a.windows, shift, kernel, source_size, a.output)


def _candidates(pb: int, pa: int, fit: int) -> list[AvgAxis]:
    values = sorted({0, pb, pa, fit} - {-1} if fit >= 0 else {0, pb, pa})
    pairs = [(b, a) for b in values for a in values]
    return ([AvgAxis((0, 0), p) for p in pairs] + [AvgAxis(p, (0, 0)) for p in pairs if p != (0, 0)])


def avg_port(g: Geometry, source_windows: tuple[Any, ...], targets: tuple[str, ...],
             source_cip: bool) -> AvgPort | None:
    """The first port (no zero pad step preferred, then the source's own count_include_pad and ceil_mode) whose
    windows sum the same input cells and divide by the same numbers as the source's on every axis, in every
    framework of ``targets`` (the frameworks that must run it)."""
    flags = sorted({(c, m) for c in (True, False) for m in (False, True)},
                   key=lambda f: (f[0] != source_cip, f[1] != g.ceil_mode))
    from itertools import islice, product

    for cip, ceil in flags:
        matching = []
        for axis in range(g.ndim):
            i, k, s = g.input[axis], g.kernel[axis], g.stride[axis]
            pb, pa = g.pad_before[axis], g.pad_after[axis]
            want = _signature(source_windows[axis], 0, k, i, g.output[axis])
            fit = port_pads(i, k, s, 1, pb, pa, g.output[axis])[1]
            matching.append([c for c in _candidates(pb, pa, fit)
                             if all(_axis_signature(t, i + c.explicit[0] + c.explicit[1], k, s, c.layer, ceil, cip,
                                                    c.explicit[0], i) == want for t in targets)])
        # the layer as a whole: a framework may check more than one axis shows (torch's avg_pool3d: "input
        # image smaller than kernel size", the padding left out)
        for chosen in islice(product(*matching), 64):
            if all(_runs(t, g, chosen, ceil, cip) for t in targets):
                return AvgPort(tuple(chosen), cip, ceil)
    return None


def _runs(framework: str, g: Geometry, axes: tuple[AvgAxis, ...], ceil: bool, cip: bool) -> bool:
    from convshape.api.pooling import pool

    sizes = tuple(i + c.explicit[0] + c.explicit[1] for i, c in zip(g.input, axes))
    padding = ",".join(f"{c.layer[0]}:{c.layer[1]}" for c in axes)
    try:
        pool("avg", sizes, g.kernel, g.stride, padding, 1, ceil, framework=framework, ndim=g.ndim,
             count_include_pad=cip)
    except ShapeError:
        return False
    return True
