"""torch.export with the dynamic_shapes convshape emits (``sweep --emit torch-export``): for torch
models built layer by layer from a spec (U-Net, ResNet-18, a ceil_mode GoogLeNet-style net, an
FCN, a Flatten + Linear head), export succeeds, the exported program runs at sizes of the emitted
set, and eager torch accepts exactly the sizes the constraints allow (the spec is exact, not
merely safe) on every size of a range.

Skipped where torch is missing, except when ``CONVSHAPE_REQUIRE_TORCH`` is set (CI), where a
missing torch is an error.
"""

from __future__ import annotations

import warnings

import pytest

from convshape.network.emit import emit
from convshape.network.evaluate import NetworkSpec, load_spec, parse_chain
from convshape.network.symbolic import analyse, constraints

from difftools import require_torch  # noqa: E402

torch = require_torch()

from torch import nn  # noqa: E402
import torch.fx.experimental._config as fx_config  # noqa: E402
from torch.export import Dim  # noqa: E402

from test_torch_network_differential import torch_layer  # noqa: E402

warnings.filterwarnings("ignore")


def slim(spec: NetworkSpec, divide: int) -> NetworkSpec:
    """The spec with its channels divided (spatial sizes do not depend on them) and no fixed
    in_features on a linear after global pooling (it follows the channels)."""
    layers = []
    for layer in spec.layers:
        args = dict(layer.args)
        if "out_channels" in args:
            args["out_channels"] = max(2, args["out_channels"] // divide)
        if layer.kind == "linear" and divide > 1:
            args.pop("in_features", None)
        layers.append(layer._replace(args=args, expect=None))
    return spec._replace(layers=tuple(layers))


class SpecNet(nn.Module):
    """A spec's layers as torch modules, run in the spec's order (merges by name)."""

    def __init__(self, spec: NetworkSpec) -> None:
        super().__init__()
        self.spec = spec
        self.mods = nn.ModuleDict()
        tensors = {"input": torch.zeros(spec.input)}
        with torch.no_grad():
            for layer in spec.layers:
                xs = [tensors[name] for name in layer.inputs]
                if layer.kind not in ("concat", "add"):
                    self.mods[layer.name.replace(".", "_")] = torch_layer(layer, xs[0], None, "torch", "cpu")
                tensors[layer.name] = self._apply(layer, xs)
        self.eval()

    def _apply(self, layer, xs):
        if layer.kind == "add":
            return xs[0] + xs[1]
        if layer.kind == "concat":
            return torch.cat(xs, dim=1)
        return self.mods[layer.name.replace(".", "_")](xs[0])

    def forward(self, x):
        tensors = {"input": x}
        for layer in self.spec.layers:
            tensors[layer.name] = self._apply(layer, [tensors[name] for name in layer.inputs])
        return tensors[self.spec.layers[-1].name]


def runs(model: nn.Module, shape: tuple[int, ...]) -> bool:
    try:
        with torch.no_grad():
            model(torch.zeros(shape))
        return True
    except (RuntimeError, ValueError):
        return False


GOOGLENET = ["conv2d 8 k=7 s=2 p=3 name=conv1", "maxpool2d k=3 s=2 ceil_mode=true name=pool1",
             "conv2d 8 k=3 p=1 name=conv2", "maxpool2d k=3 s=2 ceil_mode=true name=pool2",
             "conv2d 4 k=1 name=b1 inputs=pool2", "conv2d 4 k=3 p=1 name=b2 inputs=pool2",
             "maxpool2d k=3 s=1 p=1 ceil_mode=true name=b3p inputs=pool2", "conv2d 4 k=1 name=b3 inputs=b3p",
             "concat inputs=b1,b2,b3 name=inception", "maxpool2d k=3 s=2 ceil_mode=true name=pool3",
             "adaptive-avgpool2d 1 name=gap"]
RESNET = ["conv2d 8 k=7 s=2 p=3 name=conv1", "batchnorm2d name=bn1", "relu name=relu",
          "maxpool2d k=3 s=2 p=1 name=pool",
          "conv2d 8 k=3 p=1 name=b1c1", "relu name=b1r", "conv2d 8 k=3 p=1 name=b1c2", "add inputs=b1c2,pool name=b1",
          "conv2d 16 k=3 s=2 p=1 name=b2c1 inputs=b1", "relu name=b2r", "conv2d 16 k=3 p=1 name=b2c2",
          "conv2d 16 k=1 s=2 name=b2d inputs=b1", "add inputs=b2c2,b2d name=b2",
          "conv2d 32 k=3 s=2 p=1 name=b3c1 inputs=b2", "conv2d 32 k=3 p=1 name=b3c2",
          "conv2d 32 k=1 s=2 name=b3d inputs=b2", "add inputs=b3c2,b3d name=b3", "adaptive-avgpool2d 1 name=gap",
          "flatten name=flat", "linear 10 name=fc"]
FCN = ["conv2d 4 k=3 p=1 name=c1", "maxpool2d k=2 name=p1", "conv2d 4 k=3 p=1 name=c2", "maxpool2d k=2 name=p2",
       "conv2d 4 k=3 p=1 name=c3", "maxpool2d k=2 name=p3", "conv2d 4 k=3 p=1 name=c4", "maxpool2d k=2 name=p4",
       "conv2d 4 k=3 p=1 name=c5", "maxpool2d k=2 name=p5", "conv2d 2 k=1 name=score5",
       "deconv2d 2 k=4 s=2 p=1 name=up2", "conv2d 2 k=1 name=score4 inputs=p4", "add inputs=up2,score4 name=fuse",
       "deconv2d 2 k=32 s=16 p=8 name=up16"]

MODELS = {
    "unet": (lambda: slim(load_spec("examples/networks/unet.toml", input="1x3x64x64"), 16), 50, True),
    "resnet": (lambda: parse_chain("1x3x64x64", RESNET), 48, True),
    "googlenet-ceil": (lambda: parse_chain("1x3x96x96", GOOGLENET), 48, False),
    "fcn": (lambda: parse_chain("1x3x64x64", FCN), 70, False),
    "lenet-flatten": (lambda: load_spec("examples/networks/lenet5.json"), 48, True),
}


@pytest.mark.parametrize("name", list(MODELS))
def test_emitted_dynamic_shapes_export_and_are_exact(name: str) -> None:
    build, top, one_progression = MODELS[name]
    spec = build()
    model = SpecNet(spec)
    net = analyse(spec)
    emitted = emit(net, "torch-export", (1, 4096))
    # exact: one progression per axis, emitted as it is (ceil_mode: one residue class, said in a note)
    assert emitted.exact == (one_progression and "ceil" not in name), emitted.notes
    if name == "unet":  # what `convshape sweep examples/networks/unet.toml --emit torch-export` prints
        shipped = emit(analyse("examples/networks/unet.toml"), "torch-export", (1, 4096))
        assert (shipped.data["dims"], shipped.data["dynamic_shapes"]) == \
            (emitted.data["dims"], emitted.data["dynamic_shapes"]) == \
            ({"h": {"min": 1, "max": 256}, "w": {"min": 1, "max": 256}}, {"x": {"2": "16 * h", "3": "16 * w"}})
    dims = {d: Dim(d, min=b["min"], max=b["max"]) for d, b in emitted.data["dims"].items()}
    dynamic = {int(k): eval(v, {}, dict(dims)) for k, v in emitted.data["dynamic_shapes"]["x"].items()}
    example = tuple(emitted.data["example"])
    with fx_config.patch(backed_size_oblivious=emitted.data["backed_size_oblivious"]):
        exported = torch.export.export(model, (torch.zeros(example),), dynamic_shapes={"x": dynamic})
    program = exported.module()
    for axis, position in enumerate(net.positions):
        allowed = constraints(net, (1, top), axis=axis)
        chosen = [a for a in emitted.data["axes"] if a["position"] == position][0]["emitted"]
        for n in range(1, top + 1 if axis == 0 else top // 2):
            shape = list(example)
            shape[position] = n
            # eager torch: exactly the sizes the constraints allow
            assert runs(model, tuple(shape)) == (n in allowed), (name, axis, n, allowed.reduced())
        # the exported program: the sizes of the emitted progression (the first ones, and one far up)
        members = list(range(chosen["start"], min(chosen["stop"], top) + 1, chosen["step"]))[:4]
        far = chosen["start"] + (min(chosen["stop"], 200) - chosen["start"]) // chosen["step"] * chosen["step"]
        members.append(far)  # one far up: the program is not just the example's
        for n in members:
            shape = list(example)
            shape[position] = n
            with torch.no_grad():
                out = program(torch.zeros(tuple(shape)))
                assert tuple(out.shape) == tuple(model(torch.zeros(tuple(shape))).shape)
