"""`serviceqa review assign` runs the rules on a database; bad rules are exit code 2."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from serviceqa.cli import app
from serviceqa.store import Store, default_url

RULES = """seed: 3
quotas: {default: 5}
rules:
  - {id: low, kind: score_below, below: 60}
"""


def test_assign_queues_by_the_rules_and_twice_adds_nothing(tmp_path: Path, scored) -> None:
    url = default_url(tmp_path / "qa.db")
    store = Store(url)
    store.upgrade()
    store.save_many(scored)
    store.accounts.add_user("olga", "reviewer")
    store.close()
    rules = tmp_path / "rules.yaml"
    rules.write_text(RULES, encoding="utf-8")
    runner = CliRunner()
    first = runner.invoke(app, ["review", "assign", "--db", url, "--rules", str(rules)])
    assert first.exit_code == 0, first.output
    assert json.loads(first.stdout)["by_rule"] == {"low": 3}  # ru-2, cs-1, kk-2
    again = runner.invoke(app, ["review", "assign", "--db", url, "--rules", str(rules),
                                "--since", "2026-11-01"])
    assert json.loads(again.stdout)["created"] == 0


def test_bad_rules_name_the_key(tmp_path: Path) -> None:
    rules = tmp_path / "rules.yaml"
    rules.write_text("rules:\n  - {id: low, kind: score_below, below: 600}\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["review", "assign", "--db",
                                      default_url(tmp_path / "qa.db"), "--rules", str(rules)])
    assert result.exit_code == 2
    assert "rules[0].below" in result.output
