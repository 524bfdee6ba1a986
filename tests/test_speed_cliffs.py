"""Speed cliffs (issue 10, items 18-20): each answers in well under a second; asserted < 2 s
in-process (generous for a shared machine), with the answer's key numbers."""

from __future__ import annotations

import time

import pytest

from convshape.api.solve import solve
from convshape.api.unpool import max_unpool
from convshape.errors import ShapeError
from convshape.model import IntRuns
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


def test_transposed_options_cost_nothing_with_the_dilation() -> None:
    from convshape.api.conv import conv_transpose

    start = time.perf_counter()
    # torch's output_padding may reach max(stride, dilation) - 1: 65535 options, none of them built
    with pytest.raises(ShapeError) as exc:
        conv_transpose(16, 3, dilation=65535, output_size=3)
    assert time.perf_counter() - start < 2
    # torch 2.13: ConvTranspose1d(1, 1, 3, dilation=65535, padding=65542, output_padding=1) on 16 gives 3
    assert "valid sizes range from 131086 to 131086" in exc.value.message
    assert "padding=65542, output_padding=1" in exc.value.message


@pytest.mark.parametrize("framework", ["torch", "tf", "keras", "onnx", "onnxruntime"])
def test_transposed_options_cost_nothing_with_the_stride(framework: str) -> None:
    from convshape.api.conv import conv_transpose
    from convshape.model import RUNS_LISTED
    from convshape.render.conv import transpose_report

    start = time.perf_counter()
    result = conv_transpose(100, 3, stride=65536, output_size=6500000, framework=framework)
    blocks = transpose_report(result)
    data = result.to_dict()
    assert time.perf_counter() - start < 2
    axis = result.axes[0]
    assert result.output == (6500000,)
    # torch 2.13, ConvTranspose1d(1, 1, 3, stride=65536)(zeros(1, 1, 100), output_size=...): "valid sizes
    # range from [6488067] to [6553602]"; tf and keras: the sizes the forward conv maps back to 100
    if framework not in ("onnx", "onnxruntime"):  # output_shape: ONNX's generated pads take more sizes
        assert axis.valid_outputs == IntRuns.run(6488067, 6553602)
        assert len(axis.options) == 65536
    else:
        assert axis.valid_outputs[-1] == 6553602 and len(axis.options) == len(axis.valid_outputs) > 65536
    assert axis.options.find(6500000) is not None and axis.options.find(6500000).forward == 100
    listed = data["axes"][0]["options"]
    assert data["axes"][0]["option_count"] == len(axis.options) and len(listed) < RUNS_LISTED
    assert {6500000, axis.valid_outputs[0], axis.valid_outputs[-1]} <= {o["output"] for o in listed}
    assert any(isinstance(b, Table) and "rows; the JSON output lists those at the ends" in " ".join(b.notes)
               for b in blocks)


def test_transposed_options_match_torch() -> None:
    torch = pytest.importorskip("torch")
    from convshape.api.conv import conv_transpose

    m = torch.nn.ConvTranspose1d(1, 1, 3, stride=65536, bias=False)
    x = torch.zeros(1, 1, 100)
    assert conv_transpose(100, 3, stride=65536, output_size=6500000).output == tuple(
        m(x, output_size=[6500000]).shape[2:])
    valid = conv_transpose(100, 3, stride=65536).axes[0].valid_outputs
    for size in (valid[0] - 1, valid[0], valid[-1], valid[-1] + 1):
        try:
            torch_ok = m(x, output_size=[size]).shape[2] == size
        except (RuntimeError, ValueError):
            torch_ok = False
        assert torch_ok == (size in valid), size
    m2 = torch.nn.ConvTranspose1d(1, 1, 3, dilation=65535, padding=65542, output_padding=1, bias=False)
    assert m2(torch.zeros(1, 1, 16)).shape[2] == 3


def test_solve_with_very_many_answers_stops_and_says_so() -> None:
    start = time.perf_counter()
    result = solve(64, 64, "conv1d", max_kernel=64, max_stride=64, max_dilation=64, limit=20)
    assert time.perf_counter() - start < 2
    assert not result.complete and not result.to_dict()["axes"][0]["complete"]
    assert len(result.axes[0].solutions) >= 2000 and result.total >= 2000 and len(result.solutions) == 20
    assert any("the search stopped after" in n and "more exist" in n for n in result.notes)
    # dilation-1 windows are searched first, so the simplest answers are still there: k=1, s=1, p=0; k=3, p=1
    assert [(s.kernel, s.stride, s.dilation, s.padding) for s in result.solutions[:2]] == [
        ((1,), (1,), (1,), "0"), ((3,), (1,), (1,), "1")]


def test_solve_cut_answers_match_torch() -> None:
    torch = pytest.importorskip("torch")
    result = solve(64, 64, "conv1d", max_kernel=64, max_stride=64, max_dilation=64, limit=0)
    x = torch.zeros(1, 1, 64)
    for s in result.solutions[::97]:
        (k,), (st,), (d,), (pb,), (pa,) = s.kernel, s.stride, s.dilation, s.pad_before, s.pad_after
        y = torch.nn.functional.conv1d(torch.nn.functional.pad(x, (pb, pa)), torch.zeros(1, 1, k), stride=st,
                                       dilation=d)
        assert y.shape[2] == 64, s


def test_keras_float32_adaptive_windows_of_a_million_outputs() -> None:
    np = pytest.importorskip("numpy")
    from convshape.api.unpool import adaptive_pool
    from convshape.render.unpool import adaptive_report

    # still linear in the output (every window is summarised), in list passes only: not timed here
    result = adaptive_pool(100, 1000000, "avg", framework="keras")
    assert any("1000000 rows" in " ".join(b.notes) for b in adaptive_report(result) if isinstance(b, Table))
    windows = result.axes[0].windows
    assert len(windows) == 1000000
    # keras/src/backend/tensorflow/nn.py _compute_static_gather_indices in numpy's float32: the
    # bounds, then the small (ceil(100/1e6) = 1) or big (2) window gathered at start
    fs, fn = np.float32(100), np.float32(1000000)
    for o in list(range(5)) + list(range(499995, 500005)) + list(range(999995, 1000000)):
        lo = min(int(np.floor(np.float32(np.float32(o) * fs) / fn)), 99)
        hi = min(int(np.ceil(np.float32(np.float32(o + 1) * fs) / fn)), 100)
        assert windows[o] == ((lo, lo + 2) if hi - lo == 2 else (lo, lo + 1)), o


@pytest.mark.parametrize("ins, outs", [("16777216", "1048576"), ("16777216,16777216", "1048576,1048576"),
                                       ("16777216,16777216,16777216", "1048576,1048576,1048576"),
                                       ("5003", "1048573")])
def test_keras_float32_adaptive_table_of_a_million_outputs_costs_its_rows(ins: str, outs: str) -> None:
    from convshape.api.unpool import adaptive_pool
    from convshape.render.unpool import adaptive_report

    # the windows are torch's (2**24 * o / 2**20 is exact in float32) or torch's with the few
    # thousand float32 exceptions (5003, 1048573): no summary visits every window
    start = time.process_time()
    result = adaptive_pool(ins, outs, "avg", framework="keras")
    blocks = adaptive_report(result)
    summary = [(a.window_sizes, a.overlapping, a.larger(10), a.equivalent, a.gaps.to_json()) for a in result.axes]
    assert time.process_time() - start < 2
    assert any("rows" in " ".join(b.notes) for b in blocks if isinstance(b, Table))
    if ins == "5003":  # torch: 5002 windows of size 2, 1048572 overlaps; Keras's float32 bounds
        # drop 235 of each (the same numbers as the per-window float32 oracle in
        # tests/test_keras_adaptive_float32.py, which checks this pair window by window)
        assert summary == [([1, 2], 1048337, (4767, None), None, [])]
    else:
        assert summary == [([16], 0, (0, ()), (16, 16), [])] * len(result.axes)


@pytest.mark.parametrize("framework", ["torch", "onnx", "caffe"])
def test_transposed_solve_over_wide_bounds_stops_at_the_cap(framework: str) -> None:
    start = time.perf_counter()
    # ONNX's output_shape takes any size (its generated pads may be negative): every window can answer
    result = solve(100, 500, "conv-transpose1d", framework=framework, max_kernel=64, max_stride=64,
                   max_dilation=64, limit=5)
    assert time.perf_counter() - start < 4
    assert not result.complete and len(result.axes[0].solutions) >= 2000
    from convshape.api.conv import conv_transpose

    for s in result.solutions:  # each answer gives 500 in the engine the command runs
        args = s.arguments
        out = conv_transpose(args["input"], args["kernel"], args["stride"], args["padding"], args["dilation"],
                             args.get("output_padding"), args.get("output_size"), framework=framework)
        assert out.output == (500,), s


#: sha256 of `convshape solve --op conv-transpose1d --i 100 --o 500 --max-kernel 64 --max-stride 64
#: --max-dilation 64 -f FW --json` (its stdout parsed, keys sorted) before the transposed-solve speed-up
#: (commit 4681d8a), which took tf 27 s, onnxruntime 56 s, jax 1230 s, keras 6 s on this machine; the
#: tests below time CPU (process_time), steady on a loaded machine
WIDE_TRANSPOSED = {
    "torch": "5add94111c7c3199b0a88b8e8d0f9bff3e6158965c8a65c2d6bd7fac25aabc3b",
    "tf": "cc6ad9275eee6caf9b45869ba45f5136a0b82ec32a61ee6f36764eb6eaaba079",
    "keras": "c929f25ccb3d72c00e8f648c3c0559fd2d78a1acde5d9cff94c00c713ee15401",
    "jax": "87ba2845be7e5a9d98528383bc65bf2ed6c0830a03e337f6ca4f60ceec383601",
    "onnx": "b2ab283fea98050b21a955625a9f06fa4dff60d5fe5e91def7a151b96bdc4dab",
    "onnxruntime": "6b1ba374662fe5a2cbb96c444a65945c55a4862e5d3bd00a5cd8207ac3beb9b4",
    "caffe": "b0d7a3af518e07e057eae4a5b0241c35ca59f287ddf68651d2a1809822617f52",
}


@pytest.mark.parametrize("framework", sorted(WIDE_TRANSPOSED))
def test_transposed_solve_over_wide_bounds_computes_the_padding(framework: str) -> None:
    import hashlib
    import json

    from click.testing import CliRunner

    from convshape.cli.main import main

    start = time.process_time()
    out = CliRunner().invoke(main, ["solve", "--op", "conv-transpose1d", "--i", "100", "--o", "500", "--max-kernel",
                                    "64", "--max-stride", "64", "--max-dilation", "64", "-f", framework, "--json"])
    assert time.process_time() - start < 2
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    # the same answers, notes and order as the exhaustive search gave
    assert hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest() == WIDE_TRANSPOSED[framework]
    # Keras: 71 answers in all (a padding keyword only, output_padding=None or below the stride; no stride > 1
    # with dilation > 1); the others stop at the cap
    assert (data["total"], data["complete"]) == ((71, True) if framework == "keras" else
                                                 (2013 if framework == "torch" else 2000, False))
    from convshape.api.conv import conv_transpose

    for s in data["solutions"]:  # each answer gives 500 in the engine
        args = s["arguments"]
        got = conv_transpose(args["input"], args["kernel"], args["stride"], args["padding"], args["dilation"],
                             args.get("output_padding"), args.get("output_size"), framework=framework)
        assert got.output == (500,), s


@pytest.mark.parametrize("framework", ["tf", "onnxruntime", "jax", "caffe"])
@pytest.mark.parametrize("size, target", [(7, 6000), (1000, 1000), (100, 5000)])
def test_transposed_solve_variants_follow_the_answer(framework: str, size: int, target: int) -> None:
    """Variants that tried every window before: a target out of reach (no answer at all), an
    identity, a 50x upsampling."""
    start = time.process_time()
    try:
        result = solve(size, target, "conv-transpose1d", framework=framework, max_kernel=64, max_stride=64,
                       max_dilation=64, limit=3)
    except ShapeError as exc:
        # (7 - 1)*s + d*(k - 1) + 1 + output_padding is at most 6*64 + 4033 + 63 = 4480 < 6000
        assert target == 6000 and exc.rule == "no-solution"
    else:
        assert target != 6000 and result.solutions and all(
            s.arguments["input"] == str(size) for s in result.solutions)
    assert time.process_time() - start < 2
