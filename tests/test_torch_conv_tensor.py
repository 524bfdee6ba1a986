"""Single convolution layers on a whole tensor (issue 10, item 23): output tensor, weight shapes,
parameters and MACs against the same layers built in torch 2.13 (weights from the module,
MACs from torch.utils.flop_counter: one MAC is two FLOPs), and the same numbers as ``chain``."""

from __future__ import annotations

import random
import warnings

import pytest

from convshape import conv, conv_transpose
from convshape.errors import ShapeError
from convshape.network.evaluate import chain
from convshape.params import per_axis

from difftools import require_torch  # noqa: E402

torch = require_torch()

from torch import nn  # noqa: E402
from torch.utils.flop_counter import FlopCounterMode  # noqa: E402

warnings.filterwarnings("ignore")

CONV = {1: nn.Conv1d, 2: nn.Conv2d, 3: nn.Conv3d}
TRANSPOSED = {1: nn.ConvTranspose1d, 2: nn.ConvTranspose2d, 3: nn.ConvTranspose3d}


def _flops(module: nn.Module, x: torch.Tensor) -> tuple[tuple[int, ...], int]:
    with FlopCounterMode(display=False) as counter, torch.no_grad():
        y = module(x)
    return tuple(y.shape), counter.get_total_flops()


@pytest.mark.parametrize("transposed", [False, True])
def test_random_layers_against_torch(transposed: bool) -> None:
    rng = random.Random(23 + transposed)
    checked = 0
    for _ in range(150):
        ndim = rng.randint(1, 3)
        groups = rng.choice([1, 1, 2, 3, 4])
        cin, cout = groups * rng.randint(1, 3), groups * rng.randint(1, 3)
        if rng.random() < 0.15:
            cin += 1  # not divisible: both must refuse
        batch = rng.randint(1, 2)
        spatial = [rng.randint(1, 9) for _ in range(ndim)]
        k, s, p, d = rng.randint(1, 4), rng.randint(1, 3), rng.randint(0, 2), rng.randint(1, 2)
        bias = rng.random() < 0.7
        shape = "x".join(map(str, (batch, cin, *spatial)))
        try:
            module = (TRANSPOSED if transposed else CONV)[ndim](cin, cout, k, s, p, dilation=d, groups=groups,
                                                                 bias=bias)
            want_shape, flops = _flops(module, torch.zeros(batch, cin, *spatial))
        except (RuntimeError, ValueError):
            with pytest.raises(ShapeError):
                call = conv_transpose if transposed else conv
                call(shape, k, s, p, d, framework="torch", ndim=ndim, out_channels=cout, groups=groups, bias=bias)
            continue
        if 0 in want_shape:  # an empty output: torch's backends differ there (the size rules' own tests)
            continue
        call = conv_transpose if transposed else conv
        result = call(shape, k, s, p, d, framework="torch", ndim=ndim, out_channels=cout, groups=groups, bias=bias)
        tensor = result.tensor
        assert tensor is not None
        assert tensor.output == want_shape
        assert tensor.weights == tuple(tuple(w.shape) for w in module.parameters())
        assert tensor.params == sum(w.numel() for w in module.parameters())
        assert 2 * tensor.macs == flops, (shape, k, s, p, d, groups)
        # chain computes the same numbers (one formula)
        layer = chain(shape, [f"{'conv-transpose' if transposed else 'conv'}{ndim}d {cout} k={k} s={s} p={p} "
                              f"d={d} g={groups} bias={bias}"]).layers[0]
        assert (layer.shape, layer.weight_shape, layer.params, layer.macs) == \
            (tensor.output, tensor.weights, tensor.params, tensor.macs)
        checked += 1
    assert checked > 60


def test_channels_last_frameworks_read_nhwc() -> None:
    """Keras Conv2D(32, 3, padding="same") on (1, 28, 28, 3): output (1, 28, 28, 32), kernel
    (3, 3, 3, 32) + bias (32,): 896 parameters (the Keras documentation's summary numbers)."""
    tensor = conv("1x28x28x3", 3, padding="same", framework="keras", ndim=2, out_channels=32).tensor
    assert tensor is not None
    assert (tensor.data_format, tensor.output, tensor.weights, tensor.params) == \
        ("NHWC", (1, 28, 28, 32), ((3, 3, 3, 32), (32,)), 896)
    assert conv("1x3x28x28", 3, framework="torch", ndim=2, out_channels=32).tensor.data_format == "NCHW"  # type: ignore[union-attr]


def test_spatial_only_and_channels_without_tensor() -> None:
    assert conv("64x64", "3x3", ndim=2).output == (62, 62) and conv("64x64", "3x3", ndim=2).tensor is None
    with pytest.raises(ShapeError, match="need the whole input tensor") as exc:
        conv(64, 3, ndim=2, out_channels=8)
    assert exc.value.rule == "option-not-applicable"


@pytest.mark.parametrize("text,expected", [("64x64", (64, 64)), ("3X5", (3, 5)), ("3×5", (3, 5)), ("7", (7, 7))])
def test_per_axis_takes_x(text: str, expected: tuple[int, ...]) -> None:
    assert per_axis(text, "input", 2) == expected


def test_cli_whole_tensor() -> None:
    import json

    from click.testing import CliRunner

    from convshape.cli.main import main

    runner = CliRunner()
    out = runner.invoke(main, ["conv2d", "--i", "1x3x224x224", "--k", "7", "--s", "2", "--p", "3", "--out-channels",
                               "64"])
    assert out.exit_code == 0, out.output
    assert "tensor 1x3x224x224 (NCHW) -> 1x64x112x112" in out.output
    assert "weights (64, 3, 7, 7) + (64) · 9,472 parameters · 118,013,952 MACs" in out.output
    out = runner.invoke(main, ["conv-transpose2d", "--i", "1x16x8x8", "--k", "4", "--s", "2", "--p", "1", "--c", "8",
                               "--g", "2", "--no-bias", "--json"])
    assert out.exit_code == 0, out.output
    tensor = json.loads(out.output)["tensor"]
    module = nn.ConvTranspose2d(16, 8, 4, 2, 1, groups=2, bias=False)
    assert tensor["output"] == list(module(torch.zeros(1, 16, 8, 8)).shape)
    assert tensor["weight_shape"] == [list(module.weight.shape)] and tensor["params"] == module.weight.numel()
    out = runner.invoke(main, ["conv2d", "--i", "1x3x8x8", "--k", "3", "--c", "8", "--g", "2"])
    assert out.exit_code == 1 and "in_channels must be divisible by groups" in out.output
    out = runner.invoke(main, ["conv2d", "--i", "64", "--k", "3", "--c", "8"])
    assert out.exit_code == 2


@pytest.mark.parametrize("cin,multiplier,cout,k,s,p", [(8, 1, None, 3, 1, 1), (8, 2, None, 3, 2, 0),
                                                       (4, 3, 16, 3, 1, 1), (32, 1, 64, 5, 2, 2)])
def test_depthwise_and_separable_against_torch(cin: int, multiplier: int, cout: int | None, k: int, s: int,
                                               p: int) -> None:
    """DepthwiseConv2D = torch Conv2d(groups=in_channels); SeparableConv2D = that without bias, then
    a 1x1 Conv2d with bias (Keras's one bias): output, weights, parameters, MACs (FlopCounterMode)."""
    x = torch.zeros(2, cin, 11, 12)
    mid = cin * multiplier
    layers = [nn.Conv2d(cin, mid, k, s, p, groups=cin, bias=cout is None)]
    if cout is not None:
        layers.append(nn.Conv2d(mid, cout, 1))
    shape, flops = _flops(nn.Sequential(*layers), x)
    tensor = conv(f"2x{cin}x11x12", k, s, p, framework="torch", ndim=2, depth_multiplier=multiplier,
                  out_channels=cout).tensor
    assert tensor is not None
    assert tensor.output == shape
    assert tensor.weights == tuple(tuple(w.shape) for layer in layers for w in layer.parameters())
    assert tensor.params == sum(w.numel() for layer in layers for w in layer.parameters())
    assert 2 * tensor.macs == flops
    op = f"separable-conv2d {cout}" if cout is not None else "depthwise-conv2d"
    layer = chain(f"2x{cin}x11x12", [f"{op} k={k} s={s} p={p} m={multiplier}"]).layers[0]
    assert (layer.shape, layer.weight_shape, layer.params, layer.macs) == \
        (tensor.output, tensor.weights, tensor.params, tensor.macs)


def test_depthwise_commands() -> None:
    from click.testing import CliRunner

    from convshape.cli.main import main

    runner = CliRunner()
    out = runner.invoke(main, ["DepthwiseConv2D", "--i", "1x32x112x112", "--k", "3", "--p", "1"])
    assert out.exit_code == 0 and "weights (32, 1, 3, 3) + (32) · 320 parameters" in out.output
    out = runner.invoke(main, ["SeparableConv2D", "--i", "1x112x112x32", "--k", "3", "--p", "same", "-f", "keras",
                               "--c", "64"])
    # Keras SeparableConv2D(64, 3) on 32 channels: 3*3*32 + 32*64 + 64 = 2,400 parameters
    assert out.exit_code == 0 and "(3, 3, 32, 1) + (1, 1, 32, 64) + (64) · 2,400 parameters" in out.output
    assert runner.invoke(main, ["depthwise_conv2d", "--i", "112", "--k", "3"]).exit_code == 2
    assert runner.invoke(main, ["separable-conv2d", "--i", "1x8x8x8", "--k", "3"]).exit_code == 2
