"""The registry of frameworks: one module per framework (torch, tf, keras, jax, onnx,
onnxruntime, caffe), each answering every op family with its rule or an explicit rejection.
Adding a framework is one module and one line in :data:`FRAMEWORKS`."""

from __future__ import annotations

from collections.abc import Iterator, MutableMapping
from importlib import import_module

from convshape.errors import Rule, ShapeError
from convshape.frameworks.base import KINDS, ConvRules, Framework, Pad, PoolRules

#: the registry, in report order: name -> the module of this package that defines FRAMEWORK.
#: Adding a framework is one module and one line here.
MODULES = {"torch": "torch", "tf": "tf", "keras": "keras", "jax": "jax", "onnx": "onnx",
           "onnxruntime": "onnxruntime", "caffe": "caffe"}


class Registry(MutableMapping[str, Framework]):
    """Every framework by name; a framework's module is imported on first use, so a command
    that asks one framework loads only that one (start-up time). Frameworks may also be
    registered at run time (``FRAMEWORKS["mxnet"] = Framework(...)``)."""

    def __init__(self, modules: dict[str, str]) -> None:
        self._modules = dict(modules)
        self._names = list(modules)
        self._loaded: dict[str, Framework] = {}

    def __getitem__(self, name: str) -> Framework:
        if name not in self._loaded:
            if name not in self._modules:
                raise KeyError(name)
            framework: Framework = import_module(f"convshape.frameworks.{self._modules[name]}").FRAMEWORK
            self._loaded[name] = framework
        return self._loaded[name]

    def __setitem__(self, name: str, framework: Framework) -> None:
        if name not in self._names:
            self._names.append(name)
        self._loaded[name] = framework

    def __delitem__(self, name: str) -> None:
        self._names.remove(name)
        self._loaded.pop(name, None)
        self._modules.pop(name, None)

    def __contains__(self, name: object) -> bool:
        return name in self._names

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._names))

    def __len__(self) -> int:
        return len(self._names)


FRAMEWORKS = Registry(MODULES)
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


__all__ = ["ALIASES", "FRAMEWORKS", "KINDS", "MODULES", "Registry", "ConvRules", "Framework", "Pad", "PoolRules",
           "framework_rules", "get", "pool_rules"]
