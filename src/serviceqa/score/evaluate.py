"""Scoring is a pure function: (conversation, analysis, findings, scorecard) -> Evaluation."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from ..detect.base import Finding, Registry
from ..detect.registry import default_registry
from ..lang.analysis import Analysis, analyse
from ..model import Conversation, CriterionResult, Evaluation, Evidence, LearnedModelUse
from .profile import alerts_for, customer_profile
from .scorecard import Criterion, Scorecard, default_for_channel, load_scorecard


def namespace(findings: dict[str, Finding], registry: Registry,
              scorecard: Scorecard) -> dict[str, Any]:
    """Names a criterion can use: flags as booleans, metrics as numbers (or None)."""
    values: dict[str, Any] = dict(scorecard.settings)
    for name, finding in findings.items():
        values[name] = finding.value if registry.get(name).kind == "metric" else finding.found
    return values


def _evidence(names: frozenset[str], findings: dict[str, Finding], registry: Registry,
              passed: bool) -> list[Evidence]:
    """Pass: what was found of the good things. Fail: what was found of the bad things and
    where the missing good things were expected. Metrics show their evidence either way."""
    out: list[Evidence] = []
    for name in sorted(names):
        finding = findings.get(name)
        if finding is None:
            continue
        detector = registry.get(name)
        if detector.kind == "metric":
            out.extend(finding.evidence)
        elif detector.polarity == "bad":
            out.extend(() if passed else finding.evidence)
        elif finding.found:
            out.extend(finding.evidence if passed else ())
        elif not passed:
            out.extend(finding.missing)
    unique = {(e.message, e.start, e.end, e.missing): e for e in out}
    return [unique[k] for k in sorted(unique)]


def judge(criterion: Criterion, scorecard: Scorecard, values: dict[str, Any],
          findings: dict[str, Finding], registry: Registry,
          channel: str | None) -> CriterionResult:
    def result(verdict: str, reason: str | None = None,
               evidence: list[Evidence] | None = None) -> CriterionResult:
        return CriterionResult(id=criterion.id, result=verdict, weight=criterion.weight,
                               critical=criterion.critical, evidence=evidence or [],
                               reason=reason)

    if criterion.channels is not None and channel not in criterion.channels:
        return result("na", f"not applicable on channel {channel or 'unknown'}")
    pass_if, na_if = scorecard.expressions(criterion.id)
    names = pass_if.names | (na_if.names if na_if else frozenset())
    missing = sorted(n for n in names if values.get(n, 0) is None)
    if missing:
        return result("na", f"needs {', '.join(missing)}, which this conversation does not have")
    if na_if is not None and na_if.evaluate(values):
        return result("na", f"not applicable: {na_if.source}")
    passed = bool(pass_if.evaluate(values))
    return result("pass" if passed else "fail",
                  evidence=_evidence(pass_if.names, findings, registry, passed))


class Verdict(Protocol):
    """What scoring reads of a criterion's verdict (automatic or human)."""

    @property
    def id(self) -> str: ...
    @property
    def result(self) -> str: ...
    @property
    def weight(self) -> float: ...
    @property
    def critical(self) -> bool: ...


def summarise(results: Sequence[Verdict], pass_score: float
              ) -> tuple[float | None, bool, list[str]]:
    """(score, passed, critical failures): the weighted share of applicable criteria that
    passed, 0 when a critical one failed. Human reviews are scored with this too."""
    applicable = [r for r in results if r.result != "na"]
    total = sum(r.weight for r in applicable)
    score = round(100.0 * sum(r.weight for r in applicable if r.result == "pass") / total, 1) \
        if total else None
    critical = [r.id for r in results if r.critical and r.result == "fail"]
    if critical:
        score = 0.0
    return score, not critical and score is not None and score >= pass_score, critical


class Refiner(Protocol):
    """A learned model that may replace rule verdicts (serviceqa.review.learn_model)."""

    def refine(self, conversation: Conversation, analysis: Analysis,
               findings: dict[str, Finding], registry: Registry, scorecard: Scorecard,
               results: Sequence[CriterionResult], decidable: frozenset[str]
               ) -> tuple[list[CriterionResult], LearnedModelUse | None]: ...


def decidable(criterion: Criterion, scorecard: Scorecard, values: dict[str, Any],
              channel: str | None) -> bool:
    """Whether the conversation has what the criterion needs: on its channel, with every
    input present. Only such verdicts may a learned model change: with a timing missing
    there is nothing to judge by."""
    if criterion.channels is not None and channel not in criterion.channels:
        return False
    pass_if, na_if = scorecard.expressions(criterion.id)
    names = pass_if.names | (na_if.names if na_if else frozenset())
    return all(values.get(n, 0) is not None for n in names)


def rule_results(conversation: Conversation, analysis: Analysis, scorecard: Scorecard,
                 registry: Registry) -> tuple[dict[str, Finding], dict[str, Any],
                                              list[CriterionResult]]:
    """The detectors' findings, the names criteria read, and the rules' verdicts."""
    findings = registry.run(conversation, analysis)
    values = namespace(findings, registry, scorecard)
    results = [judge(c, scorecard, values, findings, registry, conversation.channel)
               for c in scorecard.criteria]
    return findings, values, results


def decidable_ids(scorecard: Scorecard, values: dict[str, Any],
                  channel: str | None) -> frozenset[str]:
    return frozenset(c.id for c in scorecard.criteria
                     if decidable(c, scorecard, values, channel))


def evaluate(conversation: Conversation, analysis: Analysis, scorecard: Scorecard,
             registry: Registry | None = None, refiner: Refiner | None = None) -> Evaluation:
    """The rules' evaluation; with a `refiner` (a learned model) its verdicts replace the
    rules' where it has a model, and the score follows the verdicts."""
    registry = registry or default_registry()
    findings, values, results = rule_results(conversation, analysis, scorecard, registry)
    used: LearnedModelUse | None = None
    if refiner is not None:
        open_ = decidable_ids(scorecard, values, conversation.channel)
        results, used = refiner.refine(conversation, analysis, findings, registry, scorecard,
                                       results, open_)
    score, passed, critical = summarise(results, scorecard.pass_score)
    profile = customer_profile(findings, analysis.language)
    evaluation = Evaluation(
        conversation_id=conversation.id, scorecard=scorecard.name, language=analysis.language,
        languages=list(analysis.languages), channel=conversation.channel,
        agent_id=conversation.agent.id if conversation.agent else None,
        score=score, passed=passed, critical_failures=critical, criteria=results,
        customer=profile,
        metrics={n: f.value for n, f in findings.items() if registry.get(n).kind == "metric"},
        model=used)
    evaluation.alerts = alerts_for(evaluation, findings, scorecard)
    return evaluation


def analyse_for_scoring(conversation: Conversation, registry: Registry | None = None) -> Analysis:
    """The analysis the detectors need: each message matched against its side's sections."""
    return analyse(conversation, (registry or default_registry()).sections_by_side())


def score_conversation(conversation: Conversation, scorecard: str | Scorecard | None = None,
                       refiner: Refiner | None = None) -> Evaluation:
    """Analyse and score one conversation; the scorecard defaults by channel."""
    if not isinstance(scorecard, Scorecard):
        scorecard = load_scorecard(scorecard or default_for_channel(conversation.channel))
    return evaluate(conversation, analyse_for_scoring(conversation), scorecard,
                    refiner=refiner)
