"""ONNX model files: per-node shapes for one input, and the input sizes a model accepts.

A shape interpreter over concrete shapes: for a given input shape every tensor's shape (and,
for the small tensors shape computations make, its values) is propagated node by node with the
shape functions of :mod:`convshape.models.onnx_ops`; the first node that fails says why, in the
framework's words, and the nodes after it are "not computed". ``-f onnxruntime`` (the default)
applies onnxruntime 1.32's rules, ``-f onnx`` the operator spec as onnx's shape inference applies
it. The report is a :class:`convshape.network.evaluate.NetworkReport`, one layer per node, so the
network renderers and ``check`` work unchanged.
"""

from __future__ import annotations

import gc
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from convshape.errors import Rule, ShapeError
from convshape.models.graph import Graph, Node, ValueInfo
from convshape.models.onnx_ops import OPS, WEIGHT_INPUTS, Context, Tensor, from_constant, prod, shown, supported

if TYPE_CHECKING:
    from convshape.network.evaluate import LayerReport, NetworkReport
    from convshape.network.sweep import Progression, SweepResult

DEFAULT_FRAMEWORK = "onnxruntime"
FRAMEWORKS = ("onnx", "onnxruntime")


def is_model(path: object) -> bool:
    return isinstance(path, str) and path.lower().endswith(".onnx")


def load_graph(path: str) -> Graph:
    """The model's graph, read by convshape's own protobuf reader (no ``import onnx``)."""
    from convshape.models.onnx_wire import read_model

    return read_model(path)


# ---------------------------------------------------------------------------- the input
class Inputs(NamedTuple):
    """The graph's first input (the one --input sets and a sweep varies) and every input's shape."""

    name: str
    declared: tuple[int | str | None, ...]
    shape: tuple[int, ...]
    others: Mapping[str, Tensor]
    notes: tuple[str, ...]


def _free(graph: Graph, v: ValueInfo, axis: int) -> str:
    d = v.dims[axis] if v.dims is not None else None
    return f"{d!r}" if isinstance(d, str) else "unnamed"


def resolve_inputs(graph: Graph, input: object = None, *, free_ok: Sequence[int] = ()) -> Inputs:
    """The shape of every graph input: the first from ``input`` (a shape like 1x3x224x224) or its
    own dims; a named or unknown batch axis is 1; any other named or unknown axis is a free size
    that ``input`` must give (``free_ok``: axes a sweep sets itself, given as 1 here)."""
    from convshape.params import tensor_shape

    if not graph.inputs:
        raise ShapeError(f"the graph {graph.name!r} has no inputs", rule=Rule.BAD_SPEC, values={})
    first = graph.inputs[0]
    notes: list[str] = []
    if input is not None:
        shape = tensor_shape(input, "input", smallest=0)  # type: ignore[arg-type]
        if first.dims is not None and len(shape) != len(first.dims):
            raise ShapeError(f"input {shown(shape)} has rank {len(shape)}, but the model's input {first.name!r} has "
                             f"rank {len(first.dims)} ({_declared(first.dims)})", rule=Rule.BAD_SHAPE,
                             values={"input": list(shape)})
        declared = first.dims if first.dims is not None else tuple(None for _ in shape)
    else:
        if first.dims is None:
            raise ShapeError(f"the model's input {first.name!r} has no shape: give one, e.g. input=1x3x224x224",
                             rule=Rule.FREE_DIM, values={"input": first.name})
        declared = first.dims
        dims: list[int] = []
        missing: list[int] = []
        for axis, d in enumerate(declared):
            if isinstance(d, int) and d > 0:
                dims.append(d)
            elif axis == 0:
                dims.append(1)
                notes.append(f"the batch axis of {first.name!r} is free ({_free(graph, first, 0)}): batch 1")
            elif axis in free_ok:
                dims.append(1)
            else:
                dims.append(0)
                missing.append(axis)
        if missing:
            names = ", ".join(f"axis {a} ({_free(graph, first, a)})" for a in missing)
            raise ShapeError(f"the model's input {first.name!r} is {_declared(declared)}: {names} "
                             f"{'is a free size' if len(missing) == 1 else 'are free sizes'}; give the whole input "
                             f"shape, e.g. input={'x'.join(str(d) if d else '224' for d in dims)}",
                             rule=Rule.FREE_DIM, values={"input": first.name, "free_axes": missing})
        shape = tuple(dims)
    others: dict[str, Tensor] = {}
    for v in graph.inputs[1:]:
        if v.dims is None or not all(isinstance(d, int) and d >= 0 for d in v.dims):
            raise ShapeError(f"the model's second input {v.name!r} has free sizes ({_declared(v.dims or ())}); "
                             f"convshape sets only the first input's shape", rule=Rule.FREE_DIM,
                             values={"input": v.name})
        others[v.name] = Tensor(tuple(int(d) for d in v.dims), v.elem_type)  # type: ignore[arg-type]
    return Inputs(first.name, tuple(declared), shape, others, tuple(notes))


def _declared(dims: Sequence[int | str | None]) -> str:
    return "[" + ", ".join("?" if d is None else str(d) for d in dims) + "]"


# ---------------------------------------------------------------------------- evaluation
class NodeResult(NamedTuple):
    """One node's evaluation: outputs, or the rejection; pads, MACs and notes for the report."""

    outputs: tuple[Tensor, ...] | None
    error: ShapeError | None
    pad_before: tuple[int, ...]
    pad_after: tuple[int, ...]
    macs: int
    notes: tuple[str, ...]


def unsupported(graph: Graph) -> list[Node]:
    return [node for node in graph.nodes if not supported(node)]


def check_supported(graph: Graph, source: str) -> None:
    """An op convshape does not model is a usage error naming the node, op type and opset, never a guess."""
    missing = unsupported(graph)
    if missing:
        types = sorted({f"{n.domain + '.' if n.domain not in ('', 'ai.onnx') else ''}{n.op_type}" for n in missing})
        first = missing[0]
        opset = graph.opsets.get(first.domain, graph.opset) if first.domain else graph.opset
        raise ShapeError(f"{source}: node {first.name or '#' + str(graph.nodes.index(first))!r} is a {first.op_type}"
                         f"{' (domain ' + first.domain + ')' if first.domain not in ('', 'ai.onnx') else ''}, opset "
                         f"{opset}: convshape does not model it, so it cannot shape this model (unsupported op types: "
                         f"{', '.join(types)})", rule=Rule.UNMODELLED_OP,
                         values={"unsupported": types, "node": first.name, "op_type": first.op_type, "opset": opset})


def node_name(node: Node, index: int) -> str:
    return node.name or f"{node.op_type}_{index}"


class Model:
    """A graph ready to evaluate for many input shapes: constants read once, node results memoised
    by their input tensors (a sweep revisits the same shapes after every stride)."""

    def __init__(self, graph: Graph, source: str, framework: str, spatial: str | None = None) -> None:
        check_supported(graph, source)
        self.graph = graph
        self.source = source
        self.framework = framework
        #: whose rules the spatial ops take (see :class:`convshape.models.onnx_ops.Context`): ``framework``,
        #: or "torch" for the torch module the graph was exported from
        self.spatial = spatial or framework
        #: the answer's name: the framework, or "torch"
        self.label = self.spatial
        self.opset = graph.opset
        self.constants = {name: from_constant(t) for name, t in graph.initializers.items()}
        self.names = [node_name(n, i) for i, n in enumerate(graph.nodes)]
        #: node results by (what the node is, its inputs): nodes alike (the blocks of a ResNet stage) given
        #: the same tensors give the same result, computed once (a node's name never enters a result)
        self.memo: dict[tuple[str, tuple[Tensor | None, ...]], NodeResult] = {}
        self.node_cache: list[dict[str, Any]] = [{} for _ in graph.nodes]
        self.signatures = [f"{n.op_type} {n.domain} {len(n.outputs)} {sorted(n.attributes.items())!r}"
                           for n in graph.nodes]
        self.weights = [self._weights(n) for n in graph.nodes]
        #: the nodes that read only constants (their outputs are the same for every input)
        self.static_nodes: list[int] = []
        self.cuts = self._cuts()
        self.static_outputs = self._static_outputs()
        #: the constants and every constant-only node's outputs: where each evaluation starts
        self.base: dict[str, Tensor | None] = dict(self.constants)
        self.base[""] = None
        for _, made in self.static_outputs.values():
            self.base.update(made)
        self.static_ok = len(self.static_outputs) == len(self.static_nodes) and all(
            result.error is None for result, _ in self.static_outputs.values())
        static = set(self.static_outputs)
        #: the nodes that read the input (directly or not), in graph order
        self.dynamic = [i for i in range(len(graph.nodes)) if i not in static]
        #: (node position, the live tensors there) -> the first rejection from there on (None: runs)
        self.tails: dict[tuple[int, tuple[Tensor | None, ...]], tuple[str, str, str] | None] = {}

    def _static_outputs(self) -> dict[int, tuple[NodeResult, dict[str, Tensor | None]]]:
        """Each constant-only node evaluated once: its result and the tensors it makes."""
        tensors: dict[str, Tensor | None] = dict(self.constants)
        tensors[""] = None
        found = {}
        for index in self.static_nodes:
            node = self.graph.nodes[index]
            if any(tensors.get(name) is None and name for name in node.inputs):
                continue  # an input failed: left to the per-input evaluation, which reports it
            result = self.run_node(index, tuple(tensors.get(name) for name in node.inputs))
            made = {out: (result.outputs[i] if result.outputs and i < len(result.outputs) else None)
                    for i, out in enumerate(node.outputs) if out}  # "": an optional output left out
            tensors.update(made)
            found[index] = (result, made)
        return found

    def _cuts(self) -> dict[int, tuple[str, ...]]:
        """The node positions where few tensors computed from the input are alive (read by a later
        node or a graph output): everything from there on depends on those tensors alone, so two
        inputs that give them alike give the same answer. After a stride-2 layer, two input sizes
        in a row give the same tensor: a sweep evaluates the rest of the graph once for both."""
        static = set(self.graph.initializers)
        for index, node in enumerate(self.graph.nodes):
            if all(name == "" or name in static for name in node.inputs):
                static.update(node.outputs)
                self.static_nodes.append(index)
        last_use: dict[str, int] = {}
        for index, node in enumerate(self.graph.nodes):
            for name in node.inputs:
                last_use[name] = index
        end = len(self.graph.nodes)
        for v in self.graph.outputs:
            last_use[v.name] = end
        cuts: dict[int, tuple[str, ...]] = {}
        alive = {v.name for v in self.graph.inputs if v.name not in static and v.name in last_use}
        for index, node in enumerate(self.graph.nodes):
            alive = {name for name in alive if last_use.get(name, -1) >= index}
            if index and len(alive) <= 3:
                cuts[index] = tuple(sorted(alive))
            alive.update(name for name in node.outputs if name not in static and name in last_use)
        return cuts

    def _weights(self, node: Node) -> tuple[tuple[int, ...], ...]:
        found = []
        for i in WEIGHT_INPUTS.get(node.op_type, ()):
            name = node.inputs[i] if i < len(node.inputs) else ""
            t = self.graph.initializers.get(name)
            if t is not None and t.elem_type in (1, 10, 11, 16) and (node.op_type not in ("Add", "Mul", "Sub", "Div")
                                                                   or prod(t.dims) > 1):
                found.append(t.dims)
        return tuple(found)

    def run_node(self, index: int, xs: tuple[Tensor | None, ...]) -> NodeResult:
        key = (self.signatures[index], xs)
        found = self.memo.get(key)
        if found is not None:
            return found
        node = self.graph.nodes[index]
        ctx = Context(node, self.framework, self.opset, self.node_cache[index], self.spatial)
        try:
            outputs = OPS[node.op_type](ctx, xs)
            result = NodeResult(outputs, None, ctx.pad_before, ctx.pad_after, ctx.macs, tuple(ctx.notes))
        except ShapeError as exc:
            if exc.framework is None and exc.rule.is_usage:
                raise ShapeError(f"{self.source}: node {self.names[index]!r} ({node.op_type}): {exc.message}",
                                 rule=exc.rule, values=exc.values) from None
            result = NodeResult(None, exc.with_traceback(None), (), (), 0, ())  # kept: no frames held alive
        if len(self.memo) > 2_000_000:
            self.memo.clear()
        self.memo[key] = result
        return result

    def evaluate(self, shape: tuple[int, ...], inputs: Inputs, stop_at_failure: bool = False,
                 tails: bool = False) -> tuple[list[tuple[int, NodeResult | None, tuple[str, ...]]],
                                               dict[str, Tensor | None], ShapeError | None]:
        """Every node for this input shape: ``[(index, result or None when an input failed, failed
        inputs)]``, the tensors, and the input's own rejection (a declared size it does not match).
        ``tails`` (with ``stop_at_failure``): stop at a cut whose answer is known, and leave the
        first rejection in ``_found``."""
        first = self.graph.inputs[0]
        rejected = None
        for axis, (d, given) in enumerate(zip(inputs.declared, shape)):
            if isinstance(d, int) and d > 0 and d != given:
                message = (f"Got invalid dimensions for input: {first.name} for the following indices index: {axis} "
                           f"Got: {given} Expected: {d}" if self.framework == "onnxruntime" else
                           f"the input's axis {axis} is declared {d}, but got {given}")
                rejected = ShapeError(message, framework=self.framework, rule=Rule.INPUT_SIZE,
                                      values={"axis": axis, "input": given, "declared": d})
                break
        tensors: dict[str, Tensor | None] = dict(self.base)
        tensors.update(inputs.others)
        tensors[inputs.name] = None if rejected else Tensor(shape, first.elem_type)
        rows: list[tuple[int, NodeResult | None, tuple[str, ...]]] = []
        passed: list[tuple[int, tuple[Tensor | None, ...]]] = []
        self._found = None
        tails = tails and stop_at_failure and rejected is None and self.static_ok
        nodes = self.graph.nodes
        for index in (self.dynamic if tails else range(len(nodes))):
            node = nodes[index]
            if tails and index in self.cuts:
                key = (index, tuple(tensors.get(name) for name in self.cuts[index]))
                if key in self.tails:
                    self._found = self.tails[key]
                    for seen in passed:
                        self.tails[seen] = self._found
                    return rows, tensors, rejected
                passed.append(key)
            static = self.static_outputs.get(index)
            if static is not None:
                rows.append((index, static[0], ()))
                tensors.update(static[1])
                if static[0].error is not None and stop_at_failure:
                    self._found = (self.names[index], str(static[0].error.rule), static[0].error.message)
                    return rows, tensors, rejected
                continue
            xs: list[Tensor | None] = []
            failed = []
            for name in node.inputs:
                if name == "":
                    xs.append(None)
                    continue
                if name not in tensors:
                    raise ShapeError(f"{self.source}: node {self.names[index]!r} reads {name!r}, which no node, "
                                     f"initializer or input makes (nodes must be in topological order)",
                                     rule=Rule.BAD_SPEC, values={"node": self.names[index], "input": name})
                t = tensors[name]
                if t is None:
                    failed.append(name)
                xs.append(t)
            if failed:
                for out in node.outputs:
                    if out:
                        tensors[out] = None
                rows.append((index, None, tuple(failed)))
                continue
            result = self.run_node(index, tuple(xs))
            rows.append((index, result, ()))
            outs = result.outputs or ()
            for i, out in enumerate(node.outputs):
                if out:  # "": an optional output left out
                    tensors[out] = outs[i] if i < len(outs) else None
            if result.error is not None and stop_at_failure:
                self._found = (self.names[index], str(result.error.rule), result.error.message)
                for seen in passed:
                    self.tails[seen] = self._found
                return rows, tensors, rejected
        for seen in passed:
            self.tails[seen] = None
        return rows, tensors, rejected

    def failure(self, shape: tuple[int, ...], inputs: Inputs) -> tuple[str, str, str] | None:
        """The first rejection for this input: (node, rule, message), None when the model runs.
        At each cut (see :meth:`_cuts`) the answer for the live tensors may be known already."""
        rows, _, rejected = self.evaluate(shape, inputs, stop_at_failure=True, tails=True)
        if rejected is not None:
            return (inputs.name, str(rejected.rule), rejected.message)
        found = self._found
        self._found = None
        return found

    _found: tuple[str, str, str] | None = None

    def outputs(self, shape: tuple[int, ...], inputs: Inputs) -> dict[str, tuple[int, ...] | None]:
        _, tensors, _ = self.evaluate(shape, inputs)
        found = {}
        for v in self.graph.outputs:
            t = tensors.get(v.name)
            found[v.name] = None if t is None else t.shape
        return found

    def report(self, shape: tuple[int, ...], inputs: Inputs) -> NetworkReport:
        from convshape.network.evaluate import LayerReport, NetworkReport

        rows, tensors, rejected = self.evaluate(shape, inputs)
        layers: list[LayerReport] = []
        if rejected is not None:
            layers.append(LayerReport(inputs.name, "input", (), None, (), 0, 0, (), (), (), (), (), None,
                                      rejected.message, str(rejected.rule), ()))
        for index, result, failed in rows:
            node = self.graph.nodes[index]
            weights = self.weights[index]
            params = sum(prod(w) for w in weights)
            ins = tuple(n for n in node.inputs if n and n not in self.graph.initializers)
            blank = LayerReport(self.names[index], node.op_type, ins, None, weights, params, 0, (), (), (), (), (),
                                None, None, None, ())
            if result is None:
                layers.append(blank._replace(error=f"not computed: its input {', '.join(failed)} failed",
                                             rule=Rule.INPUT_FAILED))
            elif result.error is not None:
                layers.append(blank._replace(error=result.error.message, rule=str(result.error.rule)))
            else:
                assert result.outputs is not None
                layers.append(blank._replace(shape=result.outputs[0].shape if result.outputs else (),
                                             macs=result.macs, pad_before=result.pad_before,
                                             pad_after=result.pad_after, notes=result.notes))
        outputs = {v.name: (None if tensors.get(v.name) is None else list(tensors[v.name].shape))  # type: ignore[union-attr]
                   for v in self.graph.outputs}
        model = {"format": "onnx", "graph": self.graph.name, "opset": self.opset,
                 "producer": f"{self.graph.producer_name} {self.graph.producer_version}".strip(),
                 "input_name": inputs.name, "declared_input": list(inputs.declared),
                 "outputs": outputs, "notes": list(inputs.notes)}
        return NetworkReport(self.source, self.framework, {3: "NCW", 4: "NCHW", 5: "NCDHW"}.get(len(shape)), shape,
                             tuple(layers), model)


def _framework(framework: str | None) -> str:
    from convshape.frameworks import get

    if framework is None:
        return DEFAULT_FRAMEWORK
    name = get(framework).name
    if name not in FRAMEWORKS:
        raise ShapeError(f"an ONNX model runs by the ONNX spec (-f onnx) or onnxruntime (-f onnxruntime), not "
                         f"{framework!r}", rule=Rule.UNKNOWN_FRAMEWORK, values={"framework": framework})
    return name


def open_model(path: str, framework: str | None = None) -> Model:
    return Model(load_graph(path), path, _framework(framework))


#: the producer_name torch's exporters write (torch.onnx.export, TorchScript and dynamo=True)
TORCH_PRODUCER = "pytorch"


def compared_models(model: Model) -> tuple[list[Model], str | None]:
    """What ``--compare`` sets beside ``model``: the other ONNX framework, and for a graph exported
    from torch (producer ``pytorch``) torch's answer: the same graph with the spatial ops' rules of
    :mod:`convshape.frameworks.torch` (the other ops as onnxruntime checks them: an exported graph's
    reshapes, concats and shape computations are torch's own, traced). The note says why torch is
    left out of a graph from another producer."""
    others = [Model(model.graph, model.source, "onnx" if model.framework == "onnxruntime" else "onnxruntime")]
    producer = model.graph.producer_name
    if producer.strip().lower() == TORCH_PRODUCER:
        others.append(Model(model.graph, model.source, "onnxruntime", spatial="torch"))
        return others, None
    return others, (f"the comparison has no torch answer: the model's producer is {producer!r}, not 'pytorch' (torch's "
                    f"answer is given for a graph exported from torch)" if producer else
                    "the comparison has no torch answer: the model names no producer (torch's answer is given for a "
                    "graph exported from torch, producer 'pytorch')")


def _ordered(models: Sequence[Model]) -> list[Model]:
    """onnx, onnxruntime, then torch: the compare objects' key order, whichever is the default."""
    return sorted(models, key=lambda m: (m.label not in FRAMEWORKS, m.label))


def network(path: str, *, input: object = None, framework: str | None = None,
            compare: bool = False) -> NetworkReport:
    """Every node's output shape for one input (``input``, or the graph input's own dims).
    ``compare``: also every node where the ONNX spec, onnxruntime and (a graph exported from torch)
    torch differ, in shape or acceptance, in the report's ``model["compare"]``."""
    model = open_model(path, framework)
    inputs = resolve_inputs(model.graph, input)
    report = model.report(inputs.shape, inputs)
    if not compare:
        return report
    others, why = compared_models(model)
    models = _ordered([model, *others])
    reports = [report if m is model else m.report(inputs.shape, inputs) for m in models]
    rows = []
    for layers in zip(*(r.layers for r in reports)):
        answers = {(None if layer.shape is None else tuple(layer.shape), layer.error is None) for layer in layers}
        if len(answers) > 1:
            rows.append({"node": layers[0].name, "op": layers[0].op,
                         **{m.label: {"shape": list(layer.shape) if layer.shape is not None else None,
                                      "error": layer.error} for m, layer in zip(models, layers)}})
    assert report.model is not None
    notes = [*report.model["notes"], *([why] if why else [])]
    return report._replace(model={**report.model, "notes": notes, "compared": [m.label for m in models],
                                  "compare": rows})


# ---------------------------------------------------------------------------- sweep
def sweep(path: str, range: object = "1..4096", *, axis: int | None = None, input: object = None,
          framework: str | None = None, compare: bool = False) -> SweepResult:
    """The input sizes in ``range`` for which the model runs: square inputs (every spatial axis = n)
    by default, or only spatial ``axis`` (0-based) with the others from ``input`` or the model.
    Swept by the periodic analysis (:func:`convshape.network.sweep.sweep_network` over
    :class:`convshape.models.onnx_sweep.OnnxNetwork`), which falls back to trying every size where
    the graph is outside its model; ``compare`` evaluates every size by both frameworks
    (:func:`sweep_each`)."""
    if compare:
        return sweep_each(path, range, axis=axis, input=input, framework=framework, compare=True)
    from convshape.models.onnx_sweep import OnnxNetwork
    from convshape.network.sweep import Failure, nearest_valid, sweep_network, sweep_range

    lo, hi = sweep_range(range)
    model = open_model(path, framework)
    swept, inputs, free = _swept(model, path, axis, input)
    position = swept[0]
    own = inputs.shape[position]
    net = OnnxNetwork(model, inputs, swept, axis, hi if free else (own if lo <= own <= hi else hi))
    collecting = gc.isenabled()
    gc.disable()  # the memo tables grow by the thousand and hold no cycles: no collection passes over them
    try:
        result = sweep_network(net, (lo, hi))
        if result.method == "every size":  # grouped as the per-size sweep groups them (one step, fewest runs)
            result = result._replace(valid=periodic(result.sizes()))
        around = (max(p.stop for p in result.valid) if result.valid else hi) if free else net.input[position]
        examples = [Failure(n, *why) for n in _nearest_invalid(result.valid, lo, hi, around)
                    for why in [model.failure(net.shape_at(n), inputs)] if why is not None]
        result = result._replace(input=net.shape_at(around), failures=tuple(sorted(examples)),
                                 nearest_valid=nearest_valid(result.valid, around))
    finally:
        if collecting:
            gc.enable()
    return result._replace(notes=(*result.notes, f"-f {model.framework}", *inputs.notes))


def _nearest_invalid(valid: Sequence[Progression], lo: int, hi: int, around: int, limit: int = 3) -> list[int]:
    """The ``limit`` sizes of lo..hi outside ``valid`` nearest ``around`` (the smaller first on a tie)."""
    found: list[int] = []
    for distance in builtins_range(0, min(hi - lo + 1, 20000)):
        for n in sorted({around - distance, around + distance}):
            if lo <= n <= hi and len(found) < limit and not any(n in p for p in valid):
                found.append(n)
        if len(found) >= limit:
            return found
    edges = {n for p in valid for n in (p.start - 1, p.start - 2, p.start - 3, p.stop + 1, p.stop + 2, p.stop + 3)}
    far = sorted((n for n in edges if lo <= n <= hi and n not in found and not any(n in p for p in valid)),
                 key=lambda n: (abs(n - around), n))
    return found + far[:limit - len(found)]


def _swept(model: Model, path: str, axis: int | None, input: object) -> tuple[tuple[int, ...], Inputs, bool]:
    """The input axes a sweep sets, the inputs, and whether the swept size is free (no size of its own)."""
    first = model.graph.inputs[0] if model.graph.inputs else None
    rank = len(first.dims) if first is not None and first.dims is not None else (
        len(str(input).split("x")) if input is not None else 0)
    if rank < 3:
        raise ShapeError(f"{path}: the model's input has no spatial axes to sweep (rank {rank}; a sweep varies "
                         f"the axes after N and C)", rule=Rule.AXIS_COUNT, values={"rank": rank})
    spatial = tuple(builtins_range(2, rank))
    if axis is not None and not 0 <= axis < len(spatial):
        raise ShapeError(f"the model's input has {len(spatial)} spatial axes (0 to {len(spatial) - 1}), but got "
                         f"axis={axis}", rule=Rule.AXIS_COUNT, values={"axis": axis})
    swept = spatial if axis is None else (spatial[axis],)
    inputs = resolve_inputs(model.graph, input, free_ok=swept)
    declared = inputs.declared[swept[0]]
    return swept, inputs, input is None and not (isinstance(declared, int) and declared > 0)


def sweep_each(path: str, range: object = "1..4096", *, axis: int | None = None, input: object = None,
               framework: str | None = None, compare: bool = False) -> SweepResult:
    """:func:`sweep` by evaluating every size of the range (at most
    :data:`convshape.network.sweep.BRUTE_FORCE_LIMIT`): nodes memoised by their input shapes, so
    after the first stride most sizes cost a lookup per node. ``compare``: also every size where
    the ONNX spec and onnxruntime differ."""
    from convshape.limits import MAX_INPUT
    from convshape.network.sweep import BRUTE_FORCE_LIMIT, Failure, SweepResult, nearest_valid
    from convshape.params import int_range

    lo, hi = int_range(range)
    model = open_model(path, framework)
    swept, inputs, free = _swept(model, path, axis, input)
    if hi > MAX_INPUT:
        raise ShapeError(f"the range {lo}..{hi} ends past convshape's size limit {MAX_INPUT}", rule=Rule.SWEEP_RANGE,
                         values={"lo": lo, "hi": hi})
    if hi - lo + 1 > BRUTE_FORCE_LIMIT:
        raise ShapeError(f"a model is swept size by size, and {lo}..{hi} holds {hi - lo + 1} sizes; give a range of "
                         f"at most {BRUTE_FORCE_LIMIT} sizes", rule=Rule.SWEEP_RANGE, values={"lo": lo, "hi": hi})

    def shape_at(n: int) -> tuple[int, ...]:
        return tuple(n if a in swept else d for a, d in enumerate(inputs.shape))

    valid: list[int] = []
    failures: dict[int, tuple[str, str, str]] = {}
    others, why = compared_models(model) if compare else ([], None)
    differ: list[dict[str, Any]] = []
    collecting = gc.isenabled()
    gc.disable()  # the memo tables grow by the thousand and hold no cycles: no collection passes over them
    try:
        _try_each(model, others, builtins_range(lo, hi + 1), shape_at, inputs, valid, failures, differ)
    finally:
        if collecting:
            gc.enable()
    progressions = periodic(valid)
    position = swept[0]
    own = inputs.shape[position]
    if free:  # a free size: no size of its own
        around = valid[-1] if valid else hi
    else:
        around = own if lo <= own <= hi else hi
    examples = sorted(failures, key=lambda n: (abs(n - around), n))[:3]
    notes = [f"every size tried ({hi - lo + 1}), -f {model.framework}"] + list(inputs.notes) + ([why] if why else [])
    return SweepResult(path, model.framework, axis, shape_at(around), (lo, hi), progressions, len(valid), None, None,
                       "every size", tuple(Failure(n, *failures[n]) for n in sorted(examples)), tuple(notes),
                       nearest_valid(progressions, around), position,
                       compared=_compared_sizes(differ, any(m.label == "torch" for m in others)) if compare else None)


def _differ(entry: dict[str, Any], one: str, two: str) -> bool:
    """Whether two answers at one size differ: one runs and the other rejects, or an output's shape
    (two rejections differ only in their words)."""
    return bool(entry[one].get("outputs") != entry[two].get("outputs"))


def _compared_sizes(differ: list[dict[str, Any]], torch: bool) -> dict[str, Any]:
    """``sweep --compare``'s object: the sizes where the ONNX spec and onnxruntime differ, the first
    20 sizes where any two answers differ (every answer at each), and with torch's answer the sizes
    where torch differs from either, from onnxruntime, from the spec."""
    spec = [d["size"] for d in differ if _differ(d, "onnx", "onnxruntime")]
    found: dict[str, Any] = {"sizes": spec, "count": len(spec), "first": differ[:20]}
    if torch:
        either = [d["size"] for d in differ if _differ(d, "torch", "onnx") or _differ(d, "torch", "onnxruntime")]
        found["torch"] = {"sizes": either, "count": len(either),
                          **{fw: [d["size"] for d in differ if _differ(d, "torch", fw)] for fw in FRAMEWORKS}}
    return found


def _try_each(model: Model, others: Sequence[Model], sizes: range, shape_at: Any, inputs: Inputs, valid: list[int],
              failures: dict[int, tuple[str, str, str]], differ: list[dict[str, Any]]) -> None:
    """Evaluate every size: the valid ones, each failure, and (``others``) every size where two
    answers differ (acceptance or an output's shape), with every answer there."""
    for n in sizes:
        why = model.failure(shape_at(n), inputs)
        if why is None:
            valid.append(n)
        else:
            failures[n] = why
        if not others:
            continue
        answers: dict[str, tuple[Any, Any]] = {}
        for m in _ordered([model, *others]):
            fail = why if m is model else m.failure(shape_at(n), inputs)
            answers[m.label] = (m.outputs(shape_at(n), inputs) if fail is None else None, fail)
        if len({repr(out) if out is not None else None for out, _ in answers.values()}) > 1:
            differ.append({"size": n, **{label: ({"outputs": {k: list(v) if v else v for k, v in out.items()}}
                                                 if out is not None else {"error": list(fail or ())})
                                         for label, (out, fail) in answers.items()}})


def _runs(members: Sequence[int], step: int) -> list[Progression]:
    """Sorted sizes as maximal progressions of ``step``."""
    from convshape.network.sweep import Progression

    out: list[Progression] = []
    for n in members:
        if out and out[-1].stop + step == n:
            out[-1] = Progression(out[-1].start, n, step)
        else:
            out.append(Progression(n, n, step))
    return out


#: the periods tried when valid sizes are grouped into progressions (strides multiply to powers of 2 mostly)
PERIODS = tuple(sorted(set(range(1, 65)) | {2 ** k for k in range(7, 13)} | {96, 192, 384, 768}))


def periodic(valid: Sequence[int]) -> tuple[Progression, ...]:
    """The valid sizes as the fewest progressions of one step found (each residue class of the step
    in maximal runs): 4..5, 8..9, ... as two progressions of step 4, not 256 runs."""
    from convshape.network.sweep import compact

    if len(valid) < 3:
        return compact(valid)
    best: list[Progression] | None = None
    span = valid[-1] - valid[0]
    for step in PERIODS:
        if step > span:
            break
        classes: dict[int, list[int]] = {}
        for n in valid:
            classes.setdefault(n % step, []).append(n)
        found = [p for members in classes.values() for p in _runs(members, step)]
        if best is None or len(found) < len(best):
            best = found
    assert best is not None
    singles = [p.start for p in best if p.start == p.stop]
    return tuple(sorted([p for p in best if p.start != p.stop] + list(compact(singles))))


def builtins_range(*args: int) -> Any:
    return range(*args)
