"""Reports for unfold / fold, as :mod:`convshape.render.conv` blocks."""

from __future__ import annotations

from typing import TYPE_CHECKING

from convshape.render.conv import Block, Table, sizes

if TYPE_CHECKING:
    from convshape.api.unfold import UnfoldResult


def unfold_report(result: UnfoldResult) -> list[Block]:
    from convshape.frameworks import get

    fw = get(result.framework)
    layer = "nn.Fold" if result.op == "fold" else "tf.image.extract_patches" if result.channels_last else "nn.Unfold"
    blocks: list[Block] = [f"{result.op} · {fw.title} · {layer}",
                           f"input {sizes(result.input)} -> output {sizes(result.output)}"]
    kernel = result.kernel[0] * result.kernel[1]
    if result.op == "unfold":
        channels = result.input[-1] if result.channels_last else result.input[-3]
        blocks.append(f"columns C·∏k = {channels}·{kernel} = {result.columns:,}; blocks L = "
                      f"{' x '.join(map(str, result.blocks))} = {result.length:,}")
    else:
        blocks.append(f"channels C = C·∏k / ∏k = {result.columns:,} / {kernel} = {result.columns // kernel:,}; "
                      f"blocks of output_size {sizes(result.output_size)}: {' x '.join(map(str, result.blocks))} = "
                      f"{result.length:,} = L")
    if result.op == "unfold":
        spatial = result.input[1:3] if result.channels_last else result.input[-2:]
    else:
        spatial = result.output_size or ()
    rows = tuple((str(i), str(n), str(k), str(s), str(pb) if pb == pa else f"{pb}:{pa}", str(d), str(b))
                 for i, (n, k, s, pb, pa, d, b) in enumerate(zip(spatial, result.kernel, result.stride,
                                                                 result.pad_before, result.pad_after,
                                                                 result.dilation, result.blocks)))
    rule = ("padding 'SAME': ceil(i / s), padded max((blocks-1)*s + d(k-1) + 1 - i, 0), the odd cell at the end"
            if result.padding_keyword == "same" else "floor((i + 2p - d(k-1) - 1) / s) + 1")
    blocks.append(Table(f"Sliding blocks per axis ({rule})",
                        ("axis", "size", "kernel", "stride", "padding", "dilation", "blocks"), rows))
    return blocks
