"""Exactly once, under real concurrency: threads POST the same survey link at the same
moment to a real server on loopback (SQLite and PostgreSQL); one response is stored and
the rules make one call-back task. The unique keys in the database carry this, not a lock
in the process: the task store is also raced directly from several threads."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import httpx
import pytest

from serviceqa.feedback.service import Feedback
from serviceqa.feedback.tasks_store import TaskQuery
from serviceqa.web import create_app
from tests.feedback.live import serving

THREADS = 8


@pytest.fixture
def live(db_url: str, demo_pairs) -> Iterator[tuple[str, Feedback]]:
    app = create_app(db_url, secure_cookies=False)
    store = app.state.workspace.store
    store.save_many(demo_pairs)
    with serving(app) as url:
        yield url, app.state.feedback
    store.close()


def _race(count: int, work) -> list:  # type: ignore[no-untyped-def]
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def run(i: int) -> None:
        barrier.wait()
        results[i] = work(i)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results


def test_one_response_and_one_task_when_a_link_is_submitted_at_once(live) -> None:
    url, fb = live
    (link,) = fb.make_links("default", ["ru-004"])

    def submit(i: int) -> int:
        with httpx.Client(base_url=url, timeout=30) as client:
            form = {"csat": "2", "comment": f"Ждал ответа два часа, попытка {i}"}
            return client.post(f"/s/{link['token']}", data=form).status_code

    statuses = _race(THREADS, submit)
    assert sorted(statuses) == [201] + [409] * (THREADS - 1)
    facts = fb.repo.facts()
    assert [(f.conversation_id, f.csat) for f in facts] == [("ru-004", 2)]
    _, callbacks = fb.tasks.list(TaskQuery(kind="callback"))
    assert [t["source_id"] for t in callbacks] == [f"response:{facts[0].id}"]


def test_the_public_api_also_takes_one_answer(live) -> None:
    url, fb = live
    (link,) = fb.make_links("default", ["hu-003"])

    def submit(i: int) -> int:
        with httpx.Client(base_url=url, timeout=30) as client:
            return client.post(f"/api/v1/public/surveys/{link['token']}",
                               json={"nps": 3}).status_code

    assert sorted(_race(THREADS, submit)) == [201] + [409] * (THREADS - 1)
    assert len(fb.repo.facts()) == 1


def test_a_trigger_raced_from_threads_makes_one_task(live, demo_pairs) -> None:
    _, fb = live
    conversation, evaluation = next((c, e) for c, e in demo_pairs
                                    if any(a.kind == "safety" for a in e.alerts))
    made = _race(THREADS, lambda i: fb.conversation_tasks([(conversation, evaluation)]))
    created = [task for result in made for task in result if task["kind"] == "incident"]
    assert len(created) == 1
    _, incidents = fb.tasks.list(TaskQuery(kind="incident"))
    assert [t["source_id"] for t in incidents].count(conversation.id) == 1
