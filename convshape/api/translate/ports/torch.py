"""Ports to PyTorch (torch.nn): ``nn.ConvNd`` / ``nn.ConvTransposeNd``, with ``nn.ZeroPadNd``
before (negative values crop: ``F.pad`` takes them) and after a transposed convolution.

torch.nn.ConvNd pads symmetrically (``padding=`` per axis) or ``'same'`` at stride 1 only
(torch/nn/modules/conv.py ``_ConvNd.__init__``: "padding='same' is not supported for strided
convolutions", pytorch#3867, #67551); an asymmetric split is a ``ZeroPadNd`` first, as timm's
``pad_same`` (timm/layers/padding.py) computes it from the input for TF's SAME.
ConvTransposeNd crops ``padding`` on both sides and extends the end by ``output_padding``
(< max(stride, dilation), torch/nn/modules/conv.py ``_ConvTransposeNd._output_padding``).
"""

from __future__ import annotations

from typing import Any

from convshape.api.translate import Exactness, Geometry, Layout, Ported, Step
from convshape.api.translate.ports import keyword_reproduces, letters, pads_and_crops, value


def _torch_pad(before: tuple[int, ...], after: tuple[int, ...]) -> tuple[int, ...]:
    """F.pad's order: the last axis first, (before, after) each."""
    flat: list[int] = []
    for b, a in zip(reversed(before), reversed(after)):
        flat += [b, a]
    return tuple(flat)


def pad_steps(before: tuple[int, ...], after: tuple[int, ...], n: int) -> list[Step]:
    pb, pa, cb, ca = pads_and_crops(before, after)
    steps = []
    if any(cb) or any(ca):
        steps.append(Step("crop", f"nn.ZeroPad{letters(n)}", (("padding", _torch_pad(
            tuple(-c for c in cb), tuple(-c for c in ca))),), cb, ca))
    if any(pb) or any(pa):
        steps.append(Step("pad", f"nn.ZeroPad{letters(n)}", (("padding", _torch_pad(pb, pa)),), pb, pa))
    return steps


def _module(step: Step) -> str:
    if step.kind == "layer":
        args = ", ".join(f"{k}={py_literal(v)}" for k, v in step.params if k not in ("in_channels", "out_channels"))
        return f"{step.name}({step.param('in_channels')}, {step.param('out_channels')}, {args})"
    return f"{step.name}({py_literal(step.param('padding'))})"


def py_literal(v: object) -> str:
    return repr(v)


class TorchPort:
    def __init__(self, name: str) -> None:
        self.name = name

    def _layer(self, g: Geometry, padding: object, output_padding: tuple[int, ...] | None = None) -> Step:
        n = g.ndim
        params: list[tuple[str, object]] = [
            ("in_channels", g.in_channels), ("out_channels", g.out_channels), ("kernel_size", value(g.kernel)),
            ("stride", value(g.stride)), ("padding", padding)]
        if output_padding is not None and any(output_padding):
            params.append(("output_padding", value(output_padding)))
        params += [("dilation", value(g.dilation)), ("groups", g.groups)]
        name = f"nn.ConvTranspose{letters(n)}" if g.transposed else f"nn.Conv{letters(n)}"
        return Step("layer", name, tuple(params))

    def _code(self, g: Geometry, steps: list[Step], weight: Layout, call: str = "layer(x)") -> str:
        layer_at = next(j for j, s in enumerate(steps) if s.kind == "layer")
        lines = ["import numpy as np", "import torch", "import torch.nn as nn", weight.code,
                 f"conv = {_module(steps[layer_at])}",
                 "conv.weight.data, conv.bias.data = w_torch, torch.from_numpy(b)"]
        if len(steps) == 1:
            lines.append("layer = conv")
        else:
            parts = [_module(s) if j != layer_at else "conv" for j, s in enumerate(steps)]
            lines.append(f"layer = nn.Sequential({', '.join(parts)})")
        lines.append(f"y = {call}")
        return "\n".join(lines)

    def conv(self, g: Geometry, x: Exactness, weight: Layout) -> Ported:
        n = g.ndim
        notes: list[str] = []
        if all(b == a >= 0 for b, a in zip(g.pad_before, g.pad_after)):
            steps = [self._layer(g, value(g.pad_before))]
        elif keyword_reproduces(self.name, "same", g, x):
            steps = [self._layer(g, "same")]
            notes.append("torch's padding='same' (stride 1) pads as the source at every input size")
        else:
            steps = [*pad_steps(g.pad_before, g.pad_after, n), self._layer(g, 0)]
        code = self._code(g, steps, weight)
        dynamic = None
        if not x.every_size and x.same_split is not None:
            first, second = ("total // 2", "total - total // 2") if x.same_split == "upper" else \
                ("total - total // 2", "total // 2")
            static = self._code(g, [self._layer(g, 0)], weight, "conv(pad_same(x))").split("\n")
            dynamic = "\n".join([
                *static[:3], "import torch.nn.functional as F", "",
                f"def pad_same(x, k={tuple(g.kernel)}, s={tuple(g.stride)}, d={tuple(g.dilation)}):",
                f"    # as timm/layers/padding.py pad_same: SAME computed from the input, "
                f"the odd cell at the {'end' if x.same_split == 'upper' else 'start'}",
                "    pads = []",
                "    for i, k_, s_, d_ in reversed(list(zip(x.shape[2:], k, s, d))):",
                "        total = max((-(-i // s_) - 1) * s_ + (k_ - 1) * d_ + 1 - i, 0)",
                f"        pads += [{first}, {second}]",
                "    return F.pad(x, pads)", "",
                *[line for line in static[3:] if not line.startswith("layer =")]])
        return Ported(tuple(steps), code, dynamic, notes=tuple(notes))

    def conv_transpose(self, g: Geometry, x: Exactness, weight: Layout) -> Ported:
        n = g.ndim
        limit = [max(s, d) for s, d in zip(g.stride, g.dilation)]
        # one layer: crop pad_before on both sides, output_padding extends the end
        single = [g.pad_before[a] - g.pad_after[a] + g.output_padding[a] for a in range(n)]
        if all(g.pad_before[a] >= 0 and 0 <= single[a] < limit[a] for a in range(n)):
            steps = [self._layer(g, value(g.pad_before), tuple(single))]
            return Ported(tuple(steps), self._code(g, steps, weight))
        # padding 0, the smallest output_padding reaching the end, then a crop (or a pad of zeros: bias!)
        full = g.full
        ops = []
        for a in range(n):
            end = g.pad_before[a] + g.output[a]
            ops.append(min(max(end - full[a], 0), limit[a] - 1))
        crop_before = tuple(g.pad_before)
        crop_after = tuple(full[a] + ops[a] - g.pad_before[a] - g.output[a] for a in range(n))
        steps = [self._layer(g, 0, tuple(ops)), *pad_steps(tuple(-c for c in crop_before),
                                                             tuple(-c for c in crop_after), n)]
        exact, reason = True, None
        if any(c < 0 for c in (*crop_before, *crop_after)):
            exact = False
            reason = ("the source's output reaches past what output_padding can extend (values there are the "
                      "bias only); the zero padding after the layer misses the bias")
        return Ported(tuple(steps), self._code(g, steps, weight), exact=exact, reason=reason)

    def max_pool(self, g: Geometry, x: Exactness, plan: Any) -> Ported:
        return _max_pool(g, plan.before, plan.after)

    def avg_pool(self, g: Geometry, x: Exactness, pool_plan: Any) -> Ported:
        """nn.AvgPoolNd (symmetric padding, ceil_mode, count_include_pad: torch/nn/modules/pooling.py), after an
        nn.ZeroPadNd where the plan pads explicitly."""
        plan = pool_plan.avg
        n = g.ndim
        before = tuple(c.explicit[0] for c in plan.axes)
        after = tuple(c.explicit[1] for c in plan.axes)
        layer = Step("layer", f"nn.AvgPool{letters(n)}", (
            ("kernel_size", value(g.kernel)), ("stride", value(g.stride)),
            ("padding", value(tuple(c.layer[0] for c in plan.axes))), ("ceil_mode", plan.ceil_mode),
            ("count_include_pad", plan.count_include_pad)))
        steps = [*pad_steps(before, after, n), layer]
        args = ", ".join(f"{k}={py_literal(v)}" for k, v in layer.params)
        modules = [f"{_module(st)}" for st in steps[:-1]] + [f"{layer.name}({args})"]
        built = modules[0] if len(modules) == 1 else f"nn.Sequential({', '.join(modules)})"
        code = "\n".join(["import torch", "import torch.nn as nn", f"layer = {built}", "y = layer(x)"])
        if plan.correction is None:
            return Ported(tuple(steps), code)
        # the layer divides every window by the whole kernel; the source divides by its clipped window
        pb = tuple(c[0] for c in plan.correction)
        pa = tuple(c[1] for c in plan.correction)
        cip = plan.correction[0][2]
        steps.append(Step("layer", "mul", (("factor", "kernel / divisor per axis"), ("pad_before", pb),
                                           ("pad_after", pa), ("count_include_pad", cip))))
        lines = code.split("\n")[:-1] + [
            "", "def divisors(i, k, s, pb, pa, n):",
            "    # the source's divisor of each window: the window clipped to the "
            + ("padded input" if cip else "input (padding left out)"),
            "    start = torch.arange(n) * s - pb",
            f"    return (torch.clamp(start + k, max=i + {'pa' if cip else '0'}) - "
            f"torch.clamp(start, min={'-pb' if cip else '0'})).to(x.dtype)", "",
            "y = layer(x)",
            f"for axis, (k, s, pb, pa) in enumerate(zip({tuple(g.kernel)}, {tuple(g.stride)}, {pb}, {pa})):",
            "    n = y.shape[2 + axis]",
            "    shape = [1] * y.dim()",
            "    shape[2 + axis] = n",
            "    y = y * (k / divisors(x.shape[2 + axis], k, s, pb, pa, n)).reshape(shape)"]
        note = ("no torch AvgPool divides as the source: the port divides by the whole kernel, then multiplies by "
                "kernel / the source's divisor, computed from the input size")
        return Ported(tuple(steps), "\n".join(lines), notes=(note,))

    def pixel_shuffle(self, s: Any, perm: tuple[int, ...] | None) -> Ported:
        """nn.PixelShuffle / nn.PixelUnshuffle (CRD order, torch/nn/modules/pixelshuffle.py); a channel gather
        before a shuffle (after an unshuffle) where the source's order differs."""
        name = "nn.PixelUnshuffle" if s.unshuffle else "nn.PixelShuffle"
        arg = "downscale_factor" if s.unshuffle else "upscale_factor"
        layer = Step("layer", name, ((arg, s.factor),))
        lines = ["import torch", "import torch.nn as nn", f"layer = {name}({arg}={s.factor})"]
        if perm is None:
            return Ported((layer,), "\n".join(lines + ["y = layer(x)"]))
        gather = Step("layer", "gather", (("dim", 1), ("index", perm)))
        lines.append(f"perm = torch.tensor({list(perm)})")
        if s.unshuffle:
            return Ported((layer, gather), "\n".join(lines + ["y = layer(x)[:, perm]"]))
        return Ported((gather, layer), "\n".join(lines + ["y = layer(x[:, perm])"]))


def port(name: str) -> TorchPort:
    return TorchPort(name)


def _max_pool(g: Geometry, before: tuple[int, ...], after: tuple[int, ...]) -> Ported:
    """nn.MaxPoolNd pads both sides alike, at most half the kernel (torch/nn/functional.py max_pool2d: "pad should
    be at most half of effective kernel size" as aten's pool_output_sizes checks it) and with -inf; otherwise
    nn.ConstantPadNd(..., float('-inf')) first (negative values crop) and padding=0."""
    n = g.ndim
    pool = f"nn.MaxPool{letters(n)}"
    fits = all(b == a and 0 <= b <= k // 2 for b, a, k in zip(before, after, g.kernel))
    padding = value(before) if fits else 0
    layer = Step("layer", pool, (("kernel_size", value(g.kernel)), ("stride", value(g.stride)),
                                 ("padding", padding), ("dilation", value(g.dilation))))
    steps = [layer]
    if not fits:
        flat = _torch_pad(before, after)
        kind = "crop" if max(*before, *after) <= 0 else "pad"
        shown = (tuple(-b for b in before), tuple(-a for a in after)) if kind == "crop" else (before, after)
        steps.insert(0, Step(kind, f"nn.ConstantPad{letters(n)}", (("padding", flat), ("value", "-inf")), *shown,
                             value="-inf"))
    args = ", ".join(f"{k}={py_literal(v)}" for k, v in layer.params)
    modules = [f"{pool}({args})"]
    if not fits:
        modules.insert(0, f"nn.ConstantPad{letters(n)}({py_literal(_torch_pad(before, after))}, float('-inf'))")
    built = modules[0] if len(modules) == 1 else f"nn.Sequential({', '.join(modules)})"
    code = "\n".join(["import torch", "import torch.nn as nn", f"layer = {built}", "y = layer(x)"])
    return Ported(tuple(steps), code)

