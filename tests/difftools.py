"""Shared by the differential tests against real PyTorch: run convshape, compare with torch."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from types import ModuleType

import pytest

from convshape import ShapeError


def require_torch() -> ModuleType:
    """torch, or a skip where it is missing; with ``CONVSHAPE_REQUIRE_TORCH`` set (``.ci/run``
    sets it) a missing torch is an error, so CI can never pass with these tests skipped."""
    if os.environ.get("CONVSHAPE_REQUIRE_TORCH"):
        import torch

        return torch
    return pytest.importorskip("torch")


def ours(call):
    """convshape's result, or the ShapeError it raised."""
    try:
        return call()
    except ShapeError as exc:
        return exc


def agree(expected, got, context: str) -> bool:
    """Assert convshape agrees with torch (same output, or both reject); True if torch rejected."""
    if isinstance(expected, Exception):
        assert isinstance(got, ShapeError), f"torch rejects ({expected}) but convshape gives {got}: {context}"
        return True
    assert not isinstance(got, Exception), f"torch gives {expected} but convshape rejects ({got}): {context}"
    assert got.output == expected, context
    return False


def same_rejection(call: Callable[[], object], real: Callable[[], object], message: str) -> None:
    """convshape and torch both reject, and convshape's message is torch's own words."""
    try:
        call()
    except ShapeError as exc:
        assert re.search(message, str(exc)), str(exc)
    else:
        raise AssertionError(f"convshape accepts what torch rejects with {message!r}")
    try:
        real()
    except (RuntimeError, ValueError) as exc:
        assert re.search(message, str(exc)), str(exc)
    else:
        raise AssertionError(f"torch accepts it, but convshape says {message!r}")
