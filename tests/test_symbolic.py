"""Symbolic shapes: formulas fitted from the per-size engine, and constraints with their causes.

Checked against the definition: a formula must give the engine's size at every size of a range
it claims (every layer kind, every framework), and a constraint set must describe exactly the
sizes a full evaluation of the network accepts (random chains in every framework, every
example network, and the sweep's own answer).
"""

from __future__ import annotations

import glob

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from convshape.errors import ShapeError
from convshape.network.evaluate import Tensor, evaluate, layer_step, parse_chain
from convshape.network.expr import ceildiv, const, floordiv, product, sym
from convshape.network.sweep import sweep
from convshape.network.symbolic import analyse, coarsest, constraints, fit_layer

UNET = "examples/networks/unet.toml"
H = sym("H")


# ---------------------------------------------------------------------------- the expression type
@settings(max_examples=200, deadline=None)
@given(a=st.integers(1, 9), b=st.integers(1, 9), c=st.integers(-20, 20), d=st.integers(-20, 20),
       p=st.integers(1, 5), n=st.integers(-200, 200))
def test_simplified_floors_equal_the_nested_definition(a: int, b: int, c: int, d: int, p: int, n: int) -> None:
    inner = floordiv(p * H + c, a)
    outer = floordiv(inner + d, b)
    assert inner({"H": n}) == (p * n + c) // a
    assert outer({"H": n}) == ((p * n + c) // a + d) // b
    assert ceildiv(H + c, b)({"H": n}) == -((-(n + c)) // b)
    twice = 2 * floordiv(H, a) + c
    assert floordiv(twice, b)({"H": n}) == (2 * (n // a) + c) // b
    # the python rendering is the same function
    assert eval(outer.render("python"), {"H": n}) == outer({"H": n})


def test_simplifier_merges_strided_windows_and_renders_both_ways() -> None:
    x = H
    for _ in range(4):
        x = floordiv(x, 2)
    assert x.render() == "floor(H / 16)" and x.render("python") == "H // 16"
    assert floordiv(H + 2 - 3, 2).__add__(1).render() == "ceil(H / 2)"
    assert (2 * x).render() == "2 * floor(H / 16)" and (2 * x).render("python") == "2*(H // 16)"
    assert floordiv(2 * H + 2, 4) == ceildiv(H, 2)
    assert (floordiv(H - 1, 2) + 1) == ceildiv(H, 2)
    assert product([const(16), floordiv(H, 4) - 3, floordiv(sym("W"), 4) - 3]).render() == \
        "16 * (floor(H / 4) - 3) * (floor(W / 4) - 3)"
    assert floordiv(3 * H, 2).render() == "H + floor(H / 2)"
    assert (2 * x).slope() == 1 / 8


def test_coarsest_period() -> None:
    assert coarsest([0, 16], 32) == (16, (0,))
    assert coarsest(list(range(16)), 32) == (32, tuple(range(16)))
    assert coarsest([1, 3, 5, 7], 8) == (2, (1,))


# ---------------------------------------------------------------------------- layer formulas
LAYERS = {
    "torch": ["conv2d 4 k=3 s=2 p=1", "conv2d 4 k=5 s=3 d=2", "conv2d 4 k=3 p=same", "maxpool2d k=3 s=2 ceil_mode=true",
              "maxpool2d k=3 s=2 p=1 ceil_mode=true", "avgpool2d k=2 ceil_mode=true", "deconv2d 4 k=4 s=2 p=1",
              "deconv2d 4 k=3 s=3 op=1", "upsample scale=2", "upsample scale=1.5", "upsample scale=0.5",
              "pixel-shuffle 2", "pixel-unshuffle 2", "adaptive-avgpool2d 7", "interpolate scale=3 mode=bilinear",
              "lppool2d k=2", "depthwise-conv2d k=3 s=2 p=1", "avgpool2d k=3 s=2 p=1 ceil_mode=true",
              "maxpool2d k=2 s=2 d=2 ceil_mode=true", "fractional-maxpool2d k=2 o=7"],
    "tf": ["conv2d 4 k=3 s=2 p=same", "conv2d 4 k=4 s=3 p=valid", "maxpool2d k=3 s=2 p=same",
           "deconv2d 4 k=3 s=2 p=same", "pixel-shuffle 2", "pixel-unshuffle 2"],
    "keras": ["conv2d 4 k=3 s=2 p=same", "maxpool2d k=2 s=2", "deconv2d 4 k=5 s=2 p=valid", "upsample scale=3",
              "separable-conv2d 8 k=3 s=2 p=same", "depthwise-conv2d k=5 s=3 p=valid"],
    "jax": ["conv2d 4 k=3 s=2 p=same", "conv2d 4 k=4 s=2 p=1", "deconv2d 4 k=3 s=2 p=same", "maxpool2d k=3 s=2"],
    "onnx": ["conv2d 4 k=3 s=2 p=same", "maxpool2d k=3 s=2 ceil_mode=true", "deconv2d 4 k=3 s=2 p=1",
             "upsample scale=2", "pixel-unshuffle 3"],
    "onnxruntime": ["conv2d 4 k=3 s=2 p=1", "maxpool2d k=3 s=2 ceil_mode=true", "deconv2d 4 k=2 s=2"],
    "caffe": ["conv2d 4 k=3 s=2 p=1", "maxpool2d k=3 s=2", "avgpool2d k=3 s=2 p=1", "deconv2d 4 k=4 s=2 p=1"],
}
CASES = [(fw, layer) for fw, layers in LAYERS.items() for layer in layers]


@pytest.mark.parametrize(("framework", "layer"), CASES, ids=[f"{fw}:{layer}" for fw, layer in CASES])
def test_layer_formula_is_the_engine_at_every_size(framework: str, layer: str) -> None:
    spec = parse_chain("1x4x24x24", [layer], framework=framework)
    (one,) = spec.layers
    fmt = spec.data_format
    base = Tensor(spec.input, fmt, (), (), ())
    positions = [1, 2] if fmt == "NHWC" else [2, 3]
    fit = fit_layer(one, base, 0, framework)
    assert fit is not None
    checked = 0
    for n in range(1, 400):
        shape = list(spec.input)
        shape[positions[0]] = n
        try:
            out = layer_step(one, [Tensor(tuple(shape), fmt, (), (), ())], framework).shape[positions[0]]
        except ShapeError:
            out = None
        if out is not None and out < 1:
            out = None  # an empty output counts as invalid (the sweep's definition)
        assert fit.accepts(n) == (out is not None), (n, fit.condition())
        if n >= fit.start and out is not None:
            assert fit.formula({"x": n}) == out, (n, fit.formula.render())
            checked += 1
        elif out is not None:
            assert (n, out) in fit.exceptions
    assert checked > 100


def test_inexact_scale_has_no_formula() -> None:
    spec = parse_chain("1x4x24x24", ["upsample scale=1.3"])
    assert fit_layer(spec.layers[0], Tensor(spec.input, spec.data_format, (), (), ()), 0, "torch") is None


# ---------------------------------------------------------------------------- composed formulas, constraints
def test_unet_formulas_and_constraints_name_their_causes() -> None:
    net = analyse(UNET)
    assert net.formula("pool4").axes[0].render() == "floor(H / 16)"
    assert net.formula("up4").axes[0].render() == "2 * floor(H / 16)"
    assert net.formula("skip4").axes[0].render() == "floor(H / 8)"
    c = constraints(net, (1, 4096))
    assert c.reduced() == "n >= 16, n ≡ 0 (mod 16)"
    texts = [(k.text, k.cause) for k in c.constraints]
    assert texts[0][0] == "n >= 16" and texts[0][1].startswith("pool4 (maxpool2d) rejects 15")
    assert ("n ≡ 0..7 (mod 16)", "cat4: up4 = 2 * floor(H / 16) must equal skip4 = floor(H / 8) (on axes H, W)") \
        in texts
    assert c.sizes() == list(range(16, 4097, 16))


def test_flatten_head_fixes_the_size() -> None:
    c = constraints(analyse("examples/networks/lenet5.json"), (1, 4096))
    assert c.sizes() == [32, 33, 34, 35]
    assert any(k.kind == "fixed" and "in_features=400" in k.cause for k in c.constraints)


@pytest.mark.parametrize("path", sorted(glob.glob("examples/networks/*")))
@pytest.mark.parametrize("axis", [None, 0])
def test_constraints_are_the_sweep_on_every_example(path: str, axis: int | None) -> None:
    c = constraints(analyse(path), (1, 4096), axis=axis)
    assert c.sizes() == sweep(path, "1..4096", axis=axis).sizes()


def brute(spec, hi: int, axis: int | None) -> list[int]:
    positions = [1, 2] if spec.data_format == "NHWC" else [2, 3]
    out = []
    for n in range(1, hi + 1):
        shape = list(spec.input)
        for i, p in enumerate(positions):
            if axis is None or axis == i:
                shape[p] = n
        report = evaluate(spec._replace(input=tuple(shape)))
        if all(layer.error is None or layer.rule == "expect" for layer in report.layers) and \
                all(0 not in layer.shape for layer in report.layers if layer.shape):  # the sweep's definition
            out.append(n)
    return out


FRAMEWORKS = ["torch", "tf", "keras", "jax", "onnx", "onnxruntime", "caffe"]


@st.composite
def networks(draw: st.DrawFn) -> tuple[str, list[str]]:
    framework = draw(st.sampled_from(FRAMEWORKS))
    layers: list[str] = []
    names = ["input"]
    for i in range(draw(st.integers(1, 7))):
        kind = draw(st.sampled_from(["conv", "conv", "pool", "deconv", "up", "merge", "merge", "unshuffle",
                                     "shuffle"]))
        k, s = draw(st.integers(1, 5)), draw(st.integers(1, 3))
        if kind == "conv":
            pad = draw(st.sampled_from(["same", "valid", "0", "1", "2"]))
            layer = f"conv2d 4 k={k} s={s} d={draw(st.sampled_from([1, 1, 2]))} p={pad}"
        elif kind == "pool":
            layer = f"maxpool2d k={k} s={s} p={draw(st.sampled_from(['valid', 'same', str(k // 2)]))}"
            if framework in ("torch", "onnx", "onnxruntime") and draw(st.booleans()):
                layer += " ceil_mode=true"
        elif kind == "deconv":
            layer = f"deconv2d 4 k={k} s={s} p={draw(st.sampled_from(['same', 'valid', '0', '1']))}"
        elif kind == "up":
            layer = f"upsample scale={draw(st.sampled_from(['2', '3', '1.5', '0.5']))}"
        elif kind == "merge" and len(names) >= 2:
            a, b = draw(st.lists(st.sampled_from(names), min_size=2, max_size=2, unique=True))
            layer = f"{draw(st.sampled_from(['concat', 'add']))} inputs={a},{b}"
        elif kind == "shuffle":
            layer = "pixel-shuffle 2"
        elif kind == "unshuffle":
            layer = "pixel-unshuffle 2"
        else:
            layer = "relu"
        layers.append(f"{layer} name=l{i}")
        names.append(f"l{i}")
    return framework, layers


@settings(max_examples=80, deadline=None)
@given(net=networks(), hi=st.sampled_from([40, 130]), axis=st.sampled_from([None, None, 0, 1]))
# a Keras add whose channels never match: no size at all, also below the formulas' reach (size 1)
@example(net=("keras", ["relu name=l0", "conv2d 4 k=1 s=1 d=1 p=same name=l1", "maxpool2d k=1 s=1 p=valid name=l2",
                        "add inputs=input,l1 name=l3"]), hi=40, axis=None)
def test_constraints_are_the_valid_sizes_of_random_chains(net: tuple[str, list[str]], hi: int,
                                                          axis: int | None) -> None:
    framework, layers = net
    try:
        spec = parse_chain("1x4x24x24", layers, framework=framework)
    except ShapeError:
        return  # an option this framework does not take: a usage error, not a network
    sym_net = analyse(spec)
    if not sym_net.exact:
        assert sym_net.notes  # it says which layer has no exact formula
        return
    assert constraints(sym_net, (1, hi), axis=axis).sizes() == brute(spec, hi, axis)


def test_a_thousand_layers_constraints_are_fast_and_right() -> None:
    """benchmarks/bench_symbolic.py's spec: four stride-2 stages undone by four transposed
    convolutions, residual blocks between: multiples of 16, as the sweep finds, well under a
    second of CPU time (the benchmark's target is 0.5 s)."""
    import sys
    import time
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    from bench_symbolic import residual_unet

    from convshape.network.evaluate import parse_spec

    spec = parse_spec(residual_unet(), "residual-unet")
    assert len(spec.layers) == 1000
    start = time.process_time()
    found = constraints(analyse(spec), (1, 4096))
    spent = time.process_time() - start
    assert found.reduced() == "n >= 16, n ≡ 0 (mod 16)"
    assert found.sizes() == sweep(spec, "1..4096").sizes()
    assert spent < 1.5, f"{spent:.2f} s of CPU time"


# ---------------------------------------------------------------------------- a maximum
# A layer that takes small inputs and rejects large ones: convshape's int32 limit on a layer's
# input (limits.MAX_INPUT = 2**31 - 1, as TF and Caffe store sizes) after an upsampling by
# 65536 (torch nn.Upsample) or 60000 (Keras UpSampling2D): 32767 * 65536 = 2**31 - 65536 fits,
# 32768 * 65536 = 2**31 does not; Keras: ceil(71582 / 2) * 60000 = 2147460000 fits, 71583 gives
# 35792 * 60000 = 2147520000. The sweep tries every size of such a range (its top is rejected).
MAXIMA = [
    ("torch", "1x1x8x8", ["upsample scale=65536", "conv2d 1 k=3"], (32000, 33999), None, 32767, "conv2d_2",
     "input=2147483648"),
    ("keras", "1x8x8x1", ["conv2d 1 k=3 s=2 p=same", "upsample scale=60000", "maxpool2d k=2"], (70000, 72999), 0,
     71582, "maxpool2d_3", "input=2147520000"),
]


@pytest.mark.parametrize(("framework", "shape", "layers", "range_", "axis", "top", "layer", "value"), MAXIMA,
                         ids=["torch-square", "keras-axis0"])
def test_a_maximum_is_found_with_its_cause_and_is_the_sweep(framework: str, shape: str, layers: list[str],
                                                            range_: tuple[int, int], axis: int | None, top: int,
                                                            layer: str, value: str) -> None:
    spec = parse_chain(shape, layers, framework=framework)
    c = constraints(analyse(spec), range_, axis=axis)
    assert c.maximum == top
    (maximum,) = [k for k in c.constraints if k.kind == "max"]
    assert maximum.value == top and maximum.text.endswith(f" <= {top}")
    assert maximum.cause.startswith(f"{layer} (") and f"rejects {top + 1}: " in maximum.cause
    assert "(int32, as TF and Caffe store sizes)" in maximum.cause and value in maximum.cause
    found = sweep(spec, range_, axis=axis)
    assert c.sizes() == found.sizes() == list(range(range_[0], top + 1))
    assert f"<= {top}" in c.reduced()


def test_a_range_wholly_past_the_maximum_has_no_size() -> None:
    spec = parse_chain("1x1x8x8", ["upsample scale=65536", "conv2d 1 k=3"])
    c = constraints(analyse(spec), (40000, 40999))
    assert c.sizes() == sweep(spec, (40000, 40999)).sizes() == []
    assert c.reduced() == "no size in the range"
    assert [k.text for k in c.constraints if k.kind == "max"] == ["n <= 39999"]
