"""Scoring rules: weights, N/A when data is missing, critical failures, alerts, contract."""

from __future__ import annotations

from serviceqa.model import Conversation
from serviceqa.output import evaluation_dict
from serviceqa.score.evaluate import score_conversation
from serviceqa.score.scorecard import parse_scorecard

CARD = parse_scorecard("""name: t
title: test
pass_score: 50
settings: {max_rings: 3}
criteria:
  - {id: greeting, title: g, pass_if: greeting, weight: 3}
  - {id: closing, title: c, pass_if: closing, weight: 1}
  - {id: answer_speed, title: r, pass_if: rings_before_answer <= max_rings}
  - {id: no_rudeness, title: n, critical: true, pass_if: not (rudeness or profanity or insult)}
""")


def _conversation(*texts: str, **extra) -> Conversation:
    roles = ["agent", "customer"]
    return Conversation.model_validate({"id": "t", "messages": [
        {"role": roles[n % 2], "text": t} for n, t in enumerate(texts)], **extra})


def test_weights_and_missing_metadata():
    evaluation = score_conversation(_conversation("Hello, how can I help?", "my bill is wrong",
                                                  "Let me check."), CARD)
    results = {c.id: c.result for c in evaluation.criteria}
    assert results == {"greeting": "pass", "closing": "fail", "answer_speed": "na",
                       "no_rudeness": "pass"}
    assert evaluation.score == 80.0  # (greeting 3 + no_rudeness 1) / (3 + closing 1 + 1)
    assert evaluation.passed


def test_critical_failure_zeroes_the_score_and_alerts():
    evaluation = score_conversation(_conversation("Hello. What the fuck do you want?", "rude!",
                                                  "Have a nice day"), CARD)
    assert evaluation.critical_failures == ["no_rudeness"]
    assert evaluation.score == 0.0 and not evaluation.passed
    assert "critical_failure" in {a.kind for a in evaluation.alerts}


def test_sla_breach_and_safety_alerts():
    conversation = _conversation("Hello!", "I know where you live and I will smash your office",
                                 "I'm calling security now.", channel="phone",
                                 metadata={"rings_before_answer": 6})
    evaluation = score_conversation(conversation)
    kinds = {a.kind for a in evaluation.alerts}
    assert {"safety", "sla_breach"} <= kinds
    assert evaluation.customer.threat


def test_contract_shape():
    data = evaluation_dict(score_conversation(_conversation("Hi there!", "thanks a lot")))
    assert set(data) >= {"conversation_id", "scorecard", "language", "score", "passed",
                         "critical_failures", "criteria", "customer", "alerts"}
    assert set(data["customer"]) >= {"sentiment", "types", "toxicity", "threat"}
    for criterion in data["criteria"]:
        assert set(criterion) >= {"id", "result", "weight", "evidence"}
        assert criterion["result"] in ("pass", "fail", "na")
        for item in criterion["evidence"]:
            assert set(item) <= {"message", "start", "end", "text", "missing"}


def test_abusive_customer_gets_a_callback_even_when_calm_at_the_end():
    conversation = _conversation(
        "Dobrý den, jak Vám mohu pomoci?", "Vy jste banda debilů, zase mi nic nepřišlo, do prdele!",
        "Moc se omlouvám, hned to prověřím.", "Dobře, děkuju, to je super, díky moc.")
    evaluation = score_conversation(conversation)
    callbacks = [a for a in evaluation.alerts if a.kind == "callback"]
    assert callbacks and "abusive" in callbacks[0].reason
