"""Adaptive pooling, fractional max pooling and max unpooling: rules, results and the API.

    >>> from convshape.api.unpool import adaptive_pool, fractional_max_pool, max_unpool
    >>> adaptive_pool(5, 3).windows
    (((0, 2), (1, 4), (3, 5)),)
    >>> fractional_max_pool("50,32", 3, output_size="13,12").output
    (13, 12)
    >>> max_unpool(2, 2, stride=1, ndim=2).output
    (3, 3)

The rules are integer functions except where the framework itself uses floats (Keras's
adaptive windows in float32, torch's ``int(input * output_ratio)`` in double); those
reproduce the framework's float arithmetic exactly and say so.
"""

from __future__ import annotations

import math
import struct
from collections import namedtuple
from collections.abc import Callable, Sequence
from typing import Any, TypeVar, Union

from convshape.errors import ShapeError
from convshape.frameworks import MAX_INPUT, MAX_WINDOW, framework_rules
from convshape.model import SpatialResult
from convshape.params import IntArg, PadArg, axis_count, explicit_padding, format_padding, padding_keyword, per_axis
from convshape.rules import div_trunc

T = TypeVar("T")
Window = tuple[int, int]
RatioArg = Union[float, str, Sequence[float], None]

MAX_WINDOWS = 1 << 20  # adaptive windows listed per axis (to_dict lists every one)
EMPTY_WARNING = "output size 0 on axis {axis}: torch returns an empty tensor, almost certainly a mistake"


# ---------------------------------------------------------------------- rules: adaptive pooling
def adaptive_start(index: int, size: int, output: int) -> int:
    """First input cell of adaptive window ``index``: ``floor(index * size / output)``
    (torch aten/src/ATen/native/AdaptivePooling.h ``start_index``: ``(a / b) * c + ((a % b) * c) / b``,
    the same value without int64 overflow)."""
    return index * size // output


def adaptive_end(index: int, size: int, output: int) -> int:
    """One past the last input cell of window ``index``: ``ceil((index + 1) * size / output)``
    (AdaptivePooling.h ``end_index``: ``1 + ((a + 1) * c - 1) / b``)."""
    return -(-(index + 1) * size // output)


def adaptive_windows(size: int, output: int) -> tuple[Window, ...]:
    """torch's adaptive windows ``[start, end)``, one per output index, for avg and max alike
    (AdaptiveAveragePooling.cpp, AdaptiveMaxPooling2d.cpp both use start_index / end_index).
    An output larger than the input repeats cells; confirmed on torch 2.13 by running the ops."""
    return tuple((adaptive_start(o, size, output), adaptive_end(o, size, output)) for o in range(output))


def _f32(x: float) -> float:
    """Round a double to float32 (round to nearest even, as the CPU does)."""
    return struct.unpack("f", struct.pack("f", x))[0]


def keras_adaptive_windows(size: int, output: int) -> tuple[Window, ...]:
    """Keras 3.15's adaptive windows on the TensorFlow backend, in its own float32 arithmetic.

    keras/src/backend/tensorflow/nn.py ``_compute_static_gather_indices`` computes
    ``start = floor(f32(o) * f32(size) / f32(output))``, ``end = ceil(f32(o + 1) * f32(size) / f32(output))``
    in float32 (each operation rounded to float32; double arithmetic rounded to float32 is exact
    here), clips ``end <= size`` and ``start <= size - 1``, then gathers from two VALID pools of
    stride 1 with windows ``small = ceil(size / output)`` and ``big = small + 1``
    (backend_utils.py ``compute_adaptive_pooling_window_sizes``): window ``o`` is ``big`` cells
    if ``end - start == big``, else ``small``. Equal to torch's windows while ``o * size`` is
    exact in float32; beyond that (e.g. size 389893, output 49) windows shift by a cell.
    Confirmed on keras 3.15.1 / tensorflow-cpu 2.21 by running AdaptiveAveragePooling1D.
    """
    small = math.ceil(size / output)  # Python double, as keras computes it
    big = small + 1
    small_len, big_len = size - small + 1, size - big + 1
    windows = []
    for o in range(output):
        start = min(math.floor(_f32(_f32(_f32(o) * _f32(size)) / _f32(output))), size - 1)
        end = min(math.ceil(_f32(_f32(_f32(o + 1) * _f32(size)) / _f32(output))), size)
        index = start + small_len if end - start == big else start  # tf.gather into [small pool, big pool]
        if index < small_len:
            windows.append((index, index + small))
        elif index - small_len < big_len:
            windows.append((index - small_len, index - small_len + big))
        else:
            raise ShapeError(f"indices[{o}] = {index} is not in [0, {small_len + big_len}) [Op:GatherV2]",
                             framework="keras", rule="gather-index", values={"input": size, "output": output})
    return tuple(windows)


def uniform_pooling(windows: Sequence[Window], size: int) -> tuple[int, int] | None:
    """(kernel, stride) of the plain pooling with the same windows, or None."""
    if not windows or any(e - s != windows[0][1] - windows[0][0] for s, e in windows):
        return None
    if len(windows) == 1:
        return windows[0][1] - windows[0][0], size
    stride = windows[1][0] - windows[0][0]
    if stride < 1 or windows[0][0] != 0 or any(s != i * stride for i, (s, _) in enumerate(windows)):
        return None
    return windows[0][1] - windows[0][0], stride


# ---------------------------------------------------------------------- rules: fractional max pooling
def fractional_output(size: int, ratio: float) -> int:
    """``int(size * output_ratio)`` in Python doubles, as torch/nn/functional.py
    ``fractional_max_pool2d_with_indices`` / ``..._3d_with_indices`` compute it (truncation)."""
    return int(size * ratio)


def fractional_largest_output(size: int, kernel: int, ndim: int) -> int:
    """The largest output torch allows for this kernel: FractionalMaxPool2d.cpp checks
    ``outputH + poolSizeH - 1 <= inputH``, FractionalMaxPool3d.cpp ``outputT + poolSizeT - 1 < inputT``
    (one cell stricter; confirmed on torch 2.13)."""
    return size - kernel + (1 if ndim == 2 else 0)


def fractional_fits(size: int, kernel: int, output: int, ndim: int) -> bool:
    """Whether torch's "pool ... too large relative to input ..." check passes on one axis.
    2-D: ``output + kernel - 1 <= size`` only, so a negative output can pass it with a kernel
    larger than the input (and then fails creating the tensor). 3-D: ``output + kernel <= size``
    and, as observed on torch 2.13 for every output tried down to -9, ``kernel <= size``."""
    return output <= fractional_largest_output(size, kernel, ndim) and (ndim == 2 or kernel <= size)


# ---------------------------------------------------------------------- rules: max unpooling
def unpool_default(size: int, kernel: int, stride: int, padding: int) -> int:
    """``(size - 1) * stride + kernel - 2 * padding`` (torch/nn/functional.py ``_unpool_output_size``)."""
    return (size - 1) * stride + kernel - 2 * padding


def unpool_valid_outputs(size: int, kernel: int, stride: int, padding: int) -> range:
    """Every output_size torch's max_unpool accepts: ``default - stride < o < default + stride``
    (both bounds exclusive, ``_unpool_output_size``) and ``o >= 0`` (``_check_unpool_output_size``)."""
    default = unpool_default(size, kernel, stride, padding)
    return range(max(0, default - stride + 1), max(0, default + stride))


def maxpool_inputs(size: int, kernel: int, stride: int, padding: int) -> range:
    """Every input size torch's MaxPool (floor mode, dilation 1) maps to ``size``:
    ``floor((n + 2p - k) / s) + 1 == size`` (aten pooling_output_shape), i.e.
    ``(size - 1) * s + k - 2p <= n < size * s + k - 2p``, n >= 1."""
    first = unpool_default(size, kernel, stride, padding)
    return range(max(1, first), max(1, first + stride))


def tf_pool_inputs(size: int, kernel: int, stride: int, padding: str) -> range:
    """Every input size ``tf.nn.max_pool_with_argmax`` maps to ``size``: VALID ``(n - k + s) / s``
    -> ``(size-1)*s + k <= n < size*s + k``; SAME ``ceil(n / s)`` -> ``(size-1)*s < n <= size*s``
    (kernel_shape_util.cc GetWindowedOutputSizeVerbose; confirmed on tensorflow-cpu 2.21)."""
    first = (size - 1) * stride + (kernel if padding == "valid" else 1)
    return range(first, first + stride)


def onnx_unpool_default(size: int, kernel: int, stride: int, pad_before: int, pad_after: int) -> int:
    """``(size - 1) * stride + kernel - pad_before - pad_after``: onnx 1.23.2 onnx/defs/nn/defs.cc
    ``maxUnpoolShapeInference`` and onnxruntime 1.31.1 core/providers/cpu/nn/unpool.cc
    ``MaxUnpool::Compute`` (which rejects a result <= 0); confirmed by running both."""
    return (size - 1) * stride + kernel - pad_before - pad_after


def onnx_pool_inputs(size: int, kernel: int, stride: int, pad_before: int, pad_after: int) -> tuple[int, ...]:
    """Every input size onnxruntime's MaxPool (ceil_mode 0) maps to ``size``:
    ``trunc((n + pad_before + pad_after - kernel) / stride) + 1 == size`` (pool_attributes.h
    ``ComputeOutputSize``, int64 division toward zero, so a window larger than the padded input
    still gives 1); n >= 1. The default is always one of them."""
    default = onnx_unpool_default(size, kernel, stride, pad_before, pad_after)
    return tuple(n for n in range(max(1, default - stride + 1), default + stride)
                 if div_trunc(n + pad_before + pad_after - kernel, stride) + 1 == size)


def onnx_largest_index(pool_input: Sequence[int], defaults: Sequence[int], pads_after: Sequence[int]) -> int:
    """The largest flat index onnxruntime's MaxPool can return for an input of ``pool_input``
    (batch 1, channel 1): the cell ``min(n, default + pad_after) - 1`` on every axis (the last real
    cell of the last window), flattened row-major. Reached when the data rise along every axis;
    confirmed on onnxruntime 1.31.1 (290 configurations, 1-D to 3-D, arange inputs)."""
    flat = 0
    for n, default, pad_after in zip(pool_input, defaults, pads_after):
        flat = flat * n + min(n, default + pad_after) - 1
    return flat


def onnx_shape_size(shape: Sequence[int]) -> int:
    """onnxruntime's ``TensorShape::Size()``: the element count, or -1 if any size is negative."""
    return -1 if any(v < 0 for v in shape) else math.prod(shape)


# ---------------------------------------------------------------------- results
def _lists(values: Sequence[Sequence[int]]) -> list[list[int]]:
    return [list(v) for v in values]


class AdaptiveAxis(namedtuple("AdaptiveAxis", "input output windows pad_before pad_after", defaults=(0, 0))):
    """One axis of adaptive pooling: a window ``[start, end)`` per output index."""

    __slots__ = ()

    input: int
    output: int
    windows: tuple[Window, ...]
    pad_before: int
    pad_after: int

    @property
    def sizes(self) -> tuple[int, ...]:
        return tuple(e - s for s, e in self.windows)

    @property
    def overlaps(self) -> tuple[int, ...]:
        """Cells each window shares with the one before it (0 for the first)."""
        return tuple(max(0, self.windows[o - 1][1] - s) if o else 0 for o, (s, _) in enumerate(self.windows))

    @property
    def equivalent(self) -> tuple[int, int] | None:
        return uniform_pooling(self.windows, self.input)

    def to_dict(self) -> dict[str, Any]:
        eq = self.equivalent
        return {"input": self.input, "output": self.output, "pad_before": self.pad_before,
                "pad_after": self.pad_after, "window_sizes": sorted(set(self.sizes)),
                "overlapping": sum(1 for n in self.overlaps if n), "gaps": list(window_gaps(self.windows,
                                                                                              self.input)),
                "equivalent": None if eq is None else {"kernel": eq[0], "stride": eq[1]}}  # windows: top level


def window_gaps(windows: Sequence[Window], size: int) -> tuple[int, ...]:
    """Input cells no window covers (never in torch; Keras's float32 windows can skip one)."""
    if not windows:
        return ()
    reach = 0
    gaps: list[int] = []
    for s, e in sorted(windows):
        gaps.extend(range(reach, s))
        reach = max(reach, e)
    gaps.extend(range(reach, size))
    return tuple(gaps)


class AdaptivePoolResult(SpatialResult, namedtuple(
        "AdaptivePoolResult", "op framework kind axes warnings notes")):
    """Adaptive pooling: the window of every output index, per axis."""

    __slots__ = ()

    op: str
    framework: str
    kind: str
    axes: tuple[AdaptiveAxis, ...]
    warnings: tuple[str, ...]
    notes: tuple[str, ...]

    @property
    def windows(self) -> tuple[tuple[Window, ...], ...]:
        return tuple(a.windows for a in self.axes)

    def to_dict(self) -> dict[str, Any]:
        return {"op": self.op, "framework": self.framework, "kind": self.kind, "input": list(self.input),
                "output": list(self.output), "axes": [a.to_dict() for a in self.axes],
                "windows": [_lists(w) for w in self.windows], "warnings": list(self.warnings),
                "notes": list(self.notes)}


class FractionalAxis(namedtuple(
        "FractionalAxis", "input kernel output output_ratio largest_output largest_kernel pad_before pad_after",
        defaults=(0, 0))):
    """One axis of fractional max pooling: the output and torch's limits on it."""

    __slots__ = ()

    input: int
    kernel: int
    output: int
    output_ratio: float | None
    largest_output: int
    largest_kernel: int
    pad_before: int
    pad_after: int

    @property
    def mean_step(self) -> float | None:
        """The mean distance between window starts, ``(input - kernel) / (output - 1)``
        (FractionalMaxPooling.h ``generate_intervals``: alpha); each step is floor or ceil of it."""
        return (self.input - self.kernel) / (self.output - 1) if self.output > 1 else None

    def to_dict(self) -> dict[str, Any]:
        d = self._asdict()
        d["mean_step"] = self.mean_step
        return d


class FractionalResult(SpatialResult, namedtuple("FractionalResult", "op framework axes warnings notes")):
    """Fractional max pooling: the output size per axis and the kernel / output limits."""

    __slots__ = ()

    op: str
    framework: str
    axes: tuple[FractionalAxis, ...]
    warnings: tuple[str, ...]
    notes: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"op": self.op, "framework": self.framework, "input": list(self.input),
                "output": list(self.output), "kernel": [a.kernel for a in self.axes],
                "output_ratio": None if self.axes[0].output_ratio is None else [a.output_ratio for a in self.axes],
                "axes": [a.to_dict() for a in self.axes], "warnings": list(self.warnings),
                "notes": list(self.notes)}


class UnpoolAxis(namedtuple(
        "UnpoolAxis", "input kernel stride pad_before pad_after default output valid_outputs pool_inputs open_ended",
        defaults=(False,))):
    """One axis of max unpooling: the size in effect, every accepted size, and the sizes the
    matching max pool maps to the input (where the indices put every maximum back in place).
    ``open_ended``: every size above ``valid_outputs`` is accepted too (onnxruntime)."""

    __slots__ = ()

    input: int
    kernel: int
    stride: int
    pad_before: int
    pad_after: int
    default: int
    output: int
    valid_outputs: tuple[int, ...]
    pool_inputs: tuple[int, ...]
    open_ended: bool

    def to_dict(self) -> dict[str, Any]:
        d = self._asdict()
        d["valid_outputs"] = list(self.valid_outputs)
        d["pool_inputs"] = list(self.pool_inputs)
        return d


class UnpoolResult(SpatialResult, namedtuple("UnpoolResult", "op framework padding axes warnings notes")):
    """Max unpooling: the output size, the default, and every valid output size per axis."""

    __slots__ = ()

    op: str
    framework: str
    padding: str
    axes: tuple[UnpoolAxis, ...]
    warnings: tuple[str, ...]
    notes: tuple[str, ...]

    @property
    def valid_outputs(self) -> tuple[tuple[int, ...], ...]:
        return tuple(a.valid_outputs for a in self.axes)

    def to_dict(self) -> dict[str, Any]:
        return {"op": self.op, "framework": self.framework, "padding": self.padding,
                "input": list(self.input), "output": list(self.output),
                "default_output": [a.default for a in self.axes], "axes": [a.to_dict() for a in self.axes],
                "valid_outputs": _lists(self.valid_outputs), "pool_inputs": _lists([a.pool_inputs for a in self.axes]),
                "warnings": list(self.warnings), "notes": list(self.notes)}


# ---------------------------------------------------------------------- shared plumbing
def _per_axis(fn: Callable[..., T], *columns: Sequence[Any]) -> tuple[T, ...]:
    """The one loop over spatial axes: ``fn(axis, value_of_each_column...)``."""
    return tuple(fn(axis, *values) for axis, values in enumerate(zip(*columns)))


#: layers a framework has in another form that convshape does not model (so "has no" would be untrue)
NOT_MODELLED = {("tf", "fractional max pooling"): "tf.nn.fractional_max_pool takes a pooling ratio >= 1 "
                                                   "and no kernel; not modelled in convshape"}


def _framework(name: str, allowed: dict[str, str], what: str) -> str:
    fw = framework_rules(name).name
    if fw not in allowed:
        have = "; ".join(f"{k} ({v})" for k, v in allowed.items())
        lacks = NOT_MODELLED.get((fw, what), f"{fw} has no {what}")
        raise ShapeError(f"{lacks}; convshape knows it in {have}", framework=fw,
                         rule="unsupported-op", values={"framework": fw})
    return fw


def _ndim(ndim: int | None, allowed: tuple[int, ...], *values: object) -> int:
    n = ndim or axis_count(*values)
    if n not in allowed:
        raise ShapeError(f"this layer has {'/'.join(map(str, allowed))} spatial axes, not {n}", rule="axis-count",
                         values={"axes": n})
    return n


def _limit(name: str, values: Sequence[int], limit: int) -> None:
    for value in values:
        if value > limit:
            raise ShapeError(f"{name} must be at most {limit} in convshape, but got {name}={value}",
                             rule="convshape-limit", values={name: value})


def _shape(values: Sequence[int], ndim: int, extra: bool = False) -> str:
    """A tensor's sizes as torch prints them for a batch of 1 with 1 channel (``[1, 1, 5, 3]``);
    ``extra`` adds the axis torch's 1-D ops insert before calling the 2-D kernel."""
    return "[" + ", ".join(str(v) for v in [1, 1, *([1] if extra and ndim == 1 else []), *values]) + "]"


def _empty_warnings(outputs: Sequence[int], framework: str = "torch") -> tuple[str, ...]:
    return tuple(EMPTY_WARNING.replace("torch", framework).format(axis=axis)
                 for axis, out in enumerate(outputs) if out == 0)


# ---------------------------------------------------------------------- adaptive pooling
ADAPTIVE = {"torch": "nn.AdaptiveAvgPool1d/2d/3d, nn.AdaptiveMaxPool1d/2d/3d",
            "keras": "keras.layers.AdaptiveAveragePooling1D/2D/3D, AdaptiveMaxPooling1D/2D/3D, Keras 3.15+",
            "onnx": "GlobalAveragePool / GlobalMaxPool, output 1 on every axis only"}


def _check_adaptive_torch(kind: str, ins: Sequence[int], outs: Sequence[int]) -> None:
    """torch's own checks and their order (torch 2.13): avg checks output_size before the
    input, max the input first, then fails creating a tensor with a negative size."""
    n = len(ins)
    if kind == "avg":
        shown = [1, *outs] if n == 1 else list(outs)
        received = ", ".join(str(v) for v in shown[:2]) + "".join(f",{v}" for v in shown[2:])  # torch's '{2, 2,-1}'
        negative = [v for v in outs if v < 0]
        if negative:
            raise ShapeError(f"adaptive_avg_pool{max(n, 2)}d: elements of output_size must be greater than or equal "
                             f"to 0 but received {{{received}}}", framework="torch", rule="output-size",
                             values={"output_size": list(outs)})
    for axis, size in enumerate(ins):
        if size == 0:
            name = f"adaptive_avg_pool{max(n, 2)}d" if kind == "avg" else f"adaptive_max_pool{n}d"
            dims = [1, 1, *([1] if kind == "avg" and n == 1 else []), *ins]
            raise ShapeError(f"{name}(): Expected input to have non-zero size for non-batch dimensions, but input has "
                             f"sizes {_shape(ins, n, extra=kind == 'avg')} with dimension "
                             f"{len(dims) - n + axis} being empty", framework="torch", rule="input-size",
                             values={"input": list(ins)})
    for out in outs:
        if out < 0:
            raise ShapeError(f"Trying to create tensor with negative dimension {out}: {_shape(outs, n, extra=True)}",
                             framework="torch", rule="output-size", values={"output_size": list(outs)})


def _check_adaptive_keras(outs: Sequence[int]) -> None:
    """Keras 3.15 (TF backend) does not validate output_size: 0 divides by zero in
    compute_adaptive_pooling_window_sizes; a negative size fails in tf.range."""
    if 0 in outs:
        raise ShapeError("division by zero (keras computes ceil(input / output_size) with output_size 0)",
                         framework="keras", rule="output-size", values={"output_size": list(outs)})
    for out in outs:
        if out < 0:
            raise ShapeError(f"Requires start <= limit when delta > 0: 0/{out} [Op:Range]", framework="keras",
                             rule="output-size", values={"output_size": list(outs)})


def _check_adaptive_onnx(kind: str, ins: Sequence[int], outs: Sequence[int]) -> None:
    """ONNX has no adaptive pooling; output 1 on every axis is GlobalAveragePool / GlobalMaxPool
    (onnx 1.23.2 has no other Global*/Adaptive* pool but GlobalLpPool). torch's TorchScript exporter
    (torch/onnx/_internal/torchscript_exporter/symbolic_opset9.py ``_adaptive_pool``) writes exactly
    that for output 1, and a plain pool with kernel = stride = input / output where that divides.
    onnxruntime 1.31.1 rejects an empty spatial axis (pool_attributes.h ``SetOutputSize``)."""
    if any(o != 1 for o in outs):
        have = "; ".join(f"{k} ({v})" for k, v in ADAPTIVE.items() if k != "onnx")
        raise ShapeError(f"onnx has no adaptive pooling to output {'x'.join(map(str, outs))}: only Global"
                         f"{'Average' if kind == 'avg' else 'Max'}Pool, which is output 1 on every axis (torch's "
                         f"exporter writes {'AveragePool' if kind == 'avg' else 'MaxPool'} with kernel = stride = "
                         f"input / output where the output divides the input); convshape knows it in {have}",
                         framework="onnx", rule="unsupported-op", values={"output_size": list(outs)})
    if 0 in ins:
        raise ShapeError("Invalid input shape. Only N can be zero. Got:{" + ",".join(map(str, [1, 1, *ins])) + "}",
                         framework="onnx", rule="input-size", values={"input": list(ins)})


def adaptive_pool(input: IntArg, output_size: IntArg, kind: str = "avg", *, framework: str = "torch",
                  ndim: int | None = None) -> AdaptivePoolResult:
    """Adaptive average or max pooling (``kind``): the window ``[start, end)`` of every output
    index on each axis. Windows are the same for avg and max; they overlap where the input does
    not divide evenly, and repeat cells when the output is larger than the input (torch accepts
    that). An output size of 0 gives an empty tensor in torch; a negative one is rejected.
    ``framework="onnx"`` takes output 1 on every axis only (GlobalAveragePool / GlobalMaxPool)."""
    if kind not in ("avg", "max"):
        raise ShapeError(f"kind must be 'avg' or 'max', not {kind!r}", rule="unknown-kind", values={"kind": kind})
    fw = _framework(framework, ADAPTIVE, "adaptive pooling")
    n = _ndim(ndim, (1, 2, 3), input, output_size)
    ins = per_axis(input, "input", n)
    outs = per_axis(output_size, "output_size", n)
    _limit("input", ins, MAX_INPUT)
    _limit("output_size", outs, MAX_WINDOWS)
    for size in ins:
        if size < 0:
            raise ShapeError(f"input size must be at least 1, but got input={size}", framework=fw,
                             rule="input-size", values={"input": size})
    warnings: list[str] = []
    notes: list[str] = []
    if fw == "torch":
        _check_adaptive_torch(kind, ins, outs)
        windows = adaptive_windows
        warnings.extend(_empty_warnings(outs))
    elif fw == "onnx":
        _check_adaptive_onnx(kind, ins, outs)
        windows = adaptive_windows
        notes.append(f"ONNX has no adaptive pooling: output 1 on every axis is Global"
                     f"{'Average' if kind == 'avg' else 'Max'}Pool (one window, the whole input), as torch's "
                     f"ONNX exporter writes it")
    else:
        _check_adaptive_keras(outs)
        if 0 in ins:
            raise ShapeError(f"input size must be at least 1, but got input={list(ins)}", framework=fw,
                             rule="input-size", values={"input": list(ins)})
        windows = keras_adaptive_windows
        if kind == "max" and 1 in (ins[-1], outs[-1]):
            warnings.append("Keras 3.15 AdaptiveMaxPooling on the TensorFlow backend crashes the process (SIGFPE) "
                            "when the last (width) axis has input 1 or output 1: its unused 'big' window pool has an "
                            "empty VALID output there, and tf max pooling to an empty width dies (tensorflow#125509; "
                            "observed on float32, 1-D to 3-D)")
        if any(o * i >= 1 << 24 for i, o in zip(ins, outs)):
            notes.append("Keras computes window bounds in float32: with output * input >= 2**24 they can differ "
                         "from torch's exact integer windows (shown here as Keras computes them)")
    axes = _per_axis(lambda _, i, o: AdaptiveAxis(i, o, windows(i, o)), ins, outs)
    if any(window_gaps(a.windows, a.input) for a in axes):
        warnings.append("some input cells are in no window (Keras's float32 window bounds skip them)")
    if fw == "keras":
        notes.append("Keras layers are AdaptiveAveragePooling{n}D / AdaptiveMaxPooling{n}D (Keras 3.15, TF backend)"
                     .format(n=n))
    return AdaptivePoolResult(f"adaptive-{kind}pool{n}d", fw, kind, axes, tuple(warnings), tuple(notes))


# ---------------------------------------------------------------------- fractional max pooling
FRACTIONAL = {"torch": "nn.FractionalMaxPool2d / nn.FractionalMaxPool3d"}
_AXIS_NAMES = {2: ("height", "width"), 3: ("time", "height", "width")}
_CHECK_ORDER = {2: (0, 1), 3: (0, 2, 1)}  # FractionalMaxPool3d.cpp checks time, width, then height


def _scalar(value: object) -> bool:
    """Whether the user gave one value for every axis (torch quotes it as given)."""
    return isinstance(value, (int, float)) or isinstance(value, str) and "," not in value


def _ratios(value: RatioArg, ndim: int) -> tuple[float, ...]:
    """``0.5`` / ``"0.5,0.7"`` / ``[0.5, 0.7]`` -> one float per axis."""
    parts: list[Any] = value.split(",") if isinstance(value, str) else \
        list(value) if isinstance(value, Sequence) else [value]
    try:
        floats = [float(p) for p in parts if not isinstance(p, bool)]
    except (TypeError, ValueError):
        floats = []
    if len(floats) != len(parts) or not floats:
        raise ShapeError(f"output_ratio must be a number or a comma-separated list of numbers, but got {value!r}",
                         rule="not-a-number", values={"output_ratio": value})
    if len(floats) == 1:
        return tuple(floats) * ndim
    if len(floats) != ndim:
        raise ShapeError(f"output_ratio has {len(floats)} values but the layer has {ndim} spatial axes; "
                         f"give one value or {ndim}", rule="axis-count", values={"output_ratio": value, "axes": ndim})
    return tuple(floats)


def fractional_max_pool(input: IntArg, kernel: IntArg, output_size: IntArg = None, output_ratio: RatioArg = None, *,
                        framework: str = "torch", ndim: int | None = None) -> FractionalResult:
    """Fractional max pooling (torch nn.FractionalMaxPool2d/3d): the output size, from
    ``output_size`` or ``output_ratio`` (``int(input * ratio)``, ratio in (0, 1)), checked
    against the kernel as torch checks it (2-D: ``output + kernel - 1 <= input``; 3-D: ``<``)."""
    fw = _framework(framework, FRACTIONAL, "fractional max pooling")
    n = _ndim(ndim, (2, 3), input, kernel, output_size, output_ratio)
    module = f"FractionalMaxPool{n}d"
    ins = per_axis(input, "input", n)
    ks = per_axis(kernel, "kernel", n)
    _limit("input", ins, MAX_INPUT)
    if min(ks) < 1:  # the 3-D module's check; nn.FractionalMaxPool2d / F take k <= 0 and return -inf
        raise ShapeError(f"kernel_size must be greater than 0, but got {ks[0] if _scalar(kernel) else ks}",
                         framework=fw, rule="kernel-size", values={"kernel": list(ks)})
    if output_size is None and output_ratio is None:
        raise ShapeError(f"{module} requires specifying either an output size, or a pooling ratio",
                         framework=fw, rule="output-selection")
    if output_size is not None and output_ratio is not None:
        raise ShapeError("only one of output_size and output_ratio may be specified", framework=fw,
                         rule="output-selection", values={"output_size": output_size, "output_ratio": output_ratio})
    ratios: tuple[float | None, ...] = (None,) * n
    if output_ratio is not None:
        ratios = _ratios(output_ratio, n)
        if not all(0 < r < 1 for r in ratios):
            raise ShapeError(f"output_ratio must be between 0 and 1 (got "
                             f"{ratios[0] if _scalar(output_ratio) else tuple(ratios)})",
                             framework=fw, rule="output-ratio", values={"output_ratio": list(ratios)})
        outs = tuple(fractional_output(i, r) for i, r in zip(ins, ratios))
    else:
        outs = per_axis(output_size, "output_size", n)
    op = f"fractional_max_pool{n}d" + ("_out" if n == 3 else "")
    for axis, size in enumerate(ins):
        if size < 1:
            raise ShapeError(f"{op}(): Expected input to have non-zero size for non-batch dimensions, but got"
                             f"{_shape(ins, n)} with dimension {axis + 2} being empty.", framework=fw,
                             rule="input-size", values={"input": list(ins)})
    for axis in _CHECK_ORDER[n]:
        name, size, k, out = _AXIS_NAMES[n][axis], ins[axis], ks[axis], outs[axis]
        if not fractional_fits(size, k, out, n):
            raise ShapeError(f"{op}(): pool {name} {k} too large relative to input {name} {size}", framework=fw,
                             rule="pool-too-large", values={"input": size, "kernel": k, "output": out})
    for out in outs:
        if out < 0:
            raise ShapeError(f"Trying to create tensor with negative dimension {out}: {_shape(outs, n)}",
                             framework=fw, rule="output-size", values={"output_size": list(outs)})
    axes = _per_axis(lambda _, i, k, o, r: FractionalAxis(i, k, o, r, fractional_largest_output(i, k, n),
                                                          fractional_largest_output(i, o, n)), ins, ks, outs, ratios)
    notes = ["windows start at random offsets each call (generate_intervals: steps of floor or ceil of "
             "(input - kernel) / (output - 1)); only the last window is fixed, ending at the input's end"]
    if n == 3:
        notes.append("FractionalMaxPool3d needs output + kernel <= input, one cell stricter than 2-D's "
                     "output + kernel - 1 <= input, and checks time, width, then height")
    return FractionalResult(f"fractional-maxpool{n}d", fw, axes, _empty_warnings(outs), tuple(notes))


# ---------------------------------------------------------------------- max unpooling
UNPOOL = {"torch": "nn.MaxUnpool1d/2d/3d",
          "tf": "tf.nn.max_pool_with_argmax, then tf.scatter_nd into the pooled tensor's shape; 2-D only",
          "onnx": "MaxUnpool, opset 9+ (X, I, optional output_shape)"}


def _unpool_torch(ins: Sequence[int], ks: Sequence[int], ss: Sequence[int], padding: PadArg,
                  outs: Sequence[int] | None, n: int) -> tuple[tuple[UnpoolAxis, ...], list[str]]:
    keyword = padding_keyword(padding)
    if keyword and keyword != "valid":
        raise ShapeError(f"MaxUnpool{n}d takes integer padding (that of the MaxPool{n}d it inverts), not {padding!r}",
                         framework="torch", rule="padding-keyword", values={"padding": padding})
    pairs = [(0, 0)] * n if keyword else explicit_padding(padding, n)
    for pb, pa in pairs:
        if pb != pa:
            raise ShapeError(f"MaxUnpool{n}d pads both sides equally, but got padding {pb}:{pa}", framework="torch",
                             rule="asymmetric-padding", values={"pad_before": pb, "pad_after": pa})
        if pb < 0:  # max_unpool itself runs it; the MaxPool that made the indices rejects it
            raise ShapeError(f"pad must be non-negative, but got pad: {pb}", framework="torch",
                             rule="negative-padding", values={"padding": pb})
    ps = [p for p, _ in pairs]
    warnings = [f"MaxPool{n}d rejects this padding ('pad should be at most half of effective kernel size, but got "
                f"pad={p}, kernel_size={k} and dilation=1'), so no max pool made these indices; max_unpool runs it"
                for k, p in zip(ks, ps) if p > k // 2][:1]
    defaults = [unpool_default(i, k, s, p) for i, k, s, p in zip(ins, ks, ss, ps)]
    if outs is not None:
        for axis, (out, default, s) in enumerate(zip(outs, defaults, ss)):
            if not default - s < out < default + s:
                raise ShapeError(f'invalid output_size "{list(outs)}" (dim {axis} must be between {default - s} and '
                                 f'{default + s})', framework="torch", rule="output-size",
                                 values={"output_size": list(outs), "default": default, "stride": s})
    chosen = list(outs) if outs is not None else defaults
    for axis, out in enumerate(chosen):
        if out < 0:
            raise ShapeError(f"max_unpooling: output_size must contain non-negative spatial dimensions, but got "
                             f"output_size[{axis}]={out}", framework="torch", rule="output-size",
                             values={"output_size": chosen})
    axes = _per_axis(lambda _, i, k, s, p, d, o: UnpoolAxis(
        i, k, s, p, p, d, o, tuple(unpool_valid_outputs(i, k, s, p)), tuple(maxpool_inputs(i, k, s, p))),
        ins, ks, ss, ps, defaults, chosen)
    return axes, warnings


def _unpool_tf(ins: Sequence[int], ks: Sequence[int], ss: Sequence[int], padding: PadArg,
               outs: Sequence[int] | None, n: int) -> tuple[tuple[UnpoolAxis, ...], list[str]]:
    if n != 2:
        raise ShapeError(f"tensor_in must be 4-dimensional: tf.nn.max_pool_with_argmax pools 2-D NHWC tensors only, "
                         f"so TF has no {n}-D argmax unpooling", framework="tf", rule="unsupported-op",
                         values={"axes": n})
    keyword = padding_keyword(padding if padding is not None else "valid")
    if keyword not in ("valid", "same"):
        raise ShapeError(f"tf.nn.max_pool_with_argmax takes padding 'SAME' or 'VALID' only, not {padding!r} "
                         f"(Value for attr 'padding' of \"EXPLICIT\" is not in the list of allowed values)",
                         framework="tf", rule="padding-keyword", values={"padding": padding})
    sources = [tf_pool_inputs(i, k, s, keyword) for i, k, s in zip(ins, ks, ss)]
    # without --o: the size that fits the windows exactly, as seed 004's unpool (pooled * ksize) when k == s
    defaults = [r[-1] if keyword == "same" else r[0] for r in sources]
    if outs is not None:
        for axis, (out, r, k, s) in enumerate(zip(outs, sources, ks, ss)):
            if out not in r:
                raise ShapeError(f"the unpooled size is the size that was pooled: max_pool_with_argmax(ksize={k}, "
                                 f"strides={s}, padding='{keyword.upper()}') gives {ins[axis]} on axis {axis} for "
                                 f"sizes {r[0]}..{r[-1]} only, not {out}; its argmax indices are positions in that "
                                 f"input, and scattering them into another shape misplaces them or fails ('does not "
                                 f"index into shape')", framework="tf", rule="output-size",
                                 values={"output_size": list(outs), "pool_inputs": [r[0], r[-1]]})
    chosen = list(outs) if outs is not None else defaults

    def one(_: int, i: int, k: int, s: int, d: int, o: int, r: range) -> UnpoolAxis:
        total = max(0, (i - 1) * s + k - o) if keyword == "same" else 0
        return UnpoolAxis(i, k, s, total // 2, total - total // 2, d, o, tuple(r), tuple(r))

    return _per_axis(one, ins, ks, ss, defaults, chosen, sources), []


def _unpool_onnx(ins: Sequence[int], ks: Sequence[int], ss: Sequence[int], padding: PadArg,
                 outs: Sequence[int] | None, n: int) -> tuple[tuple[UnpoolAxis, ...], list[str]]:
    """ONNX MaxUnpool as onnxruntime 1.31.1 runs it on a (1, 1, *spatial) tensor, its checks in
    its order: the constructor (unpool.h: kernel > 0 and pads < kernel per axis, then strides > 0),
    then ``Compute`` (unpool.cc: each default > 0; with output_shape, its element count >= the
    default's), then every index < the output's element count (data-dependent: a warning here)."""
    err = lambda msg, rule, **values: ShapeError(msg, framework="onnx", rule=rule, values=values)  # noqa: E731
    keyword = padding_keyword(padding)
    if keyword and keyword != "valid":
        raise err(f"MaxUnpool has no auto_pad: give the pads of the MaxPool it inverts (N or before:after per axis), "
                  f"not {padding!r}", "padding-keyword", padding=padding)
    pairs = [(0, 0)] * n if keyword else explicit_padding(padding, n)
    for k, (pb, pa) in zip(ks, pairs):
        if k < 1:
            raise err(f"kernel_shape_[dim] > 0 was false. (kernel_shape {list(ks)})", "kernel-size", kernel=list(ks))
        if max(pb, pa) >= k:
            raise err(f"Pad should be smaller than kernel. (pads {pb}:{pa}, kernel_shape {k})", "padding-window",
                      pad_before=pb, pad_after=pa, kernel=k)
    for s in ss:
        if s < 1:
            raise err(f"All stride values must be positive, got: {s}", "stride-size", stride=s)
    for pb, pa in pairs:
        if min(pb, pa) < 0:  # MaxUnpool alone runs them ((i-1)s + k + 1 for pads -1:0)
            raise err(f"Pad values must be non-negative. (pads {pb}:{pa}: the MaxPool that makes the indices "
                      f"rejects them, though MaxUnpool alone runs them)", "negative-padding", pad_before=pb,
                      pad_after=pa)
    defaults = [onnx_unpool_default(i, k, s, pb, pa) for i, k, s, (pb, pa) in zip(ins, ks, ss, pairs)]
    for axis, default in enumerate(defaults):
        if default < 1:
            raise err(f"Computed output dimension is not positive for axis {axis + 2}. Check kernel_shape, strides, "
                      f"and pads attributes. (output {default})", "output-size", output=default, axis=axis)
    shape = lambda values: "{" + ",".join(str(v) for v in [1, 1, *values]) + "}"  # noqa: E731  TensorShape
    if outs is not None and onnx_shape_size(outs) < math.prod(defaults):
        raise err(f"output_shape is smaller than minimum required. output_shape:{shape(outs)} inferred output "
                  f"shape:{shape(defaults)}", "output-size", output_size=list(outs), default=defaults)
    chosen = list(outs) if outs is not None else defaults
    sources = [onnx_pool_inputs(i, k, s, pb, pa) for i, k, s, (pb, pa) in zip(ins, ks, ss, pairs)]
    # per axis, the other axes at their defaults: the element-count check is o >= default, with no upper bound
    axes = _per_axis(lambda _, i, k, s, pair, d, o, r: UnpoolAxis(
        i, k, s, pair[0], pair[1], d, o, tuple(range(d, max(d, r[-1]) + 1)), r, True),
        ins, ks, ss, pairs, defaults, chosen, sources)
    warnings: list[str] = []
    size = math.prod(chosen)
    pads_after = [pa for _, pa in pairs]
    for pool_input in (tuple(r[0] for r in sources), tuple(r[-1] for r in sources)):
        index = onnx_largest_index(pool_input, defaults, pads_after)
        if index >= size:
            corner = ",".join(str(min(p, d + pa) - 1) for p, d, pa in zip(pool_input, defaults, pads_after))
            warnings.append(f"the indices of a max pool over {'x'.join(map(str, pool_input))} reach flat index "
                            f"{index} (cell {corner}) but the output has {size} cells: onnxruntime fails ('Index value "
                            f"out of bounds. Got: <the first such index>. Valid range is [0, {size}).') when a maximum "
                            f"lies past the end; pass that input's size as output_shape "
                            f"(--o {','.join(map(str, pool_input))})")
            break
    return axes, warnings


def max_unpool(input: IntArg, kernel: IntArg, stride: IntArg = None, padding: PadArg = None,
               output_size: IntArg = None, *, framework: str = "torch", ndim: int | None = None) -> UnpoolResult:
    """Max unpooling (torch nn.MaxUnpool1d/2d/3d; TF's argmax scatter; ONNX MaxUnpool): the output
    size, the default ``(input - 1) * stride + kernel - 2 * padding`` (ONNX: ``- pad_before -
    pad_after``), every ``output_size`` the framework accepts (``valid_outputs``; ONNX: open-ended,
    listed through the largest pool input) and the sizes the matching max pool maps to ``input``
    (``pool_inputs``: where every maximum goes back to its place). ``stride`` defaults to the
    kernel (ONNX: 1); ``output_size`` selects a size or is rejected in the framework's words."""
    fw = _framework(framework, UNPOOL, "max unpooling")
    n = _ndim(ndim, (1, 2, 3), input, kernel, stride, padding, output_size)
    ins = per_axis(input, "input", n)
    ks = per_axis(kernel, "kernel", n)
    ss = per_axis(stride, "stride", n) if stride is not None else ks if fw != "onnx" else (1,) * n
    outs = per_axis(output_size, "output_size", n) if output_size is not None else None
    _limit("input", ins, MAX_INPUT)
    _limit("kernel", ks, MAX_WINDOW)
    _limit("stride", ss, MAX_WINDOW)
    for name, values in (("input", ins), ("kernel", ks), ("stride", ss)) if fw != "onnx" else (("input", ins),):
        for value in values:  # the max pool's rules (max_unpool alone does not check them)
            if value < 1:
                raise ShapeError(f"{name} size should be greater than zero, but got {name}={value}", framework=fw,
                                 rule=f"{name}-size", values={name: value})
    if fw == "torch":
        axes, warnings = _unpool_torch(ins, ks, ss, padding if padding is not None else 0, outs, n)
        shown = format_padding(0 if padding is None else padding)
        notes = [] if all(a.output in a.pool_inputs for a in axes) else [
            "torch accepts this size, but the max pool with this kernel, stride and padding never gives the input "
            "from it; the indices put the maxima back in place only for a size from pool_inputs"]
    elif fw == "onnx":
        axes, warnings = _unpool_onnx(ins, ks, ss, padding if padding is not None else 0, outs, n)
        shown = format_padding(0 if padding is None else padding)
        notes = [] if stride is not None else ["ONNX strides default to 1, not to the kernel size as in torch"]
        notes.append("onnxruntime 1.31.1 checks output_shape only by its element count (>= the default's) and each "
                     "index against it: the indices are flat positions in the max pool's (N, C, ...) input, so the "
                     "maxima land in place only in that input's shape (pool_inputs), and with batch or channels > 1 "
                     "anything else can fail ('Index value out of bounds'); every size above valid_outputs passes too")
        if any(a.output not in a.pool_inputs for a in axes):
            notes.append("onnxruntime accepts this size, but no max pool with these attributes maps it to the input: "
                         "the flat indices put the maxima elsewhere")
    else:
        axes, warnings = _unpool_tf(ins, ks, ss, padding, outs, n)
        shown = format_padding("valid" if padding is None else padding)
        notes = ["TF has no unpooling op: tf.nn.max_pool_with_argmax, then tf.scatter_nd of the pooled values at the "
                 "argmax indices into the shape of the tensor that was pooled; that shape is the unpooled size"]
        if any(a.output != a.input * a.kernel for a in axes):
            notes.append("seed 004's unpool_with_argmax uses pooled size * ksize instead, which is not this size "
                         "here: its scatter then misplaces the maxima or fails")
    warnings.extend(_empty_warnings([a.output for a in axes], fw))
    return UnpoolResult(f"maxunpool{n}d", fw, shown, axes, tuple(warnings), tuple(notes))


__all__ = ["AdaptiveAxis", "AdaptivePoolResult", "FractionalAxis", "FractionalResult", "UnpoolAxis", "UnpoolResult",
           "adaptive_pool", "adaptive_windows", "fractional_max_pool", "keras_adaptive_windows", "max_unpool"]
