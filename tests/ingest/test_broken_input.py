"""Broken input never crashes a batch: every record read becomes a Conversation or a
Rejected naming where it came from (property-based, with hypothesis)."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from serviceqa.ingest import read_paths
from serviceqa.ingest.records import MAX_MESSAGE_CHARS
from serviceqa.model import Conversation, Rejected
from serviceqa.run import ScorecardChooser, Scored, Summary, score_stream

SUFFIXES = [".jsonl", ".json", ".csv", ".txt", ".dat"]
FAST = settings(max_examples=60, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])

GOOD = {"id": "c-1", "channel": "chat",
        "messages": [{"role": "customer", "text": "Dobrý den, kde je moje objednávka?"},
                     {"role": "agent", "text": "Dobrý den, podívám se na to."}]}


def _read(tmp_path: Path, name: str, data: bytes) -> list[Conversation | Rejected]:
    path = tmp_path / name
    path.write_bytes(data)
    return list(read_paths([path]))


def _all_accounted(items: list[Conversation | Rejected], path_name: str) -> None:
    for item in items:
        assert isinstance(item, (Conversation, Rejected))
        if isinstance(item, Rejected):
            assert item.message and item.file and item.file.endswith(path_name)


@FAST
@given(data=st.binary(max_size=2000), suffix=st.sampled_from(SUFFIXES))
def test_random_bytes_never_crash(tmp_path: Path, data: bytes, suffix: str) -> None:
    items = _read(tmp_path, "random" + suffix, data)
    _all_accounted(items, "random" + suffix)


LINE = json.dumps(GOOD, ensure_ascii=False)


@FAST
@given(cut=st.integers(min_value=1, max_value=len(LINE) - 1))
def test_truncated_json_line_is_rejected_with_its_line(tmp_path: Path, cut: int) -> None:
    line = LINE
    data = (line + "\n" + line[:cut] + "\n" + line.replace("c-1", "c-3") + "\n").encode()
    items = _read(tmp_path, "batch.jsonl", data)
    assert [i.id for i in items if isinstance(i, Conversation)] == ["c-1", "c-3"]
    (bad,) = [i for i in items if isinstance(i, Rejected)]
    assert bad.line == 2


@FAST
@given(drop=st.sampled_from(["id", "messages", "role", "text"]),
       junk=st.one_of(st.none(), st.integers(), st.text(max_size=5), st.lists(st.none())))
def test_missing_or_wrong_fields_are_named(tmp_path: Path, drop: str, junk: object) -> None:
    record = json.loads(json.dumps(GOOD))
    target = record if drop in ("id", "messages") else record["messages"][1]
    if junk is None:
        del target[drop]
    else:
        target[drop] = junk
    items = _read(tmp_path, "one.jsonl", (json.dumps(record) + "\n").encode())
    (item,) = items
    still_valid = (drop == "id" and isinstance(junk, (int, str)) and str(junk)) or \
        (drop == "text" and isinstance(junk, str))
    if still_valid:  # an integer id becomes its text; any string is a message text
        assert isinstance(item, Conversation)
    else:
        assert isinstance(item, Rejected) and item.line == 1
        assert item.field and drop in item.field


def test_huge_message_is_rejected_not_scored(tmp_path: Path) -> None:
    record = json.loads(json.dumps(GOOD))
    record["messages"][0]["text"] = "ааа " * (MAX_MESSAGE_CHARS // 4 + 1)
    items = _read(tmp_path, "huge.jsonl", (json.dumps(record) + "\n").encode())
    (item,) = items
    assert isinstance(item, Rejected) and item.field == "messages[0].text"


@FAST
@given(texts=st.lists(st.text(max_size=300), min_size=1, max_size=6),
       roles=st.lists(st.sampled_from(["agent", "customer", "bot", "system"]), min_size=6,
                      max_size=6))
def test_any_text_scores_without_error(texts: list[str], roles: list[str]) -> None:
    conversation = Conversation.model_validate(
        {"id": "x", "messages": [{"role": r, "text": t} for r, t in zip(roles, texts)]})
    summary = Summary()
    (result,) = list(score_stream([conversation], ScorecardChooser(None), summary))
    assert isinstance(result, Scored), result
    for criterion in result.evaluation.criteria:
        for evidence in criterion.evidence:
            assert texts[evidence.message][evidence.start:evidence.end] == evidence.text
