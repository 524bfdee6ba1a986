"""Shared by the differential tests against real PyTorch: run convshape, compare with torch."""

from __future__ import annotations

from convshape import ShapeError


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
