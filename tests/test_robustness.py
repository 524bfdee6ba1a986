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


# ---------------------------------------------------------------------------- item 9: adaptive windows on demand
def test_adaptive_summaries_in_closed_form_match_the_windows():
    # every summary of torch's windows, closed form against the listed windows (AdaptivePooling.h)
    from convshape.api.unpool import adaptive_pool, uniform_pooling
    from convshape.rules.unpool import adaptive_windows

    for i in range(1, 40):
        for n in range(1, 40):
            axis = adaptive_pool(i, n, ndim=1).axes[0]
            listed = adaptive_windows(i, n)
            sizes = [e - s for s, e in listed]
            assert axis.windows == listed and axis.window_sizes == sorted(set(sizes))
            assert axis.overlapping == sum(1 for o in range(1, n) if listed[o - 1][1] > listed[o][0])
            larger = tuple(o for o, s in enumerate(sizes) if len(set(sizes)) > 1 and s == max(sizes))
            assert axis.larger(1000) == (len(larger), larger)
            assert axis.equivalent == uniform_pooling(listed, i) and not axis.gaps


def test_adaptive_avgpool_to_a_million_outputs_shows_its_ends_at_once():
    result, seconds = timed("adaptive-avgpool1d", "--i", "1", "--o", "1048576")
    assert result.exit_code == 0 and seconds < 2.0
    # torch: window o of input 1 is [floor(o/n), ceil((o+1)/n)) = [0, 1)
    assert "1048575  0      1    1     overlaps 1048574 by 1" in result.output
    assert "window size 1; 1048575 windows overlap the one before" in result.output
    result, seconds = timed("adaptive-avgpool1d", "--i", "1000003", "--o", "1048576")
    assert result.exit_code == 0 and seconds < 2.0
    # sizes ceil((r + i)/n), r = o*i mod n: size 2 for r >= n - i + 1, i.e. i - 1 of the n residues
    assert "size 2 at 1000002 outputs" in result.output


def test_keras_float32_windows_match_the_one_by_one_float32_arithmetic():
    # keras_adaptive_windows rounds every bound in bulk (array('f')); the same windows as rounding
    # each operation on its own (keras/src/backend/tensorflow/nn.py _compute_static_gather_indices)
    import math

    from convshape.frameworks.keras import keras_adaptive_windows
    from convshape.rules.resample import float32

    def one_by_one(size: int, output: int) -> tuple[tuple[int, int], ...]:
        small = math.ceil(size / output)
        small_len = size - small + 1
        out = []
        for o in range(output):
            start = min(math.floor(float32(float32(float32(o) * float32(size)) / float32(output))), size - 1)
            end = min(math.ceil(float32(float32(float32(o + 1) * float32(size)) / float32(output))), size)
            index = start + small_len if end - start == small + 1 else start
            out.append((index, index + small) if index < small_len else
                       (index - small_len, index - small_len + small + 1))
        return tuple(out)

    for size, output in [(389893, 49), (2**31 - 1, 2), (2**31 - 1, 3), (16777217, 1000), (1000003, 4099), (7, 5)]:
        assert keras_adaptive_windows(size, output) == one_by_one(size, output), (size, output)


def test_keras_adaptive_gap_of_a_billion_cells_is_one_run():
    # Keras 3.15 float32 windows for input 2**31 - 1, output 2: [0, 2**30) and [0, 2**30 + 1)
    # (the gather picks the big pool at index 0); cells from 2**30 + 1 on are in no window
    result, seconds = timed("adaptive-maxpool1d", "--i", "2147483647", "--o", "2", "-f", "keras", "--json")
    assert result.exit_code == 0 and seconds < 2.0
    data = json.loads(result.output)
    assert data["windows"] == [[[0, 2**30], [0, 2**30 + 1]]]
    assert data["axes"][0]["gaps"] == [{"start": 2**30 + 1, "stop": 2**31 - 1, "step": 1}]
    table = run("adaptive-maxpool1d", "--i", "2147483647", "--o", "2", "-f", "keras")
    assert table.exit_code == 0 and "some input cells are in no window" in table.output


# ---------------------------------------------------------------------------- item 11: scales beyond a double
@pytest.mark.parametrize("framework", ["torch", "keras", "onnx"])
def test_integer_scale_beyond_a_double_is_one_usage_error(framework):
    # torch: nn.Upsample(scale_factor=10**400) dies in float(scale_factor) ("int too large to convert to float")
    result = run("upsample", "--i", "3", "--scale", "1" + "0" * 400, "-f", framework)
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "a double can hold" in result.output and "401 digits" in result.output
    assert len(result.output) < 600  # the number is not echoed


def test_integer_scale_beyond_a_double_in_the_api():
    from convshape.api.resample import interpolate
    from convshape.errors import ShapeError

    with pytest.raises(ShapeError) as caught:
        interpolate(3, scale=10**400)
    assert caught.value.rule == "not-a-number"
    assert interpolate(3, scale=10**3).output == (3000,)  # a large scale a double holds is still a scale


# ---------------------------------------------------------------------------- item 10: spec files
def write(tmp_path, name: str, text: str | bytes):
    path = tmp_path / name
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return str(path)


CONV_LAYER_TOML = '[[layers]]\nop = "conv2d"\nout_channels = 4\nkernel = 3\n'


@pytest.mark.parametrize("name, text", [
    ("deep.json", '{"input": ' + "[" * 1000 + "]" * 1000 + ', "layers": []}'),
    ("deep.toml", "input = " + "[" * 1000 + "]" * 1000 + "\n"),
], ids=["json", "toml"])
@pytest.mark.parametrize("command", ["check", "summary", "sweep"])
def test_spec_nested_1000_deep_is_one_bad_spec_error(tmp_path, name, text, command):
    path = write(tmp_path, name, text)
    extra = ["--range", "1..8"] if command == "sweep" else []
    result = run(command, path, *extra, "--json")
    assert result.exit_code == 2, result.output
    assert "nested too deeply" in result.output and "Traceback" not in result.output
    data = json.loads(result.stdout)  # one JSON object
    assert "nested too deeply" in json.dumps(data)


def test_spec_nesting_in_the_api(tmp_path):
    from convshape.errors import ShapeError
    from convshape.network.evaluate import load_spec

    with pytest.raises(ShapeError) as caught:
        load_spec(write(tmp_path, "deep.json", '{"input": ' + "[" * 5000 + "]" * 5000 + "}"))
    assert caught.value.rule == "bad-spec" and "nested too deeply" in caught.value.message


def test_toml_integer_of_5000_digits_is_a_bad_spec(tmp_path):
    path = write(tmp_path, "big.toml", "input = [1, 3, 8, 8]\n" + CONV_LAYER_TOML.replace("3\n", "1" * 5000 + "\n"))
    result = run("summary", path)
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "not valid TOML: an integer has more than 4,300 digits" in result.output


@pytest.mark.parametrize("padding, shown, output", [
    # torch: nn.Conv2d(1, 1, 3, padding=(1, 2)) on 8x8 gives 8x10; padding=12 gives 30x30 (torch 2.13)
    (["1", "2"], "1,2", (8, 10)),
    (["12"], "12", (30, 30)),
    (["1:2"], "1:2", (9, 9)),
])
def test_padding_as_strings_means_the_same_in_toml_json_and_the_api(tmp_path, padding, shown, output):
    from convshape.api.conv import conv

    result = conv((8, 8), 3, padding=padding)
    assert (result.padding, result.output) == (shown, output)
    toml_list = "[" + ", ".join(f'"{p}"' for p in padding) + "]"
    toml = write(tmp_path, "p.toml", "input = [1, 1, 8, 8]\n" + CONV_LAYER_TOML.replace("kernel = 3", f"kernel = 3\n"
                                                                                       f"padding = {toml_list}"))
    as_json = write(tmp_path, "p.json", json.dumps({"input": [1, 1, 8, 8], "layers": [
        {"op": "conv2d", "out_channels": 4, "kernel": 3, "padding": padding}]}))
    shapes = []
    for path in (toml, as_json):
        got = run("summary", path, "--json")
        assert got.exit_code == 0, got.output
        shapes.append(json.loads(got.stdout)["layers"][0]["shape"])
    assert shapes[0] == shapes[1] == [1, 4, *output]


def test_check_dev_zero_stops_at_the_cap(tmp_path):
    from convshape.network.evaluate import MAX_SPEC_BYTES

    big = write(tmp_path, "big.toml", b"#" * (MAX_SPEC_BYTES + 10))
    for path in (big, "/dev/zero"):
        start = time.perf_counter()
        result = run("check", path)
        assert result.exit_code == 2 and "larger than 16 MiB" in result.output and "stopped reading" in result.output
        assert time.perf_counter() - start < 5


def test_utf8_bom_is_accepted_in_toml_as_in_json(tmp_path):
    bom = b"\xef\xbb\xbf"
    toml = write(tmp_path, "bom.toml", bom + ("input = [1, 3, 8, 8]\n" + CONV_LAYER_TOML).encode())
    as_json = write(tmp_path, "bom.json", bom + b'{"input": [1, 3, 8, 8], "layers": [{"op": "conv2d", '
                                                b'"out_channels": 4, "kernel": 3}]}')
    no_ext = write(tmp_path, "bom_spec", bom + b'{"input": [1, 3, 8, 8], "layers": [{"op": "conv2d", '
                                               b'"out_channels": 4, "kernel": 3}]}')
    for path in (toml, as_json, no_ext):
        result = run("summary", path, "--json")
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout)["output"] == [1, 4, 6, 6]  # torch: 8 - 3 + 1


@pytest.mark.parametrize("command, extra", [("summary", []), ("check", []), ("sweep", ["--range", "1..64"])])
def test_a_dash_reads_the_spec_from_standard_input(command, extra):
    spec = "input = [1, 3, 8, 8]\n" + CONV_LAYER_TOML
    result = run(command, "-", *extra, "--json", input=spec)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    if command == "summary":
        assert data["output"] == [1, 4, 6, 6]
    bad = run(command, "-", *extra, input="input = [")
    assert bad.exit_code == 2 and "<stdin>: not valid TOML" in bad.output
