"""The solve command: a thin Click layer over :func:`convshape.api.solve.solve`."""

from __future__ import annotations

import click

from convshape.cli.common import FrameworkChoice, epilog, run


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
                       "avgpool2d; 1d, 2d or 3d.")
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

        run(as_json, lambda: solve(input, output_size, op, framework=framework, for_all_inputs=for_all_inputs,
                                   scale=scale, max_kernel=max_kernel, max_stride=max_stride,
                                   max_dilation=max_dilation, max_padding=max_padding, all_splits=all_splits,
                                   limit=limit), "render.solve.solve_report")

    command.help = ("Every kernel, stride, padding, dilation and output_padding (ceil_mode for pooling) that maps "
                    "--i to --o in the framework, simplest first; or, with --for-all-inputs --scale, the layers "
                    "that scale every input size exactly, each with its proof.")
    return command
