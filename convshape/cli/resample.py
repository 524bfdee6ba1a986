"""CLI commands for interpolation / upsampling and pixel (un)shuffle: thin layers over convshape.api.resample."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from convshape import params
from convshape.api import resample
from convshape.cli.common import FrameworkChoice, RuleBadParameter, epilog, formulas_option, layer_args, run
from convshape.errors import Rule, ShapeError
from convshape.ops import OPS

INTERPOLATE_EPILOG = epilog(
    "{name} --i 37 --scale 1.5",
    "{name} --i 64,48 --scale 1/3 --mode bilinear --recompute-scale-factor --json",
    "{name} --i 28,28 --scale 2 -f keras --mode bilinear",
    "{name} --i 375,500 --size 224,224 -f tf",
    "{name} --i 375,500 --size 224,224 -f keras --crop-to-aspect-ratio",
    "{name} --i 375,500 --size 224,224 -f onnx --keep-aspect-ratio-policy not_larger",
    notes="Frameworks: torch (F.interpolate / nn.Upsample), keras (UpSampling1D/2D/3D: --scale is its\n"
          "integer size factor; Resizing: --size is height,width), tf (tf.image.resize: --size only),\n"
          "onnx (Resize: --scale or --size),\n"
          "jax (jax.image.resize: --size and --mode only). caffe has none (a Deconvolution: conv-transpose2d).")

RANKED_EPILOG = {
    1: epilog("upsample1d --i 37 --scale 2", "upsample1d --i 37 --scale 1.5 --mode linear --json",
              "upsample1d --i 100 --scale 3 -f keras",
              notes="One spatial axis (torch nn.Upsample on N, C, W; keras UpSampling1D)."),
    2: epilog("upsample2d --i 64 --scale 2", "upsample2d --i 64,48 --scale 1/3 --mode bilinear --json",
              "upsample2d --i 28 --scale 2 -f keras --mode bilinear",
              notes="Two spatial axes (torch nn.Upsample on N, C, H, W; keras UpSampling2D): one value applies to "
                    "both."),
    3: epilog("upsample3d --i 16 --scale 2", "upsample3d --i 16,32,32 --scale 2 --mode trilinear --json",
              "upsample3d --i 8 --scale 2 -f keras",
              notes="Three spatial axes (torch nn.Upsample on N, C, D, H, W; keras UpSampling3D): one value applies "
                    "to all three."),
}

SHUFFLE_EPILOG = epilog(
    "pixel-shuffle --input 1x9x4x4 --r 3",
    "pixel-shuffle --input 2x8x8x12 --r 2 -f tf --json",
    "pixel-shuffle --input 64x8192x32 --r 2 -f tf --data-format NWC",
    "pixel-unshuffle --input 1x1x12x12 --r 3",
    notes="Layouts: torch NCHW (any leading dims); tf NHWC (default) or NCHW (GPU only); keras NHWC\n"
          "(default) or NCHW; onnx NCHW (DepthToSpace / SpaceToDepth); 1-D sub-pixel recipes (the\n"
          "sub-pixel convolution of Shi et al., CVPR 2016, on one axis): NWC with tf (SubPixel1D), NCW with\n"
          "torch (PixelShuffle1D, as torch.nn.PixelShuffle on one axis). jax and caffe have no such op (exit 1).")


def _parsed(parse: Callable[[Any], Any]) -> Callable[[click.Context, click.Parameter, Any], Any]:
    """A click callback running the API's own parser, so a malformed value is a usage error (exit 2)."""

    def callback(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
        if value is None:
            return None
        try:
            return parse(value)
        except ShapeError as exc:
            raise RuleBadParameter(exc.message, exc.rule) from None

    return callback


def make_interpolate(name: str) -> click.Command:
    """``interpolate`` / ``upsample`` (any rank), or ``upsample1d/2d/3d`` (the rank its name fixes)."""
    rank = int(name[-2]) if name[-1] == "d" and name[-2].isdigit() else None
    api = resample.upsample if name.startswith("upsample") else resample.interpolate
    layer = "torch.nn.Upsample" if name.startswith("upsample") else "torch.nn.functional.interpolate"
    implied = dict(OPS[name].defaults) if name in OPS else {}  # UpsamplingBilinear2d: bilinear, align_corners=True
    if implied:
        layer = "torch.nn.UpsamplingBilinear2d: Upsample(mode='bilinear', align_corners=True)"

    @click.command(name, epilog=INTERPOLATE_EPILOG.format(name=name) if rank is None else RANKED_EPILOG[rank])
    @click.option("--i", "--input", "input", required=True, metavar="N[,N...]",
                  help="Input size per spatial axis (one value applies to every axis).")
    @click.option("--size", "--o", "--output-size", "size", default=None, metavar="N[,N...]",
                  help="Output size per axis.")
    @click.option("--scale", "--scale-factor", "scale", default=None, metavar="S[,S...]",
                  callback=_parsed(lambda v: ",".join(str(x) for x in params.number_values(v) or ())),
                  help="Scale factor per axis: 2, 1.5, 1/3 or 2,1.5 (keras: integer factor).")
    @click.option("--mode", "mode", default=None, type=click.Choice(resample.MODES, case_sensitive=False),
                  help="Interpolation mode. Default: the framework's (torch/onnx/keras UpSampling nearest, "
                       "tf/keras Resizing bilinear; jax needs one).")
    @click.option("--align-corners/--no-align-corners", "align_corners", default=None,
                  help="torch: linear, bilinear, bicubic, trilinear only; onnx: coordinate_transformation_mode.")
    @click.option("--recompute-scale-factor/--no-recompute-scale-factor", "recompute_scale_factor", default=None,
                  help="torch: sample at the recomputed output/input ratio instead of the given scale.")
    @click.option("--antialias", "antialias", is_flag=True,
                  help="torch interpolate (bilinear, bicubic, lanczos), tf, keras Resizing, onnx (linear, cubic).")
    @click.option("--keep-aspect-ratio-policy", "keep_aspect_ratio_policy", default=None,
                  type=click.Choice(resample.POLICIES, case_sensitive=False),
                  help="onnx with --size: stretch (default), or one scale for all axes: not_larger / not_smaller.")
    @click.option("--crop-to-aspect-ratio", "crop_to_aspect_ratio", is_flag=True,
                  help="keras Resizing: resize the centred window with the output's aspect ratio (same output).")
    @click.option("--pad-to-aspect-ratio", "pad_to_aspect_ratio", is_flag=True,
                  help="keras Resizing: pad the input to the output's aspect ratio first (same output).")
    @click.option("--ndim", "ndim", default=rank, type=click.IntRange(1, 3), hidden=rank is not None,
                  help="Spatial axes when every value is a single number (default: the mode's, else 1; tf and "
                       "keras --size 2).")
    @click.option("-f", "--framework", "framework", default="torch", show_default=True,
                  type=FrameworkChoice(), help="Whose rules to apply.")
    @click.option("--json", "as_json", is_flag=True, help="Print one JSON object and nothing else.")
    @formulas_option
    def command(input: str, size: str | None, scale: str | None, mode: str | None, align_corners: bool | None,
                recompute_scale_factor: bool | None, antialias: bool, keep_aspect_ratio_policy: str | None,
                crop_to_aspect_ratio: bool, pad_to_aspect_ratio: bool, ndim: int | None, framework: str,
                as_json: bool, formulas: bool) -> None:
        def compute() -> Any:
            if rank is not None and ndim != rank:
                raise ShapeError(f"{name} has {rank} spatial axes, but got ndim={ndim}", rule=Rule.AXIS_COUNT,
                                 values={"ndim": ndim})
            return api(input, size, scale, implied.get("mode") if mode is None else mode,
                       implied.get("align_corners") if align_corners is None else align_corners,
                       recompute_scale_factor, antialias,
                       framework=framework, ndim=ndim, keep_aspect_ratio_policy=keep_aspect_ratio_policy,
                       crop_to_aspect_ratio=crop_to_aspect_ratio, pad_to_aspect_ratio=pad_to_aspect_ratio)

        run(as_json, compute, "render.resample.interpolate_report",
            formulas=layer_args(formulas, size=size, scale=scale,
                                mode=implied.get("mode") if mode is None else mode,
                                align_corners=implied.get("align_corners") if align_corners is None else align_corners,
                                recompute_scale_factor=recompute_scale_factor, antialias=antialias or None,
                                # options a spec's layer has no key for: the formulas say so
                                keep_aspect_ratio_policy=keep_aspect_ratio_policy,
                                crop_to_aspect_ratio=crop_to_aspect_ratio or None,
                                pad_to_aspect_ratio=pad_to_aspect_ratio or None))

    command.help = (f"Output size of an interpolation / upsampling layer ({layer} by default) per axis, with the "
                    f"framework's exact float rounding, and the scale each axis samples with."
                    + (f" {rank} spatial axes (UpSampling{rank}D): one value applies to every axis." if rank else ""))
    return command


def make_pixel_shuffle(unshuffle: bool) -> click.Command:
    name = "pixel-unshuffle" if unshuffle else "pixel-shuffle"
    api = resample.pixel_unshuffle if unshuffle else resample.pixel_shuffle

    @click.command(name, epilog=SHUFFLE_EPILOG.format(name=name))
    @click.option("--i", "--input", "input", required=True, metavar="SHAPE",
                  callback=_parsed(params.tensor_shape),
                  help="The whole input tensor shape, channels included: 1x9x4x4 or 1,9,4,4.")
    @click.option("--r", "--factor", "factor", required=True, metavar="R",
                  callback=_parsed(lambda v: params.parse_int(v, "factor")),
                  help=("Downscale" if unshuffle else "Upscale") + " factor (torch *scale_factor, tf block_size).")
    @click.option("--data-format", "data_format", default=None,
                  type=click.Choice(resample.DATA_FORMATS, case_sensitive=False),
                  help="Layout. Default: torch/onnx NCHW, tf/keras NHWC; NWC (tf) / NCW (torch) are the 1-D "
                       "recipes.")
    @click.option("-f", "--framework", "framework", default="torch", show_default=True,
                  type=FrameworkChoice(), help="Whose rules to apply.")
    @click.option("--json", "as_json", is_flag=True, help="Print one JSON object and nothing else.")
    @formulas_option
    def command(input: tuple[int, ...], factor: int, data_format: str | None, framework: str, as_json: bool,
                formulas: bool) -> None:
        run(as_json, lambda: api(input, factor, data_format, framework=framework),
            "render.resample.pixel_shuffle_report", formulas=layer_args(formulas, factor=factor))

    command.help = ("Whole output shape of a pixel " + ("unshuffle (space-to-depth): channels x r^2, height and "
                    "width / r." if unshuffle else "shuffle (sub-pixel, depth-to-space): channels / r^2, height "
                    "and width x r."))
    return command
