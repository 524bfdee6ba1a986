"""Differential tests against real PyTorch, run on the CPU (not the meta device, which skips
some of torch's checks), over thousands of random configurations: adaptive windows read off
the ops themselves, fractional max pooling outputs and rejections, max unpooling's accepted
output sizes.

Skipped where torch is missing, except when ``CONVSHAPE_REQUIRE_TORCH`` is set (``.ci/run``
sets it), where a missing torch is an error.
"""

from __future__ import annotations

import os
import random
import warnings

from convshape import ShapeError
from convshape.api.unpool import adaptive_pool, fractional_max_pool, max_unpool

from difftools import require_torch  # noqa: E402

torch = require_torch()

import torch.nn.functional as F  # noqa: E402

warnings.filterwarnings("ignore", message=".*NumPy.*")

ADAPTIVE = {("avg", 1): F.adaptive_avg_pool1d, ("avg", 2): F.adaptive_avg_pool2d, ("avg", 3): F.adaptive_avg_pool3d,
            ("max", 1): F.adaptive_max_pool1d, ("max", 2): F.adaptive_max_pool2d, ("max", 3): F.adaptive_max_pool3d}
FRACTIONAL = {2: torch.nn.FractionalMaxPool2d, 3: torch.nn.FractionalMaxPool3d}
UNPOOL = {1: F.max_unpool1d, 2: F.max_unpool2d, 3: F.max_unpool3d}
MAXPOOL = {1: F.max_pool1d, 2: F.max_pool2d, 3: F.max_pool3d}
N_CASES = int(os.environ.get("CONVSHAPE_DIFF_CASES", "1500"))


def ours(call):
    try:
        return call()
    except ShapeError as exc:
        return exc


def agree(expected, got, context: str) -> int:
    """Both give the same output, or both reject with the same words. Returns 1 for a rejection."""
    if isinstance(expected, Exception):
        assert isinstance(got, ShapeError), f"torch rejects ({expected}) but convshape gives {got}: {context}"
        assert got.message == str(expected), context
        return 1
    assert not isinstance(got, ShapeError), f"torch gives {expected} but convshape rejects ({got}): {context}"
    assert got.output == expected, context
    return 0


def _unravel(index: int, sizes) -> list[int]:
    coords = []
    for size in reversed(sizes):
        coords.append(index % size)
        index //= size
    return coords[::-1]


def torch_max_windows(sizes, outputs):
    """Each axis's windows read off adaptive_max_pool: on x = arange the argmax of a window is
    its last cell, on -arange its first (no ties)."""
    n = len(sizes)
    x = torch.arange(float(torch.tensor(sizes).prod()), dtype=torch.float64).reshape(1, 1, *sizes)
    fn = ADAPTIVE["max", n]
    _, last = fn(x, outputs, return_indices=True)
    _, first = fn(-x, outputs, return_indices=True)
    last, first = last.reshape(-1).tolist(), first.reshape(-1).tolist()
    windows = []
    for axis in range(n):
        stride = int(torch.tensor(outputs[axis + 1:]).prod()) if axis + 1 < n else 1
        axis_windows = []
        for o in range(outputs[axis]):
            flat = o * stride  # the output element (0, ..., o, 0, ...) on this axis
            axis_windows.append((_unravel(first[flat], sizes)[axis], _unravel(last[flat], sizes)[axis] + 1))
        windows.append(tuple(axis_windows))
    return tuple(windows)


def torch_avg_windows(sizes, outputs):
    """Each axis's windows read off adaptive_avg_pool on one-hot planes: plane b (cells whose
    coordinate on the axis is b) averages to > 0 exactly in the windows holding b."""
    n = len(sizes)
    windows = []
    for axis in range(n):
        x = torch.zeros(sizes[axis], 1, *sizes, dtype=torch.float64)
        for b in range(sizes[axis]):
            x.select(2 + axis, b)[b] = 1.0
        y = ADAPTIVE["avg", n](x, outputs)  # (plane, 1, *outputs)
        y = y.movedim(2 + axis, 1).reshape(sizes[axis], outputs[axis], -1)[:, :, 0]
        axis_windows = []
        for o in range(outputs[axis]):
            cells = torch.nonzero(y[:, o] > 0).reshape(-1).tolist()
            assert cells == list(range(cells[0], cells[-1] + 1))  # a window is one run of cells
            axis_windows.append((cells[0], cells[-1] + 1))
        windows.append(tuple(axis_windows))
    return tuple(windows)


def torch_adaptive(kind, sizes, outputs):
    try:
        if min(outputs) == 0 or min(sizes) == 0 or min(outputs) < 0:
            y = ADAPTIVE[kind, len(sizes)](torch.zeros(1, 1, *sizes), outputs if len(sizes) > 1 else outputs[0])
            return tuple(y.shape[2:]), None
    except (RuntimeError, ValueError) as exc:
        return exc, None
    reader = torch_max_windows if kind == "max" else torch_avg_windows
    return tuple(outputs), reader(sizes, outputs)


def test_adaptive_windows_match_torch():
    """The windows torch pools over, read off the op, equal convshape's for avg and max, 1-3 D,
    outputs smaller and larger than the input; 0 gives an empty output, negative sizes and
    empty inputs are rejected with torch's words."""
    rng = random.Random(20261123)
    rejected = repeated = 0
    for _ in range(N_CASES):
        n = rng.choice((1, 1, 2, 2, 3))
        kind = rng.choice(("avg", "max"))
        sizes = tuple(rng.randint(1, 40 if n == 1 else 12) for _ in range(n))
        outputs = tuple(rng.randint(1, 50 if n == 1 else 15) for _ in range(n))
        if rng.random() < 0.1:
            outputs = tuple(rng.choice((o, o, 0, -1, -3)) for o in outputs)
        if rng.random() < 0.04:
            sizes = tuple(rng.choice((s, 0)) for s in sizes)
        expected, windows = torch_adaptive(kind, sizes, outputs)
        got = ours(lambda: adaptive_pool(sizes, outputs, kind, ndim=n))
        context = f"{kind} sizes={sizes} outputs={outputs}"
        rejected += agree(expected, got, context)
        if windows is not None:
            assert got.windows == windows, context
            repeated += any(o > i for i, o in zip(sizes, outputs))
    assert rejected > N_CASES // 50 and repeated > N_CASES // 10


def test_adaptive_windows_match_torch_on_large_sizes():
    """Sizes where float arithmetic would drift: integer windows stay exact."""
    rng = random.Random(5)
    for _ in range(40):
        size, output = rng.randint(1000, 400_000), rng.randint(2, 300)
        windows = torch_max_windows((size,), (output,))
        assert adaptive_pool(size, output, "max", ndim=1).windows == windows, (size, output)


def torch_fractional(sizes, kernel, output_size, output_ratio):
    n = len(sizes)
    try:
        layer = FRACTIONAL[n](kernel, output_size=output_size, output_ratio=output_ratio)
        return tuple(layer(torch.zeros(1, 1, *sizes)).shape[2:])
    except (RuntimeError, ValueError) as exc:
        return exc


def test_fractional_max_pool_matches_torch():
    rng = random.Random(20261124)
    rejected = 0
    for _ in range(N_CASES):
        n = rng.choice((2, 3))
        sizes = tuple(rng.randint(1, 16) for _ in range(n))
        kernel = tuple(rng.randint(1, 6) for _ in range(n))
        output_size = output_ratio = None
        mode = rng.random()
        if mode < 0.5:
            output_size = tuple(max(-2, s - k - rng.randint(-2, 6)) for s, k in zip(sizes, kernel))
        elif mode < 0.9:
            output_ratio = tuple(rng.choice((rng.random(), 0.5, 0.25, 0.75, 0.999)) for _ in range(n))
        elif mode < 0.95:
            output_ratio = tuple(rng.choice((0.5, 1.0, 0.0, 1.5, -0.2)) for _ in range(n))
        else:
            output_size, output_ratio = rng.choice(((3, 0.5), (None, None)))
        if n == 3 and rng.random() < 0.03:
            kernel = (0, *kernel[1:])  # the 3-D module's own check
        expected = torch_fractional(sizes, kernel, output_size, output_ratio)
        got = ours(lambda: fractional_max_pool(sizes, kernel, output_size, output_ratio, ndim=n))
        rejected += agree(expected, got, f"sizes={sizes} kernel={kernel} o={output_size} r={output_ratio}")
    assert rejected > N_CASES // 5


def test_fractional_limits_are_the_boundaries_torch_draws():
    """largest_output and largest_kernel are the last sizes torch accepts."""
    rng = random.Random(3)
    for _ in range(150):
        n = rng.choice((2, 3))
        size, kernel = rng.randint(2, 20), rng.randint(1, 6)
        axis = ours(lambda: fractional_max_pool(size, kernel, output_size=1, ndim=n))
        if isinstance(axis, ShapeError):
            continue
        largest = axis.axes[0].largest_output
        assert not isinstance(torch_fractional((size,) * n, kernel, (largest,) * n, None), Exception)
        assert isinstance(torch_fractional((size,) * n, kernel, (largest + 1,) * n, None), Exception)


def torch_unpool(sizes, kernel, stride, padding, output_size):
    n = len(sizes)
    x = torch.ones(1, 1, *sizes)
    try:
        out = UNPOOL[n](x, torch.zeros_like(x, dtype=torch.long), kernel, stride, padding,
                        None if output_size is None else list(output_size))
        return tuple(out.shape[2:])
    except (RuntimeError, ValueError) as exc:
        return exc


def test_unpool_valid_outputs_are_exactly_what_torch_accepts():
    """Every size around the default tried on real F.max_unpool, axis by axis."""
    rng = random.Random(20261125)
    for _ in range(N_CASES // 5):
        n = rng.choice((1, 1, 2, 3))
        sizes = tuple(rng.randint(1, 12) for _ in range(n))
        kernel = tuple(rng.randint(1, 5) for _ in range(n))
        stride = tuple(rng.randint(1, 4) for _ in range(n))
        padding = tuple(rng.randint(0, k // 2 + (1 if rng.random() < 0.2 else 0)) for k in kernel)
        context = f"sizes={sizes} kernel={kernel} stride={stride} padding={padding}"
        expected = torch_unpool(sizes, kernel, stride, padding, None)
        got = ours(lambda: max_unpool(sizes, kernel, stride, ",".join(map(str, padding)), ndim=n))
        agree(expected, got, context)
        if isinstance(got, ShapeError):
            continue
        axis = rng.randrange(n)
        default = got.axes[axis].default
        accepted = set()
        for size in range(default - stride[axis] - 2, default + stride[axis] + 3):
            wanted = tuple(size if a == axis else o for a, o in enumerate(got.output))
            real = torch_unpool(sizes, kernel, stride, padding, wanted)
            mine = ours(lambda: max_unpool(sizes, kernel, stride, ",".join(map(str, padding)), wanted, ndim=n))
            agree(real, mine, f"{context} output_size={wanted}")
            if not isinstance(real, Exception):
                accepted.add(size)
        assert set(got.valid_outputs[axis]) == accepted, context


def test_unpool_pool_inputs_are_what_max_pool_maps_to_the_input():
    rng = random.Random(17)
    for _ in range(N_CASES // 5):
        size, kernel, stride = rng.randint(1, 12), rng.randint(1, 5), rng.randint(1, 4)
        padding = rng.randint(0, kernel // 2)
        sources = set()
        default = (size - 1) * stride + kernel - 2 * padding
        for n in range(max(1, default - stride - 2), default + 2 * stride + 2):
            try:
                if MAXPOOL[1](torch.zeros(1, 1, n), kernel, stride, padding).shape[-1] == size:
                    sources.add(n)
            except RuntimeError:
                pass
        got = max_unpool(size, kernel, stride, padding, ndim=1).axes[0].pool_inputs
        assert set(got) == sources, (size, kernel, stride, padding)
        # and unpooling with the real indices puts every maximum back where it came from
        for n in got[:2]:
            x = torch.randn(1, 1, n)
            y, idx = MAXPOOL[1](x, kernel, stride, padding, return_indices=True)
            back = UNPOOL[1](y, idx, kernel, stride, padding, [n])
            assert torch.equal(back[back != 0], x[back != 0])
