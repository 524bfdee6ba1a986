"""Ports to JAX (jax.lax, NCHW and OIHW: ``lax.conv_general_dilated``'s default dimension numbers):
explicit ``(low, high)`` padding pairs (negative ones crop), or ``"SAME"`` / ``"SAME_LOWER"`` /
``"VALID"`` where they pad as the source at every input size (jax/_src/lax/lax.py ``padtype_to_pads``).
Transposed: ``lax.conv_transpose(..., transpose_kernel=True)`` with the torch-layout kernel (rhs spec
``OIHW`` names ConvTranspose's in/out channels swapped), its pairs padding the stride-dilated input:
``low = d*(k-1) - pad_before``, ``high = d*(k-1) - pad_after + output_padding``
(jax/_src/lax/convolution.py ``conv_transpose``). The bias is added last."""

from __future__ import annotations

from typing import Any

from convshape.api.translate import SPATIAL, Exactness, Geometry, Layout, Ported, Step
from convshape.api.translate.ports import correction_step, divisor_code, keyword_reproduces

KEYWORDS = {"same": "SAME", "same-lower": "SAME_LOWER", "valid": "VALID"}


def _bias(n: int) -> str:
    return "b[None, :" + ", None" * n + "]"


class JaxPort:
    def __init__(self, name: str) -> None:
        self.name = name

    def conv(self, g: Geometry, x: Exactness, weight: Layout) -> Ported:
        n = g.ndim
        padding: object = tuple(zip(g.pad_before, g.pad_after))
        if not x.every_size:
            for keyword, word in KEYWORDS.items():
                if keyword_reproduces("jax", keyword, g, x):
                    padding = word
                    break
        layer = Step("layer", "lax.conv_general_dilated", (
            ("window_strides", g.stride), ("padding", padding), ("rhs_dilation", g.dilation),
            ("feature_group_count", g.groups)))
        shown = repr(padding) if isinstance(padding, str) else str(list(padding))  # type: ignore[call-overload]
        call = (f"lax.conv_general_dilated(x, w_jax, {g.stride}, {shown}, rhs_dilation={g.dilation}, "
                f"feature_group_count={g.groups}) + {_bias(n)}")
        code = "\n".join(["import jax.numpy as jnp", "from jax import lax", weight.code, f"y = {call}"])
        return Ported((layer,), code)

    def conv_transpose(self, g: Geometry, x: Exactness, weight: Layout) -> Ported:
        n = g.ndim
        if g.groups != 1:
            return Ported((), "", exact=False, reason="lax.conv_transpose takes no feature_group_count")
        eff = g.effective
        pairs = tuple((eff[a] - 1 - g.pad_before[a], eff[a] - 1 - g.pad_after[a] + g.output_padding[a])
                      for a in range(n))
        spatial = SPATIAL[n]
        numbers = (f"NC{spatial}", f"OI{spatial}", f"NC{spatial}")
        layer = Step("layer", "lax.conv_transpose", (
            ("strides", g.stride), ("padding", pairs), ("rhs_dilation", g.dilation),
            ("dimension_numbers", numbers), ("transpose_kernel", True)))
        call = (f"lax.conv_transpose(x, w_jax, {g.stride}, {list(pairs)}, rhs_dilation={g.dilation}, "
                f"dimension_numbers={numbers}, transpose_kernel=True) + {_bias(n)}")
        code = "\n".join(["import jax.numpy as jnp", "from jax import lax", weight.code, f"y = {call}"])
        return Ported((layer,), code)


    def _pool(self, g: Geometry, plan: Any, kind: str) -> Ported:
        """``lax.reduce_window`` (jax/_src/lax/windowed_reductions.py; NCHW): max with the init value the source
        gives a window of padding only (-inf, or the dtype's lowest ``jnp.finfo(x.dtype).min``), the padding
        keyword or the (low, high) pairs; negative pairs crop first (``lax.pad`` takes them). Average: the sum
        (``lax.add`` from 0 over zero padding) divided by the source's divisors, computed from the input size
        (flax.linen.avg_pool divides so too)."""
        if kind == "max":
            init = "-jnp.inf" if plan.empty == "-inf" else "jnp.finfo(x.dtype).min"
            before, after = plan.before, plan.after
        else:
            init = "0.0"
            before = tuple(c.explicit[0] for c in plan.avg.axes)
            after = tuple(c.explicit[1] for c in plan.avg.axes)
        lines = ["import numpy as np", "import jax.numpy as jnp", "from jax import lax"]
        steps: list[Step] = []
        expr = "x"
        padding: object
        if plan.keyword is not None:
            padding = {"same": "SAME", "same-lower": "SAME_LOWER", "valid": "VALID"}[plan.keyword]
        elif min(*before, *after) < 0:
            config = ((0, 0, 0), (0, 0, 0), *((b, a, 0) for b, a in zip(before, after)))
            kind_of = "crop" if max(*before, *after) <= 0 else "pad"
            shown = (tuple(-b for b in before), tuple(-a for a in after)) if kind_of == "crop" else (before, after)
            steps.append(Step(kind_of, "lax.pad", (("padding_config", config), ("padding_value", init)), shown[0],
                              shown[1], "-inf" if kind == "max" else "zero"))
            lines.append(f"t = lax.pad(x, jnp.asarray({init}, x.dtype), {list(config)})")
            expr, padding = "t", "VALID"
        else:
            padding = ((0, 0), (0, 0), *zip(before, after))
        dims, strides = (1, 1, *g.kernel), (1, 1, *g.stride)
        params: list[tuple[str, object]] = [("init_value", init), ("computation", "lax.max" if kind == "max" else
                                                                   "lax.add"), ("window_dimensions", dims),
                                            ("window_strides", strides), ("padding", padding)]
        dilation = ""
        if kind == "max" and any(d != 1 for d in g.dilation):
            params.append(("window_dilation", (1, 1, *g.dilation)))
            dilation = f", window_dilation={(1, 1, *g.dilation)}"
        steps.append(Step("layer", "lax.reduce_window", tuple(params)))
        shown_pad = repr(padding) if isinstance(padding, str) else str(list(padding))
        lines.append(f"y = lax.reduce_window({expr}, jnp.asarray({init}, x.dtype), "
                     f"{'lax.max' if kind == 'max' else 'lax.add'}, {dims}, {strides}, {shown_pad}{dilation})")
        if kind == "avg":
            correction = plan.avg.correction
            if correction is not None:
                steps.append(correction_step(correction, divide=True))
            else:
                size = 1
                for k in g.kernel:
                    size *= k
                steps.append(Step("layer", "div", (("divisor", size),)))
            lines += divisor_code(g, correction, 2, True, "np.float32")
        return Ported(tuple(steps), "\n".join(lines))

    def max_pool(self, g: Geometry, x: Exactness, plan: Any) -> Ported:
        return self._pool(g, plan, "max")

    def avg_pool(self, g: Geometry, x: Exactness, plan: Any) -> Ported:
        return self._pool(g, plan, "avg")

    def pixel_shuffle(self, s: Any, perm: tuple[int, ...] | None) -> Ported:
        """JAX has no depth-to-space op: ``reshape`` + ``transpose`` (NCHW) in the source's own channel order (CRD:
        the channels split as (c, r, r), DCR: as (r, r, c)); no permutation."""
        r, c = s.factor, s.deep_channels // (s.factor * s.factor)
        if s.unshuffle:
            h, w = s.output
            split = f"x.reshape(x.shape[0], {s.channels}, {h}, {r}, {w}, {r})"
            axes = (0, 1, 3, 5, 2, 4) if s.order == "CRD" else (0, 3, 5, 1, 2, 4)
            final = f"(x.shape[0], {s.out_channels}, {h}, {w})"
        else:
            h, w = s.input
            split = (f"x.reshape(x.shape[0], {c}, {r}, {r}, {h}, {w})" if s.order == "CRD" else
                     f"x.reshape(x.shape[0], {r}, {r}, {c}, {h}, {w})")
            axes = (0, 1, 4, 2, 5, 3) if s.order == "CRD" else (0, 3, 4, 1, 5, 2)
            final = f"(x.shape[0], {c}, {h * r}, {w * r})"
        def dims(text: str) -> tuple[object, ...]:
            return tuple("N" if v.strip() == "x.shape[0]" else int(v) for v in text.split(","))

        steps = (Step("layer", "jnp.reshape", (("shape", dims(split.split("(", 1)[1].rstrip(")"))),)),
                 Step("layer", "jnp.transpose", (("axes", axes),)),
                 Step("layer", "jnp.reshape", (("shape", dims(final.strip("()"))),)))
        code = "\n".join(["import jax.numpy as jnp", f"y = {split}.transpose({axes}).reshape{final}"])
        return Ported(steps, code)


def port(name: str) -> JaxPort:
    return JaxPort(name)
