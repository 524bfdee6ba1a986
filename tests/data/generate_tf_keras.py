"""Record what real TensorFlow / Keras do for a fixed-seed random sample of conv and
transposed-conv configurations, and write ``observed_tf_keras.json`` next to this file.

Run with a Python that has TensorFlow + Keras 3 (CPU):

    /path/to/venv-tf/bin/python tests/data/generate_tf_keras.py [--out PATH]

The tests only read the JSON; they never need TensorFlow.  See the "notes" string in the
output (built in ``NOTES`` below) for exactly what was run and how.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time

# Keras prints some sets ({'valid', 'same'}) in hash order: pin the hash seed so error texts
# are reproducible.  Re-exec once if the caller did not set it.
if os.environ.get("PYTHONHASHSEED") != "0":
    os.environ["PYTHONHASHSEED"] = "0"
    os.execv(sys.executable, [sys.executable, *sys.argv])

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")

import random  # noqa: E402

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
import keras  # noqa: E402

SEED = 20240611
N_TF_CONV = 600
N_TF_CONVT_WITH_SIZE = 200
N_TF_CONVT_SCAN = 200
N_KERAS_CONV = 500
N_KERAS_CONVT = 500

MAX_IN = 20
MAX_K = 6
MAX_S = 4
MAX_D = 3

tf.config.threading.set_intra_op_parallelism_threads(1)
tf.config.threading.set_inter_op_parallelism_threads(1)

STATS: dict[str, int] = {
    "keras_dropped_f32_f64_disagree": 0,
    "keras_convt_dilated_no_f64_reference": 0,
    "keras_dropped_eager_vs_compute_output_shape": 0,
    "tf_convt_scan_axis_mismatch": 0,
    "tf_convt_scan_isolated_only_axes": 0,
    "tf_convt_scan_product_checks": 0,
    "tf_convt_scan_product_check_failures": 0,
    "duplicates_skipped": 0,
}

# ----------------------------------------------------------------------------- helpers

_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_FNODE = re.compile(r"\{\{function_node [^}]*\}\}\s*")
_KERAS_WRAP = re.compile(r"^Exception encountered when calling [\w.]+\.call\(\)\.$")


def error_text(exc: BaseException) -> str:
    """First line of str(exc), cleaned (see notes), trimmed to 300 characters."""
    text = _ANSI.sub("", str(exc))
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    if not lines:
        return type(exc).__name__
    first = lines[0]
    if _KERAS_WRAP.match(first) and len(lines) > 1:
        # Keras wraps call-time errors; the first line alone says nothing: append the wrapped
        # exception's first line.
        first = first + " " + lines[1]
    first = _FNODE.sub("", first)
    if first.endswith(" name:"):
        first = first[: -len(" name:")]
    return first.strip()[:300]


def eff_of(k: int, d: int) -> int:
    return (k - 1) * d + 1


def draw_axis_sizes(rng: random.Random, n: int, kernel, dilation, near_p: float = 0.35):
    """Spatial input sizes 1..MAX_IN; often near or below the effective kernel size."""
    if rng.random() < near_p:
        out = []
        for j in range(n):
            e = eff_of(kernel[j], dilation[j])
            out.append(min(MAX_IN, max(1, e + rng.randint(-3, 1))))
        return out
    return [rng.randint(1, MAX_IN) for _ in range(n)]


def draw_ndim(rng: random.Random) -> int:
    return rng.choices([1, 2, 3], weights=[0.42, 0.42, 0.16])[0]


def draw_ints(rng, n, lo, hi, same_p=0.6):
    """n ints in lo..hi; frequently all equal (the common case in practice)."""
    if rng.random() < same_p:
        return [rng.randint(lo, hi)] * n
    return [rng.randint(lo, hi) for _ in range(n)]


def draw_pairs(rng, n):
    pairs = []
    for _ in range(n):
        pair = []
        for _ in range(2):
            pair.append(-1 if rng.random() < 0.04 else rng.randint(0, 3))
        pairs.append(pair)
    return pairs


def record(framework, op, ndim, inp, kernel, stride, dilation, padding, output_padding, output_size, result):
    return {
        "framework": framework,
        "op": op,
        "ndim": ndim,
        "input": list(inp),
        "kernel": list(kernel),
        "stride": list(stride),
        "dilation": list(dilation),
        "padding": padding,
        "output_padding": None if output_padding is None else list(output_padding),
        "output_size": None if output_size is None else list(output_size),
        "result": result,
    }


def config_key(rec) -> str:
    return json.dumps({k: v for k, v in rec.items() if k not in ("result", "accepted_output_sizes")}, sort_keys=True)


# ----------------------------------------------------------------------------- TF (float64)

F64 = tf.float64
TF_CONV = {1: tf.nn.conv1d, 2: tf.nn.conv2d, 3: tf.nn.conv3d}
TF_CONVT = {1: tf.nn.conv1d_transpose, 2: tf.nn.conv2d_transpose, 3: tf.nn.conv3d_transpose}


def tf_padding_arg(padding):
    if isinstance(padding, str):
        return padding.upper()
    return [[0, 0], *[list(p) for p in padding], [0, 0]]


def run_tf_conv(inp, kernel, stride, dilation, padding):
    n = len(inp)
    x = tf.zeros([1, *inp, 1], F64)
    w = tf.zeros([*kernel, 1, 1], F64)
    try:
        if n == 1:
            y = tf.nn.conv1d(x, w, stride=stride, padding=tf_padding_arg(padding), dilations=dilation)
        else:
            y = TF_CONV[n](x, w, strides=[1, *stride, 1], padding=tf_padding_arg(padding), dilations=[1, *dilation, 1])
        return {"output": [int(v) for v in y.shape[1:-1]]}
    except Exception as exc:  # noqa: BLE001  (every rejection is data)
        return {"error": error_text(exc)}


def run_tf_convt(inp, kernel, stride, padding, out_size):
    n = len(inp)
    x = tf.zeros([1, *inp, 1], F64)
    w = tf.zeros([*kernel, 1, 1], F64)
    try:
        y = TF_CONVT[n](x, w, [1, *out_size, 1], strides=[1, *stride, 1], padding=tf_padding_arg(padding))
        return {"output": [int(v) for v in y.shape[1:-1]]}
    except Exception as exc:  # noqa: BLE001
        return {"error": error_text(exc)}


def gen_tf_conv(rng, n_target, seen):
    out = []
    while len(out) < n_target:
        ndim = draw_ndim(rng)
        kernel = draw_ints(rng, ndim, 1, MAX_K)
        stride = draw_ints(rng, ndim, 1, MAX_S)
        if ndim == 3:
            dilation = [1] * 3  # f64 Conv3D rejects any dilation > 1 on CPU
        elif rng.random() < 0.35:
            dilation = draw_ints(rng, ndim, 1, MAX_D)
        else:
            dilation = [1] * ndim
        inp = draw_axis_sizes(rng, ndim, kernel, dilation)
        if ndim == 2 and rng.random() < 0.3:
            padding = draw_pairs(rng, 2)
        else:
            padding = rng.choice(["valid", "valid", "same"])
        rec = record("tf", "conv", ndim, inp, kernel, stride, dilation, padding, None, None, None)
        key = config_key(rec)
        if key in seen:
            STATS["duplicates_skipped"] += 1
            continue
        seen.add(key)
        rec["result"] = run_tf_conv(inp, kernel, stride, dilation, padding)
        out.append(rec)
    return out


def draw_tf_convt_config(rng):
    ndim = draw_ndim(rng)
    kernel = draw_ints(rng, ndim, 1, MAX_K)
    stride = draw_ints(rng, ndim, 1, MAX_S)
    dilation = [1] * ndim  # f64 CPU conv*_transpose rejects dilation > 1: not recorded
    inp = draw_axis_sizes(rng, ndim, kernel, dilation, near_p=0.3)
    if ndim == 2 and rng.random() < 0.3:
        padding = draw_pairs(rng, 2)
    else:
        padding = rng.choice(["valid", "same"])
    return ndim, inp, kernel, stride, dilation, padding


def _axis_padding(padding, j):
    return padding if isinstance(padding, str) else padding[j]


def _scan_axis(inp, kernel, stride, padding, anchors, j, upper, lower=1):
    """Accepted output sizes o in lower..upper for axis j, other axes held at anchors."""
    accepted = []
    for o in range(lower, upper + 1):
        size = list(anchors)
        size[j] = o
        r = run_tf_convt(inp, kernel, stride, padding, size)
        if "output" in r:
            if r["output"] != size:
                raise RuntimeError(f"conv_transpose returned {r['output']} for output_shape {size}")
            accepted.append(o)
    return accepted


def _isolated_scan(inp, kernel, stride, padding, j, lower, upper):
    """Axis j scanned in a call whose other axes are trivial (input 1, kernel 1, stride 1,
    explicit pad (0, 0), output 1)."""
    n = len(inp)
    t_inp, t_k, t_s = [1] * n, [1] * n, [1] * n
    t_inp[j], t_k[j], t_s[j] = inp[j], kernel[j], stride[j]
    if isinstance(padding, str):
        t_pad = padding
    else:
        t_pad = [[0, 0] for _ in range(n)]
        t_pad[j] = list(padding[j])
    return _scan_axis(t_inp, t_k, t_s, t_pad, [1] * n, j, upper, lower)


def scan_accepted(inp, kernel, stride, padding):
    """Per-axis scan (see notes).

    1. isolated: for axis j, a call of the same rank whose other axes are replaced by a trivial
       axis (input 1, kernel 1, stride 1, padding of that axis (0, 0) when explicit, output 1);
    2. in place: for ndim >= 2, axis j is re-scanned in the real configuration with every other
       axis held at the smallest size the isolated scan accepted for it (when every other axis
       has one).  The recorded list is the in-place scan when it ran, else the isolated one.
    """
    n = len(inp)
    uppers = [inp[j] * stride[j] + kernel[j] + stride[j] for j in range(n)]  # d == 1: eff == k
    if n == 1:
        return [_scan_axis(inp, kernel, stride, padding, [1], 0, uppers[0])]
    isolated = [_isolated_scan(inp, kernel, stride, padding, j, 1, uppers[j]) for j in range(n)]
    result = []
    for j in range(n):
        others = [isolated[m] for m in range(n) if m != j]
        if all(others):
            anchors = [isolated[m][0] if isolated[m] else 1 for m in range(n)]
            in_place = _scan_axis(inp, kernel, stride, padding, anchors, j, uppers[j])
            if in_place != isolated[j]:
                STATS["tf_convt_scan_axis_mismatch"] += 1
            result.append(in_place)
        else:
            STATS["tf_convt_scan_isolated_only_axes"] += 1
            result.append(isolated[j])
    # Cross-check the product: all-min and all-max accepted sizes must be accepted together.
    if all(result):
        for pick in (min, max):
            size = [pick(a) for a in result]
            STATS["tf_convt_scan_product_checks"] += 1
            if "output" not in run_tf_convt(inp, kernel, stride, padding, size):
                STATS["tf_convt_scan_product_check_failures"] += 1
    return result


def gen_tf_convt(rng, n_with, n_scan, seen):
    with_size, scans = [], []
    while len(with_size) < n_with or len(scans) < n_scan:
        ndim, inp, kernel, stride, dilation, padding = draw_tf_convt_config(rng)
        want_size = len(with_size) < n_with and (len(scans) >= n_scan or rng.random() < 0.5)
        if want_size:
            # Per axis from max(0, (i-1)*s-1) .. i*s+k+1.  To balance accepts and rejections,
            # half of the records pick each axis among the sizes an isolated scan of that
            # range found accepted (when it found any), the other half uniformly.
            prefer_ok = rng.random() < 0.5
            out_size = []
            for j in range(ndim):
                lo = max(0, (inp[j] - 1) * stride[j] - 1)
                hi = inp[j] * stride[j] + eff_of(kernel[j], 1) + 1
                ok = _isolated_scan(inp, kernel, stride, padding, j, lo, hi) if prefer_ok else []
                out_size.append(rng.choice(ok) if ok else rng.randint(lo, hi))
        else:
            out_size = None
        rec = record("tf", "conv_transpose", ndim, inp, kernel, stride, dilation, padding, None, out_size, None)
        key = config_key(rec)
        if key in seen:
            STATS["duplicates_skipped"] += 1
            continue
        seen.add(key)
        if want_size:
            rec["result"] = run_tf_convt(inp, kernel, stride, padding, out_size)
            with_size.append(rec)
        else:
            acc = scan_accepted(inp, kernel, stride, padding)
            if all(acc):
                # the result of calling with the smallest accepted size on every axis
                rec["result"] = run_tf_convt(inp, kernel, stride, padding, [a[0] for a in acc])
            else:
                # no accepted size in range on some axis: show the rejection at the scan's
                # first size on that axis (others at their smallest accepted, else 1)
                probe = [a[0] if a else 1 for a in acc]
                rec["result"] = run_tf_convt(inp, kernel, stride, padding, probe)
            rec["accepted_output_sizes"] = acc
            scans.append(rec)
    return with_size + scans


# ----------------------------------------------------------------------------- Keras

K_CONV = {1: keras.layers.Conv1D, 2: keras.layers.Conv2D, 3: keras.layers.Conv3D}
K_CONVT = {1: keras.layers.Conv1DTranspose, 2: keras.layers.Conv2DTranspose, 3: keras.layers.Conv3DTranspose}


def run_keras(op, inp, kernel, stride, dilation, padding, output_padding, dtype):
    """(result, compute_output_shape spatial or None)."""
    n = len(inp)
    kwargs = {"kernel_size": tuple(kernel), "strides": tuple(stride), "padding": padding,
              "dilation_rate": tuple(dilation), "dtype": dtype}
    if op == "conv_transpose":
        kwargs["output_padding"] = None if output_padding is None else tuple(output_padding)
    cls = (K_CONV if op == "conv" else K_CONVT)[n]
    try:
        layer = cls(1, **kwargs)
    except Exception as exc:  # noqa: BLE001
        return {"error": error_text(exc)}, None
    x = np.zeros((1, *inp, 1), dtype=dtype)
    try:
        y = layer(x)
    except Exception as exc:  # noqa: BLE001
        return {"error": error_text(exc)}, None
    try:
        cos = [int(v) for v in layer.compute_output_shape((1, *inp, 1))[1:-1]]
    except Exception:  # noqa: BLE001
        cos = None
    return {"output": [int(v) for v in y.shape[1:-1]]}, cos


def _same_kind(a, b):
    if "output" in a and "output" in b:
        return a["output"] == b["output"]
    return ("error" in a) == ("error" in b)


def gen_keras(rng, op, n_target, seen):
    out = []
    while len(out) < n_target:
        ndim = draw_ndim(rng)
        kernel = draw_ints(rng, ndim, 1, MAX_K)
        stride = draw_ints(rng, ndim, 1, MAX_S)
        if rng.random() < 0.3:
            dilation = draw_ints(rng, ndim, 1, MAX_D)
            if rng.random() < 0.7:
                stride = [1] * ndim  # mostly legal; the rest exercise the s>1 & d>1 rejection
        else:
            dilation = [1] * ndim
        inp = draw_axis_sizes(rng, ndim, kernel, dilation)
        r = rng.random()
        if op == "conv" and (r < (0.25 if ndim == 1 else 0.04)):
            padding = "causal"
        elif op == "conv_transpose" and r < 0.02:
            padding = "causal"
        else:
            padding = rng.choice(["valid", "same"])
        output_padding = None
        if op == "conv_transpose" and rng.random() < 0.6:
            # mostly legal (0..s-1); sometimes s (rarely s+1), which Keras rejects
            output_padding = [
                rng.randint(0, s - 1) if rng.random() < 0.85 else s + (rng.random() < 0.2) for s in stride
            ]
            if rng.random() < 0.6:
                output_padding = [min(output_padding)] * ndim
        rec = record("keras", op, ndim, inp, kernel, stride, dilation, padding, output_padding, None, None)
        key = config_key(rec)
        if key in seen:
            STATS["duplicates_skipped"] += 1
            continue
        seen.add(key)
        res32, cos32 = run_keras(op, inp, kernel, stride, dilation, padding, output_padding, "float32")
        res64, _ = run_keras(op, inp, kernel, stride, dilation, padding, output_padding, "float64")
        if not _same_kind(res32, res64):
            if (op == "conv_transpose" and max(dilation) > 1 and "output" in res32
                    and "error" in res64 and "dilation rates larger than 1" in res64["error"]):
                # f64 CPU conv_transpose cannot run dilation > 1 at all: no f64 reference.  Keep
                # the float32 result when it agrees with Keras' own compute_output_shape, unless
                # it is a zero-size output (the oneDNN empty-output corner, which the float64
                # kernel rejects whenever it can run the case): those count as dropped.
                if 0 in res32["output"]:
                    STATS["keras_dropped_f32_f64_disagree"] += 1
                    continue
                if cos32 != res32["output"]:
                    STATS["keras_dropped_eager_vs_compute_output_shape"] += 1
                    continue
                STATS["keras_convt_dilated_no_f64_reference"] += 1
            else:
                STATS["keras_dropped_f32_f64_disagree"] += 1
                continue
        if "output" in res32 and cos32 != res32["output"]:
            STATS["keras_dropped_eager_vs_compute_output_shape"] += 1
            continue
        rec["result"] = res32
        out.append(rec)
        if len(out) % 100 == 0:
            keras.backend.clear_session()
    return out


# ----------------------------------------------------------------------------- output

NOTES = """\
Each record: one configuration run on CPU, batch 1, 1 input / 1 output channel, channels-last,
eager mode. Spatial sizes 1..20, kernel 1..6, stride 1..4, dilation 1..3 (fixed seed {seed};
~35% of draws put the input near or below the effective kernel (k-1)*d+1). Duplicated
configurations are skipped (each config appears once).
TF ("tf"): tf.nn.conv1d/conv2d/conv3d and tf.nn.conv1d_transpose/conv2d_transpose/
conv3d_transpose on float64 tensors, i.e. the Eigen/TF kernels (not oneDNN), whose shape checks
are kernel_shape_util.cc GetWindowedOutputSizeVerbose / conv_grad_shape_utils.cc. Dilation is 1
for 3-D conv and for all conv_transpose (float64 CPU rejects dilation > 1 there). Explicit
padding ([before, after] per spatial axis, values 0..3, occasionally -1) only for 2-D.
tf conv_transpose with output_size: output_size drawn per axis from max(0,(i-1)*s-1) to
i*s+k+1; for half of these records (to balance accepts and rejections) each axis is drawn
among the sizes in that range that an isolated scan of the axis (see below) found accepted,
when there are any, else uniformly. tf conv_transpose without output_size: "accepted_output_sizes" lists, per spatial
axis, every o in 1..i*s+k+s (d == 1) that the op accepts. 1-D: direct scan. 2-D/3-D: first each axis
is scanned in isolation (other axes replaced by a trivial axis: input 1, kernel 1, stride 1,
explicit pad (0,0), output 1), then each axis is re-scanned in the real configuration holding
the other axes at their smallest accepted size (done whenever every other axis has one;
otherwise the isolated list is recorded: {isolated_only} axes). In-place vs isolated lists
differed on {mismatch} axes. Product check (all-min and all-max accepted sizes together):
{pchecks} calls, {pfail} rejected. The "result" of such a record is the call with the
smallest accepted size on every axis (or, if some axis has none, a call with 1 on that axis).
Keras ("keras"): keras.layers.Conv1D/2D/3D and Conv1DTranspose/2DTranspose/3DTranspose
(filters=1, TF backend), constructed then called eagerly on a numpy zeros batch; construction
errors and call errors are both recorded. The recorded result is the default float32 one. Every
case was also run with dtype float64 and dropped when the two disagreed (one raises and the
other does not, or different shapes): {dropped} dropped (these are the oneDNN float32
garbage-shape / empty-output corner cases, e.g. Conv*Transpose same with even effective kernel,
output_padding 0, input 1). Exception: Conv*Transpose with dilation > 1 cannot run in float64 on
CPU at all ("...do not yet support dilation rates larger than 1"); those {dil_kept} records keep
the float32 result, checked against layer.compute_output_shape instead (a float32 zero-size
output there is dropped and included in the dropped count above). Successful float32
shapes were also checked against layer.compute_output_shape ({cos_drop} dropped on mismatch).
Keras error texts for the same case can differ by dtype (float32 rejections in Conv*Transpose
are oneDNN 'could not create a primitive descriptor' AbortedErrors; float64 gives
'Size of out_backprop doesn't match computed'); the float32 text is recorded.
Error texts: first line of str(exception) with ANSI codes, TF's '{{{{function_node ...}}}} '
prefix and trailing ' name:' removed; when the first line is Keras's wrapper 'Exception
encountered when calling X.call().' the wrapped exception's first line is appended after a
space; trimmed to 300 characters. Generated with PYTHONHASHSEED=0 (Keras prints sets in hash
order). Counts: {counts}."""


def dump(doc, path):
    lines = ["{", '"generated_with": ' + json.dumps(doc["generated_with"], ensure_ascii=False) + ",", '"records": [']
    recs = doc["records"]
    for idx, rec in enumerate(recs):
        lines.append(json.dumps(rec, separators=(",", ":"), ensure_ascii=False) + ("," if idx < len(recs) - 1 else ""))
    lines.append("]")
    lines.append("}")
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "observed_tf_keras.json"))
    args = ap.parse_args()
    t0 = time.time()
    seen: set[str] = set()
    records = []
    records += gen_tf_conv(random.Random(f"{SEED}-tf-conv"), N_TF_CONV, seen)
    print(f"tf conv done {time.time() - t0:.0f}s", flush=True)
    records += gen_tf_convt(random.Random(f"{SEED}-tf-convt"), N_TF_CONVT_WITH_SIZE, N_TF_CONVT_SCAN, seen)
    print(f"tf conv_transpose done {time.time() - t0:.0f}s", flush=True)
    records += gen_keras(random.Random(f"{SEED}-keras-conv"), "conv", N_KERAS_CONV, seen)
    print(f"keras conv done {time.time() - t0:.0f}s", flush=True)
    records += gen_keras(random.Random(f"{SEED}-keras-convt"), "conv_transpose", N_KERAS_CONVT, seen)
    print(f"keras conv_transpose done {time.time() - t0:.0f}s", flush=True)

    counts = {}
    for rec in records:
        key = f"{rec['framework']}/{rec['op']}"
        c = counts.setdefault(key, {"records": 0, "errors": 0})
        c["records"] += 1
        c["errors"] += "error" in rec["result"]
    counts_txt = "; ".join(f"{k}: {v['records']} records, {v['errors']} errors" for k, v in counts.items())
    notes = NOTES.format(
        seed=SEED,
        isolated_only=STATS["tf_convt_scan_isolated_only_axes"],
        mismatch=STATS["tf_convt_scan_axis_mismatch"],
        pchecks=STATS["tf_convt_scan_product_checks"],
        pfail=STATS["tf_convt_scan_product_check_failures"],
        dropped=STATS["keras_dropped_f32_f64_disagree"],
        dil_kept=STATS["keras_convt_dilated_no_f64_reference"],
        cos_drop=STATS["keras_dropped_eager_vs_compute_output_shape"],
        counts=counts_txt,
    )
    doc = {
        "generated_with": {
            "tensorflow": tf.__version__,
            "keras": keras.__version__,
            "python": sys.version.split()[0],
            "notes": " ".join(notes.split("\n")),
        },
        "records": records,
    }
    dump(doc, args.out)
    print(json.dumps(counts, indent=1))
    print(json.dumps(STATS, indent=1))
    print(f"wrote {args.out} ({os.path.getsize(args.out)} bytes) in {time.time() - t0:.0f}s")


if __name__ == "__main__":
    main()
