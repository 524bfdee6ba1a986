"""Reports for networks (summary, chain, check) and sweeps, as :mod:`convshape.render.conv` blocks."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from convshape.errors import Rule
from convshape.render.conv import Block, Table, sizes

if TYPE_CHECKING:  # pragma: no cover
    from convshape.network.evaluate import CheckReport, LayerReport, NetworkReport
    from convshape.network.sweep import Progression, SweepResult
    from convshape.network.evaluate import ConstrainedReport
    from convshape.network.symbolic import ConstraintSet, FormulaReport, TensorFormula


def _count(n: int) -> str:
    return f"{n:,}" if n else "-"


def _fraction(x: Fraction) -> str:
    return str(x.numerator) if x.denominator == 1 else f"{x.numerator}/{x.denominator}"


def per_axis(values: Sequence[Fraction]) -> str:
    """``7, 7`` -> ``7``; ``7, 5`` -> ``7,5``; fractions as ``1/2``; none -> ``-``."""
    if not values:
        return "-"
    shown = [_fraction(v) for v in values]
    return shown[0] if len(set(shown)) == 1 else ",".join(shown)


def _pads(layer: LayerReport) -> str:
    if not layer.pad_before or not any(layer.pad_before) and not any(layer.pad_after):
        return "-"
    return ",".join(f"{b}:{a}" for b, a in zip(layer.pad_before, layer.pad_after))


def _status(layer: LayerReport) -> str:
    if layer.error is not None:
        return "FAIL" if layer.rule != Rule.INPUT_FAILED else "-"
    return "expect ok" if layer.expect is not None else ""


def _weights(layer: LayerReport) -> str:
    return " + ".join("(" + ", ".join(map(str, w)) + ")" for w in layer.weight_shape) or "-"


def network_report(result: NetworkReport) -> list[Block]:
    """The per-layer table (torchinfo's columns, plus padding split and receptive field),
    totals, then each failure with its rule."""
    from convshape.frameworks import framework_rules

    title = framework_rules(result.framework).title if result.framework != "-" else ""
    blocks: list[Block] = [f"{result.source} · {title} · input {sizes(result.input)}"
                           + (f" ({result.data_format})" if result.data_format else "")]
    if result.model is not None:
        return blocks + _model_report(result)
    rows = tuple((layer.name, layer.op, sizes(layer.shape) if layer.shape else "-", _weights(layer),
                  _count(layer.params), _count(layer.macs), _pads(layer), per_axis(layer.receptive_field),
                  per_axis(layer.jump), per_axis(layer.start), _status(layer)) for layer in result.layers)
    rows += (("total", "", sizes(result.output) if result.output else "-", "", _count(result.params),
              _count(result.macs), "", "", "", "", "ok" if result.ok else "FAIL"),)
    blocks.append(Table("Layers", ("layer", "op", "output", "weights", "params", "MACs", "pad", "RF", "jump",
                                   "start", "check"), rows,
                        ("RF: receptive field, jump: input cells between neighbouring outputs, start: the input "
                         "coordinate of output 0's centre (per spatial axis)",)))
    blocks += _failures(result)
    for layer in result.layers:
        blocks += [f"note: {layer.name}: {note}" for note in layer.notes]
    return blocks


def _shape(shape: Sequence[int] | None) -> str:
    """A node's output: ``1x64x56x56``, ``scalar`` for a 0-D tensor, ``-`` when not computed."""
    if shape is None:
        return "-"
    return sizes(shape) if shape else "scalar"


def _model_report(result: NetworkReport) -> list[Block]:
    """A model file's nodes: no receptive-field columns (a graph is not a chain of windows), the
    graph outputs' shapes after the table."""
    model = result.model or {}
    rows = tuple((layer.name, layer.op, _shape(layer.shape), _weights(layer), _count(layer.params),
                  _count(layer.macs), _pads(layer), _status(layer)) for layer in result.layers)
    rows += (("total", "", "", "", _count(result.params), _count(result.macs), "", "ok" if result.ok else "FAIL"),)
    blocks: list[Block] = [f"{model.get('format', 'model')} opset {model.get('opset')}, producer "
                           f"{model.get('producer') or '-'}, {len(result.layers)} nodes",
                           Table("Nodes", ("node", "op", "output", "weights", "params", "MACs", "pad", "check"), rows)]
    outputs = model.get("outputs", {})
    blocks.append("outputs: " + ", ".join(f"{name} {_shape(shape)}" for name, shape in outputs.items()))
    blocks += _failures(result)
    if "compare" in model:
        differ = model["compare"]
        sides = tuple(model.get("compared", ("onnx", "onnxruntime")))
        torch = "torch" in sides
        who = "the ONNX spec, onnxruntime and torch" if torch else "the ONNX spec and onnxruntime"
        if not differ:
            blocks.append(f"{who} agree on every node".replace("the ONNX spec", "the ONNX spec (-f onnx)", 1))
        else:
            def cell(side: Mapping[str, Any]) -> str:
                shape = side["shape"]
                return f"{'x'.join(map(str, shape)) if shape else '-'}" if side["error"] is None else \
                    f"rejects: {side['error']}"
            blocks.append(Table(f"Where {who} differ", ("node", "op", *sides),
                                tuple((d["node"], d["op"], *(cell(d[s]) for s in sides)) for d in differ)))
    blocks += [f"note: {note}" for note in model.get("notes", ())]
    for layer in result.layers:
        blocks += [f"note: {layer.name}: {note}" for note in layer.notes]
    return blocks


def _failures(result: NetworkReport) -> list[Block]:
    out: list[Block] = []
    for layer in result.errors:
        where = f"{layer.name} ({layer.op})" if layer.op != "-" else result.source
        out.append(f"error: {where} [{layer.rule}]: {layer.error}")
    skipped = [layer.name for layer in result.layers if layer.rule == Rule.INPUT_FAILED]
    if skipped:
        out.append(f"not computed (an input failed): {', '.join(skipped)}")
    return out


def check_report(result: CheckReport) -> list[Block]:
    """One line per file (ok with its output shape, or FAIL), then each failure."""
    blocks: list[Block] = []
    for report in result.files:
        if report.ok:
            blocks.append(f"ok    {report.source}: {len(report.layers)} layers, output {sizes(report.output)}, "
                          f"{report.params:,} params")
        else:
            blocks.append(f"FAIL  {report.source}")
            for layer in report.errors:
                where = f"layer {layer.name} ({layer.op})" if layer.op != "-" else "spec"
                blocks.append(f"      {where} [{layer.rule}]: {layer.error}")
    failed = sum(1 for report in result.files if not report.ok)
    blocks.append(f"{len(result.files) - failed} of {len(result.files)} file{'s' if len(result.files) > 1 else ''} "
                  f"ok")
    return blocks


def run_groups(valid: Sequence[Progression]) -> list[tuple[str, int, int, int, int]]:
    """Progressions of one step whose starts are consecutive read as runs: 32..47 every 32 is
    one row, ``32..47, 64..79, ..., 4064..4079 (runs of 16, every 32)``, not sixteen."""
    rows: list[tuple[str, int, int, int, int]] = []
    i = 0
    while i < len(valid):
        first = valid[i]
        j = i
        while (j + 1 < len(valid) and valid[j + 1].step == first.step and valid[j + 1].start == valid[j].start + 1
               and valid[j + 1].start < first.start + first.step and len(valid[j + 1]) > 1):
            j += 1
        members = valid[i:j + 1]
        count = sum(len(p) for p in members)
        stop = max(p.stop for p in members)
        if len(members) < 3 or len(first) < 3:
            rows += [(p.describe(), p.start, p.stop, p.step, len(p)) for p in members]
        else:
            width = len(members)
            last = first.start + (stop - first.start) // first.step * first.step
            text = (f"{first.start}..{first.start + width - 1}, {first.start + first.step}.."
                    f"{first.start + first.step + width - 1}, ..., {last}{'' if last == stop else f'..{stop}'} "
                    f"(runs of {width}, every "
                    f"{first.step})")
            rows.append((text, first.start, stop, first.step, count))
        i = j + 1
    return rows


def sweep_report(result: SweepResult) -> list[Block]:
    which = "square inputs (every spatial axis = n)" if result.axis is None else \
        f"spatial axis {result.axis}, the others as in the " + ("input" if result.source.lower().endswith(".onnx")
                                                                 else "spec")
    lo, hi = result.range
    blocks: list[Block] = [f"{result.source} · sweep of {which} over {lo}..{hi}"]
    if not result.valid:
        blocks.append("no size in the range is valid")
    else:
        blocks.append(f"valid: {result.count:,} size{'s' if result.count != 1 else ''}")
        groups = run_groups(result.valid)
        rows = tuple((text, str(start), str(stop), str(step), f"{count:,}") for text, start, stop, step, count
                     in groups[:40])
        notes = (f"({len(groups)} rows; the JSON output lists every progression)",) if len(groups) > 40 else ()
        blocks.append(Table("Valid sizes", ("sizes", "start", "stop", "step", "count"), rows, notes))
    if result.size not in result:
        below, above = result.nearest_valid
        around = " and ".join(str(n) for n in (below, above) if n is not None)
        whose = "the given input's" if result.source.lower().endswith(".onnx") else "the spec's"
        blocks.append(f"{whose} size {result.size} is invalid; "
                      + (f"the nearest valid size{'s are' if below is not None and above is not None else ' is'} "
                         f"{around}" if around else "no size in the range is valid"))
    if result.failures:
        blocks.append(Table("Why the nearest invalid sizes fail", ("size", "layer", "rule", "message"),
                            tuple((str(f.size), f.layer, f.rule, f.message) for f in result.failures)))
    if result.compared is not None:
        sizes_differ = result.compared["sizes"]
        blocks.append("the ONNX spec (-f onnx) and onnxruntime agree at every size" if not sizes_differ else
                      f"the ONNX spec (-f onnx) and onnxruntime disagree at {_listed(sizes_differ)}")
        torch = result.compared.get("torch")
        if torch is not None:
            blocks.append("torch (the module the model was exported from) agrees with both at every size"
                          if not torch["sizes"] else
                          f"torch (the module the model was exported from) disagrees at {_listed(torch['sizes'])} "
                          f"(with onnxruntime at {len(torch['onnxruntime'])}, with the ONNX spec at "
                          f"{len(torch['onnx'])})")
    if result.constraints is not None:
        blocks += constraint_blocks(result.constraints)
    for emitted in result.emitted:
        blocks.append(f"{emitted.target}:" + ("" if emitted.exact else " (not exact: see the notes)"))
        blocks.append("\n".join("    " + line if line else "" for line in emitted.text.splitlines()))
        blocks += [f"note: {note}" for note in emitted.notes]
    blocks += [f"note: {note}" for note in result.notes]
    return blocks


def _listed(sizes: Sequence[int]) -> str:
    return (f"{len(sizes)} size{'s' if len(sizes) != 1 else ''}: " + ", ".join(map(str, sizes[:40]))
            + (", ..." if len(sizes) > 40 else ""))


def constraint_blocks(c: ConstraintSet, label: str = "constraints") -> list[Block]:
    """The reduced constraint, then each constraint with its cause."""
    blocks: list[Block] = [f"{label}: {c.reduced()}"]
    if c.constraints:
        blocks.append(Table("Constraints", ("constraint", "cause"),
                            tuple((k.text, k.cause) for k in c.constraints)))
    return blocks


def _formula(t: TensorFormula) -> str:
    if t.flat is not None:
        return t.flat.render()
    shown = [f.render() for f in t.axes]
    return ", ".join(shown) if shown else "-"


def _valid_when(t: TensorFormula, symbols: Sequence[str]) -> str:
    conditions = [f.condition(f"x{s}") for f, s in zip(t.layer, symbols) if f is not None]
    if not conditions or len({c.replace(f"x{s}", "x") for c, s in zip(conditions, symbols)}) == 1:
        return conditions[0].replace(f"x{symbols[0]}", "x") if conditions else "-"
    return ", ".join(conditions)


def formula_report(result: FormulaReport) -> list[Block]:
    """``summary --formulas``: the layer table, then every tensor's size as a formula of the
    input symbols with the condition on the layer's own input x, then the constraints."""
    blocks = network_report(result.report)
    net = result.symbolic
    rows = tuple((t.name, t.op, _formula(t), _valid_when(t, net.symbols)) for t in net.tensors)
    blocks.append(Table("Formulas", ("layer", "op", "output size (" + ", ".join(net.symbols) + ")",
                                     "valid when (x: the layer's input size)"), rows,
                        ("integer arithmetic: floor and ceil of exact quotients",)))
    blocks += [f"note: {note}" for note in net.notes]
    blocks += constraint_blocks(result.constraints)
    return blocks


def summary_report(result: ConstrainedReport) -> list[Block]:
    """``summary``: the layer table, then the square input sizes the network accepts, with causes."""
    blocks = network_report(result.report)
    c = result.constraints
    if c is not None:
        blocks += constraint_blocks(c, f"valid square inputs (every spatial axis n, {c.range[0]}..{c.range[1]})")
    blocks += [f"note: {note}" for note in result.notes]
    return blocks
