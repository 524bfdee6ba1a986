"""The maxpool / avgpool / lppool commands: a thin Click layer over :mod:`convshape.api.pooling`."""

from __future__ import annotations

import click

from convshape.api import pooling
from convshape.cli.common import CliError, FrameworkChoice, epilog, explain_options, formulas_option, layer_args, run
from convshape.errors import Rule
from convshape.frameworks import get

NAMES = {"max": "max", "avg": "average", "lp": "LP"}


def make_pool(kind: str, ndim: int) -> click.Command:
    """The ``{kind}pool{ndim}d`` command (kind: max, avg or lp)."""
    name = f"{kind}pool{ndim}d"
    # LP pooling takes no padding in torch and has no tf.nn form: its examples differ
    first = f"{name} --i 5 --k 2 --s 2 --ceil-mode" if kind == "lp" else f"{name} --i 5 --k 2 --s 2 --p 1 --ceil-mode"
    second = (f"{name} --i 32 --k 3 --s 2 --p same -f onnx --json" if kind == "lp"
              else f"{name} --i 32 --k 3 --s 2 --p same -f tf --json")
    @click.command(name, epilog=epilog(first, second, f"{name} --i 7 --k 3 --s 2 --compare",
                                       f"{name} --i 5 --k 2 --s 2 --explain",
                                       f"{name} --i 7 --k 3 --s 2 --ceil-mode --formulas"))
    @click.option("--i", "--input", "input", required=True, metavar="N[,N...]",
                  help="Input size per spatial axis (one value applies to every axis).")
    @click.option("--k", "--kernel", "kernel", required=True, metavar="K[,K...]", help="Window (kernel) size.")
    @click.option("--s", "--stride", "stride", default=None, metavar="S[,S...]",
                  help="Stride. Default: the framework's (the kernel in torch, Keras, tf and jax; 1 in ONNX, Caffe).")
    @click.option("--p", "--padding", "padding", default=None, metavar="P",
                  help="Padding: N, before:after, per axis comma-separated, or valid, same, same-upper, same-lower "
                       "where the framework has them. Default: the framework's own.")
    @click.option("--d", "--dilation", "dilation", default="1", show_default=True, metavar="D[,D...]",
                  help="Dilation (torch: max pooling only; ONNX and jax: every kind).")
    @click.option("--ceil-mode/--floor-mode", "ceil_mode", default=None,
                  help="Round the window count up (torch/ONNX ceil_mode, Caffe round_mode CEIL) or down. "
                       "Default: the framework's (floor; Caffe rounds up).")
    @click.option("-f", "--framework", "framework", default="torch", show_default=True,
                  type=FrameworkChoice(), help="Whose rules to apply.")
    @click.option("--opset", "opset", type=click.IntRange(min=1), default=None, metavar="N",
                  help="-f onnx: the ONNX opset of the model the layer is in (before 22, ceil_mode keeps a last "
                       "window starting in the right padding). Default: the latest rule (22).")
    @click.option("--compare", is_flag=True, help="Every framework side by side for this configuration.")
    @click.option("--json", "as_json", is_flag=True, help="Print one JSON object and nothing else.")
    @formulas_option
    @explain_options
    def command(input: str, kernel: str, stride: str | None, padding: str | None, dilation: str,
                ceil_mode: bool | None, framework: str, opset: int | None, compare: bool, as_json: bool,
                formulas: bool, explain: bool, svg: str | None, count_include_pad: bool | None = None,
                norm_type: float = 2.0) -> None:
        if opset is not None and not compare and get(framework).name not in ("onnx", "onnxruntime"):
            raise CliError("--opset applies to -f onnx (the ONNX spec versions its pooling operators)",
                           Rule.OPTION_NOT_APPLICABLE, as_json=as_json)
        if compare and (explain or svg):
            raise CliError("--explain and --svg draw one framework's layer; drop --compare", Rule.OPTION_NOT_APPLICABLE,
                           as_json=as_json)
        if compare and formulas:
            raise CliError("--formulas gives one framework's formulas; drop --compare", Rule.OPTION_NOT_APPLICABLE,
                           as_json=as_json)
        if compare:
            run(as_json, lambda: pooling.pool_compare(kind, input, kernel, stride, padding, dilation, ceil_mode,
                                                      ndim=ndim, count_include_pad=count_include_pad,
                                                      norm_type=norm_type, opset=opset), "render.pool.compare_report")
        else:
            run(as_json, lambda: pooling.pool(kind, input, kernel, stride, padding, dilation, ceil_mode,
                                              framework=framework, ndim=ndim, count_include_pad=count_include_pad,
                                              norm_type=norm_type, opset=opset),
                "render.pool.pool_report", explain, svg,
                formulas=layer_args(formulas, kernel=kernel, stride=stride, padding=padding, dilation=dilation,
                                    ceil_mode=ceil_mode, count_include_pad=count_include_pad))

    if kind == "avg":
        command = click.option(
            "--count-include-pad/--exclude-pad", "count_include_pad", default=None,
            help="Whether padded cells count in the divisor. Default: the framework's (torch, Caffe, jax/flax: "
                 "include; tf, Keras, ONNX: exclude).")(command)
    if kind == "lp":
        command = click.option("--norm-type", "norm_type", type=float, default=2.0, show_default=True,
                               help="LP pooling's p (display only: it never changes the shape).")(command)
    command.help = (f"Output size of {NAMES[kind]} pooling over {ndim} spatial "
                    f"ax{'is' if ndim == 1 else 'es'}: the padding split, what ceil_mode does to the last window, "
                    f"every window for small sizes" + (", the divisor" if kind == "avg" else "")
                    + ". --compare shows every framework.")
    return command
