"""Speed cliffs (issue 10, items 18-20): each answers in well under a second; asserted < 2 s
in-process (generous for a shared machine), with the answer's key numbers."""

from __future__ import annotations

import time

import pytest

from convshape.api.solve import solve
from convshape.api.unpool import max_unpool
from convshape.errors import ShapeError
from convshape.network.sweep import sweep
from convshape.render.conv import Table
from convshape.render.unpool import unpool_report


def test_maxunpool_table_of_131071_sizes_builds_only_its_rows() -> None:
    start = time.perf_counter()
    result = max_unpool(2, 65536)
    blocks = unpool_report(result)
    elapsed = time.perf_counter() - start
    assert elapsed < 2
    # torch: default (i - 1)*s + k = 131072; output_size accepted within (default - s, default + s)
    assert result.output == (131072,)
    assert result.axes[0].valid_outputs[0] == 65537 and result.axes[0].valid_outputs[-1] == 196607
    table = blocks[3]
    assert isinstance(table, Table)
    assert table.rows[0] == ("65537", "no", "") and table.rows[-1] == ("196607", "yes", "")
    assert len(table.rows) == 17 and "(131071 rows; the JSON output lists every one)" in table.notes


def test_solve_wide_bounds_search_follows_the_answer() -> None:
    start = time.perf_counter()
    result = solve(1000, 500, "conv1d", max_kernel=64, max_stride=64, max_dilation=16, max_padding=2, limit=3)
    assert time.perf_counter() - start < 2
    best = result.solutions[0]
    # torch Conv1d: floor((1000 + 0 - 1)/2) + 1 = 500
    assert (best.kernel, best.stride, best.dilation, best.padding) == ((1,), (2,), (1,), "0")


def test_solve_caps_the_axes() -> None:
    with pytest.raises(ShapeError, match="at most 8 spatial axes"):
        solve(",".join(["9"] * 1000), 3)


def test_sweep_past_the_size_limit_names_it() -> None:
    start = time.perf_counter()
    with pytest.raises(ShapeError, match="up to 2147483647"):
        sweep("examples/networks/unet.toml", "1..1000000000000")
    result = sweep("examples/networks/unet.toml", "1..2147483647")
    assert time.perf_counter() - start < 2
    assert result.count == 134217727  # every multiple of 16: 2147483647 // 16
