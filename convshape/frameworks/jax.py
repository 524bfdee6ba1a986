"""Jax: every op family's rules as this framework applies them, with their sources."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from convshape.errors import Rule
from convshape import rules
from convshape.frameworks.base import (ConvRules, Framework, Pad, PoolRules, ResampleRules)
from convshape.limits import INT64_MAX
from convshape.limits import shown as shown_int
from convshape.model import AxisSpec, Counted, IntRuns, Resampled, TransposeOption, TransposedAxis, TransposeOptions
from convshape.rules.pool import window_count

INT32_MAX, INT32_MIN = 2**31 - 1, -(2**31)  # jax's default integers (jax_enable_x64 off)


class Conv(ConvRules):
    name = "jax"
    title = "JAX (jax.lax)"
    transposed_select = "padding"
    transposed_dilated_pads = True
    default_padding = "valid"
    keywords = {"valid": "VALID: no padding", "same": "SAME: output ceil(i/s), extra at the end",
                "same-upper": "SAME (extra at the end)", "same-lower": "SAME_LOWER: extra at the start"}
    transposed_keywords = {"valid": "VALID: output i*s + max(d*(k-1)+1 - s, 0)", "same": "SAME: output i*s",
                           "same-upper": "SAME"}
    explicit = "asymmetric"
    explicit_transposed = "asymmetric"  # lax.conv_transpose: pads of the stride-dilated input
    negative_padding = True
    sources = {
        "conv": "jax/_src/lax/convolution.py conv_general_dilated, conv_shape_tuple (out = max(0, (P - ke)//s + 1)); "
                "jax/_src/lax/lax.py padtype_to_pads",
        "transposed": "jax/_src/lax/convolution.py conv_transpose, _conv_transpose_padding (with the dilated "
                      "kernel); explicit pairs pad the stride-dilated input unless use_consistent_padding=True",
    }

    def conv_output(self, a: AxisSpec, pad_before: int, pad_after: int) -> int:
        padded = a.input + pad_before + pad_after
        if padded < 0:
            raise self.error(f"Negative padding is larger than the size of the corresponding dimension: got "
                             f"padding=(({pad_before}, {pad_after}),) for lhs_shape[2:]=({a.input},)",
                             Rule.NEGATIVE_PADDING, pad_before=pad_before, pad_after=pad_after)
        out = rules.conv_output(a.input, a.kernel, a.stride, a.dilation, pad_before, pad_after)
        return max(out, 0)  # core.stride_dim clamps at 0: an empty output, not an error

    def notes(self, specs: list[AxisSpec], pads: list[Pad], transposed: bool) -> list[str]:
        if transposed and any(isinstance(p, tuple) for p in pads):
            return ["lax.conv_transpose's explicit pairs pad the stride-dilated input (the default "
                    "use_consistent_padding=False); pad before:after is the same geometry in torch's terms"]
        return []

    def transposed_pads(self, a: AxisSpec, padding: Pad) -> tuple[int, int]:
        """The (lo, hi) padding of the stride-dilated input that lax.conv_transpose applies
        (``_conv_transpose_padding``, given the dilated kernel)."""
        if isinstance(padding, tuple):
            return padding
        eff = rules.effective_kernel(a.kernel, a.dilation)
        if padding == "valid":
            total = eff + a.stride - 2 + max(eff - a.stride, 0)
            lo = eff - 1
        else:  # SAME
            total = eff + a.stride - 2
            lo = eff - 1 if a.stride > eff - 1 else rules.div_ceil(total, 2)
        return lo, total - lo

    def transposed(self, a: AxisSpec, padding: Pad, output_padding: int | None, output_size: int | None,
                   ndim: int, axis: int) -> TransposedAxis:
        if output_padding is not None:
            raise self.error("lax.conv_transpose has no output_padding; choose the size with explicit padding",
                             Rule.OUTPUT_PADDING_UNSUPPORTED, output_padding=output_padding)
        if isinstance(padding, str) and padding not in self.transposed_keywords:
            raise self.error(f"lax.conv_transpose takes padding 'SAME', 'VALID' or explicit pairs, not {padding!r}",
                             Rule.PADDING_KEYWORD, padding=padding)
        lo, hi = self.transposed_pads(a, padding)
        eff = rules.effective_kernel(a.kernel, a.dilation)
        dilated = rules.dilated_size(a.input, a.stride)
        if dilated + lo + hi < 0:
            raise self.error(f"Negative padding is larger than the size of the corresponding dimension: got "
                             f"padding=(({lo}, {hi}),) for the stride-dilated input of {dilated}",
                             Rule.NEGATIVE_PADDING, pad_before=lo, pad_after=hi)
        out = max(0, dilated + lo + hi - eff + 1)
        # the same geometry in torch's terms: padding cropped from the full transposed output
        pb, pa = eff - 1 - lo, eff - 1 - hi
        op = max(0, -pa)
        pa = max(pa, 0)
        shown = f"'{padding.upper().replace('-UPPER', '')}'" if isinstance(padding, str) else f"(({lo}, {hi}),)"
        select = f"padding={shown}"
        if pb >= 0 and op == 0:
            select += f" or padding=(({pb}, {pa}),), use_consistent_padding=True"
        options = TransposeOptions.listed([TransposeOption(out, op, pb, pa, select),] if out >= 1 else [])
        if output_size is not None and output_size != out:
            raise self.error(f"padding={shown} gives output size {out}, not {output_size}", Rule.OUTPUT_SIZE,
                             output=out, output_size=output_size)
        return TransposedAxis(a.input, a.kernel, a.stride, a.dilation, pb, pa, op, out,
                              IntRuns.of(o.output for o in options), options)

    def transposed_fits(self, size: int, kernel: int, stride: int, dilation: int, pad_before: int, pad_after: int,
                        output_padding: int, target: int) -> bool:
        """lax.conv_transpose: out = (i - 1) * s + 1 + lo + hi - eff + 1."""
        return rules.lax_transposed_output(size, kernel, stride, dilation, pad_before, pad_after) == target


class Pool(PoolRules):
    name = "jax"
    title = "JAX (jax.lax.reduce_window)"
    ops = {"max": "lax.reduce_window (max)", "avg": "lax.reduce_window (sum / count)",
           "lp": "lax.reduce_window (sum of |x|**p)"}
    ndims = (1, 2, 3)
    default_padding = "valid"
    keywords = {"valid": "VALID", "same": "SAME: output ceil(i/s), pads from the dilated window, odd one at the end",
                "same-upper": "SAME", "same-lower": "SAME_LOWER: the odd padding at the start"}
    explicit = "asymmetric"  # (low, high) pairs, negative allowed
    has_ceil_mode = False
    cip_default = True  # flax.linen.avg_pool's default
    sources = {
        "size": "jax/_src/lax/windowed_reductions.py reduce_window_shape_tuple: core.stride_dim = max(0, "
                "(i + lo + hi - eff) // s + 1), never an error; lax.padtype_to_pads for SAME",
        "checks": "windowed_reductions.py _common_reduce_window_shape_rule (window_dimensions and window_strides "
                  "strictly positive); lax._dilate_shape (dilations positive)",
        "average": "flax/linen/pooling.py avg_pool: count_include_pad=True divides by the window size, False by a "
                   "reduce_window of ones",
    }

    def check_values(self, kind: str, ndim: int, specs: list[AxisSpec]) -> None:
        for what, values in (("window_dimensions", [a.kernel for a in specs]),
                             ("window_strides", [a.stride for a in specs])):
            if min(values) < 1:
                raise self.error(f"reduce_window {what} must have every element be strictly positive, got "
                                 f"{(1, 1, *values)}.", "kernel" if what == "window_dimensions" else "stride",
                                 **{what: tuple(values)})
        ds = [a.dilation for a in specs]
        if min(ds) < 1:
            raise self.error(f"All dilations must be positive, got {(1, 1, *ds)}.", Rule.DILATION, dilation=tuple(ds))

    def check_explicit(self, kind: str, ndim: int, axis: int, a: AxisSpec, pair: tuple[int, int]) -> None:
        """Negative pads crop the input; reduce_window accepts any pair."""

    def count(self, kind: str, ndim: int, axis: int, a: AxisSpec, pads: tuple[int, int], ceil_mode: bool) -> Counted:
        out = max(0, window_count(a.input, a.kernel, a.stride, a.dilation, pads[0], pads[1], False))
        return Counted(pads[0], pads[1], out, out, None, False)

    def notes(self, kind: str, ndim: int, specs: list[AxisSpec], pads: list[Pad], stride_given: bool,
              result_axes: Sequence[Any], ceil_mode: bool) -> list[str]:
        notes = []
        if not stride_given:
            notes.append("lax.reduce_window needs window_strides; convshape used the kernel size "
                         "(flax.linen's pooling defaults to 1)")
        if kind == "avg":
            notes.append("jax.lax has no average pooling: reduce_window(lax.add) divided by the window size "
                         "(count_include_pad=True, flax's default) or by a reduce_window of ones (False)")
        return notes


# ---------------------------------------------------------------------------- resampling
MODES = ("nearest", "linear", "bilinear", "trilinear", "triangle", "cubic", "bicubic", "tricubic", "cubic-pytorch",
         "bicubic-pytorch", "lanczos3", "lanczos5", "area")  # jax 0.10.2 ResizeMethod.from_string


class Resample(ResampleRules):
    name = "jax"
    lacks = {"pixel shuffle": "jax.nn, jax.image and jax.lax have no depth-to-space or space-to-depth op; written "
                              "as reshape + transpose it has the shapes of -f torch"}
    modes = MODES
    interpolate_name = "jax.image.resize"
    sources = {"interpolate": "jax/_src/image/scale.py resize, _resize, _resize_nearest, ResizeMethod.from_string"}

    def interpolate(self, n: int, ins: tuple[int, ...], sizes: tuple[int, ...] | None,
                    scales: tuple[Any, ...] | None, scale_arg: Any, mode: str | None, align_corners: bool | None,
                    recompute: bool | None, antialias: bool, policy: str | None, crop: bool, pad: bool,
                    layer_name: str, resizing: bool, warnings: list[str], notes: list[str]) -> Resampled:
        """``jax.image.resize(image, shape, method)`` (jax 0.10.2, jax/_src/image/scale.py ``resize``,
        ``_resize``, ``_resize_nearest``, ``ResizeMethod.from_string``): the output is ``shape``, every axis
        alike (batch and channel axes are axes whose size is kept). A negative size gives an empty axis, no
        error; an empty input axis resized to another size fails: the other methods divide by it, nearest
        gathers from it, one axis after the other, unless that gather's result is empty (jnp indexing
        then skips it), so ``(0, 0) -> (3, 0)`` passes and ``(0, 2) -> (3, 2)`` fails."""
        err = self.error
        if mode is None:
            raise err("resize() missing 1 required positional argument: 'method'", Rule.MODE_REQUIRED)
        if scales is not None or sizes is None:
            raise err("jax.image.resize takes shape (the output shape), not a scale factor "
                      "(jax.image.scale_and_translate takes one, with the output shape as well)", Rule.SIZE_REQUIRED)
        if mode not in MODES:
            raise err(f'Unknown resize method "{mode}"', Rule.MODE_UNKNOWN, mode=mode)
        for axis, o in enumerate(sizes):
            # observed on jax 0.10.2 with its defaults (jax_enable_x64 off; tests/data/generate_jax_limits.py):
            # nearest passes the size to a jitted gather as an int32 argument; the other methods build the
            # shape with broadcast_in_dim, which takes sizes up to int64 (and wider ones, 2**64 on, as Python
            # ints: jax.eval_shape then answers, but no array of that size can exist)
            if mode == "nearest" and not INT32_MIN <= o <= INT32_MAX:
                raise err(f"An overflow was encountered while parsing an argument to a jitted computation, whose "
                          f"argument path is x2. Got <class 'int'> with value {shown_int(o)} (jax.image.resize "
                          f"'nearest' takes sizes as int32 unless jax_enable_x64 is set)", Rule.SIZE_OVERFLOW,
                          output=shown_int(o))
            if INT64_MAX < o < 1 << 64:
                raise err("broadcast_in_dim shape must have every element be an integer type, got (<class 'int'>, "
                          f"<class 'int'>). (shape[{axis}] = {shown_int(o)} is past int64)", Rule.SIZE_OVERFLOW,
                          output=shown_int(o))
            if o >= 1 << 64:  # convshape's words: jax.eval_shape gives the shape, no array can have it
                raise err(f"shape[{axis}] = {shown_int(o)} is past int64 and uint64: jax.eval_shape gives that shape, "
                          f"but no array of it can be built", Rule.SIZE_OVERFLOW, output=shown_int(o))
        current = list(ins)  # nearest resizes one axis after the other
        for axis, (i, o) in enumerate(zip(ins, sizes)):
            current[axis] = max(o, 0)
            if i == 0 and o != 0 and (mode != "nearest" or 0 not in current):  # jnp skips an empty gather
                raise err(f"Slice size at index {axis} in gather op is out of range, must be within [0, 0 + 1), got "
                          f"1." if mode == "nearest" else f"division by zero (the scale {o} / 0 of axis {axis})",
                          Rule.INPUT_EMPTY, input=list(ins), output=list(sizes))
            if o < 0:
                warnings.append(f"size {o} on axis {axis}: jax.image.resize returns an empty axis, without an error")
        # jax's antialias=True; nearest ignores it
        return Resampled(tuple(current), (None,) * n, scales, mode, "jax.image.resize", align_corners,
                         mode != "nearest", tuple((i, 0, 0) for i in ins))

CONV = Conv()
POOL = Pool()
FRAMEWORK = Framework("jax", "JAX", "jax 0.10.2 (jax.lax)", CONV, POOL, resample=Resample(), bias_default=False,
                      channels_last=True, transposed_groups=False, transposed_weight="k,in,out",
                      tensor_channels_last=False)  # lax.conv_general_dilated's default lhs spec: NCHW
