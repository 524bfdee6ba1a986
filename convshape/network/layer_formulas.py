"""One layer's output size as a formula of its input size, per spatial axis, with the condition
under which the layer is valid: what the single-layer commands show with their formulas.

The layer is evaluated as a one-layer network (:func:`convshape.network.evaluate.parse_spec`,
so an op and its arguments mean what they mean in a spec file) and each spatial axis is fitted by
:func:`convshape.network.symbolic.fit_layer`, which reads the exact slope p / q off the layer's
step, finds the offset from q consecutive sizes and verifies the formula with the per-size
rules every command uses: no framework rule is written again here. A transposed convolution also
gets the formulas of the smallest and largest output its framework can select (output_padding,
output_size / output_shape), fitted the same way from the valid outputs of
:func:`convshape.api.conv.conv_transpose`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any, NamedTuple

from convshape.errors import ShapeError
from convshape.network.expr import Lin, sym
from convshape.network.symbolic import SYMBOLS, X, LayerFormula, fit_layer, fit_probe

#: the longest period (the denominator of the layer's exact slope: a stride) a command fits: a fit
#: probes a few periods one size at a time, each size a full evaluation of the layer
MAX_PERIOD = 512
#: the kinds of layer a one-layer spec must give out_channels (the single-layer commands need not)
_CHANNEL_OPS = ("conv", "conv_transpose")


class AxisFormula(NamedTuple):
    """One spatial axis: its symbol, the report's input size there and the formula of the output
    (None, with ``note`` saying why, where there is none); for a transposed convolution, the
    smallest and largest output it can select (``least``, ``most``)."""

    symbol: str
    input: int
    formula: LayerFormula | None
    note: str | None = None
    least: LayerFormula | None = None
    most: LayerFormula | None = None

    def output(self) -> Lin | None:
        """The output size as a formula of this axis's symbol."""
        return None if self.formula is None else self.formula.formula.subs({X: sym(self.symbol)})

    def at_input(self) -> int | None:
        """The formula's value at the report's input size (None: no formula there)."""
        f = self.formula
        if f is None or not f.accepts(self.input):
            return None
        if self.input < f.start:
            return dict(f.exceptions)[self.input]
        return f.formula({X: self.input})

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"symbol": self.symbol, "input": self.input}
        if self.formula is None:
            out.update({"formula": None, "note": self.note})
            return out
        shown = self.formula.to_dict(self.symbol)
        shown["formula"] = self.output().render()  # type: ignore[union-attr]
        shown["python"] = self.output().render("python")  # type: ignore[union-attr]
        shown["at_input"] = self.at_input()
        out.update(shown)
        for key, bound in (("least", self.least), ("most", self.most)):
            if bound is not None:
                f = bound.formula.subs({X: sym(self.symbol)})
                out[f"{key}_output"] = {"formula": f.render(), "python": f.render("python"),
                                        "condition": bound.condition(self.symbol)}
        return out


class LayerFormulas(NamedTuple):
    """A single layer's output size per spatial axis as formulas of the input symbols."""

    op: str
    framework: str
    axes: tuple[AxisFormula, ...]
    notes: tuple[str, ...] = ()

    @property
    def exact(self) -> bool:
        return bool(self.axes) and all(a.formula is not None for a in self.axes)

    def to_dict(self) -> dict[str, Any]:
        return {"exact": self.exact, "symbols": [a.symbol for a in self.axes],
                "axes": [a.to_dict() for a in self.axes], "notes": list(self.notes)}


def layer_formulas(op: str, args: Mapping[str, object], framework: str, input: Sequence[int], *,
                   shape: Sequence[int] | None = None, data_format: str | None = None) -> LayerFormulas:
    """The output size of layer ``op`` (with ``args``, named as in a spec file) on every spatial
    axis as a formula of that axis's input size, in ``framework``'s rules. ``input``: the spatial
    sizes (the reference the layer is fitted at; only the other axes' sizes matter there);
    ``shape`` / ``data_format``: the whole input tensor where the layer needs its channels."""
    from convshape.frameworks import get
    from convshape.network.evaluate import OPS, input_tensor, op_name, parse_spec

    symbols = SYMBOLS.get(len(input))
    if symbols is None:
        return LayerFormulas(op, framework, (), (f"no formula: {len(input)} spatial axes (1 to 3 have symbols)",))
    raw: dict[str, Any] = {"op": op, **{k: v for k, v in args.items() if v is not None}}
    if shape is None:
        channels_last = get(framework).tensor_channels_last
        shape = (1, *input, 1) if channels_last else (1, 1, *input)
    data: dict[str, Any] = {"input": list(shape), "framework": framework, "layers": [raw]}
    if data_format is not None:
        data["data_format"] = data_format
    try:
        definition = OPS[op_name(op, "layer")]
        other = [k for k in raw if k != "op" and k not in definition.keys]
        if other:
            return LayerFormulas(op, framework, (), (
                "no formula with " + ", ".join(f"{k}={raw[k]}" for k in other) + ": a spec file's layer takes no "
                "such argument, and the formulas are fitted on one (it takes " + ", ".join(definition.keys) + ")",))
        notes: tuple[str, ...] = ()
        if definition.kind in ("conv_transpose", "unpool") and "output_size" in raw:
            # one size chosen at this input: the formulas are of what it is chosen from
            notes = (f"output_size={raw.pop('output_size')} selects one output at this input; the formulas are the "
                     f"layer's without it" + (" (the selectable outputs: what it can select)"
                                              if definition.kind == "conv_transpose" else ""),)
        if definition.kind in _CHANNEL_OPS and "out_channels" not in raw:
            # the output channels do not change a spatial size: the input's
            raw["out_channels"] = shape[-1] if (data_format or "").endswith("C") or (
                data_format is None and get(framework).tensor_channels_last) else shape[1]
        spec = parse_spec(data, "layer")
        layer = spec.layers[0]
    except ShapeError as exc:
        return LayerFormulas(op, framework, (), (f"no formula: {exc.message}",))
    x = input_tensor(spec)
    if len(x.spatial) != len(input):
        return LayerFormulas(op, framework, (), ("no formula: the layer's spatial axes are not the input's",))
    axes = []
    for i, (symbol, size) in enumerate(zip(symbols, input)):
        fit = fit_layer(layer, x, i, spec.framework, MAX_PERIOD)
        if fit is None:
            axes.append(AxisFormula(symbol, size, None, _why_none(layer, x, i, spec.framework)))
            continue
        least = most = None
        if layer.kind == "conv_transpose":
            least, most = _selectable(layer, x, i, spec.framework, fit)
        axes.append(AxisFormula(symbol, size, fit, None, least, most))
    return LayerFormulas(layer.op, spec.framework, tuple(axes), notes)


def _why_none(layer: Any, x: Any, axis: int, framework: str) -> str:
    """Why :func:`fit_layer` found no formula on ``axis``: a period too long to fit, or no exact slope."""
    from convshape.network.evaluate import layer_step

    try:
        scale = layer_step(layer, [x], framework).scale
    except ShapeError:
        scale = None
    slope = scale[axis] if scale is not None and axis < len(scale) else None
    if slope is not None and slope.denominator > MAX_PERIOD:
        return (f"its sizes repeat with period {slope.denominator} (the stride), longer than the {MAX_PERIOD} "
                f"sizes convshape fits a formula over one by one")
    return "its output size does not scale by an exact fraction of the input (a float scale, or a size fixed by " \
           "another axis)"


def _selectable(layer: Any, x: Any, axis: int, framework: str,
                fit: LayerFormula) -> tuple[LayerFormula | None, LayerFormula | None]:
    """The smallest and largest output a transposed convolution can select on ``axis`` (by
    output_padding or output_size), as formulas of its input size: fitted from the valid outputs
    :func:`convshape.api.conv.conv_transpose` lists for each size."""
    from convshape.api.conv import conv_transpose

    a = layer.args
    memo: dict[int, tuple[int, int] | None] = {}

    def bounds(n: int) -> tuple[int, int] | None:
        if n not in memo:
            spatial = list(x.spatial)
            spatial[axis] = n
            try:
                valid = conv_transpose(tuple(spatial), a["kernel"], a.get("stride", 1), a.get("padding"),
                                       a.get("dilation", 1), framework=framework,
                                       ndim=len(spatial)).valid_outputs[axis]
                memo[n] = (valid[0], valid[-1]) if len(valid) else None
            except ShapeError:
                memo[n] = None
        return memo[n]

    def side(index: int) -> LayerFormula | None:
        def probe(n: int) -> int | None:
            b = bounds(n)
            return None if b is None else b[index]

        for slope in (fit.slope, Fraction(0)):
            found = fit_probe(probe, slope, fit.start, x.spatial[axis], MAX_PERIOD)
            if found is not None:
                return found
        return None

    return side(0), side(1)


def unfold_formulas(result: Any) -> LayerFormulas:
    """An unfold's sliding blocks per spatial axis as formulas of that axis's input size (L is
    their product), fitted from :func:`convshape.api.unfold.unfold` at each size (slope 1 / stride:
    the blocks of a window, as a convolution's outputs)."""
    from convshape.api.unfold import unfold
    from convshape.network.expr import product

    shape = tuple(result.input)
    first = len(shape) - 3 if result.channels_last else len(shape) - 2  # the spatial axes' position
    axes = []
    for i, symbol in enumerate(SYMBOLS[2]):
        def blocks(n: int, i: int = i) -> int | None:
            s = list(shape)
            s[first + i] = n
            try:
                found = unfold(tuple(s), result.kernel, result.stride, result.padding, result.dilation,
                               framework=result.framework).blocks[i]
            except ShapeError:
                return None
            return found if found >= 1 else None

        low = result.dilation[i] * (result.kernel[i] - 1) + 1
        fit = fit_probe(blocks, Fraction(1, result.stride[i]), low, shape[first + i], MAX_PERIOD)
        why = (f"its sizes repeat with period {result.stride[i]} (the stride), longer than the {MAX_PERIOD} sizes "
               f"convshape fits a formula over one by one" if result.stride[i] > MAX_PERIOD else
               "its blocks do not follow one formula")
        axes.append(AxisFormula(symbol, shape[first + i], fit, None if fit is not None else why))
    notes = ["per axis: the sliding blocks"]
    if all(a.formula is not None for a in axes):
        notes[0] += "; L = " + product([a.output() for a in axes]).render()  # type: ignore[misc]
    return LayerFormulas(result.op, result.framework, tuple(axes), tuple(notes))


def for_result(result: Any, args: Mapping[str, object]) -> LayerFormulas:
    """:func:`layer_formulas` for a single-layer command's result (its op, framework and input;
    the whole tensor where the result holds one) with the arguments the command was given; an
    unfold's blocks per axis (:func:`unfold_formulas`)."""
    if result.op == "unfold":
        return unfold_formulas(result)
    shape = data_format = None
    tensor = getattr(result, "tensor", None)
    if tensor is not None:
        shape, data_format = tensor.input, tensor.data_format
    elif getattr(result, "input_shape", None) is not None:
        shape, data_format = result.input_shape, result.data_format
    return layer_formulas(result.op, args, result.framework, result.input, shape=shape, data_format=data_format)
