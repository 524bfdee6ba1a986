"""Interpolation / upsampling and pixel shuffle: seed examples, the float rule, golden values
from the real frameworks, torch's messages, and hypothesis properties."""

from __future__ import annotations

import math
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from convshape import ShapeError
from convshape.render.conv import plain
from convshape.render.resample import interpolate_report, pixel_shuffle_report
from convshape.api.resample import (float32, interpolate, keras_aspect_window, onnx_policy_outputs, onnx_scaled_output,
                                onnxruntime_scaled_output, pixel_shuffle, pixel_unshuffle, scaled_output, source_step,
                                upsample)
from convshape.params import number_values as scale_values
from convshape.params import tensor_shape

SEED_004 = "004_4cc0a9f496c36c00.txt"


# ---------------------------------------------------------------------- seed 004
@pytest.mark.parametrize("sizes, scale", [((37,), 1.5), ((4, 4), 2), ((10, 50, 100), 0.5), ((15,), 0.1),
                                          ((7, 9), 1 / 3)])
def test_seed_004_upsample_is_floor_of_size_times_scale(sizes, scale):
    """Seed 004: Upsample gives out = floor(in x scale_factor) per spatial axis."""
    result = upsample(list(sizes), scale=scale, ndim=len(sizes))
    assert result.output == tuple(math.floor(i * scale) for i in sizes)


def test_seed_004_pixel_shuffle_torch():
    """Seed 004: nn.PixelShuffle(3) on (1, 9, 4, 4) -> torch.Size([1, 1, 12, 12])."""
    assert pixel_shuffle((1, 9, 4, 4), 3).shape == (1, 1, 12, 12)


@pytest.mark.parametrize("shape, expected", [((2, 8, 8, 4), (2, 16, 16, 1)), ((2, 8, 8, 12), (2, 16, 16, 3))])
def test_seed_004_tf_subpixel_2d(shape, expected):
    """Seed 004: the TF sub-pixel _phase_shift, [2, 8, 8, 4], r = 2 -> (2, 16, 16, 1) and per
    colour [2, 8, 8, 12] -> (2, 16, 16, 3): the shapes of tf.nn.depth_to_space (NHWC)."""
    assert pixel_shuffle(shape, 2, framework="tf").shape == expected


def test_seed_004_subpixel_1d():
    """Seed 004: SubPixel1D (transpose + batch_to_space_nd) on (64, 8192, 32), r = 2 -> (64, 16384, 16)."""
    result = pixel_shuffle("64x8192x32", 2, "NWC", framework="tf")
    assert result.shape == (64, 16384, 16)
    assert result.input == (8192,) and result.output == (16384,)
    assert pixel_unshuffle(result.shape, 2, "NWC", framework="tf").shape == (64, 8192, 32)


# ---------------------------------------------------------------------- the float rule
@pytest.mark.parametrize("size, scale, expected", [
    (37, 1.5, 55), (15, 0.1, 1), (10, 2.3, 23), (50, 2.3, 114), (100, 0.29, 28), (100, 0.57, 56),
    (3, 1 / 3, 1), (9, 1 / 3, 3), (49, 1 / 49, 0), (5, -0.1, 0), (5, -1.0, -5)])
def test_scaled_output_is_torchs_double_product_truncated(size, scale, expected):
    """torch 2.13.0: int(double(size) * scale); 50 x 2.3 = 114.99999999999999 -> 114."""
    assert scaled_output(size, scale) == expected


def test_awkward_scales_in_torch():
    assert interpolate(37, scale=1.5).output == (55,)
    assert interpolate(15, scale=0.1).output == (1,)
    assert interpolate("10,50", scale=2.3).output == (23, 114)
    assert interpolate(9, scale="1/3").output == (3,)
    with pytest.raises(ShapeError, match=r"got input \(W: 49\) and output \(W: 0\)"):
        interpolate(49, scale=1 / 49)


def test_scale_used_for_sampling():
    """recompute_scale_factor None/False hands the user's scale to the kernel; True makes the
    kernel derive it from the sizes, so the sampling positions differ."""
    kept = interpolate(37, scale=1.5, mode="linear").axes[0]
    assert kept.scale_used == 1.5 and kept.source_step == pytest.approx(1 / 1.5)
    redone = interpolate(37, scale=1.5, mode="linear", recompute_scale_factor=True).axes[0]
    assert redone.scale_used is None and redone.source_step == pytest.approx(37 / 55)
    assert redone.sampling_scale == pytest.approx(55 / 37)
    assert interpolate(37, scale=1.5, mode="linear").notes  # says the sampling differs
    corners = interpolate(37, scale=1.5, mode="linear", align_corners=True).axes[0]
    assert corners.source_step == pytest.approx(36 / 54)
    assert interpolate(37, size=55, mode="linear").axes[0].scale_used is None
    assert interpolate("4,4", scale=[1.1, 2.05], mode="nearest").axes[0].source_step == 1.0  # nearest_idx's copy
    assert interpolate("4,4", scale=[1.1, 2.05], mode="nearest").axes[1].source_step == 0.5  # and its shift
    assert interpolate(4, scale=1.1, mode="nearest").axes[0].source_step == pytest.approx(1 / 1.1)
    assert interpolate(16, scale=0.5, mode="area").axes[0].source_step == 2.0


def test_source_step_rule():
    assert source_step(10, 20, 2.0, False) == 0.5
    assert source_step(10, 20, None, False) == 0.5
    assert source_step(10, 19, None, True) == 0.5
    assert source_step(10, 1, None, True) == 0.0
    assert source_step(10, 3, -1.0, False) == 10 / 3  # a scale <= 0 never reaches the kernel


def test_scale_parsing():
    assert scale_values("2,1.5, 1/3") == (2, 1.5, 1 / 3)
    assert scale_values(2) == (2,) and isinstance(scale_values("2")[0], int)
    for bad in ("abc", "1/0", "", True):
        with pytest.raises(ShapeError):
            scale_values(bad)
    assert tensor_shape("1x9x4x4") == tensor_shape("1,9,4,4") == tensor_shape("(1, 9, 4, 4)") == (1, 9, 4, 4)
    for bad in ("1x-9", "ax4", "", "1x4.5"):
        with pytest.raises(ShapeError, match="^input (must be a tensor shape|is empty)"):
            tensor_shape(bad)


# ---------------------------------------------------------------------- torch rules and messages
@pytest.mark.parametrize("call, message", [
    (lambda: interpolate("4,4", size=3, mode="linear"), r"torch: Got 4D input, but linear mode needs 3D input$"),
    (lambda: interpolate(4, size=3, mode="bilinear", ndim=1), r"Got 3D input, but bilinear mode needs 4D input"),
    (lambda: interpolate("4,4,4", size=3, mode="bilinear"), r"Got 5D input, but bilinear mode needs 4D input"),
    (lambda: interpolate(4, size=3, mode="bicubic", ndim=1),
     r"Only 3D, 4D and 5D input Tensors supported \(got 3D\) .* \(got bicubic\)"),
    (lambda: interpolate("4,4,4,4", size=3), r"\(got 6D\)"),
    (lambda: interpolate(4, size=3, align_corners=True),
     r"align_corners option can only be set with the interpolating modes: linear \| bilinear"),
    (lambda: interpolate(4, size=3, mode="area", align_corners=False), r"align_corners option can only be set"),
    (lambda: interpolate(4, size=3, scale=2), r"only one of size or scale_factor should be defined"),
    (lambda: interpolate(4), r"either size or scale_factor should be defined"),
    (lambda: interpolate(4, size=3, recompute_scale_factor=True), r"not meaningful with an explicit size"),
    (lambda: interpolate(15, scale=0), r"got input \(W: 15\) and output \(W: 0\)"),
    (lambda: interpolate(15, scale=-1), r"output \(W: -15\)"),
    (lambda: interpolate("4,4", size="3,0", mode="bicubic"), r"input \(H: 4, W: 4\) output \(H: 3, W: 0\)"),
    (lambda: interpolate(15, scale=-1, mode="area"),
     r"adaptive_avg_pool2d: elements of output_size must be greater than or equal to 0 but received \{1, -15\}"),
    (lambda: interpolate("4,0,4", size="2,3,1", mode="area"), r"sizes \[1, 1, 4, 0, 4\] with dimension 3 being empty"),
    (lambda: interpolate(4, scale=1e30), r"value cannot be converted to type int64_t without overflow"),
    (lambda: interpolate(4, scale=1e30, recompute_scale_factor=True),
     r"upsample_nearest1d\(\): argument 'output_size' failed to unpack .*Overflow when unpacking long long"),
    (lambda: interpolate(4, scale=math.inf, recompute_scale_factor=True), r"cannot convert float infinity to integer"),
    (lambda: interpolate("4,4", size=3, mode="lanczos"), r"Lanczos mode requires antialias=True"),
    (lambda: interpolate(4, size=3, mode="nearest", antialias=True), r"Anti-alias option is restricted"),
    (lambda: pixel_shuffle((1, 7, 4, 4), 2),
     r"torch: pixel_shuffle expects its input's 'channel' dimension to be divisible by the square of "
     r"upscale_factor, but input.size\(-3\)=7 is not divisible by 4$"),
    (lambda: pixel_unshuffle((1, 1, 5, 4), 2),
     r"torch: pixel_unshuffle expects height to be divisible by downscale_factor, but input.size\(-2\)=5 is not "
     r"divisible by 2$"),
    (lambda: pixel_unshuffle((1, 1, 4, 5), 2), r"width to be divisible by downscale_factor, but input.size\(-1\)=5"),
    (lambda: pixel_shuffle((9, 4), 3), r"at least 3 dimensions, but got input with 2 dimension\(s\)"),
    (lambda: pixel_shuffle((1, 9, 4, 4), 0), r"pixel_shuffle expects a positive upscale_factor, but got 0"),
    (lambda: pixel_shuffle((1, 9, 4, 4), 2 ** 32), r"\(upscale_factor\)\^2 overflowed: upscale_factor=4294967296"),
    (lambda: pixel_shuffle((1, 5, 8), 2, "NCW"), r"shape '\[1, 2, 2, 8\]' is invalid for input of size 40"),
])
def test_torch_rejections(call, message):
    """The texts are torch 2.13.0's own (checked against torch in test_torch_resample_differential)."""
    with pytest.raises(ShapeError, match=message) as info:
        call()
    assert info.value.framework == "torch"


def test_upsample_module_treats_scale_zero_as_none():
    """torch.nn.Upsample stores ``float(scale) if scale else None``; F.interpolate passes 0 on."""
    with pytest.raises(ShapeError, match="either size or scale_factor should be defined"):
        upsample(15, scale=0)
    assert upsample(15, size=4, scale=0).output == (4,)
    with pytest.raises(ShapeError, match=r"output \(W: 0\)"):
        interpolate(15, scale=0)
    with pytest.raises(ShapeError, match="no antialias"):
        upsample("4,4", size=3, mode="bilinear", antialias=True)


def test_area_allows_an_empty_output():
    """mode='area' is adaptive_avg_pool: torch 2.13 returns an empty tensor for output 0."""
    result = interpolate(15, scale=0.01, mode="area")
    assert result.output == (0,) and "empty tensor" in result.warnings[0]


def test_torch_pixel_shuffle_shapes():
    assert pixel_shuffle((9, 4, 4), 3).shape == (1, 12, 12)  # unbatched (C, H, W)
    assert pixel_shuffle((2, 3, 9, 4, 4), 3).shape == (2, 3, 1, 12, 12)  # leading dims kept
    assert pixel_unshuffle((2, 3, 1, 4, 4), 2).shape == (2, 3, 4, 2, 2)
    assert pixel_shuffle((1, 4, 4, 4), 1).shape == (1, 4, 4, 4)
    empty = pixel_unshuffle((1, 4, 0, 4), 2)  # CPU kernel: numel() == 0 -> self.clone()
    assert empty.shape == (1, 4, 0, 4) and "returns an empty input unchanged" in empty.warnings[0]
    assert pixel_shuffle((1, 4, 0, 4), 2).shape == (1, 1, 0, 8)


@pytest.mark.parametrize("call, message", [
    (lambda: pixel_shuffle((1, 4, 4, 8), 2, "NHWC"), r"torch has no pixel shuffle in NHWC"),
    (lambda: pixel_shuffle((1, 8, 4, 4), 2, "NCW", framework="tf"), r"tf has no pixel shuffle in NCW"),
    (lambda: pixel_shuffle((1, 8, 4), 2, "NCW", framework="onnx"), r"onnx has no pixel shuffle in NCW: use NCHW"),
    (lambda: pixel_shuffle((1, 8, 4, 4), 2, "NCDHW"), r"data_format must be one of"),
])
def test_layouts_not_in_a_framework(call, message):
    with pytest.raises(ShapeError, match=message):
        call()


@pytest.mark.parametrize("call, framework, message", [
    (lambda: pixel_shuffle((1, 8, 4, 4), 2, framework="jax"),
     "jax", r"^jax: no pixel shuffle layer: jax.nn, jax.image and jax.lax have no depth-to-space"),
    (lambda: pixel_unshuffle((1, 8, 4, 4), 2, framework="lax"), "jax", r"^jax: no pixel unshuffle layer"),
    (lambda: pixel_shuffle((1, 8, 4, 4), 2, framework="caffe"), "caffe",
     r"^caffe: no pixel shuffle layer: BVLC Caffe has no PixelShuffle, DepthToSpace or SpaceToDepth layer$"),
    (lambda: interpolate(4, scale=2, framework="caffe"), "caffe",
     r"^caffe: no interpolate layer: BVLC Caffe has no Upsample, Interp or Resize layer .*Deconvolution .*"
     r"use a caffe conv-transpose2d \(r = 2: kernel=4, stride=2, padding=1\)$"),
    (lambda: upsample(4, size=8, framework="caffe"), "caffe", r"^caffe: no upsample layer"),
])
def test_frameworks_without_the_layer(call, framework, message):
    """Every command runs in every framework that has the layer; the others say so (exit 1)."""
    with pytest.raises(ShapeError, match=message) as info:
        call()
    assert info.value.framework == framework and info.value.rule == "not-in-framework"


def test_caffe_bilinear_deconvolution_recipe_upsamples_by_r():
    """The recipe the caffe error gives (include/caffe/filler.hpp BilinearFiller): kernel 2r - r % 2,
    stride r, pad ceil((r - 1) / 2) is exactly r x input in Caffe's Deconvolution."""
    from convshape import conv_transpose

    for r in range(1, 7):
        k, p = 2 * r - r % 2, math.ceil((r - 1) / 2)
        for i in (1, 7, 32):
            assert conv_transpose(i, k, r, p, framework="caffe").output == (i * r,)


def test_tf_nchw_is_gpu_only():
    result = pixel_shuffle((1, 8, 4, 4), 2, "NCHW", framework="tf")
    assert result.shape == (1, 2, 8, 8) and "GPU" in result.warnings[0]


# ---------------------------------------------------------------------- keras / tf golden values
GOLDEN = [  # (kind, input, scale/size/factor, mode or data format, output shape or error text)
    # run for real with tensorflow-cpu 2.21.0 and keras 3.15.1 (TF backend) in /work/venv-tf:
    # keras: UpSampling{n}D(factor, interpolation=mode)(zeros((1, *input, 1))); tf: tf.image.resize;
    # d2s/s2d: tf.nn.depth_to_space / space_to_depth; sp1/us1: seed 004's SubPixel1D and its inverse
    ('keras', (10,), 2, None, (1, 20, 1)),
    ('keras', (7,), 3, None, (1, 21, 1)),
    ('keras', (0,), 2, None, (1, 0, 1)),
    ('keras', (5,), 0, None, 'Argument `size` should be a positive integer. Received: size=0'),
    ('keras', (5,), -1, None, 'Argument `size` should be a positive integer. Received: size=-1'),
    ('keras', (5,), 1.5, None, "Expected an integer value for `size`, got <class 'float'>."),
    ('keras', (5,), 2, 'bilinear', "Unrecognized keyword arguments passed to UpSampling1D: "
     "{'interpolation': 'bilinear'}"),
    ('keras', (10, 7), (2, 3), None, (1, 20, 21, 1)),
    ('keras', (10, 7), 2, 'bilinear', (1, 20, 14, 1)),
    ('keras', (10, 7), (2, 3), 'bicubic', (1, 20, 21, 1)),
    ('keras', (10, 7), 2, 'area', (1, 20, 14, 1)),
    ('keras', (10, 7), 2, 'lanczos3', (1, 20, 14, 1)),
    ('keras', (10, 7), 2, 'lanczos5', (1, 20, 14, 1)),
    ('keras', (10, 7), 2, 'gaussian', "Invalid value for argument `interpolation`. Expected of "
     "one ('bilinear', 'nearest', 'lanczos3', 'lanczos5', 'bicubic', 'area'). Received: interpolation=gaussian"),
    ('keras', (10, 7), (2, 0), None, 'The `size` argument must be a tuple of 2 integers. Received size=(2, 0), '
     'including values {0} that do not satisfy `value > 0`'),
    ('keras', (10, 7), 0, None, 'The `size` argument must be a tuple of 2 integers. Received size=0, '
     'including values {0} that do not satisfy `value > 0`'),
    ('keras', (10, 7), 1.5, None, 'The `size` argument must be a tuple of 2 integers. Received size=1.5'),
    ('keras', (0, 7), 2, None, (1, 0, 14, 1)),
    ('keras', (0, 7), (3, 2), 'bilinear', '`size` must have positive height and width. Received: size=(0, 14)'),
    ('keras', (4, 0), (3, 2), 'area', '`size` must have positive height and width. Received: size=(12, 0)'),
    ('keras', (10, 7, 5), (2, 3, 1), None, (1, 20, 21, 5, 1)),
    ('keras', (10, 7, 5), 2, None, (1, 20, 14, 10, 1)),
    ('keras', (10, 7, 5), (2, 0, 1), None,
     'The `size` argument must be a tuple of 3 integers. Received size=(2, 0, 1), '
     'including values {0} that do not satisfy `value > 0`'),
    ('keras', (0, 7, 5), 2, None, (1, 0, 14, 10, 1)),
    ('tf', (5, 7), (3, 11), 'bilinear', (1, 3, 11, 1)),
    ('tf', (5, 7), (3, 11), 'nearest', (1, 3, 11, 1)),
    ('tf', (375, 500), (224, 224), 'bicubic', (1, 224, 224, 1)),
    ('tf', (5, 7), (5, 7), 'area', (1, 5, 7, 1)),
    ('tf', (5, 7), (30, 2), 'lanczos3', (1, 30, 2, 1)),
    ('tf', (5, 7), (1, 1), 'lanczos5', (1, 1, 1, 1)),
    ('tf', (5, 7), (3, 11), 'gaussian', (1, 3, 11, 1)),
    ('tf', (5, 7), (3, 11), 'mitchellcubic', (1, 3, 11, 1)),
    ('tf', (5, 7), (0, 3), 'bilinear', 'output dimensions must be positive'),
    ('tf', (5, 7), (-1, 3), 'nearest', 'output dimensions must be positive'),
    ('tf', (0, 7), (3, 3), 'bilinear', 'input image must be of non-zero size'),
    ('tf', (0, 7), (0, 3), 'area', 'input image must be of non-zero size'),
    ('tf', (5, 7), (3, 3), 'linear', 'Resize method is not implemented: linear'),
    ('tf', (5, 7), (10, -3), 'bilinear', 'Dimension -3 must be >= 0'),  # static shape: only -1 passes
    ('tf', (0, 7), (-2, 3), 'nearest', 'Dimension -2 must be >= 0'),
    ('tf', (0, 7), (0, 3), 'lanczos3', 'output dimensions must be positive'),  # ScaleAndTranslate: output first
    ('tf', (5, 7), (2 ** 32 + 3, 12), 'nearest', (1, 3, 12, 1)),  # the int32 size wraps, silently
    ('tf', (5, 7), (2 ** 62, 12), 'nearest', 'output dimensions must be positive'),
    ('tf', (5, 7), (2 ** 63, 12), 'nearest', "'size' must be a 1-D int32 Tensor"),
    ('d2s', (2, 8, 8, 4), 2, 'NHWC', (2, 16, 16, 1)),
    ('d2s', (2, 8, 8, 12), 2, 'NHWC', (2, 16, 16, 3)),
    ('d2s', (1, 4, 4, 9), 3, 'NHWC', (1, 12, 12, 1)),
    ('d2s', (1, 4, 4, 7), 2, 'NHWC', 'Input depth dimension 7 should be divisible by: 4'),
    ('d2s', (1, 4, 4, 8), 1, 'NHWC', "Value for attr 'block_size' of 1 must be at least minimum 2"),
    ('d2s', (1, 4, 4, 8), 0, 'NHWC', "Value for attr 'block_size' of 0 must be at least minimum 2"),
    ('d2s', (4, 4, 8), 2, 'NHWC', 'Input rank should be: 4 instead of: 3'),
    ('d2s', (4, 4, 8), 1, 'NHWC', "Value for attr 'block_size' of 1 must be at least minimum 2"),
    ('d2s', (1, 2, 4, 4, 8), 2, 'NHWC', 'Input rank should be: 4 instead of: 5'),
    ('d2s', (1, 0, 4, 8), 2, 'NHWC', (1, 0, 8, 2)),
    ('d2s', (0, 4, 4, 8), 2, 'NHWC', (0, 8, 8, 2)),
    ('d2s', (1, 4, 4, 0), 2, 'NHWC', (1, 8, 8, 0)),
    ('d2s', (1, 3, 5, 18), 3, 'NHWC', (1, 9, 15, 2)),
    ('s2d', (1, 4, 4, 1), 2, 'NHWC', (1, 2, 2, 4)),
    ('s2d', (1, 5, 4, 1), 2, 'NHWC', 'Image width 4 and height 5 should be divisible by block_size: 2'),
    ('s2d', (1, 4, 5, 1), 2, 'NHWC', 'Image width 5 and height 4 should be divisible by block_size: 2'),
    ('s2d', (1, 4, 4, 3), 1, 'NHWC', "Value for attr 'block_size' of 1 must be at least minimum 2"),
    ('s2d', (4, 4, 3), 2, 'NHWC', 'Input rank should be 4 instead of 3'),
    ('s2d', (4, 4, 3), 1, 'NHWC', "Value for attr 'block_size' of 1 must be at least minimum 2"),
    ('s2d', (1, 0, 4, 1), 2, 'NHWC', (1, 0, 2, 4)),
    ('s2d', (2, 6, 9, 2), 3, 'NHWC', (2, 2, 3, 18)),
    ('sp1', (64, 8192, 32), 2, 'NWC', (64, 16384, 16)),
    ('sp1', (2, 5, 6), 3, 'NWC', (2, 15, 2)),
    ('sp1', (2, 5, 5), 2, 'NWC', 'Input batch dimension (5) is not divisible by product of block sizes (2)'),
    ('sp1', (2, 5, 6), 1, 'NWC', (2, 5, 6)),
    ('sp1', (2, 5, 6), 0, 'NWC', 'Product of block sizes must be positive, got 0'),
    ('sp1', (0, 5, 6), 2, 'NWC', (0, 10, 3)),
    ('sp1', (2, 5, 0), 2, 'NWC', (2, 10, 0)),
    ('sp1', (2, 5, 1), 2, 'NWC', 'Input batch dimension (1) is not divisible by product of block sizes (2)'),
    ('us1', (64, 16384, 16), 2, 'NWC', (64, 8192, 32)),
    ('us1', (2, 6, 5), 3, 'NWC', (2, 2, 15)),
    ('us1', (2, 5, 5), 2, 'NWC', 'padded_shape[0]=5 is not divisible by block_shape[0]=2'),
    ('us1', (2, 6, 6), 0, 'NWC', 'All values in block_shape must be positive, got value, 0 at index 0.'),
    ('us1', (2, 0, 6), 2, 'NWC', (2, 0, 12)),
]


@pytest.mark.parametrize("kind, shape, arg, extra, expected", GOLDEN)
def test_golden_keras_tf(kind, shape, arg, extra, expected):
    def call():
        if kind == "keras":
            return (1, *interpolate(list(shape), scale=arg, mode=extra, framework="keras", ndim=len(shape)).output, 1)
        if kind == "tf":
            return (1, *interpolate(list(shape), size=arg, mode=extra, framework="tf").output, 1)
        api = pixel_shuffle if kind in ("d2s", "sp1") else pixel_unshuffle
        return api(shape, arg, extra, framework="tf").shape

    if isinstance(expected, str):
        with pytest.raises(ShapeError, match=re.escape(expected)) as info:
            call()
        assert info.value.framework in ("tf", "keras")
    else:
        assert call() == expected


RESIZING = [  # keras.layers.Resizing(height, width, interpolation=mode, crop_to_aspect_ratio, pad_to_aspect_ratio,
    # antialias) called on np.zeros((1, *input, 1)), keras 3.15.1 with tensorflow-cpu 2.21.0 (the TF backend) in
    # /work/venv-tf; the window (extent, pad_before, pad_after per axis; a crop as negative pads) is the image keras
    # hands tf.image.resize, recorded by wrapping it, on an arange image. Building the layer on keras.Input checks
    # nothing: these are the first call's results. Another 3000 random cases (0 mismatches) are not in the repo.
    ((5, 7), (10, 12), "bilinear", "", False, (10, 12), ((5, 0, 0), (7, 0, 0))),
    ((375, 500), (224, 224), "bilinear", "", False, (224, 224), ((375, 0, 0), (500, 0, 0))),
    ((375, 500), (224, 224), "nearest", "", False, (224, 224), ((375, 0, 0), (500, 0, 0))),
    ((375, 500), (224, 224), "bicubic", "", True, (224, 224), ((375, 0, 0), (500, 0, 0))),
    ((375, 500), (224, 224), "lanczos3", "", False, (224, 224), ((375, 0, 0), (500, 0, 0))),
    ((375, 500), (224, 224), "lanczos5", "", False, (224, 224), ((375, 0, 0), (500, 0, 0))),
    ((375, 500), (224, 224), "area", "", True, (224, 224), ((375, 0, 0), (500, 0, 0))),
    ((10, 7), (3, 3), "bilinear", "", False, (3, 3), ((10, 0, 0), (7, 0, 0))),
    ((375, 500), (224, 224), "bilinear", "crop", False, (224, 224), ((375, 0, 0), (375, -62, -63))),
    ((375, 500), (224, 224), "bilinear", "pad", False, (224, 224), ((499, 62, 62), (500, 0, 0))),  # not 500
    ((500, 375), (224, 224), "bilinear", "crop", False, (224, 224), ((375, -62, -63), (375, 0, 0))),
    ((500, 375), (224, 224), "bilinear", "pad", False, (224, 224), ((500, 0, 0), (499, 62, 62))),
    ((1, 100), (10, 12), "bilinear", "crop", False, (10, 12), ((1, 0, 0), (1, -49, -50))),
    ((1, 100), (10, 12), "bilinear", "pad", False, (10, 12), ((83, 41, 41), (100, 0, 0))),
    ((100, 1), (10, 12), "nearest", "crop", False, (10, 12), ((1, -49, -50), (1, 0, 0))),
    ((100, 1), (10, 12), "nearest", "pad", False, (10, 12), ((100, 0, 0), (119, 59, 59))),
    ((0, 7), (10, 12), "bilinear", "pad", False, (10, 12), ((4, 2, 2), (7, 0, 0))),  # padding fills the empty axis
    ((5, 0), (10, 12), "bilinear", "pad", False, (10, 12), ((5, 0, 0), (6, 3, 3))),
    ((3, 300000), (10000, 7), "nearest", "crop", False, (10000, 7), ((1, -1, -1), (1, -149999, -150000))),  # int32
    ((5, 7), (2 ** 32 + 300, 7), "nearest", "pad", False, (300, 7), ((299, 147, 147), (7, 0, 0))),
    ((5, 7), (10, 12), "gaussian", "", False, "Invalid value for argument `interpolation`. Expected of one "
     "('bilinear', 'nearest', 'lanczos3', 'lanczos5', 'bicubic', 'area'). Received: interpolation=gaussian", None),
    ((5, 7), (10, 12), "linear", "", False, "Received: interpolation=linear", None),
    ((5, 7), (10, 12), "bilinear", "both", False, "Only one of `pad_to_aspect_ratio` & `crop_to_aspect_ratio` can be "
     "`True`.", None),
    ((5, 7), (0, 12), "bilinear", "", False, "output dimensions must be positive", None),
    ((5, 7), (-1, 12), "nearest", "", False, "output dimensions must be positive", None),
    ((5, 7), (10, -3), "bilinear", "", False, "Dimension -3 must be >= 0", None),
    ((5, 7), (-2, -5), "bilinear", "pad", False, "Dimension -2 must be >= 0", None),
    ((0, 7), (10, 12), "bilinear", "", False, "input image must be of non-zero size", None),
    ((0, 7), (10, 12), "bilinear", "crop", False, "input image must be of non-zero size", None),
    ((0, 0), (10, 12), "bilinear", "pad", False, "input image must be of non-zero size", None),
    ((0, 7), (0, 12), "area", "", False, "input image must be of non-zero size", None),
    ((0, 7), (0, 12), "lanczos3", "", False, "output dimensions must be positive", None),
    ((0, 7), (0, 12), "bilinear", "", True, "output dimensions must be positive", None),  # antialias: ScaleAndTranslate
    ((0, 7), (0, 12), "nearest", "", True, "input image must be of non-zero size", None),
    ((5, 7), (2 ** 63, 12), "bilinear", "crop", False, "Can't convert Python sequence with out-of-range integer to "
     "Tensor.", None),
    ((5, 7), (2 ** 63, 12), "bilinear", "", False, "'size' must be a 1-D int32 Tensor", None),
]


@pytest.mark.parametrize("shape, size, mode, policy, antialias, expected, windows", RESIZING)
def test_golden_keras_resizing(shape, size, mode, policy, antialias, expected, windows):
    def call():
        return interpolate(list(shape), size=list(size), mode=mode, framework="keras", antialias=antialias,
                           crop_to_aspect_ratio=policy in ("crop", "both"),
                           pad_to_aspect_ratio=policy in ("pad", "both"))

    if isinstance(expected, str):
        with pytest.raises(ShapeError, match=re.escape(expected)) as info:
            call()
        assert info.value.framework == "keras"
        return
    result = call()
    assert result.output == expected and result.layer == "keras.layers.Resizing"
    assert tuple((round(a.source_step * a.output), a.pad_before, a.pad_after) for a in result.axes) == windows
    assert all(a.source_step == w[0] / a.output for a, w in zip(result.axes, windows))  # tf: in / out
    assert bool(result.notes) == bool(policy) and bool(result.warnings) == (size[0] > 2 ** 31)


@pytest.mark.parametrize("size, other, target, other_target, policy, expected", [
    (375, 500, 224, 224, "crop", (375, 0, 0)), (500, 375, 224, 224, "crop", (375, -62, -63)),
    (375, 500, 224, 224, "pad", (499, 62, 62)), (500, 375, 224, 224, "pad", (500, 0, 0)),
    (3, 300000, 10000, 7, "crop", (1, -1, -1)),  # 300000 x 10000 wraps in int32: negative, so 1 row
    (0, 7, 10, 12, "crop", (0, 0, 0)), (0, 7, 10, 12, "pad", (4, 2, 2)), (5, 7, 10, 0, "crop", (1, -2, -2)),
])
def test_keras_aspect_window(size, other, target, other_target, policy, expected):
    assert keras_aspect_window(size, other, target, other_target, policy) == expected


@given(st.integers(1, 2000), st.integers(1, 2000), st.integers(1, 2000), st.integers(1, 2000),
       st.sampled_from(["", "crop", "pad"]))
def test_resizing_output_is_the_size_whatever_the_aspect_policy(h, w, th, tw, policy):
    """crop_to_aspect_ratio / pad_to_aspect_ratio change the window, never the output; the crop stays
    inside the input and the padding is symmetric."""
    result = interpolate([h, w], size=[th, tw], framework="keras", crop_to_aspect_ratio=policy == "crop",
                         pad_to_aspect_ratio=policy == "pad")
    assert result.output == (th, tw)
    for a in result.axes:
        extent = a.input + a.pad_before + a.pad_after
        assert a.source_step == pytest.approx(extent / a.output)
        if policy == "crop":
            assert a.pad_before <= 0 and a.pad_after <= 0 and extent >= 1
        elif policy == "pad":
            assert a.pad_before == a.pad_after >= 0
        else:
            assert a.pad_before == a.pad_after == 0


def test_keras_resizing_defaults():
    result = interpolate(64, size=32, framework="keras")  # one number: Resizing's 2 axes
    assert result.input == (64, 64) and result.output == (32, 32) and result.mode == "bilinear"
    assert upsample("5,7", size="10,12", framework="keras").layer == "keras.layers.Resizing"
    assert interpolate("5,7", framework="keras").layer == "keras.layers.UpSampling2D"  # no size: UpSampling, x2


def test_keras_explicit_nearest_on_3d_is_accepted_with_a_note():
    """Keras 3.15 raises for UpSampling3D(interpolation='nearest') (it has no such argument) but
    the layer does nearest: convshape accepts mode='nearest' and says so."""
    result = interpolate("10,7,5", scale=2, mode="nearest", framework="keras")
    assert result.output == (20, 14, 10)
    assert "Unrecognized keyword arguments" in result.notes[0]


@pytest.mark.parametrize("call, message", [
    (lambda: interpolate(10, size=20, scale=2, framework="keras"), r"give size or scale, not both"),
    (lambda: interpolate(10, size=5, framework="keras", ndim=1),
     r"^keras: keras.layers.Resizing resizes 2 spatial axes \(height, width\), but got 1$"),
    (lambda: interpolate("10,7,5", size="5,5,5", framework="keras"), r"^keras: Invalid images rank: expected rank 3 "
     r"\(single image\) or rank 4 \(batch of images\); .* but got 3$"),
    (lambda: interpolate("5,7", scale=2, framework="keras", antialias=True), r"not an argument of keras UpSampling"),
    (lambda: interpolate("5,7", scale=2, framework="keras", crop_to_aspect_ratio=True),
     r"crop_to_aspect_ratio is keras.layers.Resizing's; keras UpSampling has no such argument"),
    (lambda: interpolate("5,7", size="3,3", framework="tf", pad_to_aspect_ratio=True),
     r"pad_to_aspect_ratio is keras.layers.Resizing's; tf.image.resize has no such argument"),
    (lambda: interpolate("5,7", size="3,3", framework="keras", align_corners=True),
     r"align_corners is torch's; keras.layers.Resizing has no such argument"),
    (lambda: interpolate("10,10,10,10", scale=2, framework="keras"), r"UpSampling1D, UpSampling2D and UpSampling3D"),
    (lambda: interpolate(10, scale=2, framework="keras", align_corners=True), r"align_corners is torch's"),
    (lambda: interpolate("10,10", scale=2, framework="tf"), r"takes size \(the output size\)"),
    (lambda: interpolate(10, size=20, framework="tf", ndim=1), r"'size' must be a 1-D Tensor of 2 elements"),
    (lambda: interpolate("10,10", size=20, framework="tf", recompute_scale_factor=True), r"has no such argument"),
])
def test_keras_tf_argument_errors(call, message):
    with pytest.raises(ShapeError, match=message):
        call()


def test_framework_defaults():
    assert interpolate(5, framework="keras").output == (10,)  # UpSampling1D(size=2)
    assert interpolate("5,7", size="3,11", framework="tf").mode == "bilinear"
    assert interpolate(64, size=32, framework="tf").input == (64, 64)  # one number: tf's 2 axes
    assert interpolate(64, scale=2, mode="trilinear").input == (64, 64, 64)
    assert interpolate(64, scale=2).input == (64,)


# ---------------------------------------------------------------------- onnx golden values
# run for real in /work/venv-jo with onnx 1.23.2 and onnxruntime 1.31.1 (CPU): Resize (opset 19) on a
# (1, 1, *input) float tensor with axes = the spatial axes; the spec's output is onnx's reference
# implementation (onnx.reference.ReferenceEvaluator), which its shape inference matches here, the
# second onnxruntime's tensor; errors are onnxruntime's texts (the multi-line ones joined)
ORT_LINEAR = ("'Linear' mode only supports: * 2-D inputs or * 3-D inputs ('Bilinear', 'Trilinear') or * 4-D "
              "inputs with the corresponding outermost 2 scale values being 1 or the corresponding outermost and "
              "innermost scale values being 1 or * 5-D inputs with the corresponding outermost 2 scale values being "
              "1in the Resize operator")
ORT_CUBIC = ("'Cubic' mode only supports: * 2-D inputs ('Bicubic') or * 4-D inputs with the corresponding outermost "
             "2 scale values being 1 or the corresponding outermost and innermost scale values being 1 with "
             "antialias attribute or the corresponding outermost and innermost scale values being 1 and other "
             "scales >= 1 without antialias attribute in the Resize operator")
ORT_ZERO = ("Input dim is zero but required output dim is non-zero. Cannot scale 0 by any factor to generate a "
            "non-zero value. Dimension: {} Input dim value: 0 Output dim value: {}")
ONNX_RESIZE = [  # (input, scales, sizes, mode, attributes, (spec's output, onnxruntime's) or its error)
    ((100,), (0.29,), None, 'nearest', {}, ((28,), (29,))),
    ((37,), (1.5,), None, 'nearest', {}, ((55,), (55,))),
    ((50,), (2.3,), None, 'nearest', {}, ((114,), (115,))),
    ((10,), (2.3,), None, 'linear', {}, ((22,), (23,))),
    ((49,), (0.02040816326530612,), None, 'nearest', {}, ((0,), (1,))),
    ((100,), (0.57,), None, 'nearest', {}, ((56,), (57,))),
    ((15,), (0.1,), None, 'nearest', {}, ((1,), (1,))),
    ((3,), (0.1,), None, 'nearest', {}, ((0,), (0,))),
    ((9,), (0.3333333333333333,), None, 'nearest', {}, ((3,), (3,))),
    ((0,), (2.0,), None, 'nearest', {}, ((0,), (0,))),
    ((64, 48), (0.5, 1.5), None, 'linear', {}, ((32, 72), (32, 72))),
    ((7, 9), (0.3333333333333333, 0.3333333333333333), None, 'cubic', {}, ((2, 3), (2, 3))),
    ((4, 4), (0.5, 2.0), None, 'cubic', {}, ((2, 8), (2, 8))),
    ((5, 5, 5), (2.0, 2.0, 2.0), None, 'linear', {}, ((10, 10, 10), (10, 10, 10))),
    ((5, 5, 5, 5), (2.0, 2.0, 2.0, 2.0), None, 'nearest', {}, ((10, 10, 10, 10), (10, 10, 10, 10))),
    ((8, 8), (0.5, 0.5), None, 'linear', {'antialias': 1}, ((4, 4), (4, 4))),
    ((5,), (0.0,), None, 'nearest', {}, 'Scale value should be greater than 0.'),
    ((5,), (-1.0,), None, 'nearest', {}, 'Scale value should be greater than 0.'),
    ((5, 5, 5, 5), (2.0, 2.0, 2.0, 2.0), None, 'linear', {}, ORT_LINEAR),
    ((5,), (2.0,), None, 'cubic', {}, ORT_CUBIC),
    ((5, 5, 5), (2.0, 2.0, 2.0), None, 'cubic', {}, ORT_CUBIC),
    ((5, 5), (2.0, 2.0), None, 'nearest', {'antialias': 1},
     'when anti-aliasing is set, Resize only supports mode `LINEAR` and `CUBIC`.'),
    ((5, 5), (2.0, 2.0), None, 'bilinear', {},
     'mode attribute is bilinear. It can only be nearest(default) or linear or cubic.'),
    ((5, 5), (2.0, 2.0), (3, 3), 'nearest', {}, 'Either `sizes` or `scales` must be provided, but not both of them'),
    ((5, 5), None, None, 'nearest', {}, 'Either `sizes` or `scales` must be provided, but not both of them'),
    ((5, 5), (2.0, 2.0), None, 'nearest', {'keep_aspect_ratio_policy': 'not_larger'},
     'Providing `scales` is incompatible with a `keep_aspect_ratio_policy` other than "stretch".'),
    ((5, 7), None, (3, 11), 'nearest', {}, ((3, 11), (3, 11))),
    ((5, 7), None, (3, 11), 'linear', {}, ((3, 11), (3, 11))),
    ((5, 7), None, (3, 11), 'cubic', {}, ((3, 11), (3, 11))),
    ((5,), None, (0,), 'nearest', {}, 'Scale value should be greater than 0.'),
    ((5,), None, (-2,), 'nearest', {}, 'Scale value should be greater than 0.'),
    ((0,), None, (3,), 'nearest', {}, ORT_ZERO.format(2, 3)),
    ((4, 0), None, (4, 3), 'linear', {}, ORT_ZERO.format(3, 3)),
    ((0,), None, (0,), 'nearest', {}, ((0,), (0,))),  # the reference fails on an empty input
    ((20, 10), None, (7, 7), 'nearest', {'keep_aspect_ratio_policy': 'not_larger'}, ((7, 4), (7, 4))),
    ((20, 10), None, (7, 7), 'nearest', {'keep_aspect_ratio_policy': 'not_smaller'}, ((14, 7), (14, 7))),
    ((375, 500), None, (224, 224), 'linear', {'keep_aspect_ratio_policy': 'not_larger'}, ((168, 224), (168, 224))),
    ((375, 500), None, (224, 224), 'linear', {'keep_aspect_ratio_policy': 'not_smaller'}, ((224, 299), (224, 299))),
    ((3, 5), None, (2, 100), 'nearest', {'keep_aspect_ratio_policy': 'not_larger'}, ((2, 3), (2, 3))),
    ((100, 37), None, (1, 1000), 'nearest', {'keep_aspect_ratio_policy': 'not_larger'},
     ((1, 0), (1, 0))),  # an empty axis, no error
    ((268, 99, 176), None, (43, 191, 24), 'nearest', {'keep_aspect_ratio_policy': 'not_larger'},
     ((37, 13, 24), (37, 14, 24))),  # 99 x 24/176 = 13.5: double 13.499.., float32 13.5
    ((5, 6), None, (0, 3), 'nearest', {'keep_aspect_ratio_policy': 'not_larger'},
     'Scale value should be greater than 0.'),
    ((5, 6), None, (0, 3), 'nearest', {'keep_aspect_ratio_policy': 'not_smaller'}, ((3, 3), (3, 3))),
    ((8, 8), (2.0, 2.0), None, 'linear', {'coordinate_transformation_mode': 'align_corners'}, ((16, 16), (16, 16))),
]
ONNX_SHUFFLE = [  # DepthToSpace (d2s) / SpaceToDepth (s2d): (kind, input, blocksize, output or error)
    ('d2s', (1, 9, 4, 4), 3, (1, 1, 12, 12)),
    ('d2s', (2, 8, 3, 5), 2, (2, 2, 6, 10)),
    ('d2s', (1, 8, 4, 4), 1, (1, 8, 4, 4)),
    ('d2s', (1, 7, 4, 4), 2, 'DepthToSpace requires input depth to be a multiple of (block_size * block_size)'),
    ('d2s', (1, 8, 4, 4), 3, 'DepthToSpace requires input depth to be a multiple of (block_size * block_size)'),
    ('d2s', (1, 8, 4, 4), 0, 'Blocksize must be positive'),
    ('d2s', (1, 8, 4, 4), -2, 'Blocksize must be positive'),
    ('d2s', (8, 4, 4), 2, 'Input tensor must be 4-dimensional'),
    ('d2s', (1, 1, 8, 4, 4), 2, 'Input tensor must be 4-dimensional'),
    ('d2s', (8, 4, 4), 0, 'Blocksize must be positive'),
    ('d2s', (0, 8, 4, 4), 2, (0, 2, 8, 8)),
    ('d2s', (1, 0, 4, 4), 2, (1, 0, 8, 8)),
    ('d2s', (1, 8, 0, 4), 2, (1, 2, 0, 8)),
    ('s2d', (1, 1, 4, 4), 2, (1, 4, 2, 2)),
    ('s2d', (1, 1, 6, 9), 3, (1, 9, 2, 3)),
    ('s2d', (1, 1, 4, 4), 1, (1, 1, 4, 4)),
    ('s2d', (1, 1, 5, 4), 2, 'SpaceToDepth requires input height to be a multiple of block_size'),
    ('s2d', (1, 1, 4, 5), 2, 'SpaceToDepth requires input width to be a multiple of block_size'),
    ('s2d', (1, 1, 5, 5), 2, 'SpaceToDepth requires input height to be a multiple of block_size'),
    ('s2d', (1, 1, 4, 4), 0, 'Blocksize must be positive'),
    ('s2d', (1, 4, 4), 2, 'Input tensor must be 4-dimensional'),
    ('s2d', (1, 1, 0, 4), 2, (1, 4, 0, 2)),
]


def _onnx_call(shape, scales, sizes, mode, attrs):
    return interpolate(list(shape), size=None if sizes is None else list(sizes),
                       scale=None if scales is None else list(scales), mode=mode, framework="onnx", ndim=len(shape),
                       antialias=bool(attrs.get("antialias")), keep_aspect_ratio_policy=attrs.get(
                           "keep_aspect_ratio_policy"),
                       align_corners=attrs.get("coordinate_transformation_mode") == "align_corners" or None)


@pytest.mark.parametrize("shape, scales, sizes, mode, attrs, expected", ONNX_RESIZE)
def test_golden_onnx_resize(shape, scales, sizes, mode, attrs, expected):
    if isinstance(expected, str):
        with pytest.raises(ShapeError, match=re.escape(expected)) as info:
            _onnx_call(shape, scales, sizes, mode, attrs)
        assert info.value.framework == "onnx"
        return
    spec, runtime = expected
    result = _onnx_call(shape, scales, sizes, mode, attrs)
    assert result.output == spec
    said = [w for w in result.warnings if w.startswith("onnxruntime 1.31 gives")]
    if runtime != spec:
        assert said and said[0].startswith(f"onnxruntime 1.31 gives {'x'.join(map(str, runtime))}, not the spec's "
                                           f"{'x'.join(map(str, spec))}")
    else:
        assert not said


@pytest.mark.parametrize("kind, shape, blocksize, expected", ONNX_SHUFFLE)
def test_golden_onnx_depth_to_space(kind, shape, blocksize, expected):
    api = pixel_shuffle if kind == "d2s" else pixel_unshuffle
    if isinstance(expected, str):
        with pytest.raises(ShapeError, match="^onnx: " + re.escape(expected)):
            api(shape, blocksize, framework="onnx")
    else:
        result = api(shape, blocksize, framework="onnx")
        assert result.shape == expected and result.layer == ("onnx DepthToSpace" if kind == "d2s" else
                                                             "onnx SpaceToDepth")


KERAS_SHUFFLE = [  # keras 3.15.1 (TF backend) in /work/venv-tf: keras.ops.depth_to_space (d2s) / space_to_depth
    # (s2d) on keras.Input(batch_shape=input), data_format NHWC = channels_last, NCHW = channels_first
    ('d2s', (2, 8, 8, 12), 2, 'NHWC', (2, 16, 16, 3)),
    ('d2s', (1, 9, 4, 4), 3, 'NCHW', (1, 1, 12, 12)),
    ('d2s', (1, 4, 4, 7), 2, 'NHWC', 'The number of channels (7) must be divisible by block_size**2 (4).'),
    ('d2s', (1, 7, 4, 4), 2, 'NCHW', 'The number of channels (7) must be divisible by block_size**2 (4).'),
    ('d2s', (1, 4, 4, 8), 1, 'NHWC', '`block_size` must be at least 2. Received: block_size=1'),
    ('d2s', (1, 4, 4, 8), 0, 'NHWC', '`block_size` must be at least 2. Received: block_size=0'),
    ('d2s', (4, 4, 8), 2, 'NHWC', '`depth_to_space` requires a 4D input tensor. Received: x.shape=(4, 4, 8)'),
    ('d2s', (4, 4, 8), 1, 'NHWC', '`block_size` must be at least 2. Received: block_size=1'),
    ('d2s', (0, 4, 4, 8), 2, 'NHWC', (0, 8, 8, 2)),
    ('d2s', (1, 4, 4, 0), 2, 'NHWC', (1, 8, 8, 0)),
    ('s2d', (1, 4, 4, 1), 2, 'NHWC', (1, 2, 2, 4)),
    ('s2d', (1, 1, 4, 4), 2, 'NCHW', (1, 4, 2, 2)),
    ('s2d', (1, 5, 4, 1), 2, 'NHWC', 'Height (5) must be divisible by block_size (2).'),
    ('s2d', (1, 4, 5, 1), 2, 'NHWC', 'Width (5) must be divisible by block_size (2).'),
    ('s2d', (1, 5, 5, 1), 2, 'NHWC', 'Height (5) must be divisible by block_size (2).'),
    ('s2d', (1, 1, 4, 5), 2, 'NCHW', 'Width (5) must be divisible by block_size (2).'),
    ('s2d', (4, 4, 1), 2, 'NHWC', '`space_to_depth` requires a 4D input tensor. Received: x.shape=(4, 4, 1)'),
    ('s2d', (2, 6, 9, 2), 3, 'NHWC', (2, 2, 3, 18)),
]


@pytest.mark.parametrize("kind, shape, block_size, data_format, expected", KERAS_SHUFFLE)
def test_golden_keras_depth_to_space(kind, shape, block_size, data_format, expected):
    api = pixel_shuffle if kind == "d2s" else pixel_unshuffle
    if isinstance(expected, str):
        with pytest.raises(ShapeError, match="^keras: " + re.escape(expected) + "$"):
            api(shape, block_size, data_format, framework="keras")
    else:
        assert api(shape, block_size, data_format, framework="keras").shape == expected


def test_onnx_float_rules():
    """The spec floors in double with the float32 scale; onnxruntime 1.31 truncates a float32 product."""
    assert float32(0.29) == 0.28999999165534973 and float32(1e39) == math.inf and float32(-1e39) == -math.inf
    assert [onnx_scaled_output(i, s) for i, s in ((100, 0.29), (50, 2.3), (10, 2.3), (49, 1 / 49))] == [28, 114, 22, 0]
    assert [onnxruntime_scaled_output(i, s) for i, s in ((100, 0.29), (50, 2.3), (10, 2.3), (49, 1 / 49))] == \
        [29, 115, 23, 1]
    assert scaled_output(10, 2.3) == 23  # torch, in double with the double scale: a third answer
    spec, runtime, scale = onnx_policy_outputs((375, 500), (224, 224), "not_larger")
    assert spec == runtime == (168, 224) and scale == float32(224 / 500)
    assert onnx_policy_outputs((268, 99, 176), (43, 191, 24), "not_larger")[:2] == ((37, 13, 24), (37, 14, 24))


def test_onnx_report_json_and_notes():
    result = interpolate(100, scale=0.29, framework="onnx")
    data = result.to_dict()
    assert data["layer"] == "onnx Resize" and data["mode"] == "nearest" and data["output"] == [28]
    assert data["axes"][0]["scale_used"] == float32(0.29)
    assert "onnxruntime 1.31 gives 29, not the spec's 28" in data["warnings"][0]
    assert any("not the size" in n for n in data["notes"])
    text = plain(interpolate_report(result))
    assert "floor(100 x float32 0.28999999165534973)" in text
    policy = plain(interpolate_report(interpolate("375,500", size="224,224", framework="onnx",
                                                  keep_aspect_ratio_policy="not_larger")))
    assert "round(375 x 0.448)" in policy and "keep_aspect_ratio_policy=not_larger" in policy
    corners = interpolate(37, scale=1.5, mode="linear", align_corners=True, framework="onnx")
    assert corners.axes[0].source_step == pytest.approx(36 / 54) and "align_corners" in corners.layer
    assert interpolate(37, size=55, mode="linear", framework="onnx").axes[0].scale_used is None  # from the sizes
    assert "DCR" in pixel_shuffle((1, 8, 2, 2), 2, framework="onnx").notes[0]


@pytest.mark.parametrize("call, message", [
    (lambda: interpolate(4, scale=2, framework="onnx", recompute_scale_factor=True),
     r"recompute_scale_factor is torch's; ONNX Resize has no such argument"),
    (lambda: interpolate(4, size=8, keep_aspect_ratio_policy="not_larger"),
     r"torch: keep_aspect_ratio_policy is ONNX Resize's; torch has no such argument"),
    (lambda: interpolate(4, size=8, framework="onnx", keep_aspect_ratio_policy="bogus"),
     r"Unknown value for `keep_aspect_ratio_policy`: bogus."),
    (lambda: interpolate(4, scale=1e30, framework="onnx"), r"does not fit int64"),
    (lambda: interpolate(4, scale=math.nan, framework="onnx"), r"Scale value should be greater than 0."),
    (lambda: interpolate(4, size=8, framework="jax", mode="linear", align_corners=True),
     r"jax: align_corners is torch's; jax.image.resize has no such argument"),
    (lambda: interpolate(4, size=8, framework="jax"), r"resize\(\) missing 1 required positional argument: 'method'"),
    (lambda: interpolate(4, scale=2, mode="linear", framework="jax"), r"jax.image.resize takes shape"),
])
def test_onnx_jax_argument_errors(call, message):
    with pytest.raises(ShapeError, match=message):
        call()


# ---------------------------------------------------------------------- jax golden values
# run for real in /work/venv-jo with jax 0.10.2 (CPU)
JAX_GATHER = "Slice size at index {} in gather op is out of range, must be within [0, 0 + 1), got 1."
JAX_RESIZE = [  # (input, shape, method, output or error) from jax.image.resize(zeros(input), shape, method)
    ((5, 7), (3, 11), 'nearest', (3, 11)),
    ((5, 7), (3, 11), 'linear', (3, 11)),
    ((5, 7), (3, 11), 'bilinear', (3, 11)),
    ((5, 7), (3, 11), 'trilinear', (3, 11)),
    ((5, 7), (3, 11), 'triangle', (3, 11)),
    ((5, 7), (3, 11), 'cubic', (3, 11)),
    ((5, 7), (3, 11), 'bicubic', (3, 11)),
    ((5, 7), (3, 11), 'tricubic', (3, 11)),
    ((5, 7), (3, 11), 'cubic-pytorch', (3, 11)),
    ((5, 7), (3, 11), 'bicubic-pytorch', (3, 11)),
    ((5, 7), (3, 11), 'lanczos3', (3, 11)),
    ((5, 7), (3, 11), 'lanczos5', (3, 11)),
    ((5, 7), (3, 11), 'area', (3, 11)),
    ((5, 7), (3, 11), 'bogus', 'Unknown resize method "bogus"'),
    ((64,), (128,), 'linear', (128,)),
    ((2, 3, 4), (4, 6, 8), 'trilinear', (4, 6, 8)),
    ((5,), (0,), 'linear', (0,)),
    ((5,), (0,), 'nearest', (0,)),
    ((5,), (-1,), 'linear', (0,)),
    ((5,), (-3,), 'nearest', (0,)),
    ((0,), (3,), 'linear', 'division by zero'),
    ((0,), (3,), 'nearest', JAX_GATHER.format(0)),
    ((0,), (0,), 'cubic', (0,)),
    ((0,), (-1,), 'nearest', (0,)),
    ((0,), (-1,), 'linear', 'division by zero'),
    ((0, 0), (3, 0), 'nearest', (3, 0)),
    ((0, 0), (3, 3), 'nearest', JAX_GATHER.format(1)),
    ((0, 2), (3, 2), 'nearest', JAX_GATHER.format(0)),
    ((2, 0), (2, 3), 'nearest', JAX_GATHER.format(1)),
    ((0, 2), (-1, 3), 'nearest', (0, 3)),
    ((0, 8, 0), (-2, 10, 10), 'nearest', (0, 10, 10)),
    ((0, 0, 7), (6, 11, 0), 'nearest', JAX_GATHER.format(1)),
    ((2, 0), (2, 3), 'lanczos3', 'division by zero'),
]


@pytest.mark.parametrize("shape, size, method, expected", JAX_RESIZE)
def test_golden_jax_resize(shape, size, method, expected):
    def call():
        return interpolate(list(shape), size=list(size), mode=method, framework="jax", ndim=len(shape))

    if isinstance(expected, str):
        with pytest.raises(ShapeError, match="^jax: " + re.escape(expected)):
            call()
    else:
        result = call()
        assert result.output == expected and result.layer == "jax.image.resize"
        assert result.antialias == (method != "nearest")  # jax's default antialias=True; nearest ignores it
        assert any("empty axis" in w for w in result.warnings) == any(s < 0 for s in size)


# ---------------------------------------------------------------------- properties
@given(st.integers(1, 10 ** 6), st.floats(0.01, 100, allow_nan=False))
def test_scaled_output_brackets_the_double_product(size, scale):
    out = scaled_output(size, scale)
    assert out <= size * scale < out + 1


@given(st.lists(st.integers(1, 200), min_size=1, max_size=3), st.integers(1, 8),
       st.sampled_from(["nearest", "nearest-exact", "area"]))
def test_integer_scale_multiplies(sizes, factor, mode):
    result = interpolate(sizes, scale=factor, mode=mode, ndim=len(sizes))
    assert result.output == tuple(i * factor for i in sizes)
    keras = interpolate(sizes, scale=factor, framework="keras", ndim=len(sizes))
    assert keras.output == result.output


@given(st.lists(st.integers(1, 300), min_size=2, max_size=2), st.lists(st.integers(1, 300), min_size=2, max_size=2),
       st.sampled_from(["nearest", "bilinear", "bicubic", "area", "nearest-exact"]))
def test_size_is_the_output(sizes, wanted, mode):
    assert interpolate(sizes, size=wanted, mode=mode).output == tuple(wanted)
    assert interpolate(sizes, size=wanted, framework="tf").output == tuple(wanted)


@given(st.lists(st.integers(1, 6), min_size=1, max_size=3), st.integers(1, 12), st.integers(1, 6),
       st.integers(1, 6), st.integers(1, 4))
def test_shuffle_round_trips_and_keeps_elements(lead, channels, h, w, r):
    shape = (*lead, channels * r * r, h, w)
    out = pixel_shuffle(shape, r).shape
    assert math.prod(out) == math.prod(shape)
    assert pixel_unshuffle(out, r).shape == shape
    if r >= 2:
        nhwc = (lead[0], h, w, channels * r * r)
        assert pixel_unshuffle(pixel_shuffle(nhwc, r, framework="tf").shape, r, framework="tf").shape == nhwc
    ncw = (lead[0], channels * r, w)
    assert pixel_unshuffle(pixel_shuffle(ncw, r, "NCW").shape, r, "NCW").shape == ncw
    nwc = (lead[0], w, channels * r)
    assert pixel_unshuffle(pixel_shuffle(nwc, r, "NWC", framework="tf").shape, r, "NWC", framework="tf").shape == nwc


@given(st.lists(st.integers(1, 50), min_size=1, max_size=3), st.floats(0.05, 4, allow_nan=False),
       st.sampled_from(["nearest", "linear", "bilinear", "bicubic", "trilinear", "area", "nearest-exact"]))
def test_json_contract_or_a_torch_rejection(sizes, scale, mode):
    try:
        result = interpolate(sizes, scale=scale, mode=mode, ndim=len(sizes))
    except ShapeError as exc:
        assert exc.framework == "torch" and exc.message
        return
    data = result.to_dict()
    assert {"op", "framework", "input", "output", "axes"} <= set(data)
    for axis in data["axes"]:
        assert {"input", "pad_before", "pad_after", "output", "scale_used", "source_step",
                "sampling_scale"} <= set(axis)
    assert plain(interpolate_report(result)).count("\n") > 3


def test_shuffle_json_and_report():
    data = pixel_shuffle("1x9x4x4", 3).to_dict()
    assert data["shape"] == [1, 1, 12, 12] and data["input_shape"] == [1, 9, 4, 4]
    assert data["input"] == [4, 4] and data["output"] == [12, 12]
    assert data["channels_in"] == 9 and data["channels_out"] == 1
    assert data["axes"][0] == {"input": 4, "factor": 3, "output": 12, "pad_before": 0, "pad_after": 0}
    text = plain(pixel_shuffle_report(pixel_shuffle((2, 3, 9, 4, 4), 3)))
    assert "batch" in text and "9 / 9" in text


@given(st.integers(0, 10 ** 5), st.floats(0.01, 100, allow_nan=False))
def test_onnx_spec_and_onnxruntime_differ_by_float32_rounding_only(size, scale):
    """Below 2**24 the float32 product is within one unit of the exact one, so onnxruntime's size is
    the spec's or one more/less; and the spec's floor brackets the product with the float32 scale."""
    spec = onnx_scaled_output(size, scale)
    assert spec <= size * float32(scale) < spec + 1
    assert abs(onnxruntime_scaled_output(size, scale) - spec) <= 1


@given(st.lists(st.integers(1, 500), min_size=1, max_size=3), st.lists(st.integers(1, 500), min_size=3, max_size=3),
       st.sampled_from(["not_larger", "not_smaller"]))
def test_onnx_policy_keeps_the_aspect_ratio(ins, wanted, policy):
    sizes = wanted[:len(ins)]
    out = interpolate(ins, size=sizes, framework="onnx", ndim=len(ins), keep_aspect_ratio_policy=policy).output
    fits = [o <= s for o, s in zip(out, sizes)] if policy == "not_larger" else [o >= s for o, s in zip(out, sizes)]
    assert all(fits) and any(o == s for o, s in zip(out, sizes))  # one axis takes its size, the others follow


@given(st.integers(0, 4), st.integers(0, 12), st.integers(0, 6), st.integers(0, 6), st.integers(1, 4))
def test_onnx_depth_to_space_has_torchs_shapes(n, channels, h, w, r):
    shape = (n, channels * r * r, h, w)
    assert pixel_shuffle(shape, r, framework="onnx").shape == pixel_shuffle(shape, r).shape
    assert pixel_unshuffle(pixel_shuffle(shape, r, framework="onnx").shape, r, framework="onnx").shape == shape


@given(st.lists(st.integers(1, 300), min_size=1, max_size=4), st.lists(st.integers(-3, 300), min_size=4, max_size=4),
       st.sampled_from(["nearest", "linear", "cubic", "lanczos3", "area"]))
def test_jax_output_is_the_shape(ins, wanted, method):
    sizes = wanted[:len(ins)]
    assert interpolate(ins, size=sizes, mode=method, framework="jax", ndim=len(ins)).output == \
        tuple(max(s, 0) for s in sizes)
