"""The picture of a layer (convshape.api.explain + render_explain): golden drawings of the seed
configurations, the data model, every framework and pooling kind, graceful large sizes."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from convshape import ShapeError, conv, conv_transpose
from convshape.api.explain import ExplainResult, explain_layer, explain_result, parse_op
from convshape.render.explain import BUDGET, Picture, axis_pictures, grid_picture, matrix_picture, plain_text

FRAMEWORKS = ("torch", "tf", "keras", "jax", "onnx", "caffe")

# ---------------------------------------------------------------------------- golden drawings
SEED_CONV = """\
output j reads the cells j*2 - 1 + t*1, t < 3
           0  1  2  3  4
input  [p][x][x][x][x][x][p]
out 0  [0==1==2]
out 1        [0==1==2]
out 2              [0==1==2]"""

SEED_DIRECT = """\
as a direct convolution: 1 zero(s) between inputs, padding 1:1, stride 1, kernel rotated 180° (taps read right to left)
           0     1     2
input  [p][x][0][x][0][x][p]
out 0  [2==1==0]
out 1     [2==1==0]
out 2        [2==1==0]
out 3           [2==1==0]
out 4              [2==1==0]"""

SEED_SCATTER = """\
as it runs: input j adds x[j] * w[t] to output j*2 - 1 + t*1; of the 7 cells written, padding 1:1 crops, \
output_padding 0 adds
            0  1  2  3  4
output  [-][o][o][o][o][o][-]
in 0    [0==1==2]
in 1          [0==1==2]
in 2                [0==1==2]"""

SEED_MATRIX = """\
as a matrix: y = C x, C is 4 x 16 (output cells by input cells, row-major), 36 non-zero (56.2%)
  0 1 2 . 3 4 5 . 6 7 8 . . . . .
  . 0 1 2 . 3 4 5 . 6 7 8 . . . .
  . . . . 0 1 2 . 3 4 5 . 6 7 8 .
  . . . . . 0 1 2 . 3 4 5 . 6 7 8
entry = the kernel tap, numbered row-major over 3x3 (tap 4 = w[1][1]); . = 0"""

SEED_GRID = """\
axes 0, 1 as a grid: the zero-inserted, padded input; [ ] the window of output (0, 0), < > of output (4, 4)
[p][p][p] p  p  p  p
[p][x][0] x  0  x  p
[p][0][0] 0  0  0  p
 p  x  0  x  0  x  p
 p  0  0  0 <0><0><p>
 p  x  0  x <0><x><p>
 p  p  p  p <p><p><p>"""


def test_seed_001_conv_i5_k3_s2_p1_drawing():
    """Seed 001: conv (i=5, k=3, s=2, p=1) -> 3; each output's window over the padded input."""
    blocks = axis_pictures(explain_layer("conv1d", 5, 3, stride=2, padding=1))
    assert blocks[0] == "axis 0: input 5 · kernel 3 · stride 2 · dilation 1 · padding 1:1 -> output 3"
    assert blocks[1] == SEED_CONV


def test_seed_001_transposed_i3_k3_s2_p1_drawing():
    """Seed 001: its transpose (i'=3 -> 5) as zero insertion: s - 1 = 1 zero between inputs,
    padding k - p - 1 = 1, the kernel rotated; and the cells each input writes."""
    blocks = axis_pictures(explain_layer("conv-transpose1d", 3, 3, stride=2, padding=1))
    assert blocks[1] == SEED_DIRECT
    assert blocks[2] == SEED_SCATTER


def test_seed_001_matrix_4_by_16():
    """Seed 001: conv (i=4, k=3, s=1, p=0) on 4x4 is y = C x with C a 4 x 16 matrix."""
    ex = explain_layer("conv2d", 4, 3)
    assert (ex.matrix.rows, ex.matrix.cols, ex.matrix.nnz) == (4, 16, 36)
    assert str(matrix_picture(ex)) == SEED_MATRIX
    transpose = next(i for i in ex.identities if i.name == "transpose")
    assert transpose.source is not None and "Dumoulin & Visin" in transpose.source
    assert "C^T (16 x 4)" in transpose.statement
    gradient = next(i for i in ex.identities if i.name == "gradient")
    # seed 001: p' = k - p - 1 = 2; seed 002: the gradient has FULL padding for a VALID conv
    assert "padding 2:2,2:2" in gradient.statement and "FULL padding" in gradient.statement


def test_seed_001_transposed_2d_grid():
    assert str(grid_picture(explain_layer("deconv2d", 3, 3, stride=2, padding=1))) == SEED_GRID


def test_seed_001_transpose_matrix_is_the_transpose():
    forward = explain_layer("conv2d", 5, 3, stride=2, padding=1).matrix
    back = explain_layer("conv-transpose2d", 3, 3, stride=2, padding=1).matrix
    assert (back.rows, back.cols) == (forward.cols, forward.rows) == (25, 9)
    assert back.entries == tuple(zip(*forward.entries))


def test_seed_002_tf_same_transposed_3_to_6():
    """Seed 002: 3x3 input, 2x2 filter, stride 2, SAME, output_shape 6x6."""
    ex = explain_layer("conv-transpose2d", 3, 2, stride=2, padding="same", output_size=6, framework="tf")
    assert ex.output == (6, 6)
    d = ex.axes[0].direct
    assert (d.zeros_between, d.stretched, d.pad_before, d.pad_after) == (1, 5, 1, 1)
    assert "d(k-1) - pad_before = 1 before" in ex.identities[0].statement


def test_pictures_are_plain_strings_with_roles():
    ex = explain_layer("conv1d", 5, 3, stride=2, padding=1)
    pictures = [b for b in axis_pictures(ex) if isinstance(b, Picture)]
    assert pictures and all(isinstance(p, str) for p in pictures)
    assert pictures[0].roles == ("text", "ruler", "cells", "window", "window", "window")
    text = plain_text(ex)
    assert "\x1b[" not in text and text.endswith("\n")
    assert "legend: x input cell · p padding · digits: the kernel tap at each cell" in text


# ---------------------------------------------------------------------------- data model
def test_windows_taps_and_json():
    ex = explain_layer("conv1d", 5, 3, stride=2, padding=1)
    view = ex.axes[0].views[0]
    assert [(w.start, w.end, w.hits, w.pad_taps) for w in view.windows] == [(-1, 2, 2, 1), (1, 4, 3, 0), (3, 6, 2, 1)]
    data = json.loads(json.dumps(ex.to_dict()))
    for key in ("op", "framework", "input", "output", "axes", "matrix", "identities"):
        assert key in data
    axis = data["axes"][0]
    assert {k: axis[k] for k in ("input", "kernel", "stride", "pad_before", "pad_after", "output")} == {
        "input": 5, "kernel": 3, "stride": 2, "pad_before": 1, "pad_after": 1, "output": 3}
    assert data["matrix"]["entries"] == [[1, 2, None, None, None], [None, 0, 1, 2, None], [None, None, None, 0, 1]]
    assert axis["views"][0]["row"] == [{"kind": "pad", "start": -1, "stop": 0, "step": 1},
                                       {"kind": "input", "start": 0, "stop": 5, "step": 1},
                                       {"kind": "pad", "start": 5, "stop": 6, "step": 1}]


def test_results_are_immutable_namedtuples():
    ex = explain_layer("conv1d", 5, 3)
    with pytest.raises(AttributeError):
        ex.op = "x"  # type: ignore[misc]
    assert isinstance(ex, tuple) and type(ex).__slots__ == ()


def test_built_from_the_engine_result():
    """explain_result of the engine's own result is what explain_layer gives."""
    assert explain_result(conv(7, 3, 2, "same", framework="tf")) == explain_layer("conv1d", 7, 3, 2, "same",
                                                                                  framework="tf")
    assert explain_result(conv_transpose(7, 3, 2, 1, output_padding=1)) == explain_layer(
        "deconv1d", 7, 3, 2, 1, output_padding=1)
    with pytest.raises(TypeError):
        explain_result(object())


@pytest.mark.parametrize("op, parsed", [("conv2d", ("conv", None, 2)), ("deconv2d", ("conv-transpose", None, 2)),
                                        ("Conv2d_Transpose", ("conv-transpose", None, 2)),
                                        ("conv-transpose3d", ("conv-transpose", None, 3)),
                                        ("MaxPool1d", ("pool", "max", 1)), ("avg-pool2d", ("pool", "avg", 2)),
                                        ("lppool2d", ("pool", "lp", 2)), ("conv", ("conv", None, None))])
def test_parse_op(op, parsed):
    assert parse_op(op) == parsed


@pytest.mark.parametrize("call, message", [
    (lambda: explain_layer("dense", 5, 3), r"explain draws conv1d/2d/3d"),
    (lambda: explain_layer("conv1d", 5, 3, output_padding=1), r"output_padding does not apply to conv1d"),
    (lambda: explain_layer("deconv1d", 5, 3, ceil_mode=True), r"ceil_mode does not apply"),
    (lambda: explain_layer("conv2d", 5, 7), r"Kernel size can't be greater than actual input size"),
    (lambda: explain_layer("maxpool1d", 5, 3, padding=2), r"padding should be at most half of kernel size"),
    (lambda: explain_layer("pool", 5, 3), r"pooling needs a kind"),
])
def test_rejections_are_the_engines(call, message):
    with pytest.raises(ShapeError, match=message):
        call()


# ---------------------------------------------------------------------------- every framework and kind
@pytest.mark.parametrize("framework", FRAMEWORKS)
@pytest.mark.parametrize("op", ["conv2d", "conv-transpose2d"])
def test_every_framework_draws(framework, op):
    ex = explain_layer(op, 6, 3, stride=2, padding="valid" if framework != "caffe" else 0, framework=framework)
    assert ex.framework == framework
    text = plain_text(ex)
    assert "[x]" in text and "as a matrix" in text
    if op.startswith("conv-transpose"):
        assert "[0]" in text  # the zeros inserted between inputs


@pytest.mark.parametrize("framework", FRAMEWORKS)
@pytest.mark.parametrize("kind", ["max", "avg", "lp"])
def test_every_pooling_kind_and_framework(framework, kind):
    try:
        ex = explain_layer(f"{kind}pool2d", 7, 3, stride=2, framework=framework)
    except ShapeError as exc:  # e.g. Caffe has no LP pooling: the engine's own rejection
        assert exc.framework == framework
        return
    assert ex.family == "pool" and ex.kind == kind
    assert "[*==*==*]" in plain_text(ex)


def test_pooling_draws_the_dropped_window():
    """torch ceil_mode (i=5, k=2, s=2, p=1): window 3 would start at 5, past the input."""
    text = plain_text(explain_layer("maxpool1d", 5, 2, stride=2, padding=1, ceil_mode=True))
    assert "out 3                    [*==*]   dropped by ceil_mode" in text
    assert "[p][x][x][x][x][x][p][ ]" in text


def test_dilation_and_negative_padding():
    text = plain_text(explain_layer("conv1d", 9, 3, dilation=2))
    assert "out 0  [0=---=1=---=2]" in text
    cropped = plain_text(explain_layer("conv1d", 12, 3, padding="-2:-1", framework="jax"))
    assert "input  [-][-][x][x]" in cropped and "+ 2 + t*1" in cropped


# ---------------------------------------------------------------------------- large sizes
def test_large_input_draws_first_and_last_windows():
    ex = explain_layer("conv1d", 224, 3, stride=2, padding=1)
    text = plain_text(ex)
    assert "(106 more, not drawn)" in text and "out 111" in text and "out 3 " not in text
    assert "(positions 6 to 216 not drawn)" in text
    assert "too large to draw" in text and "112 x 224" in text
    assert max(len(line) for line in text.splitlines() if line.startswith("out ")) <= BUDGET + 10


def test_huge_kernel_is_summarised():
    """FCN-32s (seed 001): Caffe Deconvolution, kernel 64, stride 32, on 39x12 -> 1280x416."""
    ex = explain_layer("deconv2d", "39,12", 64, stride=32, framework="caffe")
    assert ex.output == (1280, 416)
    assert ex.axes[0].direct.stretched == 1217  # 38 * 32 + 1
    text = plain_text(ex)
    assert "too wide to draw: 1280 windows of 64 taps" in text
    assert ex.matrix.entries is None and ex.matrix.rows == 1280 * 416


def test_huge_sizes_stay_fast():
    ex = explain_layer("conv1d", 2**31 - 1, 3, stride=1)
    assert ex.axes[0].nnz == 3 * (2**31 - 3)
    assert len(ex.axes[0].views[0].windows) == 16
    plain_text(ex)


@given(st.integers(1, 40), st.integers(1, 6), st.integers(1, 4), st.integers(1, 3), st.integers(0, 3),
       st.sampled_from(["conv1d", "deconv1d", "maxpool1d", "avgpool1d"]))
def test_any_small_layer_draws_within_the_budget(i, k, s, d, p, op):
    try:
        ex = explain_layer(op, i, k, stride=s, padding=min(p, k // 2) if "pool" in op else p, dilation=d)
    except ShapeError:
        return
    assert isinstance(ex, ExplainResult)
    text = plain_text(ex)
    for line in text.splitlines():
        if line.startswith(("out ", "in ", "input ", "output ")):
            assert len(line) <= BUDGET + 12, line
    for a in ex.axes:
        for view in a.views:
            for w in view.windows:
                assert w.hits + w.pad_taps + w.zero_taps + w.cropped_taps == a.kernel
    # the matrix's non-zeros: counted by formula, listed by entry
    if ex.matrix.entries is not None:
        assert sum(e is not None for row in ex.matrix.entries for e in row) == ex.matrix.nnz
