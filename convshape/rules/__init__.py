"""Per-axis shape rules: small pure functions, one axis at a time, no framework objects and no
user text. Each says the formula and the framework source it follows.

* :mod:`convshape.rules.arith`: C++ truncating division, ceiling division, preimages;
* :mod:`convshape.rules.conv`: convolution output, SAME padding, transposed length;
* :mod:`convshape.rules.pool`: pooling window counts and ceil_mode's drop;
* :mod:`convshape.rules.unpool`: adaptive windows, fractional max pooling, max unpooling;
* :mod:`convshape.rules.resample`: interpolation sizes (float-faithful: they reproduce the
  frameworks' float arithmetic on purpose).

The conv and arithmetic rules are re-exported here (``rules.conv_output``, ...): the
convolution path imports only them, so the CLI's start-up stays small.
"""

from __future__ import annotations

from convshape.rules.arith import div_ceil, div_trunc, preimage
from convshape.rules.conv import (caffe_output, conv_output, dilated_size, effective_kernel, lax_transposed_output,
                                  same_output, same_total_padding, split_padding, tf_windowed_output,
                                  transposed_offset, transposed_output)

__all__ = ["caffe_output", "conv_output", "dilated_size", "div_ceil", "div_trunc", "effective_kernel",
           "lax_transposed_output", "preimage", "same_output", "same_total_padding", "split_padding",
           "tf_windowed_output", "transposed_offset", "transposed_output"]
