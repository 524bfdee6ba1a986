"""convshape: the shape arithmetic of convolution layers, as each framework applies it."""

from __future__ import annotations

__version__ = "0.1.0"

from convshape.api.conv import ConvResult, ConvTransposeResult, conv, conv_transpose  # noqa: E402
from convshape.errors import ShapeError  # noqa: E402

# pooling, unpooling, resampling, networks and pictures load on first use, so the conv commands' start-up stays small
_LAZY = {"list_frameworks": "api.frameworks", "FrameworkInfo": "api.frameworks", "FrameworksResult": "api.frameworks",
         "pool": "api.pooling", "pool_compare": "api.pooling", "PoolResult": "api.pooling",
         "PoolCompareResult": "api.pooling",
         "interpolate": "api.resample", "upsample": "api.resample", "pixel_shuffle": "api.resample",
         "pixel_unshuffle": "api.resample", "InterpolateResult": "api.resample", "PixelShuffleResult": "api.resample",
         "adaptive_pool": "api.unpool", "fractional_max_pool": "api.unpool", "max_unpool": "api.unpool",
         "AdaptivePoolResult": "api.unpool", "FractionalResult": "api.unpool", "UnpoolResult": "api.unpool",
         "network": "models", "chain": "network.evaluate", "check": "models",
         "NetworkReport": "network.evaluate",
         "CheckReport": "network.evaluate", "sweep": "models", "SweepResult": "network.sweep",
         "explain_layer": "api.explain", "explain_result": "api.explain", "ExplainResult": "api.explain",
         "solve": "api.solve", "SolveResult": "api.solve"}


def __getattr__(name: str) -> object:
    if name in _LAZY:
        from importlib import import_module

        return getattr(import_module(f"convshape.{_LAZY[name]}"), name)
    raise AttributeError(f"module 'convshape' has no attribute {name!r}")


__all__ = ["ConvResult", "ConvTransposeResult", "ShapeError", "__version__", "conv", "conv_transpose", *_LAZY]
