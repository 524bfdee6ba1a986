"""The report of ``convshape solve``: the parameter sets, simplest first, and for
for_all_inputs each one's size rule and proof."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from convshape.render.conv import Block, Table

if TYPE_CHECKING:  # pragma: no cover
    from convshape.api.solve import Solution, SolveResult


def _values(values: tuple[object, ...]) -> str:
    return str(values[0]) if len(set(values)) == 1 else ",".join(str(v) for v in values)


def _pads(s: Solution) -> str:
    pairs = list(zip(s.pad_before, s.pad_after))
    shown = [f"{b}:{a}" for b, a in pairs]
    return shown[0] if len(set(shown)) == 1 else ",".join(shown)


def solve_report(result: SolveResult, commands: Sequence[str] = (), more: str = "") -> list[Block]:
    """The report; ``commands``: each solution as a command line (the CLI's), ``more``: how to
    see the solutions not shown (the CLI's options)."""
    fw = result.framework
    if result.for_all_inputs:
        scale = _values(result.scale or ())
        head = f"{result.op} in {fw} that scale every input by {scale}"
    else:
        head = (f"{result.op} in {fw} mapping {'x'.join(map(str, result.input or ()))} to "
                f"{'x'.join(map(str, result.output or ()))}")
    blocks: list[Block] = [f"{head} · {result.bounds.describe()}"]
    header: tuple[str, ...] = ("#", "kernel", "stride", "dilation", "padding", "pad before:after")
    if result.transposed:
        header += ("output_padding", "selected by")
    if result.pool:
        header += ("ceil_mode",)
    if result.for_all_inputs:
        header += ("rule",)
    rows = []
    for n, s in enumerate(result.solutions, 1):
        row: tuple[str, ...] = (str(n), _values(s.kernel), _values(s.stride), _values(s.dilation), s.padding, _pads(s))
        if result.transposed:
            row += (_values(s.output_padding), s.select[0] if len(set(s.select)) == 1 else ", ".join(s.select))
        if result.pool:
            row += ("on" if s.ceil_mode else "off",)
        if result.for_all_inputs:
            row += (s.rule[0] if len(set(s.rule)) == 1 else "; ".join(s.rule),)
        rows.append(row)
    hidden = result.total - len(result.solutions)
    notes = (f"({hidden} more" + (f"; {more})" if more else ")"),) if hidden > 0 else ()
    count = f"{result.total} parameter set{'s' if result.total != 1 else ''}"
    title = f"{count}, simplest first" if result.complete else f"at least {count} (search cut; see the note)"
    blocks.append(Table(title, header,
                        tuple(rows), notes))
    if result.solutions:
        best = result.solutions[0]
        if commands:
            blocks.append(f"check the first{' on an example size' if result.for_all_inputs else ''}: "
                          f"convshape {commands[0]}")
        if result.for_all_inputs:
            seen = []
            for axis, proof in enumerate(best.proof):
                if proof not in seen:
                    seen.append(proof)
                    label = "proof" if len(set(best.proof)) == 1 else f"proof (axis {axis})"
                    blocks.append(f"{label}: {proof}")
    blocks.append(f"ranking: {_ranking()}")
    blocks.extend(f"note: {n}" for n in result.notes)
    return blocks


def _ranking() -> str:
    from convshape.api.solve import RANKING

    return RANKING
