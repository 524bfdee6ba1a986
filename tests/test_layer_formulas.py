"""Single-layer formulas (``--formulas`` on conv*, conv-transpose*, pools, adaptive pools,
interpolate / upsample, pixel (un)shuffle, max unpooling, fractional max pooling).

The formulas are fitted on a one-layer network (:mod:`convshape.network.layer_formulas`); these
tests check them against the single-layer API the commands print, size by size: for every size
of a range the formula accepts exactly the sizes the API accepts (an empty output counts as
rejected, as the sweep counts it) and gives the API's output there, for random configurations of
every layer kind in every framework (hypothesis). A transposed convolution's selectable outputs
are checked against the API's valid outputs the same way. Then the CLI: text at 80 and 120
columns, the JSON "formulas" key, exit codes.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from convshape.api import conv as conv_api
from convshape.api import pooling, resample, unpool
from convshape.api import unfold as unfold_api
from convshape.cli.main import main
from convshape.errors import ShapeError
from convshape.network.layer_formulas import AxisFormula, layer_formulas, unfold_formulas

FRAMEWORKS = ("torch", "tf", "keras", "jax", "onnx", "onnxruntime", "caffe")
#: the frameworks that have a layer kind (the others reject it at every size: tested once, not 150 times)
HAVE = {"adaptive": ("torch", "keras"), "interpolate": ("torch", "onnx", "keras", "tf", "jax"),
        "shuffle": ("torch", "tf", "keras", "onnx"), "unshuffle": ("torch", "tf", "keras", "onnx"),
        "unpool": ("torch", "tf", "onnx"), "fractional": ("torch",), "depthwise": ("torch", "tf", "keras", "onnx")}
REF = 24  # the reference size the layer is fitted at (the other axis stays there)
TOP = 160  # every size 1..TOP is compared


class Case:
    """A layer, its arguments as a spec names them, and the API's output on axis 0 at size n."""

    def __init__(self, op: str, args: dict[str, Any], framework: str, call: Callable[[tuple[int, ...]], Any],
                 shape: Callable[[int], tuple[int, ...]] | None = None) -> None:
        self.op, self.args, self.framework, self.call, self.shape = op, args, framework, call, shape

    def output(self, n: int) -> int | None:
        try:
            out = self.call(self.shape(n) if self.shape else (n, REF)).output[0]
        except ShapeError:
            return None
        return out if out >= 1 else None

    def __repr__(self) -> str:
        return f"{self.op} {self.args} -f {self.framework}"


def _padding(draw: Any) -> Any:
    # a padding far past the kernel: the formula holds from size 1, more than 4,096 sizes below
    # where the fit starts (found by bisection, not walked)
    return draw(st.one_of(st.integers(0, 3), st.sampled_from(["same", "valid", 1500, 6000])))


@st.composite
def cases(draw: Any) -> Case:
    kind = draw(st.sampled_from(["conv", "conv_transpose", "max", "avg", "lp", "adaptive", "interpolate",
                                 "shuffle", "unshuffle", "unpool", "fractional", "depthwise"]))
    fw = draw(st.sampled_from(HAVE.get(kind, FRAMEWORKS)))
    k, s, d = draw(st.integers(1, 6)), draw(st.integers(1, 4)), draw(st.integers(1, 3))
    if kind == "conv":
        p = _padding(draw)
        return Case("conv2d", {"kernel": k, "stride": s, "padding": p, "dilation": d}, fw,
                    lambda x: conv_api.conv(x, k, s, p, d, framework=fw, ndim=2))
    if kind == "depthwise":
        p = _padding(draw)
        shape = (lambda n: (1, n, REF, 4)) if fw in ("tf", "keras") else (lambda n: (1, 4, n, REF))
        return Case("depthwise-conv2d", {"kernel": k, "stride": s, "padding": p, "depth_multiplier": 2}, fw,
                    lambda x: conv_api.conv(x, k, s, p, 1, framework=fw, ndim=2, depth_multiplier=2), shape)
    if kind == "conv_transpose":
        p = draw(st.one_of(st.integers(0, 3), st.sampled_from(["same", "valid", 1500])))
        return Case("conv-transpose2d", {"kernel": k, "stride": s, "padding": p, "dilation": d}, fw,
                    lambda x: conv_api.conv_transpose(x, k, s, p, d, framework=fw, ndim=2))
    if kind in ("max", "avg", "lp"):
        p = draw(st.one_of(st.none(), st.integers(0, 2), st.sampled_from(["same", "valid"])))
        ceil = draw(st.sampled_from([None, True, False]))
        dil = d if kind == "max" else 1
        return Case(f"{kind}pool2d", {"kernel": k, "stride": s, "padding": p, "dilation": dil, "ceil_mode": ceil}, fw,
                    lambda x: pooling.pool(kind, x, k, s, p, dil, ceil, framework=fw, ndim=2))
    if kind == "adaptive":
        o = draw(st.integers(1, 9))
        return Case("adaptive-avgpool2d", {"output_size": o}, fw,
                    lambda x: unpool.adaptive_pool(x, o, "avg", framework=fw, ndim=2))
    if kind == "interpolate":
        mode = draw(st.sampled_from(["nearest", "bilinear"]))
        if fw in ("tf", "jax") or draw(st.booleans()):  # tf.image.resize, jax.image.resize: a size only
            size = draw(st.integers(1, 40))
            return Case("interpolate", {"size": size, "mode": mode}, fw,
                        lambda x: resample.interpolate(x, size, None, mode, framework=fw, ndim=2))
        scale = draw(st.sampled_from([2, 3] if fw == "keras" else [2, 3, 1.5, 0.5, 2.5, 0.25]))
        return Case("interpolate", {"scale": scale, "mode": mode}, fw,
                    lambda x: resample.interpolate(x, None, scale, mode, framework=fw, ndim=2))
    if kind in ("shuffle", "unshuffle"):
        r = draw(st.integers(2, 3))
        call = resample.pixel_unshuffle if kind == "unshuffle" else resample.pixel_shuffle
        last = fw in ("tf", "keras")
        shape = (lambda n: (1, n, REF, 9 * 4)) if last else (lambda n: (1, 9 * 4, n, REF))

        def run(x: tuple[int, ...]) -> Any:
            result = call(x, r, None, framework=fw)
            return type("Out", (), {"output": result.shape[1:3] if last else result.shape[2:4]})

        return Case("pixel-unshuffle" if kind == "unshuffle" else "pixel-shuffle", {"factor": r}, fw, run, shape)
    if kind == "unpool":
        p = draw(st.integers(0, 1))
        return Case("maxunpool2d", {"kernel": k, "stride": s, "padding": p}, fw,
                    lambda x: unpool.max_unpool(x, k, s, p, framework=fw, ndim=2))
    ratio = draw(st.sampled_from([0.5, 0.25, 0.75]))
    return Case("fractional-maxpool2d", {"kernel": min(k, 3), "output_ratio": ratio}, fw,
                lambda x: unpool.fractional_max_pool(x, min(k, 3), None, ratio, framework=fw, ndim=2))


def _shape_of(case: Case) -> tuple[int, ...] | None:
    return case.shape(REF) if case.shape else None


def _agrees(a: AxisFormula, output: Callable[[int], int | None]) -> int:
    """Assert the formula is ``output`` at every size 1..TOP; the number of accepted sizes."""
    f = a.formula
    assert f is not None
    accepted = 0
    for n in range(1, TOP + 1):
        out = output(n)
        assert f.accepts(n) == (out is not None), (n, f.condition(a.symbol), out)
        if out is None:
            continue
        accepted += 1
        expected = f.formula({"x": n}) if n >= f.start else dict(f.exceptions)[n]
        assert expected == out, (n, shown(a) if a.output() else None)
    return accepted


@settings(max_examples=150, deadline=None)
@given(case=cases())
def test_layer_formula_is_the_single_layer_answer_at_every_size(case: Case) -> None:
    reference = case.output(REF)
    shape = _shape_of(case)
    data_format = None
    if shape is not None:
        data_format = "NHWC" if case.framework in ("tf", "keras") else "NCHW"
    found = layer_formulas(case.op, case.args, case.framework, (REF, REF), shape=shape, data_format=data_format)
    if reference is None:  # the layer rejects the reference: a formula, if any, must still be right
        if found.axes and found.axes[0].formula is not None:
            _agrees(found.axes[0], case.output)
        return
    assert found.axes, (case, found.notes)
    axis = found.axes[0]
    exact_scale = "scale" not in case.args or float(case.args["scale"]) in (2, 3, 1.5, 0.5, 2.5, 0.25)
    if axis.formula is None:
        # only a layer whose size is not an exact fraction of its input has none: torch's nearest
        # and bilinear scales are exact here, so a missing formula is a defect elsewhere
        assert not exact_scale or case.op in ("interpolate", "fractional-maxpool2d"), (case, axis.note)
        return
    assert _agrees(axis, case.output) > 0
    assert axis.at_input() == reference
    if case.op == "conv-transpose2d":
        def bound(index: int) -> Callable[[int], int | None]:
            def valid(n: int) -> int | None:
                try:
                    v = conv_api.conv_transpose((n, REF), case.args["kernel"], case.args["stride"],
                                                case.args["padding"], case.args["dilation"],
                                                framework=case.framework, ndim=2).valid_outputs[0]
                except ShapeError:
                    return None
                return v[index] if len(v) else None
            return valid

        for index, side in ((0, axis.least), (-1, axis.most)):
            assert side is not None, case
            _agrees(AxisFormula("H", REF, side), bound(index))


@settings(max_examples=40, deadline=None)
@given(fw=st.sampled_from(["torch", "tf"]), k=st.integers(1, 5), s=st.integers(1, 4), p=st.integers(0, 2),
       d=st.integers(1, 3))
def test_unfold_blocks_are_the_api_at_every_size(fw: str, k: int, s: int, p: int, d: int) -> None:
    if fw == "tf":
        p = 0  # tf.image.extract_patches: VALID only (padding 0)
    last = fw == "tf"

    def shape(n: int) -> tuple[int, ...]:
        return (1, n, REF, 3) if last else (1, 3, n, REF)

    try:
        reference = unfold_api.unfold(shape(REF), k, s, p, d, framework=fw)
    except ShapeError:
        return
    found = unfold_formulas(reference)

    def blocks(n: int) -> int | None:
        try:
            b = unfold_api.unfold(shape(n), k, s, p, d, framework=fw).blocks[0]
        except ShapeError:
            return None
        return b if b >= 1 else None

    assert _agrees(found.axes[0], blocks) > 0
    assert [a.at_input() for a in found.axes] == list(reference.blocks)
    assert found.notes[0].startswith("per axis: the sliding blocks; L = ")


# ---------------------------------------------------------------------------- cross-checked values
def shown(a: AxisFormula) -> str:
    out = a.output()
    assert out is not None, a.note
    return out.render()


def test_documented_values() -> None:
    """Values worked by hand from the frameworks' documented formulas: torch Conv2d's
    floor((H + 2p - d(k-1) - 1) / s) + 1; MaxPool2d ceil_mode; ConvTranspose2d's
    (H - 1)s - 2p + d(k - 1) + output_padding + 1 with output_padding < stride; ONNX
    ConvTranspose's output_shape up to the full output; pixel_unshuffle's divisibility."""
    conv = layer_formulas("conv2d", {"kernel": 3, "stride": 2, "padding": 1}, "torch", (64, 64))
    assert [shown(a) for a in conv.axes] == ["ceil(H / 2)", "ceil(W / 2)"]
    assert conv.axes[0].formula is not None and conv.axes[0].formula.condition("H") == "H >= 1"
    valid = layer_formulas("conv2d", {"kernel": 7, "stride": 2}, "torch", (224, 224)).axes[0]
    assert shown(valid) == "ceil(H / 2) - 3"  # = floor((H - 7) / 2) + 1
    assert valid.formula is not None and valid.formula.condition("H") == "H >= 7" and valid.at_input() == 109
    ceil = layer_formulas("maxpool2d", {"kernel": 3, "stride": 2, "ceil_mode": True}, "torch", (7, 7)).axes[0]
    assert shown(ceil) == "floor(H / 2)"  # ceil((H - 3) / 2) + 1
    t = layer_formulas("conv-transpose2d", {"kernel": 3, "stride": 2, "padding": 1}, "torch", (10, 10)).axes[0]
    assert shown(t) == "2 * H - 1" and t.at_input() == 19
    assert (t.least, t.most) != (None, None)
    assert t.to_dict()["most_output"]["formula"] == "2 * H"  # output_padding 1 < stride 2
    o = layer_formulas("conv-transpose1d", {"kernel": 3, "stride": 2}, "onnx", (10,)).axes[0]
    assert o.to_dict()["least_output"]["formula"] == "1" and o.to_dict()["most_output"]["formula"] == "2 * W + 2"
    u = layer_formulas("pixel-unshuffle", {"factor": 3}, "torch", (12, 12), shape=(1, 1, 12, 12)).axes[0]
    assert u.formula is not None and u.formula.condition("H") == "H >= 1 and H ≡ 0 (mod 3)"
    assert shown(u) == "floor(H / 3)"


def test_a_huge_padding_is_fitted_from_size_1() -> None:
    """torch Conv1d: floor((W + 2 * 5000 - 3) / 1) + 1 = W + 9998 for every W >= 1 (the fit starts
    past 10,000 and walks at most 4,096 sizes one by one: the rest is bisected)."""
    a = layer_formulas("conv1d", {"kernel": 3, "padding": 5000}, "torch", (1000,)).axes[0]
    assert shown(a) == "W + 9998" and a.formula is not None and a.formula.start == 1
    assert a.formula.exceptions == () and a.at_input() == 10998


def test_a_period_too_long_to_fit_says_so() -> None:
    a = layer_formulas("maxpool1d", {"kernel": 65536, "stride": 65536, "ceil_mode": True}, "torch", (1000000,)).axes[0]
    assert a.formula is None and a.note is not None and a.note.startswith("its sizes repeat with period 65536")


def test_a_chosen_output_size_gives_the_formulas_it_is_chosen_from() -> None:
    """torch ConvTranspose2d k=4 s=2 p=1: (H - 1) * 2 - 2 + 4 = 2 * H, output_padding 0..1; output_size
    selects 78 at H = 39 (Caffe's FCN upsampling, as README's solve example): the formulas are
    the default's and the selectable range, and a note says output_size selected one."""
    t = layer_formulas("conv-transpose2d", {"kernel": 4, "stride": 2, "padding": 1, "output_size": 78}, "torch",
                       (39, 39))
    assert shown(t.axes[0]) == "2 * H" and t.axes[0].to_dict()["most_output"]["formula"] == "2 * H + 1"
    assert t.notes[0].startswith("output_size=78 selects one output at this input")
    u = layer_formulas("maxunpool2d", {"kernel": 2, "output_size": 11}, "torch", (5, 5))
    assert shown(u.axes[0]) == "2 * H" and u.notes[0].startswith("output_size=11 selects one output")


def test_no_formula_says_why() -> None:
    inexact = layer_formulas("interpolate", {"scale": "1.3"}, "torch", (37,))
    assert not inexact.exact and "exact fraction" in (inexact.axes[0].note or "")
    policy = layer_formulas("interpolate", {"size": "224,224", "keep_aspect_ratio_policy": "not_larger"}, "onnx",
                            (375, 500))
    assert policy.axes == () and policy.notes[0].startswith("no formula with keep_aspect_ratio_policy=not_larger")
    assert "--" not in policy.notes[0]  # the engine names parameters, never flags


# ---------------------------------------------------------------------------- the CLI
def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), env={"NO_COLOR": "1", "COLUMNS": "200"})
    return result.exit_code, result.stdout


def test_cli_text_and_json() -> None:
    code, out = invoke("conv2d", "--i", "64", "--k", "3", "--s", "2", "--p", "1", "--formulas")
    assert code == 0
    assert "\nFormulas\naxis  output size  valid when  at the input\nH     ceil(H / 2)  H >= 1      64 -> 32\n" in out
    code, out = invoke("conv2d", "--i", "64", "--k", "3", "--s", "2", "--p", "1", "--formulas", "--json")
    data = json.loads(out)
    assert code == 0 and data["output"] == [32, 32]
    f = data["formulas"]
    assert set(f) == {"exact", "symbols", "axes", "notes"} and f["exact"] is True and f["symbols"] == ["H", "W"]
    assert {"symbol", "input", "formula", "python", "condition", "start", "modulus", "residues", "exceptions",
            "at_input"} <= set(f["axes"][0])
    assert f["axes"][0]["python"] == "(H + 1) // 2" and f["axes"][0]["at_input"] == 32
    # without the flag, no key: the JSON contract of every command is unchanged
    code, out = invoke("conv2d", "--i", "64", "--k", "3", "--s", "2", "--p", "1", "--json")
    assert "formulas" not in json.loads(out)


@pytest.mark.parametrize("args", [
    ("conv-transpose2d", "--i", "10", "--k", "3", "--s", "2", "--p", "1"),
    ("maxpool2d", "--i", "7", "--k", "3", "--s", "2", "--ceil-mode"),
    ("avgpool1d", "--i", "9", "--k", "2", "-f", "onnx"),
    ("lppool2d", "--i", "9", "--k", "2"),
    ("adaptive-maxpool2d", "--i", "7,5", "--o", "3"),
    ("fractional-maxpool2d", "--i", "50,32", "--k", "2", "--ratio", "0.5"),
    ("maxunpool2d", "--i", "2", "--k", "2"),
    ("upsample2d", "--i", "64", "--scale", "2"),
    ("interpolate", "--i", "37", "--scale", "1.5"),
    ("pixel-shuffle", "--i", "1x9x4x4", "--r", "3"),
    ("pixel-unshuffle", "--i", "1x1x12x12", "--r", "3"),
    ("depthwise-conv2d", "--i", "1x32x112x112", "--k", "3", "--s", "2", "--p", "1"),
    ("separable-conv2d", "--i", "1x112x112x32", "--k", "3", "--s", "2", "--p", "same", "-f", "keras", "--c", "64"),
    ("conv3d", "--i", "16,32,32", "--k", "3", "--s", "2", "-f", "jax"),
    ("unfold", "--i", "1x3x224x224", "--k", "16", "--s", "16"),
])
def test_every_layer_command_gives_its_formulas(args: tuple[str, ...]) -> None:
    code, out = invoke(*args, "--formulas", "--json")
    assert code == 0, out
    data = json.loads(out)
    f = data["formulas"]
    assert f["exact"] is True, f
    # the formula at the command's input is the command's output (pixel shuffles: the NCHW tensor's H, W)
    output = data["shape"][2:] if args[0].startswith("pixel") else data["blocks"] if args[0] == "unfold" \
        else data["output"]
    assert [a["at_input"] for a in f["axes"]] == list(output)


def test_formulas_and_explain_together() -> None:
    code, out = invoke("conv2d", "--i", "8", "--k", "3", "--explain", "--formulas", "--json")
    data = json.loads(out)
    assert code == 0 and {"explain", "formulas"} <= set(data)
    assert data["formulas"]["axes"][0]["formula"] == "H - 2" and data["formulas"]["axes"][0]["at_input"] == 6
    code, out = invoke("conv2d", "--i", "8", "--k", "3", "--explain", "--formulas")
    assert out.index("\nFormulas\n") < out.index("as a matrix: y = C x")  # the formulas, then the picture


def test_compare_and_formulas_is_a_usage_error() -> None:
    code, out = invoke("maxpool2d", "--i", "7", "--k", "3", "--compare", "--formulas", "--json")
    assert code == 2 and json.loads(out)["rule"] == "option-not-applicable"


def test_fold_has_no_formulas() -> None:
    code, out = invoke("fold", "--i", "2x12x20", "--o", "5,6", "--k", "2", "--formulas", "--json")
    assert code == 2 and json.loads(out)["rule"] == "option-not-applicable"


def test_unfold_text() -> None:
    code, out = invoke("unfold", "--i", "1x3x224x224", "--k", "16", "--s", "16", "--formulas")
    assert code == 0
    assert "axis  blocks         valid when  at the input\nH     floor(H / 16)  H >= 16     224 -> 14\n" in out
    assert "note: per axis: the sliding blocks; L = floor(H / 16) * floor(W / 16)" in out


def test_rejected_layer_exits_1_before_any_formula() -> None:
    code, out = invoke("conv2d", "--i", "2", "--k", "3", "--formulas", "--json")
    assert code == 1 and "formulas" not in json.loads(out)


@pytest.mark.parametrize("width", [80, 120])
def test_rich_tables_fit(width: int, monkeypatch: pytest.MonkeyPatch) -> None:
    import rich.console

    real = rich.console.Console
    buffer = io.StringIO()
    monkeypatch.setattr(rich.console, "Console",
                        lambda *_, **__: real(width=width, file=buffer, force_terminal=True, color_system=None))
    result = CliRunner().invoke(main, ["conv-transpose2d", "--i", "10", "--k", "3", "--s", "2", "--p", "1",
                                       "--formulas"], env={"FORCE_COLOR": "1"})
    assert result.exit_code == 0, result.output
    text = buffer.getvalue()
    assert "Formulas" in text and all(len(line) <= width for line in text.splitlines())
    assert "2 * H - 1" in text and "10 -> 19" in text
