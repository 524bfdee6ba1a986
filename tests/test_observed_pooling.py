"""convshape's pooling against tf.nn, Keras and jax.lax.reduce_window, recorded by
``tests/data/generate_tf_pool.py`` (1200 random configurations, sizes 1..40; versions and whether TF ran
its oneDNN kernels are in the file's ``generated_with``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from convshape import ShapeError
from convshape.api.pooling import pool

DOC = json.loads((Path(__file__).parent / "data" / "observed_tf_pool.json").read_text())
RECORDS = DOC["records"]


def _padding(record: dict):
    padding = record["padding"]
    return padding if isinstance(padding, str) else [tuple(p) for p in padding]


def _ours(record: dict):
    try:
        return list(pool(record["kind"], record["input"], record["kernel"], record["stride"], _padding(record),
                         record["dilation"], framework=record["framework"], ndim=len(record["input"])).output)
    except ShapeError as exc:
        return exc


def test_the_recording_ran_tf_default_eigen_kernels() -> None:
    assert DOC["generated_with"]["tensorflow"] == "2.21.0" and DOC["generated_with"]["onednn"] is False
    assert len(RECORDS) == 1200


@pytest.mark.parametrize("framework", ["tf", "keras", "jax"])
def test_pool_outputs_and_rejections_match(framework: str) -> None:
    mismatches, checked, rejected = [], 0, 0
    for record in (r for r in RECORDS if r["framework"] == framework):
        got, expected = _ours(record), record["result"]
        checked += 1
        if "error" in expected:
            rejected += 1
            if not isinstance(got, ShapeError):
                mismatches.append((got, record))
        elif isinstance(got, ShapeError) or got != expected["output"]:
            mismatches.append((str(got), record))
    assert checked == 400 and (rejected > 10 or framework == "jax")  # jax never rejects a window size
    assert not mismatches, f"{len(mismatches)} of {checked} disagree, e.g. {mismatches[:3]}"


def test_tf_max_pool_with_an_empty_valid_output_is_the_empty_tensor() -> None:
    # recorded: tf.nn.max_pool2d VALID, i=(2, 1), k=(6, 2), s=(4, 4) on TF's default Eigen CPU kernel is (0, 0);
    # convshape used to reject it (oneDNN's failure), which only happens with oneDNN on
    empties = [r for r in RECORDS if r["framework"] == "tf" and r["kind"] == "max"
               and 0 in r["result"].get("output", [1])]
    assert len(empties) > 10
    for record in empties:
        result = pool("max", record["input"], record["kernel"], record["stride"], _padding(record),
                      framework="tf", ndim=len(record["input"]))
        assert list(result.output) == record["result"]["output"]
        assert any("oneDNN" in note and "SIGFPE" in note for note in result.notes)


def test_keras_pooling_follows_the_built_layer_and_eager_calls_differ() -> None:
    # Keras's compute_output_shape rejects an empty output when the layer is built on a symbolic input; called
    # eagerly on a tensor, the same layer runs tf.nn pooling without that check and returns the empty tensor
    keras = [r for r in RECORDS if r["framework"] == "keras"]
    differ = [r for r in keras if "error" in r["result"] and "output" in r["result"]["eager"]]
    assert differ and all(0 in r["result"]["eager"]["output"] for r in differ)
    assert all(isinstance(_ours(r), ShapeError) for r in differ)
