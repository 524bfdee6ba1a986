"""The command-line interface: a thin Click layer over :mod:`convshape.api`.

Each command calls one API function with the same parameter names, then prints the result
as JSON (``--json``), rich tables (a terminal), or plain text (piped, or ``NO_COLOR`` set).
Exit codes: 0 ok, 1 invalid configuration in the framework, 2 usage error.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Any

import click

from . import __version__, api
from .errors import ShapeError
from .frameworks import ALIASES, FRAMEWORKS

#: convshape's own input errors that are usage errors (exit 2), not framework rejections
USAGE_RULES = {"not-an-integer", "not-a-number", "bad-shape", "axis-count", "unknown-padding", "missing",
               "unknown-framework", "convshape-limit", "unknown-op", "option-not-applicable",
               "bad-spec", "bad-range", "sweep-range"}

FRAMEWORK_NAMES = [*FRAMEWORKS, *ALIASES]


def _squash(name: str) -> str:
    return name.lower().replace("-", "").replace("_", "").replace(".", "")


class LazyAliasGroup(click.Group):
    """A group that builds a command only when it is called (start-up time), and also
    answers to the names people already type (``deconv2d``, ``conv2d_transpose``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.factories: dict[str, Callable[[], click.Command]] = {}
        self.aliases: dict[str, str] = {}  # squashed alias -> command name
        self.alias_names: dict[str, str] = {}  # alias as documented -> command name

    def lazy(self, name: str, factory: Callable[[], click.Command] | tuple[str, str, tuple],
             aliases: tuple[str, ...] = ()) -> None:
        """Register a command by name; ``factory`` builds it, or names it as ``(module, function,
        args)`` in this package, so the module is imported only when the command is called."""
        if isinstance(factory, tuple):
            module, function, args = factory

            def load() -> click.Command:
                from importlib import import_module

                return getattr(import_module(f"convshape.{module}"), function)(*args)

            self.factories[name] = load
        else:
            self.factories[name] = factory
        self.aliases[_squash(name)] = name  # Conv2d, MAXPOOL2D, conv_transpose2d ...
        for alias in aliases:
            self.aliases[_squash(alias)] = name
            self.alias_names[alias] = name

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(self.commands) | set(self.factories))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        name = cmd_name if cmd_name in self.commands or cmd_name in self.factories else \
            self.aliases.get(_squash(cmd_name), cmd_name)
        if name not in self.commands and name in self.factories:
            self.add_command(self.factories[name]())
        return self.commands.get(name)

    def resolve_command(self, ctx: click.Context, args: list[str]) -> tuple[str | None, click.Command | None,
                                                                             list[str]]:
        _, command, rest = super().resolve_command(ctx, args)
        return (command.name if command else None), command, rest

    def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        by_target: dict[str, list[str]] = {}
        for alias, target in self.alias_names.items():  # the documented ones, not every spelling
            by_target.setdefault(target, []).append(alias)
        with formatter.section("Aliases"):
            formatter.write_dl([(t, ", ".join(a)) for t, a in by_target.items()])
        super().format_epilog(ctx, formatter)


EXIT_CODES = "Exit codes: 0 ok, 1 invalid configuration in the framework, 2 usage error."


def epilog(*examples: str, notes: str = "") -> str:
    """A command's help epilog: its examples (kept verbatim), any notes, then the exit codes."""
    lines = "".join(f"  convshape {e}\n" for e in examples)
    return f"\b\nExamples:\n{lines}\n" + (f"{notes}\n\n" if notes else "") + EXIT_CODES + "\n"


EPILOG = epilog("conv2d --i 64 --k 3 --s 2", "conv2d --i 50,100 --k 3,5 --s 2,1 --p 4,2 --json",
                "conv-transpose2d --i 64 --k 3 --s 2 --p same -f tf", "deconv2d --i 39 --k 4 --s 2 --p 1 --o 78",
                "conv1d --i 5 --k 3 --s 2 --p 1 --explain")


@click.group(cls=LazyAliasGroup, epilog=EPILOG, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="convshape", message="%(prog)s %(version)s")
def main() -> None:
    """Shape arithmetic for convolution layers, as each framework applies it.

    Frameworks: torch (default), tf, keras, jax, onnx, caffe.
    Per-axis values are comma-separated (--k 3,5); asymmetric padding is before:after (--p 0:1,1:2).
    """


# ---------------------------------------------------------------------------- output
def use_rich() -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    return bool(os.environ.get("FORCE_COLOR")) or sys.stdout.isatty()


def emit(result: Any, as_json: bool, report: str, explain: bool = False, svg: str | None = None) -> None:
    """Print ``result``: JSON, or the report named ``"module.function"`` (a module of this
    package, e.g. ``"render.conv_report"``), imported only here. Every report is a list of
    :mod:`convshape.render` blocks. ``explain`` adds the layer's picture (convshape.explain,
    loaded only then: the JSON gains an "explain" key); ``svg`` also saves the report as SVG."""
    picture = None
    if (explain or svg) and not report.startswith("render_explain."):  # the explain command's report is one
        from .explain import explain_result

        picture = explain_result(result)
    if as_json:
        import json

        data = result.to_dict()
        if picture is not None:
            data["explain"] = picture.to_dict()
        click.echo(json.dumps(data))
        if not svg:
            return
    from importlib import import_module

    from . import render

    module, _, function = report.rpartition(".")
    blocks = getattr(import_module(f"convshape.{module}"), function)(result)
    pictures = picture is not None or module == "render_explain"
    if picture is not None:
        from .render_explain import picture_blocks

        blocks = [*blocks, *picture_blocks(picture)]
    if not as_json:
        if use_rich():
            from rich.console import Console

            if pictures:
                from .render_explain import rich_print

                rich_print(blocks, Console())
            else:
                render.rich_print(blocks, Console())
        else:
            click.echo(render.plain(blocks), nl=False)
    if svg:
        from .render_explain import save_svg

        try:
            save_svg(blocks, svg, title=f"convshape {result.op}")
        except OSError as exc:
            raise click.FileError(svg, hint=exc.strerror) from None


def run(as_json: bool, call: Callable[[], Any], report: str, explain: bool = False, svg: str | None = None) -> None:
    """Call the API; turn a ShapeError into exit 1 (or 2 for convshape's own usage errors)."""
    try:
        result = call()
    except ShapeError as exc:
        usage = exc.framework is None and exc.rule in USAGE_RULES
        if as_json:  # scripts get a parseable answer for convshape's own usage errors too
            import json

            click.echo(json.dumps({"error": str(exc), "rule": exc.rule, "framework": exc.framework}))
        if usage:
            raise click.UsageError(str(exc)) from None
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    emit(result, as_json, report, explain, svg)


# ---------------------------------------------------------------------------- options
def common_options(fn: Callable) -> Callable:
    options = [
        click.option("--i", "--input", "input", required=True, metavar="N[,N...]",
                     help="Input size per spatial axis (one value applies to every axis)."),
        click.option("--k", "--kernel", "kernel", required=True, metavar="K[,K...]", help="Kernel size."),
        click.option("--s", "--stride", "stride", default="1", show_default=True, metavar="S[,S...]",
                     help="Stride."),
        click.option("--p", "--padding", "padding", default=None, metavar="P",
                     help="Padding: N, before:after, per axis comma-separated, or a keyword: valid, same, "
                          "same-upper, same-lower, full, causal. Default: the framework's own default."),
        click.option("--d", "--dilation", "dilation", default="1", show_default=True, metavar="D[,D...]",
                     help="Dilation."),
        click.option("-f", "--framework", "framework", default="torch", show_default=True,
                     type=click.Choice(FRAMEWORK_NAMES, case_sensitive=False), help="Whose rules to apply."),
        click.option("--json", "as_json", is_flag=True, help="Print one JSON object and nothing else."),
    ]
    for option in reversed(options):
        fn = option(fn)
    return fn


def explain_options(fn: Callable) -> Callable:
    """``--explain`` and ``--svg FILE``: the layer's picture after the report (see ``convshape explain``)."""
    fn = click.option("--svg", "svg", default=None, metavar="FILE", type=click.Path(dir_okay=False),
                      help="Also save the report and the picture as an SVG file (implies --explain).")(fn)
    return click.option("--explain", "explain", is_flag=True,
                        help="Also draw the layer: its cells and padding, the window of each output, its matrix "
                             "and the transposed/gradient identities.")(fn)


def make_conv(ndim: int) -> click.Command:
    @click.command(f"conv{ndim}d", epilog=EPILOG)
    @common_options
    @explain_options
    def command(input: str, kernel: str, stride: str, padding: str | None, dilation: str, framework: str,
                as_json: bool, explain: bool, svg: str | None) -> None:
        run(as_json, lambda: api.conv(input, kernel, stride, padding, dilation, framework=framework, ndim=ndim),
            "render.conv_report", explain, svg)

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
                                                output_size, framework=framework, ndim=ndim), "render.transpose_report",
            explain, svg)

    command.help = (f"Every output size a {ndim}-D transposed convolution can give, what selects each in the "
                    f"framework, and the padding split.")
    return command


@main.command("frameworks")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object and nothing else.")
def frameworks_command(as_json: bool) -> None:
    """The frameworks, their padding keywords, and the source of each rule."""
    run(as_json, api.frameworks, "render.frameworks_report")


#: every command: name -> (module, factory, args), aliases. Modules load only when called.
COMMANDS: list[tuple[str, tuple[str, str, tuple], tuple[str, ...]]] = [
    *[(f"conv{n}d", ("cli", "make_conv", (n,)), (f"convolution{n}d",)) for n in (1, 2, 3)],
    *[(f"conv-transpose{n}d", ("cli", "make_conv_transpose", (n,)),
       (f"deconv{n}d", f"convtranspose{n}d", f"conv{n}d-transpose", f"transposed-conv{n}d", f"conv-transposed{n}d",
        f"deconvolution{n}d")) for n in (1, 2, 3)],
    # pooling (convshape/cli_pool.py)
    *[(f"maxpool{n}d", ("cli_pool", "make_pool", ("max", n)), (f"max-pool{n}d", f"maxpooling{n}d"))
      for n in (1, 2, 3)],
    *[(f"avgpool{n}d", ("cli_pool", "make_pool", ("avg", n)),
       (f"avg-pool{n}d", f"averagepooling{n}d", f"average-pool{n}d")) for n in (1, 2, 3)],
    *[(f"lppool{n}d", ("cli_pool", "make_pool", ("lp", n)), (f"lp-pool{n}d",)) for n in (1, 2)],
    # adaptive and fractional pooling, unpooling (convshape/cli_unpool.py)
    *[(f"adaptive-{kind}pool{n}d", ("cli_unpool", "make_adaptive", (kind, n)), (f"adaptive{kind}pool{n}d",))
      for kind in ("avg", "max") for n in (1, 2, 3)],
    *[(f"fractional-maxpool{n}d", ("cli_unpool", "make_fractional", (n,)), (f"fractionalmaxpool{n}d",))
      for n in (2, 3)],
    *[(f"maxunpool{n}d", ("cli_unpool", "make_unpool", (n,)), (f"max-unpool{n}d", f"unpool{n}d"))
      for n in (1, 2, 3)],
    # resampling (convshape/cli_resample.py)
    ("upsample", ("cli_resample", "make_interpolate", ("upsample",)),
     ("upsampling", "upsampling1d", "upsampling2d", "upsampling3d")),
    ("interpolate", ("cli_resample", "make_interpolate", ("interpolate",)), ("resize",)),
    ("pixel-shuffle", ("cli_resample", "make_pixel_shuffle", (False,)), ("pixelshuffle", "depth-to-space",
                                                                        "subpixel")),
    ("pixel-unshuffle", ("cli_resample", "make_pixel_shuffle", (True,)), ("pixelunshuffle", "space-to-depth")),
    # networks (convshape/cli_network.py)
    ("summary", ("cli_network", "make_summary", ()), ("net", "network", "model")),
    ("chain", ("cli_network", "make_chain", ()), ()),
    ("check", ("cli_network", "make_check", ()), ()),
    ("sweep", ("cli_network", "make_sweep", ()), ()),
    # solving for parameters, and pictures (convshape/cli_solve.py, convshape/cli_explain.py)
    ("solve", ("cli_solve", "make_solve", ()), ()),
    ("explain", ("cli_explain", "make_explain", ()), ("draw",)),
]


def _register(group: LazyAliasGroup) -> None:
    for name, factory, aliases in COMMANDS:
        group.lazy(name, factory, aliases)


_register(main)  # type: ignore[arg-type]
