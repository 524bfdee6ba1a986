"""Commands for whole networks: ``summary`` (a spec file's table), ``chain`` (one-line layers),
``check`` (CI: exit 1 when a shape breaks) and ``sweep`` (every input size that works)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Protocol, TypeVar

import click

from convshape.cli.common import F, FrameworkChoice, SafePath, epilog, run

NOTES = ("Exit code 1 also when a layer fails, a skip connection does not align or an expect does not hold; "
         "2 for a malformed spec.")


R = TypeVar("R")


class _Checked(Protocol):
    """A network report or a check report: ``ok`` when every layer (and expect) holds."""

    @property
    def ok(self) -> bool: ...


def _kept(box: list[R], call: Callable[[], R]) -> Callable[[], R]:
    """``call``, its result also kept in ``box`` (read after cli.run has printed it)."""
    def kept() -> R:
        box.append(call())
        return box[0]

    return kept


#: the API's parameter names as these commands' options, in messages
FLAGS = {"input": "--i"}


def _run_failing(as_json: bool, call: Callable[[], _Checked], report: str) -> None:
    """cli.run, then exit 1 when the report is not ok (it is printed first, failures and all)."""
    box: list[_Checked] = []
    run(as_json, _kept(box, call), report, flags=FLAGS)
    if box and not box[0].ok:
        sys.exit(2 if getattr(box[0], "malformed", False) else 1)


def _framework_option(default: str | None) -> Callable[[F], F]:
    return click.option("-f", "--framework", "framework", default=default,
                        type=FrameworkChoice(),
                        help="Whose rules to apply" + (" (default: the spec's own)." if default is None else "."))


_JSON = click.option("--json", "as_json", is_flag=True, help="Print one JSON object and nothing else.")
_COMPARE = click.option("--compare", "compare", is_flag=True,
                        help="Model files: also where the ONNX spec (-f onnx), onnxruntime and (a model exported "
                             "from torch) torch disagree.")
_INPUT = click.option("--i", "--input", "input", default=None, metavar="SHAPE",
                      help="Override the spec's input tensor, e.g. 1x3x512x512.")


_FORMULAS = click.option("--formulas", "formulas", is_flag=True,
                         help="Also every layer's output size as a formula of the input sizes (H, W), the "
                              "condition on its input, and the constraints on square inputs n over 1..4096 with "
                              "their causes.")


def make_summary() -> click.Command:
    @click.command("summary", epilog=epilog("summary examples/networks/unet.toml",
                                            "summary examples/networks/dcgan.toml --json",
                                            notes=NOTES))
    @click.argument("spec", type=SafePath(dir_okay=False))
    @_INPUT
    @_framework_option(None)
    @_FORMULAS
    @_COMPARE
    @_JSON
    def command(spec: str, input: str | None, framework: str | None, formulas: bool, compare: bool,
                as_json: bool) -> None:
        """Shape a network from a spec file (TOML or JSON) or an ONNX model (.onnx): every layer's
        (node's) output tensor, weights, parameters, MACs, padding split and receptive field, with totals;
        for a spec file, then the square input sizes n (1..4096) it accepts, as constraints with their causes."""
        if formulas:
            from convshape.models import formulas as formula_report

            _run_failing(as_json, lambda: formula_report(spec, input=input, framework=framework),
                         "render.network.formula_report")
            return
        from convshape.models import summary

        _run_failing(as_json, lambda: summary(spec, input=input, framework=framework, compare=compare),
                     "render.network.summary_report")

    return command


def make_chain() -> click.Command:
    @click.command("chain", epilog=epilog(
        'chain --input 1x3x224x224 "conv2d 64 k=7 s=2 p=3" "maxpool2d k=3 s=2 p=1"',
        'chain --input 1x16x5x5 "depthwise-conv2d k=3" "conv2d 32 k=1" --json',
        'chain --input 1x28x28x1 -f keras "conv2d 32 k=3 p=same" "maxpool2d k=2" flatten "dense 10"',
        notes="A layer is the op, then its out_channels (or out_features, factor, output_size) where it has "
              "them, then key=value with short or long names: k kernel, s stride, p padding, d dilation, "
              "g groups, o output_size, op output_padding, name, inputs=a+b (skip connections).\n" + NOTES))
    @click.option("--i", "--input", "input", required=True, metavar="SHAPE",
                  help="The whole input tensor, e.g. 1x3x224x224 (in --data-format order).")
    @click.argument("layers", nargs=-1, required=True)
    @click.option("--data-format", "data_format", default=None, metavar="FORMAT",
                  help="NCHW, NHWC, NCDHW, NDHWC, NCW, NWC, channels-first or channels-last "
                       "(default: the framework's: tf and keras channels-last, torch, onnx, caffe and "
                       "jax (lax.conv_general_dilated's NCHW) channels-first).")
    @_framework_option("torch")
    @_FORMULAS
    @_JSON
    def command(input: str, layers: tuple[str, ...], data_format: str | None, framework: str,
                formulas: bool, as_json: bool) -> None:
        """Shape a chain of one-line layers, as `summary` does for a spec file."""
        from convshape.network.evaluate import chain, parse_chain

        if formulas:
            from convshape.models import formulas as formula_report

            _run_failing(as_json, lambda: formula_report(parse_chain(input, list(layers), framework=framework,
                                                                     data_format=data_format)),
                         "render.network.formula_report")
            return
        _run_failing(as_json, lambda: chain(input, list(layers), framework=framework, data_format=data_format),
                     "render.network.network_report")

    return command


def make_check() -> click.Command:
    @click.command("check", epilog=epilog("check examples/networks/unet.toml examples/networks/dcgan.toml",
                                          "check examples/networks/unet.toml --json",
                                          notes="Exit 0 when every file passes, 1 when a layer fails, a skip "
                                                "connection does not align or an expect does not hold, 2 when a "
                                                "spec is malformed (the other files are still checked)."))
    @click.argument("specs", nargs=-1, required=True, type=SafePath(dir_okay=False))
    @_INPUT
    @_framework_option(None)
    @_JSON
    def command(specs: tuple[str, ...], input: str | None, framework: str | None, as_json: bool) -> None:
        """Check spec files for CI: every layer valid, every skip connection aligned, every
        `expect` shape held."""
        from convshape.models import check

        _run_failing(as_json, lambda: check(list(specs), input=input, framework=framework),
                     "render.network.check_report")

    return command


def make_sweep() -> click.Command:
    @click.command("sweep", epilog=epilog("sweep examples/networks/unet.toml --range 1..4096",
                                          "sweep examples/networks/unet.toml --range 1..1000000 --json",
                                          "sweep examples/networks/unet.toml --range 100..300 --axis 1",
                                          "sweep examples/networks/unet.toml --emit torch-export",
                                          notes="Exit 1 when no size in the range is valid."))
    @click.argument("spec", type=SafePath(dir_okay=False))
    @click.option("--range", "range", default="1..4096", show_default=True, metavar="LO..HI",
                  help="The input sizes to try (inclusive).")
    @click.option("--axis", "axis", default=None, type=int, metavar="N",
                  help="Sweep only spatial axis N (0-based); the others stay as in the spec. "
                       "Default: square inputs, every spatial axis = n.")
    @click.option("--emit", "emit", multiple=True, type=click.Choice(("torch-export", "jax", "tensorrt", "onnx")),
                  help="Also a dynamic-shape spec for this exporter (each spatial axis on its own, the range's "
                       "valid sizes): torch.export dynamic_shapes, jax.export.symbolic_shape, a TensorRT "
                       "profile, ONNX output dims. Repeatable.")
    @_INPUT
    @_framework_option(None)
    @_COMPARE
    @_JSON
    def command(spec: str, range: str, axis: int | None, emit: tuple[str, ...], input: str | None,
                framework: str | None, compare: bool, as_json: bool) -> None:
        """Every input size for which the whole network is valid and its skip connections align,
        as runs and arithmetic progressions (fast for huge ranges: it uses the period of the
        network's strides)."""
        from convshape.models import sweep
        from convshape.network.sweep import SweepResult

        box: list[SweepResult] = []
        run(as_json, _kept(box, lambda: sweep(spec, range, axis=axis, input=input, framework=framework,
                                              constraints=True, emit=emit, compare=compare)),
            "render.network.sweep_report", flags=FLAGS)
        if box and not box[0].valid:
            sys.exit(1)

    return command
