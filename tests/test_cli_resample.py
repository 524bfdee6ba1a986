"""CLI tests for upsample, interpolate, pixel-shuffle and pixel-unshuffle (Click's CliRunner)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from convshape.cli.main import main

COMMANDS = ["upsample", "interpolate", "pixel-shuffle", "pixel-unshuffle"]
ALIASES = {"upsampling": "upsample", "resize": "interpolate", "pixelshuffle": "pixel-shuffle",
           "depth-to-space": "pixel-shuffle", "subpixel": "pixel-shuffle", "pixelunshuffle": "pixel-unshuffle",
           "space-to-depth": "pixel-unshuffle", "pixel_shuffle": "pixel-shuffle", "PixelShuffle": "pixel-shuffle"}


def run(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.mark.parametrize("command", [*COMMANDS, *ALIASES])
def test_help_runs_on_every_command(command):
    result = run(command, "--help")
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output and "Examples:" in result.output
    if command in ("upsample", "interpolate", "upsampling", "resize"):
        assert "--crop-to-aspect-ratio" in result.output and "Resizing" in result.output


@pytest.mark.parametrize("alias, command", ALIASES.items())
def test_aliases_reach_the_command(alias, command):
    args = ["--i", "1x8x4x4", "--r", "2"] if "shuffle" in command else ["--i", "4", "--scale", "2"]
    result = run(alias, *args, "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["op"].startswith(command)


def test_upsample_plain_table_when_piped():
    result = run("upsample", "--i", "37", "--scale", "1.5")
    assert result.exit_code == 0, result.output
    assert "input 37 -> output 55" in result.output
    assert "trunc(37 x 1.5 = 55.5)" in result.output
    assert "scale used for sampling" in result.output and "0.666667" in result.output
    assert "\x1b[" not in result.output


def test_interpolate_json_contract():
    result = run("interpolate", "--i", "64,48", "--scale", "1/3", "--mode", "bilinear", "--recompute-scale-factor",
                 "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["op"] == "interpolate" and data["framework"] == "torch" and data["mode"] == "bilinear"
    assert data["input"] == [64, 48] and data["output"] == [21, 16]
    assert data["align_corners"] is False and data["recompute_scale_factor"] is True
    axis = data["axes"][0]
    assert axis["input"] == 64 and axis["output"] == 21 and axis["pad_before"] == 0 and axis["pad_after"] == 0
    assert axis["scale_used"] is None and axis["source_step"] == pytest.approx(64 / 21)


def test_scale_passed_to_the_kernel_in_json():
    data = json.loads(run("upsample", "--i", "37", "--scale", "1.5", "--mode", "linear", "--json").output)
    assert data["axes"][0]["scale_used"] == 1.5 and data["axes"][0]["sampling_scale"] == 1.5
    assert data["notes"] and "recompute_scale_factor=True" in data["notes"][0]


def test_keras_and_tf():
    data = json.loads(run("upsample", "--i", "28,28", "--scale", "2,3", "-f", "keras", "--mode", "bilinear",
                          "--json").output)
    assert data["output"] == [56, 84] and data["layer"] == "keras.layers.UpSampling2D"
    data = json.loads(run("resize", "--i", "375,500", "--size", "224,224", "-f", "tensorflow", "--json").output)
    assert data["output"] == [224, 224] and data["framework"] == "tf" and data["mode"] == "bilinear"


def test_keras_resizing_with_size():
    """-f keras --size is keras.layers.Resizing(height, width) (values from keras 3.15.1 / tensorflow 2.21)."""
    data = json.loads(run("interpolate", "--i", "10", "--size", "10,12", "-f", "keras", "--json").output)
    assert data["layer"] == "keras.layers.Resizing" and data["op"] == "interpolate" and data["mode"] == "bilinear"
    assert data["input"] == [10, 10] and data["output"] == [10, 12] and data["axes"][1]["scale_used"] is None
    data = json.loads(run("resize", "--i", "375,500", "--size", "224,224", "-f", "keras", "--pad-to-aspect-ratio",
                          "--mode", "nearest", "--antialias", "--json").output)
    assert data["output"] == [224, 224] and data["antialias"] is True
    assert [(a["pad_before"], a["pad_after"]) for a in data["axes"]] == [(62, 62), (0, 0)]
    assert data["axes"][0]["source_step"] == 499 / 224 and "padded to 499x500" in data["notes"][0]
    out = run("upsample", "--i", "375,500", "--size", "224,224", "-f", "keras", "--crop-to-aspect-ratio").output
    assert "input 375x500 -> output 224x224" in out and "size as given" in out and "1.67411" in out
    assert "note: crop_to_aspect_ratio: keras resizes the centred 375x375 window (rows 0..375, columns 62..437)" in out
    data = json.loads(run("interpolate", "--i", "5,7", "--size", "4294967299,12", "-f", "keras", "--json").output)
    assert data["output"] == [3, 12] and "wraps it to 3" in data["warnings"][0]


def test_pixel_shuffle_json_has_the_whole_shape():
    result = run("pixel-shuffle", "--input", "1x9x4x4", "--r", "3", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["shape"] == [1, 1, 12, 12] and data["input"] == [4, 4] and data["output"] == [12, 12]
    assert data["axes"][1] == {"input": 4, "factor": 3, "output": 12, "pad_before": 0, "pad_after": 0}
    data = json.loads(run("pixel-shuffle", "--i", "2,8,8,12", "--r", "2", "-f", "tf", "--json").output)
    assert data["shape"] == [2, 16, 16, 3] and data["data_format"] == "NHWC"
    data = json.loads(run("subpixel", "--i", "64x8192x32", "--r", "2", "-f", "tf", "--data-format", "nwc",
                          "--json").output)
    assert data["shape"] == [64, 16384, 16] and data["op"] == "pixel-shuffle"


def test_pixel_shuffle_table():
    out = run("pixel-unshuffle", "--i", "1x1x12x12", "--r", "3").output
    assert "shape 1x1x12x12 -> 1x9x4x4" in out
    assert "Per dimension" in out and "1 x 9" in out and "12 / 3" in out


@pytest.mark.parametrize("args, text", [
    (["pixel-shuffle", "--i", "1x7x4x4", "--r", "2"], "input.size(-3)=7 is not divisible by 4"),
    (["pixel-unshuffle", "--i", "1x1x5x4", "--r", "2"], "input.size(-2)=5 is not divisible by 2"),
    (["pixel-shuffle", "--i", "1x4x4x7", "--r", "2", "-f", "tf"], "Input depth dimension 7 should be divisible by: 4"),
    (["upsample", "--i", "4,4", "--scale", "2", "--mode", "linear"], "Got 4D input, but linear mode needs 3D input"),
    (["upsample", "--i", "4", "--size", "8", "--scale", "2"], "only one of size or scale_factor should be defined"),
    (["upsample", "--i", "4"], "either size or scale_factor should be defined"),
    (["upsample", "--i", "15", "--scale", "0.01"], "output (W: 0)"),
    (["interpolate", "--i", "4", "--size", "8", "--align-corners"], "align_corners option can only be set"),
    (["upsample", "--i", "5", "--scale", "0", "-f", "onnx"], "onnx: Scale value should be greater than 0."),
    (["upsample", "--i", "5,5", "--scale", "2", "-f", "onnx", "--mode", "bilinear"],
     "onnx: mode attribute is bilinear. It can only be nearest(default) or linear or cubic."),
    (["upsample", "--i", "5", "--scale", "2", "-f", "onnx", "--mode", "cubic", "--ndim", "1"],
     "onnx: 'Cubic' mode only supports:"),
    (["interpolate", "--i", "5,5", "--scale", "2", "-f", "onnx", "--keep-aspect-ratio-policy", "not_larger"],
     "Providing `scales` is incompatible with a `keep_aspect_ratio_policy` other than \"stretch\"."),
    (["pixel-shuffle", "--i", "1x7x4x4", "--r", "2", "-f", "onnx"],
     "onnx: DepthToSpace requires input depth to be a multiple of (block_size * block_size)"),
    (["pixel-unshuffle", "--i", "1x1x5x4", "--r", "2", "-f", "ort"],  # onnxruntime answers as itself
     "onnxruntime: SpaceToDepth requires input height to be a multiple of block_size"),
    (["interpolate", "--i", "5,7", "--size", "3,11", "-f", "jax"],
     "jax: resize() missing 1 required positional argument: 'method'"),
    (["upsample", "--i", "4", "--scale", "2", "-f", "jax", "--mode", "linear"], "jax: jax.image.resize takes shape"),
    (["interpolate", "--i", "0", "--size", "3", "-f", "jax", "--mode", "nearest"],
     "jax: Slice size at index 0 in gather op is out of range"),
    (["pixel-shuffle", "--i", "1x9x4x4", "--r", "3", "-f", "jax"], "jax: no pixel shuffle layer"),
    (["interpolate", "--i", "5,7", "--size", "10,12", "-f", "keras", "--mode", "gaussian"],
     "keras: Invalid value for argument `interpolation`. Expected of one ('bilinear', 'nearest', 'lanczos3', "
     "'lanczos5', 'bicubic', 'area'). Received: interpolation=gaussian"),
    (["interpolate", "--i", "5,7", "--size", "10,12", "-f", "keras", "--crop-to-aspect-ratio",
      "--pad-to-aspect-ratio"], "keras: Only one of `pad_to_aspect_ratio` & `crop_to_aspect_ratio` can be `True`."),
    (["interpolate", "--i", "0,7", "--size", "10,12", "-f", "keras"], "keras: input image must be of non-zero size"),
    (["interpolate", "--i", "5,7", "--size", "10,-3", "-f", "keras"], "keras: Dimension -3 must be >= 0"),
    (["interpolate", "--i", "5,7", "--size", "10,12", "--scale", "2", "-f", "keras"], "give size or scale, not both"),
    (["upsample", "--i", "5,7", "--scale", "2", "-f", "keras", "--pad-to-aspect-ratio"],
     "keras: pad_to_aspect_ratio is keras.layers.Resizing's; keras UpSampling has no such argument"),
    (["interpolate", "--i", "5,7", "--size", "3,3", "-f", "tf", "--crop-to-aspect-ratio"],
     "tf: crop_to_aspect_ratio is keras.layers.Resizing's; tf.image.resize has no such argument"),
    (["pixel-shuffle", "--i", "1x4x4x9", "--r", "1", "-f", "keras"],
     "keras: `block_size` must be at least 2. Received: block_size=1"),
    (["pixel-unshuffle", "--i", "1x1x4x4", "--r", "2", "-f", "caffe"], "caffe: no pixel unshuffle layer"),
    (["upsample", "--i", "4", "--scale", "2", "-f", "caffe"], "use a caffe conv-transpose2d (r = 2: kernel=4"),
])
def test_framework_rejections_exit_1_with_one_line(args, text):
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1, result.output
    assert text in result.stderr and result.stderr.strip().count("\n") == 0
    data = json.loads(CliRunner().invoke(main, [*args, "--json"]).stdout)
    assert text.split(": ", 1)[-1] in data["error"]
    assert data["framework"] == (args[args.index("-f") + 1].replace("ort", "onnxruntime") if "-f" in args else "torch")
    assert data["rule"] != "unknown-framework"


def test_onnx_and_jax_json():
    data = json.loads(run("upsample", "--i", "100,50", "--scale", "0.29,2.3", "-f", "onnx", "--json").output)
    assert data["output"] == [28, 114] and data["layer"] == "onnx Resize" and data["framework"] == "onnx"
    assert data["warnings"][0].startswith("onnxruntime 1.31 gives 29x115, not the spec's 28x114")
    data = json.loads(run("resize", "--i", "375,500", "--size", "224,224", "-f", "onnx", "--keep-aspect-ratio-policy",
                          "not_smaller", "--mode", "linear", "--json").output)
    assert data["output"] == [224, 299] and data["axes"][0]["scale_used"] == pytest.approx(224 / 375)
    data = json.loads(run("interpolate", "--i", "5,7", "--size", "3,11", "-f", "jax", "--mode", "lanczos3",
                          "--json").output)
    assert data["output"] == [3, 11] and data["layer"] == "jax.image.resize" and data["antialias"] is True
    data = json.loads(run("pixel-shuffle", "--i", "2x8x8x12", "--r", "2", "-f", "tf.keras", "--json").output)
    assert data["shape"] == [2, 16, 16, 3] and data["layer"] == "keras.ops.depth_to_space"
    data = json.loads(run("depth-to-space", "--i", "1x9x4x4", "--r", "3", "-f", "onnx", "--json").output)
    assert data["shape"] == [1, 1, 12, 12] and data["layer"] == "onnx DepthToSpace" and data["data_format"] == "NCHW"


def test_onnx_plain_table():
    out = run("upsample", "--i", "100", "--scale", "0.29", "-f", "onnx").output
    assert "input 100 -> output 28" in out and "floor(100 x float32 0.28999999165534973)" in out
    assert "warning: onnxruntime 1.31 gives 29" in out


@pytest.mark.parametrize("args", [
    ["upsample", "--i", "4", "--scale", "abc"],
    ["upsample", "--i", "x", "--scale", "2"],
    ["upsample", "--scale", "2"],
    ["upsample", "--i", "4", "--scale", "2", "--mode", "bogus"],
    ["upsample", "--i", "4", "--scale", "2", "-f", "mxnet"],
    ["upsample", "--i", "4,4", "--scale", "2,2,2"],
    ["upsample", "--i", "4", "--size", "8", "-f", "onnx", "--keep-aspect-ratio-policy", "bogus"],
    ["pixel-shuffle", "--i", "1x9x4x4"],
    ["pixel-shuffle", "--i", "1x-9x4", "--r", "3"],
    ["pixel-shuffle", "--i", "1x9x4x4", "--r", "1.5"],
    ["pixel-shuffle", "--i", "1x9x4x4", "--r", "3", "-f", "mxnet"],
])
def test_usage_errors_exit_2(args):
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output


def test_rich_tables():
    from rich.console import Console

    from convshape.render.conv import rich_print
    from convshape.render.resample import interpolate_report, pixel_shuffle_report
    from convshape.api.resample import interpolate, pixel_shuffle

    console = Console(width=160, record=True, force_terminal=True, color_system=None)
    rich_print(interpolate_report(interpolate("37,20", scale=1.5, mode="bilinear")), console)
    rich_print(pixel_shuffle_report(pixel_shuffle("1x9x4x4", 3)), console)
    text = console.export_text()
    assert "─────" in text and "scale used for sampling" in text and "Per dimension" in text


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["--i", "--size", "--scale", "--mode", "bilinear", "area", "-f", "keras", "tf",
                                 "--align-corners", "--recompute-scale-factor", "--antialias", "--json", "--r",
                                 "onnx", "jax", "caffe", "cubic", "--keep-aspect-ratio-policy", "not_larger",
                                 "--data-format", "NWC", "4", "0", "-1", "1/3", "1.5", "2,3", "1x9x4x4", "x",
                                 "--crop-to-aspect-ratio", "--pad-to-aspect-ratio", "4294967299",
                                 "1e30", "nan"]), max_size=10), st.sampled_from(COMMANDS))
def test_no_traceback_whatever_the_input(args, command):
    result = CliRunner().invoke(main, [command, *args])
    assert result.exit_code in (0, 1, 2)
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit), \
        repr(result.exception)


def test_json_does_not_import_rich():
    code = ("import sys; from convshape.cli.main import main\n"
            "try:\n main(['pixel-shuffle', '--i', '1x9x4x4', '--r', '3', '--json'])\n"
            "except SystemExit: pass\n"
            "assert 'rich' not in sys.modules, 'rich was imported'")
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)


# issue 10 #2: an alias that names a dimension fixes the rank; one value applies to every axis.
# keras.layers.UpSampling2D(2) on (1, 64, 64, 3) gives (1, 128, 128, 3) (keras 3.15); UpSampling1D would give 128.
@pytest.mark.parametrize("command,args,output", [
    ("UpSampling2D", ["--i", "64", "--scale", "2", "-f", "keras"], [128, 128]),
    ("UpSampling3D", ["--i", "4", "--scale", "2", "-f", "keras"], [8, 8, 8]),
    ("UpSampling1D", ["--i", "64", "--scale", "2", "-f", "keras"], [128]),
    ("upsampling2d", ["--i", "8", "--scale", "2"], [16, 16]),
    ("Upsample2d", ["--i", "8,6", "--scale", "2"], [16, 12]),
    ("upsample3d", ["--i", "8", "--size", "5"], [5, 5, 5]),
    ("UpsamplingNearest2d", ["--i", "7", "--scale", "3"], [21, 21]),
])
def test_ranked_upsampling_alias_fixes_the_rank(command, args, output):
    result = run(command, *args, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["output"] == output and data["op"] == f"upsample{len(output)}d"
    if "keras" in args:
        assert data["layer"] == f"keras.layers.UpSampling{len(output)}D"


@pytest.mark.parametrize("args", [["upsampling2d", "--i", "8,8,8", "--scale", "2"],
                                  ["upsample2d", "--i", "8", "--scale", "2", "--ndim", "3"],
                                  ["UpSampling1D", "--i", "8,8", "--scale", "2", "-f", "keras"]])
def test_ranked_upsampling_alias_rejects_another_rank(args):
    result = run(*args, "--json")
    assert result.exit_code == 2 and "spatial axes" in json.loads(result.stdout)["error"]


@pytest.mark.parametrize("args", [["upsample", "--i", "8", "--scale", "2"], ["upsample", "--i", "8,8", "--scale", "2"],
                                  ["UpSampling2D", "--i", "8", "--scale", "2", "-f", "keras"],
                                  ["interpolate", "--i", "8,8", "--scale", "2"], ["resize", "--i", "8", "--scale", "2"],
                                  ["pixel-shuffle", "--i", "1x4x2x2", "--r", "2"],
                                  ["pixel-unshuffle", "--i", "1x1x4x4", "--r", "2"],
                                  ["subpixel", "--i", "1x8x4", "--r", "2", "-f", "tf", "--data-format", "NWC"]])
def test_report_headers_name_real_commands(args):
    """issue 10 #2: no upsample2d-without-a-command, interpolate2d or pixel-shuffle2d in the headers."""
    from convshape.cli.main import COMMANDS

    names = {name for name, _, _ in COMMANDS}
    header = run(*args).output.splitlines()[0].split(" · ")[0]
    assert header in names, header
    assert json.loads(run(*args, "--json").output)["op"] in names


# torch/nn/modules/upsampling.py: UpsamplingBilinear2d(size, scale_factor) is
# Upsample(size, scale_factor, mode='bilinear', align_corners=True): the alias must select both
@pytest.mark.parametrize("args", [["--i", "5,7", "--scale", "2.5"], ["--i", "9", "--size", "4"],
                                  ["--i", "3", "--scale", "3"]])
def test_upsampling_bilinear2d_is_bilinear_with_aligned_corners(args):
    torch = pytest.importorskip("torch")
    result = run("UpsamplingBilinear2d", *args, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert (data["mode"], data["align_corners"]) == ("bilinear", True)
    sizes = [int(v) for v in args[1].split(",")] * (2 if "," not in args[1] else 1)
    value = float(args[3]) if args[2] == "--scale" else None
    layer = torch.nn.UpsamplingBilinear2d(scale_factor=value) if value else torch.nn.UpsamplingBilinear2d(
        size=int(args[3]))
    assert (layer.mode, layer.align_corners) == ("bilinear", True)
    assert data["output"] == list(layer(torch.zeros(1, 1, *sizes)).shape[2:])
    # align_corners=True samples at (input - 1)/(output - 1), whatever the scale
    assert all(a["source_step"] == pytest.approx((a["input"] - 1) / (a["output"] - 1)) for a in data["axes"])
    # an explicit mode still wins
    other = json.loads(run("UpsamplingBilinear2d", *args, "--mode", "bicubic", "--no-align-corners",
                           "--json").output)
    assert (other["mode"], other["align_corners"]) == ("bicubic", False)
