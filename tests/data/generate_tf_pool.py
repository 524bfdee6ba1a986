"""Record what tf.nn pooling, Keras pooling layers and jax.lax.reduce_window do for a fixed-seed random
sample of configurations, and write ``observed_tf_pool.json`` next to this file.

Run with a Python that has TensorFlow, Keras 3 and JAX (CPU):

    /path/to/venv-tf/bin/python tests/data/generate_tf_pool.py [--out PATH]

Each framework call runs in a child process (TF with oneDNN on can die with SIGFPE). Sizes 1..40, kernels
1..6, strides 1..4 (jax: dilation 1..3, padding pairs -3..6). TF runs float32 with TF's CPU default for this
machine (``onednn`` in ``generated_with`` says which kernels ran); Keras layers are called on a symbolic
``keras.Input`` (the build-time shape rule, as in a model) and also eagerly on a numpy batch (``eager``).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys

SEED = 20261204
N_PER_FRAMEWORK = 400

CHILD = r'''
import json, os, sys
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")
import numpy as np
cases = json.load(open(sys.argv[1]))
start = int(sys.argv[2])
def err(e):
    return {"error": type(e).__name__ + ": " + " ".join(str(e).split())[:200]}
def run(c):
    n = len(c["input"])
    if c["framework"] == "tf":
        import tensorflow as tf
        pad = c["padding"].upper() if isinstance(c["padding"], str) else [[0, 0], *c["padding"], [0, 0]]
        fn = getattr(tf.nn, c["kind"] + "_pool" + str(n) + "d")
        return {"output": list(fn(tf.zeros([1, *c["input"], 1]), c["kernel"], c["stride"], pad).shape[1:-1])}
    if c["framework"] == "keras":
        import keras
        cls = getattr(keras.layers, ("Max" if c["kind"] == "max" else "Average") + "Pooling" + str(n) + "D")
        out = {}
        for how in ("symbolic", "eager"):
            try:
                layer = cls(pool_size=tuple(c["kernel"]), strides=tuple(c["stride"]), padding=c["padding"])
                x = keras.Input((*c["input"], 1)) if how == "symbolic" else np.zeros((1, *c["input"], 1), "float32")
                r = {"output": [int(v) for v in layer(x).shape[1:-1]]}
            except Exception as e:
                r = err(e)
            if how == "symbolic":
                out.update(r)
            else:
                out["eager"] = r
        return out
    import jax, jax.numpy as jnp
    from jax import lax
    pad = c["padding"]
    pad = pad.upper().replace("-", "_") if isinstance(pad, str) else [(0, 0), (0, 0), *map(tuple, pad)]
    mx = c["kind"] == "max"
    f = lambda a: lax.reduce_window(a, -jnp.inf if mx else 0.0, lax.max if mx else lax.add, (1, 1, *c["kernel"]),
                                    (1, 1, *c["stride"]), pad, window_dilation=(1, 1, *c["dilation"]))
    return {"output": list(jax.eval_shape(f, jax.ShapeDtypeStruct((1, 1, *c["input"]), jnp.float32)).shape[2:])}
for idx in range(start, len(cases)):
    try:
        r = run(cases[idx])
    except Exception as e:
        r = err(e)
    print(json.dumps([idx, r]), flush=True)
'''


def draw(rng: random.Random, framework: str) -> dict:
    n = rng.choice([1, 2, 2, 3])
    same = rng.random() < 0.5
    k = [rng.randint(1, 6)] * n if same else [rng.randint(1, 6) for _ in range(n)]
    s = [rng.randint(1, 4)] * n if same else [rng.randint(1, 4) for _ in range(n)]
    i = [rng.randint(1, 40) if rng.random() < 0.6 else max(1, k[j] + rng.randint(-3, 1)) for j in range(n)]
    kind = rng.choice(["max", "avg"])
    d = [1] * n
    if framework == "tf" and kind == "max" and n <= 2 and rng.random() < 0.3:
        padding: object = [[rng.randint(0, 6), rng.randint(0, 6)] for _ in range(n)]
    elif framework == "jax" and rng.random() < 0.4:
        padding = [[rng.randint(-3, 6), rng.randint(-3, 6)] for _ in range(n)]
    else:
        padding = rng.choice(["valid", "valid", "same"] + (["same-lower"] if framework == "jax" else []))
    if framework == "jax" and rng.random() < 0.4:
        d = [rng.randint(1, 3) for _ in range(n)]
    return {"framework": framework, "kind": kind, "input": i, "kernel": k, "stride": s, "dilation": d,
            "padding": padding}


def run_all(cases: list[dict], path: str) -> list[dict]:
    with open(path, "w") as fh:
        json.dump(cases, fh)
    results: dict[int, dict] = {}
    start = 0
    while start < len(cases):
        p = subprocess.run([sys.executable, "-c", CHILD, path, str(start)], capture_output=True, text=True)
        last = start - 1
        for line in p.stdout.splitlines():
            idx, r = json.loads(line)
            results[idx], last = r, idx
        if p.returncode == 0:
            break
        results[last + 1] = {"error": f"process died (exit {p.returncode})"}
        start = last + 2
    return [results[i] for i in range(len(cases))]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "observed_tf_pool.json"))
    args = ap.parse_args()
    cases = []
    for framework in ("tf", "keras", "jax"):
        rng = random.Random(f"{SEED}-{framework}")
        seen = set()
        while sum(c["framework"] == framework for c in cases) < N_PER_FRAMEWORK:
            c = draw(rng, framework)
            key = json.dumps(c, sort_keys=True)
            if key not in seen:
                seen.add(key)
                cases.append(c)
    results = run_all(cases, args.out + ".cases")
    os.remove(args.out + ".cases")
    version = subprocess.run([sys.executable, "-c", "import os; os.environ['TF_CPP_MIN_LOG_LEVEL']='3'; "
                              "import tensorflow as tf, keras, jax; "
                              "from tensorflow.python.util import _pywrap_util_port as u; "
                              "print(tf.__version__, keras.__version__, jax.__version__, u.IsMklEnabled())"],
                             capture_output=True, text=True).stdout.split()
    doc = {"generated_with": {"tensorflow": version[0], "keras": version[1], "jax": version[2],
                              "onednn": version[3] == "True",
                              "notes": "float32, batch 1, 1 channel; seed " + str(SEED) + "; see the module docstring"},
           "records": [{**c, "result": r} for c, r in zip(cases, results)]}
    with open(args.out, "w", encoding="utf-8") as fh:
        fh.write("{\n\"generated_with\": " + json.dumps(doc["generated_with"]) + ",\n\"records\": [\n")
        fh.write(",\n".join(json.dumps(r, separators=(",", ":")) for r in doc["records"]))
        fh.write("\n]\n}\n")
    print(f"wrote {args.out}: {len(cases)} records")


if __name__ == "__main__":
    main()
