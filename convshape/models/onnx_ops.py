"""One shape function per ONNX op type (:data:`OPS`), over concrete shapes.

Each function takes the node's context and its input tensors (None for an omitted optional
input) and gives its output tensors. A tensor is its shape, its element type and, for a small
integer or float tensor computed from shapes (``Shape -> Gather -> Unsqueeze -> Concat ->
Reshape``, ``Shape -> Slice -> Cast -> Mul -> Floor -> Resize sizes``), its values, computed
exactly as integers (float tensors in float32, as onnxruntime computes them).

The shapes follow the ONNX operator spec (onnx/defs/*/defs.cc, each op's shape inference) and
onnxruntime 1.32's CPU kernels where they check more; the spatial ops (Conv, ConvTranspose, the
pools, MaxUnpool, Resize, DepthToSpace / SpaceToDepth) go through the framework registry's rules
(:mod:`convshape.frameworks.onnx` / :mod:`convshape.frameworks.onnxruntime`), the same ones
``convshape conv2d -f onnxruntime`` applies, so a model and a single layer never disagree.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

from convshape.api.conv import conv_axis
from convshape.api.pooling import pool_axes
from convshape.axes import each_axis
from convshape.errors import Rule, ShapeError
from convshape.frameworks import get
from convshape.model import AxisSpec
from convshape.models.graph import SMALL_TENSOR, AttributeValue, Node, TensorValue

Value = tuple[int | float, ...]

#: TensorProto.DataType codes of the float types (values kept as floats)
FLOATS = frozenset({1, 10, 11, 16})
INT64 = 7
BOOL = 9


class Tensor(NamedTuple):
    """A tensor as the interpreter knows it: shape, element type, and (small ones) flat values."""

    shape: tuple[int, ...]
    dtype: int
    value: Value | None = None
    #: MaxPool's Indices: the least and the greatest value its largest index can take (flat positions
    #: in the pooled input: the last window's first and last cell in the last image and channel)
    index_bounds: tuple[int, int] | None = None


class Context:
    """What a shape function reads besides its inputs: the node, the framework, the opset; and
    what it leaves for the report: pads, weights' MACs and notes."""

    __slots__ = ("node", "framework", "spatial", "opset", "pad_before", "pad_after", "macs", "notes", "cache")

    def __init__(self, node: Node, framework: str, opset: int, cache: dict[str, Any] | None = None,
                 spatial: str | None = None) -> None:
        self.node = node
        #: the registry framework whose rules the spatial ops (Conv, ConvTranspose, the pools, MaxUnpool,
        #: Resize, DepthToSpace / SpaceToDepth) take: ``framework`` itself, or "torch" for the answer of the
        #: torch module a graph was exported from (the other ops keep ``framework``'s rules)
        self.spatial = spatial or framework
        #: what a shape function reads of the node's attributes once and keeps (kept by the model, per node)
        self.cache: dict[str, Any] = {} if cache is None else cache
        self.framework = framework
        self.opset = opset
        self.pad_before: tuple[int, ...] = ()
        self.pad_after: tuple[int, ...] = ()
        self.macs = 0
        self.notes: list[str] = []

    def attr(self, name: str, default: Any = None) -> Any:
        return self.node.attributes.get(name, default)

    def ints(self, name: str, default: Sequence[int] | None = None) -> tuple[int, ...] | None:
        value = self.node.attributes.get(name)
        if value is None:
            return None if default is None else tuple(default)
        if isinstance(value, int):
            return (value,)
        return tuple(int(v) for v in value)  # type: ignore[union-attr, arg-type]

    def error(self, message: str, rule: Rule | str, **values: object) -> ShapeError:
        return ShapeError(message, framework=self.framework, rule=rule, values=values)

    def value_of(self, x: Tensor | None, what: str) -> Value:
        """A shape input's values (Reshape's shape, Slice's starts, ...): known, or a usage error."""
        if x is None:
            raise ShapeError(f"node {self.node.name!r} ({self.node.op_type}): {what} is missing", rule=Rule.SHAPE_VALUE,
                             values={"node": self.node.name})
        if x.value is None:
            raise ShapeError(f"node {self.node.name!r} ({self.node.op_type}, opset {self.opset}): its {what} depends "
                             f"on data convshape does not compute (not a constant or a shape computation)",
                             rule=Rule.SHAPE_VALUE, values={"node": self.node.name, "op_type": self.node.op_type})
        return x.value

    def int_values(self, x: Tensor | None, what: str) -> tuple[int, ...]:
        return tuple(int(v) for v in self.value_of(x, what))


def prod(values: Sequence[int]) -> int:
    return math.prod(values)


def shown(shape: Sequence[int]) -> str:
    """A shape as onnxruntime prints a TensorShape: ``{1,3,224,224}``."""
    return "{" + ",".join(str(d) for d in shape) + "}"


def small(shape: Sequence[int]) -> bool:
    return prod(shape) <= SMALL_TENSOR


def from_constant(t: TensorValue) -> Tensor:
    return Tensor(t.dims, t.elem_type, t.values if t.values is not None and small(t.dims) else None)


def f32(x: float) -> float:
    from convshape.rules.resample import float32

    return float32(x)


#: the integer element types by TensorProto code: (bits, signed)
INTEGERS = {2: (8, False), 3: (8, True), 4: (16, False), 5: (16, True), 6: (32, True), 7: (64, True),
            12: (32, False), 13: (64, False)}


def cast_value(v: int | float, dtype: int) -> int | float:
    """One element cast to ``dtype``: float to an integer type truncates toward zero (C++ static_cast,
    as onnxruntime's Cast kernel); a float32 result is rounded to float32; bool is 0 or 1. An integer
    result wraps around as the type's two's complement does (onnxruntime's int64 Mul / Add / Neg,
    observed: -2**63 x 5 = -2**63); a float too large for a signed type gives its least value, as
    x86's conversion does (observed: int64 Pow 3**40 gives -2**63)."""
    if dtype == BOOL:
        return int(bool(v))
    if dtype in FLOATS:
        return f32(float(v)) if dtype in (1, 10, 16) else float(v)
    bits, signed = INTEGERS.get(dtype, (64, True))
    if isinstance(v, float):
        if not math.isfinite(v):
            raise ValueError("cast of a non-finite value")
        v = math.trunc(v)
        if signed and not -(1 << (bits - 1)) <= v < 1 << (bits - 1):
            return -(1 << (bits - 1))
    wrapped = int(v) % (1 << bits)
    return wrapped - (1 << bits) if signed and wrapped >= 1 << (bits - 1) else wrapped


def strides_of(shape: Sequence[int]) -> tuple[int, ...]:
    """Row-major element strides of ``shape``."""
    out = [1] * len(shape)
    for i in range(len(shape) - 2, -1, -1):
        out[i] = out[i + 1] * shape[i + 1]
    return tuple(out)


def pick(value: Value, shape: Sequence[int], indices: Sequence[Sequence[int]]) -> Value:
    """The elements of a row-major ``value`` at the cartesian product of per-axis ``indices``."""
    from itertools import product

    steps = strides_of(shape)
    return tuple(value[sum(i * s for i, s in zip(index, steps))] for index in product(*indices))


def normalise_axis(ctx: Context, axis: int, rank: int, what: str = "axis") -> int:
    if not -rank <= axis < rank:
        raise ctx.error(f"{what} {axis} is out of range for a tensor of rank {rank} (valid: {-rank} to {rank - 1})",
                        Rule.AXIS, axis=axis, rank=rank)
    return axis % rank


def axis_not_in_range(ctx: Context, axis: int, rank: int) -> ShapeError:
    """onnxruntime's refusal of an axis outside [-r, r-1] when a kernel runs (core/providers/common.h
    ``HandleNegativeAxis``)."""
    return ctx.error(f"IsAxisInRange(axis, tensor_rank) was false. axis {axis} is not in valid range "
                     f"[{-rank},{rank - 1}]", Rule.AXIS, axis=axis, rank=rank)


# ---------------------------------------------------------------------------- elementwise
def same_shape(ctx: Context, xs: Sequence[Tensor | None]) -> tuple[Tensor, ...]:
    x = xs[0]
    assert x is not None
    return (Tensor(x.shape, x.dtype),)


UNARY_VALUES: dict[str, Callable[[float], float]] = {
    "Floor": math.floor, "Ceil": math.ceil, "Neg": lambda v: -v, "Abs": abs, "Relu": lambda v: max(v, 0),
    "Sqrt": math.sqrt, "Identity": lambda v: v, "Round": lambda v: float(round(v)),
    "Sign": lambda v: (v > 0) - (v < 0), "Reciprocal": lambda v: 1 / v,
}


def unary(ctx: Context, xs: Sequence[Tensor | None]) -> tuple[Tensor, ...]:
    x = xs[0]
    assert x is not None
    op = ctx.node.op_type
    value = None
    if x.value is not None and op in UNARY_VALUES:
        try:
            fn = UNARY_VALUES[op]
            value = tuple(cast_value(fn(v), x.dtype) for v in x.value)
        except (ValueError, ZeroDivisionError, OverflowError):
            value = None
    if op == "Not" and x.value is not None:
        value = tuple(int(not v) for v in x.value)
    return (Tensor(x.shape, x.dtype, value),)


def cast(ctx: Context, xs: Sequence[Tensor | None]) -> tuple[Tensor, ...]:
    x = xs[0]
    assert x is not None
    if ctx.node.op_type == "CastLike":
        assert xs[1] is not None
        to = xs[1].dtype
    else:
        to = int(ctx.attr("to", 1))
    value = None
    if x.value is not None:
        try:
            value = tuple(cast_value(v, to) for v in x.value)
        except (ValueError, OverflowError):
            value = None
    return (Tensor(x.shape, to, value),)


def broadcast(ctx: Context, shapes: Sequence[tuple[int, ...]]) -> tuple[int, ...]:
    """Multidirectional (numpy) broadcasting (onnx docs/Broadcasting.md): align on the right; each axis
    equal, or 1. The rejection in onnxruntime's words (core/providers/cpu/math/element_wise_ops.h
    ``BroadcastIterator::Append``, observed: "Attempting to broadcast an axis by a dimension other
    than 1. 3 by 5"), or shape inference's ("Incompatible dimensions"), with both shapes added."""
    rank = max(len(s) for s in shapes)
    out = []
    for axis in range(rank):
        dims = {s[axis - rank + len(s)] for s in shapes if axis - rank + len(s) >= 0}
        big = dims - {1}
        if len(big) > 1:
            a, b = sorted(big)[:2]
            if ctx.framework == "onnxruntime":
                message = f"Attempting to broadcast an axis by a dimension other than 1. {a} by {b}"
            else:
                message = f"[ShapeInferenceError] Incompatible dimensions ({a} and {b})"
            raise ctx.error(message + " (" + " and ".join(shown(s) for s in shapes) + ")", Rule.BROADCAST,
                            shapes=[list(s) for s in shapes])
        out.append(big.pop() if big else (0 if 0 in dims else 1))
    return tuple(out)


def _broadcast_values(xs: Sequence[Tensor], shape: tuple[int, ...]) -> list[Value] | None:
    """Each input's values over ``shape`` (rank <= 1 outputs only), or None."""
    if len(shape) > 1 or any(x.value is None for x in xs):
        return None
    n = prod(shape)
    out = []
    for x in xs:
        assert x.value is not None
        out.append(x.value * n if len(x.value) == 1 and n != 1 else x.value)
    return out


def _int_div(a: int, b: int) -> int:
    q = abs(a) // abs(b)
    return q if (a >= 0) == (b >= 0) else -q  # C++ division toward zero (onnxruntime's Div on integers)


def _int_pow(a: int, b: int) -> float:
    """onnxruntime's integer Pow (core/providers/cpu/math/element_wise_ops.cc: ``std::pow`` in double,
    then cast): a double, infinite where it overflows (never an unbounded Python power)."""
    try:
        return math.pow(a, b)
    except OverflowError:
        return math.inf
    except ValueError:  # 0 ** negative
        return math.inf


def _binary_fn(op: str, integer: bool, fmod: int) -> Callable[[Any, Any], Any] | None:
    fns: dict[str, Callable[[Any, Any], Any]] = {
        "Add": lambda a, b: a + b, "Sub": lambda a, b: a - b, "Mul": lambda a, b: a * b,
        "Div": (_int_div if integer else (lambda a, b: a / b)), "Pow": (_int_pow if integer else lambda a, b: a ** b),
        "Max": max, "Min": min,
        "Mod": ((lambda a, b: a - _int_div(a, b) * b) if fmod else (lambda a, b: a % b)),
        "Equal": lambda a, b: int(a == b), "Less": lambda a, b: int(a < b), "Greater": lambda a, b: int(a > b),
        "LessOrEqual": lambda a, b: int(a <= b), "GreaterOrEqual": lambda a, b: int(a >= b),
        "And": lambda a, b: int(bool(a) and bool(b)), "Or": lambda a, b: int(bool(a) or bool(b)),
        "Xor": lambda a, b: int(bool(a) != bool(b)),
    }
    return fns.get(op)


COMPARISONS = frozenset({"Equal", "Less", "Greater", "LessOrEqual", "GreaterOrEqual", "And", "Or", "Xor"})


def binary(ctx: Context, xs: Sequence[Tensor | None]) -> tuple[Tensor, ...]:
    """Add, Sub, Mul, Div, Pow, Mod, the comparisons and the logical ops; variadic Sum, Mean, Max, Min."""
    given = [x for x in xs if x is not None]
    op = ctx.node.op_type
    if op in ("Max", "Min", "Sum", "Mean") and ctx.opset and ctx.opset < 8 and len({x.shape for x in given}) > 1:
        # Max-6 / Min-6 / Sum-6 / Mean-6 (onnx/defs/math/old.cc): no broadcasting, "All inputs and outputs must
        # have the same shape"; onnxruntime 1.32 refuses it when it runs (element_wise_ops.cc Max_6::Compute
        # "All inputs must have the same shape"); shape inference takes the first input's shape
        raise ctx.error(f"All inputs must have the same shape ({op}-6, before opset 8, does not broadcast: "
                        f"{' and '.join(shown(x.shape) for x in given)})", Rule.BROADCAST,
                        shapes=[list(x.shape) for x in given])
    shape = broadcast(ctx, [x.shape for x in given])
    dtype = BOOL if op in COMPARISONS else given[0].dtype
    value: Value | None = None
    values = _broadcast_values(given, shape)
    fn = _binary_fn(op, given[0].dtype not in FLOATS, int(ctx.attr("fmod", 0)))
    if values is not None and fn is not None:
        try:
            acc = list(values[0])
            for other in values[1:]:
                acc = [fn(a, b) for a, b in zip(acc, other)]
            value = tuple(cast_value(v, dtype) for v in acc)
        except (ValueError, ZeroDivisionError, OverflowError, TypeError):
            value = None
    if op in ("Sum", "Mean") and values is not None:
        value = tuple(cast_value(sum(col) / (len(values) if op == "Mean" else 1), dtype) for col in zip(*values))
    return (Tensor(shape, dtype, value),)


def prelu(ctx: Context, xs: Sequence[Tensor | None]) -> tuple[Tensor, ...]:
    """PRelu: the slope broadcasts to X (unidirectionally, opset 9+; onnx/defs/math/defs.cc), or both
    ways in onnxruntime."""
    x, slope = xs[0], xs[1]
    assert x is not None and slope is not None
    shape = broadcast(ctx, [x.shape, slope.shape])
    if ctx.framework == "onnxruntime":
        # onnxruntime 1.32 broadcasts PRelu both ways, as Add (observed: X {3}, slope {2,1,1} -> {2,1,3});
        # the spec's slope broadcasts to X only
        return (Tensor(shape, x.dtype),)
    if shape != x.shape:
        raise ctx.error(f"PRelu's slope {shown(slope.shape)} does not broadcast to the input {shown(x.shape)}",
                        Rule.BROADCAST, shapes=[list(x.shape), list(slope.shape)])
    return (Tensor(x.shape, x.dtype),)


def where(ctx: Context, xs: Sequence[Tensor | None]) -> tuple[Tensor, ...]:
    cond, a, b = xs[0], xs[1], xs[2]
    assert cond is not None and a is not None and b is not None
    shape = broadcast(ctx, [cond.shape, a.shape, b.shape])
    values = _broadcast_values([cond, a, b], shape)
    value = tuple(x if c else y for c, x, y in zip(*values)) if values is not None else None
    return (Tensor(shape, a.dtype, value),)


def softmax_like(ctx: Context, xs: Sequence[Tensor | None]) -> tuple[Tensor, ...]:
    """Softmax, LogSoftmax, Hardmax: the input's shape; ``axis`` (1 before opset 13, -1 from 13) in
    [-r, r-1]. From opset 11 shape inference refuses another ("'axis' must be in [-2 , 1]. Its actual
    value is: 3", onnx/defs/math/defs.cc SoftmaxFamilyDocGenerator; onnxruntime fails loading the
    model); before 11 shape inference does not check it and onnxruntime 1.32 refuses it when it runs
    (core/providers/common.h ``HandleNegativeAxis``, observed: a rank-1 input at opset 1 fails on the
    default axis 1)."""
    x = xs[0]
    assert x is not None
    rank = len(x.shape)
    axis = int(ctx.attr("axis", -1 if ctx.opset >= 13 else 1))
    if not -rank <= axis < rank:
        if ctx.opset >= 11 or not ctx.opset:
            raise ctx.error(f"[ShapeInferenceError] 'axis' must be in [{-rank} , {rank - 1}]. Its actual value is: "
                            f"{axis}", Rule.AXIS, axis=axis, rank=rank)
        if ctx.framework == "onnxruntime" and prod(x.shape):  # an empty input returns before the axis is read
            raise axis_not_in_range(ctx, axis, rank)
    return (Tensor(x.shape, x.dtype),)


def trilu(ctx: Context, xs: Sequence[Tensor | None]) -> tuple[Tensor, ...]:
    """Trilu: the input's shape, at least 2-D (onnx/defs/tensor/defs.cc Trilu shape inference "Input
    rank must be >= 2."; onnxruntime fails loading the model)."""
    x = xs[0]
    assert x is not None
    if len(x.shape) < 2:
        raise ctx.error(f"[ShapeInferenceError] Input rank must be >= 2. (the input is {shown(x.shape)})", Rule.RANK,
                        rank=len(x.shape))
    return (Tensor(x.shape, x.dtype),)


def cumsum(ctx: Context, xs: Sequence[Tensor | None]) -> tuple[Tensor, ...]:
    """CumSum: the input's shape; the ``axis`` input in [-r, r-1] as the spec says (onnx/defs/math/defs.cc
    CumSum). Shape inference does not check it; onnxruntime 1.32 refuses another when it runs
    (core/providers/common.h ``HandleNegativeAxis``, observed)."""
    x = xs[0]
    assert x is not None
    given = xs[1] if len(xs) > 1 else None
    if given is not None and given.value is not None and given.value:
        rank = len(x.shape)
        axis = int(given.value[0])
        if not -rank <= axis < rank and (prod(x.shape) or ctx.framework != "onnxruntime"):  # an empty X returns early
            raise axis_not_in_range(ctx, axis, rank)
    return (Tensor(x.shape, x.dtype),)


# ---------------------------------------------------------------------------- constants and shapes
def constant(ctx: Context, xs: Sequence[Tensor | None]) -> tuple[Tensor, ...]:
    a = ctx.node.attributes
    if isinstance(a.get("value"), TensorValue):
        return (from_constant(a["value"]),)  # type: ignore[arg-type]
    for name, dtype, scalar in (("value_int", INT64, True), ("value_ints", INT64, False), ("value_float", 1, True),
                                ("value_floats", 1, False)):
        if name in a:
            v = a[name]
            values: Value = (v,) if scalar else tuple(v)  # type: ignore[assignment, arg-type]
            return (Tensor(() if scalar else (len(values),), dtype, values if small((len(values),)) else None),)
    raise ShapeError(f"node {ctx.node.name!r}: Constant with {', '.join(a) or 'no value'} is not modelled",
                     rule=Rule.UNMODELLED_OP, values={"node": ctx.node.name, "unsupported": ["Constant"]})


def constant_of_shape(ctx: Context, xs: Sequence[Tensor | None]) -> tuple[Tensor, ...]:
    shape = ctx.int_values(xs[0], "shape input")
    if any(d < 0 for d in shape):
        raise ctx.error(f"ConstantOfShape: a dimension is negative: {shown(shape)}", Rule.SIZE_NEGATIVE,
                        shape=list(shape))
    fill = ctx.attr("value")
    dtype, element = (fill.elem_type, fill.values[0] if fill.values else 0) if isinstance(fill, TensorValue) \
        else (1, 0.0)
    return (Tensor(shape, dtype, (element,) * prod(shape) if small(shape) else None),)


def shape_op(ctx: Context, xs: Sequence[Tensor | None]) -> tuple[Tensor, ...]:
    x = xs[0]
    assert x is not None
    rank = len(x.shape)
    start = int(ctx.attr("start", 0))
    end = ctx.attr("end")
    lo = max(0, min(rank, start + rank if start < 0 else start))
    hi = rank if end is None else max(0, min(rank, int(end) + rank if int(end) < 0 else int(end)))
    dims = x.shape[lo:hi]
    return (Tensor((len(dims),), INT64, dims),)


def size_op(ctx: Context, xs: Sequence[Tensor | None]) -> tuple[Tensor, ...]:
    x = xs[0]
    assert x is not None
    return (Tensor((), INT64, (prod(x.shape),)),)


def gather(ctx: Context, xs: Sequence[Tensor | None]) -> tuple[Tensor, ...]:
    """Gather (onnx/defs/tensor/defs.cc): ``data[:axis] + indices + data[axis+1:]``; an index out of
    range is onnxruntime's rejection (gather.cc, observed text)."""
    data, indices = xs[0], xs[1]
    assert data is not None and indices is not None
    if not data.shape:
        raise ctx.error("Gather: data must be at least 1-D, but it is a scalar", Rule.RANK, rank=0)
    axis = normalise_axis(ctx, int(ctx.attr("axis", 0)), len(data.shape))
    shape = data.shape[:axis] + indices.shape + data.shape[axis + 1:]
    dim = data.shape[axis]
    if indices.value is not None:
        for i in indices.value:
            if not -dim <= int(i) < dim:
                raise ctx.error(f"indices element out of data bounds, idx={int(i)} must be within the inclusive "
                                f"range [{-dim},{dim - 1}]", Rule.GATHER_INDEX, index=int(i), dim=dim)
    value = None
    if data.value is not None and indices.value is not None and len(data.shape) == 1:
        value = tuple(data.value[int(i) % dim] for i in indices.value)
    return (Tensor(shape, data.dtype, value),)


def _axes_input(ctx: Context, xs: Sequence[Tensor | None], index: int) -> tuple[int, ...] | None:
    """Axes as an attribute (older opsets) or as input ``index`` (newer), None when neither is given."""
    if len(xs) > index and xs[index] is not None:
        return ctx.int_values(xs[index], "axes input")
    return ctx.ints("axes")


def unsqueeze(ctx: Context, xs: Sequence[Tensor | None]) -> tuple[Tensor, ...]:
    x = xs[0]
    assert x is not None
    axes = _axes_input(ctx, xs, 1)
    if axes is None:
        raise ctx.error("Unsqueeze needs axes", Rule.AXIS)
    rank = len(x.shape) + len(axes)
    chosen = sorted(normalise_axis(ctx, a, rank) for a in axes)
    if len(set(chosen)) != len(chosen):
        raise ctx.error(f"'axes' has a duplicate axis: {list(axes)}", Rule.AXIS, axes=list(axes))
    dims = iter(x.shape)
    shape = tuple(1 if i in chosen else next(dims) for i in range(rank))
    return (Tensor(shape, x.dtype, x.value),)


def squeeze(ctx: Context, xs: Sequence[Tensor | None]) -> tuple[Tensor, ...]:
    x = xs[0]
    assert x is not None
    axes = _axes_input(ctx, xs, 1)
    if axes is None or (not axes and ctx.framework == "onnxruntime"):
        # an empty axes input: onnxruntime 1.32 squeezes every axis of size 1 as if none were given (squeeze.h
        # ComputeOutputShape, observed: 2x1 -> 2); shape inference squeezes nothing (onnx/defs/tensor/defs.cc
        # Squeeze-13: only an absent axes input squeezes them all)
        chosen = {i for i, d in enumerate(x.shape) if d == 1}
    else:
        chosen = {normalise_axis(ctx, a, len(x.shape)) for a in axes}
        for i in sorted(chosen):
            if x.shape[i] != 1:
                raise ctx.error(f"Dimension of input {i} must be 1 instead of {x.shape[i]}", Rule.AXIS, axis=i,
                                dim=x.shape[i])
    shape = tuple(d for i, d in enumerate(x.shape) if i not in chosen)
    return (Tensor(shape, x.dtype, x.value),)


def concat(ctx: Context, xs: Sequence[Tensor | None]) -> tuple[Tensor, ...]:
    """Concat: every axis but ``axis`` equal to the first input's (onnxruntime concatbase.h
    ``PrepareForComputeImpl``, observed text; shape inference's merge error for -f onnx). onnxruntime
    checks only inputs with elements against the first such one (observed: an empty input beside a
    2x2 one concatenates, its channels counted)."""
    given = [x for x in xs if x is not None]
    rank = len(given[0].shape)
    if ctx.attr("axis") is None and (ctx.opset >= 4 or not ctx.opset):
        # onnx/defs/tensor/defs.cc Concat-4+: a required attribute (shape inference and onnxruntime refuse the node)
        raise ctx.error("[ShapeInferenceError] Required attribute axis is missing", Rule.AXIS)
    axis = normalise_axis(ctx, int(ctx.attr("axis", 1)), rank)  # Concat-1 (old.cc): axis 1 by default
    reference = given[0]
    checked = given
    if ctx.framework == "onnxruntime":  # concatbase.h: inputs with no elements are not checked (their axis counts)
        reference = next((x for x in given if prod(x.shape)), given[0])
        checked = [x for x in given if prod(x.shape) or x is reference]
    for x in given:
        if len(x.shape) != len(given[0].shape):
            # onnx Concat shape inference, which onnxruntime runs when it loads the model: every input, an
            # empty one too (observed: a {2} input beside {0,1} fails loading)
            message = (f"Ranks of input data are different, cannot concatenate them. expected rank: {rank} got: "
                       f"{len(x.shape)}" if ctx.framework == "onnxruntime" else
                       "[ShapeInferenceError] All inputs to Concat must have same rank")
            raise ctx.error(message, Rule.RANK, shapes=[list(g.shape) for g in given])
    for x in checked:
        ref = reference.shape
        if x is reference:
            continue
        if len(x.shape) != rank:  # onnxruntime concatbase.h PrepareForComputeImpl; onnx Concat shape inference
            message = (f"Ranks of input data are different, cannot concatenate them. expected rank: {rank} got: "
                       f"{len(x.shape)}" if ctx.framework == "onnxruntime" else
                       "[ShapeInferenceError] All inputs to Concat must have same rank")
            raise ctx.error(message, Rule.RANK, shapes=[list(g.shape) for g in given])
        bad = next((i for i, (a, b) in enumerate(zip(x.shape, ref)) if i != axis and a != b), None)
        if bad is not None:
            message = (f"Non concat axis dimensions must match: Axis {bad} has mismatched dimensions of "
                       f"{x.shape[bad]} and {ref[bad]}" if ctx.framework == "onnxruntime" else
                       f"[ShapeInferenceError] Can't merge shape info. Both inferred and declared dimension have "
                       f"values but they differ. Inferred={ref[bad]} Declared={x.shape[bad]} Dimension={bad}")
            raise ctx.error(message, Rule.SKIP_MISMATCH, shapes=[list(g.shape) for g in given], axis=bad)
    shape = reference.shape[:axis] + (sum(x.shape[axis] for x in given),) + reference.shape[axis + 1:]
    value = None
    if rank == 1 and all(x.value is not None for x in given):
        value = tuple(v for x in given for v in (x.value or ()))
    return (Tensor(shape, given[0].dtype, value),)


def reshape(ctx: Context, xs: Sequence[Tensor | None]) -> tuple[Tensor, ...]:
    """Reshape (onnx/defs/tensor/defs.cc; onnxruntime reshape_helper.h ``ReshapeHelper``): 0 copies the
    input's axis (unless allowzero), one -1 takes what is left; the element counts must match."""
    x = xs[0]
    assert x is not None
    target = ctx.int_values(xs[1], "shape input") if ctx.opset >= 5 else (ctx.ints("shape") or ())
    allowzero = int(ctx.attr("allowzero", 0))
    dims = []
    unknown = -1
    for i, d in enumerate(target):
        if d == 0 and not allowzero:
            if i >= len(x.shape):
                raise ctx.error(f"The input tensor cannot be reshaped to the requested shape. Input shape:"
                                f"{shown(x.shape)}, requested shape:{shown(target)} (a 0 copies an axis the input "
                                f"lacks)", Rule.RESHAPE, input=list(x.shape), shape=list(target))
            d = x.shape[i]
        if d == -1:
            if unknown >= 0:
                raise ctx.error(f"At most one dimension can be -1, requested shape:{shown(target)}", Rule.RESHAPE,
                                shape=list(target))
            unknown = i
        elif d < -1:
            raise ctx.error(f"A dimension cannot be less than -1, requested shape:{shown(target)}", Rule.RESHAPE,
                            shape=list(target))
        dims.append(d)
    total = prod(x.shape)
    known = prod([d for i, d in enumerate(dims) if i != unknown])
    if unknown >= 0:
        if known == 0 or total % known:
            raise ctx.error(f"The input tensor cannot be reshaped to the requested shape. Input shape:"
                            f"{shown(x.shape)}, requested shape:{shown(target)}", Rule.RESHAPE, input=list(x.shape),
                            shape=list(target))
        dims[unknown] = total // known
    elif known != total:
        raise ctx.error(f"The input tensor cannot be reshaped to the requested shape. Input shape:{shown(x.shape)}, "
                        f"requested shape:{shown(target)}", Rule.RESHAPE, input=list(x.shape), shape=list(target))
    return (Tensor(tuple(dims), x.dtype, x.value),)


def flatten(ctx: Context, xs: Sequence[Tensor | None]) -> tuple[Tensor, ...]:
    """Flatten (onnx/defs/tensor/defs.cc, old.cc): ``axis`` in [-r, r] from opset 11, a negative one
    counting from the back (axis + r: -1 on a 5x5x2 input gives 25x2, observed in onnxruntime 1.32 and
    shape inference); before 11 it is in [0, r], and a negative one is refused ("Invalid value(-1) for
    attribute 'axis'", shape inference; onnxruntime fails loading the model with it)."""
    x = xs[0]
    assert x is not None
    rank = len(x.shape)
    axis = int(ctx.attr("axis", 1))
    if axis < 0 and ctx.opset < 11:
        raise ctx.error(f"[ShapeInferenceError] Invalid value({axis}) for attribute 'axis' (Flatten before opset 11 "
                        f"takes 0 to the rank, {rank})", Rule.AXIS, axis=axis)
    if not -rank <= axis <= rank:
        raise ctx.error(f"Flatten: axis {axis} is out of range for rank {rank}", Rule.AXIS, axis=axis)
    if axis < 0:
        axis += rank
    return (Tensor((prod(x.shape[:axis]), prod(x.shape[axis:])), x.dtype, x.value),)


def transpose(ctx: Context, xs: Sequence[Tensor | None]) -> tuple[Tensor, ...]:
    x = xs[0]
    assert x is not None
    rank = len(x.shape)
    perm = ctx.ints("perm") or tuple(reversed(range(rank)))
    # onnx/defs/tensor/defs.cc Transpose: each entry in [0, r) ("Invalid attribute perm {-1, 1, 0}", a negative
    # entry refused by shape inference and by onnxruntime when it loads the model)
    if sorted(perm) != list(range(rank)):
        raise ctx.error(f"perm {list(perm)} is not a permutation of the {rank} axes", Rule.AXIS, perm=list(perm))
    shape = tuple(x.shape[p] for p in perm)
    value = None
    if x.value is not None:
        from itertools import product

        steps = strides_of(x.shape)
        value = tuple(x.value[sum(i * steps[p] for i, p in zip(index, perm))]
                      for index in product(*(range(d) for d in shape)))
    return (Tensor(shape, x.dtype, value),)


def expand(ctx: Context, xs: Sequence[Tensor | None]) -> tuple[Tensor, ...]:
    x = xs[0]
    assert x is not None
    target = ctx.int_values(xs[1], "shape input")
    if any(d < 0 for d in target):
        # shape inference records the negative size; onnxruntime fails allocating the output (tensor.cc
        # CalculateTensorStorageSize "Tensor shape.Size() must be >= 0", observed for -1 and -2)
        raise ctx.error(f"Expand: the shape {shown(target)} has a negative size (onnxruntime: Tensor shape.Size() "
                        f"must be >= 0)", Rule.SIZE_NEGATIVE, shape=list(target))
    try:
        shape = broadcast(ctx, [x.shape, target])
    except ShapeError as exc:
        if ctx.framework != "onnxruntime":
            raise
        raise ctx.error(f"invalid expand shape ({shown(x.shape)} to {shown(target)})", Rule.BROADCAST,
                        **exc.values) from None
    value = None
    if x.value is not None and len(shape) <= 1 and small(shape):
        value = x.value * prod(shape) if len(x.value) == 1 else x.value
    return (Tensor(shape, x.dtype, value),)


def tile(ctx: Context, xs: Sequence[Tensor | None]) -> tuple[Tensor, ...]:
    x = xs[0]
    assert x is not None
    repeats = ctx.int_values(xs[1], "repeats input")
    if len(repeats) != len(x.shape):
        raise ctx.error(f"'repeat' input tensor must have the same length as the 'input' tensor ({len(repeats)} vs "
                        f"rank {len(x.shape)})", Rule.RANK, repeats=list(repeats))
    if any(r < 0 for r in repeats):  # onnx/defs/math/defs.cc Tile shape inference (onnxruntime refuses at load)
        raise ctx.error(f"[ShapeInferenceError] 'Repeats' input must not contain negative values: {list(repeats)}",
                        Rule.SIZE_NEGATIVE, repeats=list(repeats))
    return (Tensor(tuple(d * r for d, r in zip(x.shape, repeats)), x.dtype),)


def range_op(ctx: Context, xs: Sequence[Tensor | None]) -> tuple[Tensor, ...]:
    start, limit, delta = (ctx.value_of(x, what)[0] for x, what in zip(xs, ("start", "limit", "delta")))
    if delta == 0:
        raise ctx.error("Range: delta must not be zero", Rule.INVALID, delta=delta)
    count = max(math.ceil((limit - start) / delta), 0)
    dtype = xs[0].dtype if xs[0] is not None else INT64
    value = tuple(cast_value(start + i * delta, dtype) for i in range(count)) if count <= SMALL_TENSOR else None
    return (Tensor((count,), dtype, value),)


#: the ends onnxruntime reads as "to the end of the axis" whatever the step's sign (INT32_MAX, INT64_MAX)
SLICE_TO_THE_END = (2**31 - 1, 2**63 - 1)


def _slice_bounds(start: int, end: int, step: int, dim: int, framework: str = "onnx") -> tuple[int, int]:
    """ONNX Slice's clamping (onnx/defs/tensor/defs.cc Slice; onnxruntime slice_helper.h
    ``PrepareForComputeHelper``). onnxruntime reads an end of INT32_MAX or INT64_MAX as numpy's None:
    with a negative step it slices down to the first element (end -1), where the spec clamps it to
    dim - 1 and gets nothing (observed: 6 elements, start INT32_MAX, end INT32_MAX, step -2 give 3 in
    onnxruntime 1.32, 0 by shape inference)."""
    if dim == 0:  # nothing to take, whatever the bounds (the clamps below would give 1 for a negative step)
        return 0, 0
    if framework == "onnxruntime" and step < 0 and end in SLICE_TO_THE_END:
        end = -1 - dim  # -1 once dim is added below
    if start < 0:
        start += dim
    if end < 0:
        end += dim
    if step > 0:
        start = max(0, min(dim, start))
        end = max(0, min(dim, end))
        return start, max(0, (end - start + step - 1) // step)
    start = max(0, min(dim - 1, start))
    end = max(-1, min(dim - 1, end))
    return start, max(0, (start - end + (-step) - 1) // (-step))


def slice_op(ctx: Context, xs: Sequence[Tensor | None]) -> tuple[Tensor, ...]:
    """Slice: attributes before opset 10, inputs from 10 (starts, ends, axes, steps); bounds clamped
    as onnx/defs/tensor/defs.cc and onnxruntime slice_helper.h do (:func:`_slice_bounds`)."""
    x = xs[0]
    assert x is not None
    rank = len(x.shape)
    if ctx.opset < 10:
        starts, ends = ctx.ints("starts") or (), ctx.ints("ends") or ()
        axes = ctx.ints("axes") or tuple(range(len(starts)))
        steps: tuple[int, ...] = (1,) * len(starts)
    else:
        starts = ctx.int_values(xs[1], "starts input")
        ends = ctx.int_values(xs[2], "ends input")
        given_axes = xs[3] if len(xs) > 3 else None
        axes = ctx.int_values(given_axes, "axes input") if given_axes is not None else tuple(range(len(starts)))
        given_steps = xs[4] if len(xs) > 4 else None
        steps = ctx.int_values(given_steps, "steps input") if given_steps is not None else (1,) * len(starts)
    if not len(starts) == len(ends) == len(axes) == len(steps):
        raise ctx.error("Slice: starts, ends, axes and steps must have the same length", Rule.INVALID)
    shape = list(x.shape)
    picked: dict[int, tuple[int, int, int]] = {}
    for s, e, a, st in zip(starts, ends, axes, steps):
        axis = normalise_axis(ctx, a, rank)
        if st == 0:
            raise ctx.error("'step' value cannot be 0", Rule.STRIDE, step=0)
        if axis in picked:
            raise ctx.error(f"'axes' has duplicates: {list(axes)}", Rule.AXIS, axes=list(axes))
        first, count = _slice_bounds(s, e, st, x.shape[axis], ctx.framework)
        shape[axis] = count
        picked[axis] = (first, count, st)
    value = None
    if x.value is not None:
        chosen = [[first + i * st for i in range(count)] if a in picked else list(range(d))
                  for a, d in enumerate(x.shape) for first, count, st in [picked.get(a, (0, d, 1))]]
        value = pick(x.value, x.shape, chosen)
    return (Tensor(tuple(shape), x.dtype, value),)


def split(ctx: Context, xs: Sequence[Tensor | None]) -> tuple[Tensor, ...]:
    """Split (onnx/defs/tensor/defs.cc; onnxruntime split.cc ``PrepareForCompute``, observed texts):
    ``split`` as attribute (before 13) or input, else equal parts, or (opset 18) ``num_outputs``
    chunks of ceil(dim / n) with a smaller last one."""
    x = xs[0]
    assert x is not None
    axis = normalise_axis(ctx, int(ctx.attr("axis", 0)), len(x.shape))
    dim = x.shape[axis]
    outputs = len(ctx.node.outputs)
    parts: tuple[int, ...] | None
    if len(xs) > 1 and xs[1] is not None:
        parts = ctx.int_values(xs[1], "split input")
    else:
        parts = ctx.ints("split")
    if parts is not None:
        if sum(parts) != dim or any(p < 0 for p in parts):
            raise ctx.error(f"Cannot split using values in 'split' attribute. Axis={axis} Input shape={shown(x.shape)} "
                            f"NumOutputs={outputs} split={list(parts)}", Rule.INVALID, split=list(parts))
    else:
        if ctx.opset >= 18 and "num_outputs" not in ctx.node.attributes:
            # onnx/defs/tensor/defs.cc Split-18 shape inference (onnxruntime fails loading the model)
            raise ctx.error("[ShapeInferenceError] Neither 'split' input nor 'num_outputs' attribute has been given",
                            Rule.INVALID)
        n = int(ctx.attr("num_outputs", outputs))
        if "num_outputs" in ctx.node.attributes and n != outputs:
            # onnxruntime split.cc (observed, num_outputs 3 for 2 outputs); with fewer (num_outputs 2 for 3 outputs)
            # onnx 1.23.2's shape inference and onnxruntime 1.32 both abort the process (an out-of-range index)
            raise ctx.error(f"Number of outputs ({outputs}) does not match num_outputs ({n}).", Rule.INVALID,
                            outputs=outputs, num_outputs=n)
        if "num_outputs" in ctx.node.attributes:  # opset 18: ceil(dim / n) each, the last chunk smaller
            chunk = -(-dim // n)
            last = dim - (n - 1) * chunk
            if last < 0:  # onnxruntime split.cc PrepareForCompute
                raise ctx.error(f"Invalid num_outputs value of {n}. Split sizes would produce a negative final "
                                f"split. (axis {axis} of size {dim}: {n - 1} chunks of {chunk})", Rule.INVALID,
                                dim=dim, outputs=n)
            parts = (chunk,) * (n - 1) + (last,)
        else:
            if dim % n:
                raise ctx.error(f"Input cannot be split evenly on selected axis. Input shape={shown(x.shape)} "
                                f"Axis={axis} NumOutputs={n}", Rule.SPATIAL_DIVISIBLE, dim=dim, outputs=n)
            parts = (dim // n,) * n
    return tuple(Tensor(x.shape[:axis] + (p,) + x.shape[axis + 1:], x.dtype) for p in parts)


def pad(ctx: Context, xs: Sequence[Tensor | None]) -> tuple[Tensor, ...]:
    """Pad (onnx/defs/tensor/defs.cc): pads as attribute (before 11) or input, ``axes`` from 18,
    negative pads crop; reflect / edge limits as onnxruntime 1.32's pad.cc rejects them (observed)."""
    x = xs[0]
    assert x is not None
    rank = len(x.shape)
    if ctx.opset < 11:
        pads = ctx.ints("pads") or ()
        axes: tuple[int, ...] = tuple(range(rank))
    else:
        pads = ctx.int_values(xs[1], "pads input")
        given_axes = xs[3] if len(xs) > 3 else None
        axes = ctx.int_values(given_axes, "axes input") if given_axes is not None else tuple(range(rank))
    axes = tuple(normalise_axis(ctx, a, rank) for a in axes)
    twice = next((a for i, a in enumerate(axes) if a in axes[:i]), None)
    if twice is not None:  # onnx/defs/tensor/defs.cc Pad-18 shape inference (onnxruntime fails loading the model)
        raise ctx.error(f"[ShapeInferenceError] Axis {twice} is referred to more than once.", Rule.AXIS, axis=twice)
    if len(pads) != 2 * len(axes):
        raise ctx.error(f"Pads has incorrect number of values: {len(pads)} for {len(axes)} axes (rank {rank})",
                        Rule.AXIS_COUNT, pads=list(pads))
    before = [0] * rank
    after = [0] * rank
    for i, a in enumerate(axes):
        before[a], after[a] = pads[i], pads[i + len(axes)]
    shape = tuple(d + b + e for d, b, e in zip(x.shape, before, after))
    mode = ctx.attr("mode", "constant")
    if mode == "wrap" and not prod(x.shape) and any(before + after) and ctx.framework == "onnxruntime":
        raise ctx.error(f"Unexpected mode of 3 (onnxruntime 1.32 pad.cc: 'wrap' padding of an empty input "
                        f"{shown(x.shape)})", Rule.INPUT_EMPTY, mode=mode)
    for a, (d, o) in enumerate(zip(x.shape, shape)):
        if o < 0:
            raise ctx.error(f"Pad: the output would have a negative size on axis {a} ({d} + {before[a]} + "
                            f"{after[a]} = {o})", Rule.OUTPUT_NEGATIVE, axis=a, output=o)
        if mode in ("reflect", "edge") and d == 0 and o > 0:  # observed: {0} padded -2:2 runs (output {0})
            raise ctx.error(f"Cannot use '{mode}' mode to pad dimension with a value of 0. Input shape:"
                            f"{shown(x.shape)}", Rule.INPUT_EMPTY, axis=a)
    extents = [d + min(b, 0) + min(e, 0) for d, b, e in zip(x.shape, before, after)]
    if mode in ("reflect", "edge", "wrap") and min(extents) <= 0 and prod(x.shape) and ctx.framework == "onnxruntime":
        # onnxruntime pad.cc: a crop that leaves nothing (or less than nothing: 2 cropped by 3 and padded by 1
        # on the other side, observed) to reflect or repeat
        code = {"reflect": 1, "edge": 2, "wrap": 3}[mode]
        a = next(i for i, e in enumerate(extents) if e <= 0)
        raise ctx.error(f"Pad: invalid mode: {code} with zero effective input extent (axis {a}: "
                        f"{x.shape[a]} cropped by {before[a]}:{after[a]})", Rule.INPUT_EMPTY, axis=a)
    if mode == "reflect" and prod(x.shape) and ctx.framework == "onnxruntime":
        # onnxruntime 1.32 pad.cc (observed messages; an empty input skips these checks)
        sliced = any(min(b, e) < 0 for b, e in zip(before, after))
        for a, (d, b, e, extent) in enumerate(zip(x.shape, before, after, extents)):
            if sliced and max(b, e) > 0 and extent < 2:
                raise ctx.error(f"Pad reflect requires axis length >= 2 after slicing. Input shape:{shown(x.shape)}",
                                Rule.PADDING_WINDOW, axis=a)
            for side, amount in (("pre", b), ("post", e)):
                if sliced and amount >= extent:  # observed: {3} padded -1:4 "post-pad (4) exceeds maximum allowed (1)"
                    raise ctx.error(f"Pad reflect: {side}-pad ({amount}) exceeds maximum allowed ({extent - 1}) for "
                                    f"axis {a}. Input shape:{shown(x.shape)}", Rule.PADDING_WINDOW, axis=a,
                                    pad=amount, size=extent)
            inner = prod(x.shape[a + 1:])
            for side, amount in (("pre", b), ("post", e)):
                if not sliced and amount >= d > 0:
                    raise ctx.error(f"Pad reflect: {side}-pad ({amount * inner}) exceeds maximum allowed "
                                    f"({d * inner - 1}) for axis {a}. Input shape:{shown(x.shape)}",
                                    Rule.PADDING_WINDOW, axis=a, pad=amount, size=d)
    ctx.pad_before, ctx.pad_after = tuple(before[2:]), tuple(after[2:])
    return (Tensor(shape, x.dtype),)


# ---------------------------------------------------------------------------- reductions, matrix products
def reduce(ctx: Context, xs: Sequence[Tensor | None]) -> tuple[Tensor, ...]:
    x = xs[0]
    assert x is not None
    rank = len(x.shape)
    op = ctx.node.op_type
    as_input = ctx.opset >= 18 or (op == "ReduceSum" and ctx.opset >= 13)
    axes = (ctx.int_values(xs[1], "axes input") if len(xs) > 1 and xs[1] is not None else None) if as_input \
        else ctx.ints("axes")
    keepdims = int(ctx.attr("keepdims", 1))
    if not axes:
        if int(ctx.attr("noop_with_empty_axes", 0)):
            return (Tensor(x.shape, x.dtype, x.value),)
        axes = tuple(range(rank))
    chosen = {normalise_axis(ctx, a, rank) for a in axes}
    shape = tuple(1 if i in chosen else d for i, d in enumerate(x.shape) if keepdims or i not in chosen)
    return (Tensor(shape, x.dtype),)


def arg_reduce(ctx: Context, xs: Sequence[Tensor | None]) -> tuple[Tensor, ...]:
    x = xs[0]
    assert x is not None
    axis = normalise_axis(ctx, int(ctx.attr("axis", 0)), len(x.shape))
    if x.shape[axis] == 0 and prod(x.shape[:axis] + x.shape[axis + 1:]) and ctx.framework == "onnxruntime":
        # onnxruntime 1.32 fails (RUNTIME_EXCEPTION, an empty message) reducing an empty axis to its arg max / min;
        # shape inference gives a 1 there
        raise ctx.error(f"{ctx.node.op_type}: the axis {axis} it reduces is empty (input {shown(x.shape)}): "
                        f"onnxruntime fails running it", Rule.INPUT_EMPTY, axis=axis)
    keep = int(ctx.attr("keepdims", 1))
    shape = tuple(1 if i == axis else d for i, d in enumerate(x.shape) if keep or i != axis)
    return (Tensor(shape, INT64),)


def topk(ctx: Context, xs: Sequence[Tensor | None]) -> tuple[Tensor, ...]:
    x = xs[0]
    assert x is not None
    k = ctx.int_values(xs[1], "K input")[0] if ctx.opset >= 10 else int(ctx.attr("k", 1))
    if ctx.opset < 10 and k < 1:  # onnx/defs/math/old.cc TopK-1 shape inference (onnxruntime fails loading it)
        raise ctx.error(f"[ShapeInferenceError] Invalid value for attribute k ({k}: TopK-1 takes k >= 1)",
                        Rule.OUTPUT_SIZE, k=k)
    axis = normalise_axis(ctx, int(ctx.attr("axis", -1)), len(x.shape))
    if not 0 <= k <= x.shape[axis]:
        raise ctx.error(f"k argument [{k}] should not be greater than specified axis dim value [{x.shape[axis]}]",
                        Rule.OUTPUT_SIZE, k=k, dim=x.shape[axis])
    shape = x.shape[:axis] + (k,) + x.shape[axis + 1:]
    return (Tensor(shape, x.dtype), Tensor(shape, INT64))


def gemm(ctx: Context, xs: Sequence[Tensor | None]) -> tuple[Tensor, ...]:
    """Gemm (onnx/defs/math/defs.cc; onnxruntime gemm_helper.h): 2-D A and B (transA / transB), K
    equal, C broadcast to (M, N). The messages are convshape's, with the numbers."""
    a, b, c = xs[0], xs[1], xs[2] if len(xs) > 2 else None
    assert a is not None and b is not None
    if len(a.shape) != 2 or len(b.shape) != 2:
        raise ctx.error(f"Gemm takes 2-D A and B, but got {shown(a.shape)} and {shown(b.shape)}", Rule.RANK,
                        a=list(a.shape), b=list(b.shape))
    m, k = a.shape[::-1] if int(ctx.attr("transA", 0)) else a.shape
    k2, n = b.shape[::-1] if int(ctx.attr("transB", 0)) else b.shape
    if k != k2:
        raise ctx.error(f"GEMM: Dimension mismatch, A: {shown(a.shape)} B: {shown(b.shape)}: K {k} (A) and {k2} (B) "
                        f"differ", Rule.IN_FEATURES, k=k, b_k=k2)
    if c is not None and broadcast(ctx, [(m, n), c.shape]) != (m, n):
        raise ctx.error(f"Gemm: C {shown(c.shape)} does not broadcast to {shown((m, n))}", Rule.BROADCAST,
                        c=list(c.shape))
    ctx.macs = m * n * k
    return (Tensor((m, n), a.dtype),)


def matmul(ctx: Context, xs: Sequence[Tensor | None]) -> tuple[Tensor, ...]:
    """MatMul as numpy.matmul (onnx/defs/math/defs.cc; onnxruntime matmul_helper.h, whose rejection
    begins "MatMul dimension mismatch"): 1-D operands promoted, batch axes broadcast."""
    a, b = xs[0], xs[1]
    assert a is not None and b is not None
    if not a.shape or not b.shape:
        raise ctx.error("MatMul: an input is a scalar", Rule.RANK)
    sa = (1,) + a.shape if len(a.shape) == 1 else a.shape
    sb = b.shape + (1,) if len(b.shape) == 1 else b.shape
    if sa[-1] != sb[-2]:
        raise ctx.error(f"MatMul dimension mismatch: the left's last axis {sa[-1]} is not the right's "
                        f"second-to-last {sb[-2]} ({shown(a.shape)} x {shown(b.shape)})", Rule.IN_FEATURES,
                        a=list(a.shape), b=list(b.shape))
    batch = broadcast(ctx, [sa[:-2], sb[:-2]])
    shape = batch + ((sa[-2],) if len(a.shape) > 1 else ()) + ((sb[-1],) if len(b.shape) > 1 else ())
    ctx.macs = prod(batch) * sa[-2] * sb[-1] * sa[-1]
    return (Tensor(shape, a.dtype),)


# ---------------------------------------------------------------------------- normalisation
def batchnorm(ctx: Context, xs: Sequence[Tensor | None]) -> tuple[Tensor, ...]:
    x = xs[0]
    assert x is not None
    if not x.shape:
        raise ctx.error(f"BatchNormalization needs at least N and C, but the input is {shown(x.shape)}", Rule.RANK)
    # a 1-D input has one channel (onnx/defs/nn/defs.cc BatchNormalization: C = dims[1] if rank > 1 else 1;
    # observed in shape inference and onnxruntime 1.32: {3} with scale {1} runs, scale {3} fails)
    c = x.shape[1] if len(x.shape) > 1 else 1
    for i, what in zip(range(1, 5), ("scale", "B", "mean", "var")):
        p = xs[i] if len(xs) > i else None
        if p is not None and p.shape != (c,):
            raise ctx.error(f"Invalid input {what}: 0th dimension != {c} (it is {shown(p.shape)})", Rule.CHANNELS,
                            channels=c)
    outs = [Tensor(x.shape, x.dtype)] + [Tensor((c,), x.dtype)] * (len(ctx.node.outputs) - 1)
    return tuple(outs)


def channel_norm(ctx: Context, xs: Sequence[Tensor | None]) -> tuple[Tensor, ...]:
    """InstanceNormalization and GroupNormalization: the output is the input's shape."""
    x = xs[0]
    assert x is not None
    if len(x.shape) < 2:
        raise ctx.error(f"{ctx.node.op_type} needs at least N and C, but the input is {shown(x.shape)}", Rule.RANK)
    groups = ctx.attr("num_groups")
    if groups is not None and x.shape[1] % int(groups):
        raise ctx.error(f"GroupNormalization: the {x.shape[1]} channels are not divisible by num_groups={groups}",
                        Rule.GROUPS, channels=x.shape[1], groups=groups)
    if ctx.framework == "onnxruntime":
        c = x.shape[1]
        if groups is None and len(x.shape) < 3:  # instance_norm_helper.h ValidateInputs
            raise ctx.error(f"Invalid input data: number of dimensions is less than 3: {len(x.shape)}", Rule.RANK,
                            rank=len(x.shape))
        # InstanceNormalization: scale and B of C values (instance_norm_helper.h, observed "size of scale !=
        # input channel count"); GroupNormalization-18 (a function of Reshapes in onnxruntime 1.32): num_groups
        # values, -21: C values, or a Reshape inside fails (observed both)
        if groups is not None and not prod(x.shape):
            # the function body's Reshape to (N, num_groups, -1) cannot size its -1 (observed, opsets 18 and 21)
            raise ctx.error(f"GroupNormalization of an empty input {shown(x.shape)}: the Reshape in onnxruntime's "
                            f"function body fails", Rule.INPUT_EMPTY, input=list(x.shape))
        want = int(groups) if groups is not None and ctx.opset < 21 else c
        for i, what in ((1, "scale"), (2, "bias")):
            p = xs[i] if len(xs) > i else None
            if p is not None and prod(p.shape) != want:
                raise ctx.error(f"Mismatch between input data and {what}: size of {what} != "
                                f"{'num_groups' if want != c else 'input channel count'} {prod(p.shape)} vs {want}",
                                Rule.CHANNELS, channels=want)
    return (Tensor(x.shape, x.dtype),)


def layernorm(ctx: Context, xs: Sequence[Tensor | None]) -> tuple[Tensor, ...]:
    x = xs[0]
    assert x is not None
    axis = normalise_axis(ctx, int(ctx.attr("axis", -1)), len(x.shape))
    normalised = x.shape[axis:]
    if ctx.framework == "onnxruntime" and not prod(normalised):  # onnxruntime layer_norm_helper.h (observed)
        raise ctx.error(f"Size of X.shape[axis:] must be at least 1, got 0 (X {shown(x.shape)}, axis {axis})",
                        Rule.INPUT_EMPTY, axis=axis)
    for i, what in ((1, "Scale"), (2, "bias")):
        p = xs[i] if len(xs) > i else None
        if p is not None and ctx.framework == "onnxruntime" and (
                len(p.shape) > len(x.shape) or any(d not in (1, n) for d, n in zip(p.shape[::-1], x.shape[::-1]))):
            # onnxruntime layer_norm_helper.h: Scale and B broadcast to X (observed: {2} for X {1,2,1} fails, {2,4}
            # for X {1,2,4} at axis -1 runs)
            raise ctx.error(f"Scale and (optional) bias must match X.shape[axis:] or be NumPy-broadcastable to it "
                            f"({what} {shown(p.shape)}, X {shown(x.shape)}, axis {axis})", Rule.BROADCAST,
                            shape=list(p.shape))
    stats = x.shape[:axis] + (1,) * (len(x.shape) - axis)
    return (Tensor(x.shape, x.dtype),) + tuple(Tensor(stats, 1) for _ in ctx.node.outputs[1:])


def dropout(ctx: Context, xs: Sequence[Tensor | None]) -> tuple[Tensor, ...]:
    x = xs[0]
    assert x is not None
    return (Tensor(x.shape, x.dtype, x.value), Tensor(x.shape, BOOL))[:max(1, len(ctx.node.outputs))]


# ---------------------------------------------------------------------------- spatial ops (the framework registry)
#: the registry's per-axis answers (results or rejections) by their arguments: a sweep asks the same
#: axis of the same layer again for every input size that reaches it
_AXES: dict[tuple[Any, ...], Any] = {}


def cached(key: tuple[Any, ...], compute: Callable[[], Any]) -> Any:
    """``compute()`` once per key: its result, or the ShapeError it raised, raised again."""
    found = _AXES.get(key, _AXES)
    if found is _AXES:
        try:
            found = compute()
        except ShapeError as exc:
            found = exc.with_traceback(None)  # kept: no frames held alive
        if len(_AXES) > 1_000_000:
            _AXES.clear()
        _AXES[key] = found
    if isinstance(found, ShapeError):
        raise ShapeError(found.message, framework=found.framework, rule=found.rule, values=found.values)
    return found


def _spatial(ctx: Context, x: Tensor, what: str) -> tuple[int, ...]:
    if len(x.shape) < 3:
        raise ctx.error(f"{what} needs an (N, C, spatial...) input, but got {shown(x.shape)}", Rule.RANK,
                        input=list(x.shape))
    return x.shape[2:]


def _padding(ctx: Context, n: int) -> Any:
    """The padding argument the registry's rules take: a keyword for auto_pad, else the pads pairs."""
    auto = str(ctx.attr("auto_pad", "NOTSET")).upper()
    if auto in ("SAME_UPPER", "SAME_LOWER", "VALID"):
        return {"SAME_UPPER": "same-upper", "SAME_LOWER": "same-lower", "VALID": "valid"}[auto]
    if auto != "NOTSET":
        raise ctx.error(f"auto_pad {auto!r} is not NOTSET, SAME_UPPER, SAME_LOWER or VALID", Rule.PADDING_KEYWORD,
                        auto_pad=auto)
    pads = ctx.ints("pads") or (0,) * (2 * n)
    if len(pads) != 2 * n:
        raise ctx.error(f"Attribute pads has {len(pads)} values; it needs {2 * n} for {n} spatial axes",
                        Rule.AXIS_COUNT, pads=list(pads))
    return [(pads[i], pads[i + n]) for i in range(n)]


def _per_axis(ctx: Context, name: str, n: int, default: int) -> tuple[int, ...]:
    values = ctx.ints(name) or (default,) * n
    if len(values) != n:
        raise ctx.error(f"Attribute {name} has {len(values)} values; it needs {n}, one per spatial axis",
                        Rule.AXIS_COUNT, **{name: list(values)})
    return values


def conv(ctx: Context, xs: Sequence[Tensor | None]) -> tuple[Tensor, ...]:

    x, w = xs[0], xs[1]
    assert x is not None and w is not None
    ins = _spatial(ctx, x, "Conv")
    n = len(ins)
    if len(w.shape) != n + 2:
        raise ctx.error(f"Conv: the weight {shown(w.shape)} has rank {len(w.shape)}, the input {shown(x.shape)} "
                        f"rank {len(x.shape)}", Rule.RANK, weight=list(w.shape))
    ks = _per_axis(ctx, "kernel_shape", n, 0) if ctx.attr("kernel_shape") is not None else w.shape[2:]
    group = int(ctx.attr("group", 1))
    if x.shape[1] != w.shape[1] * group:
        raise ctx.error(f"Input channels C is not equal to kernel channels * group. C: {x.shape[1]} kernel channels: "
                        f"{w.shape[1]} group: {group}", Rule.GROUPS, channels=x.shape[1], groups=group)
    if w.shape[0] % group:
        raise ctx.error(f"Output channels M is not divisible by group. M: {w.shape[0]} group: {group}", Rule.GROUPS,
                        out_channels=w.shape[0], groups=group)
    setup = ctx.cache.get("conv")
    if setup is None or setup[0] != n:
        padding = _padding(ctx, n)
        setup = ctx.cache["conv"] = (n, _per_axis(ctx, "strides", n, 1), _per_axis(ctx, "dilations", n, 1),
                                     [padding] * n if isinstance(padding, str) else padding)
    _, ss, ds, pads = setup
    fw = get(ctx.spatial).conv
    specs = [AxisSpec(i, k, s, d) for i, k, s, d in zip(ins, ks, ss, ds)]
    for spec in specs:
        cached(("check", fw.name, spec), lambda spec=spec: fw.check_axis(spec))  # type: ignore[misc]
    fw.check_layer(specs, False)
    axes = each_axis(lambda _, spec, p: cached(("conv", fw.name, n, spec, p),
                                               lambda: conv_axis(fw, spec, p, n)), specs, pads)
    outs = tuple(a.output for a in axes)
    ctx.pad_before, ctx.pad_after = tuple(a.pad_before for a in axes), tuple(a.pad_after for a in axes)
    ctx.notes += fw.notes(specs, pads, False)
    ctx.macs = x.shape[0] * w.shape[0] * prod(outs) * w.shape[1] * prod(ks)
    return (Tensor((x.shape[0], w.shape[0], *outs), x.dtype),)


def conv_transpose(ctx: Context, xs: Sequence[Tensor | None]) -> tuple[Tensor, ...]:

    x, w = xs[0], xs[1]
    assert x is not None and w is not None
    ins = _spatial(ctx, x, "ConvTranspose")
    n = len(ins)
    group = int(ctx.attr("group", 1))
    if x.shape[1] != w.shape[0]:
        raise ctx.error(f"Input channels C is not equal to the weight's first axis: C: {x.shape[1]} weight "
                        f"{shown(w.shape)}", Rule.CHANNELS, channels=x.shape[1])
    ks = _per_axis(ctx, "kernel_shape", n, 0) if ctx.attr("kernel_shape") is not None else w.shape[2:]
    fw = get(ctx.spatial).conv
    ss, ds = _per_axis(ctx, "strides", n, 1), _per_axis(ctx, "dilations", n, 1)
    ops = _per_axis(ctx, "output_padding", n, 0)
    wanted = ctx.ints("output_shape")
    if wanted is not None and len(wanted) == n + 2:
        wanted = wanted[2:]
    if wanted is not None and len(wanted) != n:
        raise ctx.error(f"output_shape has {len(wanted)} values; it needs {n}", Rule.AXIS_COUNT,
                        output_shape=list(wanted))
    padding = _padding(ctx, n)
    pads = [padding] * n if isinstance(padding, str) else padding
    specs = [AxisSpec(i, k, s, d) for i, k, s, d in zip(ins, ks, ss, ds)]
    for spec in specs:
        fw.check_axis(spec, transposed=True)
    fw.check_layer(specs, True)
    axes = each_axis(lambda axis, spec, p: fw.transposed(spec, p, ops[axis], wanted[axis] if wanted else None, n,
                                                         axis), specs, pads)
    outs = tuple(a.output for a in axes)
    ctx.pad_before, ctx.pad_after = tuple(a.pad_before for a in axes), tuple(a.pad_after for a in axes)
    ctx.notes += fw.result_notes(axes, True)
    cout = w.shape[1] * group
    ctx.macs = prod(x.shape) * w.shape[1] * prod(ks)
    return (Tensor((x.shape[0], cout, *outs), x.dtype),)


POOL_KINDS = {"MaxPool": "max", "AveragePool": "avg", "LpPool": "lp"}

#: the opset each pooling attribute appeared in (MaxPool-8 storage_order, MaxPool-10 ceil_mode and dilations,
#: AveragePool-7 count_include_pad, -10 ceil_mode, -19 dilations, LpPool-18 both; onnx/defs/nn/old.cc): an older
#: model naming one is invalid, and onnx.checker and onnxruntime 1.32 refuse it (observed for each)
POOL_ATTRIBUTE_SINCE = {"MaxPool": {"storage_order": 8, "ceil_mode": 10, "dilations": 10},
                        "AveragePool": {"count_include_pad": 7, "ceil_mode": 10, "dilations": 19},
                        "LpPool": {"ceil_mode": 18, "dilations": 18}}


def pool(ctx: Context, xs: Sequence[Tensor | None]) -> tuple[Tensor, ...]:

    x = xs[0]
    assert x is not None
    op = ctx.node.op_type
    for name, since in POOL_ATTRIBUTE_SINCE[op].items():
        if ctx.opset and ctx.opset < since and name in ctx.node.attributes:
            raise ctx.error(f"Unrecognized attribute: {name} for operator {op} (the model is opset {ctx.opset}; "
                            f"{op} has {name} from opset {since}): onnx.checker and onnxruntime refuse the model",
                            Rule.INVALID, attribute=name, opset=ctx.opset)
    ins = _spatial(ctx, x, op)
    n = len(ins)
    if ctx.attr("kernel_shape") is None:
        raise ctx.error(f"{op} needs kernel_shape", Rule.KERNEL_SIZE)
    ks = _per_axis(ctx, "kernel_shape", n, 1)
    ss, ds = _per_axis(ctx, "strides", n, 1), _per_axis(ctx, "dilations", n, 1)
    axes = pool_axes(POOL_KINDS[op], ins, ks, ss, _padding(ctx, n), ds, bool(int(ctx.attr("ceil_mode", 0))),
                     framework=ctx.spatial, ndim=n, opset=ctx.opset or None)
    outs = tuple(c.output for _, c in axes)
    ctx.pad_before, ctx.pad_after = tuple(c.pad_before for _, c in axes), tuple(c.pad_after for _, c in axes)
    shape = (x.shape[0], x.shape[1], *outs)
    bounds = None
    if len(ctx.node.outputs) > 1 and prod(shape):
        base = (prod(x.shape[:2]) - 1) * prod(ins)
        strides = strides_of(ins)
        first = [max(0, (c.output - 1) * a.stride - c.pad_before) for a, c in axes]
        last = [min(a.input - 1, (c.output - 1) * a.stride - c.pad_before + (a.kernel - 1) * a.dilation)
                for a, c in axes]
        bounds = (base + sum(f * st for f, st in zip(first, strides)),
                  base + sum(v * st for v, st in zip(last, strides)))
    return (Tensor(shape, x.dtype), Tensor(shape, INT64, None, bounds))[:max(1, len(ctx.node.outputs))]


def global_pool(ctx: Context, xs: Sequence[Tensor | None]) -> tuple[Tensor, ...]:
    x = xs[0]
    assert x is not None
    op = ctx.node.op_type
    if op == "GlobalLpPool" and ctx.framework == "onnxruntime" and ctx.opset and not 2 <= ctx.opset < 22:
        # onnxruntime 1.32 registers GlobalLpPool for opsets 2 to 21 only (observed: "Could not find an
        # implementation for GlobalLpPool(1)" and "(22)" when it loads the model)
        raise ctx.error(f"Could not find an implementation for GlobalLpPool({1 if ctx.opset < 2 else 22}) node "
                        f"(onnxruntime 1.32's CPU provider has GlobalLpPool-2 to -21; the model is opset "
                        f"{ctx.opset})", Rule.NOT_IN_FRAMEWORK, opset=ctx.opset)
    ins = _spatial(ctx, x, op)
    if not prod(x.shape) and x.shape[0] and ctx.framework == "onnxruntime":
        # pool_attributes.h SetOutputSize: input_shape.Size() > 0 || input_shape[0] == 0 (0 channels fail too)
        raise ctx.error("Invalid input shape. Only N can be zero. Got:" + shown(x.shape), Rule.INPUT_SIZE,
                        input=list(x.shape))
    return (Tensor(x.shape[:2] + (1,) * len(ins), x.dtype),)


def max_unpool(ctx: Context, xs: Sequence[Tensor | None]) -> tuple[Tensor, ...]:

    x = xs[0]
    assert x is not None
    ins = _spatial(ctx, x, "MaxUnpool")
    n = len(ins)
    indices = xs[1]
    if indices is not None and indices.shape != x.shape and ctx.framework == "onnxruntime":  # unpool.cc Compute
        raise ctx.error(f"Index tensor shape should be same as that of the input data tensor to unpool. (X "
                        f"{shown(x.shape)}, I {shown(indices.shape)})", Rule.INVALID, x=list(x.shape),
                        indices=list(indices.shape))
    ks = _per_axis(ctx, "kernel_shape", n, 1)
    ss = _per_axis(ctx, "strides", n, 1)
    pads = _padding(ctx, n)
    given = xs[2] if len(xs) > 2 else None
    outs = None
    if given is not None:
        full = ctx.int_values(given, "output_shape input")
        outs = full[2:] if len(full) == n + 2 else full
    axes, _, _, notes = get(ctx.spatial).unpool.unpool(ins, ks, ss, pads, outs, n, ctx.attr("strides") is not None)
    ctx.pad_before, ctx.pad_after = tuple(a.pad_before for a in axes), tuple(a.pad_after for a in axes)
    shape = x.shape[:2] + tuple(a.output for a in axes)
    bounds = indices.index_bounds if indices is not None else None
    if bounds is not None and bounds[0] >= prod(shape) and ctx.framework == "onnxruntime":
        # onnxruntime unpool.cc checks every index against the output's size: the max pool's last window
        # starts past it in every case (its indices are flat positions in the pooled input, N and C included)
        raise ctx.error(f"Index value out of bounds. The max pool's indices reach at least {bounds[0]}; valid range is "
                        f"[0, {prod(shape)}) for the output {shown(shape)} (give output_shape the max pool's input "
                        f"shape)", Rule.OUTPUT_SIZE, index=bounds[0], size=prod(shape))
    if bounds is not None and bounds[1] >= prod(shape):
        ctx.notes.append(f"the max pool's indices may reach {bounds[1]} (where a last window's maximum lies), past the "
                         f"output's {prod(shape)} cells: onnxruntime then fails ('Index value out of bounds'); it "
                         f"depends on the data")
    return (Tensor(shape, x.dtype),)


def _onnxruntime_scales_check(ctx: Context, shape: tuple[int, ...], scales: dict[int, float],
                              sizes: dict[int, int]) -> None:
    """onnxruntime 1.32's ``UpsampleBase::ScalesValidation`` (core/providers/cpu/tensor/upsamplebase.h),
    over the full-rank scales (1 on an axis not resized; a size's scale is size / input, one ratio for
    every axis given under keep_aspect_ratio_policy): Upsample's scales are >= 1, Resize's > 0; 'linear'
    takes a 2-D or 3-D input, a 4-D one whose two outer scales are 1 or whose outer and inner scales
    are 1, a 5-D one whose two outer scales are 1; 'cubic' a 2-D input or a 4-D one whose two outer
    scales are 1, or whose outer and inner ones are 1 with antialias or the others >= 1. Each case
    observed (messages shortened); and (``ParseScalesDataAndAdjustOutputSize``) an empty axis cannot be
    resized to a non-empty one."""
    op = ctx.node.op_type
    rank = len(shape)
    for a, size in sizes.items():
        if shape[a] == 0 and size != 0:
            raise ctx.error(f"Input dim is zero but required output dim is non-zero. Cannot scale 0 by any factor to "
                            f"generate a non-zero value. Dimension: {a} Input dim value: 0 Output dim value: {size}",
                            Rule.INPUT_EMPTY, axis=a)
    if sizes:
        ratios = {a: (size / shape[a] if shape[a] else 1.0) for a, size in sizes.items()}
        policy = str(ctx.attr("keep_aspect_ratio_policy", "stretch"))
        if policy in ("not_larger", "not_smaller"):
            one = (min if policy == "not_larger" else max)(ratios.values())
            ratios = dict.fromkeys(ratios, one)
        scales = ratios
    full = [scales.get(a, 1.0) for a in range(rank)]
    if op == "Upsample" and any(v < 1 for v in full):
        raise ctx.error(f"Scale value should be greater than or equal to 1. (Upsample scales {full})",
                        Rule.SCALE_POSITIVE, scales=full)
    if any(not v > 0 for v in full):
        raise ctx.error(f"Scale value should be greater than 0. (scales {full})", Rule.SCALE_POSITIVE, scales=full)
    mode = str(ctx.attr("mode", "nearest"))
    outer2 = rank >= 2 and full[0] == 1 and full[1] == 1
    outer_inner = rank >= 2 and full[0] == 1 and full[-1] == 1
    if mode == "linear" and not (rank in (2, 3) or (rank == 4 and (outer2 or outer_inner)) or (rank == 5 and outer2)):
        raise ctx.error(f"'Linear' mode only supports: 2-D inputs or 3-D inputs ('Bilinear', 'Trilinear') or 4-D "
                        f"inputs with the corresponding outermost 2 scale values being 1 or the corresponding "
                        f"outermost and innermost scale values being 1 or 5-D inputs with the corresponding "
                        f"outermost 2 scale values being 1 in the {op} operator (a rank-{rank} input, scales "
                        f"{full})", Rule.MODE_RANK, scales=full)
    antialias = bool(int(ctx.attr("antialias", 0)))
    if mode == "cubic" and not (rank == 2 or (rank == 4 and (outer2 or (outer_inner and (
            antialias or all(v >= 1 for v in full)))))):
        raise ctx.error(f"'Cubic' mode only supports: 2-D inputs ('Bicubic') or 4-D inputs with the corresponding "
                        f"outermost 2 scale values being 1 or the corresponding outermost and innermost scale values "
                        f"being 1 with antialias attribute or the corresponding outermost and innermost scale values "
                        f"being 1 and other scales >= 1 without antialias attribute in the {op} operator (a rank-"
                        f"{rank} input, scales {full})", Rule.MODE_RANK, scales=full)


def resize(ctx: Context, xs: Sequence[Tensor | None]) -> tuple[Tensor, ...]:
    """Resize (opset 10+: scales or sizes input; 18+: axes, keep_aspect_ratio_policy) and Upsample
    (scales attribute in opset 7, input in 9): the resized axes go through the registry's Resize
    rules (the spec's floor(float32 scale x input), onnxruntime's float32 product)."""
    from convshape.rules.resample import onnx_policy_outputs, onnx_scaled_output, onnxruntime_scaled_output

    x = xs[0]
    assert x is not None
    rank = len(x.shape)
    op = ctx.node.op_type
    scales: tuple[float, ...] | None = None
    sizes: tuple[int, ...] | None = None
    if op == "Upsample" and ctx.opset < 9:
        scales = tuple(float(v) for v in ctx.attr("scales", ()))
    elif op == "Upsample":
        scales = tuple(float(v) for v in ctx.value_of(xs[1], "scales input"))
    else:
        scale_in = xs[2] if len(xs) > 2 and ctx.opset >= 11 else (xs[1] if ctx.opset < 11 else None)
        size_in = xs[3] if len(xs) > 3 else None
        if scale_in is not None and prod(scale_in.shape) > 0:
            scales = tuple(float(v) for v in ctx.value_of(scale_in, "scales input"))
        if size_in is not None and prod(size_in.shape) > 0:
            if scales is not None:
                raise ctx.error("Only one of scales or sizes must be provided", Rule.SIZE_AND_SCALE)
            sizes = ctx.int_values(size_in, "sizes input")
        if scales is None and sizes is None:
            raise ctx.error("Either `sizes` or `scales` must be provided, but not both of them", Rule.SIZE_OR_SCALE)
    axes = tuple(normalise_axis(ctx, a, rank) for a in (ctx.ints("axes") or range(rank)))
    given = scales if scales is not None else sizes
    assert given is not None
    if len(given) != len(axes):
        raise ctx.error(f"Resize: {'scales' if scales is not None else 'sizes'} has {len(given)} values for a "
                        f"rank-{rank} input (axes {list(axes)})", Rule.AXIS_COUNT, values=list(given))
    if len(set(axes)) != len(axes):  # onnx/defs/tensor/defs.cc Resize-18 (onnxruntime fails loading the model)
        twice = next(a for i, a in enumerate(axes) if a in axes[:i])
        raise ctx.error(f"[ShapeInferenceError] Axis {twice} is referred to more than once.", Rule.AXIS, axis=twice)
    full_scales = dict(zip(axes, scales)) if scales is not None else {}
    full_sizes = dict(zip(axes, sizes)) if sizes is not None else {}
    if ctx.spatial == "onnxruntime":
        _onnxruntime_scales_check(ctx, x.shape, full_scales, full_sizes)
    moving = [a for a in axes if (full_scales.get(a, 1.0) != 1.0 if scales is not None
                                  else full_sizes.get(a) != x.shape[a])]
    if any(a < 2 for a in moving) or rank < 3:
        # N or C resized (or no spatial axes): the formulas directly, per axis
        out = list(x.shape)
        policy = str(ctx.attr("keep_aspect_ratio_policy", "stretch"))
        if sizes is not None and policy in ("not_larger", "not_smaller"):
            # one scale for every axis given, as on spatial axes (observed: 6x6 to sizes 9x3, not_larger -> 3x3)
            spec, runtime, _ = onnx_policy_outputs([x.shape[a] for a in axes], sizes, policy)
            for a, o in zip(axes, runtime if ctx.framework == "onnxruntime" else spec):
                out[a] = o
            return (Tensor(tuple(out), x.dtype),)
        for a in axes:
            if scales is not None:
                s = full_scales[a]
                if not s > 0:
                    raise ctx.error("Scale value should be greater than 0.", Rule.SCALE_POSITIVE, scale=s)
                out[a] = (onnxruntime_scaled_output if ctx.framework == "onnxruntime" else onnx_scaled_output)(
                    x.shape[a], s)
            else:
                out[a] = full_sizes[a]
        return (Tensor(tuple(out), x.dtype),)
    spatial = tuple(range(2, rank))
    ins = x.shape[2:]
    mode = str(ctx.attr("mode", "nearest"))
    transform = str(ctx.attr("coordinate_transformation_mode", "half_pixel"))
    policy = str(ctx.attr("keep_aspect_ratio_policy", "stretch"))
    warnings: list[str] = []
    notes: list[str] = []
    n = len(spatial)
    if scales is not None:
        sp_scales: tuple[float, ...] | None = tuple(full_scales.get(a, 1.0) for a in spatial)
        sp_sizes = None
    else:
        sp_scales = None
        sp_sizes = tuple(full_sizes.get(a, x.shape[a]) for a in spatial)
        if policy != "stretch":  # the policy's one scale is over the axes given, not the ones left alone
            sp_sizes = tuple(full_sizes[a] for a in spatial if a in full_sizes)
            ins = tuple(x.shape[a] for a in spatial if a in full_sizes)
            n = len(ins)
    antialias = bool(int(ctx.attr("antialias", 0)))
    if ctx.spatial == "torch":
        result = torch_interpolate(ctx, n, ins, sp_sizes, sp_scales, mode, transform, antialias, policy, warnings,
                                   notes)
    else:
        result = get(ctx.spatial).resample.interpolate(
            n, ins, sp_sizes, sp_scales, sp_scales, mode, transform == "align_corners", None, antialias, policy,
            False, False, "onnx Resize", True, warnings, notes)
    out = list(x.shape)
    chosen = [a for a in spatial if a in full_sizes] if scales is None and policy != "stretch" else list(spatial)
    for a, o in zip(chosen, result.outputs):
        out[a] = o
    ctx.notes += warnings
    return (Tensor(tuple(out), x.dtype),)


#: ONNX Resize's interpolating modes as torch's F.interpolate names them, per number of spatial axes
#: (torch/onnx/symbolic_opset11.py and symbolic_helper.py _interpolate_helper write the reverse mapping)
TORCH_MODES = {("linear", 1): "linear", ("linear", 2): "bilinear", ("linear", 3): "trilinear",
               ("cubic", 2): "bicubic"}


def torch_interpolate(ctx: Context, n: int, ins: tuple[int, ...], sizes: tuple[int, ...] | None,
                      scales: tuple[float, ...] | None, mode: str, transform: str, antialias: bool, policy: str,
                      warnings: list[str], notes: list[str]) -> Any:
    """A Resize as the ``F.interpolate`` it was exported from (torch's registry rules): ``size`` as
    the sizes input, ``scale_factor`` as the scales (torch floors ``double(n) * scale``,
    aten/src/ATen/native/UpSample.h compute_output_size; onnxruntime multiplies in float32), the
    interpolating modes by their torch names, ``align_corners`` from the coordinate mode."""
    if policy != "stretch":
        raise ShapeError(f"torch's interpolate has no keep_aspect_ratio_policy (got {policy!r})", framework="torch",
                         rule=Rule.OPTION_UNSUPPORTED, values={"policy": policy})
    torch_mode = "nearest" if mode == "nearest" else TORCH_MODES.get((mode, n), mode)
    align = None if torch_mode == "nearest" else transform == "align_corners"
    return get("torch").resample.interpolate(n, ins, sizes, scales, scales, torch_mode, align, None, antialias, None,
                                             False, False, "interpolate", False, warnings, notes)


def depth_space(ctx: Context, xs: Sequence[Tensor | None]) -> tuple[Tensor, ...]:

    x = xs[0]
    assert x is not None
    shape = get(ctx.spatial).resample.pixel_shuffle(x.shape, int(ctx.attr("blocksize", 0)),
                                                      ctx.node.op_type == "SpaceToDepth", "NCHW", [], [])
    return (Tensor(shape, x.dtype),)


# ---------------------------------------------------------------------------- the registry
ShapeFunction = Callable[[Context, Sequence[Tensor | None]], tuple[Tensor, ...]]

UNARY = ("Relu", "LeakyRelu", "Sigmoid", "Tanh", "HardSigmoid", "HardSwish", "Gelu", "Erf", "Exp", "Log", "Sqrt",
         "Abs", "Neg", "Floor", "Ceil", "Round", "Sign", "Reciprocal", "Elu", "Selu", "Celu", "Softplus", "Softsign",
         "ThresholdedRelu", "Mish", "Sin", "Cos", "Tan", "Asin", "Acos", "Atan", "Sinh", "Cosh", "Asinh", "Acosh",
         "Atanh", "Not", "IsNaN", "IsInf", "Identity", "Clip", "Shrink", "BitwiseNot")
BINARY = ("Add", "Sub", "Mul", "Div", "Pow", "Mod", "Max", "Min", "Sum", "Mean", "Equal", "Less", "Greater",
          "LessOrEqual", "GreaterOrEqual", "And", "Or", "Xor", "BitShift", "BitwiseAnd", "BitwiseOr", "BitwiseXor")
SAME_SHAPE = ("LRN", "MeanVarianceNormalization")

OPS: dict[str, ShapeFunction] = {
    **dict.fromkeys(UNARY, unary), **dict.fromkeys(BINARY, binary), **dict.fromkeys(SAME_SHAPE, same_shape),
    "Softmax": softmax_like, "LogSoftmax": softmax_like, "Hardmax": softmax_like, "Trilu": trilu, "CumSum": cumsum,
    "PRelu": prelu, "Where": where, "Cast": cast, "CastLike": cast,
    "Constant": constant, "ConstantOfShape": constant_of_shape, "Shape": shape_op, "Size": size_op,
    "Gather": gather, "Unsqueeze": unsqueeze, "Squeeze": squeeze, "Concat": concat, "Reshape": reshape,
    "Flatten": flatten, "Transpose": transpose, "Expand": expand, "Tile": tile, "Range": range_op, "Slice": slice_op,
    "Split": split, "Pad": pad,
    "ReduceMean": reduce, "ReduceSum": reduce, "ReduceMax": reduce, "ReduceMin": reduce, "ReduceProd": reduce,
    "ReduceL1": reduce, "ReduceL2": reduce, "ReduceLogSumExp": reduce, "ReduceSumSquare": reduce,
    "ArgMax": arg_reduce, "ArgMin": arg_reduce, "TopK": topk,
    "Gemm": gemm, "MatMul": matmul,
    "BatchNormalization": batchnorm, "InstanceNormalization": channel_norm, "GroupNormalization": channel_norm,
    "LayerNormalization": layernorm, "Dropout": dropout,
    "Conv": conv, "ConvTranspose": conv_transpose, "MaxPool": pool, "AveragePool": pool, "LpPool": pool,
    "GlobalAveragePool": global_pool, "GlobalMaxPool": global_pool, "GlobalLpPool": global_pool,
    "MaxUnpool": max_unpool, "Resize": resize, "Upsample": resize,
    "DepthToSpace": depth_space, "SpaceToDepth": depth_space,
}

#: the inputs of each op that hold learned weights (their initializers' dims are the layer's weights)
WEIGHT_INPUTS: dict[str, tuple[int, ...]] = {
    "Conv": (1, 2), "ConvTranspose": (1, 2), "Gemm": (1, 2), "MatMul": (0, 1), "BatchNormalization": (1, 2, 3, 4),
    "InstanceNormalization": (1, 2), "LayerNormalization": (1, 2), "GroupNormalization": (1, 2), "PRelu": (1,),
    "Add": (0, 1), "Mul": (0, 1), "Sub": (0, 1), "Div": (0, 1),
}


def supported(node: Node) -> bool:
    return node.domain in ("", "ai.onnx") and node.op_type in OPS


def attribute_text(value: AttributeValue) -> str:
    return repr(value)
