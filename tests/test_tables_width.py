"""Rich tables at 80 and 120 columns: no number is cut, no line is wider than the console,
headers wrap only at spaces, no zero-width spaces (issue 10, item 21)."""

from __future__ import annotations

import io
import re
from collections import Counter
from typing import Any

import pytest
from click.testing import CliRunner

from convshape.cli.main import main
from convshape.render.conv import Table, fold, plain, rich_print

COMMANDS = [
    ("summary", "examples/networks/unet.toml"),
    ("summary", "examples/networks/resnet18.toml"),
    ("conv2d", "--i", "64", "--k", "3", "--s", "2"),
    ("conv2d", "--i", "50,100", "--k", "3,5", "--s", "2,1", "--p", "4,2"),
    ("conv-transpose2d", "--i", "64", "--k", "3", "--s", "2", "--p", "same", "-f", "tf"),
    ("maxpool2d", "--i", "7", "--k", "3", "--s", "2", "--compare"),
    ("solve", "--i", "224", "--o", "112", "--op", "conv2d"),
    ("solve", "--i", "64,48", "--o", "128,96", "--op", "deconv2d", "-f", "tf", "--limit", "5"),
    ("solve", "--for-all-inputs", "--scale", "2", "--op", "conv-transpose1d"),
    ("adaptive-avgpool2d", "--i", "7,5", "--o", "3"),
    ("interpolate", "--i", "64,48", "--scale", "1/3", "--mode", "bilinear", "--recompute-scale-factor"),
    ("sweep", "examples/networks/unet.toml", "--range", "1..4096"),
    ("sweep", "examples/networks/unet.toml", "--emit", "torch-export", "--emit", "jax"),
    ("sweep", "examples/networks/fcn.toml", "--axis", "0", "--emit", "tensorrt", "--emit", "onnx"),
    ("summary", "examples/networks/unet.toml", "--formulas"),
    ("conv-transpose2d", "--i", "64", "--k", "4", "--s", "2", "--p", "1", "--formulas"),
    ("maxpool2d", "--i", "100000", "--k", "3", "--s", "2", "--ceil-mode", "--formulas"),
    ("chain", "--input", "1x3x64x64", "conv2d 8 k=3 s=2 p=1", "maxpool2d k=3 s=2 ceil_mode=true", "--formulas"),
    ("translate", "conv2d", "--from", "tf", "--to", "torch", "--i", "224", "--k", "7", "--s", "2", "--p", "same"),
    ("translate", "conv-transpose3d", "--from", "keras", "--to", "onnx", "--i", "9,4,5", "--k", "4,1,3", "--s", "2",
     "--p", "same", "--output-padding", "1"),
    ("summary", "tests/data/onnx_zoo/unet_dynamo.onnx", "--i", "1x1x32x32"),
    ("sweep", "tests/data/onnx_zoo/unet_dynamo.onnx", "--range", "1..256"),
]
NUMBER = re.compile(r"\d+(?:[,.]\d+)*")  # 8,405,184 and 1.5 are one number each


def numbers(text: str) -> Counter[str]:
    return Counter(NUMBER.findall(text))


def run_plain(args: tuple[str, ...]) -> str:
    result = CliRunner().invoke(main, list(args), env={"NO_COLOR": "1"})
    assert result.exit_code == 0, result.output
    return result.stdout


def run_rich(args: tuple[str, ...], width: int, monkeypatch: pytest.MonkeyPatch) -> str:
    import rich.console

    real = rich.console.Console
    buffer = io.StringIO()

    def console(*_: Any, **__: Any) -> rich.console.Console:
        return real(width=width, file=buffer, force_terminal=True, color_system=None)

    monkeypatch.setattr(rich.console, "Console", console)
    result = CliRunner().invoke(main, list(args), env={"NO_COLOR": "", "FORCE_COLOR": "1"})
    assert result.exit_code == 0, result.output
    assert result.stdout == ""  # all of it went through the rich console
    return buffer.getvalue()


@pytest.mark.parametrize("width", [80, 120])
@pytest.mark.parametrize("args", COMMANDS, ids=[" ".join(a[:2]) for a in COMMANDS])
def test_rich_keeps_every_number(args: tuple[str, ...], width: int, monkeypatch: pytest.MonkeyPatch) -> None:
    text = run_plain(args)
    shown = run_rich(args, width, monkeypatch)
    assert "\u200b" not in shown
    assert max(len(line) for line in shown.splitlines()) <= width
    missing = numbers(text) - numbers(shown)
    assert not missing, f"cut or dropped at {width} columns: {sorted(missing)}"


def test_summary_total_is_never_cut(monkeypatch: pytest.MonkeyPatch) -> None:
    # resnet18's total parameter count, as torchvision's resnet18 has it (11,689,512 with its fc);
    # the regression: at 80 columns rich cut 8,405,184-style totals to "8,405,1"
    text = run_plain(("summary", "examples/networks/resnet18.toml"))
    total = [line.split() for line in text.splitlines() if line.startswith("total")][0]
    params = [cell for cell in total if re.fullmatch(r"\d{1,3}(,\d{3})+", cell)]
    assert params
    shown = run_rich(("summary", "examples/networks/resnet18.toml"), 80, monkeypatch)
    for value in params:
        assert re.search(rf"(?<![\d,]){re.escape(value)}(?![\d,])", shown), value
    for header in ("params", "MACs", "pad", "RF", "jump", "start", "check"):
        assert re.search(rf"\b{header}\b", shown), header


def render(block: Table, width: int) -> str:
    from rich.console import Console

    console = Console(width=width, file=io.StringIO(), force_terminal=True, color_system=None)
    rich_print([block], console)
    out = console.file.getvalue()  # type: ignore[attr-defined]
    assert isinstance(out, str)
    return out


def test_headers_wrap_only_at_spaces() -> None:
    block = Table("Per axis", ("axis", "input", "kernel", "stride", "dilation", "pad before:after",
                               "output_padding", "output", "valid outputs", "maps back"),
                  (("0", "64", "3", "2", "1", "1:1", "0", "127", "127, 128", "yes"),))
    for width in (40, 60, 80, 120):
        words = {w for line in render(block, width).splitlines() for w in line.split()}
        for name in block.header:
            for word in name.split():
                assert word in words, (width, word)


def test_folds_into_parts_repeating_the_key_column() -> None:
    header = ("layer", *(f"column{i}" for i in range(12)))
    block = Table("Layers", header, (("enc1", *(f"{10 ** 8 + i:,}" for i in range(12))),))
    parts = fold(block, 80)
    assert len(parts) > 1 and all(columns[0] == 0 for _, columns, _ in parts)
    assert sorted(c for _, columns, _ in parts for c in columns[1:]) == list(range(1, 13))
    assert [title for title, _, _ in parts][0] == f"Layers (part 1 of {len(parts)})"
    widths = [max(len(h), len(c)) for h, c in zip(header, block.rows[0])]
    assert fold(block, 400) == [("Layers", tuple(range(13)), widths)]


def test_too_narrow_for_any_table_stacks_rows() -> None:
    block = Table("Layers", ("layer", "params", "MACs"), (("enc1", "8,405,184", "48,171,581,440"),))
    out = render(block, 22)
    assert "params: 8,405,184" in out and "MACs: 48,171,581,440" in out
    assert max(len(line) for line in out.splitlines()) <= 22
    assert plain([block]).splitlines()[-1].split() == ["enc1", "8,405,184", "48,171,581,440"]


# ---------------------------------------------------------------------------- issue 10, item 22
def test_no_internal_seed_references_in_user_facing_text() -> None:
    """No string constant of the package (messages, help, layer names, docstrings) and no README
    line names an internal "seed 00N" note: they cite the paper or the framework docs instead."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    pattern = re.compile(r"seed[ _-]?0\d\d", re.I)
    found = []
    for path in sorted((root / "convshape").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and pattern.search(node.value):
                found.append(f"{path.relative_to(root)}:{node.lineno}: {node.value[:60]!r}")
    readme = (root / "README.md").read_text(encoding="utf-8").splitlines()
    found += [f"README.md:{n}: {line[:60]}" for n, line in enumerate(readme, 1) if pattern.search(line)]
    assert not found, "\n".join(found)


def test_pixel_shuffle_help_cites_the_paper() -> None:
    result = CliRunner().invoke(main, ["pixel-shuffle", "--help"], env={"NO_COLOR": "1", "COLUMNS": "200"})
    assert result.exit_code == 0
    assert "seed" not in result.stdout.lower() and "Shi et al., CVPR 2016" in result.stdout
