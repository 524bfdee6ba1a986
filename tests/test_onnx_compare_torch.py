"""``--compare`` with torch's answer: for a model exported from torch (producer ``pytorch``) the
same graph is evaluated with the spatial ops' rules of convshape.frameworks.torch. Checked here
against the torch module itself and onnxruntime on its export, at every size of 1..64: torch's
answer is the module's (accept / reject and the output shape), and ``--compare`` lists exactly
the sizes where the module and onnxruntime really differ. The pools are ceil_mode pools whose
last window can start past the input: onnxruntime 1.32 then gives an empty axis (0, only a
negative size is refused, pool_attributes.h ComputeOutputSize) where torch refuses it ("Output
size is too small", aten Pool.h pool2d_shape_check)."""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from onnx_tools import ort_outputs, require, session

from convshape.cli import main
from convshape.models.onnx_model import compared_models, network, open_model, resolve_inputs, sweep

SIZES = range(1, 65)


def _modules() -> dict[str, Any]:
    torch = require("torch")
    nn = torch.nn

    class DilatedCeil(nn.Module):
        """Conv, then a dilated ceil_mode max pool (kernel 5, stride 3, dilation 2), then ReLU."""

        def __init__(self) -> None:
            super().__init__()
            self.conv = nn.Conv2d(1, 2, 3, padding=1)
            self.pool = nn.MaxPool2d(5, 3, 0, dilation=2, ceil_mode=True)

        def forward(self, x: Any) -> Any:
            return torch.relu(self.pool(self.conv(x)))

    class AvgCeil(nn.Module):
        """Conv, then a padded ceil_mode average pool counting the padding (kernel 5, stride 2,
        padding 1: at 1x1 its one window starts in the padding), then a sigmoid."""

        def __init__(self) -> None:
            super().__init__()
            self.conv = nn.Conv2d(1, 2, 3, padding=1)
            self.avg = nn.AvgPool2d(5, 2, 1, ceil_mode=True, count_include_pad=True)

        def forward(self, x: Any) -> Any:
            return torch.sigmoid(self.avg(self.conv(x)))

    torch.manual_seed(0)
    return {"dilated_ceil": DilatedCeil().eval(), "avg_ceil": AvgCeil().eval()}


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Any, str]]:
    """Each module and its TorchScript export (dynamic H and W, opset 17)."""
    torch = require("torch")
    folder = tmp_path_factory.mktemp("compare_torch")
    found = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for name, module in _modules().items():
            path = str(folder / f"{name}.onnx")
            torch.onnx.export(module, torch.zeros(1, 1, 32, 32), path, dynamo=False, input_names=["x"],
                              output_names=["y"], dynamic_axes={"x": {2: "H", 3: "W"}}, opset_version=17)
            found[name] = (module, path)
    return found


def torch_answer(module: Any, n: int) -> tuple[int, ...] | None:
    """The module's output shape at 1x1xnxn, None where torch refuses the input."""
    torch = require("torch")
    try:
        with torch.no_grad():
            return tuple(module(torch.zeros(1, 1, n, n)).shape)
    except RuntimeError:
        return None


def ort_answer(sess: Any, n: int) -> tuple[int, ...] | None:
    found = ort_outputs(sess, (1, 1, n, n))
    return None if isinstance(found, str) else found[0]


@pytest.mark.parametrize("name", ["dilated_ceil", "avg_ceil"])
def test_torch_answer_is_the_modules_and_compare_lists_where_it_differs_from_onnxruntime(
        exported: dict[str, tuple[Any, str]], name: str) -> None:
    module, path = exported[name]
    sess = session(path)
    real_torch = {n: torch_answer(module, n) for n in SIZES}
    real_ort = {n: ort_answer(sess, n) for n in SIZES}
    differ = [n for n in SIZES if real_torch[n] != real_ort[n]]
    assert differ, "the two must differ somewhere, or the comparison below proves nothing"
    assert sum(v is not None for v in real_torch.values()) > 50  # and agree on most sizes

    # convshape's torch answer is the module's, at every size
    model = open_model(path)
    others, why = compared_models(model)
    assert why is None
    (torch_model,) = [m for m in others if m.label == "torch"]
    for n in SIZES:
        shape = (1, 1, n, n)
        inputs = resolve_inputs(torch_model.graph, shape)
        mine = None if torch_model.failure(shape, inputs) else torch_model.outputs(shape, inputs)["y"]
        assert mine == real_torch[n], (name, n, mine, real_torch[n])

    result = sweep(path, "1..64", compare=True)
    assert result.compared is not None
    assert result.compared["torch"]["onnxruntime"] == differ
    assert set(differ) <= set(result.compared["torch"]["sizes"])
    for entry in result.compared["first"]:
        n = entry["size"]
        shown = entry["torch"].get("outputs", {}).get("y")
        assert (tuple(shown) if shown is not None else None) == real_torch[n], (name, n, entry)
        shown = entry["onnxruntime"].get("outputs", {}).get("y")
        assert (tuple(shown) if shown is not None else None) == real_ort[n], (name, n, entry)


def test_sweep_compare_json_and_text(exported: dict[str, tuple[Any, str]]) -> None:
    module, path = exported["dilated_ceil"]
    sess = session(path)
    differ = [n for n in SIZES if torch_answer(module, n) != ort_answer(sess, n)]
    out = CliRunner().invoke(main, ["sweep", path, "--range", "1..64", "--compare", "--json"])
    assert out.exit_code == 0, out.output
    compared = json.loads(out.output)["compare"]
    assert compared["torch"]["onnxruntime"] == differ == [4, 5, 6]
    assert compared["torch"]["count"] == len(compared["torch"]["sizes"])
    first = compared["first"][0]
    assert set(first) == {"size", "onnx", "onnxruntime", "torch"}
    assert first["torch"]["error"][:2] == ["/pool/MaxPool", "output-too-small"]
    text = CliRunner().invoke(main, ["sweep", path, "--range", "1..64", "--compare"])
    assert text.exit_code == 0
    assert "torch (the module the model was exported from) disagrees at" in text.output


def test_summary_compare_has_a_torch_column(exported: dict[str, tuple[Any, str]]) -> None:
    module, path = exported["dilated_ceil"]
    assert torch_answer(module, 5) is None and ort_answer(session(path), 5) == (1, 2, 0, 0)
    report = network(path, input="1x1x5x5", compare=True)
    assert report.model is not None
    assert report.model["compared"] == ["onnx", "onnxruntime", "torch"]
    rows = {row["node"]: row for row in report.model["compare"]}
    pool = rows["/pool/MaxPool"]
    assert pool["onnxruntime"] == {"shape": [1, 2, 0, 0], "error": None}
    assert pool["torch"]["shape"] is None and "Output size is too small" in pool["torch"]["error"]
    # at a size where all three agree, no node is listed
    assert network(path, input="1x1x32x32", compare=True).model["compare"] == []  # type: ignore[index]
    for width in (80, 120):  # onnxruntime (the default) runs it: an empty output, exit 0
        out = CliRunner().invoke(main, ["summary", path, "--i", "1x1x5x5", "--compare"], terminal_width=width)
        assert out.exit_code == 0, out.output
        assert "Where the ONNX spec, onnxruntime and torch differ" in out.output
        assert "Output size is too small" in out.output
    out = CliRunner().invoke(main, ["summary", path, "--i", "1x1x5x5", "--compare", "--json"])
    data = json.loads(out.output)
    assert data["model"]["compare"][0]["torch"]["error"].startswith("Given input size: (5x5)")


def test_a_model_not_from_torch_has_no_torch_answer(tmp_path: Path) -> None:
    onnx = require("onnx")
    helper = onnx.helper
    node = helper.make_node("MaxPool", ["x"], ["y"], kernel_shape=[5, 5], strides=[3, 3], dilations=[2, 2],
                            ceil_mode=1)
    graph = helper.make_graph([node], "g", [helper.make_tensor_value_info("x", 1, [1, 1, "H", "W"])],
                              [helper.make_tensor_value_info("y", 1, None)])
    # opset 22: the spec's rule gives 1 here (shape inference), onnxruntime 0 (at opset 17 both give 0)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 22)], ir_version=8,
                              producer_name="tf2onnx", producer_version="1.16.1")
    path = str(tmp_path / "tf.onnx")
    onnx.save(model, path)
    report = network(path, input="1x1x5x5", compare=True)
    assert report.model is not None
    assert report.model["compared"] == ["onnx", "onnxruntime"]
    assert report.model["compare"] and all("torch" not in row for row in report.model["compare"])
    assert any("no torch answer: the model's producer is 'tf2onnx'" in note for note in report.model["notes"])
    result = sweep(path, "1..32", compare=True)
    assert result.compared is not None and "torch" not in result.compared
    assert any("no torch answer" in note for note in result.notes)
    out = CliRunner().invoke(main, ["sweep", path, "--range", "1..32", "--compare", "--json"])
    assert "torch" not in json.loads(out.output)["compare"]


#: zoo models (tests/onnx_zoo.py) whose torch answer is checked against the module at every size of
#: their range, and how many sizes torch accepts there (the check is not vacuous): ceil_mode pools,
#: Resize from interpolate(size=) and from a float scale_factor, pixel shuffle, ConvTranspose,
#: 1-D and 3-D, an asymmetric F.pad, a Flatten + Linear head, shape arithmetic
ZOO_TORCH_ACCEPTS = {"googlenet": 58, "unet_resize": 80, "scales": 118, "espcn": 60, "fcn": 80, "net1d": 198,
                     "net3d": 19, "tf_pad": 75, "head": 4, "shape_arithmetic": 80}


def torch_answer_agrees(name: str, path: str) -> None:
    """convshape's torch answer for the export at ``path`` is zoo module ``name``'s at every size
    of its range (accept / reject and the output's shape)."""
    torch = require("torch")
    import onnx_zoo

    factory, rank, channels, sizes = onnx_zoo._models()[name]
    torch.manual_seed(0)
    module = factory().eval()
    (torch_model,) = [m for m in compared_models(open_model(path))[0] if m.label == "torch"]
    accepted = 0
    for n in sizes:
        shape = (1, channels) + (n,) * rank
        try:
            with torch.no_grad():
                real: tuple[int, ...] | None = tuple(module(torch.zeros(shape)).shape)
        except RuntimeError:
            real = None
        inputs = resolve_inputs(torch_model.graph, shape)
        mine = None if torch_model.failure(shape, inputs) else list(torch_model.outputs(shape, inputs).values())[0]
        assert mine == real, (name, n, mine, real)
        accepted += real is not None
    assert accepted == ZOO_TORCH_ACCEPTS[name]


@pytest.mark.parametrize("name", sorted(ZOO_TORCH_ACCEPTS))
def test_torch_answer_is_the_zoo_modules(tmp_path: Path, name: str) -> None:
    require("torch")
    import onnx_zoo

    path = str(tmp_path / f"{name}.onnx")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        onnx_zoo.export(name, path)
    torch_answer_agrees(name, path)


def _dynamo_names() -> list[str]:
    manifest = json.loads((Path(__file__).resolve().parent / "data" / "onnx_zoo" / "manifest.json").read_text())
    return sorted(set(manifest["models"]) & set(ZOO_TORCH_ACCEPTS))


@pytest.mark.parametrize("name", _dynamo_names())
def test_torch_answer_is_the_zoo_modules_for_dynamo_exports(name: str) -> None:
    """The committed dynamo=True exports (tests/data/generate_onnx_zoo.py): producer 'pytorch' too."""
    torch_answer_agrees(name, str(Path(__file__).resolve().parent / "data" / "onnx_zoo" / f"{name}_dynamo.onnx"))
