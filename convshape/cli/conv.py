"""The conv / conv-transpose / frameworks commands: a thin Click layer over :mod:`convshape.api.conv`."""

from __future__ import annotations

import click

from convshape.api import conv as api
from convshape.cli.common import EPILOG, common_options, explain_options, run


def make_conv(ndim: int) -> click.Command:
    @click.command(f"conv{ndim}d", epilog=EPILOG)
    @common_options
    @explain_options
    def command(input: str, kernel: str, stride: str, padding: str | None, dilation: str, framework: str,
                as_json: bool, explain: bool, svg: str | None) -> None:
        run(as_json, lambda: api.conv(input, kernel, stride, padding, dilation, framework=framework, ndim=ndim),
            "render.conv.conv_report", explain, svg)

    command.help = (f"Output size of a {ndim}-D convolution, the usual padding choices, and the input sizes "
                    f"that give the same output.")
    return command


def make_conv_transpose(ndim: int) -> click.Command:
    @click.command(f"conv-transpose{ndim}d", epilog=EPILOG)
    @common_options
    @click.option("--output-padding", "output_padding", default=None, metavar="N[,N...]",
                  help="Select a size by output_padding (torch, keras, onnx).")
    @click.option("--o", "--output-size", "output_size", default=None, metavar="N[,N...]",
                  help="Select this output size (torch output_size, tf/onnx output_shape), or ask how to reach it.")
    @explain_options
    def command(input: str, kernel: str, stride: str, padding: str | None, dilation: str, framework: str,
                as_json: bool, output_padding: str | None, output_size: str | None, explain: bool,
                svg: str | None) -> None:
        run(as_json, lambda: api.conv_transpose(input, kernel, stride, padding, dilation, output_padding,
                                                output_size, framework=framework, ndim=ndim),
            "render.conv.transpose_report", explain, svg)

    command.help = (f"Every output size a {ndim}-D transposed convolution can give, what selects each in the "
                    f"framework, and the padding split.")
    return command


def make_frameworks() -> click.Command:
    @click.command("frameworks")
    @click.option("--json", "as_json", is_flag=True, help="Print one JSON object and nothing else.")
    def command(as_json: bool) -> None:
        """The frameworks, their padding keywords, and the source of each rule."""
        run(as_json, api.list_frameworks, "render.conv.frameworks_report")

    return command
