"""The worked examples of ../shared/seeds/README.md on convolution and transposed convolution.

Each test names the seed file it reproduces. Where a seed's own formula is wrong (seed 000's
``(in_depth - 1) / filter_depth + 1`` for SAME), the test asserts the framework's real
answer, ``ceil(in / stride)``.
"""

from __future__ import annotations

import pytest

from convshape import ShapeError, conv, conv_transpose

SEED_000 = "000_de1da958872ba382.txt"
SEED_001 = "001_c2534347ed8f3f69.txt"
SEED_002 = "002_b481d745dbbf1994.txt"
SEED_003 = "003_4e276e15579779a6.txt"
SEED_004 = "004_4cc0a9f496c36c00.txt"


# --- seed 000: tf.nn.conv3d and tf.nn.conv2d_transpose -------------------------------------
@pytest.mark.parametrize("kernel, stride, expected", [
    ((1, 3, 3), (1, 1, 1), (7, 224, 224)),
    ((1, 5, 3), (1, 1, 1), (7, 224, 224)),
    ((1, 3, 3), (2, 1, 1), (4, 224, 224)),  # ceil(7 / 2) = 4, not the post's (7 - 1) / 1 + 1
])
def test_seed000_tf_conv3d_same(kernel, stride, expected):
    """seed 000: tf.nn.conv3d on [1, 7, 224, 224, 3] (NDHWC), SAME."""
    assert conv((7, 224, 224), kernel, stride, "same", framework="tf").output == expected


def test_seed000_conv2d_transpose_3x3_accepts_5_and_6():
    """seed 000: conv2d_transpose of [1, 3, 3, 3], 3x3 kernel, stride 2, SAME: 6x6 and 5x5 both work."""
    result = conv_transpose(3, 3, 2, "same", framework="tf", ndim=2)
    assert result.valid_outputs == ((5, 6), (5, 6))
    assert conv_transpose(3, 3, 2, "same", framework="tf", ndim=2, output_size=6).output == (6, 6)
    assert conv_transpose(3, 3, 2, "same", framework="tf", ndim=2, output_size=5).output == (5, 5)


@pytest.mark.parametrize("stride, padding, valid", [
    (1, "same", (64,)),
    (1, "valid", (66,)),
    (2, "same", (127, 128)),
    (2, "valid", (129, 130)),
])
def test_seed000_input64_kernel3(stride, padding, valid):
    """seed 000: input 64, kernel 3: the output sizes tf.nn.conv2d_transpose accepts."""
    assert conv_transpose(64, 3, stride, padding, framework="tf", ndim=1).valid_outputs == (valid,)


def test_seed000_output_shape_129_error():
    """seed 000: stride 2 SAME with output_shape 129 fails with TF's own numbers."""
    with pytest.raises(ShapeError, match=r"Conv2DCustomBackpropInput: Size of out_backprop doesn't match computed: "
                                         r"actual = 64, computed = 65 spatial_dim: 1 input: 129 filter: 3 output: 64 "
                                         r"stride: 2 dilation: 1"):
        conv_transpose((64, 64), 3, 2, "same", framework="tf", output_size=(129, 129))


# --- seed 001: the conv formula, its transpose, FCN ----------------------------------------
@pytest.mark.parametrize("size, expected", [(5, 3), (6, 3)])
def test_seed001_conv_formula(size, expected):
    """seed 001: conv (i=5 or 6, k=3, s=2, p=1) -> 3."""
    assert conv(size, 3, 2, 1).output == (expected,)


def test_seed001_transpose_is_conv_with_p_prime():
    """seed 001: conv (i=4, k=3, s=1, p=0) -> 2; its transpose is the conv (i'=2, k'=3, s'=1,
    p'=k-p-1=2) -> 4, and the transposed conv of 2 gives 4."""
    assert conv((4, 4), 3).output == (2, 2)
    assert conv((2, 2), 3, 1, 3 - 0 - 1).output == (4, 4)
    assert conv_transpose((2, 2), 3).output == (4, 4)


def test_seed001_fcn32s_caffe_deconvolution():
    """seed 001: FCN-32s's Caffe Deconvolution, kernel 64, stride 32, no padding: o = 32 (i - 1) + 64."""
    result = conv_transpose(16, 64, 32, 0, framework="caffe", ndim=2)
    assert result.output == (544, 544)
    assert result.valid_outputs == ((544,), (544,))


def test_seed001_fcn_tf_39x12_to_78x24():
    """seed 001: conv2d_transpose with a 4x4 kernel, stride 2 takes 39x12 to pool4's 78x24."""
    result = conv_transpose((39, 12), 4, 2, "same", framework="tf", output_size=(78, 24))
    assert result.output == (78, 24)
    # the post's interpolated map, (4 + 2*77) x (4 + 2*23), is the smallest that a 4x4 stride-2
    # convolution takes to 78x24
    forward = conv((4 + 2 * 77, 4 + 2 * 23), 4, 2)
    assert forward.output == (78, 24)
    assert [min(x) for x in forward.same_output_inputs] == [158, 50]


def test_seed001_fcn_reverse_question_in_torch():
    """seed 001: 39 -> 78 with a 4x4 kernel, stride 2: torch reaches it with padding 1."""
    result = conv_transpose(39, 4, 2, 1, output_size=78)
    assert result.output == (78,)
    assert [(r.padding, r.output_padding) for r in result.reach[0]] == [("1", 0)]
    with pytest.raises(ShapeError, match=r"valid sizes range from 80 to 81 .* reached with padding=1"):
        conv_transpose(39, 4, 2, 0, output_size=78)


# --- seed 002: conv2d_transpose as the gradient of conv2d ---------------------------------
def test_seed002_3x3_filter2_stride2_same_to_6():
    """seed 002: 3x3 input, 2x2 filter, stride 2, SAME, output_shape [1, 6, 6, 1] -> 6x6."""
    assert conv_transpose((3, 3), 2, 2, "same", framework="tf", output_size=(6, 6)).output == (6, 6)


def test_seed002_unet_keras_conv2dtranspose():
    """seed 002: U-Net Conv2DTranspose(64, (2, 2), strides=(2, 2)): 3x5 -> 6x10."""
    assert conv_transpose((3, 5), 2, 2, framework="keras").output == (6, 10)


def test_seed002_28x28_round_trip():
    """seed 002: 28x28 with a 7x7 filter, stride 1, SAME -> 28x28; conv2d_transpose back to 28x28."""
    assert conv((28, 28), 7, 1, "same", framework="tf").output == (28, 28)
    assert conv_transpose((28, 28), 7, 1, "same", framework="tf").valid_outputs == ((28,), (28,))


# --- seed 003: PyTorch's Conv1d/2d/3d and ConvTranspose2d/3d -----------------------------
@pytest.mark.parametrize("input, kernel, stride, padding, dilation, expected", [
    (50, 3, 2, 0, 1, (24,)),                                         # nn.Conv1d(16, 33, 3, stride=2)
    ((50, 100), 3, 2, 0, 1, (24, 49)),                               # nn.Conv2d(16, 33, 3, stride=2)
    ((50, 100), (3, 5), (2, 1), (4, 2), 1, (28, 100)),
    ((50, 100), (3, 5), (2, 1), (4, 2), (3, 1), (26, 100)),
    ((10, 50, 100), 3, 2, 0, 1, (4, 24, 49)),                        # nn.Conv3d(16, 33, 3, stride=2)
    ((10, 50, 100), (3, 5, 2), (2, 1, 1), (4, 2, 0), 1, (8, 50, 99)),
    ((12, 12), 3, 2, 1, 1, (6, 6)),
])
def test_seed003_torch_conv(input, kernel, stride, padding, dilation, expected):
    """seed 003: PyTorch convolution examples."""
    assert conv(input, kernel, stride, padding, dilation).output == expected


@pytest.mark.parametrize("input, kernel, stride, padding, expected", [
    ((50, 100), 3, 2, 0, (101, 201)),
    ((50, 100), (3, 5), (2, 1), (4, 2), (93, 100)),
    ((10, 50, 100), 3, 2, 0, (21, 101, 201)),
    ((10, 50, 100), (3, 5, 2), (2, 1, 1), (0, 4, 2), (21, 46, 97)),
])
def test_seed003_torch_conv_transpose(input, kernel, stride, padding, expected):
    """seed 003: PyTorch transposed convolution examples."""
    assert conv_transpose(input, kernel, stride, padding).output == expected


def test_seed003_output_size_12():
    """seed 003: Conv2d(3, stride=2, padding=1): 12 -> 6; ConvTranspose2d with output_size 12x12 -> 12x12."""
    assert conv((12, 12), 3, 2, 1).output == (6, 6)
    result = conv_transpose((6, 6), 3, 2, 1, output_size=(12, 12))
    assert result.output == (12, 12)
    assert result.output_padding == (1, 1)
    assert result.valid_outputs == ((11, 12), (11, 12))


@pytest.mark.parametrize("size, stride", [(n, s) for n in (1, 2, 7, 64, 100) for s in (1, 2, 3, 4)])
def test_seed003_total_padding_k_minus_1(size, stride):
    """seed 003: total padding k - 1 keeps the size at stride 1; at stride s it gives floor((n + s - 1) / s)."""
    for kernel in (1, 2, 3, 4, 5):
        total = kernel - 1
        out = conv(size, kernel, stride, f"{total // 2}:{total - total // 2}").output[0]
        assert out == (size + stride - 1) // stride


# --- seed 004: the exact xS transposed-convolution recipe ---------------------------------
@pytest.mark.parametrize("scale", range(2, 9))
def test_seed004_conv_transpose1d_exact_upsampling(scale):
    """seed 004: ConvTranspose1d(kernel_size=2S, stride=S, padding=S//2 + S%2, output_padding=S%2) gives S x."""
    for size in (1, 2, 3, 10, 37, 100):
        result = conv_transpose(size, 2 * scale, scale, scale // 2 + scale % 2, output_padding=scale % 2)
        assert result.output == (size * scale,)


def test_seed004_recipe_fails_for_scale_1_in_torch():
    """seed 004's recipe at S = 1 asks for output_padding 1 with stride 1, which torch rejects
    (observed: 'output padding must be smaller than either stride or dilation')."""
    with pytest.raises(ShapeError, match="output padding must be smaller than either stride or dilation"):
        conv_transpose(10, 2, 1, 1, output_padding=1)
