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
    from convshape.network.evaluate import CheckReport, NetworkReport, SpecArg
    from convshape.network.sweep import SweepResult


def _keras(spec: SpecArg) -> KerasModel | None:
    """The Keras model a ``.keras`` file or a Keras ``.json`` (``model.to_json()``) holds; None for
    anything else (a ``.json`` that is a convshape spec, too)."""
    if not isinstance(spec, str) or not spec.lower().endswith((".keras", ".json")):
        return None
    from convshape.models.keras import load

    return load(spec)


def network(spec: SpecArg, *, input: object = None, framework: str | None = None) -> NetworkReport:
    """Shape a network, layer by layer (node by node for a model file); see
    :func:`convshape.network.evaluate.network` for spec files."""
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
          framework: str | None = None) -> SweepResult:
    """The input sizes in ``range`` for which the whole network is valid; see
    :func:`convshape.network.sweep.sweep`."""
    from convshape.network.sweep import sweep as spec_sweep

    keras = _keras(spec)
    if keras is not None:
        from convshape.models.keras import sweep_spec

        return sweep_spec(keras, range, axis=axis, input=input, framework=framework)
    return spec_sweep(spec, range, axis=axis, input=input, framework=framework)
