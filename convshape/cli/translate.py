"""The translate command: a thin Click layer over :func:`convshape.api.translate.translate`."""

from __future__ import annotations

import click

from convshape.cli.common import FrameworkChoice, epilog, run

EXAMPLES = epilog("translate conv2d --from tf --to torch --i 224 --k 7 --s 2 --p same",
                  "translate conv-transpose2d --from torch --to tf --i 5 --k 3 --s 2 --p 1 --output-padding 1",
                  "translate conv2d --from onnx --to keras --i 32 --k 3 --s 2 --p 0:1 --json",
                  "translate maxpool2d --from torch --to onnxruntime --i 6 --k 3 --s 2 --p 1 --ceil-mode",
                  "translate pixel-shuffle --from torch --to tf --i 4,4 --factor 2 --in-channels 8",
                  notes="Exit 1 also when the target cannot express the layer exactly: the closest port is "
                        "printed, marked INEXACT, with the reason.")


def make_translate() -> click.Command:
    @click.command("translate", epilog=EXAMPLES)
    @click.argument("op")
    @click.option("--from", "from_framework", required=True, type=FrameworkChoice(),
                  help="The framework the layer comes from.")
    @click.option("--to", "to_framework", required=True, type=FrameworkChoice(), help="The framework to port it to.")
    @click.option("--i", "--input", "input", required=True, metavar="N[,N...]", help="Input size per spatial axis.")
    @click.option("--k", "--kernel", "kernel", default=None, metavar="K[,K...]",
                  help="Kernel size (convolution, pooling).")
    @click.option("--s", "--stride", "stride", default=None, metavar="S[,S...]",
                  help="Stride (default 1; pooling: the source framework's default).")
    @click.option("--p", "--padding", "padding", default=None, metavar="P",
                  help="Padding as the source framework means it: N, before:after, per axis comma-separated, or a "
                       "keyword (valid, same, same-upper, same-lower, full, causal).")
    @click.option("--d", "--dilation", "dilation", default="1", show_default=True, metavar="D[,D...]",
                  help="Dilation.")
    @click.option("--output-padding", "output_padding", default=None, metavar="N[,N...]",
                  help="Transposed: output_padding (torch, keras, onnx).")
    @click.option("--o", "--output-size", "output_size", default=None, metavar="N[,N...]",
                  help="Transposed: the output size (torch output_size, tf/onnx output_shape).")
    @click.option("--in-channels", "in_channels", default=None, type=int, metavar="C",
                  help="Input channels, for the code (default 3, or the groups; pooling: the channels).")
    @click.option("--c", "--out-channels", "out_channels", default=None, type=int, metavar="C",
                  help="Output channels, for the code (default 8, or the groups).")
    @click.option("--g", "--groups", "groups", default=None, type=int, metavar="G", help="Groups.")
    @click.option("--ceil-mode/--floor-mode", "ceil_mode", default=None,
                  help="Pooling: round the output size up / down (default: the source framework's).")
    @click.option("--count-include-pad/--no-count-include-pad", "count_include_pad", default=None,
                  help="Average pooling: divide by the padding cells too (default: the source framework's).")
    @click.option("--factor", "--r", "factor", default=None, type=int, metavar="R",
                  help="Pixel shuffle / unshuffle: the factor (upscale_factor, block_size).")
    @click.option("--mode", "mode", default=None, metavar="MODE",
                  help="Pixel shuffle from ONNX: DepthToSpace's mode (DCR, the default, or CRD); interpolate: nearest, "
                       "nearest-exact, linear / bilinear / trilinear, bicubic (torch) / cubic (ONNX).")
    @click.option("--scale", "scale", default=None, metavar="F[,F...]",
                  help="Interpolate: the scale factor (torch scale_factor, ONNX scales, keras UpSampling size); "
                       "--o gives the size instead.")
    @click.option("--align-corners/--no-align-corners", "align_corners", default=None,
                  help="Interpolate: align_corners (ONNX: coordinate_transformation_mode align_corners).")
    @click.option("--norm-type", "norm_type", default=None, type=float, metavar="P",
                  help="LP pooling: the power p (default 2).")
    @click.option("--json", "as_json", is_flag=True, help="Print one JSON object and nothing else.")
    @click.pass_context
    def command(ctx: click.Context, op: str, from_framework: str, to_framework: str, input: str, kernel: str,
                stride: str, padding: str | None, dilation: str, output_padding: str | None,
                output_size: str | None, in_channels: int | None, out_channels: int | None,
                groups: int | None, ceil_mode: bool | None, count_include_pad: bool | None,
                factor: int | None, mode: str | None, scale: str | None, align_corners: bool | None,
                norm_type: float | None, as_json: bool) -> None:
        """The exact equivalent of a convolution, transposed convolution, max / average / LP pooling, pixel
        (un)shuffle or interpolation in another framework: the source layer as its framework runs it, the target's
        steps (pad, layer, crop) in its own names, the weight and data permutations, the input sizes the port holds
        for, and the code."""
        from convshape.api.translate import translate

        exact = []

        def call() -> object:
            result = translate(op, from_framework=from_framework, to_framework=to_framework, input=input,
                               kernel=kernel, stride=stride, padding=padding, dilation=dilation,
                               output_padding=output_padding, output_size=output_size, in_channels=in_channels,
                               out_channels=out_channels, groups=groups, ceil_mode=ceil_mode,
                               count_include_pad=count_include_pad, factor=factor, mode=mode,
                               norm_type=norm_type, scale=scale, align_corners=align_corners)
            exact.append(result.exact)
            return result

        run(as_json, call, "render.translate.translate_report")
        if exact and not exact[0]:
            ctx.exit(1)

    return command
