"""The human-review routes in the role × route table (test_authorization.py), and what they
act on: reviews, drafts, disputes, calibration sessions and coaching notes seeded on the
agent's own conversations.

A path may hold `{param:name}`: the route's declared `{param}`, filled with the id seeded
as `name`; `ROLE` in a name is the calling role's (a draft is its author's).
"""

from __future__ import annotations

import re
from typing import Any

from serviceqa.review.reviews import VerdictIn
from serviceqa.review.rules import default_rules_text
from serviceqa.review.service import ReviewDesk
from tests.web.conftest import AGENT_ID

AUTHORS = ("admin", "lead", "reviewer")  # roles that write reviews
OWN = ("kk-001", "kk-006", "kk-013")  # the agent user's conversations
IDS: dict[str, int] = {}
_PLACEHOLDER = re.compile(r"\{(\w+):([\w-]+)\}")


def seed(ws: Any) -> None:
    desk = ReviewDesk(ws)
    users = {role: ws.store.accounts.get_user(f"{role}-user") for role in (*AUTHORS, "agent")}
    reviewer, agent, lead = users["reviewer"], users["agent"], users["lead"]

    def submitted(cid: str) -> int:
        return int(desk.reviews.create(reviewer, cid, [VerdictIn("greeting", "fail")],
                                       submit=True)["id"])

    IDS["review"] = submitted("kk-001")
    for name in ("dispute", "accept-admin", "accept-lead", "reject-admin", "reject-lead"):
        review = submitted(OWN[len(IDS) % 3])
        IDS[name] = int(desk.disputes.open(agent, review, "Мен амандастым ғой.")["id"])
    for role in AUTHORS:
        for action, cid in zip(("update", "submit", "delete"), OWN):
            IDS[f"{action}-{role}"] = int(desk.reviews.create(users[role], cid)["id"])
    ws.store.accounts.add_user("matrix-reviewer", "reviewer")
    for name in ("cal", "cal-close"):  # graders: reviewers only, so leads see the report
        IDS[name] = int(desk.calibration.create(
            lead, name, list(OWN[:2]), ["reviewer-user", "matrix-reviewer"])["id"])
    for name in ("note", "note-ack"):
        IDS[name] = int(desk.coaching.add_note(lead, AGENT_ID, "Аты-жөніңізді айтыңыз.",
                                               ["self_introduction"])["id"])


def fill(path: str, role: str | None) -> str:
    """Roles refused before any lookup get some other role's id."""
    def one(match: re.Match[str]) -> str:
        name = match.group(2)
        return str(IDS.get(name.replace("ROLE", str(role)), IDS.get(name.replace("ROLE", "lead"))))
    return _PLACEHOLDER.sub(one, path)


def declared(path: str) -> str:
    return _PLACEHOLDER.sub(lambda m: "{" + m.group(1) + "}", path)


def routes(Route: Any, ALL: set, REVIEW: set, MANAGE: set) -> list[Any]:
    agent = {"agent"}
    verdict = [{"criterion_id": "greeting", "result": "pass", "comment": "бар"}]
    return [
        Route("GET", "/conversations/kk-001/review-form", REVIEW, (200,)),
        Route("GET", "/reviews", ALL, (200,)),
        Route("POST", "/reviews", REVIEW, (201,),
              {"conversation_id": "ru-001", "verdicts": verdict, "submit": True}),
        Route("GET", "/reviews/{review_id:review}", ALL, (200,)),
        Route("PUT", "/reviews/{review_id:update-ROLE}", REVIEW, (200,), {"verdicts": verdict}),
        Route("POST", "/reviews/{review_id:submit-ROLE}/submit", REVIEW, (200,)),
        Route("DELETE", "/reviews/{review_id:delete-ROLE}", REVIEW, (204,)),
        Route("GET", "/review/rules", REVIEW, (200,)),
        Route("PUT", "/review/rules", MANAGE, (200,), {"yaml": default_rules_text()}),
        Route("POST", "/review/assign", MANAGE, (200,), {}),
        Route("GET", "/review/queue", REVIEW, (200,)),
        Route("GET", "/disputes", ALL, (200,)),
        Route("POST", "/disputes", agent, (201,),
              lambda role: {"review_id": IDS["review"], "reason": "Амандасу болды."}),
        Route("GET", "/disputes/{dispute_id:dispute}", ALL, (200,)),
        Route("POST", "/disputes/{dispute_id:dispute}/comments", ALL, (200,),
              {"text": "Қосымша: бірінші хабарлама."}),
        Route("POST", "/disputes/{dispute_id:accept-ROLE}/accept", MANAGE, (200,),
              {"answer": "Дұрыс.", "verdicts": verdict}),
        Route("POST", "/disputes/{dispute_id:reject-ROLE}/reject", MANAGE, (200,),
              {"answer": "Жоқ, сәлемдесу болмады."}),
        Route("GET", "/calibration", REVIEW, (200,)),
        Route("POST", "/calibration", MANAGE, (201,),
              {"title": "m", "conversation_ids": ["kk-001"],
               "reviewers": ["reviewer-user", "lead-user"]}),
        Route("GET", "/calibration/{session_id:cal}", REVIEW, (200,)),
        Route("POST", "/calibration/{session_id:cal-close}/close", MANAGE, (200,)),
        Route("GET", "/calibration/{session_id:cal}/report", MANAGE, (200,)),
        Route("GET", f"/coaching/agents/{AGENT_ID}", ALL, (200,)),
        Route("GET", "/coaching/notes", ALL, (200,)),
        Route("POST", "/coaching/notes", MANAGE, (201,),
              {"agent_id": AGENT_ID, "text": "Сәлемдесуді ұмытпаңыз.",
               "criteria": ["greeting"]}),
        Route("GET", "/coaching/notes/{note_id:note}", ALL, (200,)),
        Route("POST", "/coaching/notes/{note_id:note-ack}/acknowledge", agent, (200,)),
    ]
