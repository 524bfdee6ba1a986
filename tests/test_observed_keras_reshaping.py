"""Keras ZeroPadding1D-3D, Cropping1D-3D, UpSampling1D-3D and tf.pad as chain layers, against what keras
3.15.1 / tensorflow-cpu 2.21.0 did (tests/data/generate_keras_reshaping.py). Keras refuses a negative
amount in ZeroPadding and Cropping (argument_validation.standardize_tuple), and tf.pad refuses one
("Paddings must be non-negative"), where torch's F.pad crops."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from convshape.network.evaluate import chain

DOC = json.loads((Path(__file__).parent / "data" / "observed_keras_reshaping.json").read_text())
RECORDS: list[dict[str, Any]] = DOC["records"]


def layer_line(r: dict[str, Any]) -> str:
    n = len(r["input"])
    args = r["args"]
    if r["layer"].startswith("UpSampling"):
        mode = f" mode={args['interpolation']}" if "interpolation" in args else ""
        return f"upsample{n}d scale={','.join(map(str, args['size']))}{mode}"
    key = "cropping" if "cropping" in args else "padding"
    op = "crop" if key == "cropping" else "pad"
    return f"{op}{n}d {key}={','.join(f'{b}:{a}' for b, a in args[key])}"


def test_the_recording_has_negative_amounts_refused() -> None:
    refused = [r for r in RECORDS if "error" in r["result"] and "value >= 0" in r["result"]["error"]]
    assert len(refused) >= 15
    assert any(r["layer"] == "tf.pad" and "error" in r["result"] for r in RECORDS)


@pytest.mark.parametrize("record", RECORDS, ids=lambda r: f"{r['layer']}-{r['input']}-{layer_line(r)}")
def test_chain_layer_matches_keras(record: dict[str, Any]) -> None:
    fw = "tf" if record["layer"] == "tf.pad" else "keras"
    shape = "x".join(map(str, [1, *record["input"], 2]))
    layer = chain(shape, [layer_line(record)], framework=fw).layers[-1]
    observed = record["result"]
    if "output" in observed:
        assert layer.error is None, layer.error
        assert list(layer.shape[1:-1]) == observed["output"]
    else:
        assert layer.error is not None, (layer.shape, observed)
        words = observed["error"].split(": ", 1)[1].split(" [Op:", 1)[0].split("}} ")[-1]
        if "value >= 0" in words or "non-negative" in words:  # the refusal of a negative amount, word for word
            assert words in layer.error
