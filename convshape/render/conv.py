"""Turn API results into reports, and reports into plain text or rich tables.

A report is a list of blocks: a line of text, or a table (title, header, rows of strings).
``plain`` needs nothing beyond the standard library; ``rich`` imports rich only when called,
so JSON and piped output never load it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:  # pragma: no cover
    from rich.console import Console

    from convshape.api.conv import ConvResult, ConvTensor, ConvTransposeResult, FrameworksResult
    from convshape.model import TransposeOption


class Table(NamedTuple):
    title: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    notes: tuple[str, ...] = ()


Block = str | Table


def sizes(values: Sequence[int] | None) -> str:
    return "-" if values is None else "x".join(str(v) for v in values)


def pad_pair(before: int, after: int) -> str:
    return f"{before}:{after}"


def pads(before: Sequence[int] | None, after: Sequence[int] | None) -> str:
    if before is None or after is None:
        return "-"
    return ",".join(pad_pair(b, a) for b, a in zip(before, after))


def runs(values: Sequence[int]) -> str:
    """``1, 2, 3, 7`` -> ``1..3, 7``: long lists of sizes stay readable. A set held as runs
    (``IntRuns``, ``range``) is printed from its runs, whatever its size."""
    from convshape.model import IntRuns

    if isinstance(values, range) and values.step > 0:
        values = IntRuns((values,))
    if isinstance(values, IntRuns):
        parts = []
        for r in values.ranges:
            if len(r) >= 3:
                parts.append(f"{r[0]}..{r[-1]}" + (f" (step {r.step})" if r.step != 1 else ""))
            else:
                parts.append(", ".join(str(v) for v in r))
        return ", ".join(parts)
    listed: list[str] = []
    i = 0
    while i < len(values):
        j = i
        while j + 1 < len(values) and values[j + 1] == values[j] + 1:
            j += 1
        listed.append(f"{values[i]}..{values[j]}" if j - i >= 2 else ", ".join(str(v) for v in values[i:j + 1]))
        i = j + 1
    return ", ".join(listed)


MAX_ROWS = 16  # longer tables show their head and tail; the JSON output has every row


def clip(rows: tuple[tuple[str, ...], ...]) -> tuple[tuple[tuple[str, ...], ...], tuple[str, ...]]:
    if len(rows) <= MAX_ROWS:
        return rows, ()
    half = MAX_ROWS // 2
    gap = tuple("..." if c == 0 else "" for c in range(len(rows[0])))
    return rows[:half] + (gap,) + rows[-half:], (f"({len(rows)} rows; the JSON output lists every one)",)


def clip_lazy(count: int, row: Callable[[int], tuple[str, ...]]) -> tuple[tuple[tuple[str, ...], ...], tuple[str, ...]]:
    """:func:`clip` of ``tuple(row(i) for i in range(count))``, building only the rows shown
    (a table of a million sizes costs its 16 rows)."""
    if count <= MAX_ROWS:
        return tuple(row(i) for i in range(count)), ()
    half = MAX_ROWS // 2
    head = tuple(row(i) for i in range(half))
    gap = tuple("..." if c == 0 else "" for c in range(len(head[0])))
    tail = tuple(row(i) for i in range(count - half, count))
    return head + (gap,) + tail, (f"({count} rows; the JSON output lists every one)",)


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
    from convshape.model import NO_OPTIONS, RUNS_LISTED

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
    # axes alike in everything else have the same options (computed from the same configuration)
    seen: dict[tuple[object, ...], list[int]] = {}
    for i, a in enumerate(result.axes):
        seen.setdefault(tuple(a._replace(options=NO_OPTIONS)), []).append(i)
    for axes in seen.values():
        options = result.axes[axes[0]].options
        label = "every axis" if len(axes) == len(result.axes) and len(axes) > 1 else \
            "axis " + ", ".join(str(i) for i in axes)

        def row(o: TransposeOption) -> tuple[str, ...]:
            return (str(o.output), o.select, pad_pair(o.pad_before, o.pad_after), str(o.output_padding),
                    "-" if o.forward is None else str(o.forward))

        if len(options) <= MAX_ROWS:
            option_rows, notes = clip(tuple(row(o) for o in options))
        else:  # only the rows shown are computed
            half = MAX_ROWS // 2
            option_rows = (tuple(row(o) for o in options[:half]) + (("...", "", "", "", ""),)
                           + tuple(row(o) for o in options[-half:]))
            notes = (f"({len(options)} rows; the JSON output lists every one)" if len(options) <= RUNS_LISTED else
                     f"({len(options)} rows; the JSON output lists those at the ends and around the output in "
                     f"effect, and every size in valid_outputs)",)
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


def _longest_word(text: str) -> int:
    return max((len(word) for word in text.split()), default=0)


def _fit(header: Sequence[str], rows: Sequence[Sequence[str]], room: int) -> list[int] | None:
    """Column widths (content, without padding) that fit ``room`` characters with no word cut
    (a cell or header wraps only at spaces, so a number is never split), or None."""
    lines = [tuple(line) for line in (header, *rows)]
    least = [max(_longest_word(line[c]) for line in lines) for c in range(len(header))]
    most = [max(len(line[c]) for line in lines) for c in range(len(header))]
    room -= TABLE_OVERHEAD * len(header) + 1
    if sum(least) > room:
        return None
    if sum(most) <= room:
        return most
    # the widest columns give way first: every column is capped at one width T (never below its
    # longest word), T as large as fits; the cells of the capped columns wrap at spaces
    low, high = 0, max(most)
    while low < high:
        cap = (low + high + 1) // 2
        if sum(max(lo, min(hi, cap)) for lo, hi in zip(least, most)) <= room:
            low = cap
        else:
            high = cap - 1
    widths = [max(lo, min(hi, low)) for lo, hi in zip(least, most)]
    for c in range(len(widths)):  # what the cap leaves over
        if sum(widths) < room and widths[c] < most[c]:
            widths[c] += 1
    return widths


TABLE_OVERHEAD = 3  # box.SIMPLE_HEAD: a space either side of each column, one between columns, plus 1


def fold(block: Table, room: int) -> list[tuple[str, tuple[int, ...], list[int]]]:
    """How ``block`` fits ``room`` columns: as one table, or folded into parts that each repeat
    the first (key) column, every other column shown once: ``(title, columns, widths)`` each.
    An empty list: even the key column and one other do not fit (the rows are then stacked)."""
    every = tuple(range(len(block.header)))
    widths = _fit(block.header, block.rows, room)
    if widths is not None:
        return [(block.title, every, widths)]

    def fits(columns: tuple[int, ...]) -> list[int] | None:
        return _fit([block.header[c] for c in columns], [[row[c] for c in columns] for row in block.rows], room)

    lines = (block.header, *block.rows)
    natural = [max(len(line[c]) for line in lines) + TABLE_OVERHEAD for c in every]  # unwrapped
    least = [max(_longest_word(line[c]) for line in lines) + TABLE_OVERHEAD for c in every]  # wrapped

    def pack(width: list[int]) -> list[tuple[int, ...]]:  # left to right, as many columns as fit
        parts: list[tuple[int, ...]] = []
        current: tuple[int, ...] = (0,)
        for c in every[1:]:
            if len(current) > 1 and sum(width[k] for k in (*current, c)) + 1 > room:
                parts.append(current)
                current = (0,)
            current = (*current, c)
        return [*parts, current]

    # unwrapped parts, unless wrapping cells at spaces saves a part
    parts = min(pack(natural), pack(least), key=len)
    out = []
    for i, columns in enumerate(parts):
        part_widths = fits(columns)
        if part_widths is None:
            return []
        out.append((f"{block.title} (part {i + 1} of {len(parts)})", columns, part_widths))
    return out


def rich_print(blocks: list[Block], console: Console) -> None:
    """The same report as rich tables, fitted to the console's width: a table that is too wide
    wraps its cells at spaces, or folds into parts (each repeating the first column), or, when
    even that does not fit, lists each row as ``header: value`` lines. No value is ever cut."""
    from rich import box
    from rich.table import Table as RichTable
    from rich.text import Text

    for block in blocks:
        if isinstance(block, str):
            style = "bold yellow" if block.startswith("warning:") else None
            console.print(Text(block, style=style or ""))
            continue
        parts = fold(block, console.width)
        if not parts:
            console.print(Text(block.title, style="italic"))
            for row in block.rows:
                console.print(Text(f"{block.header[0]}: {row[0]}", style="bold"))
                for name, cell in zip(block.header[1:], row[1:]):
                    if cell:
                        console.print(Text(f"  {name}: {cell}"))
        for title, columns, widths in parts:
            table = RichTable(title=Text(title, style="italic"), title_justify="left", header_style="bold",
                              box=box.SIMPLE_HEAD)
            for c, width in zip(columns, widths):
                table.add_column(block.header[c], width=width, overflow="fold")
            for row in block.rows:
                table.add_row(*(Text(row[c]) for c in columns))  # Text: no markup parsing, no highlighting
            console.print(table)
        for note in block.notes:
            console.print(Text(note, style="dim"))
