"""Where TF's two CPU kernels give different answers for one convolution: the Eigen kernels (TF's
default unless oneDNN is on) and the oneDNN ones (TF_ENABLE_ONEDNN_OPTS=1). Recorded on
tensorflow-cpu 2.21.0 / keras 3.15.1 by tests/data/generate_tf_kernels.py.

convshape follows TF's shape rule, which is what one kernel gives in each case, and names the other
kernel (a note, or in the rejection): dilated conv*_transpose / Conv*DTranspose and dilated conv3d
(Eigen refuses, oneDNN float32 runs them with the rule's sizes), an empty forward output (Eigen: the
empty tensor; oneDNN float32: the input's shape), a negative explicit pad and an output_shape of 0
(Eigen refuses; oneDNN float32 takes them)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from convshape.api.conv import conv, conv_transpose
from convshape.errors import ShapeError

RECORDS: list[dict[str, Any]] = json.loads(
    (Path(__file__).parent / "data" / "observed_tf_kernels.json").read_text())["records"]


def _padding(r: dict[str, Any]) -> Any:
    return r["padding"] if isinstance(r["padding"], str) else [tuple(p) for p in r["padding"]]


def convshape_answer(r: dict[str, Any]) -> tuple[str, Any, str]:
    """("output", sizes, notes) or ("error", message, "")."""
    try:
        if r["op"] == "conv":
            res: Any = conv(r["input"], r["kernel"], r["stride"], _padding(r), r["dilation"], framework=r["api"])
        else:
            res = conv_transpose(r["input"], r["kernel"], r["stride"], _padding(r), r["dilation"],
                                 output_size=r.get("output_size"), framework=r["api"])
    except ShapeError as exc:
        return "error", exc.message, ""
    return "output", list(res.output), " ".join(res.notes)


def test_the_recording_has_each_disagreement() -> None:
    def differ(r: dict[str, Any]) -> bool:
        e, o = r["result"]["eigen"], r["result"]["onednn"]
        return ("output" in e) != ("output" in o) or e.get("output") != o.get("output")
    kinds = {(r["api"], r["op"], "dilated" if max(r["dilation"]) > 1 else "other") for r in RECORDS if differ(r)}
    assert {("tf", "conv_transpose", "dilated"), ("keras", "conv_transpose", "dilated"), ("tf", "conv", "dilated"),
            ("tf", "conv", "other"), ("tf", "conv_transpose", "other")} <= kinds
    assert sum(differ(r) for r in RECORDS) >= 70


@pytest.mark.parametrize("record", RECORDS, ids=lambda r: f"{r['api']}-{r['op']}{len(r['input'])}d-{r['input']}-"
                         f"k{r['kernel']}-s{r['stride']}-d{r['dilation']}-{r['padding']}-{r['dtype']}")
def test_convshape_follows_one_kernel_and_names_the_other(record: dict[str, Any]) -> None:
    eigen, onednn = record["result"]["eigen"], record["result"]["onednn"]
    kind, value, notes = convshape_answer(record)
    if eigen == onednn:
        if "output" in eigen:
            assert (kind, value) == ("output", eigen["output"])
        else:
            assert kind == "error" or "Eigen" in notes, (value, eigen)
            if kind == "output":  # Keras Conv*DTranspose in float64: refused by both kernels; the note says Eigen's
                assert eigen["error"].split(": ", 1)[1].split(" [Op:")[0] in notes
        return
    said = value if kind == "error" else notes
    assert "Eigen" in said and "oneDNN" in said, said
    if "error" in eigen:
        # the float32 oneDNN kernels run what Eigen refuses: convshape gives the rule's size with a note
        # (dilations), or Eigen's rejection naming oneDNN (a negative pad, output_shape 0)
        if kind == "output":
            assert value == onednn["output"]
            assert eigen["error"].split(": ", 1)[1].split(" [Op:")[0] in notes
        else:
            assert eigen["error"].split(": ", 1)[1].split(" [Op:")[0] in value
    else:
        # an empty forward output: the Eigen kernels' empty tensor; oneDNN gives the input's shape
        assert kind == "output" and value == eigen["output"] and 0 in value
        assert onednn["output"] == record["input"] and "input's spatial shape" in notes
