"""CLI tests for `convshape explain OP` and --explain / --svg on the op commands (CliRunner)."""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest
from click.testing import CliRunner

from convshape.cli.main import main

OP_COMMANDS = ["conv1d", "conv2d", "conv3d", "conv-transpose1d", "conv-transpose2d", "conv-transpose3d",
               "maxpool1d", "maxpool2d", "maxpool3d", "avgpool1d", "avgpool2d", "avgpool3d", "lppool1d", "lppool2d"]


def run(*args: str, env: dict | None = None):
    return CliRunner().invoke(main, list(args), env=env)


def test_help():
    result = run("explain", "--help")
    assert result.exit_code == 0
    assert "Usage:" in result.output and "Examples:" in result.output and "--svg" in result.output
    assert run("draw", "--help").exit_code == 0  # the alias


@pytest.mark.parametrize("command", OP_COMMANDS)
def test_op_help_lists_explain_and_svg(command):
    out = run(command, "--help").output
    assert "--explain" in out and "--svg FILE" in out


def test_explain_command_plain_picture():
    result = run("explain", "conv1d", "--i", "5", "--k", "3", "--s", "2", "--p", "1")
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.startswith("conv1d · PyTorch (torch.nn) · padding 1\ninput 5 -> output 3\n")
    assert "input  [p][x][x][x][x][x][p]\nout 0  [0==1==2]\n" in out
    assert "\x1b[" not in out


def test_explain_transposed_shows_the_direct_form():
    out = run("explain", "deconv1d", "--i", "3", "--k", "3", "--s", "2", "--p", "1").output
    assert "input  [p][x][0][x][0][x][p]" in out and "out 0  [2==1==0]" in out
    assert "\ndirect: the same as a stride-1 convolution" in out and "\ngradient: it is the gradient" in out
    # the identities cite the paper that states them, not an internal note (issue 10, item 22)
    assert 'source: Dumoulin & Visin, "A guide to convolution arithmetic for deep learning", 2016' in out


@pytest.mark.parametrize("command, args, marker", [
    ("conv2d", ["--i", "5", "--k", "3", "--s", "2", "--p", "1"], "out 0  [0==1==2]"),
    ("conv-transpose2d", ["--i", "3", "--k", "3", "--s", "2", "--p", "1"], "out 0  [2==1==0]"),
    ("maxpool1d", ["--i", "5", "--k", "2", "--s", "2", "--p", "1", "--ceil-mode"], "dropped by ceil_mode"),
    ("avgpool2d", ["--i", "6", "--k", "3", "--s", "2", "--p", "1"], "[*==*==*]"),
    ("lppool1d", ["--i", "6", "--k", "2"], "[*==*]"),
])
def test_explain_flag_prints_report_then_picture(command, args, marker):
    plain = run(command, *args)
    result = run(command, *args, "--explain")
    assert result.exit_code == 0, result.output
    assert result.output.startswith(plain.output)  # the usual report first
    assert "\nPicture\n" in result.output and marker in result.output
    assert "Picture" not in plain.output


def test_json_with_explain_adds_a_key():
    data = json.loads(run("conv1d", "--i", "5", "--k", "3", "--s", "2", "--p", "1", "--json", "--explain").output)
    assert data["output"] == [3]
    assert data["explain"]["matrix"]["rows"] == 3 and data["explain"]["axes"][0]["views"][0]["count"] == 3
    plain = json.loads(run("conv1d", "--i", "5", "--k", "3", "--json").output)
    assert "explain" not in plain


def test_explain_json_contract():
    result = run("explain", "conv2d", "--i", "4", "--k", "3", "--json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["op"] == "conv2d" and data["framework"] == "torch"
    assert data["input"] == [4, 4] and data["output"] == [2, 2]
    assert (data["matrix"]["rows"], data["matrix"]["cols"]) == (4, 16)
    assert {"input", "kernel", "stride", "pad_before", "pad_after", "output"} <= set(data["axes"][0])


@pytest.mark.parametrize("args", [
    ["explain", "conv2d", "--i", "4", "--k", "3", "--svg"],
    ["conv2d", "--i", "4", "--k", "3"],
    ["explain", "deconv1d", "--i", "3", "--k", "3", "--s", "2", "--p", "1"],
    ["maxpool2d", "--i", "5", "--k", "2", "--s", "2", "--p", "1", "--ceil-mode"],
])
def test_svg_is_valid_xml(tmp_path, args):
    path = tmp_path / "picture.svg"
    argv = args[:-1] + ["--svg", str(path)] if args[-1] == "--svg" else args + ["--svg", str(path)]
    result = run(*argv)
    assert result.exit_code == 0, result.output
    assert "Picture" in result.output or "as a matrix" in result.output  # still prints
    root = ET.parse(path).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    text = "".join(root.itertext())
    assert "as\xa0a\xa0matrix" in text or "as a matrix" in text


def test_svg_with_json_still_prints_json(tmp_path):
    path = tmp_path / "x.svg"
    result = run("conv1d", "--i", "5", "--k", "3", "--json", "--svg", str(path))
    assert result.exit_code == 0
    assert "explain" in json.loads(result.output)
    ET.parse(path)


def test_svg_to_a_directory_is_an_error(tmp_path):
    result = run("conv1d", "--i", "5", "--k", "3", "--svg", str(tmp_path))
    assert result.exit_code == 2  # click.Path(dir_okay=False)


@pytest.mark.parametrize("args, code, text", [
    (["explain", "dense", "--i", "5", "--k", "3"], 2, "explain draws conv1d/2d/3d"),
    (["explain", "conv1d", "--i", "5", "--k", "3", "--ceil-mode"], 2, "ceil_mode does not apply to conv1d"),
    (["explain", "conv2d", "--i", "5", "--k", "7"], 1, "Kernel size can't be greater than actual input size"),
    (["explain", "conv2d", "--i", "x", "--k", "3"], 2, "input must be an integer"),
    (["maxpool1d", "--i", "7", "--k", "3", "--compare", "--explain"], 2, "drop --compare"),
])
def test_errors_and_exit_codes(args, code, text):
    result = run(*args)
    assert result.exit_code == code, result.output
    assert text in result.output
    assert "Traceback" not in result.output


def test_json_error_object():
    result = run("explain", "conv2d", "--i", "5", "--k", "7", "--json")
    assert result.exit_code == 1
    assert json.loads(result.stdout)["framework"] == "torch"


def test_force_color_styles_the_picture():
    result = run("explain", "conv1d", "--i", "5", "--k", "3", "--s", "2", "--p", "1",
                 env={"FORCE_COLOR": "1", "NO_COLOR": None, "COLUMNS": "120"})
    assert result.exit_code == 0
    assert "\x1b[" in result.output and "0==1==2" in result.output


def test_without_explain_the_module_is_not_imported():
    code = ("import sys; from convshape.cli.main import main\n"
            "for args in (['conv2d', '--i', '64', '--k', '3', '--json'], ['conv2d', '--i', '64', '--k', '3']):\n"
            "    try:\n        main(args)\n    except SystemExit: pass\n"
            "assert 'convshape.api.explain' not in sys.modules, 'explain was imported'\n"
            "assert 'convshape.render.explain' not in sys.modules\n")
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, env={"NO_COLOR": "1"})


def test_json_explain_does_not_import_rich():
    code = ("import sys; from convshape.cli.main import main\n"
            "try:\n main(['conv2d', '--i', '5', '--k', '3', '--json', '--explain'])\n"
            "except SystemExit: pass\n"
            "assert 'convshape.api.explain' in sys.modules\n"
            "assert 'rich' not in sys.modules, 'rich was imported'")
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)
