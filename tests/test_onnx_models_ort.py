"""ONNX models against onnxruntime itself: for every model of tests/onnx_zoo.py (exported here with
the TorchScript exporter, and committed dynamo exports) and the exporter models of
tests/data/onnx_models, onnxruntime runs every input size of a range (CPU, batch 1) and convshape
must agree 100 %: the same sizes accepted, every graph output's shape, and the per-node shapes
of a few sizes (every node's output added as a graph output)."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pytest
from onnx_tools import agreement, ort_outputs, require, session

from convshape.models.onnx_model import open_model, resolve_inputs

DATA = Path(__file__).resolve().parent / "data"


ZOO = ("resnet", "unet", "unet_resize", "googlenet", "mobilenet", "fcn", "dcgan_generator", "dcgan_discriminator",
       "espcn", "dilated", "net1d", "net3d", "tf_pad", "head", "scales", "shape_arithmetic")


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The zoo exported by the TorchScript exporter (dynamic N and spatial axes), once per module."""
    require("torch")
    import onnx_zoo

    folder = tmp_path_factory.mktemp("zoo")
    paths = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for name in ZOO:
            paths[name] = str(folder / f"{name}.onnx")
            onnx_zoo.export(name, paths[name])
    return paths


#: how many sizes of each model's range onnxruntime accepts (TorchScript exports): the check that
#: the comparison is not vacuous (a model that rejects everything agrees with anything that does)
ACCEPTED = {"resnet": 80, "unet": 20, "unet_resize": 80, "googlenet": 74, "mobilenet": 80, "fcn": 80,
            "dcgan_generator": 40, "dcgan_discriminator": 65, "espcn": 60, "dilated": 72, "net1d": 198, "net3d": 19,
            "tf_pad": 75, "head": 4, "scales": 118, "shape_arithmetic": 80}


@pytest.mark.parametrize("name", ZOO)
def test_torchscript_exports_agree_with_onnxruntime(exported: dict[str, str], name: str) -> None:
    import onnx_zoo

    sizes = onnx_zoo._models()[name][3]
    accepted, tried = agreement(exported[name], sizes)
    assert accepted == ACCEPTED[name], (name, accepted, tried)


def dynamo_models() -> list[tuple[str, list[int]]]:
    manifest = json.loads((DATA / "onnx_zoo" / "manifest.json").read_text())
    return [(str(DATA / "onnx_zoo" / m["file"]), m["sizes"]) for m in manifest["models"].values()]


@pytest.mark.parametrize(("path", "sizes"), dynamo_models(), ids=lambda v: Path(v).stem if isinstance(v, str) else "")
def test_dynamo_exports_agree_with_onnxruntime(path: str, sizes: list[int]) -> None:
    accepted, _ = agreement(path, range(sizes[0], sizes[1] + 1))
    assert accepted > 0


def exporter_models() -> list[str]:
    folder = DATA / "onnx_models"
    return sorted(str(p) for p in folder.glob("*.onnx")) if folder.is_dir() else []


@pytest.mark.parametrize("path", exporter_models(), ids=lambda v: Path(v).stem)
def test_exporter_models_agree_with_onnxruntime(path: str) -> None:
    accepted, _ = agreement(path, range(1, 81))
    assert accepted > 0


def with_every_output(path: str, target: str) -> list[str]:
    """A copy of the model whose graph outputs are every node's first output (shapes left free)."""
    onnx = require("onnx")
    model = onnx.load(path)
    names = [node.output[0] for node in model.graph.node if node.output and node.op_type != "Constant"]
    known = {o.name for o in model.graph.output}
    for name in names:
        if name not in known:
            model.graph.output.append(onnx.helper.make_empty_tensor_value_info(name))
    onnx.save(model, target)
    return [o.name for o in model.graph.output]


@pytest.mark.parametrize("name", ("resnet", "unet_resize", "googlenet", "fcn", "tf_pad", "scales"))
def test_every_node_shape_agrees_with_onnxruntime(exported: dict[str, str], name: str, tmp_path: Path) -> None:
    """Per-node shapes: every node's output made a graph output, at a few sizes each."""
    path = str(tmp_path / "all.onnx")
    names = with_every_output(exported[name], path)
    sess = session(path)
    model = open_model(path)
    rank = len(sess.get_inputs()[0].shape)
    for n in (17, 32, 45):
        shape = (1, int(sess.get_inputs()[0].shape[1])) + (n,) * (rank - 2)
        theirs = ort_outputs(sess, shape)
        assert not isinstance(theirs, str), theirs
        _, tensors, _ = model.evaluate(shape, resolve_inputs(model.graph, shape))
        mine = [tensors[o].shape if tensors.get(o) is not None else None for o in names]  # type: ignore[union-attr]
        assert mine == theirs, (name, n, [(o, a, b) for o, a, b in zip(names, mine, theirs) if a != b][:3])


def test_onnx_spec_framework_agrees_with_shape_inference(exported: dict[str, str]) -> None:
    """-f onnx against the spec authority: onnx.shape_inference on the model with its input fixed."""
    onnx = require("onnx")
    for name in ("resnet", "googlenet", "unet_resize", "scales"):
        model = onnx.load(exported[name])
        rank = len(model.graph.input[0].type.tensor_type.shape.dim)
        for n in (20, 33):
            dims = model.graph.input[0].type.tensor_type.shape.dim
            for i, d in enumerate(dims):
                if i == 0 or i >= 2:
                    d.Clear()
                    d.dim_value = 1 if i == 0 else n
            inferred = onnx.shape_inference.infer_shapes(model, data_prop=True, strict_mode=True)
            want = {v.name: tuple(d.dim_value for d in v.type.tensor_type.shape.dim) for v in inferred.graph.value_info}
            want.update({v.name: tuple(d.dim_value for d in v.type.tensor_type.shape.dim)
                         for v in inferred.graph.output})
            ours = open_model(exported[name], "onnx")
            shape = (1, dims[1].dim_value) + (n,) * (rank - 2)
            _, tensors, _ = ours.evaluate(shape, resolve_inputs(ours.graph, shape))
            compared = 0
            for key, dims_wanted in want.items():
                t = tensors.get(key)
                if t is not None and all(d > 0 for d in dims_wanted) and dims_wanted:
                    assert t.shape == dims_wanted, (name, n, key)
                    compared += 1
            assert compared >= 5, (name, compared)
