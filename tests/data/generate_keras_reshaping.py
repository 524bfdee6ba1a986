"""Record Keras's ZeroPadding1D-3D, Cropping1D-3D and UpSampling1D-3D (and tf.pad) on a fixed-seed random
sample, and write ``observed_keras_reshaping.json`` next to this file; tests/test_observed_keras_reshaping.py
reads it (no TensorFlow needed there).

Run with a Python that has TensorFlow + Keras 3 (CPU)::

    /work/venv-tf/bin/python tests/data/generate_keras_reshaping.py

Each record: ``layer`` (the Keras class, or "tf.pad"), ``input`` (spatial sizes, channels-last, batch 1,
2 channels, float32 zeros, eager), ``args`` (padding / cropping as one (before, after) pair per spatial axis,
~5% of amounts -1; UpSampling's size per axis, ~5% of factors 0, and UpSampling2D's interpolation) and
``result``: ``{"output": spatial sizes}`` or ``{"error": "<Type>: <first line>"}``.
"""

from __future__ import annotations

import json
import os
import random
import re
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
import keras  # noqa: E402

SEED = 20261204
N = 360
HERE = os.path.dirname(os.path.abspath(__file__))
UP = {1: keras.layers.UpSampling1D, 2: keras.layers.UpSampling2D, 3: keras.layers.UpSampling3D}
PAD = {1: keras.layers.ZeroPadding1D, 2: keras.layers.ZeroPadding2D, 3: keras.layers.ZeroPadding3D}
CROP = {1: keras.layers.Cropping1D, 2: keras.layers.Cropping2D, 3: keras.layers.Cropping3D}


def first_line(exc: BaseException) -> str:
    lines = [ln.strip() for ln in re.sub(r"\x1b\[[0-9;]*m", "", str(exc)).splitlines() if ln.strip()]
    return f"{type(exc).__name__}: {lines[0] if lines else ''}"[:300]


def run(layer: str, inp: list[int], args: dict) -> dict:
    n = len(inp)
    x = np.zeros((1, *inp, 2), "float32")
    try:
        if layer == "tf.pad":
            y = tf.pad(x, [[0, 0], *args["padding"], [0, 0]])
        elif layer.startswith("UpSampling"):
            kw = {"size": args["size"][0] if n == 1 else tuple(args["size"])}
            if "interpolation" in args:
                kw["interpolation"] = args["interpolation"]
            y = UP[n](**kw)(x)
        elif layer.startswith("ZeroPadding"):
            y = PAD[n](padding=tuple(args["padding"][0]) if n == 1 else tuple(map(tuple, args["padding"])))(x)
        else:
            y = CROP[n](cropping=tuple(args["cropping"][0]) if n == 1 else tuple(map(tuple, args["cropping"])))(x)
        return {"output": [int(v) for v in y.shape[1:-1]]}
    except Exception as exc:  # noqa: BLE001 - the rejection is the observation
        return {"error": first_line(exc)}


def main() -> None:
    rng = random.Random(SEED)
    records = []
    for _ in range(N):
        n = rng.choice([1, 2, 3])
        inp = [rng.randint(1, 12) for _ in range(n)]
        kind = rng.choice(["UpSampling", "ZeroPadding", "Cropping", "tf.pad"])
        if kind == "UpSampling":
            args: dict = {"size": [rng.randint(0 if rng.random() < 0.05 else 1, 4) for _ in range(n)]}
            if n == 2:
                args["interpolation"] = rng.choice(["nearest", "bilinear", "bicubic", "area", "lanczos3", "lanczos5"])
        else:
            pairs = [[-1 if rng.random() < 0.05 else rng.randint(0, 5) for _ in range(2)] for _ in range(n)]
            args = {"cropping" if kind == "Cropping" else "padding": pairs}
        layer = kind if kind == "tf.pad" else f"{kind}{n}D"
        records.append({"layer": layer, "input": inp, "args": args, "result": run(layer, inp, args)})
    doc = {"generated_with": {"tensorflow": tf.__version__, "keras": keras.__version__,
                              "python": sys.version.split()[0], "seed": SEED, "notes": " ".join(__doc__.split())},
           "records": records}
    path = os.path.join(HERE, "observed_keras_reshaping.json")
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("{\n\"generated_with\": " + json.dumps(doc["generated_with"]) + ",\n\"records\": [\n"
                 + ",\n".join(json.dumps(r, separators=(",", ":")) for r in records) + "\n]\n}\n")
    print(f"wrote {path}: {len(records)} records, {sum('error' in r['result'] for r in records)} errors")


if __name__ == "__main__":
    main()
