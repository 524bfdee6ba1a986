"""Keras DepthwiseConv / SeparableConv with strides > 1 and dilation > 1: recorded on keras 3.15.1 /
tensorflow-cpu 2.21 by tests/data/generate_keras_depthwise.py. Keras's base_conv.py refuses that pair
for Conv1D-3D, but the depthwise and separable layers run it (the TensorFlow backend decomposes it:
keras/src/backend/tensorflow/nn.py ``_depthwise_conv_stride_dilation_decomposition``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from convshape.api.conv import conv
from convshape.errors import ShapeError
from convshape.network.evaluate import chain

RECORDS: list[dict[str, Any]] = json.loads(
    (Path(__file__).parent / "data" / "observed_keras_depthwise.json").read_text())["records"]


def convshape_output(r: dict[str, Any]) -> list[int] | str:
    tensor = "x".join(map(str, [1, *r["input"], r["channels"]]))
    try:
        result = conv(tensor, r["kernel"], r["stride"], r["padding"], r["dilation"], framework="keras",
                      depth_multiplier=r["depth_multiplier"],
                      out_channels=r["filters"] if r["layer"] == "Separable" else None)
    except ShapeError as exc:
        return exc.rule
    assert result.tensor is not None
    return list(result.tensor.output[1:])


def test_the_recording_has_the_decomposed_case() -> None:
    decomposed = [r for r in RECORDS if max(r["stride"]) > 1 and max(r["dilation"]) > 1 and "output" in r["eager"]]
    assert len(decomposed) >= 100


@pytest.mark.parametrize("record", RECORDS, ids=lambda r: f"{r['layer']}{len(r['input'])}d-{r['input']}-"
                         f"k{r['kernel']}-s{r['stride']}-d{r['dilation']}-{r['padding']}")
def test_depthwise_and_separable_match_keras(record: dict[str, Any]) -> None:
    got = convshape_output(record)
    eager = record["eager"]  # what running the layer gives (a model's build-time shape is "output")
    if "output" in eager:
        assert got == eager["output"], (got, eager)
    elif "equal length strides" in eager["error"]:  # DepthwiseConv2dNative at call time (unequal strides)
        assert got == "stride", got
    else:
        assert "zero or negative" in eager["error"] and isinstance(got, str), (got, eager)


def test_a_chain_takes_a_strided_dilated_depthwise_layer() -> None:
    # DepthwiseConv1D(3, strides=4, dilation_rate=3, padding="same") on 17 steps: 5 (recorded above)
    report = chain("1x17x2", ["depthwise-conv1d k=3 s=4 d=3 p=same"], framework="keras")
    assert report.output == (1, 5, 2)
