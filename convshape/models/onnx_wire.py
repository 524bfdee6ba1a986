"""Read an ONNX model's graph from the protobuf wire format, without ``import onnx``.

``import onnx`` costs about 0.6 s (numpy and protobuf); this module is pure Python (``struct``,
``mmap``) and reads only what shapes depend on: the main graph's nodes and attributes, its
inputs / outputs / ``value_info`` (element type and dims), every initializer's name, type and
dims, and the values of small numeric constants (:data:`~convshape.models.graph.SMALL_TENSOR`).
Weight data is never decoded: a length-delimited payload is skipped by its length, and a model
saved with external data is read without opening the external file (its dims are inline).

The wire format (https://protobuf.dev/programming-guides/encoding/): each field is a varint key
``field_number << 3 | wire_type``, then a varint (wire type 0), 8 bytes (1), a varint length and
that many bytes (2: strings, bytes, embedded messages, packed repeated scalars), or 4 bytes (5).
Wire types 3 / 4 (groups, deprecated) are skipped when they enclose an unknown field. Repeated
scalars are accepted packed (one length-delimited field) and unpacked (one field per element),
as protobuf parsers must; an embedded message given twice is merged (parsed as the concatenation
of its occurrences), a scalar given twice keeps the last value, as protobuf does.

Field numbers are those of ``onnx/onnx.proto`` (onnx 1.23; ``onnx-ml.proto`` numbers these
messages identically):

    ModelProto          ir_version 1, producer_name 2, producer_version 3, graph 7, opset_import 8
    OperatorSetIdProto  domain 1, version 2
    GraphProto          node 1, name 2, initializer 5, input 11, output 12, value_info 13,
                        sparse_initializer 15
    NodeProto           input 1, output 2, name 3, op_type 4, attribute 5, domain 7
    AttributeProto      name 1, f 2, i 3, s 4, t 5, g 6, floats 7, ints 8, strings 9, tensors 10,
                        graphs 11, type 20 (AttributeType: FLOAT 1, INT 2, STRING 3, TENSOR 4,
                        GRAPH 5, FLOATS 6, INTS 7, STRINGS 8, TENSORS 9, GRAPHS 10,
                        SPARSE_TENSOR 11, SPARSE_TENSORS 12, TYPE_PROTO 13, TYPE_PROTOS 14)
    TensorProto         dims 1, data_type 2, float_data 4, int32_data 5, int64_data 7, name 8,
                        raw_data 9, double_data 10, uint64_data 11, data_location 14 (EXTERNAL 1)
    SparseTensorProto   values 1 (a TensorProto: name and data_type), dims 3
    ValueInfoProto      name 1, type 2
    TypeProto           tensor_type 1 (a oneof with sequence_type 4, map_type 5, opaque_type 7,
                        sparse_tensor_type 8, optional_type 9)
    TypeProto.Tensor    elem_type 1, shape 2
    TensorShapeProto    dim 1; Dimension: dim_value 1, dim_param 2 (a oneof)

A tensor's values are decoded as ``onnx.numpy_helper.to_array`` does (onnx/numpy_helper.py):
``raw_data`` when present (fixed-width little-endian; bool one byte per element), else the typed
field onnx.proto names for the data type: ``float_data`` (FLOAT), ``int32_data`` (INT32, INT16,
INT8, UINT16, UINT8, BOOL, FLOAT16 and BFLOAT16 as their bits, each entry truncated to the
type's width), ``int64_data`` (INT64), ``double_data`` (DOUBLE), ``uint64_data`` (UINT32,
UINT64). If/Loop/Scan bodies (GRAPH / GRAPHS attributes) are not parsed: they are kept as
"<graph>", so nesting never makes the reader recurse.

Anything that is not a well-formed model is a :class:`~convshape.errors.ShapeError` with rule
``bad-spec`` (a usage error) naming the file and the byte where reading stopped.
"""

from __future__ import annotations

import mmap
import os
import struct
from collections.abc import Iterator, Sequence

from convshape.errors import Rule, ShapeError
from convshape.models.graph import (
    NUMERIC,
    SMALL_TENSOR,
    AttributeValue,
    Dim,
    Graph,
    Node,
    TensorValue,
    ValueInfo,
)

#: what the reader indexes: a file's bytes, a memoryview of them, or the file mapped in memory
Buffer = bytes | bytearray | memoryview | mmap.mmap
#: byte ranges [start, end) of one message's occurrences (more than one: merged, as protobuf does)
Ranges = Sequence[tuple[int, int]]

_MASK64 = (1 << 64) - 1


class _Malformed(Exception):
    """Why the bytes are not a model, and the byte offset where reading stopped (None: the end)."""

    def __init__(self, reason: str, offset: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.offset = offset


# ---------------------------------------------------------------------------- the wire format
def _varint(buf: Buffer, pos: int, end: int) -> tuple[int, int]:
    """The varint at ``pos`` (at most 10 bytes, ending before ``end``) and the position after it."""
    if pos >= end:
        raise _Malformed("truncated field", pos)
    byte = buf[pos]
    if byte < 0x80:
        return byte, pos + 1
    start = pos
    result = byte & 0x7F
    shift = 7
    pos += 1
    while True:
        if pos >= end:
            raise _Malformed("truncated varint", start)
        byte = buf[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        if byte < 0x80:
            return result, pos
        shift += 7
        if shift >= 70:
            raise _Malformed("varint longer than 10 bytes", start)


def _int64(value: int) -> int:
    """A varint as protobuf's int64 reads it (two's complement, the low 64 bits)."""
    value &= _MASK64
    return value - (1 << 64) if value >> 63 else value


def _int32(value: int) -> int:
    """A varint as protobuf's int32 / enum reads it (the low 32 bits, two's complement)."""
    value &= 0xFFFFFFFF
    return value - (1 << 32) if value >> 31 else value


def _fields(buf: Buffer, ranges: Ranges) -> Iterator[tuple[int, int, int, int, int]]:
    """Each field of a message as ``(number, wire_type, a, b, at)``: a varint's value in ``a``;
    for the other wire types the payload's byte range ``[a, b)``; ``at`` is the byte where the
    field starts (for messages). Groups are skipped (not yielded)."""
    for pos, end in ranges:
        while pos < end:
            key_at = pos
            key, pos = _varint(buf, pos, end)
            number, wire = key >> 3, key & 7
            if number == 0:
                raise _Malformed("field number 0", key_at)
            if wire == 0:
                value, pos = _varint(buf, pos, end)
                yield number, 0, value, 0, key_at
            elif wire == 2:
                length, start = _varint(buf, pos, end)
                pos = start + length
                if pos > end:
                    raise _Malformed(f"a field of {length:,} bytes runs past the end of its message "
                                     f"(byte {end:,})", key_at)
                yield number, 2, start, pos, key_at
            elif wire == 1 or wire == 5:
                start, pos = pos, pos + (8 if wire == 1 else 4)
                if pos > end:
                    raise _Malformed("truncated field", key_at)
                yield number, wire, start, pos, key_at
            elif wire == 3:
                pos = _skip_group(buf, number, pos, end, key_at)
            else:
                raise _Malformed(f"invalid wire type {wire}", key_at)


def _skip_group(buf: Buffer, number: int, pos: int, end: int, key_at: int) -> int:
    """The position after the group that started at ``key_at`` (its nested groups included)."""
    open_groups = [number]
    while open_groups:
        if pos >= end:
            raise _Malformed("unterminated group", key_at)
        at = pos
        key, pos = _varint(buf, pos, end)
        number, wire = key >> 3, key & 7
        if number == 0:
            raise _Malformed("field number 0", at)
        if wire == 0:
            _, pos = _varint(buf, pos, end)
        elif wire == 2:
            length, pos = _varint(buf, pos, end)
            pos += length
        elif wire == 1:
            pos += 8
        elif wire == 5:
            pos += 4
        elif wire == 3:
            open_groups.append(number)
        elif wire == 4 and number == open_groups[-1]:
            open_groups.pop()
        else:
            raise _Malformed(f"invalid wire type {wire}" if wire != 4 else "mismatched end of group", at)
        if pos > end:
            raise _Malformed("truncated field", at)
    return pos


def _expect(wire: int, wanted: int, message: str, field: str, a: int) -> None:
    if wire != wanted:
        raise _Malformed(f"{message}.{field} has wire type {wire}, expected {wanted}", a)


def _text(buf: Buffer, a: int, b: int, what: str) -> str:
    try:
        return str(buf[a:b], "utf-8")
    except UnicodeDecodeError:
        raise _Malformed(f"{what} is not UTF-8", a) from None


def _repeated_varints(buf: Buffer, wire: int, a: int, b: int, at: int, out: list[int], what: str) -> None:
    """A repeated varint field's elements, packed (wire type 2) or one unpacked element (0)."""
    if wire == 0:
        out.append(a)
    elif wire == 2:
        pos = a
        while pos < b:
            value, pos = _varint(buf, pos, b)
            out.append(value)
    else:
        raise _Malformed(f"{what} has wire type {wire}, expected 0 or 2", at)


def _repeated_fixed(wire: int, a: int, b: int, at: int, size: int, out: list[tuple[int, int]], what: str) -> None:
    """A repeated fixed-width field's byte ranges (decoded only when needed): packed or unpacked."""
    unpacked = 5 if size == 4 else 1
    if wire == 2:
        if (b - a) % size:
            raise _Malformed(f"{what} holds {b - a} bytes, not a multiple of {size}", at)
    elif wire != unpacked:
        raise _Malformed(f"{what} has wire type {wire}, expected {unpacked} or 2", at)
    out.append((a, b))


# ---------------------------------------------------------------------------- tensors
#: raw_data element formats (struct, little-endian) by TensorProto.DataType
_RAW = {1: "f", 2: "B", 3: "b", 4: "H", 5: "h", 6: "i", 7: "q", 9: "B", 10: "e", 11: "d", 12: "I", 13: "Q", 16: "H"}
_FLOAT_TYPES = frozenset({1, 10, 11, 16})
_INT32_DATA = frozenset({2, 3, 4, 5, 6, 9, 10, 16})


def _element_count(dims: Sequence[int]) -> int:
    """The product of ``dims``, capped just above SMALL_TENSOR (so absurd dims cost nothing)."""
    if 0 in dims:
        return 0
    count = 1
    for d in dims:
        count *= d
        if count > SMALL_TENSOR or count < 0:
            return SMALL_TENSOR + 1
    return count


def _from_bits(elem_type: int, value: int) -> int | float:
    """An ``int32_data`` entry as the element ``numpy_helper.to_array`` makes of it."""
    value &= 0xFFFFFFFF
    if elem_type == 6:
        return _int32(value)
    if elem_type == 10:
        return float(struct.unpack("<e", struct.pack("<H", value & 0xFFFF))[0])
    if elem_type == 16:
        return float(struct.unpack("<f", struct.pack("<I", (value & 0xFFFF) << 16))[0])
    if elem_type == 9:
        return int(value & 0xFF != 0)
    bits = 8 if elem_type in (2, 3) else 16
    value &= (1 << bits) - 1
    if elem_type in (3, 5) and value >> (bits - 1):
        value -= 1 << bits
    return value


def _tensor(buf: Buffer, ranges: Ranges) -> TensorValue:
    dims: list[int] = []
    name = ""
    elem_type = 0
    external = False
    raw: tuple[int, int] | None = None
    floats: list[tuple[int, int]] = []
    doubles: list[tuple[int, int]] = []
    int32s: list[int] = []
    int64s: list[int] = []
    uint64s: list[int] = []
    for number, wire, a, b, at in _fields(buf, ranges):
        if number == 1:
            _repeated_varints(buf, wire, a, b, at, dims, "TensorProto.dims")
        elif number == 2:
            _expect(wire, 0, "TensorProto", "data_type", at)
            elem_type = _int32(a)
        elif number == 8:
            _expect(wire, 2, "TensorProto", "name", at)
            name = _text(buf, a, b, "a tensor name")
        elif number == 9:
            _expect(wire, 2, "TensorProto", "raw_data", at)
            raw = (a, b)
        elif number == 14:
            _expect(wire, 0, "TensorProto", "data_location", at)
            external = a == 1
        elif number == 4:
            _repeated_fixed(wire, a, b, at, 4, floats, "TensorProto.float_data")
        elif number == 10:
            _repeated_fixed(wire, a, b, at, 8, doubles, "TensorProto.double_data")
        elif number == 5:
            _repeated_varints(buf, wire, a, b, at, int32s, "TensorProto.int32_data")
        elif number == 7:
            _repeated_varints(buf, wire, a, b, at, int64s, "TensorProto.int64_data")
        elif number == 11:
            _repeated_varints(buf, wire, a, b, at, uint64s, "TensorProto.uint64_data")
    shape = tuple(_int64(d) for d in dims)
    count = _element_count(shape)
    if external or count > SMALL_TENSOR or elem_type not in NUMERIC:
        return TensorValue(name, elem_type, shape, None)
    at = ranges[0][0] if ranges else 0
    values: tuple[int | float, ...]
    if raw is not None:
        fmt = _RAW[elem_type]
        size = struct.calcsize(fmt)
        if raw[1] - raw[0] != count * size:
            raise _Malformed(f"tensor {name!r}: raw_data holds {raw[1] - raw[0]} bytes, its dims {list(shape)} "
                             f"need {count * size}", raw[0])
        items = struct.unpack_from(f"<{count}{fmt}", buf, raw[0])
        if elem_type == 9:
            values = tuple(int(v != 0) for v in items)
        elif elem_type == 16:
            values = tuple(float(struct.unpack("<f", struct.pack("<I", v << 16))[0]) for v in items)
        elif elem_type in _FLOAT_TYPES:
            values = tuple(float(v) for v in items)
        else:
            values = tuple(int(v) for v in items)
    elif elem_type == 1 or elem_type == 11:
        fmt, size = ("f", 4) if elem_type == 1 else ("d", 8)
        values = tuple(float(v) for a, b in (floats if elem_type == 1 else doubles)
                       for v in struct.unpack_from(f"<{(b - a) // size}{fmt}", buf, a))
    elif elem_type in _INT32_DATA:
        values = tuple(_from_bits(elem_type, v) for v in int32s)
    elif elem_type == 7:
        values = tuple(_int64(v) for v in int64s)
    else:  # 12 uint32, 13 uint64: uint64_data
        mask = 0xFFFFFFFF if elem_type == 12 else _MASK64
        values = tuple(v & mask for v in uint64s)
    if len(values) != count:
        raise _Malformed(f"tensor {name!r} stores {len(values)} values, its dims {list(shape)} need {count}", at)
    return TensorValue(name, elem_type, shape, values)


def _sparse_tensor(buf: Buffer, a: int, b: int) -> TensorValue:
    """A sparse initializer: its values tensor's name and type, its own dims; values not densified."""
    values: list[tuple[int, int]] = []
    dims: list[int] = []
    for number, wire, x, y, at in _fields(buf, ((a, b),)):
        if number == 1:
            _expect(wire, 2, "SparseTensorProto", "values", at)
            values.append((x, y))
        elif number == 3:
            _repeated_varints(buf, wire, x, y, at, dims, "SparseTensorProto.dims")
    inner = _tensor(buf, values)
    return TensorValue(inner.name, inner.elem_type, tuple(_int64(d) for d in dims), None)


# ---------------------------------------------------------------------------- value infos
def _value_info(buf: Buffer, a: int, b: int) -> ValueInfo:
    name = ""
    types: list[tuple[int, int]] = []
    for number, wire, x, y, at in _fields(buf, ((a, b),)):
        if number == 1:
            _expect(wire, 2, "ValueInfoProto", "name", at)
            name = _text(buf, x, y, "a value name")
        elif number == 2:
            _expect(wire, 2, "ValueInfoProto", "type", at)
            types.append((x, y))
    tensor: list[tuple[int, int]] = []
    for number, wire, x, y, at in _fields(buf, types):
        if number == 1:
            _expect(wire, 2, "TypeProto", "tensor_type", at)
            tensor.append((x, y))
        elif number in (4, 5, 7, 8, 9):  # another member of TypeProto's oneof replaces tensor_type
            tensor.clear()
    elem_type = 0
    shapes: list[tuple[int, int]] = []
    for number, wire, x, y, at in _fields(buf, tensor):
        if number == 1:
            _expect(wire, 0, "TypeProto.Tensor", "elem_type", at)
            elem_type = _int32(x)
        elif number == 2:
            _expect(wire, 2, "TypeProto.Tensor", "shape", at)
            shapes.append((x, y))
    if not shapes:
        return ValueInfo(name, elem_type, None)
    dims: list[Dim] = []
    for number, wire, x, y, at in _fields(buf, shapes):
        if number == 1:
            _expect(wire, 2, "TensorShapeProto", "dim", at)
            dim: Dim = None
            for n2, w2, p, q, at2 in _fields(buf, ((x, y),)):
                if n2 == 1:
                    _expect(w2, 0, "TensorShapeProto.Dimension", "dim_value", at2)
                    dim = _int64(p)
                elif n2 == 2:
                    _expect(w2, 2, "TensorShapeProto.Dimension", "dim_param", at2)
                    dim = _text(buf, p, q, "a dim_param")
            dims.append(dim)
    return ValueInfo(name, elem_type, tuple(dims))


# ---------------------------------------------------------------------------- nodes
def _attribute(buf: Buffer, a: int, b: int, node: str) -> tuple[str, AttributeValue]:
    name = ""
    kind = 0
    f = 0.0
    i = 0
    s = (0, 0)
    t: list[tuple[int, int]] = []
    floats: list[tuple[int, int]] = []
    ints: list[int] = []
    strings: list[tuple[int, int]] = []
    tensors: list[tuple[int, int]] = []
    for number, wire, x, y, at in _fields(buf, ((a, b),)):
        if number == 1:
            _expect(wire, 2, "AttributeProto", "name", at)
            name = _text(buf, x, y, f"an attribute name of node {node!r}")
        elif number == 20:
            _expect(wire, 0, "AttributeProto", "type", at)
            kind = _int32(x)
        elif number == 2:
            _expect(wire, 5, "AttributeProto", "f", at)
            f = float(struct.unpack_from("<f", buf, x)[0])
        elif number == 3:
            _expect(wire, 0, "AttributeProto", "i", at)
            i = _int64(x)
        elif number == 4:
            _expect(wire, 2, "AttributeProto", "s", at)
            s = (x, y)
        elif number == 5:
            _expect(wire, 2, "AttributeProto", "t", at)
            t.append((x, y))
        elif number == 7:
            _repeated_fixed(wire, x, y, at, 4, floats, "AttributeProto.floats")
        elif number == 8:
            _repeated_varints(buf, wire, x, y, at, ints, "AttributeProto.ints")
        elif number == 9:
            _expect(wire, 2, "AttributeProto", "strings", at)
            strings.append((x, y))
        elif number == 10:
            _expect(wire, 2, "AttributeProto", "tensors", at)
            tensors.append((x, y))
    what = f"attribute {name!r} of node {node!r}"
    if kind == 1:
        return name, f
    if kind == 2:
        return name, i
    if kind == 3:
        return name, _text(buf, s[0], s[1], what)
    if kind == 4:
        return name, _tensor(buf, t)
    if kind in (5, 10):
        return name, "<graph>"
    if kind == 6:
        return name, tuple(float(v) for x, y in floats for v in struct.unpack_from(f"<{(y - x) // 4}f", buf, x))
    if kind == 7:
        return name, tuple(_int64(v) for v in ints)
    if kind == 8:
        return name, tuple(_text(buf, x, y, what) for x, y in strings)
    if kind == 9:
        return name, tuple(_tensor(buf, (r,)) for r in tensors)
    if kind in (11, 12):
        return name, "<sparse_tensor>"
    if kind in (13, 14):
        return name, "<type_proto>"
    raise _Malformed(f"{what} has no known type (AttributeProto.type {kind})", a)


def _node(buf: Buffer, a: int, b: int) -> Node:
    inputs: list[str] = []
    outputs: list[str] = []
    name = op_type = domain = ""
    attributes: list[tuple[int, int]] = []
    for number, wire, x, y, at in _fields(buf, ((a, b),)):
        if number == 1:
            _expect(wire, 2, "NodeProto", "input", at)
            inputs.append(_text(buf, x, y, "a node input"))
        elif number == 2:
            _expect(wire, 2, "NodeProto", "output", at)
            outputs.append(_text(buf, x, y, "a node output"))
        elif number == 3:
            _expect(wire, 2, "NodeProto", "name", at)
            name = _text(buf, x, y, "a node name")
        elif number == 4:
            _expect(wire, 2, "NodeProto", "op_type", at)
            op_type = _text(buf, x, y, "an op_type")
        elif number == 7:
            _expect(wire, 2, "NodeProto", "domain", at)
            domain = _text(buf, x, y, "a node domain")
        elif number == 5:
            _expect(wire, 2, "NodeProto", "attribute", at)
            attributes.append((x, y))
    attrs = dict(_attribute(buf, x, y, name or op_type) for x, y in attributes)
    return Node(name, op_type, domain, tuple(inputs), tuple(outputs), attrs)


# ---------------------------------------------------------------------------- graph and model
def _graph(buf: Buffer, ranges: Ranges, header: tuple[dict[str, int], str, str, int]) -> Graph:
    name = ""
    nodes: list[Node] = []
    initializers: dict[str, TensorValue] = {}
    sparse: list[TensorValue] = []
    inputs: list[ValueInfo] = []
    outputs: list[ValueInfo] = []
    value_info: dict[str, ValueInfo] = {}
    for number, wire, a, b, at in _fields(buf, ranges):
        if number == 1:
            _expect(wire, 2, "GraphProto", "node", at)
            nodes.append(_node(buf, a, b))
        elif number == 2:
            _expect(wire, 2, "GraphProto", "name", at)
            name = _text(buf, a, b, "the graph name")
        elif number == 5:
            _expect(wire, 2, "GraphProto", "initializer", at)
            tensor = _tensor(buf, ((a, b),))
            initializers[tensor.name] = tensor
        elif number == 15:
            _expect(wire, 2, "GraphProto", "sparse_initializer", at)
            sparse.append(_sparse_tensor(buf, a, b))
        elif number == 11:
            _expect(wire, 2, "GraphProto", "input", at)
            inputs.append(_value_info(buf, a, b))
        elif number == 12:
            _expect(wire, 2, "GraphProto", "output", at)
            outputs.append(_value_info(buf, a, b))
        elif number == 13:
            _expect(wire, 2, "GraphProto", "value_info", at)
            info = _value_info(buf, a, b)
            value_info[info.name] = info
    initializers.update((t.name, t) for t in sparse)
    opsets, producer_name, producer_version, ir_version = header
    return Graph(name, tuple(nodes), tuple(v for v in inputs if v.name not in initializers), tuple(outputs),
                 initializers, value_info, opsets, producer_name, producer_version, ir_version)


def _model(buf: Buffer, end: int) -> Graph:
    if end == 0:
        raise _Malformed("the file is empty")
    ir_version = 0
    producer_name = producer_version = ""
    graphs: list[tuple[int, int]] = []
    opsets: dict[str, int] = {}
    for number, wire, a, b, at in _fields(buf, ((0, end),)):
        if number == 1:
            _expect(wire, 0, "ModelProto", "ir_version", at)
            ir_version = _int64(a)
        elif number == 2:
            _expect(wire, 2, "ModelProto", "producer_name", at)
            producer_name = _text(buf, a, b, "producer_name")
        elif number == 3:
            _expect(wire, 2, "ModelProto", "producer_version", at)
            producer_version = _text(buf, a, b, "producer_version")
        elif number == 7:
            _expect(wire, 2, "ModelProto", "graph", at)
            graphs.append((a, b))
        elif number == 8:
            _expect(wire, 2, "ModelProto", "opset_import", at)
            domain, version = "", 0
            for n2, w2, x, y, at2 in _fields(buf, ((a, b),)):
                if n2 == 1:
                    _expect(w2, 2, "OperatorSetIdProto", "domain", at2)
                    domain = _text(buf, x, y, "an opset domain")
                elif n2 == 2:
                    _expect(w2, 0, "OperatorSetIdProto", "version", at2)
                    version = _int64(x)
            opsets[domain] = version
    if not graphs:
        raise _Malformed("no graph (ModelProto.graph, field 7)")
    return _graph(buf, graphs, (opsets, producer_name, producer_version, ir_version))


def parse_model(data: bytes | bytearray | memoryview | mmap.mmap, source: str) -> Graph:
    """The main graph of the ONNX model serialised in ``data`` (``source`` names it in errors).

    Raises ShapeError (rule ``bad-spec``) when ``data`` is not a well-formed ModelProto."""
    buf: Buffer = data
    if isinstance(data, memoryview) and (data.ndim != 1 or data.itemsize != 1):
        buf = data.cast("B")
    try:
        return _model(buf, len(buf))
    except _Malformed as exc:
        where = f" at byte {exc.offset:,}" if exc.offset is not None else ""
        raise ShapeError(f"{source}: not an ONNX model: {exc.reason}{where}", rule=Rule.BAD_SPEC,
                         values={"file": source, "offset": exc.offset}) from None


def read_model(path: str) -> Graph:
    """The main graph of the ONNX model file at ``path``, read without ``import onnx``: the file is
    mapped in memory, so weights that are never decoded are never read from disk either."""
    try:
        with open(path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size == 0:
                return parse_model(handle.read(), path)
            try:
                mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
            except (OSError, ValueError):  # not a regular file (a pipe): read it
                return parse_model(handle.read(), path)
            try:
                return parse_model(mapped, path)
            finally:
                mapped.close()
    except ShapeError:
        raise
    except OSError as exc:
        raise ShapeError(f"{path}: cannot read the model: {exc.strerror or exc}", rule=Rule.BAD_SPEC,
                         values={"file": path}) from None
    except ValueError as exc:  # a path with a NUL byte
        raise ShapeError(f"{path!r}: cannot read the model: {exc}", rule=Rule.BAD_SPEC,
                         values={"file": path}) from None
