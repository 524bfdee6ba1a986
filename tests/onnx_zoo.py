"""Small torch models for the ONNX model tests (tests only: torch is a test extra): one of each
architecture family users export, with tiny channel counts. ``ZOO`` maps a name to
``(factory, spatial rank, channels in, sizes to sweep)``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def _models() -> dict[str, tuple[Callable[[], Any], int, int, range]]:
    import torch
    import torch.nn.functional as F
    from torch import nn

    class ResNet(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.stem = nn.Conv2d(3, 4, 7, stride=2, padding=3, bias=False)
            self.bn = nn.BatchNorm2d(4)
            self.pool = nn.MaxPool2d(3, stride=2, padding=1)
            self.a1 = nn.Conv2d(4, 4, 3, padding=1)
            self.a2 = nn.Conv2d(4, 4, 3, padding=1)
            self.b1 = nn.Conv2d(4, 8, 3, stride=2, padding=1)
            self.b2 = nn.Conv2d(8, 8, 3, padding=1)
            self.down = nn.Conv2d(4, 8, 1, stride=2)
            self.fc = nn.Linear(8, 5)

        def forward(self, x: Any) -> Any:
            x = self.pool(F.relu(self.bn(self.stem(x))))
            x = F.relu(x + self.a2(F.relu(self.a1(x))))
            x = F.relu(self.down(x) + self.b2(F.relu(self.b1(x))))
            return self.fc(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1))

    class UNet(nn.Module):  # ConvTranspose up-sampling and concat skips: sizes must divide by 4
        def __init__(self) -> None:
            super().__init__()
            self.e1 = nn.Conv2d(1, 2, 3, padding=1)
            self.e2 = nn.Conv2d(2, 4, 3, padding=1)
            self.mid = nn.Conv2d(4, 4, 3, padding=1)
            self.u2 = nn.ConvTranspose2d(4, 4, 2, stride=2)
            self.d2 = nn.Conv2d(8, 2, 3, padding=1)
            self.u1 = nn.ConvTranspose2d(2, 2, 2, stride=2)
            self.d1 = nn.Conv2d(4, 1, 1)

        def forward(self, x: Any) -> Any:
            a = F.relu(self.e1(x))
            b = F.relu(self.e2(F.max_pool2d(a, 2)))
            m = self.mid(F.max_pool2d(b, 2))
            y = F.relu(self.d2(torch.cat([self.u2(m), b], 1)))
            return self.d1(torch.cat([self.u1(y), a], 1))

    class UNetResize(nn.Module):  # interpolate(size=skip.shape[2:]): every size works
        def __init__(self) -> None:
            super().__init__()
            self.e1 = nn.Conv2d(1, 2, 3, padding=1)
            self.e2 = nn.Conv2d(2, 2, 3, stride=2, padding=1)
            self.e3 = nn.Conv2d(2, 2, 3, stride=2, padding=1)
            self.d = nn.Conv2d(4, 1, 3, padding=1)

        def forward(self, x: Any) -> Any:
            a = self.e1(x)
            b = self.e3(self.e2(a))
            up = F.interpolate(b, size=a.shape[2:], mode="bilinear", align_corners=False)
            return self.d(torch.cat([up, a], 1))

    class GoogLeNet(nn.Module):  # ceil_mode pools
        def __init__(self) -> None:
            super().__init__()
            self.c1 = nn.Conv2d(3, 4, 7, stride=2, padding=3)
            self.p1 = nn.MaxPool2d(3, stride=2, ceil_mode=True)
            self.b1 = nn.Conv2d(4, 2, 1)
            self.b2 = nn.Conv2d(4, 2, 3, padding=1)
            self.bp = nn.MaxPool2d(3, stride=1, padding=1, ceil_mode=True)
            self.p2 = nn.MaxPool2d(3, stride=2, ceil_mode=True)
            self.avg = nn.AvgPool2d(5, stride=3, ceil_mode=True)

        def forward(self, x: Any) -> Any:
            x = self.p1(F.relu(self.c1(x)))
            x = torch.cat([self.b1(x), self.b2(x), self.bp(x)[:, :2]], 1)
            return self.avg(self.p2(x))

    class MobileNet(nn.Module):  # depthwise separable blocks, hard-swish
        def __init__(self) -> None:
            super().__init__()
            self.stem = nn.Conv2d(3, 4, 3, stride=2, padding=1)
            self.dw = nn.Conv2d(4, 4, 3, stride=2, padding=1, groups=4)
            self.pw = nn.Conv2d(4, 8, 1)
            self.dw2 = nn.Conv2d(8, 8, 5, stride=2, padding=2, groups=8)

        def forward(self, x: Any) -> Any:
            x = F.hardswish(self.stem(x))
            x = F.relu6(self.pw(self.dw(x)))
            return F.adaptive_avg_pool2d(self.dw2(x), 1).flatten(1)

    class FCN(nn.Module):  # ConvTranspose k 16 s 8, cropped back to the input with the input's own size
        def __init__(self) -> None:
            super().__init__()
            self.body = nn.Sequential(nn.Conv2d(3, 4, 3, stride=2, padding=1), nn.ReLU(),
                                      nn.Conv2d(4, 4, 3, stride=2, padding=1), nn.ReLU(),
                                      nn.Conv2d(4, 2, 3, stride=2, padding=1))
            self.up = nn.ConvTranspose2d(2, 2, 16, stride=8, bias=False)

        def forward(self, x: Any) -> Any:
            y = self.up(self.body(x))
            return y[:, :, 4:4 + x.shape[2], 4:4 + x.shape[3]]

    class DCGenerator(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.net = nn.Sequential(nn.ConvTranspose2d(4, 8, 4, 1, 0, bias=False), nn.BatchNorm2d(8), nn.ReLU(),
                                     nn.ConvTranspose2d(8, 4, 4, 2, 1, bias=False), nn.BatchNorm2d(4), nn.ReLU(),
                                     nn.ConvTranspose2d(4, 3, 4, 2, 1, bias=False), nn.Tanh())

        def forward(self, x: Any) -> Any:
            return self.net(x)

    class DCDiscriminator(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.net = nn.Sequential(nn.Conv2d(3, 4, 4, 2, 1, bias=False), nn.LeakyReLU(0.2),
                                     nn.Conv2d(4, 8, 4, 2, 1, bias=False), nn.BatchNorm2d(8), nn.LeakyReLU(0.2),
                                     nn.Conv2d(8, 1, 4, 1, 0, bias=False), nn.Sigmoid())

        def forward(self, x: Any) -> Any:
            return self.net(x)

    class ESPCN(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.c1 = nn.Conv2d(1, 4, 5, padding=2)
            self.c2 = nn.Conv2d(4, 9, 3, padding=1)
            self.shuffle = nn.PixelShuffle(3)

        def forward(self, x: Any) -> Any:
            return self.shuffle(self.c2(torch.tanh(self.c1(x))))

    class Dilated(nn.Module):  # context module: dilations 1, 2, 4, 8 with padding = dilation, then valid ones
        def __init__(self) -> None:
            super().__init__()
            self.layers = nn.ModuleList(nn.Conv2d(2, 2, 3, padding=d, dilation=d) for d in (1, 2, 4, 8))
            self.valid = nn.Conv2d(2, 2, 3, dilation=4)

        def forward(self, x: Any) -> Any:
            for layer in self.layers:
                x = F.relu(layer(x))
            return self.valid(x)

    class Net1d(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.c1 = nn.Conv1d(2, 4, 5, stride=2, padding=2)
            self.p = nn.MaxPool1d(3, stride=2, ceil_mode=True)
            self.up = nn.ConvTranspose1d(4, 2, 3, stride=2, padding=1, output_padding=1)

        def forward(self, x: Any) -> Any:
            return self.up(self.p(F.gelu(self.c1(x))))

    class Net3d(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.c1 = nn.Conv3d(1, 2, 3, padding=1)
            self.c2 = nn.Conv3d(2, 2, 3, stride=2)

        def forward(self, x: Any) -> Any:
            y = F.max_pool3d(F.relu(self.c1(x)), 2)
            return F.interpolate(self.c2(y), scale_factor=2, mode="nearest")

    class TFPad(nn.Module):  # TensorFlow 'same' for stride 2 as an explicit asymmetric F.pad
        def __init__(self) -> None:
            super().__init__()
            self.c1 = nn.Conv2d(3, 4, 3, stride=2)
            self.c2 = nn.Conv2d(4, 4, 4, stride=2)

        def forward(self, x: Any) -> Any:
            x = self.c1(F.pad(x, (0, 1, 0, 1)))
            return self.c2(F.pad(x, (1, 2, 1, 2), mode="reflect"))

    class Head(nn.Module):  # Flatten + Linear: one size (and its stride-rounding neighbours) only
        def __init__(self) -> None:
            super().__init__()
            self.c = nn.Conv2d(1, 2, 3, stride=2, padding=1)
            self.fc = nn.Linear(2 * 8 * 8, 3)

        def forward(self, x: Any) -> Any:
            return self.fc(torch.flatten(F.max_pool2d(F.relu(self.c(x)), 2), 1))

    class Scales(nn.Module):  # a float upsampling scale: onnxruntime rounds in float32
        def __init__(self) -> None:
            super().__init__()
            self.c = nn.Conv2d(1, 1, 3, stride=2)

        def forward(self, x: Any) -> Any:
            y = F.interpolate(self.c(x), scale_factor=1.7, mode="nearest")
            return F.interpolate(y, scale_factor=2, mode="bilinear")

    class ShapeArithmetic(nn.Module):  # sizes computed from the input's shape: Div, Floor, Mul, Cast, Add
        def forward(self, x: Any) -> Any:
            h, w = x.shape[2], x.shape[3]
            y = F.interpolate(x, size=(h // 3 * 2 + 1, (w + 1) // 2), mode="nearest")
            z = F.interpolate(y, scale_factor=1.5, mode="bilinear", recompute_scale_factor=True)
            return z[:, :, : z.shape[2] // 2, 1:]

    return {"shape_arithmetic": (ShapeArithmetic, 2, 1, range(1, 81)), "resnet": (ResNet, 2, 3, range(1, 81)),
            "unet": (UNet, 2, 1, range(1, 81)),
            "unet_resize": (UNetResize, 2, 1, range(1, 81)), "googlenet": (GoogLeNet, 2, 3, range(1, 81)),
            "mobilenet": (MobileNet, 2, 3, range(1, 81)), "fcn": (FCN, 2, 3, range(1, 81)),
            "dcgan_generator": (DCGenerator, 2, 4, range(1, 41)),
            "dcgan_discriminator": (DCDiscriminator, 2, 3, range(1, 81)), "espcn": (ESPCN, 2, 1, range(1, 61)),
            "dilated": (Dilated, 2, 2, range(1, 81)), "net1d": (Net1d, 1, 2, range(1, 201)),
            "net3d": (Net3d, 3, 1, range(1, 25)), "tf_pad": (TFPad, 2, 3, range(1, 81)),
            "head": (Head, 2, 1, range(1, 81)), "scales": (Scales, 2, 1, range(1, 121))}


def export(name: str, path: str, opset: int | None = None) -> tuple[int, int, range]:
    """Export ZOO model ``name`` with the TorchScript exporter, H/W (and N) dynamic; returns
    (spatial rank, channels, sizes)."""
    import torch

    factory, rank, channels, sizes = _models()[name]
    torch.manual_seed(0)
    model = factory().eval()
    example = torch.zeros((1, channels) + (32,) * rank) if name != "dcgan_generator" else torch.zeros(1, channels, 1, 1)
    axes = {0: "N", **{2 + i: f"S{i}" for i in range(rank)}}
    torch.onnx.export(model, (example,), path, dynamo=False, input_names=["x"], output_names=["y"],
                      dynamic_axes={"x": axes}, opset_version=opset)
    return rank, channels, sizes


NAMES = ("resnet", "unet", "unet_resize", "googlenet", "mobilenet", "fcn", "dcgan_generator", "dcgan_discriminator",
         "espcn", "dilated", "net1d", "net3d", "tf_pad", "head", "scales", "shape_arithmetic")
