"""Follow-up rules: which answers and conversations make which task, due when, and that
a trigger makes one task however often it is seen."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from serviceqa.errors import ScorecardError
from serviceqa.feedback.followups import (bundled_rules, load_rules, promised_answer,
                                          response_reasons)
from serviceqa.model import Conversation
from tests.feedback.helpers import API, links, tasks
from tests.web.conftest import Workspace

STARTED = "2026-11-20T09:00:00Z"


def _chat(cid: str, *turns: tuple[str, str], language: str | None = None) -> Conversation:
    return Conversation.model_validate({
        "id": cid, "channel": "chat", "started_at": STARTED,
        "agent": {"id": "a-kk-01", "team": "Almaty"},
        "messages": [{"role": r, "text": t, **({"language": language} if language else {})}
                     for r, t in turns]})


CALLBACK = next(r for r in bundled_rules().rules if r.trigger == "callback").when


@pytest.mark.parametrize("csat, nps, satisfaction, expected", [
    (3, None, None, ["CSAT 3 of 5"]),
    (4, None, None, []),
    (None, None, 4, ["satisfaction 4 of 10"]),
    (None, None, 5, []),
    (None, 6, None, ["NPS detractor (6 of 10)"]),
    (None, 7, None, []),
    (1, 0, 1, ["CSAT 1 of 5", "satisfaction 1 of 10", "NPS detractor (0 of 10)"]),
    (None, None, None, []),
])
def test_callback_thresholds(csat, nps, satisfaction, expected) -> None:
    assert response_reasons(CALLBACK, csat, nps, satisfaction) == expected


# The agent's last words hand over or promise to come back, written as agents write.
PROMISES = {
    "ru": [("customer", "Здравствуйте, почему мне до сих пор не вернули деньги за заказ?"),
           ("agent", "Добрый день! Я уточню в бухгалтерии и перезвоню вам завтра.")],
    "kk": [("customer", "Сәлеметсіз бе, тапсырысым әлі келген жоқ, неге?"),
           ("agent", "Сәлеметсіз бе! Қазір қоймадан анықтап, сізге өзім хабарласамын.")],
    "hu": [("customer", "Jó napot, miért nem kaptam még vissza a pénzemet?"),
           ("agent", "Jó napot kívánok! Utánanézek a könyvelésen, és holnap visszahívom.")],
    "cs": [("customer", "Dobrý den, proč mi ještě nepřišly peníze za vrácené zboží?"),
           ("agent", "Dobrý den, předám to kolegům z účtárny a ozveme se vám do tří dnů.")],
    "en": [("customer", "Hi, why haven't I got my refund yet?"),
           ("agent", "Hello! I'll check with our billing team and get back to you tomorrow.")],
    "ru-kk": [("customer", "Сәлеметсіз бе, мой заказ әлі жоқ, что случилось?"),
              ("agent", "Сәлеметсіз бе! Маманға жіберемін, сізге кері хабарласамын.")],
}
ANSWERED_IN_CHAT = {
    "ru": [("customer", "Когда откроется магазин на Абая?"),
           ("agent", "Сейчас уточню."),
           ("agent", "Магазин откроется в понедельник в 10:00."),
           ("agent", "Могу ещё чем-то помочь? Хорошего дня!")],
    "en": [("customer", "Is the blue one in stock?"), ("agent", "Let me check."),
           ("agent", "Yes, we have three in Almaty."),
           ("agent", "Anything else? Have a nice day!")],
    "hu": [("customer", "Mikor nyit az üzlet?"),
           ("agent", "Jó napot, a bolt reggel kilenckor nyit."),
           ("agent", "Segíthetek még valamiben?")],
}


@pytest.mark.parametrize("code", sorted(PROMISES))
def test_a_promise_to_come_back_is_seen_in_each_language(code: str) -> None:
    said = promised_answer(_chat(f"p-{code}", *PROMISES[code]))
    assert said, f"{code}: no promise found"


@pytest.mark.parametrize("code", sorted(ANSWERED_IN_CHAT))
def test_a_question_answered_in_the_chat_owes_nothing(code: str) -> None:
    assert promised_answer(_chat(f"a-{code}", *ANSWERED_IN_CHAT[code])) == []


def test_a_promise_makes_one_answer_task_due_in_three_days(workspace: Workspace) -> None:
    for code, turns in PROMISES.items():
        record = _chat(f"promise-{code}", *turns).model_dump(mode="json")
        for _ in range(2):  # the helpdesk sends it twice
            stored = workspace.post(f"{API}/conversations", "lead", json=record)
            assert stored.status_code in (200, 201)
    answers = [t for t in tasks(workspace, kind="answer") if t["source_id"].startswith("promise-")]
    assert sorted(t["source_id"] for t in answers) == sorted(f"promise-{c}" for c in PROMISES)
    started = datetime.fromisoformat(STARTED.replace("Z", "+00:00"))
    for task in answers:
        assert datetime.fromisoformat(task["due_at"]) == started + timedelta(days=3)
        assert task["assignee"] == "agent-user"  # the user whose agent id it is
        assert "the agent said" in task["reason"]


def test_a_safety_alert_makes_an_incident_task_for_the_lead(workspace: Workspace) -> None:
    record = _chat("threat-ru", ("customer", "Если не вернёте деньги, я вам офис разнесу!"),
                   ("agent", "Ваши угрозы зафиксированы и переданы в службу безопасности.")
                   ).model_dump(mode="json")
    workspace.post(f"{API}/conversations", "lead", json=record)
    (task,) = [t for t in tasks(workspace, kind="incident") if t["source_id"] == "threat-ru"]
    assert task["assignee_role"] == "lead" and task["assignee"] is None
    assert "safety alert" in task["reason"]


def test_two_responses_to_one_conversation_are_two_call_backs(workspace: Workspace) -> None:
    made = links(workspace, "en-002") + links(workspace, "en-002")
    for link in made:
        workspace.client.post(f"{API}/public/surveys/{link['token']}", json={"csat": 1})
    assert len([t for t in tasks(workspace, kind="callback")
                if t["conversation_id"] == "en-002"]) == 2


def test_a_happy_response_makes_no_task(workspace: Workspace) -> None:
    (link,) = links(workspace, "cs-003")
    before = len(tasks(workspace))
    workspace.client.post(f"{API}/public/surveys/{link['token']}",
                          json={"csat": 5, "nps": 9, "satisfaction": 9,
                                "comment": "Paní byla moc ochotná, děkuji."})
    assert len(tasks(workspace)) == before


def test_the_answer_deadline_is_configurable(tmp_path: Path) -> None:
    text = (Path(__file__).resolve().parents[2] / "src/serviceqa/feedback/data/rules.yaml"
            ).read_text(encoding="utf-8").replace("due_in_hours: 72", "due_in_hours: 120")
    (tmp_path / "rules.yaml").write_text(text, encoding="utf-8")
    rules = load_rules(tmp_path / "rules.yaml")
    assert next(r for r in rules.rules if r.trigger == "answer").due_in_hours == 120


def test_a_bad_rules_file_names_the_key(tmp_path: Path) -> None:
    (tmp_path / "rules.yaml").write_text(
        "rules:\n  - trigger: callback\n    source: response\n    when: {csat_under: 3}\n"
        "    task: callback\n    due_in_hours: 24\n    assign_to: lead\n", encoding="utf-8")
    with pytest.raises(ScorecardError) as caught:
        load_rules(tmp_path / "rules.yaml")
    assert caught.value.key == "rules.0.when.csat_under"
