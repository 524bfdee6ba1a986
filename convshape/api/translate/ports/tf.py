"""Ports to TensorFlow (tf.nn, NHWC): ``tf.nn.conv{n}d`` with padding ``"SAME"`` / ``"VALID"`` where it pads
as the source at every input size, an explicit list ``[[0, 0], [before, after], ..., [0, 0]]`` (conv2d only:
tensorflow/python/ops/nn_ops.py ``conv2d`` / ``_get_sequence`` and ``convert_padding``), else ``tf.pad`` first;
``tf.nn.conv{n}d_transpose`` with ``output_shape`` (the size whose forward convolution gives the input,
tensorflow/core/kernels/conv_grad_shape_utils.cc). tf.nn adds no bias: ``+ b`` comes last, so a zero
pad after a transposed convolution is exact."""

from __future__ import annotations

from typing import Any

from convshape.api.translate import Exactness, Geometry, Layout, Ported, Step
from convshape.api.translate.ports import (TF_CPU_CONV3D_SAME, conv3d_same_unsafe, correction_step, divisor_code,
                                          keyword_reproduces, pads_and_crops)
from convshape.errors import ShapeError
from convshape.frameworks import get
from convshape.model import AxisSpec

KEYWORDS = {"same": "SAME", "valid": "VALID"}
CPU_DILATION = ("TF 2.21's CPU kernels reject dilations > 1 in conv3d and conv*_transpose ('Current CPU "
                "implementations do not yet support dilation rates larger than 1'); the port runs where the "
                "kernel does (GPU)")


def _slices(cb: tuple[int, ...], ca: tuple[int, ...]) -> str:
    return "[:, " + ", ".join(f"{b}:{'-' + str(a) if a else ''}" for b, a in zip(cb, ca)) + ", :]"


def _pads(before: tuple[int, ...], after: tuple[int, ...]) -> list[list[int]]:
    return [[0, 0], *[[b, a] for b, a in zip(before, after)], [0, 0]]


def _edge_steps(before: tuple[int, ...], after: tuple[int, ...]) -> tuple[list[Step], str, str]:
    """Pad / crop steps for signed pads, and the code around a tensor expression: (steps, prefix, suffix)."""
    pb, pa, cb, ca = pads_and_crops(before, after)
    steps, wrap_open, wrap_close = [], "", ""
    if any(cb) or any(ca):
        steps.append(Step("crop", "slice", (), cb, ca))
        wrap_close = _slices(cb, ca)
    if any(pb) or any(pa):
        steps.append(Step("pad", "tf.pad", (("paddings", tuple(tuple(p) for p in _pads(pb, pa))),), pb, pa))
    return steps, wrap_open, wrap_close


def _shown(padding: object) -> str:
    if isinstance(padding, tuple):
        return str([list(p) for p in padding])
    return repr(padding)


class TfPort:
    def __init__(self, name: str) -> None:
        self.name = name

    def conv(self, g: Geometry, x: Exactness, weight: Layout) -> Ported:
        n = g.ndim
        padding: object = None
        avoided = False  # SAME would pad as the source, but TF's CPU conv3d does not run it as its rule says
        for keyword, word in KEYWORDS.items():
            if keyword == "same" and conv3d_same_unsafe(g):
                avoided = keyword_reproduces("tf", keyword, g, x)
                continue
            if keyword_reproduces("tf", keyword, g, x):
                padding = word
                break
        avoided = avoided and padding is None  # VALID did it anyway
        pre: list[Step] = []
        inner = "x"
        if padding is None:
            pb, pa, cb, ca = pads_and_crops(g.pad_before, g.pad_after)
            if any(cb) or any(ca):
                pre.append(Step("crop", "slice", (), cb, ca))
                inner = f"x{_slices(cb, ca)}"
            if n == 2 and any((*pb, *pa)):
                padding = tuple(tuple(p) for p in _pads(pb, pa))
            else:
                if any((*pb, *pa)):
                    pre.append(Step("pad", "tf.pad", (("paddings", tuple(tuple(p) for p in _pads(pb, pa))),),
                                    pb, pa))
                    inner = f"tf.pad({inner}, {_pads(pb, pa)})"
                padding = "VALID"
        layer = Step("layer", f"tf.nn.conv{n}d", (("strides", g.stride), ("padding", padding),
                                                  ("dilations", g.dilation)))
        shown = repr(padding) if isinstance(padding, str) else _shown(padding)
        stride = g.stride[0] if n == 1 else list(g.stride) if n == 2 else [1, *g.stride, 1]
        dil = g.dilation[0] if n == 1 else list(g.dilation) if n == 2 else [1, *g.dilation, 1]
        call = f"tf.nn.conv{n}d({inner}, w_tf, {stride}, {shown}, dilations={dil}) + b"
        code = "\n".join(["import numpy as np", "import tensorflow as tf", weight.code, f"y = {call}"])
        notes: tuple[str, ...] = (CPU_DILATION,) if n == 3 and any(d > 1 for d in g.dilation) else ()
        if avoided:
            notes += (TF_CPU_CONV3D_SAME,)
        return Ported((*pre, layer), code, notes=notes)

    def conv_transpose(self, g: Geometry, x: Exactness, weight: Layout) -> Ported:
        n = g.ndim
        if g.groups != 1:
            return Ported((), "", exact=False, reason="tf.nn.conv_transpose takes no groups")
        rules = get("tf").conv
        specs = [AxisSpec(g.input[a], g.kernel[a], g.stride[a], g.dilation[a]) for a in range(n)]

        def gives(padding: object) -> bool:
            for a in range(n):
                try:
                    t = rules.transposed(specs[a], padding, None, g.output[a], n, a)  # type: ignore[arg-type]
                except ShapeError:
                    return False
                if (t.pad_before, t.output) != (g.pad_before[a], g.output[a]):
                    return False
            return True

        padding: object = None
        for keyword, word in KEYWORDS.items():
            if gives(keyword):
                padding = word
                break
        post: list[Step] = []
        output = g.output
        suffix, prefix = "", ""
        if padding is None and n == 2 and min(*g.pad_before, *g.pad_after) >= 0:
            pairs = [(g.pad_before[a], g.pad_after[a]) for a in range(n)]
            ok = True
            for a in range(n):
                try:
                    t = rules.transposed(specs[a], pairs[a], None, g.output[a], n, a)
                    ok = ok and (t.pad_before, t.output) == (g.pad_before[a], g.output[a])
                except ShapeError:
                    ok = False
            if ok:
                padding = tuple(tuple(p) for p in _pads(tuple(g.pad_before), tuple(g.pad_after)))
        if padding is None:  # VALID gives the full output; then pad / crop it to the source's window
            padding, output = "VALID", g.full
            after = tuple(g.pad_before[a] + g.output[a] - g.full[a] for a in range(n))
            post, _, suffix = _edge_steps(tuple(-p for p in g.pad_before), after)
            pb, pa, _, _ = pads_and_crops(tuple(-p for p in g.pad_before), after)
            if any((*pb, *pa)):
                prefix = "tf.pad("
                suffix = f", {_pads(pb, pa)}){suffix}"
        layer = Step("layer", f"tf.nn.conv{n}d_transpose", (("output_shape", ("N", *output, g.out_channels)),
                                                            ("strides", g.stride), ("padding", padding),
                                                            ("dilations", g.dilation)))
        shown = repr(padding) if isinstance(padding, str) else _shown(padding)
        shape = f"[x.shape[0], {', '.join(map(str, output))}, {g.out_channels}]"
        call = (f"{prefix}tf.nn.conv{n}d_transpose(x, w_tf, {shape}, {list(g.stride)}, {shown}, "
                f"dilations={list(g.dilation)}){suffix} + b")
        code = "\n".join(["import numpy as np", "import tensorflow as tf", weight.code, f"y = {call}"])
        notes = (CPU_DILATION,) if any(d > 1 for d in g.dilation) else ()
        return Ported((layer, *post), code, notes=notes)


    def _pool(self, g: Geometry, plan: Any, kind: str) -> Ported:
        """tf.nn.max_pool{n}d / avg_pool{n}d (NHWC; tensorflow/python/ops/nn_ops.py): padding "SAME" / "VALID"
        where it gives the source's windows, for max_pool1d / 2d an explicit list (each pad below the window,
        tensorflow/core/kernels/pooling_ops_common.cc), else ``tf.pad`` (-inf for max, zeros for average) and
        "VALID"; an average then divides by the whole kernel, and the code multiplies by kernel / the source's
        divisor where they differ."""
        n = g.ndim
        fn = f"tf.nn.{kind}_pool{n}d"
        steps: list[Step] = []
        inner = "x"
        padding: object
        if kind == "max" and any(d != 1 for d in g.dilation):
            return self._dilated_max_pool(g, plan)
        if plan.keyword is not None:
            padding = KEYWORDS[plan.keyword]
        elif kind == "max" and n <= 2 and all(0 <= p < k for p, k in zip((*plan.before, *plan.after), g.kernel * 2)):
            padding = tuple(tuple(p) for p in _pads(plan.before, plan.after))
        else:
            before, after = (plan.before, plan.after) if kind == "max" else (
                tuple(c.explicit[0] for c in plan.avg.axes), tuple(c.explicit[1] for c in plan.avg.axes))
            pb, pa, cb, ca = pads_and_crops(before, after)
            if any(cb) or any(ca):
                steps.append(Step("crop", "slice", (), cb, ca))
                inner = f"x{_slices(cb, ca)}"
            if any((*pb, *pa)):
                value = "-inf" if kind == "max" else "zero"
                constant = ", constant_values=-np.inf" if kind == "max" else ""
                steps.append(Step("pad", "tf.pad", (("paddings", tuple(tuple(p) for p in _pads(pb, pa))),), pb, pa,
                                  value))
                inner = f"tf.pad({inner}, {_pads(pb, pa)}{constant})"
            padding = "VALID"
        steps.append(Step("layer", fn, (("ksize", g.kernel), ("strides", g.stride), ("padding", padding))))
        shown = repr(padding) if isinstance(padding, str) else _shown(padding)
        lines = ["import numpy as np", "import tensorflow as tf",
                 f"y = {fn}({inner}, ksize={list(g.kernel)}, strides={list(g.stride)}, padding={shown})"]
        correction = plan.avg.correction if kind == "avg" and plan.keyword is None else None
        if correction is not None:
            steps.append(correction_step(correction, divide=False))
            lines += divisor_code(g, correction, 1, False, "np.float32")
        notes: tuple[str, ...] = ()
        if kind == "avg" and plan.keyword is None and plan.avg is not None and plan.avg.correction is not None:
            notes = ("no tf.nn.avg_pool divides as the source: the port averages over the whole kernel of the "
                     "zero-padded input, then multiplies by kernel / the source's divisor, computed from the input "
                     "size",)
        return Ported(tuple(steps), "\n".join(lines), notes=notes)

    def _dilated_max_pool(self, g: Geometry, plan: Any) -> Ported:
        """A dilated max pool: ``tf.pad`` with -inf, then ``tf.nn.pool(pooling_type="MAX", padding="VALID",
        dilations=...)`` with strides 1 (tensorflow/python/ops/nn_ops.py ``pool`` refuses ``strides > 1`` with
        ``dilation_rate > 1``), then every stride-th window (a strided slice): the same windows as the floor-mode
        pool over the padded input."""
        n = g.ndim
        steps: list[Step] = []
        inner = "x"
        pb, pa, cb, ca = pads_and_crops(plan.before, plan.after)
        if any(cb) or any(ca):
            steps.append(Step("crop", "slice", (), cb, ca))
            inner = f"x{_slices(cb, ca)}"
        if any((*pb, *pa)):
            steps.append(Step("pad", "tf.pad", (("paddings", tuple(tuple(p) for p in _pads(pb, pa))),), pb, pa,
                              "-inf"))
            inner = f"tf.pad({inner}, {_pads(pb, pa)}, constant_values=-np.inf)"
        steps.append(Step("layer", "tf.nn.pool", (("window_shape", g.kernel), ("pooling_type", "MAX"),
                                                  ("strides", (1,) * n), ("padding", "VALID"),
                                                  ("dilations", g.dilation))))
        call = (f"tf.nn.pool({inner}, window_shape={list(g.kernel)}, pooling_type='MAX', strides={[1] * n}, "
                f"padding='VALID', dilations={list(g.dilation)})")
        notes: tuple[str, ...] = ()
        if any(s != 1 for s in g.stride):
            steps.append(Step("layer", "strided_slice", (("strides", g.stride),)))
            call += "[:, " + ", ".join(f"::{s}" if s != 1 else ":" for s in g.stride) + ", :]"
            notes = ("tf.nn.pool takes dilations only with strides 1: the port pools at stride 1 and keeps every "
                     "stride-th window",)
        lines = ["import numpy as np", "import tensorflow as tf", f"y = {call}"]
        return Ported(tuple(steps), "\n".join(lines), notes=notes)

    def max_pool(self, g: Geometry, x: Exactness, plan: Any) -> Ported:
        return self._pool(g, plan, "max")

    def avg_pool(self, g: Geometry, x: Exactness, plan: Any) -> Ported:
        return self._pool(g, plan, "avg")

    def pixel_shuffle(self, s: Any, perm: tuple[int, ...] | None) -> Ported:
        """tf.nn.depth_to_space / space_to_depth (NHWC, DCR order: tensorflow/core/kernels/depthtospace_op.cc);
        a ``tf.gather`` of the channels before a shuffle (after an unshuffle) where the source's order differs."""
        fn = "tf.nn.space_to_depth" if s.unshuffle else "tf.nn.depth_to_space"
        layer = Step("layer", fn, (("block_size", s.factor),))
        lines = ["import tensorflow as tf"]
        if perm is None:
            return Ported((layer,), "\n".join(lines + [f"y = {fn}(x, {s.factor})"]))
        gather = Step("layer", "tf.gather", (("axis", 3), ("indices", perm)))
        lines.append(f"perm = {list(perm)}")
        if s.unshuffle:
            return Ported((layer, gather), "\n".join(lines + [f"y = tf.gather({fn}(x, {s.factor}), perm, axis=3)"]))
        return Ported((gather, layer), "\n".join(lines + [f"y = {fn}(tf.gather(x, perm, axis=3), {s.factor})"]))


def port(name: str) -> TfPort:
    return TfPort(name)
