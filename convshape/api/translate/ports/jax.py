"""Ports to JAX (jax.lax, NCHW and OIHW: ``lax.conv_general_dilated``'s default dimension numbers):
explicit ``(low, high)`` padding pairs (negative ones crop), or ``"SAME"`` / ``"SAME_LOWER"`` /
``"VALID"`` where they pad as the source at every input size (jax/_src/lax/lax.py ``padtype_to_pads``).
Transposed: ``lax.conv_transpose(..., transpose_kernel=True)`` with the torch-layout kernel (rhs spec
``OIHW`` names ConvTranspose's in/out channels swapped), its pairs padding the stride-dilated input:
``low = d*(k-1) - pad_before``, ``high = d*(k-1) - pad_after + output_padding``
(jax/_src/lax/convolution.py ``conv_transpose``). The bias is added last."""

from __future__ import annotations

from convshape.api.translate import SPATIAL, Exactness, Geometry, Layout, Ported, Step
from convshape.api.translate.ports import keyword_reproduces

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


def port(name: str) -> JaxPort:
    return JaxPort(name)
