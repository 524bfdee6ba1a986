"""Network layers beyond convolution and pooling (issue 10, item 26): explicit padding and
cropping, instance / layer / group normalisation and global pooling, each checked against the
same layers built and run in torch 2.13 (output shapes, parameter counts, rejections)."""

from __future__ import annotations

import random

import pytest

from convshape.errors import ShapeError
from convshape.network.evaluate import chain
from convshape.ops import lookup

from difftools import require_torch  # noqa: E402

torch = require_torch()

import torch.nn.functional as F  # noqa: E402
from torch import nn  # noqa: E402


def _params(module: nn.Module) -> int:
    return sum(p.numel() for p in module.parameters())


@pytest.mark.parametrize("name,op", [
    ("ZeroPadding2D", "pad2d"), ("nn.ZeroPad2d", "pad2d"), ("ConstantPad3d", "pad3d"), ("ZeroPadding1D", "pad1d"),
    ("F.pad", "pad"), ("Cropping2D", "crop2d"), ("tf.keras.layers.Cropping1D", "crop1d"), ("LayerNorm", "layernorm"),
    ("LayerNormalization", "layernorm"), ("GroupNorm", "groupnorm"), ("InstanceNorm2d", "instancenorm2d"),
    ("InstanceNormalization", "instancenorm"), ("GlobalAveragePooling2D", "global-avgpool2d"),
    ("GlobalMaxPooling3D", "global-maxpool3d")])
def test_names(name: str, op: str) -> None:
    assert lookup(name).name == op


def test_pad_and_crop_against_torch_f_pad() -> None:
    """F.pad with random positive and negative amounts (torch order: last axis first): the shape
    convshape gives, or a rejection exactly where torch raises."""
    rng = random.Random(26)
    for _ in range(300):
        ndim = rng.randint(1, 3)
        spatial = [rng.randint(1, 9) for _ in range(ndim)]
        pairs = [(rng.randint(-6, 4), rng.randint(-6, 4)) for _ in range(ndim)]
        x = torch.zeros(1, 2, *spatial)
        flat = [p for pair in reversed(pairs) for p in pair]
        try:
            want: tuple[int, ...] | None = tuple(F.pad(x, flat).shape)
        except RuntimeError:
            want = None
        padding = ",".join(f"{b}:{a}" for b, a in pairs)
        report = chain("x".join(map(str, (1, 2, *spatial))), [f"pad{ndim}d padding={padding}"])
        assert report.layers[0].shape == want, (spatial, pairs, report.layers[0].error)


def test_zero_and_constant_pad_modules() -> None:
    x = torch.zeros(1, 3, 8, 9)
    assert tuple(nn.ZeroPad2d((1, 2, 3, 4))(x).shape) == (1, 3, 15, 12)
    assert chain("1x3x8x9", ["nn.ZeroPad2d padding=3:4,1:2"]).layers[0].shape == (1, 3, 15, 12)
    assert tuple(nn.ConstantPad1d((2, -1), 0.5)(torch.zeros(1, 3, 8)).shape) == (1, 3, 9)
    assert chain("1x3x8", ["ConstantPad1d padding=2:-1 value=0.5"]).layers[0].shape == (1, 3, 9)


def test_cropping_keras_words() -> None:
    """Keras Cropping2D((1, 2), (0, 3)) on (1, 10, 10, 4) gives (1, 7, 7, 4); cropping the whole
    axis is refused (keras/src/layers/reshaping/cropping2d.py)."""
    assert chain("1x10x10x4", ["Cropping2D cropping=1:2,0:3"], framework="keras",
                 data_format="NHWC").layers[0].shape == (1, 7, 7, 4)
    failed = chain("1x10x10x4", ["Cropping2D cropping=5"], framework="keras", data_format="NHWC").layers[0]
    assert failed.rule == "output-too-small" and "should be smaller" in (failed.error or "")


@pytest.mark.parametrize("channels,groups,affine", [(8, 2, True), (8, 8, True), (6, 1, False), (8, 3, True),
                                                    (12, 5, True), (16, 4, False)])
def test_group_norm(channels: int, groups: int, affine: bool) -> None:
    report = chain(f"2x{channels}x5x5", [f"GroupNorm {groups} affine={affine}"]).layers[0]
    try:
        module = nn.GroupNorm(groups, channels, affine=affine)
    except ValueError as exc:
        assert report.rule == "groups" and report.error == str(exc)
        return
    assert report.shape == tuple(module(torch.zeros(2, channels, 5, 5)).shape)
    assert report.params == _params(module)


@pytest.mark.parametrize("affine", [None, True, False])
def test_instance_norm(affine: bool | None) -> None:
    kwargs = {} if affine is None else {"affine": affine}
    module = nn.InstanceNorm2d(6, **kwargs)
    layer = "InstanceNorm2d" + ("" if affine is None else f" affine={affine}")
    report = chain("2x6x5x7", [layer]).layers[0]
    assert report.shape == tuple(module(torch.zeros(2, 6, 5, 7)).shape)
    assert report.params == _params(module)  # torch: no weights unless affine=True


@pytest.mark.parametrize("normalized,bias", [([7], True), ([5, 7], True), ([6, 5, 7], False), ([3], True)])
def test_layer_norm(normalized: list[int], bias: bool) -> None:
    module = nn.LayerNorm(normalized, bias=bias)
    report = chain("2x6x5x7", [f"LayerNorm normalized_shape={'x'.join(map(str, normalized))} bias={bias}"]).layers[0]
    try:
        want = tuple(module(torch.zeros(2, 6, 5, 7)).shape)
    except RuntimeError as exc:
        assert report.rule == "rank" and report.error == str(exc)
        return
    assert report.shape == want and report.params == _params(module)


def test_layer_norm_needs_its_shape_on_channels_first() -> None:
    with pytest.raises(ShapeError, match="needs normalized_shape"):
        chain("2x6x5x7", ["LayerNorm"])
    # keras LayerNormalization(axis=-1) on NHWC: gamma and beta of the channels
    assert chain("2x5x7x6", ["LayerNormalization"], framework="keras", data_format="NHWC").layers[0].params == 12


def test_global_pooling() -> None:
    """torch keeps 1x1 (AdaptiveAvgPool2d(1)); keras GlobalAveragePooling2D drops the spatial axes
    (keepdims=False), unless keepdims=True."""
    x = torch.zeros(2, 6, 5, 7)
    assert chain("2x6x5x7", ["GlobalAveragePooling2D"]).layers[0].shape == tuple(nn.AdaptiveAvgPool2d(1)(x).shape)
    assert chain("2x5x7x6", ["GlobalMaxPooling2D"], framework="keras", data_format="NHWC").layers[0].shape == (2, 6)
    assert chain("2x5x7x6", ["GlobalMaxPooling2D keepdims=true"], framework="keras",
                 data_format="NHWC").layers[0].shape == (2, 1, 1, 6)
    net = chain("2x5x7x6", ["conv2d 4 k=3", "GlobalAveragePooling2D", "Dense 3"], framework="keras",
                data_format="NHWC")
    assert net.ok and net.output == (2, 3)


def test_small_net_against_torch() -> None:
    layers = ["conv2d 8 k=3", "ZeroPad2d 1", "GroupNorm 4", "F.pad padding=-1:2,0", "InstanceNorm2d affine=true",
              "Cropping2D cropping=2:3", "LayerNorm normalized_shape=27", "GlobalAveragePooling2D", "flatten",
              "linear 10"]
    report = chain("1x3x32x32", layers)
    model = nn.Sequential(nn.Conv2d(3, 8, 3), nn.ZeroPad2d(1), nn.GroupNorm(4, 8), nn.ConstantPad2d((0, 0, -1, 2), 0.0),
                          nn.InstanceNorm2d(8, affine=True), nn.ZeroPad2d((-2, -3, -2, -3)), nn.LayerNorm(27),
                          nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(8, 10))
    x = torch.zeros(1, 3, 32, 32)
    assert report.ok, [layer.error for layer in report.layers]
    for layer, module in zip(report.layers, model):
        x = module(x)
        assert layer.shape == tuple(x.shape) and layer.params == _params(module), layer.name


def test_unknown_op_suggests_instead_of_listing() -> None:
    with pytest.raises(ShapeError) as exc:
        chain("1x3x8x8", ["GroupNorml 2"])
    assert "did you mean groupnorm" in exc.value.message and "expected one of" not in exc.value.message
