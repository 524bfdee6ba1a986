"""unfold / fold (issue 10, item 24) against torch 2.13's F.unfold / F.fold on random
configurations: the output shape, the blocks L, or a rejection in torch's words exactly where
torch raises."""

from __future__ import annotations

import random

import pytest

from convshape.api.unfold import fold, unfold
from convshape.errors import ShapeError

from difftools import require_torch  # noqa: E402

torch = require_torch()

import torch.nn.functional as F  # noqa: E402

N = 400


def _window(rng: random.Random) -> tuple[tuple[int, int], ...]:
    def pair(lo: int, hi: int) -> tuple[int, int]:
        a = rng.randint(lo, hi)
        return (a, a) if rng.random() < 0.5 else (a, rng.randint(lo, hi))

    return pair(0 if rng.random() < 0.05 else 1, 4), pair(0 if rng.random() < 0.05 else 1, 3), \
        pair(-1 if rng.random() < 0.05 else 0, 2), pair(0 if rng.random() < 0.05 else 1, 2)


def _torch(call: object) -> tuple[tuple[int, ...] | None, str | None]:
    try:
        return tuple(call().shape), None  # type: ignore[operator]
    except RuntimeError as exc:
        return None, str(exc).splitlines()[0]


def test_unfold_against_torch() -> None:
    rng = random.Random(24)
    rejected = 0
    for _ in range(N):
        k, s, p, d = _window(rng)
        rank = rng.choice([3, 4, 4, 4, 5])
        shape = [rng.randint(0 if i == 0 and rank == 4 else 1, 7) for i in range(rank)]
        if rng.random() < 0.05:
            shape[-1] = 0
        want, message = _torch(lambda: F.unfold(torch.zeros(*shape), k, dilation=d, padding=p, stride=s))
        if want is None:
            rejected += 1
            with pytest.raises(ShapeError) as exc:
                unfold(shape, k, s, p, d)
            assert exc.value.message == message
        else:
            result = unfold(shape, k, s, p, d)
            assert result.output == want and result.length == want[-1] and result.columns == want[-2]
    assert 40 < rejected < N - 100


def test_fold_against_torch() -> None:
    rng = random.Random(42)
    rejected = 0
    for _ in range(N):
        k, s, p, d = _window(rng)
        out = (rng.randint(1, 8), rng.randint(1, 8))
        blocks = [(o + 2 * pp - dd * (kk - 1) - 1) // max(ss, 1) + 1 for o, kk, ss, pp, dd in zip(out, k, s, p, d)]
        length = blocks[0] * blocks[1] if rng.random() < 0.7 and blocks[0] * blocks[1] > 0 else rng.randint(1, 30)
        columns = rng.randint(1, 3) * k[0] * k[1] + (1 if rng.random() < 0.15 else 0)
        shape = [columns, length] if rng.random() < 0.3 else [rng.randint(0, 2), columns, length]
        if rng.random() < 0.04:
            shape.insert(0, 1)
        want, message = _torch(lambda: F.fold(torch.zeros(*shape), out, k, dilation=d, padding=p, stride=s))
        if want is None:
            rejected += 1
            with pytest.raises(ShapeError) as exc:
                fold(shape, out, k, s, p, d)
            assert exc.value.message == message, (shape, out, k, s, p, d)
        else:
            result = fold(shape, out, k, s, p, d)
            assert result.output == want and result.length == shape[-1]
    assert 40 < rejected < N - 100


def test_fold_negative_blocks_that_multiply_to_l() -> None:
    """(-1) x (-1) = 1 blocks match L = 1: torch then says the blocks are too small."""
    want, message = _torch(lambda: F.fold(torch.zeros(1, 4, 1), (2, 2), 2, dilation=3))
    assert want is None
    with pytest.raises(ShapeError) as exc:
        fold("1x4x1", 2, 2, dilation=3)
    assert exc.value.message == message


def test_cli_unfold_and_fold() -> None:
    """ViT's patch embedding as im2col: 1x3x224x224, 16x16 patches -> 1x768x196 (torch F.unfold)."""
    import json

    from click.testing import CliRunner

    from convshape.cli.main import main

    runner = CliRunner()
    want = tuple(F.unfold(torch.zeros(1, 3, 224, 224), 16, stride=16).shape)
    out = runner.invoke(main, ["unfold", "--i", "1x3x224x224", "--k", "16", "--s", "16", "--json"])
    assert out.exit_code == 0, out.output
    d = json.loads(out.output)
    assert tuple(d["output"]) == want == (1, 768, 196) and d["columns"] == 768 and d["length"] == 196
    out = runner.invoke(main, ["Unfold", "--i", "1x3x224x224", "--k", "16", "--s", "16"])
    assert out.exit_code == 0 and "columns C·∏k = 3·256 = 768; blocks L = 14 x 14 = 196" in out.output
    out = runner.invoke(main, ["fold", "--i", "2x12x20", "--o", "5,6", "--k", "2", "--json"])
    assert json.loads(out.output)["output"] == list(F.fold(torch.zeros(2, 12, 20), (5, 6), 2).shape)
    out = runner.invoke(main, ["col2im", "--i", "2x12x20", "--o", "6x6", "--k", "2", "--json"])
    assert out.exit_code == 1 and json.loads(out.stdout)["rule"] == "blocks"
    out = runner.invoke(main, ["unfold", "--i", "2x3x5x6", "--k", "2", "-f", "keras"])
    assert out.exit_code == 1 and "keras has no unfold" in out.output
    out = runner.invoke(main, ["fold", "--i", "2x12x20", "--k", "2"])
    assert out.exit_code == 2
