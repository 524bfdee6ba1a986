"""An ONNX graph as a :class:`convshape.network.sweep.Sweepable`: the periodic sweep over a model file.

:func:`convshape.network.sweep.sweep_network` decides every residue class of the input size at
once when every tensor's size is quasi-affine in the swept size ``n`` (``size(n + P) = size(n) +
P * slope`` from a threshold on). :class:`OnnxNetwork` gives it what it reads:

* ``trace(n)``: every node at ``n`` through the same shape functions (:mod:`convshape.models.onnx_ops`)
  and the same memo (:meth:`convshape.models.onnx_model.Model.run_node`) as a per-size evaluation;
  the broadcasting elementwise ops and ``Concat`` whose inputs' sizes move with ``n`` are the skip
  connections: their compared axes are reported and, where they differ, the node is evaluated with
  the first input's sizes so the walk goes on. ``SpaceToDepth`` of sizes its block does not
  divide is a periodic failure (the walk goes on with the sizes floored). A window node (Conv,
  the pools) whose moving axis is below its effective kernel plus padding, or a ``Slice`` whose
  constant bound is past its moving axis, makes the size unsettled.
* ``slopes(probes)``: each tensor's exact slope per axis, propagated node by node from the input
  (1 on the swept axes, 0 elsewhere). The ops that scale sizes by their attributes follow them
  exactly: Conv / the pools divide by ``strides``, ConvTranspose multiplies by them (its
  ``output_shape`` fixes the size: 0), Resize / Upsample multiply by a ``scales`` value that is a
  short binary fraction (the float32 product is exact there), SpaceToDepth divides by the block
  and DepthToSpace multiplies, the global pools give 0. Every other op (reshapes, slices, pads,
  the shape computations on small integer tensors that exporters emit) is affine in its inputs'
  sizes and values: its slope is the exact difference of its own shape function at the probe and
  at inputs moved by ``K`` and ``2K`` times their slopes (``K`` a multiple of every denominator), and
  an output whose second difference is not 0 (a Reshape into H*W, a Gemm that takes one size)
  has no slope: it is flattened. A skip comparing a flattened size, or a Resize by a scale that is
  not a short binary fraction, makes ``slopes`` None: the sweep then tries every size.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from math import gcd
from typing import TYPE_CHECKING, Any

from convshape.errors import ShapeError
from convshape.models.onnx_ops import BINARY, FLOATS, OPS, Context, Tensor

if TYPE_CHECKING:
    from convshape.models.onnx_model import Inputs, Model
    from convshape.network.sweep import Failure, Slopes, Trace

#: a tensor's slope per axis; None: the axis's size is not affine in n (flattened with another moving axis)
Dims = tuple[Fraction | None, ...]
ZERO = Fraction(0)

#: the elementwise ops that broadcast their inputs (numpy rules): with inputs whose sizes move, skip connections
MERGES = frozenset(BINARY) | {"Where"}
#: window ops: floor((size + pads - effective kernel) / stride) + 1 from their regular regime on
WINDOWS = frozenset({"Conv", "MaxPool", "AveragePool", "LpPool"})
POOLS_GLOBAL = frozenset({"GlobalAveragePool", "GlobalMaxPool", "GlobalLpPool"})
#: a scale's denominator up to which a Resize by scales is swept periodically (a short binary fraction)
MAX_SCALE_DENOMINATOR = 64
#: a finite difference's step, times the inputs' denominators: a multiple of every small divisor
STEP = 2 ** 4 * 3 ** 2 * 5 * 7


def _lcm(a: int, b: int) -> int:
    return a * b // gcd(a, b)


class OnnxNetwork:
    """A model's graph prepared for a sweep (see the module docstring): ``swept`` holds the input
    axes set to ``n``, ``around`` the size the failures shown and the nearest valid sizes are around."""

    def __init__(self, model: Model, inputs: Inputs, swept: tuple[int, ...], axis: int | None, around: int) -> None:
        self.model = model
        self.inputs = inputs
        self.swept = swept
        self.axis = axis
        self.source = model.source
        self.framework = model.framework
        self.position = swept[0]
        self.input = self.shape_at(around)
        graph = model.graph
        self.nodes = graph.nodes
        #: per tensor, its slope per axis (learnt by slopes(); empty until then)
        self.m: dict[str, Dims] = {}
        #: per small tensor with values, each value's slope
        self.v: dict[str, Dims] = {}
        #: per merge node: [(output axis, the inputs' positions compared there, right-aligned)]
        self.skip_axes: dict[int, list[tuple[int, tuple[int, ...]]]] = {}
        #: per window node: each spatial axis's regular regime (effective kernel plus both pads)
        self.low: dict[int, tuple[int, ...]] = {}
        for index, node in enumerate(self.nodes):
            if node.op_type in WINDOWS:
                self.low[index] = self._window_low(node)

    def shape_at(self, n: int) -> tuple[int, ...]:
        return tuple(n if a in self.swept else d for a, d in enumerate(self.inputs.shape))

    # ------------------------------------------------------------------ trace
    def _window_low(self, node: Any) -> tuple[int, ...]:
        attrs = node.attributes
        kernel = attrs.get("kernel_shape")
        if kernel is None and node.op_type == "Conv" and len(node.inputs) > 1:
            w = self.model.graph.initializers.get(node.inputs[1])
            kernel = w.dims[2:] if w is not None else None
        if kernel is None:
            return ()
        kernel = tuple(int(k) for k in kernel)
        n = len(kernel)
        dilations = tuple(int(d) for d in attrs.get("dilations", (1,) * n))
        auto = str(attrs.get("auto_pad", "NOTSET")).upper()
        pads = tuple(int(p) for p in attrs.get("pads", (0,) * (2 * n)))
        if len(dilations) != n or len(pads) != 2 * n:
            return ()
        extent = tuple((k - 1) * d + 1 for k, d in zip(kernel, dilations))
        if auto in ("SAME_UPPER", "SAME_LOWER"):
            return tuple(2 * e for e in extent)
        return tuple(e + abs(pads[i]) + abs(pads[i + n]) for i, e in enumerate(extent))

    def trace(self, n: int) -> Trace:
        return self._walk(n, learn=False)[0]

    def _walk(self, n: int, learn: bool) -> tuple[Trace, dict[str, Any] | None]:
        """One size through the graph (see the module docstring); ``learn``: also each tensor's slopes."""
        from convshape.network.sweep import Failure, Skip, Trace

        model, inputs = self.model, self.inputs
        shape = self.shape_at(n)
        first = model.graph.inputs[0]
        sizes: dict[str, tuple[int, ...]] = {}
        skips: list[Skip] = []
        periodic: list[Failure] = []
        unsettled = False
        for d, given in zip(inputs.declared, shape):
            if isinstance(d, int) and d > 0 and d != given:
                found = model.failure(shape, inputs)
                assert found is not None
                return Trace(Failure(n, *found), (), (), sizes, False), None
        tensors: dict[str, Tensor | None] = dict(model.base)
        tensors.update(inputs.others)
        tensors[inputs.name] = Tensor(shape, first.elem_type)
        learnt: dict[str, Any] | None = None
        if learn:
            self.m = {name: (ZERO,) * len(t.shape) for name, t in tensors.items() if t is not None}
            self.v = {name: (ZERO,) * len(t.value) for name, t in tensors.items() if t is not None and t.value}
            self.m[inputs.name] = tuple(Fraction(1) if a in self.swept else ZERO for a in range(len(shape)))
            self.v.pop(inputs.name, None)
            self.skip_axes = {}
            learnt = {"skips": []}
        m = self.m
        for index, node in enumerate(self.nodes):
            name = model.names[index]
            static = model.static_outputs.get(index)
            if static is not None:
                if static[0].error is not None:
                    e = static[0].error
                    return Trace(Failure(n, name, str(e.rule), e.message), tuple(skips), tuple(periodic), sizes,
                                 unsettled), learnt
                continue
            if any(i and tensors.get(i) is None for i in node.inputs):  # a name nothing makes: the usage error
                found = model.failure(shape, inputs)  # per-size evaluation raises (or a static node failed)
                assert found is not None
                return Trace(Failure(n, *found), tuple(skips), tuple(periodic), sizes, unsettled), learnt
            xs = tuple(tensors[i] if i else None for i in node.inputs)
            op = node.op_type
            if learn and (op in MERGES or op == "Concat"):
                self._learn_merge(index, node, xs)
            merge = self.skip_axes.get(index)
            if merge:
                result, compared = self._merge(index, node, xs)
                for axis, members, dims in compared:
                    skips.append(Skip(name, tuple(f"{name}\x00{axis}\x00{i}" for i in members),
                                      tuple((d,) for d in dims)))
            elif op == "SpaceToDepth" and xs[0] is not None and len(xs[0].shape) > 2:
                x = xs[0]
                b = int(node.attributes.get("blocksize", 0))  # type: ignore[arg-type]
                if b > 0 and any(s % b for s in x.shape[2:]):
                    periodic.append(Failure(n, name, "divisible", f"spatial sizes {list(x.shape[2:])} are not "
                                                                  f"divisible by the blocksize {b}"))
                    xs = (Tensor(x.shape[:2] + tuple(s // b * b for s in x.shape[2:]), x.dtype),) + xs[1:]
                result = model.run_node(index, xs)
            else:
                result = model.run_node(index, xs)
            if result.error is not None or result.outputs is None:
                e = result.error
                assert e is not None
                return Trace(Failure(n, name, str(e.rule), e.message), tuple(skips), tuple(periodic), sizes,
                             unsettled), learnt
            x0 = xs[0] if xs else None
            if not unsettled and x0 is not None:
                moving = m.get(node.inputs[0])
                if index in self.low:
                    low = self.low[index]
                    spatial = x0.shape[2:]
                    if len(low) != len(spatial) or any(
                            s < lo and (moving is None or moving[2 + i] != 0)
                            for i, (s, lo) in enumerate(zip(spatial, low))):
                        unsettled = True
                elif op == "Slice":
                    unsettled = self._slice_unsettled(node, xs, moving)
            outs = result.outputs
            for i, out in enumerate(node.outputs):
                if out:
                    tensors[out] = outs[i] if i < len(outs) else None
            if outs:
                sizes[name] = outs[0].shape
            if learn:
                self._learn(index, node, xs, outs)
        return Trace(None, tuple(skips), tuple(periodic), sizes, unsettled), learnt

    def _slice_unsettled(self, node: Any, xs: Sequence[Tensor | None], moving: Dims | None) -> bool:
        """A Slice whose constant start or end lies past its moving axis (clamped: min(size, end))."""
        x = xs[0]
        if x is None or len(xs) < 3 or xs[1] is None or xs[2] is None:
            return False
        starts, ends = xs[1].value, xs[2].value
        axes = xs[3].value if len(xs) > 3 and xs[3] is not None else tuple(range(len(starts or ())))
        if starts is None or ends is None or axes is None:
            return True
        rank = len(x.shape)
        for s, e, a in zip(starts, ends, axes):
            axis = int(a) % rank if -rank <= int(a) < rank else 0
            if moving is not None and moving[axis] == 0:
                continue
            bound = max(abs(int(s)), abs(int(e)) if abs(int(e)) < 2 ** 30 else 0)
            if x.shape[axis] <= bound:
                return True
        return False

    def _merge(self, index: int, node: Any, xs: tuple[Tensor | None, ...]) -> tuple[Any, list[Any]]:
        """A skip connection: the node's result (with the first input's sizes where the inputs' sizes
        differ) and each compared axis's sizes (all the output's where broadcasting aligned them)."""
        result = self.model.run_node(index, xs)
        compared = []
        changed: dict[int, dict[int, int]] = {}
        for axis, members in self.skip_axes[index]:
            dims = []
            for i in members:
                x = xs[i]
                assert x is not None
                dims.append(x.shape[axis - len(self._out_rank(xs)) + len(x.shape)])
            if len(set(dims)) > 1 and result.error is None and result.outputs:
                out = result.outputs[0].shape
                dims = [out[axis]] * len(dims)
            elif len(set(dims)) > 1:
                for i in members[1:]:
                    changed.setdefault(i, {})[axis] = dims[0]
            compared.append((axis, members, tuple(dims)))
        if changed:
            respaced = list(xs)
            rank = len(self._out_rank(xs))
            for i, axes in changed.items():
                x = xs[i]
                assert x is not None
                shape = list(x.shape)
                for axis, d in axes.items():
                    shape[axis - rank + len(shape)] = d
                respaced[i] = Tensor(tuple(shape), x.dtype)
            result = self.model.run_node(index, tuple(respaced))
        return result, compared

    @staticmethod
    def _out_rank(xs: Sequence[Tensor | None]) -> tuple[int, ...]:
        return max((x.shape for x in xs if x is not None), key=len)

    def explain(self, n: int) -> Failure | None:
        """The first node a full evaluation rejects at ``n``, in the framework's words."""
        from convshape.network.sweep import Failure

        found = self.model.failure(self.shape_at(n), self.inputs)
        return None if found is None else Failure(n, *found)

    # ------------------------------------------------------------------ slopes
    def slopes(self, probes: Sequence[int]) -> Slopes | None:
        """Each tensor's slopes, read at the largest probe whose trace has no hard failure (in the
        long-run branch of every clamp); None where a skip compares a flattened size or a node
        scales inexactly (see the module docstring)."""
        from convshape.network.sweep import Slopes

        for probe in sorted(set(probes), reverse=True):
            self.m, self.v, self.skip_axes = {}, {}, {}
            self.outside = False
            trace, learnt = self._walk(probe, learn=True)
            if trace.hard is not None:
                continue
            if self.outside:
                break
            slopes: dict[str, tuple[Fraction, ...]] = {}
            period = 1
            for dims in self.m.values():
                for slope in dims:
                    if slope is not None:
                        period = _lcm(period, slope.denominator)
            for index, axes in self.skip_axes.items():
                node = self.nodes[index]
                name = self.model.names[index]
                rank = max(len(self.m.get(i, ())) for i in node.inputs if i)
                for axis, members in axes:
                    for i in members:
                        dims = self.m[node.inputs[i]]
                        slope = dims[axis - rank + len(dims)]
                        if slope is None:
                            self._forget()
                            return None
                        slopes[f"{name}\x00{axis}\x00{i}"] = (slope,)
            return Slopes(slopes, period)
        self._forget()
        return None

    def _forget(self) -> None:
        self.m, self.v, self.skip_axes = {}, {}, {}

    outside = False

    def _learn_merge(self, index: int, node: Any, xs: tuple[Tensor | None, ...]) -> None:
        """Which axes of a broadcasting op or Concat compare sizes that move: every output axis
        (right-aligned) where an input's size moves and at least two inputs have a size other
        than a constant 1 (Concat: every axis but its own)."""
        given = [(i, x) for i, x in enumerate(xs) if x is not None and node.inputs[i]]
        if len(given) < 2:
            return
        rank = max(len(x.shape) for _, x in given)
        concat_axis = None
        if node.op_type == "Concat":
            concat_axis = int(node.attributes.get("axis", 0)) % rank
        axes = []
        for axis in range(rank):
            if axis == concat_axis:
                continue
            members = []
            moves = False
            for i, x in given:
                j = axis - rank + len(x.shape)
                if j < 0:
                    continue
                dims = self.m.get(node.inputs[i])
                slope = dims[j] if dims is not None else None
                if slope != 0:
                    moves = True
                if slope != 0 or x.shape[j] != 1:
                    members.append(i)
            if moves and len(members) > 1:
                axes.append((axis, tuple(members)))
        if axes:
            self.skip_axes[index] = axes

    def _learn(self, index: int, node: Any, xs: tuple[Tensor | None, ...], outs: tuple[Tensor, ...]) -> None:
        """The slopes of a node's outputs (dims, and values of small tensors) from its inputs'."""
        ins = [self.m.get(i) if i else None for i in node.inputs]
        vals = [self.v.get(i) if i else None for i in node.inputs]
        names = list(node.outputs)
        if all(d is None or all(s == 0 for s in d) for d in ins) and \
                all(v is None or all(s == 0 for s in v) for v in vals):
            for i, out in enumerate(names):
                if out and i < len(outs):
                    self.m[out] = (ZERO,) * len(outs[i].shape)
                    if outs[i].value is not None:
                        self.v[out] = (ZERO,) * len(outs[i].value)  # type: ignore[arg-type]
            return
        found = self._structural(index, node, xs, ins, outs)
        if found is None:
            found = self._difference(index, node, xs, ins, vals, outs)
        for i, out in enumerate(names):
            if out and i < len(outs):
                dims, values = found[i] if i < len(found) else ((None,) * len(outs[i].shape), None)
                self.m[out] = dims
                if values is not None and outs[i].value is not None:
                    self.v[out] = values

    def _structural(self, index: int, node: Any, xs: tuple[Tensor | None, ...], ins: list[Dims | None],
                    outs: tuple[Tensor, ...]) -> list[tuple[Dims, Dims | None]] | None:
        """The slopes of the ops that scale sizes by their attributes, and of the skip connections;
        None for the ops left to a finite difference."""
        op = node.op_type
        attrs = node.attributes
        x = ins[0]
        if x is None:
            return None
        if index in self.skip_axes or (op in MERGES or op == "Concat") and len(outs) == 1 and \
                sum(1 for d in ins if d is not None and any(s != 0 for s in d)) > 1:
            return [(self._merged(node, xs, ins, outs[0]), None)]
        if op in WINDOWS or op == "ConvTranspose" or op == "SpaceToDepth" or op == "DepthToSpace" or \
                op in POOLS_GLOBAL:
            if len(x) < 3 or any(s != 0 for s in x[1:2]):
                return self._outside()
            n = len(x) - 2
            if op in POOLS_GLOBAL:
                spatial: list[Fraction | None] = [ZERO] * n
            elif op in ("SpaceToDepth", "DepthToSpace"):
                b = int(attrs.get("blocksize", 1))
                spatial = [None if s is None else (s / b if op == "SpaceToDepth" else s * b) for s in x[2:]]
            elif op == "ConvTranspose" and attrs.get("output_shape") is not None:
                spatial = [ZERO] * n
            else:
                strides = tuple(int(s) for s in attrs.get("strides", (1,) * n))
                if len(strides) != n:
                    return self._outside()
                spatial = [None if s is None else (s * st if op == "ConvTranspose" else s / st)
                           for s, st in zip(x[2:], strides)]
            dims = (x[0], ZERO, *spatial)
            return [(dims, None) for _ in outs]
        if op in ("Resize", "Upsample"):
            return self._resize(node, xs, ins, outs)
        return None

    def _outside(self) -> list[tuple[Dims, Dims | None]]:
        self.outside = True
        return []

    def _merged(self, node: Any, xs: tuple[Tensor | None, ...], ins: list[Dims | None], out: Tensor) -> Dims:
        """A skip connection's output slopes: on a compared axis the first compared input's (the walk
        goes on with its sizes), elsewhere the input whose size the output takes; Concat's axis adds."""
        rank = len(out.shape)
        concat_axis = int(node.attributes.get("axis", 0)) % rank if node.op_type == "Concat" else None
        dims: list[Fraction | None] = []
        for axis in range(rank):
            found: Fraction | None = ZERO
            total: Fraction | None = ZERO
            chosen = False
            for x, d in zip(xs, ins):
                if x is None or d is None:
                    continue
                j = axis - rank + len(x.shape)
                if j < 0:
                    continue
                if axis == concat_axis:
                    slope = d[j]
                    total = None if total is None or slope is None else total + slope
                elif not chosen and (d[j] != 0 or x.shape[j] != 1):
                    found, chosen = d[j], True
            dims.append(total if axis == concat_axis else found)
        return tuple(dims)

    def _resize(self, node: Any, xs: tuple[Tensor | None, ...], ins: list[Dims | None],
                outs: tuple[Tensor, ...]) -> list[tuple[Dims, Dims | None]] | None:
        """Resize / Upsample by scales: the slope times each scale, exact when the scale is a short
        binary fraction and the float32 product exact (sizes below 2**23); by sizes: left to the
        finite difference (the sizes' values carry their slopes)."""
        x, attrs = ins[0], node.attributes
        assert x is not None
        opset = self.model.opset
        rank = len(x)
        scales: tuple[float, ...] | None = None
        if node.op_type == "Upsample" and opset < 9:
            scales = tuple(float(v) for v in attrs.get("scales", ()))
        else:
            index = 1 if node.op_type == "Upsample" or opset < 11 else 2
            t = xs[index] if len(xs) > index else None
            if t is not None and t.value is not None and len(t.value):
                if any(s != 0 for s in self.v.get(node.inputs[index], (None,))):
                    return self._outside()
                scales = tuple(float(v) for v in t.value)
        if scales is None:
            return None
        axes = tuple(int(a) % rank for a in attrs.get("axes", range(rank)))
        if len(axes) != len(scales):
            return self._outside()
        by_axis = dict(zip(axes, scales))
        dims: list[Fraction | None] = []
        for axis, slope in enumerate(x):
            scale = Fraction(by_axis.get(axis, 1.0))
            if slope == 0:
                dims.append(ZERO)
            elif scale.denominator > MAX_SCALE_DENOMINATOR or outs[0].shape[axis] * scale.denominator >= 2 ** 23:
                return self._outside()
            else:
                dims.append(None if slope is None else slope * scale)
        return [(tuple(dims), None)]

    def _difference(self, index: int, node: Any, xs: tuple[Tensor | None, ...], ins: list[Dims | None],
                    vals: list[Dims | None], outs: tuple[Tensor, ...]) -> list[tuple[Dims, Dims | None]]:
        """An affine op's slopes: its shape function at the inputs moved by K and 2K times their
        slopes; an output with a second difference is flattened (no slope)."""
        unknown: list[tuple[Dims, Dims | None]] = [((None,) * len(o.shape), None) for o in outs]
        k = STEP
        if node.op_type in ("Div", "Mod"):  # integer division by a constant: its period
            for x, d in zip(xs[1:], ins[1:]):
                if x is not None and x.value is not None and d is not None and all(s == 0 for s in d):
                    for c in x.value:
                        if c == int(c) and 0 < abs(int(c)) <= 4096:
                            k = _lcm(k, abs(int(c)))
        for d, v, x in zip(ins, vals, xs):
            if x is None:
                continue
            if d is None or any(s is None for s in d) or (x.value is not None and
                                                          (v is None or any(s is None for s in v))):
                return unknown
            for s in (*d, *(v or ())):
                assert s is not None
                k = _lcm(k, s.denominator)
        moved = []
        for step in (k, 2 * k):
            shifted: list[Tensor | None] = []
            for d, v, x in zip(ins, vals, xs):
                if x is None:
                    shifted.append(None)
                    continue
                assert d is not None
                shape = tuple(int(n + step * s) for n, s in zip(x.shape, d))  # type: ignore[operator]
                value = x.value
                if value is not None and v is not None:
                    value = tuple((float(a + step * s) if x.dtype in FLOATS else int(a + step * s))  # type: ignore[operator]
                                  for a, s in zip(value, v))
                shifted.append(Tensor(shape, x.dtype, value))
            try:
                ctx = Context(node, self.model.framework, self.model.opset, spatial=self.model.spatial)
                moved.append(OPS[node.op_type](ctx, tuple(shifted)))
            except (ShapeError, ValueError, ZeroDivisionError, OverflowError, TypeError, IndexError):
                return unknown
        found: list[tuple[Dims, Dims | None]] = []
        for out, one, two in zip(outs, moved[0], moved[1]):
            if len(one.shape) != len(out.shape) or len(two.shape) != len(out.shape):
                found.append(((None,) * len(out.shape), None))
                continue
            dims = tuple(Fraction(b - a, k) if c - 2 * b + a == 0 else None
                         for a, b, c in zip(out.shape, one.shape, two.shape))
            values = None
            if out.value is not None and one.value is not None and two.value is not None and \
                    len(out.value) == len(one.value) == len(two.value):
                values = tuple(Fraction(b - a) / k if c - 2 * b + a == 0 else None
                               for a, b, c in zip(out.value, one.value, two.value))
            found.append((dims, values))
        return found

