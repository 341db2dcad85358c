"""`serve --scoring-processes N`: a workspace that scores on a pool of processes stores
exactly what one scoring in its own process stores, with the bundled scorecards, a
scorecard kept in the database, and a learned model the workers read from it; a bad
record is still reported in its place, and the follow-up rules still run."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from serviceqa.feedback.service import Feedback
from serviceqa.output import evaluation_json
from serviceqa.review.learn_store import learn_from_store
from serviceqa.score.scorecard import BUNDLED
from serviceqa.scoring_pool import ScoringPool
from serviceqa.store import Store, default_url
from serviceqa.store.schema_feedback import FollowupTaskRow
from serviceqa.workspace import Workspace
from tests.review.synthetic_reviews import conversations
from tests.review.test_learn import SETTINGS, _store_reviews


@pytest.fixture(scope="module")
def pool() -> Iterator[ScoringPool]:
    started = ScoringPool(2)
    started.warm_up()
    yield started
    started.close()


def _workspaces(tmp_path: Path, pool: ScoringPool) -> tuple[Workspace, Workspace]:
    """Two workspaces as `create_app` makes them (follow-up rules after each write), one
    scoring in this process and one on the pool."""
    made = []
    for name, scoring in (("here", None), ("pool", pool)):
        store = Store(default_url(tmp_path / f"{name}.db"))
        store.upgrade()
        workspace = Workspace(store, scoring)
        workspace.after_store.append(Feedback(store).conversation_tasks)
        made.append(workspace)
    return made[0], made[1]


def _tasks(workspace: Workspace) -> list[tuple[str, str]]:
    with workspace.store.engine.connect() as connection:
        rows = connection.execute(select(FollowupTaskRow.conversation_id, FollowupTaskRow.kind)
                                  .order_by(FollowupTaskRow.conversation_id,
                                            FollowupTaskRow.kind))
        return [tuple(row) for row in rows]


def _stored(workspace: Workspace, ids: list[str]) -> list[str]:
    return [evaluation_json(workspace.store.get_evaluation(i), explain=True) for i in ids]


def _with_a_bad_record(records: dict[str, dict[str, Any]]) -> list[Any]:
    batch = list(records.values())
    bad = {**batch[0], "id": "broken", "messages": [{"role": "agent"}]}  # no text
    return batch[:3] + [bad] + batch[3:]


def test_the_pool_stores_what_scoring_here_stores(tmp_path, pool, demo_records):
    here, there = _workspaces(tmp_path, pool)
    batch = _with_a_bad_record(demo_records)
    done_here, done_there = here.ingest(batch).to_dict(), there.ingest(batch).to_dict()
    assert done_there == done_here
    assert done_there["results"][3]["status"] == "rejected"
    assert done_there["results"][3]["error"]["field"].startswith("messages")
    assert done_there["stored"] == len(demo_records)
    ids = list(demo_records)
    assert _stored(there, ids) == _stored(here, ids)
    # the follow-up rules ran on what the pool scored (answers promised, incidents)
    assert _tasks(there) == _tasks(here)
    assert {kind for _, kind in _tasks(there)} >= {"answer", "incident"}


def test_a_stored_scorecard_travels_to_the_workers(tmp_path, pool, demo_records):
    here, there = _workspaces(tmp_path, pool)
    yaml_text = (BUNDLED / "chat.yaml").read_text(encoding="utf-8") \
        .replace("name: chat", "name: chat-strict", 1).replace("pass_score: 80", "pass_score: 95")
    for workspace in (here, there):
        workspace.save_scorecard(yaml_text, by="petra")
    batch = list(demo_records.values())[:12]
    assert there.ingest(batch, "chat-strict").to_dict() == here.ingest(batch, "chat-strict").to_dict()
    ids = [r["id"] for r in batch]
    assert _stored(there, ids) == _stored(here, ids)
    assert {there.store.get_evaluation(i).scorecard for i in ids} == {"chat-strict"}


def test_workers_score_with_the_stores_learned_model(tmp_path, pool):
    here, there = _workspaces(tmp_path, pool)
    by_id = {c.id: c for c, _ in conversations()}
    labelled = (by_id, _verdicts())
    for workspace in (here, there):
        _store_reviews(workspace.store, labelled)
        learn_from_store(workspace.store, SETTINGS, by="petra")
    rescored_here = here.rescore("syn-ru-01", "chat")
    rescored_there = there.rescore("syn-ru-01", "chat")
    assert rescored_there.model is not None and rescored_there.model.version == 1
    assert evaluation_json(rescored_there, explain=True) == \
        evaluation_json(rescored_here, explain=True)
    records = [c.model_dump(mode="json") for c in by_id.values()]
    assert there.ingest(records).to_dict() == here.ingest(records).to_dict()
    assert _stored(there, list(by_id)) == _stored(here, list(by_id))


def _verdicts() -> list[Any]:
    """The reviewers' verdicts of tests/review/test_learn.py's `labelled` fixture."""
    from serviceqa.review.learn import ReviewedVerdict
    from serviceqa.score.evaluate import score_conversation
    from serviceqa.score.scorecard import load_scorecard

    chat, verdicts = load_scorecard("chat"), []
    for conversation, closing in conversations():
        for criterion in score_conversation(conversation, chat).criteria:
            result = closing if criterion.id == "closing" else criterion.result
            verdicts.append(ReviewedVerdict(conversation.id, criterion.id, result, "r1"))
    return verdicts
