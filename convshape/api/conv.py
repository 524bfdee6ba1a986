"""The public Python API: one function per CLI command, same parameter names.

    >>> from convshape import conv, conv_transpose
    >>> conv(64, 3, stride=2).output
    (31,)
    >>> conv_transpose(64, 3, stride=2, padding="same", framework="tf", ndim=2).valid_outputs
    ((127, 128), (127, 128))

Each result is an immutable ``typing.NamedTuple`` whose ``to_dict()`` is the JSON the CLI prints.
"""

# No ``from __future__ import annotations`` here: typing.NamedTuple compiles each string annotation
# (a third of building the class), and these classes are built on every command's start-up.
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from convshape.axes import each_axis, empty_warnings
from convshape.errors import Rule, ShapeError
from convshape.frameworks import ConvRules, Pad, framework_rules
from convshape.model import AxisSpec, ConvAxis, IntRuns, result_head, spatial_sizes
from convshape.params import IntArg, PadArg, axis_count, explicit_padding, format_padding, padding_keyword, per_axis
from convshape.rules import effective_kernel, lax_transposed_output, preimage, transposed_output

if TYPE_CHECKING:  # loaded on first use, not by a forward convolution (start-up): hence the quoted annotations
    from convshape.api.frameworks import FrameworkInfo as FrameworkInfo
    from convshape.api.frameworks import FrameworksResult as FrameworksResult
    from convshape.api.frameworks import list_frameworks as list_frameworks
    from convshape.model import TransposedAxis
else:
    def __getattr__(name: str) -> Any:  # the frameworks listing moved to convshape.api.frameworks
        if name in ("FrameworkInfo", "FrameworksResult", "list_frameworks"):
            from convshape.api import frameworks

            return getattr(frameworks, name)
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

REACH_LIMIT = 64  # paddings tried when asked how to reach a size


class Choice(NamedTuple):
    """One row of the usual-padding table of a convolution."""

    label: str
    padding: str
    pad_before: tuple[int, ...] | None
    pad_after: tuple[int, ...] | None
    output: tuple[int, ...] | None
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"label": self.label, "padding": self.padding,
                "pad_before": _list(self.pad_before), "pad_after": _list(self.pad_after),
                "output": _list(self.output), "error": self.error}


def _list(values: tuple[int, ...] | None) -> list[int] | None:
    return None if values is None else list(values)


_SPATIAL_LETTERS = {1: "W", 2: "HW", 3: "DHW"}


class ConvTensor(NamedTuple):
    """A convolution on a whole tensor (batch, channels and spatial axes in the framework's
    default layout): the output tensor, the weights in the framework's layout, parameters and
    multiply-accumulates (the formulas of :mod:`convshape.rules.weights`, as networks use)."""

    data_format: str
    input: tuple[int, ...]
    output: tuple[int, ...]
    in_channels: int
    out_channels: int
    groups: int
    weights: tuple[tuple[int, ...], ...]
    params: int
    macs: int

    def to_dict(self) -> dict[str, Any]:
        return {"data_format": self.data_format, "input": list(self.input), "output": list(self.output),
                "in_channels": self.in_channels, "out_channels": self.out_channels, "groups": self.groups,
                "weight_shape": [list(w) for w in self.weights], "params": self.params, "macs": self.macs}


class _Whole(NamedTuple):
    """A whole input tensor, split: batch, channels, spatial sizes, and where the channels sit."""

    shape: tuple[int, ...]
    batch: int
    channels: int
    spatial: tuple[int, ...]
    channels_last: bool

    def with_spatial(self, spatial: Sequence[int], channels: int) -> tuple[int, ...]:
        return (self.batch, *spatial, channels) if self.channels_last else (self.batch, channels, *spatial)

    @property
    def data_format(self) -> str:
        letters = _SPATIAL_LETTERS.get(len(self.spatial), "S" * len(self.spatial))
        return f"N{letters}C" if self.channels_last else f"NC{letters}"


def _whole_tensor(input: IntArg, framework: str, ndim: int | None, out_channels: int | None,
                  groups: int | None) -> _Whole | None:
    """``input`` as a whole tensor (N, C, spatial... or N, spatial..., C in the framework's default
    layout) when it has ``ndim + 2`` sizes, or when channels are asked for without ``ndim``; None
    for spatial sizes only."""
    from convshape.frameworks import get
    from convshape.params import tensor_shape

    if isinstance(input, str):
        count = axis_count(input)
    elif isinstance(input, Sequence):
        count = len(input)
    else:
        count = 1
    wanted = ndim + 2 if ndim is not None else None
    if count != wanted and not (ndim is None and count >= 3 and (out_channels is not None or groups is not None)):
        if out_channels is not None or groups is not None:
            raise ShapeError("out_channels and groups need the whole input tensor (batch, channels and "
                             + (f"{ndim} spatial sizes" if ndim else "the spatial sizes")
                             + f"), but got input={input!r}", rule=Rule.OPTION_NOT_APPLICABLE,
                             values={"input": str(input)})
        return None
    shape = tensor_shape(input if isinstance(input, (str, Sequence)) else [], "input", smallest=0)
    last = get(framework).tensor_channels_last
    spatial = shape[1:-1] if last else shape[2:]
    return _Whole(shape, shape[0], shape[-1] if last else shape[1], tuple(spatial), last)


def _tensor(whole: _Whole | None, framework: str, kernel: Sequence[int], output: Sequence[int],
            out_channels: int | None, groups: int | None, bias: bool | None, transposed: bool,
            depth_multiplier: int | None = None) -> ConvTensor | None:
    """The channels, weights, parameters and MACs of a convolution on a whole tensor (a depthwise
    one, then a separable one's pointwise step when out_channels is given, with ``depth_multiplier``)."""
    from convshape.frameworks import get
    from convshape.rules.weights import conv_macs, depthwise_macs, params, transposed_macs

    if whole is None:
        return None
    fw = get(framework)
    cin = whole.channels
    if depth_multiplier is not None:
        weights = fw.depthwise_weights(kernel, cin, depth_multiplier, out_channels, bias)
        cout = cin * depth_multiplier if out_channels is None else out_channels
        return ConvTensor(whole.data_format, whole.shape, whole.with_spatial(output, cout), cin, cout, cin, weights,
                          params(weights), depthwise_macs(whole.batch, output, cin, depth_multiplier, kernel,
                                                         out_channels))
    cout = cin if out_channels is None else out_channels
    g = 1 if groups is None else groups
    fw.check_groups(cin, cout, g, whole.shape, transposed)
    weights = fw.conv_weights(kernel, cin, cout, g, bias, transposed)
    macs = (transposed_macs(whole.batch, whole.spatial, cin, cout, g, kernel) if transposed
            else conv_macs(whole.batch, output, cin, cout, g, kernel))
    return ConvTensor(whole.data_format, whole.shape, whole.with_spatial(output, cout), cin, cout, g, weights,
                      params(weights), macs)


class ConvResult(NamedTuple):
    """A forward convolution: the output, each axis, the usual paddings and the inverse set."""

    op: str
    framework: str
    padding: str
    axes: tuple[ConvAxis, ...]
    same_output_inputs: tuple[tuple[int, ...], ...]
    choices: tuple[Choice, ...]
    warnings: tuple[str, ...]
    notes: tuple[str, ...] = ()
    tensor: ConvTensor | None = None

    @property
    def input(self) -> tuple[int, ...]:
        return spatial_sizes(self.axes, "input")

    @property
    def output(self) -> tuple[int, ...]:
        return spatial_sizes(self.axes, "output")

    def head(self) -> dict[str, Any]:
        """``{"op", "framework", "padding", "input", "output"}``."""
        return result_head(self)


    def to_dict(self) -> dict[str, Any]:
        axes = []
        for axis, inputs in zip(self.axes, self.same_output_inputs):
            d = axis.to_dict()
            d["same_output_inputs"] = list(inputs)
            axes.append(d)
        return {**self.head(), "axes": axes,
                "same_output_inputs": [list(x) for x in self.same_output_inputs],
                "choices": [c.to_dict() for c in self.choices], "warnings": list(self.warnings),
                "notes": list(self.notes), **({"tensor": self.tensor.to_dict()} if self.tensor else {})}


class Reach(NamedTuple):
    """A way to make a transposed convolution give a wanted size on one axis."""

    padding: str
    pad_before: int
    pad_after: int
    output_padding: int
    select: str

    def to_dict(self) -> dict[str, Any]:
        return self._asdict()


class ConvTransposeResult(NamedTuple):
    """A transposed convolution: the size in effect, every valid size and what selects it."""

    op: str
    framework: str
    padding: str
    axes: "tuple[TransposedAxis, ...]"
    maps_back: tuple[bool, ...]
    reach: tuple[tuple[Reach, ...], ...] | None
    warnings: tuple[str, ...]
    notes: tuple[str, ...] = ()
    tensor: ConvTensor | None = None

    @property
    def input(self) -> tuple[int, ...]:
        return spatial_sizes(self.axes, "input")

    @property
    def output(self) -> tuple[int, ...]:
        return spatial_sizes(self.axes, "output")

    def head(self) -> dict[str, Any]:
        """``{"op", "framework", "padding", "input", "output"}``."""
        return result_head(self)


    @property
    def output_padding(self) -> tuple[int, ...]:
        return tuple(a.output_padding for a in self.axes)

    @property
    def valid_outputs(self) -> tuple[IntRuns, ...]:
        return tuple(a.valid_outputs for a in self.axes)

    def to_dict(self) -> dict[str, Any]:
        axes = []
        for axis, back in zip(self.axes, self.maps_back):
            d = axis.to_dict()
            d["maps_back"] = back
            axes.append(d)
        out: dict[str, Any] = {
            **self.head(), "output_padding": list(self.output_padding), "axes": axes,
            "valid_outputs": [v.to_json() for v in self.valid_outputs], "warnings": list(self.warnings),
            "notes": list(self.notes)}
        if self.reach is not None:
            out["reach"] = [[r.to_dict() for r in axis] for axis in self.reach]
        if self.tensor is not None:
            out["tensor"] = self.tensor.to_dict()
        return out


# ---------------------------------------------------------------------- shared plumbing
def _setup(input: IntArg, kernel: IntArg, stride: IntArg, dilation: IntArg, padding: PadArg,
           framework: str, ndim: int | None, transposed: bool,
           extra: Sequence[object] = (), depthwise: bool = False) -> tuple[ConvRules, list[AxisSpec], list[Pad], str]:
    fw = framework_rules(framework)
    n = ndim or axis_count(input, kernel, stride, dilation, padding, *extra)
    ins = per_axis(input, "input", n)
    ks = per_axis(kernel, "kernel", n)
    ss = per_axis(stride, "stride", n, default=1)
    ds = per_axis(dilation, "dilation", n, default=1)
    if padding is None:
        padding = fw.default_padding
    keyword = padding_keyword(padding)
    pads: list[Pad] = [keyword] * n if keyword else list(explicit_padding(padding, n))
    specs = [AxisSpec(i, k, s, d) for i, k, s, d in zip(ins, ks, ss, ds)]
    for spec in specs:
        fw.check_axis(spec, transposed)
    fw.check_layer(specs, transposed, depthwise)
    return fw, specs, pads, format_padding(padding)


def _op_name(base: str, ndim: int) -> str:
    return f"{base}{ndim}d"


# ---------------------------------------------------------------------- convolution
def conv_axis(fw: ConvRules, spec: AxisSpec, pad: Pad, ndim: int) -> ConvAxis:
    """One axis of a forward convolution in framework ``fw``."""
    pb, pa = fw.pads(spec, pad, transposed=False, ndim=ndim)
    out = fw.conv_output(spec, pb, pa)
    return ConvAxis(spec.input, spec.kernel, spec.stride, spec.dilation, pb, pa, out)


def same_output_inputs(fw: ConvRules, spec: AxisSpec, pad: Pad, ndim: int) -> tuple[int, ...]:
    """Every input size the same convolution maps to the same output (``stride`` of them,
    fewer near the smallest valid input): the ambiguity a transposed convolution resolves."""
    target = conv_axis(fw, spec, pad, ndim).output

    bound = spec.stride + effective_kernel(spec.kernel, spec.dilation)
    run = preimage(lambda i: fw.forward_output(AxisSpec(i, spec.kernel, spec.stride, spec.dilation), pad, ndim),
                   target, max(1, spec.input - bound), spec.input + bound)
    lo, hi = run or (spec.input, spec.input)  # spec.input itself is always in the run
    return tuple(range(lo, hi + 1))


def _choice(fw: ConvRules, specs: list[AxisSpec], label: str, padding: PadArg, ndim: int) -> Choice:
    keyword = padding_keyword(padding)
    pads: list[Pad] = [keyword] * ndim if keyword else list(explicit_padding(padding, ndim))
    try:
        axes = each_axis(lambda _, spec, pad: conv_axis(fw, spec, pad, ndim), specs, pads)
    except ShapeError as exc:
        return Choice(label, format_padding(padding), None, None, None, exc.message)
    return Choice(label, format_padding(padding), tuple(a.pad_before for a in axes),
                  tuple(a.pad_after for a in axes), tuple(a.output for a in axes))


def _symmetric_reaching(fw: ConvRules, spec: AxisSpec, ndim: int, targets: Sequence[int]) -> int | None:
    """The smallest symmetric padding whose output is the first reachable of ``targets``
    (the output is non-decreasing in the padding)."""
    reach = effective_kernel(spec.kernel, spec.dilation) - 1
    for target in targets:
        run = preimage(lambda p: fw.forward_output(spec, (p, p), ndim), target, 0, reach)
        if run is not None:
            return run[0]
    return None


def conv_choices(fw: ConvRules, specs: list[AxisSpec], ndim: int) -> tuple[Choice, ...]:
    """The usual padding choices and their outputs: the framework's default, its keywords,
    full, and the symmetric paddings that keep or halve the size."""
    rows = [("default", fw.default_padding)]
    for word in ("valid", *fw.keywords, "full"):
        if word != fw.default_padding and all(word != r[1] for r in rows):
            rows.append((word, word))
    choices = [_choice(fw, specs, label, padding, ndim) for label, padding in rows]
    if fw.explicit != "none":
        goals: tuple[tuple[str, Callable[[AxisSpec], list[int]]], ...] = (
            ("keeps size", lambda s: [s.input]), ("halves size", lambda s: [-(-s.input // 2), s.input // 2]))
        for label, targets in goals:
            found = [_symmetric_reaching(fw, spec, ndim, targets(spec)) for spec in specs]
            if all(p is not None for p in found):
                shown = str(found[0]) if len(set(found)) == 1 else ",".join(str(p) for p in found)
                choices.append(_choice(fw, specs, label, shown, ndim))
    return tuple(choices)


def _conv_axes(input: IntArg, kernel: IntArg, stride: IntArg, padding: PadArg, dilation: IntArg, framework: str,
               ndim: int | None, depthwise: bool = False
               ) -> tuple[ConvRules, list[AxisSpec], list[Pad], str, tuple[ConvAxis, ...]]:
    fw, specs, pads, shown = _setup(input, kernel, stride, dilation, padding, framework, ndim, False,
                                    depthwise=depthwise)
    n = len(specs)
    return fw, specs, pads, shown, each_axis(lambda _, spec, pad: conv_axis(fw, spec, pad, n), specs, pads)


def conv_axes(input: IntArg, kernel: IntArg, stride: IntArg = 1, padding: PadArg = None, dilation: IntArg = 1, *,
              framework: str = "torch", ndim: int | None = None, depthwise: bool = False) -> tuple[ConvAxis, ...]:
    """Only the axes of :func:`conv` (same rules and rejections), without the padding choices
    and inverse sizes: what a network needs of each layer, many times over in a sweep.
    ``depthwise``: a depthwise or separable layer (in Keras it may combine strides and dilation)."""
    return _conv_axes(input, kernel, stride, padding, dilation, framework, ndim, depthwise)[4]


def conv(input: IntArg, kernel: IntArg, stride: IntArg = 1, padding: PadArg = None, dilation: IntArg = 1, *,
         framework: str = "torch", ndim: int | None = None, out_channels: int | None = None,
         groups: int | None = None, bias: bool | None = None, depth_multiplier: int | None = None) -> ConvResult:
    """The output of a convolution in ``framework``, per spatial axis.

    ``input``, ``kernel``, ``stride`` and ``dilation`` take an int (every axis), a sequence, or
    ``"3,5"``. ``padding`` takes an int, ``"before:after"`` per axis, a sequence of ints or
    pairs, or a keyword (``valid``, ``same``, ``same-upper``, ``same-lower``, ``full``,
    ``causal``) as the framework means it; ``None`` is the framework's default.
    ``input`` may also be the whole tensor (``"1x3x224x224"``: ``ndim + 2`` sizes, batch and
    channels in the framework's default layout, channels-last for tf, keras and jax); the result's
    ``tensor`` then holds the output tensor, the weights in the framework's layout (with
    ``out_channels``, default the input's channels, ``groups`` and ``bias``, default the
    framework's), parameters and multiply-accumulates. ``depth_multiplier`` makes it depthwise
    (keras DepthwiseConv2D, torch groups = in_channels): in_channels x depth_multiplier outputs;
    with ``out_channels`` too, separable (SeparableConv2D: depthwise, then a 1x1 convolution).
    Raises :class:`ShapeError` where the framework would reject the layer.
    """
    if depth_multiplier is not None and groups is not None:
        raise ShapeError("a depthwise convolution sets groups itself (groups = in_channels); give depth_multiplier "
                         "or groups, not both", rule=Rule.OPTION_NOT_APPLICABLE, values={"groups": groups})
    whole = (_whole_tensor(input, framework, ndim, out_channels, groups) if depth_multiplier is None else
             _whole_tensor(input, framework, ndim, None, depth_multiplier if ndim is None else None))
    if whole is None and depth_multiplier is not None:
        raise ShapeError(f"a depthwise convolution needs the whole input tensor (batch, channels and spatial sizes), "
                         f"but got input={input!r}", rule=Rule.OPTION_NOT_APPLICABLE, values={"input": str(input)})
    if whole is not None:
        input, ndim = whole.spatial, len(whole.spatial)
    fw, specs, pads, shown, axes = _conv_axes(input, kernel, stride, padding, dilation, framework, ndim,
                                              depth_multiplier is not None)
    n = len(specs)
    if depth_multiplier is not None:
        from convshape.frameworks import get

        get(fw.name).check_depthwise_strides([a.stride for a in axes], [a.dilation for a in axes])
    tensor = _tensor(whole, framework, [a.kernel for a in axes], [a.output for a in axes], out_channels, groups,
                     bias, False, depth_multiplier)
    inverse = each_axis(lambda _, spec, pad: same_output_inputs(fw, spec, pad, n), specs, pads)
    base = "conv" if depth_multiplier is None else "depthwise-conv" if out_channels is None else "separable-conv"
    return ConvResult(_op_name(base, n), fw.name, shown, axes, inverse, conv_choices(fw, specs, n),
                      empty_warnings([a.output for a in axes], fw.name),
                      tuple(fw.notes(specs, pads, False) + fw.result_notes(axes, False)), tensor)


# ---------------------------------------------------------------------- transposed convolution
def forward_of(fw: ConvRules, axis: "TransposedAxis", output: int, pad_before: int, pad_after: int) -> int | None:
    """What the forward convolution with these pads gives for ``output`` (None if it rejects it)."""
    try:
        return fw.conv_output(AxisSpec(output, axis.kernel, axis.stride, axis.dilation), pad_before, pad_after)
    except ShapeError:
        return None


def _with_forward(fw: ConvRules, axis: "TransposedAxis") -> "TransposedAxis":
    options = axis.options.map(lambda o: o._replace(forward=forward_of(fw, axis, o.output, o.pad_before,
                                                                       o.pad_after)))
    return axis._replace(options=options)


def reach(fw: ConvRules, spec: AxisSpec, output_size: int, ndim: int, axis: int) -> tuple[Reach, ...]:
    """Every padding (symmetric numbers and the framework's keywords) and output_padding with
    which a transposed convolution on this axis gives ``output_size``, simplest first."""
    candidates: list[Pad] = [*fw.transposed_keywords]
    if fw.explicit_transposed != "none":
        # the padding that crops the transposed output to the size (torch, tf, onnx, caffe), or
        # that pads the dilated input to it (jax); output_padding then fills up to max(s, d) - 1
        spread = (max(spec.stride, spec.dilation) + 1) // 2 + 1
        uncropped = transposed_output(spec.input, spec.kernel, spec.stride, spec.dilation, 0, 0, 0)
        unpadded = lax_transposed_output(spec.input, spec.kernel, spec.stride, spec.dilation, 0, 0)
        centres = (uncropped - output_size) // 2, (output_size - unpadded) // 2
        near = sorted({p for c in centres for p in range(c - spread, c + 2) if p >= 0},
                      key=lambda p: min(abs(p - c) for c in centres))
        candidates += [(p, p) for p in sorted(near[:REACH_LIMIT])]
    found: list[Reach] = []
    for pad in candidates:
        try:  # the sizes this padding gives, and what selects each
            option = fw.transposed(spec, pad, None, None, ndim, axis).options.find(output_size)
        except ShapeError:  # its default size is rejected; the wanted size may still be selectable
            option = None
        if option is None:  # not among its sizes: ask for it directly
            try:
                option = fw.transposed(spec, pad, None, output_size, ndim, axis).options.find(output_size)
            except ShapeError:
                continue
        if option is None:
            continue
        shown = pad if isinstance(pad, str) else str(pad[0])
        way = Reach(shown, option.pad_before, option.pad_after, option.output_padding, option.select)
        if all(way[1:] != w[1:] for w in found):  # 'valid' and 0 can be the same way
            found.append(way)
    return tuple(found)


def conv_transpose(input: IntArg, kernel: IntArg, stride: IntArg = 1, padding: PadArg = None,
                   dilation: IntArg = 1, output_padding: IntArg = None, output_size: IntArg = None, *,
                   framework: str = "torch", ndim: int | None = None, out_channels: int | None = None,
                   groups: int | None = None, bias: bool | None = None) -> ConvTransposeResult:
    """A transposed convolution in ``framework``: the size in effect, and per axis every valid
    output size with what selects it (``options``).

    ``output_padding`` selects a size the framework's way (torch, keras, onnx);
    ``output_size`` selects one directly (torch ``output_size``, tf/onnx ``output_shape``) or
    asks whether it is reachable: when it is not, the :class:`ShapeError` names the paddings
    that would reach it. Padding numbers mean what the framework's own argument means (for
    jax, the padding of the equivalent dilated forward convolution). A whole input tensor,
    ``out_channels``, ``groups`` and ``bias`` work as in :func:`conv`.
    """
    whole = _whole_tensor(input, framework, ndim, out_channels, groups)
    if whole is not None:
        input, ndim = whole.spatial, len(whole.spatial)
    fw, specs, pads, shown = _setup(input, kernel, stride, dilation, padding, framework, ndim, True,
                                    (output_padding, output_size))
    n = len(specs)
    if output_padding is not None and output_size is not None and not fw.output_padding_with_size:
        raise ShapeError(f"give output_padding or output_size, not both ({fw.name} takes one or the other)",
                         framework=fw.name, rule=Rule.OUTPUT_SELECTION,
                         values={"output_padding": output_padding, "output_size": output_size})
    ops = per_axis(output_padding, "output_padding", n) if output_padding is not None else (None,) * n
    sizes = per_axis(output_size, "output_size", n) if output_size is not None else (None,) * n
    overridden: tuple[str, ...] = ()
    if output_padding is not None and output_size is not None and fw.output_size_overrides_output_padding:
        shown_op = str(ops[0]) if len(set(ops)) == 1 else ",".join(map(str, ops))
        overridden = (fw.output_size_overrides_output_padding.format(output_padding=shown_op),)
        ops = (None,) * n  # the output size alone selects (torch)

    def one(axis: int, spec: AxisSpec, pad: Pad) -> "TransposedAxis":
        try:
            return fw.transposed(spec, pad, ops[axis], sizes[axis], n, axis)
        except ShapeError as exc:
            wanted = sizes[axis]
            if wanted is None or exc.rule not in ("output-size-range", "output-size"):
                raise
            ways = reach(fw, spec, wanted, n, axis)
            hint = ("; it is reached with " + "; ".join(f"padding={w.padding}, {w.select}" for w in ways[:4])
                    if ways else f"; no padding reaches {wanted} with kernel={spec.kernel}, stride={spec.stride}")
            raise ShapeError(exc.message + hint, framework=exc.framework, rule=exc.rule, values=exc.values) from None

    axes = tuple(_with_forward(fw, a) for a in each_axis(one, specs, pads))
    back = tuple(forward_of(fw, a, a.output, a.pad_before, a.pad_after) == a.input for a in axes)
    reached = None
    if output_size is not None:
        wanted = per_axis(output_size, "output_size", n)
        reached = each_axis(lambda axis, spec, _: reach(fw, spec, wanted[axis], n, axis), specs, pads)
    tensor = _tensor(whole, framework, [a.kernel for a in axes], [a.output for a in axes], out_channels, groups,
                     bias, True)
    return ConvTransposeResult(_op_name("conv-transpose", n), fw.name, shown, axes, back, reached,
                               empty_warnings([a.output for a in axes], fw.name),
                               tuple(fw.notes(specs, pads, True) + fw.result_notes(axes, True)) + overridden, tensor)


__all__ = ["Choice", "ConvResult", "ConvTensor", "ConvTransposeResult", "FrameworkInfo", "FrameworksResult", "Reach",
           "conv", "conv_transpose", "list_frameworks"]
