"""A model graph as convshape reads it: only what shapes depend on, never weight data.

The ONNX reader (``convshape.models.onnx_wire``) fills these from the protobuf wire format of
``onnx.proto`` (``ModelProto`` -> ``GraphProto`` -> ``NodeProto`` / ``ValueInfoProto`` /
``TensorProto``), so reading a model costs no ``import onnx``. Names follow ``onnx.proto``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

#: a dimension as a model declares it: a number, a symbolic name (``dim_param``), or None (unknown)
Dim = int | str | None

#: TensorProto.DataType codes convshape names in messages (onnx.proto ``TensorProto.DataType``)
ELEM_TYPES = {1: "float", 2: "uint8", 3: "int8", 4: "uint16", 5: "int16", 6: "int32", 7: "int64", 8: "string",
              9: "bool", 10: "float16", 11: "double", 12: "uint32", 13: "uint64", 16: "bfloat16"}

#: a constant tensor's values are read when it has at most this many elements and a numeric type
#: (shape inputs: Reshape's shape, Slice's starts, Resize's scales); larger ones are weights, never read
SMALL_TENSOR = 64
NUMERIC = frozenset({1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12, 13, 16})


class TensorValue(NamedTuple):
    """A constant tensor (an initializer, or a Constant node's ``value``): its element type and
    dims always; its values (ints, or floats for float types) when it is small and numeric (see
    SMALL_TENSOR) and stored in the file, else None: weights are never read, external data never opened."""

    name: str
    elem_type: int
    dims: tuple[int, ...]
    values: tuple[int | float, ...] | None


class ValueInfo(NamedTuple):
    """A graph input, output or ``value_info`` entry: its element type and shape (None: the
    model gives no shape, not even a rank)."""

    name: str
    elem_type: int
    dims: tuple[Dim, ...] | None


#: an attribute's value, as ``AttributeProto`` types it: INT, FLOAT, STRING (decoded as UTF-8),
#: TENSOR, INTS, FLOATS, STRINGS, TENSORS (a tuple of TensorValue); a GRAPH / GRAPHS attribute
#: (If, Loop, Scan bodies) is kept as the string "<graph>", a SPARSE_TENSOR(S) one as
#: "<sparse_tensor>", a TYPE_PROTO(S) one as "<type_proto>", for the engine to name as unsupported
AttributeValue = (int | float | str | TensorValue | tuple[int, ...] | tuple[float, ...] | tuple[str, ...]
                  | tuple[TensorValue, ...])


class Node(NamedTuple):
    """A ``NodeProto``: empty strings in ``inputs`` are omitted optional inputs, as in ONNX."""

    name: str
    op_type: str
    domain: str
    inputs: tuple[str, ...]
    outputs: tuple[str, ...]
    attributes: Mapping[str, AttributeValue]


class Graph(NamedTuple):
    """A ``ModelProto``'s main graph. ``initializers`` holds ``GraphProto.initializer`` and then
    ``sparse_initializer`` (a sparse one by its values tensor's name and type, with the sparse
    tensor's dims and values None: never densified). ``inputs`` excludes names that are also
    initializers (older exporters list weights as inputs too); ``opsets`` maps each domain ("" for the
    default ``ai.onnx``) to its version."""

    name: str
    nodes: tuple[Node, ...]
    inputs: tuple[ValueInfo, ...]
    outputs: tuple[ValueInfo, ...]
    initializers: Mapping[str, TensorValue]
    value_info: Mapping[str, ValueInfo]
    opsets: Mapping[str, int]
    producer_name: str
    producer_version: str
    ir_version: int

    @property
    def opset(self) -> int:
        """The default domain's opset version (``ai.onnx``)."""
        return self.opsets.get("", self.opsets.get("ai.onnx", 0))
