"""Build small Keras 3 models, save each as ``.keras`` and as ``model.to_json()``, and record
what Keras does with them at every input size: ``observed_keras_models.json``.

Run with a Python that has TensorFlow + Keras 3 (CPU); the tests only read the files:

    /work/venv-tf/bin/python tests/data/generate_keras_models.py

For every model and every input size (square: every spatial axis = n; per axis: one spatial
axis = n, the others fixed) the script calls a probe model that outputs every layer call's
tensor (one per graph node: a shared layer called twice gives two) on ``np.zeros`` of that
shape, and records either every node's output shape or Keras's error message. Node names:
the layer's name for its first call, ``name@i`` for call ``i`` (as convshape names them).
"""

from __future__ import annotations

import json
import os
import sys
import warnings

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")
warnings.filterwarnings("ignore")

import numpy as np  # noqa: E402
import keras  # noqa: E402
import tensorflow as tf  # noqa: E402
from keras import layers as L  # noqa: E402

tf.config.threading.set_intra_op_parallelism_threads(1)
tf.config.threading.set_inter_op_parallelism_threads(1)
keras.utils.set_random_seed(0)

HERE = os.path.dirname(os.path.abspath(__file__))
OUT_DIR = os.path.join(HERE, "keras_models")


def seq_cnn() -> keras.Model:
    """Sequential CNN, fixed 28x28x1 input, Flatten + Dense: accepts 28 only."""
    return keras.Sequential([
        keras.Input((28, 28, 1)), L.Conv2D(2, 3, activation="relu"), L.MaxPooling2D(2), L.Dropout(0.5),
        L.Conv2D(3, 3), L.Flatten(), L.Dense(4), L.Softmax()], name="seq_cnn")


def unet() -> keras.Model:
    x = keras.Input((None, None, 1))
    c1 = L.Conv2D(2, 3, padding="same", activation="relu", name="c1")(x)
    p1 = L.MaxPooling2D(2, name="p1")(c1)
    c2 = L.Conv2D(3, 3, padding="same", name="c2")(p1)
    c2 = L.BatchNormalization(name="bn2")(c2)
    p2 = L.MaxPooling2D(2, name="p2")(c2)
    c3 = L.Conv2D(4, 3, padding="same", name="c3")(p2)
    c3 = L.LayerNormalization(name="ln3")(c3)
    u2 = L.Conv2DTranspose(3, 2, strides=2, name="u2")(c3)
    m2 = L.Concatenate(name="cat2")([u2, c2])
    d2 = L.Conv2D(3, 3, padding="same", name="d2")(m2)
    u1 = L.Conv2DTranspose(2, 3, strides=2, padding="same", name="u1")(d2)
    m1 = L.Concatenate(axis=-1, name="cat1")([c1, u1])
    out = L.Conv2D(1, 1, activation="sigmoid", name="head")(m1)
    return keras.Model(x, out, name="unet")


def resnet() -> keras.Model:
    x = keras.Input((None, None, 3))
    y = L.ZeroPadding2D(1, name="pad")(x)
    y = L.Conv2D(4, 3, strides=2, use_bias=False, name="conv_s2")(y)
    y = L.BatchNormalization(name="bn")(y)
    y = L.ReLU(name="relu")(y)
    s = L.MaxPooling2D(2, name="short_pool")(x)
    s = L.Conv2D(4, 1, name="short_proj")(s)
    y = L.Add(name="add1")([y, s])
    z = L.Conv2D(4, 3, padding="same", name="conv_b")(y)
    z = L.Activation("relu", name="act_b")(z)
    y = L.Add(name="add2")([y, z])
    y = L.GlobalAveragePooling2D(name="gap")(y)
    out = L.Dense(3, name="fc")(y)
    return keras.Model(x, out, name="resnet")


def up_pad_crop() -> keras.Model:
    return keras.Sequential([
        keras.Input((None, None, 2)), L.Conv2D(2, 3, name="conv"), L.UpSampling2D(2, name="up"),
        L.ZeroPadding2D(((1, 2), (0, 1)), name="zpad"), L.Cropping2D(((2, 1), (1, 1)), name="crop"),
        L.Cropping2D(3, name="crop3"),
        L.UpSampling2D((2, 3), interpolation="bilinear", name="up_bilinear"), L.Conv2D(1, 1, name="out")],
        name="up_pad_crop")


def separable() -> keras.Model:
    x = keras.Input((None, None, 3))
    y = L.SeparableConv2D(4, 3, strides=2, padding="same", depth_multiplier=2, name="sep")(x)
    y = L.LeakyReLU(name="lrelu")(y)
    y = L.DepthwiseConv2D(3, dilation_rate=2, name="dw")(y)
    y = L.PReLU(shared_axes=[1, 2], name="prelu")(y)
    y = L.DepthwiseConv2D((3, 1), strides=2, depth_multiplier=2, padding="same", name="dw_s2")(y)
    y = L.ELU(name="elu")(y)
    y = L.SeparableConv2D(2, (1, 3), dilation_rate=(1, 2), name="sep2")(y)
    y = L.SpatialDropout2D(0.1, name="sdrop")(y)
    y = L.GaussianNoise(0.1, name="noise")(y)
    out = L.Activation("tanh", name="tanh")(y)
    return keras.Model(x, out, name="separable")


def channels_first() -> keras.Model:
    cf = "channels_first"
    x = keras.Input((3, None, None))
    y = L.Conv2D(4, 3, strides=2, data_format=cf, name="conv")(x)
    y = L.BatchNormalization(axis=1, name="bn")(y)
    y = L.MaxPooling2D(2, data_format=cf, name="pool")(y)
    y = L.Conv2DTranspose(2, 3, strides=2, output_padding=1, data_format=cf, name="convt")(y)
    y = L.UpSampling2D(2, data_format=cf, name="up")(y)
    y = L.ZeroPadding2D((1, 2), data_format=cf, name="zpad")(y)
    y = L.AveragePooling2D(3, strides=2, padding="same", data_format=cf, name="avg")(y)
    y = L.Cropping2D((1, 0), data_format=cf, name="crop")(y)
    out = L.GlobalMaxPooling2D(data_format=cf, keepdims=True, name="gmp")(y)
    return keras.Model(x, out, name="channels_first")


def conv1d() -> keras.Model:
    return keras.Sequential([
        keras.Input((None, 2)), L.Conv1D(3, 5, strides=2, name="conv"),
        L.MaxPooling1D(3, strides=2, padding="same", name="pool"),
        L.Conv1DTranspose(2, 4, strides=3, name="convt"), L.UpSampling1D(2, name="up"),
        L.ZeroPadding1D((1, 2), name="zpad"), L.Cropping1D((4, 0), name="crop"),
        L.AveragePooling1D(2, name="avg"), L.DepthwiseConv1D(3, name="dw"), L.SeparableConv1D(2, 3, name="sep"),
        L.GlobalAveragePooling1D(name="gap"), L.Dense(2, name="fc")], name="conv1d")


def conv3d() -> keras.Model:
    return keras.Sequential([
        keras.Input((None, None, None, 1)), L.Conv3D(2, 3, strides=(1, 2, 2), padding="same", name="conv"),
        L.MaxPooling3D((1, 2, 2), name="pool"), L.Conv3DTranspose(2, (1, 2, 2), strides=(1, 2, 2), name="convt"),
        L.ZeroPadding3D(1, name="zpad"), L.Cropping3D(((1, 2), 1, 0), name="crop"),
        L.UpSampling3D(2, name="up"), L.AveragePooling3D(2, padding="same", name="avg"),
        L.Conv3D(1, 2, name="out")], name="conv3d")


def shared() -> keras.Model:
    x = keras.Input((None, None, 2))
    conv = L.Conv2D(2, 3, padding="same", name="shared_conv")
    pool = L.MaxPooling2D(2, name="pool")
    a = conv(x)
    b = conv(pool(a))
    up = L.UpSampling2D(2, name="up")(b)
    s = L.Add(name="add")([a, up])
    d = L.Subtract(name="sub")([s, a])
    m = L.Multiply(name="mul")([d, up])
    v = L.Average(name="avg")([m, s, a])
    mx = L.Maximum(name="max")([v, a])
    mn = L.Minimum(name="min")([mx, up])
    out = conv(mn)
    return keras.Model(x, out, name="shared")


def pool_same() -> keras.Model:
    x = keras.Input((None, None, 1))
    p = L.MaxPooling2D(3, strides=2, padding="same", name="max_same")(x)
    q = L.AveragePooling2D(2, padding="same", name="avg_same")(p)
    c = L.Conv2D(2, 3, strides=2, padding="same", name="conv_same")(q)
    v = L.MaxPooling2D(2, strides=2, name="max_valid")(c)
    u = L.UpSampling2D(16, name="up16")(v)
    y = L.Conv2D(2, 1, name="proj")(x)
    u2 = L.UpSampling2D(2, name="up2")(p)
    out = L.Concatenate(name="cat")([y, u2])
    cat2 = L.Concatenate(name="cat_deep")([L.Conv2D(2, 1, name="proj2")(out), L.Cropping2D(0, name="same_size")(u)])
    return keras.Model(x, cat2, name="pool_same")


def resize_head() -> keras.Model:
    x = keras.Input((None, None, 3))
    y = L.Resizing(16, 12, name="resize")(x)
    y = L.Conv2D(4, 3, strides=2, padding="same", name="conv")(y)
    y = L.Reshape((8, 24), name="reshape")(y)
    y = L.Permute((2, 1), name="permute")(y)
    y = L.Dense(3, name="dense_last")(y)
    y = L.LayerNormalization(name="ln")(y)
    y = L.Reshape((-1, 4), name="reshape_free")(y)
    y = L.Flatten(name="flat")(y)
    out = L.Dense(2, name="fc")(y)
    return keras.Model(x, out, name="resize_head")


def free_reshape() -> keras.Model:
    x = keras.Input((None, None, 2))
    y = L.Conv2D(4, 3, strides=2, name="conv")(x)
    y = L.Reshape((-1, 4), name="tokens")(y)
    y = L.Dense(3, name="proj")(y)
    y = L.Dropout(0.1, name="drop")(y)
    out = L.Reshape((-1, 6), name="pairs")(y)
    return keras.Model(x, out, name="free_reshape")


def dw_strides() -> keras.Model:
    """DepthwiseConv2D with strides (2, 1): TF's DepthwiseConv2dNative takes equal strides only."""
    return keras.Sequential([keras.Input((None, None, 2)), L.Conv2D(2, 1, name="conv"),
                             L.DepthwiseConv2D((3, 1), strides=(2, 1), padding="same", name="dw")], name="dw_strides")


def sep_strides() -> keras.Model:
    """SeparableConv2D with strides (1, 2), then one with strides (2, 2) and dilation 1."""
    return keras.Sequential([keras.Input((None, None, 2)), L.SeparableConv2D(2, 3, strides=(1, 2), name="sep"),
                             L.SeparableConv2D(2, 3, strides=2, name="sep_square")], name="sep_strides")


MODELS = [seq_cnn, dw_strides, sep_strides, unet, resnet, up_pad_crop, separable, channels_first, conv1d, conv3d,
          shared, pool_same,
          resize_head, free_reshape]
#: per-axis sweeps: model -> (axis, fixed size of the other spatial axes)
PER_AXIS = {"unet": (0, 16), "resnet": (1, 10), "pool_same": (1, 12), "channels_first": (0, 20)}


def probe(model: keras.Model) -> tuple[keras.Model, list[str]]:
    names, outputs = [], []
    for layer in model.layers:
        if isinstance(layer, L.InputLayer):
            continue
        for i, node in enumerate(layer._inbound_nodes):
            names.append(layer.name if i == 0 else f"{layer.name}@{i}")
            outputs.append(node.output_tensors[0])
    return keras.Model(model.inputs, outputs), names


def message(exc: BaseException) -> str:
    text = str(exc).strip()
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return " | ".join(lines)[:600]


def run(model: keras.Model, shape: tuple[int, ...]) -> dict:
    pm, names = PROBES[model.name]
    try:
        if model.name in SYMBOLIC:
            outs = pm.compute_output_spec(keras.KerasTensor(shape))
        else:
            outs = pm(np.zeros(shape, dtype="float32"), training=False)
    except Exception as exc:  # noqa: BLE001 - every rejection is recorded
        return {"ok": False, "error": f"{type(exc).__name__}: {message(exc)}"}
    outs = outs if isinstance(outs, (list, tuple)) else [outs]
    record = {"ok": True, "shapes": {n: list(map(int, o.shape)) for n, o in zip(names, outs)}}
    if any(0 in s for s in record["shapes"].values()):
        # an empty tensor and no error (TF runs some ops on empty inputs): ask Keras's own shape
        # inference, which model construction and compute_output_shape use, too
        try:
            pm.compute_output_spec(keras.KerasTensor(shape))
            record["symbolic"] = "ok"
        except Exception as exc:  # noqa: BLE001
            record["symbolic"] = f"{type(exc).__name__}: {message(exc)}"
    return record


PROBES: dict[str, tuple[keras.Model, list[str]]] = {}
#: TensorFlow's CPU kernels run convolutions and pooling in NHWC only ("The Conv2D op currently only
#: supports the NHWC tensor format on the CPU"): channels-first models are shaped symbolically, by
#: Keras's own compute_output_spec (each layer's shape inference; no kernel runs)
SYMBOLIC = {"channels_first"}


NOTES = ("generate_keras_models.py: np.zeros of each shape (batch 1) through a probe model outputting every graph "
         "node's tensor; training=False; where that gives an empty tensor without an error, 'symbolic' holds what "
         "Functional.compute_output_spec says of the same shape (channels_first: Functional.compute_output_spec on "
         "a KerasTensor, since TF's CPU kernels take NHWC only). Sizes: square 1..64 (1..24 for 3-D), per_axis "
         "1..40 with the other spatial axes fixed.")


def main() -> None:
    os.makedirs(OUT_DIR, exist_ok=True)
    records = {}
    for build in MODELS:
        model = build()
        name = model.name
        model.save(os.path.join(OUT_DIR, f"{name}.keras"))
        with open(os.path.join(OUT_DIR, f"{name}.json"), "w") as fh:
            fh.write(model.to_json())
        PROBES[name] = probe(model)
        in_shape = tuple(model.inputs[0].shape)
        cf = name == "channels_first"
        spatial = [i for i in range(1, len(in_shape)) if (i >= 2 if cf else i < len(in_shape) - 1)]
        top = 24 if len(spatial) == 3 else 64
        square = {}
        for n in range(1, top + 1):
            shape = [1 if d is None and i == 0 else d for i, d in enumerate(in_shape)]
            for i in spatial:
                shape[i] = n
            square[n] = run(model, tuple(shape))
        entry = {"input": list(in_shape), "square": square, "nodes": PROBES[name][1],
                 "params": int(model.count_params()),
                 "trainable_params": int(sum(np.prod(w.shape) for w in model.trainable_weights))}
        if name in PER_AXIS:
            axis, fixed = PER_AXIS[name]
            per = {}
            for n in range(1, 41):
                shape = [1] + list(in_shape[1:])
                for j, i in enumerate(spatial):
                    shape[i] = n if j == axis else fixed
                per[n] = run(model, tuple(shape))
            entry["per_axis"] = {"axis": axis, "fixed": fixed, "sizes": per}
        records[name] = entry
        ok = [n for n, r in square.items() if r["ok"]]
        print(name, len(ok), "of", top, "accepted:", ok[:12], "..." if len(ok) > 12 else "", file=sys.stderr)
    out = {"keras": keras.__version__, "tensorflow": tf.__version__,
           "notes": NOTES,
           "models": records}
    with open(os.path.join(HERE, "observed_keras_models.json"), "w") as fh:
        json.dump(out, fh, indent=0, sort_keys=True)
        fh.write("\n")


if __name__ == "__main__":
    main()
