"""The command-line interface: a thin Click layer over :mod:`convshape.api.conv`.

Each command calls one API function with the same parameter names, then prints the result
as JSON (``--json``), rich tables (a terminal), or plain text (piped, or ``NO_COLOR`` set).
Exit codes: 0 ok, 1 invalid configuration in the framework, 2 usage error.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from convshape import __version__
from convshape.cli.common import EPILOG

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


@click.group(cls=LazyAliasGroup, epilog=EPILOG, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="convshape", message="%(prog)s %(version)s")
def main() -> None:
    """Shape arithmetic for convolution layers, as each framework applies it.

    Frameworks: torch (default), tf, keras, jax, onnx, caffe.
    Per-axis values are comma-separated (--k 3,5); asymmetric padding is before:after (--p 0:1,1:2).
    """


#: every command: name -> (module, factory, args), aliases. Modules load only when called.
COMMANDS: list[tuple[str, tuple[str, str, tuple], tuple[str, ...]]] = [
    *[(f"conv{n}d", ("cli.conv", "make_conv", (n,)), (f"convolution{n}d",)) for n in (1, 2, 3)],
    *[(f"conv-transpose{n}d", ("cli.conv", "make_conv_transpose", (n,)),
       (f"deconv{n}d", f"convtranspose{n}d", f"conv{n}d-transpose", f"transposed-conv{n}d", f"conv-transposed{n}d",
        f"deconvolution{n}d")) for n in (1, 2, 3)],
    # pooling (convshape/cli_pool.py)
    *[(f"maxpool{n}d", ("cli.pool", "make_pool", ("max", n)), (f"max-pool{n}d", f"maxpooling{n}d"))
      for n in (1, 2, 3)],
    *[(f"avgpool{n}d", ("cli.pool", "make_pool", ("avg", n)),
       (f"avg-pool{n}d", f"averagepooling{n}d", f"average-pool{n}d")) for n in (1, 2, 3)],
    *[(f"lppool{n}d", ("cli.pool", "make_pool", ("lp", n)), (f"lp-pool{n}d",)) for n in (1, 2)],
    # adaptive and fractional pooling, unpooling (convshape/cli_unpool.py)
    *[(f"adaptive-{kind}pool{n}d", ("cli.unpool", "make_adaptive", (kind, n)), (f"adaptive{kind}pool{n}d",))
      for kind in ("avg", "max") for n in (1, 2, 3)],
    *[(f"fractional-maxpool{n}d", ("cli.unpool", "make_fractional", (n,)), (f"fractionalmaxpool{n}d",))
      for n in (2, 3)],
    *[(f"maxunpool{n}d", ("cli.unpool", "make_unpool", (n,)), (f"max-unpool{n}d", f"unpool{n}d"))
      for n in (1, 2, 3)],
    # resampling (convshape/cli_resample.py)
    ("upsample", ("cli.resample", "make_interpolate", ("upsample",)),
     ("upsampling", "upsampling1d", "upsampling2d", "upsampling3d")),
    ("interpolate", ("cli.resample", "make_interpolate", ("interpolate",)), ("resize",)),
    ("pixel-shuffle", ("cli.resample", "make_pixel_shuffle", (False,)), ("pixelshuffle", "depth-to-space",
                                                                        "subpixel")),
    ("pixel-unshuffle", ("cli.resample", "make_pixel_shuffle", (True,)), ("pixelunshuffle", "space-to-depth")),
    # networks (convshape/cli_network.py)
    ("summary", ("cli.network", "make_summary", ()), ("net", "network", "model")),
    ("chain", ("cli.network", "make_chain", ()), ()),
    ("check", ("cli.network", "make_check", ()), ()),
    ("sweep", ("cli.network", "make_sweep", ()), ()),
    # solving for parameters, and pictures (convshape/cli_solve.py, convshape/cli_explain.py)
    ("solve", ("cli.solve", "make_solve", ()), ()),
    ("explain", ("cli.explain", "make_explain", ()), ("draw",)),
    ("frameworks", ("cli.conv", "make_frameworks", ()), ()),
]


def _register(group: LazyAliasGroup) -> None:
    for name, factory, aliases in COMMANDS:
        group.lazy(name, factory, aliases)


_register(main)  # type: ignore[arg-type]
