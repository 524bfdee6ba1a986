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

#: how a command is built: (module of this package, factory function, its arguments); imported when called
Factory = tuple[str, str, tuple[Any, ...]]


class NoSuchCommand(CliError):
    """An unknown command: one line on stderr (with the nearest names), exit 2 as Click's usage errors."""

    def __init__(self, message: str) -> None:
        super().__init__(message, Rule.UNKNOWN_COMMAND)


class LazyAliasGroup(click.Group):
    """A group that builds a command only when it is called (start-up time), and also
    answers to every name :mod:`convshape.ops` knows for an op (``deconv2d``, ``Conv2DTranspose``).

    A command called by its own name loads neither its siblings' modules nor the op vocabulary:
    the aliases are indexed on the first name that is not a command's own."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.factories: dict[str, Callable[[], click.Command]] = {}
        self.registered: list[tuple[str, tuple[str, ...]]] = []  # (command, its own aliases), in order
        self._aliases: dict[str, str] | None = None
        self._alias_names: dict[str, str] | None = None

    def lazy(self, name: str, factory: Callable[[], click.Command] | Factory, aliases: tuple[str, ...] = ()) -> None:
        """Register a command by name; ``factory`` builds it, or names it as ``(module, function,
        args)`` in this package, so the module is imported only when the command is called.
        An op command also answers to every name of the ops it computes (:func:`op_aliases`)."""
        if isinstance(factory, tuple):
            module, function, args = factory

            def load() -> click.Command:
                from importlib import import_module

                command: click.Command = getattr(import_module(f"convshape.{module}"), function)(*args)
                return command

            self.factories[name] = load
        else:
            self.factories[name] = factory
        self.registered.append((name, aliases))
        self._aliases = self._alias_names = None  # indexed again on the next need

    @property
    def aliases(self) -> dict[str, str]:
        """Squashed alias -> command name: every command's own aliases and every op name."""
        if self._aliases is None:
            self._index()
        assert self._aliases is not None
        return self._aliases

    @property
    def alias_names(self) -> dict[str, str]:
        """Alias as documented -> command name, for the commands that are not ops."""
        if self._alias_names is None:
            self._index()
        assert self._alias_names is not None
        return self._alias_names

    def _index(self) -> None:
        from convshape.ops import find, squash

        words = op_aliases()
        aliases: dict[str, str] = {}
        names: dict[str, str] = {}
        for name, own in self.registered:
            aliases[squash(name)] = name
            listed = find(name) is None  # op commands' aliases are listed from convshape.ops
            for alias in (*words.get(name, ()), *own):
                aliases.setdefault(squash(alias), name)
                if listed:
                    names[alias] = name
        self._aliases, self._alias_names = aliases, names

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
        from convshape.ops import find, squash, with_rank

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
            from convshape.ops import find

            own = tuple(n for n in self.factories if find(n) is None) + tuple(self.alias_names)
            raise NoSuchCommand(unknown_command(cmd_name, own))
        _, command, rest = super().resolve_command(ctx, [name or cmd_name, *args[1:]])
        if command is not None:
            no_option_as_value(command, rest, ctx)
        return (command.name if command else None), command, rest

    def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        from convshape.ops import OPS, squash

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
    from convshape.ops import Family, did_you_mean, find, suggest

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


def op_commands() -> list[tuple[str, Factory, tuple[str, ...]]]:
    """One command per op that is its own command, as :mod:`convshape.ops` says: its name, how it
    is built, and its aliases (every name of every op it computes), in the order of ``OPS``."""
    from convshape.ops import OPS, Family, Op, squash

    factories: dict[Family, tuple[str, str]] = {
        Family.CONV: ("cli.conv", "make_conv"), Family.CONV_TRANSPOSE: ("cli.conv", "make_conv_transpose"),
        Family.POOL: ("cli.pool", "make_pool"), Family.ADAPTIVE_POOL: ("cli.unpool", "make_adaptive"),
        Family.FRACTIONAL_POOL: ("cli.unpool", "make_fractional"), Family.UNPOOL: ("cli.unpool", "make_unpool"),
        Family.RESAMPLE: ("cli.resample", "make_interpolate"),
        Family.PIXEL_SHUFFLE: ("cli.resample", "make_pixel_shuffle"),
        Family.UNFOLD: ("cli.unfold", "make_unfold"),
        Family.DEPTHWISE_CONV: ("cli.conv", "make_depthwise"), Family.SEPARABLE_CONV: ("cli.conv", "make_depthwise"),
    }

    def factory_args(op: Op) -> tuple[Any, ...]:
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
        commands.append((name, (*factories[op.family], factory_args(op)), tuple(aliases)))
    return commands


def op_aliases() -> dict[str, tuple[str, ...]]:
    """Op command -> its aliases, from :mod:`convshape.ops` (:func:`op_commands`)."""
    return {name: aliases for name, _, aliases in op_commands()}


#: every command: name, how it is built (module, factory, args), its own aliases. Modules load only
#: when a command is called. The op commands come first, written out as op_commands() derives them from
#: convshape.ops (one per op that is its own command, in the order of OPS; tests/test_cli_startup.py keeps
#: them equal), so that a command called by its name loads no op vocabulary; their aliases are read from
#: convshape.ops on the first name that is no command's own.
COMMANDS: list[tuple[str, Factory, tuple[str, ...]]] = [
    ("conv1d", ("cli.conv", "make_conv", (1,)), ()),
    ("conv-transpose1d", ("cli.conv", "make_conv_transpose", (1,)), ()),
    ("maxpool1d", ("cli.pool", "make_pool", ("max", 1)), ()),
    ("avgpool1d", ("cli.pool", "make_pool", ("avg", 1)), ()),
    ("lppool1d", ("cli.pool", "make_pool", ("lp", 1)), ()),
    ("maxunpool1d", ("cli.unpool", "make_unpool", (1,)), ()),
    ("adaptive-avgpool1d", ("cli.unpool", "make_adaptive", ("avg", 1)), ()),
    ("adaptive-maxpool1d", ("cli.unpool", "make_adaptive", ("max", 1)), ()),
    ("upsample1d", ("cli.resample", "make_interpolate", ("upsample1d",)), ()),
    ("depthwise-conv1d", ("cli.conv", "make_depthwise", (1, False)), ()),
    ("separable-conv1d", ("cli.conv", "make_depthwise", (1, True)), ()),
    ("conv2d", ("cli.conv", "make_conv", (2,)), ()),
    ("conv-transpose2d", ("cli.conv", "make_conv_transpose", (2,)), ()),
    ("maxpool2d", ("cli.pool", "make_pool", ("max", 2)), ()),
    ("avgpool2d", ("cli.pool", "make_pool", ("avg", 2)), ()),
    ("lppool2d", ("cli.pool", "make_pool", ("lp", 2)), ()),
    ("maxunpool2d", ("cli.unpool", "make_unpool", (2,)), ()),
    ("adaptive-avgpool2d", ("cli.unpool", "make_adaptive", ("avg", 2)), ()),
    ("adaptive-maxpool2d", ("cli.unpool", "make_adaptive", ("max", 2)), ()),
    ("fractional-maxpool2d", ("cli.unpool", "make_fractional", (2,)), ()),
    ("upsample2d", ("cli.resample", "make_interpolate", ("upsample2d",)), ()),
    ("upsample-bilinear2d", ("cli.resample", "make_interpolate", ("upsample-bilinear2d",)), ()),
    ("depthwise-conv2d", ("cli.conv", "make_depthwise", (2, False)), ()),
    ("separable-conv2d", ("cli.conv", "make_depthwise", (2, True)), ()),
    ("conv3d", ("cli.conv", "make_conv", (3,)), ()),
    ("conv-transpose3d", ("cli.conv", "make_conv_transpose", (3,)), ()),
    ("maxpool3d", ("cli.pool", "make_pool", ("max", 3)), ()),
    ("avgpool3d", ("cli.pool", "make_pool", ("avg", 3)), ()),
    ("lppool3d", ("cli.pool", "make_pool", ("lp", 3)), ()),
    ("maxunpool3d", ("cli.unpool", "make_unpool", (3,)), ()),
    ("adaptive-avgpool3d", ("cli.unpool", "make_adaptive", ("avg", 3)), ()),
    ("adaptive-maxpool3d", ("cli.unpool", "make_adaptive", ("max", 3)), ()),
    ("fractional-maxpool3d", ("cli.unpool", "make_fractional", (3,)), ()),
    ("upsample3d", ("cli.resample", "make_interpolate", ("upsample3d",)), ()),
    ("upsample", ("cli.resample", "make_interpolate", ("upsample",)), ()),
    ("interpolate", ("cli.resample", "make_interpolate", ("interpolate",)), ()),
    ("pixel-shuffle", ("cli.resample", "make_pixel_shuffle", (False,)), ()),
    ("pixel-unshuffle", ("cli.resample", "make_pixel_shuffle", (True,)), ()),
    ("unfold", ("cli.unfold", "make_unfold", (False,)), ()),
    ("fold", ("cli.unfold", "make_unfold", (True,)), ()),
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
