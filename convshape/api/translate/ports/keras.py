"""Ports to Keras 3 (channels_last): ``ConvND`` with ``padding="same"`` / ``"valid"`` where it pads as
the source at every input size, else ``ZeroPaddingND`` / ``CroppingND`` then ``padding="valid"``
(keras/src/layers/convolutional/base_conv.py; keras/src/layers/reshaping/zero_padding2d.py);
``ConvNDTranspose`` with ``padding`` and ``output_padding`` as Keras sizes it
(keras/src/backend/common/backend_utils.py ``compute_conv_transpose_output_shape``), else
``padding="valid"`` and a ``CroppingND``. Keras takes no strides > 1 with dilation_rate > 1
(base_conv.py ``__init__``) and no groups in a transposed convolution."""

from __future__ import annotations

from typing import Any

from convshape.api.translate import Exactness, Geometry, Layout, Ported, Step
from convshape.api.translate.ports import (TF_CPU_CONV3D_SAME, conv3d_same_unsafe, correction_step, divisor_code,
                                          keyword_reproduces, letters, pads_and_crops)
from convshape.errors import ShapeError
from convshape.frameworks import get
from convshape.model import AxisSpec


def _pairs(before: tuple[int, ...], after: tuple[int, ...]) -> object:
    if len(before) == 1:
        return (before[0], after[0])
    return tuple(zip(before, after))


def _code(steps: list[Step], layer_args: str, weight: Layout, layer_class: str) -> str:
    lines = ["import keras", weight.code]
    expr = "x"
    for j, step in enumerate(steps):
        if step.kind == "layer":
            lines.append(f"conv = keras.layers.{layer_class}({layer_args})")
            lines.append("conv.build(tuple(t.shape))" if expr != "x" else "conv.build(tuple(x.shape))")
            lines.append("conv.set_weights([w_keras, b])")
            expr = "conv(t)" if expr != "x" else "conv(x)"
        else:
            name = step.name.replace("keras.layers.", "")
            lines.append(f"t = keras.layers.{name}({_pairs(step.before, step.after)!r})({expr})")
            expr = "t"
        if expr.startswith("conv(") and j < len(steps) - 1:
            lines.append(f"t = {expr}")
            expr = "t"
    lines.append(f"y = {expr}")
    return "\n".join(lines)


class KerasPort:
    def __init__(self, name: str) -> None:
        self.name = name

    def _problem(self, g: Geometry) -> str | None:
        try:
            get("keras").conv.check_layer([AxisSpec(*v) for v in zip(g.input, g.kernel, g.stride, g.dilation)],
                                          g.transposed)
        except ShapeError as exc:
            return f"Keras: {exc.message}"
        if g.transposed and g.groups != 1:
            return "Keras's ConvNDTranspose takes no groups"
        return None

    def conv(self, g: Geometry, x: Exactness, weight: Layout) -> Ported:
        n = g.ndim
        padding = None
        avoided = False  # "same" would pad as the source, but TF's CPU conv3d (Keras's TF backend) does not
        for keyword in ("same", "valid"):
            if keyword == "same" and conv3d_same_unsafe(g):
                avoided = keyword_reproduces("keras", keyword, g, x)
                continue
            if keyword_reproduces("keras", keyword, g, x):
                padding = keyword
                break
        avoided = avoided and padding is None  # VALID did it anyway
        steps: list[Step] = []
        if padding is None:
            # pad first: a crop of the whole input (JAX's negative padding allows it) would leave Cropping
            # an empty tensor, which it refuses ("must be smaller than the input length")
            pb, pa, cb, ca = pads_and_crops(g.pad_before, g.pad_after)
            if any((*pb, *pa)):
                steps.append(Step("pad", f"keras.layers.ZeroPadding{n}D", (("padding", _pairs(pb, pa)),), pb, pa))
            if any(cb) or any(ca):
                steps.append(Step("crop", f"keras.layers.Cropping{n}D", (("cropping", _pairs(cb, ca)),), cb, ca))
            padding = "valid"
        params = (("filters", g.out_channels), ("kernel_size", g.kernel), ("strides", g.stride),
                  ("padding", padding), ("dilation_rate", g.dilation), ("groups", g.groups))
        steps.append(Step("layer", f"keras.layers.Conv{n}D", params))
        args = ", ".join(f"{k}={v!r}" for k, v in params)
        problem = self._problem(g)
        notes = (TF_CPU_CONV3D_SAME,) if avoided else ()
        return Ported(tuple(steps), _code(steps, args, weight, f"Conv{n}D"), exact=problem is None, reason=problem,
                      notes=notes)

    def conv_transpose(self, g: Geometry, x: Exactness, weight: Layout) -> Ported:
        n = g.ndim
        rules = get("keras").conv
        specs = [AxisSpec(g.input[a], g.kernel[a], g.stride[a], g.dilation[a]) for a in range(n)]
        chosen: tuple[str, tuple[int | None, ...]] | None = None
        # output_padding is one value for every axis: None (Keras sizes each axis itself) or numbers on every
        # axis (a None axis among numbers would be read as 0, another size)
        for keyword in ("same", "valid"):
            for candidates in ((None,), tuple(range(max(g.stride)))):
                ops: list[int | None] = []
                for a in range(n):
                    for op in candidates:
                        try:
                            t = rules.transposed(specs[a], keyword, op, None, n, a)
                        except ShapeError:
                            continue
                        if (t.pad_before, t.output) == (g.pad_before[a], g.output[a]):
                            ops.append(op)
                            break
                    else:
                        break
                if len(ops) == n:
                    chosen = (keyword, tuple(ops))
                    break
            if chosen is not None:
                break
        steps: list[Step] = []
        exact, reason = True, self._problem(g)
        if chosen is None:  # valid, then crop the full output to the source's window
            chosen = ("valid", (None,) * n)
            lengths = []
            for a in range(n):
                try:
                    lengths.append(rules.transposed(specs[a], "valid", None, None, n, a).output)
                except ShapeError:
                    lengths.append(g.full[a])
            cb = tuple(g.pad_before)
            ca = tuple(lengths[a] - g.pad_before[a] - g.output[a] for a in range(n))
            steps_after = [Step("crop", f"keras.layers.Cropping{n}D", (("cropping", _pairs(cb, ca)),), cb, ca)]
            if min(*cb, *ca) < 0:
                exact, reason = False, reason or ("the source's output reaches past Keras's (values there are the "
                                                  "bias only): no Keras layer pads with the bias")
        else:
            steps_after = []
        keyword, ops_chosen = chosen
        op_value = None if all(o is None for o in ops_chosen) else tuple(0 if o is None else o for o in ops_chosen)
        params = (("filters", g.out_channels), ("kernel_size", g.kernel), ("strides", g.stride),
                  ("padding", keyword), ("output_padding", op_value), ("dilation_rate", g.dilation))
        steps = [Step("layer", f"keras.layers.Conv{n}DTranspose", params), *steps_after]
        args = ", ".join(f"{k}={v!r}" for k, v in params)
        return Ported(tuple(steps), _code(steps, args, weight, f"Conv{n}DTranspose"), exact=exact and reason is None,
                      reason=reason)


    def _pool(self, g: Geometry, plan: Any, kind: str) -> Ported:
        """MaxPoolingND / AveragePoolingND (keras/src/layers/pooling/base_pooling.py: padding "valid" / "same"
        only) with the keyword where it gives the source's windows; else the input padded first: max pooling
        with -inf by ``keras.ops.pad`` (ZeroPaddingND pads zeros, which a max would read), average pooling by
        ZeroPaddingND; then CroppingND where the windows leave cells unread, and padding "valid" (an average
        over the whole kernel: the code multiplies by kernel / the source's divisor where they differ)."""
        n = g.ndim
        cls = f"{'MaxPooling' if kind == 'max' else 'AveragePooling'}{n}D"
        steps: list[Step] = []
        lines = ["import numpy as np", "import keras"]
        expr = "x"
        if plan.keyword is not None:
            padding = plan.keyword
        else:
            before, after = (plan.before, plan.after) if kind == "max" else (
                tuple(c.explicit[0] for c in plan.avg.axes), tuple(c.explicit[1] for c in plan.avg.axes))
            pb, pa, cb, ca = pads_and_crops(before, after)
            if any((*pb, *pa)):
                if kind == "max":
                    widths = [[0, 0], *[[b, a] for b, a in zip(pb, pa)], [0, 0]]
                    steps.append(Step("pad", "keras.ops.pad", (("pad_width", tuple(tuple(w) for w in widths)),
                                                               ("constant_values", "-inf")), pb, pa, "-inf"))
                    lines.append(f"t = keras.ops.pad({expr}, {widths}, constant_values=float('-inf'))")
                else:
                    steps.append(Step("pad", f"keras.layers.ZeroPadding{n}D", (("padding", _pairs(pb, pa)),), pb,
                                      pa))
                    lines.append(f"t = keras.layers.ZeroPadding{n}D({_pairs(pb, pa)!r})({expr})")
                expr = "t"
            if any(cb) or any(ca):
                steps.append(Step("crop", f"keras.layers.Cropping{n}D", (("cropping", _pairs(cb, ca)),), cb, ca))
                lines.append(f"t = keras.layers.Cropping{n}D({_pairs(cb, ca)!r})({expr})")
                expr = "t"
            padding = "valid"
        params = (("pool_size", g.kernel), ("strides", g.stride), ("padding", padding))
        steps.append(Step("layer", f"keras.layers.{cls}", params))
        lines.append(f"y = keras.layers.{cls}({', '.join(f'{k}={v!r}' for k, v in params)})({expr})")
        notes: tuple[str, ...] = ()
        correction = plan.avg.correction if kind == "avg" and plan.keyword is None else None
        if correction is not None:
            steps.append(correction_step(correction, divide=False))
            lines += divisor_code(g, correction, 1, False, "np.float32")
            notes = ("no Keras AveragePooling divides as the source: the port averages over the whole kernel of the "
                     "zero-padded input, then multiplies by kernel / the source's divisor, computed from the input "
                     "size",)
        return Ported(tuple(steps), "\n".join(lines), notes=notes)

    def max_pool(self, g: Geometry, x: Exactness, plan: Any) -> Ported:
        return self._pool(g, plan, "max")

    def avg_pool(self, g: Geometry, x: Exactness, plan: Any) -> Ported:
        return self._pool(g, plan, "avg")

    def pixel_shuffle(self, s: Any, perm: tuple[int, ...] | None) -> Ported:
        """keras.ops.depth_to_space / space_to_depth (channels_last, keras/src/ops/nn.py; no layer: wrap it in a
        Lambda inside a model), DCR as tf.nn's; ``keras.ops.take`` of the channels before a shuffle (after an
        unshuffle) where the source's order differs."""
        fn = "keras.ops.space_to_depth" if s.unshuffle else "keras.ops.depth_to_space"
        layer = Step("layer", fn, (("block_size", s.factor),))
        lines = ["import keras"]
        if perm is None:
            return Ported((layer,), "\n".join(lines + [f"y = {fn}(x, {s.factor})"]))
        gather = Step("layer", "keras.ops.take", (("axis", -1), ("indices", perm)))
        lines.append(f"perm = {list(perm)}")
        if s.unshuffle:
            return Ported((layer, gather), "\n".join(
                lines + [f"y = keras.ops.take({fn}(x, {s.factor}), perm, axis=-1)"]))
        return Ported((gather, layer), "\n".join(lines + [f"y = {fn}(keras.ops.take(x, perm, axis=-1), {s.factor})"]))


def port(name: str) -> KerasPort:
    return KerasPort(name)


__all__ = ["KerasPort", "letters", "port"]
