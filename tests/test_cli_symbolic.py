"""CLI: the constraints in sweep's report, --emit, summary/chain --formulas (text, JSON keys,
exit codes), with values cross-checked by hand: the U-Net's four stride-2 poolings undone by four
stride-2 transposed convolutions need multiples of 16; LeNet-5's fc1 (in_features=400 = 16*5*5)
fixes 32 <= n <= 35."""

from __future__ import annotations

import json

from click.testing import CliRunner

from convshape.cli.main import main

UNET = "examples/networks/unet.toml"
FCN = "examples/networks/fcn.toml"
LENET = "examples/networks/lenet5.json"


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), env={"NO_COLOR": "1", "COLUMNS": "200"})
    return result.exit_code, result.stdout, result.stderr


def test_sweep_prints_constraints_with_causes() -> None:
    code, out, _ = invoke("sweep", UNET)
    assert code == 0
    assert "constraints: n >= 16, n ≡ 0 (mod 16)" in out
    assert "n ≡ 0..7 (mod 16)        cat4: up4 = 2 * floor(H / 16) must equal skip4 = floor(H / 8) (on axes H, W)" \
        in out
    assert "n >= 16                  pool4 (maxpool2d) rejects 15" in out


def test_sweep_emit_torch_export_text_and_json() -> None:
    code, out, _ = invoke("sweep", UNET, "--emit", "torch-export")
    assert code == 0
    assert '    h = Dim("h", min=1, max=256)' in out
    assert '    dynamic_shapes = {"x": {2: 16 * h, 3: 16 * w}}' in out
    code, out, _ = invoke("sweep", UNET, "--emit", "torch-export", "--emit", "jax", "--emit", "tensorrt",
                          "--emit", "onnx", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["constraints"]["reduced"] == "n >= 16, n ≡ 0 (mod 16)"
    assert data["constraints"]["period"] == 16 and data["constraints"]["residues"] == [0]
    causes = [c["cause"] for c in data["constraints"]["constraints"]]
    assert any(c.startswith("cat1: up1 = 16 * floor(H / 16) must equal skip1 = H") for c in causes)
    torch_export = data["emit"]["torch-export"]
    assert torch_export["exact"] is True
    assert torch_export["dynamic_shapes"] == {"x": {"2": "16 * h", "3": "16 * w"}}
    assert torch_export["dims"] == {"h": {"min": 1, "max": 256}, "w": {"min": 1, "max": 256}}
    assert torch_export["backed_size_oblivious"] is True  # H = 16 leaves the bottleneck 1 x 1
    assert data["emit"]["jax"]["shape"] == "1, 3, 16*h, 16*w"
    assert data["emit"]["jax"]["constraints"] == ["h >= 1", "h <= 256", "w >= 1", "w <= 256"]
    assert (data["emit"]["tensorrt"]["min"], data["emit"]["tensorrt"]["opt"], data["emit"]["tensorrt"]["max"]) == \
        ("1x3x16x16", "1x3x256x256", "1x3x4096x4096")
    assert data["emit"]["onnx"]["output"] == ["1", "2", "16*(H // 16)", "16*(W // 16)"]


def test_runs_of_sizes_are_not_one_progression_and_say_so() -> None:
    code, out, _ = invoke("sweep", FCN, "--axis", "0", "--emit", "jax", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["constraints"]["reduced"] == "H >= 32, H ≡ 0..15 (mod 32)"
    jax = data["emit"]["jax"]
    assert jax["exact"] is False and jax["shape"] == "1, 32*h, 32*w, 3"
    assert any("not one arithmetic progression" in n and "pad H up to the next size ≡ 0 (mod 32)" in n
               for n in jax["notes"])


def test_fixed_head_constraints() -> None:
    code, out, _ = invoke("sweep", LENET, "--json")
    assert code == 0
    data = json.loads(out)
    assert data["constraints"]["reduced"] == "n = 32, 33, 34, 35"
    assert any("in_features=400" in c["cause"] for c in data["constraints"]["constraints"])


def test_summary_formulas() -> None:
    code, out, _ = invoke("summary", LENET, "--formulas")
    assert code == 0
    assert "pool2    maxpool2d  floor(H / 4) - 3, floor(W / 4) - 3" in out
    assert "constraints: n = 32, 33, 34, 35" in out
    code, out, _ = invoke("summary", UNET, "--formulas", "--json")
    data = json.loads(out)
    layers = {layer["name"]: layer for layer in data["layers"]}
    assert layers["up4"]["formula"] == {"H": "2 * floor(H / 16)", "W": "2 * floor(W / 16)"}
    assert layers["up4"]["python"]["H"] == "2*(H // 16)"
    assert layers["pool1"]["layer"]["H"]["condition"] == "x >= 2"
    assert data["constraints"]["reduced"] == "n >= 16, n ≡ 0 (mod 16)"


def test_chain_formulas_ceil_mode() -> None:
    code, out, _ = invoke("chain", "--input", "1x3x64x64", "conv2d 8 k=3 s=2 p=1", "maxpool2d k=3 s=2 ceil_mode=true",
                          "--formulas", "--json")
    assert code == 0
    data = json.loads(out)
    # torch: conv (H + 2 - 3) // 2 + 1 = ceil(H / 2); pool ceil((x - 3) / 2) + 1 = floor(x / 2) (its last
    # window always starts inside), so floor(ceil(H / 2) / 2) = floor((H + 1) / 4): 63 -> 32 -> 16
    assert data["layers"][0]["formula"]["H"] == "ceil(H / 2)"
    assert data["layers"][1]["formula"]["H"] == "floor((H + 1) / 4)"
    assert data["layers"][1]["layer"]["H"]["formula"] == "floor(x / 2)"


def test_bad_emit_target_is_a_usage_error() -> None:
    code, _, err = invoke("sweep", UNET, "--emit", "tflite")
    assert code == 2 and "tflite" in err


def test_summary_prints_the_constraints_after_the_table() -> None:
    code, out, _ = invoke("summary", UNET)
    assert code == 0
    tail = out[out.index("RF: receptive field"):]
    assert "valid square inputs (every spatial axis n, 1..4096): n >= 16, n ≡ 0 (mod 16)" in tail
    assert "n ≡ 0 (mod 16)           cat1: up1 = 16 * floor(H / 16) must equal skip1 = H (on axes H, W)" in tail
    code, out, _ = invoke("summary", UNET, "--json")
    data = json.loads(out)
    assert code == 0 and data["ok"] is True
    c = data["constraints"]
    assert c["reduced"] == "n >= 16, n ≡ 0 (mod 16)" and c["minimum"] == 16 and c["period"] == 16
    assert "constraint_notes" not in data
    # LeNet-5: fc1's in_features=400 = 16 * 5 * 5 fixes 32 <= n <= 35 (floor(n / 4) - 3 = 5)
    code, out, _ = invoke("summary", LENET, "--json")
    assert json.loads(out)["constraints"]["fixed"] == [32, 33, 34, 35]


def test_summary_of_a_failing_input_still_says_which_inputs_work() -> None:
    code, out, _ = invoke("summary", UNET, "--i", "1x3x250x250")
    assert code == 1
    assert out.index("error: cat4 (concat)") < out.index("valid square inputs (every spatial axis n, 1..4096): "
                                                         "n >= 16, n ≡ 0 (mod 16)")


def test_summary_without_spatial_axes_has_no_constraints(tmp_path: object) -> None:
    from pathlib import Path

    path = Path(str(tmp_path)) / "mlp.json"
    path.write_text(json.dumps({"input": [1, 10], "layers": [{"op": "linear", "out_features": 4}]}))
    code, out, _ = invoke("summary", str(path), "--json")
    assert code == 0 and json.loads(out)["constraints"] is None
    code, out, _ = invoke("summary", str(path))
    assert code == 0 and "valid square inputs" not in out


def test_sweep_reports_a_maximum(tmp_path: object) -> None:
    """nn.Upsample(scale_factor=65536) then a conv: its input passes convshape's int32 limit
    (2**31 - 1) from n = 32768 on (32768 * 65536 = 2**31)."""
    from pathlib import Path

    path = Path(str(tmp_path)) / "tall.json"
    path.write_text(json.dumps({"input": [1, 1, 8, 8], "layers": [
        {"op": "upsample", "scale": 65536}, {"op": "conv2d", "out_channels": 1, "kernel": 3, "name": "conv"}]}))
    code, out, _ = invoke("sweep", str(path), "--range", "32000..33999", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["valid"] == [{"start": 32000, "stop": 32767, "step": 1}]
    c = data["constraints"]
    assert c["maximum"] == 32767 and c["reduced"] == "n >= 32000, n <= 32767"
    (top,) = [k for k in c["constraints"] if k["kind"] == "max"]
    assert top["constraint"] == "n <= 32767" and top["value"] == 32767
    assert top["cause"].startswith("conv (conv2d) rejects 32768: input must be at most 2147483647")
    code, out, _ = invoke("sweep", str(path), "--range", "32000..33999")
    assert "n <= 32767" in out and "constraints: n >= 32000, n <= 32767" in out


def test_summary_of_a_model_file_has_no_constraints() -> None:
    code, out, _ = invoke("summary", "examples/models/unet.onnx", "--i", "1x1x64x64", "--json")
    assert code == 0 and json.loads(out)["constraints"] is None
