"""The command line's error contract, for every command: exit 0 ok, 1 invalid configuration (a
framework's rejection or a failed check), 2 usage (Click's parser, convshape's own input checks, files
that cannot be read or written); without --json one ``error: ...`` line on stderr and nothing on stdout;
with --json exactly one JSON object on stdout, errors included (``error``, ``rule``, ``framework``);
never a traceback; echoed values shortened (issue 10, items 12, 14, 15, 16, 17)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from convshape.cli.main import main
from convshape.errors import ECHO_LIMIT, Rule, quote, shorten

ROOT = Path(__file__).resolve().parent.parent
UNET = str(ROOT / "examples" / "networks" / "unet.toml")
DIRECTORY = str(ROOT / "examples")
MISSING_DIR_SVG = "/nonexistent-convshape-dir/x.svg"
NUL = "a\x00b.svg"
HUGE = "3" * 1_048_576  # a 1 MB kernel string (item 17)


def invoke(args: list[str]) -> Result:
    return CliRunner().invoke(main, args, prog_name="convshape")


def assert_no_traceback(result: Result) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output


def assert_contract(args: list[str], result: Result) -> dict | None:
    """The contract for any invocation; returns the JSON object printed with --json."""
    assert_no_traceback(result)
    assert result.exit_code in (0, 1, 2)
    if "--json" in args:
        data = json.loads(result.stdout)  # the whole of stdout is one JSON value ...
        assert isinstance(data, dict)  # ... and it is an object
        assert result.stdout.count("\n") == 1
        if "error" in data:
            assert set(data) == {"error", "rule", "framework"} and result.exit_code != 0
            assert Rule(data["rule"]).is_usage == (result.exit_code == 2 and data["framework"] is None)
            assert "\n" not in data["error"]
        return data
    if result.exit_code != 0 and not result.stdout:
        lines = result.stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
        assert "Usage:" not in result.stderr and "Try '" not in result.stderr
    return None


# ------------------------------------------------------------------ a table of hostile invocations
#: args (without --json), the exit code, the rule (None: a report, not an error object)
HOSTILE: list[tuple[list[str], int, str | None]] = [
    # Click's own parser (item 14)
    (["conv2d", "--k", "3"], 2, "missing"),
    (["conv2d", "--i", "8", "--k", "3", "-f", "mxnet"], 2, "unknown-framework"),
    (["maxpool2d", "--i", "8", "--k", "2", "-f", ""], 2, "unknown-framework"),
    (["conv2d", "--i", "8", "--k", "3", "--bogus"], 2, "unknown-option"),
    (["--bogus"], 2, "unknown-option"),
    (["frameworks", "--bogus"], 2, "unknown-option"),
    (["conv2d", "--i", "8", "--k", "3", "extra"], 2, "usage"),
    (["chain", "--input", "1x3x8x8"], 2, "missing"),
    (["check", UNET, "--i"], 2, "bad-option"),  # with --json: Click took "--json" as the value of --i
    (["sweep", UNET, "--axis", "x"], 2, "bad-option"),
    (["lppool2d", "--i", "8", "--k", "2", "--norm-type", "x"], 2, "bad-option"),
    (["check", DIRECTORY], 2, "file"),  # a directory as a spec
    (["summary", DIRECTORY], 2, "file"),
    (["sweep", DIRECTORY], 2, "file"),
    (["explain", "conv2d", "--i", "8", "--k", "3", "--svg", DIRECTORY], 2, "file"),
    # files that cannot be written, paths Python cannot use (items 12, 15)
    (["conv2d", "--i", "8", "--k", "3", "--svg", MISSING_DIR_SVG], 2, "file"),
    (["maxpool1d", "--i", "8", "--k", "2", "--explain", "--svg", MISSING_DIR_SVG], 2, "file"),
    (["conv2d", "--i", "8", "--k", "3", "--svg", NUL], 2, "file"),
    (["summary", "spec\x00.toml"], 2, "file"),
    (["check", UNET, "b\x00d.json"], 2, "file"),
    (["maxpool2d", "--i", "8", "--k", "2", "--compare", "--explain"], 2, "option-not-applicable"),
    # unknown commands: the nearest names (item 16)
    (["conv2", "--i", "3"], 2, "unknown-command"),
    (["maxpol2d"], 2, "unknown-command"),
    (["sumary", UNET], 2, "unknown-command"),
    (["convtranpose2d", "--i", "8"], 2, "unknown-command"),
    # convshape's own input checks
    (["conv2d", "--i", "8", "--k", "x"], 2, "not-an-integer"),
    (["conv2d", "--i", "8", "--k", HUGE], 2, "convshape-limit"),  # int() raised ValueError past 4,300 digits
    (["conv2d", "--i", "8", "--k", "3", "--p", "bogus"], 2, "unknown-padding"),
    (["conv3d", "--i", "8,8", "--k", "3"], 2, "axis-count"),
    (["upsample", "--i", "3", "--scale", "x"], 2, "not-a-number"),
    (["sweep", UNET, "--range", "abc"], 2, "bad-range"),
    (["explain", "bogus", "--i", "8", "--k", "3"], 2, "unknown-op"),
    # a framework's rejection, a failing check: exit 1
    (["conv2d", "--i", "8", "--k", "30"], 1, "kernel-larger-than-input"),
    (["maxpool2d", "--i", "8", "--k", "2", "--s", "0"], 1, "stride"),
    (["conv-transpose2d", "--i", "8", "--k", "3", "--s", "2", "--o", "100"], 1, "output-size-range"),
    (["pixel-shuffle", "--input", "1x3x4x4", "--r", "2"], 1, "channel-divisible"),
    (["summary", UNET, "--i", "1x3x7x7"], 1, None),
    (["check", "/nonexistent-convshape-dir/spec.toml"], 2, None),
]


@pytest.mark.parametrize("as_json", [True, False], ids=["json", "text"])
@pytest.mark.parametrize("args, code, rule", HOSTILE, ids=[" ".join(a)[:60] for a, _, _ in HOSTILE])
def test_hostile_invocations_keep_the_contract(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, args: list[str],
                                               code: int, rule: str | None, as_json: bool) -> None:
    monkeypatch.chdir(tmp_path)  # nothing a test writes lands in the tree
    argv = [*args, "--json"] if as_json else list(args)
    result = invoke(argv)
    data = assert_contract(argv, result)
    assert result.exit_code == code
    if rule is None:
        return
    if as_json:
        assert data is not None and data["rule"] == rule and not result.stderr
        line = data["error"]
    else:
        assert not result.stdout
        line = result.stderr.removeprefix("error: ").rstrip("\n")
    assert len(line) < 400  # a short line whatever the input (item 17)


def test_click_parser_errors_print_one_json_object_with_the_rule() -> None:
    """Item 14: `conv2d --k 3 --json` printed Click's usage block on stderr and nothing on stdout."""
    result = invoke(["conv2d", "--k", "3", "--json"])
    assert result.exit_code == 2 and not result.stderr
    assert json.loads(result.stdout) == {"error": "missing option '--i' / '--input' (see 'convshape conv2d --help')",
                                         "rule": "missing", "framework": None}
    result = invoke(["conv2d", "--i", "8", "--k", "3", "-f", "mxnet", "--json"])
    data = json.loads(result.stdout)
    assert result.exit_code == 2 and data["rule"] == "unknown-framework" and "'mxnet'" in data["error"]


def test_usage_errors_are_one_line_in_clicks_words() -> None:
    """Item 16: no `Usage: ... Try ... Error:` block; Click's wording kept, the --help hint on the line."""
    result = invoke(["conv2d", "--k", "3"])
    assert result.exit_code == 2 and not result.stdout
    assert result.stderr == "error: missing option '--i' / '--input' (see 'convshape conv2d --help')\n"
    result = invoke(["conv2d", "--i", "8", "--k", "3", "--bogus"])
    assert result.stderr == "error: no such option '--bogus'; did you mean one of '--bias', '--groups', '--s'?\n"
    result = invoke(["conv2d", "--i", "8", "--k", "3", "-f", "trch"])
    assert result.stderr.endswith("unknown framework 'trch'; did you mean torch or pytorch?\n")


def test_an_option_is_not_taken_as_another_options_value() -> None:
    """Found by the fuzz: `check 8 --i --json` printed a text report (Click read --json as the input)."""
    result = invoke(["check", UNET, "--i", "--json"])
    assert result.exit_code == 2
    assert json.loads(result.stdout) == {"error": "option '--i' requires an argument", "rule": "bad-option",
                                         "framework": None}
    result = invoke(["conv2d", "--p", "-1", "--i", "8", "--k", "3", "--json"])  # a negative value is a value
    assert result.exit_code == 1 and json.loads(result.stdout)["rule"] == "negative-padding"


def test_an_svg_that_cannot_be_written_is_exit_2_and_only_the_error(tmp_path: Path) -> None:
    """Item 15: exit 1 with the success object on stdout before; now exit 2 and one error object."""
    target = tmp_path / "missing" / "x.svg"
    result = invoke(["conv2d", "--i", "8", "--k", "3", "--json", "--svg", str(target)])
    assert result.exit_code == 2 and not result.stderr
    data = json.loads(result.stdout)
    assert data["rule"] == "file" and str(target) in data["error"] and not target.parent.exists()
    written = tmp_path / "ok.svg"  # a writable path: the report as before, and the file
    result = invoke(["conv2d", "--i", "8", "--k", "3", "--json", "--svg", str(written)])
    assert result.exit_code == 0 and json.loads(result.stdout)["output"] == [6, 6]
    assert written.read_text().startswith("<svg")


def test_compare_with_explain_in_json_is_one_error_object() -> None:
    """Item 15: exit 2 with an empty stdout before."""
    result = invoke(["maxpool2d", "--i", "8", "--k", "2", "--compare", "--explain", "--json"])
    assert result.exit_code == 2 and json.loads(result.stdout)["rule"] == "option-not-applicable"


def test_a_nul_byte_in_a_path_is_a_usage_error() -> None:
    """Item 12: Click's path check called os.stat, which raises ValueError (not OSError) on a NUL."""
    with pytest.raises(ValueError, match="null byte"):
        os.stat(NUL)  # the premise: why Click's own check crashed
    for args in (["conv2d", "--i", "8", "--k", "3", "--svg", NUL], ["summary", "x\x00.toml"],
                 ["explain", "conv1d", "--i", "5", "--k", "3", "--svg", NUL]):
        result = invoke([*args, "--json"])
        assert_no_traceback(result)
        assert result.exit_code == 2 and json.loads(result.stdout)["rule"] == "file"
        assert "NUL byte" in json.loads(result.stdout)["error"]


def test_echoed_values_are_shortened() -> None:
    """Item 17: a 1 MB kernel gave a 1 MB error line; now the first ECHO_LIMIT characters and the length."""
    result = invoke(["conv2d", "--i", "8", "--k", HUGE + "x"])
    assert result.exit_code == 2
    line = result.stderr
    # a million-digit kernel is refused by its length before it is echoed; other values are shortened
    assert len(line) < 300 and ("(1,048,577 characters)" in line and "3" * ECHO_LIMIT in line
                                or "kernel has 1,048,576 digits" in line)
    result = invoke(["conv2d", "--i", "8", "--k", "3", "-f", "q" * 5000, "--json"])
    assert len(json.loads(result.stdout)["error"]) < 300
    result = invoke(["explain", "z" * 100_000, "--i", "8", "--k", "3", "--json"])
    assert len(json.loads(result.stdout)["error"]) < 300


def test_quote_and_shorten() -> None:
    assert quote("abc") == "'abc'" and quote(7) == "7"
    assert quote("x" * 81) == repr("x" * 80) + "… (81 characters)"
    assert shorten("got 'a' and 'b'") == "got 'a' and 'b'"
    long = "kernel must be an integer, but got " + repr("y" * 500)
    assert shorten(long) == "kernel must be an integer, but got " + repr("y" * 80) + "… (500 characters)"
    assert shorten(shorten(long)) == shorten(long)  # shortening twice changes nothing
    # two short quoted values far apart are not one long value
    text = "'--scale' / '--scale-factor': " + "w " * 60 + "but got 'x'"
    assert shorten(text) == text
    assert shorten("size " + "9" * 5000) == "size " + "9" * ECHO_LIMIT + "… (5,000 digits)"


# ------------------------------------------------------------------ a fuzz over argument lists
COMMANDS = ["conv2d", "conv1d", "conv-transpose1d", "conv-transpose2d", "maxpool2d", "avgpool1d", "lppool1d",
            "upsample", "interpolate", "pixel-shuffle", "adaptive-avgpool1d", "maxunpool1d", "fractional-maxpool2d",
            "explain", "solve", "summary", "check", "sweep", "chain", "frameworks", "conv2", "Conv"]
OPTIONS = ["--i", "--k", "--s", "--p", "--d", "-f", "--o", "--scale", "--r", "--json", "--compare", "--explain",
           "--svg", "--bogus", "--range", "--axis", "--input", "--ceil-mode", "--mode", "--output-padding"]
VALUES = ["8", "3", "2", "1", "0", "-1", "x", "", "3,3", "8,8,8", "1x3x8x8", "same", "valid", "1:2", "mxnet", "torch",
          "tf", "onnx", "1e400", "nan", "a\x00b", "1..64", "conv2d", "nearest", UNET, DIRECTORY, MISSING_DIR_SVG,
          "9" * 100, "k" * 300]


@pytest.fixture
def scratch_cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An --svg value may name a writable file: every invocation runs in a scratch directory."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


# one scratch directory serves every example (what one example writes cannot change another's contract)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(command=st.sampled_from(COMMANDS),
       words=st.lists(st.one_of(st.sampled_from(OPTIONS), st.sampled_from(VALUES)), max_size=8),
       as_json=st.booleans())
def test_fuzzed_invocations_keep_the_contract(scratch_cwd: Path, command: str, words: list[str],
                                              as_json: bool) -> None:
    args = [command, *words, *(["--json"] if as_json else [])]
    result = CliRunner().invoke(main, args, prog_name="convshape")
    assert_contract(args, result)
