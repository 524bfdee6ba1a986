"""Turn API results into reports, and reports into plain text or rich tables.

A report is a list of blocks: a line of text, or a table (title, header, rows of strings).
``plain`` needs nothing beyond the standard library; ``rich`` imports rich only when called,
so JSON and piped output never load it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple, Union

if TYPE_CHECKING:  # pragma: no cover
    from rich.console import Console

    from convshape.api.conv import ConvResult, ConvTensor, ConvTransposeResult, FrameworksResult
    from convshape.model import TransposeOption


class Table(NamedTuple):
    title: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    notes: tuple[str, ...] = ()


Block = Union[str, Table]


def sizes(values: Sequence[int] | None) -> str:
    return "-" if values is None else "x".join(str(v) for v in values)


def pad_pair(before: int, after: int) -> str:
    return f"{before}:{after}"


def pads(before: Sequence[int] | None, after: Sequence[int] | None) -> str:
    if before is None or after is None:
        return "-"
    return ",".join(pad_pair(b, a) for b, a in zip(before, after))


def runs(values: Sequence[int]) -> str:
    """``1, 2, 3, 7`` -> ``1..3, 7``: long lists of sizes stay readable."""
    parts: list[str] = []
    i = 0
    while i < len(values):
        j = i
        while j + 1 < len(values) and values[j + 1] == values[j] + 1:
            j += 1
        parts.append(f"{values[i]}..{values[j]}" if j - i >= 2 else ", ".join(str(v) for v in values[i:j + 1]))
        i = j + 1
    return ", ".join(parts)


MAX_ROWS = 16  # longer tables show their head and tail; the JSON output has every row


def clip(rows: tuple[tuple[str, ...], ...]) -> tuple[tuple[tuple[str, ...], ...], tuple[str, ...]]:
    if len(rows) <= MAX_ROWS:
        return rows, ()
    half = MAX_ROWS // 2
    gap = tuple("..." if c == 0 else "" for c in range(len(rows[0])))
    return rows[:half] + (gap,) + rows[-half:], (f"({len(rows)} rows; the JSON output lists every one)",)


# ---------------------------------------------------------------------------- reports
def tensor_lines(tensor: ConvTensor | None) -> list[Block]:
    """The whole-tensor lines of a convolution: output tensor, weights, parameters, MACs."""
    if tensor is None:
        return []
    shown = " + ".join(f"({', '.join(map(str, w))})" for w in tensor.weights)
    return [f"tensor {sizes(tensor.input)} ({tensor.data_format}) -> {sizes(tensor.output)} · "
            f"{tensor.in_channels} -> {tensor.out_channels} channels"
            + (f", groups {tensor.groups}" if tensor.groups != 1 else ""),
            f"weights {shown} · {tensor.params:,} parameters · {tensor.macs:,} MACs"]


def conv_report(result: ConvResult) -> list[Block]:
    from convshape.frameworks import framework_rules

    fw = framework_rules(result.framework)
    blocks: list[Block] = [
        f"{result.op} · {fw.title} · padding {result.padding}",
        f"input {sizes(result.input)} -> output {sizes(result.output)}",
        *tensor_lines(result.tensor),
    ]
    rows = tuple(
        (str(i), str(a.input), str(a.kernel), str(a.stride), str(a.dilation), pad_pair(a.pad_before, a.pad_after),
         str(a.output), runs(inputs))
        for i, (a, inputs) in enumerate(zip(result.axes, result.same_output_inputs)))
    blocks.append(Table("Per axis", ("axis", "input", "kernel", "stride", "dilation", "pad before:after",
                                     "output", "inputs with this output"), rows))
    choice_rows = tuple(
        (c.label, c.padding, pads(c.pad_before, c.pad_after), sizes(c.output) if c.error is None else "rejected",
         c.error or "") for c in result.choices)
    blocks.append(Table(f"Padding choices in {fw.name}", ("choice", "padding", "pad before:after", "output", "note"),
                        choice_rows))
    blocks.extend(f"warning: {w}" for w in result.warnings)
    blocks.extend(f"note: {n}" for n in result.notes)
    return blocks


def transpose_report(result: ConvTransposeResult) -> list[Block]:
    from convshape.frameworks import framework_rules

    fw = framework_rules(result.framework)
    blocks: list[Block] = [
        f"{result.op} · {fw.title} · padding {result.padding}",
        f"input {sizes(result.input)} -> output {sizes(result.output)}"
        + (f" (output_padding {sizes(result.output_padding)})" if any(result.output_padding) else ""),
    ]
    blocks += tensor_lines(result.tensor)
    rows = tuple(
        (str(i), str(a.input), str(a.kernel), str(a.stride), str(a.dilation), pad_pair(a.pad_before, a.pad_after),
         str(a.output_padding), str(a.output), runs(a.valid_outputs) or "none",
         "yes" if back else "no")
        for i, (a, back) in enumerate(zip(result.axes, result.maps_back)))
    blocks.append(Table("Per axis", ("axis", "input", "kernel", "stride", "dilation", "pad before:after",
                                     "output_padding", "output", "valid outputs", "maps back"), rows))
    seen: dict[tuple[TransposeOption, ...], list[int]] = {}
    for i, a in enumerate(result.axes):
        seen.setdefault(a.options, []).append(i)
    for options, axes in seen.items():
        label = "every axis" if len(axes) == len(result.axes) and len(axes) > 1 else \
            "axis " + ", ".join(str(i) for i in axes)
        option_rows, notes = clip(tuple(
            (str(o.output), o.select, pad_pair(o.pad_before, o.pad_after), str(o.output_padding),
             "-" if o.forward is None else str(o.forward))
            for o in options))
        blocks.append(Table(f"Valid output sizes ({label})",
                            ("output", f"selected in {fw.name} by", "pad before:after", "output_padding",
                             "forward conv gives"), option_rows, notes))
    if result.reach is not None:
        for i, ways in enumerate(result.reach):
            blocks.append(Table(f"Ways to reach output {result.output[i]} (axis {i})",
                                ("padding", "pad before:after", "output_padding", "selected by"),
                                tuple((w.padding, pad_pair(w.pad_before, w.pad_after), str(w.output_padding),
                                       w.select) for w in ways)))
    blocks.extend(f"warning: {w}" for w in result.warnings)
    blocks.extend(f"note: {n}" for n in result.notes)
    return blocks


def frameworks_report(result: FrameworksResult) -> list[Block]:
    blocks: list[Block] = ["Frameworks and their padding keywords (explicit numbers: where 'explicit' says so)"]
    rows = []
    for f in result.frameworks:
        rows.append((f.name, f.title, f.versions, f.default_padding, f.explicit, f.explicit_transposed,
                     "; ".join(f"{k}: {v}" for k, v in f.keywords.items()) or "none"))
    blocks.append(Table("Frameworks", ("name", "framework", "observed on", "default", "explicit (conv)",
                                       "explicit (transposed)", "keywords (conv)"), tuple(rows)))
    source_rows = tuple((f.name, what, where) for f in result.frameworks for what, where in f.sources.items())
    blocks.append(Table("Where each rule comes from", ("name", "rule", "source"), source_rows))
    return blocks


# ---------------------------------------------------------------------------- backends
def plain(blocks: list[Block]) -> str:
    """Aligned plain text: no colour, no box drawing, safe to pipe and grep."""
    out: list[str] = []
    for block in blocks:
        if isinstance(block, str):
            out.append(block)
            continue
        widths = [max(len(r[c]) for r in (block.header, *block.rows)) for c in range(len(block.header))]
        out.append("")
        out.append(block.title)
        for row in (block.header, *block.rows):
            out.append("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip())
        out.extend(block.notes)
    return "\n".join(out) + "\n"


def rich_print(blocks: list[Block], console: Console) -> None:
    """The same report as rich tables."""
    from rich import box
    from rich.table import Table as RichTable
    from rich.text import Text

    for block in blocks:
        if isinstance(block, str):
            style = "bold yellow" if block.startswith("warning:") else None
            console.print(Text(block, style=style or ""))
            continue
        table = RichTable(title=Text(block.title, style="italic"), title_justify="left", header_style="bold",
                          box=box.SIMPLE_HEAD)
        for c, name in enumerate(block.header):
            # a value never breaks (its width, capped, is the column's minimum); headers may wrap
            widest = max((len(row[c]) for row in block.rows), default=0)
            table.add_column(name.replace("_", "_\u200b"), min_width=min(widest, 24), overflow="fold")
        for row in block.rows:
            table.add_row(*(Text(cell) for cell in row))  # Text: no markup parsing, no highlighting
        console.print(table)
        for note in block.notes:
            console.print(Text(note, style="dim"))
