"""Differential tests against real PyTorch, run on the CPU (not the meta device, which skips
some of torch's checks), over thousands of random configurations: outputs and rejections.

Skipped where torch is missing, except when ``CONVSHAPE_REQUIRE_TORCH`` is set (``.ci/run``
sets it), where a missing torch is an error.
"""

from __future__ import annotations

import os
import random
import warnings

import pytest

from convshape import ShapeError, conv, conv_transpose

from difftools import require_torch  # noqa: E402

torch = require_torch()

import torch.nn.functional as F  # noqa: E402
from difftools import agree, ours, same_rejection  # noqa: E402

warnings.filterwarnings("ignore", message=".*padding='same'.*")

CONV = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}
CONV_T = {1: F.conv_transpose1d, 2: F.conv_transpose2d, 3: F.conv_transpose3d}
MODULE_T = {1: torch.nn.ConvTranspose1d, 2: torch.nn.ConvTranspose2d, 3: torch.nn.ConvTranspose3d}
N_CASES = int(os.environ.get("CONVSHAPE_DIFF_CASES", "1500"))


def torch_conv(sizes, kernel, stride, padding, dilation):
    """Output spatial size from torch, or the exception it raised."""
    n = len(sizes)
    x = torch.zeros(1, 1, *sizes)
    w = torch.zeros(1, 1, *kernel)
    try:
        if isinstance(padding, list):  # explicit (before, after) pairs: F.pad first, as torch's 'same' does
            flat = [v for pair in reversed(padding) for v in pair]
            if any(v < 0 for v in flat):
                raise RuntimeError("negative padding is not supported")
            x = F.pad(x, flat)
            padding = 0
        return tuple(CONV[n](x, w, stride=stride, padding=padding, dilation=dilation).shape[2:])
    except (RuntimeError, ValueError) as exc:
        return exc


def random_axes(rng: random.Random, n: int):
    sizes = tuple(rng.randint(1, 24) for _ in range(n))
    kernel = tuple(rng.randint(1, 7) for _ in range(n))
    stride = tuple(rng.choice((1, 1, 2, 2, 3, 4)) for _ in range(n))
    dilation = tuple(rng.choice((1, 1, 1, 2, 3)) for _ in range(n))
    return sizes, kernel, stride, dilation


# torch's own notice for padding='same' with an even kernel (an extra copy of the input), not a failure
@pytest.mark.filterwarnings("ignore:Using padding='same' with even kernel lengths:UserWarning")
def test_conv_matches_torch():
    rng = random.Random(20261122)
    rejected = 0
    for _ in range(N_CASES):
        n = rng.choice((1, 1, 2, 2, 3))
        sizes, kernel, stride, dilation = random_axes(rng, n)
        mode = rng.random()
        if mode < 0.15:
            padding = rng.choice(("same", "valid"))
            ours_padding = padding
        elif mode < 0.3:
            padding = [(rng.randint(-1, 4), rng.randint(-1, 4)) for _ in range(n)]
            ours_padding = padding
        else:
            padding = tuple(rng.choice((0, 0, 1, 2, 3, 5, -1)) for _ in range(n))
            ours_padding = padding
        expected = torch_conv(sizes, kernel, stride, padding, dilation)
        got = ours(lambda: conv(sizes, kernel, stride, ours_padding, dilation, ndim=n))
        context = f"sizes={sizes} kernel={kernel} stride={stride} padding={padding} dilation={dilation}"
        rejected += agree(expected, got, context)
    assert rejected > N_CASES // 20  # the sample really exercises the rejections


def torch_transposed(sizes, kernel, stride, padding, dilation, output_padding):
    n = len(sizes)
    try:
        out = CONV_T[n](torch.zeros(1, 1, *sizes), torch.zeros(1, 1, *kernel), stride=stride, padding=padding,
                        output_padding=output_padding, dilation=dilation)
        return tuple(out.shape[2:])
    except (RuntimeError, ValueError) as exc:
        return exc


def torch_output_size(sizes, kernel, stride, padding, dilation, output_size):
    n = len(sizes)
    try:
        layer = MODULE_T[n](1, 1, kernel, stride=stride, padding=padding, dilation=dilation, bias=False)
        return tuple(layer(torch.zeros(1, 1, *sizes), output_size=list(output_size)).shape[2:])
    except (RuntimeError, ValueError) as exc:
        return exc


def test_conv_transpose_output_padding_matches_torch():
    rng = random.Random(7)
    rejected = 0
    for _ in range(N_CASES):
        n = rng.choice((1, 1, 2, 3))
        sizes, kernel, stride, dilation = random_axes(rng, n)
        padding = tuple(rng.choice((0, 0, 1, 2, 3, 6, -1)) for _ in range(n))
        output_padding = tuple(rng.choice((0, 0, 1, 2, 3, -1)) for _ in range(n))
        expected = torch_transposed(sizes, kernel, stride, padding, dilation, output_padding)
        got = ours(lambda: conv_transpose(sizes, kernel, stride, padding, dilation, output_padding, ndim=n))
        context = (f"sizes={sizes} kernel={kernel} stride={stride} padding={padding} dilation={dilation} "
                   f"output_padding={output_padding}")
        if not isinstance(expected, Exception) and 0 in expected and isinstance(got, ShapeError):
            # torch's oneDNN backend skips the output check (documented in convshape's message)
            assert "oneDNN backend" in str(got), context
            continue
        rejected += agree(expected, got, context)
    assert rejected > N_CASES // 20


def test_valid_outputs_are_exactly_what_torch_accepts():
    """valid_outputs is the set of sizes torch gives through output_padding or output_size, per axis."""
    rng = random.Random(11)
    for _ in range(N_CASES // 3):
        sizes, kernel, stride, dilation = random_axes(rng, 1)
        padding = (rng.choice((0, 0, 1, 2, 3, 5)),)
        try:
            ours_valid = set(conv_transpose(sizes, kernel, stride, padding, dilation, ndim=1).valid_outputs[0])
        except ShapeError:
            ours_valid = None  # the default (output_padding=0) is rejected; compare the sets below anyway
        accepted = set()
        for op in range(0, max(stride[0], dilation[0]) + 2):
            out = torch_transposed(sizes, kernel, stride, padding, dilation, (op,))
            if not isinstance(out, Exception):
                accepted.add(out[0])
        base = (sizes[0] - 1) * stride[0] - 2 * padding[0] + dilation[0] * (kernel[0] - 1) + 1
        for size in range(max(1, base - stride[0] - 1), base + 2 * stride[0] + 2):
            out = torch_output_size(sizes, kernel, stride, padding, dilation, (size,))
            if not isinstance(out, Exception):
                assert out == (size,)
                accepted.add(size)
        context = f"sizes={sizes} kernel={kernel} stride={stride} padding={padding} dilation={dilation}"
        if ours_valid is None:
            # convshape rejects output_padding=0: torch must too, and may accept only larger paddings or
            # output sizes (issue 10 #4), which convshape must accept exactly
            assert isinstance(torch_transposed(sizes, kernel, stride, padding, dilation, (0,)), Exception), context
            ours_valid = set()
            for op in range(0, max(stride[0], dilation[0]) + 2):
                got = ours(lambda: conv_transpose(sizes, kernel, stride, padding, dilation, (op,), ndim=1))
                ours_valid |= set() if isinstance(got, ShapeError) else {got.output[0]}
            for size in range(max(1, base - stride[0] - 1), base + 2 * stride[0] + 2):
                got = ours(lambda: conv_transpose(sizes, kernel, stride, padding, dilation, output_size=(size,),
                                                  ndim=1))
                ours_valid |= set() if isinstance(got, ShapeError) else {got.output[0]}
        assert ours_valid == accepted, context


def torch_module_both(sizes, kernel, stride, padding, dilation, output_padding, output_size):
    """nn.ConvTransposeNd(..., output_padding=...)(x, output_size=...): output shape or the exception."""
    n = len(sizes)
    try:
        layer = MODULE_T[n](1, 1, kernel, stride=stride, padding=padding, dilation=dilation, bias=False,
                            output_padding=output_padding)
        return tuple(layer(torch.zeros(1, 1, *sizes), output_size=list(output_size)).shape[2:])
    except (RuntimeError, ValueError) as exc:
        return exc


def test_output_size_with_output_padding_and_empty_defaults_match_torch():
    """issue 10 #3 and #4: the module's output_padding is ignored when output_size is given (torch 2.13
    computes output_size - min_size), and output_size selects sizes on axes whose default output is 0
    or negative (input 1, k 4, s 3, p 2 gives 0 by default; output_size 1 and 2 are accepted)."""
    rng = random.Random(17)
    rejected = accepted_small = 0
    for _ in range(N_CASES * 2):
        n = rng.choice((1, 1, 2))
        sizes = tuple(rng.randint(1, 5) for _ in range(n))
        kernel = tuple(rng.randint(1, 7) for _ in range(n))
        stride = tuple(rng.choice((1, 2, 3, 4)) for _ in range(n))
        dilation = tuple(rng.choice((1, 1, 2, 3)) for _ in range(n))
        # paddings around the one that empties the default output ((i-1)s + d(k-1) + 1 = 2p)
        padding = tuple(max(0, ((i - 1) * s + d * (k - 1) + 1) // 2 + rng.randint(-2, 1))
                        for i, k, s, d in zip(sizes, kernel, stride, dilation))
        output_padding = tuple(rng.choice((0, 1, 2, 3, 5, -1)) for _ in range(n)) if rng.random() < 0.6 else None
        base = [(i - 1) * s - 2 * p + d * (k - 1) + 1 for i, k, s, p, d in zip(sizes, kernel, stride, padding,
                                                                                dilation)]
        wanted = tuple(b + rng.randint(-1, s) for b, s in zip(base, stride))
        expected = torch_module_both(sizes, kernel, stride, padding, dilation, output_padding or 0, wanted)
        got = ours(lambda: conv_transpose(sizes, kernel, stride, padding, dilation, output_padding, wanted,
                                          ndim=n))
        context = (f"sizes={sizes} kernel={kernel} stride={stride} padding={padding} dilation={dilation} "
                   f"output_padding={output_padding} o={wanted}")
        if not isinstance(expected, Exception) and 0 in expected and isinstance(got, ShapeError):
            assert "oneDNN backend" in str(got), context  # torch's oneDNN backend skips the output check
            continue
        rejected += agree(expected, got, context)
        accepted_small += not isinstance(expected, Exception) and min(base) <= 0
    assert rejected > N_CASES // 10 and accepted_small > N_CASES // 20, (rejected, accepted_small)


@pytest.mark.parametrize("output_padding, output_size, expected", [(1, 9, None), (1, 11, 11), (1, 12, 12),
                                                                     (5, 12, 12), (-1, 11, 11)])
def test_module_output_padding_is_ignored_with_output_size(output_padding, output_size, expected):
    """torch 2.13: nn.ConvTranspose2d(1, 1, 3, stride=2, output_padding=1)(x 5x5, output_size=11) is 11x11."""
    real = torch_module_both((5, 5), (3, 3), (2, 2), (0, 0), (1, 1), output_padding, (output_size,) * 2)
    got = ours(lambda: conv_transpose("5,5", 3, 2, 0, 1, output_padding, output_size))
    if expected is None:
        assert isinstance(real, Exception) and isinstance(got, ShapeError)
        return
    assert real == (expected, expected) == got.output
    assert any("output_padding" in note and "ignored" in note for note in got.notes)


@pytest.mark.parametrize("output_size, expected", [(0, None), (1, 1), (2, 2), (3, None)])
def test_output_size_where_the_default_is_empty(output_size, expected):
    """torch 2.13: nn.ConvTranspose2d(1, 1, 4, stride=3, padding=2) on 1x1 gives 0 by default (rejected),
    and accepts output_size 1 and 2."""
    real = torch_module_both((1, 1), (4, 4), (3, 3), (2, 2), (1, 1), 0, (output_size,) * 2)
    got = ours(lambda: conv_transpose("1,1", 4, 3, 2, output_size=output_size))
    if expected is None:
        # 0: torch's oneDNN backend (a 4x4 kernel) returns an empty tensor, as convshape's rejection says
        assert isinstance(got, ShapeError)
        assert isinstance(real, Exception) or (real == (0, 0) and "oneDNN" in str(got)), (real, got)
        return
    assert real == (expected, expected) == got.output


def test_output_size_selection_matches_torch():
    rng = random.Random(13)
    for _ in range(N_CASES // 3):
        n = rng.choice((1, 2))
        sizes, kernel, stride, dilation = random_axes(rng, n)
        padding = tuple(rng.choice((0, 1, 2)) for _ in range(n))
        base = [(i - 1) * s - 2 * p + d * (k - 1) + 1 for i, k, s, p, d in zip(sizes, kernel, stride, padding,
                                                                                dilation)]
        wanted = tuple(b + rng.randint(-1, s) for b, s in zip(base, stride))
        expected = torch_output_size(sizes, kernel, stride, padding, dilation, wanted)
        got = ours(lambda: conv_transpose(sizes, kernel, stride, padding, dilation, output_size=wanted, ndim=n))
        context = f"sizes={sizes} kernel={kernel} stride={stride} padding={padding} dilation={dilation} o={wanted}"
        agree(expected, got, context)


@pytest.mark.parametrize("call, real, message", [
    (lambda: conv(5, 7), lambda: F.conv1d(torch.zeros(1, 1, 5), torch.zeros(1, 1, 7)),
     r"Kernel size can't be greater than actual input size"),
    (lambda: conv(5, 3, stride=2, padding="same"),
     lambda: F.conv1d(torch.zeros(1, 1, 5), torch.zeros(1, 1, 3), stride=2, padding="same"),
     r"padding='same' is not supported for strided convolutions"),
    (lambda: conv(5, 3, padding=-1), lambda: F.conv1d(torch.zeros(1, 1, 5), torch.zeros(1, 1, 3), padding=-1),
     r"negative padding is not supported"),
    (lambda: conv(5, 3, stride=0), lambda: F.conv1d(torch.zeros(1, 1, 5), torch.zeros(1, 1, 3), stride=0),
     r"non-positive stride is not supported"),
    (lambda: conv_transpose(5, 3, stride=2, output_padding=2),
     lambda: F.conv_transpose1d(torch.zeros(1, 1, 5), torch.zeros(1, 1, 3), stride=2, output_padding=2),
     r"output padding must be smaller than either stride or dilation"),
    (lambda: conv_transpose(2, 1, padding=1),
     lambda: F.conv_transpose1d(torch.zeros(1, 1, 2), torch.zeros(1, 1, 1), padding=1),
     r"Output size is too small"),
    (lambda: conv_transpose(5, 3, stride=2, output_size=10),
     lambda: torch.nn.ConvTranspose1d(1, 1, 3, stride=2)(torch.zeros(1, 1, 5), output_size=[10]),
     r"requested an output size of \[?10\]?, but valid sizes range from \[?11\]? to \[?12\]?"),
])
def test_rejections_read_like_torch(call, real, message):
    """convshape's message is torch's own: both reject, with the same words."""
    same_rejection(call, real, message)
