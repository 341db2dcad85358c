"""Listing reviews in a constant number of queries, however many match.

The list used to read every matching review, ask who may see each one (a query or two per
review) and then count overrides and look up the reviewer per item on the page. Here the
visibility rules of `Reviews._visible` are the WHERE clause, the total is a COUNT, and
the page's overrides and reviewer names are two grouped queries.
`tests/review/test_listing.py` counts the statements so it stays that way.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, and_, false, func, or_, select, true
from sqlalchemy.orm import aliased

from serviceqa.store.accounts import User
from serviceqa.store.schema import ConversationRow, UserRow
from serviceqa.store.schema_review import (FINAL_KINDS, CalibrationReviewerRow,
                                           CalibrationSessionRow, ReviewRow, ReviewVerdictRow)

LEADS = ("admin", "lead")
SUBMITTED = ReviewRow.status == "submitted"


def _final_visible(user: User) -> Any:
    """As `Reviews._visible` for reviews and resolutions (an agent's ownership is the
    join in `visible_query`)."""
    if user.role == "agent":
        return SUBMITTED
    if user.role in LEADS:
        return true()
    return or_(SUBMITTED, ReviewRow.reviewer_id == user.id)


def _calibration_visible(connection: Connection, user: User, session_id: int) -> Any:
    """As `Reviews._calibration_visible`, for every grade of one session: blind until the
    caller submitted their own grade of the same conversation, or the session closed."""
    mine = ReviewRow.reviewer_id == user.id
    if user.role == "agent":
        return mine
    status = connection.scalar(select(CalibrationSessionRow.status)
                               .where(CalibrationSessionRow.id == session_id))
    member = connection.scalar(select(CalibrationReviewerRow.user_id).where(
        CalibrationReviewerRow.session_id == session_id,
        CalibrationReviewerRow.user_id == user.id))
    if member is None:
        others = true() if user.role in LEADS or status == "closed" else false()
    elif status == "closed":
        others = true()
    else:
        own = aliased(ReviewRow)
        others = (select(own.id).where(
            own.calibration_session_id == session_id,
            own.conversation_id == ReviewRow.conversation_id,
            own.reviewer_id == user.id, own.status == "submitted")
            .correlate(ReviewRow).exists())
    return or_(mine, and_(SUBMITTED, others))


def visible_query(connection: Connection, user: User, conversation_id: str | None,
                  calibration_session_id: int | None) -> Any:
    """SELECT of the reviews the caller may see (calibration grades only by session)."""
    query = select(ReviewRow)
    if conversation_id is not None:
        query = query.where(ReviewRow.conversation_id == conversation_id)
    if calibration_session_id is None:
        query = query.where(ReviewRow.kind.in_(FINAL_KINDS), _final_visible(user))
    else:
        query = query.where(ReviewRow.calibration_session_id == calibration_session_id,
                            _calibration_visible(connection, user, calibration_session_id))
    if user.role == "agent":
        query = query.join(ConversationRow, ConversationRow.id == ReviewRow.conversation_id
                           ).where(ConversationRow.agent_id == user.agent_id, SUBMITTED)
    return query


def summaries(connection: Connection, rows: Sequence[Any]) -> list[dict[str, Any]]:
    """The summary of each review row, in order: two queries for all of them."""
    if not rows:
        return []
    ids = [row.id for row in rows]
    V = ReviewVerdictRow  # noqa: N806
    overrides = dict(connection.execute(
        select(V.review_id, func.count()).where(
            V.review_id.in_(ids), V.auto_result.is_(None) | (V.result != V.auto_result))
        .group_by(V.review_id)).all())
    people = {row.reviewer_id for row in rows if row.reviewer_id is not None}
    names = dict(connection.execute(select(UserRow.id, UserRow.name)
                                    .where(UserRow.id.in_(people))).all()) if people else {}
    return [{"id": row.id, "conversation_id": row.conversation_id,
             "reviewer_id": row.reviewer_id, "reviewer": names.get(row.reviewer_id),
             "scorecard": row.scorecard, "kind": row.kind, "status": row.status,
             "score": row.score, "passed": row.passed, "auto_score": row.auto_score,
             "calibration_session_id": row.calibration_session_id,
             "overrides": int(overrides.get(row.id, 0)),
             "created_at": row.created_at, "submitted_at": row.submitted_at}
            for row in rows]


def page(connection: Connection, user: User, conversation_id: str | None,
         calibration_session_id: int | None, limit: int, offset: int) -> dict[str, Any]:
    """Reviews the caller may see, newest first, one page and how many in all."""
    query = visible_query(connection, user, conversation_id, calibration_session_id)
    total = connection.scalar(select(func.count()).select_from(query.subquery()))
    rows = connection.execute(query.order_by(ReviewRow.created_at.desc(), ReviewRow.id.desc())
                              .limit(limit).offset(offset)).all()
    return {"total": int(total or 0), "limit": limit, "offset": offset,
            "items": summaries(connection, rows)}
