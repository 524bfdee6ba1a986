"""A single layer's formulas (``--formulas`` on the layer commands), as :mod:`convshape.render.conv` blocks."""

from __future__ import annotations

from typing import TYPE_CHECKING

from convshape.render.conv import Block, Table

if TYPE_CHECKING:  # pragma: no cover
    from convshape.network.layer_formulas import AxisFormula, LayerFormulas
    from convshape.network.symbolic import LayerFormula


def _valid_when(a: AxisFormula) -> str:
    f = a.formula
    assert f is not None
    text = f.condition(a.symbol)
    if f.exceptions:
        shown = ", ".join(f"{x} (-> {out})" for x, out in f.exceptions[:6]) + (", ..." if len(f.exceptions) > 6 else "")
        text += f"; also {a.symbol} = {shown}"
    return text


def _bound(f: LayerFormula | None, symbol: str) -> str:
    from convshape.network.expr import sym
    from convshape.network.symbolic import X

    return "?" if f is None else f.formula.subs({X: sym(symbol)}).render()


def _selectable(a: AxisFormula) -> str:
    least, most = _bound(a.least, a.symbol), _bound(a.most, a.symbol)
    return least if least == most else f"{least} .. {most}"


def layer_formula_blocks(f: LayerFormulas) -> list[Block]:
    """The output size per axis as a formula of its input symbol, the condition under which the
    layer is valid, the value at the report's input; a transposed convolution's selectable outputs."""
    blocks: list[Block] = []
    if f.axes:
        transposed = any(a.least is not None or a.most is not None for a in f.axes)
        header: tuple[str, ...] = ("axis", "blocks" if f.op == "unfold" else "output size", "valid when",
                                   "at the input")
        header += ("selectable outputs",) if transposed else ()
        rows = []
        for a in f.axes:
            output = a.output()
            if output is None:
                rows.append((a.symbol, "-", "-", a.note or "-") + (("-",) if transposed else ()))
                continue
            at = a.at_input()
            row = (a.symbol, output.render(), _valid_when(a), f"{a.input} -> {'-' if at is None else at}")
            rows.append(row + ((_selectable(a),) if transposed else ()))
        notes = ["integer arithmetic: floor and ceil of exact quotients"]
        if transposed:
            notes.append("selectable outputs: from the smallest to the largest output the framework can select "
                         "(output_padding, output_size)")
        blocks.append(Table("Formulas", header, tuple(rows), tuple(notes)))
    blocks += [f"note: {note}" for note in f.notes]
    return blocks
