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

#: the frameworks pooling ports are written between (proved by values: torch <-> onnxruntime in CI, tf / keras /
#: jax / caffe targets and tf / keras / jax sources by tests/data/generate_translate_values.py's records)
POOL_FRAMEWORKS = ("torch", "onnx", "onnxruntime", "tf", "keras", "jax", "caffe")

#: what a max window reading only padding gives: torch -inf (aten's max_pool starts from -inf); onnxruntime the
#: float type's lowest (pool_functors.h starts from std::numeric_limits<T>::lowest()); Caffe -FLT_MAX
#: (pooling_layer.cpp Forward_cpu fills top_data with -FLT_MAX and clips the window to the input); jax: the init
#: value of lax.reduce_window, -inf as flax.linen.max_pool passes it (the jax port passes whichever value the source
#: gives); TF (and Keras on it) over a -inf pad: the float's lowest from tf.nn.max_pool1d / 2d, -inf from
#: max_pool3d (observed on TF 2.21's CPU: tests/data/generate_translate_values.py pool, ``tf_empty_max_window``)
EMPTY_MAX = {"torch": "-inf", "jax": "-inf", "onnx": "lowest", "onnxruntime": "lowest", "tf": "lowest",
             "keras": "lowest", "caffe": "lowest"}


def empty_max(framework: str, ndim: int) -> str:
    if framework in ("tf", "keras") and ndim == 3:
        return "-inf"
    return EMPTY_MAX[framework]


#: the targets whose padding keyword is tried (the windows, and for average pooling the divisors, as the source's
#: at every probed input size): tf.nn.max_pool / avg_pool, Keras MaxPoolingND / AveragePoolingND, lax.reduce_window
KEYWORD_TARGETS = {"tf": ("valid", "same"), "keras": ("valid", "same"), "jax": ("valid", "same", "same-lower")}


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


def axis_pads(a: Any) -> tuple[int, int]:
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
    #: tf / keras / jax: the target's padding keyword, where it gives the source's windows (and divisors) at the
    #: sizes the static port holds for and more; the port then writes no pad step
    keyword: str | None = None
    #: caffe: the symmetric pad per axis and the round mode (True: CEIL) whose windows are the source's
    caffe: tuple[tuple[int, ...], bool] | None = None
    #: max pooling: what the source gives for a window reading only padding ("-inf" or "lowest")
    empty: str = "-inf"


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

    if target in ("tf", "keras", "jax", "caffe"):
        return _plan_new_target(kind, g, axes, framework, target, source_at, bool(res.count_include_pad))
    if kind == "max":
        empty = [(axis, w.index) for axis, a in enumerate(axes) for w in a.windows if not w.input_taps]
        inexact = None
        if empty and empty_max(framework, ndim) != empty_max(target, ndim):
            axis, index = empty[0]
            inexact = _empty_reason(framework, target, ndim, axis, index)
        pads = [axis_pads(a) for a in axes]
        before = tuple(p[0] for p in pads)
        after = tuple(p[1] for p in pads)

        def holds(axis: int, size: int) -> bool:
            a = source_at(axis, size)
            return a is not None and a.output >= 1 and axis_pads(a) == (before[axis], after[axis])

        return PoolPlan(g, port_exactness(g, holds), before, after, None, inexact, empty=empty_max(framework, ndim))
    windows = tuple(a.windows for a in axes)
    plan = avg_port(g, windows, runners, bool(res.count_include_pad))
    if plan is None and target == "torch" and all(_divisors_follow_rule(a, bool(res.count_include_pad))
                                                   for a in axes):
        pads = [axis_pads(a) for a in axes]
        plan = AvgPort(tuple(AvgAxis(p, (0, 0)) for p in pads), True, False,
                       tuple((a.pad_before, a.pad_after, bool(res.count_include_pad)) for a in axes))

        def corrected_holds(axis: int, size: int) -> bool:
            a = source_at(axis, size)
            return (a is not None and a.output >= 1 and axis_pads(a) == pads[axis]
                    and _divisors_follow_rule(a, bool(res.count_include_pad)))

        return PoolPlan(g, port_exactness(g, corrected_holds), tuple(p[0] for p in pads), tuple(p[1] for p in pads),
                        plan, None)
    if plan is None:
        reason = (f"no {target} AveragePool / AvgPool (with a zero pad before it, count_include_pad and ceil_mode "
                  f"either way) sums the same cells and divides by the same counts as {framework}'s windows")
        zero = (0,) * ndim
        return PoolPlan(g, port_exactness(g, lambda axis, size: False), zero, zero, None, reason)

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
    return PoolPlan(g, port_exactness(g, avg_holds), before, after, plan, None)


def port_exactness(g: Geometry, holds: Any) -> Exactness:
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


# ---------------------------------------------------------------------- tf, keras, jax, caffe targets
#: observed with TF 2.21 (tests/data/generate_translate_values.py pool): as its conv3d
#: (:data:`convshape.api.translate.ports.TF_CPU_CONV3D_SAME`), the CPU kernels of tf.nn.max_pool3d / avg_pool3d
#: (and Keras's MaxPooling3D / AveragePooling3D on the TF backend) with padding "SAME" start their windows
#: ``trunc(total/2)`` cells late where SAME's total padding ``(ceil(i/s)-1)*s + k - i`` is -2 or less (i=6, k=1,
#: s=3 reads cells 1 and 4, not 0 and 3); 1-D and 2-D pooling are not affected
TF_CPU_POOL3D_SAME = ("TF 2.21's CPU tf.nn.max_pool3d / avg_pool3d with padding 'SAME' shift their windows by "
                      "trunc(total/2) where SAME's total padding is -2 or less (a stride beyond the kernel + 1)")


def pool3d_same_unsafe(g: Geometry) -> bool:
    """Whether TF's CPU 3-D pooling with "SAME" can differ from SAME's rule at some input size."""
    return g.ndim == 3 and any(k < s - 1 for k, s in zip(g.kernel, g.stride))


def source_notes(g: Geometry) -> list[str]:
    """A tf / keras 3-D SAME pooling source where TF's CPU kernel does not follow SAME's rule at this size."""
    if g.framework not in ("tf", "keras") or g.ndim != 3 or g.padding != "same":
        return []
    totals = [(-(-i // s) - 1) * s + k - i for i, s, k in zip(g.input, g.stride, g.kernel)]
    if min(totals) > -2:
        return []
    return [f"SAME's total padding here is {tuple(totals)}: the port follows SAME's rule (no padding); "
            + TF_CPU_POOL3D_SAME + ", so the source, run on a CPU, gives other values"]


def _empty_reason(framework: str, target: str, ndim: int, axis: int, index: int) -> str:
    words = {"-inf": "-inf", "lowest": "the float type's lowest value"}
    return (f"window {index} on axis {axis} reads only padding: {framework} gives "
            f"{words[empty_max(framework, ndim)]} there, {target} {words[empty_max(target, ndim)]} (a -inf pad cannot "
            f"change where its max starts); every other value matches")


def _cells(w: Any, kernel: int, dilation: int, size: int) -> tuple[int, ...]:
    return tuple(p for p in range(w.start, w.start + dilation * kernel, dilation) if 0 <= p < size)


def _max_signature(a: Any, size: int) -> tuple[Any, ...]:
    """What a max window computes: the input cells it reads (none: the padding's value), and the window count."""
    return (a.output, *((w.index, _cells(w, a.kernel, a.dilation, size)) for w in a.windows))


def _axis_pool(framework: str, kind: str, size: int, kernel: int, stride: int, dilation: int, padding: Any,
               ceil: bool, cip: bool | None) -> Any:
    """One axis pooled by ``framework`` (Caffe's Pooling is 2-D: a second axis of size 1); None where it refuses."""
    from convshape.api.pooling import pool

    two = framework == "caffe"
    pad = padding if isinstance(padding, str) else f"{padding[0]}:{padding[1]}"
    try:
        res = pool(kind, (size, 1) if two else (size,), (kernel, 1) if two else (kernel,),
                   (stride, 1) if two else (stride,), f"{pad},0" if two else pad, dilation, ceil, framework=framework,
                   ndim=2 if two else 1, count_include_pad=cip if kind == "avg" else None)
    except ShapeError:
        return None
    a = res.axes[0]
    return a if a.output >= 1 else None


def _same_windows(kind: str, source: Any, port: Any, size: int) -> bool:
    if source is None or port is None or source.output < 1:
        return False
    if kind == "max":
        return _max_signature(source, size) == _max_signature(port, size)
    return (_signature(source.windows, 0, source.kernel, size, source.output)
            == _signature(port.windows, 0, port.kernel, size, port.output))


def _covers(x: Exactness, y: Exactness) -> bool:
    """Whether ``x`` holds at every residue ``y`` holds at (axis by axis)."""
    return all(set(a) >= set(b) for a, b in zip(x.residues, y.residues))


def _plan_new_target(kind: str, g: Geometry, axes: Any, framework: str, target: str, source_at: Any,
                     cip: bool) -> PoolPlan:
    """tf, keras, jax and caffe targets. Max: -inf padding (tf.pad / keras.ops.pad / reduce_window's pads), or
    the target's keyword; Caffe: a symmetric pad and round mode giving the same windows. Average: the keyword
    where it divides as the source, else zero padding, the target's VALID average (the whole kernel: every window
    inside the padded input) and a correction multiplying by kernel / the source's divisor per axis (jax: the sum
    divided by the source's divisors), computed from the input size in the code; Caffe: pad and round mode."""
    n = g.ndim
    pads = [axis_pads(a) for a in axes]
    before, after = tuple(p[0] for p in pads), tuple(p[1] for p in pads)
    inexact: str | None = None
    empty = empty_max(framework, n)
    if kind == "max":
        holes = [(axis, w.index) for axis, a in enumerate(axes) for w in a.windows if not w.input_taps]
        if holes and target != "jax" and empty_max(target, n) != empty:
            inexact = _empty_reason(framework, target, n, *holes[0])

        def static(axis: int, size: int) -> bool:
            a = source_at(axis, size)
            return a is not None and a.output >= 1 and axis_pads(a) == pads[axis]
    else:
        follow = all(_divisors_follow_rule(a, cip) for a in axes)

        def static(axis: int, size: int) -> bool:
            a = source_at(axis, size)
            return (a is not None and a.output >= 1 and axis_pads(a) == pads[axis]
                    and _divisors_follow_rule(a, cip))
    if target == "caffe":
        return _plan_caffe(kind, g, axes, framework, source_at, cip, before, after, empty, inexact)
    dilated = any(d != 1 for d in g.dilation)
    if target == "keras" and dilated:
        inexact = "Keras MaxPooling and keras.ops.max_pool take no dilation"
    exactness = port_exactness(g, static)
    keyword = None
    # tf: a dilated max pool is tf.nn.pool over the -inf padded input (its explicit path), no keyword
    for word in KEYWORD_TARGETS[target] if (kind == "max" or target != "jax") and not (
            target == "tf" and dilated) else ():
        if word == "same" and target in ("tf", "keras") and pool3d_same_unsafe(g):
            continue  # TF's CPU 3-D pooling with SAME shifts its windows there (TF_CPU_POOL3D_SAME)
        target_cip = False if kind == "avg" else None

        def holds(axis: int, size: int, word: str = word, target_cip: bool | None = target_cip) -> bool:
            a = axes[axis] if size == g.input[axis] else source_at(axis, size)
            return _same_windows(kind, a, _axis_pool(target, kind, size, g.kernel[axis], g.stride[axis],
                                                     g.dilation[axis], word, False, target_cip), size)

        if all(holds(axis, g.input[axis]) for axis in range(n)):
            x = port_exactness(g, holds)
            if kind == "avg" and not follow or _covers(x, exactness):
                keyword, exactness = word, x
                break
    avg = None
    if kind == "avg" and keyword is None:
        if not follow:
            reason = (f"no {target} average pooling divides by the same counts as {framework}'s windows (and "
                      f"the divisors follow no rule the port can compute)")
            zero = (0,) * n
            return PoolPlan(g, port_exactness(g, lambda axis, size: False), zero, zero, None, reason, empty=empty)
        whole = all(w.divisor == a.kernel for a in axes for w in a.windows)
        avg = AvgPort(tuple(AvgAxis(p, (0, 0)) for p in pads), True, False,
                      None if whole else tuple((a.pad_before, a.pad_after, cip) for a in axes))
    return PoolPlan(g, exactness, before, after, avg, inexact, keyword, None, empty)


def _plan_caffe(kind: str, g: Geometry, axes: Any, framework: str, source_at: Any, cip: bool,
                before: tuple[int, ...], after: tuple[int, ...], empty: str, inexact: str | None) -> PoolPlan:
    """Caffe's Pooling: 2-D, no dilation, pad both sides alike (< kernel), round_mode CEIL or FLOOR, AVE divides
    by the window clipped to the padded input, MAX reads the window clipped to the input
    (caffe/src/caffe/layers/pooling_layer.cpp); no padding layer to put before it. The first pad per axis (the
    source's before side first) and round mode whose windows (and divisors) are the source's."""
    n = g.ndim
    closest = (tuple(max(0, min(b, k - 1)) for b, k in zip(g.pad_before, g.kernel)), g.ceil_mode)
    problem = None
    if n != 2:
        problem = f"Caffe's Pooling is 2-D only (pooling_layer.cpp Reshape: CHECK_EQ(4, num_axes)), not {n}-D"
    elif any(d != 1 for d in g.dilation):
        problem = "Caffe's Pooling takes no dilation"
    cip_caffe = True if kind == "avg" else None
    chosen = None
    if problem is None:
        for ceil in (g.ceil_mode, not g.ceil_mode):
            found = []
            for axis in range(n):
                k = g.kernel[axis]
                order = sorted(range(k), key=lambda p: (p != g.pad_before[axis], p != g.pad_after[axis], p))
                for p in order:
                    port = _axis_pool("caffe", kind, g.input[axis], k, g.stride[axis], 1, (p, p), ceil, cip_caffe)
                    if _same_windows(kind, axes[axis], port, g.input[axis]):
                        found.append(p)
                        break
            if len(found) == n:
                chosen = (tuple(found), ceil)
                break
    if chosen is None:
        reason = problem or (f"no Caffe Pooling (a pad on both sides, round_mode CEIL or FLOOR) reads the same "
                             f"cells{'' if kind == 'max' else ' and divides by the same counts'} as {framework}'s "
                             f"windows, and Caffe has no padding layer")
        return PoolPlan(g, port_exactness(g, lambda axis, size: False), before, after, None, reason, None, closest,
                        empty)
    pads, ceil = chosen

    def holds(axis: int, size: int) -> bool:
        a = axes[axis] if size == g.input[axis] else source_at(axis, size)
        return _same_windows(kind, a, _axis_pool("caffe", kind, size, g.kernel[axis], g.stride[axis], 1,
                                                 (pads[axis], pads[axis]), ceil, cip_caffe), size)

    return PoolPlan(g, port_exactness(g, holds), before, after, None, inexact, None, chosen, empty)
