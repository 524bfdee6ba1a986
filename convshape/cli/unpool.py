"""CLI commands for adaptive pooling, fractional max pooling and max unpooling: thin Click
wrappers over :mod:`convshape.api.unpool`, one API call each, registered lazily in cli.COMMANDS."""

from __future__ import annotations

from collections.abc import Callable

import click

from convshape.cli.common import F, FrameworkChoice, epilog, formulas_option, layer_args, run
from convshape.api.unpool import adaptive_pool, fractional_max_pool, max_unpool



def _input(fn: F) -> F:
    return click.option("--i", "--input", "input", required=True, metavar="N[,N...]",
                        help="Input size per spatial axis (one value applies to every axis).")(fn)


def _framework(default: str = "torch") -> Callable[[F], F]:
    def decorate(fn: F) -> F:
        fn = click.option("--json", "as_json", is_flag=True, help="Print one JSON object and nothing else.")(fn)
        return click.option("-f", "--framework", "framework", default=default, show_default=True,
                            type=FrameworkChoice(),
                            help="Whose rules to apply.")(fn)
    return decorate


def make_adaptive(kind: str, ndim: int) -> click.Command:
    name = f"adaptive-{kind}pool{ndim}d"
    spatial = ",".join(["7", "5", "9"][:ndim])

    @click.command(name, epilog=epilog(f"{name} --i {spatial} --o 3", f"{name} --i 10 --o 4 --json",
                                        f"{name} --i 100 --o 7 -f keras"))
    @_input
    @click.option("--o", "--output-size", "output_size", required=True, metavar="N[,N...]",
                  help="Output size per spatial axis (larger than the input repeats cells).")
    @_framework()
    @formulas_option
    def command(input: str, output_size: str, framework: str, as_json: bool, formulas: bool) -> None:
        run(as_json, lambda: adaptive_pool(input, output_size, kind, framework=framework, ndim=ndim),
            "render.unpool.adaptive_report", formulas=layer_args(formulas, output_size=output_size))

    word = "average" if kind == "avg" else "max"
    command.help = (f"The window of every output index of {ndim}-D adaptive {word} pooling: start, end and size, "
                    f"where windows overlap and where their sizes differ (torch; Keras 3.15+; ONNX output 1 only: "
                    f"Global{'Average' if kind == 'avg' else 'Max'}Pool).")
    return command


def make_fractional(ndim: int) -> click.Command:
    name = f"fractional-maxpool{ndim}d"
    spatial = "50,32" if ndim == 2 else "20,50,32"

    @click.command(name, epilog=epilog(f"{name} --i {spatial} --k 3 --o {'13,12' if ndim == 2 else '8,13,12'}",
                                        f"{name} --i {spatial} --k 2 --ratio 0.5",
                                        f"{name} --i 10 --k 3 --o {7 if ndim == 3 else 8} --json"))
    @_input
    @click.option("--k", "--kernel", "kernel", required=True, metavar="K[,K...]", help="Kernel size.")
    @click.option("--o", "--output-size", "output_size", default=None, metavar="N[,N...]", help="Output size.")
    @click.option("--ratio", "--output-ratio", "output_ratio", default=None, metavar="R[,R...]",
                  help="Output size as a fraction of the input, in (0, 1): output = int(input * ratio).")
    @_framework()
    @formulas_option
    def command(input: str, kernel: str, output_size: str | None, output_ratio: str | None, framework: str,
                as_json: bool, formulas: bool) -> None:
        run(as_json, lambda: fractional_max_pool(input, kernel, output_size, output_ratio, framework=framework,
                                                 ndim=ndim), "render.unpool.fractional_report",
            formulas=layer_args(formulas, kernel=kernel, output_size=output_size, output_ratio=output_ratio))

    command.help = (f"Output size of {ndim}-D fractional max pooling (torch nn.FractionalMaxPool{ndim}d) from "
                    f"--o or --ratio, checked against the kernel as torch checks it.")
    return command


def make_unpool(ndim: int) -> click.Command:
    name = f"maxunpool{ndim}d"
    spatial = ",".join(["2", "2", "2"][:ndim])

    @click.command(name, epilog=epilog(f"{name} --i {spatial} --k 2 --s 1", f"{name} --i 5 --k 2 --o 11 --json",
                                        *([f"{name} --i 2 --k 2 --p same -f tf"] if ndim == 2 else []),
                                        f"{name} --i {spatial} --k 3 --s 2 --p 0:1 -f onnx"))
    @_input
    @click.option("--k", "--kernel", "kernel", required=True, metavar="K[,K...]",
                  help="Kernel size of the max pool being inverted.")
    @click.option("--s", "--stride", "stride", default=None, metavar="S[,S...]",
                  help="Stride of that max pool. Default: the kernel size (onnx: 1).")
    @click.option("--p", "--padding", "padding", default=None, metavar="P",
                  help="Padding of that max pool: N per axis (torch), before:after per axis (onnx pads), or "
                       "valid / same (tf). Default: 0 / valid.")
    @click.option("--o", "--output-size", "output_size", default=None, metavar="N[,N...]",
                  help="Select this output size (torch output_size, onnx output_shape's spatial sizes), or ask "
                       "whether the framework accepts it.")
    @_framework()
    @formulas_option
    def command(input: str, kernel: str, stride: str | None, padding: str | None, output_size: str | None,
                framework: str, as_json: bool, formulas: bool) -> None:
        run(as_json, lambda: max_unpool(input, kernel, stride, padding, output_size, framework=framework,
                                        ndim=ndim), "render.unpool.unpool_report",
            formulas=layer_args(formulas, kernel=kernel, stride=stride, padding=padding, output_size=output_size))

    command.help = (f"Output size of {ndim}-D max unpooling (torch nn.MaxUnpool{ndim}d; TF's argmax scatter; ONNX "
                    f"MaxUnpool): the default, every output_size accepted, and the sizes the max pool came from.")
    return command
