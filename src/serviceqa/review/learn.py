"""Learning from reviewers: per criterion, a logistic regression (scikit-learn) that predicts
the reviewer's verdict from the rule verdict and the features of `learn_features.py`,
cross-validated against the rules before it is kept.

A criterion gets a model only when
- at least `min_reviews` reviewed verdicts can be judged (the conversation has what the
  criterion needs: its channel, its timings), from at least two conversations per fold;
- the reviewers used at least two verdicts (with one there is nothing to separate);
- in cross-validation (folds by conversation, so one conversation's reviews never sit on
  both sides) the learned verdicts agree with the reviewers more often than the rules do.
Every other criterion is skipped with the reason, and scoring keeps its rules.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..detect.registry import default_registry
from ..model import Conversation
from ..score.evaluate import analyse_for_scoring, decidable_ids, rule_results
from ..score.scorecard import Scorecard
from .agreement import cohen_kappa, percent_agreement
from .learn_features import BUCKETS, conversation_features, criterion_features, hashed
from .learn_model import RESULTS, CriterionModel, LearnedModel

ALL_LANGUAGES = "all"
OVERALL = "overall"
WEIGHT_DIGITS = 6


@dataclass(frozen=True)
class ReviewedVerdict:
    """One reviewer's verdict on one criterion of one conversation (a submitted review)."""

    conversation_id: str
    criterion_id: str
    result: str
    reviewer_id: Any = None


@dataclass(frozen=True)
class LearnSettings:
    """`min_reviews`: reviewed verdicts a criterion needs; `folds`: cross-validation folds;
    `c`: inverse L2 regularisation strength of the logistic regression."""

    min_reviews: int = 30
    folds: int = 5
    c: float = 1.0

    def __post_init__(self) -> None:
        if self.min_reviews < 2:
            raise ValueError("min_reviews must be at least 2")
        if self.folds < 2:
            raise ValueError("folds must be at least 2")
        if self.c <= 0:
            raise ValueError("c must be positive")


@dataclass(frozen=True)
class Example:
    conversation_id: str
    criterion: str
    human: str
    rule: str
    language: str
    decidable: bool
    features: dict[int, float]


@dataclass
class Training:
    """The model (None when no criterion qualified) and the report stored with it."""

    model: LearnedModel | None
    criteria: dict[str, dict[str, Any]] = field(default_factory=dict)
    settings: dict[str, Any] = field(default_factory=dict)
    reviews: int = 0
    conversations: int = 0
    unknown: list[str] = field(default_factory=list)


def build_examples(verdicts: Iterable[ReviewedVerdict],
                   conversation_of: Callable[[str], Conversation | None],
                   scorecard_of: Callable[[Conversation], Scorecard]
                   ) -> tuple[list[Example], list[str]]:
    """Analyse each reviewed conversation once with today's rules; one example per verdict.
    Verdicts on conversations or criteria the store no longer has are returned apart."""
    registry = default_registry()
    by_conversation: dict[str, list[ReviewedVerdict]] = defaultdict(list)
    for verdict in verdicts:
        if verdict.result not in RESULTS:
            raise ValueError(f"verdict {verdict.result!r} on {verdict.conversation_id}/"
                             f"{verdict.criterion_id} is not one of {RESULTS}")
        by_conversation[verdict.conversation_id].append(verdict)
    examples: list[Example] = []
    unknown: list[str] = []
    for conversation_id in sorted(by_conversation):
        conversation = conversation_of(conversation_id)
        if conversation is None:
            unknown.extend(f"{conversation_id}/{v.criterion_id}"
                           for v in by_conversation[conversation_id])
            continue
        card = scorecard_of(conversation)
        analysis = analyse_for_scoring(conversation, registry)
        findings, values, results = rule_results(conversation, analysis, card, registry)
        open_ = decidable_ids(card, values, conversation.channel)
        shared = hashed(conversation_features(conversation, analysis, findings, registry,
                                              card.name))
        by_id = {r.id: r for r in results}
        for verdict in by_conversation[conversation_id]:
            result = by_id.get(verdict.criterion_id)
            if result is None:
                unknown.append(f"{conversation_id}/{verdict.criterion_id}")
                continue
            examples.append(Example(conversation_id, result.id, verdict.result, result.result,
                                    analysis.language or "unknown", result.id in open_,
                                    criterion_features(shared, result)))
    return examples, unknown


def _matrix(examples: Sequence[Example], columns: dict[int, int] | None = None) -> Any:
    """Sparse rows of the examples; `columns` maps the buckets used to compact column
    numbers (a fit over the 2**18 buckets would carry a dense weight per bucket)."""
    from scipy.sparse import csr_matrix

    rows, cols, data = [], [], []
    for i, example in enumerate(examples):
        for key, value in example.features.items():
            rows.append(i)
            cols.append(columns[key] if columns is not None else key)
            data.append(value)
    width = len(columns) if columns is not None else BUCKETS
    return csr_matrix((data, (rows, cols)), shape=(len(examples), width))


def fit(criterion: str, examples: Sequence[Example], c: float) -> CriterionModel:
    """A logistic regression on the examples, written out as a CriterionModel."""
    from sklearn.linear_model import LogisticRegression

    labels = [e.human for e in examples]
    classes = sorted(set(labels))
    if len(classes) == 1:
        return CriterionModel(criterion, (classes[0],), (0.0,), {})
    used = sorted({key for e in examples for key in e.features})
    columns = {key: n for n, key in enumerate(used)}
    classifier = LogisticRegression(C=c, max_iter=2000)
    classifier.fit(_matrix(examples, columns), labels)
    fitted = [str(x) for x in classifier.classes_]
    coef = classifier.coef_
    intercept = [float(x) for x in classifier.intercept_]
    if len(fitted) == 2:  # one row, for the second class: a softmax over (0, z)
        coef = [[0.0] * coef.shape[1], coef[0]]
        intercept = [0.0, intercept[0]]
    weights = {key: tuple(round(float(row[columns[key]]), WEIGHT_DIGITS) for row in coef)
               for key in used}
    weights = {k: w for k, w in weights.items() if any(w)}
    return CriterionModel(criterion, tuple(fitted),
                          tuple(round(v, WEIGHT_DIGITS) for v in intercept), weights)


def _folds(examples: Sequence[Example], folds: int) -> list[list[int]]:
    """Example indexes per fold; all of a conversation's examples in one fold, the
    conversations dealt out in id order so the folds are the same on every run."""
    conversations = sorted({e.conversation_id for e in examples})
    fold_of = {c: n % folds for n, c in enumerate(conversations)}
    out: list[list[int]] = [[] for _ in range(folds)]
    for i, example in enumerate(examples):
        out[fold_of[example.conversation_id]].append(i)
    return out


def cross_validate(criterion: str, examples: Sequence[Example], folds: int,
                   c: float) -> list[str]:
    """Out-of-fold learned verdicts; an example the model may not judge keeps the rule's."""
    predictions = [e.rule for e in examples]
    for test in _folds(examples, folds):
        held = set(test)
        train = [e for i, e in enumerate(examples) if i not in held and e.decidable]
        if not train:
            continue
        model = fit(criterion, train, c)
        for i in test:
            if examples[i].decidable:
                predictions[i] = model.predict(examples[i].features)[0]
    return predictions


def agreement_rows(examples: Sequence[Example], learned: Sequence[str]) -> dict[str, Any]:
    """Accuracy and Cohen's kappa of the rules and of the learned verdicts against the
    reviewers, for all the examples and per language."""
    groups: dict[str, list[int]] = defaultdict(list)
    for i, example in enumerate(examples):
        groups[ALL_LANGUAGES].append(i)
        groups[example.language].append(i)
    out: dict[str, Any] = {}
    for language, indexes in sorted(groups.items(), key=lambda g: (g[0] != ALL_LANGUAGES, g[0])):
        human = [examples[i].human for i in indexes]
        rule = [examples[i].rule for i in indexes]
        mine = [learned[i] for i in indexes]
        out[language] = {"n": len(indexes),
                         "before": {"accuracy": percent_agreement(rule, human),
                                    "kappa": cohen_kappa(rule, human)},
                         "after": {"accuracy": percent_agreement(mine, human),
                                   "kappa": cohen_kappa(mine, human)}}
    return out


def _skip(reason: str, n: int, agreement: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"status": "skipped", "reason": reason, "reviews": n, "agreement": agreement}


def learn_criterion(criterion: str, examples: Sequence[Example], settings: LearnSettings
                    ) -> tuple[CriterionModel | None, dict[str, Any], list[str]]:
    """The model (or None), its report row, and the verdicts scoring would give each
    example: cross-validated learned ones when a model is kept, else the rules'."""
    rules = [e.rule for e in examples]
    judged = [e for e in examples if e.decidable]
    if len(judged) < settings.min_reviews:
        return None, _skip(f"{len(judged)} reviewed verdicts it can judge; "
                           f"needs {settings.min_reviews} (--min-reviews)", len(judged)), rules
    verdicts = sorted({e.human for e in judged})
    if len(verdicts) < 2:
        return None, _skip(f"reviewers only ever said {verdicts[0]}", len(judged)), rules
    conversations = len({e.conversation_id for e in judged})
    folds = min(settings.folds, conversations)
    if folds < 2:
        return None, _skip("reviewed in one conversation only: cannot cross-validate",
                           len(judged)), rules
    learned = cross_validate(criterion, examples, folds, settings.c)
    agreement = agreement_rows(examples, learned)
    before = agreement[ALL_LANGUAGES]["before"]["accuracy"]
    after = agreement[ALL_LANGUAGES]["after"]["accuracy"]
    if after <= before:
        return None, _skip(f"learned verdicts did not agree with reviewers more often than "
                           f"the rules in cross-validation ({after:.3f} vs {before:.3f})",
                           len(judged), agreement), rules
    model = fit(criterion, judged, settings.c)
    return model, {"status": "trained", "reason": None, "reviews": len(judged),
                   "folds": folds, "classes": list(model.classes),
                   "features": len(model.weights), "agreement": agreement}, learned


def train(examples: Sequence[Example], settings: LearnSettings, version: int = 0) -> Training:
    """One model per qualifying criterion; the report covers every reviewed criterion and,
    as `overall`, all of them pooled (rules alone where a criterion got no model)."""
    by_criterion: dict[str, list[Example]] = defaultdict(list)
    for example in examples:
        by_criterion[example.criterion].append(example)
    models: dict[str, CriterionModel] = {}
    report: dict[str, dict[str, Any]] = {}
    pooled: list[Example] = []
    pooled_learned: list[str] = []
    for criterion in sorted(by_criterion):
        model, row, learned = learn_criterion(criterion, by_criterion[criterion], settings)
        report[criterion] = row
        if model is not None:
            models[criterion] = model
        pooled.extend(by_criterion[criterion])
        pooled_learned.extend(learned)
    if pooled:
        report[OVERALL] = {"status": None, "reason": None, "reviews": len(pooled),
                           "agreement": agreement_rows(pooled, pooled_learned)}
    return Training(LearnedModel(version, models) if models else None, report,
                    {"min_reviews": settings.min_reviews, "folds": settings.folds,
                     "c": settings.c}, len(examples),
                    len({e.conversation_id for e in examples}))
