"""CLI tests for maxpool1d/2d/3d, avgpool1d/2d/3d and lppool1d/2d (Click's CliRunner)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from convshape.cli.main import main

COMMANDS = [f"maxpool{n}d" for n in (1, 2, 3)] + [f"avgpool{n}d" for n in (1, 2, 3)] + ["lppool1d", "lppool2d"]


def run(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.mark.parametrize("command", COMMANDS)
def test_help_runs_on_every_command(command):
    result = run(command, "--help")
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output and "Examples:" in result.output
    assert "--ceil-mode / --floor-mode" in result.output and "--compare" in result.output
    assert ("--count-include-pad" in result.output) == command.startswith("avg")
    assert ("--norm-type" in result.output) == command.startswith("lp")


def test_plain_table_with_windows():
    result = run("maxpool2d", "--i", "5", "--k", "2", "--s", "2", "--p", "1", "--ceil-mode")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "\x1b[" not in out
    assert "input 5x5 -> output 3x3" in out
    assert "dropped: it would start at 5, past the input" in out
    assert "Windows (every axis)" in out and "[-1, 1)" in out and "1 left" in out


def test_avg_reports_the_divisor():
    out = run("avgpool1d", "--i", "6", "--k", "3", "--s", "2", "--p", "1", "--ceil-mode").output
    assert "count_include_pad=True" in out and "divisor" in out
    assert "kept (ceil_mode adds it)" in out
    out = run("avgpool1d", "--i", "6", "--k", "3", "--s", "2", "--p", "1", "--exclude-pad").output
    assert "count_include_pad=False" in out


def test_json_contract():
    result = run("avgpool2d", "--i", "6,7", "--k", "3", "--s", "2", "--p", "1", "--ceil-mode", "--json")
    assert result.exit_code == 0
    data = json.loads(result.output)  # exactly one JSON object
    assert data["op"] == "avgpool2d" and data["framework"] == "torch"
    assert data["input"] == [6, 7] and data["output"] == [4, 4]
    assert data["ceil_mode"] is True and data["count_include_pad"] is True
    axis = data["axes"][0]
    assert {k: axis[k] for k in ("input", "kernel", "stride", "dilation", "pad_before", "pad_after", "output",
                                 "ceil_mode")} == {"input": 6, "kernel": 3, "stride": 2, "dilation": 1,
                                                   "pad_before": 1, "pad_after": 1, "output": 4, "ceil_mode": True}


def test_framework_changes_the_answer():
    torch = json.loads(run("maxpool2d", "--i", "112", "--k", "3", "--s", "2", "--json").output)
    caffe = json.loads(run("maxpool2d", "--i", "112", "--k", "3", "--s", "2", "-f", "caffe", "--json").output)
    floor = json.loads(run("maxpool2d", "--i", "112", "--k", "3", "--s", "2", "-f", "caffe", "--floor-mode",
                           "--json").output)
    assert (torch["output"], caffe["output"], floor["output"]) == ([55, 55], [56, 56], [55, 55])
    assert caffe["ceil_mode"] is True and floor["ceil_mode"] is False


def test_compare_table_and_json():
    result = run("maxpool2d", "--i", "112", "--k", "3", "--s", "2", "--compare")
    assert result.exit_code == 0
    out = result.output
    assert "Frameworks side by side" in out
    assert "frameworks disagree: 55x55 (torch, tf, keras, jax, onnx, onnxruntime); 56x56 (caffe)" in out
    data = json.loads(run("lppool1d", "--i", "8", "--k", "2", "--compare", "--json").output)
    assert [f["framework"] for f in data["frameworks"]] == ["torch", "tf", "keras", "jax", "onnx", "onnxruntime",
                                                            "caffe"]
    assert data["frameworks"][1]["error"] and data["frameworks"][0]["output"] == [4]
    assert data["outputs"] == [{"output": [4], "frameworks": ["torch", "jax"]},
                               {"output": [7], "frameworks": ["onnx", "onnxruntime"]}]  # ONNX strides default to 1


def test_lp_norm_type_is_shown():
    out = run("lppool2d", "--i", "8", "--k", "2", "--norm-type", "3").output
    assert "norm_type p=3" in out and "input 8x8 -> output 4x4" in out
    assert json.loads(run("lppool2d", "--i", "8", "--k", "2", "--json").output)["norm_type"] == 2.0


def test_framework_rejection_exits_1():
    result = run("maxpool2d", "--i", "5", "--k", "3", "--p", "2")
    assert result.exit_code == 1
    assert "pad should be at most half of effective kernel size, but got pad=2, kernel_size=3 and dilation=1" \
        in result.output
    result = run("maxpool2d", "--i", "5", "--k", "3", "--p", "2", "--json")
    assert result.exit_code == 1
    data = json.loads(result.output.splitlines()[0])
    assert data["framework"] == "torch" and data["rule"] == "pad-half-kernel"
    assert run("maxpool2d", "--i", "8", "--k", "2", "--ceil-mode", "-f", "tf").exit_code == 1


@pytest.mark.parametrize("args", [
    ("maxpool2d", "--i", "5", "--k", "x"),
    ("maxpool2d", "--i", "5,5,5", "--k", "2"),
    ("maxpool2d", "--i", "5", "--k", "2", "--p", "sideways"),
    ("maxpool2d", "--i", "5", "--k", "2", "-f", "mxnet"),
    ("maxpool2d", "--k", "2"),
    ("maxpool2d", "--i", "5", "--k", "2", "--count-include-pad"),
])
def test_usage_errors_exit_2(args):
    assert run(*args).exit_code == 2


def test_aliases():
    assert json.loads(run("max-pool2d", "--i", "8", "--k", "2", "--json").output)["output"] == [4, 4]
    assert json.loads(run("AveragePooling1D", "--i", "8", "--k", "2", "--json").output)["op"] == "avgpool1d"


def test_empty_output_warns():
    result = run("maxpool1d", "--i", "2", "--k", "5", "-f", "jax")
    assert result.exit_code == 0
    assert "input 2 -> output 0" in result.output and "warning: output size 0" in result.output


def test_compare_exits_1_when_every_framework_rejects():
    from click.testing import CliRunner

    from convshape.cli.main import main

    result = CliRunner().invoke(main, ["avgpool1d", "--i", "-2", "--k", "-1", "--compare", "--json"])
    assert result.exit_code == 1
    assert "every framework rejects this configuration" in result.stdout
