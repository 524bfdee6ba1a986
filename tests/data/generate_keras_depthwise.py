"""Record Keras 3 DepthwiseConv1D/2D and SeparableConv1D/2D with ``strides > 1`` together with
``dilation_rate > 1`` (and some unequal strides), and write ``observed_keras_depthwise.json`` next to
this file.

Run with a Python that has TensorFlow and Keras 3 (CPU):

    /path/to/venv-tf/bin/python tests/data/generate_keras_depthwise.py [--out PATH]

Keras's base_conv.py refuses strides > 1 with dilation > 1 for Conv1D/2D/3D and the transposed layers,
but base_depthwise_conv.py and base_separable_conv.py do not: keras/src/backend/tensorflow/nn.py
``depthwise_conv`` / ``separable_conv`` route them to ``_depthwise_conv_stride_dilation_decomposition``
(``_needs_depthwise_stride_dilation_decomposition``): the dilated convolution at stride 1, then a
subsample. Each layer is built on a symbolic ``keras.Input`` (``output``: the shape a model gets) and
called eagerly on zeros (``eager``: what running it gives), channels-last, batch 1.
"""

from __future__ import annotations

import argparse
import json
import os
import random

SEED = 20261204
N_CASES = 240


def cases() -> list[dict[str, object]]:
    rng = random.Random(SEED)
    out: list[dict[str, object]] = []
    for _ in range(N_CASES):
        n = rng.choice([1, 2])
        kernel = [rng.randint(1, 5) for _ in range(n)]
        dilation = [rng.randint(1, 3) for _ in range(n)]
        stride = [rng.randint(1, 4) for _ in range(n)]
        if rng.random() < 0.8:  # mostly the decomposed case: some stride > 1 and some dilation > 1
            stride[rng.randrange(n)] = rng.randint(2, 4)
            dilation[rng.randrange(n)] = rng.randint(2, 3)
        out.append({"layer": rng.choice(["Depthwise", "Separable"]), "input": [rng.randint(1, 30) for _ in range(n)],
                    "channels": rng.randint(1, 3), "kernel": kernel, "stride": stride, "dilation": dilation,
                    "padding": rng.choice(["valid", "same"]), "depth_multiplier": rng.randint(1, 2),
                    "filters": rng.randint(1, 4)})
    return out


def err(e: Exception) -> dict[str, str]:
    return {"error": type(e).__name__ + ": " + " ".join(str(e).split())[:400]}


def run(c: dict, keras, np) -> dict[str, object]:  # type: ignore[no-untyped-def]
    n = len(c["input"])
    cls = getattr(keras.layers, f"{c['layer']}Conv{n}D")
    kwargs = {"kernel_size": tuple(c["kernel"]), "strides": tuple(c["stride"]),
              "dilation_rate": tuple(c["dilation"]), "padding": c["padding"], "depth_multiplier": c["depth_multiplier"]}
    if c["layer"] == "Separable":
        kwargs["filters"] = c["filters"]
    out: dict[str, object] = {}
    for how in ("symbolic", "eager"):
        try:
            layer = cls(**kwargs)
            shape = (*c["input"], c["channels"])
            x = keras.Input(shape) if how == "symbolic" else np.zeros((1, *shape), "float32")
            r: dict[str, object] = {"output": [int(v) for v in layer(x).shape[1:]]}
        except Exception as e:  # the framework's own rejection, recorded
            r = err(e)
        if how == "symbolic":
            out.update(r)
        else:
            out["eager"] = r
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "observed_keras_depthwise.json"))
    args = parser.parse_args()
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    import keras
    import numpy as np
    import tensorflow as tf

    records = [{**c, **run(c, keras, np)} for c in cases()]
    generated_with = {"keras": keras.__version__, "tensorflow": tf.__version__, "numpy": np.__version__,
                      "seed": SEED}
    with open(args.out, "w") as f:
        json.dump({"generated_with": generated_with, "records": records}, f, indent=None, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {len(records)} records to {args.out}")


if __name__ == "__main__":
    main()
