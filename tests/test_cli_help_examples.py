"""Every example printed in a command's --help runs and exits 0 (the examples are what a new
user copies first)."""

from __future__ import annotations

import shlex

import pytest
from click.testing import CliRunner

from convshape.cli.main import COMMANDS, main

NAMES = ["", *(name for name, _, _ in COMMANDS), "frameworks"]


def examples(name: str) -> list[list[str]]:
    text = CliRunner().invoke(main, [*([name] if name else []), "--help"]).output
    found = []
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("convshape ") and "#" not in line:
            found.append(shlex.split(line)[1:])
    return found


@pytest.mark.parametrize("name", NAMES)
def test_help_examples_run(name):
    for args in examples(name):
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 0, (args, result.output)


def test_every_command_shows_examples():
    assert all(examples(name) for name in NAMES if name not in ("frameworks",)), \
        [name for name in NAMES if not examples(name) and name != "frameworks"]
