"""Differential tests of networks against real PyTorch: every example spec built in torch from
its layers and run (output shape and parameter count of every layer), random chains compared
layer by layer (outputs, and rejections exactly where torch raises), and receptive fields and
jumps measured by gradient.

Skipped where torch is missing, except when ``CONVSHAPE_REQUIRE_TORCH`` is set (``.ci/run``
sets it), where a missing torch is an error.
"""

from __future__ import annotations

import glob
import os
import random
import warnings
from fractions import Fraction

import pytest

from convshape.frameworks import get as get_framework
from convshape.network.evaluate import DATA_FORMATS, LayerReport, LayerSpec, chain, load_spec, network
from convshape.params import explicit_padding, padding_keyword, per_axis

from difftools import require_torch  # noqa: E402

torch = require_torch()

import torch.nn.functional as F  # noqa: E402
from torch import nn  # noqa: E402

warnings.filterwarnings("ignore", message=".*padding='same'.*")

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SPECS = sorted(glob.glob(os.path.join(ROOT, "examples", "networks", "*.toml"))
               + glob.glob(os.path.join(ROOT, "examples", "networks", "*.json"))
               + [os.path.join(ROOT, "examples", "ci", "broken_unet.toml")])
N_CHAINS = int(os.environ.get("CONVSHAPE_NETWORK_DIFF_CHAINS", "300"))


# ---------------------------------------------------------------------------- a spec in torch
CONV = {1: nn.Conv1d, 2: nn.Conv2d, 3: nn.Conv3d}
CONV_T = {1: nn.ConvTranspose1d, 2: nn.ConvTranspose2d, 3: nn.ConvTranspose3d}
MAX = {1: nn.MaxPool1d, 2: nn.MaxPool2d, 3: nn.MaxPool3d}
AVG = {1: nn.AvgPool1d, 2: nn.AvgPool2d, 3: nn.AvgPool3d}
LP = {1: nn.LPPool1d, 2: nn.LPPool2d}
ADAPTIVE = {"adaptive_avg": {1: nn.AdaptiveAvgPool1d, 2: nn.AdaptiveAvgPool2d, 3: nn.AdaptiveAvgPool3d},
            "adaptive_max": {1: nn.AdaptiveMaxPool1d, 2: nn.AdaptiveMaxPool2d, 3: nn.AdaptiveMaxPool3d}}
BATCHNORM = {1: nn.BatchNorm1d, 2: nn.BatchNorm2d, 3: nn.BatchNorm3d}


class Padded(nn.Module):
    """F.pad by explicit (before, after) pairs, then the layer (torch's own 'same' does this)."""

    def __init__(self, pairs, layer: nn.Module) -> None:
        super().__init__()
        self.flat = [v for pair in reversed(pairs) for v in pair]
        self.layer = layer

    def forward(self, x):
        return self.layer(F.pad(x, self.flat))


class Transposed(nn.Module):
    """ConvTransposeNd called with output_size, as a spec's output_size means."""

    def __init__(self, layer: nn.Module, output_size) -> None:
        super().__init__()
        self.layer, self.output_size = layer, output_size

    def forward(self, x):
        return self.layer(x, output_size=list(self.output_size))


def _padding(layer: LayerSpec, report: LayerReport | None, ndim: int, torch_spec: bool):
    """(padding for the torch module, (before, after) pairs to F.pad first or None).
    A torch spec's padding is used as written; another framework's as convshape resolved it
    (its SAME rules are tested against that framework elsewhere)."""
    value = layer.args.get("padding", 0)
    if not torch_spec:
        pairs = tuple(zip(report.pad_before, report.pad_after))
    elif isinstance(value, str) and padding_keyword(value) in ("same", "valid"):
        return padding_keyword(value), None
    else:
        pairs = explicit_padding(value, ndim)
    if all(b == a for b, a in pairs):
        return tuple(b for b, _ in pairs), None
    return 0, pairs


def torch_layer(layer: LayerSpec, x, report: LayerReport | None, framework: str, device: str) -> nn.Module:
    """The torch module for one layer, built from the spec's arguments and the channels of the
    real input tensor ``x`` (never from convshape's shapes). A layer of another framework is
    built as its torch equivalent: same windows, same weights, the framework's bias default."""
    a = layer.args
    torch_spec = framework == "torch"
    bias = a.get("bias", get_framework(framework).bias_default)
    ndim = x.dim() - 2
    kw = {"device": device}
    cin = x.shape[1] if x.dim() > 2 else x.shape[-1]
    if layer.kind in ("conv", "depthwise", "separable"):
        k = per_axis(a["kernel"], "kernel", ndim)
        s = per_axis(a.get("stride", 1), "stride", ndim)
        d = per_axis(a.get("dilation", 1), "dilation", ndim)
        padding, pairs = _padding(layer, report, ndim, torch_spec)
        if layer.kind == "conv":
            module = CONV[ndim](cin, a["out_channels"], k, s, padding, d, a.get("groups", 1), bias, **kw)
        else:
            mid = cin * a.get("depth_multiplier", 1)
            module = CONV[ndim](cin, mid, k, s, padding, d, cin, bias and layer.kind == "depthwise", **kw)
            if layer.kind == "separable":
                module = nn.Sequential(module, CONV[ndim](mid, a["out_channels"], 1, bias=bias, **kw))
        return Padded(pairs, module) if pairs else module
    if layer.kind == "conv_transpose":
        k = per_axis(a["kernel"], "kernel", ndim)
        s = per_axis(a.get("stride", 1), "stride", ndim)
        d = per_axis(a.get("dilation", 1), "dilation", ndim)
        if torch_spec:
            padding = per_axis(a.get("padding", 0), "padding", ndim)
            output_padding = per_axis(a.get("output_padding", 0), "output_padding", ndim)
        else:  # crop pad_before and pad_after: padding crops both sides, output_padding gives one back
            padding = tuple(max(b, e) for b, e in zip(report.pad_before, report.pad_after))
            output_padding = tuple(abs(b - e) for b, e in zip(report.pad_before, report.pad_after))
        module = CONV_T[ndim](cin, a["out_channels"], k, s, padding, output_padding, a.get("groups", 1),
                              bias, d, **kw)
        if torch_spec and a.get("output_size") is not None:
            return Transposed(module, per_axis(a["output_size"], "output_size", ndim))
        return module
    if layer.kind in ("max", "avg", "lp"):
        k = per_axis(a["kernel"], "kernel", ndim)
        s = per_axis(a["stride"], "stride", ndim) if a.get("stride") is not None else None
        ceil_mode = a.get("ceil_mode", False)
        if layer.kind == "lp":
            return LP[ndim](a.get("norm_type", 2), k, s, ceil_mode)
        padding, pairs = _padding(layer, report, ndim, torch_spec)
        if layer.kind == "max":
            module = MAX[ndim](k, s, padding, per_axis(a.get("dilation", 1), "dilation", ndim), ceil_mode=ceil_mode)
        else:
            module = AVG[ndim](k, s, padding, ceil_mode, a.get("count_include_pad", True))
        return Padded(pairs, module) if pairs else module
    if layer.kind in ADAPTIVE:
        return ADAPTIVE[layer.kind][ndim](per_axis(a["output_size"], "output_size", ndim))
    if layer.kind == "batchnorm":
        return BATCHNORM[ndim](cin, affine=a.get("affine", True), **kw)
    if layer.kind in ("upsample", "interpolate"):
        scale = a.get("scale")
        if isinstance(scale, str):
            scale = tuple(float(v) for v in scale.split(","))
        size = per_axis(a["size"], "size", ndim) if a.get("size") is not None else None
        return nn.Upsample(size, scale, a.get("mode", "nearest"), a.get("align_corners"),
                           a.get("recompute_scale_factor"))
    if layer.kind == "pixel_shuffle":
        return nn.PixelShuffle(a["factor"])
    if layer.kind == "pixel_unshuffle":
        return nn.PixelUnshuffle(a["factor"])
    if layer.kind == "flatten":
        return nn.Flatten()
    if layer.kind == "linear":
        # the spec's in_features where it gives one (torch then raises on a mismatch), else the input's
        return nn.Linear(a.get("in_features", cin), a["out_features"], a.get("bias", True), **kw)
    if layer.kind == "identity":
        return nn.Identity()
    raise NotImplementedError(layer.kind)


def run_in_torch(path: str, device: str = "meta", input: tuple[int, ...] | None = None
                 ) -> dict[str, tuple[tuple[int, ...], int] | Exception]:
    """Every layer of a spec run in torch: name -> (output shape in the spec's layout, params),
    or the exception torch raised (the layers after it are left out)."""
    spec = load_spec(path, input=input)
    report = {layer.name: layer for layer in network(path, input=input).layers}
    last = DATA_FORMATS[spec.data_format][1]
    ndim = len(spec.input) - 2

    def to_first(shape):  # the spec's layout -> torch's channels-first
        return (shape[0], shape[-1], *shape[1:-1]) if last else tuple(shape)

    def to_spec(shape):
        return (shape[0], *shape[2:], shape[1]) if last and len(shape) == ndim + 2 else tuple(shape)

    tensors = {"input": torch.zeros(to_first(spec.input), device=device)}
    results: dict[str, tuple[tuple[int, ...], int] | Exception] = {}
    with torch.no_grad():
        for layer in spec.layers:
            xs = [tensors[name] for name in layer.inputs]
            try:
                if layer.kind == "add":
                    y, params = xs[0] + xs[1], 0
                    for x in xs[2:]:
                        y = y + x
                elif layer.kind == "concat":
                    y, params = torch.cat(xs, dim=1 if layer.args.get("axis") is None else layer.args["axis"]), 0
                else:
                    # eval mode: shapes only (training BatchNorm also rejects one value per channel)
                    module = torch_layer(layer, xs[0], report[layer.name], spec.framework, device).eval()
                    y = module(xs[0])
                    params = sum(p.numel() for p in module.parameters())
            except (RuntimeError, ValueError) as exc:
                results[layer.name] = exc
                break
            tensors[layer.name] = y
            results[layer.name] = (to_spec(tuple(y.shape)), params)
    return results


@pytest.mark.parametrize("path", SPECS, ids=os.path.basename)
def test_example_spec_matches_torch_layer_by_layer(path):
    ours = network(path)
    theirs = run_in_torch(path)
    assert theirs, path
    for layer in ours.layers:
        if layer.name not in theirs:  # torch stopped at an earlier layer
            assert not layer.ok, f"{layer.name}: torch never got here, but convshape computes {layer.shape}"
            continue
        got = theirs[layer.name]
        if isinstance(got, Exception):
            assert not layer.ok and layer.rule not in ("input-failed", "expect"), \
                f"{layer.name}: torch raises ({got}) but convshape gives {layer.shape}"
            continue
        shape, params = got
        assert layer.shape == shape, f"{os.path.basename(path)} {layer.name}"
        assert layer.params == params, f"{os.path.basename(path)} {layer.name}: weights {layer.weight_shape}"


def test_broken_unet_fails_in_torch_where_convshape_says():
    path = os.path.join(ROOT, "examples", "ci", "broken_unet.toml")
    theirs = run_in_torch(path)
    failed = [name for name, got in theirs.items() if isinstance(got, Exception)]
    assert failed == ["cat2"]
    ours = network(path)
    assert [layer.name for layer in ours.errors] == ["cat2"]
    # the message on the CPU (meta words it differently), from the shapes torch itself made
    up2, skip2 = (torch.zeros(theirs[name][0]) for name in ("up2", "skip2"))
    with pytest.raises(RuntimeError) as real:
        torch.cat([up2, skip2], dim=1)
    assert str(real.value).rstrip(".") in ours.errors[0].error


# ---------------------------------------------------------------------------- models built by hand
class BasicBlock(nn.Module):
    """torchvision.models.resnet.BasicBlock (torchvision is not installed here), written out."""

    def __init__(self, cin: int, cout: int, stride: int) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.downsample = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout)) \
            if stride != 1 or cin != cout else None

    def forward(self, x):
        out = self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x)))))
        return F.relu(out + (self.downsample(x) if self.downsample is not None else x))


def resnet18():
    layers = [nn.Conv2d(3, 64, 7, 2, 3, bias=False), nn.BatchNorm2d(64), nn.ReLU(), nn.MaxPool2d(3, 2, 1)]
    cin = 64
    for cout, stride in ((64, 1), (128, 2), (256, 2), (512, 2)):
        layers += [BasicBlock(cin, cout, stride), BasicBlock(cout, cout, 1)]
        cin = cout
    return nn.Sequential(*layers, nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(512, 1000))


def test_resnet18_spec_is_torchvisions_resnet18():
    """An independent build of torchvision's resnet18 (not from the spec): same parameter count
    (11689512, torchvision's published number), stage shapes and output."""
    model = resnet18()
    ours = network(os.path.join(ROOT, "examples", "networks", "resnet18.toml"))
    assert ours.params == sum(p.numel() for p in model.parameters()) == 11689512
    shapes = {layer.name: layer.shape for layer in ours.layers}
    x = torch.zeros(1, 3, 224, 224, device="meta")
    model = model.to("meta")
    with torch.no_grad():
        for i, module in enumerate(model):
            x = module(x)
            name = {3: "maxpool", 5: "layer1.1.relu2", 7: "layer2.1.relu2", 9: "layer3.1.relu2",
                    11: "layer4.1.relu2", 12: "avgpool", 14: "fc"}.get(i)
            if name:
                assert shapes[name] == tuple(x.shape), name


def test_dcgan_spec_is_the_tutorial_generator():
    model = nn.Sequential(
        nn.ConvTranspose2d(100, 512, 4, 1, 0, bias=False), nn.BatchNorm2d(512), nn.ReLU(True),
        nn.ConvTranspose2d(512, 256, 4, 2, 1, bias=False), nn.BatchNorm2d(256), nn.ReLU(True),
        nn.ConvTranspose2d(256, 128, 4, 2, 1, bias=False), nn.BatchNorm2d(128), nn.ReLU(True),
        nn.ConvTranspose2d(128, 64, 4, 2, 1, bias=False), nn.BatchNorm2d(64), nn.ReLU(True),
        nn.ConvTranspose2d(64, 3, 4, 2, 1, bias=False), nn.Tanh())
    ours = network(os.path.join(ROOT, "examples", "networks", "dcgan.toml"))
    assert ours.params == sum(p.numel() for p in model.parameters()) == 3576704
    assert ours.output == tuple(model.to("meta")(torch.zeros(1, 100, 1, 1, device="meta")).shape) == (1, 3, 64, 64)


# ---------------------------------------------------------------------------- random chains
def random_layer(rng: random.Random, ndim: int, channels: int) -> tuple[str, nn.Module]:
    """One random layer as a chain string and the torch module it means (valid or not)."""
    d = f"{ndim}d"
    kind = rng.choice(("conv", "conv", "conv", "convT", "max", "avg", "upsample"))
    k = [rng.randint(1, 5) for _ in range(ndim)]
    s = [rng.choice((1, 1, 2, 3)) for _ in range(ndim)]
    dil = [rng.choice((1, 1, 2)) for _ in range(ndim)]
    p = [rng.randint(0, 3) for _ in range(ndim)]

    def axes(values):
        return ",".join(map(str, values))

    if kind == "conv":
        groups = rng.choice((1, 1, 1, 2, 3))
        cout = rng.choice((1, 2, 3, 4, 6))
        text = f"conv{d} {cout} k={axes(k)} s={axes(s)} p={axes(p)} d={axes(dil)} g={groups}"
        return text, lambda: CONV[ndim](channels, cout, k, s, p, dil, groups)
    if kind == "convT":
        groups = rng.choice((1, 1, 2))
        cout = rng.choice((1, 2, 4))
        op = [rng.randint(0, 2) for _ in range(ndim)]
        text = f"conv-transpose{d} {cout} k={axes(k)} s={axes(s)} p={axes(p)} d={axes(dil)} op={axes(op)} g={groups}"
        return text, lambda: CONV_T[ndim](channels, cout, k, s, p, op, groups, True, dil)
    if kind == "max":
        ceil = rng.random() < 0.3
        text = f"maxpool{d} k={axes(k)} s={axes(s)} p={axes(p)} d={axes(dil)} ceil_mode={ceil}"
        return text, lambda: MAX[ndim](k, s, p, dil, ceil_mode=ceil)
    if kind == "avg":
        ceil = rng.random() < 0.3
        text = f"avgpool{d} k={axes(k)} s={axes(s)} p={axes(p)} ceil_mode={ceil}"
        return text, lambda: AVG[ndim](k, s, p, ceil)
    mode = rng.choice(("nearest", "linear" if ndim == 1 else "bilinear"))
    scale = rng.choice((2, 3, 0.5, 1.5))
    return f"upsample{d} scale={scale} mode={mode}", lambda: nn.Upsample(scale_factor=scale, mode=mode)


def test_random_chains_match_torch_layer_by_layer():
    """Chains of 2-5 random layers: every output shape and parameter count as torch's, and the
    first rejection exactly where torch raises (the layers after it are 'input-failed')."""
    rng = random.Random(20261124)
    rejected = compared = 0
    for case in range(N_CHAINS):
        ndim = rng.choice((1, 2))
        channels = rng.choice((1, 2, 3, 4, 6))
        sizes = [rng.randint(1, 20) for _ in range(ndim)]
        texts, modules = [], []
        c = channels
        for _ in range(rng.randint(2, 5)):
            text, make = random_layer(rng, ndim, c)
            texts.append(text)
            modules.append(make)
            words = text.split()
            if words[0].startswith("conv"):
                c = int(words[1])
        ours = chain("x".join(map(str, (1, channels, *sizes))), texts)
        x = torch.zeros(1, channels, *sizes)
        context = f"case {case}: input {list(x.shape)}, " + " | ".join(texts)
        for i, (layer, make) in enumerate(zip(ours.layers, modules)):
            try:
                module = make()  # torch's constructor checks come first (groups)
                y = module(x)
            except (RuntimeError, ValueError) as exc:
                assert not layer.ok and layer.rule != "input-failed", \
                    f"torch rejects layer {i} ({exc}) but convshape gives {layer.shape}: {context}"
                assert all(later.rule == "input-failed" for later in ours.layers[i + 1:]), context
                rejected += 1
                break
            assert layer.ok, f"torch gives {tuple(y.shape)} at layer {i} but convshape says {layer.error}: {context}"
            assert layer.shape == tuple(y.shape), f"layer {i}: {context}"
            assert layer.params == sum(p.numel() for p in module.parameters()), f"layer {i}: {context}"
            compared += 1
            if 0 in y.shape:  # an empty tensor: convshape warns; stop comparing here
                assert any("output size 0" in note for note in layer.notes), context
                break
            x = y
    assert rejected > N_CHAINS // 10 and compared > N_CHAINS, (rejected, compared)


# ---------------------------------------------------------------------------- receptive fields
def measured_geometry(layers, size: int, ndim: int):
    """Receptive field, jump and start per axis of the last layer, measured by gradient:
    all-ones weights (a pool measured as the all-ones convolution of the same window, since a max
    pool sends its gradient to one cell only), backprop from two neighbouring central outputs;
    the nonzero span of the input gradient is the receptive field, its centre moves by the jump."""
    conv = {1: F.conv1d, 2: F.conv2d}[ndim]

    def forward(x):
        for kernel, stride, padding, dilation in layers:
            x = conv(x, torch.ones(1, 1, *kernel, dtype=torch.float64), stride=stride, padding=padding,
                     dilation=dilation)
        return x

    x = torch.zeros(1, 1, *(size,) * ndim, dtype=torch.float64)
    out = forward(x).shape[2:]
    geometry = []
    for axis in range(ndim):
        centres, spans = [], []
        for offset in (0, 1):
            x = torch.ones(1, 1, *(size,) * ndim, dtype=torch.float64, requires_grad=True)
            y = forward(x)
            index = [0, 0] + [o // 2 for o in out]
            index[2 + axis] += offset
            y[tuple(index)].backward()
            other = tuple(a for a in range(ndim) if a != axis)
            line = x.grad[0, 0].abs().sum(dim=other) if other else x.grad[0, 0]
            nonzero = torch.nonzero(line).flatten().tolist()
            assert nonzero[0] > 0 and nonzero[-1] < size - 1, "receptive field clipped: make the input bigger"
            spans.append(nonzero[-1] - nonzero[0] + 1)
            centres.append(Fraction(nonzero[0] + nonzero[-1], 2))
        jump = centres[1] - centres[0]
        geometry.append((spans[0], jump, centres[0] - (out[axis] // 2) * jump))
    return geometry


RF_CHAINS = [
    # (chain layers for convshape, the same windows as (kernel, stride, padding, dilation))
    ("dilated 3x3 stack (seed 003: 3, 7, 15)",
     ["conv2d 1 k=3 p=1", "conv2d 1 k=3 d=2 p=2", "conv2d 1 k=3 d=4 p=4"],
     [((3, 3), 1, 1, 1), ((3, 3), 1, 2, 2), ((3, 3), 1, 4, 4)]),
    ("resnet stem", ["conv2d 1 k=7 s=2 p=3", "maxpool2d k=3 s=2 p=1", "conv2d 1 k=3 p=1", "conv2d 1 k=3 p=1"],
     [((7, 7), 2, 3, 1), ((3, 3), 2, 1, 1), ((3, 3), 1, 1, 1), ((3, 3), 1, 1, 1)]),
    ("vgg-like", ["conv2d 1 k=3 p=1", "conv2d 1 k=3 p=1", "maxpool2d k=2", "conv2d 1 k=3 p=1", "maxpool2d k=2",
                  "conv2d 1 k=3"],
     [((3, 3), 1, 1, 1), ((3, 3), 1, 1, 1), ((2, 2), 2, 0, 1), ((3, 3), 1, 1, 1), ((2, 2), 2, 0, 1),
      ((3, 3), 1, 0, 1)]),
    ("per-axis kernels, strides, dilations",
     ["conv2d 1 k=5,3 s=2,1 p=2,0 d=1,3", "avgpool2d k=3,2 s=3,2 p=1,0", "conv2d 1 k=2,4 s=1,2 d=2,1"],
     [((5, 3), (2, 1), (2, 0), (1, 3)), ((3, 2), (3, 2), (1, 0), 1), ((2, 4), (1, 2), 0, (2, 1))]),
    ("1d with even kernels and dilated max pool",
     ["conv1d 1 k=4 s=2 p=1", "maxpool1d k=3 s=2 d=2 p=1", "conv1d 1 k=6 s=3 p=2"],
     [((4,), 2, 1, 1), ((3,), 2, 1, 2), ((6,), 3, 2, 1)]),
]


@pytest.mark.parametrize("title,texts,windows", RF_CHAINS, ids=[c[0] for c in RF_CHAINS])
def test_receptive_field_and_jump_match_gradient(title, texts, windows):
    ndim = 1 if texts[0].startswith("conv1d") else 2
    size = 160
    last = chain("x".join(["1", "1", *[str(size)] * ndim]), texts).layers[-1]
    assert last.ok, last.error
    measured = measured_geometry(windows, size, ndim)
    for axis, (rf, jump, start) in enumerate(measured):
        assert last.receptive_field[axis] == rf, f"{title}, axis {axis}"
        assert last.jump[axis] == jump, f"{title}, axis {axis}"
        assert last.start[axis] == start, f"{title}, axis {axis}"


def test_random_forward_chains_receptive_fields_match_gradient():
    rng = random.Random(7)
    measured = 0
    for _case in range(40):
        texts, windows = [], []
        for _ in range(rng.randint(1, 4)):
            k, s, d = rng.randint(1, 5), rng.choice((1, 2, 3)), rng.choice((1, 1, 2))
            p = rng.randint(0, d * (k - 1) // 2)
            if rng.random() < 0.3 and p <= k // 2:
                texts.append(f"maxpool1d k={k} s={s} p={p} d={d}")
            else:
                texts.append(f"conv1d 1 k={k} s={s} p={p} d={d}")
            windows.append(((k,), s, p, d))
        last = chain("1x1x800", texts).layers[-1]
        if not last.ok:  # a max pool padded past half its kernel: torch rejects it too
            continue
        (rf, jump, start), = measured_geometry(windows, 800, 1)
        assert (last.receptive_field[0], last.jump[0], last.start[0]) == (rf, jump, start), texts
        measured += 1
    assert measured > 25


# ---------------------------------------------------------------------------- the sweep against torch
TORCH_SPECS = [p for p in SPECS if load_spec(p).framework == "torch" and "broken" not in p]


@pytest.mark.parametrize("path", TORCH_SPECS, ids=os.path.basename)
def test_sweep_agrees_with_torch_on_both_sides_of_every_boundary(path):
    """Sizes the sweep accepts run in torch; sizes it rejects raise (or give an empty tensor):
    every size up to 40, then both sides of every boundary of the valid set up to 600."""
    from convshape.network.sweep import SpecNetwork, sweep

    spec = load_spec(path)
    result = sweep(path, (1, 600))
    net = SpecNetwork(spec, None)
    valid = set(result.sizes())
    boundaries = [n for n in range(1, 600) if (n in valid) != (n + 1 in valid)]
    sizes = sorted(set(range(1, 41)) | {m for n in boundaries[:60] for m in (n, n + 1)})
    for n in sizes:
        theirs = run_in_torch(path, input=net.input_shape(n))
        ran = all(not isinstance(got, Exception) and 0 not in got[0] for got in theirs.values()) and \
            len(theirs) == len(spec.layers)
        assert ran == (n in result), (os.path.basename(path), n, [g for g in theirs.values()
                                                                   if isinstance(g, Exception)][:1])
