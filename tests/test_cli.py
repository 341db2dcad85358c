"""The command line as a user runs it: formats, exit codes 0/1/2, ingest twice, the demo."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from serviceqa.cli import app

runner = CliRunner()

CHAT = {"id": "cz-1", "channel": "chat", "agent": {"id": "a-cs-1", "name": "Petra"},
        "messages": [
            {"role": "customer", "text": "dobry den, kde je moje objednavka?",
             "at": "2026-11-02T10:00:00Z"},
            {"role": "agent", "text": "Dobrý den, jmenuji se Petra ze zákaznické podpory. "
             "Můžete mi prosím napsat číslo objednávky?", "at": "2026-11-02T10:01:00Z"}]}
CALL = {"id": "kz-1", "channel": "phone", "metadata": {"rings_before_answer": 5},
        "messages": [{"role": "agent", "text": "Сәлеметсіз бе! Менің атым Айгерім."},
                     {"role": "customer", "text": "Сәлеметсіз бе, тапсырысым әлі келмеді."}]}


@pytest.fixture
def batch(tmp_path: Path) -> Path:
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in (CHAT, CALL)) + "\n",
                    encoding="utf-8")
    return path


def test_score_jsonl_is_the_contract(batch: Path) -> None:
    result = runner.invoke(app, ["score", str(batch), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert [e["conversation_id"] for e in lines] == ["cz-1", "kz-1"]
    assert [e["scorecard"] for e in lines] == ["chat", "phone"]  # chosen by channel
    answer_speed = next(c for c in lines[1]["criteria"] if c["id"] == "answer_speed")
    assert answer_speed["result"] == "fail"
    assert "detector" not in json.dumps(lines)


def test_score_json_array_and_explain(batch: Path) -> None:
    result = runner.invoke(app, ["score", str(batch), "--format", "json", "--explain"])
    assert result.exit_code == 0
    data = json.loads(result.stdout[result.stdout.index("["):result.stdout.rindex("]") + 1])
    assert len(data) == 2 and "detector" in json.dumps(data)


def test_scorecard_option_and_set_override(batch: Path) -> None:
    result = runner.invoke(app, ["score", str(batch), "-f", "jsonl", "-s", "phone",
                                 "--set", "settings.max_rings=6"])
    evaluations = [json.loads(l) for l in result.stdout.splitlines() if l.startswith("{")]
    speed = [next(c for c in e["criteria"] if c["id"] == "answer_speed") for e in evaluations]
    assert [s["result"] for s in speed] == ["na", "pass"]


def test_rejections_exit_1_and_are_reported(batch: Path) -> None:
    with batch.open("a", encoding="utf-8") as handle:
        handle.write('{"id": "broken", "messages": [{"role": "agent"}]}\n')
    result = runner.invoke(app, ["score", str(batch), "--format", "jsonl"])
    assert result.exit_code == 1
    assert "batch.jsonl:3 -> messages[0].text" in result.stderr
    assert "read 3, scored 2, rejected 1" in result.stderr


def test_bad_scorecard_exits_2_with_the_key(batch: Path, tmp_path: Path) -> None:
    card = tmp_path / "card.yaml"
    card.write_text("name: x\ntitle: x\ncriteria:\n  - id: a\n    title: a\n    pass_if: nope\n")
    result = runner.invoke(app, ["score", str(batch), "--scorecard", str(card)])
    assert result.exit_code == 2
    assert "criteria[0].pass_if" in result.stderr and "line 6" in result.stderr


def test_table_format(batch: Path) -> None:
    result = runner.invoke(app, ["score", str(batch)])
    assert result.exit_code == 0 and "cz-1" in result.stdout and "kz-1" in result.stdout


def test_ingest_twice_updates_never_duplicates(batch: Path, tmp_path: Path) -> None:
    from serviceqa.store.repository import Store

    url = f"sqlite:///{tmp_path / 'qa.db'}"
    assert runner.invoke(app, ["ingest", str(batch), "--db", url]).exit_code == 0
    changed = dict(CHAT, messages=CHAT["messages"] + [
        {"role": "agent", "text": "Děkujeme, hezký den!", "at": "2026-11-02T10:02:00Z"}])
    batch.write_text(json.dumps(changed, ensure_ascii=False) + "\n", encoding="utf-8")
    assert runner.invoke(app, ["ingest", str(batch), "--db", url]).exit_code == 0
    store = Store(url)
    assert store.count_conversations() == 2
    assert len(store.get_conversation("cz-1").messages) == 3


def test_demo_loads_scores_and_reports(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    result = runner.invoke(app, ["demo", "--db", str(db)])
    assert result.exit_code == 0, result.output
    for heading in ("Agent leaderboard", "Pass rate per criterion", "Alerts", str(db)):
        assert heading in result.stdout.replace("\n", "")
    assert db.exists()


def test_scorecards_command(tmp_path: Path) -> None:
    result = runner.invoke(app, ["scorecards"])
    assert "phone" in result.stdout and "chat" in result.stdout
