"""The ``explain`` command: the picture of one layer (a thin Click layer over
:func:`convshape.api.explain.explain_layer`)."""

from __future__ import annotations

import click

from convshape.cli.common import FrameworkChoice, SafePath, epilog, run
from convshape.api.explain import explain_layer

EXAMPLES = ("explain conv1d --i 5 --k 3 --s 2 --p 1", "explain deconv1d --i 3 --k 3 --s 2 --p 1",
            "explain conv2d --i 4 --k 3 --json")


def make_explain() -> click.Command:
    """``convshape explain OP``: OP and the options as the op's own command takes them."""

    @click.command("explain", epilog=epilog(*EXAMPLES, notes="The op commands draw the same picture with "
                                                            "--explain after their own report."))
    @click.argument("op", metavar="OP")
    @click.option("--i", "--input", "input", required=True, metavar="N[,N...]",
                  help="Input size per spatial axis (one value applies to every axis).")
    @click.option("--k", "--kernel", "kernel", required=True, metavar="K[,K...]", help="Kernel (window) size.")
    @click.option("--s", "--stride", "stride", default=None, metavar="S[,S...]",
                  help="Stride. Default: 1 for convolutions, the framework's default for pooling.")
    @click.option("--p", "--padding", "padding", default=None, metavar="P",
                  help="Padding: N, before:after, per axis comma-separated, or a keyword the framework has "
                       "(valid, same, same-upper, same-lower, full, causal). Default: the framework's own.")
    @click.option("--d", "--dilation", "dilation", default="1", show_default=True, metavar="D[,D...]",
                  help="Dilation.")
    @click.option("--output-padding", "output_padding", default=None, metavar="N[,N...]",
                  help="Transposed convolution: select a size by output_padding (torch, keras, onnx).")
    @click.option("--o", "--output-size", "output_size", default=None, metavar="N[,N...]",
                  help="Transposed convolution: select this output size (torch output_size, tf/onnx output_shape).")
    @click.option("--ceil-mode/--floor-mode", "ceil_mode", default=None,
                  help="Pooling: round the window count up or down. Default: the framework's.")
    @click.option("--count-include-pad/--exclude-pad", "count_include_pad", default=None,
                  help="Average pooling: whether padded cells count in the divisor. Default: the framework's.")
    @click.option("--norm-type", "norm_type", type=float, default=2.0, show_default=True,
                  help="LP pooling's p (display only).")
    @click.option("-f", "--framework", "framework", default="torch", show_default=True,
                  type=FrameworkChoice(), help="Whose rules to apply.")
    @click.option("--svg", "svg", default=None, metavar="FILE", type=SafePath(dir_okay=False),
                  help="Also save the picture as an SVG file.")
    @click.option("--json", "as_json", is_flag=True, help="Print one JSON object and nothing else.")
    def command(op: str, input: str, kernel: str, stride: str | None, padding: str | None, dilation: str,
                output_padding: str | None, output_size: str | None, ceil_mode: bool | None,
                count_include_pad: bool | None, norm_type: float, framework: str, svg: str | None,
                as_json: bool) -> None:
        run(as_json, lambda: explain_layer(op, input, kernel, stride, padding, dilation, output_padding, output_size,
                                           ceil_mode, framework=framework, count_include_pad=count_include_pad,
                                           norm_type=norm_type), "render.explain.explain_report", svg=svg)

    command.help = ("Draw a layer: OP is conv1d/2d/3d, conv-transpose1d/2d/3d (deconv2d, ...), maxpool, avgpool or "
                    "lppool 1d/2d/3d. Shows one axis's cells (padding, inserted zeros) and the window of each output "
                    "(for a transposed convolution: its direct-convolution form and the cells each input writes), a "
                    "2-D grid where it fits, the layer as a matrix with its sparsity pattern, and the transpose and "
                    "gradient identities with this layer's numbers. Large sizes are summarised.")
    return command
