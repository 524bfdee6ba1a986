"""convshape.api.solve: every answer checked by the forward engine, brute force over the bounds finds
nothing solve missed, the --for-all-inputs answers hold for every size, the ranking and errors."""

from __future__ import annotations

import random
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from convshape import ShapeError, conv, conv_transpose
from convshape.api.pooling import pool
from convshape.api.solve import parse_op, parse_scale, solve

FRAMEWORKS = ["torch", "tf", "keras", "jax", "onnx", "caffe"]
SMALL = {"max_kernel": 4, "max_stride": 3, "max_dilation": 2}


def engine(result, solution, size=None, output=None):
    """Run one solution through the forward engine (api.conv / conv_transpose / pooling.pool)."""
    args = dict(solution.arguments)
    n = len(solution.kernel)
    if size is not None:
        args["input"] = size
        if "output_size" in args:
            args["output_size"] = output
    if result.op.startswith("conv-transpose"):
        return conv_transpose(args["input"], args["kernel"], args["stride"], args["padding"], args["dilation"],
                              args.get("output_padding"), args.get("output_size"), framework=result.framework,
                              ndim=n)
    if "pool" in result.op:
        return pool(result.op[:3], args["input"], args["kernel"], args["stride"], args["padding"], args["dilation"],
                    args["ceil_mode"], framework=result.framework, ndim=n)
    return conv(args["input"], args["kernel"], args["stride"], args["padding"], args["dilation"],
                framework=result.framework, ndim=n)


def assert_engine_agrees(result):
    for s in result.solutions:
        got = engine(result, s)
        assert got.output == result.output, (s.arguments, got.output)
        assert tuple(a.pad_before for a in got.axes) == s.pad_before, s.arguments
        assert tuple(a.pad_after for a in got.axes) == s.pad_after, s.arguments
        if result.op.startswith("conv-transpose"):
            assert tuple(a.output_padding for a in got.axes) == s.output_padding, s.arguments


CASES = [("conv2d", "224", "112"), ("conv2d", "64,48", "32,24"), ("conv1d", "10", "10"), ("conv1d", "9", "3"),
         ("conv-transpose2d", "112", "224"), ("conv-transpose1d", "7", "15"), ("conv-transpose2d", "5,6", "10,13"),
         ("maxpool2d", "224", "112"), ("avgpool2d", "13,14", "7,7"), ("maxpool2d", "7", "3")]


@pytest.mark.parametrize("framework", FRAMEWORKS)
@pytest.mark.parametrize("op, size, output", CASES)
def test_every_answer_runs_in_the_engine(framework, op, size, output):
    try:
        result = solve(size, output, op, framework=framework, limit=12)
    except ShapeError as exc:
        assert exc.rule == "no-solution", exc
        return
    assert result.solutions and result.total >= len(result.solutions)
    assert_engine_agrees(result)


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_every_axis_answer_runs_in_the_engine(framework):
    """Each axis's full list, not only the combinations shown: one uniform layer per answer."""
    result = solve("12", "6", "conv-transpose2d" if framework == "jax" else "conv2d", framework=framework, limit=1)
    for axis in result.axes:
        for a in axis.solutions:
            way = a.ways[0]
            pad = way.padding if isinstance(way.padding, str) else f"{way.padding[0]}:{way.padding[1]}"
            if result.op.startswith("conv-transpose"):
                got = conv_transpose(12, a.kernel, a.stride, pad, a.dilation, way.output_padding,
                                     6 if way.sized else None, framework=framework, ndim=2)
            else:
                got = conv(12, a.kernel, a.stride, pad, a.dilation, framework=framework, ndim=2)
            assert got.output == (6, 6)


# ---------------------------------------------------------------------------- brute force
def _pads(framework: str, family: str, kernel: int, dilation: int, stride: int, ndim: int) -> list[str]:
    """Every padding spelling worth trying, more than solve's own vocabulary (the engine rejects the rest)."""
    eff = dilation * (kernel - 1) + 1
    words = ["valid", "same", "same-lower"]
    if framework == "jax" and family == "conv-transpose":  # pads of the stride-dilated input
        return words + [f"{a}:{b}" for a in range(0, eff) for b in range(0, eff + max(stride, dilation) - 1)]
    return words + [f"{a}:{b}" for a in range(eff) for b in range(eff)]


def brute_force(framework: str, op: str, size: int, output: int, bounds: dict) -> set[tuple[int, ...]]:
    """Every (kernel, stride, dilation, pad_before, pad_after, output_padding) the public API
    accepts with output ``output``, found by trying everything within the bounds."""
    family, ndim = parse_op(op)
    found = set()
    for k in range(1, bounds["max_kernel"] + 1):
        for d in range(1, (bounds["max_dilation"] if k > 1 else 1) + 1):
            for s in range(1, bounds["max_stride"] + 1):
                for pad in _pads(framework, family, k, d, s, ndim):
                    if (framework == "torch" and family == "conv" and ":" in pad
                            and pad.split(":")[0] != pad.split(":")[1]):
                        continue  # nn.ConvNd pads symmetrically (before:after is F.pad, which solve does not propose)
                    if family == "conv-transpose":
                        selectors = [(op_, None) for op_ in (None, *range(max(s, d)))] + [(None, output)]
                        calls = [lambda op_=op_, o=o: conv_transpose(size, k, s, pad, d, op_, o, framework=framework,
                                                                     ndim=ndim) for op_, o in selectors]
                    elif "pool" in family:
                        calls = [lambda c=c: pool(family[:3], size, k, s, pad, d, c, framework=framework, ndim=ndim)
                                 for c in (False, True)]
                    else:
                        calls = [lambda: conv(size, k, s, pad, d, framework=framework, ndim=ndim)]
                    for call in calls:
                        try:
                            r = call()
                        except ShapeError:
                            continue
                        if r.output[0] != output:
                            continue
                        a = r.axes[0]
                        found.add((k, s, d, a.pad_before, a.pad_after, getattr(a, "output_padding", 0)))
    return found


BRUTE = [(fw, op, size, out) for fw in FRAMEWORKS for op, size, out in
         [("conv2d", 9, 4), ("conv-transpose2d", 4, 9), ("maxpool2d", 8, 4), ("avgpool2d", 7, 3)]]


@pytest.mark.parametrize("framework, op, size, output", BRUTE)
def test_brute_force_finds_nothing_solve_missed(framework, op, size, output):
    expected = brute_force(framework, op, size, output, SMALL)
    try:
        result = solve(size, output, op, framework=framework, all_splits=True, limit=1, **SMALL)
        got = {a.geometry for a in result.axes[0].solutions}
    except ShapeError as exc:
        assert exc.rule == "no-solution"
        got = set()
    if framework == "jax" and op.startswith("conv-transpose"):
        # lax.conv_transpose's pads are unbounded; within solve's (pads up to the effective kernel)
        expected = {g for g in expected if g[3] <= g[2] * (g[0] - 1) and g[4] <= g[2] * (g[0] - 1)}
    assert got == expected, (sorted(expected - got)[:5], sorted(got - expected)[:5])


def test_balanced_splits_are_a_subset_of_all_splits():
    every = solve(9, 4, "conv2d", framework="tf", all_splits=True, limit=1)
    some = solve(9, 4, "conv2d", framework="tf", limit=1)
    e = {a.geometry for a in every.axes[0].solutions}
    s = {a.geometry for a in some.axes[0].solutions}
    assert s < e
    assert all(0 <= g[4] - g[3] <= 1 for g in s)


# ---------------------------------------------------------------------------- for every input
def check_for_all(result, sizes):
    """Every answer, on every axis, against the engine at each size (multiples of N for 1/N)."""
    scales = [Fraction(x) for x in result.scale]
    for s in result.solutions:
        for axis, scale in enumerate(scales):
            n = scale.denominator
            for size in sizes:
                if size % n:
                    continue
                out = int(size * scale)
                got = engine(result, s, size=size, output=out)
                assert got.output[axis] == out, (s.arguments, size, got.output)


@pytest.mark.parametrize("framework", FRAMEWORKS)
@pytest.mark.parametrize("op, scale", [("conv-transpose1d", "2"), ("conv-transpose2d", "3"), ("conv1d", "1/2"),
                                       ("conv2d", "1"), ("maxpool2d", "1/2"), ("avgpool2d", "1/3"),
                                       ("conv-transpose1d", "1")])
def test_for_all_answers_hold_on_many_sizes(framework, op, scale):
    try:
        result = solve(op=op, scale=scale, framework=framework, limit=6)
    except ShapeError as exc:
        assert framework == "caffe" and "pool" in op or exc.rule == "no-solution", exc
        return
    rng = random.Random(5)
    slow = framework in ("onnx", "tf") and "transpose" in op  # the engine lists every output_shape, one by one
    top = 200 if slow else 10**6
    check_for_all(result, [*range(1, 21 if slow else 41), *(rng.randint(41, top) for _ in range(4 if slow else 8))])


def test_seed_004_recipe_for_exact_upsampling():
    """seed 004: ConvTranspose1d(kernel_size=2S, stride=S, padding=S//2 + S%2, output_padding=S%2)
    upsamples exactly by S."""
    for s in range(2, 5):
        result = solve(op="conv-transpose1d", scale=s, for_all_inputs=True, max_kernel=8, max_stride=4, limit=0)
        recipe = (2 * s, s, 1, s // 2 + s % 2, s // 2 + s % 2, s % 2)
        assert recipe in {a.geometry for a in result.axes[0].solutions}, s
    # S = 1 needs output_padding 1 with stride 1: torch rejects it (output_padding < max(stride, dilation))
    with pytest.raises(ShapeError, match="output padding must be smaller than either stride or dilation"):
        conv_transpose(5, 2, 1, 1, output_padding=1)
    assert (2, 1, 1, 1, 1, 1) not in {a.geometry for a in solve(op="conv-transpose1d", scale=1).axes[0].solutions}
    two = solve(op="conv-transpose1d", scale=2, limit=0)
    assert two.solutions[0].rule == ("output = 2*i for every i >= 1",)
    assert "= 2*i + 0" in two.solutions[0].proof[0]


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(FRAMEWORKS), st.sampled_from([("conv-transpose1d", 2), ("conv1d", Fraction(1, 2)),
                                                      ("maxpool1d", Fraction(1, 3)), ("conv-transpose1d", 4)]),
       st.integers(1, 10**7))
def test_for_all_at_random_large_sizes(framework, case, m):
    op, scale = case
    if framework == "caffe" and "pool" in op:
        return
    result = solve(op=op, scale=str(scale), framework=framework, limit=3)
    if framework == "onnx" and "transpose" in op:
        m = m % 600 + 1  # the engine lists every onnx output_shape, one by one
    size = m * scale.denominator
    for s in result.solutions:
        out = int(size * scale)
        assert engine(result, s, size=size, output=out).output[0] == out


def test_tf_same_transposed_scales_by_the_stride():
    result = solve(op="conv-transpose2d", scale=2, framework="tf", limit=0)
    same = [s for s in result.solutions if s.padding == "same"]
    assert same and all(s.select == ("output_shape=S*i",) * 2 for s in same)
    assert "ceil(o/s)" in same[0].proof[0]


def test_downsampling_says_what_other_sizes_give():
    result = solve(op="conv1d", scale="1/2", limit=0)
    rules = {s.kernel[0]: s.rule[0] for s in result.solutions if s.dilation == (1,)}
    assert "round up: output = ceil(i/2)" in rules[1]  # k1 s2: floor((i-1)/2) + 1
    assert "round down: output = floor(i/2), except i = 1 (rejected)" in rules[2]


def test_no_conv_upsamples_and_no_transposed_conv_downsamples():
    with pytest.raises(ShapeError, match="no conv1d scales every input by 2.*try op='conv-transpose1d'"):
        solve(op="conv1d", scale=2)
    with pytest.raises(ShapeError, match="a convolution can: try op='conv2d'"):
        solve(op="deconv2d", scale="1/2")


# ---------------------------------------------------------------------------- ranking, combining, errors
def test_ranking_simplest_first():
    result = solve(224, 112, "conv2d", limit=0)
    first = [(s.kernel[0], s.stride[0], s.padding) for s in result.solutions[:3]]
    assert first == [(1, 2, "0"), (2, 2, "0"), (3, 2, "1")]
    dilated = [i for i, s in enumerate(result.solutions) if s.dilation != (1, 1)]
    plain = [i for i, s in enumerate(result.solutions) if s.dilation == (1, 1) and s.kernel[0] == s.kernel[1]]
    assert max(plain) < min(dilated)
    pool_first = solve(224, 112, "maxpool2d").solutions[0]
    assert (pool_first.kernel, pool_first.stride) == ((2, 2), (2, 2))  # stride equal to the window first


def test_same_geometry_on_every_axis_comes_first():
    result = solve("64,48", "32,24", "conv2d", limit=0)
    uniform = [len({(k, s, d) for k, s, d in zip(x.kernel, x.stride, x.dilation)}) == 1 for x in result.solutions]
    assert uniform == sorted(uniform, reverse=True)
    assert result.total == 13 * 13


def test_keras_padding_keyword_is_one_for_the_layer():
    """Keras takes 'same' or 'valid' for the whole layer: a layer needing both is not proposed."""
    result = solve("5,5", "5,3", "conv2d", framework="keras", limit=0)
    for s in result.solutions:
        assert s.padding in ("same", "valid")
    assert_engine_agrees(result)


def test_keras_stride_with_dilation_is_never_combined():
    result = solve("9,9", "9,5", "conv2d", framework="keras", limit=0)
    for s in result.solutions:
        assert not (max(s.stride) > 1 and max(s.dilation) > 1), s.arguments


def test_torch_conv_pads_symmetrically_or_same():
    result = solve(8, 8, "conv1d", limit=0)
    assert {s.padding for s in result.solutions} >= {"0", "1", "same"}
    assert all(s.padding == "same" or s.pad_before == s.pad_after for s in result.solutions)


def test_pooling_ceil_mode_is_a_parameter():
    result = solve(7, 4, "maxpool1d", limit=0)
    assert any(s.ceil_mode for s in result.solutions)
    assert not result.solutions[0].ceil_mode
    assert_engine_agrees(result)


def test_no_solution_names_the_numbers_and_bounds():
    with pytest.raises(ShapeError, match=r"no conv2d maps 224x224 to 500x500 with kernel <= 7, stride <= 4, "
                                         r"dilation <= 2; a transposed convolution can: try op='conv-transpose2d'"):
        solve(224, 500, "conv2d")
    with pytest.raises(ShapeError, match=r"axis 1: 64 to 2\).*try max_stride=32"):
        solve("64,64", "32,2", "conv2d")


@pytest.mark.parametrize("kwargs, rule", [
    ({"input": 5, "output_size": 3, "op": "convolution9d"}, "unknown-op"),
    ({"input": 5, "output_size": 3, "op": "dense"}, "option-not-applicable"),  # an op, of a family solve lacks
    ({"input": "5,5,5", "output_size": "3,3", "op": "conv2d"}, "axis-count"),
    ({"input": 5}, "missing"),
    ({"scale": "2/3", "for_all_inputs": True}, "not-a-number"),
    ({"for_all_inputs": True}, "missing"),
    ({"input": 5, "output_size": 3, "max_kernel": 0}, "convshape-limit"),
    ({"input": 5, "output_size": 3, "framework": "mxnet"}, "unknown-framework"),
])
def test_usage_errors(kwargs, rule):
    with pytest.raises(ShapeError) as info:
        solve(**kwargs)
    assert info.value.rule == rule and info.value.framework is None


def test_parse_op_aliases():
    for text, expected in [("conv2d", ("conv", 2)), ("Conv_Transpose3d", ("conv-transpose", 3)),
                           ("deconv2d", ("conv-transpose", 2)), ("conv2d-transpose", ("conv-transpose", 2)),
                           ("MaxPool1d", ("maxpool", 1)), ("average-pooling2d", ("avgpool", 2)),
                           ("conv", ("conv", None))]:
        assert parse_op(text) == expected
    assert parse_scale("2,1/2", 2) == (Fraction(2), Fraction(1, 2))


def test_json_shape():
    d = solve(112, 224, "deconv2d").to_dict()
    sol = d["solutions"][0]
    for key in ("kernel", "stride", "dilation", "pad_before", "pad_after", "output_padding"):
        assert isinstance(sol[key], list) and len(sol[key]) == 2
    assert d["op"] == "conv-transpose2d" and d["framework"] == "torch"
    assert "output_padding" not in solve(224, 112, "conv2d").to_dict()["solutions"][0]
    fa = solve(op="conv-transpose1d", scale=2).to_dict()
    assert fa["solutions"][0]["scale"] == ["2"] and fa["solutions"][0]["rule"] and fa["solutions"][0]["proof"]
