"""Shared by the ONNX model tests: onnxruntime runs a model, convshape must agree."""

from __future__ import annotations

import os
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from convshape.models.onnx_model import open_model, resolve_inputs


def require(name: str) -> ModuleType:
    """A test extra, or a skip where it is missing; CI (CONVSHAPE_REQUIRE_TORCH) makes it an error."""
    if os.environ.get("CONVSHAPE_REQUIRE_TORCH"):
        import importlib

        return importlib.import_module(name)
    return pytest.importorskip(name)


def session(path: str) -> Any:
    ort = require("onnxruntime")
    options = ort.SessionOptions()
    options.log_severity_level = 4
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
    return ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])


def ort_outputs(sess: Any, shape: tuple[int, ...]) -> list[tuple[int, ...]] | str:
    """onnxruntime's output shapes for a zero input of ``shape``, or its error message."""
    np = require("numpy")
    name = sess.get_inputs()[0].name
    try:
        return [tuple(o.shape) for o in sess.run(None, {name: np.zeros(shape, np.float32)})]
    except Exception as exc:  # noqa: BLE001 - onnxruntime raises its own Fail / InvalidArgument types
        return str(exc)


def agreement(path: str, sizes: range, framework: str = "onnxruntime") -> tuple[int, int]:
    """Run onnxruntime and convshape at every size (every spatial axis = n); assert they agree.
    Returns (sizes accepted, sizes tried)."""
    model = open_model(path, framework)
    try:
        sess = session(path)
    except Exception as exc:  # noqa: BLE001 - onnxruntime refuses the model when it loads it: every size
        for n in sizes:
            dims = model.graph.inputs[0].dims or ()
            shape = tuple(1 if i == 0 else (n if i >= 2 else d) for i, d in enumerate(dims))
            failed = model.failure(shape, resolve_inputs(model.graph, shape))  # type: ignore[arg-type]
            assert failed is not None, f"onnxruntime refuses the model ({str(exc)[-200:]}) but convshape runs {shape}"
        return 0, len(sizes)
    declared = sess.get_inputs()[0].shape
    accepted = 0
    for n in sizes:
        shape = tuple(1 if i == 0 else (n if i >= 2 else int(d)) for i, d in enumerate(declared))
        theirs = ort_outputs(sess, shape)
        inputs = resolve_inputs(model.graph, shape)
        failed = model.failure(shape, inputs)
        where = f"{Path(path).name} at {shape}"
        if isinstance(theirs, str):
            assert failed is not None, f"onnxruntime rejects ({theirs[-300:]}) but convshape accepts: {where}"
            continue
        assert failed is None, f"onnxruntime gives {theirs} but convshape rejects ({failed}): {where}"
        assert list(model.outputs(shape, inputs).values()) == theirs, where
        accepted += 1
    return accepted, len(sizes)


def make_model(path: Path, nodes: list[Any], inputs: list[Any], outputs: list[Any], initializers: list[Any] = (),
               opset: int = 17) -> str:
    """An onnx.helper model saved at ``path`` (ir_version 8: onnxruntime 1.32 reads it)."""
    onnx = require("onnx")
    helper = onnx.helper
    graph = helper.make_graph(nodes, "g", inputs, outputs, list(initializers))
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)], ir_version=8)
    onnx.save(model, str(path))
    return str(path)
