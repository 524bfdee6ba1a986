"""Keras's float32 adaptive windows held as torch's integer windows with exceptions (issue 10:
summaries whose cost does not grow with the output count), cross-checked against a per-window
oracle in numpy's own float32 arithmetic (keras/src/backend/tensorflow/nn.py
``_compute_static_gather_indices``) and against the windows recorded from Keras 3.15.1."""

from __future__ import annotations

import math
import random

import pytest

from convshape.api.unpool import AdaptiveAxis, adaptive_pool
from convshape.errors import ShapeError
from convshape.frameworks.keras import keras_candidate_bounds, keras_windows
from convshape.model import AdaptiveWindows

np = pytest.importorskip("numpy")


def oracle(size: int, output: int) -> tuple[tuple[int, int], ...] | str:
    """Every window, one float32 operation at a time as Keras does it (the slow path), or the
    GatherV2 error text."""
    small = math.ceil(size / output)
    big = small + 1
    small_len, big_len = size - small + 1, size - big + 1
    ticks = np.arange(output + 1).astype(np.float32)
    bounds = (ticks * np.float32(size)) / np.float32(output)  # float32 * float32, float32 / float32
    assert bounds.dtype == np.float32
    starts = np.minimum(np.floor(bounds[:-1]).astype(np.int64), size - 1)
    ends = np.minimum(np.ceil(bounds[1:]).astype(np.int64), size)
    index = np.where(ends - starts == big, starts + small_len, starts)
    bad = np.nonzero(index >= small_len + big_len)[0]
    if len(bad):
        o = int(bad[0])
        return f"indices[{o}] = {int(index[o])} is not in [0, {small_len + big_len})"
    lo = np.where(index < small_len, index, index - small_len)
    hi = lo + np.where(index < small_len, small, big)
    return tuple(zip(lo.tolist(), hi.tolist(), strict=True))


def summaries(axis: AdaptiveAxis) -> tuple[object, ...]:
    return (axis.window_sizes, axis.overlapping, axis.larger(0), axis.larger(10), axis.larger(10**7),
            axis.equivalent, axis.gaps.to_json())


def check(size: int, output: int) -> str:
    """The engine's windows and every summary against the oracle's; which form held them."""
    expected = oracle(size, output)
    try:
        windows = keras_windows(size, output)
    except ShapeError as exc:
        assert isinstance(expected, str) and expected in exc.message, (size, output, exc.message, expected)
        return "error"
    assert not isinstance(expected, str), (size, output, expected)
    assert list(windows) == list(expected), (size, output)
    assert windows[output - 1] == expected[-1] and windows[output // 2] == expected[output // 2]
    assert summaries(AdaptiveAxis(size, output, windows)) == summaries(AdaptiveAxis(size, output, expected)), \
        (size, output)
    assert isinstance(windows, AdaptiveWindows)
    if windows.integer_rule:
        return "torch"
    if windows.exceptions is not None:
        return "exceptions"
    assert windows.arrays is not None  # dense errors: every window computed in bulk, summarised in C
    return "moved" if windows.arrays.moved else "gaps" if windows.arrays.gaps(size) else "listed"


def test_random_pairs_match_the_float32_oracle() -> None:
    rng = random.Random(20261204)
    forms: dict[str, int] = {}
    pairs = []
    for _ in range(300):  # the sparse regime: output * input from 2**24 to about 2**34, outputs <= 4096
        size = int(2 ** rng.uniform(12, 24))
        output = max(1, min(1 << 12, int(2 ** rng.uniform(24, 34) / size)))
        pairs.append((size, output))
    for _ in range(30):  # dense float32 errors and inputs above 2**24: every window listed
        pairs.append((int(2 ** rng.uniform(20, 31)), int(2 ** rng.uniform(1, 12))))
    for _ in range(40):  # near powers of two and of their multiples, where products stay exact
        e = rng.randint(14, 24)
        pairs.append(((rng.randint(1, 7) << e) + rng.randint(-2, 2), (rng.randint(1, 3) << rng.randint(8, 11))))
    for size, output in pairs:
        if 1 <= size <= 2**31 - 1:
            form = check(size, output)
            forms[form] = forms.get(form, 0) + 1
    # every form is exercised: torch's windows proven exact, corrected at exceptions, listed (with
    # and without skipped cells)
    assert forms.get("exceptions", 0) >= 100 and forms.get("torch", 0) >= 20, forms
    assert forms.get("listed", 0) + forms.get("gaps", 0) + forms.get("moved", 0) >= 20, forms
    assert forms.get("gaps", 0) >= 3 and forms.get("moved", 0) >= 3, forms


@pytest.mark.parametrize("size, output", [
    (16777216, 1048576),  # products and quotients exact: torch's windows
    (5003, 1048573),  # a million windows, a few thousand candidate bounds: exceptions
    (999983, 1048573), (2**31 - 1, 1048576),  # dense float32 errors: listed
])
def test_huge_pairs_match_the_float32_oracle(size: int, output: int) -> None:
    check(size, output)


@pytest.mark.parametrize("size, output, index, keras", [
    # keras.ops.adaptive_max_pool on float64 arange / reversed arange, keras 3.15.1 (tests/test_unpool.py)
    (13459, 4357, 3132, (9674, 9678)),
    (11303, 6333, 5952, (10623, 10625)),
    (9682, 10170, 4564, (4345, 4346)),
    (389893, 49, 45, (358064, 366022)),
])
def test_recorded_keras_windows_are_exceptions(size: int, output: int, index: int, keras: tuple[int, int]) -> None:
    windows = keras_windows(size, output)
    assert windows[index] == keras and list(windows) == list(oracle(size, output))
    assert isinstance(windows, AdaptiveWindows) and windows.exceptions is not None and index in windows.exceptions


def test_candidate_bounds_include_every_bound_that_moves() -> None:
    # every bound whose float32 floor or ceiling differs from the exact one is a candidate
    for size, output in [(13459, 4357), (11303, 6333), (9682, 10170), (389893, 49), (5003, 65537)]:
        ticks = np.arange(output + 1).astype(np.float32)
        q = (ticks * np.float32(size)) / np.float32(output)
        exact = np.arange(output + 1, dtype=np.int64) * size
        moved = np.nonzero((np.floor(q).astype(np.int64) != exact // output)
                           | (np.ceil(q).astype(np.int64) != -(-exact // output)))[0]
        candidates = keras_candidate_bounds(size, output)
        assert candidates is not None and len(moved) and set(moved.tolist()) <= set(candidates), (size, output)


def test_summaries_of_a_million_keras_windows_are_closed_forms() -> None:
    # 2-D / 3-D too: each axis is held as torch's windows (proven exact here: 2**24 * b / 2**20 in float32)
    for ins, outs in [(16777216, 1048576), ("16777216,16777216", "1048576,1048576"),
                      ("16777216,16777216,16777216", "1048576,1048576,1048576")]:
        result = adaptive_pool(ins, outs, "avg", framework="keras")
        for axis in result.axes:
            assert isinstance(axis.windows, AdaptiveWindows) and axis.windows.integer_rule
            assert axis.window_sizes == [16] and axis.equivalent == (16, 16) and axis.overlapping == 0
    # a million outputs on an odd input: torch's windows with the few float32 exceptions
    windows = keras_windows(5003, 1048573)
    assert isinstance(windows, AdaptiveWindows) and windows.exceptions is not None
