"""Scorecard loading: defaults are valid, errors name the file, key and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from serviceqa.errors import ScorecardError
from serviceqa.score.expression import ExpressionError, compile_expression
from serviceqa.score.scorecard import load_scorecard, parse_scorecard

DESIGN_IDS = {"greeting", "self_introduction", "answer_speed", "clarifying_question",
              "confirm_understanding", "next_steps", "offer_options", "closing", "politeness",
              "no_rudeness", "no_bare_dont_know", "empathy", "escalation", "first_response_time",
              "call_duration"}

MINIMAL = """name: mini
title: Minimal
criteria:
  - id: greeting
    title: Greets
    pass_if: greeting
"""


def test_default_scorecards_use_the_design_ids_and_thresholds():
    phone, chat = load_scorecard("phone"), load_scorecard("chat")
    ids = {c.id for c in phone.criteria} | {c.id for c in chat.criteria}
    assert ids == DESIGN_IDS
    assert phone.settings == {"max_rings": 3, "max_duration_s": 900}
    assert chat.settings == {"max_first_response_s": 300}


@pytest.mark.parametrize("text,key,line", [
    (MINIMAL.replace("pass_if: greeting", "pass_if: greting"), "criteria[0].pass_if", 6),
    (MINIMAL + "    weight: -1\n", "criteria[0].weight", 7),
    (MINIMAL.replace("title: Greets", "title: Greets\n    colour: red"), "criteria[0].colour", 6),
    (MINIMAL.replace("name: mini", "name: mini\npass_score: 120"), "pass_score", 2),
    (MINIMAL + "  - id: greeting\n    title: again\n    pass_if: closing\n", None, None),
    (MINIMAL.replace("pass_if: greeting", "pass_if: __import__('os')"), "criteria[0].pass_if", 6),
])
def test_errors_name_the_key_and_line(text, key, line):
    with pytest.raises(ScorecardError) as caught:
        parse_scorecard(text, "cards/mini.yaml")
    error = caught.value
    assert error.path == "cards/mini.yaml"
    if key:
        assert error.key == key and error.line == line
        assert f"cards/mini.yaml: {key}:" in str(error)


def test_overrides_use_dotted_paths():
    card = load_scorecard("phone", {"settings.max_rings": 5, "pass_score": 70})
    assert card.settings["max_rings"] == 5 and card.pass_score == 70
    with pytest.raises(ScorecardError):
        load_scorecard("phone", {"settings.nope.deeper": 1})


def test_unknown_scorecard_lists_the_bundled_ones(tmp_path: Path):
    with pytest.raises(ScorecardError, match="phone"):
        load_scorecard(str(tmp_path / "missing.yaml"))


@pytest.mark.parametrize("source", ["open('x')", "greeting.__class__", "[1][0]", "'text'",
                                    "lambda: 1", "greeting if 1 else 2"])
def test_expressions_refuse_anything_but_logic_and_numbers(source):
    with pytest.raises(ExpressionError):
        compile_expression(source, {"greeting"})


def test_expression_evaluates_logic_and_comparisons():
    expr = compile_expression("(a or b) and not c and rings <= max_rings", {"a", "b", "c", "rings",
                                                                           "max_rings"})
    assert expr.names == {"a", "b", "c", "rings", "max_rings"}
    assert expr.evaluate({"a": False, "b": True, "c": False, "rings": 3, "max_rings": 3})
    assert not expr.evaluate({"a": True, "b": True, "c": False, "rings": 4, "max_rings": 3})
