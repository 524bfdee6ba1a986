"""Record what tf.image.extract_patches gives (or says) for a set of input shapes and windows.

Writes ``observed_tf_patches.json`` next to this file. Not run by the test suite (it needs
tensorflow). Run it by hand, for example::

    /work/venv-tf/bin/python tests/data/generate_tf_patches.py

Each record: ``input`` (the NHWC shape, or another rank), ``kernel``, ``stride``, ``dilation``
(``rates``) per spatial axis, ``padding`` ("VALID" / "SAME") and ``result``: ``{"output": shape}``
or ``{"error": "<Type>: <first line>"}``; with an output, ``pad_before`` per spatial axis as TF padded:
the first patch of an image holding its row (column) number + 1 shows, at kernel offset j, the cell
``j*rate - pad_before`` (0 where padded), so the first non-zero value gives pad_before (null when the
first patch sees no cell). The pad after is what SAME's total leaves. ``sizes``, ``strides`` and ``rates`` are passed as
``[1, h, w, 1]``; eager mode, float32 zeros, on the CPU.
"""

import json
import os
import platform
import random

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import tensorflow as tf  # noqa: E402

FIXED = [
    ((1, 5, 6, 3), (2, 3), (1, 1), (1, 1), "VALID"),
    ((2, 8, 8, 1), (3, 3), (2, 2), (1, 1), "VALID"),
    ((2, 8, 8, 1), (3, 3), (2, 2), (1, 1), "SAME"),
    ((1, 3, 3, 2), (5, 1), (1, 1), (1, 1), "VALID"),  # kernel past the input
    ((1, 3, 3, 2), (2, 2), (1, 1), (2, 2), "VALID"),  # dilated past the input
    ((1, 7, 9, 2), (2, 3), (3, 2), (2, 3), "VALID"),
    ((5, 6, 3), (2, 2), (1, 1), (1, 1), "VALID"),  # rank 3
    ((1, 1, 5, 6, 3), (2, 2), (1, 1), (1, 1), "VALID"),  # rank 5
    ((1, 5, 6, 3), (0, 2), (1, 1), (1, 1), "VALID"),
    ((1, 5, 6, 3), (2, 2), (0, 1), (1, 1), "VALID"),
    ((1, 5, 6, 3), (2, 2), (1, 1), (0, 1), "VALID"),
    ((0, 5, 6, 3), (2, 2), (1, 1), (1, 1), "VALID"),  # empty batch
    ((1, 5, 6, 0), (2, 2), (1, 1), (1, 1), "VALID"),  # no channels
    ((1, 0, 6, 3), (1, 1), (1, 1), (1, 1), "VALID"),  # empty height
]


def run(shape, k, s, d, padding):
    try:
        out = tf.image.extract_patches(tf.zeros(shape), [1, k[0], k[1], 1], [1, s[0], s[1], 1],
                                       [1, d[0], d[1], 1], padding)
    except Exception as exc:  # noqa: BLE001 - the message is the observation
        return {"error": f"{type(exc).__name__}: {str(exc).splitlines()[0]}"[:400]}
    result = {"output": [int(v) for v in out.shape]}
    if len(shape) == 4 and min(out.shape) > 0:
        pads = []
        for axis in (0, 1):
            h, w = shape[1], shape[2]
            grid = tf.range(1, (h if axis == 0 else w) + 1, dtype=tf.float32)
            image = (tf.tile(grid[:, None], [1, w]) if axis == 0 else tf.tile(grid[None, :], [h, 1]))[None, :, :, None]
            first = tf.image.extract_patches(image, [1, k[0], k[1], 1], [1, s[0], s[1], 1], [1, d[0], d[1], 1],
                                             padding)[0, 0, 0].numpy().reshape(k[0], k[1])
            # a cell of the other axis may be padding too: take the largest over that axis
            line = first.max(axis=1) if axis == 0 else first.max(axis=0)
            hits = [j for j, v in enumerate(line) if v > 0]
            pads.append(None if not hits else hits[0] * d[axis] + 1 - int(line[hits[0]]))
        result["pad_before"] = pads
    return result


def main() -> None:
    rng = random.Random(10)
    configs = list(FIXED)
    for _ in range(300):
        shape = (rng.randint(1, 2), rng.randint(1, 12), rng.randint(1, 12), rng.randint(1, 3))
        k = (rng.randint(1, 5), rng.randint(1, 5))
        s = (rng.randint(1, 4), rng.randint(1, 4))
        d = (rng.randint(1, 3), rng.randint(1, 3))
        configs.append((shape, k, s, d, rng.choice(["VALID", "SAME"])))
    records = [{"input": list(shape), "kernel": list(k), "stride": list(s), "dilation": list(d), "padding": p,
                "result": run(shape, k, s, d, p)} for shape, k, s, d, p in configs]
    out = {"versions": {"tensorflow": tf.__version__, "python": platform.python_version()}, "records": records}
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "observed_tf_patches.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=None, separators=(",", ":"))
        f.write("\n")
    print(f"{len(records)} records -> {path}")


if __name__ == "__main__":
    main()
