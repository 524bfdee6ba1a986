"""CLI tests for adaptive pooling, fractional max pooling and max unpooling (Click's CliRunner)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from convshape.cli.main import main

COMMANDS = ([f"adaptive-{kind}pool{n}d" for kind in ("avg", "max") for n in (1, 2, 3)]
            + [f"fractional-maxpool{n}d" for n in (2, 3)] + [f"maxunpool{n}d" for n in (1, 2, 3)])


def run(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.mark.parametrize("command", COMMANDS)
def test_help_runs_on_every_command(command):
    result = run(command, "--help")
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output and "Examples:" in result.output and "--json" in result.output


ARGS = {"adaptive-avgpool2d": ("--i", "7", "--o", "3"), "maxunpool2d": ("--i", "2", "--k", "2"),
        "maxunpool1d": ("--i", "2", "--k", "2"), "fractional-maxpool3d": ("--i", "10", "--k", "2", "--o", "4")}


@pytest.mark.parametrize("alias, name", [("adaptiveavgpool2d", "adaptive-avgpool2d"),
                                         ("unpool2d", "maxunpool2d"), ("max-unpool1d", "maxunpool1d"),
                                         ("fractionalmaxpool3d", "fractional-maxpool3d")])
def test_aliases(alias, name):
    result = run(alias, *ARGS[name], "--json")
    assert result.exit_code == 0 and json.loads(result.output)["op"] == name


def test_adaptive_table_plain_when_piped():
    result = run("adaptive-avgpool1d", "--i", "5", "--o", "3")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "input 5 -> output 3" in out and "\x1b[" not in out
    assert "Windows [start, end)" in out and "overlaps 0 by 1, larger" in out
    assert "window size 2 and 3; size 3 at output 1" in out


def test_adaptive_json_contract():
    result = run("adaptive-maxpool2d", "--i", "7,10", "--o", "3,4", "--json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["op"] == "adaptive-maxpool2d" and data["framework"] == "torch" and data["kind"] == "max"
    assert data["input"] == [7, 10] and data["output"] == [3, 4]
    assert data["windows"][0] == [[0, 3], [2, 5], [4, 7]]
    axis = data["axes"][0]
    assert {"input", "output", "pad_before", "pad_after", "window_sizes", "overlapping"} <= set(axis)
    assert axis["equivalent"] == {"kernel": 3, "stride": 2} and axis["window_sizes"] == [3]


def test_adaptive_large_sizes_are_summarised_but_json_is_complete():
    out = run("adaptive-avgpool1d", "--i", "100000", "--o", "4000").output
    assert "(4000 rows; the JSON output lists every one)" in out and len(out.splitlines()) < 40
    data = json.loads(run("adaptive-avgpool1d", "--i", "100000", "--o", "4000", "--json").output)
    assert len(data["windows"][0]) == 4000


def test_adaptive_rejection_exit_1_with_torch_words():
    result = run("adaptive-avgpool2d", "--i", "5", "--o", "3,-1")
    assert result.exit_code == 1
    assert "elements of output_size must be greater than or equal to 0 but received {3, -1}" in result.output
    data = json.loads(run("adaptive-avgpool2d", "--i", "5", "--o", "3,-1", "--json").output.splitlines()[0])
    assert data["framework"] == "torch" and data["rule"] == "output-size" and "received" in data["error"]


def test_adaptive_other_frameworks():
    result = run("adaptive-avgpool1d", "--i", "5", "--o", "3", "-f", "jax")
    assert result.exit_code == 1 and "jax has no adaptive pooling" in result.output
    keras = run("adaptive-maxpool1d", "--i", "5", "--o", "1", "-f", "keras")
    assert keras.exit_code == 0 and "warning:" in keras.output and "SIGFPE" in keras.output


def test_usage_errors_exit_2():
    assert run("adaptive-avgpool2d", "--i", "5", "--o", "x").exit_code == 2
    assert run("adaptive-avgpool2d", "--i", "5,5,5", "--o", "2").exit_code == 2  # three values for two axes
    assert run("fractional-maxpool2d", "--i", "9", "--k", "2", "--ratio", "half").exit_code == 2
    assert run("maxunpool1d", "--i", "5").exit_code == 2  # --k is required


def test_fractional():
    data = json.loads(run("fractional-maxpool2d", "--i", "50,32", "--k", "2", "--ratio", "0.5", "--json").output)
    assert data["output"] == [25, 16] and data["output_ratio"] == [0.5, 0.5]
    assert data["axes"][0]["largest_output"] == 49 and data["axes"][0]["mean_step"] == 2.0
    table = run("fractional-maxpool3d", "--i", "10", "--k", "3", "--o", "7").output
    assert "largest output for this kernel" in table and "7" in table
    bad = run("fractional-maxpool3d", "--i", "10", "--k", "3", "--o", "8")
    assert bad.exit_code == 1 and "fractional_max_pool3d_out(): pool time 3 too large relative to input time 10" \
        in bad.output
    both = run("fractional-maxpool2d", "--i", "9", "--k", "2", "--o", "3", "--ratio", "0.5")
    assert both.exit_code == 1 and "only one of output_size and output_ratio may be specified" in both.output
    ratio = run("fractional-maxpool2d", "--i", "9", "--k", "2", "--ratio", "1")
    assert ratio.exit_code == 1 and "output_ratio must be between 0 and 1 (got 1.0)" in ratio.output


def test_unpool_table_and_json():
    table = run("maxunpool2d", "--i", "2", "--k", "2", "--s", "1").output
    assert "input 2x2 -> output 3x3" in table and "Valid output sizes (every axis)" in table
    data = json.loads(run("maxunpool1d", "--i", "5", "--k", "3", "--s", "2", "--p", "1", "--json").output)
    assert data["output"] == [9] and data["default_output"] == [9]
    assert data["valid_outputs"] == [[8, 9, 10]] and data["pool_inputs"] == [[9, 10]]
    axis = data["axes"][0]
    assert (axis["kernel"], axis["stride"], axis["pad_before"], axis["pad_after"]) == (3, 2, 1, 1)


def test_unpool_output_size_selection_and_rejection():
    data = json.loads(run("maxunpool1d", "--i", "5", "--k", "2", "--o", "11", "--json").output)
    assert data["output"] == [11]
    bad = run("maxunpool1d", "--i", "5", "--k", "2", "--o", "12")
    assert bad.exit_code == 1 and 'invalid output_size "[12]" (dim 0 must be between 8 and 12)' in bad.output


def test_unpool_tf():
    result = run("maxunpool2d", "--i", "2", "--k", "2", "--p", "same", "-f", "tf")
    assert result.exit_code == 0 and "input 2x2 -> output 4x4" in result.output
    assert "tf.nn.max_pool_with_argmax" in result.output
    bad = run("maxunpool2d", "--i", "2", "--k", "2", "--p", "same", "-f", "tf", "--o", "5")
    assert bad.exit_code == 1 and "the unpooled size is the size that was pooled" in bad.output
    assert run("maxunpool3d", "--i", "2", "--k", "2", "-f", "tf").exit_code == 1


def test_unpool_onnx_table_json_and_help():
    assert "-f onnx" in run("maxunpool3d", "--help").output
    table = run("maxunpool1d", "--i", "5", "--k", "3", "--s", "2", "--p", "0:1", "-f", "onnx")
    assert table.exit_code == 0, table.output
    assert "input 5 -> output 10" in table.output and ">= 10" in table.output
    assert "and every larger size" in table.output
    assert "warning: the indices of a max pool over 11 reach flat index 10" in table.output
    data = json.loads(run("maxunpool2d", "--i", "3,4", "--k", "2,3", "--s", "2,1", "--p", "1:0,0:2", "-f", "onnx",
                          "--json").output)
    assert data["framework"] == "onnx" and data["output"] == [5, 4] and data["default_output"] == [5, 4]
    assert data["valid_outputs"] == [[5, 6], [4]] and data["pool_inputs"] == [[5, 6], [4]]
    axis = data["axes"][1]
    assert (axis["pad_before"], axis["pad_after"], axis["open_ended"]) == (0, 2, True)
    stride_one = json.loads(run("maxunpool1d", "--i", "5", "--k", "2", "-f", "onnx", "--json").output)
    assert stride_one["output"] == [6] and any("strides default to 1" in n for n in stride_one["notes"])


def test_unpool_onnx_output_shape():
    data = json.loads(run("maxunpool2d", "--i", "2", "--k", "2", "--s", "2", "--o", "2,8", "-f", "onnx",
                          "--json").output)
    assert data["output"] == [2, 8] and data["warnings"]  # 16 cells pass; a 5x5 pool input's indices do not fit
    bad = run("maxunpool2d", "--i", "2", "--k", "2", "--s", "2", "--o", "3,5", "-f", "onnx")
    assert bad.exit_code == 1
    assert ("output_shape is smaller than minimum required. output_shape:{1,1,3,5} inferred output shape:{1,1,4,4}"
            in bad.output)
    pads = run("maxunpool1d", "--i", "5", "--k", "3", "--p", "3:0", "-f", "onnx", "--json")
    assert pads.exit_code == 1
    error = json.loads(pads.output.splitlines()[0])
    assert error["framework"] == "onnx" and error["rule"] == "padding-window"
    assert "Pad should be smaller than kernel." in error["error"]


def test_adaptive_onnx_global_pool_only():
    ok = run("adaptive-maxpool2d", "--i", "7,5", "--o", "1", "-f", "onnx")
    assert ok.exit_code == 0 and "input 7x5 -> output 1x1" in ok.output and "GlobalMaxPool" in ok.output
    bad = run("adaptive-avgpool1d", "--i", "7", "--o", "3", "-f", "onnx")
    assert bad.exit_code == 1 and "onnx has no adaptive pooling to output 3: only GlobalAveragePool" in bad.output
