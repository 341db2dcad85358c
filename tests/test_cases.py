"""Runs every case file (see tests/cases.py) and checks the coverage promise: each default
criterion and each flag detector has a passing and a failing case in all five languages."""

from __future__ import annotations

import pytest

from serviceqa.detect.registry import default_registry
from serviceqa.score.evaluate import analyse_for_scoring, score_conversation
from serviceqa.score.scorecard import load_scorecard

from .assertions import assert_evidence
from .cases import load_cases, to_conversation
from .conftest import LANGUAGES

CRITERIA = load_cases("criteria")
DETECTORS = load_cases("detectors")
METRIC_EXPECTATIONS = {"positive", "negative", "toxic", "clean"}


@pytest.mark.parametrize("criterion,language,expected,name,case", CRITERIA,
                         ids=[f"{c}-{l}-{e}-{n}" for c, l, e, n, _ in CRITERIA])
def test_criterion_case(criterion, language, expected, name, case):
    conversation = to_conversation(case, f"{criterion}-{language}")
    evaluation = score_conversation(conversation)
    result = next((r for r in evaluation.criteria if r.id == criterion), None)
    assert result is not None, f"{criterion} is not in scorecard {evaluation.scorecard}"
    assert result.result == expected, (
        f"{language} '{name}': expected {expected}, got {result.result} ({result.reason}); "
        f"evidence {[e.text for e in result.evidence]}")
    for item in result.evidence:
        assert_evidence(item, conversation)


@pytest.mark.parametrize("detector,language,expected,name,case", DETECTORS,
                         ids=[f"{d}-{l}-{e}-{n}" for d, l, e, n, _ in DETECTORS])
def test_detector_case(detector, language, expected, name, case):
    conversation = to_conversation(case, f"{detector}-{language}")
    findings = default_registry().run(conversation, analyse_for_scoring(conversation))
    finding = findings[detector]
    if expected in METRIC_EXPECTATIONS:
        value = finding.value or 0.0
        ok = {"positive": value > 0, "negative": value < 0,
              "toxic": value >= 0.3, "clean": value < 0.3}[expected]
        assert ok, f"{language} '{name}': {detector}={value}, expected {expected}"
    else:
        assert expected in ("found", "not_found"), f"unknown expectation {expected}"
        assert finding.found == (expected == "found"), (
            f"{language} '{name}': {detector} found={finding.found}, "
            f"evidence {[e.text for e in finding.evidence]}")
    for item in finding.evidence:
        assert_evidence(item, conversation)


def _flag_detectors() -> list[str]:
    return [d.name for d in default_registry() if d.kind == "flag"]


def _default_criteria() -> set[str]:
    return {c.id for name in ("phone", "chat") for c in load_scorecard(name).criteria}


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_criterion_has_pass_and_fail_cases(language):
    have = {(c, e) for c, lang, e, _, _ in CRITERIA if lang == language}
    missing = [f"{c}:{e}" for c in sorted(_default_criteria()) for e in ("pass", "fail")
               if (c, e) not in have]
    assert not missing, f"{language} lacks criterion cases: {missing}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_detector_has_found_and_not_found_cases(language):
    have = {(d, e) for d, lang, e, _, _ in DETECTORS if lang == language}
    missing = [f"{d}:{e}" for d in _flag_detectors() for e in ("found", "not_found")
               if (d, e) not in have]
    for metric, pair in (("customer_sentiment", ("positive", "negative")),
                         ("toxicity", ("toxic", "clean"))):
        missing += [f"{metric}:{e}" for e in pair if (metric, e) not in have]
    assert not missing, f"{language} lacks detector cases: {missing}"
