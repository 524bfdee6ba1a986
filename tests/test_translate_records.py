"""translate from TF, Keras and JAX, proved by values against recorded outputs (CI has no TF/Keras/JAX).

tests/data/generate_translate_values.py ran the real TF / Keras / JAX layer (the source) on seeded input and
weights, checked every port to tf / keras / jax there, and recorded input, weights, bias and the source's
output. Here the ports to torch (the emitted code exec'd) and to onnxruntime / onnx (the ModelProto built from
the steps, run by onnxruntime) run on the recorded values: identical shapes, values within 1e-5.
"""

from __future__ import annotations

import json
import warnings
from collections import Counter
from pathlib import Path

import pytest

from convshape.api.translate import translate

from difftools import require_torch  # noqa: E402

require_torch()
np = pytest.importorskip("numpy")
pytest.importorskip("onnxruntime")
pytest.importorskip("onnx")

from translate_tools import caffe_pool, exec_torch, onnx_model, run_onnx, single_threaded_torch  # noqa: E402

single_threaded_torch()

warnings.filterwarnings("ignore", message=".*padding='same'.*")
DATA = json.loads((Path(__file__).parent / "data" / "observed_translate.json").read_text())
RECORDS = DATA["records"]
TOL = 1e-5


def _arrays(record: dict) -> tuple:
    return tuple(np.asarray(record[k], dtype=np.float32) for k in ("x", "w", "b", "y"))


def test_records_cover_every_source_and_op():
    """The records hold tf, keras and jax sources of conv and transposed conv in 1, 2 and 3 dimensions."""
    kinds = Counter((r["config"]["from_framework"], r["config"]["op"]) for r in RECORDS)
    for src in ("tf", "keras", "jax"):
        for op in ("conv1d", "conv2d", "conv3d", "conv-transpose1d", "conv-transpose2d", "conv-transpose3d"):
            assert kinds[(src, op)] >= 1, (src, op)
    assert len(RECORDS) >= 200


def test_venv_ports_all_matched():
    """Every port to tf / keras / jax exec'd in the venv matched its source (shapes, 1e-5); the inexact ones
    were not run and say why."""
    assert DATA["versions"] == {"tensorflow": "2.21.0", "keras": "3.15.1", "jax": "0.10.2"}
    assert DATA["tolerance"] == TOL
    assert DATA["venv_failures"] == []
    assert DATA["venv_checks"] >= 500
    assert all(i["reason"] and i["target"] in ("tf", "keras", "jax") for i in DATA["inexact"])


def test_tf_cpu_conv3d_same_reproduction():
    """TF 2.21's CPU conv3d with SAME at i=3, k=1, s=3 (SAME's total -2): not VALID's values, but VALID's from
    cell 1 (ports.TF_CPU_CONV3D_SAME); the tf / keras ports write explicit padding there."""
    repro = DATA["tf_cpu_conv3d_same_repro"]
    assert repro["same_vs_valid_max_diff"] > 0.1
    assert repro["same_vs_valid_from_cell_1_max_diff"] == 0.0
    r = translate("conv3d", from_framework="onnxruntime", to_framework="tf", input=5, kernel=2, stride=4,
                  padding="same-upper")  # SAME's total: 1 at i=5, -2 at i=4
    assert [s.kind for s in r.steps] == ["pad", "layer"] and r.steps[0].after == (1, 1, 1)
    assert r.steps[-1].param("padding") == "VALID" and any("trunc(total/2)" in n for n in r.notes)
    kept = translate("conv3d", from_framework="onnxruntime", to_framework="tf", input=(4, 4, 4), kernel=2,
                     stride=2, padding="same-upper")  # a total of -1 at worst: SAME runs as its rule says
    assert kept.steps[-1].param("padding") == "SAME"
    source = translate("conv3d", from_framework="keras", to_framework="torch", input=(3, 3, 3), kernel=1,
                       stride=(1, 1, 3), padding="same")
    assert any("(0, 0, -2)" in n for n in source.notes)


# a torch port with padding='same' and an even kernel is exact, only slower (torch says so): expected
@pytest.mark.filterwarnings("ignore:Using padding='same' with even kernel lengths:UserWarning")
@pytest.mark.parametrize("target", ["torch", "onnxruntime", "onnx"])
def test_recorded_sources_to(target):
    checked = inexact = 0
    for record in RECORDS:
        config = record["config"]
        r = translate(**config, to_framework=target)
        if not r.exact:
            assert r.reason, config
            inexact += 1
            continue
        x, w, b, y = _arrays(record)
        xt = np.ascontiguousarray(x.transpose(r.data.axes))
        want = y.transpose(r.data.axes)
        if target == "torch":
            got = exec_torch(r.code, xt, {f"w_{config['from_framework']}": w}, b)
        else:
            got = run_onnx(onnx_model(r.steps, np.ascontiguousarray(w.transpose(r.weight.axes)), b, xt.shape), xt)
        assert got.shape == want.shape, (config, r.code)
        np.testing.assert_allclose(got, want, atol=TOL, rtol=TOL, err_msg=f"{config}\n{r.code}")
        checked += 1
    assert checked >= 190 and inexact <= 10, (checked, inexact)


# ---------------------------------------------------------------------- pooling
POOL_DATA = json.loads((Path(__file__).parent / "data" / "observed_translate_pool.json").read_text())


def test_pool_venv_ports_all_matched():
    """generate_translate_values.py pool: every tf / keras / jax port of a tf / keras / jax pooling source ran in the
    venv and matched the real source (shapes, 1e-5); the inexact ones say why."""
    assert POOL_DATA["versions"] == {"tensorflow": "2.21.0", "keras": "3.15.1", "jax": "0.10.2"}
    assert POOL_DATA["venv_failures"] == []
    assert POOL_DATA["venv_checks"] >= 1000
    assert all(i["reason"] and i["target"] in ("tf", "keras", "jax") for i in POOL_DATA["inexact"])
    kinds = Counter((r["config"]["from_framework"], r["config"]["op"]) for r in POOL_DATA["sources"])
    for src in ("tf", "keras", "jax"):
        for op in ("maxpool1d", "maxpool2d", "maxpool3d", "avgpool1d", "avgpool2d", "avgpool3d"):
            assert kinds[(src, op)] >= 1, (src, op)


def _pool_source_torch(c: dict, x):
    import torch
    import torch.nn.functional as F

    n, kind = len(c["input"]), c["op"][:3]
    pad = [int(p) for p in c["padding"].split(",")]
    t = torch.from_numpy(x)
    if kind == "max":
        return getattr(F, f"max_pool{n}d")(t, c["kernel"], c["stride"], pad, c["dilation"], c["ceil_mode"]).numpy()
    return getattr(F, f"avg_pool{n}d")(t, c["kernel"], c["stride"], pad, c["ceil_mode"],
                                       c["count_include_pad"]).numpy()


def _pool_source_ort(c: dict, x):
    from convshape.api.translate import Step

    pairs = [tuple(int(v) for v in p.split(":")) for p in c["padding"].split(",")]
    params = [("kernel_shape", tuple(c["kernel"])), ("strides", tuple(c["stride"])),
              ("pads", tuple(p[0] for p in pairs) + tuple(p[1] for p in pairs)), ("ceil_mode", int(c["ceil_mode"]))]
    if c["op"].startswith("max"):
        params.append(("dilations", tuple(c["dilation"])))
        name = "MaxPool"
    else:
        params.append(("count_include_pad", int(c["count_include_pad"])))
        name = "AveragePool"
    return run_onnx(onnx_model([Step("layer", name, tuple(params))], None, None, x.shape), x)


def test_pool_ports_to_tf_keras_jax_match_the_real_source():
    """torch and onnxruntime pooling sources: their ports to tf / keras / jax ran in the venv on the recorded
    input; here the real torch / onnxruntime layer runs on it: identical shapes, values within 1e-5 (a
    window of padding only included: onnxruntime's lowest value, which the tf / keras / jax ports give too)."""
    checked = Counter()
    for record in POOL_DATA["ports"]:
        c = record["config"]
        x = np.asarray(record["x"], dtype=np.float32)
        want = _pool_source_torch(c, x) if c["from_framework"] == "torch" else _pool_source_ort(c, x)
        for target, y in record["ports"].items():
            r = translate(**c, to_framework=target)
            assert r.exact, (c, target)
            got = np.asarray(y, dtype=np.float32).transpose(np.argsort(r.data.axes))
            assert got.shape == want.shape, (c, target, r.code)
            np.testing.assert_allclose(got, want, atol=TOL, rtol=TOL, err_msg=f"{c}\n{r.code}")
            checked[(c["from_framework"], target)] += 1
            checked[("dilated", target)] += any(v != 1 for v in c["dilation"])
    for src in ("torch", "onnxruntime"):
        for target in ("tf", "keras", "jax"):
            assert checked[(src, target)] >= 60, checked
    # dilated max pooling: tf.nn.pool (stride 1, a strided slice after); keras has none (inexact, not recorded)
    assert checked[("dilated", "tf")] >= 50 and checked[("dilated", "keras")] == 0, checked


@pytest.mark.parametrize("target", ["torch", "onnxruntime", "onnx", "caffe"])
def test_recorded_pool_sources_to(target):
    """tf / keras / jax pooling sources (their real outputs recorded) ported to torch (the code exec'd),
    onnxruntime / onnx (the steps' ModelProto) and caffe (translate_tools.caffe_pool, pooling_layer.cpp's
    arithmetic: Caffe is not installed)."""
    checked = inexact = 0
    for record in POOL_DATA["sources"]:
        c = record["config"]
        r = translate(**c, to_framework=target)
        if not r.exact:
            assert r.reason, c
            inexact += 1
            continue
        x = np.asarray(record["x"], dtype=np.float32)
        y = np.asarray(record["y"], dtype=np.float32)
        xt = np.ascontiguousarray(x.transpose(r.data.axes))
        want = y.transpose(r.data.axes)
        if target == "torch":
            got = exec_torch(r.code, xt, {}, None)
        elif target == "caffe":
            got = caffe_pool(xt, dict(r.steps[0].params))
        else:
            got = run_onnx(onnx_model(r.steps, None, None, xt.shape), xt)
        assert got.shape == want.shape, (c, r.code)
        np.testing.assert_allclose(got, want, atol=TOL, rtol=TOL, err_msg=f"{c}\n{r.code}")
        checked += 1
    assert checked >= (100 if target == "caffe" else 400), (checked, inexact)


def test_tf_max_pool_over_inf_padding_only():
    """A window over the -inf padding only: tf.nn.max_pool1d / 2d (and Keras's 1-D / 2-D MaxPooling) give the float's
    lowest value, max_pool3d -inf (recorded in the venv); so a jax source (-inf) ports exactly to 3-D tf / keras
    only, an onnxruntime-like source (lowest) to 1-D / 2-D."""
    lowest = float(np.finfo(np.float32).min)
    observed = POOL_DATA["tf_empty_max_window"]
    assert observed == {"1": {"tf": lowest, "keras": lowest}, "2": {"tf": lowest, "keras": lowest},
                        "3": {"tf": float("-inf"), "keras": float("-inf")}}
    for n, exact in ((2, False), (3, True)):
        r = translate(f"maxpool{n}d", from_framework="jax", to_framework="tf", input=3, kernel=1, stride=2,
                      padding="2:0")  # window 0 reads only padding
        assert r.exact is exact, r.reason
        if not exact:
            assert "jax gives -inf there, tf the float type's lowest value" in r.reason


# ---------------------------------------------------------------------- pixel shuffle
SHUFFLE_DATA = json.loads((Path(__file__).parent / "data" / "observed_translate_shuffle.json").read_text())


def _shuffle_real(c: dict, x):
    """The real torch op or onnxruntime node (DepthToSpace with its mode, SpaceToDepth)."""
    import torch
    import torch.nn.functional as F

    from convshape.api.translate import Step

    if c["from_framework"] == "torch":
        fn = F.pixel_unshuffle if c["op"] == "pixel-unshuffle" else F.pixel_shuffle
        return fn(torch.from_numpy(x), c["factor"]).numpy()
    if c["op"] == "pixel-unshuffle":
        step = Step("layer", "SpaceToDepth", (("blocksize", c["factor"]),))
    else:
        step = Step("layer", "DepthToSpace", (("blocksize", c["factor"]), ("mode", c.get("mode", "DCR"))))
    return run_onnx(onnx_model([step], None, None, x.shape), x)


def test_shuffle_venv_ports_all_matched():
    """generate_translate_values.py shuffle: tf.nn / keras.ops depth_to_space and space_to_depth sources, every
    port to tf / keras / jax run in the venv: identical (a permutation of cells, compared exactly)."""
    assert SHUFFLE_DATA["versions"] == {"tensorflow": "2.21.0", "keras": "3.15.1", "jax": "0.10.2"}
    assert SHUFFLE_DATA["venv_failures"] == [] and SHUFFLE_DATA["venv_checks"] >= 300


def test_shuffle_ports_to_tf_keras_jax_match_the_real_source():
    """torch and onnxruntime (DCR and CRD) sources: the ports to tf / keras / jax ran in the venv on the recorded
    input; here the real op runs on it: the same tensor (the channel gather where the orders differ included)."""
    checked = Counter()
    for record in SHUFFLE_DATA["ports"]:
        c = record["config"]
        x = np.asarray(record["x"], dtype=np.float32)
        want = _shuffle_real(c, x)
        for target, y in record["ports"].items():
            r = translate(**c, to_framework=target)
            got = np.asarray(y, dtype=np.float32).transpose(np.argsort(r.data.axes))
            np.testing.assert_array_equal(got, want, err_msg=f"{c}\n{r.code}")
            checked[(c["from_framework"], target, c.get("mode"), any(s.name.endswith(("gather", "take"))
                                                                     for s in r.steps))] += 1
    assert checked[("torch", "tf", None, True)] >= 20 and checked[("onnxruntime", "tf", "DCR", False)] >= 5
    assert checked[("onnxruntime", "keras", "CRD", True)] >= 5 and checked[("torch", "jax", None, False)] >= 20


@pytest.mark.parametrize("target", ["torch", "onnxruntime"])
def test_recorded_shuffle_sources_to(target):
    """tf / keras sources (DCR) ported to torch (CRD: the code's channel gather exec'd) and onnxruntime (the steps'
    ModelProto: DepthToSpace mode DCR, SpaceToDepth): the recorded output exactly."""
    gathered = 0
    for record in SHUFFLE_DATA["sources"]:
        c = record["config"]
        r = translate(**c, to_framework=target)
        x = np.asarray(record["x"], dtype=np.float32)
        want = np.asarray(record["y"], dtype=np.float32).transpose(r.data.axes)
        xt = np.ascontiguousarray(x.transpose(r.data.axes))
        got = exec_torch(r.code, xt, {}, None) if target == "torch" else run_onnx(
            onnx_model(r.steps, None, None, xt.shape), xt)
        np.testing.assert_array_equal(got, want, err_msg=f"{c}\n{r.code}")
        gathered += len(r.steps) > 1
    assert gathered >= (100 if target == "torch" else 0)


# ---------------------------------------------------------------------- interpolation
INTERP_DATA = json.loads((Path(__file__).parent / "data" / "observed_translate_interp.json").read_text())


def test_interpolate_ports_to_tf_jax_match_the_real_source():
    """torch and onnxruntime interpolations: their ports to tf (tf.image.resize, tf.raw_ops.ResizeBilinear /
    ResizeNearestNeighbor) and jax (jax.image.resize) ran in the venv on the recorded input
    (generate_translate_values.py interp); here the real F.interpolate / Resize runs on it: same shapes, values
    within 1e-5 (nearest: the same cells)."""
    from convshape.api.translate import Step

    import torch
    import torch.nn.functional as F

    assert INTERP_DATA["venv_failures"] == [] and INTERP_DATA["venv_runs"] >= 200
    checked = Counter()
    for record in INTERP_DATA["ports"]:
        c = record["config"]
        x = np.asarray(record["x"], dtype=np.float32)
        if c["from_framework"] == "torch":
            arg = ({"scale_factor": tuple(c["scale"])} if "scale" in c else {"size": tuple(c["output_size"])})
            want = F.interpolate(torch.from_numpy(x), mode=c["mode"], align_corners=c["align_corners"], **arg).numpy()
        else:
            params = [("mode", c["mode"]),
                      ("coordinate_transformation_mode", "align_corners" if c["align_corners"] else "half_pixel")]
            params += ([("scales", (1.0, 1.0, *map(float, c["scale"])))] if "scale" in c else
                       [("sizes", ("N", "C", *c["output_size"]))])
            want = run_onnx(onnx_model([Step("layer", "Resize", tuple(params))], None, None, x.shape), x)
        for target, y in record["ports"].items():
            r = translate(**c, to_framework=target)
            assert r.exact, (c, target)
            got = np.asarray(y, dtype=np.float32).transpose(np.argsort(r.data.axes))
            assert got.shape == want.shape, (c, target, r.code)
            np.testing.assert_allclose(got, want, atol=TOL, rtol=TOL, err_msg=f"{c}\n{r.code}")
            checked[(c["from_framework"], target, c["mode"])] += 1
    for src, mode in (("torch", "nearest"), ("torch", "bilinear"), ("onnxruntime", "linear")):
        for target in ("tf", "jax", "keras"):
            assert checked[(src, target, mode)] >= 3, checked


def test_interpolate_ports_from_tf_keras_jax_match_the_recorded_source():
    """tf.image.resize, keras Resizing / UpSampling1D/2D/3D and jax.image.resize (antialias off) ran in the venv
    (generate_translate_values.py interp, which also checked their tf / keras / jax ports there); here the ports to
    torch (exec'd) and onnxruntime (the ONNX model from the steps) run on the recorded input: same shapes, values
    within 1e-5 of the recorded source output."""
    pytest.importorskip("onnxruntime")
    assert INTERP_DATA["venv_failures"] == [] and INTERP_DATA["source_checks"] >= 300
    checked, inexact = Counter(), Counter()
    for record in INTERP_DATA["sources"]:
        c = record["config"]
        x, y = (np.asarray(record[k], dtype=np.float32) for k in ("x", "y"))
        for target in ("torch", "onnxruntime"):
            r = translate(**c, to_framework=target)
            if not r.exact:
                inexact[(c["from_framework"], target)] += 1
                continue
            xt = np.ascontiguousarray(x.transpose(r.data.axes))
            got = exec_torch(r.code, xt, {}, None) if target == "torch" else run_onnx(
                onnx_model(r.steps, None, None, xt.shape), xt)
            want = y.transpose(r.data.axes)
            assert got.shape == want.shape, (c, target, r.code)
            np.testing.assert_allclose(got, want, atol=TOL, rtol=TOL, err_msg=f"{c}\n{r.code}")
            upsampling = c["from_framework"] == "keras" and "scale" in c
            checked[(c["from_framework"] + ("-upsampling" if upsampling else ""), target, c["mode"])] += 1
    for src, modes in (("tf", ("nearest", "bilinear")), ("keras", ("nearest", "bilinear")),
                       ("keras-upsampling", ("nearest", "bilinear")), ("jax", ("nearest", "linear"))):
        for target in ("torch", "onnxruntime"):
            for mode in modes:
                assert checked[(src, target, mode)] >= 3, checked
    # float32 half-pixel cells: TF's floor((j + 0.5) * (in / out)) and jax's floor((j + 0.5) * in / out) sometimes
    # pick another cell than torch's nearest-exact or onnxruntime's (j + 0.5) / (out / in): inexact, not wrong
    assert sum(inexact.values()) < sum(checked.values()) // 4, (inexact, checked)


# ---------------------------------------------------------------------- bicubic interpolation
CUBIC_DATA = json.loads((Path(__file__).parent / "data" / "observed_translate_cubic.json").read_text())


def test_bicubic_ports_to_tf_jax_match_the_real_source():
    """torch bicubic and onnxruntime cubic (A = -0.75, clamped taps; half_pixel or align_corners): their ports to
    jax (jax.image.resize "bicubic-pytorch", half_pixel at the size ratio) ran in the venv on the recorded input
    (generate_translate_values.py cubic); here the real F.interpolate / Resize runs on it: same shapes, values within
    1e-5. The ports called inexact (tf: weights from a 1024-step table, Keys' A = -0.5 with half-pixel centers;
    keras Resizing bicubic: tf.image.resize; jax without align_corners or at another step than the size ratio) ran
    there too and give other values here, except a few where the resize does not interpolate."""
    from convshape.api.translate import Step

    import torch
    import torch.nn.functional as F

    assert CUBIC_DATA["venv_failures"] == [] and CUBIC_DATA["venv_runs"] >= 50
    checked, differs, same = Counter(), Counter(), Counter()
    for record in CUBIC_DATA["ports"]:
        c = record["config"]
        x = np.asarray(record["x"], dtype=np.float32)
        if c["from_framework"] == "torch":
            arg = ({"scale_factor": tuple(c["scale"]), "recompute_scale_factor": False} if "scale" in c else
                   {"size": tuple(c["output_size"])})
            want = F.interpolate(torch.from_numpy(x), mode="bicubic", align_corners=c["align_corners"], **arg).numpy()
        else:
            params = [("mode", "cubic"),
                      ("coordinate_transformation_mode", "align_corners" if c["align_corners"] else "half_pixel")]
            params += ([("scales", (1.0, 1.0, *map(float, c["scale"])))] if "scale" in c else
                       [("sizes", ("N", "C", *c["output_size"]))])
            want = run_onnx(onnx_model([Step("layer", "Resize", tuple(params))], None, None, x.shape), x)
        for target, y in record["ports"].items():
            r = translate(**c, to_framework=target)
            assert r.exact, (c, target)
            got = np.asarray(y, dtype=np.float32).transpose(np.argsort(r.data.axes))
            assert got.shape == want.shape, (c, target, r.code)
            np.testing.assert_allclose(got, want, atol=TOL, rtol=TOL, err_msg=f"{c}\n{r.code}")
            checked[(c["from_framework"], target, c["align_corners"])] += 1
        for target, y in record["inexact_ports"].items():
            r = translate(**c, to_framework=target)
            assert not r.exact, (c, target)
            got = np.asarray(y, dtype=np.float32).transpose(np.argsort(r.data.axes))
            close = got.shape == want.shape and np.allclose(got, want, atol=TOL, rtol=TOL)
            (same if close else differs)[target] += 1
    for src in ("torch", "onnxruntime"):
        assert checked[(src, "jax", False)] >= 20, checked
    assert {target for _, target, _ in checked} == {"jax"}, checked
    # the inexact ports really differ (a handful resize to the input's own grid, where every kernel agrees)
    for target in ("tf", "keras", "jax"):
        assert differs[target] >= 30 and same[target] <= differs[target] // 5, (differs, same)


# ---------------------------------------------------------------------- LP pooling to jax
LP_DATA = json.loads((Path(__file__).parent / "data" / "observed_translate_lp.json").read_text())


def test_lp_pool_ports_to_jax_match_the_real_source():
    """torch lp_pool1d/2d/3d (ceil_mode's cut-off window scaled by kernel / cells) and onnxruntime LpPool (pads,
    ceil_mode, any p): their jax ports (lax.reduce_window of |x| ** p, the ceil scale on the sums, ** (1/p)) ran in
    the venv on the recorded input (generate_translate_values.py lp); here the real layer runs on it: same shapes,
    values within 1e-5. torch with an odd p is inexact (torch raises x ** p with its sign)."""
    from convshape.api.translate import Step

    import torch
    import torch.nn.functional as F

    assert LP_DATA["venv_failures"] == [] and LP_DATA["inexact"] > 0
    checked = Counter()
    for record in LP_DATA["ports"]:
        c = record["config"]
        x, y = (np.asarray(record[k], dtype=np.float32) for k in ("x", "y"))
        n, p, k, s = len(c["input"]), c["norm_type"], c["kernel"], c["stride"]
        r = translate(**c, to_framework="jax")
        assert r.exact, c
        if c["from_framework"] == "torch":
            assert p % 2 == 0, c
            one = n == 1  # lp_pool1d takes ints
            want = getattr(F, f"lp_pool{n}d")(torch.from_numpy(x), p, k[0] if one else tuple(k),
                                              s[0] if one else tuple(s), c["ceil_mode"]).numpy()
        else:
            pairs = [tuple(int(v) for v in q.split(":")) for q in c["padding"].split(",")]
            node = Step("layer", "LpPool", (("kernel_shape", tuple(k)), ("strides", tuple(s)),
                                            ("pads", tuple(q[0] for q in pairs) + tuple(q[1] for q in pairs)),
                                            ("p", p), ("ceil_mode", int(c["ceil_mode"]))))
            want = run_onnx(onnx_model([node], None, None, x.shape), x)
        assert y.shape == want.shape, (c, r.code)
        np.testing.assert_allclose(y, want, atol=TOL, rtol=TOL, err_msg=f"{c}\n{r.code}")
        scaled = any(step.name == "mul" for step in r.steps)
        checked[(c["from_framework"], n, scaled, float(p).is_integer() and p % 2 == 0)] += 1
    assert sum(v for (src, _, scaled, _), v in checked.items() if src == "torch" and scaled) >= 10, checked
    assert sum(v for (src, _, _, even), v in checked.items() if src == "onnxruntime" and not even) >= 10, checked
    assert {n for _, n, _, _ in checked} == {1, 2, 3}, checked
