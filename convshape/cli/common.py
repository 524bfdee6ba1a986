"""What every command shares: output (JSON, rich tables or plain text), the ShapeError -> exit
code mapping, the common options and the help epilog. Exit codes: 0 ok, 1 invalid configuration
in the framework, 2 usage error."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import click

from convshape.errors import ShapeError
from convshape.frameworks import ALIASES, FRAMEWORKS


FRAMEWORK_NAMES = [*FRAMEWORKS, *ALIASES]

#: a command function, as click's decorators take and give it back
F = TypeVar("F", bound=Callable[..., Any])


class FrameworkChoice(click.Choice):  # type: ignore[type-arg]  # generic from click 8.2 only; 8.1 is supported
    """``-f``: a registered framework or alias, read from the registry when the option is parsed, so a
    framework registered after start-up is accepted too; any other name is a usage error (exit 2)."""

    def __init__(self) -> None:
        super().__init__(FRAMEWORK_NAMES, case_sensitive=False)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        self.choices = [*FRAMEWORKS, *ALIASES]
        return super().convert(value, param, ctx)


EXIT_CODES = "Exit codes: 0 ok, 1 invalid configuration in the framework, 2 usage error."


def epilog(*examples: str, notes: str = "") -> str:
    """A command's help epilog: its examples (kept verbatim), any notes, then the exit codes."""
    lines = "".join(f"  convshape {e}\n" for e in examples)
    return f"\b\nExamples:\n{lines}\n" + (f"{notes}\n\n" if notes else "") + EXIT_CODES + "\n"


EPILOG = epilog("conv2d --i 64 --k 3 --s 2", "conv2d --i 50,100 --k 3,5 --s 2,1 --p 4,2 --json",
                "conv-transpose2d --i 64 --k 3 --s 2 --p same -f tf", "deconv2d --i 39 --k 4 --s 2 --p 1 --o 78",
                "conv1d --i 5 --k 3 --s 2 --p 1 --explain")


# ---------------------------------------------------------------------------- output
def use_rich() -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    return bool(os.environ.get("FORCE_COLOR")) or sys.stdout.isatty()


def emit(result: Any, as_json: bool, report: str, explain: bool = False, svg: str | None = None) -> None:
    """Print ``result``: JSON, or the report named ``"module.function"`` (a module of this
    package, e.g. ``"render.conv.conv_report"``), imported only here. Every report is a list of
    :mod:`convshape.render.conv` blocks. ``explain`` adds the layer's picture (convshape.api.explain,
    loaded only then: the JSON gains an "explain" key); ``svg`` also saves the report as SVG."""
    picture = None
    if (explain or svg) and not report.startswith("render.explain."):  # the explain command's report is one
        from convshape.api.explain import explain_result

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

    from convshape.render import conv as render

    module, _, function = report.rpartition(".")
    blocks = getattr(import_module(f"convshape.{module}"), function)(result)
    pictures = picture is not None or module == "render.explain"
    if picture is not None:
        from convshape.render.explain import picture_blocks

        blocks = [*blocks, *picture_blocks(picture)]
    if not as_json:
        if use_rich():
            from rich.console import Console

            if pictures:
                from convshape.render.explain import rich_print

                rich_print(blocks, Console())
            else:
                render.rich_print(blocks, Console())
        else:
            click.echo(render.plain(blocks), nl=False)
    if svg:
        from convshape.render.explain import save_svg

        try:
            save_svg(blocks, svg, title=f"convshape {result.op}")
        except OSError as exc:
            raise click.FileError(svg, hint=exc.strerror) from None


def to_flags(text: str, flags: Mapping[str, str]) -> str:
    """An engine message in this command's flags: the engine names parameters as the API does
    (``max_stride=34``, ``op='conv2d'``, ``all_splits=True``); ``flags`` maps those names to the
    command's options. Bare names are translated only where they contain '_' (``max_kernel``):
    a plain word like "input" is prose as often as a parameter."""
    import re  # only on the error path: start-up stays light

    for name, flag in flags.items():
        def spelled(m: re.Match[str], flag: str = flag) -> str:  # True: the bare flag; 'x': unquoted
            return flag if m.group(1) == "True" else f"{flag} {m.group(1).strip(chr(39))}"

        text = re.sub(rf"(?<![\w-]){name}=(True\b|'[^']*'|[^\s,;)]+)", spelled, text)
        if "_" in name:
            text = re.sub(rf"(?<![\w-]){name}(?![\w=])", flag, text)
    return text


def run(as_json: bool, call: Callable[[], Any], report: str, explain: bool = False, svg: str | None = None,
        flags: Mapping[str, str] | None = None) -> None:
    """Call the API; turn a ShapeError into exit 1 (or 2 for convshape's own usage errors).
    ``flags``: the API parameter names the command's messages should show as its options."""
    try:
        result = call()
    except ShapeError as exc:
        usage = exc.framework is None and exc.rule.is_usage
        message = to_flags(str(exc), flags) if flags else str(exc)
        if as_json:  # scripts get a parseable answer for convshape's own usage errors too
            import json

            click.echo(json.dumps({"error": message, "rule": exc.rule, "framework": exc.framework}))
        if usage:
            raise click.UsageError(message) from None
        click.echo(f"error: {message}", err=True)
        sys.exit(1)
    emit(result, as_json, report, explain, svg)


# ---------------------------------------------------------------------------- options
def common_options(fn: F) -> F:
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
                     type=FrameworkChoice(), help="Whose rules to apply."),
        click.option("--json", "as_json", is_flag=True, help="Print one JSON object and nothing else."),
    ]
    for option in reversed(options):
        fn = option(fn)
    return fn


def explain_options(fn: F) -> F:
    """``--explain`` and ``--svg FILE``: the layer's picture after the report (see ``convshape explain``)."""
    fn = click.option("--svg", "svg", default=None, metavar="FILE", type=click.Path(dir_okay=False),
                      help="Also save the report and the picture as an SVG file (implies --explain).")(fn)
    return click.option("--explain", "explain", is_flag=True,
                        help="Also draw the layer: its cells and padding, the window of each output, its matrix "
                             "and the transposed/gradient identities.")(fn)


