"""translate for max pooling: the source framework's pooling rules give the windows (start ``j*s - pad_before``,
``output`` of them, ceil_mode included: a window starting in the end padding dropped where the framework drops
it); the port pads with -inf (max pooling's neutral value: a window running past the padded input, which
ceil_mode allows, reads nothing more) so that the target's floor-mode windows are exactly those.

Per axis the port's end padding is the source's own where the target's floor mode gives the same windows with
it (then the port holds at every input size: floor mode with the same pads), else exactly what the last window
reaches, ``(output-1)*s + d*(k-1) + 1 - i - pad_before`` (negative: cells no window reads, cropped).
"""

from __future__ import annotations

from typing import Any

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
            dilation: IntArg, ceil_mode: bool | None, ndim: int) -> Any:
    from convshape.api.pooling import pool

    return pool(kind, input, kernel, stride, padding, dilation, ceil_mode, framework=framework, ndim=ndim)


def _axis_pads(res: Any, axis: int) -> tuple[int, int] | None:
    a = res.axes[axis]
    if a.output < 1:
        return None
    return port_pads(a.input, a.kernel, a.stride, a.dilation, a.pad_before, a.pad_after, a.output)


def resolve(op: str, kind: str, ndim: int, framework: str, target: str, input: IntArg, kernel: IntArg,
            stride: IntArg, padding: PadArg, dilation: IntArg, ceil_mode: bool | None,
            channels: int) -> tuple[Geometry, Exactness, tuple[int, ...], tuple[int, ...], str | None]:
    """The source geometry, for which sizes the static port holds, the port's pads (before, after), and why
    the port is inexact (None: it is exact)."""
    for name, role in ((framework, "from"), (target, "to")):
        if name not in POOL_FRAMEWORKS:
            raise ShapeError(f"translate writes pooling ports between {', '.join(POOL_FRAMEWORKS)} so far, not "
                             f"{role} {name}", rule=Rule.OPTION_NOT_APPLICABLE, values={"framework": name})
    if kind != "max":
        raise ShapeError(f"translate writes max pooling ports so far, not {op}", rule=Rule.OPTION_NOT_APPLICABLE,
                         values={"op": op})
    res = _source(kind, framework, input, kernel, stride, padding, dilation, ceil_mode, ndim)
    axes = res.axes
    if any(a.output < 1 for a in axes):
        raise ShapeError(f"{framework} gives an empty output ({'x'.join(str(a.output) for a in axes)}); there is "
                         f"nothing to port", framework=framework, rule=Rule.OUTPUT_TOO_SMALL,
                         values={"output": [a.output for a in axes]})
    for a in axes:  # the windows the port reproduces: start j*s - pad_before, as many as the output
        assert all(w.start == w.index * a.stride - a.pad_before for w in a.windows)
    empty = [(axis, w.index) for axis, a in enumerate(axes) for w in a.windows if not w.input_taps]
    if empty and (framework == "torch") != (target == "torch"):
        axis, index = empty[0]
        inexact = (f"window {index} on axis {axis} reads only padding: torch gives -inf there, onnxruntime "
                       f"the float type's lowest value (its MaxPool starts from lowest(); a -inf pad cannot change "
                       f"that); every other value matches")
    else:
        inexact = None
    pads = [_axis_pads(res, axis) for axis in range(ndim)]
    before = tuple(p[0] for p in pads if p is not None)
    after = tuple(p[1] for p in pads if p is not None)
    g = Geometry(res.op, res.framework, False, res.padding, tuple(a.input for a in axes),
                 tuple(a.kernel for a in axes), tuple(a.stride for a in axes), tuple(a.dilation for a in axes),
                 tuple(a.pad_before for a in axes), tuple(a.pad_after for a in axes), (0,) * ndim,
                 tuple(a.output for a in axes), channels, channels, 1, res.ceil_mode, kind)
    return g, _exactness(g, kind, framework, padding, ceil_mode, before, after), before, after, inexact


def _exactness(g: Geometry, kind: str, framework: str, padding: PadArg, ceil_mode: bool | None,
               before: tuple[int, ...], after: tuple[int, ...]) -> Exactness:
    """The static port holds at the sizes where the source's windows need the same port pads: one size of
    every residue modulo the stride is checked (and the next size of that residue)."""
    n = g.ndim
    moduli, residues = [], []
    for axis in range(n):
        s = g.stride[axis]
        ok = []
        for r in range(s if s <= 64 else 0):
            here = g.input[axis] + (r - g.input[axis]) % s
            same = True
            for size in (here, here + s):
                sizes = list(g.input)
                sizes[axis] = size
                try:
                    res = _source(kind, framework, tuple(sizes), g.kernel, g.stride, padding, g.dilation, ceil_mode,
                                  n)
                    pads = _axis_pads(res, axis)
                except ShapeError:
                    pads = None
                same = same and pads == (before[axis], after[axis])
            if same:
                ok.append(r)
        moduli.append(s)
        residues.append(tuple(ok) if s <= 64 else (g.input[axis] % s,))
    every = all(len(r) == m for r, m in zip(residues, moduli))
    if every:
        text = "every input size (the padding does not depend on it)"
    else:
        parts = [f"axis {a}: input % {m} in {{{', '.join(map(str, rs))}}}"
                 for a, (m, rs) in enumerate(zip(moduli, residues)) if len(rs) < m]
        text = "inputs with " + "; ".join(parts) + " (the end padding the windows need depends on the input size)"
    return Exactness(every, tuple(moduli), tuple(residues), None, text)
