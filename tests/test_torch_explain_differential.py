"""Differential tests against real PyTorch, run on the CPU, over random small configurations:
the pictures' geometry (each output's window, the cells each input of a transposed
convolution writes, the matrices, the direct-convolution and gradient identities) against
what torch computes cell by cell.

Skipped where torch is missing, except when ``CONVSHAPE_REQUIRE_TORCH`` is set (``.ci/run``
sets it), where a missing torch is an error.
"""

from __future__ import annotations

import os
import random

from convshape import ShapeError
from convshape.api.explain import explain_layer

from difftools import require_torch  # noqa: E402

torch = require_torch()

import torch.nn.functional as F  # noqa: E402

torch.set_num_threads(1)  # thousands of tiny convolutions: threads only add overhead on a shared machine

CONV = {1: F.conv1d, 2: F.conv2d}
CONV_T = {1: F.conv_transpose1d, 2: F.conv_transpose2d}
N_CASES = int(os.environ.get("CONVSHAPE_DIFF_CASES", "1500")) // 5
FRAMEWORKS = ("torch", "tf", "keras", "jax", "onnx", "caffe")


def random_axes(rng: random.Random, n: int, largest: int = 7):
    sizes = tuple(rng.randint(1, largest) for _ in range(n))
    kernel = tuple(rng.randint(1, 4) for _ in range(n))
    stride = tuple(rng.choice((1, 1, 2, 3)) for _ in range(n))
    dilation = tuple(rng.choice((1, 1, 2)) for _ in range(n))
    return sizes, kernel, stride, dilation


def weights(kernel):
    """Kernel tap t (row-major) has weight t + 1, so an entry of a matrix names its tap."""
    count = 1
    for k in kernel:
        count *= k
    return torch.arange(1, count + 1, dtype=torch.float64).reshape(1, 1, *kernel)


def one_hots(sizes):
    """Every input cell alone: a batch of one-hot inputs, flattened row-major."""
    count = 1
    for s in sizes:
        count *= s
    return torch.eye(count, dtype=torch.float64).reshape(count, 1, *sizes)


def torch_matrix(outputs):
    """(batch of one-hot inputs) -> outputs: the layer's matrix, rows = output cells."""
    return outputs.reshape(outputs.shape[0], -1).T


def ours_matrix(ex):
    return torch.tensor([[0 if e is None else e + 1 for e in row] for row in ex.matrix.entries],
                        dtype=torch.float64).reshape(ex.matrix.rows, ex.matrix.cols)


def stretch_pad(x, direct_axes):
    """The direct form's input: zeros inserted between cells, then padded (negative: cropped)."""
    for axis, d in enumerate(direct_axes):
        dim = 2 + axis
        n = x.shape[dim]
        shape = list(x.shape)
        shape[dim] = d.stretched
        z = torch.zeros(shape, dtype=x.dtype)
        index = [slice(None)] * len(shape)
        index[dim] = slice(0, d.stretched, d.zeros_between + 1)
        z[tuple(index)] = x
        assert n == d.input
        pads = [0, 0] * (len(shape) - 2)
        pads[2 * (len(shape) - 3 - axis)] = d.pad_before
        pads[2 * (len(shape) - 3 - axis) + 1] = d.pad_after
        x = F.pad(z, pads)
    return x


def direct(x, w, direct_axes, dilation):
    n = len(direct_axes)
    return CONV[n](stretch_pad(x, direct_axes), torch.flip(w, dims=list(range(2, 2 + n))), dilation=dilation)


def test_conv_matrix_is_torchs():
    """Each output's window, as the matrix C: torch's conv of every one-hot input (explicit
    before:after pads run as F.pad first, as torch's 'same' does)."""
    rng = random.Random(101)
    checked = 0
    for _ in range(N_CASES):
        n = rng.choice((1, 1, 2))
        sizes, kernel, stride, dilation = random_axes(rng, n)
        pads = [(rng.randint(0, 3), rng.randint(0, 3)) for _ in range(n)]
        try:
            ex = explain_layer(f"conv{n}d", sizes, kernel, stride, pads, dilation)
        except ShapeError:
            continue
        if ex.matrix.entries is None:
            continue
        x = F.pad(one_hots(sizes), [v for pair in reversed(pads) for v in pair])
        expected = torch_matrix(CONV[n](x, weights(kernel), stride=stride, dilation=dilation))
        context = f"sizes={sizes} kernel={kernel} stride={stride} pads={pads} dilation={dilation}"
        assert torch.equal(ours_matrix(ex), expected), context
        for a in ex.axes:  # each window's taps on input cells are the non-zeros of its row
            for w in a.views[0].windows:
                assert w.hits + w.pad_taps + w.cropped_taps == a.kernel
        checked += 1
    assert checked > N_CASES // 2


def test_transposed_matrix_is_torchs_and_the_transpose_of_the_forward():
    """What each input writes (the matrix T), from torch's conv_transpose of every one-hot
    input; T = C^T for the forward conv of the output with the same padding (seed 001)."""
    rng = random.Random(202)
    checked = transposes = 0
    for _ in range(N_CASES):
        n = rng.choice((1, 1, 2))
        sizes, kernel, stride, dilation = random_axes(rng, n, largest=5)
        padding = tuple(rng.choice((0, 0, 1, 2)) for _ in range(n))
        output_padding = tuple(rng.randint(0, max(s, d) - 1) for s, d in zip(stride, dilation))
        try:
            ex = explain_layer(f"conv-transpose{n}d", sizes, kernel, stride, padding, dilation, output_padding)
        except ShapeError:
            continue
        if ex.matrix.entries is None:
            continue
        w = weights(kernel)
        out = CONV_T[n](one_hots(sizes), w, stride=stride, padding=padding, output_padding=output_padding,
                        dilation=dilation)
        context = (f"sizes={sizes} kernel={kernel} stride={stride} padding={padding} dilation={dilation} "
                   f"output_padding={output_padding}")
        assert tuple(out.shape[2:]) == ex.output, context
        T = torch_matrix(out)
        assert torch.equal(ours_matrix(ex), T), context
        if n == 1:  # the scatter view: input j writes exactly the non-zeros of column j
            for win in ex.axes[0].views[1].windows:
                assert win.hits == int((T[:, win.index] != 0).sum()), context
        forward = CONV[n](one_hots(ex.output), w, stride=stride, padding=padding, dilation=dilation)
        if tuple(forward.shape[2:]) == tuple(sizes):
            assert torch.equal(torch_matrix(forward).T, T), context
            transposes += 1
        checked += 1
    assert checked > N_CASES // 3 and transposes > checked // 2


def test_direct_form_is_conv_transpose():
    """zeros inserted s - 1, padding d(k-1) - p (+ output_padding at the end), stride 1, the
    kernel rotated 180°: the same numbers as torch's conv_transpose, on random values."""
    rng = random.Random(303)
    checked = 0
    for _ in range(N_CASES):
        n = rng.choice((1, 2))
        sizes, kernel, stride, dilation = random_axes(rng, n, largest=9)
        padding = tuple(rng.choice((0, 1, 2, 3)) for _ in range(n))
        output_padding = tuple(rng.randint(0, max(s, d) - 1) for s, d in zip(stride, dilation))
        try:
            ex = explain_layer(f"conv-transpose{n}d", sizes, kernel, stride, padding, dilation, output_padding)
        except ShapeError:
            continue
        x = torch.randn(1, 1, *sizes, dtype=torch.float64)
        w = torch.randn(1, 1, *kernel, dtype=torch.float64)
        expected = CONV_T[n](x, w, stride=stride, padding=padding, output_padding=output_padding, dilation=dilation)
        got = direct(x, w, [a.direct for a in ex.axes], dilation)
        context = (f"sizes={sizes} kernel={kernel} stride={stride} padding={padding} dilation={dilation} "
                   f"output_padding={output_padding}")
        assert got.shape == expected.shape and torch.allclose(got, expected), context
        checked += 1
    assert checked > N_CASES // 2


def test_gradient_identity_seed_002():
    """dL/dx of a convolution = the direct form with the kernel rotated 180° (FULL padding
    for padding 0, stride 1) = conv_transpose with the output_padding shown."""
    rng = random.Random(404)
    checked = 0
    for _ in range(N_CASES):
        n = rng.choice((1, 2))
        sizes, kernel, stride, dilation = random_axes(rng, n, largest=10)
        padding = tuple(rng.choice((0, 0, 1, 2)) for _ in range(n))
        try:
            ex = explain_layer(f"conv{n}d", sizes, kernel, stride, padding, dilation)
        except ShapeError:
            continue
        x = torch.randn(1, 1, *sizes, dtype=torch.float64, requires_grad=True)
        w = torch.randn(1, 1, *kernel, dtype=torch.float64)
        y = CONV[n](x, w, stride=stride, padding=padding, dilation=dilation)
        g = torch.randn_like(y)
        (dx,) = torch.autograd.grad(y, x, g)
        directs = [a.direct for a in ex.axes]
        context = f"sizes={sizes} kernel={kernel} stride={stride} padding={padding} dilation={dilation}"
        assert torch.allclose(direct(g, w, directs, dilation), dx), context
        op = tuple(d.output_padding for d in directs)
        assert torch.allclose(CONV_T[n](g, w, stride=stride, padding=padding, output_padding=op,
                                        dilation=dilation), dx), context
        if all(p == 0 for p in padding) and all(s == 1 for s in stride):
            assert all(d.full for d in directs), context
        checked += 1
    assert checked > N_CASES // 2


def test_every_framework_geometry_is_a_cropped_full_transposed_conv():
    """In every framework the engine's pads give the picture: the full transposed result
    (torch, padding 0) with pad_before cells cropped, cut or zero-extended to the output;
    the direct form and the matrix T give the same numbers."""
    rng = random.Random(505)
    checked = 0
    seen = set()
    for _ in range(N_CASES):
        framework = rng.choice(FRAMEWORKS)
        n = 2 if framework == "caffe" else 1
        sizes, kernel, stride, dilation = random_axes(rng, n, largest=6)
        padding = rng.choice(("valid", "same", "same-lower", 0, 1, 2, "-1:1", "0:2"))
        try:
            ex = explain_layer(f"conv-transpose{n}d", sizes, kernel, stride, padding, dilation, framework=framework)
        except ShapeError:
            continue
        if 0 in ex.output:  # an empty result (tf, jax): nothing to compare
            continue
        x = torch.randn(1, 1, *sizes, dtype=torch.float64)
        w = torch.randn(1, 1, *kernel, dtype=torch.float64)
        full = CONV_T[n](x, w, stride=stride, dilation=dilation)
        expected = torch.zeros(1, 1, *ex.output, dtype=torch.float64)
        src, dst = [slice(None)] * 2, [slice(None)] * 2
        for a, f in zip(ex.axes, full.shape[2:]):
            lo, hi = max(0, a.pad_before), min(f, a.pad_before + a.output)
            src.append(slice(lo, hi))
            dst.append(slice(lo - a.pad_before, hi - a.pad_before))
        expected[tuple(dst)] = full[tuple(src)]
        context = f"{framework} sizes={sizes} kernel={kernel} stride={stride} padding={padding} dilation={dilation}"
        got = direct(x, w, [a.direct for a in ex.axes], dilation)
        assert got.shape == expected.shape and torch.allclose(got, expected), context
        if ex.matrix.entries is not None:
            T = ours_matrix(ex)
            values = torch.cat([torch.zeros(1, dtype=torch.float64), w.flatten()])
            applied = values[T.long()] @ x.flatten()
            assert torch.allclose(applied, expected.flatten()), context
        seen.add(framework)
        checked += 1
    assert seen == set(FRAMEWORKS) and checked > N_CASES // 3


def test_pooling_windows_are_torchs():
    """The cells each pooling window reads (ceil_mode's dropped window left out): max pooling of
    every one-hot input is 1 exactly where the window reads that cell."""
    rng = random.Random(606)
    checked = dropped = 0
    for _ in range(N_CASES):
        sizes, kernel, stride, dilation = random_axes(rng, 1, largest=12)
        kernel = (kernel[0] + 1,)
        padding = rng.randint(0, kernel[0] // 2)
        ceil_mode = rng.random() < 0.5
        try:
            ex = explain_layer("maxpool1d", sizes, kernel, stride, padding, dilation, ceil_mode=ceil_mode)
        except ShapeError:
            continue
        if ex.matrix.entries is None:
            continue
        out = F.max_pool1d(one_hots(sizes), kernel, stride, padding, dilation, ceil_mode=ceil_mode)
        expected = (torch_matrix(out) == 1).to(torch.float64)  # a window on padding alone gives -inf
        marks = torch.tensor([[0.0 if e is None else 1.0 for e in row] for row in ex.matrix.entries],
                             dtype=torch.float64).reshape(ex.matrix.rows, ex.matrix.cols)
        context = f"sizes={sizes} kernel={kernel} stride={stride} padding={padding} dilation={dilation} {ceil_mode}"
        assert torch.equal(marks, expected), context
        dropped += any(w.dropped for w in ex.axes[0].views[0].windows)
        checked += 1
    assert checked > N_CASES // 3 and dropped > 0
