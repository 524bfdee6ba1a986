"""``convshape translate``: the exact equivalent of a layer in another framework.

The source framework's rules (the registry, :mod:`convshape.frameworks`) resolve the layer to its
geometry: per axis the explicit (pad_before, pad_after) it applies, and for a transposed
convolution the crop of the full transposed output (pad_before, pad_after, output_padding in
torch's terms: ``output = (i-1)*s + d*(k-1) + 1 - pad_before - pad_after + output_padding``).
A target port (one module per target framework under :mod:`convshape.api.translate.ports`,
registered in :data:`PORTS`) spells that geometry in the target's own words: steps (pad, crop,
the layer with its parameters), the weight permutation, the data layout change and the code.

    >>> r = translate("conv2d", from_framework="tf", to_framework="torch", input=224, kernel=7, stride=2,
    ...               padding="same")
    >>> [(s.kind, s.before, s.after) for s in r.steps if s.kind == "pad"]
    [('pad', (2, 2), (3, 3))]
    >>> r.weight.axes
    (3, 2, 0, 1)

Whether the port holds for other input sizes: the source geometry is re-resolved at one input
size of every residue modulo the stride (SAME padding depends on nothing else); the static port
holds where the geometry is unchanged, and a size-independent form is given where the target
can compute the padding from the input.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any, NamedTuple, Protocol

from convshape.errors import Rule, ShapeError
from convshape.frameworks import get
from convshape.model import AxisSpec
from convshape.ops import Family, lookup
from convshape.params import IntArg, PadArg, per_axis
from convshape.rules import effective_kernel, same_total_padding, split_padding

#: the target ports: framework -> module of convshape.api.translate.ports (a new target: one module, one line)
PORTS = {"torch": "torch", "tf": "tf", "keras": "keras", "jax": "jax", "onnx": "onnx", "onnxruntime": "onnx",
         "caffe": "caffe"}

#: the largest stride whose residues are checked one by one (beyond it only the given size's residue)
RESIDUE_LIMIT = 64

SPATIAL = {1: "W", 2: "HW", 3: "DHW"}


class Step(NamedTuple):
    """One step of a port: ``pad`` (before/after per spatial axis, ``value`` "zero" or "-inf"),
    ``crop`` (cells removed before/after per axis), or ``layer``; ``name`` and ``params`` as the
    target framework spells them."""

    kind: str
    name: str
    params: tuple[tuple[str, Any], ...] = ()
    before: tuple[int, ...] = ()
    after: tuple[int, ...] = ()
    value: str = "zero"

    def param(self, name: str) -> Any:
        return dict(self.params)[name]

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"step": self.kind, "name": self.name}
        if self.kind == "layer":
            d["params"] = {k: _json(v) for k, v in self.params}
        else:
            d["before"], d["after"] = list(self.before), list(self.after)
            if self.kind == "pad":
                d["value"] = self.value
            if self.params:
                d["params"] = {k: _json(v) for k, v in self.params}
        return d


def _json(value: Any) -> Any:
    if isinstance(value, tuple):
        return [_json(v) for v in value]
    return value


class Layout(NamedTuple):
    """A tensor's layout change: from the source's axes to the target's, ``target = source.transpose(axes)``."""

    source: str
    target: str
    axes: tuple[int, ...]
    code: str

    @property
    def identity(self) -> bool:
        return self.axes == tuple(range(len(self.axes)))

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, "target": self.target, "axes": list(self.axes), "code": self.code}


def permutation(source: str, target: str) -> tuple[int, ...]:
    """The axes that turn a tensor laid out as ``source`` into ``target`` (``"HWIO"`` -> ``"OIHW"``: (3, 2, 0, 1))."""
    return tuple(source.index(letter) for letter in target)


class Geometry(NamedTuple):
    """The source layer as its framework runs it, per spatial axis."""

    op: str
    framework: str
    transposed: bool
    padding: str
    input: tuple[int, ...]
    kernel: tuple[int, ...]
    stride: tuple[int, ...]
    dilation: tuple[int, ...]
    pad_before: tuple[int, ...]
    pad_after: tuple[int, ...]
    output_padding: tuple[int, ...]
    output: tuple[int, ...]
    in_channels: int
    out_channels: int
    groups: int
    ceil_mode: bool = False
    pool: str = ""  # "max" / "avg" for pooling, "" for a convolution
    count_include_pad: bool | None = None  # average pooling: whether the source divides by the padding too

    @property
    def ndim(self) -> int:
        return len(self.input)

    @property
    def full(self) -> tuple[int, ...]:
        """A transposed convolution's uncropped output ``(i-1)*s + d*(k-1) + 1`` per axis."""
        return tuple((i - 1) * s + effective_kernel(k, d)
                     for i, k, s, d in zip(self.input, self.kernel, self.stride, self.dilation))

    @property
    def effective(self) -> tuple[int, ...]:
        return tuple(effective_kernel(k, d) for k, d in zip(self.kernel, self.dilation))

    def to_dict(self) -> dict[str, Any]:
        d = self._asdict()
        for key, value in d.items():
            if isinstance(value, tuple):
                d[key] = list(value)
        if self.pool:  # a pooling layer: no weights, channels unchanged
            for key in ("transposed", "output_padding", "in_channels", "out_channels", "groups"):
                del d[key]
            d["channels"] = self.in_channels
            if self.pool != "avg":
                del d["count_include_pad"]
            return d
        del d["ceil_mode"], d["pool"], d["count_include_pad"]
        if not self.transposed:
            del d["output_padding"]
        return d


class Exactness(NamedTuple):
    """For which input sizes the static port holds: every size, or per axis the residues of the
    input modulo the stride where the source applies the same padding as for the given size.
    ``same_split``: "upper" / "lower" when the source pads as SAME at every size (the total
    ``max(0, (ceil(i/s)-1)*s + d*(k-1) + 1 - i)``, the odd cell at the end / the start)."""

    every_size: bool
    moduli: tuple[int, ...]
    residues: tuple[tuple[int, ...], ...]
    same_split: str | None
    description: str

    def to_dict(self) -> dict[str, Any]:
        return {"every_size": self.every_size, "moduli": list(self.moduli),
                "residues": [list(r) for r in self.residues], "same_split": self.same_split,
                "description": self.description}


class Ported(NamedTuple):
    """What a target port writes: the steps, the code, a size-independent form (or None when the
    static port is already size-independent, or the target cannot compute pads), and whether it is
    exact (``reason``: why not)."""

    steps: tuple[Step, ...]
    code: str
    dynamic_code: str | None = None
    exact: bool = True
    reason: str | None = None
    notes: tuple[str, ...] = ()


class Port(Protocol):
    """A target framework's spelling (one module of :mod:`convshape.api.translate.ports`)."""

    def conv(self, g: Geometry, x: Exactness, weight: Layout) -> Ported: ...

    def conv_transpose(self, g: Geometry, x: Exactness, weight: Layout) -> Ported: ...

    def max_pool(self, g: Geometry, x: Exactness, plan: Any) -> Ported:
        """Max pooling as ``plan`` (a :class:`convshape.api.translate.pooling.PoolPlan`) says: floor mode over the
        input padded with -inf by (before, after) per axis (negative: crop), or the target's keyword, or (Caffe)
        its symmetric pad and round mode."""
        ...

    def avg_pool(self, g: Geometry, x: Exactness, plan: Any) -> Ported:
        """Average pooling as ``plan`` (a :class:`convshape.api.translate.pooling.PoolPlan`) says: its ``avg`` (an
        :class:`~convshape.api.translate.pooling.AvgPort`: per axis a zero pad before and the layer's own pads,
        count_include_pad, ceil_mode, a divisor correction), or the target's keyword, or (Caffe) pad and round mode."""
        ...

    def pixel_shuffle(self, s: Any, perm: tuple[int, ...] | None) -> Ported:
        """A pixel (un)shuffle (``s``: a :class:`convshape.api.translate.shuffle.Shuffle`); ``perm``: the deep
        side's channel permutation from the source's order to the target op's (None: they agree), see
        :func:`convshape.api.translate.shuffle.permutation`."""
        ...


class TranslateResult(NamedTuple):
    """A layer ported from one framework to another."""

    op: str
    from_framework: str
    to_framework: str
    source: Any  # Geometry; a pixel (un)shuffle: convshape.api.translate.shuffle.Shuffle
    steps: tuple[Step, ...]
    weight: Layout | None  # None: the layer has no weights (pooling)
    data: Layout
    exact: bool
    reason: str | None
    exact_for: Exactness
    code: str
    dynamic_code: str | None
    notes: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"op": self.op, "from": self.from_framework, "to": self.to_framework,
                "source": self.source.to_dict(), "steps": [s.to_dict() for s in self.steps],
                "weight": None if self.weight is None else self.weight.to_dict(), "data": self.data.to_dict(),
                "exact": self.exact,
                "reason": self.reason, "exact_for": self.exact_for.to_dict(), "code": self.code,
                "dynamic_code": self.dynamic_code, "notes": list(self.notes)}


# ---------------------------------------------------------------------- layouts
def weight_layout(framework: str, transposed: bool, ndim: int) -> str:
    """A convolution's weight layout in ``framework``: O = output channels, I = input channels (per
    group) of the layer as written, spatial letters W / HW / DHW. torch, ONNX, Caffe: OIHW, transposed
    IOHW (ConvTranspose / Deconvolution weights); jax: OIHW (lax.conv_general_dilated's default
    dimension numbers), transposed IOHW as the port passes it (lax.conv_transpose, transpose_kernel=True,
    rhs spec OIHW); tf / keras: HWIO, transposed HWOI (tf.nn.conv2d_transpose filters
    ``[height, width, output_channels, in_channels]``)."""
    spatial = SPATIAL[ndim]
    if get(framework).tensor_channels_last:  # jax: lax's dimension numbers follow the NCHW data (not flax's HWIO)
        return spatial + ("OI" if transposed else "IO")
    return ("IO" if transposed else "OI") + spatial


def data_layout(framework: str, ndim: int) -> str:
    spatial = SPATIAL[ndim]
    return f"N{spatial}C" if get(framework).tensor_channels_last else f"NC{spatial}"


# ---------------------------------------------------------------------- the source
def _axis_geometry(fw: str, transposed: bool, spec: AxisSpec, padding: Any, output_padding: int | None,
                   output_size: int | None, ndim: int, axis: int) -> tuple[int, int, int, int]:
    """(pad_before, pad_after, output_padding, output) of one axis in framework ``fw``."""
    rules = get(fw).conv
    if transposed:
        t = rules.transposed(spec, padding, output_padding, output_size, ndim, axis)
        return t.pad_before, t.pad_after, t.output_padding, t.output
    pb, pa = rules.pads(spec, padding, transposed=False, ndim=ndim)
    return pb, pa, 0, rules.conv_output(spec, pb, pa)


class _Source(NamedTuple):
    """The source layer's arguments per axis, to re-resolve it at other input sizes."""

    framework: str
    transposed: bool
    specs: tuple[AxisSpec, ...]
    pads: tuple[Any, ...]
    output_padding: tuple[int | None, ...]
    output_size: tuple[int | None, ...]

    def at(self, axis: int, size: int) -> tuple[int, int, int] | None:
        """(pad_before, pad_after, output_padding) at input ``size`` on ``axis`` (a selected output
        size moves with the input, stride by stride); None where the framework rejects it."""
        spec = self.specs[axis]
        wanted = self.output_size[axis]
        if wanted is not None:
            wanted += (size - spec.input) * spec.stride
        try:
            pb, pa, op, out = _axis_geometry(self.framework, self.transposed, spec._replace(input=size),
                                             self.pads[axis], self.output_padding[axis], wanted, len(self.specs), axis)
        except ShapeError:
            return None
        return (pb, pa, op) if out >= 1 else None


def _exactness(src: _Source, g: Geometry) -> Exactness:
    moduli: list[int] = []
    residues: list[tuple[int, ...]] = []
    splits: set[str | None] = set()
    every = True
    for axis, spec in enumerate(src.specs):
        s = spec.stride
        here = src.at(axis, spec.input)
        if s > RESIDUE_LIMIT:
            moduli.append(s)
            residues.append((spec.input % s,))
            every = every and src.at(axis, spec.input + 1) == here
            splits.add(None)
            continue
        ok = []
        for r in range(s):
            size = spec.input + (r - spec.input) % s
            at, later = src.at(axis, size), src.at(axis, size + s)
            if at is not None and at == here and later == here:
                ok.append(r)
            for probe, geometry in ((size, at), (size + s, later)):
                if geometry is None or src.transposed:
                    continue
                total = same_total_padding(probe, spec.kernel, s, spec.dilation)
                split = geometry[:2]
                splits.add("upper" if split == split_padding(total) else
                           "lower" if split == split_padding(total, extra_at_end=False) else None)
        moduli.append(s)
        residues.append(tuple(ok))
        every = every and len(ok) == s
    same = splits.pop() if len(splits) == 1 else None
    if every:
        text = "every input size (the padding does not depend on it)"
    else:
        parts = []
        for axis, (m, rs) in enumerate(zip(moduli, residues)):
            if len(rs) < m:
                parts.append(f"axis {axis}: input % {m} in {{{', '.join(map(str, rs))}}}")
        text = "inputs with " + "; ".join(parts) + " (the padding depends on the input size)"
    return Exactness(every, tuple(moduli), tuple(residues), same if not every else same, text)


def _resolve(op: str, from_framework: str, input: IntArg, kernel: IntArg, stride: IntArg, padding: PadArg,
             dilation: IntArg, output_padding: IntArg, output_size: IntArg, in_channels: int | None,
             out_channels: int | None, groups: int | None) -> tuple[Geometry, _Source]:
    from convshape.api import conv as api

    entry = lookup(op)  # an unknown name: a usage error offering the nearest names
    if entry.family not in (Family.CONV, Family.CONV_TRANSPOSE):
        raise ShapeError(f"translate takes conv1d/2d/3d, conv-transpose1d/2d/3d, maxpool1d/2d/3d, avgpool1d/2d/3d, "
                         f"lppool1d/2d/3d, pixel-shuffle, pixel-unshuffle and interpolate layers, not "
                         f"{entry.name} (a {entry.family.value} layer: not ported yet)",
                         rule=Rule.OPTION_NOT_APPLICABLE,
                         values={"op": entry.name, "family": entry.family.value})
    if entry.ndim is None:
        raise ShapeError(f"translate needs the number of spatial axes: {entry.name}1d, {entry.name}2d or "
                         f"{entry.name}3d, not {entry.name}", rule=Rule.OPTION_NOT_APPLICABLE, values={"op": op})
    if entry.family is Family.CONV:
        for name, given in (("output_padding", output_padding), ("output_size", output_size)):
            if given is not None:
                raise ShapeError(f"{name} is for a transposed convolution, not {entry.name}",
                                 rule=Rule.OPTION_NOT_APPLICABLE, values={name: given})
    transposed = entry.family is Family.CONV_TRANSPOSE
    n = entry.ndim
    fw = get(from_framework)
    g = 1 if groups is None else groups
    cin = in_channels if in_channels is not None else (3 if g == 1 else g)
    cout = out_channels if out_channels is not None else (8 if g == 1 else g)
    fw.check_groups(cin, cout, g, transposed=transposed)
    if transposed:
        res: Any = api.conv_transpose(input, kernel, stride, padding, dilation, output_padding, output_size,
                                      framework=fw.name, ndim=n)
        ops = per_axis(output_padding, "output_padding", n) if output_padding is not None else (None,) * n
        sizes = per_axis(output_size, "output_size", n) if output_size is not None else (None,) * n
        if output_padding is not None and output_size is not None and fw.conv.output_size_overrides_output_padding:
            ops = (None,) * n
    else:
        res = api.conv(input, kernel, stride, padding, dilation, framework=fw.name, ndim=n)
        ops, sizes = (None,) * n, (None,) * n
    axes = res.axes
    if any(a.output < 1 for a in axes):
        raise ShapeError(f"{fw.name} gives an empty output ({'x'.join(str(a.output) for a in axes)}); there is "
                         f"nothing to port", framework=fw.name, rule=Rule.OUTPUT_TOO_SMALL,
                         values={"output": [a.output for a in axes]})
    from convshape.params import explicit_padding, padding_keyword

    pad_arg = fw.conv.default_padding if padding is None else padding
    keyword = padding_keyword(pad_arg)
    pads = (keyword,) * n if keyword else tuple(explicit_padding(pad_arg, n))
    specs = tuple(AxisSpec(a.input, a.kernel, a.stride, a.dilation) for a in axes)
    geometry = Geometry(entry.name, fw.name, transposed, res.padding, tuple(a.input for a in axes),
                        tuple(a.kernel for a in axes), tuple(a.stride for a in axes), tuple(a.dilation for a in axes),
                        tuple(a.pad_before for a in axes), tuple(a.pad_after for a in axes),
                        tuple(getattr(a, "output_padding", 0) for a in axes), tuple(a.output for a in axes),
                        cin, cout, g)
    return geometry, _Source(fw.name, transposed, specs, pads, ops, sizes)


def port_for(framework: str) -> Port:
    name = get(framework).name
    if name not in PORTS:
        raise ShapeError(f"convshape cannot write ports to {name} yet; it writes them to " + ", ".join(PORTS),
                         rule=Rule.NOT_IN_FRAMEWORK, values={"framework": name})
    port: Port = import_module(f"convshape.api.translate.ports.{PORTS[name]}").port(name)
    return port


def weight_code(target: str, source_fw: str, axes: tuple[int, ...], identity: bool) -> str:
    """One line converting the source's weights (a numpy array ``w``) into the target's."""
    perm = "" if identity else f".transpose({', '.join(map(str, axes))})"
    if target == "torch":
        return f"w_torch = torch.from_numpy(np.ascontiguousarray(w_{source_fw}{perm}))"
    if target in ("tf", "keras"):
        return f"w_{target} = w_{source_fw}{perm}"
    if target == "jax":
        return f"w_jax = jnp.asarray(w_{source_fw}{perm})"
    return f"w_{target} = np.ascontiguousarray(w_{source_fw}{perm})"


def _source_notes(g: Geometry) -> list[str]:
    """What the source framework is observed to run otherwise than its rule says (the port follows the rule)."""
    if g.framework not in ("tf", "keras") or g.ndim != 3 or g.transposed or g.padding != "same":
        return []
    totals = [(-(-i // s) - 1) * s + e - i for i, s, e in zip(g.input, g.stride, g.effective)]
    if min(totals) > -2:
        return []
    from convshape.api.translate.ports import TF_CPU_CONV3D_SAME

    return [f"SAME's total padding here is {tuple(totals)}: the port follows SAME's rule (no padding); "
            + TF_CPU_CONV3D_SAME.replace("explicit padding with 'VALID' avoids it", "so the source, run on a CPU, "
                                         "gives other values")]


def _data_layout(source: str, target: str, n: int) -> Layout:
    src_d, dst_d = data_layout(source, n), data_layout(target, n)
    daxes = permutation(src_d, dst_d)
    dperm = "" if daxes == tuple(range(len(daxes))) else f".transpose({', '.join(map(str, daxes))})"
    return Layout(src_d, dst_d, daxes, f"x_{target} = x_{source}{dperm}")


def _translate_pool(op: str, kind: str, ndim: int, from_framework: str, to_framework: str, input: IntArg,
                    kernel: IntArg, stride: IntArg, padding: PadArg, dilation: IntArg, ceil_mode: bool | None,
                    count_include_pad: bool | None, channels: int | None) -> TranslateResult:
    from convshape.api.translate import pooling

    source, target = get(from_framework).name, get(to_framework).name
    plan = pooling.resolve(op, kind, ndim, source, target, input, kernel, stride, padding, dilation, ceil_mode,
                           count_include_pad, 3 if channels is None else channels)
    g, exactness = plan.geometry, plan.exactness
    port = port_for(target)
    if kind == "max":
        ported = port.max_pool(g, exactness, plan)
    elif plan.avg is not None or plan.keyword is not None or plan.caffe is not None:
        ported = port.avg_pool(g, exactness, plan)
    else:  # the closest: the source's own pads as a zero pad step, the source's flags
        closest = pooling.AvgPort(tuple(pooling.AvgAxis((b, a), (0, 0)) for b, a in zip(g.pad_before, g.pad_after)),
                                  bool(g.count_include_pad), g.ceil_mode)
        ported = port.avg_pool(g, exactness, plan._replace(avg=closest))
    if plan.inexact:
        ported = ported._replace(exact=False, reason=plan.inexact)
    notes = list(ported.notes) + pooling.source_notes(g)
    if not exactness.every_size and ported.exact:
        notes.append(f"the static port holds for {exactness.description}")
    return TranslateResult(g.op, g.framework, target, g, ported.steps, None, _data_layout(source, target, ndim),
                           ported.exact, ported.reason, exactness, ported.code, ported.dynamic_code, tuple(notes))


def _translate_shuffle(op: str, from_framework: str, to_framework: str, input: IntArg, factor: int | None,
                       channels: int | None, mode: str | None) -> TranslateResult:
    from convshape.api.translate import shuffle

    s = shuffle.resolve(op, from_framework, input, factor, channels, mode)
    target = get(to_framework).name
    port = port_for(target)
    target_order = shuffle.ORDERS.get(target, s.order)
    if target == "jax" or (target in ("onnx", "onnxruntime") and not s.unshuffle):
        target_order = s.order  # jax: reshape + transpose in any order; ONNX DepthToSpace: its mode
    perm = None
    if target_order != s.order:
        perm = shuffle.permutation(s.order, target_order, s.deep_channels, s.factor, s.unshuffle)
    ported = port.pixel_shuffle(s, perm)
    notes = list(ported.notes)
    if perm is not None:
        where = "after the space-to-depth" if s.unshuffle else "before the depth-to-space"
        fold = ("the layer after it (its input channels)" if s.unshuffle else
                "the layer before it (a convolution's output channels: w[perm], b[perm])")
        notes.append(f"{s.framework}'s channel order is {s.order}, {target}'s {target_order}: the port gathers the "
                     f"channels {where} (perm); folded into {fold} it costs nothing")
    every = Exactness(True, (1, 1), ((0,), (0,)), None, "every input size (the channel order does not depend on it)")
    return TranslateResult(s.op, s.framework, target, s, ported.steps, None, _data_layout(s.framework, target, 2),
                           ported.exact, ported.reason, every, ported.code, None, tuple(notes))


def _translate_lp(op: str, ndim: int, from_framework: str, to_framework: str, input: IntArg, kernel: IntArg,
                  stride: IntArg, padding: PadArg, ceil_mode: bool | None, channels: int | None,
                  norm_type: float) -> TranslateResult:
    from convshape.api.translate import lp

    source, target = get(from_framework).name, get(to_framework).name
    plan = lp.resolve(op, ndim, source, target, input, kernel, stride, padding, ceil_mode,
                      3 if channels is None else channels, norm_type)
    ported = lp.port(plan, target)
    notes = list(ported.notes)
    x = plan.exactness
    if not x.every_size and plan.inexact is None:
        notes.append(f"the static port holds for {x.description}")
    return TranslateResult(plan.geometry.op, source, target, plan.geometry, ported.steps, None,
                           _data_layout(source, target, ndim), plan.inexact is None, plan.inexact, x, ported.code,
                           None, tuple(notes))


def _translate_resize(from_framework: str, to_framework: str, input: IntArg, size: IntArg, scale: Any,
                      mode: str | None, align_corners: bool | None) -> TranslateResult:
    from convshape.api.translate import interp

    source, target = get(from_framework).name, get(to_framework).name
    r = interp.resolve("interpolate", source, input, size, scale, mode, align_corners)
    steps, code, why = interp.translate_resize(r, target)
    return TranslateResult(r.op, source, target, r, steps, None, _data_layout(source, target, r.ndim), why is None,
                           why, interp.EVERY, code, None, ())


def translate(op: str, *, from_framework: str, to_framework: str, input: IntArg, kernel: IntArg = None,
              stride: IntArg = None, padding: PadArg = None, dilation: IntArg = 1, output_padding: IntArg = None,
              output_size: IntArg = None, in_channels: int | None = None, out_channels: int | None = None,
              groups: int | None = None, ceil_mode: bool | None = None,
              count_include_pad: bool | None = None, factor: int | None = None,
              mode: str | None = None, norm_type: float | None = None, scale: Any = None,
              align_corners: bool | None = None) -> TranslateResult:
    """The exact equivalent in ``to_framework`` of ``op`` as ``from_framework`` runs it (the other
    parameters as :func:`convshape.api.conv.conv` / :func:`~convshape.api.conv.conv_transpose` take
    them; ``in_channels`` / ``out_channels`` (default 3 and 8, or groups) and ``groups`` shape the
    weights). ``exact`` is False, with ``reason``, where the target cannot express the layer; the
    steps are then the closest port. Max and average pooling (``maxpool1d/2d/3d``, ``avgpool1d/2d/3d``:
    ``stride`` None is the source's default, ``ceil_mode`` and ``count_include_pad`` as the source takes them,
    ``in_channels`` the channels) between every pair of the seven frameworks. Pixel shuffle / unshuffle
    (``pixel-shuffle``, ``pixel-unshuffle``: ``input`` the two spatial sizes, ``factor``, ``in_channels``, ``mode``
    DCR / CRD for an ONNX DepthToSpace source), see :mod:`convshape.api.translate.shuffle`."""
    entry = lookup(op)
    if entry.family is Family.RESAMPLE and entry.name == "interpolate":
        options = {"kernel": kernel, "stride": stride, "padding": padding, "output_padding": output_padding,
                   "out_channels": out_channels, "groups": groups, "ceil_mode": ceil_mode,
                   "count_include_pad": count_include_pad, "factor": factor, "norm_type": norm_type}
        for name, value in options.items():
            if value is not None:
                raise ShapeError(f"{name} is not an option of interpolate (it takes the input, output_size or scale, "
                                 f"mode and align_corners)", rule=Rule.OPTION_NOT_APPLICABLE, values={name: value})
        return _translate_resize(from_framework, to_framework, input, output_size, scale, mode, align_corners)
    for option, chosen in (("scale", scale), ("align_corners", align_corners)):
        if chosen is not None:
            raise ShapeError(f"{option} is for interpolate, not {entry.name}", rule=Rule.OPTION_NOT_APPLICABLE,
                             values={option: chosen})
    if entry.family is Family.PIXEL_SHUFFLE:
        options = {"kernel": kernel, "stride": stride, "padding": padding, "output_padding": output_padding,
                 "output_size": output_size, "out_channels": out_channels, "groups": groups, "ceil_mode": ceil_mode,
                 "count_include_pad": count_include_pad}
        if dilation not in (1, "1"):
            options["dilation"] = dilation
        for name, value in options.items():
            if value is not None:
                raise ShapeError(f"{name} is not an option of {entry.name} (it takes the input, factor, in_channels "
                                 f"and, from ONNX, mode)", rule=Rule.OPTION_NOT_APPLICABLE, values={name: value})
        return _translate_shuffle(entry.name, from_framework, to_framework, input, factor, in_channels, mode)
    for option, chosen in (("factor", factor), ("mode", mode)):
        if chosen is not None:
            raise ShapeError(f"{option} is for a pixel shuffle, not {entry.name}", rule=Rule.OPTION_NOT_APPLICABLE,
                             values={option: chosen})
    if kernel is None:
        raise ShapeError(f"{entry.name} needs the kernel size", rule=Rule.OPTION_NOT_APPLICABLE,
                         values={"kernel": None})
    kind = entry.name[:3] if entry.family is Family.POOL else ""
    if kind == "lpp" and entry.ndim is not None:
        for name, given in (("output_padding", output_padding), ("output_size", output_size), ("groups", groups),
                            ("out_channels", out_channels), ("count_include_pad", count_include_pad)):
            if given is not None:
                raise ShapeError(f"{name} is not an option of {entry.name}", rule=Rule.OPTION_NOT_APPLICABLE,
                                 values={name: given})
        if dilation not in (1, "1"):
            raise ShapeError("translate writes LP pooling ports with dilation 1 (torch's LPPool has none)",
                             rule=Rule.OPTION_NOT_APPLICABLE, values={"dilation": dilation})
        return _translate_lp(entry.name, entry.ndim, from_framework, to_framework, input, kernel, stride, padding,
                             ceil_mode, in_channels, 2.0 if norm_type is None else norm_type)
    if norm_type is not None:
        raise ShapeError(f"norm_type is for LP pooling, not {entry.name}", rule=Rule.OPTION_NOT_APPLICABLE,
                         values={"norm_type": norm_type})
    if kind in ("max", "avg") and entry.ndim is not None:
        for name, given in (("output_padding", output_padding), ("output_size", output_size), ("groups", groups),
                            ("out_channels", out_channels)):
            if given is not None:
                raise ShapeError(f"{name} is for a convolution, not {entry.name}", rule=Rule.OPTION_NOT_APPLICABLE,
                                 values={name: given})
        return _translate_pool(entry.name, kind, entry.ndim, from_framework, to_framework, input, kernel, stride,
                               padding, dilation, ceil_mode, count_include_pad, in_channels)
    for name, flag in (("ceil_mode", ceil_mode), ("count_include_pad", count_include_pad)):
        if flag is not None:
            raise ShapeError(f"{name} is for pooling, not {entry.name}", rule=Rule.OPTION_NOT_APPLICABLE,
                             values={name: flag})
    g, src = _resolve(op, from_framework, input, kernel, 1 if stride is None else stride, padding, dilation,
                      output_padding, output_size, in_channels, out_channels, groups)
    target = get(to_framework).name
    port = port_for(target)
    n = g.ndim
    src_w, dst_w = weight_layout(g.framework, g.transposed, n), weight_layout(target, g.transposed, n)
    axes = permutation(src_w, dst_w)
    identity = axes == tuple(range(len(axes)))
    weight = Layout(src_w, dst_w, axes, weight_code(target, g.framework, axes, identity))
    data = _data_layout(g.framework, target, n)
    exactness = _exactness(src, g)
    ported = port.conv_transpose(g, exactness, weight) if g.transposed else port.conv(g, exactness, weight)
    notes = list(ported.notes)
    notes += _source_notes(g)
    if not exactness.every_size:
        notes.append(f"the static port holds for {exactness.description}")
    return TranslateResult(g.op, g.framework, target, g, ported.steps, weight, data, ported.exact, ported.reason,
                           exactness, ported.code, ported.dynamic_code, tuple(notes))


__all__ = ["Exactness", "Geometry", "Layout", "PORTS", "Port", "Ported", "Step", "TranslateResult", "permutation",
           "translate"]
