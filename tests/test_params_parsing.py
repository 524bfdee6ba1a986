"""The one normaliser: every command and function that takes a value reads it the same way.

Whole tensor shapes (``1x3x32x32``, ``1,3,32,32``, ``(1, 3, 32, 32)``, ``[1, 3, 32, 32]``), integers
(ASCII digits only: ``1_000`` and full-width ``３`` are not-an-integer), numbers (scales, ratios)
and ranges, through the API and the CLI alike.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from click.testing import CliRunner

from convshape import ShapeError
from convshape.api.conv import conv
from convshape.api.pooling import pool
from convshape.api.resample import interpolate, pixel_shuffle
from convshape.api.solve import parse_scale
from convshape.api.unpool import fractional_max_pool
from convshape.cli.main import main
from convshape.network.evaluate import chain
from convshape.network.sweep import sweep
from convshape.params import int_range, number_values, parse_int, parse_number, per_axis, tensor_shape

SHAPES = ["1x9x4x4", "1,9,4,4", "(1, 9, 4, 4)", "[1, 9, 4, 4]", " 1 x 9 x 4 x 4 ", "1×9×4×4"]
BAD_INTEGERS = ["３", "1_000", "1.5", "3a", "", "+"]


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), env={"NO_COLOR": "1", "COLUMNS": "200"})
    return result.exit_code, result.output


# ---------------------------------------------------------------------------- tensor shapes
@pytest.mark.parametrize("text", SHAPES)
def test_tensor_shape_forms(text: str) -> None:
    assert tensor_shape(text) == (1, 9, 4, 4)


@pytest.mark.parametrize("text", SHAPES)
@pytest.mark.parametrize("shape_of", [
    lambda s: pixel_shuffle(s, 3).input_shape,
    lambda s: chain(s, ["relu"]).input,
], ids=["pixel_shuffle", "chain"])
def test_every_api_takes_every_shape_form(text: str, shape_of: Callable[[str], Any]) -> None:
    assert tuple(shape_of(text)) == (1, 9, 4, 4)


@pytest.mark.parametrize("text", SHAPES)
@pytest.mark.parametrize("command", [
    ["pixel-shuffle", "--r", "3", "--json", "--i"],
    ["chain", "relu", "--json", "--i"],
    ["summary", "examples/networks/dcgan.toml", "--json", "--i"],
], ids=["pixel-shuffle", "chain", "summary"])
def test_every_command_takes_every_shape_form(text: str, command: list[str]) -> None:
    if command[0] == "summary":  # dcgan's input is a latent vector: 1x100x1x1
        text = text.replace("9", "100").replace("4", "1")
    code, out = invoke(*command, text)
    assert code == 0, out


@pytest.mark.parametrize("text", ["1x-9", "ax4", "1x4.5", "1x３x4", "1x1_0x4"])
def test_bad_shapes(text: str) -> None:
    with pytest.raises(ShapeError, match="must be a tensor shape") as info:
        tensor_shape(text)
    assert info.value.rule == "bad-shape"
    with pytest.raises(ShapeError, match="input must be a shape like|every size in input must be at least 1") as info:
        chain(text, ["relu"])
    assert info.value.rule == "bad-spec"


# ---------------------------------------------------------------------------- integers
def test_integer_parser() -> None:
    assert parse_int(" 12 ", "kernel") == 12 and parse_int("-3", "pad") == -3 and parse_int("+3", "k") == 3
    for text in BAD_INTEGERS:
        with pytest.raises(ShapeError, match=re.escape(f"kernel must be an integer, but got {text!r}")) as info:
            parse_int(text, "kernel")
        assert info.value.rule == "not-an-integer"


@pytest.mark.parametrize("text", ["３", "1_000", "1٣"])
@pytest.mark.parametrize("call", [
    lambda v: per_axis(v, "kernel", 2),
    lambda v: per_axis(f"3,{v}", "kernel", 2),
    lambda v: conv(32, v),
    lambda v: conv(32, 3, padding=f"{v}:1"),
    lambda v: pool("max", v, 2),
    lambda v: interpolate(v, size=4),
], ids=["per_axis", "per_axis-list", "conv-kernel", "conv-padding", "pool-input", "interpolate-input"])
def test_unicode_and_underscore_integers_are_rejected(text: str, call: Callable[[str], Any]) -> None:
    """Python's int() reads these (a bug report: conv(32, "３") used kernel 3); convshape does not."""
    with pytest.raises(ShapeError, match=re.escape(repr(text))) as info:
        call(text)
    assert info.value.rule == "not-an-integer"


@pytest.mark.parametrize("text", ["３", "1_000"])
@pytest.mark.parametrize("command", [
    ["conv2d", "--i", "32", "--k"],
    ["maxpool2d", "--i", "32", "--k"],
    ["pixel-shuffle", "--i", "1x9x4x4", "--r"],
    ["chain", "--i", "1x3x8x8", "conv2d 8 k=3 g=1", "--json", "conv2d 4 k="],
], ids=["conv2d", "maxpool2d", "pixel-shuffle", "chain"])
def test_commands_reject_unicode_and_underscore_integers(text: str, command: list[str]) -> None:
    if command[0] == "chain":
        command = [*command[:-1], command[-1] + text]
        code, out = invoke(*command)
        out = json.loads(out)["error"]  # with --json: one JSON object, the error in it
    else:
        code, out = invoke(*command, text)
    assert code == 2 and text in out, out


def test_chain_channel_word_is_an_ascii_integer() -> None:
    with pytest.raises(ShapeError, match="expected a number of channels") as info:
        chain("1x3x8x8", ["conv2d ８ k=3"])
    assert info.value.rule == "bad-spec"


# ---------------------------------------------------------------------------- numbers
def test_number_parser() -> None:
    assert parse_number(" 2 ", "scale") == 2 and isinstance(parse_number("2", "scale"), int)
    assert parse_number("1/4", "scale") == 0.25 and parse_number("1.5", "scale") == 1.5
    assert number_values("2, 1/2") == (2, 0.5)


@pytest.mark.parametrize("text", ["２", "1_0", "abc", "1/0", ""])
@pytest.mark.parametrize("call", [
    lambda v: number_values(v),
    lambda v: interpolate(8, scale=v),
    lambda v: fractional_max_pool("50,32", 3, output_ratio=v),
    lambda v: parse_scale(v, 2),
], ids=["number_values", "interpolate-scale", "fractional-ratio", "solve-scale"])
def test_bad_numbers(text: str, call: Callable[[str], Any]) -> None:
    with pytest.raises(ShapeError) as info:
        call(text)
    assert info.value.rule == "not-a-number"


@pytest.mark.parametrize("command", [
    ["interpolate", "--i", "8", "--scale"],
    ["solve", "--op", "conv2d", "--for-all-inputs", "--scale"],
], ids=["interpolate", "solve"])
def test_commands_reject_bad_numbers(command: list[str]) -> None:
    code, out = invoke(*command, "1_0")
    assert code == 2 and "1_0" in out, out


# ---------------------------------------------------------------------------- ranges
def test_ranges() -> None:
    assert int_range("1..40") == int_range("1:40") == int_range("1-40") == int_range(" 1 .. 40 ") == (1, 40)
    assert int_range("40") == (1, 40) and int_range((2, 3)) == (2, 3)
    for text in ("1..1_000", "１..4", "0..4"):
        with pytest.raises(ShapeError, match="range must") as info:
            int_range(text)
        assert info.value.rule == "bad-range"
        with pytest.raises(ShapeError, match="range must"):
            sweep("examples/networks/unet.toml", text)


def invoke_json(*args: str) -> tuple[int, str]:
    """Exit code and stdout alone (with --json, one JSON object; Click's usage text goes to stderr)."""
    result = CliRunner().invoke(main, list(args), env={"NO_COLOR": "1", "COLUMNS": "200"})
    return result.exit_code, result.stdout


# ---------------------------------------------------------------------------- issue 10 #7: spec inputs
SPEC_BAD = [
    ("json", '{"input": "1x3x３２x32", "layers": [{"op": "conv2d", "out_channels": 8, "kernel": 3}]}', "input"),
    ("json", '{"input": "1x3x32x1_000", "layers": [{"op": "conv2d", "out_channels": 8, "kernel": 3}]}', "input"),
    ("json", '{"input": [1, 3, 32, 32], "layers": [{"op": "conv2d", "out_channels": "８", "kernel": 3}]}',
     "out_channels"),
    ("json", '{"input": [1, 3, 32, 32], "layers": [{"op": "conv2d", "out_channels": 8, "kernel": "３"}]}', "kernel"),
    ("json", '{"input": [1, 3, 32, 32], "layers": [{"op": "conv2d", "out_channels": 8, "kernel": 3, '
             '"padding": "1_0"}]}', "padding"),
    ("json", '{"input": [1, 3, 32, 32], "layers": [{"op": "conv2d", "out_channels": 8, "kernel": 3.0}]}', "kernel"),
    ("toml", 'input = "1x3x３２x32"\n[[layers]]\nop = "conv2d"\nout_channels = 8\nkernel = 3\n', "input"),
    ("toml", 'input = [1, 3, 32, 32]\n[[layers]]\nop = "conv2d"\nout_channels = 8\nkernel = "３"\n', "kernel"),
    ("toml", 'input = [1, 3, 32, 32]\n[[layers]]\nop = "conv2d"\nout_channels = 8\nkernel = 3\nstride = "1_0"\n',
     "stride"),
    ("toml", 'input = [1, 3, 32, 32]\n[[layers]]\nop = "conv2d"\nout_channels = 8\nkernel = 3\n'
             'expect = "1x８x30x30"\n', "expect"),
]


@pytest.mark.parametrize("ext,text,field", SPEC_BAD)
def test_spec_files_take_ascii_digits_only(tmp_path: Any, ext: str, text: str, field: str) -> None:
    """A spec's strings are read by the one integer parser: full-width digits and 1_000 are not numbers
    (a TOML integer literal 1_000 is TOML's own syntax for 1000 and stays one)."""
    path = tmp_path / f"net.{ext}"
    path.write_text(text, encoding="utf-8")
    code, out = invoke_json("summary", str(path), "--json")
    assert code == 2, out
    assert field in json.loads(out)["error"]


def test_spec_input_override_and_chain_take_ascii_digits_only(tmp_path: Any) -> None:
    path = tmp_path / "net.toml"
    path.write_text('input = [1, 3, 32, 32]\n[[layers]]\nop = "conv2d"\nout_channels = 8\nkernel = 3\n')
    assert invoke_json("summary", str(path), "--json")[0] == 0
    for args in (["summary", str(path), "--input", "1x3x３２x32"], ["chain", "--input", "1x3x３２x32", "conv2d 8 k=3"],
                 ["chain", "--input", "1x3x32x32", "conv2d 8 k=3 s=1_0"], ["sweep", str(path), "--range", "1..３２"]):
        code, out = invoke_json(*args, "--json")
        assert code == 2 and json.loads(out)["rule"] in ("bad-spec", "not-an-integer", "bad-range"), (args, out)


def test_toml_integer_literal_with_underscores_is_tomls_own_syntax(tmp_path: Any) -> None:
    path = tmp_path / "net.toml"
    path.write_text('input = [1, 3, 1_024, 32]\n[[layers]]\nop = "conv2d"\nout_channels = 8\nkernel = 3\n')
    code, out = invoke_json("summary", str(path), "--json")
    assert code == 0 and json.loads(out)["output"] == [1, 8, 1022, 30]


# ---------------------------------------------------------------------------- issue 10 #6: integer types
HUGE = "1" + "0" * 31  # 10**31: no framework stores it (int64 is at most 9223372036854775807)


@pytest.mark.parametrize("args,limit", [
    (["conv2d", "--i", "64", "--k", "3", "--p", HUGE], "2147483647"),
    (["conv2d", "--i", HUGE, "--k", "3"], "2147483647"),
    (["conv2d", "--i", "64", "--k", HUGE], "65536"),
    (["conv-transpose2d", "--i", "64", "--k", "3", "--p", HUGE], "2147483647"),
    (["maxpool2d", "--i", "64", "--k", "3", "--p", f"0:{HUGE}"], "2147483647"),
    (["chain", "--input", f"1x{HUGE}x8x8", "conv2d 8 k=3"], "9223372036854775807"),
    (["chain", "--input", "1x3x8x8", f"conv2d {HUGE} k=3"], "2147483647"),
    (["chain", "--input", "1x3x8x8", f"conv2d 8 k=3 g={HUGE}"], "2147483647"),
])
def test_huge_integers_are_convshapes_limit_naming_it(args: list[str], limit: str) -> None:
    """issue 10 #6: conv2d --p 10**31 printed an output near 2e31; now a usage error naming the limit,
    without echoing the 32 digits."""
    code, out = invoke_json(*args, "--json")
    data = json.loads(out)
    assert code == 2 and data["rule"] == "convshape-limit", out
    message = data["error"].rpartition("): ")[2]  # a chain names its layer by its text first
    assert limit in message and message.endswith("a 32-digit number") and HUGE not in message


@pytest.mark.parametrize("framework,message", [
    ("torch", "upsample_nearest2d(): argument 'output_size' failed to unpack the object at pos 1 with error "
              "\"Overflow when unpacking long long"),  # torch 2.13, F.interpolate(x, size=(10**31, 8))
    ("onnx", "does not fit int64"), ("onnxruntime", "does not fit int64"),
    # jax 0.10.2 (tests/data/observed_jax_limits.json): 'nearest' parses sizes as int32
    ("jax", "An overflow was encountered while parsing an argument to a jitted computation"),
    ("tf", "'size' must be a 1-D int32 Tensor"), ("keras", "'size' must be a 1-D int32 Tensor"),
])
def test_resize_sizes_beyond_the_frameworks_integer_type(framework: str, message: str) -> None:
    """A resize size is the framework's to reject (its integer type): exit 1 in its words."""
    code, out = invoke_json("upsample", "--i", "8,8", "--size", f"{HUGE},8", "--mode", "nearest", "-f", framework,
                            "--json")
    data = json.loads(out)
    assert code == 1 and data["rule"] == "size-overflow" and message in data["error"], out
    assert HUGE not in data["error"]


def test_tensor_sizes_beyond_int64_are_rejected() -> None:
    code, out = invoke("pixel-shuffle", "--i", f"1x{HUGE}x4x4", "--r", "2")  # a Click callback: usage text
    assert code == 2 and "9223372036854775807" in out and HUGE not in out


@pytest.mark.parametrize("args,name", [
    (["conv2d", "--i", "64", "--k", "3", "--p", "3000000000"], "padding"),  # fits int64, not int32
    (["conv2d", "--i", "64", "--k", "3", "--p", "-3000000000"], "padding"),
    (["avgpool2d", "--i", "64", "--k", "3", "--p", "2147483648:0", "-f", "onnx"], "padding"),
    (["chain", "--input", "1x3000000000x8x8", "conv2d 8 k=3"], "input"),
    (["chain", "--input", "1x3x8x8", "conv2d 3000000000 k=3"], "out_channels"),
    (["chain", "--input", "1x3x8x8", "flatten", "dense 3000000000"], "out_features"),
])
def test_sizes_paddings_and_channels_beyond_int32_are_convshapes_limit(args: list[str], name: str) -> None:
    """convshape keeps sizes, paddings and channels in the int32 range TF and Caffe store sizes in (limits.py),
    so no computed size leaves int64; a usage error (exit 2) that names the limit."""
    code, out = invoke_json(*args, "--json")
    data = json.loads(out)
    assert code == 2 and data["rule"] == "convshape-limit" and name in data["error"], out
    assert "2147483647" in data["error"]


def test_limits_at_the_edge_are_accepted() -> None:
    """2**31-1 is the largest padding / channel count convshape takes (10**31 used to print 2e31)."""
    assert conv(64, 3, padding=2**31 - 1).output == (64 + 2 * (2**31 - 1) - 2,)
    assert chain("1x3x8x8", [f"conv2d {2**31 - 1} k=3"]).output == (1, 2**31 - 1, 6, 6)
    with pytest.raises(ShapeError, match="int64") as info:
        tensor_shape([1, 2**63])
    assert info.value.rule == "convshape-limit"
    assert tensor_shape([1, 2**63 - 1]) == (1, 2**63 - 1)
