"""Reports for adaptive pooling, fractional max pooling and max unpooling (lists of
:mod:`convshape.render.conv` blocks)."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import TYPE_CHECKING, TypeVar

from convshape.frameworks import framework_rules, get
from convshape.render.conv import Block, Table, clip_lazy, pad_pair, runs, sizes

if TYPE_CHECKING:  # pragma: no cover
    from convshape.api.unpool import AdaptiveAxis, AdaptivePoolResult, FractionalResult, UnpoolAxis, UnpoolResult

A = TypeVar("A")  # an axis of a result


def _head(result: AdaptivePoolResult | FractionalResult | UnpoolResult, extra: str = "") -> list[Block]:
    title = framework_rules(result.framework).title
    return [f"{result.op} · {title}{extra}", f"input {sizes(result.input)} -> output {sizes(result.output)}"]


def _tail(result: AdaptivePoolResult | FractionalResult | UnpoolResult) -> list[Block]:
    return [*(f"warning: {w}" for w in result.warnings), *(f"note: {n}" for n in result.notes)]


def _groups(axes: Sequence[A], key: Callable[[A], Hashable]) -> list[tuple[str, A]]:
    """Axes with the same table share it: ``[(label, first axis), ...]``."""
    seen: dict[Hashable, list[int]] = {}
    for i, a in enumerate(axes):
        seen.setdefault(key(a), []).append(i)
    out = []
    for members in seen.values():
        label = "every axis" if len(members) == len(axes) and len(axes) > 1 else \
            "axis " + ", ".join(str(i) for i in members)
        out.append((label, axes[members[0]]))
    return out


LISTED_LARGER = 32  # the summary names the larger windows' outputs up to this many


def _window_summary(a: AdaptiveAxis) -> str:
    sizes_seen = a.window_sizes
    parts = ["window size " + " and ".join(str(s) for s in sizes_seen) if sizes_seen else "no windows"]
    if len(sizes_seen) > 1:
        count, larger = a.larger(LISTED_LARGER)
        parts.append(f"size {sizes_seen[-1]} at output {runs(larger)}" if larger is not None else
                     f"size {sizes_seen[-1]} at {count} outputs")
    overlapping = a.overlapping
    if overlapping:
        parts.append(f"{overlapping} window{'s' if overlapping > 1 else ''} overlap the one before")
    if a.output > a.input:
        parts.append("output larger than input: cells repeat")
    return "; ".join(parts)


def adaptive_report(result: AdaptivePoolResult) -> list[Block]:
    blocks = _head(result, f" · adaptive {'average' if result.kind == 'avg' else 'max'} pooling")
    rows = tuple((str(i), str(a.input), str(a.output), ", ".join(str(s) for s in a.window_sizes) or "-",
                  str(a.overlapping),
                  "-" if a.equivalent is None else f"kernel {a.equivalent[0]}, stride {a.equivalent[1]}")
                 for i, a in enumerate(result.axes))
    blocks.append(Table("Per axis", ("axis", "input", "output", "window sizes", "overlapping windows",
                                     "same as plain pooling"), rows))
    for label, a in _groups(result.axes, lambda a: (a.input, a.output, a.windows)):
        sizes_seen = a.window_sizes
        gaps = a.gaps

        def row(o: int) -> tuple[str, ...]:  # only the rows shown are computed
            start, end = a.windows[o]
            marks = []
            overlap = a.overlap(o)
            if overlap:
                marks.append(f"overlaps {o - 1} by {overlap}")
            if len(sizes_seen) > 1 and end - start == sizes_seen[-1]:
                marks.append("larger")
            if start - 1 in gaps:
                marks.append(f"cell {start - 1} skipped")
            return str(o), str(start), str(end), str(end - start), ", ".join(marks)

        window_rows, notes = clip_lazy(len(a.windows), row)
        blocks.append(Table(f"Windows [start, end) ({label})", ("output", "start", "end", "size", "note"),
                            window_rows, (_window_summary(a), *notes)))
    return blocks + _tail(result)


def fractional_report(result: FractionalResult) -> list[Block]:
    blocks = _head(result, " · fractional max pooling")
    rows = tuple((str(i), str(a.input), str(a.kernel), "-" if a.output_ratio is None else repr(a.output_ratio),
                  str(a.output), str(a.largest_output), str(a.largest_kernel),
                  "-" if a.mean_step is None else f"{a.mean_step:.4g}")
                 for i, a in enumerate(result.axes))
    blocks.append(Table("Per axis", ("axis", "input", "kernel", "output_ratio", "output",
                                     "largest output for this kernel", "largest kernel for this output",
                                     "mean step"), rows))
    return blocks + _tail(result)


def _valid(a: UnpoolAxis) -> str:
    listed = runs(a.valid_outputs) or "none"
    return f">= {a.valid_outputs[0]}" if a.open_ended and a.valid_outputs else listed


def unpool_report(result: UnpoolResult) -> list[Block]:
    blocks = _head(result, f" · padding {result.padding}")
    rows = tuple((str(i), str(a.input), str(a.kernel), str(a.stride), pad_pair(a.pad_before, a.pad_after),
                  str(a.default), str(a.output), _valid(a), runs(a.pool_inputs) or "none")
                 for i, a in enumerate(result.axes))
    blocks.append(Table("Per axis", ("axis", "input", "kernel", "stride", "pad before:after", "default", "output",
                                     "valid outputs", "max pool inputs giving the input"), rows))
    pooled_by = get(result.framework).unpool.pooled_by
    for label, a in _groups(result.axes, lambda a: (a.valid_outputs, a.pool_inputs, a.default)):
        valid, gives_input = a.valid_outputs, frozenset(a.pool_inputs)  # a set: one lookup per shown row

        def option_row(i: int, valid: Sequence[int] = valid, gives_input: frozenset[int] = gives_input,
                       default: int = a.default) -> tuple[str, ...]:
            o = valid[i]
            return (str(o), "yes" if o in gives_input else "no", "default" if o == default else "")

        option_rows, notes = clip_lazy(len(valid), option_row)
        if a.open_ended:
            notes = (*notes, "and every larger size (with the other axes at their defaults)")
        blocks.append(Table(f"Valid output sizes ({label})",
                            ("output", pooled_by, ""), option_rows, notes))
    return blocks + _tail(result)
