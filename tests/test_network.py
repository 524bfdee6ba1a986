"""Networks through the API: seed goldens (shapes, parameters, MACs, receptive fields), channel
and group rules, weight layouts per framework, chain parsing, expect, skip connections and the
JSON of a report.

Shapes and parameter counts of whole example specs are in test_network_specs.py; every layer
kind is compared with real torch in test_torch_network_differential.py.
"""

from __future__ import annotations

import json
import math
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from convshape import ShapeError, conv
from convshape.network.evaluate import chain, network


def only(report):
    """The single layer of a one-layer report, which must be valid."""
    assert report.ok, [layer.error for layer in report.layers]
    return report.layers[-1]


# ---------------------------------------------------------------------------- seed 003
# 003_4e276e15579779a6.txt, PyTorch's shape examples (confirmed with torch 2.13 in
# test_torch_network_differential.py's random chains and in test_seeds_conv.py per axis)
SEED_003_SHAPES = [
    ("20x16x50", "conv1d 33 k=3 s=2", (20, 33, 24)),
    ("20x16x50x100", "conv2d 33 k=3 s=2", (20, 33, 24, 49)),
    ("20x16x50x100", "conv2d 33 k=3,5 s=2,1 p=4,2", (20, 33, 28, 100)),
    ("20x16x50x100", "conv2d 33 k=3,5 s=2,1 p=4,2 d=3,1", (20, 33, 26, 100)),
    ("20x16x10x50x100", "conv3d 33 k=3 s=2", (20, 33, 4, 24, 49)),
    ("20x16x10x50x100", "conv3d 33 k=3,5,2 s=2,1,1 p=4,2,0", (20, 33, 8, 50, 99)),
    ("20x16x50x100", "conv-transpose2d 33 k=3 s=2", (20, 33, 101, 201)),
    ("20x16x50x100", "conv-transpose2d 33 k=3,5 s=2,1 p=4,2", (20, 33, 93, 100)),
    ("20x16x10x50x100", "conv-transpose3d 33 k=3 s=2", (20, 33, 21, 101, 201)),
    ("20x16x10x50x100", "conv-transpose3d 33 k=3,5,2 s=2,1,1 p=0,4,2", (20, 33, 21, 46, 97)),
    ("1x16x12x12", "conv2d 16 k=3 s=2 p=1", (1, 16, 6, 6)),
]


@pytest.mark.parametrize("input,layer,shape", SEED_003_SHAPES)
def test_seed_003_shapes_with_channels(input, layer, shape):
    assert only(chain(input, [layer])).shape == shape


def test_seed_003_transposed_back_to_12_with_output_size():
    # Conv2d(16, 16, 3, stride=2, padding=1): 12x12 -> 6x6; ConvTranspose2d(..., output_size=12x12) -> 12x12
    report = chain("1x16x12x12", ["conv2d 16 k=3 s=2 p=1", "conv-transpose2d 16 k=3 s=2 p=1 o=12,12"])
    assert [layer.shape for layer in report.layers] == [(1, 16, 6, 6), (1, 16, 12, 12)]


def test_seed_003_spatially_separable_multiplications():
    # a 3x3 kernel on a 5x5 image: 9 outputs x 9 = 81 multiplications; 3x1 then 1x3: 15 x 3 + 9 x 3 = 45 + 27
    full = only(chain("1x1x5x5", ["conv2d 1 k=3 bias=false"]))
    assert (full.shape, full.macs, full.params) == ((1, 1, 3, 3), 81, 9)
    report = chain("1x1x5x5", ["conv2d 1 k=3,1 bias=false", "conv2d 1 k=1,3 bias=false"])
    assert [layer.shape for layer in report.layers] == [(1, 1, 3, 5), (1, 1, 3, 3)]
    assert [layer.macs for layer in report.layers] == [45, 27]
    assert report.macs == 72 and report.params == 6


def test_seed_003_depthwise_separable_weights_and_macs():
    # 7x7x3 -> 5x5x128: 128 filters of 3x3x3 (3456 weights, 86400 MACs) against depthwise
    # 3 x (3x3x1) (27, 675) then pointwise 128 x (1x1x3) (384, 9600)
    standard = only(chain("1x3x7x7", ["conv2d 128 k=3 bias=false"]))
    assert (standard.shape, standard.params, standard.macs) == ((1, 128, 5, 5), 3456, 86400)
    report = chain("1x3x7x7", ["depthwise-conv2d k=3 bias=false", "conv2d 128 k=1 bias=false"])
    depthwise, pointwise = report.layers
    assert (depthwise.shape, depthwise.params, depthwise.macs) == ((1, 3, 5, 5), 27, 675)
    assert (pointwise.shape, pointwise.params, pointwise.macs) == ((1, 128, 5, 5), 384, 9600)
    separable = only(chain("1x3x7x7", ["separable-conv2d 128 k=3 bias=false"]))
    assert (separable.shape, separable.params, separable.macs) == ((1, 128, 5, 5), 27 + 384, 675 + 9600)
    assert separable.weight_shape == ((3, 1, 3, 3), (128, 3, 1, 1))
    # the same as a grouped Conv2d(3, 3, 3, groups=3)
    grouped = only(chain("1x3x7x7", ["conv2d 3 k=3 g=3 bias=false"]))
    assert (grouped.weight_shape, grouped.macs) == (depthwise.weight_shape, depthwise.macs)


def test_seed_003_dilated_stack_receptive_fields():
    report = chain("1x1x64x64", ["conv2d 1 k=3 p=1", "conv2d 1 k=3 d=2 p=2", "conv2d 1 k=3 d=4 p=4"])
    assert [layer.receptive_field for layer in report.layers] == [(3, 3), (7, 7), (15, 15)]
    assert all(layer.jump == (1, 1) and layer.shape == (1, 1, 64, 64) for layer in report.layers)


def test_receptive_field_jump_and_start_of_a_stem():
    # conv 7x7/2 p3 then maxpool 3x3/2 p1: rf 7 then 7 + 2*2 = 11; jump 2 then 4; centres at 0
    conv1, pool = chain("1x3x224x224", ["conv2d 64 k=7 s=2 p=3", "maxpool2d k=3 s=2 p=1"]).layers
    assert (conv1.receptive_field, conv1.jump, conv1.start) == ((7, 7), (2, 2), (0, 0))
    assert (pool.receptive_field, pool.jump, pool.start) == ((11, 11), (4, 4), (0, 0))
    # unpadded: output 0 sees inputs 0..2, its centre is input 1
    assert only(chain("1x1x9", ["conv1d 1 k=3"])).start == (1,)


def test_upsampling_makes_the_jump_fractional():
    layer = only(chain("1x1x8x8", ["upsample2d scale=2"]))
    assert layer.jump == (Fraction(1, 2), Fraction(1, 2))
    assert json.loads(json.dumps(chain("1x1x8x8", ["upsample2d scale=2"]).to_dict()))["layers"][0]["jump"] == [0.5, 0.5]


# ---------------------------------------------------------------------------- channels and groups
def test_grouped_conv_channels_and_weights():
    # 2 groups: each sees 8 of the 16 input channels and makes 16 of the 32 outputs (seed 003)
    layer = only(chain("1x16x8x8", ["conv2d 32 k=3 g=2"]))
    assert layer.weight_shape == ((32, 8, 3, 3), (32,))
    assert layer.params == 32 * 8 * 9 + 32
    assert layer.macs == 6 * 6 * 32 * 8 * 9


@pytest.mark.parametrize("input,layer,message", [
    ("1x6x8x8", "conv2d 8 k=3 g=4", "in_channels must be divisible by groups, but got in_channels=6, groups=4"),
    ("1x8x8x8", "conv2d 6 k=3 g=4", "out_channels must be divisible by groups, but got out_channels=6, groups=4"),
    ("1x8x8x8", "conv2d 8 k=3 g=0", "non-positive groups is not supported"),
    ("1x6x8x8", "conv-transpose2d 8 k=3 g=4", "in_channels must be divisible by groups"),
])
def test_groups_that_do_not_divide_are_rejected(input, layer, message):
    report = chain(input, [layer])
    assert not report.ok
    assert report.layers[0].rule == "groups"
    assert message in report.layers[0].error
    assert report.to_dict()["errors"] == [{"layer": report.layers[0].name, "rule": "groups",
                                           "message": report.layers[0].error}]


def test_channels_follow_the_data_format():
    nhwc = only(chain("1x32x32x3", ["conv2d 8 k=3"], framework="keras", data_format="NHWC"))
    assert nhwc.shape == (1, 30, 30, 8)
    ncw = only(chain("4x3x100", ["conv1d 8 k=5 s=5"]))
    assert ncw.shape == (4, 8, 20)
    nwc = only(chain("4x100x3", ["conv1d 8 k=5 s=5"], framework="tf", data_format="NWC"))
    assert nwc.shape == (4, 20, 8)


# ---------------------------------------------------------------------------- weight layouts
LAYOUTS = [
    # framework, data_format, layer, weight shapes: Keras 3.15 / TF 2.21 layers run for these shapes
    # (/work/venv-tf), torch 2.13 in test_torch_network_differential.py; flax from its docs (not installed)
    ("torch", None, "conv2d 6 k=3,5 g=2", ((6, 2, 3, 5), (6,))),
    ("onnx", None, "conv2d 6 k=3,5 g=2", ((6, 2, 3, 5), (6,))),
    ("caffe", None, "conv2d 6 k=3,5 g=2", ((6, 2, 3, 5), (6,))),
    ("tf", "NHWC", "conv2d 6 k=3,5 g=2", ((3, 5, 2, 6),)),           # tf.nn: no bias
    ("keras", "NHWC", "conv2d 6 k=3,5 g=2", ((3, 5, 2, 6), (6,))),   # Conv2D(groups=2).kernel
    ("jax", "NHWC", "conv2d 6 k=3,5", ((3, 5, 4, 6),)),              # flax Conv (k..., in, out)
    ("torch", None, "conv-transpose2d 6 k=3,5", ((4, 6, 3, 5), (6,))),  # (in, out/g, k...)
    ("torch", None, "conv-transpose2d 6 k=3,5 g=2", ((4, 3, 3, 5), (6,))),
    ("tf", "NHWC", "conv-transpose2d 6 k=3,5", ((3, 5, 6, 4),)),      # (k..., out, in)
    ("keras", "NHWC", "conv-transpose2d 6 k=3,5", ((3, 5, 6, 4), (6,))),
    ("keras", "NHWC", "depthwise-conv2d k=3 m=2", ((3, 3, 4, 2), (8,))),  # (k..., in, multiplier)
    ("torch", None, "depthwise-conv2d k=3 m=2", ((8, 1, 3, 3), (8,))),
    ("keras", "NHWC", "separable-conv2d 5 k=3", ((3, 3, 4, 1), (1, 1, 4, 5), (5,))),
    ("torch", None, "linear 10", ((10, 16), (10,))),                 # nn.Linear (out, in)
    ("keras", None, "dense 10", ((16, 10), (10,))),                  # Dense.kernel (in, out)
    ("torch", None, "batchnorm2d", ((4,), (4,))),
    ("torch", None, "batchnorm2d affine=false", ()),
]


@pytest.mark.parametrize("framework,data_format,layer,weights", LAYOUTS,
                         ids=[f"{c[0]}-{c[2]}" for c in LAYOUTS])
def test_weight_layouts(framework, data_format, layer, weights):
    if layer.startswith(("linear", "dense")):
        report = chain("2x16", [layer], framework=framework)
    else:
        shape = "2x4x12x12" if data_format is None else "2x12x12x4"
        report = chain(shape, [layer], framework=framework, data_format=data_format)
    got = only(report)
    assert got.weight_shape == weights
    assert got.params == sum(math.prod(w) for w in weights)


def test_bias_defaults_and_switches():
    assert only(chain("1x3x8x8", ["conv2d 4 k=3"])).params == 4 * 27 + 4
    assert only(chain("1x3x8x8", ["conv2d 4 k=3 bias=false"])).params == 4 * 27
    assert only(chain("1x8x8x3", ["conv2d 4 k=3"], framework="tf", data_format="NHWC")).params == 4 * 27
    assert only(chain("1x8x8x3", ["conv2d 4 k=3 bias=true"], framework="tf", data_format="NHWC")).params == 112


def test_transposed_macs_count_every_scattered_product():
    layer = only(chain("1x4x5x5", ["conv-transpose2d 6 k=3 s=2"]))
    assert layer.shape == (1, 6, 11, 11)
    assert layer.macs == 25 * 4 * 6 * 9


def test_linear_in_features_mismatch_is_torchs_message():
    report = chain("1x16x5x5", ["flatten", "linear 120 in_features=400"])
    assert report.layers[0].shape == (1, 400)
    assert report.ok
    report = chain("1x16x4x4", ["flatten", "linear 120 in_features=400"])
    assert report.layers[1].rule == "in-features"
    assert report.layers[1].error.startswith("mat1 and mat2 shapes cannot be multiplied (1x256 and 400x120)")


def test_spatial_layer_after_flatten_is_a_rank_error():
    report = chain("1x3x8x8", ["flatten", "conv2d 4 k=3"])
    assert report.layers[1].rule == "rank"
    assert "flattened" in report.layers[1].error


def test_layer_of_the_wrong_rank_is_rejected():
    report = chain("1x3x8x8", ["conv3d 4 k=3"])
    assert report.layers[0].rule == "rank"
    assert "conv3d expects a 5-D input" in report.layers[0].error


def test_framework_rejection_is_reported_not_raised():
    report = chain("1x3x2x2", ["conv2d 4 k=3", "relu"])
    assert not report.ok
    first, second = report.layers
    assert first.rule == "kernel-larger-than-input"
    assert "Kernel size can't be greater than actual input size" in first.error
    assert second.rule == "input-failed" and second.error == "not computed: its input conv2d_1 failed"
    assert [layer.name for layer in report.errors] == ["conv2d_1"]  # input-failed layers are not errors


# ---------------------------------------------------------------------------- chain parsing
def test_chain_short_and_long_keys_agree():
    short = chain("1x3x32x32", ["conv2d 8 k=3 s=2 p=1 d=1 g=1"])
    long = chain("1x3x32x32", ["conv2d out_channels=8 kernel=3 stride=2 padding=1 dilation=1 groups=1"])
    torch_names = chain("1x3x32x32", ["conv2d --out-channels=8 --kernel-size=3 --stride=2 --padding=1"])
    assert short.layers[0].shape == long.layers[0].shape == torch_names.layers[0].shape == (1, 8, 16, 16)


def test_chain_per_axis_values_and_padding_pairs():
    layer = only(chain("1x3x20x20", ["conv2d 8 k=3,5 p=0:1"]))
    assert layer.weight_shape[0] == (8, 3, 3, 5)
    assert (layer.pad_before, layer.pad_after) == ((0, 0), (1, 1))
    assert layer.shape == (1, 8, 19, 17)
    layer = only(chain("1x3x20x20", ["conv2d 8 k=3 p=1:0,2"]))
    assert (layer.pad_before, layer.pad_after, layer.shape) == ((1, 2), (0, 2), (1, 8, 19, 22))


def test_chain_positional_values():
    report = chain("1x8x8x8", ["conv2d 16 k=1", "pixel-shuffle 2", "adaptive-avgpool2d 3", "flatten", "linear 10"])
    assert [layer.shape for layer in report.layers] == [(1, 16, 8, 8), (1, 4, 16, 16), (1, 4, 3, 3), (1, 36),
                                                        (1, 10)]


def test_chain_names_and_skip_connections():
    report = chain("1x3x16x16", ["conv2d 8 k=3 p=1 name=a", "conv2d 8 k=3 p=1 name=b",
                                 "add inputs=a+b name=sum", "concat inputs=a,b,sum", "maxpool2d k=2 inputs=a"])
    names = [layer.name for layer in report.layers]
    assert names == ["a", "b", "sum", "concat_4", "maxpool2d_5"]
    assert report.layers[2].inputs == ("a", "b")
    assert report.layers[3].shape == (1, 24, 16, 16)
    assert report.layers[4].inputs == ("a",) and report.layers[4].shape == (1, 8, 8, 8)


def test_default_names_and_inputs():
    report = chain("1x3x8x8", ["conv2d 4 k=3", "relu", "batchnorm2d"])
    assert [(layer.name, layer.inputs) for layer in report.layers] == [
        ("conv2d_1", ("input",)), ("relu_2", ("conv2d_1",)), ("batchnorm2d_3", ("relu_2",))]


@pytest.mark.parametrize("layers,message", [
    (["conv2d k=3"], "conv2d needs out_channels"),
    (["conv2d 8"], "conv2d needs kernel"),
    (["conv2d eight k=3"], "expected a number of channels"),
    (["conv2d 8 k=3 foo=1"], "conv2d takes no key 'foo'"),
    (["conv9d 8 k=3"], "unknown op 'conv9d'"),
    (["conv2d 8 k=3 inputs=nope"], "inputs names 'nope', which is no earlier layer"),
    (["relu", "concat inputs=relu_1"], "concat needs two or more inputs"),
    (["conv2d 8 k=3 g=two"], "groups must be an integer"),
    (["conv2d 8 k=3 bias=maybe"], "bias must be true or false"),
    ([""], "layer 1 is empty"),
])
def test_chain_mistakes_are_usage_errors(layers, message):
    with pytest.raises(ShapeError, match=message) as info:
        chain("1x3x8x8", layers)
    assert info.value.rule == "bad-spec"
    assert str(info.value.message).startswith("chain: layer")


def test_chain_input_shape_mistakes():
    with pytest.raises(ShapeError, match="input must be a shape like 1x3x224x224") as info:
        chain("1x3xbig", ["relu"])
    assert info.value.rule == "bad-spec"
    with pytest.raises(ShapeError, match="every size in input must be at least 1"):
        chain("1x3x0x8", ["relu"])


# ---------------------------------------------------------------------------- expect
def test_expect_holds_and_wildcards():
    report = chain("1x3x32x32", ["conv2d 8 k=3 p=1 expect=1x8x32x32", "maxpool2d k=2 expect=1x8x-1x16"])
    assert report.ok and [layer.expect for layer in report.layers] == [(1, 8, 32, 32), (1, 8, -1, 16)]


@pytest.mark.parametrize("expect", ["1x8x30x30", "1x8x32", "1x8x32x32x1", "1x-1x31x-1"])
def test_expect_fails_with_both_shapes(expect):
    report = chain("1x3x32x32", [f"conv2d 8 k=3 p=1 expect={expect}", "relu"])
    layer = report.layers[0]
    assert (layer.rule, layer.shape) == ("expect", (1, 8, 32, 32))  # the shape is still reported
    want = "[" + ", ".join(expect.split("x")) + "]"
    assert layer.error == f"expected shape {want}, but the layer gives [1, 8, 32, 32]"
    # a failed expect still has a shape, so later layers are computed and their own mistakes show
    assert report.layers[1].shape == (1, 8, 32, 32) and report.layers[1].ok
    assert [e["rule"] for e in report.to_dict()["errors"]] == ["expect"]


def test_expect_in_a_spec_dict():
    spec = {"input": [1, 3, 32, 32], "layers": [{"op": "conv2d", "out_channels": 8, "kernel": 3,
                                                 "expect": [1, 8, 30, 30]}]}
    assert network(spec).ok
    spec["layers"][0]["expect"] = [1, 8, 32, 32]
    assert network(spec).errors[0].error == "expected shape [1, 8, 32, 32], but the layer gives [1, 8, 30, 30]"


# ---------------------------------------------------------------------------- skip connections
def test_add_mismatch_names_both_layers_and_shapes():
    report = chain("1x3x17x17", ["conv2d 8 k=3 s=2 p=1 name=down", "conv2d 8 k=2 s=2 inputs=input name=pool",
                                 "add inputs=down+pool"])
    layer = report.layers[2]
    assert layer.rule == "skip-mismatch"
    assert layer.error == ("The size of tensor a (9) must match the size of tensor b (8) at non-singleton dimension 2 "
                           "(down [1, 8, 9, 9], pool [1, 8, 8, 8])")


def test_add_channel_mismatch():
    report = chain("1x3x8x8", ["conv2d 8 k=1 name=a", "conv2d 16 k=1 inputs=input name=b", "add inputs=a,b"])
    assert report.layers[2].rule == "skip-mismatch"
    assert "at non-singleton dimension 1 (a [1, 8, 8, 8], b [1, 16, 8, 8])" in report.layers[2].error


def test_concat_mismatch_is_torch_cat_message():
    report = chain("1x3x16x16", ["maxpool2d k=2 name=half", "conv2d 4 k=3 inputs=input name=full",
                                 "concat inputs=half,full"])
    assert report.layers[2].rule == "skip-mismatch"
    assert report.layers[2].error == (
        "Sizes of tensors must match except in dimension 1. Expected size 8 but got size 14 for tensor number 1 in "
        "the list (half [1, 3, 8, 8], full [1, 4, 14, 14])")


def test_concat_on_channels_last_and_explicit_axis():
    report = chain("1x8x8x3", ["conv2d 4 k=1 name=a", "concat inputs=input,a"], framework="keras",
                   data_format="NHWC")
    assert report.layers[1].shape == (1, 8, 8, 7)
    report = chain("1x3x8x8", ["conv2d 3 k=1 name=a", "concat inputs=input,a axis=2"])
    assert report.layers[1].shape == (1, 3, 16, 8)
    report = chain("1x3x8x8", ["conv2d 3 k=1 name=a", "concat inputs=input,a axis=4"])
    assert report.layers[1].rule == "axis"
    assert "Dimension out of range (expected to be in range of [-4, 3], but got 4)" in report.layers[1].error


def test_receptive_field_of_a_merge_is_the_widest_branch():
    report = chain("1x3x32x32", ["conv2d 4 k=3 p=1 name=a", "conv2d 4 k=7 p=3 inputs=input name=b",
                                 "add inputs=a,b"])
    assert report.layers[2].receptive_field == (7, 7)


# ---------------------------------------------------------------------------- reports
def test_to_dict_keys_and_json():
    report = chain("1x3x224x224", ["conv2d 64 k=7 s=2 p=3 name=conv1", "maxpool2d k=3 s=2 p=1"])
    d = json.loads(json.dumps(report.to_dict()))
    assert {"ok", "input", "output", "params", "macs", "layers", "errors", "framework", "data_format"} <= set(d)
    assert d["ok"] is True and d["input"] == [1, 3, 224, 224] and d["output"] == [1, 64, 56, 56]
    assert d["errors"] == []
    layer = d["layers"][0]
    assert {"name", "op", "inputs", "shape", "weight_shape", "params", "macs", "receptive_field", "jump", "start",
            "pad_before", "pad_after", "expect", "ok", "error", "rule", "notes"} <= set(layer)
    assert (layer["name"], layer["op"], layer["shape"], layer["params"]) == ("conv1", "conv2d", [1, 64, 112, 112],
                                                                            9472)
    assert layer["weight_shape"] == [[64, 3, 7, 7], [64]]
    assert (layer["receptive_field"], layer["jump"]) == ([7, 7], [2, 2])
    assert d["params"] == 9472 and d["macs"] == 118013952  # 112*112*64*3*49


def test_to_dict_errors_of_a_failed_network():
    d = chain("1x3x4x4", ["conv2d 4 k=5", "relu"]).to_dict()
    assert d["ok"] is False and d["output"] is None
    assert d["errors"] == [{"layer": "conv2d_1", "rule": "kernel-larger-than-input",
                            "message": d["layers"][0]["error"]}]
    assert d["layers"][1]["shape"] is None and d["layers"][1]["rule"] == "input-failed"


def test_network_overrides_input_and_framework():
    spec = {"input": [1, 3, 32, 32], "layers": [{"op": "conv2d", "out_channels": 8, "kernel": 3,
                                                 "padding": "same"}]}
    assert network(spec).output == (1, 8, 32, 32)
    assert network(spec, input=[2, 3, 64, 48]).output == (2, 8, 64, 48)
    assert network(spec, input="2x3x64x48").output == (2, 8, 64, 48)
    assert network(spec, framework="keras").framework == "keras"
    # keras reads a tensor channels-last unless told (issue 10 #1): [1, 3, 32, 32] is 3 rows of 32 channels
    assert network(spec, framework="keras").layers[0].weight_shape == ((3, 3, 32, 8), (8,))
    assert network(spec, framework="keras", input=[1, 32, 32, 3]).layers[0].weight_shape == ((3, 3, 3, 8), (8,))


# issue 10 #1: the default layout follows the framework. Keras 3.15 Conv2D(32, 3, padding="same") on
# (1, 28, 28, 3) gives (1, 28, 28, 32) with a (3, 3, 3, 32) kernel (keras' data_format "channels_last"
# default); torch and onnx are NCHW; jax is lax.conv_general_dilated's default ("NCHW", "OIHW", "NCHW").
@pytest.mark.parametrize("framework,input,shape,data_format", [
    ("tf", "1x28x28x3", (1, 28, 28, 32), "NHWC"),
    ("keras", "1x28x28x3", (1, 28, 28, 32), "NHWC"),
    ("keras", "1x100x3", (1, 100, 32), "NWC"),
    ("tf", "1x8x28x28x3", (1, 8, 28, 28, 32), "NDHWC"),
    ("torch", "1x3x28x28", (1, 32, 28, 28), "NCHW"),
    ("onnx", "1x3x28x28", (1, 32, 28, 28), "NCHW"),
    ("caffe", "1x3x28x28", (1, 32, 28, 28), "NCHW"),
    ("jax", "1x3x28x28", (1, 32, 28, 28), "NCHW"),
])
def test_default_data_format_follows_the_framework(framework, input, shape, data_format):
    n = len(shape) - 2
    pad = 1 if framework == "caffe" else "same"  # caffe takes numbers only, keras keywords only
    report = chain(input, [f"conv{n}d 32 k=3 p={pad}"], framework=framework)
    assert report.data_format == data_format and only(report).shape == shape
    spec = {"input": [int(v) for v in input.split("x")], "framework": framework,
            "layers": [{"op": f"conv{n}d", "out_channels": 32, "kernel": 3, "padding": pad}]}
    assert network(spec).output == shape


def test_adaptive_pool_in_a_network():
    """network_bugs.md #1 (fixed): windows are (start, end) tuples."""
    layer = only(chain("1x512x7x7", ["adaptive-avgpool2d 1"]))
    assert layer.shape == (1, 512, 1, 1)
    assert (layer.receptive_field, layer.jump) == ((7, 7), (7, 7))
    assert only(chain("1x4x10", ["adaptive-maxpool1d 4"])).shape == (1, 4, 4)


def test_resampling_layers():
    report = chain("1x9x4x4", ["pixel-shuffle 3", "pixel-unshuffle 3", "upsample2d scale=2 mode=bilinear",
                               "interpolate size=5,7"])
    assert [layer.shape for layer in report.layers] == [(1, 1, 12, 12), (1, 9, 4, 4), (1, 9, 8, 8), (1, 9, 5, 7)]


@given(st.lists(st.tuples(st.integers(1, 5), st.integers(1, 3), st.integers(0, 2), st.integers(1, 2)),
                min_size=1, max_size=4), st.integers(1, 64))
def test_a_chain_of_convs_is_the_single_layer_api_composed(layers, size):
    """Property: every layer of a conv chain has the output of convshape.conv on its input, and
    the chain fails exactly where conv raises."""
    texts = [f"conv1d 2 k={k} s={s} p={p} d={d}" for k, s, p, d in layers]
    report = chain(f"1x2x{size}", texts)
    n = size
    for (k, s, p, d), layer in zip(layers, report.layers):
        try:
            n = conv(n, k, s, p, d).output[0]
        except ShapeError as exc:
            assert layer.rule == exc.rule
            break
        assert layer.shape == (1, 2, n)
        if n == 0:
            break
