"""The one op vocabulary: every layer convshape knows, once, with every name people type for it.

Each op is an immutable :class:`Op` record: its canonical name (the CLI command's name where it
has one), its :class:`Family`, its number of spatial axes (None: any, taken from context), the
pooling kind where relevant, the parameter names it takes and its aliases (the torch, TF,
Keras, ONNX, Caffe and JAX class and function names). Every reader (the CLI group, network
specs and chains, ``explain``, ``solve``) resolves names with :func:`lookup`.

    >>> lookup("Conv2DTranspose").name, lookup("avg_pool2d").name, lookup("depth_to_space").name
    ('conv-transpose2d', 'avgpool2d', 'pixel-shuffle')
    >>> lookup("ConvTranspose").ndim is None
    True

This module is on the CLI's start-up path: it imports nothing heavy and builds its tables once.
"""

from __future__ import annotations

from enum import Enum
from typing import Any, NamedTuple

from convshape.errors import Rule, ShapeError, quote


class Family(Enum):
    """What kind of layer an op is; readers say which families they take."""

    CONV = "conv"
    CONV_TRANSPOSE = "conv-transpose"
    POOL = "pool"
    ADAPTIVE_POOL = "adaptive-pool"
    FRACTIONAL_POOL = "fractional-pool"
    UNPOOL = "unpool"
    RESAMPLE = "resample"
    PIXEL_SHUFFLE = "pixel-shuffle"
    UNFOLD = "unfold"
    # network-only layers: no command computes them alone
    DEPTHWISE_CONV = "depthwise-conv"
    SEPARABLE_CONV = "separable-conv"
    NORM = "norm"
    PAD = "pad"
    ACTIVATION = "activation"
    MERGE = "merge"
    FLATTEN = "flatten"
    LINEAR = "linear"
    RESHAPE = "reshape"


class Op(NamedTuple):
    """One op. ``command``: the CLI command that computes it alone (None: network layers only);
    ``positional``: the parameter a chain's bare number fills; ``defaults``: parameter values
    the op's name implies (a global pool's output_size 1)."""

    name: str
    family: Family
    ndim: int | None
    pool: str | None  # "max", "avg", "lp" for pooling families; None elsewhere (or kind not named)
    params: tuple[str, ...]
    aliases: tuple[str, ...]
    command: str | None
    positional: str | None = None
    defaults: tuple[tuple[str, Any], ...] = ()


def squash(name: str) -> str:
    """The key every reader compares: case, ``-``, ``_``, ``.`` and spaces do not matter."""
    return name.strip().lower().replace("-", "").replace("_", "").replace(".", "").replace(" ", "")


_WINDOW = ("kernel", "stride", "padding", "dilation")
_CONV = (*_WINDOW, "out_channels", "groups", "bias")
_POOL = (*_WINDOW, "ceil_mode", "count_include_pad", "norm_type")
_RESAMPLE = ("size", "scale", "mode", "align_corners", "recompute_scale_factor", "antialias")
_NORM = ("affine", "eps", "momentum")
_INSTANCE_NORM = ("affine", "eps", "momentum", "track_running_stats")
_POOL_WORDS = {"max": ("max-pool", "maxpooling", "MaxPool", "max_pool", "MaxPooling"),
               "avg": ("avg-pool", "average-pool", "averagepooling", "avgpooling", "meanpool", "AveragePool",
                       "avg_pool", "AveragePooling"),
               "lp": ("lp-pool", "LPPool", "lp_pool", "LpPool")}


def _ranked(n: int | None, *words: str) -> tuple[str, ...]:
    """Each word with its rank appended (``conv`` -> ``conv2d``), or as is for a rank-less op."""
    return tuple(words) if n is None else tuple(f"{w}{n}d" for w in words)


def _command(base: str, n: int | None) -> str | None:
    """The command of a ranked op; a rank-less one has none of its own (the CLI picks the rank)."""
    return None if n is None else f"{base}{n}d"


def _build() -> list[Op]:
    ops: list[Op] = []
    add = ops.append
    for n in (None, 1, 2, 3):
        d = "" if n is None else f"{n}d"
        D = "" if n is None else f"{n}D"
        add(Op(f"conv{d}", Family.CONV, n, None, _CONV,
               (*_ranked(n, "convolution", "Conv"), *(("atrous_conv2d",) if n == 2 else ()),
                *(("conv_general_dilated",) if n is None else ())), _command("conv", n), "out_channels"))
        add(Op(f"conv-transpose{d}", Family.CONV_TRANSPOSE, n, None, (*_CONV, "output_padding", "output_size"),
               (*_ranked(n, "deconv", "convtranspose", "transposed-conv", "conv-transposed", "deconvolution",
                         "transposed-convolution", "ConvTranspose", "Deconvolution"),
                *((f"conv{d}-transpose", f"conv{d}_transpose", f"Conv{D}Transpose", f"conv{d}-transposed")
                  if n else ("conv_transpose",))), _command("conv-transpose", n), "out_channels"))
        for kind in ("max", "avg", "lp"):
            add(Op(f"{kind}pool{d}", Family.POOL, n, kind, _POOL, _ranked(n, *_POOL_WORDS[kind]),
                   _command(f"{kind}pool", n)))
        add(Op(f"maxunpool{d}", Family.UNPOOL, n, None, ("kernel", "stride", "padding", "output_size"),
               _ranked(n, "max-unpool", "unpool", "MaxUnpool"), _command("maxunpool", n)))
        for kind, word in (("avg", "Average"), ("max", "Max")):
            add(Op(f"global-{kind}pool{d}", Family.ADAPTIVE_POOL, n, kind, ("output_size", "keepdims"),
                   _ranked(n, f"Global{word}Pooling", f"Global{word}Pool", f"global-{kind}-pool")
                   + (("GlobalAvgPool",) if kind == "avg" and n is None else ()),
                   _command(f"adaptive-{kind}pool", n), None, (("output_size", 1),)))
        if n is None:
            # pooling whose kind the name does not say (Caffe's Pooling): explain takes it with kind=
            add(Op("pool", Family.POOL, None, None, _POOL, ("pooling",), None))
            continue
        for kind in ("avg", "max"):
            add(Op(f"adaptive-{kind}pool{d}", Family.ADAPTIVE_POOL, n, kind, ("output_size",),
                   (f"adaptive{kind}pool{d}", f"adaptive-{kind}-pool{d}"), f"adaptive-{kind}pool{d}", "output_size"))
        if n > 1:
            add(Op(f"fractional-maxpool{d}", Family.FRACTIONAL_POOL, n, "max", ("kernel", "output_size",
                                                                                "output_ratio"),
                   (f"fractionalmaxpool{d}",), f"fractional-maxpool{d}"))
        add(Op(f"upsample{d}", Family.RESAMPLE, n, None, _RESAMPLE,
               (f"upsampling{d}", f"UpSampling{D}", f"UpsamplingNearest{d}"), f"upsample{d}"))
        if n == 2:  # torch/nn/modules/upsampling.py: UpsamplingBilinear2d is
            # Upsample(mode='bilinear', align_corners=True)
            add(Op("upsample-bilinear2d", Family.RESAMPLE, 2, None, _RESAMPLE,
                   ("UpsamplingBilinear2d", "upsampling-bilinear2d"), "upsample-bilinear2d", None,
                   (("mode", "bilinear"), ("align_corners", True))))
        add(Op(f"batchnorm{d}", Family.NORM, n, None, _NORM, (f"batch-normalization{d}",), None))
        add(Op(f"instancenorm{d}", Family.NORM, n, None, _INSTANCE_NORM, (f"instance-normalization{d}",), None))
        # explicit padding (negative amounts crop, as in F.pad) and cropping layers
        add(Op(f"pad{d}", Family.PAD, n, None, ("padding", "value"),
               (f"ZeroPadding{D}", f"ZeroPad{d}", f"ConstantPad{d}", f"zero-pad{d}", f"constant-pad{d}"), None,
                "padding"))
        add(Op(f"crop{d}", Family.PAD, n, None, ("cropping",), (f"Cropping{D}", f"cropping{d}"), None, "cropping"))
        if n < 3:
            add(Op(f"depthwise-conv{d}", Family.DEPTHWISE_CONV, n, None, (*_WINDOW, "depth_multiplier", "bias"),
                   (f"depthwiseconv{d}", f"depthwise_conv{d}", f"DepthwiseConv{D}"), f"depthwise-conv{d}"))
            add(Op(f"separable-conv{d}", Family.SEPARABLE_CONV, n, None,
                   (*_WINDOW, "out_channels", "depth_multiplier", "bias"),
                   (f"separableconv{d}", f"sepconv{d}", f"SeparableConv{D}", f"separable_conv{d}"),
                   f"separable-conv{d}", "out_channels"))
    add(Op("upsample", Family.RESAMPLE, None, None, _RESAMPLE, ("upsampling", "Upsample"), "upsample"))
    add(Op("interpolate", Family.RESAMPLE, None, None, _RESAMPLE, ("resize", "Resize", "image.resize"),
           "interpolate"))
    add(Op("pixel-shuffle", Family.PIXEL_SHUFFLE, None, None, ("factor",),
           ("pixelshuffle", "depth-to-space", "subpixel", "PixelShuffle", "depth_to_space", "DepthToSpace"),
           "pixel-shuffle", "factor"))
    add(Op("pixel-unshuffle", Family.PIXEL_SHUFFLE, None, None, ("factor",),
           ("pixelunshuffle", "space-to-depth", "PixelUnshuffle", "space_to_depth", "SpaceToDepth"),
           "pixel-unshuffle", "factor"))
    add(Op("unfold", Family.UNFOLD, 2, None, ("kernel", "stride", "padding", "dilation"),
           ("Unfold", "im2col", "sliding-blocks"), "unfold"))
    add(Op("fold", Family.UNFOLD, 2, None, ("output_size", "kernel", "stride", "padding", "dilation"),
           ("Fold", "col2im"), "fold"))
    add(Op("batchnorm", Family.NORM, None, None, _NORM, ("bn", "batch-normalization", "BatchNormalization",
                                                        "BatchNorm"), None))
    add(Op("instancenorm", Family.NORM, None, None, _INSTANCE_NORM,
           ("instance-normalization", "InstanceNormalization", "InstanceNorm"), None))
    add(Op("layernorm", Family.NORM, None, None, ("normalized_shape", "affine", "bias", "eps"),
           ("layer-norm", "layer-normalization", "LayerNorm", "LayerNormalization", "ln"), None))
    add(Op("groupnorm", Family.NORM, None, None, ("groups", "affine", "eps"),
           ("group-norm", "group-normalization", "GroupNorm", "GroupNormalization", "gn"), None, "groups"))
    add(Op("pad", Family.PAD, None, None, ("padding", "value"), ("F.pad", "Pad", "ConstantPad", "ZeroPad"), None,
           "padding"))
    add(Op("crop", Family.PAD, None, None, ("cropping",), ("Cropping",), None, "cropping"))
    # shape-preserving layers: one op; a spec keeps the word it wrote (relu, dropout, ...)
    add(Op("identity", Family.ACTIVATION, None, None, (),
           ("relu", "relu6", "leaky-relu", "gelu", "silu", "swish", "sigmoid", "tanh", "elu", "softmax", "activation",
            "dropout", "dropout2d", "noop", "ReLU", "LeakyReLU", "Identity", "Dropout", "prelu", "PReLU",
            "spatial-dropout1d", "spatial-dropout2d", "spatial-dropout3d", "gaussian-noise", "gaussian-dropout",
            "alpha-dropout"), None))
    add(Op("concat", Family.MERGE, None, None, ("axis",), ("cat", "concatenate", "Concatenate"), None))
    add(Op("add", Family.MERGE, None, None, (), ("sum", "residual", "Add", "Eltwise"), None))
    # the other elementwise merges (keras.layers.Subtract, Multiply, Average, Maximum, Minimum;
    # torch.sub, mul, maximum, ...): the shape rule of add
    for word, names in (("subtract", ("sub", "Subtract")), ("multiply", ("mul", "Multiply")),
                        ("average", ("Average",)), ("maximum", ("Maximum",)),
                        ("minimum", ("Minimum",))):
        add(Op(word, Family.MERGE, None, None, (), names, None))
    add(Op("flatten", Family.FLATTEN, None, None, (), ("Flatten",), None))
    # target_shape: every axis but the batch (keras.layers.Reshape; -1 once: the rest); dims: the whole
    # permutation, batch included, 0-based (torch's permute; keras.layers.Permute's dims are (0, *dims))
    add(Op("reshape", Family.RESHAPE, None, None, ("target_shape", "data_format"), ("Reshape", "view", "Unflatten"),
           None))
    add(Op("permute", Family.RESHAPE, None, None, ("dims", "data_format"), ("Permute", "transpose", "Transpose"),
           None))
    add(Op("linear", Family.LINEAR, None, None, ("out_features", "in_features", "bias"),
           ("dense", "fc", "gemm", "Dense", "Linear", "InnerProduct", "fully-connected"), None, "out_features"))
    return ops


#: every op, by canonical name, in a stable order (rank-less first, then by rank)
OPS: dict[str, Op] = {op.name: op for op in _build()}
#: squashed name or alias -> op; built once
_INDEX: dict[str, Op] = {}
for _op in OPS.values():
    for _word in (_op.name, *_op.aliases):
        _INDEX.setdefault(squash(_word), _op)
del _op, _word


def find(name: str) -> Op | None:
    """The op ``name`` names (any case, ``-``/``_``/``.`` or not), or None; a module path before the
    name is read past (``nn.ZeroPad2d``, ``tf.keras.layers.Cropping2D``)."""
    found = _INDEX.get(squash(name))
    if found is None and "." in name:
        found = _INDEX.get(squash(name.rpartition(".")[2]))
    return found


def suggest(name: str, extra: tuple[str, ...] = ()) -> list[str]:
    """Up to 3 names close to ``name`` (canonical op names, or words of ``extra``: a caller's
    own names, e.g. the CLI's non-op commands), nearest first."""
    from difflib import get_close_matches  # only when a name is wrong: keeps start-up light

    display = {squash(word): word for word in extra}
    for key, op in _INDEX.items():
        display.setdefault(key, op.name)
    found: list[str] = []
    for key in get_close_matches(squash(name), list(display), n=12, cutoff=0.6):
        if display[key] not in found:
            found.append(display[key])
    return found[:3]


def did_you_mean(names: list[str]) -> str:
    """``"; did you mean conv2d?"`` for the names :func:`suggest` found (empty when none)."""
    if not names:
        return ""
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]
    return f"; did you mean {listed}?"


def lookup(name: str) -> Op:
    """The op ``name`` names; raises :class:`ShapeError` (rule ``unknown-op``) offering the nearest names."""
    op = find(name) if isinstance(name, str) else None
    if op is None:
        raise ShapeError(f"unknown op {quote(name)}" + did_you_mean(suggest(str(name))), rule=Rule.UNKNOWN_OP,
                         values={"op": name})
    return op


def with_rank(op: Op, ndim: int) -> Op | None:
    """The op of ``ndim`` spatial axes a rank-less op stands for (``conv-transpose`` -> ``conv-transpose2d``)."""
    return op if op.ndim is not None else OPS.get(f"{op.name}{ndim}d")


def require(op: Op, families: tuple[Family, ...], reader: str) -> Op:
    """``op`` if ``reader`` takes its family; else a usage error naming the families it takes."""
    if op.family not in families:
        raise ShapeError(f"{reader} takes {' / '.join(f.value for f in families)} layers, not {op.name} "
                         f"(a {op.family.value} layer)", rule=Rule.OPTION_NOT_APPLICABLE,
                         values={"op": op.name, "family": op.family.value})
    return op


__all__ = ["OPS", "Family", "Op", "did_you_mean", "find", "lookup", "require", "squash", "suggest", "with_rank"]
