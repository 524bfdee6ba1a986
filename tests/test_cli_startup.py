"""Start-up: what ``convshape conv2d --json`` loads (issue 9, "start-up": --json within 1.25x of
``python -c "import click"``; benchmarks/bench_cli.py measures it), and the written-out command
table that lets a command called by its name skip the op vocabulary."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from convshape.cli.main import COMMANDS, main, op_commands

#: run in a fresh interpreter: the modules the conv2d --json path loaded, and its output
PROBE = """
import json, sys
from convshape.cli.main import main
try:
    main({args!r})
except SystemExit:
    pass
print(json.dumps(sorted(sys.modules)))
"""

#: modules the conv2d --json path has no use for: drawing (rich, the renderers), the op vocabulary
#: (a command called by its own name needs none), the other op families' values and the frameworks
#: listing, networks and model files, translation, the other frameworks and commands, anything heavy
NOT_ON_THE_CONV_PATH = ("rich", "numpy", "onnx", "onnxruntime", "torch", "tensorflow", "jax", "yaml",
                        "convshape.ops", "convshape.family_values", "convshape.api.frameworks", "convshape.render",
                        "convshape.network", "convshape.models",
                        "convshape.api.translate", "convshape.api.pooling", "convshape.api.resample",
                        "convshape.api.unpool", "convshape.api.explain", "convshape.api.solve",
                        "convshape.frameworks.tf", "convshape.frameworks.keras", "convshape.frameworks.jax",
                        "convshape.frameworks.onnx", "convshape.frameworks.onnxruntime",
                        "convshape.frameworks.caffe", "convshape.cli.network", "convshape.cli.pool",
                        "convshape.cli.resample", "convshape.cli.unpool", "convshape.cli.unfold",
                        "convshape.cli.solve", "convshape.cli.translate", "convshape.cli.explain",
                        "difflib", "fractions", "decimal", "dataclasses")


def loaded(*args: str) -> tuple[set[str], str]:
    proc = subprocess.run([sys.executable, "-c", PROBE.format(args=list(args))], check=True, capture_output=True,
                          text=True)
    *output, modules = proc.stdout.splitlines()
    return set(json.loads(modules)), "\n".join(output)


def offenders(modules: set[str], banned: tuple[str, ...]) -> list[str]:
    return sorted(m for m in modules if any(m == b or m.startswith(b + ".") for b in banned))


def test_conv2d_json_loads_only_what_it_needs():
    modules, output = loaded("conv2d", "--i", "64", "--k", "3", "--s", "2", "--json")
    assert json.loads(output)["output"] == [31, 31]  # torch.nn.Conv2d(1, 1, 3, stride=2) on 64x64: 31x31
    assert offenders(modules, NOT_ON_THE_CONV_PATH) == []
    # what it does need: the conv API, torch's rules, the conv command
    assert {"convshape.api.conv", "convshape.frameworks.torch", "convshape.cli.conv"} <= modules


def test_the_probe_would_see_a_banned_module():
    """The check above can fail: an alias (not a command's own name) loads the op vocabulary,
    and a table (not --json) loads rich."""
    modules, _ = loaded("Conv2d", "--i", "64", "--k", "3", "--s", "2", "--json")
    assert offenders(modules, NOT_ON_THE_CONV_PATH) == ["convshape.ops"]
    modules, _ = loaded("conv2d", "--i", "64", "--k", "3", "--s", "2")
    assert "convshape.render.conv" in modules


def test_written_out_op_commands_are_what_the_op_vocabulary_derives():
    """COMMANDS writes the op commands out (start-up); convshape.ops stays the one vocabulary."""
    derived = [(name, factory) for name, factory, _ in op_commands()]
    written = [(name, factory) for name, factory, _ in COMMANDS[:len(derived)]]
    assert written == derived
    assert all(aliases == () for _, _, aliases in COMMANDS[:len(derived)])  # theirs come from convshape.ops
    assert not {name for name, _, _ in COMMANDS[len(derived):]} & {name for name, _ in derived}


@pytest.mark.parametrize(("alias", "command"), [("Conv2d", "conv2d"), ("deconv2d", "conv-transpose2d"),
                                                ("Conv2DTranspose", "conv-transpose2d"), ("MaxPooling2D", "maxpool2d"),
                                                ("port", "translate"), ("net", "summary"), ("draw", "explain")])
def test_aliases_resolve_through_the_lazy_index(alias, command):
    assert main.command_name(alias) == command


def test_help_lists_every_command_and_the_aliases():
    out = CliRunner().invoke(main, ["--help"], terminal_width=200).output
    for name, _, _ in COMMANDS:
        assert f"  {name} " in out, name
    assert "Aliases" in out and "deconv2d" in out and "port" in out


def test_the_collector_is_paused_only_while_the_cli_imports():
    """convshape.cli pauses the cyclic GC for its imports, then freezes what they made: a command's
    own work runs with the collector as the caller had it (on by default, off if turned off)."""
    code = ("import gc\n{before}\nimport convshape.cli\n"
            "print(gc.isenabled(), gc.get_freeze_count() > 1000)")
    on = subprocess.run([sys.executable, "-c", code.format(before="")], check=True, capture_output=True, text=True)
    assert on.stdout.split() == ["True", "True"]
    off = subprocess.run([sys.executable, "-c", code.format(before="gc.disable()")], check=True, capture_output=True,
                         text=True)
    assert off.stdout.split() == ["False", "True"]


def test_values_moved_off_the_conv_path_import_from_where_they_were():
    """convshape.model and convshape.api.conv still give what moved to convshape.family_values and
    convshape.api.frameworks (loaded on first use), and nothing else."""
    import convshape
    from convshape import family_values, model
    from convshape.api import conv as api_conv
    from convshape.api import frameworks

    for name in model.FAMILY_VALUES:
        assert getattr(model, name) is getattr(family_values, name)
    for name in ("FrameworkInfo", "FrameworksResult", "list_frameworks"):
        assert getattr(api_conv, name) is getattr(frameworks, name) is getattr(convshape, name)
    with pytest.raises(AttributeError):
        _ = model.NoSuchValue
    with pytest.raises(AttributeError):
        _ = api_conv.NoSuchValue
    assert [f.name for f in convshape.list_frameworks().frameworks][:2] == ["torch", "tf"]
