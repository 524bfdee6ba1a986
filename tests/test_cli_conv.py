"""CLI tests for the conv and conv-transpose command groups (Click's CliRunner)."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from convshape import __version__
from convshape.cli.main import main

COMMANDS = [f"conv{n}d" for n in (1, 2, 3)] + [f"conv-transpose{n}d" for n in (1, 2, 3)]


def run(*args: str, env: dict | None = None):
    return CliRunner().invoke(main, list(args), env=env)


@pytest.mark.parametrize("command", ["", *COMMANDS])
def test_help_runs_on_every_command(command):
    result = run(*([command] if command else []), "--help")
    assert result.exit_code == 0
    assert "Usage:" in result.output
    assert "Examples:" in result.output


def test_version():
    result = run("--version")
    assert result.exit_code == 0
    assert __version__ in result.output


@pytest.mark.parametrize("args", [("-V", "--json"), ("--json", "--version")])
def test_version_json_is_one_object(args):
    import platform

    result = run(*args)
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {"version": __version__, "python": platform.python_version()}


def test_conv2d_table_plain_when_piped():
    result = run("conv2d", "--i", "64", "--k", "3", "--s", "2")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "input 64x64 -> output 31x31" in out
    assert "\x1b[" not in out  # no colour codes when not a terminal
    assert "halves size" in out and "32x32" in out
    assert "padding='same' is not supported for strided convolutions" in out
    assert "63, 64" in out  # the inverse set


def test_conv2d_json_contract():
    result = run("conv2d", "--i", "64", "--k", "3", "--s", "2", "--json")
    assert result.exit_code == 0
    data = json.loads(result.output)  # exactly one JSON object
    assert data["op"] == "conv2d" and data["framework"] == "torch"
    assert data["input"] == [64, 64] and data["output"] == [31, 31]
    assert data["axes"][0] == {"input": 64, "kernel": 3, "stride": 2, "dilation": 1, "pad_before": 0,
                               "pad_after": 0, "output": 31, "same_output_inputs": [63, 64]}


def test_per_axis_values_and_asymmetric_padding():
    data = json.loads(run("conv2d", "--i", "50,100", "--k", "3,5", "--s", "2,1", "--p", "4,2", "--json").output)
    assert data["output"] == [28, 100]
    data = json.loads(run("conv2d", "--i", "10", "--k", "3", "--p", "0:1,1:2", "--json").output)
    assert [(a["pad_before"], a["pad_after"]) for a in data["axes"]] == [(0, 1), (1, 2)]
    assert data["output"] == [9, 11]


def test_conv_transpose_tf_same_lists_127_and_128():
    result = run("conv-transpose2d", "--i", "64", "--k", "3", "--s", "2", "--p", "same", "-f", "tf", "--json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    axis = data["axes"][0]
    assert axis["valid_outputs"] == [127, 128]
    assert [(o["output"], o["pad_before"], o["pad_after"], o["select"]) for o in axis["options"]] == [
        (127, 1, 1, "output_shape=127"), (128, 0, 1, "output_shape=128")]
    assert all(o["forward"] == 64 for o in axis["options"])
    table = run("conv-transpose2d", "--i", "64", "--k", "3", "--s", "2", "--p", "same", "-f", "tf").output
    assert "output_shape=128" in table and "0:1" in table


def test_transposed_json_has_the_contract_keys():
    data = json.loads(run("deconv2d", "--i", "64", "--k", "4", "--s", "2", "--p", "1", "--json").output)
    for key in ("op", "framework", "input", "output", "axes"):
        assert key in data
    for key in ("input", "kernel", "stride", "dilation", "pad_before", "pad_after", "output", "output_padding",
                "valid_outputs", "options"):
        assert key in data["axes"][0]
    assert data["op"] == "conv-transpose2d"
    assert set(data["axes"][0]["options"][0]) >= {"output", "output_padding", "pad_before", "pad_after"}


@pytest.mark.parametrize("alias", ["deconv2d", "convtranspose2d", "conv2d-transpose", "conv2d_transpose",
                                   "ConvTranspose2d", "conv_transpose2d", "transposed-conv2d"])
def test_aliases(alias):
    result = run(alias, "--i", "5", "--k", "3", "--s", "2", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["op"] == "conv-transpose2d"


def test_invalid_configuration_exits_1_with_one_line():
    result = CliRunner().invoke(main, ["conv2d", "--i", "5", "--k", "7"])
    assert result.exit_code == 1
    assert result.stderr.strip().count("\n") == 0
    assert "Kernel size can't be greater than actual input size" in result.stderr
    assert "Traceback" not in result.output


def test_invalid_configuration_json_error_object():
    result = CliRunner().invoke(main, ["conv-transpose2d", "--i", "64", "--k", "3", "--s", "2", "--p", "same",
                                       "-f", "tf", "--o", "129", "--json"])
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert "actual = 64, computed = 65" in data["error"]
    assert data["framework"] == "tf"


@pytest.mark.parametrize("args", [
    ["conv2d", "--i", "abc", "--k", "3"],
    ["conv2d", "--i", "64"],
    ["conv2d", "--i", "64", "--k", "3", "-f", "mxnet"],
    ["conv2d", "--i", "64,64,64", "--k", "3"],
    ["conv2d", "--i", "64", "--k", "3", "--p", "sometimes"],
    ["nosuchcommand"],
])
def test_usage_errors_exit_2(args):
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output


def test_keyword_a_framework_lacks_is_an_error():
    result = CliRunner().invoke(main, ["conv2d", "--i", "10", "--k", "3", "--p", "same-lower", "-f", "tf"])
    assert result.exit_code == 1
    assert "has no padding 'same-lower'" in result.stderr


def test_reverse_question_fcn():
    data = json.loads(run("deconv2d", "--i", "39,12", "--k", "4", "--s", "2", "--p", "1", "--o", "78,24",
                          "--json").output)
    assert data["output"] == [78, 24]
    assert data["reach"][0][0]["padding"] == "1"


def test_empty_output_is_flagged():
    result = run("conv1d", "--i", "2", "--k", "5", "--s", "2", "-f", "tf", "--json")
    data = json.loads(result.stdout)
    assert data["output"] == [0]  # TF: (2 - 5 + 2) / 2 truncates to 0, an empty tensor
    assert data["warnings"] and "empty tensor" in data["warnings"][0]


def test_rich_table_at_fixed_width():
    from rich.console import Console

    from convshape import conv
    from convshape.render.conv import conv_report, rich_print

    console = Console(width=120, record=True, force_terminal=True, color_system=None)
    rich_print(conv_report(conv(64, 3, 2, ndim=2)), console)
    text = console.export_text()
    assert "Padding choices in torch" in text
    assert re.search(r"^\s*halves size\s+1\s+1:1,1:1\s+32x32\s*$", text, re.M), text
    assert re.search(r"^\s*0\s+64\s+3\s+2\s+1\s+0:0\s+31\s+63, 64\s*$", text, re.M), text
    assert "─────" in text  # the rule under each rich table's header


@given(st.lists(st.sampled_from(["--i", "--k", "--s", "--p", "--d", "--o", "--output-padding", "-f", "--json",
                                 "3", "0", "-1", "1:2", "same", "x", ",", "torch", "tf", "99999999999", "2,3"]),
                max_size=10), st.sampled_from(COMMANDS))
def test_no_traceback_whatever_the_input(args, command):
    result = CliRunner().invoke(main, [command, *args])
    assert result.exit_code in (0, 1, 2)
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit), \
        repr(result.exception)


def test_json_does_not_import_rich():
    code = ("import sys; from convshape.cli.main import main\n"
            "try:\n main(['conv2d', '--i', '64', '--k', '3', '--s', '2', '--json'])\n"
            "except SystemExit: pass\n"
            "assert 'rich' not in sys.modules, 'rich was imported'")
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)


def test_python_dash_m():
    out = subprocess.run([sys.executable, "-m", "convshape", "conv1d", "--i", "50", "--k", "3", "--s", "2",
                          "--json"], check=True, capture_output=True, text=True).stdout
    assert json.loads(out)["output"] == [24]


def test_examples_api_tour_runs():
    from pathlib import Path

    script = Path(__file__).resolve().parent.parent / "examples" / "api_tour.py"
    out = subprocess.run([sys.executable, str(script)], check=True, capture_output=True, text=True).stdout
    assert "39 -> 78: [('1', 0)]" in out
    assert "output_shape=128: pads 0:1, forward conv gives 64" in out


def test_force_color_draws_rich_tables_and_no_color_wins():
    args = ["conv2d", "--i", "64", "--k", "3", "--s", "2"]
    rich_out = run(*args, env={"FORCE_COLOR": "1", "NO_COLOR": None, "COLUMNS": "140"}).output
    assert "─────" in rich_out  # the rule under a rich table's header
    plain_out = run(*args, env={"FORCE_COLOR": "1", "NO_COLOR": "1"}).output
    assert "─" not in plain_out and "\x1b[" not in plain_out
    assert "input 64x64 -> output 31x31" in plain_out


def test_shell_completion_is_clicks_own():
    result = CliRunner().invoke(main, [], prog_name="convshape",
                                env={"_CONVSHAPE_COMPLETE": "bash_source", "COMP_WORDS": "", "COMP_CWORD": "0"})
    assert result.exit_code == 0
    assert "_convshape_completion" in result.output


def test_asking_for_an_empty_output_is_an_error_not_a_traceback():
    """Found by fuzzing: caffe Deconvolution asked for output 0 (no option has it)."""
    result = run("conv-transpose2d", "-f", "caffe", "--i", "3,5", "--k", "4", "--p", "valid", "--d", "3",
                 "--o", "0", "--json")
    assert result.exit_code == 1
    assert "gives 12, not 0" in json.loads(result.stdout)["error"]  # s(i-1) + d(k-1) + 1 = 2 + 9 + 1


@pytest.mark.parametrize("spelling, op", [("Conv2d", "conv2d"), ("CONV2D", "conv2d"), ("conv_2d", "conv2d"),
                                          ("Conv1d", "conv1d"), ("conv_transpose3d", "conv-transpose3d")])
def test_canonical_names_in_any_case(spelling, op):
    result = run(spelling, "--i", "9", "--k", "3", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["op"] == op


def test_reach_names_output_padding_when_output_size_cannot():
    """dilation 3 > stride 1: output_padding may reach 21, torch's output_size may not (observed)."""
    result = run("conv-transpose1d", "--i", "5", "--k", "6", "--d", "3", "--o", "21")
    assert result.exit_code == 1
    assert "valid sizes range from 20 to 20" in result.output and "output_padding=1" in result.output


def test_json_usage_error_is_still_one_json_object_on_stdout():
    result = CliRunner().invoke(main, ["conv2d", "--i", "64,64,64", "--k", "3", "--json"])
    assert result.exit_code == 2
    assert json.loads(result.stdout)["rule"] == "axis-count"


def test_a_rejected_default_names_the_sizes_that_work():
    """torch: (2-1)*3 - 6 + 3 = 0 is rejected, output_padding 1 and 2 give 1 and 2 (observed)."""
    result = run("conv-transpose1d", "--i", "2", "--k", "3", "--s", "3", "--p", "3")
    assert result.exit_code == 1
    assert "output_padding=1 or output_size=1 gives 1" in result.output
