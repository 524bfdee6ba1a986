"""Run a port: build the ONNX model from a TranslateResult's steps (onnx.helper) or exec its torch code."""

from __future__ import annotations

from typing import Any


def onnx_model(steps: Any, w: Any, b: Any, x_shape: tuple[int, ...]) -> Any:
    """The ModelProto of a port's ONNX steps (graph input ``x``, output ``y``), from the steps' data only."""
    import numpy as np
    from onnx import TensorProto, helper, numpy_helper

    nodes = []
    inits = [] if w is None else [numpy_helper.from_array(w, "w"), numpy_helper.from_array(b, "b")]
    current = "x"
    for j, step in enumerate(steps):
        out = "y" if j == len(steps) - 1 else f"t{j}"
        params = dict(step.params)
        if step.name == "Resize":  # sizes (N and C from the input) or scales as initializers
            attrs = {k: v for k, v in params.items() if k not in ("sizes", "scales")}
            if "scales" in params:
                inits.append(numpy_helper.from_array(np.array(params["scales"], np.float32), f"scales{j}"))
                nodes.append(helper.make_node("Resize", [current, "", f"scales{j}"], [out], **attrs))
            else:
                sizes = [x_shape[0], x_shape[1], *params["sizes"][2:]]
                inits.append(numpy_helper.from_array(np.array(sizes, np.int64), f"sizes{j}"))
                nodes.append(helper.make_node("Resize", [current, "", "", f"sizes{j}"], [out], **attrs))
        elif step.name == "Mul":  # a constant: per axis factors multiplied together (an LP pool's ceil_mode scale)
            factors = params["factors"]
            scale = np.ones((1, 1) + tuple(len(f) for f in factors), np.float32)
            for axis, f in enumerate(factors):
                shape = [1] * (len(factors) + 2)
                shape[2 + axis] = -1
                scale = scale * np.array(f, np.float32).reshape(shape)
            inits.append(numpy_helper.from_array(scale.astype(np.float32), f"scale{j}"))
            nodes.append(helper.make_node("Mul", [current, f"scale{j}"], [out]))
        elif step.name == "Gather":  # a channel permutation: its indices an initializer
            inits.append(numpy_helper.from_array(np.array(params["indices"], np.int64), f"perm{j}"))
            nodes.append(helper.make_node("Gather", [current, f"perm{j}"], [out], axis=params["axis"]))
        elif step.name == "Pad":
            inits.append(numpy_helper.from_array(np.array(params["pads"], np.int64), f"pads{j}"))
            inputs = [current, f"pads{j}"]
            if step.value == "-inf":
                inits.append(numpy_helper.from_array(np.array(-np.inf, np.float32), f"lowest{j}"))
                inputs.append(f"lowest{j}")
            nodes.append(helper.make_node("Pad", inputs, [out], mode="constant"))
        else:
            attrs = {k: (list(v) if isinstance(v, tuple) else v) for k, v in params.items()}
            nodes.append(helper.make_node(step.name, [current] + (["w", "b"] if w is not None else []), [out],
                                          **attrs))
        current = out
    graph = helper.make_graph(nodes, "port", [helper.make_tensor_value_info("x", TensorProto.FLOAT, list(x_shape))],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)], inits)
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 19)], ir_version=9)


def _session_options() -> Any:
    """One thread, no graph rewrites: thousands of tiny models on a shared machine, where onnxruntime's thread
    pool and optimiser cost more than the model (4.8 ms -> 0.8 ms a session); the nodes run as written."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = options.inter_op_num_threads = 1
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
    return options


def run_onnx(model: Any, x: Any) -> Any:
    import onnxruntime as ort

    session = ort.InferenceSession(model.SerializeToString(), _session_options(), providers=["CPUExecutionProvider"])
    return session.run(["y"], {"x": x})[0]


def single_threaded_torch() -> None:
    """Tiny convolutions and pools: torch's thread pool costs ~40 ms a call on a loaded 2-core machine, one
    thread 0.01 ms (as tests/test_torch_explain_differential.py sets it)."""
    import torch

    torch.set_num_threads(1)


def exec_torch(code: str, x: Any, weights: dict[str, Any], b: Any) -> Any:
    import torch

    scope: dict[str, Any] = {"x": torch.from_numpy(x), "b": b, **weights}
    with torch.no_grad():
        exec(code, scope)
    return scope["y"].detach().numpy()


def caffe_pool(x: Any, params: dict[str, Any]) -> Any:
    """BVLC Caffe's Pooling layer (MAX / AVE) in numpy, line by line from caffe/src/caffe/layers/pooling_layer.cpp
    (Reshape: the pooled size with round_mode, and ``if (pad_h_ || pad_w_)`` the drop of a last window starting at
    or past ``height_ + pad_h_``; Forward_cpu: MAX over the window clipped to the input from -FLT_MAX, AVE divides by
    the window clipped to the padded input). Caffe itself is not installed: this is the reference the Caffe ports
    are checked against, not an observation."""
    import math

    import numpy as np

    kh, kw, sh, sw = params["kernel_h"], params["kernel_w"], params["stride_h"], params["stride_w"]
    ph, pw = params["pad_h"], params["pad_w"]
    ceil = params["round_mode"] == "CEIL"
    _, _, height, width = x.shape
    rnd = math.ceil if ceil else math.floor
    pooled_h = int(rnd((height + 2 * ph - kh) / sh)) + 1
    pooled_w = int(rnd((width + 2 * pw - kw) / sw)) + 1
    if ph or pw:
        if (pooled_h - 1) * sh >= height + ph:
            pooled_h -= 1
        if (pooled_w - 1) * sw >= width + pw:
            pooled_w -= 1
    y = np.empty((*x.shape[:2], pooled_h, pooled_w), np.float32)
    for i in range(pooled_h):
        for j in range(pooled_w):
            hs, ws = i * sh - ph, j * sw - pw
            if params["pool"] == "MAX":
                he, we = min(hs + kh, height), min(ws + kw, width)
                hs, ws = max(hs, 0), max(ws, 0)
                window = x[:, :, hs:he, ws:we].reshape(*x.shape[:2], -1)
                y[:, :, i, j] = np.max(window, axis=2, initial=-np.finfo(np.float32).max)
            else:
                he, we = min(hs + kh, height + ph), min(ws + kw, width + pw)
                size = (he - hs) * (we - ws)
                hs, ws, he, we = max(hs, 0), max(ws, 0), min(he, height), min(we, width)
                y[:, :, i, j] = x[:, :, hs:he, ws:we].sum(axis=(2, 3)) / size
    return y
