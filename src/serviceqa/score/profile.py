"""Customer profile (sentiment, difficult types with advice, toxicity, threat) and alerts."""

from __future__ import annotations

from ..detect.base import Finding
from ..lang.registry import get_pack, languages
from ..model import Alert, CustomerProfile, Evaluation
from .scorecard import Scorecard

# customer type id -> the detector that recognises it
TYPE_DETECTORS = {"clueless": "clueless", "know_it_all": "know_it_all", "rude": "rude_customer",
                  "offended": "offended", "chatty": "chatty", "claim_seeker": "claim_seeker"}
FALLBACK_LANGUAGE = "en"


def _advice(types: list[str], language: str | None) -> dict[str, str]:
    code = language if language in languages() else FALLBACK_LANGUAGE
    if code not in languages():
        return {}
    advice = get_pack(code).advice
    fallback = get_pack(FALLBACK_LANGUAGE).advice if FALLBACK_LANGUAGE in languages() else {}
    return {t: advice.get(t) or fallback.get(t, "") for t in types}


def customer_profile(findings: dict[str, Finding], language: str | None) -> CustomerProfile:
    types = [t for t, name in TYPE_DETECTORS.items() if findings[name].found]
    sentiment = findings["customer_sentiment"].value
    toxicity = findings["toxicity"].value
    return CustomerProfile(sentiment=sentiment or 0.0, types=types,  # type: ignore[arg-type]
                           toxicity=toxicity or 0.0, threat=findings["threat"].found,
                           advice=_advice(types, language))


def alerts_for(evaluation: Evaluation, findings: dict[str, Finding],
               scorecard: Scorecard) -> list[Alert]:
    alerts: list[Alert] = []
    threat = findings["threat"]
    if threat.found:
        alerts.append(Alert(kind="safety", reason="the customer threatened people or property; "
                            "safety first, document the incident", evidence=list(threat.evidence)))
    if evaluation.critical_failures:
        alerts.append(Alert(kind="critical_failure",
                            reason="critical criteria failed: " + ", ".join(evaluation.critical_failures),
                            evidence=[e for c in evaluation.criteria
                                      if c.id in evaluation.critical_failures for e in c.evidence]))
    for criterion in evaluation.criteria:
        if criterion.id in (scorecard.alerts.sla_criteria or ()) and criterion.result == "fail":
            alerts.append(Alert(kind="sla_breach", reason=f"{criterion.id} over the standard",
                                evidence=criterion.evidence))
    callback = _callback(findings, scorecard)
    if callback:
        alerts.append(callback)
    return alerts


def _callback(findings: dict[str, Finding], scorecard: Scorecard) -> Alert | None:
    """A very dissatisfied customer: sentiment low overall, or abusive at some point even
    if calmer by the end."""
    sentiment, toxicity = findings["customer_sentiment"], findings["toxicity"]
    rules = scorecard.alerts
    if sentiment.value is not None and sentiment.value <= rules.callback_sentiment:
        return Alert(kind="callback", reason=f"very dissatisfied customer (sentiment "
                     f"{sentiment.value:+.2f}); call back", evidence=list(sentiment.evidence))
    if toxicity.value is not None and toxicity.value >= rules.callback_toxicity:
        return Alert(kind="callback", reason=f"the customer was abusive (toxicity "
                     f"{toxicity.value:.2f}); call back", evidence=list(toxicity.evidence))
    return None
