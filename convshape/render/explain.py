"""Draw an :class:`~convshape.api.explain.ExplainResult` in plain characters.

Every drawing is plain text (readable when piped, testable as golden strings); rich only
adds colour when it prints to a terminal or records an SVG (``rich_print``). A drawing is a
:class:`Picture`: a ``str`` (so :func:`convshape.render.conv.plain` and ``render.rich_print`` print
it as it is) that also knows the role of each of its lines, for the colours.

One axis is drawn as a row of cells with one line per window under it::

                  0  1  2  3  4
    input      [p][x][x][x][x][x][p]
    out 0      [0==1==2]
    out 1            [0==1==2]

``x`` an input cell, ``p`` padding, ``0`` a zero inserted between inputs, ``o`` an output cell,
``-`` a cell cropped away; under the row, the kernel tap at each cell a window reads (or, for a
transposed convolution as it runs, writes).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from convshape.render.conv import Block, sizes
from convshape.rules import transposed_output

if TYPE_CHECKING:  # pragma: no cover
    from rich.console import Console

    from convshape.api.explain import ExplainAxis, ExplainResult, Matrix, View, Window

GLYPH = {"input": "x", "zero": "0", "pad": "p", "output": "o", "cropped": "-", None: " "}
BUDGET = 72  # columns a drawing may take (the label column comes on top)
MAX_LINES = 16  # windows drawn in full up to this many; beyond, the first and last few
GAP = " ... "
TAPS = "0123456789abcdefghijklmnopqrstuvwxyz"
GRID_ROWS = 16
LEGEND = {"input": "x input cell", "pad": "p padding", "zero": "0 zero inserted between inputs",
          "output": "o output cell", "cropped": "- cropped away", None: "[ ] past the padded input"}


class Picture(str):
    """A drawing: its text, and the role of each line (``ruler``, ``cells``, ``window``,
    ``dropped``, ``matrix``, ``grid``, ``text``) for the colours rich adds."""

    roles: tuple[str, ...]

    def __new__(cls, lines: Sequence[tuple[str, str]]) -> Picture:
        obj = super().__new__(cls, "\n".join(text.rstrip() for _, text in lines))
        obj.roles = tuple(role for role, _ in lines)
        return obj


# ---------------------------------------------------------------------------- one axis
def _span(w: Window, view: View, labelled: bool) -> dict[int, str]:
    """Position -> what to draw at each tap of window ``w``: the kernel tap, or ``*``."""
    labelled = labelled and view.kernel <= 10
    return {w.start + t * view.step: (str(view.tap_label(t)) if labelled else "*") for t in range(view.kernel)}


def _selection(view: View, n: int | None) -> list[Window]:
    kept = [w for w in view.windows if not w.dropped]
    dropped = [w for w in view.windows if w.dropped]
    if n is None or len(kept) <= 2 * n:
        return kept + dropped
    return kept[:n] + kept[-n:] + dropped


def _extent(windows: Sequence[Window], view: View) -> tuple[int, int]:
    """The positions a drawing of the row and these windows covers."""
    lo = view.row[0].start if view.row else 0
    hi = view.row[-1].stop if view.row else 0
    for w in windows:
        lo, hi = min(lo, w.start), max(hi, w.end)
    return lo, hi


def _ranges(view: View, chosen: list[Window], n: int | None, width: int) -> list[tuple[int, int]]:
    lo, hi = _extent(view.windows, view)
    if (hi - lo) * width <= BUDGET or n is None:
        return [(lo, hi)]
    kept = [w for w in chosen if not w.dropped]
    head, tail = kept[:n], kept[n:] + [w for w in chosen if w.dropped]
    if not tail:
        return [(lo, hi)]
    left = (lo, max(w.end for w in head))
    right = (min(w.start for w in tail), hi)
    if right[0] <= left[1] + 1:
        return [(lo, hi)]
    return [left, right]


def _layout(view: View) -> tuple[int, list[Window], list[tuple[int, int]]] | None:
    """The cell width, the windows to draw and the ranges of positions, or None if nothing fits."""
    complete = len([w for w in view.windows if not w.dropped]) == view.count
    for width in (3, 1):
        for n in ([None] if complete and view.count <= MAX_LINES else []) + [3, 2, 1]:
            chosen = _selection(view, n)
            ranges = _ranges(view, chosen, n, width)
            total = sum(b - a for a, b in ranges) * width + len(GAP) * (len(ranges) - 1)
            if total <= BUDGET:
                return width, chosen, ranges
    return None


def _ruler(view: View, columns: list[int | None], width: int) -> str:
    """Input (or output) indices over their cells; a label that would touch the previous one is left out."""
    chars = [" "] * (len(columns) * width)
    last_end = -2
    for c, pos in enumerate(columns):
        if pos is None:
            continue
        kind = view.kind_at(pos)
        if kind not in ("input", "output"):
            continue
        step = next(s.step for s in view.row if s.start <= pos < s.stop)
        label = str(pos // step)
        start = c * width + (1 if width == 3 else 0)
        if start <= last_end + 1:
            continue
        for i, ch in enumerate(label):
            if start + i < len(chars):
                chars[start + i] = ch
        last_end = start + len(label) - 1
    return "".join(chars)


def _cells_line(view: View, columns: list[int | None], width: int) -> str:
    out = []
    for i, pos in enumerate(columns):
        if pos is None:
            if i == 0 or columns[i - 1] is not None:  # the gap between the two ranges drawn
                out.append("...".center(columns.count(None) * width))
            continue
        glyph = GLYPH[view.kind_at(pos)]
        out.append(f"[{glyph}]" if width == 3 else glyph)
    return "".join(out)


def _window_line(w: Window, view: View, columns: list[int | None], width: int, labelled: bool) -> str:
    taps = _span(w, view, labelled)
    out = []
    for pos in columns:
        if pos is None or not w.start <= pos < w.end:
            out.append(" " * width)
        elif pos in taps:
            out.append(f"={taps[pos]}=" if width == 3 else taps[pos])
        else:  # between the taps of a dilated kernel
            out.append("---" if width == 3 else "-")
    line = "".join(out).rstrip()
    if width == 3:  # the window's bracket: its first and last tap
        first = len(line) - len(line.lstrip())
        line = line[:first] + "[" + line[first + 1:-1] + "]"
    return line


def _gap_columns(ranges: list[tuple[int, int]], width: int) -> list[int | None]:
    """The positions drawn, ``None`` for the gap between ranges (its width is GAP's)."""
    columns: list[int | None] = []
    for i, (a, b) in enumerate(ranges):
        if i:
            columns.extend([None] * -(-len(GAP) // width))
        columns.extend(range(a, b))
    return columns


def draw_view(view: View, data_label: str, line_label: str, labelled: bool = True) -> list[tuple[str, str]] | None:
    """One axis's row and windows as (role, line) pairs, or None when not even the first and
    last window fit in the drawing's width. ``labelled``: draw kernel taps (else ``*``)."""
    laid = _layout(view)
    if laid is None:
        return None
    width, chosen, ranges = laid
    columns = _gap_columns(ranges, width)
    labels = [f"{line_label} {w.index}" for w in chosen]
    pad = max([len(data_label), *map(len, labels)]) + 2
    lines = [("ruler", " " * pad + _ruler(view, columns, width)),
             ("cells", data_label.ljust(pad) + _cells_line(view, columns, width))]
    kept = [w for w in chosen if not w.dropped]
    for i, (w, label) in enumerate(zip(chosen, labels)):
        if i and not w.dropped and w.index != chosen[i - 1].index + 1:
            lines.append(("text", f"{'...'.ljust(pad)}({view.count - len(kept)} more, not drawn)"))
        suffix = "   dropped by ceil_mode" if w.dropped else ""
        lines.append(("dropped" if w.dropped else "window",
                      label.ljust(pad) + _window_line(w, view, columns, width, labelled) + suffix))
    if len(ranges) > 1:
        lines.append(("text", f"(positions {ranges[0][1]} to {ranges[1][0] - 1} not drawn)"))
    return lines


def _axis_title(a: ExplainAxis, label: str, family: str) -> str:
    parts = [f"{label}: input {a.input}", f"kernel {a.kernel}", f"stride {a.stride}", f"dilation {a.dilation}",
             f"padding {a.pad_before}:{a.pad_after}"]
    if family == "conv-transpose":
        parts.append(f"output_padding {a.output_padding}")
    return " · ".join(parts) + f" -> output {a.output}"


def _minus(pad: int) -> str:
    return f" - {pad}" if pad >= 0 else f" + {-pad}"


def _view_title(view: View, a: ExplainAxis) -> str:
    if view.name == "direct":
        d = a.direct
        assert d is not None  # a transposed axis always has its direct form
        crop = " (negative: cropped)" if min(d.pad_before, d.pad_after) < 0 else ""
        return (f"as a direct convolution: {d.zeros_between} zero(s) between inputs, padding {d.pad_before}:"
                f"{d.pad_after}{crop}, stride 1, kernel rotated 180° (taps read right to left)")
    if view.name == "scatter":
        full = transposed_output(a.input, a.kernel, a.stride, a.dilation, 0, 0, 0)  # before the crop
        return (f"as it runs: input j adds x[j] * w[t] to output j*{a.stride}{_minus(a.pad_before)} + t*{a.dilation}; "
                f"of the {full} cells written, padding {a.pad_before}:{a.pad_after} crops, output_padding "
                f"{a.output_padding} adds")
    return f"output j reads the cells j*{a.stride}{_minus(a.pad_before)} + t*{a.dilation}, t < {a.kernel}"


def _summary(view: View) -> list[tuple[str, str]]:
    shown = [w for w in view.windows if not w.dropped]
    lines = [("text", f"too wide to draw: {view.count} windows of {view.kernel} taps "
                      f"({shown[0].end - shown[0].start if shown else 0} cells each)")]
    for w in shown[:2] + shown[-1:] if len(shown) > 3 else shown:
        lines.append(("text", f"  window {w.index}: [{w.start}, {w.end}), {w.hits} on data, {w.pad_taps} on "
                              f"padding, {w.zero_taps} on inserted zeros"))
    return lines


def axis_pictures(ex: ExplainResult) -> list[Block]:
    """Every axis (axes alike drawn once), each of its views."""
    blocks: list[Block] = []
    seen: dict[tuple[int, ...], list[int]] = {}
    for a in ex.axes:
        seen.setdefault(tuple(a[1:9]), []).append(a.axis)
    for group in seen.values():
        a = ex.axes[group[0]]
        label = ("every axis" if len(group) == len(ex.axes) and len(group) > 1 else
                 "axis " + ", ".join(str(i) for i in group))
        blocks.append(_axis_title(a, label, ex.family))
        for view in a.views:
            data_label, line_label = {"windows": ("input", "out"), "direct": ("input", "out"),
                                      "scatter": ("output", "in")}[view.name]
            drawn = draw_view(view, data_label, line_label, labelled=ex.family != "pool")
            blocks.append(Picture([("text", _view_title(view, a))] + (drawn if drawn is not None else _summary(view))))
    return blocks


# ---------------------------------------------------------------------------- 2-D grid
def _grid_kind(kinds: tuple[str | None, str | None]) -> str:
    if None in kinds:
        return " "
    for kind, glyph in (("cropped", "-"), ("pad", "p"), ("zero", "0")):
        if kind in kinds:
            return glyph
    return "o" if "output" in kinds else "x"


def grid_picture(ex: ExplainResult) -> Picture | None:
    """The last two axes as a grid of cells, the windows of the first and last output marked,
    when it fits (None otherwise, and for 1-D layers)."""
    if len(ex.axes) < 2:
        return None
    ya, xa = ex.axes[-2], ex.axes[-1]
    vy, vx = ya.views[0], xa.views[0]
    (y0, y1), (x0, x1) = _extent(vy.windows, vy), _extent(vx.windows, vx)
    if y1 - y0 > GRID_ROWS or (x1 - x0) * 3 > BUDGET:
        return None
    wy = [w for w in vy.windows if not w.dropped]
    wx = [w for w in vx.windows if not w.dropped]
    if not wy or not wx:
        return None
    first = {(p, q) for p in _span(wy[0], vy, False) for q in _span(wx[0], vx, False)}
    last = {(p, q) for p in _span(wy[-1], vy, False) for q in _span(wx[-1], vx, False)}
    if first & last:
        last = set()
    lines = []
    for p in range(y0, y1):
        row = []
        for q in range(x0, x1):
            glyph = _grid_kind((vy.kind_at(p), vx.kind_at(q)))
            left, right = ("[", "]") if (p, q) in first else ("<", ">") if (p, q) in last else (" ", " ")
            row.append(left + glyph + right)
        lines.append(("grid", "".join(row)))
    axes = f"axes {ya.axis}, {xa.axis}"
    what = {"windows": "the input", "direct": "the zero-inserted, padded input"}[vy.name]
    marks = "[ ] the window of output (0, 0)" + (f", < > of output ({wy[-1].index}, {wx[-1].index})" if last else "")
    return Picture([("text", f"{axes} as a grid: {what}; {marks}"), *lines])


# ---------------------------------------------------------------------------- matrix
def _tap_name(tap: int, kernel: tuple[int, ...]) -> str:
    index = []
    for size in reversed(kernel):
        index.append(tap % size)
        tap //= size
    return "w" + "".join(f"[{i}]" for i in reversed(index))


def matrix_picture(ex: ExplainResult) -> Picture:
    m: Matrix = ex.matrix
    what = {"conv": "y = C x", "conv-transpose": "y = T x", "pool": "the cells each window reads"}[ex.family]
    percent = f"{100 * m.density:.1f}%" if m.rows and m.cols else "-"
    lines = [("text", f"as a matrix: {what}, {m.name} is {m.rows} x {m.cols} (output cells by input cells, "
                      f"row-major), {m.nnz} non-zero ({percent})")]
    if m.entries is None:
        return Picture(lines + [("text", "(too large to draw: drawn up to 32 x 48)")])
    taps = 1
    for k in m.kernel:
        taps *= k
    pool = ex.family == "pool"
    for row in m.entries:
        lines.append(("matrix", "  " + " ".join(
            "." if e is None else "1" if pool else TAPS[e] if taps <= len(TAPS) else "*" for e in row)))
    if pool:
        lines.append(("text", "1 = the window reads this input cell; . = 0"))
    elif taps <= len(TAPS):
        example = min(taps - 1, taps // 2)
        lines.append(("text", f"entry = the kernel tap, numbered row-major over {sizes(m.kernel)} "
                              f"(tap {TAPS[example]} = {_tap_name(example, m.kernel)}); . = 0"))
    else:
        lines.append(("text", "* = a kernel tap; . = 0"))
    return Picture(lines)


# ---------------------------------------------------------------------------- reports
def picture_blocks(ex: ExplainResult) -> list[Block]:
    """The picture: each axis, the grid, the matrix, the identities (no header)."""
    blocks: list[Block] = ["", "Picture"]
    for block in axis_pictures(ex):
        blocks.extend(["", block] if isinstance(block, Picture) else [block])
    grid = grid_picture(ex)
    if grid is not None:
        blocks.extend(["", grid])
    blocks.extend(["", matrix_picture(ex), ""])
    for identity in ex.identities:
        blocks.append(f"{identity.name}: {identity.statement}")
    sources = dict.fromkeys(i.source for i in ex.identities if i.source)
    blocks.extend(f"source: {source}" for source in sources)
    blocks.append(legend(ex))
    return blocks


def legend(ex: ExplainResult) -> str:
    """What the glyphs mean (those a row of this layer has)."""
    kinds: set[str | None] = set()
    for a in ex.axes:
        for view in a.views:
            for seg in view.row:
                kinds.add(seg.kind)
                if seg.kind == "input" and seg.step > 1 and seg.stop - seg.start > 1:
                    kinds.add("zero")
            lo, hi = (view.row[0].start, view.row[-1].stop) if view.row else (0, 0)
            if any(w.start < lo or w.end > hi for w in view.windows):
                kinds.add(None)
    parts = [text for kind, text in LEGEND.items() if kind in kinds]
    parts.append("*: a cell the window reads" if ex.family == "pool" else "digits: the kernel tap at each cell")
    return "legend: " + " · ".join(parts)


def explain_report(ex: ExplainResult) -> list[Block]:
    """The ``explain`` command's report: a header, then the picture."""
    from convshape.frameworks import framework_rules

    blocks: list[Block] = [f"{ex.op} · {framework_rules(ex.framework).title} · padding {ex.padding}",
                           f"input {sizes(ex.input)} -> output {sizes(ex.output)}"]
    blocks.extend(["", *picture_blocks(ex)[2:]])
    blocks.extend(f"note: {n}" if not n.startswith("output size 0") else f"warning: {n}" for n in ex.notes)
    return blocks


def plain_text(ex: ExplainResult) -> str:
    """The picture as plain text (what a pipe gets)."""
    from convshape.render.conv import plain

    return plain(picture_blocks(ex))


# ---------------------------------------------------------------------------- rich
STYLES = {"ruler": "dim", "window": "yellow", "dropped": "red", "matrix": "green", "grid": "", "text": "italic"}
CELL_STYLES = {"p": "dim", "-": "dim", "0": "cyan", "x": "bold", "o": "bold"}


def _styled(picture: Picture) -> Any:
    from rich.text import Text

    text = Text(no_wrap=True, overflow="ignore")
    for i, (role, line) in enumerate(zip(picture.roles, str(picture).split("\n"))):
        if i:
            text.append("\n")
        if role in ("cells", "grid"):
            label = len(line) - len(line.lstrip(" ")) if role == "grid" else len(line.split()[0])
            text.append(line[:label])
            for ch in line[label:]:
                text.append(ch, style=CELL_STYLES.get(ch, "dim" if ch in "[]<>" else ""))
        elif role == "matrix":
            for ch in line:
                text.append(ch, style="dim" if ch == "." else "green")
        else:
            text.append(line, style=STYLES.get(role, ""))
    return text


def rich_print(blocks: list[Block], console: Console) -> None:
    """The blocks as :func:`convshape.render.conv.rich_print` prints them, pictures in colour."""
    from convshape.render import conv as render

    run: list[Block] = []
    for block in blocks:
        if isinstance(block, Picture):
            render.rich_print(run, console)
            run = []
            console.print(_styled(block), soft_wrap=True)
        else:
            run.append(block)
    render.rich_print(run, console)


def width(blocks: list[Block]) -> int:
    """A console width that fits every line of the pictures (for the SVG)."""
    widest = max((len(line) for b in blocks if isinstance(b, str) for line in b.split("\n")), default=80)
    return max(100, min(widest + 4, 240))


def save_svg(blocks: list[Block], path: str, title: str) -> None:
    """Record the blocks on a rich console of their width and save them as SVG."""
    import io

    from rich.console import Console

    console = Console(record=True, width=width(blocks), file=io.StringIO(), force_terminal=True,
                      color_system="truecolor")
    rich_print(blocks, console)
    console.save_svg(path, title=title)
