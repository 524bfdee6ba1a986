"""The command-line interface: a thin Click layer over :mod:`convshape.api.conv`.

Each command calls one API function with the same parameter names, then prints the result
as JSON (``--json``), rich tables (a terminal), or plain text (piped, or ``NO_COLOR`` set).
Exit codes: 0 ok, 1 invalid configuration in the framework, 2 usage error.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from typing import Any

import click

from convshape import __version__
from convshape.cli.common import EPILOG, CliError, report_error
from convshape.errors import Rule
from convshape.ops import OPS, Family, Op, did_you_mean, find, squash, suggest, with_rank

class NoSuchCommand(CliError):
    """An unknown command: one line on stderr (with the nearest names), exit 2 as Click's usage errors."""

    def __init__(self, message: str) -> None:
        super().__init__(message, Rule.UNKNOWN_COMMAND)


class LazyAliasGroup(click.Group):
    """A group that builds a command only when it is called (start-up time), and also
    answers to every name :mod:`convshape.ops` knows for an op (``deconv2d``, ``Conv2DTranspose``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.factories: dict[str, Callable[[], click.Command]] = {}
        self.aliases: dict[str, str] = {}  # squashed alias -> command name (the commands that are not ops)
        self.alias_names: dict[str, str] = {}  # alias as documented -> command name

    def lazy(self, name: str, factory: Callable[[], click.Command] | tuple[str, str, tuple[Any, ...]],
             aliases: tuple[str, ...] = ()) -> None:
        """Register a command by name; ``factory`` builds it, or names it as ``(module, function,
        args)`` in this package, so the module is imported only when the command is called."""
        if isinstance(factory, tuple):
            module, function, args = factory

            def load() -> click.Command:
                from importlib import import_module

                command: click.Command = getattr(import_module(f"convshape.{module}"), function)(*args)
                return command

            self.factories[name] = load
        else:
            self.factories[name] = factory
        self.aliases[squash(name)] = name
        listed = find(name) is None  # op commands' aliases are listed from convshape.ops
        for alias in aliases:
            self.aliases.setdefault(squash(alias), name)
            if listed:
                self.alias_names[alias] = name

    def main(self, args: Sequence[str] | None = None, prog_name: str | None = None,
             complete_var: str | None = None, standalone_mode: bool = True, **extra: Any) -> Any:
        """Click's ``main``, with every error reported as the contract says: with ``--json`` among the
        arguments one JSON object on stdout (``error``, ``rule``, ``framework``), else one line on stderr
        (no Usage/Try block); exit 2 for usage errors (Click's parser, files), 1 for a framework's rejection."""
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode, **extra)
        words = list(sys.argv[1:] if args is None else args)
        if "--json" in words and {"-V", "--version"} & set(words) and set(words) <= {"-V", "--version", "--json"}:
            import json
            import platform

            click.echo(json.dumps({"version": __version__, "python": platform.python_version()}))
            sys.exit(0)
        try:
            code = super().main(args, prog_name, complete_var, False, **extra)
        except click.exceptions.NoArgsIsHelpError as exc:  # no arguments: the help, as Click shows it
            exc.show()
            sys.exit(exc.exit_code)
        except click.ClickException as exc:
            sys.exit(report_error(exc, "--json" in words))
        except click.Abort:
            click.echo("Aborted!", err=True)
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(self.commands) | set(self.factories))

    def command_name(self, cmd_name: str, args: Sequence[str] = ()) -> str | None:
        """The command ``cmd_name`` names: a command, an alias of one, or any name of an op that
        has a command; a rank-less op name (ONNX's ConvTranspose) takes the rank from ``--i``."""
        if cmd_name in self.commands or cmd_name in self.factories:
            return cmd_name
        if squash(cmd_name) in self.aliases:
            return self.aliases[squash(cmd_name)]
        op = find(cmd_name)
        if op is None:
            return None
        if op.ndim is None and op.command is None:
            op = with_rank(op, rank_from_args(args)) or op
        return op.command

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        name = self.command_name(cmd_name)
        if name is None:
            return None
        if name not in self.commands and name in self.factories:
            self.add_command(self.factories[name]())
        return self.commands.get(name)

    def resolve_command(self, ctx: click.Context, args: list[str]) -> tuple[str | None, click.Command | None,
                                                                             list[str]]:
        cmd_name = args[0] if args else ""
        name = self.command_name(cmd_name, args[1:]) if args else None
        if name is None and args and not args[0].startswith("-"):
            own = tuple(n for n in self.factories if find(n) is None) + tuple(self.alias_names)
            raise NoSuchCommand(unknown_command(cmd_name, own))
        _, command, rest = super().resolve_command(ctx, [name or cmd_name, *args[1:]])
        if command is not None:
            no_option_as_value(command, rest, ctx)
        return (command.name if command else None), command, rest

    def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        by_target: dict[str, list[str]] = {}
        seen: set[str] = set()
        for op in OPS.values():  # the 2-D and rank-less names only: 1d and 3d are alike
            if op.command is not None and op.ndim in (None, 2):
                for word in (op.name, *op.aliases):
                    if squash(word) not in seen and squash(word) != squash(op.command):
                        seen.add(squash(word))
                        by_target.setdefault(op.command, []).append(word)
        for alias, target in self.alias_names.items():
            by_target.setdefault(target, []).append(alias)
        with formatter.section("Aliases"):
            formatter.write_dl([(t, ", ".join(a)) for t, a in by_target.items()])
            formatter.write_paragraph()
            formatter.write_text(RANKLESS)
        super().format_epilog(ctx, formatter)


#: names without a rank: the rank is that of --i (2 for one value)
RANKLESS = ("1d and 3d names alike. Names without a rank (ONNX's Conv, ConvTranspose, MaxPool, AveragePool, LpPool, "
            "MaxUnpool, "
            "GlobalAveragePool; Caffe's Deconvolution) take it from --i: as many axes as values, 2 for one value. "
            "Names are matched without regard to case, '-', '_' and '.'.")


def no_option_as_value(command: click.Command, args: Sequence[str], ctx: click.Context) -> None:
    """Raise Click's "requires an argument" when an option that takes a value is followed by another
    of the command's options (``--i --json``): Click would take ``--json`` as the value, and the
    command would answer in text to a caller who asked for JSON."""
    options = [p for p in command.params if isinstance(p, click.Option)]
    names = {name for p in options for name in (*p.opts, *p.secondary_opts)}
    takes_value = {name for p in options if not p.is_flag and not p.count for name in p.opts}
    for j, word in enumerate(args[:-1]):
        if word == "--":
            return
        if word in takes_value and args[j + 1] in names:
            raise click.BadOptionUsage(word, f"Option '{word}' requires an argument.", ctx)


def rank_from_args(args: Sequence[str]) -> int:
    """The rank a rank-less op name gets: the number of values of ``--i`` (2 for one, or none)."""
    for j, arg in enumerate(args):
        value = None
        if arg in ("--i", "--input") and j + 1 < len(args):
            value = args[j + 1]
        elif arg.startswith(("--i=", "--input=")):
            value = arg.partition("=")[2]
        if value is not None:
            count = len(value.split(","))
            return count if count in (2, 3) else 2
    return 2


def unknown_command(name: str, commands: tuple[str, ...]) -> str:
    """The one line for a name that is no command: what it is, or the nearest names."""
    op = find(name)
    if op is not None and op.family is Family.POOL and op.pool is None:
        return f"no such command {name!r}: {op.name} names no kind; use maxpool2d, avgpool2d or lppool2d"
    if op is not None:
        return (f"no such command {name!r}: {op.name} is a {op.family.value} layer of networks only; "
                f"use it in chain or summary")
    return f"no such command {name!r}" + did_you_mean(suggest(name, commands))


@click.group(cls=LazyAliasGroup, epilog=EPILOG, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="convshape", message="%(prog)s %(version)s")
def main() -> None:
    """Shape arithmetic for convolution layers, as each framework applies it.

    Frameworks: torch (default), tf, keras, jax, onnx, caffe.
    Per-axis values are comma-separated (--k 3,5); asymmetric padding is before:after (--p 0:1,1:2).
    """


#: how each op family's command is built: (module, factory) in this package; the args come from the op
_FACTORIES: dict[Family, tuple[str, str]] = {
    Family.CONV: ("cli.conv", "make_conv"), Family.CONV_TRANSPOSE: ("cli.conv", "make_conv_transpose"),
    Family.POOL: ("cli.pool", "make_pool"), Family.ADAPTIVE_POOL: ("cli.unpool", "make_adaptive"),
    Family.FRACTIONAL_POOL: ("cli.unpool", "make_fractional"), Family.UNPOOL: ("cli.unpool", "make_unpool"),
    Family.RESAMPLE: ("cli.resample", "make_interpolate"), Family.PIXEL_SHUFFLE: ("cli.resample", "make_pixel_shuffle"),
    Family.UNFOLD: ("cli.unfold", "make_unfold"),
    Family.DEPTHWISE_CONV: ("cli.conv", "make_depthwise"), Family.SEPARABLE_CONV: ("cli.conv", "make_depthwise"),
}


def _factory_args(op: Op) -> tuple[Any, ...]:
    if op.family is Family.POOL or op.family is Family.ADAPTIVE_POOL:
        return (op.pool, op.ndim)
    if op.family is Family.RESAMPLE:
        return (op.name,)
    if op.family is Family.PIXEL_SHUFFLE:
        return (op.name == "pixel-unshuffle",)
    if op.family is Family.UNFOLD:
        return (op.name == "fold",)
    if op.family in (Family.DEPTHWISE_CONV, Family.SEPARABLE_CONV):
        return (op.ndim, op.family is Family.SEPARABLE_CONV)
    return (op.ndim,)


def _op_commands() -> list[tuple[str, tuple[str, str, tuple[Any, ...]], tuple[str, ...]]]:
    """One command per op that is its own command; its aliases are every name of every op it computes."""
    names: dict[str, list[str]] = {}
    for op in OPS.values():
        if op.command is not None:
            names.setdefault(op.command, []).extend(
                [op.name, *op.aliases] if op.name != op.command else list(op.aliases))
    commands = []
    for name, words in names.items():
        op = OPS[name]
        seen = {squash(name)}
        aliases = []
        for word in words:  # one spelling per squashed name: Conv2d and conv2d are one alias
            key = squash(word)
            if key not in seen:
                seen.add(key)
                aliases.append(word)
        commands.append((name, (*_FACTORIES[op.family], _factory_args(op)), tuple(aliases)))
    return commands


#: every command: name -> (module, factory, args), aliases. Modules load only when called.
COMMANDS: list[tuple[str, tuple[str, str, tuple[Any, ...]], tuple[str, ...]]] = [
    *_op_commands(),
    # networks (convshape/cli/network.py)
    ("summary", ("cli.network", "make_summary", ()), ("net", "network", "model")),
    ("chain", ("cli.network", "make_chain", ()), ()),
    ("check", ("cli.network", "make_check", ()), ()),
    ("sweep", ("cli.network", "make_sweep", ()), ()),
    # solving for parameters, and pictures (convshape/cli/solve.py, convshape/cli/explain.py)
    ("solve", ("cli.solve", "make_solve", ()), ()),
    ("translate", ("cli.translate", "make_translate", ()), ("port",)),
    ("explain", ("cli.explain", "make_explain", ()), ("draw",)),
    ("frameworks", ("cli.conv", "make_frameworks", ()), ()),
]


def _register(group: LazyAliasGroup) -> None:
    for name, factory, aliases in COMMANDS:
        group.lazy(name, factory, aliases)


_register(main)
