"""Properties that must hold for every configuration (hypothesis)."""

from __future__ import annotations

from hypothesis import assume, given
from hypothesis import strategies as st

from convshape import ShapeError, conv, conv_transpose
from convshape.rules import div_trunc

sizes = st.integers(1, 300)
kernels = st.integers(1, 9)
strides = st.integers(1, 6)
dilations = st.integers(1, 4)
FRAMEWORKS = ("torch", "tf", "keras", "jax", "onnx", "caffe")


@given(sizes, kernels, strides, dilations, st.integers(0, 6))
def test_torch_output_size_set_has_stride_members_that_map_back(i, k, s, d, p):
    """Every size torch's output_size accepts, fed to the forward conv, gives back the input;
    there are exactly ``stride`` of them (when the smallest is positive)."""
    try:
        result = conv_transpose(i, k, s, p, d)
    except ShapeError:
        return
    by_output_size = [o for o in result.axes[0].options if "output_size" in o.select]
    base = (i - 1) * s - 2 * p + d * (k - 1) + 1
    assume(base >= 1)
    assert [o.output for o in by_output_size] == list(range(base, base + s))
    for option in by_output_size:
        assert conv(option.output, k, s, p, d).output == (i,)


@given(sizes, kernels, strides, dilations, st.sampled_from(["same", "valid"]),
       st.sampled_from(["tf", "onnx", "keras"]))
def test_valid_outputs_map_back_through_the_forward_conv(i, k, s, d, padding, framework):
    """tf's output_shape set, onnx's output_shape set and keras's sizes all map back to the input:
    through the forward conv with the same padding keyword (tf, keras), or with the pads ONNX
    generates from output_shape (onnx)."""
    assume(framework != "keras" or d == 1 or s == 1)
    try:
        result = conv_transpose(i, k, s, padding, d, framework=framework)
    except ShapeError:
        return
    for option in result.axes[0].options:
        forward_padding = f"{option.pad_before}:{option.pad_after}" if framework == "onnx" else padding
        assert conv(option.output, k, s, forward_padding, d, framework=framework).output == (i,)
        assert option.forward == i
    valid = list(result.valid_outputs[0])
    assert valid == sorted(valid)
    listed = [o.output for o in result.axes[0].options]
    if framework != "onnx":
        assert listed == valid
        return
    # onnx accepts one run of sizes (it centre-crops); options list the ends and those near the default
    assert valid == list(range(valid[0], valid[-1] + 1)) and set(listed) <= set(valid)
    assert {valid[0], valid[-1], result.output[0]} <= set(listed)
    from convshape.frameworks import framework_rules
    from convshape.model import AxisSpec

    onnx = framework_rules("onnx")
    for o in [*valid, valid[-1] + 1]:  # every accepted size maps back, and the next one does not
        pb, pa = onnx.output_shape_pads(AxisSpec(i, k, s, d), padding, 0, o)
        assert (conv(o, k, s, f"{pb}:{pa}", d, framework="onnx").output == (i,)) == (o <= valid[-1])


@given(sizes, kernels, strides, dilations, st.sampled_from(["same", "valid"]))
def test_tf_valid_set_has_stride_members(i, k, s, d, padding):
    """For SAME and VALID, exactly ``stride`` output_shape values are accepted, consecutive."""
    valid = conv_transpose(i, k, s, padding, d, framework="tf").valid_outputs[0]
    assert len(valid) == s
    assert list(valid) == list(range(valid[0], valid[0] + s))


@given(sizes, kernels, strides, dilations, st.sampled_from(FRAMEWORKS), st.integers(0, 4))
def test_same_output_inputs_share_the_output(i, k, s, d, framework, p):
    padding = "valid" if framework == "keras" else p
    # Caffe's and ONNX shape inference's truncating division give 1, not 0 or an error, for inputs a
    # little smaller than the kernel
    assume(framework not in ("caffe", "onnx") or i + 2 * p >= d * (k - 1) + 1 + s)
    try:
        result = conv(i, k, s, padding, d, framework=framework)
    except ShapeError:
        return
    inputs = result.same_output_inputs[0]
    assert i in inputs
    assert len(inputs) <= s or result.output == (0,)  # every too-small input gives the empty output
    for other in inputs:
        assert conv(other, k, s, padding, d, framework=framework).output == result.output
    for outside in (min(inputs) - 1, max(inputs) + 1):
        if outside >= 1:
            try:
                assert conv(outside, k, s, padding, d, framework=framework).output != result.output
            except ShapeError:
                pass


@given(sizes, kernels, strides, dilations, st.sampled_from(["tf", "keras", "jax", "onnx"]))
def test_same_is_ceil_with_the_extra_at_the_end(i, k, s, d, framework):
    """TF, Keras, JAX SAME and ONNX SAME_UPPER: output ceil(i / s); the odd pad goes at the end."""
    assume(framework != "keras" or d == 1 or s == 1)
    axis = conv(i, k, s, "same", d, framework=framework).axes[0]
    assert axis.output == -(-i // s)
    assert axis.pad_after - axis.pad_before in (0, 1)


@given(sizes, kernels, strides, dilations, st.sampled_from(["jax", "onnx"]))
def test_same_lower_puts_the_extra_at_the_start(i, k, s, d, framework):
    upper = conv(i, k, s, "same-upper", d, framework=framework).axes[0]
    lower = conv(i, k, s, "same-lower", d, framework=framework).axes[0]
    assert lower.output == upper.output
    assert (lower.pad_before, lower.pad_after) == (upper.pad_after, upper.pad_before)


@given(st.integers(-1000, 1000), st.integers(1, 50))
def test_div_trunc_is_cpp_division(a, b):
    q = div_trunc(a, b)
    assert q == int(a / b) if abs(a) < 2 ** 50 else True
    assert abs(q * b) <= abs(a) < abs(q * b) + b


@given(sizes, kernels, strides, st.integers(0, 3))
def test_fractionally_strided_formula(i, k, s, p):
    """seed 001: inserting s - 1 zeros between inputs gives o' = s (i' - 1) + k - 2p."""
    try:
        result = conv_transpose(i, k, s, p)
    except ShapeError:
        assume(False)
    assert result.output == (s * (i - 1) + k - 2 * p,)
