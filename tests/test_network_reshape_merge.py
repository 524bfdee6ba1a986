"""Spec layers added for model files: reshape, permute and the elementwise merges (subtract,
multiply, average, maximum, minimum), in spec files, chains and sweeps; shapes and rejections
checked against torch (reshape / permute / torch.mul run on tensors of every size)."""

from __future__ import annotations

import pytest

from convshape.errors import ShapeError
from convshape.network.evaluate import chain, network
from convshape.network.sweep import sweep

torch = pytest.importorskip("torch")

SPEC = {"input": [1, 3, 16, 16], "framework": "torch", "layers": [
    {"op": "conv2d", "name": "conv", "out_channels": 4, "kernel": 3, "stride": 2},
    {"op": "permute", "name": "nhwc", "dims": [0, 2, 3, 1]},
    {"op": "permute", "name": "nchw", "dims": "(0, 3, 1, 2)"},
    {"op": "maxpool2d", "name": "pool", "kernel": 2},
    {"op": "Multiply", "name": "mul", "inputs": ["pool", "pool"]},
    {"op": "reshape", "name": "tokens", "target_shape": [4, -1]},
    {"op": "permute", "name": "swap", "dims": [0, 2, 1]},
    {"op": "linear", "name": "fc", "out_features": 6},
    {"op": "reshape", "name": "pairs", "target_shape": "(-1, 12)"},
]}


def torch_shapes(n: int) -> dict[str, list[int]] | None:
    """The same network in torch at an n x n input; None where torch raises."""
    torch.manual_seed(0)
    conv, fc = torch.nn.Conv2d(3, 4, 3, stride=2), torch.nn.Linear(4, 6)
    out: dict[str, list[int]] = {}
    try:
        with torch.no_grad():
            x = conv(torch.zeros(1, 3, n, n))
            out["conv"] = list(x.shape)
            x = x.permute(0, 2, 3, 1)
            out["nhwc"] = list(x.shape)
            x = x.permute(0, 3, 1, 2)
            out["nchw"] = list(x.shape)
            x = torch.nn.functional.max_pool2d(x, 2)
            out["pool"] = list(x.shape)
            x = torch.mul(x, x)
            out["mul"] = list(x.shape)
            x = x.reshape(1, 4, -1)
            out["tokens"] = list(x.shape)
            x = x.permute(0, 2, 1)
            out["swap"] = list(x.shape)
            x = fc(x)
            out["fc"] = list(x.shape)
            x = x.reshape(1, -1, 12)
            out["pairs"] = list(x.shape)
    except RuntimeError:
        return None
    return out


def test_every_size_as_torch() -> None:
    seen = {True: 0, False: 0}
    for n in range(1, 41):
        expected = torch_shapes(n)
        report = network(SPEC, input=[1, 3, n, n])
        got = {layer.name: list(layer.shape or ()) for layer in report.layers}
        assert report.ok == (expected is not None and 0 not in expected["pool"]), n
        seen[report.ok] += 1
        if report.ok:
            assert got == expected, n
    assert seen[True] and seen[False]


def test_sweep_equals_evaluation() -> None:
    result = sweep(SPEC, "1..200")
    brute = [n for n in range(1, 201) if network(SPEC, input=[1, 3, n, n]).ok]
    assert result.sizes() == brute
    # conv: m = (n - 3) // 2 + 1, pool: p = m // 2; pairs needs 6 p^2 divisible by 12, so p even
    assert brute[:6] == [9, 10, 11, 12, 17, 18] and result.count == 24 * 4  # 9..12, 17..20, ..., 193..196


def test_permute_moving_the_channels_keeps_the_spatial_axes() -> None:
    report = chain("1x3x16x16", ["conv2d 4 k=3 s=2 p=same", "permute dims=0,2,3,1", "maxpool2d k=2"],
                   framework="keras", data_format="NCHW")
    assert report.layers[1].shape == (1, 8, 8, 4) and report.layers[2].shape == (1, 4, 4, 4)
    assert report.layers[2].receptive_field  # tracked through the permute
    result = sweep({"input": [1, 3, 16, 16], "framework": "keras", "data_format": "NCHW", "layers": [
        {"op": "conv2d", "out_channels": 4, "kernel": 3, "stride": 2, "padding": "same"},
        {"op": "permute", "dims": [0, 2, 3, 1]}, {"op": "maxpool2d", "kernel": 2}]}, "1..100000")
    assert result.method == "periodic" and result.count == 100000 - 3 + 1


def test_reshape_and_permute_rejections() -> None:
    report = chain("1x4x5x5", ["reshape target_shape=3,-1"])
    assert not report.ok and report.layers[0].rule == "reshape"
    assert report.layers[0].error.startswith("shape '[1, 3, -1]' is invalid for input of size 100")
    report = chain("1x4x5x5", ["reshape target_shape=4,26"], framework="keras")
    assert report.layers[0].error.startswith("Input to reshape is a tensor with 100 values, but the requested "
                                             "shape has 104 [Op:Reshape]")
    report = chain("1x4x5x5", ["permute dims=0,2,1"])
    assert not report.ok and report.layers[0].rule == "rank"
    with pytest.raises(ShapeError, match="permutation"):
        network({"input": [1, 4, 5], "layers": [{"op": "permute", "dims": [0, 1, 1]}]})
    with pytest.raises(ShapeError, match="at most one -1"):
        network({"input": [1, 4, 5], "layers": [{"op": "reshape", "target_shape": [-1, -1]}]})
    with pytest.raises(ShapeError, match="list of integers"):
        network({"input": [1, 4, 5], "layers": [{"op": "reshape", "target_shape": "a,b"}]})


@pytest.mark.parametrize("op", ["subtract", "multiply", "average", "maximum", "minimum"])
def test_elementwise_merges(op: str) -> None:
    layers = ["conv2d 4 k=3 name=a", "conv2d 4 k=1 inputs=input name=b", f"{op} inputs=a,b"]
    report = chain("1x3x8x8", layers)
    assert not report.ok and report.layers[2].rule == "skip-mismatch"  # 6x6 vs 8x8
    layers[1] = "conv2d 4 k=3 inputs=input name=b"
    assert chain("1x3x8x8", layers).layers[2].shape == (1, 4, 6, 6)
    # keras broadcasts sizes of 1 (ops.add & co.): 1x1 against 6x6
    keras = ["conv2d 4 k=3 name=a", "global-avgpool2d keepdims=true inputs=a name=g", f"{op} inputs=a,g"]
    assert chain("1x8x8x3", keras, framework="keras").layers[2].shape == (1, 6, 6, 4)
    assert not chain("1x3x8x8", ["conv2d 4 k=3 name=a", "global-avgpool2d inputs=a name=g", f"{op} inputs=a,g"],
                     ).ok


def test_a_mode_must_be_a_name() -> None:
    with pytest.raises(ShapeError, match="mode must be a string") as info:
        network({"input": [1, 3, 8, 8], "layers": [{"op": "upsample2d", "scale": 2, "mode": 3}]})
    assert info.value.rule == "bad-spec"
