"""Record what real JAX does with the dynamic shape convshape emits (``sweep --emit jax``).

Writes ``observed_jax_symbolic.json`` next to this file. It is NOT run by the test suite: it
needs jax and numpy, which the project does not depend on. Run it by hand::

    PYTHONPATH=. /work/venv-tf/bin/python tests/data/generate_jax_symbolic.py

For each model (the U-Net of examples/networks/unet.toml with its channels divided by 16, and an
FCN-style net whose valid heights are runs of 16 every 32), written in jax.lax to match the spec
(padded 3x3 convolutions, 2x2 max pooling by lax.reduce_window, stride-2 transposed
convolutions by lax.conv_transpose with torch's padding p as k - 1 - p on each side, skips by
jnp.concatenate / +), it records:

    shape, constraints   what convshape emitted (jax target) when the file was written
    exported             did jax.export.export(jax.jit(f))(ShapeDtypeStruct(symbolic_shape(...)))
                         succeed; "error" holds the first line of the message if not
    runs                 {size: output shape} from exported.call at sizes of the emitted set
    eager                {size: output shape, or the first line of the error}: jax.jit(f) at that
                         height (width as the example), every height of 1..80
Versions are written into the file.
"""

from __future__ import annotations

import json
import os
import sys

import jax
import jax.numpy as jnp
import numpy as np
from jax import export, lax

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, ROOT)

from convshape.network.emit import emit  # noqa: E402
from convshape.network.evaluate import load_spec, parse_chain  # noqa: E402
from convshape.network.symbolic import analyse  # noqa: E402

FCN = ["conv2d 4 k=3 p=1 name=c1", "maxpool2d k=2 name=p1", "conv2d 4 k=3 p=1 name=c2", "maxpool2d k=2 name=p2",
       "conv2d 4 k=3 p=1 name=c3", "maxpool2d k=2 name=p3", "conv2d 4 k=3 p=1 name=c4", "maxpool2d k=2 name=p4",
       "conv2d 4 k=3 p=1 name=c5", "maxpool2d k=2 name=p5", "conv2d 2 k=1 name=score5",
       "deconv2d 2 k=4 s=2 p=1 name=up2", "conv2d 2 k=1 name=score4 inputs=p4", "add inputs=up2,score4 name=fuse",
       "deconv2d 2 k=32 s=16 p=8 name=up16"]


def slim(spec, divide):
    layers = []
    for layer in spec.layers:
        args = dict(layer.args)
        if "out_channels" in args:
            args["out_channels"] = max(2, args["out_channels"] // divide)
        layers.append(layer._replace(args=args, expect=None))
    return spec._replace(layers=tuple(layers))


def _int(value, default=0):
    return default if value is None else int(value)  # a chain's values are the words typed: "3"


def build(spec):
    """f(x) for NCHW x, and its weights (fixed, random)."""
    rng = np.random.default_rng(0)
    channels = {"input": spec.input[1]}
    params = {}
    for layer in spec.layers:
        cin = channels[layer.inputs[0]]
        a = layer.args
        if layer.kind in ("conv", "conv_transpose"):
            k = _int(a["kernel"])
            params[layer.name] = jnp.asarray(rng.standard_normal((a["out_channels"], cin, k, k)), jnp.float32)
            channels[layer.name] = a["out_channels"]
        elif layer.kind == "concat":
            channels[layer.name] = sum(channels[n] for n in layer.inputs)
        else:
            channels[layer.name] = cin

    def f(x):
        t = {"input": x}
        for layer in spec.layers:
            a = layer.args
            xs = [t[n] for n in layer.inputs]
            if layer.kind == "conv":
                p, s = _int(a.get("padding")), _int(a.get("stride"), 1)
                y = lax.conv_general_dilated(xs[0], params[layer.name], (s, s), ((p, p), (p, p)))
            elif layer.kind == "conv_transpose":
                k, s, p = _int(a["kernel"]), _int(a.get("stride"), 1), _int(a.get("padding"))
                y = lax.conv_transpose(xs[0], params[layer.name], (s, s), ((k - 1 - p, k - 1 - p),) * 2,
                                       dimension_numbers=("NCHW", "OIHW", "NCHW"))
            elif layer.kind == "max":
                k = _int(a["kernel"])
                s = _int(a.get("stride"), k)
                y = lax.reduce_window(xs[0], -jnp.inf, lax.max, (1, 1, k, k), (1, 1, s, s), "VALID")
            elif layer.kind == "concat":
                y = jnp.concatenate(xs, axis=1)
            elif layer.kind == "add":
                y = xs[0] + xs[1]
            else:  # relu
                y = jax.nn.relu(xs[0])
            t[layer.name] = y
        return t[spec.layers[-1].name]

    return f


def record(name, spec):
    net = analyse(spec)
    emitted = emit(net, "jax", (1, 4096))
    shape_text, constraints = emitted.data["shape"], emitted.data["constraints"]
    f = build(spec)
    out = {"shape": shape_text, "constraints": constraints, "example": list(spec.input)}
    try:
        shape = export.symbolic_shape(shape_text, constraints=constraints)
        exported = export.export(jax.jit(f))(jax.ShapeDtypeStruct(shape, jnp.float32))
        out["exported"] = True
    except Exception as exc:  # noqa: BLE001 - recorded, whatever JAX raises
        out["exported"] = False
        out["error"] = str(exc).splitlines()[0]
        exported = None
    axis = emitted.data["axes"][0]["emitted"]
    runs = {}
    if exported is not None:
        for n in [axis["start"] + k * axis["step"] for k in (0, 1, 2, 3, 12)]:
            x = jnp.zeros((spec.input[0], spec.input[1], n, spec.input[3]), jnp.float32)
            runs[str(n)] = list(exported.call(x).shape)
    out["runs"] = runs
    eager = {}
    jitted = jax.jit(f)
    for n in range(1, 81):
        x = jnp.zeros((spec.input[0], spec.input[1], n, spec.input[3]), jnp.float32)
        try:
            eager[str(n)] = list(jitted(x).shape)
        except Exception as exc:  # noqa: BLE001 - any rejection
            eager[str(n)] = str(exc).splitlines()[0][:200]
    out["eager"] = eager
    return out


def main():
    models = {"unet": slim(load_spec(os.path.join(ROOT, "examples/networks/unet.toml"), input="1x3x64x64"), 16),
              "fcn": parse_chain("1x3x64x64", FCN)}
    data = {"versions": {"jax": jax.__version__, "numpy": np.__version__},
            "models": {name: record(name, spec) for name, spec in models.items()}}
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "observed_jax_symbolic.json")
    with open(path, "w") as fh:
        json.dump(data, fh, indent=1, sort_keys=True)
    print(json.dumps({k: {kk: v[kk] for kk in ("shape", "constraints", "exported")}
                      for k, v in data["models"].items()}))


if __name__ == "__main__":
    main()
