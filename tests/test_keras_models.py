"""Keras models (.keras archives and model.to_json() files) against what Keras 3.15.1 on
TensorFlow 2.21 did with them: tests/data/observed_keras_models.json, written by
tests/data/generate_keras_models.py (which builds and saves the models in tests/data/keras_models/).

For every model, file format and recorded input size: convshape accepts exactly when Keras did,
and gives every graph node Keras's output shape; ``sweep`` gives exactly the accepted sizes.
Where Keras's eager run returned an empty tensor without an error, the record also holds what
Keras's own shape inference (``compute_output_spec``, as model construction uses) said: it
rejected every such shape, and so does convshape.
"""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from convshape.cli.main import main
from convshape.errors import ShapeError
from convshape.models import network, sweep

DATA = Path(__file__).resolve().parent / "data"
MODELS = DATA / "keras_models"
RECORDS: dict[str, Any] = json.loads((DATA / "observed_keras_models.json").read_text())["models"]
NAMES = sorted(RECORDS)
#: models with a 2-D depthwise or separable convolution of unequal strides
UNEQUAL_STRIDES = {"dw_strides", "sep_strides"}


def spatial_positions(name: str) -> list[int]:
    rank = len(RECORDS[name]["input"])
    return list(range(2, rank)) if name == "channels_first" else list(range(1, rank - 1))


def cases(name: str) -> list[tuple[str, list[int], dict[str, Any]]]:
    """(label, input shape, record) for every recorded size of a model."""
    entry = RECORDS[name]
    base = [1 if d is None else d for d in entry["input"]]
    positions = spatial_positions(name)
    out = []
    for n, rec in entry["square"].items():
        shape = list(base)
        for i in positions:
            shape[i] = int(n)
        out.append((f"square {n}", shape, rec))
    per = entry.get("per_axis")
    if per:
        for n, rec in per["sizes"].items():
            shape = list(base)
            for j, i in enumerate(positions):
                shape[i] = int(n) if j == per["axis"] else per["fixed"]
            out.append((f"axis {per['axis']} = {n}", shape, rec))
    return out


def keras_accepts(rec: dict[str, Any]) -> bool:
    """Keras ran the shape, and gave no empty tensor (an empty one its shape inference rejects)."""
    if not rec["ok"]:
        return False
    if any(0 in shape for shape in rec["shapes"].values()):
        assert rec["symbolic"] != "ok", "Keras's shape inference accepted an empty tensor"
        return False
    return True


def test_records_cover_the_models() -> None:
    assert len(NAMES) >= 10
    for name in NAMES:
        assert (MODELS / f"{name}.keras").is_file() and (MODELS / f"{name}.json").is_file()
        accepted = [label for label, _, rec in cases(name) if keras_accepts(rec)]
        rejected = [label for label, _, rec in cases(name) if not keras_accepts(rec)]
        if name in UNEQUAL_STRIDES:  # TensorFlow's depthwise kernel rejects them at every size
            assert not accepted and all("only supports equal length strides in the row and column dimensions"
                                        in rec["error"] for _, _, rec in cases(name)), name
            continue
        assert accepted, name  # every other model runs at some size
        if name != "resize_head":  # Resizing takes every size
            assert rejected, name
    total = sum(f.stat().st_size for f in MODELS.iterdir())
    assert total < 1 << 20


@pytest.mark.parametrize("ext", ["keras", "json"])
@pytest.mark.parametrize("name", NAMES)
def test_every_size_and_node_as_keras(name: str, ext: str) -> None:
    path = str(MODELS / f"{name}.{ext}")
    checked = 0
    for label, shape, rec in cases(name):
        report = network(path, input=shape)
        expected = keras_accepts(rec)
        assert report.ok == expected, (label, [(e.name, e.error) for e in report.errors], rec.get("error"))
        if expected:
            got = {layer.name: list(layer.shape or ()) for layer in report.layers}
            assert got.keys() == rec["shapes"].keys() or set(rec["shapes"]) <= set(got), label
            for node, keras_shape in rec["shapes"].items():
                assert got[node] == keras_shape, (label, node)
                checked += 1
    assert (checked > 0) == (name not in UNEQUAL_STRIDES)


@pytest.mark.parametrize("name", NAMES)
def test_sweep_gives_the_accepted_sizes(name: str) -> None:
    path = str(MODELS / f"{name}.keras")
    entry = RECORDS[name]
    top = max(map(int, entry["square"]))
    accepted = [int(n) for n, rec in entry["square"].items() if keras_accepts(rec)]
    result = sweep(path, f"1..{top}")
    assert result.sizes() == sorted(accepted)
    per = entry.get("per_axis")
    if per:
        label_shapes = [(shape, rec) for label, shape, rec in cases(name) if label.startswith("axis")]
        accepted = sorted(shape[spatial_positions(name)[per["axis"]]] for shape, rec in label_shapes
                          if keras_accepts(rec))
        given = label_shapes[0][0]
        result = sweep(path, "1..40", axis=per["axis"], input=given)
        assert result.sizes() == accepted


def test_sweep_over_a_large_range_is_periodic() -> None:
    result = sweep(str(MODELS / "unet.keras"), "1..100000")
    assert result.method == "periodic" and result.count == 25000 and result.period == 4
    assert sweep(str(MODELS / "pool_same.keras"), "1..100000").sizes()[:3] == [16, 32, 48]


def test_fixed_input_accepts_its_own_size_only() -> None:
    # Keras: "Input 0 with name 'input_layer' of layer 'functional_1' is incompatible with the layer:
    # expected shape=(None, 28, 28, 1), found shape=(1, 29, 29)" (the record at 29); the layers alone take 28, 29
    rec = RECORDS["seq_cnn"]["square"]["29"]
    assert not rec["ok"] and "is incompatible with the layer: expected shape=(None, 28, 28, 1)" in rec["error"]
    report = network(str(MODELS / "seq_cnn.keras"), input=[1, 29, 29, 1])
    assert not report.ok and report.errors[0].name == "input" and report.errors[0].rule == "input-size"
    keras_words = rec["error"].partition("of layer 'functional_1' ")[2]  # the probe model's name, not the file's
    assert (report.errors[0].error or "").endswith(keras_words)
    assert all(layer.ok for layer in report.layers[1:])
    result = sweep(str(MODELS / "seq_cnn.keras"), "1..64")
    assert result.sizes() == [28] and "the layers alone accept 28..29" in result.notes[-1]


def test_shared_layer_is_two_nodes() -> None:
    report = network(str(MODELS / "shared.json"), input=[1, 8, 8, 2])
    names = [layer.name for layer in report.layers]
    assert "shared_conv" in names and "shared_conv@1" in names and "shared_conv@2" in names
    by = {layer.name: layer for layer in report.layers}
    assert by["shared_conv@1"].inputs == ("pool",) and by["shared_conv@1"].shape == (1, 4, 4, 2)
    assert RECORDS["shared"]["square"]["8"]["shapes"]["shared_conv@1"] == [1, 4, 4, 2]


def keras2(config: dict[str, Any]) -> dict[str, Any]:
    """A Keras 3 Functional config with its inbound nodes in Keras 2's form ([[name, node, tensor, {}], ...])."""
    def refs(value: Any, out: list[list[Any]]) -> None:
        if isinstance(value, dict):
            if value.get("class_name") == "__keras_tensor__":
                out.append([*value["config"]["keras_history"], {}])
                return
            for v in value.values():
                refs(v, out)
        elif isinstance(value, list):
            for v in value:
                refs(v, out)

    for layer in config["config"]["layers"]:
        nodes = []
        for node in layer.get("inbound_nodes", []):
            found: list[list[Any]] = []
            refs(node["args"], found)
            nodes.append(found)
        layer["inbound_nodes"] = nodes
        if layer["class_name"] == "InputLayer":
            layer["config"]["batch_input_shape"] = layer["config"].pop("batch_shape")
    return config


@pytest.mark.parametrize("name", ["unet", "shared", "resnet"])
def test_keras2_inbound_nodes(name: str, tmp_path: Path) -> None:
    data = keras2(json.loads((MODELS / f"{name}.json").read_text()))
    path = tmp_path / f"{name}.json"
    path.write_text(json.dumps(data))
    for label, shape, rec in cases(name)[::7]:
        ours = network(str(path), input=shape)
        assert ours.ok == keras_accepts(rec), label
        if ours.ok:
            assert {layer.name: list(layer.shape or ()) for layer in ours.layers} == rec["shapes"]


def test_reading_a_model_imports_no_framework_and_conv2d_not_the_reader() -> None:
    code = ("import sys\nfrom convshape.models import network\n"
            f"r = network({str(MODELS / 'unet.keras')!r}, input=[1, 32, 32, 1])\nassert r.ok\n"
            "bad = [m for m in ('numpy', 'keras', 'tensorflow', 'h5py', 'onnx', 'torch') if m in sys.modules]\n"
            "assert not bad, bad\n")
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)
    code = ("import sys; from convshape.cli.main import main\n"
            "try:\n main(['conv2d', '--i', '64', '--k', '3', '--json'])\nexcept SystemExit: pass\n"
            "assert 'convshape.models.keras' not in sys.modules\n")
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)


# ---------------------------------------------------------------------------- errors
def test_free_size_needs_an_input() -> None:
    with pytest.raises(ShapeError) as info:
        network(str(MODELS / "unet.keras"))
    assert info.value.rule == "bad-spec" and "free sizes (None) at axis 1, 2" in info.value.message
    with pytest.raises(ShapeError, match="axis 3 is 1|fixes it to 1"):
        network(str(MODELS / "unet.keras"), input=[1, 32, 32, 3])


def test_mixed_data_formats_and_other_axes_are_not_guessed(tmp_path: Path) -> None:
    data = json.loads((MODELS / "resnet.json").read_text())
    for layer in data["config"]["layers"]:
        if layer["config"].get("name") == "conv_b":
            layer["config"]["data_format"] = "channels_first"
    (tmp_path / "mixed.json").write_text(json.dumps(data))
    with pytest.raises(ShapeError, match="both data formats"):
        network(str(tmp_path / "mixed.json"), input=[1, 8, 8, 3])
    data = json.loads((MODELS / "resnet.json").read_text())
    for layer in data["config"]["layers"]:
        if layer["class_name"] == "BatchNormalization":
            layer["config"]["axis"] = 1
    (tmp_path / "bn.json").write_text(json.dumps(data))
    with pytest.raises(ShapeError, match="BatchNormalization over the channels axis"):
        network(str(tmp_path / "bn.json"), input=[1, 8, 8, 3])


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), env={"NO_COLOR": "1", "COLUMNS": "200"})
    return result.exit_code, result.stdout, result.stderr


def unsupported(tmp_path: Path) -> Path:
    data = json.loads((MODELS / "resnet.json").read_text())
    for layer in data["config"]["layers"]:
        if layer["config"].get("name") == "act_b":
            layer["class_name"] = "TimeDistributed"
    path = tmp_path / "lstm.json"
    path.write_text(json.dumps(data))
    return path


def test_cli_unsupported_layer_is_named(tmp_path: Path) -> None:
    path = unsupported(tmp_path)
    code, out, err = invoke("summary", str(path), "--i", "1x8x8x3")
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1
    assert "layer 'act_b' (TimeDistributed): convshape does not model Keras TimeDistributed layers" in err
    assert str(path) in err
    code, out, _ = invoke("sweep", str(path), "--json")
    assert code == 2 and "TimeDistributed" in json.loads(out)["error"]


def test_cli_corrupt_and_foreign_files(tmp_path: Path) -> None:
    corrupt = tmp_path / "broken.keras"
    corrupt.write_bytes((MODELS / "unet.keras").read_bytes()[:500])
    code, out, err = invoke("summary", str(corrupt))
    assert code == 2 and len(err.strip().splitlines()) == 1 and "not a Keras archive" in err
    nozip = tmp_path / "empty.keras"
    with zipfile.ZipFile(nozip, "w") as archive:
        archive.writestr("metadata.json", "{}")
    code, out, err = invoke("sweep", str(nozip), "--json")
    assert code == 2 and "no config.json" in json.loads(out)["error"]
    foreign = tmp_path / "other.json"
    foreign.write_text(json.dumps({"class_name": "Tokenizer", "config": {"vocab": 3}}))
    code, out, err = invoke("summary", str(foreign))
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert "convshape reads Keras Sequential and Functional models, but the file holds a 'Tokenizer'" in err
    code, _, err = invoke("summary", str(MODELS / "unet.keras"))
    assert code == 2 and "has free sizes (None)" in err and len(err.strip().splitlines()) == 1


def test_cli_summary_table_and_json() -> None:
    path = str(MODELS / "unet.keras")
    for width in ("80", "120"):
        result = CliRunner().invoke(main, ["summary", path, "--i", "1x32x32x1"],
                                    env={"NO_COLOR": "1", "COLUMNS": width})
        assert result.exit_code == 0
        assert "Keras 3" in result.stdout and "1x32x32x1 (NHWC)" in result.stdout
        rows = {line.split()[0]: line.split() for line in result.stdout.splitlines() if line.strip()}
        assert rows["cat2"][:3] == ["cat2", "concat", "1x16x16x6"]
        assert rows["u1"][:3] == ["u1", "conv-transpose2d", "1x32x32x2"]
    code, out, _ = invoke("summary", path, "--i", "1x30x30x1", "--json")
    data = json.loads(out)
    assert code == 1 and data["ok"] is False and data["framework"] == "keras"
    assert {"file", "input", "output", "layers", "errors", "params"} <= data.keys()
    assert data["errors"][0]["layer"] == "cat2" and data["errors"][0]["rule"] == "skip-mismatch"
    code, out, _ = invoke("summary", path, "--i", "1x30x30x1", "-f", "torch", "--json")
    assert json.loads(out)["framework"] == "torch" and json.loads(out)["data_format"] == "NHWC"


def test_cli_check_and_sweep() -> None:
    code, out, _ = invoke("check", str(MODELS / "seq_cnn.keras"), "examples/networks/lenet5.json")
    assert code == 0 and "2 of 2 files ok" in out
    code, out, _ = invoke("check", str(MODELS / "seq_cnn.keras"), str(MODELS / "conv1d.json"))
    assert code == 2 and "1 of 2 files ok" in out and "has free sizes (None) at axis 1" in out
    code, out, _ = invoke("check", str(MODELS / "conv1d.json"), "--i", "1x20x2")
    assert code == 0 and "conv1d.json: 11 layers, output 1x2" in out
    code, out, _ = invoke("check", str(MODELS / "seq_cnn.keras"), "--i", "1x29x29x1")
    assert code == 1 and "input" in out and "is incompatible with the layer" in out
    code, out, _ = invoke("sweep", str(MODELS / "unet.keras"), "--range", "1..64")
    assert code == 0 and "every multiple of 4 from 4 to 64" in out
    code, out, _ = invoke("sweep", str(MODELS / "unet.keras"), "--range", "1..64", "--json")
    data = json.loads(out)
    assert code == 0 and data["valid"] == [{"start": 4, "stop": 64, "step": 4}] and data["count"] == 16
    assert data["size_valid"] is True
    code, out, _ = invoke("sweep", str(MODELS / "unet.keras"), "--axis", "0")
    assert code == 2 and "free sizes (None) on spatial axes other than axis 0" in out + _


@pytest.mark.parametrize("name", [n for n in NAMES if n not in UNEQUAL_STRIDES])  # those never run
def test_parameters_as_keras_counts_them(name: str) -> None:
    """convshape's parameters are Keras's trainable weights (model.trainable_weights; BatchNormalization's
    moving mean and variance are not trainable), a shared layer's counted once. PReLU's alpha is not
    counted (convshape's activations carry no weights): separable's PReLU(shared_axes=[1, 2]) has 4."""
    entry = RECORDS[name]
    label, shape, _ = next(case for case in cases(name) if keras_accepts(case[2]))
    report = network(str(MODELS / f"{name}.keras"), input=shape)
    assert report.params == entry["trainable_params"] - (4 if name == "separable" else 0)


def test_merge_rejections_in_tensorflows_words() -> None:
    """Where Keras's run failed in a Concatenate or an elementwise merge, one of convshape's errors
    (it reports every layer that fails on its own; Keras stops at the first it runs) is TensorFlow's
    message for the same shapes ("ConcatOp : Dimension 1 in both shapes must be equal: shape[0] =
    [1,3,3,2] vs. shape[1] = [1,4,4,1] [Op:ConcatV2]", "Incompatible shapes: ... [Op:AddV2]")."""
    compared = 0
    skipped: set[str] = set()
    for name in NAMES:
        for label, shape, rec in cases(name):
            error = rec.get("error", "")
            if "[Op:ConcatV2]" not in error and "Incompatible shapes" not in error:
                continue
            report = network(str(MODELS / f"{name}.keras"), input=shape)
            plain = error.replace("\x1b[1m", "").replace("\x1b[0m", "")
            heads = [(e.error or "").partition(" (")[0] for e in report.errors if e.rule == "skip-mismatch"]
            if not heads:  # convshape stops earlier, at a layer whose output would be empty (Keras's eager run
                # went on with the empty tensor, e.g. a VALID pooling of 1 cell, and failed at the merge)
                skipped.add(report.errors[0].rule)
                continue
            assert any(head in plain for head in heads), (name, label, heads)
            compared += 1
    assert compared >= 50 and skipped <= {"output-too-small"}, (compared, skipped)


def test_damaged_configs_never_give_a_traceback(tmp_path: Path) -> None:
    """A config with any value replaced (a layer argument, a layer's own keys, an inbound node, the
    model's keys) is read, rejected as malformed (exit 2) or shaped (exit 0 / 1): never a traceback."""
    import random

    rng = random.Random(11)
    values: list[Any] = [None, -1, 0, 1, 3, "same", "x", [1], [2, 2], [[1, 2], [3, 4]], [None, 3], 2.5, True, {},
                         [-1, 2], 10 ** 30]
    names = sorted(p.name for p in MODELS.glob("*.json"))
    codes: set[int] = set()
    for _ in range(150):
        name = rng.choice(names)
        data = json.loads((MODELS / name).read_text())
        layer = rng.choice(data["config"]["layers"])
        r = rng.random()
        target = layer["config"] if r < 0.4 else layer if r < 0.7 else data["config"] if r < 0.9 else data
        nodes = layer.get("inbound_nodes")
        if rng.random() < 0.3 and nodes and isinstance(nodes[0], dict):
            target = nodes[0]
        target[rng.choice(list(target))] = rng.choice(values)
        path = tmp_path / name
        path.write_text(json.dumps(data))
        channels = "1" if name.startswith(("unet", "pool_same")) else "2"
        for args in (["summary", str(path), "--i", f"1x16x16x{channels}"], ["sweep", str(path), "--range", "1..40"]):
            result = CliRunner().invoke(main, args, env={"NO_COLOR": "1"})
            assert result.exit_code in (0, 1, 2) and (result.exception is None or
                                                      isinstance(result.exception, SystemExit)), (args, target)
            codes.add(result.exit_code)
    assert codes == {0, 1, 2}


def test_keras2_sequential_with_the_input_on_its_first_layer(tmp_path: Path) -> None:
    """tf.keras 2 wrote a Sequential's input as its first layer's batch_input_shape (no InputLayer)."""
    data = json.loads((MODELS / "seq_cnn.json").read_text())
    layers = data["config"]["layers"]
    first = layers.pop(0)
    assert first["class_name"] == "InputLayer"
    layers[0]["config"]["batch_input_shape"] = first["config"]["batch_shape"]
    data["config"].pop("build_input_shape")
    path = tmp_path / "seq2.json"
    path.write_text(json.dumps(data))
    report = network(str(path))
    assert report.ok and report.input == (1, 28, 28, 1)
    assert {layer.name: list(layer.shape or ()) for layer in report.layers} == \
        RECORDS["seq_cnn"]["square"]["28"]["shapes"]


def test_depthwise_strides_rule_on_the_command_too() -> None:
    code, _, err = invoke("depthwise-conv2d", "--i", "1x8x8x2", "--k", "3", "--s", "2,1", "-f", "keras")
    assert code == 1 and "only supports equal length strides in the row and column dimensions" in err
    code, _, _ = invoke("depthwise-conv2d", "--i", "1x2x8x8", "--k", "3", "--s", "2,1")  # torch: groups=C, any strides
    assert code == 0
    code, _, _ = invoke("depthwise-conv2d", "--i", "1x8x8x2", "--k", "3", "--s", "2,2", "-f", "keras")
    assert code == 0


@pytest.mark.parametrize("name", NAMES)
def test_sweep_constraints_describe_the_accepted_sizes(name: str) -> None:
    """A Keras model with free spatial sizes gets the constraints with their causes, which must
    describe exactly the sizes Keras accepted (the recorded square inputs)."""
    path = str(MODELS / f"{name}.keras")
    entry = RECORDS[name]
    free = all(entry["input"][i] is None for i in spatial_positions(name))
    top = max(map(int, entry["square"]))
    result = sweep(path, f"1..{top}", constraints=True, emit=("jax",) if free else ())
    if not free:  # the Input fixes the size: the sweep says so, no formulas
        assert result.constraints is None
        return
    accepted = {int(n) for n, rec in entry["square"].items() if keras_accepts(rec)}
    assert result.constraints is not None, result.notes
    assert set(result.constraints.sizes()) == accepted
    assert all((n in result.constraints) == (n in accepted) for n in range(1, top + 1))
    assert result.emitted and result.emitted[0].target == "jax"


def test_emit_refused_where_the_input_fixes_the_size() -> None:
    out = CliRunner().invoke(main, ["sweep", str(MODELS / "seq_cnn.keras"), "--emit", "jax", "--json"])
    assert out.exit_code == 2
    assert json.loads(out.output)["rule"] == "option-not-applicable"
