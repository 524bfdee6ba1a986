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
    from convshape.models.keras import KerasModel
    from convshape.network.evaluate import CheckReport, NetworkReport, NetworkSpec, SpecArg
    from convshape.network.sweep import SweepResult
    from convshape.network.evaluate import ConstrainedReport
    from convshape.network.symbolic import FormulaReport


def _no_compare(compare: bool, spec: SpecArg) -> None:
    if compare:
        raise ShapeError(f"compare applies to model files (.onnx), where the ONNX spec, onnxruntime and torch may "
                         f"disagree; {spec if isinstance(spec, str) else 'a spec'} is a spec file",
                         rule=Rule.OPTION_NOT_APPLICABLE, values={"compare": True})


def _keras(spec: SpecArg) -> KerasModel | None:
    """The Keras model a ``.keras`` file or a Keras ``.json`` (``model.to_json()``) holds; None for
    anything else (a ``.json`` that is a convshape spec, too)."""
    if not isinstance(spec, str) or not spec.lower().endswith((".keras", ".json")):
        return None
    from convshape.models.keras import load

    return load(spec)


def network(spec: SpecArg, *, input: object = None, framework: str | None = None,
            compare: bool = False) -> NetworkReport:
    """Shape a network, layer by layer (node by node for a model file); see
    :func:`convshape.network.evaluate.network` for spec files. ``compare`` (model files): also
    the nodes whose shape or acceptance differs between the ONNX spec, onnxruntime and (a model
    exported from torch) torch."""
    from convshape.models.onnx_model import is_model

    if is_model(spec):
        from convshape.models.onnx_model import network as onnx_network

        return onnx_network(spec, input=input, framework=framework, compare=compare)  # type: ignore[arg-type]
    _no_compare(compare, spec)
    from convshape.network.evaluate import network as spec_network

    keras = _keras(spec)
    if keras is not None:
        from convshape.models.keras import network_report

        return network_report(keras, input=input, framework=framework)
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
          framework: str | None = None, constraints: bool = False, emit: Sequence[str] = (),
          compare: bool = False) -> SweepResult:
    """The input sizes in ``range`` for which the whole network is valid; see
    :func:`convshape.network.sweep.sweep`. ``constraints``: also as constraints with their causes
    (:mod:`convshape.network.symbolic`, checked against the sweep's answer); ``emit``: dynamic-shape
    specs for these exporters (:mod:`convshape.network.emit`); ``compare`` (model files): also the
    sizes where the ONNX spec, onnxruntime and (a model exported from torch) torch disagree.
    Constraints and emitted specs are derived for spec files and Keras models (not yet for ONNX
    models)."""
    from convshape.models.onnx_model import is_model

    if is_model(spec):
        if emit:
            raise ShapeError(f"emit applies to spec files; {spec} is a model file, whose valid sizes the sweep "
                             f"lists as progressions", rule=Rule.OPTION_NOT_APPLICABLE, values={"emit": list(emit)})
        from convshape.models.onnx_model import sweep as onnx_sweep

        return onnx_sweep(spec, range, axis=axis, input=input, framework=framework,  # type: ignore[arg-type]
                          compare=compare)
    _no_compare(compare, spec)
    keras = _keras(spec)
    if keras is not None:
        from convshape.models.keras import free_axes, network_spec, spatial_positions, sweep_spec

        result = sweep_spec(keras, range, axis=axis, input=input, framework=framework)
        if not constraints and not emit:
            return result
        positions = spatial_positions(keras)
        swept = positions if axis is None else positions[axis:axis + 1]
        if not set(swept) <= set(free_axes(keras)):  # the Input fixes a swept size: the sweep says which
            if emit:
                raise ShapeError(f"emit needs free input sizes: {spec}'s Input fixes the swept axes; save the model "
                                 f"with None there to export it with dynamic sizes",
                                 rule=Rule.OPTION_NOT_APPLICABLE, values={"emit": list(emit)})
            return result
        fill = None if input is not None else result.input[result.position]
        return _with_constraints(network_spec(keras, input=input, framework=framework, fill=fill), result, axis,
                                 emit)
    from convshape.network.evaluate import as_spec
    from convshape.network.sweep import sweep as spec_sweep

    parsed = as_spec(spec, input=input, framework=framework)
    result = spec_sweep(parsed, range, axis=axis)
    if not constraints and not emit:
        return result
    return _with_constraints(parsed, result, axis, emit)


def _with_constraints(parsed: NetworkSpec, result: SweepResult, axis: int | None,
                      emit: Sequence[str]) -> SweepResult:
    """``result`` with the network's constraints and the emitted dynamic-shape specs, where the
    constraints derived from the layers' formulas agree with the sweep."""
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


def summary(spec: SpecArg, *, input: object = None, framework: str | None = None, compare: bool = False,
            range: object = "1..4096") -> ConstrainedReport:
    """A network's report (:func:`network`); for a spec file, then the sizes ``n`` in ``range`` it
    accepts as square inputs (every spatial axis ``n``), as constraints with their causes
    (:mod:`convshape.network.symbolic`). Model files get none here (``sweep`` derives them for
    Keras models)."""
    from convshape.models.onnx_model import is_model
    from convshape.network.evaluate import ConstrainedReport

    if is_model(spec) or _keras(spec) is not None:
        return ConstrainedReport(network(spec, input=input, framework=framework, compare=compare), None)
    _no_compare(compare, spec)
    from convshape.network.evaluate import as_spec
    from convshape.network.symbolic import constrained
    from convshape.params import int_range

    return constrained(as_spec(spec, input=input, framework=framework), int_range(range))
