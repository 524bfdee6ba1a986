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

Each dynamic model is exported with batch, H and W dynamic (dynamo: ``torch.export.Dim.AUTO``
so that torch.export records the divisibility it derives instead of failing).
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


#: name -> (module factory, example input shape, dynamic)
MODELS: dict[str, tuple[Any, tuple[int, ...], bool]] = {
    "convpool": (ConvPool, (1, 3, 32, 32), True),
    "unet": (lambda: UNet(interpolate=False), (1, 3, 32, 32), True),
    "unet_interp": (lambda: UNet(interpolate=True), (1, 3, 32, 32), True),
    "flatten_linear": (FlattenLinear, (1, 3, 16, 16), False),
}


def export(name: str, exporter: str) -> dict[str, Any]:
    factory, shape, dynamic = MODELS[name]
    torch.manual_seed(0)
    model = factory().eval()
    x = torch.randn(*shape)
    path = os.path.join(OUT, f"{name}_{exporter}.onnx")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if exporter == "script":
            axes = {"x": {0: "batch", 2: "height", 3: "width"}, "y": {0: "batch"}} if dynamic else None
            torch.onnx.export(model, (x,), path, dynamo=False, opset_version=OPSET, input_names=["x"],
                              output_names=["y"], dynamic_axes=axes)
        else:
            auto = torch.export.Dim.AUTO
            shapes = {"x": {0: auto, 2: auto, 3: auto}} if dynamic else None
            program = torch.onnx.export(model, (x,), dynamo=True, opset_version=OPSET, input_names=["x"],
                                        output_names=["y"], dynamic_shapes=shapes)
            assert program is not None
            program.save(path)
    return {"file": os.path.basename(path), "model": name, "exporter": exporter, "input_shape": list(shape),
            "dynamic_axes": [0, 2, 3] if dynamic else [], "bytes": os.path.getsize(path)}


def main() -> None:
    import onnx
    import onnxscript

    os.makedirs(OUT, exist_ok=True)
    records = [export(name, exporter) for name in MODELS for exporter in ("script", "dynamo")]
    manifest = {"generator": "tests/data/generate_onnx_models.py", "opset": OPSET,
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
