"""Random single-node ONNX models, one generator per op family (the op-by-op differential fuzz of
the model reader): each generator takes a random.Random and returns (model, x shape, x dtype), the
model's graph input ``x`` and its other inputs as initializers, valid and invalid attributes mixed,
over the opsets each op's versions cover. Needs numpy and onnx (test extras)."""
from __future__ import annotations

import random
from typing import Any

import numpy as np
from onnx import helper, numpy_helper

NP_TO_ONNX = {np.dtype("float32"): 1, np.dtype("int64"): 7, np.dtype("int32"): 6, np.dtype("bool"): 9}


def build(op: str, attrs: dict[str, Any], x_shape: tuple[int, ...], extra: list[Any], opset: int, n_out: int = 1,
          x_dtype: Any = np.float32) -> Any:
    """One node on graph input x; ``extra``: its other inputs, numpy arrays (initializers), None (an
    omitted optional input) or "x"."""
    names = ["x"]
    inits = []
    for i, e in enumerate(extra):
        if e is None:
            names.append("")
        elif isinstance(e, str):
            names.append(e)
        else:
            inits.append(numpy_helper.from_array(np.asarray(e), f"i{i}"))
            names.append(f"i{i}")
    while names and names[-1] == "":
        names.pop()
    outs = [f"y{i}" for i in range(n_out)]
    node = helper.make_node(op, names, outs, **attrs)
    xin = helper.make_tensor_value_info("x", NP_TO_ONNX[np.dtype(x_dtype)], list(x_shape))
    graph = helper.make_graph([node], "g", [xin], [helper.make_empty_tensor_value_info(o) for o in outs], inits)
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)], ir_version=8)

I64 = np.int64
BIG = 2**63 - 1


def shp(r: random.Random, lo: int = 1, hi: int = 4, zero: float = 0.05, maxd: int = 5) -> tuple[int, ...]:
    return tuple(0 if r.random() < zero else r.randint(1, maxd) for _ in range(r.randint(lo, hi)))


def ax(r: random.Random, rank: int, slack: int = 1) -> int:
    return r.randint(-rank - slack, rank - 1 + slack)


def g_pad(r):
    opset = r.choice([2, 11, 13, 18, 19, 21])
    x = shp(r)
    rank = len(x)
    modes = ["constant", "reflect", "edge"] + (["wrap"] if opset >= 19 else [])
    mode = r.choice(modes)
    attrs: dict[str, Any] = {} if mode == "constant" and r.random() < 0.3 else {"mode": mode}
    if opset >= 18 and r.random() < 0.5:
        axes = r.sample(range(-rank, rank), r.randint(1, rank))
        if r.random() < 0.1:
            axes.append(axes[0])
        pads = [r.randint(-3, 4) for _ in range(2 * len(axes))]
        if r.random() < 0.1:
            pads = pads[:-1]
        extra = [np.array(pads, I64), None, np.array(axes, I64)]
    else:
        n = rank
        if r.random() < 0.07:
            n = rank + r.choice([-1, 1])
        pads = [r.randint(-3, 4) for _ in range(2 * max(n, 0))]
        if opset < 11:
            attrs["pads"] = pads
            extra = []
        else:
            extra = [np.array(pads, I64)]
            if r.random() < 0.3:
                extra.append(np.array(1.5, np.float32))
    return build("Pad", attrs, x, extra, opset), x, np.float32


def g_slice(r):
    opset = r.choice([1, 9, 10, 11, 13])
    x = shp(r, maxd=7)
    rank = len(x)
    n = r.randint(1, rank)
    axes = r.sample(range(-rank, rank), n)
    if r.random() < 0.07:
        axes[-1] = axes[0]
    if r.random() < 0.05:
        axes[-1] = rank + 1

    def bound():
        return r.choice([r.randint(-9, 9), r.randint(-9, 9), BIG, -BIG - 1, 2**31 - 1, -(2**31)])
    starts = [bound() for _ in range(n)]
    ends = [bound() for _ in range(n)]
    if opset < 10:
        attrs = {"starts": starts, "ends": ends}
        if r.random() < 0.7:
            attrs["axes"] = axes
        return build("Slice", attrs, x, [], opset), x, np.float32
    steps = [r.choice([1, 1, 2, 3, -1, -2, -3, 0 if r.random() < 0.1 else 1, BIG]) for _ in range(n)]
    extra = [np.array(starts, I64), np.array(ends, I64)]
    if r.random() < 0.7:
        extra.append(np.array(axes, I64))
        if r.random() < 0.7:
            extra.append(np.array(steps, I64))
    elif r.random() < 0.5:
        extra += [None, np.array(steps, I64)]
    return build("Slice", {}, x, extra, opset), x, np.float32


def g_split(r):
    opset = r.choice([2, 11, 13, 18])
    x = shp(r, maxd=7)
    rank = len(x)
    axis = ax(r, rank)
    n_out = r.randint(1, 4)
    attrs: dict[str, Any] = {"axis": axis} if r.random() < 0.8 else {}
    extra: list[Any] = []
    how = r.random()
    d = x[axis] if -rank <= axis < rank else 3
    if how < 0.4:
        parts = [r.randint(0, 3) for _ in range(n_out)]
        if r.random() < 0.6:
            parts[-1] = max(0, d - sum(parts[:-1])) if r.random() < 0.9 else d - sum(parts[:-1])
        if opset < 13:
            attrs["split"] = parts
        else:
            extra = [np.array(parts, I64)]
    elif how < 0.7 and opset >= 18:
        attrs["num_outputs"] = r.randint(n_out, 5) if r.random() < 0.2 else n_out
    return build("Split", attrs, x, extra, opset, n_out=n_out), x, np.float32


def g_reshape(r):
    opset = r.choice([5, 13, 14, 19, 21])
    x = shp(r, maxd=4)
    total = int(np.prod(x))
    rank = r.randint(0, 4)
    target = []
    for _ in range(rank):
        target.append(r.choice([0, -1, 1, 2, 3, 4, 6, total if total else 1, 0]))
    if r.random() < 0.05:
        target.append(-2)
    attrs = {}
    if opset >= 14 and r.random() < 0.4:
        attrs["allowzero"] = r.randint(0, 1)
    return build("Reshape", attrs, x, [np.array(target, I64)], opset), x, np.float32


def g_squeeze(r):
    op = r.choice(["Squeeze", "Unsqueeze"])
    opset = r.choice([1, 11, 13, 21])
    x = tuple(r.choice([1, 1, 2, 3]) for _ in range(r.randint(1, 4)))
    rank = len(x)
    if op == "Squeeze":
        k = r.randint(0, rank)
        axes = [ax(r, rank, 1 if r.random() < 0.1 else 0) for _ in range(k)]
    else:
        k = r.randint(0, 3)
        out_rank = rank + k
        axes = [ax(r, out_rank, 1 if r.random() < 0.1 else 0) for _ in range(k)]
    give = r.random() < 0.85
    if opset < 13:
        attrs = {"axes": axes} if give else {}
        return build(op, attrs, x, [], opset), x, np.float32
    return build(op, {}, x, [np.array(axes, I64)] if give else [], opset), x, np.float32


def g_flatten(r):
    opset = r.choice([1, 9, 11, 13, 21])
    x = shp(r, lo=1 if opset >= 9 else 1, hi=5)
    attrs = {"axis": r.randint(-len(x) - 1, len(x) + 1)} if r.random() < 0.85 else {}
    return build("Flatten", attrs, x, [], opset), x, np.float32


def g_concat(r):
    opset = r.choice([4, 11, 13])
    x = shp(r, maxd=3, zero=0.1)
    rank = len(x)
    axis = ax(r, rank)
    others = []
    for _ in range(r.randint(0, 3)):
        s = list(x)
        if -rank <= axis < rank:
            s[axis] = r.randint(0, 3)
        if r.random() < 0.15:
            i = r.randrange(rank)
            s[i] = r.randint(0, 3)
        if r.random() < 0.05:
            s = s[:-1]
        others.append(np.zeros(s, np.float32))
    if r.random() < 0.2 and others:
        r.shuffle(others)
        extra = others[:1] + ["x"] + others[1:]
    else:
        extra = others
    attrs = {"axis": axis} if r.random() < 0.95 or opset < 4 else {}
    return build("Concat", attrs, x, extra, opset), x, np.float32


def g_gather(r):
    opset = r.choice([1, 11, 13])
    x = shp(r, maxd=5)
    rank = len(x)
    axis = ax(r, rank, 1 if r.random() < 0.1 else 0)
    d = x[axis] if -rank <= axis < rank else 3
    ishape = shp(r, lo=0, hi=2, zero=0.05, maxd=3)
    idx = np.array([r.randint(-d - 1, d) if r.random() < 0.1 else (r.randint(-d, d - 1) if d else 0)
                    for _ in range(int(np.prod(ishape)))], I64).reshape(ishape)
    attrs = {"axis": axis} if r.random() < 0.9 else {}
    return build("Gather", attrs, x, [idx], opset), x, np.float32


def g_transpose(r):
    opset = r.choice([1, 13, 21])
    x = shp(r, hi=5)
    perm = list(range(len(x)))
    r.shuffle(perm)
    if r.random() < 0.1:
        perm[0] = perm[-1]
    if r.random() < 0.05:
        perm = perm[:-1]
    if r.random() < 0.05:
        perm[0] = -1
    attrs = {"perm": perm} if r.random() < 0.85 else {}
    return build("Transpose", attrs, x, [], opset), x, np.float32


def g_expand(r):
    opset = r.choice([8, 13])
    x = tuple(r.choice([1, 1, 2, 3, 0]) for _ in range(r.randint(1, 3)))
    target = [r.choice([1, 2, 3, 0, -1]) if r.random() < 0.9 else r.randint(-2, 5) for _ in range(r.randint(0, 4))]
    return build("Expand", {}, x, [np.array(target, I64)], opset), x, np.float32


def g_tile(r):
    opset = r.choice([6, 13])
    x = shp(r, maxd=3)
    reps = [r.choice([0, 1, 2, 3]) if r.random() < 0.95 else -1 for _ in range(len(x) + (r.random() < 0.1))]
    return build("Tile", {}, x, [np.array(reps, I64)], opset), x, np.float32


def g_resize(r):
    op = "Resize" if r.random() < 0.85 else "Upsample"
    if op == "Upsample":
        opset = r.choice([7, 9])
        x = shp(r, lo=1, hi=4, maxd=6)
        sc = [r.choice([1.0, 2.0, 1.5, 0.5, 3.0, 0.7]) for _ in range(len(x) + (r.random() < 0.05))]
        mode = r.choice(["nearest", "linear"])
        if opset == 7:
            return build(op, {"scales": sc, "mode": mode}, x, [], opset), x, np.float32
        return build(op, {"mode": mode}, x, [np.array(sc, np.float32)], opset), x, np.float32
    opset = r.choice([10, 11, 13, 18, 19])
    x = shp(r, lo=1, hi=4, maxd=7, zero=0.03)
    rank = len(x)
    mode = r.choice(["nearest", "linear", "cubic"])
    attrs: dict[str, Any] = {"mode": mode}
    axes = None
    if opset >= 18 and r.random() < 0.4:
        axes = r.sample(range(-rank, rank), r.randint(1, rank))
        attrs["axes"] = axes
    n = len(axes) if axes is not None else rank
    if r.random() < 0.05:
        n += 1
    if opset >= 11 and r.random() < 0.5:
        attrs["coordinate_transformation_mode"] = r.choice(["half_pixel", "align_corners", "asymmetric",
                                                            "pytorch_half_pixel", "tf_crop_and_resize"])
    use_sizes = opset >= 11 and r.random() < 0.5
    scales = np.array([r.choice([1.0, 2.0, 0.5, 1.5, 0.29, 1.3, 0.75, 3.0, 0.0 if r.random() < 0.05 else 1.0])
                       for _ in range(n)], np.float32)
    sizes = np.array([r.randint(0, 9) for _ in range(n)], I64)
    if opset >= 18 and use_sizes and r.random() < 0.5:
        attrs["keep_aspect_ratio_policy"] = r.choice(["stretch", "not_larger", "not_smaller"])
    if opset == 10:
        extra = [scales]
    elif use_sizes:
        extra = [np.zeros(0, np.float32) if opset == 11 or r.random() < 0.3 else None,
                 np.zeros(0, np.float32) if opset == 11 or r.random() < 0.3 else None, sizes]
        if r.random() < 0.05:
            extra[1] = scales
    else:
        extra = [np.zeros(0, np.float32) if opset == 11 or r.random() < 0.5 else None, scales]
    if opset >= 11 and attrs.get("coordinate_transformation_mode") == "tf_crop_and_resize":
        extra[0] = np.array([0.0] * n + [1.0] * n, np.float32)
    if mode == "cubic" and rank > 2 and r.random() < 0.5:
        attrs["mode"] = "linear"
    return build(op, attrs, x, extra, opset), x, np.float32


def g_d2s(r):
    op = r.choice(["DepthToSpace", "SpaceToDepth"])
    opset = r.choice([1, 11, 13])
    rank = 4 if r.random() < 0.9 else r.choice([3, 5])
    b = r.randint(1, 3) if r.random() < 0.95 else r.choice([0, -1])
    if op == "DepthToSpace":
        x = (r.randint(1, 2), r.choice([b * b * r.randint(1, 2), r.randint(1, 9)]), r.randint(1, 4), r.randint(1, 4))
    else:
        x = (r.randint(1, 2), r.randint(1, 3), r.choice([b * r.randint(1, 3), r.randint(1, 7)]),
             r.choice([b * r.randint(1, 3), r.randint(1, 7)]))
    x = x[:rank] + (2,) * (rank - 4)
    attrs: dict[str, Any] = {"blocksize": b}
    if op == "DepthToSpace" and opset >= 11 and r.random() < 0.5:
        attrs["mode"] = r.choice(["DCR", "CRD"])
    return build(op, attrs, x, [], opset), x, np.float32


def g_unpool(r):
    opset = r.choice([9, 11, 22])
    nd = r.choice([1, 2])
    x = (1, r.randint(1, 2)) + tuple(r.randint(1, 4) for _ in range(nd))
    k = [r.randint(1, 3) for _ in range(nd)]
    s = [r.randint(1, 3) for _ in range(nd)]
    attrs: dict[str, Any] = {"kernel_shape": k, "strides": s}
    if r.random() < 0.5:
        attrs["pads"] = [r.randint(0, 2) for _ in range(2 * nd)]
    ishape = x if r.random() < 0.9 else x[:-1] + (x[-1] + 1,)
    idx = np.zeros(ishape, I64)
    extra: list[Any] = [idx]
    if r.random() < 0.4:
        extra.append(np.array(list(x[:2]) + [r.randint(1, 12) for _ in range(nd)], I64))
    return build("MaxUnpool", attrs, x, extra, opset), x, np.float32


def g_global(r):
    op = r.choice(["GlobalAveragePool", "GlobalMaxPool", "GlobalLpPool"])
    opset = r.choice([1, 2, 22]) if op == "GlobalLpPool" else r.choice([1, 22])
    x = shp(r, lo=1, hi=5, zero=0.05)
    return build(op, {}, x, [], opset), x, np.float32


REDUCE = ["ReduceMean", "ReduceSum", "ReduceMax", "ReduceMin", "ReduceProd", "ReduceL1", "ReduceL2",
          "ReduceLogSumExp", "ReduceSumSquare"]


def g_reduce(r):
    op = r.choice(REDUCE)
    opset = r.choice([1, 11, 13, 18, 20])
    x = shp(r, lo=1, hi=4, zero=0.08)
    rank = len(x)
    axes = [ax(r, rank, 1 if r.random() < 0.05 else 0) for _ in range(r.randint(0, rank))]
    attrs: dict[str, Any] = {}
    if r.random() < 0.6:
        attrs["keepdims"] = r.randint(0, 1)
    as_input = opset >= 18 or (op == "ReduceSum" and opset >= 13)
    extra: list[Any] = []
    if as_input:
        if r.random() < 0.4:
            attrs["noop_with_empty_axes"] = r.randint(0, 1)
        if r.random() < 0.8:
            extra = [np.array(axes, I64)]
    elif r.random() < 0.8:
        attrs["axes"] = axes
    return build(op, attrs, x, extra, opset), x, np.float32


def g_argtopk(r):
    x = shp(r, lo=1, hi=4, zero=0.05)
    rank = len(x)
    if r.random() < 0.5:
        op = r.choice(["ArgMax", "ArgMin"])
        opset = r.choice([1, 11, 12, 13])
        attrs = {"axis": ax(r, rank)}
        if r.random() < 0.5:
            attrs["keepdims"] = r.randint(0, 1)
        if opset >= 12 and r.random() < 0.3:
            attrs["select_last_index"] = 1
        return build(op, attrs, x, [], opset), x, np.float32
    opset = r.choice([1, 10, 11])
    attrs = {"axis": ax(r, rank)} if r.random() < 0.8 else {}
    d = x[attrs.get("axis", -1)] if -rank <= attrs.get("axis", -1) < rank else 2
    k = r.randint(-1, d + 1)
    if opset == 1:
        attrs["k"] = k
        extra = []
    else:
        extra = [np.array([k], I64)]
        if opset >= 11 and r.random() < 0.3:
            attrs["largest"] = r.randint(0, 1)
    return build("TopK", attrs, x, extra, opset, n_out=2), x, np.float32


def g_range(r):
    opset = r.choice([11, 21])
    ints = r.random() < 0.7
    if ints:
        vals = [r.randint(-6, 6), r.randint(-6, 6), r.choice([1, 2, -1, -3, 3, 0 if r.random() < 0.1 else 1])]
        arrs = [np.array(v, I64) for v in vals]
    else:
        vals = [r.choice([0.0, 0.5, -1.5, 2.25]), r.choice([3.0, 2.9, -2.0, 0.1]), r.choice([0.5, 1.0, -0.3, 0.7])]
        arrs = [np.array(v, np.float32) for v in vals]
    x = (2,)
    # Range feeding nothing of x: its inputs are initializers (x unused)
    m = build("Range", {}, x, arrs, opset)
    del m.graph.node[0].input[0]
    return m, x, np.float32


def g_shape(r):
    op = r.choice(["Shape", "Shape", "Size"])
    opset = r.choice([1, 13, 15, 19, 21])
    x = shp(r, lo=1, hi=5, zero=0.05)
    attrs: dict[str, Any] = {}
    if op == "Shape" and opset >= 15:
        if r.random() < 0.5:
            attrs["start"] = r.randint(-7, 7)
        if r.random() < 0.5:
            attrs["end"] = r.randint(-7, 7)
    return build(op, attrs, x, [], opset), x, np.float32


def g_cos(r):
    opset = r.choice([9, 20, 21])
    shape = [r.randint(0, 4) if r.random() < 0.95 else -1 for _ in range(r.randint(0, 3))]
    attrs = {}
    if r.random() < 0.5:
        attrs["value"] = helper.make_tensor("v", r.choice([1, 7, 6]), [1], [3])
    x = (2,)
    m = build("ConstantOfShape", attrs, x, [np.array(shape, I64)], opset)
    del m.graph.node[0].input[0]
    return m, x, np.float32


def g_trilu_cumsum(r):
    x = shp(r, lo=1, hi=4, zero=0.05)
    rank = len(x)
    if r.random() < 0.5:
        opset = 14
        extra = [np.array(r.randint(-3, 3), I64)] if r.random() < 0.6 else []
        attrs = {"upper": r.randint(0, 1)} if r.random() < 0.5 else {}
        return build("Trilu", attrs, x, extra, opset), x, np.float32
    opset = r.choice([11, 14])
    axis = ax(r, rank, 1 if r.random() < 0.1 else 0)
    attrs = {}
    if r.random() < 0.3:
        attrs["exclusive"] = 1
    if r.random() < 0.3:
        attrs["reverse"] = 1
    a = np.array(axis, I64) if r.random() < 0.8 else np.array([axis], I64)
    return build("CumSum", attrs, x, [a], opset), x, np.float32


def g_matmul(r):
    if r.random() < 0.5:
        opset = r.choice([1, 9, 13])
        a = shp(r, lo=1, hi=4, maxd=3, zero=0.03)
        b = list(shp(r, lo=1, hi=4, maxd=3, zero=0.03))
        if r.random() < 0.7 and len(b) >= 2:
            b[-2] = a[-1]
        elif r.random() < 0.7 and len(b) == 1:
            b[0] = a[-1]
        return build("MatMul", {}, a, [np.zeros(b, np.float32)], opset), a, np.float32
    opset = r.choice([7, 9, 11, 13])
    ta, tb = r.randint(0, 1), r.randint(0, 1)
    m, k, n = r.randint(1, 4), r.randint(1, 4), r.randint(1, 4)
    a = (k, m) if ta else (m, k)
    kb = k if r.random() < 0.85 else k + 1
    b = (n, kb) if tb else (kb, n)
    if r.random() < 0.05:
        b = (kb,)
    attrs: dict[str, Any] = {}
    if ta:
        attrs["transA"] = 1
    if tb:
        attrs["transB"] = 1
    extra: list[Any] = [np.zeros(b, np.float32)]
    c = r.choice([None, (n,), (m, n), (1,), (), (m, 1), (1, n), (n + 1,), (m + 1, n)])
    if c is not None:
        extra.append(np.zeros(c, np.float32))
    elif opset < 11:
        extra.append(np.zeros((m, n), np.float32))
    return build("Gemm", attrs, a, extra, opset), a, np.float32


def g_broadcast(r):
    op = r.choice(["Add", "Mul", "Sub", "Div", "Pow", "Max", "Min", "Sum", "Mean", "Where", "Equal", "Less",
                   "PRelu"])
    opset = r.choice([7, 13, 14, 16])
    x = shp(r, lo=0, hi=4, maxd=3, zero=0.05)
    x = x or (2,)

    def other():
        s = list(x[r.randint(0, len(x)):]) if r.random() < 0.6 else list(shp(r, lo=0, hi=4, maxd=3))
        s = [1 if r.random() < 0.3 else d for d in s]
        if r.random() < 0.2:
            s = [r.randint(1, 3)] + s
        return np.zeros(s, np.float32)
    if op == "Where":
        opset = r.choice([9, 16])
        cond = other().astype(bool)
        return build_where(x, cond, other(), opset), x, np.float32
    if op == "Equal":
        opset = max(opset, 11)  # Equal before 11 takes no float (a type error, not a shape)
    n = 1 if op in ("Add", "Mul", "Sub", "Div", "Pow", "Equal", "Less", "PRelu") else r.randint(1, 3)
    return build(op, {}, x, [other() for _ in range(n)], opset, n_out=1), x, np.float32


def build_where(x, cond, other, opset):
    node = helper.make_node("Where", ["c", "x", "o"], ["y0"])
    g = helper.make_graph([node], "g", [helper.make_tensor_value_info("x", 1, list(x))],
                          [helper.make_empty_tensor_value_info("y0")],
                          [numpy_helper.from_array(cond, "c"), numpy_helper.from_array(other, "o")])
    return helper.make_model(g, opset_imports=[helper.make_opsetid("", opset)], ir_version=8)


def g_norm(r):
    kind = r.choice(["LayerNormalization", "GroupNormalization", "InstanceNormalization", "Softmax", "LogSoftmax",
                     "Hardmax", "BatchNormalization"])
    x = shp(r, lo=1, hi=4, maxd=4, zero=0.03)
    rank = len(x)
    if kind == "LayerNormalization":
        opset = 17
        axis = ax(r, rank)
        norm = x[axis:] if -rank <= axis < rank else x[-1:]
        sc = list(norm) if r.random() < 0.8 else [r.randint(1, 4)]
        extra: list[Any] = [np.ones(sc, np.float32)]
        if r.random() < 0.5:
            extra.append(np.zeros(sc, np.float32))
        attrs = {"axis": axis} if r.random() < 0.9 else {}
        return build(kind, attrs, x, extra, opset, n_out=r.randint(1, 3)), x, np.float32
    if kind == "GroupNormalization":
        opset = r.choice([18, 21])
        c = x[1] if rank > 1 else 1
        g = r.randint(1, 4)
        pc = c if opset >= 21 else g
        pc = pc if r.random() < 0.85 else pc + 1
        return build(kind, {"num_groups": g}, x, [np.ones(pc, np.float32), np.zeros(pc, np.float32)], opset), x, \
            np.float32
    if kind == "InstanceNormalization":
        opset = r.choice([6, 22])
        c = x[1] if rank > 1 else 1
        pc = c if r.random() < 0.85 else c + 1
        return build(kind, {}, x, [np.ones(pc, np.float32), np.zeros(pc, np.float32)], opset), x, np.float32
    if kind == "BatchNormalization":
        opset = r.choice([9, 14, 15])
        c = x[1] if rank > 1 else 1
        pc = c if r.random() < 0.85 else c + 1
        return build(kind, {}, x, [np.ones(pc, np.float32)] * 4, opset), x, np.float32
    opset = r.choice([1, 11, 13])
    attrs = {"axis": ax(r, rank)} if r.random() < 0.8 else {}
    return build(kind, attrs, x, [], opset), x, np.float32


GENS = {n[2:]: f for n, f in globals().items() if n.startswith("g_") and callable(f)}
