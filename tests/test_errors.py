"""Rule ids are an enum: stable strings in JSON, and each says whether it is a usage error (exit 2)."""

from __future__ import annotations

import json

import pytest

from convshape.errors import Rule, ShapeError


def test_a_rule_is_its_identifier_everywhere():
    error = ShapeError("bad", rule="bad-spec")
    assert error.rule is Rule.BAD_SPEC and error.rule == "bad-spec"
    assert json.dumps({"rule": error.rule}) == '{"rule": "bad-spec"}' and f"{error.rule}" == "bad-spec"


def test_an_unknown_rule_id_is_a_bug_caught_at_once():
    with pytest.raises(ValueError):
        ShapeError("bad", rule="no-such-rule")


@pytest.mark.parametrize("rule, usage", [(Rule.NOT_AN_INTEGER, True), (Rule.UNKNOWN_FRAMEWORK, True),
                                         (Rule.BAD_SPEC, True), (Rule.OUTPUT_TOO_SMALL, False),
                                         (Rule.USAGE, True), (Rule.BAD_OPTION, True), (Rule.UNKNOWN_OPTION, True),
                                         (Rule.UNKNOWN_COMMAND, True), (Rule.FILE, True),
                                         (Rule.KERNEL_LARGER_THAN_INPUT, False)])
def test_usage_rules_are_marked(rule, usage):
    assert rule.is_usage is usage
