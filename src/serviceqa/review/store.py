"""Reading the human verdicts back: what reviewers decided, for the final score and for
the classifiers that learn from them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import Engine, Select, func, select

from serviceqa.store.portable import binary
from serviceqa.store.schema_review import FINAL_KINDS, ReviewRow, ReviewVerdictRow

HumanVerdict = tuple[str, str, str, str | None, int | None]


def _engine(engine_or_store: Any) -> Engine:
    return engine_or_store if isinstance(engine_or_store, Engine) else engine_or_store.engine


def latest_final_reviews() -> Select[tuple[int]]:
    """Ids of the latest submitted, non-calibration review of each conversation.

    Latest is by submission time, then by id (two submissions in the same microsecond).
    """
    ranked = (select(ReviewRow.id.label("id"), func.row_number().over(
        partition_by=ReviewRow.conversation_id,
        order_by=(ReviewRow.submitted_at.desc(), ReviewRow.id.desc())).label("rank"))
        .where(ReviewRow.status == "submitted", ReviewRow.kind.in_(FINAL_KINDS))
        .subquery())
    return select(ranked.c.id).where(ranked.c.rank == 1)


def human_verdicts(engine_or_store: Any) -> Iterator[HumanVerdict]:
    """(conversation_id, criterion_id, result, auto_result, reviewer_id) of the final review
    of every reviewed conversation, ordered by conversation and criterion (by bytes, so
    the same on SQLite and PostgreSQL)."""
    query = (select(ReviewRow.conversation_id, ReviewVerdictRow.criterion_id,
                    ReviewVerdictRow.result, ReviewVerdictRow.auto_result,
                    ReviewRow.reviewer_id)
             .join(ReviewVerdictRow, ReviewVerdictRow.review_id == ReviewRow.id)
             .where(ReviewRow.id.in_(latest_final_reviews()))
             .order_by(binary(ReviewRow.conversation_id), binary(ReviewVerdictRow.criterion_id)))
    with _engine(engine_or_store).connect() as connection:
        for row in connection.execute(query):
            yield (row[0], row[1], row[2], row[3], row[4])
