"""Records translate's ports from TF, Keras and JAX, proved by values (run with the TF/Keras/JAX venv):

    PYTHONPATH=. /work/venv-tf/bin/python tests/data/generate_translate_values.py
    PYTHONPATH=. /work/venv-tf/bin/python tests/data/generate_translate_values.py pool   # pooling only
    PYTHONPATH=. /work/venv-tf/bin/python tests/data/generate_translate_values.py shuffle   # pixel shuffle only
    PYTHONPATH=. /work/venv-tf/bin/python tests/data/generate_translate_values.py interp   # interpolation only
    PYTHONPATH=. /work/venv-tf/bin/python tests/data/generate_translate_values.py cubic   # bicubic interpolation only
    PYTHONPATH=. /work/venv-tf/bin/python tests/data/generate_translate_values.py lp   # LP pooling to jax only

Pooling (``pool``, written to tests/data/observed_translate_pool.json): max and average pooling sources in tf,
keras and jax run here, their ports to tf / keras / jax checked here, and recorded (input, the source's output) for
the CI test to run the ports to torch / onnxruntime / onnx / caffe; and sources in torch and onnxruntime (which
the venv lacks) are ported to tf / keras / jax and run here on seeded input, the ports' outputs recorded for the CI
test to compare with the real torch / onnxruntime source.

For seeded random convolutions and transposed convolutions, the real source layer (tf.nn, keras.layers,
jax.lax) runs on seeded input and weights; every port to tf, keras and jax is exec'd here on the same
values (weights converted by the emitted permutation) and compared (shapes, values within 1e-5); the
ports to torch and onnxruntime are recorded (input, weights, bias, the source's output) for
tests/test_translate_records.py, which runs them in CI. Writes tests/data/observed_translate.json.
"""

from __future__ import annotations

import json
import os
import random
import sys

import numpy as np

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
import jax  # noqa: E402
import keras  # noqa: E402
import tensorflow as tf  # noqa: E402
from jax import lax  # noqa: E402

jax.config.update("jax_platforms", "cpu")
from convshape import ShapeError  # noqa: E402
from convshape.api.translate import translate  # noqa: E402

POOL = len(sys.argv) > 1 and sys.argv[1] == "pool"
SHUFFLE = len(sys.argv) > 1 and sys.argv[1] == "shuffle"
INTERP = len(sys.argv) > 1 and sys.argv[1] == "interp"
CUBIC = len(sys.argv) > 1 and sys.argv[1] == "cubic"
LP = len(sys.argv) > 1 and sys.argv[1] == "lp"
N = int(sys.argv[1]) if len(sys.argv) > 1 and not (POOL or SHUFFLE or INTERP or CUBIC or LP) else 240
SPATIAL = {1: "W", 2: "HW", 3: "DHW"}
TOL = 1e-5
#: TF's CPU kernels lack dilation in conv3d and the transposed convolutions: skipped, counted
CPU_LIMITS = ("do not yet support dilation", "does not yet support dilation", "only supports dilated rates of 1")


def config(rng: random.Random, src: str, transposed: bool) -> dict:
    n = rng.choice((1, 2, 2, 3))
    k = [rng.randint(1, 3 if n == 3 else 4) for _ in range(n)]
    s = [rng.randint(1, 3) for _ in range(n)]
    d = [rng.choice((1, 1, 2)) for _ in range(n)]
    if src == "keras" and any(v > 1 for v in s):
        d = [1] * n
    i = [rng.randint(1, 6 if n == 3 else 11) for _ in range(n)]
    g = 1 if transposed or n != 2 else rng.choice((1, 1, 2))
    c = {"op": f"conv-transpose{n}d" if transposed else f"conv{n}d", "from_framework": src, "input": i,
         "kernel": k, "stride": s, "dilation": d, "groups": g, "in_channels": g * rng.randint(1, 2),
         "out_channels": g * rng.randint(1, 2)}
    words = {"tf": ["same", "valid"], "keras": ["same", "valid"], "jax": ["same", "same-lower", "valid"]}[src]
    if transposed and src == "jax":
        words = ["same", "valid"]
    if src == "jax" and rng.random() < 0.4:
        c["padding"] = ",".join(f"{rng.randint(-1, 3)}:{rng.randint(-1, 3)}" for _ in range(n))
    elif src == "tf" and n == 2 and not transposed and rng.random() < 0.3:
        c["padding"] = ",".join(f"{rng.randint(0, 3)}:{rng.randint(0, 3)}" for _ in range(n))
    else:
        c["padding"] = rng.choice(words)
    if transposed and src == "keras" and rng.random() < 0.5:
        c["output_padding"] = [rng.randint(0, v - 1) for v in s]
    if transposed and src == "tf":
        c["output_size"] = None  # the smallest valid size, as convshape shows it
    return c


def source_run(c: dict, geometry, x: np.ndarray, w: np.ndarray, b: np.ndarray) -> np.ndarray:
    src, n = c["from_framework"], len(c["input"])
    transposed = c["op"].startswith("conv-transpose")
    pad = c["padding"]
    if src == "tf":
        if transposed:
            shape = [1, *geometry.output, c["out_channels"]]
            fn = {1: tf.nn.conv1d_transpose, 2: tf.nn.conv2d_transpose, 3: tf.nn.conv3d_transpose}[n]
            y = fn(x, w, shape, c["stride"], pad.upper(), dilations=c["dilation"])
        else:
            padding = pad.upper() if ":" not in pad else [[0, 0], *[[int(v) for v in p.split(":")]
                                                                    for p in pad.split(",")], [0, 0]]
            fn = {1: tf.nn.conv1d, 2: tf.nn.conv2d, 3: tf.nn.conv3d}[n]
            stride = c["stride"] if n != 3 else [1, *c["stride"], 1]
            dil = c["dilation"] if n != 3 else [1, *c["dilation"], 1]
            y = fn(x, w, stride, padding, dilations=dil)
        return np.asarray(y + b)
    if src == "keras":
        if transposed:
            layer = getattr(keras.layers, f"Conv{n}DTranspose")(
                c["out_channels"], c["kernel"], strides=c["stride"], padding=pad,
                output_padding=c.get("output_padding"), dilation_rate=c["dilation"])
        else:
            layer = getattr(keras.layers, f"Conv{n}D")(c["out_channels"], c["kernel"], strides=c["stride"],
                                                       padding=pad, dilation_rate=c["dilation"], groups=c["groups"])
        layer.build(x.shape)
        layer.set_weights([w, b])
        return np.asarray(layer(x))
    numbers = (f"NC{SPATIAL[n]}", f"OI{SPATIAL[n]}", f"NC{SPATIAL[n]}")
    padding = ({"same": "SAME", "same-lower": "SAME_LOWER", "valid": "VALID"}[pad] if ":" not in pad else
               [tuple(int(v) for v in p.split(":")) for p in pad.split(",")])
    if transposed:
        y = lax.conv_transpose(x, w, c["stride"], padding, rhs_dilation=c["dilation"], dimension_numbers=numbers,
                               transpose_kernel=True)
    else:
        y = lax.conv_general_dilated(x, w, c["stride"], padding, rhs_dilation=c["dilation"],
                                     feature_group_count=c["groups"], dimension_numbers=numbers)
    return np.asarray(y + b.reshape(1, -1, *([1] * n)))


def conv3d_same_repro() -> dict:
    """The minimal reproduction of TF's CPU conv3d with SAME (convshape.api.translate.ports.TF_CPU_CONV3D_SAME):
    i=(3,3,3), k=1, s=(1,1,3): SAME's total padding on the last axis is (1-1)*3 + 1 - 3 = -2, its rule pads
    nothing, so SAME should equal VALID; the CPU kernel reads cell trunc(2/2) = 1 instead of 0."""
    x = np.random.default_rng(0).standard_normal((1, 3, 3, 3, 2)).astype(np.float32)
    w = np.random.default_rng(1).standard_normal((1, 1, 1, 2, 2)).astype(np.float32)
    same = tf.nn.conv3d(x, w, [1, 1, 1, 3, 1], "SAME").numpy()
    valid = tf.nn.conv3d(x, w, [1, 1, 1, 3, 1], "VALID").numpy()
    shifted = tf.nn.conv3d(x[:, :, :, 1:, :], w, [1, 1, 1, 3, 1], "VALID").numpy()
    return {"input": [3, 3, 3], "kernel": [1, 1, 1], "stride": [1, 1, 3],
            "same_vs_valid_max_diff": float(np.max(np.abs(same - valid))),
            "same_vs_valid_from_cell_1_max_diff": float(np.max(np.abs(same - shifted)))}


def conv3d_same_shifted(c: dict, g) -> bool:
    """A TF / Keras conv3d "same" source where TF's CPU kernel shifts the windows (SAME's total <= -2)."""
    if c["from_framework"] not in ("tf", "keras") or c["op"] != "conv3d" or c["padding"] != "same":
        return False
    return any((-(-i // s) - 1) * s + e - i <= -2 for i, s, e in zip(g.input, g.stride, g.effective))


def run_target(r, x: np.ndarray, w: np.ndarray, b: np.ndarray) -> np.ndarray:
    xt = np.ascontiguousarray(x.transpose(r.data.axes))
    scope = {f"w_{r.from_framework}": w, "b": b, "np": np}
    if r.to_framework == "jax":
        scope["x"] = jax.numpy.asarray(xt)
    elif r.to_framework == "tf":
        scope["x"] = tf.constant(xt)
    else:
        scope["x"] = xt
    exec(r.code, scope)
    return np.asarray(scope["y"])


def main() -> None:
    rng, nrng = random.Random(2026), np.random.default_rng(2026)
    records, checks, failures, inexact = [], 0, [], []
    attempts = cpu_limits = conv3d_same_skips = 0
    while len(records) < N and attempts < 50 * N:
        attempts += 1
        src = ("tf", "keras", "jax")[attempts % 3]
        transposed = rng.random() < 0.45
        c = config(rng, src, transposed)
        kwargs = {k: v for k, v in c.items() if k != "output_size"}
        try:
            ports = {t: translate(**kwargs, to_framework=t) for t in ("tf", "keras", "jax", "torch", "onnxruntime")}
        except ShapeError:
            continue
        g = ports["torch"].source
        n = len(g.input)
        last = src in ("tf", "keras")
        xs = (1, *g.input, g.in_channels) if last else (1, g.in_channels, *g.input)
        x = nrng.standard_normal(xs).astype(np.float32)
        wshape = {"tf": None}.get(src)
        from convshape.api.translate import weight_layout

        layout = weight_layout(src, transposed, n)
        sizes = {"O": g.out_channels if not transposed else g.out_channels // g.groups,
                 "I": g.in_channels // g.groups if not transposed else g.in_channels}
        sizes.update(zip(SPATIAL[n], g.kernel))
        wshape = tuple(sizes[letter] for letter in layout)
        w = nrng.standard_normal(wshape).astype(np.float32)
        b = nrng.standard_normal(g.out_channels).astype(np.float32)
        if conv3d_same_shifted(c, g):  # the CPU source runs otherwise than SAME's rule: skipped, counted
            conv3d_same_skips += 1
            continue
        try:
            y = source_run(c, g, x, w, b)
        except Exception as exc:  # the source framework refused what convshape resolved: record it
            if any(m in str(exc) for m in CPU_LIMITS):
                cpu_limits += 1
                continue
            failures.append({"config": kwargs, "target": "source", "error": str(exc)[:300]})
            continue
        for target in ("tf", "keras", "jax"):
            r = ports[target]
            if not r.exact:
                inexact.append({"config": kwargs, "target": target, "reason": r.reason})
                continue
            checks += 1
            try:
                got = run_target(r, x, w, b)
                want = y.transpose(r.data.axes)
                if got.shape != want.shape or not np.allclose(got, want, atol=TOL, rtol=TOL):
                    failures.append({"config": kwargs, "target": target, "code": r.code,
                                     "shape": [list(got.shape), list(want.shape)],
                                     "max_diff": float(np.max(np.abs(got - want))) if got.shape == want.shape
                                     else None})
            except Exception as exc:
                if any(m in str(exc) for m in CPU_LIMITS):
                    cpu_limits += 1
                    continue
                failures.append({"config": kwargs, "target": target, "code": r.code, "error": str(exc)[:300]})
        records.append({"config": kwargs, "x": x.round(6).tolist(), "w": w.round(6).tolist(),
                        "b": b.round(6).tolist(), "y": y.tolist()})
    out = {"versions": {"tensorflow": tf.__version__, "keras": keras.__version__, "jax": jax.__version__},
           "tolerance": TOL, "venv_checks": checks, "venv_failures": failures,
           "tf_cpu_dilation_skips": cpu_limits, "tf_cpu_conv3d_same_skips": conv3d_same_skips,
           "tf_cpu_conv3d_same_repro": conv3d_same_repro(), "inexact": inexact,
           "records": records}
    path = os.path.join(os.path.dirname(__file__), "observed_translate.json")
    with open(path, "w") as f:
        json.dump(out, f, separators=(",", ":"))
    print(f"{len(records)} records, {checks} ports checked in the venv, {len(failures)} failures, "
          f"{len(inexact)} inexact", file=sys.stderr)
    for fail in failures[:10]:
        print(json.dumps(fail)[:600], file=sys.stderr)


# ---------------------------------------------------------------------- pooling
N_POOL_SOURCES = 150  # per tf / keras / jax source
N_POOL_PORTS = 150  # per torch / onnxruntime source


def pool_config(rng: random.Random, src: str) -> dict:
    kind = rng.choice(("max", "avg"))
    n = 2 if src == "keras" and rng.random() < 0.5 else rng.choice((1, 2, 2, 3))
    k = [rng.randint(1, 3 if n == 3 else 4) for _ in range(n)]
    c = {"op": f"{kind}pool{n}d", "from_framework": src, "input": [rng.randint(1, 6 if n == 3 else 12)
                                                                    for _ in range(n)],
         "kernel": k, "stride": [rng.randint(1, 3) for _ in range(n)], "in_channels": rng.randint(1, 2)}
    if src in ("tf", "keras"):
        c["padding"] = rng.choice(("same", "valid"))
        if src == "tf" and kind == "max" and n <= 2 and rng.random() < 0.3:
            c["padding"] = ",".join(f"{rng.randint(0, v - 1)}:{rng.randint(0, v - 1)}" for v in k)
    elif src == "jax":
        c["dilation"] = [rng.choice((1, 1, 2)) if kind == "max" else 1 for _ in range(n)]
        if rng.random() < 0.5:
            c["padding"] = ",".join(f"{rng.randint(-1, 3)}:{rng.randint(-1, 3)}" for _ in range(n))
        else:
            c["padding"] = rng.choice(("same", "same-lower", "valid"))
        if kind == "avg":
            c["count_include_pad"] = rng.random() < 0.5
    else:  # torch / onnxruntime
        c["dilation"] = [rng.choice((1, 1, 2)) if kind == "max" else 1 for _ in range(n)]
        c["ceil_mode"] = rng.random() < 0.6
        if kind == "avg":
            c["count_include_pad"] = rng.random() < 0.5
        if src == "torch":
            c["padding"] = ",".join(str(rng.randint(0, v // 2)) for v in k)
        else:
            c["padding"] = ",".join(f"{rng.randint(0, v - 1)}:{rng.randint(0, v - 1)}" for v in k)
    return c


def pool_source_run(c: dict, x: np.ndarray) -> np.ndarray:
    """The real tf / keras / jax pooling layer (x laid out as the source takes it)."""
    src, kind, n = c["from_framework"], c["op"][:3], len(c["input"])
    pad = c["padding"]
    if src == "tf":
        padding = pad.upper() if ":" not in pad else [[0, 0], *[[int(v) for v in p.split(":")]
                                                                for p in pad.split(",")], [0, 0]]
        fn = getattr(tf.nn, f"{kind}_pool{n}d")
        return np.asarray(fn(x, c["kernel"], c["stride"], padding))
    if src == "keras":
        cls = getattr(keras.layers, f"{'MaxPooling' if kind == 'max' else 'AveragePooling'}{n}D")
        return np.asarray(cls(pool_size=c["kernel"], strides=c["stride"], padding=pad)(x))
    dims, strides = (1, 1, *c["kernel"]), (1, 1, *c["stride"])
    padding = ({"same": "SAME", "same-lower": "SAME_LOWER", "valid": "VALID"}[pad] if ":" not in pad else
               [(0, 0), (0, 0), *[tuple(int(v) for v in p.split(":")) for p in pad.split(",")]])
    if kind == "max":  # as flax.linen.max_pool: -inf
        return np.asarray(lax.reduce_window(x, -jax.numpy.inf, lax.max, dims, strides, padding,
                                            window_dilation=(1, 1, *c["dilation"])))
    total = lax.reduce_window(x, 0.0, lax.add, dims, strides, padding)
    if c["count_include_pad"]:  # as flax.linen.avg_pool: the window size, or a reduce_window of ones
        return np.asarray(total / np.prod(c["kernel"]))
    ones = jax.numpy.ones((1, 1, *x.shape[2:]), x.dtype)
    return np.asarray(total / lax.reduce_window(ones, 0.0, lax.add, dims, strides, padding))


def empty_max_window() -> dict:
    """What tf.nn.max_pool{1,2,3}d and Keras MaxPooling{1,2,3}D give for a window over -inf padding only (the
    ports pad with -inf): 1-D / 2-D the float's lowest, 3-D -inf (TF 2.21 CPU)."""
    found = {}
    for n in (1, 2, 3):
        x = np.ones((1, *([1] * (n - 1)), 3, 1), np.float32)
        widths = [[0, 0], *([[0, 0]] * (n - 1)), [0, 4], [0, 0]]
        k = [1] * (n - 1) + [2]
        t = tf.pad(x, widths, constant_values=-np.inf)
        tf_value = float(np.asarray(getattr(tf.nn, f"max_pool{n}d")(t, k, k, "VALID")).ravel()[-1])
        layer = getattr(keras.layers, f"MaxPooling{n}D")(tuple(k), tuple(k), "valid")
        keras_value = float(np.asarray(layer(keras.ops.pad(x, widths, constant_values=float("-inf")))).ravel()[-1])
        found[str(n)] = {"tf": tf_value, "keras": keras_value}
    return found


def pool_main() -> None:
    rng, nrng = random.Random(2027), np.random.default_rng(2027)
    sources, ports, checks, failures, inexact = [], [], 0, [], []
    wanted = {"tf": N_POOL_SOURCES, "keras": N_POOL_SOURCES, "jax": N_POOL_SOURCES, "torch": N_POOL_PORTS,
              "onnxruntime": N_POOL_PORTS}
    have = dict.fromkeys(wanted, 0)
    attempts = shifted = 0
    while any(have[s] < wanted[s] for s in wanted) and attempts < 100 * N_POOL_SOURCES:
        attempts += 1
        src = list(wanted)[attempts % len(wanted)]
        if have[src] >= wanted[src]:
            continue
        c = pool_config(rng, src)
        try:
            results = {t: translate(**c, to_framework=t) for t in ("tf", "keras", "jax", "torch")}
        except ShapeError:
            continue
        g = results["torch"].source
        x_nchw = nrng.standard_normal((1, g.in_channels, *g.input)).astype(np.float32)
        if src in ("tf", "keras") and any("TF 2.21's CPU tf.nn.max_pool3d" in note for note in results["torch"].notes):
            shifted += 1  # the CPU source runs otherwise than SAME's rule (TF_CPU_POOL3D_SAME): skipped, counted
            continue
        if src in ("tf", "keras", "jax"):
            last = src != "jax"
            x = np.ascontiguousarray(x_nchw.transpose(0, *range(2, 2 + g.ndim), 1)) if last else x_nchw
            try:
                y = pool_source_run(c, x)
            except Exception as exc:  # the source framework refused what convshape resolved: record it
                failures.append({"config": c, "target": "source", "error": str(exc)[:300]})
                continue
            if y.shape != (1, *g.output, g.in_channels) and y.shape != (1, g.in_channels, *g.output):
                failures.append({"config": c, "target": "source", "shape": list(y.shape), "want": list(g.output)})
            sources.append({"config": c, "x": x.round(6).tolist(), "y": y.tolist()})
        else:
            x, y = x_nchw, None
            ports.append({"config": c, "x": x.round(6).tolist(), "ports": {}})
        have[src] += 1
        for target in ("tf", "keras", "jax"):
            r = results[target]
            if not r.exact:
                inexact.append({"config": c, "target": target, "reason": r.reason})
                continue
            try:
                got = run_target(r, x, np.zeros(0, np.float32), np.zeros(0, np.float32))
            except Exception as exc:
                failures.append({"config": c, "target": target, "code": r.code, "error": str(exc)[:300]})
                continue
            if y is None:
                ports[-1]["ports"][target] = got.tolist()
                continue
            checks += 1
            want = y.transpose(r.data.axes)
            if got.shape != want.shape or not np.allclose(got, want, atol=TOL, rtol=TOL):
                failures.append({"config": c, "target": target, "code": r.code,
                                 "shape": [list(got.shape), list(want.shape)],
                                 "max_diff": float(np.max(np.abs(got - want))) if got.shape == want.shape else None})
    out = {"versions": {"tensorflow": tf.__version__, "keras": keras.__version__, "jax": jax.__version__},
           "tolerance": TOL, "venv_checks": checks, "venv_failures": failures,
           "tf_cpu_pool3d_same_skips": shifted,
           "tf_empty_max_window": empty_max_window(), "inexact": inexact, "sources": sources, "ports": ports}
    path = os.path.join(os.path.dirname(__file__), "observed_translate_pool.json")
    with open(path, "w") as f:
        json.dump(out, f, separators=(",", ":"))
    print(f"pooling: {len(sources)} tf/keras/jax sources ({checks} ports checked here), {len(ports)} torch/onnxruntime "
          f"sources ported ({sum(len(p['ports']) for p in ports)} port outputs), {len(failures)} failures, "
          f"{len(inexact)} inexact", file=sys.stderr)
    for fail in failures[:12]:
        print(json.dumps(fail)[:700], file=sys.stderr)



# ---------------------------------------------------------------------- pixel shuffle
def shuffle_main() -> None:
    """Pixel shuffle / unshuffle (tests/data/observed_translate_shuffle.json): tf.nn and keras.ops sources run here,
    their ports to tf / keras / jax checked here and recorded (input, output) for the CI test's torch / onnxruntime
    ports; torch and onnxruntime (DCR and CRD) sources ported to tf / keras / jax and run here, the outputs recorded
    for the CI test to compare with the real torch / onnxruntime op."""
    rng, nrng = random.Random(2028), np.random.default_rng(2028)
    sources, ports, checks, failures = [], [], 0, []
    for j in range(240):
        src = ("tf", "keras", "torch", "onnxruntime")[j % 4]
        unshuffle = rng.random() < 0.5
        r = rng.randint(2, 3)
        shallow = rng.randint(1, 3)
        h, w = rng.randint(1, 4), rng.randint(1, 4)
        c = {"op": "pixel-unshuffle" if unshuffle else "pixel-shuffle", "from_framework": src,
             "input": [h * r, w * r] if unshuffle else [h, w], "factor": r,
             "in_channels": shallow if unshuffle else shallow * r * r}
        if src == "onnxruntime" and not unshuffle:
            c["mode"] = rng.choice(("DCR", "CRD"))
        results = {t: translate(**c, to_framework=t) for t in ("tf", "keras", "jax")}
        # values kept to 6 decimals before anything runs: the JSON holds exactly what ran (compared exactly)
        x_nchw = np.round(nrng.standard_normal((1, c["in_channels"], *c["input"])), 6).astype(np.float32)
        if src in ("tf", "keras"):
            x = np.ascontiguousarray(x_nchw.transpose(0, 2, 3, 1))
            if src == "tf":
                y = np.asarray((tf.nn.space_to_depth if unshuffle else tf.nn.depth_to_space)(x, r))
            else:
                y = np.asarray((keras.ops.space_to_depth if unshuffle else keras.ops.depth_to_space)(x, r))
            sources.append({"config": c, "x": x.tolist(), "y": y.tolist()})
        else:
            x, y = x_nchw, None
            ports.append({"config": c, "x": x.tolist(), "ports": {}})
        for target, res in results.items():
            try:
                got = run_target(res, x, np.zeros(0, np.float32), np.zeros(0, np.float32))
            except Exception as exc:
                failures.append({"config": c, "target": target, "code": res.code, "error": str(exc)[:300]})
                continue
            if y is None:
                ports[-1]["ports"][target] = got.tolist()
                continue
            checks += 1
            want = y.transpose(res.data.axes)
            if got.shape != want.shape or not np.array_equal(got, want):
                failures.append({"config": c, "target": target, "code": res.code,
                                 "shape": [list(got.shape), list(want.shape)]})
    out = {"versions": {"tensorflow": tf.__version__, "keras": keras.__version__, "jax": jax.__version__},
           "venv_checks": checks, "venv_failures": failures, "sources": sources, "ports": ports}
    path = os.path.join(os.path.dirname(__file__), "observed_translate_shuffle.json")
    with open(path, "w") as f:
        json.dump(out, f, separators=(",", ":"))
    print(f"pixel shuffle: {len(sources)} tf/keras sources ({checks} ports checked here), {len(ports)} "
          f"torch/onnxruntime sources ported, {len(failures)} failures", file=sys.stderr)
    for fail in failures[:12]:
        print(json.dumps(fail)[:700], file=sys.stderr)


# ---------------------------------------------------------------------- LP pooling to jax
def lp_main() -> None:
    """LP pooling (tests/data/observed_translate_lp.json): torch lp_pool1d/2d/3d (ceil_mode or not) and onnxruntime
    LpPool (pads, ceil_mode) sources ported to jax (lax.reduce_window of |x| ** p), run here on seeded input (kept
    to 6 decimals); the CI test compares the recorded outputs with the real torch / onnxruntime layer."""
    rng, nrng = random.Random(2033), np.random.default_rng(2033)
    ports, failures, inexact = [], [], 0
    while len(ports) < 160:
        src = ("torch", "onnxruntime")[len(ports) % 2]
        n = rng.choice((1, 2, 2, 3))
        k = [rng.randint(1, 3 if n == 3 else 4) for _ in range(n)]
        c = {"op": f"lppool{n}d", "from_framework": src, "input": [rng.randint(1, 6 if n == 3 else 12) for _ in k],
             "kernel": k, "stride": [rng.randint(1, 3) for _ in k], "ceil_mode": rng.random() < 0.6,
             "norm_type": rng.choice((2, 2, 4, 3)),  # ONNX LpPool's p is an int
             "in_channels": 2}
        if src == "onnxruntime":
            c["padding"] = ",".join(f"{rng.randint(0, v - 1)}:{rng.randint(0, v - 1)}" for v in k)
        try:
            res = translate(**c, to_framework="jax")
        except ShapeError:
            continue
        if not res.exact:
            inexact += 1
            continue
        x = np.round(nrng.standard_normal((1, 2, *c["input"])), 6).astype(np.float32)
        try:
            y = run_target(res, x, np.zeros(0, np.float32), np.zeros(0, np.float32))
        except Exception as exc:
            failures.append({"config": c, "code": res.code, "error": str(exc)[:300]})
            continue
        ports.append({"config": c, "x": x.tolist(), "y": y.tolist()})
    out = {"versions": {"jax": jax.__version__}, "venv_failures": failures, "inexact": inexact, "ports": ports}
    path = os.path.join(os.path.dirname(__file__), "observed_translate_lp.json")
    with open(path, "w") as f:
        json.dump(out, f, separators=(",", ":"))
    print(f"LP pooling to jax: {len(ports)} torch/onnxruntime sources ported and run, {inexact} inexact; "
          f"{len(failures)} failures", file=sys.stderr)
    for fail in failures[:12]:
        print(json.dumps(fail)[:700], file=sys.stderr)


# ---------------------------------------------------------------------- bicubic interpolation
def cubic_main() -> None:
    """Bicubic (tests/data/observed_translate_cubic.json): torch ``bicubic`` and onnxruntime ``cubic`` sources
    (half_pixel or align_corners, sizes or scales; 2-D) ported to tf / keras / jax, run here on seeded input (kept to
    6 decimals) where the port is exact; the CI test compares the recorded outputs with the real torch /
    onnxruntime op. The inexact ports are counted by their reason."""
    rng, nrng = random.Random(2031), np.random.default_rng(2031)
    ports, failures, ran = [], [], 0
    inexact: dict = {}
    while len(ports) < 120:
        src = ("torch", "onnxruntime")[len(ports) % 2]
        size = [rng.randint(1, 9) for _ in range(2)]
        ac = rng.random() < 0.5
        kw = ({"scale": [rng.choice((0.5, 1.5, 2, 3)) for _ in range(2)]} if rng.random() < 0.3 else
              {"output_size": [rng.randint(1, 12) for _ in range(2)]})
        c = {"op": "interpolate", "from_framework": src, "input": size,
             "mode": "bicubic" if src == "torch" else "cubic", "align_corners": ac, **kw}
        try:
            results = {t: translate(**c, to_framework=t) for t in ("tf", "jax", "keras")}
        except ShapeError:
            continue
        x = np.round(nrng.standard_normal((1, 2, *size)), 6).astype(np.float32)
        record = {"config": c, "x": x.tolist(), "ports": {}, "inexact_ports": {}}
        for target, res in results.items():
            if not res.exact:  # its closest port runs too: the CI test shows it differs from the source
                key = f"{target}: {res.reason.split(' (')[0]}"
                inexact[key] = inexact.get(key, 0) + 1
                try:
                    record["inexact_ports"][target] = run_target(res, x, np.zeros(0, np.float32),
                                                                 np.zeros(0, np.float32)).tolist()
                except Exception as exc:
                    failures.append({"config": c, "target": target, "code": res.code, "error": str(exc)[:300]})
                continue
            try:
                got = run_target(res, x, np.zeros(0, np.float32), np.zeros(0, np.float32))
            except Exception as exc:
                failures.append({"config": c, "target": target, "code": res.code, "error": str(exc)[:300]})
                continue
            record["ports"][target] = got.tolist()
            ran += 1
        ports.append(record)
    out = {"versions": {"tensorflow": tf.__version__, "keras": keras.__version__, "jax": jax.__version__},
           "venv_runs": ran, "venv_failures": failures, "inexact": inexact, "ports": ports}
    path = os.path.join(os.path.dirname(__file__), "observed_translate_cubic.json")
    with open(path, "w") as f:
        json.dump(out, f, separators=(",", ":"))
    print(f"bicubic: {len(ports)} torch/onnxruntime sources, {ran} tf / jax ports run, inexact {inexact}; "
          f"{len(failures)} failures", file=sys.stderr)
    for fail in failures[:12]:
        print(json.dumps(fail)[:700], file=sys.stderr)


# ---------------------------------------------------------------------- interpolation
def interp_main() -> None:
    """Interpolation (tests/data/observed_translate_interp.json): torch and onnxruntime sources (which the venv
    lacks) ported to tf (2-D) and jax, run here on seeded input (kept to 6 decimals before anything runs); the CI
    test compares the recorded outputs with the real torch / onnxruntime op."""
    rng, nrng = random.Random(2029), np.random.default_rng(2029)
    ports, failures, inexact, ran = [], [], 0, 0
    while len(ports) < 240:
        src = ("torch", "onnxruntime")[len(ports) % 2]
        n = rng.choice((1, 2, 2, 2, 3))
        size = [rng.randint(1, 9 if n < 3 else 5) for _ in range(n)]
        linear = rng.random() < 0.5
        ac = rng.random() < 0.3 if linear or src != "torch" else None
        linear_mode = {1: "linear", 2: "bilinear", 3: "trilinear"}[n]
        mode = ((linear_mode if linear else rng.choice(("nearest", "nearest-exact"))) if src == "torch" else
                ("linear" if linear else "nearest"))
        kw = ({"scale": [rng.choice((0.5, 1.5, 2, 3)) for _ in range(n)]} if rng.random() < 0.3 else
              {"output_size": [rng.randint(1, 12 if n < 3 else 6) for _ in range(n)]})
        c = {"op": "interpolate", "from_framework": src, "input": size, "mode": mode, "align_corners": ac, **kw}
        try:
            results = {t: translate(**c, to_framework=t) for t in ("tf", "jax", "keras")}
        except ShapeError:
            continue
        x = np.round(nrng.standard_normal((1, 2, *size)), 6).astype(np.float32)
        record = {"config": c, "x": x.tolist(), "ports": {}}
        for target, res in results.items():
            if not res.exact:
                inexact += 1
                continue
            try:
                got = run_target(res, x, np.zeros(0, np.float32), np.zeros(0, np.float32))
            except Exception as exc:
                failures.append({"config": c, "target": target, "code": res.code, "error": str(exc)[:300]})
                continue
            record["ports"][target] = got.tolist()
            ran += 1
        ports.append(record)
    sources, checks = interp_sources(failures)
    out = {"versions": {"tensorflow": tf.__version__, "keras": keras.__version__, "jax": jax.__version__},
           "venv_runs": ran, "venv_failures": failures, "inexact": inexact, "ports": ports,
           "sources": sources, "source_checks": checks}
    path = os.path.join(os.path.dirname(__file__), "observed_translate_interp.json")
    with open(path, "w") as f:
        json.dump(out, f, separators=(",", ":"))
    print(f"interpolation: {len(ports)} torch/onnxruntime sources, {ran} tf / jax / keras ports run, {inexact} "
          f"inexact; {len(sources)} tf / keras / jax sources, {checks} tf / keras / jax ports of them checked here; "
          f"{len(failures)} failures", file=sys.stderr)
    for fail in failures[:12]:
        print(json.dumps(fail)[:700], file=sys.stderr)


def interp_source_run(c: dict, x: np.ndarray) -> np.ndarray:
    """The real source: tf.image.resize, keras.layers.Resizing / UpSampling1D/2D/3D (channels_last),
    jax.image.resize (antialias=False; NCHW)."""
    src, mode = c["from_framework"], c["mode"]
    if src == "tf":
        return tf.image.resize(x, c["output_size"], method=mode).numpy()
    if src == "keras" and "scale" in c:
        n = len(c["input"])
        f = c["scale"][0] if n == 1 else tuple(c["scale"])
        layer = (keras.layers.UpSampling2D(f, interpolation=mode) if n == 2 else
                 getattr(keras.layers, f"UpSampling{n}D")(f))
        return np.asarray(layer(x))
    if src == "keras":
        return np.asarray(keras.layers.Resizing(*c["output_size"], interpolation=mode)(x))
    return np.asarray(jax.image.resize(jax.numpy.asarray(x), (*x.shape[:2], *c["output_size"]), method=mode,
                                       antialias=False))


def interp_sources(failures: list) -> tuple[list, int]:
    """tf / keras / jax interpolation sources run here; their ports to tf / keras / jax checked here (values within
    1e-5); input and the source's output recorded for the CI test to run the torch / onnxruntime ports."""
    rng, nrng = random.Random(2031), np.random.default_rng(2031)
    sources, checks = [], 0
    while len(sources) < 180:
        src = ("tf", "keras", "keras", "jax")[len(sources) % 4]
        upsampling = src == "keras" and rng.random() < 0.5
        n = 2 if src == "tf" or (src == "keras" and not upsampling) else rng.choice((1, 2, 2, 3))
        size = [rng.randint(1, 9 if n < 3 else 5) for _ in range(n)]
        linear = rng.random() < 0.5 and (n == 2 or src == "jax")
        mode = ("linear" if src == "jax" else "bilinear") if linear else "nearest"
        kw = ({"scale": [rng.randint(1, 3) for _ in range(n)]} if upsampling else
              {"output_size": [rng.randint(1, 12 if n < 3 else 6) for _ in range(n)]})
        c = {"op": "interpolate", "from_framework": src, "input": size, "mode": mode, **kw}
        try:
            results = {t: translate(**c, to_framework=t) for t in ("tf", "keras", "jax", "torch", "onnxruntime")}
        except ShapeError:
            continue
        layout = "NCX" if src == "jax" else "NXC"
        shape = (1, 2, *size) if layout == "NCX" else (1, *size, 2)
        x = np.round(nrng.standard_normal(shape), 6).astype(np.float32)
        want = interp_source_run(c, x)
        for target in ("tf", "keras", "jax"):
            res = results[target]
            if not res.exact:
                continue
            try:
                got = run_target(res, x, np.zeros(0, np.float32), np.zeros(0, np.float32))
                expect = want.transpose(res.data.axes)
                assert got.shape == expect.shape, (got.shape, expect.shape)
                np.testing.assert_allclose(got, expect, atol=TOL, rtol=TOL)
            except Exception as exc:
                failures.append({"config": c, "target": target, "code": res.code, "error": str(exc)[:300]})
                continue
            checks += 1
        sources.append({"config": c, "x": x.tolist(), "y": want.tolist()})
    return sources, checks


if __name__ == "__main__":
    (pool_main() if POOL else shuffle_main() if SHUFFLE else interp_main() if INTERP else cubic_main() if CUBIC
     else lp_main() if LP else main())
