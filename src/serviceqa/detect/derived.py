"""Flags built from other findings, used by scorecards' N/A rules."""

from __future__ import annotations

from typing import ClassVar

from .base import Context, Detector, Finding, merge_evidence

UPSET_SENTIMENT = -0.3


class _AnyOf(Detector):
    """Found when any of `parts` was found; carries their evidence."""

    parts: ClassVar[tuple[str, ...]] = ()

    def detect(self, ctx: Context) -> Finding:
        found = [ctx.findings[p] for p in self.parts if ctx.flag(p)]
        evidence = merge_evidence(e for f in found for e in f.evidence)
        return Finding(self.name, bool(found), evidence, float(len(found)))


class CustomerUpsetDetector(_AnyOf):
    """The customer is upset: complains, is rude, threatens, asks for a manager, or their
    sentiment is at or below -0.3. Makes `empathy` applicable."""

    name = "customer_upset"
    side = "customer"
    parts = ("dissatisfaction", "rude_customer", "threat", "manager_request", "offended")

    def detect(self, ctx: Context) -> Finding:
        finding = super().detect(ctx)
        sentiment = ctx.findings.get("customer_sentiment")
        low = bool(sentiment and sentiment.value is not None and sentiment.value <= UPSET_SENTIMENT)
        if low and not finding.found:
            return Finding(self.name, True, sentiment.evidence, 1.0)  # type: ignore[union-attr]
        return finding


class NeedsEscalationDetector(_AnyOf):
    """A hand-over is called for: the customer asks for a manager or threatens, or the agent
    says the question is outside their competence or that they don't know."""

    name = "needs_escalation"
    parts = ("manager_request", "threat", "out_of_competence", "dont_know")


class OptionsNeededDetector(_AnyOf):
    """Offering options makes sense: the customer needs a solution or a choice, is upset,
    or does not know what they want."""

    name = "options_needed"
    side = "customer"
    parts = ("customer_request", "customer_upset", "clueless")


DETECTORS = [CustomerUpsetDetector(), NeedsEscalationDetector(), OptionsNeededDetector()]
