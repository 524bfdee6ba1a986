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


def _no_compare(compare: bool, spec: SpecArg) -> None:
    if compare:
        raise ShapeError(f"compare applies to model files (.onnx), where the ONNX spec and onnxruntime may disagree; "
                         f"{spec if isinstance(spec, str) else 'a spec'} is a spec file",
                         rule=Rule.OPTION_NOT_APPLICABLE, values={"compare": True})


def network(spec: SpecArg, *, input: object = None, framework: str | None = None,
            compare: bool = False) -> NetworkReport:
    """Shape a network, layer by layer (node by node for a model file); see
    :func:`convshape.network.evaluate.network` for spec files. ``compare`` (model files): also
    the nodes whose shape or acceptance differs between the ONNX spec and onnxruntime."""
    from convshape.models.onnx_model import is_model

    if is_model(spec):
        from convshape.models.onnx_model import network as onnx_network

        return onnx_network(spec, input=input, framework=framework, compare=compare)  # type: ignore[arg-type]
    _no_compare(compare, spec)
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
          framework: str | None = None, compare: bool = False) -> SweepResult:
    """The input sizes in ``range`` for which the whole network is valid; see
    :func:`convshape.network.sweep.sweep`. ``compare`` (model files): also the sizes where the
    ONNX spec and onnxruntime disagree."""
    from convshape.models.onnx_model import is_model

    if is_model(spec):
        from convshape.models.onnx_model import sweep as onnx_sweep

        return onnx_sweep(spec, range, axis=axis, input=input, framework=framework,  # type: ignore[arg-type]
                          compare=compare)
    _no_compare(compare, spec)
    from convshape.network.sweep import sweep as spec_sweep

    return spec_sweep(spec, range, axis=axis, input=input, framework=framework)
