"""The one op vocabulary (convshape/ops.py): every name of every op resolves in every reader
that takes its family (the CLI group, network specs and chains, explain, solve), wrong names
get the nearest ones, and no flag names leak below the CLI."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from convshape import ops
from convshape.api.explain import explain_layer
from convshape.api.explain import parse_op as explain_op
from convshape.api.solve import parse_op as solve_op
from convshape.api.solve import solve
from convshape.cli.main import main
from convshape.errors import ShapeError
from convshape.network.evaluate import OPS as NETWORK_OPS
from convshape.network.evaluate import chain, op_name
from convshape.ops import Family

ALL_NAMES = [(word, op) for op in ops.OPS.values() for word in (op.name, *op.aliases)]
DRAWN = (Family.CONV, Family.CONV_TRANSPOSE, Family.POOL)  # what explain and solve take


def test_every_name_looks_up_its_op_in_any_spelling() -> None:
    for word, op in ALL_NAMES:
        for spelling in (word, word.upper(), word.replace("-", "_"), f" {word.lower()} "):
            assert ops.lookup(spelling) is op, spelling


def test_records_are_immutable_and_typed() -> None:
    op = ops.lookup("Conv2DTranspose")
    assert (op.name, op.family, op.ndim, op.command) == ("conv-transpose2d", Family.CONV_TRANSPOSE, 2,
                                                         "conv-transpose2d")
    assert ops.lookup("AveragePooling2D").pool == "avg" and ops.lookup("ConvTranspose").ndim is None
    with pytest.raises(AttributeError):
        op.name = "x"  # type: ignore[misc]


def test_the_aliases_people_type() -> None:
    expected = {"Conv2d": "conv2d", "conv2d_transpose": "conv-transpose2d", "ConvTranspose": "conv-transpose",
                "Deconvolution": "conv-transpose", "MaxPooling2D": "maxpool2d", "AveragePool": "avgpool",
                "avg_pool2d": "avgpool2d", "max_pool2d": "maxpool2d", "LPPool2d": "lppool2d",
                "depthwise_conv2d": "depthwise-conv2d", "DepthwiseConv2D": "depthwise-conv2d",
                "SeparableConv2D": "separable-conv2d", "atrous_conv2d": "conv2d",
                "GlobalAveragePooling2D": "global-avgpool2d", "UpSampling2D": "upsample2d",
                "depth_to_space": "pixel-shuffle", "space_to_depth": "pixel-unshuffle", "PixelShuffle": "pixel-shuffle",
                "Upsample": "upsample", "interpolate": "interpolate", "meanpool2d": "avgpool2d",
                "deconv2d": "conv-transpose2d", "Dense": "linear", "BatchNormalization": "batchnorm",
                "relu": "identity"}
    for word, name in expected.items():
        assert ops.lookup(word).name == name, word


def test_unknown_name_offers_the_nearest() -> None:
    with pytest.raises(ShapeError) as info:
        ops.lookup("maxpol2d")
    assert info.value.rule == "unknown-op" and "did you mean maxpool2d" in str(info.value)
    assert ops.suggest("convtranpose2d")[0] == "conv-transpose2d" and len(ops.suggest("conv")) <= 3
    assert ops.suggest("zzzzzz") == []


def test_ops_import_is_light() -> None:
    import subprocess
    import sys

    code = "import sys, convshape.ops; assert 'difflib' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


# ---------------------------------------------------------------------------- the CLI group
def _help(word: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, prog_name="convshape", args=[word, "--help"])
    return result.exit_code, result.output


@pytest.mark.parametrize("word, op", [(w, o) for w, o in ALL_NAMES if o.command is not None])
def test_every_name_of_an_op_with_a_command_reaches_it(word: str, op: ops.Op) -> None:
    code, out = _help(word)
    assert code == 0 and f"convshape {op.command} [OPTIONS]" in out, out


@pytest.mark.parametrize("word, command", [("ConvTranspose", "conv-transpose2d"), ("Conv", "conv2d"),
                                           ("Deconvolution", "conv-transpose2d"), ("MaxPool", "maxpool2d"),
                                           ("AveragePool", "avgpool2d"), ("GlobalAveragePool", "adaptive-avgpool2d")])
def test_a_rankless_name_takes_its_rank_from_input(word: str, command: str) -> None:
    assert f"convshape {command} [OPTIONS]" in _help(word)[1]
    args = ["--i", "8,8,8", "--k", "2", "--json"] if "Global" not in word else ["--i", "8,8,8", "--o", "1", "--json"]
    result = CliRunner().invoke(main, prog_name="convshape", args=[word, *args])
    assert result.exit_code == 0 and json.loads(result.output)["op"] == command.replace("2d", "3d"), result.output


@pytest.mark.parametrize("word", ["dense", "batchnorm2d", "LayerNorm", "ZeroPadding2D", "relu", "Pooling"])
def test_an_op_without_a_command_says_so(word: str) -> None:
    result = CliRunner().invoke(main, prog_name="convshape", args=[word, "--help"])
    assert result.exit_code == 2 and len(result.stderr.strip().splitlines()) == 1
    assert f"no such command {word!r}:" in result.stderr


@pytest.mark.parametrize("word, suggestion", [("conv2", "conv2d"), ("maxpol2d", "maxpool2d"), ("sumary", "summary"),
                                              ("convtranpose2d", "conv-transpose2d")])
def test_did_you_mean(word: str, suggestion: str) -> None:
    for extra in ([], ["--json"], ["--i", "5"]):
        result = CliRunner().invoke(main, prog_name="convshape", args=[word, *extra])
        if extra == ["--json"]:  # one JSON object on stdout, nothing on stderr
            assert result.exit_code == 2 and not result.stderr
            data = json.loads(result.stdout)
            assert data["rule"] == "unknown-command" and data["framework"] is None
            lines = [f"error: {data['error']}"]
        else:
            lines = result.stderr.strip().splitlines()
            assert result.exit_code == 2 and len(lines) == 1 and not result.stdout, result.stderr
        assert lines[0].startswith(f"error: no such command {word!r}; did you mean {suggestion}"), lines


# ---------------------------------------------------------------------------- network specs and chains
def test_every_name_of_a_network_op_resolves_in_specs() -> None:
    for word, op in ALL_NAMES:
        if op.name in NETWORK_OPS:
            assert op_name(word, "spec") == op.name, word
        else:  # only Caffe's kind-less Pooling: a network cannot evaluate it
            with pytest.raises(ShapeError, match="pooling of no kind"):
                op_name(word, "spec")


def test_chain_takes_the_names_the_commands_take() -> None:
    net = chain("1x3x32x32", ["Conv2d 8 k=3", "meanpool2d k=2", "lppool2d k=2", "GlobalAveragePooling2D", "Flatten",
                              "Dense 10"])
    assert net.layers[-1].shape == (1, 10)
    net = chain("1x3x8x8x8", ["ConvTranspose 4 k=2 s=2"])  # the rank from the tensor
    assert net.layers[-1].shape == (1, 4, 16, 16, 16)


def test_chain_unknown_op_offers_the_nearest() -> None:
    with pytest.raises(ShapeError, match=r"unknown op 'maxpol2d'; .*did you mean maxpool2d"):
        chain("1x3x8x8", ["maxpol2d k=2"])


# ---------------------------------------------------------------------------- explain and solve
@pytest.mark.parametrize("word, op", [(w, o) for w, o in ALL_NAMES if o.family in DRAWN])
def test_explain_and_solve_take_every_name_of_their_families(word: str, op: ops.Op) -> None:
    assert explain_op(word) == (op.family.value, op.pool, op.ndim)
    if op.pool is None and op.family is Family.POOL:
        with pytest.raises(ShapeError, match="kind of pooling"):
            solve_op(word)
    else:
        family = f"{op.pool}pool" if op.pool else op.family.value
        assert solve_op(word) == (family, op.ndim)


@pytest.mark.parametrize("word", ["dense", "UpSampling2D", "pixel-shuffle", "adaptive-avgpool2d", "maxunpool2d"])
def test_explain_and_solve_reject_other_families_by_name(word: str) -> None:
    for call in (lambda: explain_op(word), lambda: solve_op(word)):
        with pytest.raises(ShapeError) as info:
            call()
        assert info.value.rule == "option-not-applicable" and ops.lookup(word).family.value in str(info.value)


def test_solve_and_explain_agree_on_pooling_names() -> None:
    assert solve(17, 8, "lppool1d").solutions[0].kernel == (2,)
    assert solve(32, 16, "meanpool2d").op == "avgpool2d"
    assert explain_layer("meanpool1d", 5, 2).op == explain_layer("avgpool1d", 5, 2).op
    result = CliRunner().invoke(main, prog_name="convshape",
                                args=["solve", "--i", "17", "--o", "8", "--op", "LPPool1d", "--json"])
    assert result.exit_code == 0 and json.loads(result.output)["op"] == "lppool1d"


# ---------------------------------------------------------------------------- no flags below the CLI
PACKAGE = Path(__file__).resolve().parent.parent / "convshape"
#: every engine message names parameters (output_size=...), never convshape's flags; the one exception
#: is another tool's: the trtexec command emitted for TensorRT (--minShapes / --optShapes / --maxShapes)
KNOWN: dict[str, tuple[str, ...]] = {"network/emit.py": ("Shapes=",)}


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def test_no_flag_names_below_the_cli() -> None:
    import re

    flag = re.compile(r"(?<![\w-])--[a-z]")
    leaks = []
    for path in sorted(PACKAGE.rglob("*.py")):
        where = path.relative_to(PACKAGE).as_posix()
        if where.startswith("cli/"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skip = _docstrings(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip \
                    and flag.search(node.value) \
                    and not any(where.startswith(place) and any(k in node.value for k in known)
                                for place, known in KNOWN.items()):
                leaks.append(f"{where}:{node.lineno}: {node.value!r}")
    assert not leaks, "\n".join(leaks)
