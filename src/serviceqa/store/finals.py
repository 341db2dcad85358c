"""The final columns: a conversation's score as managers read it, human once reviewed.

`evaluations.final_score`, `final_passed`, `final_review_id` and
`criterion_results.final_result` copy the conversation's final review: its latest
submitted review of kind 'review' or 'resolution' (an accepted dispute's correction is
the newest one; calibration grades never count) that graded the scorecard the
conversation is scored with now. Without such a review they repeat the automatic verdict,
which stays in `score`, `passed`, `result` and the evaluation JSON.

Why "of the same scorecard": a review's score is that scorecard's weights over that
scorecard's criteria. Re-scored with the same scorecard (a re-ingest, a new model), the
human verdict stands; re-scored with another scorecard, the automatic result is final
again until someone reviews it against that one, and the old review stays in the history
(and is final again if the conversation goes back to its scorecard).

The writer fills the automatic copies on insert; `refresh` rewrites conversations from
their reviews. The reports sum these columns, so every change must happen inside
`rollups.tracking` (`refresh_tracked` does it for the review service).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import and_, bindparam, func, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from serviceqa.store import rollups
from serviceqa.store.schema import CriterionResultRow, EvaluationRow
from serviceqa.store.schema_review import FINAL_KINDS, ReviewRow, ReviewVerdictRow

E, R = EvaluationRow.__table__, CriterionResultRow.__table__


def _submitted(ids: Sequence[str]) -> list[Any]:
    return [ReviewRow.conversation_id.in_(ids), ReviewRow.status == "submitted",
            ReviewRow.kind.in_(FINAL_KINDS)]


def reviewed(connection: Connection, ids: Sequence[str]) -> list[str]:
    """Which of `ids` have a submitted final review of any scorecard (the writer refreshes
    only those after a re-ingest)."""
    if not ids:
        return []
    query = select(ReviewRow.conversation_id).where(*_submitted(ids)).distinct()
    return sorted(connection.scalars(query))


def final_reviews(ids: Sequence[str]) -> Any:
    """(conversation_id, review id, score, passed) of each conversation's final review."""
    ranked = (select(ReviewRow.conversation_id, ReviewRow.id, ReviewRow.score,
                     ReviewRow.passed, func.row_number().over(
                         partition_by=ReviewRow.conversation_id,
                         order_by=(ReviewRow.submitted_at.desc(), ReviewRow.id.desc()))
                     .label("rank"))
              .join(EvaluationRow, and_(EvaluationRow.conversation_id == ReviewRow.conversation_id,
                                        EvaluationRow.scorecard == ReviewRow.scorecard))
              .where(*_submitted(ids)).subquery())
    return (select(ranked.c.conversation_id, ranked.c.id, ranked.c.score, ranked.c.passed)
            .where(ranked.c.rank == 1))


def refresh(connection: Connection, ids: Iterable[str]) -> None:
    """Set the final columns of conversations `ids` from their final review, or back to
    the automatic verdict. The caller tracks the rollups."""
    ids = sorted(set(ids))
    if not ids:
        return
    connection.execute(update(E).where(E.c.conversation_id.in_(ids)).values(
        final_score=E.c.score, final_passed=E.c.passed, final_review_id=None))
    connection.execute(update(R).where(R.c.conversation_id.in_(ids))
                       .values(final_result=R.c.result))
    finals = connection.execute(final_reviews(ids)).all()
    if not finals:
        return
    connection.execute(
        update(E).where(E.c.conversation_id == bindparam("cid")).values(
            final_score=bindparam("human_score"), final_passed=bindparam("human_passed"),
            final_review_id=bindparam("rid")),
        [{"cid": c, "rid": r, "human_score": s, "human_passed": p} for c, r, s, p in finals])
    conversation_of = {review_id: cid for cid, review_id, _, _ in finals}
    verdicts = connection.execute(select(ReviewVerdictRow.review_id, ReviewVerdictRow.criterion_id,
                                         ReviewVerdictRow.result)
                                  .where(ReviewVerdictRow.review_id.in_(conversation_of))).all()
    if verdicts:
        connection.execute(
            update(R).where(R.c.conversation_id == bindparam("cid"),
                            R.c.criterion_id == bindparam("kid"))
            .values(final_result=bindparam("human")),
            [{"cid": conversation_of[rid], "kid": k, "human": v} for rid, k, v in verdicts])


def refresh_tracked(connection: Connection, ids: Iterable[str]) -> None:
    """`refresh` inside the caller's transaction, with the rollups kept equal."""
    ids = sorted(set(ids))
    with Session(bind=connection) as session, rollups.tracking(session, ids):
        refresh(session.connection(), ids)


def after_write(session: Session, ids: Sequence[str]) -> None:
    """For the writer, inside its `tracking`: re-apply the reviews of conversations just
    re-ingested (their evaluation rows were replaced with automatic copies)."""
    connection = session.connection()
    refresh(connection, reviewed(connection, ids))
