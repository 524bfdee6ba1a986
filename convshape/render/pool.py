"""Reports for max / average / LP pooling: per-axis sizes, the padding split, ceil_mode's last
window, every window for small sizes, and all frameworks side by side."""

from __future__ import annotations

from typing import TYPE_CHECKING

from convshape.render.conv import Block, Table, clip, pad_pair, sizes
from convshape.rules.pool import window_start

if TYPE_CHECKING:  # pragma: no cover
    from convshape.api.pooling import PoolAxis, PoolCompareResult, PoolResult, Window


def last_window(axis: PoolAxis) -> str:
    """What ceil_mode did to the last window on this axis."""
    if not axis.ceil_mode or axis.ceil_output is None:
        return "-"
    if axis.last_window_dropped:
        start = window_start(axis.ceil_output - 1, axis.stride, axis.pad_before)
        return f"dropped: it would start at {start}, past the input"
    return "kept" if axis.output == axis.floor_output else "kept (ceil_mode adds it)"


def _cells(w: Window, axis: PoolAxis) -> str:
    """The input cells a window reads, e.g. ``0..2`` or ``1..7 step 2``."""
    if not w.input_taps:
        return "none"
    d = axis.dilation
    first = w.start + max(0, -(w.start // d)) * d if w.start < 0 else w.start
    last = first + (w.input_taps - 1) * d
    if first == last:
        return str(first)
    return f"{first}..{last}" + (f" step {d}" if d > 1 else "")


def _padding(w: Window) -> str:
    parts = [f"{n} {side}" for n, side in ((w.left_pad_taps, "left"), (w.right_pad_taps, "right")) if n]
    return ", ".join(parts) or "-"


def _window_table(label: str, axis: PoolAxis, kind: str) -> Table:
    header: tuple[str, ...] = ("window", "[start, end)", "input cells", "padding cells", "past the padding")
    if kind == "avg":
        header += ("divisor",)
    rows = []
    for i, w in enumerate(axis.windows):
        if i and w.index != axis.windows[i - 1].index + 1:
            rows.append(("...",) + ("",) * (len(header) - 1))
        row = (str(w.index), f"[{w.start}, {w.end})", _cells(w, axis), _padding(w), str(w.outside_taps or "-"))
        rows.append(row + ((str(w.divisor),) if kind == "avg" else ()))
    shown, notes = clip(tuple(rows))
    if len(axis.windows) < axis.output:
        notes = (f"({axis.output} windows; the first and last {len(axis.windows) // 2} shown, window j starts at "
                 f"j*{axis.stride} - {axis.pad_before})",)
    return Table(f"Windows ({label}); coordinates in the input, negative = left padding", header, shown, notes)


def _divisor_line(result: PoolResult) -> str:
    if result.count_include_pad:
        return ("count_include_pad=True: the average divides by the window's cells inside the padded input, "
                "padding included")
    return "count_include_pad=False: the average divides by the window's input cells only, padding excluded"


def pool_report(result: PoolResult) -> list[Block]:
    from convshape.frameworks import pool_rules

    fw = pool_rules(result.framework).at_opset(result.opset)
    blocks: list[Block] = [
        f"{result.op} · {fw.title} · {fw.op(result.kind, len(result.axes))} · padding {result.padding} · "
        f"ceil_mode {'on' if result.ceil_mode else 'off'}",
        f"input {sizes(result.input)} -> output {sizes(result.output)}",
    ]
    if result.kind == "avg":
        blocks.append(_divisor_line(result))
    if result.kind == "lp":
        blocks.append(f"norm_type p={result.norm_type:g} (the shape does not depend on it)")
    rows = tuple(
        (str(i), str(a.input), str(a.kernel), str(a.stride), str(a.dilation), pad_pair(a.pad_before, a.pad_after),
         str(a.output), str(a.floor_output), last_window(a))
        for i, a in enumerate(result.axes))
    blocks.append(Table("Per axis", ("axis", "input", "kernel", "stride", "dilation", "pad before:after", "output",
                                     "without ceil_mode", "last window (ceil_mode)"), rows))
    seen: dict[tuple[int, ...], list[int]] = {}
    for i, a in enumerate(result.axes):
        seen.setdefault(a[:6], []).append(i)
    for axes in seen.values():
        axis = result.axes[axes[0]]
        if axis.windows:
            label = "every axis" if len(axes) == len(result.axes) and len(axes) > 1 else \
                "axis " + ", ".join(str(i) for i in axes)
            blocks.append(_window_table(label, axis, result.kind))
    blocks.extend(f"warning: {w}" for w in result.warnings)
    blocks.extend(f"note: {n}" for n in result.notes)
    return blocks


def compare_report(result: PoolCompareResult) -> list[Block]:
    blocks: list[Block] = [f"{result.op} in every framework · input {sizes(result.input)} "
                           f"(an argument not given takes each framework's default)"]
    avg = result.kind == "avg"
    header: tuple[str, ...] = ("framework", "stride", "pad before:after", "ceil_mode", "output", "last window dropped")
    header += (("count_include_pad",) if avg else ()) + ("rejected with",)
    rows = []
    for row in result.rows:
        r = row.result
        if r is None:
            rows.append((row.framework, "-", "-", "-", "rejected", "-") + (("-",) if avg else ()) + (row.error or "",))
            continue
        dropped = [a.last_window_dropped for a in r.axes]
        rows.append((row.framework, ",".join(str(a.stride) for a in r.axes),
                     ",".join(pad_pair(a.pad_before, a.pad_after) for a in r.axes), "on" if r.ceil_mode else "off",
                     sizes(r.output), ("yes" if any(dropped) else "no") if r.ceil_mode else "-")
                    + ((str(r.count_include_pad),) if avg else ()) + ("",))
    blocks.append(Table("Frameworks side by side", header, tuple(rows)))
    outputs = result.outputs
    if len(outputs) > 1:
        blocks.append("frameworks disagree: " + "; ".join(f"{sizes(o)} ({', '.join(fws)})"
                                                          for o, fws in outputs.items()))
    elif outputs:
        blocks.append(f"every framework that runs it gives {sizes(next(iter(outputs)))}")
    return blocks
