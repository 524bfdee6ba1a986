"""The conv / conv-transpose / frameworks commands: a thin Click layer over :mod:`convshape.api.conv`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from convshape.api import conv as api
from convshape.cli.common import EPILOG, common_options, explain_options, formulas_option, layer_args, run

F = TypeVar("F", bound=Callable[..., Any])


def channel_options(fn: F) -> F:
    """``--out-channels``, ``--groups``, ``--bias/--no-bias``: with a whole input tensor, the
    output tensor, the weights in the framework's layout, parameters and MACs."""
    fn = click.option("--bias/--no-bias", "bias", default=None,
                      help="Whether the layer has a bias (default: the framework's).")(fn)
    fn = click.option("--g", "--groups", "groups", default=None, metavar="G",
                      help="Groups (needs a whole input tensor).")(fn)
    return click.option("--c", "--out-channels", "out_channels", default=None, metavar="C",
                        help="Output channels (needs a whole input tensor, e.g. --i 1x3x224x224 in the "
                             "framework's default layout; default: the input's channels).")(fn)


def _ints(out_channels: str | None, groups: str | None) -> tuple[int | None, int | None]:
    from convshape.params import parse_int

    return (None if out_channels is None else parse_int(out_channels, "out_channels"),
            None if groups is None else parse_int(groups, "groups"))


def make_conv(ndim: int) -> click.Command:
    @click.command(f"conv{ndim}d", epilog=EPILOG)
    @common_options
    @channel_options
    @formulas_option
    @explain_options
    def command(input: str, kernel: str, stride: str, padding: str | None, dilation: str, framework: str,
                as_json: bool, out_channels: str | None, groups: str | None, bias: bool | None, formulas: bool,
                explain: bool, svg: str | None) -> None:
        run(as_json, lambda: api.conv(input, kernel, stride, padding, dilation, framework=framework, ndim=ndim,
                                      **dict(zip(("out_channels", "groups"), _ints(out_channels, groups))),
                                      bias=bias),
            "render.conv.conv_report", explain, svg,
            formulas=layer_args(formulas, kernel=kernel, stride=stride, padding=padding, dilation=dilation,
                                out_channels=out_channels, groups=groups))

    command.help = (f"Output size of a {ndim}-D convolution, the usual padding choices, and the input sizes "
                    f"that give the same output. Given a whole tensor (--i 1x3x224x224, the framework's "
                    f"default layout), also the output tensor, weights, parameters and MACs.")
    return command


def make_conv_transpose(ndim: int) -> click.Command:
    @click.command(f"conv-transpose{ndim}d", epilog=EPILOG)
    @common_options
    @click.option("--output-padding", "output_padding", default=None, metavar="N[,N...]",
                  help="Select a size by output_padding (torch, keras, onnx).")
    @click.option("--o", "--output-size", "output_size", default=None, metavar="N[,N...]",
                  help="Select this output size (torch output_size, tf/onnx output_shape), or ask how to reach it.")
    @channel_options
    @formulas_option
    @explain_options
    def command(input: str, kernel: str, stride: str, padding: str | None, dilation: str, framework: str,
                as_json: bool, output_padding: str | None, output_size: str | None, out_channels: str | None,
                groups: str | None, bias: bool | None, formulas: bool, explain: bool, svg: str | None) -> None:
        run(as_json, lambda: api.conv_transpose(input, kernel, stride, padding, dilation, output_padding,
                                                output_size, framework=framework, ndim=ndim,
                                                **dict(zip(("out_channels", "groups"), _ints(out_channels, groups))),
                                                bias=bias), "render.conv.transpose_report",
            explain, svg, formulas=layer_args(formulas, kernel=kernel, stride=stride, padding=padding,
                                              dilation=dilation, output_padding=output_padding,
                                              output_size=output_size, out_channels=out_channels, groups=groups))

    command.help = (f"Every output size a {ndim}-D transposed convolution can give, what selects each in the "
                    f"framework, and the padding split. Given a whole tensor, also the output tensor, weights, "
                    f"parameters and MACs.")
    return command


def make_depthwise(ndim: int, separable: bool) -> click.Command:
    name = f"{'separable' if separable else 'depthwise'}-conv{ndim}d"

    @click.command(name, epilog=EPILOG)
    @common_options
    @click.option("--m", "--depth-multiplier", "depth_multiplier", default="1", show_default=True, metavar="M",
                  help="Output channels per input channel of the depthwise step.")
    @click.option("--c", "--out-channels", "out_channels", default=None, metavar="C",
                  help="Output channels of the pointwise (1x1) step." if separable else "Not used.",
                  hidden=not separable)
    @click.option("--bias/--no-bias", "bias", default=None,
                  help="Whether the layer has a bias (default: the framework's).")
    @formulas_option
    def command(input: str, kernel: str, stride: str, padding: str | None, dilation: str, framework: str,
                as_json: bool, depth_multiplier: str, out_channels: str | None, bias: bool | None,
                formulas: bool) -> None:
        def call() -> api.ConvResult:
            multiplier, channels = _ints(depth_multiplier, out_channels)
            if separable and channels is None:
                from convshape.errors import Rule, ShapeError

                raise ShapeError("a separable convolution needs out_channels (the pointwise step's output channels)",
                                 rule=Rule.MISSING, values={"out_channels": None})
            return api.conv(input, kernel, stride, padding, dilation, framework=framework, ndim=ndim,
                            out_channels=channels, bias=bias, depth_multiplier=multiplier)

        run(as_json, call, "render.conv.conv_report",
            formulas=layer_args(formulas, kernel=kernel, stride=stride, padding=padding, dilation=dilation,
                                depth_multiplier=depth_multiplier, out_channels=out_channels if separable else None))

    command.help = (f"A {ndim}-D {'separable' if separable else 'depthwise'} convolution on a whole tensor "
                    f"(--i 1x32x112x112, the framework's default layout): "
                    + ("depthwise (groups = in_channels), then a 1x1 convolution to --out-channels: "
                       if separable else "groups = in_channels, in_channels x depth_multiplier outputs: ")
                    + "the output tensor, weights, parameters and MACs.")
    return command


def make_frameworks() -> click.Command:
    @click.command("frameworks")
    @click.option("--json", "as_json", is_flag=True, help="Print one JSON object and nothing else.")
    def command(as_json: bool) -> None:
        """The frameworks, their padding keywords, and the source of each rule."""
        from convshape.api.frameworks import list_frameworks

        run(as_json, list_frameworks, "render.conv.frameworks_report")

    return command
