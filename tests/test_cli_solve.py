"""CLI tests for `convshape solve` (Click's CliRunner): JSON keys, exit codes, tables, errors."""

from __future__ import annotations

import json
import shlex
import subprocess
import sys

import pytest
from click.testing import CliRunner

from convshape.cli.main import main


def run(*args: str):
    return CliRunner().invoke(main, ["solve", *args])


def test_help_has_examples_that_run():
    result = run("--help")
    assert result.exit_code == 0 and "Examples:" in result.output and "--for-all-inputs" in result.output
    examples = [shlex.split(line.strip())[1:] for line in result.output.splitlines()
                if line.strip().startswith("convshape ")]
    assert len(examples) == 3
    for args in examples:
        assert CliRunner().invoke(main, args).exit_code == 0, args


def test_plain_table():
    result = run("--i", "224", "--o", "112", "--op", "conv2d", "--limit", "4")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "conv2d in torch mapping 224x224 to 112x112" in out
    assert "169 parameter sets, simplest first" in out
    lines = [line.split() for line in out.splitlines()]
    assert ["3", "3", "2", "1", "1", "1:1"] in lines  # row 3: kernel 3, stride 2, dilation 1, padding 1
    assert "(165 more;" in out
    assert "check the first: convshape conv2d --i 224 --k 1 --s 2 --p 0 -f torch" in out
    assert "\x1b[" not in out


def test_json_contract():
    result = run("--i", "64,48", "--o", "32,24", "--json", "--limit", "3")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["op"] == "conv2d" and data["framework"] == "torch"
    assert data["shown"] == 3 and data["total"] == 169
    first = data["solutions"][0]
    assert {"kernel", "stride", "dilation", "pad_before", "pad_after", "padding", "command"} <= set(first)
    assert "output_padding" not in first
    assert [a["input"] for a in data["axes"]] == [64, 48] and data["axes"][0]["count"] == 13


def test_json_transposed_has_output_padding_and_the_first_command_runs():
    data = json.loads(run("--i", "7", "--o", "15", "--op", "deconv1d", "--json").output)
    first = data["solutions"][0]
    assert first["output_padding"] == [0] and first["kernel"] == [3]
    again = json.loads(CliRunner().invoke(main, [*shlex.split(first["command"]), "--json"]).output)
    assert again["output"] == [15]


def test_for_all_inputs_json():
    data = json.loads(run("--for-all-inputs", "--scale", "2", "--op", "conv-transpose1d", "--json").output)
    first = data["solutions"][0]
    assert data["for_all_inputs"] is True and data["scale"] == ["2"]
    assert first["rule"] == ["output = 2*i for every i >= 1"] and first["scale"] == ["2"]
    assert {"kernel", "stride", "dilation", "pad_before", "pad_after", "output_padding"} <= set(first)


def test_for_all_inputs_table_prints_the_proof():
    result = run("--for-all-inputs", "--scale", "1/2", "--op", "maxpool2d")
    assert result.exit_code == 0
    assert "other sizes round down: output = floor(i/2)" in result.output
    assert "proof: output = floor((i + P - eff)/s) + 1; for i = 2*m" in result.output


def test_no_solution_exits_1_with_one_line():
    result = run("--i", "224", "--o", "500", "--op", "conv2d")
    assert result.exit_code == 1
    assert result.stderr.strip().count("\n") == 0
    assert ("no conv2d maps 224x224 to 500x500 with kernel <= 7, stride <= 4, dilation <= 2; "
            "a transposed convolution can: try --op conv-transpose2d") in result.stderr


def test_no_solution_json_error():
    result = run("--i", "100", "--o", "3", "--json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["rule"] == "no-solution" and "try --max-stride 34" in data["error"]


@pytest.mark.parametrize("args", [["--i", "abc", "--o", "3"], ["--i", "5"], ["--i", "5", "--o", "3", "--op", "dense"],
                                  ["--i", "5", "--o", "3", "-f", "mxnet"], ["--for-all-inputs"],
                                  ["--scale", "2/3"], ["--i", "5", "--o", "3", "--max-kernel", "0"]])
def test_usage_errors_exit_2(args):
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output


def test_bounds_options():
    data = json.loads(run("--i", "9", "--o", "9", "--max-kernel", "3", "--max-dilation", "1", "--limit", "0",
                          "--json").output)
    assert all(k <= 3 for s in data["solutions"] for k in s["kernel"])
    assert data["bounds"]["max_kernel"] == 3 and data["shown"] == data["total"]


def test_json_does_not_import_rich():
    code = ("import sys; from convshape.cli.main import main\n"
            "try:\n main(['solve', '--i', '64', '--o', '32', '--json'])\n"
            "except SystemExit: pass\n"
            "assert 'rich' not in sys.modules, 'rich was imported'")
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)


def test_rich_table():
    result = CliRunner().invoke(main, ["solve", "--i", "224", "--o", "112", "--limit", "3"],
                                env={"FORCE_COLOR": "1", "NO_COLOR": None, "COLUMNS": "160"})
    assert result.exit_code == 0 and "─────" in result.output
