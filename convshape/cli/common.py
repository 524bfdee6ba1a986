"""What every command shares: output (JSON, rich tables or plain text), the ShapeError -> exit
code mapping, the common options and the help epilog. Exit codes: 0 ok, 1 invalid configuration
in the framework, 2 usage error."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import click

from convshape.errors import Rule, ShapeError, quote, shorten
from convshape.frameworks import ALIASES, FRAMEWORKS


FRAMEWORK_NAMES = [*FRAMEWORKS, *ALIASES]

#: a command function, as click's decorators take and give it back
F = TypeVar("F", bound=Callable[..., Any])


# ---------------------------------------------------------------------------- errors
class CliError(click.ClickException):
    """An error the command line reports: one line on stderr, or with ``--json`` one JSON object
    ``{"error", "rule", "framework"}`` on stdout; exit 2 for usage errors, 1 for a framework's rejection.
    The group (:class:`convshape.cli.main.LazyAliasGroup`) reports Click's own errors the same way."""

    exit_code = 2  # a usage error; Rejection is a framework's (1)

    def __init__(self, message: str, rule: Rule, framework: str | None = None, as_json: bool = False,
                 details: Mapping[str, Any] | None = None) -> None:
        super().__init__(shorten(message))
        self.rule = rule
        self.framework = framework
        self.as_json = as_json
        #: extra keys of the JSON error object (a model's unsupported op types)
        self.details = dict(details or {})

    def show(self, file: Any = None) -> None:  # a command invoked on its own, without the group
        report_error(self, self.as_json)


class Rejection(CliError):
    """A framework's rejection of the configuration: exit 1."""

    exit_code = 1


class RuleBadParameter(click.BadParameter):
    """A malformed option value whose rule is known (e.g. the API parser's ``not-a-number``)."""

    def __init__(self, message: str, rule: Rule, **kwargs: Any) -> None:
        super().__init__(shorten(message), **kwargs)
        self.rule = rule


def error_rule(exc: click.ClickException) -> Rule:
    """The rule a Click error breaks: its own when it names one, else by its kind."""
    rule = getattr(exc, "rule", None)
    if isinstance(rule, Rule):
        return rule
    if isinstance(exc, click.FileError):
        return Rule.FILE
    if isinstance(exc, click.NoSuchOption):
        return Rule.UNKNOWN_OPTION
    if isinstance(exc, click.MissingParameter):
        return Rule.MISSING
    if isinstance(exc, (click.BadParameter, click.BadOptionUsage)):
        return Rule.BAD_OPTION
    return Rule.USAGE


def error_line(exc: click.ClickException) -> str:
    """The one line of a Click error, in Click's words without its Usage/Try block (echoed values
    shortened); where the usage would help (a missing option, an extra argument) it names --help."""
    message = exc.format_message()
    if isinstance(exc, click.FileError):  # Click says "Could not open file"; say which way it failed
        message = f"cannot write or read {quote(exc.ui_filename)}: {exc.message}"
    message = shorten(message.strip()).replace("\n", " ").replace(". Did you mean", "; did you mean").rstrip(".")
    message = re.sub(r"\. \(Did you mean one of: (.*)\?\)$", r"; did you mean one of \1?", message)
    message = message[:1].lower() + message[1:] if message[1:2].islower() else message
    ctx = getattr(exc, "ctx", None)
    if (isinstance(exc, click.MissingParameter) or type(exc) is click.UsageError) and ctx is not None \
            and not isinstance(exc, CliError):
        message = f"{message} (see '{ctx.command_path} --help')"
    return message


def report_error(exc: click.ClickException, as_json: bool) -> int:
    """Print ``exc`` as the contract says (one JSON object on stdout with ``--json``, else one line on
    stderr) and return its exit code: 2 for every usage error, unreadable and unwritable files included."""
    details: dict[str, Any] = {}
    if isinstance(exc, CliError):
        rule, framework, message, code = exc.rule, exc.framework, exc.format_message(), exc.exit_code
        details = exc.details
    else:
        code = 2 if isinstance(exc, (click.UsageError, click.FileError)) else exc.exit_code
        rule, framework, message = error_rule(exc), None, error_line(exc)
    if as_json:
        import json

        click.echo(json.dumps({"error": message, "rule": rule, "framework": framework, **details}))
    else:
        click.echo(f"error: {message}", err=True)
    return code


class FrameworkChoice(click.Choice):  # type: ignore[type-arg]  # generic from click 8.2 only; 8.1 is supported
    """``-f``: a registered framework or alias, read from the registry when the option is parsed, so a
    framework registered after start-up is accepted too; any other name is a usage error (exit 2)."""

    def __init__(self) -> None:
        super().__init__(FRAMEWORK_NAMES, case_sensitive=False)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        self.choices = (*FRAMEWORKS, *ALIASES)
        try:
            return super().convert(value, param, ctx)
        except click.BadParameter:
            from difflib import get_close_matches  # the error path only

            from convshape.ops import did_you_mean

            near = get_close_matches(str(value).lower(), self.choices, n=3, cutoff=0.6) if len(str(value)) < 100 else []
            raise RuleBadParameter(f"unknown framework {quote(value)}" + (did_you_mean(near) or "; expected one of "
                                   + ", ".join(FRAMEWORKS)), Rule.UNKNOWN_FRAMEWORK, ctx=ctx, param=param) from None


class SafePath(click.Path):
    """``click.Path`` that reports a path Python cannot use (a NUL byte) as a usage error, where
    Click's own check raises ValueError from os.stat."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if "\0" in (value if isinstance(value, str) else os.fsdecode(value)):
            raise RuleBadParameter(f"{quote(value)} is no usable path: it contains a NUL byte", Rule.FILE,
                                   ctx=ctx, param=param)
        try:
            return super().convert(value, param, ctx)
        except click.BadParameter as exc:  # a directory, an unreadable file: the file's rule
            raise RuleBadParameter(exc.message, Rule.FILE, ctx=ctx, param=param) from None


EXIT_CODES = "Exit codes: 0 ok, 1 invalid configuration in the framework, 2 usage error."


def epilog(*examples: str, notes: str = "") -> str:
    """A command's help epilog: its examples (kept verbatim), any notes, then the exit codes."""
    lines = "".join(f"  convshape {e}\n" for e in examples)
    return f"\b\nExamples:\n{lines}\n" + (f"{notes}\n\n" if notes else "") + EXIT_CODES + "\n"


EPILOG = epilog("conv2d --i 64 --k 3 --s 2", "conv2d --i 50,100 --k 3,5 --s 2,1 --p 4,2 --json",
                "conv-transpose2d --i 64 --k 3 --s 2 --p same -f tf", "deconv2d --i 39 --k 4 --s 2 --p 1 --o 78",
                "conv1d --i 5 --k 3 --s 2 --p 1 --explain", "conv2d --i 64 --k 3 --s 2 --p 1 --formulas")


# ---------------------------------------------------------------------------- output
def use_rich() -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    return bool(os.environ.get("FORCE_COLOR")) or sys.stdout.isatty()


def emit(result: Any, as_json: bool, report: str, explain: bool = False, svg: str | None = None,
         formulas: Any = None) -> None:
    """Print ``result``: JSON, or the report named ``"module.function"`` (a module of this
    package, e.g. ``"render.conv.conv_report"``), imported only here. Every report is a list of
    :mod:`convshape.render.conv` blocks. ``formulas`` (a single layer's
    :class:`convshape.network.layer_formulas.LayerFormulas`) adds its formulas after the report
    (the JSON gains a "formulas" key). ``explain`` adds the layer's picture (convshape.api.explain,
    loaded only then: the JSON gains an "explain" key); ``svg`` also saves the report as SVG."""
    picture = None
    if (explain or svg) and not report.startswith("render.explain."):  # the explain command's report is one
        from convshape.api.explain import explain_result

        picture = explain_result(result)
    from importlib import import_module

    if svg or not as_json:
        from convshape.render import conv as render

        module, _, function = report.rpartition(".")
        blocks = getattr(import_module(f"convshape.{module}"), function)(result)
        pictures = picture is not None or module == "render.explain"
        if formulas is not None:
            from convshape.render.formulas import layer_formula_blocks

            blocks = [*blocks, *layer_formula_blocks(formulas)]
        if picture is not None:
            from convshape.render.explain import picture_blocks

            blocks = [*blocks, *picture_blocks(picture)]
    if svg:  # first: a file that cannot be written is the answer (exit 2), not a report then an error
        from convshape.render.explain import save_svg

        try:
            save_svg(blocks, svg, title=f"convshape {result.op}")
        except OSError as exc:
            raise CliError(f"cannot write the SVG file {quote(svg)}: {exc.strerror or exc}", Rule.FILE,
                           as_json=as_json) from None
    if as_json:
        import json

        data = result.to_dict()
        if formulas is not None:
            data["formulas"] = formulas.to_dict()
        if picture is not None:
            data["explain"] = picture.to_dict()
        click.echo(json.dumps(data))
    elif use_rich():
        from rich.console import Console

        if pictures:
            from convshape.render.explain import rich_print

            rich_print(blocks, Console())
        else:
            render.rich_print(blocks, Console())
    else:
        click.echo(render.plain(blocks), nl=False)


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
        flags: Mapping[str, str] | None = None, formulas: Mapping[str, object] | None = None) -> None:
    """Call the API; turn a ShapeError into exit 1 (or 2 for convshape's own usage errors).
    ``flags``: the API parameter names the command's messages should show as its options.
    ``formulas``: the layer's arguments (as a spec file names them) when ``--formulas`` asks for
    its output size as formulas of the input sizes (:mod:`convshape.network.layer_formulas`)."""
    found = None
    try:
        result = call()
        if formulas is not None:
            from convshape.network.layer_formulas import for_result

            found = for_result(result, formulas)
    except ShapeError as exc:
        usage = exc.framework is None and exc.rule.is_usage
        message = to_flags(str(exc), flags) if flags else str(exc)
        details = {"unsupported_ops": list(exc.values["unsupported"])} if exc.rule == Rule.UNMODELLED_OP else None
        raise (CliError if usage else Rejection)(message, exc.rule, exc.framework, as_json, details) from None
    emit(result, as_json, report, explain, svg, found)


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


def formulas_option(fn: F) -> F:
    """``--formulas``: the layer's output size per axis as a formula of its input size."""
    return click.option("--formulas", "formulas", is_flag=True,
                        help="Also the output size per spatial axis as a formula of the input size (H, W), in "
                             "integer arithmetic, with the condition under which the layer is valid.")(fn)


def layer_args(formulas: bool, **args: object) -> dict[str, object] | None:
    """The layer's arguments for ``run(formulas=...)`` when ``--formulas`` is given (else None)."""
    return {k: v for k, v in args.items() if v is not None} if formulas else None


def explain_options(fn: F) -> F:
    """``--explain`` and ``--svg FILE``: the layer's picture after the report (see ``convshape explain``)."""
    fn = click.option("--svg", "svg", default=None, metavar="FILE", type=SafePath(dir_okay=False),
                      help="Also save the report and the picture as an SVG file (implies --explain).")(fn)
    return click.option("--explain", "explain", is_flag=True,
                        help="Also draw the layer: its cells and padding, the window of each output, its matrix "
                             "and the transposed/gradient identities.")(fn)


