"""Differential tests against real PyTorch, run on the CPU (not the meta device, which skips
some of torch's checks), over thousands of random configurations: outputs and rejections.

Skipped where torch is missing, except when ``CONVSHAPE_REQUIRE_TORCH`` is set (``.ci/run``
sets it), where a missing torch is an error.
"""

from __future__ import annotations

import os
import random

import pytest

from convshape import ShapeError
from convshape.api.pooling import pool

from difftools import require_torch  # noqa: E402

torch = require_torch()

import torch.nn.functional as F  # noqa: E402
from difftools import agree, ours, same_rejection  # noqa: E402

MAX = {1: F.max_pool1d, 2: F.max_pool2d, 3: F.max_pool3d}
AVG = {1: F.avg_pool1d, 2: F.avg_pool2d, 3: F.avg_pool3d}
LP = {1: F.lp_pool1d, 2: F.lp_pool2d, 3: F.lp_pool3d}
N_CASES = int(os.environ.get("CONVSHAPE_DIFF_CASES", "1500"))


def torch_pool(kind, sizes, kernel, stride, padding, dilation, ceil_mode, count_include_pad=True):
    """Output spatial size from torch, or the exception it raised."""
    n = len(sizes)
    x = torch.zeros(1, 1, *sizes)
    try:
        if kind == "max":
            out = MAX[n](x, kernel, stride, padding, dilation, ceil_mode)
        elif kind == "avg":
            out = AVG[n](x, kernel, stride, padding, ceil_mode, count_include_pad)
        elif n == 1:  # lp_pool1d multiplies by kernel_size itself: a tuple is a TypeError (torch 2.13)
            out = LP[n](x, 2.0, kernel[0], stride if stride is None else stride[0], ceil_mode)
        else:
            out = LP[n](x, 2.0, kernel, stride, ceil_mode)
        return tuple(out.shape[2:])
    except (RuntimeError, ValueError) as exc:
        return exc


def random_config(rng: random.Random, kind: str):
    """Mostly plausible layers (padding up to half the kernel, sometimes over it, sizes near the
    window), and one value in five out of range: zero or negative kernels, strides, dilations."""
    n = rng.choice((1, 1, 2, 2, 3))
    sizes = [rng.randint(1, 20) for _ in range(n)]
    kernel = [rng.randint(1, 7) for _ in range(n)]
    stride = None if rng.random() < 0.2 else [rng.choice((1, 1, 2, 2, 3, 4)) for _ in range(n)]
    padding = [rng.randint(0, k // 2 + (rng.random() < 0.15)) for k in kernel] if kind != "lp" else 0
    dilation = [rng.choice((1, 1, 1, 2, 3)) for _ in range(n)] if kind == "max" else 1
    if rng.random() < 0.2:
        bad = rng.choice([name for name, value in (("kernel", kernel), ("stride", stride), ("padding", padding),
                                                   ("dilation", dilation)) if isinstance(value, list)])
        {"kernel": kernel, "stride": stride, "padding": padding, "dilation": dilation}[bad][rng.randrange(n)] = \
            rng.choice((0, -1))
    if rng.random() < 0.3:  # inputs near the window: empty outputs and ceil_mode's last window
        sizes = [max(1, k + rng.randint(-3, 2)) for k in kernel]
    as_tuple = lambda v: tuple(v) if isinstance(v, list) else v  # noqa: E731
    return (n, tuple(sizes), tuple(kernel), as_tuple(stride), as_tuple(padding), as_tuple(dilation),
            rng.random() < 0.5)


@pytest.mark.parametrize("kind, seed", [("max", 1), ("avg", 2), ("lp", 3)])
def test_pooling_matches_torch(kind, seed):
    rng = random.Random(seed)
    rejected = dropped = 0
    for _ in range(N_CASES):
        n, sizes, kernel, stride, padding, dilation, ceil_mode = random_config(rng, kind)
        cip = rng.random() < 0.7
        expected = torch_pool(kind, sizes, kernel, stride, padding, dilation, ceil_mode, cip)
        got = ours(lambda: pool(kind, sizes, kernel, stride, padding, dilation, ceil_mode, ndim=n,
                                count_include_pad=cip if kind == "avg" else None))
        context = (f"{kind} sizes={sizes} kernel={kernel} stride={stride} padding={padding} dilation={dilation} "
                   f"ceil_mode={ceil_mode}")
        rejected += agree(expected, got, context)
        if not isinstance(got, Exception):
            dropped += any(a.last_window_dropped for a in got.axes)
    assert N_CASES // 5 < rejected < N_CASES * 3 // 5  # the sample exercises outputs and rejections
    assert dropped > 0 or kind == "lp"  # and ceil_mode's dropped last window (lp has no padding to drop into)


def test_ceil_mode_and_dilation_near_the_edges():
    """Every small 1-D max pooling with ceil_mode, padding and dilation: the drop rule exactly."""
    checked = 0
    for i in range(1, 10):
        for k in range(1, 5):
            for s in range(1, 5):
                for p in range(0, k // 2 + 1):
                    for d in (1, 2, 3):
                        for ceil_mode in (False, True):
                            expected = torch_pool("max", (i,), (k,), (s,), (p,), (d,), ceil_mode)
                            got = ours(lambda: pool("max", i, k, s, p, d, ceil_mode, ndim=1))
                            agree(expected, got, f"i={i} k={k} s={s} p={p} d={d} ceil_mode={ceil_mode}")
                            checked += 1
    assert checked > 1500


def test_windows_are_the_cells_torch_reads():
    """max_pool1d's indices on an increasing input are each window's last input cell; avg_pool on
    ones is input cells / divisor: the listed windows and divisors are torch's."""
    rng = random.Random(17)
    for _ in range(N_CASES // 3):
        i, k, s = rng.randint(1, 20), rng.randint(1, 6), rng.randint(1, 4)
        p, d, ceil_mode = rng.randint(0, k // 2), rng.choice((1, 2, 3)), rng.random() < 0.5
        try:
            result = pool("max", i, k, s, p, d, ceil_mode, ndim=1)
        except ShapeError:
            continue
        x = torch.arange(float(i)).reshape(1, 1, i)
        values, indices = F.max_pool1d(x, k, s, p, d, ceil_mode, return_indices=True)
        for w, value, index in zip(result.axes[0].windows, values.flatten().tolist(), indices.flatten().tolist()):
            if w.input_taps:
                assert index == w.start + ((min(w.end, i) - 1 - w.start) // d) * d, (i, k, s, p, d, ceil_mode)
            else:  # dilation stepping over the input: only padding, -inf (and an index outside the input)
                assert value == float("-inf") and not 0 <= index < i, (i, k, s, p, d, ceil_mode)

        cip = rng.random() < 0.5
        try:
            result = pool("avg", i, k, s, p, ceil_mode=ceil_mode, ndim=1, count_include_pad=cip)
        except ShapeError:
            continue
        values = F.avg_pool1d(torch.ones(1, 1, i), k, s, p, ceil_mode, cip).flatten().tolist()
        expected = [w.input_taps / w.divisor for w in result.axes[0].windows]
        assert values == pytest.approx(expected), (i, k, s, p, ceil_mode, cip)


def _x(*sizes):
    return torch.zeros(1, 1, *sizes)


@pytest.mark.parametrize("call, real, message", [
    (lambda: pool("max", 5, 3, 1, 2, ndim=2), lambda: F.max_pool2d(_x(5, 5), 3, 1, 2),
     r"pad should be at most half of effective kernel size, but got pad=2, kernel_size=3 and dilation=1"),
    (lambda: pool("avg", 5, 3, 1, 2, ndim=2), lambda: F.avg_pool2d(_x(5, 5), 3, 1, 2),
     r"pad should be at most half of effective kernel size, but got pad=2, kernel_size=3 and dilation=1"),
    (lambda: pool("max", 5, 3, 1, 2, ndim=1), lambda: F.max_pool1d(_x(5), 3, 1, 2),
     r"max_pool1d\(\) padding should be at most half of kernel size, but got padding=2 and kernel_size=3"),
    (lambda: pool("max", 9, 3, 1, 2, 2, ndim=2), lambda: F.max_pool2d(_x(9, 9), 3, 1, 2, 2),
     r"pad should be smaller than or equal to half of kernel size, but got padW = 2, padH = 2, kW = 3, kH = 3"),
    (lambda: pool("max", 2, 3, ndim=2), lambda: F.max_pool2d(_x(2, 2), 3),
     r"Given input size: \(.*2x2\)\. Calculated output size: \(.*0x0\)\. Output size is too small"),
    (lambda: pool("max", 2, 3, ndim=1), lambda: F.max_pool1d(_x(2), 3),
     r"max_pool1d\(\) Invalid computed output size: 0"),
    (lambda: pool("avg", 2, 3, 1, 1, ndim=3), lambda: F.avg_pool3d(_x(2, 2, 2), 3, 1, 1),
     r"input image \(T: 2 H: 2 W: 2\) smaller than kernel size \(kT: 3 kH: 3 kW: 3\)"),
    (lambda: pool("max", 5, 3, 0, ndim=2), lambda: F.max_pool2d(_x(5, 5), 3, 0),
     r"stride should not be zero"),
    (lambda: pool("max", 5, 0, 1, ndim=2), lambda: F.max_pool2d(_x(5, 5), 0, 1),
     r"kernel size should be greater than zero, but got kH: 0 kW: 0"),
    (lambda: pool("avg", 5, 3, 1, -1, ndim=2), lambda: F.avg_pool2d(_x(5, 5), 3, 1, -1),
     r"pad must be non-negative, but got pad: -1"),
    (lambda: pool("max", 5, 2, dilation=0, ndim=3), lambda: F.max_pool3d(_x(5, 5, 5), 2, dilation=0),
     r"dilation should be greater than zero, but got dilationT: 0 dilationH: 0 dilationW: 0"),
    (lambda: pool("lp", 2, 3, ndim=1), lambda: F.lp_pool1d(_x(2), 2, 3),
     r"Given input size: \(.*1x2\)\. Calculated output size: \(.*1x0\)\. Output size is too small"),
])
def test_rejections_read_like_torch(call, real, message):
    """convshape's message is torch's own: both reject, with the same words."""
    same_rejection(call, real, message)


@pytest.mark.parametrize("size,kernel,stride,ceil", [((8, 9, 10), 3, 2, True), ((8, 9, 10), 3, 2, False),
                                                     ((5, 6, 7), (2, 3, 1), (2, 1, 3), True),
                                                     ((4, 4, 4), 4, None, False)])
def test_lppool3d_module_golden(size: tuple[int, ...], kernel: object, stride: object, ceil: bool) -> None:
    """Issue 10, item 25: the nn.LPPool3d module (torch 2.13) and ONNX LpPool on 3 spatial axes
    (onnx shape inference) against ``lppool3d``."""
    import onnx
    from onnx import TensorProto, helper

    module = torch.nn.LPPool3d(2, kernel, stride, ceil_mode=ceil)
    want = tuple(module(torch.ones(1, 2, *size)).shape[2:])
    assert pool("lp", size, kernel, stride, ceil_mode=ceil, framework="torch", ndim=3).output == want
    if ceil:
        return  # ONNX LpPool has no ceil_mode
    ks = list(kernel) if isinstance(kernel, tuple) else [kernel] * 3
    ss = list(stride) if isinstance(stride, tuple) else [stride or 1] * 3
    node = helper.make_node("LpPool", ["x"], ["y"], kernel_shape=ks, strides=ss, p=2)
    graph = helper.make_graph([node], "g", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 2, *size])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)])
    inferred = onnx.shape_inference.infer_shapes(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 18)]),
                                                 strict_mode=True)
    dims = tuple(d.dim_value for d in inferred.graph.output[0].type.tensor_type.shape.dim)
    assert pool("lp", size, ks, ss, framework="onnx", ndim=3).output == dims[2:]
