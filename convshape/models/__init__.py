"""Networks from any source: convshape spec files (TOML / JSON), and the model files people
already have (ONNX, Keras), read without their frameworks.

The network commands (``summary``, ``check``, ``sweep``) call the functions here, which pick
the reader by the file: :mod:`convshape.network` for spec files and dicts, a module of this
package per model format. Every op name goes through the one op vocabulary
(:mod:`convshape.ops`) where the op is a layer convshape already models.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from convshape.errors import Rule, ShapeError

if TYPE_CHECKING:
    from convshape.network.evaluate import CheckReport, NetworkReport, SpecArg
    from convshape.network.sweep import SweepResult
    from convshape.network.symbolic import ConstrainedReport, FormulaReport


def network(spec: SpecArg, *, input: object = None, framework: str | None = None) -> NetworkReport:
    """Shape a network, layer by layer (node by node for a model file); see
    :func:`convshape.network.evaluate.network` for spec files."""
    from convshape.network.evaluate import network as spec_network

    return spec_network(spec, input=input, framework=framework)


def check(specs: Sequence[str], *, input: object = None, framework: str | None = None) -> CheckReport:
    """Check spec or model files: every layer valid, every skip connection aligned, every
    ``expect`` held. A malformed file does not stop the others: its report holds the error."""
    from convshape.network.evaluate import CheckReport, malformed

    reports = []
    for path in specs:
        try:
            reports.append(network(path, input=input, framework=framework))
        except ShapeError as exc:
            if exc.rule != Rule.BAD_SPEC:
                raise
            reports.append(malformed(path, exc))
    return CheckReport(tuple(reports))


def sweep(spec: SpecArg, range: object = "1..4096", *, axis: int | None = None, input: object = None,
          framework: str | None = None, constraints: bool = False, emit: Sequence[str] = ()) -> SweepResult:
    """The input sizes in ``range`` for which the whole network is valid; see
    :func:`convshape.network.sweep.sweep`. ``constraints``: also as constraints with their causes
    (:mod:`convshape.network.symbolic`, checked against the sweep's answer); ``emit``: dynamic-shape
    specs for these exporters (:mod:`convshape.network.emit`)."""
    from convshape.network.evaluate import as_spec
    from convshape.network.sweep import sweep as spec_sweep

    parsed = as_spec(spec, input=input, framework=framework)
    result = spec_sweep(parsed, range, axis=axis)
    if not constraints and not emit:
        return result
    from convshape.network.emit import emit as emit_spec
    from convshape.network.symbolic import analyse, agrees
    from convshape.network.symbolic import constraints as solve

    try:
        net = analyse(parsed)
        found = solve(net, result.range, axis=axis)
    except ShapeError as exc:  # e.g. a range the fallback cannot try size by size: the sweep still stands
        return result._replace(notes=result.notes + (f"no constraints: {exc.message}",))
    if not agrees(found, result.valid):
        return result._replace(notes=result.notes + ("the constraints derived from the layers' formulas disagree "
                                                     "with the sweep (please report it): left out",))
    emitted = tuple(emit_spec(net, target, result.range) for target in emit)
    return result._replace(constraints=found, emitted=emitted)


def formulas(spec: SpecArg, *, input: object = None, framework: str | None = None,
             range: object = "1..4096") -> FormulaReport:
    """A network's report with every layer's output size as a formula of the input sizes, and the
    constraints on square inputs over ``range`` with their causes."""
    from convshape.network.evaluate import as_spec, evaluate
    from convshape.network.symbolic import FormulaReport, analyse, constraints
    from convshape.params import int_range

    parsed = as_spec(spec, input=input, framework=framework)
    net = analyse(parsed)
    return FormulaReport(evaluate(parsed), net, constraints(net, int_range(range)))


def summary(spec: SpecArg, *, input: object = None, framework: str | None = None,
            range: object = "1..4096") -> ConstrainedReport:
    """A network's report, then the sizes ``n`` in ``range`` it accepts as square inputs (every
    spatial axis ``n``), as constraints with their causes (:mod:`convshape.network.symbolic`)."""
    from convshape.network.evaluate import as_spec
    from convshape.network.symbolic import constrained
    from convshape.params import int_range

    return constrained(as_spec(spec, input=input, framework=framework), int_range(range))
