"""Assignment queues: each rule, quotas, due dates, determinism."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest

from serviceqa.errors import InputError
from serviceqa.review.queues import Candidate, pick, uncertainty
from serviceqa.review.reviews import VerdictIn
from serviceqa.review.rules import UncertainRule, default_rules_text, parse_rules
from tests.review.conftest import Desk

AT = datetime(2026, 11, 12, 9, 0, tzinfo=timezone.utc)


def _rules(body: str, head: str = "seed: 7\nquotas: {default: 10}\n") -> str:
    return head + "rules:\n" + body


def _assigned(desk: Desk) -> dict[str, dict]:
    return {a["conversation_id"]: a
            for a in desk.desk.queues.queue(desk.users["lead"], everyone=True, status=None,
                                            at=AT)}


@pytest.mark.parametrize("body, expected", [
    ("  - {id: danger, kind: alert, alert_kinds: [safety]}\n", {"kk-2"}),
    ("  - {id: crit, kind: alert, alert_kinds: [critical_failure]}\n", {"ru-2"}),
    ("  - {id: low, kind: score_below, below: 60}\n", {"ru-2", "cs-1", "kk-2"}),
    # near the pass score 80: kk-1 (78.3) and hu-1 (69.6) with a 15-point margin
    ("  - {id: unsure, kind: uncertain, min_uncertainty: 0.3, margin_points: 15,"
     " per_week: 5, short_evidence_chars: 1}\n", {"kk-1", "hu-1"}),
])
def test_each_rule_picks_its_conversations(desk: Desk, body: str, expected: set[str]) -> None:
    result = desk.desk.queues.assign(parse_rules(_rules(body)), at=AT)
    assert set(_assigned(desk)) == expected
    assert result["created"] == len(expected)


def test_random_sample_per_agent_per_week_is_deterministic(desk: Desk) -> None:
    rules = parse_rules(_rules("  - {id: sample, kind: random, percent: 50, min_per_agent: 1}\n"))
    with desk.desk.ws.store.engine.connect() as connection:
        candidates = desk.desk.queues._candidates(connection, None, None)
    first = pick(candidates, rules)
    assert first == pick(list(reversed(candidates)), rules)  # order of rows does not matter
    groups: dict[tuple[str | None, str], int] = {}
    for c in candidates:
        groups[(c.agent_id, c.week)] = groups.get((c.agent_id, c.week), 0) + 1
    by_group: dict[tuple[str | None, str], int] = {}
    week = {c.id: (c.agent_id, c.week) for c in candidates}
    for p in first:
        by_group[week[p.conversation_id]] = by_group.get(week[p.conversation_id], 0) + 1
    assert by_group == {g: max(1, -(-n // 2)) for g, n in groups.items()}  # ceil(50%)
    seeds = {tuple(p.conversation_id
                   for p in pick(candidates, rules.model_copy(update={"seed": s})))
             for s in range(20)}
    assert len(seeds) > 1  # the seed matters


def test_first_rule_wins_and_a_second_run_adds_nothing(desk: Desk) -> None:
    rules = parse_rules(_rules("  - {id: crit, kind: alert, alert_kinds: [critical_failure]}\n"
                               "  - {id: low, kind: score_below, below: 60}\n"))
    first = desk.desk.queues.assign(rules, at=AT)
    assert first["by_rule"] == {"crit": 1, "low": 2}
    assert _assigned(desk)["ru-2"]["rule"] == "crit"
    assert desk.desk.queues.assign(rules, at=AT)["created"] == 0


def test_quotas_and_due_dates(desk: Desk) -> None:
    head = "seed: 1\ndue_days: 2\nquotas: {default: 1, olga: 2}\n"
    rules = parse_rules(_rules("  - {id: low, kind: score_below, below: 90, due_days: 0.5}\n",
                               head))
    result = desk.desk.queues.assign(rules, at=AT)
    assigned = _assigned(desk)
    assert result["created"] == 5  # ru-2, kk-1, hu-1, cs-1, kk-2
    loads: dict[str | None, int] = {}
    for a in assigned.values():
        loads[a["reviewer"]] = loads.get(a["reviewer"], 0) + 1
        assert a["due_at"] == AT + timedelta(hours=12)
    assert loads == {"olga": 2, "petr": 1, "zhanna": 1, None: 1}
    assert result["unassigned"] == 1
    # olga submits one: her assignment is done, and the next run gives her the waiting one
    olga = desk.users["olga"]
    mine = [a for a in assigned.values() if a["reviewer"] == "olga"]
    desk.reviews.create(olga, mine[0]["conversation_id"], submit=True)
    again = desk.desk.queues.assign(rules, at=AT)
    assert again == {"created": 0, "assigned": 1, "by_rule": {}, "unassigned": 0}
    queue = desk.desk.queues.queue(olga, at=AT + timedelta(days=1))
    assert len(queue) == 2 and all(a["overdue"] for a in queue)


def test_reviewed_conversations_are_not_queued(desk: Desk) -> None:
    desk.reviews.create(desk.users["petr"], "ru-2", [VerdictIn("greeting", "fail")],
                        submit=True)
    desk.desk.queues.assign(parse_rules(_rules("  - {id: low, kind: score_below, below: 60}\n")),
                            at=AT)
    assert set(_assigned(desk)) == {"cs-1", "kk-2"}


def test_uncertainty_from_margin_and_thin_evidence() -> None:
    rule = UncertainRule(id="u", kind="uncertain", margin_points=10, short_evidence_chars=12)
    strong = {"id": "greeting", "result": "pass", "weight": 1.0,
              "evidence": [{"message": 0, "start": 0, "end": 20, "text": "Здравствуйте, Ольга"}]}
    thin = {**strong, "id": "closing", "evidence": [{"message": 3, "start": 0, "end": 4,
                                                     "text": "Пока"}]}
    base = Candidate("c", "a", None, 50.0, 80.0, frozenset(), (strong, strong))
    assert uncertainty(base, rule) == 0.0
    assert uncertainty(replace(base, score=77.0), rule) == 0.7
    assert uncertainty(replace(base, criteria=(strong, thin)), rule) == 0.5
    assert uncertainty(replace(base, score=None), rule) == 1.0


def test_the_packaged_rules_load_and_bad_rules_name_key_and_line() -> None:
    assert [r.kind for r in parse_rules(default_rules_text()).rules] == \
        ["alert", "score_below", "uncertain", "random"]
    with pytest.raises(InputError) as error:
        parse_rules(_rules("  - {id: low, kind: score_below, below: 60}\n"
                           "  - id: r\n    kind: random\n    percent: 500\n"))
    assert error.value.field == "rules[1].percent" and error.value.line == 7
    with pytest.raises(InputError) as error:
        parse_rules(_rules("  - {id: x, kind: lottery}\n"))
    assert error.value.field.startswith("rules[0]")
