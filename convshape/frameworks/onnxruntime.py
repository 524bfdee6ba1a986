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


class Resample(onnx.Resample):
    """Resize's sizes as onnxruntime computes them, in float32 (upsamplebase.h ``ComputeOutputShape``,
    ``AdjustOutputSizeAsPolicy``); the spec's are named in a warning where they differ."""

    name = "onnxruntime"
    runtime = True


class Adaptive(onnx.Adaptive):
    name = "onnxruntime"


class Unpool(onnx.Unpool):
    name = "onnxruntime"


CONV = Conv()
POOL = Pool()
FRAMEWORK = Framework("onnxruntime", "onnxruntime", "onnxruntime 1.32 (CPUExecutionProvider)", CONV, POOL,
                      resample=Resample(), adaptive=Adaptive(), unpool=Unpool())
