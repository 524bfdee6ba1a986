"""Differential tests against real PyTorch, run on the CPU (not the meta device, which skips
some of torch's checks), over thousands of random configurations: outputs and rejections.

Skipped where torch is missing, except when ``CONVSHAPE_REQUIRE_TORCH`` is set (``.ci/run``
sets it), where a missing torch is an error.
"""

from __future__ import annotations

import math
import os
import random
import struct
import warnings

import pytest

from convshape import ShapeError
from convshape.api.resample import interpolate, pixel_shuffle, pixel_unshuffle, upsample

from difftools import require_torch  # noqa: E402

torch = require_torch()

import torch.nn.functional as F  # noqa: E402

warnings.filterwarnings("ignore", message=".*padding='same'.*")

N_CASES = int(os.environ.get("CONVSHAPE_DIFF_CASES", "1500"))
MODES = ("nearest", "nearest", "nearest-exact", "area", "linear", "bilinear", "bicubic", "trilinear", "lanczos",
         "bogus")
AWKWARD = (1.5, 0.1, 2.3, 1 / 3, 2 / 3, 0.29, 0.57, 1.1, 0.7, 2.5, 1 / 49, 1 / 7, 3.0, 2, 1, 0.5, 0.05)
NEAREST_LIKE = ("nearest", "nearest-exact", "area")
RANK = {"linear": 1, "bilinear": 2, "bicubic": 2, "lanczos": 2, "trilinear": 3}
EXTREME = (0.0, -1.0, -0.05, 1e-9, 1e30, math.inf, math.nan)


def first_line(exc: BaseException) -> str:
    return str(exc).split("\n")[0]


def torch_shape(call):
    """The output shape from torch, or the exception it raised."""
    try:
        return tuple(call().shape)
    except (RuntimeError, ValueError, TypeError, NotImplementedError, OverflowError) as exc:
        return exc


def ours(call):
    try:
        return call()
    except ShapeError as exc:
        return exc


def compare(expected, got, context: str, output=lambda r: r.output) -> bool:
    """Both give the same shape, or both reject with torch's own words. True if rejected."""
    if isinstance(expected, Exception):
        assert isinstance(got, ShapeError), f"torch rejects ({expected}) but convshape gives {got}: {context}"
        assert got.message == first_line(expected), f"{context}\n torch: {first_line(expected)}\n  ours: {got.message}"
        return True
    assert not isinstance(got, Exception), f"torch gives {expected} but convshape rejects ({got}): {context}"
    assert output(got) == expected, context
    return False


def random_interpolation(rng: random.Random):
    n = rng.choice((1, 1, 2, 2, 3, 3)) if rng.random() > 0.02 else 4
    limit = {1: 40, 2: 24, 3: 9, 4: 4}[n]
    ins = tuple(rng.randint(1, limit) if rng.random() > 0.03 else 0 for _ in range(n))
    size = scale = None
    kind = rng.random()
    if kind < 0.3:
        size = tuple(rng.randint(1, 2 * limit) if rng.random() > 0.05 else rng.choice((0, -1)) for _ in range(n))
    elif kind < 0.95:
        pick = lambda: rng.choice(AWKWARD) if rng.random() < 0.6 else (  # noqa: E731
            round(rng.uniform(0.05, 3.5), rng.choice((1, 2, 6))) if rng.random() < 0.95 else rng.choice(EXTREME))
        scale = pick() if rng.random() < 0.5 else tuple(pick() for _ in range(n))
    elif kind < 0.98:
        size, scale = tuple(rng.randint(1, limit) for _ in range(n)), 2.0
    valid = [m for m in MODES if m in NEAREST_LIKE or RANK.get(m) == n]
    mode = rng.choice(valid) if rng.random() < 0.7 else rng.choice(MODES)
    align_corners = rng.choice((None,) * 6 + (True, False) if mode in NEAREST_LIKE else (None, True, False))
    recompute = rng.choice((None, None, True, False))
    antialias = rng.random() < 0.12
    return n, ins, size, scale, mode, align_corners, recompute, antialias


def test_interpolate_matches_torch():
    """F.interpolate: sizes for awkward scales (recompute_scale_factor True/False/None), every
    mode and rank, and every rejection with torch's own message."""
    rng = random.Random(20260301)
    rejected = 0
    rules, combos = set(), set()
    for _ in range(N_CASES * 2):
        n, ins, size, scale, mode, align_corners, recompute, antialias = random_interpolation(rng)
        expected = torch_shape(lambda: F.interpolate(
            torch.zeros(1, 1, *ins), size=list(size) if size else None,
            scale_factor=list(scale) if isinstance(scale, tuple) else scale, mode=mode, align_corners=align_corners,
            recompute_scale_factor=recompute, antialias=antialias))
        got = ours(lambda: interpolate(ins, size, scale, mode, align_corners, recompute, antialias, ndim=n))
        context = (f"ins={ins} size={size} scale={scale} mode={mode} align_corners={align_corners} "
                   f"recompute={recompute} antialias={antialias}")
        if isinstance(expected, tuple):
            expected = expected[2:]
        rejected += compare(expected, got, context)
        rules.add(got.rule) if isinstance(got, ShapeError) else combos.add((mode, n))
    assert N_CASES // 4 < rejected < N_CASES * 2 - N_CASES // 4  # both sides really exercised
    assert len(combos) == 14  # every mode on every rank it takes
    assert rules >= {"mode-rank", "align-corners-mode", "antialias-mode", "recompute-with-size", "size-positive",
                     "size-and-scale", "size-or-scale", "lanczos-antialias", "lanczos-align-corners", "size-overflow",
                     "input-empty", "scale-not-finite"}


def test_upsample_module_matches_torch():
    """nn.Upsample stores ``float(scale) if scale else None``: a scale of 0 is no scale."""
    rng = random.Random(4)
    for _ in range(N_CASES // 2):
        n, ins, size, scale, mode, align_corners, recompute, _ = random_interpolation(rng)
        if rng.random() < 0.15:
            scale = rng.choice((0, 0.0))
        expected = torch_shape(lambda: torch.nn.Upsample(size, scale, mode, align_corners, recompute)(
            torch.zeros(1, 1, *ins)))
        got = ours(lambda: upsample(ins, size, scale, mode, align_corners, recompute, ndim=n))
        if isinstance(expected, tuple):
            expected = expected[2:]
        compare(expected, got, f"ins={ins} size={size} scale={scale} mode={mode} ac={align_corners} rc={recompute}")


F32 = struct.Struct("f")


def f32(value: float) -> float:
    """Round to float32, as torch's kernels compute the source step for a float32 tensor."""
    return F32.unpack(F32.pack(value))[0]


def probe(n: int, axis: int, size: int, scale: float, **kwargs):
    """Interpolate an input that is ``arange(size)`` along ``axis`` (2 elsewhere, 2 channels),
    scaling only that axis; return torch's values along it."""
    shape, view, scales = [2] * n, [1] * n, [1.0] * n
    shape[axis], view[axis], scales[axis] = size, size, scale
    x = torch.arange(size, dtype=torch.float32).view(1, 1, *view).expand(1, 2, *shape).contiguous()
    y = F.interpolate(x, scale_factor=scales, **kwargs)
    index = [0] * (n + 2)
    index[2 + axis] = slice(None)
    return y[tuple(index)].tolist()


def test_nearest_samples_with_the_reported_step():
    """The reported source_step is what torch's nearest kernels sample with: source index =
    min(floor(f32(dst [+ 0.5]) * f32(step)), input - 1), for the user's scale
    (recompute_scale_factor False/None: scale_used is set) and for the recomputed one (True);
    the two often differ, which is why convshape reports it."""
    rng = random.Random(99)
    differ = 0
    for _ in range(N_CASES // 2):
        n, size = rng.choice((1, 2, 3)), rng.randint(1, 40)
        axis = rng.randrange(n)
        scale = rng.choice(AWKWARD + (1.05, 2.05)) if rng.random() < 0.6 else rng.uniform(0.05, 4)
        mode = rng.choice(("nearest", "nearest-exact"))
        picked = {}
        for recompute in (False, True):
            scales = [1.0] * n
            scales[axis] = scale
            result = ours(lambda: interpolate([size if a == axis else 2 for a in range(n)], scale=scales, mode=mode,
                                              recompute_scale_factor=recompute))
            if isinstance(result, ShapeError):
                break
            reported = result.axes[axis]
            assert (reported.scale_used is None) == recompute
            step = f32(reported.source_step)
            offset = 0.5 if mode == "nearest-exact" else 0.0
            predicted = [min(math.floor(f32(f32(d + offset) * step)), size - 1) for d in range(reported.output)]
            picked[recompute] = [int(v) for v in probe(n, axis, size, scale, mode=mode,
                                                       recompute_scale_factor=recompute)]
            assert picked[recompute] == predicted, f"n={n} size={size} scale={scale} mode={mode} rc={recompute}"
        differ += len(picked) == 2 and picked[True] != picked[False]
    assert differ > N_CASES // 20  # the sampling really differs between the two


def test_linear_samples_with_the_reported_step():
    """linear/bilinear/trilinear on an arange input return the clamped source coordinate:
    align_corners ``step * dst``, else ``step * (dst + 0.5) - 0.5`` (UpSample.h
    area_pixel_compute_source_index), with the reported step."""
    rng = random.Random(5)
    for _ in range(N_CASES // 3):
        n, size = rng.choice((1, 2, 3)), rng.randint(2, 30)
        axis = rng.randrange(n)
        scale = rng.choice(AWKWARD[:12] + (1.05,)) if rng.random() < 0.6 else rng.uniform(0.2, 4)
        align_corners, recompute = rng.choice((True, False)), rng.choice((None, True, False))
        mode = ("linear", "bilinear", "trilinear")[n - 1]
        scales = [1.0] * n
        scales[axis] = scale
        result = ours(lambda: interpolate([size if a == axis else 2 for a in range(n)], scale=scales, mode=mode,
                                          align_corners=align_corners, recompute_scale_factor=recompute))
        if isinstance(result, ShapeError):
            continue
        step = result.axes[axis].source_step
        real = probe(n, axis, size, scale, mode=mode, align_corners=align_corners, recompute_scale_factor=recompute)
        for d, value in enumerate(real):
            source = step * d if align_corners else max(step * (d + 0.5) - 0.5, 0.0)
            assert abs(value - min(source, size - 1)) < 1e-3, (n, size, scale, align_corners, recompute, d)


def random_shape(rng: random.Random, unshuffle: bool, r: int):
    rank = rng.choice((1, 2, 3, 3, 4, 4, 4, 5, 6))
    shape = [rng.randint(1, 4) for _ in range(rank)]
    if rank >= 3:
        shape[-3] = rng.randint(0, 3) * max(r, 1) ** (0 if unshuffle else 2) + (rng.random() < 0.2)
        shape[-2] = rng.randint(1, 5) * (max(r, 1) if unshuffle else 1) + (rng.random() < 0.15)
        shape[-1] = rng.randint(1, 5) * (max(r, 1) if unshuffle else 1) + (rng.random() < 0.15)
    if rng.random() < 0.08:
        shape[rng.randrange(rank)] = 0
    return tuple(shape)


@pytest.mark.parametrize("unshuffle", [False, True])
def test_pixel_shuffle_matches_torch(unshuffle):
    """F.pixel_shuffle / pixel_unshuffle on the CPU: shapes (leading dims kept, the CPU
    unshuffle's empty-tensor clone included) and rejections with torch's messages."""
    rng = random.Random(31 + unshuffle)
    real, api = (F.pixel_unshuffle, pixel_unshuffle) if unshuffle else (F.pixel_shuffle, pixel_shuffle)
    rejected = 0
    for _ in range(N_CASES):
        r = rng.choice((1, 2, 2, 3, 4, 0, -1))
        shape = random_shape(rng, unshuffle, r)
        expected = torch_shape(lambda: real(torch.zeros(*shape), r))
        got = ours(lambda: api(shape, r))
        rejected += compare(expected, got, f"shape={shape} r={r}", output=lambda res: res.shape)
    assert N_CASES // 10 < rejected < N_CASES - N_CASES // 10


class PixelShuffle1D(torch.nn.Module):
    """Seed 004's 1-D pixel shuffler, verbatim apart from formatting."""

    def __init__(self, upscale_factor):
        super().__init__()
        self.upscale_factor = upscale_factor

    def forward(self, x):
        batch_size, channels, in_width = x.size()
        channels //= self.upscale_factor
        out_width = self.upscale_factor * in_width
        x = x.contiguous().view([batch_size, channels, self.upscale_factor, in_width])
        x = x.permute(0, 1, 3, 2).contiguous()
        x = x.view(batch_size, channels, out_width)
        return x


def pixel_unshuffle_1d(x, r):
    """The inverse recipe convshape documents for NCW."""
    b, c, w = x.size()
    x = x.contiguous().view([b, c, w // r, r])
    return x.permute(0, 1, 3, 2).contiguous().view(b, c * r, w // r)


def test_seed_pixel_shuffle_1d_recipe_matches_torch():
    """torch, NCW: seed 004's PixelShuffle1D and its inverse, run for real."""
    rng = random.Random(8)
    for _ in range(N_CASES // 3):
        r = rng.randint(1, 4)
        shape = (rng.randint(0, 3), rng.randint(0, 4) * r + (rng.random() < 0.3), rng.randint(0, 5) * r
                 + (rng.random() < 0.3))
        expected = torch_shape(lambda: PixelShuffle1D(r)(torch.zeros(*shape)))
        got = ours(lambda: pixel_shuffle(shape, r, "NCW"))
        if isinstance(expected, Exception):
            assert isinstance(got, ShapeError) and first_line(expected) in got.message, (shape, r, expected, got)
        else:
            assert got.shape == expected, (shape, r)
        expected = torch_shape(lambda: pixel_unshuffle_1d(torch.zeros(*shape), r))
        got = ours(lambda: pixel_unshuffle(shape, r, "NCW"))
        if isinstance(expected, Exception):
            assert isinstance(got, ShapeError) and first_line(expected) in got.message, (shape, r, expected, got)
        else:
            assert got.shape == expected, (shape, r)


@pytest.mark.parametrize("mode", ("nearest", "nearest-exact", "area", "linear", "bilinear", "bicubic", "trilinear",
                                  "lanczos"))
def test_every_mode_on_every_rank_matches_torch(mode):
    """issue 10 #5: each mode's rank rule (bicubic and lanczos 4-D only, linear 3-D, bilinear 4-D, trilinear
    5-D, antialias 4-D bilinear/bicubic/lanczos only), on 3-D, 4-D and 5-D inputs, with and without
    antialias and align_corners, against F.interpolate and nn.Upsample: same shape or torch's own words."""
    for n in (1, 2, 3):
        for antialias in (False, True):
            for align_corners in (None, False, True):
                for api, call in ((interpolate, lambda x: F.interpolate(x, scale_factor=2, mode=mode,
                                                                        align_corners=align_corners,
                                                                        antialias=antialias)),
                                  (upsample, lambda x: torch.nn.Upsample(scale_factor=2, mode=mode,
                                                                         align_corners=align_corners)(x))):
                    if api is upsample and antialias:
                        continue  # nn.Upsample has no antialias
                    expected = torch_shape(lambda: call(torch.zeros(1, 1, *([5] * n))))
                    got = ours(lambda: api(5, scale=2, mode=mode, align_corners=align_corners, antialias=antialias,
                                           ndim=n))
                    compare(expected, got, f"{api.__name__} mode={mode} n={n} antialias={antialias} "
                                           f"align_corners={align_corners}", lambda r: (1, 1, *r.output))
