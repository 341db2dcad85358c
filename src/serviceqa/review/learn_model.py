"""A learned model: per criterion, a linear classifier over hashed features, kept as plain
JSON (classes, intercepts, the weights of the buckets it uses). Loading it runs no code
(nothing is unpickled), and scoring needs neither scikit-learn nor numpy: a dot product
over the few hundred features of one conversation.

The classifier predicts what reviewers would say; where it says something else than the
rule, its verdict replaces the rule's, and the evaluation says so (`model.changed`, and
the criterion's `reason`). The evidence stays the detectors': it is still what was found.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..detect.base import Finding, Registry
from ..errors import InputError
from ..lang.analysis import Analysis
from ..model import Conversation, CriterionResult, LearnedChange, LearnedModelUse
from ..score.scorecard import Scorecard
from .learn_features import (BUCKETS, HASH_BITS, conversation_features, criterion_features,
                             hashed)

RESULTS = ("pass", "fail", "na")
FORMAT = "serviceqa.linear.v1"


@dataclass(frozen=True)
class CriterionModel:
    """Softmax over `classes` of intercept + weights . features (binary: weight 0 for the
    first class, which is the logistic model written as a softmax)."""

    criterion: str
    classes: tuple[str, ...]
    intercept: tuple[float, ...]
    weights: Mapping[int, tuple[float, ...]]

    def probabilities(self, features: Mapping[int, float]) -> list[float]:
        scores = list(self.intercept)
        for key, value in features.items():
            row = self.weights.get(key)
            if row is not None:
                for i, w in enumerate(row):
                    scores[i] += w * value
        top = max(scores)
        exps = [math.exp(s - top) for s in scores]
        total = sum(exps)
        return [e / total for e in exps]

    def predict(self, features: Mapping[int, float]) -> tuple[str, float]:
        probabilities = self.probabilities(features)
        best = max(range(len(self.classes)), key=probabilities.__getitem__)
        return self.classes[best], probabilities[best]

    def to_json(self) -> dict[str, Any]:
        return {"classes": list(self.classes), "intercept": list(self.intercept),
                "weights": {str(k): list(v) for k, v in sorted(self.weights.items())}}

    @classmethod
    def from_json(cls, criterion: str, data: Mapping[str, Any]) -> "CriterionModel":
        where = f"criteria.{criterion}"
        try:
            classes = tuple(str(c) for c in data["classes"])
            intercept = tuple(float(v) for v in data["intercept"])
            weights = {int(k): tuple(float(x) for x in v) for k, v in data["weights"].items()}
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise InputError(f"malformed learned model: {exc}", field=where) from exc
        if not classes or set(classes) - set(RESULTS) or len(intercept) != len(classes):
            raise InputError(f"classes must be some of {RESULTS}, one intercept each",
                             field=f"{where}.classes")
        if any(len(v) != len(classes) or not 0 <= k < BUCKETS for k, v in weights.items()):
            raise InputError("a weight row has the wrong length or bucket",
                             field=f"{where}.weights")
        return cls(criterion, classes, intercept, weights)


@dataclass(frozen=True)
class LearnedModel:
    """The criterion models of one stored version."""

    version: int
    criteria: Mapping[str, CriterionModel]

    def refine(self, conversation: Conversation, analysis: Analysis,
               findings: dict[str, Finding], registry: Registry, scorecard: Scorecard,
               results: Sequence[CriterionResult], decidable: frozenset[str]
               ) -> tuple[list[CriterionResult], LearnedModelUse | None]:
        """The results with the learned verdicts in; None when no criterion of this
        scorecard has a model (the evaluation is then the rules' alone)."""
        mine = [r.id for r in results if r.id in self.criteria]
        if not mine:
            return list(results), None
        shared = hashed(conversation_features(conversation, analysis, findings, registry,
                                              scorecard.name))
        out: list[CriterionResult] = []
        changes: list[LearnedChange] = []
        for result in results:
            model = self.criteria.get(result.id)
            if model is None or result.id not in decidable:
                out.append(result)
                continue
            verdict, probability = model.predict(criterion_features(shared, result))
            if verdict == result.result:
                out.append(result)
                continue
            changes.append(LearnedChange(criterion=result.id, rule=result.result,
                                         result=verdict, probability=round(probability, 3)))
            reason = (f"learned model {self.version}: {verdict} (the rules said "
                      f"{result.result}; p={probability:.2f})")
            out.append(result.model_copy(update={"result": verdict, "reason": reason}))
        return out, LearnedModelUse(version=self.version, criteria=mine, changed=changes)

    def to_json(self) -> dict[str, Any]:
        return {"format": FORMAT, "hash_bits": HASH_BITS,
                "criteria": {c: m.to_json() for c, m in sorted(self.criteria.items())}}

    @classmethod
    def from_json(cls, version: int, data: Mapping[str, Any]) -> "LearnedModel":
        if not isinstance(data, Mapping) or data.get("format") != FORMAT:
            raise InputError(f"not a learned model of format {FORMAT}", field="format")
        if data.get("hash_bits") != HASH_BITS:
            raise InputError(f"hashed with {data.get('hash_bits')} bits, this version uses "
                             f"{HASH_BITS}: train again", field="hash_bits")
        criteria = data.get("criteria")
        if not isinstance(criteria, Mapping):
            raise InputError("criteria must be a mapping", field="criteria")
        return cls(version, {c: CriterionModel.from_json(c, m) for c, m in criteria.items()})
