"""Random chains of spatial ONNX ops (Conv, ConvTranspose, MaxPool, AveragePool, Pad, Resize,
Concat skips) with random attributes, built with onnx.helper, against onnxruntime at every input
size 1..24: the same sizes accepted and the same output shape, for every chain."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from onnx_tools import agreement, make_model, require

SEED = 11
CHAINS = 120

#: chain 111: a Resize by 0.5 empties an axis (1 -> 0) that feeds a ConvTranspose, which onnxruntime
#: runs (output s*(0-1) + d*(k-1) + 1 = 1), as convshape's -f onnxruntime does (test_empty_input_...)
EMPTY_INTO_TRANSPOSED = 111


def random_chain(rng: random.Random) -> tuple[list[Any], list[Any], int]:
    """(nodes, initializers, opset): 1 to 4 spatial layers on a (N, 2, H, W) input, maybe a skip."""
    helper = require("onnx").helper
    nodes: list[Any] = []
    inits: list[Any] = []
    current, channels = "x", 2
    for i in range(rng.randint(1, 4)):
        kind = rng.choice(["conv", "conv", "transpose", "maxpool", "avgpool", "pad", "resize"])
        out = f"t{i}"
        k = [rng.randint(1, 4), rng.randint(1, 4)]
        s = [rng.randint(1, 3), rng.randint(1, 3)]
        d = [rng.randint(1, 2), rng.randint(1, 2)]
        attrs: dict[str, Any] = {"kernel_shape": k, "strides": s}
        auto = rng.choice(["NOTSET", "NOTSET", "SAME_UPPER", "SAME_LOWER", "VALID"])
        if auto != "NOTSET":
            attrs["auto_pad"] = auto
        else:
            attrs["pads"] = [rng.randint(0, 2) for _ in range(4)]
        if kind in ("conv", "transpose"):
            attrs["dilations"] = d
            w = f"w{i}"
            shape = [channels, 2, *k] if kind == "transpose" else [2, channels, *k]
            inits.append(helper.make_tensor(w, 1, shape, [0.0] * (shape[0] * shape[1] * k[0] * k[1])))
            if kind == "transpose" and rng.random() < 0.4:
                attrs["output_padding"] = [rng.randint(0, 1), rng.randint(0, 1)]
            nodes.append(helper.make_node("Conv" if kind == "conv" else "ConvTranspose", [current, w], [out],
                                          **attrs))
            channels = 2
        elif kind in ("maxpool", "avgpool"):
            attrs["ceil_mode"] = rng.randint(0, 1)
            if kind == "maxpool":
                attrs["dilations"] = d
            else:
                attrs["count_include_pad"] = rng.randint(0, 1)
            if "pads" in attrs:  # onnxruntime refuses a pad not smaller than the kernel: keep some of those
                attrs["pads"] = [min(p, rng.choice([kk - 1, kk])) for p, kk in zip(attrs["pads"], k + k)]
            nodes.append(helper.make_node("MaxPool" if kind == "maxpool" else "AveragePool", [current], [out],
                                          **attrs))
        elif kind == "pad":
            pads = [0, 0, rng.randint(-1, 2), rng.randint(-1, 2), 0, 0, rng.randint(-1, 2), rng.randint(-1, 2)]
            inits.append(helper.make_tensor(f"p{i}", 7, [8], pads))
            nodes.append(helper.make_node("Pad", [current, f"p{i}"], [out], mode=rng.choice(["constant", "edge"])))
        else:
            scales = [1.0, 1.0, rng.choice([0.5, 0.75, 1.5, 2.0, 1.3]), rng.choice([0.5, 2.0, 2.5, 0.4])]
            inits.append(helper.make_tensor(f"s{i}", 1, [4], scales))
            nodes.append(helper.make_node("Resize", [current, "", f"s{i}"], [out], mode="nearest"))
        if i and rng.random() < 0.25 and channels == 2:  # a skip back to the input: sizes must align
            nodes.append(helper.make_node("Concat", [out, "x"], [f"c{i}"], axis=1))
            out, channels = f"c{i}", 4
        current = out
    nodes.append(helper.make_node("Identity", [current], ["y"]))
    return nodes, inits, 18


def chains() -> list[int]:
    return list(range(CHAINS))


@pytest.mark.parametrize("index", chains())
def test_random_chain_agrees_with_onnxruntime(tmp_path: Path, index: int) -> None:
    import test_onnx_models as shared

    rng = random.Random(SEED * 1000 + index)
    nodes, inits, opset = random_chain(rng)
    path = make_model(tmp_path / "chain.onnx", nodes, [shared.x_input(2)], [shared.y_output()], inits, opset=opset)
    accepted, _ = agreement(path, range(1, 25))
    if index == EMPTY_INTO_TRANSPOSED:
        assert accepted == 24 and any(n.op_type == "ConvTranspose" for n in nodes)


def test_empty_input_into_conv_transpose_agrees_with_onnxruntime(tmp_path: Path) -> None:
    """ConvTranspose on an empty spatial axis (1x1x0x3), 300 random attribute sets: onnxruntime runs
    it where the computed output s*(0-1) + d*(k-1) + 1 + output_padding - pads is positive and
    output_padding is 0, refuses it with output_shape ('Input spatial dimension must be positive')
    and with output_padding > 0 ('inconsistent ... Expected input size 1'): convshape -f onnxruntime
    accepts and refuses the same, the same output shape, the same message."""
    import numpy as np

    helper = require("onnx").helper
    from onnx_tools import session

    from convshape.models.onnx_model import open_model, resolve_inputs

    rng = random.Random(5)
    ran = 0
    for case in range(300):
        k, s, d = rng.randint(1, 4), rng.randint(1, 3), rng.randint(1, 2)
        attrs: dict[str, Any] = {"kernel_shape": [k, 1], "strides": [s, 1], "dilations": [d, 1]}
        auto = rng.choice(["NOTSET", "NOTSET", "SAME_UPPER", "SAME_LOWER", "VALID"])
        if auto != "NOTSET":
            attrs["auto_pad"] = auto
        else:
            attrs["pads"] = [rng.randint(0, 2), 0, rng.randint(0, 2), 0]
        if rng.random() < 0.4:
            attrs["output_padding"] = [rng.randint(0, 1), 0]
        if rng.random() < 0.2:
            attrs["output_shape"] = [rng.randint(1, 8), 3]
        node = helper.make_node("ConvTranspose", ["x", "w"], ["y"], **attrs)
        w = helper.make_tensor("w", 1, [1, 1, k, 1], [0.0] * k)
        path = make_model(tmp_path / f"t{case}.onnx", [node], [helper.make_tensor_value_info("x", 1, [1, 1, "H", "W"])],
                          [helper.make_tensor_value_info("y", 1, None)], [w], opset=18)
        try:
            theirs: list[int] | str = list(session(path).run(None, {"x": np.zeros((1, 1, 0, 3), np.float32)})[0].shape)
        except Exception as exc:  # noqa: BLE001 - onnxruntime's refusal, its message compared below
            theirs = str(exc)
        model = open_model(path)
        shape = (1, 1, 0, 3)
        inputs = resolve_inputs(model.graph, shape)
        failed = model.failure(shape, inputs)
        if isinstance(theirs, str):
            assert failed is not None and failed[2].split(":")[0] in theirs, (attrs, theirs, failed)
            continue
        assert failed is None, (attrs, theirs, failed)
        assert list(model.outputs(shape, inputs)["y"] or ()) == theirs, attrs
        ran += 1
    assert 20 < ran < 100, ran  # both outcomes are exercised
