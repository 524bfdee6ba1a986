"""Networks: a spec (TOML, JSON or a dict) or a one-line chain, shaped layer by layer.

Every spatial layer is computed by the same public API function its CLI command calls
(:func:`convshape.conv`, :func:`convshape.pool`, ...), so a network obeys exactly the rules,
rejections and messages of the single-layer commands. This module adds what only a network
has: tensors with batch and channels in a data format, weights and their layouts, parameter
and multiply-accumulate counts, receptive fields, skip connections and expected shapes.

    >>> from convshape.network.evaluate import chain
    >>> chain("1x3x224x224", ["conv2d 64 k=7 s=2 p=3", "maxpool2d k=3 s=2 p=1"]).layers[-1].shape
    (1, 64, 56, 56)
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from fractions import Fraction
from functools import partial
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

from convshape.axes import empty_warnings
from convshape.errors import Rule, ShapeError
from convshape.ops import OPS as ALL_OPS
from convshape.ops import Family, Op, did_you_mean, suggest
from convshape.ops import find as find_op
from convshape.limits import MAX_CHANNELS, MAX_INPUT, check_limit
from convshape.params import parse_int, tensor_shape
from convshape.rules import effective_kernel
from convshape.rules.weights import conv_macs, depthwise_macs, transposed_macs

if TYPE_CHECKING:
    from convshape.model import ConvAxis
    from convshape.network.symbolic import ConstraintSet

if TYPE_CHECKING:
    from convshape.frameworks.base import Framework

# ---------------------------------------------------------------------------- data formats
#: data format -> (spatial axes, channels last?)
DATA_FORMATS = {"NCW": (1, False), "NCHW": (2, False), "NCDHW": (3, False),
                "NWC": (1, True), "NHWC": (2, True), "NDHWC": (3, True)}


def _channels_last(data_format: str | None) -> bool:
    """Whether a tensor's channels are its last axis: by its format; a flattened one (None) has
    only its features, last."""
    return data_format is None or DATA_FORMATS[data_format][1]
#: where a tensor's spatial axes sit, by its data format (none once flattened)
_SPATIAL: dict[str | None, slice] = {None: slice(0, 0), **{f: slice(1, -1) if last else slice(2, None)
                                                          for f, (_, last) in DATA_FORMATS.items()}}
CHANNELS_FIRST = {1: "NCW", 2: "NCHW", 3: "NCDHW"}
CHANNELS_LAST = {1: "NWC", 2: "NHWC", 3: "NDHWC"}
_FORMAT_WORDS = {"channels-first": False, "channels_first": False, "channels-last": True, "channels_last": True}


def _facts(fw: str) -> Framework:
    """The framework's registry entry: the facts the layers need (its bias default, whether it stores
    kernels spatial-first, ...); see :class:`convshape.frameworks.base.Framework`."""
    from convshape.frameworks import get

    return get(fw)


def spec_error(message: str, *, rule: Rule | str = Rule.BAD_SPEC, **values: object) -> ShapeError:
    """A mistake in a spec or chain (a usage error: exit 2 in the CLI)."""
    return ShapeError(message, rule=rule, values=values)


# ---------------------------------------------------------------------------- the ops, as data
class OpDef(NamedTuple):
    """What a spec's ``op`` names: the kind of layer, its spatial rank (None: any), the keys it
    takes beyond the common ones, and the key a chain's bare number fills."""

    kind: str
    ndim: int | None
    keys: tuple[str, ...]
    positional: str | None


#: the kind of layer each op family evaluates as (pooling: its kind, "max" / "avg" / "lp")
_KINDS: dict[Family, str] = {Family.CONV: "conv", Family.CONV_TRANSPOSE: "conv_transpose",
                             Family.FRACTIONAL_POOL: "fractional", Family.UNPOOL: "unpool",
                             Family.DEPTHWISE_CONV: "depthwise", Family.SEPARABLE_CONV: "separable",
                             Family.ACTIVATION: "identity", Family.FLATTEN: "flatten",
                             Family.LINEAR: "linear"}


def _kind(op: Op) -> str | None:
    """The evaluator an op runs through; None for an op a network cannot evaluate (a pool of no kind)."""
    if op.family is Family.UNFOLD:  # a tensor of columns, not of spatial axes: single-layer commands only
        return None
    if op.family is Family.POOL:
        return op.pool
    if op.family is Family.ADAPTIVE_POOL:
        return f"adaptive_{op.pool}"
    if op.family is Family.RESAMPLE:
        return "upsample" if op.name.startswith("upsample") else "interpolate"
    if op.family is Family.NORM:  # batchnorm, instancenorm, layernorm, groupnorm
        return op.name[:-2] if op.ndim else op.name
    if op.family is Family.PAD:
        return "crop" if op.name.startswith("crop") else "pad"
    if op.family is Family.MERGE:  # concat; add and the other elementwise merges share add's shape rule
        return "concat" if op.name == "concat" else "add"
    if op.family is Family.RESHAPE:
        return op.name  # reshape, permute
    if op.family is Family.PIXEL_SHUFFLE:
        return op.name.replace("-", "_")  # pixel_shuffle, pixel_unshuffle
    return _KINDS[op.family]


#: every op a network evaluates, by canonical name (from :mod:`convshape.ops`)
OPS: dict[str, OpDef] = {op.name: OpDef(kind, op.ndim, op.params, op.positional)
                         for op in ALL_OPS.values() if (kind := _kind(op)) is not None}


#: key aliases: what people type in specs (torch / keras argument names) -> convshape's name
KEY_ALIASES = {"kernel_size": "kernel", "k": "kernel", "pool_size": "kernel", "strides": "stride", "s": "stride",
               "p": "padding", "pad": "padding", "pads": "padding", "dilation_rate": "dilation", "d": "dilation",
               "filters": "out_channels", "c": "out_channels", "channels": "out_channels", "g": "groups",
               "use_bias": "bias", "o": "output_size", "op": "output_padding", "units": "out_features",
               "m": "depth_multiplier", "scale_factor": "scale", "r": "factor", "upscale_factor": "factor",
               "downscale_factor": "factor", "block_size": "factor", "ceil": "ceil_mode", "p_norm": "norm_type",
               "num_groups": "groups", "elementwise_affine": "affine", "crop": "cropping", "keep_dims": "keepdims"}
COMMON_KEYS = ("name", "op", "inputs", "expect")
_BOOL_KEYS = {"bias", "ceil_mode", "count_include_pad", "align_corners", "recompute_scale_factor", "antialias",
              "affine", "track_running_stats", "keepdims"}
_STR_KEYS = {"mode", "data_format"}
_INT_KEYS = {"out_channels", "groups", "depth_multiplier", "out_features", "in_features", "factor", "axis"}


def op_name(op: object, where: str) -> str:
    """The canonical op name for what a spec or chain wrote (any name :mod:`convshape.ops` knows)."""
    if not isinstance(op, str) or not op.strip():
        raise spec_error(f"{where}: 'op' must name a layer, but got {op!r}", field="op")
    found = find_op(op)
    if found is not None and found.name not in OPS:
        raise spec_error(f"{where}: {op!r} names pooling of no kind; use maxpool, avgpool or lppool (with 1d, 2d, 3d)",
                         field="op", op=op)
    if found is None:
        near = suggest(op)
        raise spec_error(f"{where}: unknown op {op!r}" + (did_you_mean(near) if near else
                         "; no known op is close to it"),
                         field="op", op=op)
    return found.name


def _key(key: str) -> str:
    k = key.strip().replace("-", "_").lower()
    return KEY_ALIASES.get(k, k)


# ---------------------------------------------------------------------------- parsed layers
class LayerSpec(NamedTuple):
    """One layer of a network as written: op, the names it reads, its arguments, its expected shape."""

    index: int  # type: ignore[assignment]  # a field's name (in the JSON too) shadows tuple.index
    name: str
    op: str
    kind: str
    ndim: int | None
    inputs: tuple[str, ...]
    args: dict[str, Any]
    expect: tuple[int, ...] | None


class NetworkSpec(NamedTuple):
    """A whole network: its input tensor, data format, framework and layers."""

    input: tuple[int, ...]
    data_format: str | None
    framework: str
    layers: tuple[LayerSpec, ...]
    source: str


def spec_shape(value: object, where: str, field: str) -> tuple[int, ...]:
    """``[1, 3, 224, 224]``, ``"1x3x224x224"``, ``"(1, 3, 224, 224)"`` (:func:`params.tensor_shape`)
    -> a tuple of positive ints (``expect`` takes -1 as a wildcard)."""
    if isinstance(value, str):
        try:
            items = tensor_shape(value, field, smallest=None)
        except ShapeError as exc:
            if exc.rule == Rule.CONVSHAPE_LIMIT:
                raise spec_error(f"{where}: {exc.message}", rule=exc.rule, field=field) from None
            raise spec_error(f"{where}: {field} must be a shape like 1x3x224x224 or a list of integers, "
                             f"but got {value!r}", field=field) from None
    elif isinstance(value, Sequence) and value and all(isinstance(v, int) and not isinstance(v, bool)
                                                       for v in value):
        try:
            items = tensor_shape(value, field, smallest=None)
        except ShapeError as exc:
            raise spec_error(f"{where}: {exc.message}", rule=exc.rule, field=field) from None
    else:
        raise spec_error(f"{where}: {field} must be a list of integers like [1, 3, 224, 224], but got {value!r}",
                         field=field)
    try:  # every size, channels and batch included: convshape's limit (int32, as TF and Caffe store sizes)
        check_limit(field, items, MAX_INPUT)
    except ShapeError as exc:
        raise spec_error(f"{where}: {exc.message}", rule=exc.rule, field=field) from None
    if field != "expect" and any(v < 1 for v in items):
        raise spec_error(f"{where}: every size in {field} must be at least 1, but got {list(items)}", field=field)
    return tuple(items)


def _value(key: str, value: object, where: str) -> object:
    if key in _BOOL_KEYS:
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in ("true", "false", "1", "0", "yes", "no", "on", "off"):
            return value.lower() in ("true", "1", "yes", "on")
        raise spec_error(f"{where}: {key} must be true or false, but got {value!r}", field=key)
    if key in _INT_KEYS:
        if isinstance(value, str):
            try:
                value = parse_int(value, key)
            except ShapeError as exc:
                if exc.rule == Rule.CONVSHAPE_LIMIT:
                    raise spec_error(f"{where}: {exc.message}", rule=exc.rule, field=key) from None
        if isinstance(value, bool) or not isinstance(value, int):
            raise spec_error(f"{where}: {key} must be an integer, but got {value!r}", field=key)
        try:  # channels, features, groups, factors: convshape's limit (int32, as TF and Caffe store them)
            check_limit(key, (abs(value),), MAX_CHANNELS)
        except ShapeError as exc:
            raise spec_error(f"{where}: {exc.message}", rule=exc.rule, field=key) from None
        return value
    if key in _STR_KEYS and not isinstance(value, str):
        raise spec_error(f"{where}: {key} must be a string (a name like \"nearest\"), but got {value!r}", field=key)
    if isinstance(value, Mapping):
        raise spec_error(f"{where}: {key} must be a number, a list or a string, but got a table", field=key)
    return value


def parse_layer(index: int, raw: Mapping[str, Any], previous: str | None, source: str) -> LayerSpec:
    """One layer from a spec's table: its keys checked against what its op takes."""
    where = f"{source}: layer {index + 1}"
    if not isinstance(raw, Mapping):
        raise spec_error(f"{where}: a layer must be a table of keys (op = ..., kernel = ...), but got {raw!r}",
                         field="layers")
    if "name" in raw:
        if not isinstance(raw["name"], str) or not raw["name"].strip():
            raise spec_error(f"{where}: name must be a non-empty string, but got {raw['name']!r}", field="name")
        where = f"{source}: layer {raw['name']!r} (#{index + 1})"
    if "op" not in raw:
        raise spec_error(f"{where}: 'op' is missing; every layer names its op (conv2d, maxpool2d, concat, ...)",
                         field="op")
    op = op_name(raw["op"], where)
    definition = OPS[op]
    implied = dict(ALL_OPS[op].defaults)  # what the name says: a global pool's output_size 1
    if definition.kind == "identity":  # keep the word the user wrote: relu, dropout, ...
        op = str(raw["op"]).strip().lower()
    name = raw["name"].strip() if "name" in raw else f"{op}_{index + 1}"
    if "name" not in raw:
        where = f"{source}: layer {name!r} (#{index + 1})"
    args: dict[str, Any] = {}
    for key, value in raw.items():
        if key in COMMON_KEYS:
            continue
        k = _key(key)
        if k not in definition.keys:
            raise spec_error(f"{where}: {op} takes no key {key!r}; it takes "
                             + (", ".join(definition.keys) or "no arguments") + ", and name, inputs, expect",
                             field=key)
        if k in args:
            raise spec_error(f"{where}: {key!r} is given twice (as {k})", field=key)
        args[k] = _value(k, value, where)
    for k, value in implied.items():
        args.setdefault(k, value)
    raw_inputs = raw.get("inputs")
    if raw_inputs is None:
        if definition.kind in ("concat", "add"):
            raise spec_error(f"{where}: {op} needs inputs = [names of two or more earlier layers]", field="inputs")
        inputs: tuple[str, ...] = (previous,) if previous else ("input",)
    else:
        if isinstance(raw_inputs, str):
            raw_inputs = [raw_inputs]
        if not isinstance(raw_inputs, Sequence) or not all(isinstance(n, str) for n in raw_inputs) or not raw_inputs:
            raise spec_error(f"{where}: inputs must be a list of layer names, but got {raw_inputs!r}",
                             field="inputs")
        inputs = tuple(n.strip() for n in raw_inputs)
        if definition.kind in ("concat", "add") and len(inputs) < 2:
            raise spec_error(f"{where}: {op} needs two or more inputs, but got {list(inputs)}", field="inputs")
        if definition.kind not in ("concat", "add") and len(inputs) != 1:
            raise spec_error(f"{where}: {op} reads one tensor, but inputs names {len(inputs)}: {list(inputs)}",
                             field="inputs")
    expect = spec_shape(raw["expect"], where, "expect") if "expect" in raw else None
    for required in ("out_channels", "out_features"):
        if required in definition.keys and required not in args:
            raise spec_error(f"{where}: {op} needs {required}", field=required)
    if definition.kind in ("adaptive_avg", "adaptive_max") and "output_size" not in args:
        raise spec_error(f"{where}: {op} needs output_size", field="output_size")
    if definition.kind in ("pixel_shuffle", "pixel_unshuffle") and "factor" not in args:
        raise spec_error(f"{where}: {op} needs factor (the upscale or downscale factor)", field="factor")
    if definition.kind in ("conv", "conv_transpose", "max", "avg", "lp", "depthwise", "separable", "unpool",
                           "fractional") and "kernel" not in args:
        raise spec_error(f"{where}: {op} needs kernel", field="kernel")
    return LayerSpec(index, name, op, definition.kind, definition.ndim, inputs, args, expect)


def framework_name(fw: object, source: str) -> str:
    """The canonical name of a spec's framework (``pytorch`` -> ``torch``)."""
    from convshape.frameworks import framework_rules

    if not isinstance(fw, str):
        raise spec_error(f"{source}: framework must be a name like \"torch\", but got {fw!r}", field="framework")
    try:
        return framework_rules(fw).name
    except ShapeError as exc:
        raise spec_error(f"{source}: {exc.message}", field="framework") from None


def parse_spec(data: Mapping[str, Any], source: str = "<spec>", *, input: object = None,
               framework: str | None = None) -> NetworkSpec:
    """A network from a spec's top-level table; ``input`` / ``framework`` override the spec's."""
    if not isinstance(data, Mapping):
        raise spec_error(f"{source}: a spec is a table with input, layers, and optionally data_format and "
                         f"framework, but got {type(data).__name__}", field="spec")
    known = {"input", "data_format", "framework", "layers", "name", "description"}
    for key in data:
        if key not in known:
            raise spec_error(f"{source}: unknown top-level key {key!r}; expected " + ", ".join(sorted(known)),
                             field=key)
    if input is None and "input" not in data:
        raise spec_error(f"{source}: 'input' is missing: the whole input tensor, e.g. input = [1, 3, 224, 224]",
                         field="input")
    shape = spec_shape(input if input is not None else data["input"], source, "input")
    fw = framework_name(framework or data.get("framework", "torch"), source)
    data_format = data.get("data_format")
    if data_format is not None:
        if not isinstance(data_format, str) or data_format.upper() not in DATA_FORMATS and \
                data_format.lower() not in _FORMAT_WORDS:
            raise spec_error(f"{source}: unknown data_format {data_format!r}; expected one of "
                             + ", ".join(DATA_FORMATS) + ", channels-first, channels-last", field="data_format")
        if data_format.lower() in _FORMAT_WORDS:
            table = CHANNELS_LAST if _FORMAT_WORDS[data_format.lower()] else CHANNELS_FIRST
            data_format = table.get(len(shape) - 2)
        else:
            data_format = data_format.upper()
            if DATA_FORMATS[data_format][0] != len(shape) - 2:
                raise spec_error(f"{source}: data_format {data_format} has {len(data_format)} axes but input "
                                 f"{list(shape)} has {len(shape)}", field="data_format")
    else:  # the framework's own default layout (tf, keras: channels last)
        data_format = (CHANNELS_LAST if _facts(fw).tensor_channels_last else CHANNELS_FIRST).get(len(shape) - 2)
    raw_layers = data.get("layers")
    if not isinstance(raw_layers, Sequence) or isinstance(raw_layers, str) or not raw_layers:
        raise spec_error(f"{source}: 'layers' must be a non-empty list of layer tables ([[layers]] in TOML)",
                         field="layers")
    layers: list[LayerSpec] = []
    seen = {"input"}
    previous = None
    for index, raw in enumerate(raw_layers):
        layer = parse_layer(index, raw, previous, source)
        if layer.name in seen:
            raise spec_error(f"{source}: layer {layer.name!r} (#{index + 1}): the name is already used"
                             + (" (input names the network's input)" if layer.name == "input" else ""),
                             field="name")
        for name in layer.inputs:
            if name not in seen:
                later = any(isinstance(r, Mapping) and r.get("name") == name for r in raw_layers)
                raise spec_error(f"{source}: layer {layer.name!r} (#{index + 1}): inputs names {name!r}, "
                                 + ("which comes later; a layer reads only earlier layers" if later else
                                    "which is no earlier layer; known: " + ", ".join(sorted(seen))),
                                 field="inputs")
        seen.add(layer.name)
        layers.append(layer)
        previous = layer.name
    return NetworkSpec(shape, data_format, fw, tuple(layers), source)


#: spec files are read up to this many bytes (a spec is a few kilobytes; /dev/zero is endless)
MAX_SPEC_BYTES = 16 << 20


def read_spec_bytes(path: str) -> bytes:
    """A spec file's bytes (``-``: standard input), at most :data:`MAX_SPEC_BYTES`."""
    try:
        if path == "-":
            raw = sys.stdin.buffer.read(MAX_SPEC_BYTES + 1)
        else:
            with open(path, "rb") as handle:
                raw = handle.read(MAX_SPEC_BYTES + 1)
    except OSError as exc:
        raise spec_error(f"{path}: cannot read the spec: {exc.strerror}", rule=Rule.BAD_SPEC, field="file") from None
    except ValueError as exc:  # a path with a NUL byte
        raise spec_error(f"{path!r}: cannot read the spec: {exc}", rule=Rule.BAD_SPEC, field="file") from None
    if len(raw) > MAX_SPEC_BYTES:
        raise spec_error(f"{'<stdin>' if path == '-' else path}: larger than {MAX_SPEC_BYTES >> 20} MiB; convshape "
                         f"reads spec files up to {MAX_SPEC_BYTES >> 20} MiB (stopped reading there)", field="file")
    return raw


def load_spec(path: str, *, input: object = None, framework: str | None = None) -> NetworkSpec:
    """A spec file: TOML (``.toml``, read with the standard library's tomllib, or tomli before Python 3.11) or JSON.
    ``-`` reads standard input; files are read up to :data:`MAX_SPEC_BYTES`. A UTF-8 byte order mark is
    skipped in both."""
    raw = read_spec_bytes(path)
    source = "<stdin>" if path == "-" else path
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    ext = path.lower().rpartition(".")[2] if "." in path else ""
    try:
        if ext == "json" or (ext != "toml" and raw.lstrip()[:1] == b"{"):
            import json

            try:
                data = json.loads(raw)
            except (ValueError, UnicodeDecodeError) as exc:
                raise spec_error(f"{source}: not valid JSON: {exc}", field="file") from None
        else:
            if sys.version_info >= (3, 11):
                import tomllib
            else:  # the same parser, as a package (a dependency there)
                import tomli as tomllib

            try:
                data = tomllib.loads(raw.decode("utf-8"))
            except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
                raise spec_error(f"{source}: not valid TOML: {exc}", field="file") from None
            except ValueError:  # an integer over Python's 4,300-digit conversion limit
                raise spec_error(f"{source}: not valid TOML: an integer has more than 4,300 digits",
                                 field="file") from None
        return parse_spec(data, source, input=input, framework=framework)
    except RecursionError:
        raise spec_error(f"{source}: nested too deeply (arrays or tables within each other hundreds of levels "
                         f"deep); a spec is a table of layers", field="file") from None


def parse_chain(input: object, layers: Sequence[str], *, framework: str = "torch",
                data_format: str | None = None) -> NetworkSpec:
    """``"conv2d 64 k=7 s=2 p=3"``: the op, then its out_channels (or out_features, factor,
    output_size) where it has them, then ``key=value`` with short or long option names."""
    raw_layers: list[dict[str, Any]] = []
    for index, text in enumerate(layers):
        where = f"chain: layer {index + 1} ({text!r})"
        words = text.replace(",", " , ").split()
        # re-join per-axis values split above: "k=3 , 5" -> "k=3,5"
        joined: list[str] = []
        for word in words:
            if joined and (word == "," or joined[-1].endswith(",")):
                joined[-1] += word
            else:
                joined.append(word)
        if not joined:
            raise spec_error(f"chain: layer {index + 1} is empty", field="op")
        raw: dict[str, Any] = {"op": joined[0]}
        definition = OPS[op_name(joined[0], where)]
        for word in joined[1:]:
            if "=" in word:
                key, _, value = word.partition("=")
                if not key or not value:
                    raise spec_error(f"{where}: {word!r} must be key=value", field=word)
                key = key.lstrip("-")
                if _key(key) == "inputs":
                    raw["inputs"] = [v for v in value.replace("+", ",").split(",") if v]
                elif key == "name":
                    raw["name"] = value
                elif _key(key) == "expect":
                    raw["expect"] = value
                else:
                    raw[_key(key)] = value  # "op=1" is output_padding here, never the op
            elif definition.positional and definition.positional not in raw:
                raw[definition.positional] = word if definition.positional == "output_size" else _int_word(word, where)
            else:
                raise spec_error(f"{where}: unexpected {word!r}; after the op give "
                                 + (f"its {definition.positional}, then " if definition.positional else "")
                                 + "key=value pairs", field=word)
        raw_layers.append(raw)
    data: dict[str, Any] = {"input": input, "framework": framework, "layers": raw_layers}
    if data_format:
        data["data_format"] = data_format
    return parse_spec(data, "chain")


def _int_word(word: str, where: str) -> int:
    try:
        return parse_int(word, "channels")
    except ShapeError as exc:
        if exc.rule == Rule.CONVSHAPE_LIMIT:
            raise spec_error(f"{where}: {exc.message}", rule=exc.rule, field="channels") from None
        raise spec_error(f"{where}: expected a number of channels (or key=value), but got {word!r}",
                         field=word) from None


# ---------------------------------------------------------------------------- tensors and results
class Tensor(NamedTuple):
    """A layer's output: its whole shape, the format of its axes (None once flattened), and per
    spatial axis the receptive field, jump and start (in input cells; Fractions where an
    upsampling layer makes them fractional)."""

    shape: tuple[int, ...]
    data_format: str | None
    receptive_field: tuple[Fraction, ...]
    jump: tuple[Fraction, ...]
    start: tuple[Fraction, ...]

    @property
    def spatial(self) -> tuple[int, ...]:
        return self.shape[_SPATIAL[self.data_format]]

    @property
    def channels(self) -> int:
        if self.data_format is None:
            return self.shape[-1]
        return self.shape[-1] if _channels_last(self.data_format) else self.shape[1]

    def with_spatial(self, spatial: Sequence[int], channels: int) -> tuple[int, ...]:
        if _channels_last(self.data_format):
            return (self.shape[0], *spatial, channels)
        return (self.shape[0], channels, *spatial)


def _number(x: Fraction) -> int | float:
    return int(x) if x.denominator == 1 else float(x)


class LayerReport(NamedTuple):
    """One layer of a network report."""

    name: str
    op: str
    inputs: tuple[str, ...]
    shape: tuple[int, ...] | None
    weight_shape: tuple[tuple[int, ...], ...]
    params: int
    macs: int
    receptive_field: tuple[Fraction, ...]
    jump: tuple[Fraction, ...]
    start: tuple[Fraction, ...]
    pad_before: tuple[int, ...]
    pad_after: tuple[int, ...]
    expect: tuple[int, ...] | None
    error: str | None
    rule: str | None
    notes: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return self.error is None

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "op": self.op, "inputs": list(self.inputs),
                "shape": None if self.shape is None else list(self.shape),
                "weight_shape": [list(w) for w in self.weight_shape], "params": self.params, "macs": self.macs,
                "receptive_field": [_number(x) for x in self.receptive_field],
                "jump": [_number(x) for x in self.jump], "start": [_number(x) for x in self.start],
                "pad_before": list(self.pad_before), "pad_after": list(self.pad_after),
                "expect": None if self.expect is None else list(self.expect), "ok": self.ok, "error": self.error,
                "rule": self.rule, "notes": list(self.notes)}


class NetworkReport(NamedTuple):
    """A whole network, layer by layer, with its failures and totals."""

    source: str
    framework: str
    data_format: str | None
    input: tuple[int, ...]
    layers: tuple[LayerReport, ...]
    #: a model file's facts (convshape.models): format, opset, producer, the graph outputs' shapes
    model: Mapping[str, Any] | None = None

    @property
    def ok(self) -> bool:
        return all(layer.ok for layer in self.layers)

    @property
    def errors(self) -> tuple[LayerReport, ...]:
        """The layers that failed on their own (not those skipped because an input failed)."""
        return tuple(layer for layer in self.layers if layer.error is not None and layer.rule != Rule.INPUT_FAILED)

    @property
    def params(self) -> int:
        return sum(layer.params for layer in self.layers)

    @property
    def macs(self) -> int:
        return sum(layer.macs for layer in self.layers)

    @property
    def output(self) -> tuple[int, ...] | None:
        return self.layers[-1].shape

    def to_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "file": self.source, "framework": self.framework, "data_format": self.data_format,
                "input": list(self.input), "output": None if self.output is None else list(self.output),
                "params": self.params, "macs": self.macs, "layers": [layer.to_dict() for layer in self.layers],
                "errors": [{"layer": layer.name, "rule": layer.rule, "message": layer.error} for layer in self.errors],
                **({"model": dict(self.model)} if self.model is not None else {})}


# ---------------------------------------------------------------------------- geometry of one layer
#: what a layer does to one spatial axis's (receptive_field, jump, start)
Geometry = Callable[[Fraction, Fraction, Fraction], tuple[Fraction, Fraction, Fraction]]


class Step(NamedTuple):
    """What evaluating one layer gives: the output shape, the weight tensors, the MACs, and per
    spatial axis a function from (receptive_field, jump, start) to the same after the layer.

    For :mod:`convshape.network.sweep`, per spatial axis: ``scale``, the exact factor the layer scales a
    size by in the long run (1/stride for a window, stride for a transposed convolution, 0 for
    a fixed output size, None where float arithmetic makes it inexact), and ``extent``, the
    input size from which the layer's integer formula is in its regular (floor) regime.
    """

    shape: tuple[int, ...]
    weights: tuple[tuple[int, ...], ...]
    macs: int
    geometry: tuple[Geometry, ...] | None
    pad_before: tuple[int, ...]
    pad_after: tuple[int, ...]
    notes: tuple[str, ...]
    scale: tuple[Fraction | None, ...] | None = None
    extent: tuple[int, ...] = ()
    #: the output's data format where the layer sets it (a reshape, a permute); None: the input's
    #: when the layer keeps spatial axes (``geometry``), none once flattened
    out_format: str | None = None

    @property
    def drops_spatial(self) -> bool:
        """The output has no spatial axes: a flatten, a global pool without keepdims, a reshape to
        features (the sweep and the formulas end their spatial tracking here)."""
        return self.geometry is None and self.out_format is None


def _exact(value: float | int | None) -> Fraction | None:
    """A float scale as the exact fraction the framework multiplies by, if it is a short binary
    fraction (1.5, 0.25); None otherwise (0.3: products in doubles are not exact)."""
    if value is None:
        return None
    f = Fraction(value)
    return f if f.denominator <= 1024 else None


class _Window(Protocol):
    """A sliding window on one axis (an AxisSpec, ConvAxis or PoolAxis)."""

    @property
    def kernel(self) -> int: ...

    @property
    def stride(self) -> int: ...

    @property
    def dilation(self) -> int: ...


def _window_scale(axes: Sequence[_Window]) -> tuple[tuple[Fraction | None, ...], tuple[int, ...]]:
    """A window layer's ``scale`` and ``extent`` (see :class:`Step`)."""
    return (tuple(Fraction(1, a.stride) for a in axes),
            tuple(effective_kernel(a.kernel, a.dilation) for a in axes))


def window_geometry(kernel: int, stride: int, dilation: int, pad_before: int) -> Geometry:
    """A sliding window (convolution, pooling): the receptive field grows by d(k-1) jumps, the
    jump multiplies by the stride, and output 0's centre sits at d(k-1)/2 - pad_before."""
    span = effective_kernel(kernel, dilation) - 1
    shift = Fraction(span, 2) - pad_before

    def step(rf: Fraction, jump: Fraction, start: Fraction) -> tuple[Fraction, Fraction, Fraction]:
        return rf + span * jump, jump * stride, start + shift * jump

    return step


def scatter_geometry(kernel: int, stride: int, dilation: int, pad_before: int) -> Geometry:
    """A transposed convolution (or unpooling): output o receives input i through tap t when
    o = i*s - pad_before + t*d. An output reads the taps of one residue class; the widest class
    spans (t_max - t_min) * d / s input cells. The jump divides by the stride."""
    widest = 0
    for o in range(stride):
        taps = [t for t in range(kernel) if (o + pad_before - t * dilation) % stride == 0]
        if taps:
            widest = max(widest, (taps[-1] - taps[0]) * dilation // stride)
    centre = Fraction(pad_before, 1) - Fraction(effective_kernel(kernel, dilation) - 1, 2)

    def step(rf: Fraction, jump: Fraction, start: Fraction) -> tuple[Fraction, Fraction, Fraction]:
        return rf + widest * jump, jump / stride, start + centre / stride * jump

    return step


def resample_geometry(size: int, output: int, taps: int, centred: bool) -> Geometry:
    """Resampling by output/size: each output reads ``taps`` neighbouring inputs; the jump scales
    by size/output; with half-pixel centres output 0 sits at (size/output - 1)/2."""
    ratio = Fraction(size, output) if output else Fraction(1)

    def step(rf: Fraction, jump: Fraction, start: Fraction) -> tuple[Fraction, Fraction, Fraction]:
        shift = (ratio - 1) / 2 if centred else Fraction(0)
        return rf + (taps - 1) * jump, jump * ratio, start + shift * jump

    return step


def _same(rf: Fraction, jump: Fraction, start: Fraction) -> tuple[Fraction, Fraction, Fraction]:
    return rf, jump, start


def _widest(widest: Fraction, rf: Fraction, jump: Fraction, start: Fraction) -> tuple[Fraction, Fraction, Fraction]:
    """A merge of skips: the receptive field of its widest input."""
    return widest, jump, start


# ---------------------------------------------------------------------------- evaluating layers
def _need_spatial(layer: LayerSpec, x: Tensor) -> int:
    """The layer's spatial rank, checked against its input tensor."""
    ndim = len(x.spatial)
    if x.data_format is None:
        raise ShapeError(f"{layer.op} needs a tensor with spatial axes, but its input {list(x.shape)} was "
                         f"flattened", rule=Rule.RANK, values={"shape": list(x.shape)})
    if layer.ndim is not None and layer.ndim != ndim:
        raise ShapeError(f"{layer.op} expects a {layer.ndim + 2}-D input ({CHANNELS_FIRST[layer.ndim]} or "
                         f"{CHANNELS_LAST[layer.ndim]}), but got a {len(x.shape)}-D tensor {list(x.shape)}",
                         rule=Rule.RANK, values={"shape": list(x.shape), "ndim": layer.ndim})
    return ndim


def _spatial_first(fw: str) -> bool:
    """Kernels stored spatial-first: tf/keras (k..., in, out), flax (k..., in, out)."""
    return _facts(fw).channels_last


def _groups(layer: LayerSpec, fw: str, in_channels: int, out_channels: int, groups: int,
            shape: tuple[int, ...] = (), transposed: bool = False) -> None:
    """Channels divisible by groups: :meth:`convshape.frameworks.base.Framework.check_groups`."""
    _facts(fw).check_groups(in_channels, out_channels, groups, shape, transposed)


def _prod(values: Sequence[int]) -> int:
    out = 1
    for v in values:
        out *= v
    return out


class _Axes(NamedTuple):
    """A convolution layer's axes as the engine gives them, their outputs and its warnings."""

    axes: tuple[ConvAxis, ...]
    output: tuple[int, ...]
    warnings: tuple[str, ...]


def _conv_result(layer: LayerSpec, x: Tensor, fw: str, ndim: int, depthwise: bool = False) -> _Axes:
    """The spatial axes of a convolution layer, by the rules of ``convshape conv2d``."""
    from convshape.api.conv import conv_axes

    a = layer.args
    axes = conv_axes(x.spatial, a["kernel"], a.get("stride", 1), a.get("padding"), a.get("dilation", 1),
                     framework=fw, ndim=ndim, depthwise=depthwise)
    output = tuple(axis.output for axis in axes)
    return _Axes(axes, output, empty_warnings(output, fw))


def _conv(layer: LayerSpec, x: Tensor, fw: str) -> Step:
    ndim = _need_spatial(layer, x)
    cin, cout = x.channels, layer.args["out_channels"]
    groups = layer.args.get("groups", 1)
    _groups(layer, fw, cin, cout, groups, x.shape)
    result = _conv_result(layer, x, fw, ndim)
    ks = tuple(a.kernel for a in result.axes)
    weights = _facts(fw).conv_weights(ks, cin, cout, groups, layer.args.get("bias"))
    macs = conv_macs(x.shape[0], result.output, cin, cout, groups, ks)
    return Step(x.with_spatial(result.output, cout), tuple(weights), macs,
                tuple(window_geometry(a.kernel, a.stride, a.dilation, a.pad_before) for a in result.axes),
                tuple(a.pad_before for a in result.axes), tuple(a.pad_after for a in result.axes),
                result.warnings, *_window_scale(result.axes))


def _conv_transpose(layer: LayerSpec, x: Tensor, fw: str) -> Step:
    from convshape.api.conv import conv_transpose

    ndim = _need_spatial(layer, x)
    cin, cout = x.channels, layer.args["out_channels"]
    groups = layer.args.get("groups", 1)
    _groups(layer, fw, cin, cout, groups, x.shape, transposed=True)
    a = layer.args
    result = conv_transpose(x.spatial, a["kernel"], a.get("stride", 1), a.get("padding"), a.get("dilation", 1),
                            a.get("output_padding"), a.get("output_size"), framework=fw, ndim=ndim)
    ks = tuple(axis.kernel for axis in result.axes)
    weights = _facts(fw).conv_weights(ks, cin, cout, groups, a.get("bias"), transposed=True)
    macs = transposed_macs(x.shape[0], x.spatial, cin, cout, groups, ks)
    notes = list(result.warnings)
    notes += [f"axis {i}: the forward convolution of {axis.output} does not give back {axis.input}"
              for i, (axis, back) in enumerate(zip(result.axes, result.maps_back)) if not back]
    return Step(x.with_spatial(result.output, cout), tuple(weights), macs,
                tuple(scatter_geometry(axis.kernel, axis.stride, axis.dilation, axis.pad_before)
                      for axis in result.axes),
                tuple(axis.pad_before for axis in result.axes), tuple(axis.pad_after for axis in result.axes),
                tuple(notes), tuple(Fraction(0) if a.get("output_size") is not None else Fraction(axis.stride)
                                    for axis in result.axes))


def _depthwise(layer: LayerSpec, x: Tensor, fw: str, separable: bool) -> Step:
    ndim = _need_spatial(layer, x)
    cin = x.channels
    multiplier = layer.args.get("depth_multiplier", 1)
    cout = layer.args["out_channels"] if separable else None
    _facts(fw).depthwise_weights((1,) * ndim, cin, multiplier, cout, None)  # the channel checks come first
    result = _conv_result(layer, x, fw, ndim, depthwise=True)
    _facts(fw).check_depthwise_strides([a.stride for a in result.axes], [a.dilation for a in result.axes])
    ks = tuple(a.kernel for a in result.axes)
    weights = _facts(fw).depthwise_weights(ks, cin, multiplier, cout, layer.args.get("bias"))
    macs = depthwise_macs(x.shape[0], result.output, cin, multiplier, ks, cout)
    cout = cin * multiplier if cout is None else cout
    return Step(x.with_spatial(result.output, cout), tuple(weights), macs,
                tuple(window_geometry(a.kernel, a.stride, a.dilation, a.pad_before) for a in result.axes),
                tuple(a.pad_before for a in result.axes), tuple(a.pad_after for a in result.axes),
                result.warnings, *_window_scale(result.axes))


def _pool(layer: LayerSpec, x: Tensor, fw: str) -> Step:
    from convshape.api.pooling import pool_axes
    from convshape.frameworks import pool_rules

    ndim = _need_spatial(layer, x)
    a = layer.args
    axes = pool_axes(layer.kind, x.spatial, a["kernel"], a.get("stride"), a.get("padding"), a.get("dilation", 1),
                     a.get("ceil_mode"), framework=fw, ndim=ndim)
    if "count_include_pad" in a:  # rejected where the framework has no such switch
        pool_rules(fw).count_include_pad(layer.kind, a["count_include_pad"], ndim)
    output = tuple(c.output for _, c in axes)
    return Step(x.with_spatial(output, x.channels), (), 0,
                tuple(window_geometry(s.kernel, s.stride, s.dilation, c.pad_before) for s, c in axes),
                tuple(c.pad_before for _, c in axes), tuple(c.pad_after for _, c in axes),
                empty_warnings(output, fw),
                *_window_scale([s for s, _ in axes]))


def _adaptive(layer: LayerSpec, x: Tensor, fw: str) -> Step:
    from convshape.api.unpool import adaptive_pool

    ndim = _need_spatial(layer, x)
    result = adaptive_pool(x.spatial, layer.args["output_size"], layer.kind.split("_")[1], framework=fw, ndim=ndim)
    geometry = []
    for axis in result.axes:
        widest = max((end - start for start, end in axis.windows), default=1)
        first = axis.windows[0][1] - axis.windows[0][0] if axis.windows else 1
        ratio = Fraction(axis.input, axis.output) if axis.output else Fraction(1)

        def step(rf: Fraction, jump: Fraction, start: Fraction, widest: int = widest, first: int = first,
                 ratio: Fraction = ratio) -> tuple[Fraction, Fraction, Fraction]:
            return rf + (widest - 1) * jump, jump * ratio, start + Fraction(first - 1, 2) * jump

        geometry.append(step)
    if layer.op.startswith("global-") and not _facts(fw).global_pool_keepdims and not layer.args.get("keepdims"):
        # keras GlobalAveragePooling2D / GlobalMaxPooling2D: keepdims=False drops the spatial axes
        return Step((x.shape[0], x.channels), (), 0, None, (), (), result.warnings)
    return Step(x.with_spatial(result.output, x.channels), (), 0, tuple(geometry),
                tuple(axis.pad_before for axis in result.axes), tuple(axis.pad_after for axis in result.axes),
                result.warnings, (Fraction(0),) * ndim)


def _fractional(layer: LayerSpec, x: Tensor, fw: str) -> Step:
    from convshape.api.unpool import fractional_max_pool

    ndim = _need_spatial(layer, x)
    a = layer.args
    result = fractional_max_pool(x.spatial, a["kernel"], a.get("output_size"), a.get("output_ratio"),
                                 framework=fw, ndim=ndim)
    geometry = tuple(resample_geometry(axis.input, axis.output, axis.kernel, False) for axis in result.axes)
    zeros = (0,) * ndim
    scale = tuple(Fraction(0) if axis.output_ratio is None else _exact(axis.output_ratio) for axis in result.axes)
    return Step(x.with_spatial(result.output, x.channels), (), 0, geometry, zeros, zeros, result.warnings, scale)


def _unpool(layer: LayerSpec, x: Tensor, fw: str) -> Step:
    from convshape.api.unpool import max_unpool

    ndim = _need_spatial(layer, x)
    a = layer.args
    result = max_unpool(x.spatial, a["kernel"], a.get("stride"), a.get("padding"), a.get("output_size"),
                        framework=fw, ndim=ndim)
    return Step(x.with_spatial(result.output, x.channels), (), 0,
                tuple(scatter_geometry(axis.kernel, axis.stride, 1, axis.pad_before) for axis in result.axes),
                tuple(axis.pad_before for axis in result.axes), tuple(axis.pad_after for axis in result.axes),
                result.warnings, tuple(Fraction(0) if a.get("output_size") is not None else Fraction(axis.stride)
                                       for axis in result.axes))


_TAPS = {"nearest": 1, "nearest-exact": 1, "area": 1, "linear": 2, "bilinear": 2, "trilinear": 2, "bicubic": 4,
         "cubic": 4, "lanczos3": 6, "lanczos5": 10}


def _resample(layer: LayerSpec, x: Tensor, fw: str) -> Step:
    from convshape.api.resample import interpolate, upsample

    ndim = _need_spatial(layer, x)
    a = layer.args
    call = upsample if layer.kind == "upsample" else interpolate
    result = call(x.spatial, a.get("size"), a.get("scale"), a.get("mode"), a.get("align_corners"),
                  a.get("recompute_scale_factor"), a.get("antialias", False), framework=fw, ndim=ndim)
    mode = result.mode.lower()
    taps = _TAPS.get(mode, 1)
    geometry = tuple(resample_geometry(axis.input, axis.output, taps, taps > 1) for axis in result.axes)
    zeros = (0,) * ndim
    scale = tuple(Fraction(0) if axis.size is not None else _exact(axis.scale) for axis in result.axes)
    return Step(x.with_spatial(result.output, x.channels), (), 0, geometry, zeros, zeros, result.warnings, scale)


def _shuffle(layer: LayerSpec, x: Tensor, fw: str) -> Step:
    from convshape.api.resample import pixel_shuffle, pixel_unshuffle

    ndim = _need_spatial(layer, x)
    call = pixel_unshuffle if layer.kind == "pixel_unshuffle" else pixel_shuffle
    result = call(x.shape, layer.args["factor"], x.data_format, framework=fw)
    factor = layer.args["factor"]
    if layer.kind == "pixel_unshuffle":
        geometry = tuple(window_geometry(factor, factor, 1, 0) for _ in range(ndim))
    else:
        geometry = tuple(resample_geometry(1, factor, 1, False) for _ in range(ndim))
    zeros = (0,) * ndim
    ratio = Fraction(1, factor) if layer.kind == "pixel_unshuffle" else Fraction(factor)
    return Step(tuple(result.shape), (), 0, geometry, zeros, zeros, result.warnings, (ratio,) * ndim)


def _batchnorm(layer: LayerSpec, x: Tensor, fw: str) -> Step:
    c = x.channels
    weights = ((c,), (c,)) if layer.args.get("affine", True) else ()
    if x.data_format is not None and layer.ndim is not None:
        _need_spatial(layer, x)
    step = _identity_step(x, weights)
    if _facts(fw).batchnorm_batch_check and _prod(x.shape) == x.channels:  # torch F._verify_batch_size
        step = step._replace(notes=(f"in training mode torch raises \"Expected more than 1 value per channel when "
                                    f"training, got input size {list(x.shape)}\" (eval mode runs)",))
    return step


def _identity_step(x: Tensor, weights: tuple[tuple[int, ...], ...] = ()) -> Step:
    n = len(x.spatial)
    geometry = (_same,) * n if x.data_format is not None else None
    return Step(x.shape, weights, 0, geometry, (0,) * n, (0,) * n, (), (Fraction(1),) * n)


def _flatten(layer: LayerSpec, x: Tensor, fw: str) -> Step:
    return Step((x.shape[0], _prod(x.shape[1:])), (), 0, None, (), (), ())


def _linear(layer: LayerSpec, x: Tensor, fw: str) -> Step:
    cin = x.shape[-1]
    cout = layer.args["out_features"]
    expected = layer.args.get("in_features")
    if expected is not None and expected != cin:
        rows = _prod(x.shape[:-1])
        raise ShapeError(f"mat1 and mat2 shapes cannot be multiplied ({rows}x{cin} and {expected}x{cout}): "
                         f"in_features={expected}, but the input {list(x.shape)} has {cin} features in its last "
                         f"axis", framework=fw, rule=Rule.IN_FEATURES,
                         values={"in_features": expected, "features": cin})
    if cout < 1:
        raise ShapeError(f"out_features must be positive, but got out_features={cout}", framework=fw,
                         rule=Rule.CHANNELS, values={"out_features": cout})
    weights: list[tuple[int, ...]] = [(cin, cout) if _spatial_first(fw) else (cout, cin)]
    if layer.args.get("bias", True):
        weights.append((cout,))
    shape = (*x.shape[:-1], cout)
    spatial = x.data_format is not None
    step = _identity_step(x) if spatial else None
    return Step(shape, tuple(weights), _prod(x.shape[:-1]) * cin * cout, step.geometry if step else None,
                step.pad_before if step else (), step.pad_after if step else (),
                ("linear acts on the last axis, here a spatial or channel axis of an unflattened tensor",)
                if spatial else (), _linear_scale(x) if spatial else None)


def _linear_scale(x: Tensor) -> tuple[Fraction, ...]:
    """Unflattened, linear fixes the last axis: a spatial one in a channels-first tensor."""
    n = len(x.spatial)
    last_is_spatial = not _channels_last(x.data_format)
    return (Fraction(1),) * (n - 1) + (Fraction(0) if last_is_spatial else Fraction(1),)


#: the TensorFlow op a Keras merge layer runs (keras/src/layers/merging/*.py ``_merge_function`` folds
#: the inputs pairwise with ops.add / subtract / multiply / maximum / minimum; Average adds, then divides)
_TF_MERGE_OPS = {"add": "AddV2", "average": "AddV2", "subtract": "Sub", "multiply": "Mul", "maximum": "Maximum",
                 "minimum": "Minimum"}


def broadcast_merge(layer: LayerSpec, xs: Sequence[Tensor], fw: str) -> tuple[int, ...]:
    """An elementwise merge that broadcasts (Keras 3 Add, Subtract, Multiply, Average, Maximum,
    Minimum on TensorFlow): the inputs are folded pairwise, and two sizes agree when equal or
    when one is 1 (numpy broadcasting; the result takes the other). Observed on keras 3.15.1 /
    TF 2.21: Add of (1, 3, 3, 4) and (1, 2, 2, 4) raises "Incompatible shapes: [1,3,3,4] vs.
    [1,2,2,4] [Op:AddV2]"; of (1, 2, 2, 4) and (1, 1, 1, 4) gives (1, 2, 2, 4). Keras checks the
    same rule when it builds the layer on static shapes (Merge._compute_elemwise_op_output_shape)."""
    shape = xs[0].shape
    for x in xs[1:]:
        if any(d != e and d != 1 and e != 1 for d, e in zip(shape, x.shape)):
            listing = ", ".join(f"{n} {list(t.shape)}" for n, t in zip(layer.inputs, xs))
            raise ShapeError(f"Incompatible shapes: [{','.join(map(str, shape))}] vs. [{','.join(map(str, x.shape))}] "
                             f"[Op:{_TF_MERGE_OPS.get(layer.op, 'AddV2')}] ({listing})", framework=fw,
                             rule=Rule.SKIP_MISMATCH,
                             values={"shapes": [list(t.shape) for t in xs], "inputs": list(layer.inputs)})
        shape = tuple(max(d, e) if 1 in (d, e) else d for d, e in zip(shape, x.shape))
    return shape


def _int_list(layer: LayerSpec, key: str) -> tuple[int, ...]:
    """A list of integers a reshape or permute takes: ``[8, 24]``, ``"8x24"``, ``"(0, 2, 3, 1)"``."""
    value = layer.args.get(key)
    if value is None:
        raise ShapeError(f"{layer.op} needs {key}", rule=Rule.MISSING, values={key: None})
    items: Sequence[object] = ()
    if isinstance(value, str):
        items = value.strip().strip("()[]").replace("x", ",").split(",")
    elif isinstance(value, int) and not isinstance(value, bool):
        items = [value]
    elif isinstance(value, Sequence):
        items = value
    try:
        out = tuple(parse_int(v, key) if isinstance(v, str) else v for v in items)
    except ShapeError:
        out = ()
    ints = tuple(v for v in out if isinstance(v, int) and not isinstance(v, bool))
    if not ints or len(ints) != len(out):
        raise ShapeError(f"{key} must be a list of integers, but got {value!r}", rule=Rule.NOT_AN_INTEGER,
                         values={key: repr(value)})
    return ints


def _layout(layer: LayerSpec, x: Tensor, fw: str, rank: int) -> str | None:
    """The data format of a reshaped or permuted tensor of ``rank`` axes: the layer's ``data_format``
    (a format name, or channels-first / channels-last), else the input's channel side (the
    framework's when the input was flattened); None where the rank has no spatial format."""
    given = layer.args.get("data_format")
    if isinstance(given, str) and given.upper() in DATA_FORMATS:
        return given.upper() if DATA_FORMATS[given.upper()][0] == rank - 2 else None
    if isinstance(given, str) and given.lower() in _FORMAT_WORDS:
        last = _FORMAT_WORDS[given.lower()]
    elif given is not None:
        raise ShapeError(f"data_format must be one of {', '.join(DATA_FORMATS)}, channels-first, channels-last, "
                         f"but got {given!r}", rule=Rule.BAD_SHAPE, values={"data_format": repr(given)})
    else:
        last = _channels_last(x.data_format) if x.data_format else bool(_facts(fw).tensor_channels_last)
    return (CHANNELS_LAST if last else CHANNELS_FIRST).get(rank - 2)


def _reshape(layer: LayerSpec, x: Tensor, fw: str) -> Step:
    """Every axis but the batch reshaped to ``target_shape`` (keras.layers.Reshape; ``-1`` once: the
    size that keeps the element count, as in keras's compute_reshape_output_shape and torch's view).
    The count must be kept; TensorFlow's words (tf.reshape, as Keras 3 runs it) or torch's (view)."""
    target = _int_list(layer, "target_shape")
    if target.count(-1) > 1 or any(v < -1 or v == 0 for v in target):
        raise ShapeError(f"target_shape must be positive sizes with at most one -1, but got {list(target)}",
                         rule=Rule.BAD_SHAPE, values={"target_shape": list(target)})
    total = _prod(x.shape[1:])
    known = _prod([v for v in target if v != -1])
    fits = total % known == 0 if -1 in target else total == known
    if not fits:
        batch = x.shape[0]
        if fw == "torch":
            message = f"shape '{[batch, *target]}' is invalid for input of size {batch * total}"
        elif -1 in target:
            message = (f"Input to reshape is a tensor with {batch * total} values, but the requested shape "
                       f"requires a multiple of {known} [Op:Reshape]")
        else:
            message = (f"Input to reshape is a tensor with {batch * total} values, but the requested shape has "
                       f"{batch * known} [Op:Reshape]")
        raise ShapeError(f"{message} (input {list(x.shape)}, target_shape {list(target)})", framework=fw,
                         rule=Rule.RESHAPE, values={"shape": list(x.shape), "target_shape": list(target)})
    shape = (x.shape[0], *(total // known if v == -1 else v for v in target))
    return Step(shape, (), 0, None, (), (), (), None, (), _layout(layer, x, fw, len(shape)))


def _permute(layer: LayerSpec, x: Tensor, fw: str) -> Step:
    """The axes reordered by ``dims`` (the whole permutation, batch included, 0-based: torch's
    permute, tf.transpose's perm; keras.layers.Permute(dims) is (0, *dims)). Moving the channels
    between first and last keeps the spatial axes (the format changes); any other order leaves
    a tensor of no spatial format."""
    dims = _int_list(layer, "dims")
    rank = len(x.shape)
    if sorted(dims) != list(range(len(dims))):
        raise ShapeError(f"dims must be a permutation of 0..{len(dims) - 1}, but got {list(dims)}",
                         rule=Rule.BAD_SHAPE, values={"dims": list(dims)})
    if len(dims) != rank:
        message = (f"permute(sparse_coo): number of dimensions in the tensor input does not match the length of the "
                   f"desired ordering of dimensions i.e. input.dim() = {rank} is not equal to len(dims) = {len(dims)}"
                   if fw == "torch" else f"transpose expects a vector of size {rank}. But input(1) is a vector of "
                                         f"size {len(dims)}")
        raise ShapeError(message, framework=fw, rule=Rule.RANK, values={"shape": list(x.shape), "dims": list(dims)})
    shape = tuple(x.shape[d] for d in dims)
    middle = tuple(range(1, rank - 1))
    moved = None  # the format when the permutation only moves the channels (or nothing)
    if x.data_format is not None and rank >= 3:
        last = _channels_last(x.data_format)
        if dims == (0, *middle, rank - 1):
            moved = x.data_format
        elif last and dims == (0, rank - 1, *middle):
            moved = CHANNELS_FIRST[rank - 2]
        elif not last and dims == (0, *range(2, rank), 1):
            moved = CHANNELS_LAST[rank - 2]
    fmt = _layout(layer, x, fw, rank) if "data_format" in layer.args else moved
    if fmt is None or fmt != moved:  # the spatial axes are reordered: sizes are not tracked through it
        return Step(shape, (), 0, None, (), (), (), None, (), fmt)
    n = rank - 2
    return Step(shape, (), 0, (_same,) * n, (0,) * n, (0,) * n, (), (Fraction(1),) * n, (), fmt)


def _merge(layer: LayerSpec, xs: Sequence[Tensor], fw: str) -> Step:
    shapes = [list(x.shape) for x in xs]
    first = xs[0]
    ranks = {len(s) for s in shapes}
    if len(ranks) != 1:
        raise ShapeError(f"{layer.op} needs tensors of the same rank, but got " + ", ".join(map(str, shapes)),
                         rule=Rule.RANK, values={"shapes": shapes})
    if layer.kind == "add" and _facts(fw).merge_broadcasts:
        shape = broadcast_merge(layer, xs, fw)
    elif layer.kind == "add":
        for x in xs[1:]:
            for dim, (d, e) in enumerate(zip(first.shape, x.shape)):
                if d != e:  # torch's words (no broadcasting between feature maps), then which layers
                    raise ShapeError(f"The size of tensor a ({d}) must match the size of tensor b ({e}) at "
                                     f"non-singleton dimension {dim} ("
                                     + ", ".join(f"{n} {t}" for n, t in zip(layer.inputs, shapes)) + ")",
                                     framework=fw, rule=Rule.SKIP_MISMATCH,
                                     values={"shapes": shapes, "inputs": list(layer.inputs)})
        shape = first.shape
    else:
        rank = len(first.shape)
        axis = layer.args.get("axis")
        if axis is None:
            axis = (rank - 1 if _channels_last(first.data_format) else 1) if first.data_format else rank - 1
        if not -rank <= axis < rank:
            raise ShapeError(f"Dimension out of range (expected to be in range of [{-rank}, {rank - 1}], but got "
                             f"{axis})", framework=fw, rule=Rule.AXIS, values={"axis": axis})
        axis %= rank
        listing = ", ".join(f"{n} {t}" for n, t in zip(layer.inputs, shapes))
        for number, x in enumerate(xs):
            for dim, (d, e) in enumerate(zip(x.shape, first.shape)):
                if dim != axis and d != e:  # torch's words (cat_out) or TF's (ConcatOp), then which layers
                    message = (f"ConcatOp : Dimension {dim} in both shapes must be equal: shape[0] = "
                               f"[{','.join(map(str, first.shape))}] vs. shape[{number}] = "
                               f"[{','.join(map(str, x.shape))}] [Op:ConcatV2]" if fw in ("keras", "tf") else
                               f"Sizes of tensors must match except in dimension {axis}. Expected size {e} "
                               f"but got size {d} for tensor number {number} in the list")
                    raise ShapeError(f"{message} ({listing})", framework=fw, rule=Rule.SKIP_MISMATCH,
                                     values={"shapes": shapes, "inputs": list(layer.inputs), "axis": axis})
        shape = tuple(sum(x.shape[axis] for x in xs) if i == axis else d for i, d in enumerate(first.shape))
    n = len(first.spatial)
    geometry: tuple[Geometry, ...] | None = None
    if first.data_format is not None and all(len(x.receptive_field) == n for x in xs):
        widest = [max(x.receptive_field[i] for x in xs) for i in range(n)]
        geometry = tuple(partial(_widest, w) for w in widest)
    elif first.data_format is not None:  # a sweep tracks sizes only
        geometry = (_same,) * n
    return Step(tuple(shape), (), 0, geometry, (0,) * n, (0,) * n, (), (Fraction(1),) * n)


def _norm(layer: LayerSpec, x: Tensor, fw: str) -> Step:
    """Instance, layer and group normalisation keep the shape; their weights are per channel
    (instance, group) or per normalised element (layer), a scale and a shift."""
    a = layer.args
    c = x.channels
    if layer.kind == "groupnorm":
        groups = a.get("groups")
        if groups is None:
            raise ShapeError(f"{layer.op} needs groups (the number of channel groups)", rule=Rule.MISSING,
                             values={"groups": None})
        if groups < 1:
            raise ShapeError(f"num_groups must be positive, but got num_groups={groups}", framework=fw,
                             rule=Rule.GROUPS, values={"groups": groups})
        if c % groups:  # torch nn.GroupNorm.__init__; keras GroupNormalization.build checks the same
            raise ShapeError(f"num_channels ({c}) must be divisible by num_groups ({groups})", framework=fw,
                             rule=Rule.GROUPS, values={"channels": c, "groups": groups})
        weights: tuple[tuple[int, ...], ...] = ((c,), (c,)) if a.get("affine", True) else ()
    elif layer.kind == "instancenorm":
        if layer.ndim is not None:
            _need_spatial(layer, x)
        # torch InstanceNorm*d: affine=False by default; ONNX InstanceNormalization has scale and B
        weights = ((c,), (c,)) if a.get("affine", _facts(fw).instancenorm_affine) else ()
    else:  # layernorm: the trailing axes it normalises
        given = a.get("normalized_shape")
        if given is None:
            if x.data_format is not None and not _channels_last(x.data_format):
                raise ShapeError(f"{layer.op} needs normalized_shape (the trailing axes it normalises, e.g. "
                                 f"{list(x.shape[1:])}) on a channels-first tensor", rule=Rule.MISSING,
                                 values={"normalized_shape": None})
            normalized: tuple[int, ...] = (x.shape[-1],)
        else:
            normalized = spec_shape([given] if isinstance(given, int) else given, layer.name, "normalized_shape")
        if len(normalized) > len(x.shape) or tuple(x.shape[len(x.shape) - len(normalized):]) != normalized:
            raise ShapeError(f"Given normalized_shape={list(normalized)}, expected input with shape "
                             f"[*, {', '.join(map(str, normalized))}], but got input of size{list(x.shape)}",
                             framework=fw, rule=Rule.RANK,
                             values={"normalized_shape": list(normalized), "shape": list(x.shape)})
        weights = ()
        if a.get("affine", True):
            weights = (normalized, normalized) if a.get("bias", True) else (normalized,)
    return _identity_step(x, weights)


def _pads(layer: LayerSpec, x: Tensor, fw: str, ndim: int) -> tuple[tuple[int, int], ...]:
    """The (before, after) amounts per spatial axis, in the order of the tensor's spatial axes
    (first to last; negative amounts crop); cropping is the same with the signs turned."""
    from convshape.params import explicit_padding

    crop = layer.kind == "crop"
    key = "cropping" if crop else "padding"
    value = layer.args.get(key)
    if value is None:
        raise ShapeError(f"{layer.op} needs {key} (one amount, or before:after per spatial axis)", rule=Rule.MISSING,
                         values={key: None})
    pairs = explicit_padding(value, ndim, key)
    reject = _facts(fw).negative_pad_error
    for axis, pair in enumerate(pairs):
        if reject is not None and min(pair) < 0:
            raise ShapeError(reject(key, axis, ndim, pair), framework=fw, rule=Rule.NEGATIVE_PADDING,
                             values={key: str(value)})
    if crop and any(p < 0 for pair in pairs for p in pair):
        raise ShapeError(f"cropping must be non-negative, but got {key}={value!r}", framework=fw,
                         rule=Rule.NEGATIVE_PADDING, values={key: str(value)})
    return tuple((-b, -e) for b, e in pairs) if crop else pairs


def _pad(layer: LayerSpec, x: Tensor, fw: str) -> Step:
    """Explicit padding (torch F.pad / nn.ZeroPad*d / nn.ConstantPad*d, Keras ZeroPadding*D, ONNX
    Pad) and cropping (Keras Cropping*D; F.pad with negative amounts)."""
    ndim = _need_spatial(layer, x)
    pairs = _pads(layer, x, fw, ndim)
    out = []
    for axis, (size, (before, after)) in enumerate(zip(x.spatial, pairs)):
        size_out = size + before + after
        if layer.kind == "crop" and size_out < 1:  # keras/src/layers/reshaping/cropping2d.py
            raise ShapeError(f"Values in `cropping` argument should be smaller than the corresponding spatial "
                             f"dimension of the input. Received: input_shape={list(x.shape)}, cropping="
                             f"{[(-b, -e) for b, e in pairs]} (spatial axis {axis})", framework=fw,
                             rule=Rule.OUTPUT_TOO_SMALL, values={"axis": axis, "input": size})
        cropped = size + min(before, 0) + min(after, 0)
        if cropped < 0:  # torch 2.13 F.pad crops (narrow) before it pads: "narrow(): length must be non-negative."
            raise ShapeError(f"narrow(): length must be non-negative: spatial axis {axis} of size {size} cropped "
                             f"by {before}:{after} leaves {cropped}", framework=fw, rule=Rule.OUTPUT_NEGATIVE,
                             values={"axis": axis, "input": size, "pad_before": before, "pad_after": after})
        out.append(size_out)
    warnings = empty_warnings(out, fw)
    return Step(x.with_spatial(out, x.channels), (), 0, tuple(window_geometry(1, 1, 1, b) for b, _ in pairs),
                tuple(b for b, _ in pairs), tuple(e for _, e in pairs), warnings, (Fraction(1),) * ndim)


_EVALUATORS: dict[str, Callable[[LayerSpec, Tensor, str], Step]] = {
    "conv": _conv, "conv_transpose": _conv_transpose,
    "depthwise": lambda layer, x, fw: _depthwise(layer, x, fw, False),
    "separable": lambda layer, x, fw: _depthwise(layer, x, fw, True),
    "max": _pool, "avg": _pool, "lp": _pool, "adaptive_avg": _adaptive, "adaptive_max": _adaptive,
    "fractional": _fractional, "unpool": _unpool, "upsample": _resample, "interpolate": _resample,
    "pixel_shuffle": _shuffle, "pixel_unshuffle": _shuffle, "batchnorm": _batchnorm,
    "instancenorm": _norm, "layernorm": _norm, "groupnorm": _norm, "pad": _pad, "crop": _pad,
    "identity": lambda layer, x, fw: _identity_step(x), "flatten": _flatten, "linear": _linear,
    "reshape": _reshape, "permute": _permute,
}


def _expect_error(expect: tuple[int, ...], shape: tuple[int, ...]) -> str | None:
    if len(expect) == len(shape) and all(e in (-1, s) for e, s in zip(expect, shape)):
        return None
    return f"expected shape {list(expect)}, but the layer gives {list(shape)}"


#: convshape's own reading errors of a value (a spec mistake: bad-spec, exit 2)
VALUE_RULES = frozenset({Rule.NOT_AN_INTEGER, Rule.NOT_A_NUMBER, Rule.AXIS_COUNT, Rule.UNKNOWN_PADDING, Rule.MISSING,
                         Rule.BAD_SHAPE})


def input_tensor(spec: NetworkSpec) -> Tensor:
    n = len(spec.input) - 2 if spec.data_format else 0
    one = (Fraction(1),) * n
    return Tensor(spec.input, spec.data_format, one, one, (Fraction(0),) * n)


def layer_signature(layer: LayerSpec) -> str:
    """What :func:`layer_step` reads of a layer besides its input tensors: its kind, op, rank and
    arguments (never its name, inputs or expect). Layers alike (a deep chain of one block) given
    the same input have the same step, so it is computed once."""
    return f"{layer.kind} {layer.op} {layer.ndim} {sorted(layer.args.items())!r}"


def layer_step(layer: LayerSpec, xs: Sequence[Tensor], fw: str) -> Step:
    """One layer evaluated on its input tensors (one; two or more for a merge) by the rules of
    framework ``fw``; raises the ShapeError the layer's rules raise."""
    if layer.kind in ("concat", "add"):
        return _merge(layer, xs, fw)
    return _EVALUATORS[layer.kind](layer, xs[0], fw)


#: how :func:`walk` gets a layer's step from its input tensors: the Step, or the ShapeError its
#: rules raise (returned, not raised: a caller memoising steps keeps the error with them)
Stepper = Callable[[LayerSpec, Sequence[Tensor]], Step | ShapeError]


#: One layer as :func:`walk` leaves it: (layer, its input tensors, its step or the error its rules
#: raised, its output tensor, the inputs that failed). Where an input failed, the tensors are (),
#: the step and output None, and the last item names the failed inputs; where the layer's rules
#: raise, the output is None. (A plain tuple: the sweep walks millions of layers.)
Walked = tuple[LayerSpec, tuple[Tensor, ...], "Step | ShapeError | None", "Tensor | None", tuple[str, ...]]


class PlannedLayer(NamedTuple):
    """One layer as :func:`walk` visits it, resolved once per spec (:func:`plan_walk`): the
    layer, its inputs as positions in the walk's tensors (0 the network's input, ``i + 1`` the
    output of layer ``i``), and its :func:`layer_signature` (None for a merge, whose step
    depends on several tensors and is not memoised)."""

    layer: LayerSpec
    inputs: tuple[int, ...]
    signature: str | None


#: a spec's layers ready for :func:`walk`; a caller walking one spec many times plans it once
WalkPlan = tuple[PlannedLayer, ...]

#: :func:`walk`'s memo: a layer's (step or error, output tensor) by (signature, input shape, input
#: data format); one memo serves one mode (the output tensors differ with ``sizes_only``)
WalkMemo = dict[tuple[str, tuple[int, ...], "str | None"], tuple["Step | ShapeError", "Tensor | None"]]


def plan_walk(spec: NetworkSpec) -> WalkPlan:
    """Every layer of ``spec`` with its inputs resolved to positions and its signature (see
    :class:`PlannedLayer`): the name lookups and signatures a walk would otherwise repeat."""
    where = {"input": 0}
    planned = []
    for i, layer in enumerate(spec.layers):
        merge = layer.kind in ("concat", "add")
        planned.append(PlannedLayer(layer, tuple(where[name] for name in layer.inputs),
                                    None if merge else layer_signature(layer)))
        where[layer.name] = i + 1
    return tuple(planned)


def walk(spec: NetworkSpec, steps: Stepper, *, first: Tensor | None = None, sizes_only: bool = False,
         plan: WalkPlan | None = None, memo: WalkMemo | None = None) -> Iterator[Walked]:
    """The network's graph walk (the only one): every layer of ``spec`` in order, its inputs read
    from the input tensor (``first``, by default the spec's own: :func:`input_tensor`) and the
    outputs of earlier layers, its step from ``steps``. A layer whose rules raise, or whose
    input failed, has no output; the layers reading it are yielded with ``failed`` set, not
    computed. A caller that needs only the first failure stops iterating there.

    ``sizes_only``: the output tensors carry shapes only (no receptive field, jump or start), as
    :mod:`convshape.network.sweep` needs them; otherwise each step's geometry moves them on.
    ``plan``: :func:`plan_walk` of ``spec``, for a caller walking it many times. ``memo``: a
    layer's step (and, sizes only, its output) is asked of ``steps`` once per signature and
    input (layers alike, as in a deep chain of one block, share it; merges are not memoised)."""
    tensors: list[Tensor | None] = [input_tensor(spec) if first is None else first]
    append = tensors.append
    for layer, inputs, signature in plan_walk(spec) if plan is None else plan:
        if len(inputs) == 1:
            x = tensors[inputs[0]]
            if x is None:
                append(None)
                yield layer, (), None, None, layer.inputs
                continue
            xs: tuple[Tensor, ...] = (x,)
        else:
            given = [tensors[i] for i in inputs]
            if None in given:
                append(None)
                yield layer, (), None, None, tuple(name for name, t in zip(layer.inputs, given) if t is None)
                continue
            xs = tuple(t for t in given if t is not None)
            x = xs[0]
        key = None
        if memo is not None and signature is not None:
            key = (signature, x.shape, x.data_format)
            found = memo.get(key)
            if found is not None:
                step, out = found
                if out is None and isinstance(step, Step):  # full mode: the geometry moves x's fields on
                    out = _moved(step, x)
                append(out)
                yield layer, xs, step, out, ()
                continue
        step = steps(layer, xs)
        if isinstance(step, ShapeError):
            out = None
        elif step.geometry is None:  # flattened or spatial axes reordered: no spatial axes tracked from here on
            out = Tensor(step.shape, step.out_format, (), (), ())
        elif sizes_only:  # a layer that keeps the shape (relu, ...) hands its input on
            fmt = step.out_format or x.data_format
            # (tuple.__new__: the NamedTuple without its Python-level constructor; a sweep makes millions)
            out = x if step.shape is x.shape and fmt == x.data_format else \
                tuple.__new__(Tensor, (step.shape, fmt, (), (), ()))
        else:
            out = _moved(step, x)
        if memo is not None and key is not None:  # full mode keeps the step only where out depends on x's fields
            memo[key] = (step, out if sizes_only or not isinstance(step, Step) or step.geometry is None else None)
        append(out)
        yield layer, xs, step, out, ()


def _moved(step: Step, x: Tensor) -> Tensor:
    """The output tensor of a step that keeps spatial axes: x's receptive fields moved on by its geometry."""
    assert step.geometry is not None
    triples = [g(rf, j, s) for g, rf, j, s in zip(step.geometry, x.receptive_field, x.jump, x.start)]
    return Tensor(step.shape, step.out_format or x.data_format, *(tuple(t[i] for t in triples) for i in range(3)))


def evaluate(spec: NetworkSpec) -> NetworkReport:
    """Shape every layer of ``spec``; a layer whose input failed is reported, not computed."""
    fw = spec.framework

    def steps(layer: LayerSpec, xs: Sequence[Tensor]) -> Step | ShapeError:
        try:
            return layer_step(layer, xs, fw)
        except ShapeError as exc:
            return exc.with_traceback(None)  # kept: no frames held (see walk's memo)

    reports: list[LayerReport] = []
    for layer, _, step, out, failed in walk(spec, steps, memo={}):
        blank = LayerReport(layer.name, layer.op, layer.inputs, None, (), 0, 0, (), (), (), (), (), layer.expect,
                            None, None, ())
        if failed:
            reports.append(blank._replace(error=f"not computed: its input {', '.join(failed)} failed",
                                          rule=Rule.INPUT_FAILED))
        elif isinstance(step, ShapeError):
            if step.framework is None and step.rule in VALUE_RULES:  # the spec's mistake, not the framework's
                field = next(iter(step.values), "value")
                raise spec_error(f"{spec.source}: layer {layer.name!r} (#{layer.index + 1}): {step.message}",
                                 field=field) from None
            reports.append(blank._replace(error=step.message, rule=step.rule))
        else:
            assert step is not None and out is not None  # computed: walk gives its step and output
            params = sum(_prod(w) for w in step.weights)
            error = _expect_error(layer.expect, step.shape) if layer.expect is not None else None
            # a failed expect still has a shape: later mistakes show too
            reports.append(LayerReport(layer.name, layer.op, layer.inputs, step.shape, step.weights, params,
                                       step.macs, out.receptive_field, out.jump, out.start, step.pad_before,
                                       step.pad_after, layer.expect, error, "expect" if error else None, step.notes))
    return NetworkReport(spec.source, spec.framework, spec.data_format, spec.input, tuple(reports))


# ---------------------------------------------------------------------------- public API
SpecArg = str | Mapping[str, Any] | NetworkSpec


def as_spec(spec: SpecArg, input: object = None, framework: str | None = None) -> NetworkSpec:
    """A parsed spec from a path, a dict or a spec, with ``input`` / ``framework`` overriding its own."""
    if isinstance(spec, NetworkSpec):  # already parsed: only the overrides are read here
        if input is not None:
            spec = spec._replace(input=spec_shape(input, spec.source, "input"))
        if framework is not None:
            spec = spec._replace(framework=framework_name(framework, spec.source))
        return spec
    if isinstance(spec, str):
        return load_spec(spec, input=input, framework=framework)
    return parse_spec(spec, input=input, framework=framework)


def network(spec: SpecArg, *, input: object = None, framework: str | None = None) -> NetworkReport:
    """Shape a network from a spec file (TOML or JSON), or a dict of the same structure:
    every layer's output tensor, weights, parameters, MACs and receptive field.
    ``input`` / ``framework`` override the spec's. A malformed spec raises ShapeError (rule
    ``bad-spec``); a layer the framework rejects is reported in the result, not raised."""
    return evaluate(as_spec(spec, input, framework))


def chain(input: object, layers: Sequence[str], *, framework: str = "torch",
          data_format: str | None = None) -> NetworkReport:
    """Shape a chain of one-line layers: ``chain("1x3x224x224", ["conv2d 64 k=7 s=2 p=3"])``."""
    return evaluate(parse_chain(input, layers, framework=framework, data_format=data_format))


class ConstrainedReport(NamedTuple):
    """``summary``: the network's report, then the constraints on square inputs with their causes
    (None where the network has no spatial input, or they could not be derived: ``notes`` says why)."""

    report: NetworkReport
    constraints: ConstraintSet | None
    notes: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.report.ok

    def to_dict(self) -> dict[str, Any]:
        out = self.report.to_dict()
        out["constraints"] = None if self.constraints is None else self.constraints.to_dict()
        if self.notes:
            out["constraint_notes"] = list(self.notes)
        return out


class CheckReport(NamedTuple):
    """``convshape check``: one network report per spec file (a malformed file is a report with
    one error, rule ``bad-spec``)."""

    files: tuple[NetworkReport, ...]

    @property
    def ok(self) -> bool:
        return all(f.ok for f in self.files)

    @property
    def malformed(self) -> bool:
        return any(layer.rule == Rule.BAD_SPEC for f in self.files for layer in f.layers)

    def to_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "files": [f.to_dict() for f in self.files]}


def malformed(path: str, exc: ShapeError) -> NetworkReport:
    layer = LayerReport("-", "-", (), None, (), 0, 0, (), (), (), (), (), None, exc.message, "bad-spec", ())
    return NetworkReport(path, "-", None, (), (layer,))

