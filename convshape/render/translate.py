"""The translate report (blocks for convshape.render.conv): the source layer as its framework runs it,
the port's steps, the weight and data permutations, for which sizes it holds, and the code."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from convshape.render.conv import Block, Table, pads, sizes

if TYPE_CHECKING:  # pragma: no cover
    from convshape.api.translate import Step, TranslateResult


def _value(v: Any) -> str:
    if isinstance(v, tuple):
        return "(" + ", ".join(_value(x) for x in v) + ("," if len(v) == 1 else "") + ")"
    return repr(v) if isinstance(v, str) else str(v)


def _step_row(j: int, step: Step) -> tuple[str, ...]:
    if step.kind == "layer":
        what = ", ".join(f"{k}={_value(v)}" for k, v in step.params)
    else:
        what = pads(step.before, step.after) + (f" ({step.value})" if step.value != "zero" else "")
    return (str(j + 1), step.kind, step.name, what)


def _shuffle_source(result: TranslateResult, status: str) -> list[Block]:
    s = result.source
    return [f"{result.op} · {result.from_framework} -> {result.to_framework} · factor {s.factor} · channel order "
            f"{s.order} · {status}",
            f"input {s.channels}x{sizes(s.input)} -> output {s.out_channels}x{sizes(s.output)} (channels x spatial)"]


def _resize_source(result: TranslateResult, status: str) -> list[Block]:
    r = result.source
    rows = tuple((str(a), str(r.input[a]), str(r.output[a]), f"{r.step[a]:.6g}") for a in range(r.ndim))
    head = (f"{result.op} · {result.from_framework} -> {result.to_framework} · {r.mode} · {r.transform}"
            + (f", {r.rounding}" if r.rounding else "") + f" · {status}")
    blocks: list[Block] = [head, f"input {sizes(r.input)} -> output {sizes(r.output)}",
                           Table(f"Source ({result.from_framework})", ("axis", "input", "output", "step"), rows)]
    if result.reason:
        blocks.append(f"inexact: {result.reason}")
    return blocks


def translate_report(result: TranslateResult) -> list[Block]:
    g = result.source
    status = "exact" if result.exact else "INEXACT"
    if hasattr(g, "factor") or hasattr(g, "transform"):  # a pixel (un)shuffle, an interpolation: no window table
        shuffle = _shuffle_source(result, status) if hasattr(g, "factor") else _resize_source(result, status)
        shuffle.append(Table(f"Port ({result.to_framework})", ("step", "kind", "name", "parameters"),
                            tuple(_step_row(j, s) for j, s in enumerate(result.steps))))
        d = result.data
        shuffle.append(f"data: {d.source} -> {d.target}" + ("" if d.identity else f", axes {d.axes}: {d.code}"))
        shuffle.extend(f"note: {n}" for n in result.notes)
        shuffle.append("Code\n" + result.code)
        return shuffle
    blocks: list[Block] = [
        f"{result.op} · {result.from_framework} -> {result.to_framework} · padding {g.padding} · {status}",
        f"input {sizes(g.input)} -> output {sizes(g.output)}"]
    if g.pool:
        blocks[0] = (f"{result.op} · {result.from_framework} -> {result.to_framework} · padding {g.padding} · "
                     f"{'ceil_mode' if g.ceil_mode else 'floor mode'} · {status}")
    rows = []
    for a in range(g.ndim):
        row = [str(a), str(g.input[a]), str(g.kernel[a]), str(g.stride[a]), str(g.dilation[a]),
               f"{g.pad_before[a]}:{g.pad_after[a]}"]
        if g.transposed:
            row.append(str(g.output_padding[a]))
        rows.append((*row, str(g.output[a])))
    header = ("axis", "input", "kernel", "stride", "dilation", "pad before:after",
              *(("output_padding",) if g.transposed else ()), "output")
    blocks.append(Table(f"Source ({result.from_framework})" + (": cropped from the full transposed output"
                                                              if g.transposed else ""), header, tuple(rows)))
    blocks.append(Table(f"Port ({result.to_framework})", ("step", "kind", "name", "parameters"),
                        tuple(_step_row(j, s) for j, s in enumerate(result.steps))))
    w, d = result.weight, result.data
    blocks.append("weights: none" if w is None else f"weights: {w.source} -> {w.target}, axes {w.axes}: {w.code}")
    blocks.append(f"data: {d.source} -> {d.target}" + ("" if d.identity else f", axes {d.axes}: {d.code}"))
    blocks.append(f"exact for: {result.exact_for.description}")
    if result.reason:
        blocks.append(f"inexact: {result.reason}")
    blocks.extend(f"note: {n}" for n in result.notes if not n.startswith("the static port holds"))
    blocks.append("Code\n" + result.code)
    if result.dynamic_code:
        blocks.append("Code for every input size (the padding computed from the input)\n" + result.dynamic_code)
    return blocks
