"""Weights, parameters and multiply-accumulates of convolution layers: integer formulas on
channel counts and kernel sizes, with the weight tensor's axis order given as a layout word
(which framework stores which layout is a framework fact, in :mod:`convshape.frameworks.base`).

    >>> conv_weight((3, 3), 3, 64, 1, "out,in,k"), conv_weight((3, 3), 3, 64, 1, "k,in,out")
    ((64, 3, 3, 3), (3, 3, 3, 64))
    >>> conv_macs(1, (112, 112), 3, 64, 1, (7, 7))
    118013952

Layouts: ``"out,in,k"`` (torch ``Conv*d.weight``: out, in/groups, k...), ``"k,in,out"`` (tf, keras,
flax: k..., in/groups, out); a transposed convolution's ``"in,out,k"`` (torch ConvTranspose:
in, out/groups, k...), ``"k,out,in"`` (tf.nn / keras Conv*DTranspose: k..., out, in) and
``"k,in,out"`` (flax ConvTranspose: k..., in, out/groups).
"""

from __future__ import annotations

from collections.abc import Sequence


def product(values: Sequence[int]) -> int:
    out = 1
    for v in values:
        out *= v
    return out


def conv_weight(kernel: Sequence[int], in_channels: int, out_channels: int, groups: int,
                layout: str) -> tuple[int, ...]:
    """The weight tensor of a (grouped) convolution: every output channel sees in/groups inputs."""
    per_group = in_channels // groups
    if layout == "k,in,out":
        return (*kernel, per_group, out_channels)
    return (out_channels, per_group, *kernel)


def transposed_weight(kernel: Sequence[int], in_channels: int, out_channels: int, groups: int,
                      layout: str) -> tuple[int, ...]:
    """The weight tensor of a (grouped) transposed convolution."""
    if layout == "k,out,in":
        return (*kernel, out_channels // groups, in_channels)
    if layout == "k,in,out":
        return (*kernel, in_channels, out_channels // groups)
    return (in_channels, out_channels // groups, *kernel)


def conv_macs(batch: int, output: Sequence[int], in_channels: int, out_channels: int, groups: int,
              kernel: Sequence[int]) -> int:
    """Every output cell of every output channel sums in/groups x prod(kernel) products."""
    return batch * product(output) * out_channels * (in_channels // groups) * product(kernel)


def transposed_macs(batch: int, input: Sequence[int], in_channels: int, out_channels: int, groups: int,
                    kernel: Sequence[int]) -> int:
    """Every input cell scatters prod(kernel) x out/groups products per input channel."""
    return batch * product(input) * in_channels * (out_channels // groups) * product(kernel)


def depthwise_weight(kernel: Sequence[int], in_channels: int, multiplier: int, layout: str) -> tuple[int, ...]:
    """A depthwise convolution's weight: keras DepthwiseConv2D (k..., in, multiplier) for layout
    "k,in,out"; torch Conv2d(groups=in) (in * multiplier, 1, k...) otherwise."""
    if layout == "k,in,out":
        return (*kernel, in_channels, multiplier)
    return (in_channels * multiplier, 1, *kernel)


def pointwise_weight(ndim: int, in_channels: int, out_channels: int, layout: str) -> tuple[int, ...]:
    """The 1x1 convolution of a separable convolution."""
    ones = (1,) * ndim
    return (*ones, in_channels, out_channels) if layout == "k,in,out" else (out_channels, in_channels, *ones)


def depthwise_macs(batch: int, output: Sequence[int], in_channels: int, multiplier: int, kernel: Sequence[int],
                   out_channels: int | None = None) -> int:
    """Depthwise: every output cell of each of in x multiplier channels sums prod(kernel) products;
    a separable convolution's pointwise step adds in x multiplier products per output channel."""
    positions = batch * product(output)
    mid = in_channels * multiplier
    return positions * mid * product(kernel) + (positions * mid * out_channels if out_channels is not None else 0)


def params(weights: Sequence[Sequence[int]]) -> int:
    """The parameters of a layer: the sizes of its weight tensors, summed."""
    return sum(product(w) for w in weights)


__all__ = ["conv_macs", "conv_weight", "depthwise_macs", "depthwise_weight", "params", "pointwise_weight", "product",
           "transposed_macs", "transposed_weight"]
