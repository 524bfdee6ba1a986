"""The registry of frameworks: one module per framework (torch, tf, keras, jax, onnx,
onnxruntime, caffe), each answering every op family with its rule or an explicit rejection.
Adding a framework is one module and one line in :data:`FRAMEWORKS`."""

from __future__ import annotations

from convshape.errors import Rule, ShapeError
from convshape.frameworks import caffe, jax, keras, onnx, onnxruntime, tf, torch
from convshape.frameworks.base import KINDS, ConvRules, Framework, Pad, PoolRules

FRAMEWORKS: dict[str, Framework] = {fw.name: fw for fw in (torch.FRAMEWORK, tf.FRAMEWORK, keras.FRAMEWORK,
                                                            jax.FRAMEWORK, onnx.FRAMEWORK, onnxruntime.FRAMEWORK,
                                                            caffe.FRAMEWORK)}
ALIASES = {"pytorch": "torch", "tensorflow": "tf", "tf.nn": "tf", "tf.keras": "keras", "lax": "jax",
           "jax.lax": "jax", "ort": "onnxruntime"}


def get(name: str) -> Framework:
    """A framework by name or alias (``torch``, ``pytorch``, ``tf``, ``tensorflow``, ``ort``, ...)."""
    key = ALIASES.get(name.strip().lower(), name.strip().lower())
    if key not in FRAMEWORKS:
        raise ShapeError(f"unknown framework {name!r}; expected one of " + ", ".join(FRAMEWORKS),
                         rule=Rule.UNKNOWN_FRAMEWORK, values={"framework": name})
    return FRAMEWORKS[key]


def framework_rules(name: str) -> ConvRules:
    """A framework's convolution rules by name or alias."""
    return get(name).conv


def pool_rules(name: str) -> PoolRules:
    """A framework's pooling rules by name or alias."""
    return get(name).pool


__all__ = ["ALIASES", "FRAMEWORKS", "KINDS", "ConvRules", "Framework", "Pad", "PoolRules",
           "framework_rules", "get", "pool_rules"]
