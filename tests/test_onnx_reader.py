"""convshape's ONNX wire-format reader against ``onnx.load`` (issue 11).

Every model here is read twice: by :func:`convshape.models.onnx_wire.parse_model` /
:func:`read_model` (no ``import onnx``), and by ``onnx.load`` turned into the same typed Graph by
the oracle :func:`tests.onnx_graphs.graph_from_proto`; the two must be equal. The models: the
committed torch exports in ``tests/data/onnx_models`` (both exporters, dynamic H/W; see
``tests/data/generate_onnx_models.py``), fresh TorchScript exports of the same modules, graphs
built with ``onnx.helper`` covering every attribute kind, tensor storage field and dim kind, a
model saved with external data, and byte strings encoded here by hand for what protobuf's own
serialiser never writes (unpacked repeated scalars, a message split in two, unknown fields and
groups). Malformed input must give one ShapeError line (rule bad-spec), never another exception
or a hang (hypothesis over random bytes and over mutated real models).
"""

from __future__ import annotations

import importlib
import io
import json
import os
import struct
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from convshape.errors import Rule, ShapeError
from convshape.models.graph import Graph, TensorValue, ValueInfo
from convshape.models.onnx_wire import parse_model, read_model
from difftools import require_torch
from onnx_graphs import graph_from_proto, resnet50_like



def _require(name: str) -> Any:
    """onnx is a test extra: a skip where it is missing, an error in CI (``.ci/run`` sets
    CONVSHAPE_REQUIRE_TORCH), as tests/difftools.py does for torch."""
    if os.environ.get("CONVSHAPE_REQUIRE_TORCH"):
        return importlib.import_module(name)
    return pytest.importorskip(name)


onnx = _require("onnx")
np = _require("numpy")
from onnx import TensorProto, helper, numpy_helper  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
MODELS = ROOT / "tests" / "data" / "onnx_models"
MODEL_FILES = sorted(MODELS.glob("*.onnx"))


def same(model: Any, data: bytes | None = None) -> Graph:
    """Read ``model`` (a ModelProto) with both readers, assert they agree, return the Graph."""
    data = model.SerializeToString() if data is None else data
    got = parse_model(data, "model.onnx")
    want = graph_from_proto(onnx.load_from_string(data))
    for field in Graph._fields:  # field by field first: a mismatch names the field
        assert getattr(got, field) == getattr(want, field), field
    assert got == want
    return got


# ---------------------------------------------------------------------------- committed exports
MANIFEST = {r["file"]: r for r in json.loads((MODELS / "manifest.json").read_text())["models"]}
MODEL_NAMES = sorted({r["model"] for r in MANIFEST.values()})


def test_every_committed_model_is_in_the_manifest() -> None:
    assert sorted(MANIFEST) == sorted(p.name for p in MODEL_FILES)
    assert len(MODEL_FILES) == 28 and len(MODEL_NAMES) == 14
    assert {f"{name}_{exporter}.onnx" for name in MODEL_NAMES for exporter in ("script", "dynamo")} == set(MANIFEST)
    assert sum(p.stat().st_size for p in MODEL_FILES) < 2 << 20


@pytest.mark.parametrize("path", MODEL_FILES, ids=lambda p: p.name)
def test_committed_models_match_onnx_load(path: Path) -> None:
    got = read_model(str(path))
    assert got == graph_from_proto(onnx.load(str(path)))
    assert got == parse_model(path.read_bytes(), str(path))
    assert got == parse_model(memoryview(path.read_bytes()), str(path))
    record = MANIFEST[path.name]
    assert got.opset == record["opset"]
    assert [v.name for v in got.inputs] == ["x"]
    dims = got.inputs[0].dims
    assert dims is not None and len(dims) == len(record["input_shape"])
    for axis, (dim, size) in enumerate(zip(dims, record["input_shape"])):
        assert isinstance(dim, str) if axis in record["dynamic_axes"] else dim == size, (axis, dim)


def test_committed_models_known_facts() -> None:
    """Values checked by hand against the exporters' own conventions, not only against the oracle."""
    script = read_model(str(MODELS / "convpool_script.onnx"))
    assert script.inputs == (ValueInfo("x", TensorProto.FLOAT, ("batch", 3, "height", "width")),)
    assert script.producer_name == "pytorch"
    pools = [n for n in script.nodes if n.op_type == "MaxPool"]
    assert len(pools) == 1
    assert pools[0].attributes["ceil_mode"] == 1
    assert pools[0].attributes["kernel_shape"] == (3, 3)
    assert pools[0].attributes["strides"] == (2, 2)
    conv = next(n for n in script.nodes if n.op_type == "Conv")
    weight = script.initializers[conv.inputs[1]]
    assert weight.dims == (4, 3, 3, 3) and weight.values is None  # 108 floats: a weight, not read
    bias = script.initializers[conv.inputs[2]]
    assert bias.dims == (4,) and bias.elem_type == TensorProto.FLOAT and bias.values is not None

    dynamo = read_model(str(MODELS / "convpool_dynamo.onnx"))
    dims = dynamo.inputs[0].dims
    assert dims is not None and dims[1] == 3 and all(isinstance(d, str) for d in (dims[0], dims[2], dims[3]))

    static = read_model(str(MODELS / "flatten_linear_script.onnx"))
    assert static.inputs[0].dims == (1, 3, 16, 16)
    assert any(n.op_type == "Gemm" for n in static.nodes)

    interp = read_model(str(MODELS / "unet_interp_script.onnx"))
    assert {"Shape", "Gather", "Resize"} <= {n.op_type for n in interp.nodes}
    resize = next(n for n in interp.nodes if n.op_type == "Resize")
    assert resize.attributes["mode"] == "nearest"


def _export_script(name: str) -> bytes:
    torch = require_torch()
    sys.path.insert(0, str(ROOT / "tests" / "data"))
    try:
        import generate_onnx_models as gen
    finally:
        sys.path.pop(0)
    factory, shape, dynamic = gen.MODELS[name]
    torch.manual_seed(0)
    buffer = io.BytesIO()
    axes = {"x": {a: gen.AXIS_NAMES[len(shape)][a] for a in dynamic}} if dynamic else None
    torch.onnx.export(factory().eval(), (torch.randn(*shape),), buffer, dynamo=False, opset_version=13,
                      input_names=["x"], output_names=["y"], dynamic_axes=axes)
    return buffer.getvalue()


# the legacy exporter is the point here (real TorchScript exports): torch's own warnings about it are expected
@pytest.mark.filterwarnings("ignore:You are using the legacy TorchScript-based ONNX export:DeprecationWarning")
@pytest.mark.filterwarnings("ignore:The feature will be removed:DeprecationWarning")
@pytest.mark.filterwarnings("ignore:Constant folding:UserWarning")
@pytest.mark.parametrize("name", MODEL_NAMES)
def test_fresh_torchscript_exports_match_onnx_load(name: str) -> None:
    data = _export_script(name)
    got = same(None, data)
    assert got.opset == 13 and got.nodes


def test_onnx_own_backend_test_models() -> None:
    """The 149 models the onnx package ships for its backend tests (onnx/backend/test/data:
    "light" zoo architectures such as ResNet-50, Inception, DenseNet-121, VGG-19, ShuffleNet;
    pytorch-converted and pytorch-operator exports from old exporters; "simple" graphs)."""
    data = Path(onnx.__file__).parent / "backend" / "test" / "data"
    files = sorted(data.rglob("*.onnx"))
    assert len(files) >= 100
    differ = [str(f.relative_to(data)) for f in files
              if read_model(str(f)) != graph_from_proto(onnx.load(str(f), load_external_data=False))]
    assert differ == []
    resnet = read_model(str(data / "light" / "light_resnet50.onnx"))
    assert sum(n.op_type == "Conv" for n in resnet.nodes) == 53


# ---------------------------------------------------------------------------- hand-built graphs
def model_of(nodes: list[Any], inputs: list[Any], outputs: list[Any], initializers: list[Any] = (),  # type: ignore[assignment]
             value_info: list[Any] = (), opsets: list[Any] | None = None, **graph: Any) -> Any:  # type: ignore[assignment]
    g = helper.make_graph(nodes, "hand", inputs, outputs, list(initializers), value_info=list(value_info), **graph)
    return helper.make_model(g, opset_imports=opsets or [helper.make_opsetid("", 17)], producer_name="tests")


X = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, "H", None])
Y = helper.make_tensor_value_info("y", TensorProto.FLOAT, None)


def test_every_attribute_kind() -> None:
    branch = helper.make_graph([helper.make_node("Identity", ["x"], ["b"])], "branch", [],
                               [helper.make_tensor_value_info("b", TensorProto.FLOAT, None)])
    small = helper.make_tensor("t", TensorProto.INT64, [3], [1, -2, 3])
    sparse = helper.make_sparse_tensor(helper.make_tensor("v", TensorProto.FLOAT, [2], [1.0, 2.0]),
                                       helper.make_tensor("i", TensorProto.INT64, [2], [0, 3]), [4])
    node = helper.make_node("Custom", ["x", "", "z"], ["y"], name="every", domain="my.domain",
                            i=-7, f=0.1, s="nearest", t=small, g=branch, ints=[1, -1, 2**40], floats=[0.5, -1.25],
                            strings=["a", "ü"], tensors=[small, helper.make_tensor("u", TensorProto.FLOAT, [], [2.5])],
                            graphs=[branch, branch], sparse=sparse, big=2**63 - 1, neg=-(2**63))
    got = same(model_of([node], [X], [Y], opsets=[helper.make_opsetid("", 17), helper.make_opsetid("my.domain", 2)]))
    attrs = got.nodes[0].attributes
    assert attrs["i"] == -7 and attrs["big"] == 2**63 - 1 and attrs["neg"] == -(2**63)
    assert attrs["f"] == struct.unpack("<f", struct.pack("<f", 0.1))[0]
    assert attrs["s"] == "nearest" and attrs["strings"] == ("a", "ü")
    assert attrs["ints"] == (1, -1, 2**40) and attrs["floats"] == (0.5, -1.25)
    assert attrs["t"] == TensorValue("t", TensorProto.INT64, (3,), (1, -2, 3))
    assert attrs["g"] == attrs["graphs"] == "<graph>" and attrs["sparse"] == "<sparse_tensor>"
    assert got.nodes[0].inputs == ("x", "", "z") and got.nodes[0].domain == "my.domain"
    assert got.opsets == {"": 17, "my.domain": 2}


def test_constant_nodes_and_if_bodies() -> None:
    shape = numpy_helper.from_array(np.array([1, -1], dtype=np.int64), "shape_value")
    nodes = [helper.make_node("Constant", [], ["c1"], value=shape),
             helper.make_node("Constant", [], ["c2"], value_ints=[0, 2, 3]),
             helper.make_node("Constant", [], ["c3"], value_float=1.5),
             helper.make_node("Constant", [], ["c4"], value_floats=[2.0, 0.5]),
             helper.make_node("Constant", [], ["c5"], value_int=4),
             helper.make_node("Reshape", ["x", "c1"], ["r"]),
             helper.make_node("If", ["cond"], ["y"],
                              then_branch=helper.make_graph([helper.make_node("Identity", ["r"], ["t"])], "then", [],
                                                            [helper.make_tensor_value_info("t", 1, None)]),
                              else_branch=helper.make_graph([helper.make_node("Identity", ["r"], ["e"])], "else", [],
                                                            [helper.make_tensor_value_info("e", 1, None)]))]
    got = same(model_of(nodes, [X, helper.make_tensor_value_info("cond", TensorProto.BOOL, [])], [Y]))
    assert got.nodes[0].attributes["value"] == TensorValue("shape_value", TensorProto.INT64, (2,), (1, -1))
    assert got.nodes[1].attributes["value_ints"] == (0, 2, 3)
    assert got.nodes[6].attributes == {"then_branch": "<graph>", "else_branch": "<graph>"}
    assert got.inputs[1] == ValueInfo("cond", TensorProto.BOOL, ())


#: (data type, values) for every numeric type, each stored both as raw_data and in its typed field
TENSOR_CASES = [
    (TensorProto.INT64, [5, -1, 2**62, -(2**63)]), (TensorProto.INT32, [7, -2**31, 2**31 - 1]),
    (TensorProto.INT16, [-32768, 32767, -1]), (TensorProto.INT8, [-128, 127, -3]),
    (TensorProto.UINT8, [0, 255, 17]), (TensorProto.UINT16, [65535, 1]), (TensorProto.UINT32, [2**32 - 1, 3]),
    (TensorProto.UINT64, [2**64 - 1, 9]), (TensorProto.BOOL, [True, False, True]),
    (TensorProto.FLOAT, [0.5, -2.25, 1e30]), (TensorProto.DOUBLE, [0.1, -1e300]),
    (TensorProto.FLOAT16, [0.5, -65504.0, 1.0009765625]), (TensorProto.BFLOAT16, [1.5, -2.0, 3.0]),
]


@pytest.mark.parametrize("raw", [False, True], ids=["typed", "raw"])
@pytest.mark.parametrize(("elem_type", "values"), TENSOR_CASES, ids=lambda v: str(v))
def test_small_tensor_values(elem_type: int, values: list[Any], raw: bool) -> None:
    if raw:
        dtype = helper.tensor_dtype_to_np_dtype(elem_type)
        tensor = numpy_helper.from_array(np.array(values, dtype=dtype), "c")
        assert tensor.HasField("raw_data")
    else:
        tensor = helper.make_tensor("c", elem_type, [len(values)], values)
        assert not tensor.HasField("raw_data")
    got = same(model_of([helper.make_node("Identity", ["c"], ["y"])], [], [Y], [tensor]))
    value = got.initializers["c"]
    assert value.elem_type == elem_type and value.dims == (len(values),)
    expected = tuple(float(v) if elem_type in (1, 10, 11, 16) else int(v) for v in values)
    if elem_type == TensorProto.FLOAT:
        expected = tuple(struct.unpack("<f", struct.pack("<f", v))[0] for v in values)
    assert value.values == expected


def test_large_string_external_and_empty_tensors() -> None:
    big = numpy_helper.from_array(np.zeros((65,), dtype=np.int64), "big")
    edge = numpy_helper.from_array(np.zeros((8, 8), dtype=np.float32), "edge")
    text = helper.make_tensor("text", TensorProto.STRING, [2], [b"a", b"b"])
    empty = numpy_helper.from_array(np.zeros((0, 3), dtype=np.float32), "empty")
    scalar = helper.make_tensor("scalar", TensorProto.INT64, [], [3])
    typed_big = helper.make_tensor("typed_big", TensorProto.FLOAT, [100], [1.0] * 100)
    inits = [big, edge, text, empty, scalar, typed_big]
    got = same(model_of([helper.make_node("Identity", ["x"], ["y"])], [X], [Y], inits))
    assert got.initializers["big"].values is None and got.initializers["typed_big"].values is None
    assert got.initializers["edge"].values == (0.0,) * 64  # exactly SMALL_TENSOR elements: read
    assert got.initializers["text"].values is None and got.initializers["empty"].values == ()
    assert got.initializers["scalar"] == TensorValue("scalar", TensorProto.INT64, (), (3,))


def test_dims_inputs_initializers_and_value_info() -> None:
    weight = numpy_helper.from_array(np.zeros((4, 3, 3, 3), dtype=np.float32), "w")
    inputs = [X, helper.make_tensor_value_info("w", TensorProto.FLOAT, [4, 3, 3, 3]),  # older exporters
              helper.make_tensor_value_info("s", TensorProto.INT64, []),
              helper.make_tensor_value_info("nodims", TensorProto.FLOAT, None)]
    unknown = helper.make_tensor_value_info("u", TensorProto.FLOAT, [None, 0, "N"])
    info = [helper.make_tensor_value_info("c", TensorProto.FLOAT, ["batch", 4, None, None]), unknown]
    seq = helper.make_tensor_sequence_value_info("seq", TensorProto.FLOAT, None)
    got = same(model_of([helper.make_node("Conv", ["x", "w"], ["c"]), helper.make_node("Relu", ["c"], ["y"])],
                        inputs, [Y, seq], [weight], info))
    assert [v.name for v in got.inputs] == ["x", "s", "nodims"]
    assert got.inputs[0].dims == (1, 3, "H", None) and got.inputs[1].dims == () and got.inputs[2].dims is None
    assert got.value_info["u"].dims == (None, 0, "N")
    assert got.outputs[1] == ValueInfo("seq", 0, None)
    assert got.initializers["w"] == TensorValue("w", TensorProto.FLOAT, (4, 3, 3, 3), None)


def test_sparse_initializer() -> None:
    sparse = helper.make_sparse_tensor(helper.make_tensor("sw", TensorProto.FLOAT, [2], [1.0, 2.0]),
                                       helper.make_tensor("", TensorProto.INT64, [2], [0, 5]), [2, 3])
    model = model_of([helper.make_node("Add", ["x", "sw"], ["y"])],
                     [X, helper.make_tensor_value_info("sw", TensorProto.FLOAT, [2, 3])], [Y],
                     sparse_initializer=[sparse])
    got = same(model)
    assert got.initializers["sw"] == TensorValue("sw", TensorProto.FLOAT, (2, 3), None)
    assert [v.name for v in got.inputs] == ["x"]


def test_external_data_is_never_opened(tmp_path: Path) -> None:
    shape = numpy_helper.from_array(np.array([1, -1], dtype=np.int64), "shape")
    weight = numpy_helper.from_array(np.ones((8, 3, 3, 3), dtype=np.float32), "w")
    model = model_of([helper.make_node("Conv", ["x", "w"], ["c"]), helper.make_node("Reshape", ["c", "shape"], ["y"])],
                     [X], [Y], [shape, weight])
    path = tmp_path / "ext.onnx"
    onnx.save_model(model, str(path), save_as_external_data=True, all_tensors_to_one_file=True,
                    location="ext.data", size_threshold=0)
    assert (tmp_path / "ext.data").stat().st_size > 0
    got = read_model(str(path))
    assert got == graph_from_proto(onnx.load(str(path), load_external_data=False))
    assert got.initializers["shape"] == TensorValue("shape", TensorProto.INT64, (2,), None)
    assert got.initializers["w"].dims == (8, 3, 3, 3)
    (tmp_path / "ext.data").unlink()  # the reader never needed it
    assert read_model(str(path)) == got


NUMERIC_NP = {TensorProto.FLOAT: "float32", TensorProto.DOUBLE: "float64", TensorProto.FLOAT16: "float16",
              TensorProto.INT8: "int8", TensorProto.INT16: "int16", TensorProto.INT32: "int32",
              TensorProto.INT64: "int64", TensorProto.UINT8: "uint8", TensorProto.UINT16: "uint16",
              TensorProto.UINT32: "uint32", TensorProto.UINT64: "uint64", TensorProto.BOOL: "bool"}
names = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=6)


@st.composite
def tensors(draw: Any, name: str) -> Any:
    elem_type = draw(st.sampled_from(sorted(NUMERIC_NP)))
    dims = draw(st.lists(st.integers(0, 5), max_size=3))
    count = int(np.prod(dims)) if dims else 1
    info = np.iinfo(NUMERIC_NP[elem_type]) if elem_type not in (1, 9, 10, 11) else None
    if info is not None:
        raw_values = draw(st.lists(st.integers(int(info.min), int(info.max)), min_size=count, max_size=count))
    elif elem_type == TensorProto.BOOL:
        raw_values = draw(st.lists(st.booleans(), min_size=count, max_size=count))
    else:
        raw_values = draw(st.lists(st.floats(-1e4, 1e4, width=16), min_size=count, max_size=count))
    array = np.array(raw_values, dtype=NUMERIC_NP[elem_type]).reshape(dims)
    if draw(st.booleans()):
        return numpy_helper.from_array(array, name)  # raw_data
    return helper.make_tensor(name, elem_type, dims, array.reshape(-1).tolist())  # the typed field


int64s = st.integers(-(2**63), 2**63 - 1)
floats32 = st.floats(width=32, allow_nan=False)
attribute_values = st.one_of(int64s, floats32, names, st.lists(int64s, min_size=1, max_size=5),
                             st.lists(floats32, min_size=1, max_size=5), st.lists(names, min_size=1, max_size=3))
dims_strategy = st.one_of(st.none(), st.lists(st.one_of(st.none(), st.integers(0, 2**40), names.filter(bool)),
                                              max_size=5))


@settings(max_examples=50, deadline=None)
@given(st.data())
def test_random_valid_models(data: Any) -> None:
    """Random graphs onnx.helper builds (attributes of every scalar and list kind, tensors of
    every numeric type raw or typed, dims of every kind): the two readers agree on each."""
    nodes = []
    for i in range(data.draw(st.integers(0, 4))):
        attrs = data.draw(st.dictionaries(names.filter(bool), attribute_values, max_size=4))
        if data.draw(st.booleans()):
            attrs["value"] = data.draw(tensors(f"const{i}"))
        nodes.append(helper.make_node(data.draw(names.filter(bool)), data.draw(st.lists(names, max_size=3)),
                                      data.draw(st.lists(names, max_size=2)), name=data.draw(names),
                                      domain=data.draw(names), **attrs))
    inits = [data.draw(tensors(f"init{i}")) for i in range(data.draw(st.integers(0, 4)))]
    infos = [helper.make_tensor_value_info(data.draw(names), data.draw(st.sampled_from(sorted(NUMERIC_NP))),
                                           data.draw(dims_strategy)) for _ in range(data.draw(st.integers(0, 4)))]
    model = model_of(nodes, infos[:2], infos[2:3], inits, infos[3:],
                     opsets=[helper.make_opsetid(d, v) for d, v in data.draw(
                         st.dictionaries(names, st.integers(1, 30), min_size=1, max_size=3)).items()])
    same(model)


# ---------------------------------------------------------------------------- hand-encoded bytes
def varint(n: int) -> bytes:
    n &= (1 << 64) - 1
    out = bytearray()
    while True:
        out.append((n & 0x7F) | (0x80 if n > 0x7F else 0))
        n >>= 7
        if not n:
            return bytes(out)


def key(field: int, wire: int) -> bytes:
    return varint(field << 3 | wire)


def vi(field: int, n: int) -> bytes:
    return key(field, 0) + varint(n)


def ld(field: int, payload: bytes | str) -> bytes:
    data = payload.encode() if isinstance(payload, str) else payload
    return key(field, 2) + varint(len(data)) + data


def f32(field: int, x: float) -> bytes:
    return key(field, 5) + struct.pack("<f", x)


def f64(field: int, x: float) -> bytes:
    return key(field, 1) + struct.pack("<d", x)


def value_info_bytes(name: str, elem: int, dims: list[Any]) -> bytes:
    dim_bytes = b"".join(ld(1, vi(1, d) if isinstance(d, int) else ld(2, d) if d else b"") for d in dims)
    return ld(1, name) + ld(2, ld(1, vi(1, elem) + ld(2, dim_bytes)))


UNKNOWN = vi(99, 5) + ld(98, b"junk") + key(97, 3) + vi(1, 1) + ld(2, b"x") + key(97, 4) + f32(96, 1.0) + f64(95, 2.0)


def hand_model(graph_parts: list[bytes], node: bytes) -> bytes:
    return (vi(1, 8) + ld(2, "hand") + UNKNOWN + ld(8, ld(1, "") + vi(2, 17)) + ld(8, ld(1, "com.microsoft") + vi(2, 1))
            + b"".join(ld(7, part) for part in graph_parts[:-1]) + ld(7, graph_parts[-1] + ld(1, node)))


def test_unpacked_repeated_fields_unknown_fields_and_merged_messages() -> None:
    """What protobuf's serialiser never writes but every parser must read: unpacked repeated
    scalars (ints, floats, dims, typed tensor data), unknown fields (varint, length-delimited,
    a group, fixed32 / fixed64) anywhere, and a message given twice (merged)."""
    ints = ld(1, "kernel_shape") + vi(20, 7) + vi(8, 2) + UNKNOWN + vi(8, 3) + vi(8, -1)
    floats = ld(1, "scales") + vi(20, 6) + f32(7, 1.5) + f32(7, -2.0)
    mixed = ld(1, "pads") + vi(20, 7) + ld(8, varint(1) + varint(2)) + vi(8, 3)  # packed then unpacked: appended
    node = ld(1, "x") + ld(2, "y") + ld(3, "pool") + ld(4, "MaxPool") + ld(5, ints) + ld(5, floats) + ld(5, mixed)
    tensors = [vi(1, 2) + vi(2, 7) + ld(8, "i64") + vi(7, 5) + vi(7, -1),
               vi(1, 3) + vi(2, 1) + ld(8, "f32") + f32(4, 0.5) + UNKNOWN + f32(4, 1.0) + f32(4, -3.0),
               vi(1, 2) + vi(2, 11) + ld(8, "f64") + f64(10, 0.1) + f64(10, 2.0),
               vi(1, 2) + vi(2, 3) + ld(8, "i8") + vi(5, -3) + vi(5, 4),
               vi(1, 2) + vi(1, 1) + vi(2, 13) + ld(8, "u64") + vi(11, 2**64 - 1) + vi(11, 1)]
    first = ld(2, "split") + b"".join(ld(5, t) for t in tensors) + ld(11, value_info_bytes("x", 1, [1, 3, "H", None]))
    second = UNKNOWN + ld(12, value_info_bytes("y", 1, [1, 3, 0, ""])) + ld(2, "merged")
    data = hand_model([first, second], node)
    got = same(None, data)
    attrs = got.nodes[0].attributes
    assert attrs == {"kernel_shape": (2, 3, -1), "scales": (1.5, -2.0), "pads": (1, 2, 3)}
    assert got.name == "merged" and got.producer_name == "hand" and got.ir_version == 8
    assert got.opsets == {"": 17, "com.microsoft": 1}
    assert got.initializers["i64"].values == (5, -1)
    assert got.initializers["f32"].values == (0.5, 1.0, -3.0)
    assert got.initializers["f64"].values == (0.1, 2.0)
    assert got.initializers["i8"].values == (-3, 4)
    assert got.initializers["u64"] == TensorValue("u64", 13, (2, 1), (2**64 - 1, 1))
    assert got.inputs == (ValueInfo("x", 1, (1, 3, "H", None)),)
    assert got.outputs == (ValueInfo("y", 1, (1, 3, 0, None)),)


# ---------------------------------------------------------------------------- malformed input
def bad(data: bytes, reason: str) -> None:
    with pytest.raises(ShapeError) as info:
        parse_model(data, "m.onnx")
    assert info.value.rule == Rule.BAD_SPEC and info.value.rule.is_usage
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(("m.onnx: not an ONNX model: ",
                               "m.onnx: not an ONNX model (it starts like a text file): ")), message
    assert reason in message, message


GOOD = hand_model([ld(2, "g")], ld(4, "Relu") + ld(1, "x") + ld(2, "y"))


@pytest.mark.parametrize(("data", "reason"), [
    (b"", "the file is empty"),
    (b'[network]\ninput = [1, 3, 32, 32]\nlayers = ["conv 3"]\n',
     "m.onnx: not an ONNX model (it starts like a text file): invalid wire type 6 at byte 1"),
    ('{"network": {"input": [1, 3, 32, 32]}, "name": "ü"}'.encode(), "(it starts like a text file): "),
    (b"\x08\x07", "no graph (ModelProto.graph, field 7)"),
    (b"\x08" + b"\xff" * 10 + b"\x01", "varint longer than 10 bytes at byte 1"),
    (b"\x08\xff\xff", "truncated varint at byte 1"),
    (b"\x38\x01", "ModelProto.graph has wire type 0, expected 2 at byte 0"),
    (b"\x3a\x10abc", "truncated: a field of 16 bytes runs past the end of the file (5 bytes) at byte 0"),
    (ld(7, b"\x0a\x10abc") + vi(1, 8),
     "truncated: a field of 16 bytes runs past the end of its message (byte 7) at byte 2"),
    (b"\x0e\x01", "invalid wire type 6 at byte 0"),
    (b"\x08", "truncated field at byte 1"),
    (b"\x00\x01", "field number 0 at byte 0"),
    (b"\x0b\x08\x01", "unterminated group at byte 0"),
    (ld(7, ld(1, ld(3, b"\xff\xfe"))), "a node name is not UTF-8 at byte 6"),
    (ld(7, ld(1, ld(5, ld(1, "axis") + vi(20, 0)))), "attribute 'axis' of node '' has no known type"),
    (ld(7, ld(5, vi(1, 2) + vi(2, 7) + ld(8, "s") + ld(9, b"\x00" * 12))),
     "tensor 's': raw_data holds 12 bytes, its dims [2] need 16"),
    (ld(7, ld(5, vi(1, 3) + vi(2, 7) + ld(8, "s") + vi(7, 1))), "tensor 's' stores 1 values, its dims [3] need 3"),
    (ld(7, ld(5, vi(1, 1) + vi(2, 1) + ld(4, b"\x00" * 3))), "TensorProto.float_data holds 3 bytes"),
    (ld(7, ld(5, vi(1, 2) + vi(2, 7) + ld(8, "s") + ld(7, varint(1) * 10**5))),
     "tensor 's' stores more than 2 values, its dims [2] need 2"),
    (ld(7, ld(5, vi(1, 2) + vi(2, 1) + ld(8, "s") + ld(4, b"\x00" * 4 * 10**5))),
     "tensor 's' stores more than 2 values, its dims [2] need 2"),
    (ld(7, ld(1, ld(5, ld(1, "k") + vi(20, 7) + f32(8, 1.0)))), "AttributeProto.ints has wire type 5"),
    (GOOD[:-3], "runs past the end"),
], ids=lambda v: v if isinstance(v, str) else None)
def test_malformed_bytes(data: bytes, reason: str) -> None:
    bad(data, reason)


def test_text_hint() -> None:
    """Only text gets the hint; a character cut at byte 64 is still text; a real model is not."""
    long_text = ("é" * 40).encode()  # 80 bytes: byte 64 falls inside a character
    assert long_text[:64].decode("utf-8", "ignore") and len(long_text) > 64
    bad(long_text, "(it starts like a text file)")
    with pytest.raises(ShapeError) as info:
        parse_model(b"\x08\xffabc", "m.onnx")
    assert "text" not in str(info.value)
    with pytest.raises(ShapeError) as info:
        parse_model((MODELS / "unet_script.onnx").read_bytes()[:100], "m.onnx")
    assert "text" not in str(info.value)


def test_not_a_file(tmp_path: Path) -> None:
    for path, reason in [(tmp_path / "missing.onnx", "No such file or directory"), (tmp_path, "Is a directory")]:
        with pytest.raises(ShapeError) as info:
            read_model(str(path))
        assert info.value.rule == Rule.BAD_SPEC
        assert str(info.value) == f"{path}: cannot read the model: {reason}"
    (tmp_path / "empty.onnx").write_bytes(b"")
    with pytest.raises(ShapeError, match="empty.onnx: not an ONNX model: the file is empty$"):
        read_model(str(tmp_path / "empty.onnx"))
    toml = tmp_path / "net.toml"
    toml.write_text('[network]\ninput = [1, 3, 32, 32]\nlayers = ["conv 3 stride 2", "pool 2"]\n')
    with pytest.raises(ShapeError, match=r"net.toml: not an ONNX model \(it starts like a text file\): "):
        read_model(str(toml))


def test_every_truncation_of_a_real_model() -> None:
    """Cut a real export at every byte: a ShapeError (or, where the cut falls between top-level
    fields after the graph, a Graph), never another exception."""
    data = (MODELS / "convpool_script.onnx").read_bytes()
    graphs = 0
    for cut in range(len(data)):
        try:
            parse_model(data[:cut], "cut.onnx")
            graphs += 1
        except ShapeError as exc:
            assert exc.rule == Rule.BAD_SPEC
    assert graphs < 5


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_random_bytes(data: bytes) -> None:
    try:
        assert isinstance(parse_model(data, "r.onnx"), Graph)
    except ShapeError as exc:
        assert exc.rule == Rule.BAD_SPEC and str(exc).startswith("r.onnx: not an ONNX model")


REAL = (MODELS / "unet_interp_dynamo.onnx").read_bytes()


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, len(REAL) - 1), st.integers(0, 255), st.sampled_from("set ins del")),
                min_size=1, max_size=4))
def test_mutated_real_model(edits: list[tuple[int, int, str]]) -> None:
    data = bytearray(REAL)
    for at, byte, how in edits:
        at = min(at, len(data) - 1)
        if how == "set":
            data[at] = byte
        elif how == "ins":
            data.insert(at, byte)
        else:
            del data[at]
    start = time.process_time()
    try:
        got: Graph | None = parse_model(bytes(data), "m.onnx")
    except ShapeError as exc:
        assert exc.rule == Rule.BAD_SPEC
        got = None
    assert time.process_time() - start < 0.5
    if got is not None:
        # where protobuf reads the mutated bytes too, the two readers agree (the reader is stricter
        # than protobuf: a non-UTF-8 string, or a needed field with the wrong wire type, is an error)
        try:
            want = graph_from_proto(onnx.load_from_string(bytes(data)))
        except Exception:  # DecodeError, or the oracle cannot type a corrupted attribute
            return
        assert got == want


# ---------------------------------------------------------------------------- cost
def test_reading_cost_does_not_grow_with_weight_size(tmp_path: Path) -> None:
    """A ResNet-50-sized model (~100 MB of raw_data weights) reads as fast as the same graph with
    one-element weights: payloads are skipped by length, never decoded or copied."""
    heavy, light = resnet50_like(True), resnet50_like(False)
    path = tmp_path / "resnet50.onnx"
    path.write_bytes(heavy.SerializeToString())
    assert path.stat().st_size > 100_000_000
    got = read_model(str(path))
    assert len(got.nodes) == 175 and len(got.initializers) == 267
    assert got.initializers["fc_w"] == TensorValue("fc_w", TensorProto.FLOAT, (1000, 2048), None)
    assert got == graph_from_proto(onnx.load(str(path)))
    light_data = light.SerializeToString()

    def best(call: Any) -> float:
        times = []
        for _ in range(3):
            start = time.process_time()
            call()
            times.append(time.process_time() - start)
        return min(times)

    t_heavy = best(lambda: read_model(str(path)))
    t_light = best(lambda: parse_model(light_data, "light"))
    assert t_heavy < 0.25, f"{t_heavy:.3f} s"
    assert t_heavy < 3 * t_light + 0.02, (t_heavy, t_light)


def test_typed_weight_data_is_not_decoded() -> None:
    """Large tensors in the typed fields (packed int64_data / float_data, as helper.make_tensor
    writes them) are skipped like raw_data: 2M int64 values read in far less time than decoding."""
    ids = helper.make_tensor("ids", TensorProto.INT64, [2_000_000], np.arange(2_000_000, dtype=np.int64) * 1000)
    table = helper.make_tensor("table", TensorProto.FLOAT, [1000, 1000], np.ones(1_000_000, dtype=np.float32))
    assert not ids.HasField("raw_data") and not table.HasField("raw_data")
    data = model_of([helper.make_node("Gather", ["table", "ids"], ["y"])], [], [Y], [ids, table]).SerializeToString()
    start = time.process_time()
    got = parse_model(data, "typed.onnx")
    assert time.process_time() - start < 0.1
    assert got.initializers["ids"] == TensorValue("ids", TensorProto.INT64, (2_000_000,), None)
    assert got.initializers["table"] == TensorValue("table", TensorProto.FLOAT, (1000, 1000), None)


def test_import_is_light() -> None:
    code = ("import sys, convshape.models.onnx_wire; "
            "print(sorted(m for m in ('numpy', 'onnx', 'google.protobuf', 'click', 'rich') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "PYTHONPATH": str(ROOT)}).stdout
    assert out.strip() == "[]"
