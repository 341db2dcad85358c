"""Follow-up tasks (call-backs, answers owed, incidents): the board's list with filters,
one task with its history, changes; the sweep; and the notifiers told about tasks.
An agent sees and changes only the tasks of their own conversations (another's is 404)."""

from __future__ import annotations

from typing import Any, Optional

from fastapi import APIRouter, Depends, Query

from serviceqa.errors import Forbidden, NotFound
from serviceqa.feedback.service import Feedback
from serviceqa.feedback.tasks_store import TaskQuery, notifier_dict
from serviceqa.store.accounts import new_secret
from serviceqa.web.auth import ADMIN, ALL, MANAGE, Principal, allow
from serviceqa.web.params import Paging, paging

from ._feedback import NotifierIn, SweepIn, TaskChange, feedback

router = APIRouter(tags=["tasks"])


def _own(fb: Feedback, task_id: int, caller: Principal) -> dict[str, Any]:
    task = fb.tasks.get(task_id)
    if caller.own_agent_id is not None and task["agent_id"] != caller.own_agent_id:
        raise NotFound(f"no task {task_id}")
    return task


@router.get("/tasks")
def list_tasks(page: Paging = Depends(paging),
               status: Optional[str] = Query(None, description="open, in_progress, done, "
                                             "cancelled, or active (open or in progress)"),
               kind: Optional[str] = Query(None, description="callback, answer, incident"),
               assignee: Optional[str] = None, agent: Optional[str] = None,
               team: Optional[str] = None, overdue: Optional[bool] = None,
               caller: Principal = Depends(allow(*ALL)),
               fb: Feedback = Depends(feedback)) -> dict[str, Any]:
    """Soonest due first."""
    own = caller.own_agent_id
    if own is not None and agent not in (None, own):
        raise Forbidden("an agent sees only their own tasks")
    query = TaskQuery(status, kind, assignee, own or agent, team, overdue)
    total, items = fb.tasks.list(query, page.limit, page.offset)
    return {"total": total, "limit": page.limit, "offset": page.offset, "items": items}


@router.get("/tasks/{task_id}")
def get_task(task_id: int, caller: Principal = Depends(allow(*ALL)),
             fb: Feedback = Depends(feedback)) -> dict[str, Any]:
    return {**_own(fb, task_id, caller), "notifications": fb.tasks.notifications(task_id)}


@router.patch("/tasks/{task_id}")
def change_task(task_id: int, body: TaskChange, caller: Principal = Depends(allow(*ALL)),
                fb: Feedback = Depends(feedback)) -> dict[str, Any]:
    """Status, assignee, due date, a note, "customer informed of the delay"; each change
    is kept in the task's history with who made it."""
    _own(fb, task_id, caller)
    if body.assignee and body.assignee not in {u.name for u in fb.store.accounts.users()}:
        raise NotFound(f"no user {body.assignee!r}")
    return fb.tasks.update(task_id, caller.user.name, status=body.status,
                           assignee=body.assignee, due_at=body.due_at, note=body.note,
                           customer_informed=body.customer_informed)


@router.post("/tasks/sweep")
def sweep(body: SweepIn, caller: Principal = Depends(allow(*MANAGE)),
          fb: Feedback = Depends(feedback)) -> dict[str, Any]:
    """What `serviceqa tasks sweep` does: due-soon and overdue notifications, an
    sla_breach alert per overdue task, and (with scan_since) the conversation rules."""
    return fb.sweep(body.scan_since)


@router.get("/notifiers")
def list_notifiers(caller: Principal = Depends(allow(*ADMIN)),
                   fb: Feedback = Depends(feedback)) -> list[dict[str, Any]]:
    return [notifier_dict(n) for n in fb.tasks.notifiers()]


@router.post("/notifiers", status_code=201)
def add_notifier(body: NotifierIn, caller: Principal = Depends(allow(*ADMIN)),
                 fb: Feedback = Depends(feedback)) -> dict[str, Any]:
    """A webhook gets a signing secret, shown once here."""
    secret = new_secret() if body.kind == "webhook" else None
    made = fb.tasks.add_notifier(body.name, body.kind, body.target, secret, body.settings,
                                 list(body.events))
    return {**made, "secret": secret}
