"""The solve command: a thin Click layer over :func:`convshape.api.solve.solve`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, NamedTuple

import click

from convshape.cli.common import FrameworkChoice, epilog, run, to_flags

if TYPE_CHECKING:  # pragma: no cover
    from convshape.api.solve import SolveResult
    from convshape.render.conv import Block

#: solve's API parameters -> its options, for the engine's messages (try max_stride=34)
FLAGS = {"op": "--op", "max_kernel": "--max-kernel", "max_stride": "--max-stride", "max_dilation": "--max-dilation",
         "max_padding": "--max-padding", "for_all_inputs": "--for-all-inputs", "all_splits": "--all-splits",
         "scale": "--scale", "limit": "--limit", "input": "--i", "output_size": "--o"}
#: a solution's API arguments -> the options of the op's command, in the order they are printed
LAYER_FLAGS = (("input", "--i"), ("kernel", "--k"), ("stride", "--s"), ("padding", "--p"), ("dilation", "--d"),
               ("output_padding", "--output-padding"), ("output_size", "--o"))
MORE = "--limit N shows N, --limit 0 all, --json lists each axis's answers"


def command_line(op: str, framework: str, arguments: Mapping[str, Any], ceil_default: bool | None) -> str:
    """The convshape command that reproduces one solution: its arguments as the op's options
    (dilation only where not 1, ceil_mode only where not the framework's default)."""
    words = [op]
    for key, flag in LAYER_FLAGS:
        if key in arguments and not (key == "dilation" and set(str(arguments[key]).split(",")) == {"1"}):
            words += [flag, str(arguments[key])]
    ceil = arguments.get("ceil_mode")
    if ceil is not None and ceil != ceil_default:
        words.append("--ceil-mode" if ceil else "--floor-mode")
    return " ".join([*words, "-f", framework])


class SolveOutput(NamedTuple):
    """What ``convshape solve`` prints: the engine's result and each solution's command line."""

    result: SolveResult
    commands: tuple[str, ...]

    @property
    def op(self) -> str:
        return self.result.op

    def to_dict(self) -> dict[str, Any]:
        data = self.result.to_dict()
        for solution, command in zip(data["solutions"], self.commands):
            solution["command"] = command
        return data


def solve_output(result: SolveResult) -> SolveOutput:
    ceil_default = None
    if result.pool:
        from convshape.frameworks import pool_rules

        ceil_default = pool_rules(result.framework).ceil_default
    # the engine's notes name its parameters (all_splits=True): here they are this command's options
    result = result._replace(notes=tuple(to_flags(note, FLAGS) for note in result.notes))
    return SolveOutput(result, tuple(command_line(result.op, result.framework, s.arguments, ceil_default)
                                     for s in result.solutions))


def report(output: SolveOutput) -> list[Block]:
    """The solve report (convshape.render.solve) with this command's command lines and hints."""
    from convshape.render.solve import solve_report

    return solve_report(output.result, commands=output.commands, more=MORE)


def make_solve() -> click.Command:
    """The ``solve`` command: which kernel, stride, padding, dilation and output_padding give a size."""

    @click.command("solve", epilog=epilog(
        "solve --i 224 --o 112",
        "solve --i 64,48 --o 128,96 --op deconv2d -f tf --limit 5",
        "solve --for-all-inputs --scale 2 --op conv-transpose1d --json",
        notes="--for-all-inputs --scale 1/N: the layers giving exactly i/N for every multiple of N "
              "(each answer says what other sizes give)."))
    @click.option("--i", "--input", "input", default=None, metavar="N[,N...]",
                  help="Input size per spatial axis (one value applies to every axis).")
    @click.option("--o", "--output-size", "output_size", default=None, metavar="N[,N...]",
                  help="The output size wanted, per spatial axis.")
    @click.option("--op", "op", default=None, metavar="OP",
                  help="conv2d (default: conv with as many axes as values), conv-transpose2d / deconv2d, maxpool2d, "
                       "avgpool2d, lppool2d; 1d, 2d or 3d; any of their aliases (Conv2DTranspose, AveragePooling2D, "
                       "...).")
    @click.option("-f", "--framework", "framework", default="torch", show_default=True,
                  type=FrameworkChoice(), help="Whose rules to apply.")
    @click.option("--for-all-inputs", "for_all_inputs", is_flag=True,
                  help="Solve for every input size at once (with --scale), each answer proved for all sizes.")
    @click.option("--scale", "scale", default=None, metavar="N|1/N",
                  help="With --for-all-inputs: output = N * input (transposed) or input / N, per axis comma-separated.")
    @click.option("--max-kernel", "max_kernel", type=int, default=7, show_default=True, help="Largest kernel tried.")
    @click.option("--max-stride", "max_stride", type=int, default=4, show_default=True, help="Largest stride tried.")
    @click.option("--max-dilation", "max_dilation", type=int, default=2, show_default=True,
                  help="Largest dilation tried.")
    @click.option("--max-padding", "max_padding", type=int, default=None,
                  help="Largest padding per side. Default: the effective kernel - 1 (windows that touch the input).")
    @click.option("--all-splits", "all_splits", is_flag=True,
                  help="List every before:after split of an explicit padding, not only symmetric / odd one at the end.")
    @click.option("--limit", "limit", type=int, default=20, show_default=True,
                  help="Solutions shown (table and JSON); 0 shows all.")
    @click.option("--json", "as_json", is_flag=True, help="Print one JSON object and nothing else.")
    def command(input: str | None, output_size: str | None, op: str | None, framework: str, for_all_inputs: bool,
                scale: str | None, max_kernel: int, max_stride: int, max_dilation: int, max_padding: int | None,
                all_splits: bool, limit: int, as_json: bool) -> None:
        from convshape.api.solve import solve

        run(as_json, lambda: solve_output(solve(input, output_size, op, framework=framework,
                                                for_all_inputs=for_all_inputs, scale=scale, max_kernel=max_kernel,
                                                max_stride=max_stride, max_dilation=max_dilation,
                                                max_padding=max_padding, all_splits=all_splits, limit=limit)),
            "cli.solve.report", flags=FLAGS)

    command.help = ("Every kernel, stride, padding, dilation and output_padding (ceil_mode for pooling) that maps "
                    "--i to --o in the framework, simplest first; or, with --for-all-inputs --scale, the layers "
                    "that scale every input size exactly, each with its proof.")
    return command
