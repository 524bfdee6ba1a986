"""The target ports, one module per framework (registered in :data:`convshape.api.translate.PORTS`);
here what they share: splitting padding into pads and crops, and whether a padding keyword of the
target reproduces the source's padding at every input size (checked with the target's own rules)."""

from __future__ import annotations

from collections.abc import Sequence

from convshape.api.translate import Exactness, Geometry, Step
from convshape.errors import ShapeError
from convshape.frameworks import get
from convshape.model import AxisSpec
from convshape.rules import same_total_padding, split_padding


def pads_and_crops(before: Sequence[int], after: Sequence[int]) -> tuple[tuple[int, ...], tuple[int, ...],
                                                                          tuple[int, ...], tuple[int, ...]]:
    """Signed padding split into its padding (>= 0) and its cropping (the negative parts, as sizes)."""
    return (tuple(max(p, 0) for p in before), tuple(max(p, 0) for p in after),
            tuple(max(-p, 0) for p in before), tuple(max(-p, 0) for p in after))


def _expected(g: Geometry, x: Exactness, axis: int, size: int) -> tuple[int, int] | None:
    if x.every_size:
        return g.pad_before[axis], g.pad_after[axis]
    if x.same_split is None:
        return None
    total = same_total_padding(size, g.kernel[axis], g.stride[axis], g.dilation[axis])
    return split_padding(total, extra_at_end=x.same_split == "upper")


def keyword_reproduces(framework: str, keyword: str, g: Geometry, x: Exactness) -> bool:
    """Whether ``keyword`` in ``framework`` (a forward convolution) pads as the source does, at the
    given input size and at one size of every residue modulo the stride."""
    rules = get(framework).conv
    for axis in range(g.ndim):
        s = g.stride[axis]
        probes = [g.input[axis]] + ([g.input[axis] + r for r in range(1, s + 1)] if s <= 64 else [])
        for size in probes:
            spec = AxisSpec(size, g.kernel[axis], s, g.dilation[axis])
            want = _expected(g, x, axis, size) if size != g.input[axis] else (g.pad_before[axis], g.pad_after[axis])
            if want is None:
                return False
            try:
                if rules.pads(spec, keyword, transposed=False, ndim=g.ndim) != want:
                    return False
            except ShapeError:
                return False
    return True


#: observed with TF 2.21 (tests/data/generate_translate_values.py records it): the CPU kernel of tf.nn.conv3d
#: (Eigen's CuboidConvolution, tensorflow/core/kernels/eigen_cuboid_convolution.h) with padding "SAME" does not
#: clamp SAME's total padding ``(ceil(i/s)-1)*s + d*(k-1) + 1 - i`` at 0: where it is -2 or less the windows
#: start ``trunc(total/2)`` cells late (i=(3,3,3), k=1, s=(1,1,3): the last axis reads cell 1, not 0). conv1d,
#: conv2d and the transposed convolutions are not affected. The total is never below ``d*(k-1)+1-s``.
TF_CPU_CONV3D_SAME = ("TF 2.21's CPU tf.nn.conv3d with padding 'SAME' shifts its windows by trunc(total/2) where "
                      "SAME's total padding is -2 or less (a stride beyond the kernel + 1); explicit padding "
                      "with 'VALID' avoids it")


def conv3d_same_unsafe(g: Geometry) -> bool:
    """Whether TF's CPU conv3d with "SAME" can differ from SAME's rule at some input size (some axis with
    ``d*(k-1)+1 < s-1``), see :data:`TF_CPU_CONV3D_SAME`."""
    return g.ndim == 3 and not g.transposed and any(
        e < s - 1 for e, s in zip(g.effective, g.stride))


def shown(values: Sequence[int]) -> str:
    """One number when every axis has it, else a tuple: ``3`` or ``(3, 5)``."""
    if len(set(values)) == 1:
        return str(values[0])
    return "(" + ", ".join(map(str, values)) + ")"


def value(values: Sequence[int]) -> int | tuple[int, ...]:
    return values[0] if len(set(values)) == 1 else tuple(values)


def letters(ndim: int) -> str:
    return {1: "1d", 2: "2d", 3: "3d"}[ndim]


def divisor_code(g: Geometry, correction: Sequence[tuple[int, int, bool]] | None, first: int, divide: bool,
                 cast: str) -> list[str]:
    """Lines applying the source's average divisors to ``y`` (spatial axes from ``first``), computed from the input
    size as :func:`convshape.api.translate.pooling.correction_divisors` does: ``divide`` (a window sum): ``y /
    divisor``; else (an average over the whole kernel) ``y * kernel / divisor``. No correction: every divisor is the
    whole kernel (a sum is divided by it, an average left)."""
    if correction is None:
        if not divide:
            return []
        size = 1
        for k in g.kernel:
            size *= k
        return [f"y = y / {size}"]
    pb = tuple(c[0] for c in correction)
    pa = tuple(c[1] for c in correction)
    cip = correction[0][2]
    factor = "1 / d" if divide else "k / d"
    return [
        "", "def divisors(i, k, s, pb, pa, n):",
        "    # the source's divisor of each window: the window clipped to the "
        + ("padded input" if cip else "input (padding left out)"),
        "    start = np.arange(n) * s - pb",
        f"    return np.minimum(start + k, i + {'pa' if cip else '0'}) - np.maximum(start, {'-pb' if cip else '0'})",
        "",
        f"for axis, (k, s, pb, pa) in enumerate(zip({tuple(g.kernel)}, {tuple(g.stride)}, {pb}, {pa})):",
        f"    n = y.shape[{first} + axis]",
        "    shape = [1] * len(y.shape)",
        f"    shape[{first} + axis] = n",
        f"    d = divisors(x.shape[{first} + axis], k, s, pb, pa, n)",
        f"    y = y * ({factor}).reshape(shape).astype({cast})"]


def correction_step(correction: Sequence[tuple[int, int, bool]], divide: bool) -> Step:
    """The divisor correction as a step (``mul``: kernel / divisor per axis after an average over the whole kernel,
    ``div``: a window sum divided by the divisor)."""
    return Step("layer", "div" if divide else "mul", (
        ("factor", "1 / divisor per axis" if divide else "kernel / divisor per axis"),
        ("pad_before", tuple(c[0] for c in correction)), ("pad_after", tuple(c[1] for c in correction)),
        ("count_include_pad", correction[0][2])))
