"""The sweep: every input size a network accepts, found with the period of its strides.

Checked against the definition (a full evaluation of the network at every size) over random
networks in every framework, and on the shipped U-Net, whose valid sizes are known by hand:
four stride-2 poolings undone by four stride-2 transposed convolutions align only for
multiples of 16.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from convshape.errors import ShapeError
from convshape.network.evaluate import evaluate, parse_chain
from convshape.network.sweep import (Failure, Progression, Skip, Slopes, SpecNetwork, Sweepable, Trace, compact, sweep,
                                     sweep_network)

UNET = "examples/networks/unet.toml"


def brute(spec, lo: int, hi: int, axis: int | None = None) -> list[int]:
    """The definition: sizes where every layer is valid and no output is empty."""
    net = SpecNetwork(spec, axis)
    valid = []
    for n in range(lo, hi + 1):
        report = evaluate(spec._replace(input=net.input_shape(n)))
        if all(layer.error is None or layer.rule == "expect" for layer in report.layers) and \
                all(0 not in layer.shape for layer in report.layers if layer.shape):
            valid.append(n)
    return valid


def test_unet_every_multiple_of_16_up_to_a_million() -> None:
    start = time.perf_counter()
    result = sweep(UNET, "1..1000000")
    assert time.perf_counter() - start < 5  # the benchmark measures it properly; this only catches a brute force
    assert result.valid == (Progression(16, 1000000, 16),)
    assert result.count == 62500
    assert result.method == "periodic" and result.period == 16
    assert result.to_dict()["valid"] == [{"start": 16, "stop": 1000000, "step": 16}]
    assert result.to_dict()["range"] == [1, 1000000]


def test_unet_failures_name_the_skip_in_torch_words() -> None:
    result = sweep(UNET, "1..4096")
    assert [f.size for f in result.failures] == [255, 257, 258]
    first = result.failures[0]
    assert first.layer == "cat4" and first.rule == "skip-mismatch"
    assert "Expected size 30 but got size 31" in first.message


def test_unet_one_axis_with_the_other_fixed() -> None:
    result = sweep(UNET, "100..300", axis=1)
    assert result.sizes() == [112, 128, 144, 160, 176, 192, 208, 224, 240, 256, 272, 288]
    # the other axis stays 256 (the spec's); with it set to 250 nothing aligns
    assert sweep(UNET, "100..300", axis=1, input=[1, 3, 250, 250]).valid == ()


def test_matches_brute_force_on_unet_small_range() -> None:
    spec = parse_chain("1x3x64x64", [
        "conv2d 8 k=3 p=1 name=e1", "maxpool2d k=2", "conv2d 16 k=3 p=1 name=e2", "maxpool2d k=2",
        "conv2d 16 k=3 p=1", "deconv2d 16 k=2 s=2 name=u2", "concat inputs=u2,e2", "deconv2d 8 k=2 s=2 name=u1",
        "concat inputs=u1,e1"])
    assert sweep(spec, (1, 200)).sizes() == brute(spec, 1, 200) == list(range(4, 201, 4))


def test_valid_convolutions_shift_the_progression() -> None:
    # unpadded 3x3 convs: the skip aligns when (n - 4) / 2 - 4 ... i.e. from 12 on, n even
    spec = parse_chain("1x1x64x64", ["conv2d 4 k=3", "conv2d 4 k=3 name=e", "maxpool2d k=2", "conv2d 4 k=3 p=1",
                                     "deconv2d 4 k=2 s=2 name=u", "concat inputs=u,e"])
    result = sweep(spec, (1, 500))
    assert result.sizes() == brute(spec, 1, 500)
    assert result.valid == (Progression(6, 500, 2),)


def test_fixed_in_features_leave_a_finite_set() -> None:
    spec = parse_chain("1x1x8x8", ["conv2d 1 k=3", "maxpool2d k=2", "flatten", "linear 10 in_features=9"])
    result = sweep(spec, (1, 300))
    assert result.sizes() == [8, 9] == brute(spec, 1, 300)
    assert result.method == "every size"


def test_inexact_scale_falls_back_and_says_so() -> None:
    spec = parse_chain("1x1x8x8", ["upsample scale=1.3", "conv2d 1 k=2 s=2 name=a", "deconv2d 1 k=2 s=2"])
    result = sweep(spec, (1, 200))
    assert result.sizes() == brute(spec, 1, 200)
    assert result.method == "every size" and "inexactly" in result.notes[-1]
    with pytest.raises(ShapeError, match="give a range of at most 20000") as info:
        sweep(spec, (1, 10 ** 6))
    assert info.value.rule == "sweep-range"


def test_pixel_unshuffle_divisibility() -> None:
    spec = parse_chain("1x4x8x8", ["pixel-unshuffle 2", "conv2d 4 k=3 s=3"])
    assert sweep(spec, (1, 100)).sizes() == brute(spec, 1, 100) == list(range(6, 101, 2))


@pytest.mark.parametrize("text", ["0..10", "10..5", "abc", "1..x"])
def test_bad_ranges(text: str) -> None:
    with pytest.raises(ShapeError, match="range must") as info:
        sweep(UNET, text)
    assert info.value.rule == "bad-range"


def test_axis_out_of_range() -> None:
    with pytest.raises(ShapeError, match="axis must be between 0 and 1"):
        sweep(UNET, "1..10", axis=2)


@pytest.mark.parametrize(("points", "runs", "expected"), [
    ([1, 2, 3, 7], (), [(1, 3, 1), (7, 7, 1)]),
    ([4, 8, 12, 13], (), [(4, 12, 4), (13, 13, 1)]),
    ([3, 5], (Progression(16, 64, 16),), [(3, 3, 1), (5, 5, 1), (16, 64, 16)]),
    ([8], (Progression(16, 64, 8),), [(8, 64, 8)]),
    ([2, 4, 6], (Progression(8, 20, 2),), [(2, 20, 2)]),
    ([], (), []),
])
def test_compact(points: list[int], runs: tuple[Progression, ...], expected: list[tuple[int, int, int]]) -> None:
    assert [tuple(p) for p in compact(points, runs)] == expected


def test_describe() -> None:
    assert Progression(16, 4096, 16).describe() == "every multiple of 16 from 16 to 4096"
    assert Progression(17, 4081, 16).describe() == "17, 33, ..., 4081 (every 16)"
    assert Progression(5, 9, 1).describe() == "5..9"
    assert Progression(5, 5, 1).describe() == "5"


# ---------------------------------------------------------------------------- property: the definition
FRAMEWORKS = ["torch", "tf", "keras", "jax", "onnx", "caffe"]


@st.composite
def networks(draw: st.DrawFn) -> tuple[str, list[str]]:
    framework = draw(st.sampled_from(FRAMEWORKS))
    layers: list[str] = []
    names = ["input"]
    for i in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["conv", "conv", "pool", "deconv", "up", "merge", "unshuffle", "shuffle"]))
        k, s = draw(st.integers(1, 5)), draw(st.integers(1, 3))
        if kind == "conv":
            pad = draw(st.sampled_from(["same", "valid", "0", "1", "2"]))
            layer = f"conv2d 4 k={k} s={s} d={draw(st.sampled_from([1, 1, 2]))} p={pad}"
        elif kind == "pool":
            layer = f"maxpool2d k={k} s={s} p={draw(st.sampled_from(['valid', 'same', str(k // 2)]))}"
            if framework == "torch" and draw(st.booleans()):
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


@settings(max_examples=60, deadline=None)
@given(net=networks(), hi=st.sampled_from([40, 120]), axis=st.sampled_from([None, None, 0, 1]))
def test_sweep_is_the_set_of_valid_sizes(net: tuple[str, list[str]], hi: int, axis: int | None) -> None:
    framework, layers = net
    try:
        spec = parse_chain("1x4x24x24", layers, framework=framework)
    except ShapeError:
        return  # an option this framework does not take: a usage error, not a network
    assert sweep(spec, (1, hi), axis=axis).sizes() == brute(spec, 1, hi, axis)


def test_failing_size_names_the_nearest_valid_sizes() -> None:
    """Issue 10, item 27: a U-Net at 540 fails; the nearest valid sizes are 528 and 544, and the
    report (text and JSON) says so. Cross-checked by evaluating the network at every size between."""
    from convshape.network.evaluate import network

    result = sweep(UNET, "1..4096", input="1x3x540x540")
    assert result.size == 540 and 540 not in result
    assert result.nearest_valid == (528, 544)

    def valid(n: int) -> bool:  # every layer computes (a sweep does not check expect)
        return all(layer.rule in (None, "expect") for layer in network(UNET, input=f"1x3x{n}x{n}").layers)

    assert valid(528) and valid(544) and not any(valid(n) for n in range(529, 544))
    d = result.to_dict()
    assert d["size"] == 540 and d["size_valid"] is False and d["nearest_valid"] == {"below": 528, "above": 544}
    # only one side inside the range; a valid size still reports its neighbours in the JSON
    assert sweep(UNET, "1..530", input="1x3x540x540").nearest_valid == (528, None)
    assert sweep(UNET, "1..4096").nearest_valid == (240, 272)


def test_sweep_report_prints_the_nearest_valid_sizes() -> None:
    from click.testing import CliRunner

    from convshape.cli.main import main

    out = CliRunner().invoke(main, ["sweep", UNET, "--input", "1x3x540x540"])
    assert out.exit_code == 0, out.output
    assert "the spec's size 540 is invalid; the nearest valid sizes are 528 and 544" in out.output
    assert "is invalid" not in CliRunner().invoke(main, ["sweep", UNET]).output


@pytest.mark.parametrize("valid,n,expected", [
    ((Progression(16, 4096, 16),), 540, (528, 544)),
    ((Progression(16, 4096, 16),), 16, (None, 32)),
    ((Progression(16, 4096, 16),), 5000, (4096, None)),
    ((Progression(3, 3, 1), Progression(10, 20, 5)), 12, (10, 15)),
    ((Progression(3, 3, 1), Progression(10, 20, 5)), 1, (None, 3)),
])
def test_nearest_valid(valid: tuple[Progression, ...], n: int, expected: tuple[int | None, int | None]) -> None:
    from convshape.network.sweep import nearest_valid

    assert nearest_valid(valid, n) == expected


def test_pixel_unshuffle_at_an_indivisible_spec_size_is_still_periodic() -> None:
    """The spec's own size 9 is not divisible by the factor: a periodic failure, not an inexact
    scale. (Before the sweep used the network's one walk, its slopes failed there and it fell
    back to trying every size, refusing a range of a million.)"""
    spec = parse_chain("1x4x9x9", ["pixel-unshuffle 2", "conv2d 4 k=3 s=3"])
    small = sweep(spec, (1, 100))
    assert small.sizes() == brute(spec, 1, 100) == list(range(6, 101, 2))
    assert small.method == "periodic" and small.period == 6
    assert sweep(spec, (1, 10 ** 6)).valid == (Progression(6, 10 ** 6, 2),)


class _Toy:
    """A Sweepable that is no spec file: n -> a window k=3 s=2 (y = (n - 3) // 2 + 1, rejected
    below 3) -> a transposed window k=3 s=2 (z = 2 (y - 1) + 3) -> z added to the input n. By
    hand: z = n exactly for odd n, so the valid sizes are the odd ones from 3."""

    source, framework, axis, input, position = "toy", "torch", None, (1, 1, 9), 2

    def __init__(self, exact: bool = True) -> None:
        self.exact = exact

    def trace(self, n: int) -> Trace:
        if n < 3:
            return Trace(Failure(n, "window", "input-too-small", f"input {n} is smaller than the kernel 3"),
                         (), (), {}, True)
        y = (n - 3) // 2 + 1
        z = 2 * (y - 1) + 3
        return Trace(None, (Skip("add", ("input", "up"), ((n,), (z,))),), (),
                     {"window": (y,), "up": (z,), "add": (n,)}, False)

    def slopes(self, probes: Sequence[int]) -> Slopes | None:
        if not self.exact:
            return None
        return Slopes({"input": (Fraction(1),), "window": (Fraction(1, 2),), "up": (Fraction(1),),
                       "add": (Fraction(1),)}, 2)

    def explain(self, n: int) -> Failure | None:
        return None


def test_sweep_runs_over_any_sweepable() -> None:
    toy: Sweepable = _Toy()
    result = sweep_network(toy, (1, 10 ** 6))
    assert result.valid == (Progression(3, 999999, 2),)
    assert result.method == "periodic" and result.period == 2 and result.threshold == 3
    assert result.source == "toy" and result.size == 9 and 9 in result and result.nearest_valid == (7, 11)
    assert [(f.size, f.layer, f.rule) for f in result.failures] == [(8, "add", "skip-mismatch"),
                                                                     (10, "add", "skip-mismatch"),
                                                                     (12, "add", "skip-mismatch")]
    # no slopes: every size, the same answer; over a big range it says why it cannot
    fallback = sweep_network(_Toy(exact=False), (1, 200))
    assert fallback.method == "every size" and fallback.sizes() == list(range(3, 200, 2))
    with pytest.raises(ShapeError, match="give a range of at most 20000"):
        sweep_network(_Toy(exact=False), (1, 10 ** 6))
