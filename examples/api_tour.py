"""A tour of convshape's Python API: the same answers the CLI prints.

    python examples/api_tour.py
"""

from convshape import ShapeError, conv, conv_transpose

# A strided 3x3 convolution in torch, and the two input sizes that give the same output.
r = conv((64, 64), 3, stride=2)
print("conv2d 64 k3 s2 ->", r.output, "inputs with that output:", r.same_output_inputs[0])

# Where TF's SAME puts the odd padding: at the end.
axis = conv(64, 3, 2, "same", framework="tf").axes[0]
print("tf SAME pads (before, after):", (axis.pad_before, axis.pad_after))

# Every output size tf.nn.conv2d_transpose accepts for input 64, and how each is run.
t = conv_transpose(64, 3, 2, "same", framework="tf", ndim=2)
for option in t.axes[0].options:
    print(f"  {option.select}: pads {option.pad_before}:{option.pad_after}, forward conv gives {option.forward}")

# The reverse question (seed 001, FCN): which padding takes 39 to 78 with a 4x4 kernel, stride 2?
ways = conv_transpose(39, 4, 2, 1, output_size=78).reach[0]
print("39 -> 78:", [(w.padding, w.output_padding) for w in ways])

# A configuration the framework rejects raises ShapeError with the framework's own words.
try:
    conv_transpose(64, 3, 2, "same", framework="tf", output_size=129)
except ShapeError as exc:
    print("rejected:", exc.rule, "-", exc)
