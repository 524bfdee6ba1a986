"""Caffe: every op family's rules as this framework applies them, with their sources."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from convshape.errors import Rule
from convshape import rules
from convshape.frameworks.base import (ConvRules, Framework, Pad, PoolRules, ResampleRules)
from convshape.model import AxisSpec, Counted, IntRuns, TransposeOption, TransposedAxis, TransposeOptions


class Conv(ConvRules):
    name = "caffe"
    title = "Caffe (BVLC)"
    transposed_select = "padding"
    solve_numbers_first = True
    default_padding = "0"
    keywords: dict[str, str] = {}
    transposed_keywords: dict[str, str] = {}
    explicit = "symmetric"  # pad / pad_h, pad_w
    explicit_transposed = "symmetric"
    sources = {
        "conv": "caffe/src/caffe/layers/conv_layer.cpp ConvolutionLayer::compute_output_shape",
        "transposed": "caffe/src/caffe/layers/deconv_layer.cpp DeconvolutionLayer::compute_output_shape",
    }

    def layer(self, transposed: bool, ndim: int) -> str:
        return "Deconvolution" if transposed else "Convolution"

    def conv_output(self, a: AxisSpec, pad_before: int, pad_after: int) -> int:
        out = rules.caffe_output(a.input, a.kernel, a.stride, a.dilation, pad_before)
        if out < 0:
            raise self.error(f"Check failed: shape[i] >= 0 ({out} vs. 0): output size {out} for input={a.input}, "
                             f"pad={pad_before}, kernel={a.kernel}, dilation={a.dilation}, stride={a.stride}",
                             Rule.OUTPUT_NEGATIVE, output=out)
        return out

    def transposed(self, a: AxisSpec, padding: Pad, output_padding: int | None, output_size: int | None,
                   ndim: int, axis: int) -> TransposedAxis:
        if output_padding:
            raise self.error(f"Deconvolution has no output_padding, but got output_padding={output_padding}",
                             Rule.OUTPUT_PADDING_UNSUPPORTED, output_padding=output_padding)
        pb, pa = self.pads(a, padding, transposed=True, ndim=ndim)
        out = rules.transposed_output(a.input, a.kernel, a.stride, a.dilation, pb, pa, 0)
        if out < 0:
            raise self.error(f"Check failed: shape[i] >= 0 ({out} vs. 0): Deconvolution output {out} for "
                             f"input={a.input}, pad={pb}, kernel={a.kernel}, stride={a.stride}", Rule.OUTPUT_NEGATIVE,
                             output=out)
        options = TransposeOptions.listed([TransposeOption(out, 0, pb, pa, f"pad={pb}"),] if out >= 1 else [])
        if output_size is not None and output_size != out:
            raise self.error(f"Deconvolution with pad={pb} gives {out}, not {output_size}", Rule.OUTPUT_SIZE,
                             output=out, output_size=output_size)
        return TransposedAxis(a.input, a.kernel, a.stride, a.dilation, pb, pa, 0, out,
                              IntRuns.of(o.output for o in options), options)


class Pool(PoolRules):
    name = "caffe"
    title = "Caffe (BVLC)"
    solve_numbers_first = True
    ops = {"max": "Pooling (MAX)", "avg": "Pooling (AVE)"}
    ndims = (2,)
    keywords: dict[str, str] = {}
    explicit = "symmetric"  # pad / pad_h, pad_w
    ceil_default = True  # round_mode: CEIL
    dilation_kinds = ()
    cip_default = True
    cip_choice = False
    stride_is_kernel = False  # PoolingParameter stride [default = 1]
    drop_needs_padding = True  # "if (pad_h_ || pad_w_)": without padding a window past the input stays
    sources = {
        "size": "caffe/src/caffe/layers/pooling_layer.cpp PoolingLayer::Reshape: ceil (round_mode CEIL, the default) "
                "or floor of (i + 2p - k) / s, + 1; with pad > 0 a last window starting at or past i + p is dropped",
        "checks": "pooling_layer.cpp LayerSetUp (CHECK_GT(kernel_h_, 0) 'Filter dimensions cannot be zero.', "
                  "CHECK_LT(pad_h_, kernel_h_)); Reshape CHECK_EQ(4, num_axes); blob.cpp CHECK_GE(shape[i], 0)",
        "average": "pooling_layer.cpp Forward_cpu AVE: pool_size = the window clipped to the padded input",
        "round_mode": "caffe.proto PoolingParameter round_mode [default = CEIL] (FLOOR: BVLC master since 2017)",
    }

    def check_values(self, kind: str, ndim: int, specs: list[AxisSpec]) -> None:
        for a in specs:
            if a.kernel < 1:
                raise self.error("Check failed: kernel_h_ > 0 (0 vs. 0) Filter dimensions cannot be zero.", Rule.KERNEL,
                                 kernel=a.kernel)
        for a in specs:
            if a.stride < 1:
                raise self.error(f"stride must be positive, but got stride={a.stride} (PoolingParameter.stride is a "
                                 f"uint32 and Caffe divides by it unchecked)", Rule.STRIDE, stride=a.stride)

    def pads(self, kind: str, ndim: int, axis: int, a: AxisSpec, padding: Pad) -> tuple[int, int]:
        if isinstance(padding, str):
            raise self.error(f"Caffe's Pooling takes pad (or pad_h, pad_w), not {padding!r}", Rule.PADDING_KEYWORD,
                             padding=padding)
        return super().pads(kind, ndim, axis, a, padding)

    def check_explicit(self, kind: str, ndim: int, axis: int, a: AxisSpec, pair: tuple[int, int]) -> None:
        name = "hw"[axis]
        if pair[0] < 0:
            raise self.error(f"pad must not be negative (PoolingParameter.pad is a uint32), but got pad={pair[0]}",
                             Rule.NEGATIVE_PADDING, pad=pair[0])
        if pair[0] >= a.kernel:
            raise self.error(f"Check failed: pad_{name}_ < kernel_{name}_ ({pair[0]} vs. {a.kernel})",
                             Rule.PADDING_WINDOW, pad=pair[0], kernel=a.kernel)

    def check_output(self, kind: str, ndim: int, specs: list[AxisSpec], counted: list[Counted]) -> None:
        for a, c in zip(specs, counted):
            if c.output < 0:
                raise self.error(f"Check failed: shape[i] >= 0 ({c.output} vs. 0): pooled size {c.output} for "
                                 f"input={a.input}, pad={c.pad_before}, kernel={a.kernel}, stride={a.stride}",
                                 Rule.OUTPUT_NEGATIVE, output=c.output)

    def notes(self, kind: str, ndim: int, specs: list[AxisSpec], pads: list[Pad], stride_given: bool,
              result_axes: Sequence[Any], ceil_mode: bool) -> list[str]:
        notes = []
        if not stride_given:
            notes.append("Caffe's stride defaults to 1, not to the kernel size")
        notes.append("round_mode: CEIL, Caffe's default" if ceil_mode else
                     "round_mode: FLOOR (BVLC master since 2017; older Caffe and many forks always round up)")
        for i, a in enumerate(result_axes):
            if a.output and a.pad_before == 0 and (a.output - 1) * a.stride >= a.input:
                notes.append(f"axis {i}: the last window starts at {(a.output - 1) * a.stride}, past the input "
                             f"({a.input}); Caffe drops such a window only when pad > 0 (torch and ONNX drop it)")
        return notes


# ---------------------------------------------------------------------------- resampling
class Resample(ResampleRules):
    name = "caffe"
    lacks = {"interpolate": "BVLC Caffe has no Upsample, Interp or Resize layer (those live in forks). Its bilinear "
                            "upsampling by r is a Deconvolution with weight_filler 'bilinear', kernel_size 2r - r % 2, "
                            "stride r, pad ceil((r - 1) / 2) (include/caffe/filler.hpp BilinearFiller): use "
                            "a caffe conv-transpose2d (r = 2: kernel=4, stride=2, padding=1)",
             "pixel shuffle": "BVLC Caffe has no PixelShuffle, DepthToSpace or SpaceToDepth layer"}

CONV = Conv()
POOL = Pool()
FRAMEWORK = Framework("caffe", "Caffe", "BVLC/caffe master (read from source)", CONV, POOL, resample=Resample())
