"""Every `$ convshape ...` example in the README is real output: each is run and compared.

A line `...` in the README stands for any run of lines; a command whose comment says
"abridged" is only run (it must not fail with a traceback). Globs are expanded as a shell would.
"""

from __future__ import annotations

import glob
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from convshape.cli import main

ROOT = Path(__file__).resolve().parent.parent


def examples() -> list[tuple[int, str, list[str]]]:
    found: list[tuple[int, str, list[str]]] = []
    fenced = False
    current: tuple[int, str, list[str]] | None = None
    for number, line in enumerate((ROOT / "README.md").read_text().splitlines(), 1):
        if line.startswith("```"):
            fenced = not fenced
            if current:
                found.append(current)
                current = None
            continue
        if not fenced:
            continue
        if line.startswith("$ convshape "):
            if current:
                found.append(current)
            current = (number, line[2:], [])
        elif current:
            current[2].append(line)
    return found


def same(want: str, have: str) -> bool:
    """A README line stands for an output line; ``...`` inside it stands for any text."""
    if want == have or "..." not in want:
        return want == have
    head, _, tail = want.partition("...")
    return have.startswith(head) and have.endswith(tail) and len(have) >= len(head) + len(tail)


def run_equal(want: list[str], have: list[str]) -> bool:
    return len(want) == len(have) and all(same(w, h) for w, h in zip(want, have))


def matches(expected: list[str], got: list[str]) -> bool:
    """``expected`` with ``...`` lines standing for any run of lines (line by line, no regex)."""
    want = [line.rstrip() for line in expected]
    have = [line.rstrip() for line in got]
    parts: list[list[str]] = [[]]
    for line in want:
        if line.strip() == "...":
            parts.append([])
        else:
            parts[-1].append(line)
    if len(parts) == 1:
        return run_equal(want, have)
    first, *middle, last = parts
    if not run_equal(first, have[:len(first)]) or (last and not run_equal(last, have[len(have) - len(last):])):
        return False
    at, end = len(first), len(have) - len(last)
    for part in middle:
        while at + len(part) <= end and not run_equal(part, have[at:at + len(part)]):
            at += 1
        if at + len(part) > end:
            return False
        at += len(part)
    return at <= end


@pytest.mark.parametrize("number, command, expected", examples(), ids=lambda v: str(v)[:60])
def test_readme_example_is_real_output(number, command, expected, monkeypatch):
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("NO_COLOR", "1")
    text, _, comment = command.partition("   #")
    words = []
    for word in shlex.split(text)[1:]:
        words.extend(sorted(glob.glob(word)) if any(c in word for c in "*?[") else [word])
    result = CliRunner().invoke(main, words, prog_name="convshape", env={"COLUMNS": "200"})
    assert not isinstance(result.exception, (TypeError, KeyError, AttributeError, IndexError)), result.exception
    if "abridged" in comment:
        return
    if "first lines" in comment:
        expected = [*expected, "..."]
    while expected and not expected[-1].strip():
        expected = expected[:-1]
    got = result.output.rstrip("\n").splitlines()
    assert matches(expected, got), f"README line {number}: {command}\n--- got:\n{result.output}"
