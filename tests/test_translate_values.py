"""translate, proved by values: torch <-> onnxruntime both ways, over random configurations.

The source framework's real layer and the generated port run on the same random input and
weights (converted by the emitted permutation): identical shapes, values within 1e-5.
torch targets: the emitted code is exec'd; onnxruntime targets: the ModelProto built from the
steps' data. A configuration the source rejects is drawn again (its rejection is the other
differential tests' business).
"""

from __future__ import annotations

import os
from collections import Counter
import random
import warnings

import pytest

from convshape import ShapeError
from convshape.api.translate import translate

from difftools import require_torch  # noqa: E402

torch = require_torch()
np = pytest.importorskip("numpy")
pytest.importorskip("onnxruntime")
helper = pytest.importorskip("onnx.helper")

import torch.nn.functional as F  # noqa: E402
from translate_tools import caffe_pool, exec_torch, onnx_model, run_onnx, single_threaded_torch  # noqa: E402

single_threaded_torch()

warnings.filterwarnings("ignore", message=".*padding='same'.*")
N_CASES = int(os.environ.get("CONVSHAPE_TRANSLATE_CASES", "350"))
CONV = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}
CONV_T = {1: F.conv_transpose1d, 2: F.conv_transpose2d, 3: F.conv_transpose3d}


def test_done_when_tf_same_stride_2_to_torch():
    """tensornets#25: TF SAME, k=7, s=2 on 224 pads 2 before and 3 after; torch needs ZeroPad2d((2, 3, 2, 3))."""
    r = translate("conv2d", from_framework="tf", to_framework="torch", input=224, kernel=7, stride=2, padding="same")
    assert [s.kind for s in r.steps] == ["pad", "layer"]
    assert r.steps[0].param("padding") == (2, 3, 2, 3) and r.steps[1].param("padding") == 0
    assert r.weight.axes == (3, 2, 0, 1) and r.exact and not r.exact_for.every_size
    assert r.exact_for.residues == ((0,), (0,))  # odd inputs pad 3:3


def _config(rng: random.Random, transposed: bool) -> dict:
    n = rng.choice((1, 2, 2, 3))
    small = n == 3
    k = [rng.randint(1, 3 if small else 5) for _ in range(n)]
    s = [rng.randint(1, 3) for _ in range(n)]
    d = [rng.choice((1, 1, 2)) for _ in range(n)]
    i = [rng.randint(1, 6 if small else 14) for _ in range(n)]
    g = rng.choice((1, 1, 2))
    return {"n": n, "input": i, "kernel": k, "stride": s, "dilation": d, "groups": g,
            "in_channels": g * rng.randint(1, 2), "out_channels": g * rng.randint(1, 2)}


def _arrays(rng: np.random.Generator, c: dict, transposed: bool, channels_last_weight: bool = False):
    n = c["n"]
    x = rng.standard_normal((1, c["in_channels"], *c["input"])).astype(np.float32)
    per = c["in_channels"] // c["groups"]
    shape = ((c["in_channels"], c["out_channels"] // c["groups"]) if transposed else (c["out_channels"], per))
    w = rng.standard_normal((*shape, *c["kernel"])).astype(np.float32)
    b = rng.standard_normal(c["out_channels"]).astype(np.float32)
    del n, channels_last_weight
    return x, w, b


def _close(got, want, what):
    assert got.shape == want.shape, f"{what}: shape {got.shape} vs {want.shape}"
    np.testing.assert_allclose(got, want, atol=1e-5, rtol=1e-5, err_msg=what)


def _torch_source(rng: random.Random, transposed: bool):
    c = _config(rng, transposed)
    n = c["n"]
    if transposed:
        c["padding"] = [rng.randint(0, (c["dilation"][a] * (c["kernel"][a] - 1))) for a in range(n)]
        c["output_padding"] = [rng.randint(0, max(c["stride"][a], c["dilation"][a]) - 1) for a in range(n)]
    else:
        choice = rng.random()
        if choice < 0.15 and all(v == 1 for v in c["stride"]):
            c["padding"] = "same"
        elif choice < 0.25:
            c["padding"] = "valid"
        else:
            c["padding"] = [rng.randint(0, c["kernel"][a] // 2 + 1) for a in range(n)]
    return c


def _translate(c: dict, src: str, dst: str, transposed: bool):
    n = c["n"]
    pad = c["padding"]
    return translate(f"conv-transpose{n}d" if transposed else f"conv{n}d", from_framework=src, to_framework=dst,
                     input=c["input"], kernel=c["kernel"], stride=c["stride"], dilation=c["dilation"],
                     padding=pad if isinstance(pad, str) else ",".join(
                         p if isinstance(p, str) else str(p) for p in pad),
                     output_padding=c.get("output_padding"), in_channels=c["in_channels"],
                     out_channels=c["out_channels"], groups=c["groups"])


@pytest.mark.parametrize("transposed", [False, True], ids=["conv", "conv-transpose"])
def test_torch_to_onnxruntime_values(transposed):
    rng, nrng = random.Random(1200 + transposed), np.random.default_rng(7 + transposed)
    done = inexact = 0
    while done < N_CASES:
        c = _torch_source(rng, transposed)
        try:
            r = _translate(c, "torch", "onnxruntime", transposed)
        except ShapeError:
            continue
        x, w, b = _arrays(nrng, c, transposed)
        tx, tw, tb = map(torch.from_numpy, (x, w, b))
        pad = c["padding"] if isinstance(c["padding"], str) else tuple(c["padding"])
        if transposed:
            want = CONV_T[c["n"]](tx, tw, tb, c["stride"], pad, tuple(c["output_padding"]), c["groups"],
                                  c["dilation"]).numpy()
        else:
            want = CONV[c["n"]](tx, tw, tb, c["stride"], pad, c["dilation"], c["groups"]).numpy()
        if not r.exact:  # only where the target cannot extend the output with the bias (checked below)
            assert "bias" in r.reason and transposed, (c, r.reason)
            inexact += 1
            continue
        w_port = w.transpose(r.weight.axes)
        got = run_onnx(onnx_model(r.steps, np.ascontiguousarray(w_port), b, x.shape), x)
        _close(got, want, f"{c} -> {[s.to_dict() for s in r.steps]}")
        done += 1
    assert inexact < N_CASES // 10


def _onnx_source(rng: random.Random, transposed: bool):
    c = _config(rng, transposed)
    n = c["n"]
    choice = rng.random()
    if choice < 0.3 and not any(d > 1 for d in c["dilation"]):
        c["padding"] = rng.choice(("same-upper", "same-lower"))
    elif choice < 0.4:
        c["padding"] = "valid"
    else:
        c["padding"] = [f"{rng.randint(0, c['kernel'][a] - 1)}:{rng.randint(0, c['kernel'][a] - 1)}"
                        for a in range(n)]
    if transposed:
        c["output_padding"] = [rng.randint(0, max(c["stride"][a], c["dilation"][a]) - 1) for a in range(n)]
    return c


def _onnx_source_model(c: dict, r, w, b, x_shape, transposed: bool):
    """The source layer as ONNX spells it (auto_pad or pads, output_padding), not the port."""
    from convshape.api.translate import Step

    n = c["n"]
    params: list = [("kernel_shape", tuple(c["kernel"])), ("strides", tuple(c["stride"]))]
    auto = {"same-upper": "SAME_UPPER", "same-lower": "SAME_LOWER", "valid": "VALID"}
    if isinstance(c["padding"], str):
        params.append(("auto_pad", auto[c["padding"]]))
    else:
        pairs = [tuple(int(v) for v in p.split(":")) for p in c["padding"]]
        params.append(("pads", tuple(p[0] for p in pairs) + tuple(p[1] for p in pairs)))
    if transposed:
        params.append(("output_padding", tuple(c["output_padding"])))
    params += [("dilations", tuple(c["dilation"])), ("group", c["groups"])]
    del n, r
    step = Step("layer", "ConvTranspose" if transposed else "Conv", tuple(params))
    return onnx_model([step], w, b, x_shape)


@pytest.mark.parametrize("transposed", [False, True], ids=["conv", "conv-transpose"])
def test_onnxruntime_to_torch_values(transposed):
    rng, nrng = random.Random(3400 + transposed), np.random.default_rng(11 + transposed)
    done = 0
    while done < N_CASES:
        c = _onnx_source(rng, transposed)
        try:
            r = _translate(c, "onnxruntime", "torch", transposed)
        except ShapeError:
            continue
        x, w, b = _arrays(nrng, c, transposed)
        want = run_onnx(_onnx_source_model(c, r, w, b, x.shape, transposed), x)
        assert r.exact, (c, r.reason)
        got = exec_torch(r.code, x, {"w_onnxruntime": w}, b)
        _close(got, want, f"{c}\n{r.code}")
        done += 1


def test_dynamic_torch_port_holds_at_every_size():
    """The size-independent torch form of TF SAME (stride 2) against onnxruntime's SAME_UPPER, odd and even sizes."""
    nrng = np.random.default_rng(5)
    r = translate("conv2d", from_framework="onnxruntime", to_framework="torch", input=12, kernel=4, stride=2,
                  padding="same-upper", in_channels=2, out_channels=3)
    assert r.dynamic_code is not None and not r.exact_for.every_size
    tf_like = translate("conv2d", from_framework="tf", to_framework="torch", input=12, kernel=4, stride=2,
                        padding="same", in_channels=2, out_channels=3)
    from convshape.api.translate import Step

    for size in (9, 10, 11, 12, 13):
        x = nrng.standard_normal((1, 2, size, size + 2)).astype(np.float32)
        w = nrng.standard_normal((3, 2, 4, 4)).astype(np.float32)
        b = nrng.standard_normal(3).astype(np.float32)
        source = Step("layer", "Conv", (("kernel_shape", (4, 4)), ("strides", (2, 2)), ("auto_pad", "SAME_UPPER")))
        want = run_onnx(onnx_model([source], w, b, x.shape), x)
        got = exec_torch(tf_like.dynamic_code, x, {"w_tf": w.transpose(2, 3, 1, 0)}, b)
        _close(got, want, f"size {size}")
        _close(exec_torch(r.dynamic_code, x, {"w_onnxruntime": w}, b), want, f"size {size}")
        static = exec_torch(r.code, x, {"w_onnxruntime": w}, b) if size % 2 == 0 else None
        if static is not None:  # the static port holds at the residue it names
            _close(static, want, f"static, size {size}")


POOL = {"max": {1: F.max_pool1d, 2: F.max_pool2d, 3: F.max_pool3d},
        "avg": {1: F.avg_pool1d, 2: F.avg_pool2d, 3: F.avg_pool3d}}
N_POOL = int(os.environ.get("CONVSHAPE_TRANSLATE_POOL_CASES", "120"))


def _pool_config(rng: random.Random, source: str, kind: str) -> dict:
    n = rng.choice((1, 2, 2, 3))
    k = [rng.randint(1, 3 if n == 3 else 4) for _ in range(n)]
    c = {"n": n, "kind": kind, "kernel": k, "stride": [rng.randint(1, 3) for _ in range(n)],
         "dilation": [rng.choice((1, 1, 2)) if kind == "max" else 1 for _ in range(n)],
         "ceil_mode": rng.random() < 0.6, "count_include_pad": rng.random() < 0.5 if kind == "avg" else None,
         "input": [rng.randint(1, 6 if n == 3 else 13) for _ in range(n)], "channels": rng.randint(1, 2)}
    if source == "torch":
        c["padding"] = [rng.randint(0, v // 2) for v in k]
    else:
        c["padding"] = [f"{rng.randint(0, v - 1)}:{rng.randint(0, v - 1)}" for v in k]
    return c


def _pool_translate(c: dict, src: str, dst: str):
    pad = ",".join(str(p) for p in c["padding"])
    return translate(f"{c['kind']}pool{c['n']}d", from_framework=src, to_framework=dst, input=c["input"],
                     kernel=c["kernel"], stride=c["stride"], padding=pad, dilation=c["dilation"],
                     ceil_mode=c["ceil_mode"], count_include_pad=c["count_include_pad"], in_channels=c["channels"])


def _pool_source(c: dict, source: str, x):
    from convshape.api.translate import Step

    if source == "torch":
        t = torch.from_numpy(x)
        if c["kind"] == "max":
            return POOL["max"][c["n"]](t, c["kernel"], c["stride"], c["padding"], c["dilation"], c["ceil_mode"]).numpy()
        return POOL["avg"][c["n"]](t, c["kernel"], c["stride"], c["padding"], c["ceil_mode"],
                                   c["count_include_pad"]).numpy()
    pairs = [tuple(int(v) for v in p.split(":")) for p in c["padding"]]
    params = [("kernel_shape", tuple(c["kernel"])), ("strides", tuple(c["stride"])),
              ("pads", tuple(p[0] for p in pairs) + tuple(p[1] for p in pairs)), ("ceil_mode", int(c["ceil_mode"]))]
    if c["kind"] == "max":
        params.append(("dilations", tuple(c["dilation"])))
    else:
        params.append(("count_include_pad", int(c["count_include_pad"])))
    node = Step("layer", "MaxPool" if c["kind"] == "max" else "AveragePool", tuple(params))
    try:
        return run_onnx(onnx_model([node], None, None, x.shape), x)
    except Exception as exc:  # convshape accepted what onnxruntime refuses: a defect
        raise AssertionError(f"{c}: {exc}") from exc


@pytest.mark.parametrize("kind", ["max", "avg"])
@pytest.mark.parametrize("source, target", [("torch", "onnxruntime"), ("onnxruntime", "torch"),
                                            ("torch", "onnx"), ("torch", "caffe"), ("onnxruntime", "caffe")])
def test_pool_values(kind, source, target):
    """Max and average pooling incl. ceil_mode (torch drops a last window starting in the end padding,
    onnxruntime a window starting past the input + pad_before) and count_include_pad: the source's real layer
    against the port (a -inf or zero pad step included where the layer's own padding cannot say it)."""
    rng, nrng = random.Random(5600 + len(source) + len(target) + len(kind)), np.random.default_rng(13)
    done = padded = inexact = corrected = 0
    while done < N_POOL:
        c = _pool_config(rng, source, kind)
        try:
            r = _pool_translate(c, source, target)
        except ShapeError:
            continue
        assert r.weight is None
        if not r.exact:
            if target == "caffe":  # 2-D only, no dilation, one pad on both sides, no padding layer
                assert c["n"] != 2 or max(c["dilation"]) > 1 or "Caffe has no padding layer" in r.reason or (
                    "reads only padding" in r.reason and source == "torch"), r.reason
            elif kind == "max":  # a window reading only padding: -inf in torch, lowest() in onnxruntime
                assert "reads only padding" in r.reason and (source == "torch") != (target == "torch"), r.reason
            else:
                assert "divides by the same counts" in r.reason
            inexact += 1
            continue
        x = nrng.standard_normal((1, c["channels"], *c["input"])).astype(np.float32)
        want = _pool_source(c, source, x)
        if target == "torch":
            got = exec_torch(r.code, x, {}, None)
        elif target == "caffe":  # Caffe's Pooling as pooling_layer.cpp computes it (translate_tools.caffe_pool)
            got = caffe_pool(x, dict(r.steps[0].params))
        else:
            got = run_onnx(onnx_model(r.steps, None, None, x.shape), x)
        padded += r.steps[0].kind != "layer"
        corrected += r.steps[-1].name == "mul"
        _close(got, want, f"{c}\n{r.code}")
        done += 1
    # average pooling to torch: where no AvgPool divides as the source, the port corrects the divisor
    if target == "caffe":
        assert done == N_POOL and inexact > 0, inexact  # (the draws are 1-D and 3-D too: inexact for Caffe)
        return
    assert inexact == 0 if (kind, target) == ("avg", "torch") else inexact < N_POOL // 4, inexact
    if source != "torch":  # onnxruntime's asymmetric pads: torch needs a pad step (onnxruntime takes torch's)
        assert padded > 0
    if (kind, source) == ("avg", "onnxruntime"):  # the divisor correction was exercised
        assert corrected > N_POOL // 10, corrected


@pytest.mark.parametrize("op", ["pixel-shuffle", "pixel-unshuffle"])
@pytest.mark.parametrize("source, target", [("torch", "onnxruntime"), ("onnxruntime", "torch")])
def test_pixel_shuffle_values(op, source, target):
    """Pixel shuffle / unshuffle between torch (CRD) and onnxruntime (DepthToSpace DCR or CRD, SpaceToDepth DCR):
    the real op against the port (its channel gather where the orders differ), the same tensor exactly."""
    from convshape.api.translate import Step

    rng, nrng = random.Random(7700 + len(op) + len(source)), np.random.default_rng(17)
    unshuffle = op == "pixel-unshuffle"
    gathered = 0
    for _ in range(150):
        r, shallow = rng.randint(1, 4), rng.randint(1, 4)
        h, w = rng.randint(1, 4), rng.randint(1, 4)
        size = [h * r, w * r] if unshuffle else [h, w]
        channels = shallow if unshuffle else shallow * r * r
        mode = rng.choice(("DCR", "CRD")) if source == "onnxruntime" and not unshuffle else None
        res = translate(op, from_framework=source, to_framework=target, input=size, factor=r, in_channels=channels,
                        mode=mode)
        x = nrng.standard_normal((1, channels, *size)).astype(np.float32)
        if source == "torch":
            want = (F.pixel_unshuffle if unshuffle else F.pixel_shuffle)(torch.from_numpy(x), r).numpy()
        else:
            node = (Step("layer", "SpaceToDepth", (("blocksize", r),)) if unshuffle else
                    Step("layer", "DepthToSpace", (("blocksize", r), ("mode", mode))))
            want = run_onnx(onnx_model([node], None, None, x.shape), x)
        got = exec_torch(res.code, x, {}, None) if target == "torch" else run_onnx(
            onnx_model(res.steps, None, None, x.shape), x)
        np.testing.assert_array_equal(got, want, err_msg=f"{op} {source} r={r} {size} {channels} {mode}\n{res.code}")
        gathered += len(res.steps) > 1
    # torch's CRD against SpaceToDepth's DCR (and DepthToSpace DCR sources to torch) need the gather
    assert gathered > (20 if (source == "onnxruntime" or unshuffle) else -1), gathered
    if source == "torch" and not unshuffle:
        assert gathered == 0  # DepthToSpace takes torch's order as its mode CRD


@pytest.mark.parametrize("source, target", [("torch", "onnxruntime"), ("onnxruntime", "torch")])
def test_lp_pool_values(source, target):
    """LP pooling: torch's lp_pool (ceil_mode's cut-off window scaled up by kernel / cells) against onnxruntime's
    LpPool (pads, ceil_mode): the real layer against the port (a zero pad, LPPool; or LpPool and a Mul by
    (kernel / cells) ** (1/p)), p even; an odd p is inexact (torch takes x ** p, ONNX |x| ** p)."""
    from convshape.api.translate import Step

    rng, nrng = random.Random(8800 + len(source)), np.random.default_rng(19)
    done = scaled = inexact = 0
    while done < 150:
        n = rng.choice((1, 2, 2, 3))
        k = [rng.randint(1, 3 if n == 3 else 4) for _ in range(n)]
        size = [rng.randint(1, 6 if n == 3 else 12) for _ in range(n)]
        stride = [rng.randint(1, 3) for _ in range(n)]
        ceil = rng.random() < 0.6
        p = rng.choice((2, 2, 4, 3))
        pad = ",".join(f"{rng.randint(0, v - 1)}:{rng.randint(0, v - 1)}" for v in k) if source != "torch" else None
        try:
            r = translate(f"lppool{n}d", from_framework=source, to_framework=target, input=size, kernel=k,
                          stride=stride, padding=pad, ceil_mode=ceil, norm_type=p, in_channels=2)
        except ShapeError:
            continue
        if p == 3:
            assert not r.exact and "not an even integer" in r.reason
            inexact += 1
            continue
        x = nrng.standard_normal((1, 2, *size)).astype(np.float32)
        if source == "torch":
            one = n == 1  # lp_pool1d takes ints
            want = getattr(F, f"lp_pool{n}d")(torch.from_numpy(x), p, k[0] if one else tuple(k),
                                              stride[0] if one else tuple(stride), ceil).numpy()
        else:
            pairs = [tuple(int(v) for v in q.split(":")) for q in pad.split(",")]
            node = Step("layer", "LpPool", (("kernel_shape", tuple(k)), ("strides", tuple(stride)),
                                            ("pads", tuple(q[0] for q in pairs) + tuple(q[1] for q in pairs)),
                                            ("p", p), ("ceil_mode", int(ceil))))
            want = run_onnx(onnx_model([node], None, None, x.shape), x)
        got = exec_torch(r.code, x, {}, None) if target == "torch" else run_onnx(
            onnx_model(r.steps, None, None, x.shape), x)
        _close(got, want, f"{source} {n}d i={size} k={k} s={stride} p={p} pad={pad} ceil={ceil}\n{r.code}")
        scaled += r.steps[-1].name == "Mul"
        done += 1
    assert inexact > 0 and (scaled > 10 if source == "torch" else scaled == 0), (inexact, scaled)


@pytest.mark.parametrize("source, target", [("torch", "onnxruntime"), ("onnxruntime", "torch")])
def test_interpolate_values(source, target):
    """Interpolation between torch's F.interpolate (nearest, nearest-exact, linear modes with align_corners, size or
    scale_factor) and onnxruntime's Resize (nearest / linear, half_pixel or align_corners, sizes or scales): the real
    op against the port, values within 1e-5 (nearest: the same cells); the inexact ones say why (torch's float32
    nearest index differs from onnxruntime's somewhere, ONNX's round_prefer_floor ties, nearest with
    align_corners)."""
    from convshape.api.translate import Step

    rng, nrng = random.Random(9900 + len(source)), np.random.default_rng(23)
    done = inexact = inexact_linear = 0
    kinds = Counter()
    while done < 200:
        n = rng.choice((1, 2, 2, 3))
        size = [rng.randint(1, 9 if n < 3 else 5) for _ in range(n)]
        linear = rng.random() < 0.5
        ac = rng.random() < 0.3 if linear or source != "torch" else None
        if source == "torch":
            mode = ({1: "linear", 2: "bilinear", 3: "trilinear"}[n] if linear else
                    rng.choice(("nearest", "nearest-exact")))
        else:
            mode = "linear" if linear else "nearest"
        by_scale = rng.random() < 0.5
        kw = ({"scale": [rng.choice((0.5, 0.75, 1.5, 2, 2.5, 3, 1 / 3)) for _ in range(n)]} if by_scale else
              {"output_size": [rng.randint(1, 12 if n < 3 else 6) for _ in range(n)]})
        try:
            r = translate("interpolate", from_framework=source, to_framework=target, input=size, mode=mode,
                          align_corners=ac, **kw)
        except ShapeError:
            continue
        if not r.exact:
            assert "samples the same cells" in r.reason, r.reason
            inexact += 1
            inexact_linear += linear
            continue
        x = nrng.standard_normal((1, 2, *size)).astype(np.float32)
        if source == "torch":
            arg = ({"scale_factor": tuple(kw["scale"])} if by_scale else {"size": tuple(kw["output_size"])})
            want = F.interpolate(torch.from_numpy(x), mode=mode, align_corners=ac, **arg).numpy()
        else:
            params = [("mode", mode), ("coordinate_transformation_mode", "align_corners" if ac else "half_pixel")]
            params += ([("scales", (1.0, 1.0, *map(float, kw["scale"])))] if by_scale else
                       [("sizes", ("N", "C", *kw["output_size"]))])
            want = run_onnx(onnx_model([Step("layer", "Resize", tuple(params))], None, None, x.shape), x)
        got = exec_torch(r.code, x, {}, None) if target == "torch" else run_onnx(
            onnx_model(r.steps, None, None, x.shape), x)
        _close(got, want, f"{source} {size} {mode} ac={ac} {kw}\n{r.code}")
        kinds[(mode, "scales" in dict(r.steps[0].params) or "scale_factor" in dict(r.steps[0].params))] += 1
        done += 1
    # linear modes port both ways (a scale whose output or step the target rounds otherwise is rare); onnxruntime's
    # nearest (half_pixel, round_prefer_floor) ties where (j + 0.5) * step is a whole number, and with align_corners
    # has no torch equivalent: inexact there
    assert inexact_linear <= 5 and len(kinds) >= 4, (inexact_linear, kinds)
    assert inexact <= 5 if source == "torch" else inexact > 20, inexact


@pytest.mark.parametrize("source, target", [("torch", "onnxruntime"), ("onnxruntime", "torch")])
def test_bicubic_values(source, target):
    """torch's bicubic (upsample_bicubic2d: A = -0.75, taps clamped to the input) and onnxruntime's Resize cubic
    (cubic_coeff_a=-0.75, exclude_outside=0), half_pixel or align_corners, by size or by scale, up and down: the
    real op against the port, values within 1e-5 on random input; every port is exact (a scale whose output or step
    the target rounds otherwise would be inexact, and does not occur among these scales)."""
    from convshape.api.translate import Step

    rng, nrng = random.Random(4400 + len(source)), np.random.default_rng(44)
    kinds = Counter()
    while sum(kinds.values()) < 200:
        size = [rng.randint(1, 9) for _ in range(2)]
        ac = rng.random() < 0.5
        by_scale = rng.random() < 0.5
        kw = ({"scale": [rng.choice((0.5, 0.75, 1.5, 2, 2.5, 3)) for _ in range(2)]} if by_scale else
              {"output_size": [rng.randint(1, 12) for _ in range(2)]})
        try:
            r = translate("interpolate", from_framework=source, to_framework=target, input=size,
                          mode="bicubic" if source == "torch" else "cubic", align_corners=ac, **kw)
        except ShapeError:  # an empty output (a scale below 1 / size)
            continue
        assert r.exact, (size, ac, kw, r.reason)
        x = nrng.standard_normal((1, 2, *size)).astype(np.float32)
        if source == "torch":
            arg = ({"scale_factor": tuple(kw["scale"]), "recompute_scale_factor": False} if by_scale else
                   {"size": tuple(kw["output_size"])})
            want = F.interpolate(torch.from_numpy(x), mode="bicubic", align_corners=ac, **arg).numpy()
        else:
            params = [("mode", "cubic"), ("coordinate_transformation_mode", "align_corners" if ac else "half_pixel")]
            params += ([("scales", (1.0, 1.0, *map(float, kw["scale"])))] if by_scale else
                       [("sizes", ("N", "C", *kw["output_size"]))])
            want = run_onnx(onnx_model([Step("layer", "Resize", tuple(params))], None, None, x.shape), x)
        got = exec_torch(r.code, x, {}, None) if target == "torch" else run_onnx(
            onnx_model(r.steps, None, None, x.shape), x)
        _close(got, want, f"{source} {size} ac={ac} {kw}\n{r.code}")
        p = dict(r.steps[0].params)
        assert p.get("mode") in ("cubic", "bicubic"), p
        kinds[(ac, "scales" in p or "scale_factor" in p, "sizes" in p or "size" in p)] += 1
    assert len(kinds) >= 3 and min(kinds.values()) >= 20, kinds
