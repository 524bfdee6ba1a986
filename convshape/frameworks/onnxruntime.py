"""onnxruntime's CPU execution provider: the ONNX operators as onnxruntime runs them. Derives from
:mod:`convshape.frameworks.onnx` (the operator spec) and overrides only where the runtime differs."""

from __future__ import annotations

from convshape.frameworks import onnx
from convshape.frameworks.base import Framework


class Conv(onnx.Conv):
    name = "onnxruntime"
    title = "onnxruntime (CPU provider)"


class Pool(onnx.Pool):
    name = "onnxruntime"
    title = "onnxruntime (CPU provider)"


CONV = Conv()
POOL = Pool()
FRAMEWORK = Framework("onnxruntime", "onnxruntime", "onnxruntime 1.32 (CPUExecutionProvider)", CONV, POOL)
