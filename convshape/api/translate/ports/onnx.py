"""Ports to ONNX (and onnxruntime, which runs the same nodes): ``Conv`` / ``ConvTranspose`` with
``pads = [x1_begin, x2_begin, ..., x1_end, x2_end, ...]`` or ``auto_pad`` where it pads as the source at
every input size (onnx/defs/nn/defs.cc Conv, ConvTranspose), after a ``Pad`` node (mode constant;
negative pads remove cells: onnx/defs/tensor/defs.cc Pad, opset 11+) where the layer's own pads cannot
say it. ConvTranspose: ``output = s*(i-1) + output_padding + d*(k-1) + 1 - pads_begin - pads_end``;
onnxruntime requires output_padding < max(stride, dilation) (conv_transpose_attributes.h)."""

from __future__ import annotations

from typing import Any

from convshape.api.translate import Exactness, Geometry, Layout, Ported, Step
from convshape.api.translate.ports import keyword_reproduces
from convshape.errors import ShapeError
from convshape.frameworks import get
from convshape.model import AxisSpec

AUTO_PAD = {"same-upper": "SAME_UPPER", "same-lower": "SAME_LOWER", "valid": "VALID"}


def pad_step(before: tuple[int, ...], after: tuple[int, ...], value: str = "zero") -> list[Step]:
    """One Pad node (signed: a negative pad crops); its pads cover N and C too."""
    if not any(before) and not any(after):
        return []
    pads = (0, 0, *before, 0, 0, *after)
    kind = "pad" if min(*before, *after) >= 0 else "crop" if max(*before, *after) <= 0 else "pad"
    if kind == "crop":
        before, after = tuple(-b for b in before), tuple(-a for a in after)
    return [Step(kind, "Pad", (("mode", "constant"), ("pads", pads)), before, after, value)]


def _attrs(step: Step) -> str:
    return ", ".join(f"{k}={list(v) if isinstance(v, tuple) else repr(v)}" for k, v in step.params)


def code(steps: list[Step], weight: Layout | None) -> str:
    """The nodes and initializers, written with onnx.helper (the graph input ``x``, output ``y``); no weight
    layout: a layer without weights (pooling)."""
    lines = ["import numpy as np", "from onnx import helper, numpy_helper", *([weight.code] if weight else []),
             "nodes = ["]
    inits = ["numpy_helper.from_array(w_onnx, 'w')", "numpy_helper.from_array(b, 'b')"] if weight else []
    current = "x"
    for j, step in enumerate(steps):
        out = "y" if j == len(steps) - 1 else f"t{j}"
        if step.name == "Mul":  # a constant per output cell: per axis factors, multiplied together
            n = len(step.param("factors"))
            parts = [f"np.array({list(f)}, np.float32).reshape({tuple(-1 if a == b else 1 for b in range(n + 2))})"
                     for a, f in zip(range(2, n + 2), step.param("factors"))]
            inits.append(f"numpy_helper.from_array(({' * '.join(parts)}).astype(np.float32), 'scale{j}')")
            lines.append(f"    helper.make_node('Mul', [{current!r}, 'scale{j}'], ['{out}']),")
        elif step.name == "Gather":
            inits.append(f"numpy_helper.from_array(np.array({list(step.param('indices'))}, np.int64), 'perm{j}')")
            lines.append(f"    helper.make_node('Gather', [{current!r}, 'perm{j}'], ['{out}'], axis=1),")
        elif step.name == "Pad":
            pads = f"pads{j}"
            inits.append(f"numpy_helper.from_array(np.array({list(step.param('pads'))}, np.int64), '{pads}')")
            inputs = [current, pads]
            if step.value == "-inf":
                inits.append(f"numpy_helper.from_array(np.array(-np.inf, np.float32), 'lowest{j}')")
                inputs.append(f"lowest{j}")
            lines.append(f"    helper.make_node('Pad', {inputs!r}, ['{out}'], mode='constant'),")
        else:
            attrs = ", ".join(f"{k}={list(v) if isinstance(v, tuple) else repr(v)}" for k, v in step.params)
            inputs = [current, "w", "b"] if weight else [current]
            lines.append(f"    helper.make_node('{step.name}', {inputs!r}, ['{out}'], {attrs}),")
        current = out
    lines.append("]")
    lines.append("initializers = [" + ", ".join(inits) + "]")
    return "\n".join(lines)


class OnnxPort:
    def __init__(self, name: str) -> None:
        self.name = name  # onnx or onnxruntime: keywords are checked with that framework's rules
        # a model for the spec is run by some runtime: the spec port writes only what onnxruntime runs as well
        # (it refuses auto_pad SAME_* with dilations > 1, conv_attributes.h, and output_padding >= max(stride,
        # dilation), conv_transpose_attributes.h, both of which the spec allows)
        self.runners = tuple(dict.fromkeys((name, "onnxruntime")))

    def _layer(self, g: Geometry, pads: tuple[int, ...] | None, auto_pad: str | None = None,
               output_padding: tuple[int, ...] | None = None) -> Step:
        params: list[tuple[str, object]] = [("kernel_shape", g.kernel), ("strides", g.stride)]
        if auto_pad is not None:
            params.append(("auto_pad", auto_pad))
        else:
            params.append(("pads", pads))
        if output_padding is not None and any(output_padding):
            params.append(("output_padding", output_padding))
        params += [("dilations", g.dilation), ("group", g.groups)]
        return Step("layer", "ConvTranspose" if g.transposed else "Conv", tuple(params))

    def conv(self, g: Geometry, x: Exactness, weight: Layout) -> Ported:
        n = g.ndim
        if min(*g.pad_before, *g.pad_after) >= 0:
            steps = [self._layer(g, (*g.pad_before, *g.pad_after))]
            if not x.every_size:  # an auto_pad keeps the port exact at every size
                for keyword, auto in AUTO_PAD.items():
                    if all(keyword_reproduces(name, keyword, g, x) for name in self.runners):
                        steps = [self._layer(g, None, auto)]
                        break
        else:
            steps = [*pad_step(tuple(min(p, 0) for p in g.pad_before), tuple(min(p, 0) for p in g.pad_after)),
                     self._layer(g, tuple(max(p, 0) for p in (*g.pad_before, *g.pad_after)))]
        del n
        return Ported(tuple(steps), code(steps, weight))

    def _accepts(self, g: Geometry, pads: tuple[tuple[int, int], ...], ops: tuple[int, ...]) -> bool:
        """Whether the target's own rules run ConvTranspose with these pads and output_padding
        (onnxruntime: output_padding < max(stride, dilation), and the output must map back to the input)."""
        for a in range(g.ndim):
            spec = AxisSpec(g.input[a], g.kernel[a], g.stride[a], g.dilation[a])
            try:
                for name in self.runners:
                    get(name).conv.transposed(spec, pads[a], ops[a], None, g.ndim, a)
            except ShapeError:
                return False
        return True

    def conv_transpose(self, g: Geometry, x: Exactness, weight: Layout) -> Ported:
        n = g.ndim
        if min(*g.pad_before, *g.pad_after) >= 0 and self._accepts(g, tuple(zip(g.pad_before, g.pad_after)),
                                                                     g.output_padding):
            steps = [self._layer(g, (*g.pad_before, *g.pad_after), output_padding=g.output_padding)]
            return Ported(tuple(steps), code(steps, weight))
        full = g.full
        ops = []
        for a in range(n):  # the largest accepted output_padding up to what reaches the end, then crop
            want = max(g.pad_before[a] + g.output[a] - full[a], 0)
            spec = AxisSpec(g.input[a], g.kernel[a], g.stride[a], g.dilation[a])
            op = want
            while op > 0:
                try:
                    for name in self.runners:
                        get(name).conv.transposed(spec, (0, 0), op, None, n, a)
                    break
                except ShapeError:
                    op -= 1
            ops.append(op)
        crop_after = tuple(full[a] + ops[a] - g.pad_before[a] - g.output[a] for a in range(n))
        steps = [self._layer(g, (0,) * (2 * n), output_padding=tuple(ops)),
                 *pad_step(tuple(-c for c in g.pad_before), crop_after_signed(crop_after))]
        exact = min(*g.pad_before, *crop_after) >= 0
        reason = None if exact else (f"the source's output reaches past what {self.name}'s output_padding can "
                                     f"extend (values there are the bias only); the zero padding after the layer "
                                     f"misses the bias")
        return Ported(tuple(steps), code(steps, weight), exact=exact, reason=reason)

    def _pool_runs(self, g: Geometry, before: tuple[int, ...], after: tuple[int, ...]) -> bool:
        """Whether every runner's MaxPool takes these pads (floor mode) and gives the source's windows."""
        from convshape.api.pooling import pool

        padding = ",".join(f"{b}:{a}" for b, a in zip(before, after))
        for name in self.runners:
            try:
                res = pool("max", g.input, g.kernel, g.stride, padding, g.dilation, False, framework=name,
                           ndim=g.ndim)
            except ShapeError:
                return False
            if tuple(a.output for a in res.axes) != g.output:
                return False
        return True

    def max_pool(self, g: Geometry, x: Exactness, plan: Any) -> Ported:
        """MaxPool (floor mode) with its own pads where the runners take them (they pad with -inf), else a Pad
        node (constant -inf, onnx/defs/tensor/defs.cc Pad: negative pads crop) and pads 0."""
        n = g.ndim
        before, after = plan.before, plan.after
        own = min(*before, *after) >= 0 and self._pool_runs(g, before, after)
        pads = (*before, *after) if own else (0,) * (2 * n)
        layer = Step("layer", "MaxPool", (("kernel_shape", g.kernel), ("strides", g.stride), ("pads", pads),
                                          ("dilations", g.dilation)))
        steps = [layer] if own else [*pad_step(before, after, "-inf"), layer]
        return Ported(tuple(steps), code(steps, None))

    def avg_pool(self, g: Geometry, x: Exactness, plan: Any) -> Ported:
        """AveragePool with pads, count_include_pad and ceil_mode as the plan says (onnx/defs/nn/defs.cc
        AveragePool), after a zero Pad node where the plan pads explicitly."""
        plan = plan.avg
        n = g.ndim
        before = tuple(c.explicit[0] for c in plan.axes)
        after = tuple(c.explicit[1] for c in plan.axes)
        pads = tuple(c.layer[0] for c in plan.axes) + tuple(c.layer[1] for c in plan.axes)
        params: list[tuple[str, object]] = [("kernel_shape", g.kernel), ("strides", g.stride), ("pads", pads),
                                            ("count_include_pad", int(plan.count_include_pad))]
        if plan.ceil_mode:
            params.append(("ceil_mode", 1))
        layer = Step("layer", "AveragePool", tuple(params))
        steps = [*pad_step(before, after), layer]
        del n
        note = ("opset 19 or later: onnxruntime 1.32 runs AveragePool of opset 18 and earlier with another "
                "divisor where a window runs past the padded input (the whole kernel: observed, i=1, k=4, pads 0:1 "
                "with count_include_pad gives x/4 at opset 18, x/2 at opset 19)")
        return Ported(tuple(steps), code(steps, None) + "\n# opset_imports=[helper.make_opsetid('', 19)]",
                      notes=(note,))

    def pixel_shuffle(self, s: Any, perm: tuple[int, ...] | None) -> Ported:
        """DepthToSpace with the source's order as its mode (DCR / CRD); SpaceToDepth (DCR only,
        onnx/defs/tensor/defs.cc) then a Gather of the channels where the source's order is CRD."""
        if not s.unshuffle:
            steps = [Step("layer", "DepthToSpace", (("blocksize", s.factor), ("mode", s.order)))]
        else:
            steps = [Step("layer", "SpaceToDepth", (("blocksize", s.factor),))]
            if perm is not None:
                steps.append(Step("layer", "Gather", (("axis", 1), ("indices", perm))))
        return Ported(tuple(steps), code(steps, None))


def crop_after_signed(crop: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(-c for c in crop)


def port(name: str) -> OnnxPort:
    return OnnxPort(name)
