"""CLI: summary, chain, check and sweep (tables, JSON keys, exit codes, error messages)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from convshape.cli.main import main

UNET = "examples/networks/unet.toml"


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), env={"NO_COLOR": "1", "COLUMNS": "200"})
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("command", ["summary", "chain", "check", "sweep", "net", "network"])
def test_help(command: str) -> None:
    code, out, _ = invoke(command, "--help")
    assert code == 0 and "Examples:" in out


def test_summary_table() -> None:
    code, out, _ = invoke("summary", UNET)
    assert code == 0
    rows = {line.split()[0]: line.split() for line in out.splitlines() if line.strip()}
    # layer, op, output, weights..., then params and MACs
    assert rows["enc1a"][:3] == ["enc1a", "conv2d", "1x64x256x256"]
    assert "(64, 3, 3, 3) + (64)" in out
    assert rows["pool4"][2] == "1x512x16x16"
    assert rows["head"][2] == "1x2x256x256" and rows["head"][-1] == "ok"
    assert rows["total"][1:3] == ["1x2x256x256", "31,031,810"]


def test_summary_json_keys() -> None:
    code, out, _ = invoke("summary", UNET, "--json")
    assert code == 0
    report = json.loads(out)
    assert report["ok"] is True and report["errors"] == []
    assert report["input"] == [1, 3, 256, 256] and report["output"] == [1, 2, 256, 256]
    layer = report["layers"][0]
    for key in ("name", "op", "shape", "params", "macs", "receptive_field", "jump", "start", "weight_shape",
                "pad_before", "pad_after"):
        assert key in layer
    assert layer["shape"] == [1, 64, 256, 256] and layer["params"] == 1792 and layer["receptive_field"] == [3, 3]
    pool = next(x for x in report["layers"] if x["name"] == "pool1")
    assert pool["jump"] == [2, 2] and pool["start"] == [0.5, 0.5]


def test_summary_failing_input_exits_1_with_torch_words() -> None:
    code, out, _ = invoke("summary", UNET, "--i", "1x3x250x250")
    assert code == 1
    assert "error: cat4 (concat) [skip-mismatch]: Sizes of tensors must match except in dimension 1" in out
    code, out, _ = invoke("summary", UNET, "--i", "1x3x250x250", "--json")
    report = json.loads(out)
    assert code == 1 and report["ok"] is False
    assert report["errors"][0]["layer"] == "cat4" and report["errors"][0]["rule"] == "skip-mismatch"


def test_chain_resnet_stem() -> None:
    code, out, _ = invoke("chain", "--input", "1x3x224x224", "conv2d 64 k=7 s=2 p=3 bias=false", "batchnorm",
                          "relu", "maxpool2d k=3 s=2 p=1", "--json")
    assert code == 0
    report = json.loads(out)
    assert [x["shape"] for x in report["layers"]] == [[1, 64, 112, 112]] * 3 + [[1, 64, 56, 56]]
    assert [x["params"] for x in report["layers"]] == [9408, 128, 0, 0]
    assert report["layers"][-1]["receptive_field"] == [11, 11] and report["layers"][-1]["jump"] == [4, 4]


def test_chain_keras_layouts() -> None:
    code, out, _ = invoke("chain", "--input", "1x28x28x1", "--data-format", "NHWC", "-f", "keras",
                          "conv2d 32 k=3 p=same", "maxpool2d k=2", "flatten", "dense 10", "--json")
    assert code == 0
    layers = json.loads(out)["layers"]
    assert layers[0]["shape"] == [1, 28, 28, 32] and layers[0]["weight_shape"] == [[3, 3, 1, 32], [32]]
    assert layers[1]["shape"] == [1, 14, 14, 32]
    assert layers[3]["shape"] == [1, 10] and layers[3]["weight_shape"] == [[6272, 10], [10]]


@pytest.mark.parametrize(("layers", "message"), [
    (["conv2d k=3"], "conv2d needs out_channels"),
    (["conv9d 4 k=3"], "unknown op 'conv9d'"),
    (["conv2d 4 k=3 kernal=4"], "conv2d takes no key 'kernal'"),
    (["conv2d four k=3"], "expected a number of channels"),
    (["add inputs=nowhere,input"], "inputs names 'nowhere', which is no earlier layer"),
])
def test_chain_mistakes_are_usage_errors(layers: list[str], message: str) -> None:
    code, _, err = invoke("chain", "--input", "1x3x32x32", *layers)
    assert code == 2 and message in err and "Traceback" not in err
    code, out, _ = invoke("chain", "--input", "1x3x32x32", *layers, "--json")
    assert code == 2 and json.loads(out.splitlines()[0])["rule"] == "bad-spec"


def test_chain_groups_rule_exits_1() -> None:
    code, out, _ = invoke("chain", "--input", "1x6x8x8", "conv2d 8 k=3 g=4")
    assert code == 1
    assert "in_channels must be divisible by groups, but got in_channels=6, groups=4" in out


def test_check_files(tmp_path: Path) -> None:
    good = tmp_path / "good.json"
    good.write_text(json.dumps({"input": [1, 1, 8, 8], "layers": [{"op": "conv2d", "out_channels": 2, "kernel": 3,
                                                                    "expect": [1, 2, 6, 6]}]}))
    bad = tmp_path / "bad.toml"
    bad.write_text('input = [1, 1, 8, 8]\n[[layers]]\nname = "c"\nop = "conv2d"\nout_channels = 2\nkernel = 3\n'
                   'expect = [1, 2, 8, 8]\n')
    code, out, _ = invoke("check", str(good))
    assert code == 0 and out.startswith("ok    ") and "1 of 1 file ok" in out
    code, out, _ = invoke("check", str(good), str(bad))
    assert code == 1
    assert "FAIL  " in out and "layer c (conv2d) [expect]: expected shape [1, 2, 8, 8], but the layer gives " \
                              "[1, 2, 6, 6]" in out
    code, out, _ = invoke("check", str(good), str(bad), "--json")
    report = json.loads(out)
    assert code == 1 and report["ok"] is False
    assert [f["file"] for f in report["files"]] == [str(good), str(bad)]
    assert [f["ok"] for f in report["files"]] == [True, False]
    assert report["files"][1]["errors"] == [{"layer": "c", "rule": "expect",
                                             "message": "expected shape [1, 2, 8, 8], but the layer gives "
                                                        "[1, 2, 6, 6]"}]


def test_check_malformed_file_exits_2_and_others_still_checked(tmp_path: Path) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text("input = [1, 3\n")
    code, out, _ = invoke("check", UNET, str(broken))
    assert code == 2
    assert f"ok    {UNET}" in out and "not valid TOML" in out
    code, out, _ = invoke("check", str(tmp_path / "missing.toml"), "--json")
    assert code == 2 and "cannot read the spec" in json.loads(out)["files"][0]["errors"][0]["message"]


def test_sweep_text_and_json() -> None:
    code, out, _ = invoke("sweep", UNET, "--range", "1..1000000")
    assert code == 0
    assert "valid: 62,500 sizes" in out and "every multiple of 16 from 16 to 1000000" in out
    code, out, _ = invoke("sweep", UNET, "--range", "1..4096", "--json")
    report = json.loads(out)
    assert code == 0 and report["range"] == [1, 4096]
    assert report["valid"] == [{"start": 16, "stop": 4096, "step": 16}]


def test_sweep_nothing_valid_exits_1_and_bad_range_exits_2() -> None:
    code, out, _ = invoke("sweep", UNET, "--range", "1..15")
    assert code == 1 and "no size in the range is valid" in out
    code, _, err = invoke("sweep", UNET, "--range", "9..3")
    assert code == 2 and "range must satisfy 1 <= lo <= hi" in err


def test_sweep_runs_read_as_one_row() -> None:
    # fcn.toml's add needs an even pool4: heights 32..47 of every 32 (16 progressions in JSON)
    code, out, _ = invoke("sweep", "examples/networks/fcn.toml", "--axis", "0")
    assert code == 0
    assert "32..47, 64..79, ..., 4096 (runs of 16, every 32)  32     4096  32    2,033" in out
    code, out, _ = invoke("sweep", "examples/networks/fcn.toml", "--axis", "0", "--json")
    valid = json.loads(out)["valid"]
    assert len(valid) == 16 and valid[0] == {"start": 32, "stop": 4096, "step": 32}
    assert valid[1] == {"start": 33, "stop": 4065, "step": 32}
