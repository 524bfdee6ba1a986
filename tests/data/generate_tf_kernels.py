"""Record where TF's two CPU kernels differ on convolution shapes: the Eigen kernels (TF's default
unless oneDNN is on) and the oneDNN ones (``TF_ENABLE_ONEDNN_OPTS=1``, the default on CPUs with
AVX512_VNNI, AVX512_BF16, AVX_VNNI or AMX). Writes ``observed_tf_kernels.json`` next to this file;
the tests only read it (tests/test_observed_tf_kernels.py).

Run with a Python that has TensorFlow + Keras 3 (CPU)::

    /work/venv-tf/bin/python tests/data/generate_tf_kernels.py

Every case runs in two child processes, one per kernel (``TF_ENABLE_ONEDNN_OPTS`` 0 and 1); a
child that dies (oneDNN can SIGFPE) is rerun one case per process and a case that kills its
process is recorded as ``{"error": "process died: signal N"}``. Cases: tf.nn.conv1d/2d/3d_transpose
and Keras Conv1D/2D/3DTranspose with dilation > 1 (fixed ones, then random ones: input 1..12,
kernel 1..5, dilation 2..3, stride 1, VALID / SAME; tf's output_shape the smallest size TF's shape
rule accepts), tf.nn.conv3d and Keras Conv3D with dilation > 1, tf.nn.conv1d/2d/3d with an empty
(0) output, tf.nn.conv2d with a negative explicit pad, tf.nn.conv*_transpose with an
output_shape of 0. Inputs are zeros, batch 1, 1 channel in and out, channels-last, eager mode.
"""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys

SEED = 20261204
N_RANDOM = 60
HERE = os.path.dirname(os.path.abspath(__file__))


def fixed_cases() -> list[dict]:
    cases = []
    for n in (1, 2, 3):
        for pad in ("valid", "same"):
            for api in ("tf", "keras"):
                cases.append({"api": api, "op": "conv_transpose", "input": [5] * n, "kernel": [3] * n,
                              "stride": [1] * n, "dilation": [2] * n, "padding": pad, "dtype": "float32"})
        cases.append({"api": "keras", "op": "conv_transpose", "input": [4] * n, "kernel": [2] * n,
                      "stride": [1] * n, "dilation": [3] * n, "padding": "valid", "dtype": "float64"})
    for api in ("tf", "keras"):
        for pad in ("valid", "same"):
            cases.append({"api": api, "op": "conv", "input": [9, 8, 7], "kernel": [3, 2, 3],
                          "stride": [1, 2, 1] if api == "tf" else [1, 1, 1],
                          "dilation": [2, 1, 3] if api == "tf" else [2, 2, 3], "padding": pad, "dtype": "float32"})
    for n, (i, k, s, d) in {1: (9, 6, 3, 2), 2: (4, 5, 1, 1), 3: (3, 4, 2, 1)}.items():
        cases.append({"api": "tf", "op": "conv", "input": [i] * n, "kernel": [k] * n, "stride": [s] * n,
                      "dilation": [d] * n, "padding": "valid", "dtype": "float32"})
    cases.append({"api": "tf", "op": "conv", "input": [6, 7], "kernel": [5, 6], "stride": [3, 2],
                  "dilation": [1, 2], "padding": [[1, 3], [-1, 2]], "dtype": "float32"})
    cases.append({"api": "tf", "op": "conv", "input": [6, 7], "kernel": [3, 3], "stride": [1, 1],
                  "dilation": [1, 1], "padding": [[-1, 1], [0, 0]], "dtype": "float32"})
    for pads, out in (([[0, 0], [0, 0]], [9, 9]), ([[1, 1], [2, 0]], [7, 7])):  # padding lists: the Eigen kernel
        cases.append({"api": "tf", "op": "conv_transpose", "input": [5, 5], "kernel": [3, 3], "stride": [1, 1],
                      "dilation": [2, 2], "padding": pads, "output_size": out, "dtype": "float32"})
    cases.append({"api": "tf", "op": "conv_transpose", "input": [1, 1], "kernel": [3, 3], "stride": [3, 3],
                  "dilation": [1, 1], "padding": [[0, 0], [0, 0]], "output_size": [0, 0], "dtype": "float32"})
    for k, s, o in ((3, 3, 1), (3, 3, 2), (4, 2, 3), (5, 4, 2)):  # input 1, VALID, k - s < o < k
        cases.append({"api": "tf", "op": "conv_transpose", "input": [1], "kernel": [k], "stride": [s],
                      "dilation": [1], "padding": "valid", "output_size": [o], "dtype": "float32"})
    cases.append({"api": "tf", "op": "conv_transpose", "input": [1, 1], "kernel": [4, 4], "stride": [3, 3],
                  "dilation": [1, 1], "padding": "valid", "output_size": [2, 3], "dtype": "float32"})
    for n in (1, 2, 3):
        cases.append({"api": "tf", "op": "conv_transpose", "input": [1] * n, "kernel": [3] * n, "stride": [3] * n,
                      "dilation": [1] * n, "padding": "valid", "output_size": [0] * n, "dtype": "float32"})
    return cases


def random_cases() -> list[dict]:
    rng = random.Random(SEED)
    cases = []
    for _ in range(N_RANDOM):
        n = rng.choice([1, 2, 3])
        cases.append({"api": rng.choice(["tf", "keras"]), "op": "conv_transpose",
                      "input": [rng.randint(1, 12) for _ in range(n)], "kernel": [rng.randint(1, 5) for _ in range(n)],
                      "stride": [1] * n, "dilation": [rng.randint(2, 3) for _ in range(n)],
                      "padding": rng.choice(["valid", "same"]), "dtype": "float32"})
    return cases


def tf_output_size(case: dict) -> list[int]:
    """The smallest output_shape TF's shape rule accepts (stride 1: the forward size of o is the input)."""
    out = []
    for i, k, d in zip(case["input"], case["kernel"], case["dilation"]):
        eff = (k - 1) * d + 1
        out.append(i if case["padding"] == "same" else i + eff - 1)
    return out


def run_case(case: dict) -> dict:
    import numpy as np
    import tensorflow as tf
    import keras

    n, dt = len(case["input"]), case["dtype"]
    x = np.zeros((1, *case["input"], 1), dt)
    try:
        if case["api"] == "keras":
            cls = {("conv", 1): keras.layers.Conv1D, ("conv", 2): keras.layers.Conv2D, ("conv", 3): keras.layers.Conv3D,
                   ("conv_transpose", 1): keras.layers.Conv1DTranspose,
                   ("conv_transpose", 2): keras.layers.Conv2DTranspose,
                   ("conv_transpose", 3): keras.layers.Conv3DTranspose}[(case["op"], n)]
            y = cls(1, tuple(case["kernel"]), strides=tuple(case["stride"]), padding=case["padding"],
                    dilation_rate=tuple(case["dilation"]), dtype=dt)(x)
        else:
            pad = case["padding"].upper() if isinstance(case["padding"], str) else [[0, 0], *case["padding"], [0, 0]]
            w = tf.zeros([*case["kernel"], 1, 1], dt)
            xs = tf.constant(x)
            if case["op"] == "conv":
                if n == 1:
                    y = tf.nn.conv1d(xs, w, case["stride"][0], pad, dilations=case["dilation"][0])
                else:
                    fn = tf.nn.conv2d if n == 2 else tf.nn.conv3d
                    y = fn(xs, w, [1, *case["stride"], 1], pad, dilations=[1, *case["dilation"], 1])
            else:
                fn = {1: tf.nn.conv1d_transpose, 2: tf.nn.conv2d_transpose, 3: tf.nn.conv3d_transpose}[n]
                y = fn(xs, w, [1, *case["output_size"], 1], strides=[1, *case["stride"], 1], padding=pad,
                       dilations=[1, *case["dilation"], 1])
        return {"output": [int(v) for v in y.shape[1:-1]]}
    except Exception as exc:  # noqa: BLE001 - the rejection is the observation
        lines = [ln.strip() for ln in re.sub(r"\x1b\[[0-9;]*m", "", str(exc)).splitlines() if ln.strip()]
        text = " ".join(lines[:2]) if lines and lines[0].startswith("Exception encountered") else (lines or [""])[0]
        if "}}" in text:
            text = text.split("}}", 1)[1].strip()
        return {"error": f"{type(exc).__name__}: {text}"[:300]}


def child(onednn: str, cases: list[dict]) -> list[dict] | None:
    env = dict(os.environ, TF_ENABLE_ONEDNN_OPTS=onednn, TF_CPP_MIN_LOG_LEVEL="3", KERAS_BACKEND="tensorflow",
               CUDA_VISIBLE_DEVICES="")
    proc = subprocess.run([sys.executable, __file__, "--child"], input=json.dumps(cases), capture_output=True,
                          text=True, env=env)
    if proc.returncode != 0:
        return None if len(cases) > 1 else [{"error": f"process died: signal {-proc.returncode}"}]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    if sys.argv[1:] == ["--child"]:
        print(json.dumps([run_case(c) for c in json.loads(sys.stdin.read())]))
        return
    cases = fixed_cases() + random_cases()
    for c in cases:
        if c["api"] == "tf" and c["op"] == "conv_transpose" and "output_size" not in c:
            c["output_size"] = tf_output_size(c)
    results = {}
    for name, flag in (("eigen", "0"), ("onednn", "1")):
        got = child(flag, cases)
        if got is None:
            got = [child(flag, [c])[0] for c in cases]  # type: ignore[index]
        results[name] = got
    import tensorflow as tf
    import keras

    records = [{**c, "result": {"eigen": e, "onednn": o}} for c, e, o in zip(cases, results["eigen"],
                                                                          results["onednn"])]
    doc = {"generated_with": {"tensorflow": tf.__version__, "keras": keras.__version__,
                              "python": sys.version.split()[0], "seed": SEED, "notes": " ".join(__doc__.split())},
           "records": records}
    path = os.path.join(HERE, "observed_tf_kernels.json")
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("{\n\"generated_with\": " + json.dumps(doc["generated_with"]) + ",\n\"records\": [\n"
                 + ",\n".join(json.dumps(r, separators=(",", ":")) for r in records) + "\n]\n}\n")
    print(f"wrote {path}: {len(records)} records")


if __name__ == "__main__":
    main()
