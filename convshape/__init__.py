"""convshape: the shape arithmetic of convolution layers, as each framework applies it."""

from __future__ import annotations

__version__ = "0.1.0"

from .api import ConvResult, ConvTransposeResult, conv, conv_transpose, frameworks  # noqa: E402
from .errors import ShapeError  # noqa: E402

__all__ = ["ConvResult", "ConvTransposeResult", "ShapeError", "__version__", "conv", "conv_transpose", "frameworks"]
