"""Crashes and hangs on hostile sizes and spec files (issue 10, items 8-11): each answer is
computed in time and memory that do not grow with the sizes, and every bad input is one
clear error, never a traceback."""

from __future__ import annotations

import json
import time

import pytest
from click.testing import CliRunner

from convshape.api.conv import conv_transpose
from convshape.cli.main import main
from convshape.model import RUNS_LISTED, IntRuns


def run(*args: str, input: str | bytes | None = None):
    return CliRunner().invoke(main, list(args), input=input)


def timed(*args: str):
    start = time.perf_counter()
    result = run(*args)
    return result, time.perf_counter() - start


# ---------------------------------------------------------------------------- item 8: valid sizes as runs
def test_int_runs_is_a_sequence_of_its_numbers():
    r = IntRuns.of([7, 1, 2, 3, 3])
    assert r.ranges == (range(1, 4), range(7, 8))
    assert list(r) == [1, 2, 3, 7] and r == (1, 2, 3, 7) and r == [1, 2, 3, 7]
    assert (len(r), r[0], r[-1], r[3], r[1:3]) == (4, 1, 7, 7, (2, 3))
    assert 7 in r and 5 not in r and "7" not in r
    assert IntRuns((range(1, 3), range(3, 6))).ranges == (range(1, 6),)  # adjacent runs merge
    assert hash(r) == hash((1, 2, 3, 7)) and not IntRuns() and IntRuns() == ()
    with pytest.raises(IndexError):
        r[4]
    with pytest.raises(ValueError):
        IntRuns((range(5, 9), range(1, 3)))
    big = IntRuns.run(1, 10**12)
    assert len(big) == 10**12 and big[-1] == 10**12 and 10**11 in big and 0 not in big
    assert big.to_json() == [{"start": 1, "stop": 10**12 + 1, "step": 1}]
    assert IntRuns.run(1, RUNS_LISTED).to_json() == list(range(1, RUNS_LISTED + 1))


def test_onnx_output_shape_run_at_input_1e9_is_held_not_listed():
    # ConvTranspose output_shape: the generated pads total max(0, F - o), F = (i-1)*s + eff, so every o
    # from 1 to F + s - 1 maps back to the input (the largest: floor((o - eff) / s) + 1 == i)
    result = conv_transpose(10**9, 3, 1000, framework="onnx", ndim=1)
    full = (10**9 - 1) * 1000 + 3
    (valid,) = result.valid_outputs
    assert isinstance(valid, IntRuns) and valid.ranges == (range(1, full + 1000),)
    assert result.output == (full,) and full in valid and full + 1000 not in valid


@pytest.mark.parametrize("framework, output, valid_json", [
    # torch's ConvTranspose1d docs: (i-1)*s - 2p + d*(k-1) + output_padding + 1, output_padding < s
    ("torch", 999999999003, list(range(999999999003, 999999999003 + 1000))),
    ("tf", 999999999003, list(range(999999999003, 999999999003 + 1000))),
    ("onnx", 999999999003, [{"start": 1, "stop": 999999999003 + 1000, "step": 1}]),
    ("onnxruntime", 999999999003, [{"start": 1, "stop": 999999999003 + 1000, "step": 1}]),
])
def test_conv_transpose_at_input_1e9_stride_1000_answers_at_once(framework, output, valid_json):
    result, seconds = timed("conv-transpose1d", "--i", "1000000000", "--k", "3", "--s", "1000", "-f", framework,
                            "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["output"] == [output]
    assert data["valid_outputs"] == [valid_json] and data["axes"][0]["valid_outputs"] == valid_json
    assert seconds < 2.0
    table, seconds = timed("conv-transpose1d", "--i", "1000000000", "--k", "3", "--s", "1000", "-f", framework)
    assert table.exit_code == 0 and seconds < 2.0
    first, last = (1 if framework.startswith("onnx") else output), output + 999
    assert f"{first}..{last}" in table.output


def test_torch_valid_outputs_beyond_the_listed_limit_are_runs_in_json():
    result = run("conv-transpose1d", "--i", "10", "--k", "3", "--s", "2000", "--json")
    assert result.exit_code == 0
    base = 9 * 2000 + 3  # output_padding 0..1999
    assert json.loads(result.output)["valid_outputs"] == [[{"start": base, "stop": base + 2000, "step": 1}]]
