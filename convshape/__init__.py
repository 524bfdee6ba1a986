"""convshape: the shape arithmetic of convolution layers, as each framework applies it."""

from __future__ import annotations

__version__ = "0.1.0"

from .api import ConvResult, ConvTransposeResult, conv, conv_transpose, frameworks  # noqa: E402
from .errors import ShapeError  # noqa: E402

# pooling, unpooling, resampling, networks and pictures load on first use, so the conv commands' start-up stays small
_LAZY = {"pool": "pooling", "pool_compare": "pooling", "PoolResult": "pooling", "PoolCompareResult": "pooling",
         "interpolate": "resample", "upsample": "resample", "pixel_shuffle": "resample",
         "pixel_unshuffle": "resample", "InterpolateResult": "resample", "PixelShuffleResult": "resample",
         "adaptive_pool": "unpool", "fractional_max_pool": "unpool", "max_unpool": "unpool",
         "AdaptivePoolResult": "unpool", "FractionalResult": "unpool", "UnpoolResult": "unpool",
         "network": "networks", "chain": "networks", "check": "networks", "NetworkReport": "networks",
         "CheckReport": "networks", "sweep": "sweeps", "SweepResult": "sweeps",
         "explain_layer": "explain", "explain_result": "explain", "ExplainResult": "explain",
         "solve": "solver", "SolveResult": "solver"}


def __getattr__(name: str) -> object:
    if name in _LAZY:
        from importlib import import_module

        return getattr(import_module(f"convshape.{_LAZY[name]}"), name)
    raise AttributeError(f"module 'convshape' has no attribute {name!r}")


__all__ = ["ConvResult", "ConvTransposeResult", "ShapeError", "__version__", "conv", "conv_transpose", "frameworks",
           *_LAZY]
