"""The frameworks convshape knows, as ``convshape frameworks`` lists them (split from
:mod:`convshape.api.conv`, which still exports them, so a forward convolution does not define
these results at start-up)."""

# No ``from __future__ import annotations`` here: typing.NamedTuple compiles each string annotation.
from typing import Any, NamedTuple

from convshape.frameworks import FRAMEWORKS


class FrameworkInfo(NamedTuple):
    """What convshape knows of one framework: its padding keywords and the sources of its rules."""

    name: str
    title: str
    versions: str
    default_padding: str
    keywords: dict[str, str]
    transposed_keywords: dict[str, str]
    explicit: str
    explicit_transposed: str
    sources: dict[str, str]

    def to_dict(self) -> dict[str, Any]:
        return self._asdict()


class FrameworksResult(NamedTuple):
    frameworks: tuple[FrameworkInfo, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"frameworks": [f.to_dict() for f in self.frameworks]}


def list_frameworks() -> FrameworksResult:
    """The frameworks convshape knows (the registry, in order): the versions their rules were
    observed on, their convolution padding keywords, explicit padding, and rule sources."""
    return FrameworksResult(tuple(
        FrameworkInfo(fw.name, fw.conv.title, fw.versions, fw.conv.default_padding, dict(fw.conv.keywords),
                      dict(fw.conv.transposed_keywords), fw.conv.explicit, fw.conv.explicit_transposed,
                      dict(fw.conv.sources)) for fw in FRAMEWORKS.values()))


__all__ = ["FrameworkInfo", "FrameworksResult", "list_frameworks"]
