"""Imports from other survey tools: CSV and JSON; a bad row is reported with its line and
field and the others are stored; importing the same file again adds nothing."""

from __future__ import annotations

import json

import pytest

from serviceqa.errors import InputError
from serviceqa.feedback.importer import read
from tests.feedback.helpers import API
from tests.web.conftest import Workspace

CSV = """conversation_id,csat,nps,comment,submitted_at,external_id
ru-001,5,10,"Всё решили быстро, спасибо!",2026-11-03T10:00:00Z,zd-1
kk-001,2,,"Оператор дөрекі сөйледі, ұзақ күттім",2026-11-03T11:00:00Z,zd-2
hu-001,six,,,,zd-3
nobody,4,,,,zd-4
cs-001,4,8,"Dobrý, ale
trochu pomalé",2026-11-04,zd-5
en-001,3.5,,,,zd-6
en-002,,,,yesterday,zd-7
"""


def test_csv_rows_are_stored_and_bad_rows_named(workspace: Workspace) -> None:
    response = workspace.post(f"{API}/survey-responses/import", "lead",
                              json={"format": "csv", "data": CSV})
    assert response.status_code == 200, response.text
    result = response.json()
    assert (result["read"], result["stored"], result["rejected"]) == (7, 3, 4)
    assert [(e["line"], e["field"]) for e in result["errors"]] == [
        (4, "csat"), (5, "conversation_id"), (8, "csat"), (9, "submitted_at")]
    stored = workspace.get(f"{API}/survey-responses").json()["items"]
    assert {r["conversation_id"] for r in stored} == {"ru-001", "kk-001", "cs-001"}
    assert next(r for r in stored if r["conversation_id"] == "cs-001")["comment"] == \
        "Dobrý, ale\ntrochu pomalé"
    again = workspace.post(f"{API}/survey-responses/import", "lead",
                           json={"format": "csv", "data": CSV}).json()
    assert (again["stored"], again["duplicates"]) == (0, 3)
    callbacks = [t for t in workspace.get(f"{API}/tasks", params={"kind": "callback"}
                                          ).json()["items"] if t["conversation_id"] == "kk-001"]
    assert len(callbacks) == 1


def test_a_json_array_names_the_line_of_each_bad_record(workspace: Workspace) -> None:
    data = json.dumps([{"conversation_id": "hu-002", "satisfaction": 9, "external_id": "a"},
                       {"conversation_id": "hu-003", "satisfaction": 11},
                       {"conversation_id": "hu-003", "stars": 4},
                       "not an object"], indent=1, ensure_ascii=False)
    result = workspace.post(f"{API}/survey-responses/import", "lead",
                            json={"format": "json", "data": data}).json()
    assert result["stored"] == 1
    lines = data.splitlines()
    for error in result["errors"]:
        assert lines[error["line"] - 1].strip().startswith(("{", '"not'))
    assert [e["field"] for e in result["errors"]] == ["satisfaction", "stars", None]


def test_json_lines_too(workspace: Workspace) -> None:
    data = ('{"conversation_id": "cs-002", "nps": 9}\n\n'
            '{"conversation_id": "cs-003", "nps": 4}\n{oops\n')
    result = workspace.post(f"{API}/survey-responses/import", "lead",
                            json={"format": "json", "data": data}).json()
    assert result["stored"] == 2
    assert [(e["line"], e["field"]) for e in result["errors"]] == [(4, None)]


def test_a_csv_without_the_id_column_is_refused_as_a_whole() -> None:
    with pytest.raises(InputError) as caught:
        read("id,csat\nx,5\n", "csv")
    assert (caught.value.line, caught.value.field) == (1, "conversation_id")


def test_the_import_command(workspace: Workspace, db_url: str, tmp_path) -> None:
    from typer.testing import CliRunner

    from serviceqa.cli import app
    path = tmp_path / "export.csv"
    path.write_text(CSV, encoding="utf-8-sig")
    result = CliRunner().invoke(app, ["surveys", "import", str(path), "--db", db_url])
    assert result.exit_code == 1  # some rows rejected, the rest stored
    assert f"{path}:4: csat: not a number" in result.output
    assert "stored 3" in result.output
