"""Differential tests against real PyTorch, run on the CPU: every --for-all-inputs answer solve
gives for torch scales many input sizes exactly in torch itself, and the plain answers give
the asked-for size there.

Skipped where torch is missing, except when ``CONVSHAPE_REQUIRE_TORCH`` is set (``.ci/run``
sets it), where a missing torch is an error.
"""

from __future__ import annotations

import random
import warnings
from fractions import Fraction

import pytest

from convshape.api.solve import solve

from difftools import require_torch  # noqa: E402

torch = require_torch()

import torch.nn.functional as F  # noqa: E402

warnings.filterwarnings("ignore", message=".*padding='same'.*")
pytestmark = pytest.mark.filterwarnings("ignore:.*padding='same'.*")

SIZES = [*range(1, 34), 47, 64, 99, 128, 257, 1000, 4097]


def torch_size(op: str, solution, sizes: tuple[int, ...]) -> tuple[int, ...]:
    """The spatial output torch gives for one solution on an input of ``sizes``."""
    n = len(sizes)
    x = torch.zeros(1, 1, *sizes)
    a = solution.arguments
    kernel, stride, dilation = solution.kernel, solution.stride, solution.dilation
    padding = solution.padding
    if op.startswith("conv-transpose"):
        w = torch.zeros(1, 1, *kernel)
        fn = getattr(F, f"conv_transpose{n}d")
        return tuple(fn(x, w, stride=stride, padding=solution.pad_before, output_padding=solution.output_padding,
                        dilation=dilation).shape[2:])
    if op.startswith("conv"):
        w = torch.zeros(1, 1, *kernel)
        fn = getattr(F, f"conv{n}d")
        pad = "same" if padding == "same" else solution.pad_before
        return tuple(fn(x, w, stride=stride, padding=pad, dilation=dilation).shape[2:])
    if op.startswith("maxpool"):
        fn = getattr(F, f"max_pool{n}d")
        return tuple(fn(x, kernel, stride, solution.pad_before, dilation, ceil_mode=a["ceil_mode"]).shape[2:])
    fn = getattr(F, f"avg_pool{n}d")
    return tuple(fn(x, kernel, stride, solution.pad_before, ceil_mode=a["ceil_mode"]).shape[2:])


CASES = [("conv-transpose1d", s) for s in ("1", "2", "3", "4")] + [
    ("conv-transpose2d", "2"), ("conv1d", "1/2"), ("conv1d", "1/3"), ("conv1d", "1/4"), ("conv2d", "1"),
    ("maxpool1d", "1/2"), ("maxpool1d", "1/3"), ("avgpool1d", "1/2"), ("maxpool2d", "1/2")]


@pytest.mark.parametrize("op, scale", CASES)
def test_for_all_inputs_answers_scale_every_size_in_torch(op, scale):
    result = solve(op=op, scale=scale, limit=0)
    factor = Fraction(scale)
    rng = random.Random(op + scale)
    for solution in result.solutions if len(result.axes) == 1 else result.solutions[:30]:
        n = len(solution.kernel)
        sizes = SIZES if n == 1 else rng.sample(SIZES[:36], 6)  # 2-D: fewer and smaller, the same rule per axis
        for size in sizes:
            if size % factor.denominator:
                continue
            want = int(size * factor)
            got = torch_size(op, solution, (size,) * n)
            assert got == (want,) * n, (solution.arguments, size, got)


def test_seed_004_recipe_in_torch():
    """seed 004: ConvTranspose1d(kernel_size=2S, stride=S, padding=S//2 + S%2, output_padding=S%2)."""
    for s in (2, 3, 4):
        result = solve(op="conv-transpose1d", scale=s, max_kernel=8, limit=0)
        recipe = [x for x in result.solutions if x.kernel == (2 * s,) and x.pad_before == (s // 2 + s % 2,)
                  and x.output_padding == (s % 2,)]
        assert recipe
        for size in SIZES:
            assert torch_size("conv-transpose1d", recipe[0], (size,)) == (s * size,)


def test_plain_answers_give_the_size_in_torch():
    rng = random.Random(2026)
    for _ in range(25):
        op = rng.choice(["conv1d", "conv2d", "conv-transpose1d", "maxpool1d", "avgpool2d"])
        n = int(op[-2])
        size = tuple(rng.randint(2, 40) for _ in range(n))
        if op.startswith("conv-transpose"):
            want = tuple(rng.randint(s, 4 * s + 4) for s in size)
        else:
            want = tuple(rng.randint(1, s) for s in size)
        try:
            result = solve(",".join(map(str, size)), ",".join(map(str, want)), op, limit=0)
        except Exception as exc:  # nothing within the bounds: torch must not find one either (brute force elsewhere)
            assert getattr(exc, "rule", None) == "no-solution", exc
            continue
        for solution in result.solutions[:40]:
            assert torch_size(op, solution, size) == want, (solution.arguments, size, want)
