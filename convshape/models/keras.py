"""Keras models: a ``.keras`` archive's ``config.json``, or the JSON of ``model.to_json()``, read
into convshape's network spec (the dict a TOML / JSON spec file gives), so ``summary``,
``check`` and ``sweep`` shape a Keras model without Keras, TensorFlow, h5py or numpy.

Only the architecture is read: a ``.keras`` file is a zip (keras/src/saving/saving_lib.py
``save_model`` writes ``metadata.json``, ``config.json`` and ``model.weights.h5``); this module
opens ``config.json`` and never the weights. The config is ``serialize_keras_object(model)``:
``{"class_name": "Sequential" | "Functional", "config": {"layers": [...]}}``. A Functional
model's layers each list their calls (``inbound_nodes``): Keras 3 writes ``{"args": [...],
"kwargs": {...}}`` whose tensors are ``{"class_name": "__keras_tensor__", "config":
{"keras_history": [layer, node_index, tensor_index]}}`` (keras/src/models/functional.py
``serialize_node``); Keras 2 (tf.keras) wrote ``[[layer, node_index, tensor_index, kwargs],
...]`` per call. A layer called twice (a shared layer) is two graph nodes: its first call is
named as the layer, call ``i`` is ``name@i``.

Every layer becomes the spec op :mod:`convshape.ops` names for it, with the framework's keys;
the spec engine then applies Keras 3's rules (:mod:`convshape.frameworks.keras`). A layer class
convshape does not model is a malformed-model error (exit 2) naming the layer, its class and
the file; it is never guessed.
"""

from __future__ import annotations

import heapq
import json
import zipfile
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from convshape.errors import ShapeError
from convshape.network.evaluate import MAX_SPEC_BYTES, NetworkSpec, parse_spec, read_spec_bytes, spec_error

if TYPE_CHECKING:
    from convshape.network.evaluate import NetworkReport
    from convshape.network.sweep import SweepResult

#: Keras's default layout (keras.config.image_data_format())
CHANNELS_LAST = "channels_last"

#: shape-preserving layers -> the word the spec keeps (an alias of convshape's identity op)
_IDENTITY = {"Activation": "activation", "ReLU": "relu", "LeakyReLU": "leaky-relu", "PReLU": "prelu", "ELU": "elu",
             "Softmax": "softmax", "Dropout": "dropout", "SpatialDropout1D": "spatial-dropout1d",
             "SpatialDropout2D": "spatial-dropout2d", "SpatialDropout3D": "spatial-dropout3d",
             "GaussianNoise": "gaussian-noise", "GaussianDropout": "gaussian-dropout", "AlphaDropout": "alpha-dropout",
             "Identity": "identity"}
_MERGES = {"Add": "add", "Subtract": "subtract", "Multiply": "multiply", "Average": "average", "Maximum": "maximum",
           "Minimum": "minimum", "Concatenate": "concat"}
_RANKED = {"Conv": "conv", "ConvTranspose": "conv-transpose", "DepthwiseConv": "depthwise-conv",
           "SeparableConv": "separable-conv", "MaxPooling": "maxpool", "AveragePooling": "avgpool",
           "GlobalMaxPooling": "global-maxpool", "GlobalAveragePooling": "global-avgpool", "UpSampling": "upsample",
           "ZeroPadding": "pad", "Cropping": "crop"}
#: every class this module reads (the error for any other lists them)
SUPPORTED = tuple(sorted({*_IDENTITY, *_MERGES, "InputLayer", "BatchNormalization", "LayerNormalization", "Dense",
                          "Flatten", "Reshape", "Permute", "Resizing",
                          *(f"{base}{n}D" for base in _RANKED for n in (1, 2, 3)
                            if not (base in ("DepthwiseConv", "SeparableConv") and n == 3)),
                          *(f"Conv{n}DTranspose" for n in (1, 2, 3))}
                         - {f"ConvTranspose{n}D" for n in (1, 2, 3)}))


class KerasModel(NamedTuple):
    """A Keras model read as a spec: the spec dict, and its input as the file gives it (None:
    a free size)."""

    spec: dict[str, Any]
    input: tuple[int | None, ...]
    data_format: str
    source: str
    #: the model's name and its InputLayer's (Keras's input check names both)
    name: str = "model"
    input_name: str = "input"
    #: a shared layer's later calls (``name@i``) -> the layer whose weights they use
    repeats: tuple[tuple[str, str], ...] = ()


def _error(source: str, message: str, *, field: str) -> ShapeError:
    return spec_error(f"{source}: {message}", field=field)


def read_config(path: str) -> Mapping[str, Any] | None:
    """A Keras model's config from a ``.keras`` archive or a ``to_json`` file; None for a JSON file
    that is no Keras model (a convshape spec)."""
    if path.lower().endswith(".keras"):
        try:
            with zipfile.ZipFile(path) as archive:
                try:
                    info = archive.getinfo("config.json")
                except KeyError:
                    raise _error(path, "not a Keras archive: the zip has no config.json (a .keras file holds "
                                       "config.json, metadata.json and model.weights.h5)", field="file") from None
                with archive.open(info) as handle:
                    raw = handle.read(MAX_SPEC_BYTES + 1)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError) as exc:
            raise _error(path, f"not a Keras archive (a .keras file is a zip with config.json): {exc}",
                         field="file") from None
        except OSError as exc:
            raise _error(path, f"cannot read the model: {exc.strerror or exc}", field="file") from None
        except (ValueError, NotImplementedError, RuntimeError) as exc:  # a NUL in the path, an encrypted member
            raise _error(path, f"cannot read the model: {exc}", field="file") from None
        if len(raw) > MAX_SPEC_BYTES:
            raise _error(path, f"config.json is larger than {MAX_SPEC_BYTES >> 20} MiB", field="file")
    else:
        raw = read_spec_bytes(path)
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        if path.lower().endswith(".keras"):
            raise _error(path, f"config.json is not valid JSON: {exc}", field="file") from None
        return None  # the spec reader says what is wrong with it
    except RecursionError:
        raise _error(path, "nested too deeply (hundreds of levels of arrays or objects)", field="file") from None
    if is_keras_config(data):
        return data  # type: ignore[no-any-return]
    if path.lower().endswith(".keras"):
        raise _error(path, "config.json is not a Keras model config ({\"class_name\": ..., \"config\": ...})",
                     field="file")
    return None


def is_keras_config(data: object) -> bool:
    """Keras's ``{"class_name": ..., "config": {...}}`` (a convshape spec has ``layers`` at the top)."""
    return isinstance(data, Mapping) and isinstance(data.get("class_name"), str) and \
        isinstance(data.get("config"), Mapping) and "layers" not in data


# ---------------------------------------------------------------------------- one layer
class _Layer(NamedTuple):
    cls: str
    name: str
    config: Mapping[str, Any]
    build_shape: Sequence[Any] | None


def _ints(value: object, n: int, where: str, key: str) -> list[int]:
    """A Keras tuple argument (an int or a list of n ints)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return [value] * n
    if isinstance(value, Sequence) and not isinstance(value, str) and len(value) == n and \
            all(isinstance(v, int) and not isinstance(v, bool) for v in value):
        return list(value)
    raise spec_error(f"{where}: {key} must be an integer or {n} integers, but got {value!r}", field=key)


def _pairs(value: object, n: int, where: str, key: str) -> list[str]:
    """ZeroPadding / Cropping amounts (an int; n ints; or n (before, after) pairs) as the spec's
    ``before:after`` per spatial axis, first axis first."""
    if n == 1 and isinstance(value, Sequence) and not isinstance(value, str) and len(value) == 2 and \
            all(isinstance(v, int) for v in value):
        return [f"{value[0]}:{value[1]}"]
    if isinstance(value, int) and not isinstance(value, bool):
        return [f"{value}:{value}"] * n
    if isinstance(value, Sequence) and not isinstance(value, str) and len(value) == n:
        out = []
        for item in value:
            if isinstance(item, int) and not isinstance(item, bool):
                out.append(f"{item}:{item}")
            elif isinstance(item, Sequence) and not isinstance(item, str) and len(item) == 2 and \
                    all(isinstance(v, int) and not isinstance(v, bool) for v in item):
                out.append(f"{item[0]}:{item[1]}")
            else:
                break
        else:
            return out
    raise spec_error(f"{where}: {key} must be an integer, {n} integers or {n} (before, after) pairs, "
                     f"but got {value!r}", field=key)


def _rank(cls: str) -> tuple[str, int] | None:
    """``Conv2DTranspose`` -> (``ConvTranspose``, 2); ``MaxPooling1D`` -> (``MaxPooling``, 1)."""
    for n in (1, 2, 3):
        if cls == f"Conv{n}DTranspose":
            return "ConvTranspose", n
        if cls.endswith(f"{n}D") and cls[:-2] in _RANKED:
            return cls[:-2], n
    return None


def _window(c: Mapping[str, Any], n: int, where: str, kernel_key: str) -> dict[str, Any]:
    kernel = _ints(c.get(kernel_key), n, where, kernel_key)
    strides = c.get("strides")
    padding = c.get("padding", "valid")
    if not isinstance(padding, str):
        raise spec_error(f"{where}: padding must be \"valid\", \"same\" or \"causal\", but got {padding!r}",
                         field="padding")
    out: dict[str, Any] = {"kernel": kernel, "stride": kernel if strides is None else _ints(strides, n, where,
                                                                                              "strides"),
                           "padding": padding.lower()}
    if "dilation_rate" in c:
        out["dilation"] = _ints(c["dilation_rate"], n, where, "dilation_rate")
    return out


def layer_op(layer: _Layer, fmt: str, where: str) -> dict[str, Any]:
    """The spec layer (op and keys) for one Keras layer, without name and inputs."""
    c, cls = layer.config, layer.cls
    if cls in _IDENTITY:
        return {"op": _IDENTITY[cls]}
    if cls in _MERGES:
        op: dict[str, Any] = {"op": _MERGES[cls]}
        if cls == "Concatenate":
            op["axis"] = c.get("axis", -1)
        return op
    if cls == "Flatten":
        return {"op": "flatten"}
    if cls == "Dense":
        op = {"op": "linear", "out_features": c.get("units"), "bias": c.get("use_bias", True)}
        features = layer.build_shape[-1] if layer.build_shape else None
        if isinstance(features, int):  # the kernel built for it: (in, units) (keras/src/layers/core/dense.py build)
            op["in_features"] = features
        return op
    if cls == "Reshape":
        return {"op": "reshape", "target_shape": list(c.get("target_shape") or ()), "data_format": fmt}
    if cls == "Permute":
        dims = c.get("dims")
        if not isinstance(dims, Sequence) or not all(isinstance(d, int) for d in dims):
            raise spec_error(f"{where}: dims must be a list of axes, but got {dims!r}", field="dims")
        return {"op": "permute", "dims": [0, *dims], "data_format": fmt}  # the next layer reads it as the model's
    if cls == "Resizing":
        return {"op": "interpolate", "size": [c.get("height"), c.get("width")],
                "mode": c.get("interpolation", "bilinear")}
    if cls in ("BatchNormalization", "LayerNormalization"):
        return _norm(layer, fmt, where)
    ranked = _rank(cls)
    if ranked is None:
        raise spec_error(f"{where}: convshape does not model Keras {cls} layers (it reads "
                         + ", ".join(SUPPORTED) + ")", field="class_name", layer=layer.name, class_name=cls)
    base, n = ranked
    name = f"{_RANKED[base]}{n}d"
    if base in ("Conv", "ConvTranspose", "DepthwiseConv", "SeparableConv"):
        op = {"op": name, **_window(c, n, where, "kernel_size"), "bias": c.get("use_bias", True)}
        if base in ("Conv", "ConvTranspose", "SeparableConv"):
            op["out_channels"] = c.get("filters")
        if base in ("DepthwiseConv", "SeparableConv"):
            op["depth_multiplier"] = c.get("depth_multiplier", 1)
        if base == "Conv" and c.get("groups", 1) != 1:
            op["groups"] = c["groups"]
        if base == "ConvTranspose" and c.get("output_padding") is not None:
            op["output_padding"] = _ints(c["output_padding"], n, where, "output_padding")
        return op
    if base in ("MaxPooling", "AveragePooling"):
        return {"op": name, **_window(c, n, where, "pool_size")}
    if base in ("GlobalMaxPooling", "GlobalAveragePooling"):
        return {"op": name, "keepdims": bool(c.get("keepdims", False))}
    if base == "UpSampling":
        op = {"op": name, "scale": _ints(c.get("size", 2), n, where, "size")}
        if n == 2:
            op["mode"] = c.get("interpolation", "nearest")
        return op
    key = "padding" if base == "ZeroPadding" else "cropping"
    return {"op": name, key: _pairs(c.get(key, 1 if key == "padding" else 0), n, where, key)}


def _norm(layer: _Layer, fmt: str, where: str) -> dict[str, Any]:
    """BatchNormalization normalises the channels axis (its weights are per channel), and
    LayerNormalization the trailing axes; another axis is not modelled (its weights would fix a
    spatial size)."""
    c = layer.config
    axis = c.get("axis", -1)
    axes = [axis] if isinstance(axis, int) else list(axis) if isinstance(axis, Sequence) else [axis]
    rank = len(layer.build_shape) if layer.build_shape else None
    if not all(isinstance(a, int) for a in axes) or not axes:
        raise spec_error(f"{where}: axis must be an integer or a list of integers, but got {axis!r}", field="axis")
    if rank is not None:
        axes = sorted(a % rank for a in axes)
    if layer.cls == "BatchNormalization":
        channels = (-1 % rank if fmt == CHANNELS_LAST else 1) if rank is not None else None
        if rank is not None and axes != [channels] or rank is None and axes not in ([-1], [1]):
            raise spec_error(f"{where}: convshape models BatchNormalization over the channels axis "
                             f"(axis={-1 if fmt == CHANNELS_LAST else 1} in this {fmt} model), not axis={axis!r}",
                             field="axis", layer=layer.name, class_name=layer.cls)
        return {"op": "batchnorm", "affine": bool(c.get("scale", True) or c.get("center", True))}
    op: dict[str, Any] = {"op": "layernorm", "affine": bool(c.get("scale", True)), "bias": bool(c.get("center", True))}
    build = list(layer.build_shape or ())
    if rank is None or axes == [rank - 1] and fmt == CHANNELS_LAST and not isinstance(build[-1], int):
        return op
    # gamma and beta are built for these sizes (keras/src/layers/normalization/layer_normalization.py build)
    if axes != list(range(axes[0], rank)) or any(not isinstance(build[a], int) for a in axes):
        raise spec_error(f"{where}: convshape models LayerNormalization over trailing axes of fixed size, not "
                         f"axis={axis!r} of {build}", field="axis", layer=layer.name, class_name=layer.cls)
    op["normalized_shape"] = [build[a] for a in axes]
    return op


# ---------------------------------------------------------------------------- the graph
def _history(value: object, found: list[tuple[str, int, int]]) -> None:
    """Every Keras 3 ``__keras_tensor__`` in a call's args / kwargs, in order."""
    if isinstance(value, Mapping):
        if value.get("class_name") == "__keras_tensor__":
            history = value.get("config", {}).get("keras_history") if isinstance(value.get("config"), Mapping) \
                else None
            if isinstance(history, Sequence) and len(history) == 3 and isinstance(history[0], str):
                found.append((history[0], int(history[1]), int(history[2])))
            return
        for item in value.values():
            _history(item, found)
    elif isinstance(value, Sequence) and not isinstance(value, str):
        for item in value:
            _history(item, found)


def _calls(raw: Mapping[str, Any], where: str) -> list[list[tuple[str, int, int]]]:
    """A layer's calls: for each, the (layer, node, tensor) it reads."""
    nodes = raw.get("inbound_nodes") or []
    if not isinstance(nodes, Sequence):
        raise spec_error(f"{where}: inbound_nodes must be a list, but got {nodes!r}", field="inbound_nodes")
    calls = []
    for node in nodes:
        found: list[tuple[str, int, int]] = []
        if isinstance(node, Mapping):  # Keras 3: {"args": [...], "kwargs": {...}}
            _history(node.get("args", []), found)
            _history(node.get("kwargs", {}), found)
        elif isinstance(node, Sequence):  # Keras 2: [[name, node_index, tensor_index, kwargs], ...]
            for ref in node:
                if isinstance(ref, Sequence) and len(ref) >= 3 and isinstance(ref[0], str):
                    found.append((ref[0], int(ref[1]), int(ref[2])))
        if not found:
            raise spec_error(f"{where}: a call of the layer reads no tensor ({node!r})", field="inbound_nodes")
        calls.append(found)
    return calls


def _node_name(layer: str, node: int) -> str:
    return layer if node == 0 else f"{layer}@{node}"


def _shape_of(config: Mapping[str, Any]) -> Sequence[Any] | None:
    for key in ("batch_shape", "batch_input_shape"):
        value = config.get(key)
        if isinstance(value, Sequence) and not isinstance(value, str):
            return list(value)
    return None


def _build_shape(raw: Mapping[str, Any]) -> Sequence[Any] | None:
    build = raw.get("build_config")
    shape = build.get("input_shape") if isinstance(build, Mapping) else None
    if isinstance(shape, Sequence) and not isinstance(shape, str) and shape and \
            not isinstance(shape[0], Sequence):
        return list(shape)
    return None


def to_spec(data: Mapping[str, Any], source: str) -> KerasModel:
    """A Keras model config as a spec dict (see the module docstring)."""
    cls = data.get("class_name")
    config = data.get("config")
    assert isinstance(config, Mapping)
    raw_layers = config.get("layers")
    if cls not in ("Sequential", "Functional", "Model") or not isinstance(raw_layers, Sequence) or not raw_layers:
        raise _error(source, f"convshape reads Keras Sequential and Functional models, but the file holds a "
                             f"{cls!r}" + ("" if isinstance(raw_layers, Sequence) else " with no layers"),
                     field="class_name")
    layers: list[tuple[_Layer, list[list[tuple[str, int, int]]]]] = []
    formats: dict[str, str] = {}
    for index, raw in enumerate(raw_layers):
        if not isinstance(raw, Mapping) or not isinstance(raw.get("class_name"), str) or \
                not isinstance(raw.get("config"), Mapping):
            raise _error(source, f"layer {index + 1} is not a Keras layer config ({{\"class_name\": ..., \"config\": "
                                 f"...}})", field="layers")
        c = raw["config"]
        name = raw.get("name") or c.get("name") or f"layer_{index + 1}"
        where = f"{source}: layer {name!r} ({raw['class_name']})"
        layer = _Layer(raw["class_name"], str(name), c, _build_shape(raw))
        if isinstance(c.get("data_format"), str):
            formats.setdefault(c["data_format"], layer.name)
        calls = _calls(raw, where) if cls != "Sequential" else []
        layers.append((layer, calls))
    if len(formats) > 1:
        raise _error(source, "layers use both data formats (" + ", ".join(f"{f} in {n!r}" for f, n in formats.items())
                     + "); convshape shapes a model of one data format", field="data_format")
    fmt = next(iter(formats), CHANNELS_LAST)
    if cls == "Sequential":
        return _sequential(config, layers, fmt, source)
    return _functional(config, layers, fmt, source)


def _spec(shape: Sequence[Any], fmt: str, spec_layers: list[dict[str, Any]], source: str, name: object,
          input_name: object) -> KerasModel:
    if not spec_layers:
        raise _error(source, "the model has no layers after its input", field="layers")
    if not shape:
        raise _error(source, "the model's input shape is not in the file (no InputLayer batch_shape, no "
                             "build_input_shape)", field="input")
    dims: list[int | None] = []
    for d in shape:
        if d is not None and (not isinstance(d, int) or isinstance(d, bool) or d < 1):
            raise _error(source, f"the model's input shape {list(shape)} has a size that is not a positive "
                                 f"integer or None", field="input")
        dims.append(d)
    spec = {"framework": "keras", "data_format": fmt.replace("_", "-"), "layers": spec_layers}
    return KerasModel(spec, tuple(dims), fmt, source, str(name or "model"), str(input_name or "input"))


def _sequential(config: Mapping[str, Any], layers: list[tuple[_Layer, Any]], fmt: str, source: str) -> KerasModel:
    shape = _shape_of(config) or (list(config["build_input_shape"]) if isinstance(config.get("build_input_shape"),
                                                                                Sequence) else None)
    spec_layers = []
    input_name = None
    for layer, _ in layers:
        where = f"{source}: layer {layer.name!r} ({layer.cls})"
        if layer.cls == "InputLayer":
            shape = _shape_of(layer.config) or shape
            input_name = layer.name
            continue
        if shape is None:
            shape = _shape_of(layer.config) or layer.build_shape
        spec_layers.append({"name": layer.name, **layer_op(layer, fmt, where)})
    return _spec(shape or (), fmt, spec_layers, source, config.get("name"), input_name)


def _functional(config: Mapping[str, Any], layers: list[tuple[_Layer, list[list[tuple[str, int, int]]]]], fmt: str,
                source: str) -> KerasModel:
    inputs = [layer for layer, _ in layers if layer.cls == "InputLayer"]
    if len(inputs) != 1:
        raise _error(source, f"the model has {len(inputs)} inputs ("
                             + ", ".join(repr(layer.name) for layer in inputs) + "); convshape shapes one-input models",
                     field="input")
    by_name = {layer.name: (layer, calls) for layer, calls in layers}
    # every call is a graph node; emit them in an order where each follows what it reads (Kahn's
    # algorithm, ties in the file's order, which Keras writes topologically)
    order: dict[tuple[str, int], int] = {}
    reads: dict[tuple[str, int], list[tuple[str, int]]] = {}
    for layer, calls in layers:
        if layer.cls == "InputLayer":
            continue
        for i, call in enumerate(calls):
            order[(layer.name, i)] = len(order)
            reads[(layer.name, i)] = [(name, node) for name, node, _ in call]
    waiting: dict[tuple[str, int], int] = {}
    readers: dict[tuple[str, int], list[tuple[str, int]]] = {}
    ready: list[tuple[int, tuple[str, int]]] = []
    input_name = inputs[0].name
    for node, sources in reads.items():
        where = f"{source}: layer {node[0]!r} ({by_name[node[0]][0].cls})"
        pending = 0
        for name, index in sources:
            if name == input_name:
                continue
            if (name, index) not in reads:
                raise spec_error(f"{where}: reads {_node_name(name, index)!r}, which is no call of a layer in the "
                                 f"model", field="inbound_nodes")
            pending += 1
            readers.setdefault((name, index), []).append(node)
        waiting[node] = pending
        if not pending:
            heapq.heappush(ready, (order[node], node))
    spec_layers = []
    while ready:
        _, node = heapq.heappop(ready)
        layer, calls = by_name[node[0]]
        where = f"{source}: layer {layer.name!r} ({layer.cls})"
        names = ["input" if name == input_name else _node_name(name, index) for name, index in reads[node]]
        for name, _, tensor in calls[node[1]]:
            if tensor != 0:
                raise spec_error(f"{where}: reads output {tensor} of {name!r}; convshape's layers have one output",
                                 field="inbound_nodes")
        spec_layers.append({"name": _node_name(*node), "inputs": names, **layer_op(layer, fmt, where)})
        for reader in readers.get(node, ()):
            waiting[reader] -= 1
            if not waiting[reader]:
                heapq.heappush(ready, (order[reader], reader))
    if len(spec_layers) != len(reads):
        stuck = next(node for node, count in waiting.items() if count)
        raise _error(source, f"the graph has a cycle through {_node_name(*stuck)!r}", field="inbound_nodes")
    shape = _shape_of(inputs[0].config)
    model = _spec(shape or (), fmt, spec_layers, source, config.get("name"), input_name)
    return model._replace(repeats=tuple((_node_name(*node), node[0]) for node in reads if node[1]))


# ---------------------------------------------------------------------------- the network spec
def free_axes(model: KerasModel) -> tuple[int, ...]:
    """The positions of the input's free (None) sizes, the batch excluded."""
    return tuple(i for i, d in enumerate(model.input) if d is None and i > 0)


def spatial_positions(model: KerasModel) -> tuple[int, ...]:
    rank = len(model.input)
    if rank < 3:
        return ()
    return tuple(range(1, rank - 1)) if model.data_format == CHANNELS_LAST else tuple(range(2, rank))


def network_spec(model: KerasModel, *, input: object = None, framework: str | None = None,
                 fill: int | None = None) -> NetworkSpec:
    """The model as a :class:`NetworkSpec`: ``input`` replaces the model's input (its channels
    must be the model's); else free spatial sizes take ``fill`` (a sweep's stand-in), and without
    it the model must have none. A free batch is 1."""
    source = model.source
    spec = dict(model.spec)
    if input is not None:
        from convshape.network.evaluate import spec_shape

        given = spec_shape(input, source, "input")
        if len(given) != len(model.input):
            raise _error(source, f"input {list(given)} has {len(given)} axes, but the model's input "
                                 f"{_show(model.input)} has {len(model.input)}", field="input")
        for i, (g, d) in enumerate(zip(given, model.input)):
            if i and d is not None and i not in spatial_positions(model) and g != d:
                raise _error(source, f"input {list(given)} has {g} at axis {i}, but the model's input "
                                     f"{_show(model.input)} fixes it to {d} (its weights are built for it)",
                             field="input")
        spec["input"] = list(given)
    else:
        free = [i for i in free_axes(model) if i not in spatial_positions(model) or fill is None]
        if free:
            raise _error(source, f"the model's input {_show(model.input)} has free sizes (None) at axis "
                                 + ", ".join(map(str, free)) + "; give the whole input shape (input=...)",
                         field="input")
        spec["input"] = [1 if i == 0 and d is None else fill if d is None else d for i, d in enumerate(model.input)]
    return parse_spec(spec, source, framework=framework)


def _show(shape: Sequence[int | None]) -> str:
    return "(" + ", ".join("None" if d is None else str(d) for d in shape) + ")"


def load(path: str) -> KerasModel | None:
    """The Keras model in ``path`` (``.keras`` or ``to_json`` JSON); None for a JSON file that is no
    Keras model."""
    data = read_config(path)
    if data is None:
        return None
    try:
        return to_spec(data, path)
    except RecursionError:
        raise _error(path, "nested too deeply", field="file") from None
    except (TypeError, ValueError, KeyError, AttributeError) as exc:
        if isinstance(exc, ShapeError):
            raise
        raise _error(path, f"not a Keras model config this reader understands ({type(exc).__name__}: {exc})",
                     field="file") from None


def input_error(model: KerasModel, shape: Sequence[int]) -> str | None:
    """Keras's rejection of an input whose size differs from a size the model's Input fixes (the
    batch excepted): keras/src/layers/input_spec.py ``assert_input_compatibility``, which a
    Functional model runs on its inputs (observed on keras 3.15.1: a model built on
    ``keras.Input((28, 28, 1))`` called on a 29x29 image raises it)."""
    if all(d is None or g == d for i, (g, d) in enumerate(zip(shape, model.input)) if i):
        return None
    # the Functional's InputSpec has allow_last_axis_squeeze: a trailing 1 is dropped before the message
    found = tuple(shape[:-1]) if shape and shape[-1] == 1 else tuple(shape)
    return (f"Input 0 with name '{model.input_name}' of layer '{model.name}' is incompatible with the layer: "
            f"expected shape={_show(model.input)}, found shape={_show(found)}")


def network_report(model: KerasModel, *, input: object = None, framework: str | None = None) -> NetworkReport:
    """The model's network report; a row ``input`` first when its Input rejects the shape."""
    from convshape.errors import Rule
    from convshape.network.evaluate import LayerReport, evaluate

    spec = network_spec(model, input=input, framework=framework)
    report = evaluate(spec)
    if model.repeats:  # one set of weights, counted at the layer's first call (as Model.count_params)
        repeats = dict(model.repeats)
        report = report._replace(layers=tuple(
            layer._replace(params=0, notes=(*layer.notes, f"shares the weights of {repeats[layer.name]}"))
            if layer.name in repeats and layer.ok else layer for layer in report.layers))
    error = input_error(model, spec.input)
    if error is None:
        return report
    row = LayerReport("input", "input", (), spec.input, (), 0, 0, (), (), (), (), (), None, error, Rule.INPUT_SIZE, ())
    return report._replace(layers=(row, *report.layers))


def _fixed_sweep(model: KerasModel, result: SweepResult, axis: int | None) -> SweepResult:
    """A sweep narrowed to the sizes the model's Input fixes on the swept axes (see :func:`input_error`);
    the layers' own answer stays in a note."""
    from convshape.network.sweep import Progression, nearest_valid

    positions = spatial_positions(model)
    swept = positions if axis is None else positions[axis:axis + 1]
    fixed = {d for i in swept if (d := model.input[i]) is not None}
    if not fixed:
        return result
    lo, hi = result.range
    size = next(iter(fixed))
    valid = (Progression(size, size, 1),) if len(fixed) == 1 and size in result else ()
    layers = ", ".join(p.describe() for p in result.valid) or "none"
    note = (f"the model's Input fixes {_show(model.input)}: Keras rejects any other size at its input "
            f"(input_spec.assert_input_compatibility); the layers alone accept {layers}")
    return result._replace(valid=valid, count=len(valid), notes=(*result.notes, note),
                           nearest_valid=nearest_valid(valid, result.size))


def sweep_spec(model: KerasModel, range: object, *, axis: int | None = None, input: object = None,
               framework: str | None = None) -> SweepResult:
    return _fixed_sweep(model, _sweep_spec(model, range, axis=axis, input=input, framework=framework), axis)


def _sweep_spec(model: KerasModel, range: object, *, axis: int | None = None, input: object = None,
                framework: str | None = None) -> SweepResult:
    """:func:`convshape.network.sweep.sweep` of the model. Free spatial sizes (None) are what a
    square sweep varies; the report's own size is then the smallest valid one (a stand-in: the
    model fixes none), and a sweep of one axis needs the other free axes given (``input``)."""
    from convshape.network.sweep import sweep
    from convshape.params import int_range

    free = [i for i in free_axes(model) if i in spatial_positions(model)]
    if input is not None or not free:
        return sweep(network_spec(model, input=input, framework=framework), range, axis=axis)
    if axis is not None and any(i != spatial_positions(model)[axis] for i in free if 0 <= axis < len(free)):
        raise _error(model.source, f"the model's input {_show(model.input)} has free sizes (None) on spatial axes "
                                   f"other than axis {axis}; give the whole input shape (input=...) to sweep one axis",
                     field="input")
    lo, _ = int_range(range)
    result = sweep(network_spec(model, framework=framework, fill=lo), range, axis=axis)
    if result.valid and result.valid[0].start != lo:
        result = sweep(network_spec(model, framework=framework, fill=result.valid[0].start), range, axis=axis)
    note = f"the model's input {_show(model.input)} leaves the swept sizes free (None)"
    return result._replace(notes=(*result.notes, note))
