"""Export small torch models to ONNX with both exporters, for convshape's ONNX reader and engine tests.

Writes ``tests/data/onnx_models/<model>_script.onnx`` (the TorchScript exporter,
``torch.onnx.export(..., dynamo=False, dynamic_axes=...)``) and ``<model>_dynamo.onnx``
(``torch.onnx.export(..., dynamo=True, dynamic_shapes=...)``), plus ``manifest.json`` recording,
per file: the model, the exporter, the example input shape, which input axes were exported as
dynamic, and the torch / onnx / onnxscript versions. It is NOT run by the test suite (the dynamo
exporter needs onnxscript, which CI does not install); the tests read the committed files.
Run it by hand from the repository root::

    python tests/data/generate_onnx_models.py

The models (tiny channel counts, so the files stay small; weights are seeded, not trained):

    convpool        Conv k3 s2 p1 + BatchNorm + ReLU, MaxPool k3 s2 ceil_mode=True (GoogLeNet
                    style), Conv k3 dilation 2, AvgPool k2 s2 ceil_mode=True count_include_pad=False
    unet            two-level U-Net: Conv/ReLU, MaxPool 2, ConvTranspose k2 s2 up, Concat skip
                    (accepts only H, W divisible by 4)
    unet_interp     the same U-Net upsampling with F.interpolate(size=skip.shape[2:]) (nearest),
                    so any H, W >= 4 works
    flatten_linear  Conv k3 s2 + ReLU + Flatten + Linear: accepts only the one exported size
                    (exported with static shapes: a dynamic H/W cannot reach a Linear layer)
    mobilenet       stem Conv s2 + ReLU6, depthwise Conv (groups 4) s2, pointwise Conv, HardSwish,
                    adaptive_avg_pool2d(1) + Flatten + Linear (any size: the pool is global)
    resnet_block    Conv k7 s2 p3, MaxPool k3 s2 p1, a basic block with a stride-2 1x1 downsample + Add
    espcn           Conv k5 p2, Tanh, Conv k3 p1, PixelShuffle(2) (DepthToSpace)
    fcn32           five Conv + MaxPool 2 stages, 1x1 score, ConvTranspose k64 s32 p16 (FCN-32s)
    dcgan_generator ConvTranspose k4 s1 p0 then k4 s2 p1 twice, from a 1x1 latent (batch dynamic only)
    dcgan_discriminator  Conv k4 s2 p1 twice, Conv k4 s1 p0, LeakyReLU, BatchNorm, Sigmoid
    dilated         3x3 Convs with dilation 1, 2, 4 and padding = dilation
    pad_asym        TF-style SAME: F.pad(x, (0, 1, 0, 1)), Conv k3 s2, AvgPool k3 s2 p1
    conv1d          Conv1d k5 s2, MaxPool1d k3 s2 p1, Conv1d k3 dilation 2 (length dynamic)
    conv3d          Conv3d k3 s2 p1, MaxPool3d 2, ConvTranspose3d k2 s2 (D, H, W dynamic)

Each dynamic model is exported with batch and every spatial axis dynamic (the TorchScript
exporter names them batch / length / depth / height / width; dynamo: ``torch.export.Dim.AUTO``,
so that torch.export records the relations it derives instead of failing). Opset 17 is asked of
both exporters; the dynamo exporter builds opset 18 and converts down, and keeps 18 where onnx's
version converter cannot (Pad, ReduceMean with axes as an input): each record's "opset" is the
file's own. The exports are deterministic: running the script again rewrites the same bytes.
"""

from __future__ import annotations

import json
import os
import sys
import warnings
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "onnx_models")
OPSET = 17


class ConvPool(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(3, 4, 3, stride=2, padding=1)
        self.bn = nn.BatchNorm2d(4)
        self.pool1 = nn.MaxPool2d(3, stride=2, ceil_mode=True)
        self.conv2 = nn.Conv2d(4, 4, 3, dilation=2)
        self.pool2 = nn.AvgPool2d(2, stride=2, ceil_mode=True, count_include_pad=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.pool1(torch.relu(self.bn(self.conv1(x))))
        return self.pool2(torch.relu(self.conv2(x)))


def block(cin: int, cout: int) -> nn.Module:
    return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1), nn.ReLU())


class UNet(nn.Module):
    def __init__(self, interpolate: bool) -> None:
        super().__init__()
        self.interpolate = interpolate
        self.enc1 = block(3, 4)
        self.enc2 = block(4, 8)
        self.mid = block(8, 8)
        self.up2 = nn.ConvTranspose2d(8, 8, 2, stride=2)
        self.dec2 = block(16, 4)
        self.up1 = nn.ConvTranspose2d(4, 4, 2, stride=2)
        self.dec1 = block(8, 4)
        self.head = nn.Conv2d(4, 2, 1)

    def up(self, conv: nn.Module, x: torch.Tensor, skip: torch.Tensor) -> torch.Tensor:
        if self.interpolate:
            return F.interpolate(x, size=skip.shape[2:], mode="nearest")
        return conv(x)  # type: ignore[no-any-return]

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        s1 = self.enc1(x)
        s2 = self.enc2(F.max_pool2d(s1, 2))
        m = self.mid(F.max_pool2d(s2, 2))
        d2 = self.dec2(torch.cat([self.up(self.up2, m, s2), s2], dim=1))
        d1 = self.dec1(torch.cat([self.up(self.up1, d2, s1), s1], dim=1))
        return self.head(d1)  # type: ignore[no-any-return]


class FlattenLinear(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3, stride=2)
        self.fc = nn.Linear(4 * 7 * 7, 5)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc(torch.flatten(torch.relu(self.conv(x)), 1))  # type: ignore[no-any-return]


class MobileNet(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.stem = nn.Conv2d(3, 4, 3, stride=2, padding=1)
        self.dw = nn.Conv2d(4, 4, 3, stride=2, padding=1, groups=4)
        self.pw = nn.Conv2d(4, 8, 1)
        self.fc = nn.Linear(8, 3)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = F.relu6(self.stem(x))
        x = F.hardswish(self.pw(F.relu6(self.dw(x))))
        return self.fc(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1))  # type: ignore[no-any-return]


class ResNetBlock(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.stem = nn.Conv2d(3, 4, 7, stride=2, padding=3)
        self.pool = nn.MaxPool2d(3, stride=2, padding=1)
        self.a = nn.Conv2d(4, 8, 3, stride=2, padding=1)
        self.b = nn.Conv2d(8, 8, 3, padding=1)
        self.down = nn.Conv2d(4, 8, 1, stride=2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.pool(F.relu(self.stem(x)))
        return F.relu(self.b(F.relu(self.a(x))) + self.down(x))  # type: ignore[no-any-return]


class ESPCN(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.a = nn.Conv2d(1, 4, 5, padding=2)
        self.b = nn.Conv2d(4, 4, 3, padding=1)
        self.shuffle = nn.PixelShuffle(2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.shuffle(self.b(torch.tanh(self.a(x))))  # type: ignore[no-any-return]


class FCN(nn.Module):
    """FCN-32s: five conv + pool-2 stages, a 1x1 score, ConvTranspose k64 s32 p16 back to the input size."""

    def __init__(self) -> None:
        super().__init__()
        self.stages = nn.ModuleList(nn.Conv2d(3 if i == 0 else 2, 2, 3, padding=1) for i in range(5))
        self.score = nn.Conv2d(2, 2, 1)
        self.up = nn.ConvTranspose2d(2, 2, 64, stride=32, padding=16, bias=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        for conv in self.stages:
            x = F.max_pool2d(F.relu(conv(x)), 2)
        return self.up(self.score(x))  # type: ignore[no-any-return]


class DCGANGenerator(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.net = nn.Sequential(nn.ConvTranspose2d(8, 4, 4, 1, 0), nn.BatchNorm2d(4), nn.ReLU(),
                                 nn.ConvTranspose2d(4, 2, 4, 2, 1), nn.BatchNorm2d(2), nn.ReLU(),
                                 nn.ConvTranspose2d(2, 1, 4, 2, 1), nn.Tanh())

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x)  # type: ignore[no-any-return]


class DCGANDiscriminator(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.net = nn.Sequential(nn.Conv2d(1, 2, 4, 2, 1), nn.LeakyReLU(0.2), nn.Conv2d(2, 4, 4, 2, 1),
                                 nn.BatchNorm2d(4), nn.LeakyReLU(0.2), nn.Conv2d(4, 1, 4, 1, 0), nn.Sigmoid())

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x)  # type: ignore[no-any-return]


class Dilated(nn.Module):
    """A context module: 3x3 convs with dilation 1, 2, 4 and padding = dilation (size kept)."""

    def __init__(self) -> None:
        super().__init__()
        self.convs = nn.ModuleList(nn.Conv2d(3 if d == 1 else 4, 4, 3, padding=d, dilation=d) for d in (1, 2, 4))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        for conv in self.convs:
            x = F.relu(conv(x))
        return x


class PadAsym(nn.Module):
    """TF-style SAME for a stride-2 conv: F.pad(x, (0, 1, 0, 1)) then an unpadded conv k3 s2."""

    def __init__(self) -> None:
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3, stride=2)
        self.pool = nn.AvgPool2d(3, stride=2, padding=1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.pool(self.conv(F.pad(x, (0, 1, 0, 1))))  # type: ignore[no-any-return]


class Conv1d(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.a = nn.Conv1d(2, 4, 5, stride=2)
        self.pool = nn.MaxPool1d(3, stride=2, padding=1)  # ceil_mode=True here: torch.export fails (sympy)
        self.b = nn.Conv1d(4, 4, 3, dilation=2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.b(self.pool(F.relu(self.a(x))))  # type: ignore[no-any-return]


class Conv3d(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.a = nn.Conv3d(1, 2, 3, stride=2, padding=1)
        self.pool = nn.MaxPool3d(2)
        self.up = nn.ConvTranspose3d(2, 2, 2, stride=2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.up(self.pool(F.relu(self.a(x))))  # type: ignore[no-any-return]


#: name -> (module factory, example input shape, the input axes exported as dynamic)
MODELS: dict[str, tuple[Any, tuple[int, ...], tuple[int, ...]]] = {
    "convpool": (ConvPool, (1, 3, 32, 32), (0, 2, 3)),
    "unet": (lambda: UNet(interpolate=False), (1, 3, 32, 32), (0, 2, 3)),
    "unet_interp": (lambda: UNet(interpolate=True), (1, 3, 32, 32), (0, 2, 3)),
    "flatten_linear": (FlattenLinear, (1, 3, 16, 16), ()),
    "mobilenet": (MobileNet, (1, 3, 32, 32), (0, 2, 3)),
    "resnet_block": (ResNetBlock, (1, 3, 32, 32), (0, 2, 3)),
    "espcn": (ESPCN, (1, 1, 16, 16), (0, 2, 3)),
    "fcn32": (FCN, (1, 3, 64, 64), (0, 2, 3)),
    "dcgan_generator": (DCGANGenerator, (1, 8, 1, 1), (0,)),
    "dcgan_discriminator": (DCGANDiscriminator, (1, 1, 16, 16), (0, 2, 3)),
    "dilated": (Dilated, (1, 3, 16, 16), (0, 2, 3)),
    "pad_asym": (PadAsym, (1, 3, 16, 16), (0, 2, 3)),
    "conv1d": (Conv1d, (1, 2, 40), (0, 2)),
    "conv3d": (Conv3d, (1, 1, 8, 8, 8), (0, 2, 3, 4)),
}
#: the names of dynamic axes in the TorchScript exports, by input rank
AXIS_NAMES = {3: ("batch", "", "length"), 4: ("batch", "", "height", "width"),
              5: ("batch", "", "depth", "height", "width")}


def export(name: str, exporter: str) -> dict[str, Any]:
    factory, shape, dynamic = MODELS[name]
    torch.manual_seed(0)
    model = factory().eval()
    x = torch.randn(*shape)
    path = os.path.join(OUT, f"{name}_{exporter}.onnx")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if exporter == "script":
            axes = {"x": {a: AXIS_NAMES[len(shape)][a] for a in dynamic}, "y": {0: "batch"}} if dynamic else None
            torch.onnx.export(model, (x,), path, dynamo=False, opset_version=OPSET, input_names=["x"],
                              output_names=["y"], dynamic_axes=axes)
        else:
            auto = torch.export.Dim.AUTO
            shapes = {"x": dict.fromkeys(dynamic, auto)} if dynamic else None
            program = torch.onnx.export(model, (x,), dynamo=True, opset_version=OPSET, input_names=["x"],
                                        output_names=["y"], dynamic_shapes=shapes)
            assert program is not None
            program.save(path)
    import onnx

    opset = {o.domain: o.version for o in onnx.load(path).opset_import}[""]
    return {"file": os.path.basename(path), "model": name, "exporter": exporter, "opset": opset,
            "input_shape": list(shape),
            "dynamic_axes": list(dynamic), "bytes": os.path.getsize(path)}


def main() -> None:
    import onnx
    import onnxscript

    os.makedirs(OUT, exist_ok=True)
    records = [export(name, exporter) for name in MODELS for exporter in ("script", "dynamo")]
    manifest = {"generator": "tests/data/generate_onnx_models.py", "requested_opset": OPSET,
                "versions": {"torch": torch.__version__, "onnx": onnx.__version__,
                             "onnxscript": onnxscript.__version__, "python": sys.version.split()[0]},
                "models": records}
    with open(os.path.join(OUT, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
        f.write("\n")
    for r in records:
        print(r["file"], r["bytes"])


if __name__ == "__main__":
    main()
