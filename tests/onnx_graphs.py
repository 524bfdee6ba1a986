"""The oracle for convshape's ONNX reader: a :class:`convshape.models.graph.Graph` built from
``onnx.load``'s ModelProto with onnx's own API (tests only: ``onnx`` is a test extra)."""

from __future__ import annotations

from typing import Any

from convshape.models.graph import NUMERIC, SMALL_TENSOR, AttributeValue, Graph, Node, TensorValue, ValueInfo


def tensor_value(t: Any) -> TensorValue:
    from onnx import numpy_helper

    dims = tuple(int(d) for d in t.dims)
    count = 1
    for d in dims:
        count *= d
    values = None
    external = t.data_location == 1  # TensorProto.EXTERNAL
    if count <= SMALL_TENSOR and t.data_type in NUMERIC and not external:
        array = numpy_helper.to_array(t).reshape(-1)
        if t.data_type in (1, 10, 11, 16):
            values = tuple(float(v) for v in array)
        else:
            values = tuple(int(v) for v in array)
    return TensorValue(t.name, int(t.data_type), dims, values)


def value_info(v: Any) -> ValueInfo:
    tt = v.type.tensor_type
    dims: tuple[int | str | None, ...] | None = None
    if tt.HasField("shape"):
        dims = tuple(int(d.dim_value) if d.HasField("dim_value") else (d.dim_param if d.HasField("dim_param")
                     else None) for d in tt.shape.dim)
    return ValueInfo(v.name, int(tt.elem_type), dims)


def attribute(a: Any) -> AttributeValue:
    from onnx import AttributeProto

    kinds = {AttributeProto.INT: lambda: int(a.i), AttributeProto.FLOAT: lambda: float(a.f),
             AttributeProto.STRING: lambda: a.s.decode("utf-8"), AttributeProto.TENSOR: lambda: tensor_value(a.t),
             AttributeProto.INTS: lambda: tuple(int(x) for x in a.ints),
             AttributeProto.FLOATS: lambda: tuple(float(x) for x in a.floats),
             AttributeProto.STRINGS: lambda: tuple(s.decode("utf-8") for s in a.strings),
             AttributeProto.TENSORS: lambda: tuple(tensor_value(t) for t in a.tensors),
             AttributeProto.GRAPH: lambda: "<graph>", AttributeProto.GRAPHS: lambda: "<graph>",
             AttributeProto.SPARSE_TENSOR: lambda: "<sparse_tensor>",
             AttributeProto.SPARSE_TENSORS: lambda: "<sparse_tensor>",
             AttributeProto.TYPE_PROTO: lambda: "<type_proto>", AttributeProto.TYPE_PROTOS: lambda: "<type_proto>"}
    value: AttributeValue = kinds[a.type]()  # type: ignore[no-untyped-call]
    return value


def graph_from_proto(model: Any) -> Graph:
    """The Graph convshape's reader must give for ``model`` (an onnx.ModelProto)."""
    g = model.graph
    initializers = {t.name: tensor_value(t) for t in g.initializer}
    # a sparse initializer: its values tensor's name and type, its own dims, values never densified
    initializers.update({s.values.name: TensorValue(s.values.name, int(s.values.data_type),
                                                    tuple(int(d) for d in s.dims), None)
                         for s in g.sparse_initializer})
    nodes = tuple(Node(n.name, n.op_type, n.domain, tuple(n.input), tuple(n.output),
                       {a.name: attribute(a) for a in n.attribute}) for n in g.node)
    return Graph(g.name, nodes, tuple(value_info(v) for v in g.input if v.name not in initializers),
                 tuple(value_info(v) for v in g.output), initializers,
                 {v.name: value_info(v) for v in g.value_info},
                 {o.domain: int(o.version) for o in model.opset_import}, model.producer_name,
                 model.producer_version, int(model.ir_version))
