"""translate for LP pooling between torch and ONNX (onnx / onnxruntime): the only frameworks with the layer (TF,
Keras and Caffe have none; JAX writes it as a reduce_window, not a layer to port from), and from them to jax:
``lax.reduce_window`` (jax/_src/lax/windowed_reductions.py) summing ``|x| ** p`` over the same windows (zero
padding adds nothing), torch's ceil_mode scale ``kernel / cells`` per axis on the sum, then ``** (1/p)``.

torch (torch/nn/functional.py ``lp_pool1d/2d/3d``): ``(avg_pool(x ** p, padding=0, ceil_mode) * kernel) ** (1/p)``
(sign-clamped): with ceil_mode a last window cut off by the input's end is scaled up by kernel / the cells it reads.
ONNX LpPool (onnx/defs/nn/defs.cc; onnxruntime pool_functors.h ``LpPool``): ``(sum |x| ** p) ** (1/p)`` over the
window, zero padding adding nothing. So the two agree where ``x ** p == |x| ** p`` (an even integer p) and the
window's scale is undone: torch -> ONNX: LpPool over the floor-mode windows (zero end padding for ceil_mode's last
window) times ``(kernel / cells read) ** (1/p)`` per axis (a ``Mul`` by a constant, the sizes are static in a
graph); ONNX -> torch: a zero ``F.pad`` (the pads, and the end padding the windows need) then ``nn.LPPoolNd`` in
floor mode (every window inside the padded input: no scaling).
"""

from __future__ import annotations

from typing import Any, NamedTuple

from convshape.api.translate import Exactness, Geometry, Ported, Step
from convshape.api.translate.ports import letters, value
from convshape.errors import Rule, ShapeError
from convshape.params import IntArg, PadArg

FRAMEWORKS = ("torch", "onnx", "onnxruntime")


class LpPlan(NamedTuple):
    geometry: Geometry
    norm_type: float
    before: tuple[int, ...]
    after: tuple[int, ...]
    #: torch sources with ceil_mode: per axis the cells each window reads (the scale is kernel / cells)
    cells: tuple[tuple[int, ...], ...] | None
    exactness: Exactness
    inexact: str | None


def resolve(op: str, ndim: int, framework: str, target: str, input: IntArg, kernel: IntArg, stride: IntArg,
            padding: PadArg, ceil_mode: bool | None, channels: int, norm_type: float) -> LpPlan:
    from convshape.api.pooling import pool
    from convshape.api.translate.pooling import axis_pads, port_exactness

    for name, role in ((framework, "from"), (target, "to")):
        if name not in FRAMEWORKS and not (role == "to" and name == "jax"):
            raise ShapeError(f"translate writes LP pooling ports between torch, onnx and onnxruntime (TF, Keras and "
                             f"Caffe have no LP pooling), and to jax, not {role} {name}", rule=Rule.NOT_IN_FRAMEWORK,
                             values={"framework": name})

    def source(sizes: Any) -> Any:
        return pool("lp", sizes, kernel, stride, padding, 1, ceil_mode, framework=framework, ndim=ndim,
                    norm_type=norm_type)

    res = source(input)
    axes = res.axes
    if any(a.output < 1 for a in axes):
        raise ShapeError(f"{framework} gives an empty output; there is nothing to port", framework=framework,
                         rule=Rule.OUTPUT_TOO_SMALL, values={"output": [a.output for a in axes]})
    g = Geometry(res.op, res.framework, False, res.padding, tuple(a.input for a in axes),
                 tuple(a.kernel for a in axes), tuple(a.stride for a in axes), (1,) * ndim,
                 tuple(a.pad_before for a in axes), tuple(a.pad_after for a in axes), (0,) * ndim,
                 tuple(a.output for a in axes), channels, channels, 1, res.ceil_mode, "lp")
    pads = [axis_pads(a) for a in axes]
    scaled = framework == "torch" and any(w.input_taps != a.kernel for a in axes for w in a.windows)
    cells = tuple(tuple(w.input_taps for w in a.windows) for a in axes) if scaled else None
    if scaled and any(len(a.windows) != a.output for a in axes):
        raise ShapeError("translate lists every window of a torch LP pool with ceil_mode: at most 64 per axis",
                         rule=Rule.OPTION_NOT_APPLICABLE, values={"output": [a.output for a in axes]})

    def holds(axis: int, size: int) -> bool:
        sizes = list(g.input)
        sizes[axis] = size
        try:
            a = source(tuple(sizes)).axes[axis]
        except ShapeError:
            return False
        if a.output < 1 or axis_pads(a) != pads[axis]:
            return False
        return not scaled or tuple(w.input_taps for w in a.windows) == (cells or ())[axis]

    inexact = None
    p = float(norm_type)
    if framework != target and (framework == "torch" or target == "torch") and not (p.is_integer() and p % 2 == 0):
        inexact = (f"norm_type {norm_type:g} is not an even integer: torch raises x to the power p without its sign "
                   f"(x ** p, then ** (1/p): NaN for a negative sum), ONNX LpPool |x| ** p; the values agree only "
                   f"where the input is not negative")
    if target in ("onnx", "onnxruntime") and not p.is_integer():
        inexact = (f"norm_type {norm_type:g} is not an integer: ONNX LpPool's p is an INT attribute (onnx/defs/nn/"
                   f"defs.cc), and onnxruntime refuses a float one (\"Mismatched attribute type in 'p'\")")
    exactness = port_exactness(g, holds)
    if cells is not None:  # the Mul constant has this output's shape
        exactness = exactness._replace(description=f"input {'x'.join(map(str, g.input))} only (the Mul constant is "
                                                   f"sized for its output; it differs at other sizes)")
    return LpPlan(g, p, tuple(q[0] for q in pads), tuple(q[1] for q in pads), cells, exactness, inexact)


def _norm(p: float) -> int | float:
    return int(p) if p.is_integer() else p


def _jax(plan: LpPlan) -> Ported:
    """``lax.reduce_window`` of ``jnp.abs(x) ** p`` (init 0, ``lax.add``) over the source's windows: the pads as
    (low, high) pairs, negative ones (cells no window reads) cropped first by ``lax.pad``; torch's ceil_mode scale
    (kernel / cells per axis) multiplies the sum; then ``** (1/p)``."""
    g, n = plan.geometry, plan.geometry.ndim
    p = _norm(plan.norm_type)
    lines = ["import numpy as np", "import jax.numpy as jnp", "from jax import lax"]
    steps: list[Step] = []
    expr = f"jnp.abs(x) ** {p}"
    padding: object
    if min(*plan.before, *plan.after) < 0:
        config = ((0, 0, 0), (0, 0, 0), *((b, a, 0) for b, a in zip(plan.before, plan.after)))
        crop = max(*plan.before, *plan.after) <= 0
        shown = ((tuple(-b for b in plan.before), tuple(-a for a in plan.after)) if crop else
                 (plan.before, plan.after))
        steps.append(Step("crop" if crop else "pad", "lax.pad", (("padding_config", config), ("padding_value", 0.0)),
                          shown[0], shown[1]))
        lines.append(f"t = lax.pad(x, jnp.asarray(0.0, x.dtype), {list(config)})")
        expr, padding = f"jnp.abs(t) ** {p}", ((0, 0),) * (n + 2)
    else:
        padding = ((0, 0), (0, 0), *zip(plan.before, plan.after))
    dims, strides = (1, 1, *g.kernel), (1, 1, *g.stride)
    steps.append(Step("layer", "lax.reduce_window", (("operand", f"|x| ** {p}"), ("init_value", 0.0),
                                                     ("computation", "lax.add"), ("window_dimensions", dims),
                                                     ("window_strides", strides), ("padding", padding))))
    lines.append(f"s = lax.reduce_window({expr}, jnp.asarray(0.0, x.dtype), lax.add, {dims}, {strides}, "
                 f"{[tuple(q) for q in padding]})")
    notes: tuple[str, ...] = ()
    if plan.cells is not None:
        factors = tuple(tuple(k / c for c in cs) for k, cs in zip(g.kernel, plan.cells))
        steps.append(Step("layer", "mul", (("factors", factors),)))
        for axis, f in enumerate(factors):
            shape = [1] * (n + 2)
            shape[2 + axis] = -1
            lines.append(f"s = s * np.asarray({list(f)}, np.float32).reshape({tuple(shape)})")
        notes = ("torch scales a window cut off by ceil_mode by kernel / the cells it reads: the port multiplies the "
                 "window sums by kernel / cells per axis, constants for this input size",)
    steps.append(Step("layer", "pow", (("exponent", f"1 / {p}"),)))
    lines.append(f"y = s ** (1 / {p})")
    return Ported(tuple(steps), "\n".join(lines), notes=notes)


def port(plan: LpPlan, target: str) -> Ported:
    g, n = plan.geometry, plan.geometry.ndim
    if target == "jax":
        return _jax(plan)
    if target == "torch":
        from convshape.api.translate.ports.torch import pad_steps, py_literal

        layer = Step("layer", f"nn.LPPool{letters(n)}", (("norm_type", _norm(plan.norm_type)),
                                                         ("kernel_size", value(g.kernel)),
                                                         ("stride", value(g.stride))))
        steps = [*pad_steps(plan.before, plan.after, n), layer]
        modules = [f"nn.ZeroPad{letters(n)}({py_literal(s.param('padding'))})" for s in steps[:-1]]
        modules.append(f"{layer.name}({', '.join(f'{k}={py_literal(v)}' for k, v in layer.params)})")
        built = modules[0] if len(modules) == 1 else f"nn.Sequential({', '.join(modules)})"
        return Ported(tuple(steps), "\n".join(["import torch", "import torch.nn as nn", f"layer = {built}",
                                               "y = layer(x)"]))
    from convshape.api.translate.ports.onnx import pad_step, code

    own = min(*plan.before, *plan.after) >= 0
    pads = (*plan.before, *plan.after) if own else (0,) * (2 * n)
    layer = Step("layer", "LpPool", (("kernel_shape", g.kernel), ("strides", g.stride), ("pads", pads),
                                     ("p", int(plan.norm_type) if plan.norm_type.is_integer() else plan.norm_type)))
    steps = [layer] if own else [*pad_step(plan.before, plan.after), layer]
    notes: tuple[str, ...] = ()
    if plan.cells is not None:
        factors = tuple(tuple(float((k / c) ** (1 / plan.norm_type)) for c in cs)
                        for k, cs in zip(g.kernel, plan.cells))
        steps.append(Step("layer", "Mul", (("factors", factors),)))
        notes = ("torch scales a window cut off by ceil_mode by kernel / the cells it reads (before ** (1/p)): "
                 "the port multiplies LpPool's output by (kernel / cells) ** (1/p) per axis, a constant for this "
                 "input size",)
    return Ported(tuple(steps), code(steps, None), notes=notes)
