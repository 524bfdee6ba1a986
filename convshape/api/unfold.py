"""Unfold (im2col) and fold (col2im): torch ``nn.Unfold`` / ``nn.Fold``; tf ``tf.image.extract_patches``
(unfold only, NHWC: (N, rows, cols, kh*kw*C)).

    >>> from convshape.api.unfold import unfold, fold
    >>> r = unfold("2x3x5x6", (2, 3))
    >>> r.output, r.columns, r.length, r.blocks
    ((2, 18, 16), 18, 16, (4, 4))
    >>> fold("2x12x20", (5, 6), 2).output
    (2, 3, 5, 6)

Unfold turns an (N, C, H, W) tensor into (N, C·∏k, L): one column of C·∏k values per sliding
block, L = ∏ blocks per axis, each axis's blocks the convolution output formula
``floor((i + 2p - d(k-1) - 1) / s) + 1``. Fold is its adjoint: (N, C·∏k, L) back to
(N, C, *output_size), where C·∏k must divide by ∏k and L must equal the blocks of output_size.
"""

from __future__ import annotations

from typing import Any, NamedTuple, Union
from collections.abc import Sequence

from convshape.params import IntArg, per_axis, tensor_shape

ShapeArg = Union[str, Sequence[int]]  # noqa: UP007  (a runtime alias: Python 3.9 has no X | Y)
SPATIAL = 2  # torch's Unfold and Fold take two spatial axes


class UnfoldResult(NamedTuple):
    """An unfold or fold: the tensors, the window, the blocks per axis, the columns and L."""

    op: str
    framework: str
    input: tuple[int, ...]
    output: tuple[int, ...]
    kernel: tuple[int, ...]
    stride: tuple[int, ...]
    padding: tuple[int, ...]
    dilation: tuple[int, ...]
    blocks: tuple[int, ...]
    output_size: tuple[int, ...] | None = None
    #: channels and columns last (tf.image.extract_patches: NHWC in, (N, rows, cols, kh*kw*C) out)
    channels_last: bool = False
    #: a padding keyword ('valid' / 'same', tf.image.extract_patches), and the (before, after) pads it means
    padding_keyword: str | None = None
    pads: tuple[tuple[int, int], ...] | None = None

    @property
    def pad_before(self) -> tuple[int, ...]:
        return self.padding if self.pads is None else tuple(b for b, _ in self.pads)

    @property
    def pad_after(self) -> tuple[int, ...]:
        return self.padding if self.pads is None else tuple(a for _, a in self.pads)

    @property
    def columns(self) -> int:
        """C·∏k: the values in one column (one sliding block)."""
        if self.channels_last:
            return self.output[-1] if self.op == "unfold" else self.input[-1]
        return self.output[-2] if self.op == "unfold" else self.input[-2]

    @property
    def length(self) -> int:
        """L: the number of sliding blocks, ∏ blocks per axis."""
        out = 1
        for b in self.blocks:
            out *= b
        return out

    def to_dict(self) -> dict[str, Any]:
        return {"op": self.op, "framework": self.framework, "input": list(self.input), "output": list(self.output),
                "kernel": list(self.kernel), "stride": list(self.stride),
                "padding": self.padding_keyword or list(self.padding), "pad_before": list(self.pad_before),
                "pad_after": list(self.pad_after),
                "dilation": list(self.dilation), "blocks": list(self.blocks), "columns": self.columns,
                "length": self.length,
                "output_size": None if self.output_size is None else list(self.output_size)}


def _window(kernel: IntArg, stride: IntArg, padding: IntArg, dilation: IntArg) -> tuple[tuple[int, ...], ...]:
    return (per_axis(kernel, "kernel", SPATIAL), per_axis(stride, "stride", SPATIAL, default=1),
            per_axis(padding, "padding", SPATIAL, default=0), per_axis(dilation, "dilation", SPATIAL, default=1))


KEYWORDS = ("valid", "same")  # tf.image.extract_patches' padding argument


def unfold(input: ShapeArg, kernel: IntArg, stride: IntArg = 1, padding: IntArg | str = 0, dilation: IntArg = 1, *,
           framework: str = "torch") -> UnfoldResult:
    """``F.unfold`` of an (N, C, H, W) or (C, H, W) tensor: (N, C·∏k, L); ``padding`` numbers, or
    'valid' / 'same' where the framework takes a keyword (tf.image.extract_patches). Raises
    :class:`ShapeError` where the framework would reject it (its words)."""
    from convshape.frameworks import get

    shape = tensor_shape(input, "input", smallest=0)
    keyword = padding.strip().lower() if isinstance(padding, str) and padding.strip().lower() in KEYWORDS else None
    ks, ss, ps, ds = _window(kernel, stride, 0 if keyword else padding, dilation)
    fw = get(framework)
    if keyword:
        output, blocks, pads = fw.unfold.unfold_keyword(shape, ks, ss, ds, keyword)
        return UnfoldResult("unfold", fw.name, shape, output, ks, ss, tuple(b for b, _ in pads), ds, blocks, None,
                            fw.unfold.columns_last, keyword, pads)
    output, blocks = fw.unfold.unfold(shape, ks, ss, ps, ds)
    return UnfoldResult("unfold", fw.name, shape, output, ks, ss, ps, ds, blocks, None, fw.unfold.columns_last)


def fold(input: ShapeArg, output_size: IntArg, kernel: IntArg, stride: IntArg = 1, padding: IntArg = 0,
         dilation: IntArg = 1, *, framework: str = "torch") -> UnfoldResult:
    """``F.fold`` of an (N, C·∏k, L) or (C·∏k, L) tensor to (N, C, *output_size)."""
    from convshape.frameworks import get

    shape = tensor_shape(input, "input", smallest=0)
    sizes = per_axis(output_size, "output_size", SPATIAL)
    ks, ss, ps, ds = _window(kernel, stride, padding, dilation)
    fw = get(framework)
    output, blocks = fw.unfold.fold(shape, sizes, ks, ss, ps, ds)
    return UnfoldResult("fold", fw.name, shape, output, ks, ss, ps, ds, blocks, sizes)


__all__ = ["UnfoldResult", "fold", "unfold"]
