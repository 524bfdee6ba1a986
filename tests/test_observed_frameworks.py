"""convshape against what the real frameworks did, recorded once and committed.

``tests/data/observed_*.json`` hold thousands of random configurations run on the real
frameworks (TF and Keras by ``generate_tf_keras.py``; JAX and onnxruntime by
``generate_jax_onnx.py``; the versions are in each file's ``generated_with``). Each record is
an output or a rejection; for transposed convolutions some also hold every output size the
framework accepted. Every record must agree with convshape, except the documented places
where convshape follows a rule rather than one runtime (listed in ``DOCUMENTED``).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from convshape import ShapeError, conv, conv_transpose

DATA = Path(__file__).parent / "data"


def load(name: str) -> list[dict]:
    path = DATA / name
    if not path.exists():
        return []
    return json.loads(path.read_text())["records"]


def _runtime(record: dict) -> dict:
    # the "onnx" records of observed_jax_onnx.json ran on onnxruntime: convshape's onnxruntime authority
    return {**record, "framework": "onnxruntime"} if record["framework"] == "onnx" else record


RECORDS = [_runtime(r) for r in load("observed_tf_keras.json") + load("observed_jax_onnx.json")]


def padding_arg(record: dict):
    padding = record["padding"]
    return padding if isinstance(padding, str) else [tuple(p) for p in padding]


def ours(record: dict, output_size=None, use_recorded_size: bool = True):
    kwargs = {"framework": record["framework"], "ndim": record["ndim"]}
    args = (record["input"], record["kernel"], record["stride"], padding_arg(record), record["dilation"])
    if record["op"] == "conv":
        return conv(*args, **kwargs)
    size = record["output_size"] if use_recorded_size else output_size
    return conv_transpose(*args, record["output_padding"], size, **kwargs)


def documented(record: dict) -> str | None:
    """Where convshape follows the rule and not this runtime, on purpose (see the README)."""
    return None


def test_the_recorded_data_is_there():
    frameworks = {(r["framework"], r["op"]) for r in RECORDS}
    assert {("tf", "conv"), ("tf", "conv_transpose"), ("keras", "conv"), ("keras", "conv_transpose"),
            ("jax", "conv"), ("jax", "conv_transpose"), ("onnxruntime", "conv"),
            ("onnxruntime", "conv_transpose")} <= frameworks
    assert len(RECORDS) > 3000


@pytest.mark.parametrize("framework", ["tf", "keras", "jax", "onnxruntime"])
def test_outputs_and_rejections_match(framework):
    mismatches = []
    checked = 0
    for record in RECORDS:
        if record["framework"] != framework:
            continue
        reason = documented(record)
        try:
            got = ours(record).output
        except ShapeError as exc:
            got = exc
        expected = record["result"]
        if reason:
            assert not isinstance(got, ShapeError), (reason, record)
            continue
        empty_axes = [i for i, sizes in enumerate(record.get("accepted_output_sizes", [])) if not sizes]
        if empty_axes and not isinstance(got, ShapeError) and all(got[i] == 0 for i in empty_axes):
            # the recording scanned output_shape from 1 and found none on these axes; TF's rule
            # accepts 0 there (an empty tensor), which convshape reports with a warning
            continue
        checked += 1
        if "error" in expected:
            if not isinstance(got, ShapeError):
                mismatches.append(("framework rejects, convshape gives", got, record))
        elif isinstance(got, ShapeError):
            mismatches.append(("framework gives, convshape rejects", str(got), record))
        elif list(got) != expected["output"]:
            mismatches.append(("different output", got, record))
    assert checked > 300
    assert not mismatches, f"{len(mismatches)} of {checked} disagree, e.g. {mismatches[:3]}"


@pytest.mark.parametrize("framework", ["tf", "onnxruntime"])
def test_accepted_output_sizes_match_valid_outputs(framework):
    records = [r for r in RECORDS if r["framework"] == framework and "accepted_output_sizes" in r]
    assert len(records) > 50
    mismatches = []
    for record in records:
        accepted = [list(a) for a in record["accepted_output_sizes"]]
        try:
            valid = [list(v) for v in ours(record).valid_outputs]
        except ShapeError:
            # the default size is rejected; every accepted size must still be selectable by itself
            valid = None
        if valid is not None:
            valid = [[o for o in axis if o >= 1] for axis in valid]  # the recorded scans start at 1
            if valid != accepted:
                mismatches.append((valid, accepted, record))
            continue
        if all(len(a) == 1 for a in [record["input"]]):
            for size in accepted[0]:
                try:
                    ours(record, output_size=[size], use_recorded_size=False)
                except ShapeError as exc:
                    mismatches.append((size, str(exc), record))
    assert not mismatches, f"{len(mismatches)} of {len(records)} disagree, e.g. {mismatches[:3]}"


# jax.image.resize at the integer limits, recorded by tests/data/generate_jax_limits.py (jax 0.10.2, defaults:
# jax_enable_x64 off): 'nearest' takes int32 sizes, the other methods int64; sizes below the range give 0
JAX_LIMITS = json.loads((DATA / "observed_jax_limits.json").read_text())["records"]


@pytest.mark.parametrize("record", JAX_LIMITS, ids=lambda r: f"{r['mode']}-{r['size']}")
def test_jax_resize_limits_match_jax(record: dict) -> None:
    from convshape.api.resample import interpolate

    observed = record["result"]
    try:
        got = interpolate(record["input"], record["size"], mode=record["mode"], framework="jax", ndim=1)
    except ShapeError as exc:
        if "error" in observed:  # jax's own message, word for word
            assert observed["error"].split(": ", 1)[1] in exc.message
        else:  # from 2**64 on jax.eval_shape answers (Python ints); convshape says no array can be built
            assert record["size"] >= 1 << 64 and "no array of it can be built" in exc.message
        return
    assert observed == {"output": got.output[0]}


# tf.image.extract_patches, recorded by tests/data/generate_tf_patches.py (tensorflow-cpu 2.21): VALID is
# convshape's padding 0 (and 'valid'); SAME is padding 'same'
ALL_TF_PATCHES = json.loads((DATA / "observed_tf_patches.json").read_text())["records"]
TF_PATCHES = [r for r in ALL_TF_PATCHES if r["padding"] == "VALID"]
TF_SAME_PATCHES = [r for r in ALL_TF_PATCHES if r["padding"] == "SAME"]


def test_tf_same_patches_records_cover_the_split() -> None:
    assert len(TF_SAME_PATCHES) > 100
    observed = [r["result"].get("pad_before") for r in TF_SAME_PATCHES]
    assert sum(1 for p in observed if p and any(p)) > 80  # the pad before seen in the first patch


@pytest.mark.parametrize("record", TF_SAME_PATCHES + TF_PATCHES[:40],
                         ids=lambda r: r["padding"] + "-" + "x".join(map(str, r["input"])) + "-"
                         + ",".join(map(str, r["kernel"] + r["stride"] + r["dilation"])))
def test_tf_extract_patches_keywords_match_tf(record: dict) -> None:
    from convshape.api.unfold import unfold

    observed = record["result"]
    try:
        got = unfold(record["input"], record["kernel"], record["stride"], record["padding"].lower(),
                     record["dilation"], framework="tf")
    except ShapeError as exc:
        assert "error" in observed, exc.message
        assert observed["error"].split("}} ", 1)[1].split(" [Op:", 1)[0] in exc.message
        return
    assert observed["output"] == list(got.output)
    assert got.length == got.output[1] * got.output[2]
    for axis, pad in enumerate(observed.get("pad_before") or ()):
        if pad is not None:
            assert got.pad_before[axis] == pad, axis
    if record["padding"] == "SAME":  # ceil(i/s) blocks; the total padding as the last block needs it
        for i, k, s, d, b, pb, pa in zip(record["input"][1:3], record["kernel"], record["stride"],
                                         record["dilation"], got.blocks, got.pad_before, got.pad_after):
            assert b == -(-i // s) and pb + pa == max((b - 1) * s + d * (k - 1) + 1 - i, 0) and pa - pb in (0, 1)


def test_tf_patches_records_cover_sizes_and_rejections() -> None:
    assert len(TF_PATCHES) > 150
    assert sum("error" in r["result"] for r in TF_PATCHES) > 40
    assert sum("output" in r["result"] for r in TF_PATCHES) > 100


@pytest.mark.parametrize("record", TF_PATCHES, ids=lambda r: "x".join(map(str, r["input"])) + "-"
                         + ",".join(map(str, r["kernel"] + r["stride"] + r["dilation"])))
def test_tf_extract_patches_matches_tf(record: dict) -> None:
    from convshape.api.unfold import unfold

    observed = record["result"]
    try:
        got = unfold(record["input"], record["kernel"], record["stride"], 0, record["dilation"], framework="tf")
    except ShapeError as exc:
        assert "error" in observed, exc.message
        # TF's words after its "{{function_node ...}}" prefix, before its " [Op:ExtractImagePatches]" suffix
        words = observed["error"].split("}} ", 1)[1].split(" [Op:", 1)[0]
        assert words in exc.message
        return
    assert observed["output"] == list(got.output) and observed.get("pad_before") in (None, [0, 0])
    assert got.columns == got.output[-1] == got.kernel[0] * got.kernel[1] * record["input"][-1]
    assert got.length == got.output[1] * got.output[2]


def test_tf_unfold_cli() -> None:
    from click.testing import CliRunner

    from convshape.cli.main import main

    # tf 2.21: extract_patches((1, 7, 9, 2), sizes [1, 2, 3, 1], strides [1, 3, 2, 1], rates [1, 2, 3, 1])
    # gives (1, 2, 2, 12)
    result = CliRunner().invoke(main, ["unfold", "--i", "1x7x9x2", "--k", "2,3", "--s", "3,2", "--d", "2,3", "-f",
                                       "tf", "--json"])
    data = json.loads(result.stdout)
    assert result.exit_code == 0 and data["output"] == [1, 2, 2, 12] and (data["columns"], data["length"]) == (12, 4)
    table = CliRunner().invoke(main, ["unfold", "--i", "1x7x9x2", "--k", "2,3", "--s", "3,2", "--d", "2,3", "-f", "tf"])
    assert "tf.image.extract_patches" in table.stdout and "columns C·∏k = 2·6 = 12" in table.stdout
    padded = CliRunner().invoke(main, ["unfold", "--i", "1x7x9x2", "--k", "2", "--p", "1", "-f", "tf", "--json"])
    assert padded.exit_code == 1 and json.loads(padded.stdout)["rule"] == "padding-unsupported"
    fold = CliRunner().invoke(main, ["fold", "--i", "1x12x20", "--o", "5,6", "--k", "2", "-f", "tf", "--json"])
    assert fold.exit_code == 1 and "tf has no fold" in json.loads(fold.stdout)["error"]


def test_tf_unfold_same_cli() -> None:
    from click.testing import CliRunner

    from convshape.cli.main import main

    # tf 2.21 (the record): extract_patches((2, 8, 8, 1), sizes [1, 3, 3, 1], strides [1, 2, 2, 1], 'SAME') gives
    # (2, 4, 4, 9), its first patch starting at cell 0 (pad before 0; the one padded cell after)
    out = CliRunner().invoke(main, ["unfold", "--i", "2x8x8x1", "--k", "3", "--s", "2", "--p", "same", "-f", "tf",
                                    "--json"])
    data = json.loads(out.stdout)
    assert out.exit_code == 0 and data["output"] == [2, 4, 4, 9] and data["padding"] == "same"
    assert (data["pad_before"], data["pad_after"]) == ([0, 0], [1, 1])
    table = CliRunner().invoke(main, ["unfold", "--i", "2x8x8x1", "--k", "3", "--s", "2", "--p", "same", "-f", "tf"])
    assert "0:1" in table.stdout and "padding 'SAME': ceil(i / s)" in table.stdout
    torch = CliRunner().invoke(main, ["unfold", "--i", "1x1x8x8", "--k", "3", "--p", "same", "--json"])
    assert torch.exit_code == 1 and json.loads(torch.stdout)["rule"] == "padding-keyword"
    assert "nn.Unfold / nn.Fold takes padding numbers, not 'same'" in json.loads(torch.stdout)["error"]
