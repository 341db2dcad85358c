"""Final scores: the human review's result where one applies, else the automatic one.

- evaluations.final_score, final_passed, final_review_id and
  criterion_results.final_result (`serviceqa/store/finals.py` says what "final" means).
- The score filter's indexes move to final_score; the failed-criterion count's index to
  (criterion_id, final_result). Nothing filters on the automatic score any more.
- Backfill: every row gets its automatic verdict, then each scored conversation's latest
  submitted review (kind review or resolution) of its own scorecard is copied over it.
  The SQL is written out here, not imported, so this migration keeps doing what it did.
- The report rollups are rebuilt from the final columns (0007 leaves that to here).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FINAL_REVIEW = """
    SELECT r.id FROM reviews r
    WHERE r.conversation_id = evaluations.conversation_id
      AND r.scorecard = evaluations.scorecard
      AND r.status = 'submitted' AND r.kind IN ('review', 'resolution')
    ORDER BY r.submitted_at DESC, r.id DESC LIMIT 1"""
HUMAN_VERDICT = """
    SELECT v.result FROM review_verdicts v
    JOIN evaluations e ON e.final_review_id = v.review_id
    WHERE e.conversation_id = criterion_results.conversation_id
      AND v.criterion_id = criterion_results.criterion_id"""
BACKFILL = [
    "UPDATE evaluations SET final_score = score, final_passed = passed",
    "UPDATE criterion_results SET final_result = result",
    f"""UPDATE evaluations SET final_review_id = ({FINAL_REVIEW})
        WHERE EXISTS (SELECT 1 FROM reviews r
                      WHERE r.conversation_id = evaluations.conversation_id)""",
    """UPDATE evaluations
        SET final_score = (SELECT r.score FROM reviews r WHERE r.id = final_review_id),
            final_passed = (SELECT r.passed FROM reviews r WHERE r.id = final_review_id)
        WHERE final_review_id IS NOT NULL""",
    f"""UPDATE criterion_results SET final_result = ({HUMAN_VERDICT})
        WHERE EXISTS ({HUMAN_VERDICT})""",
]


def _rebuild_rollups() -> None:
    from serviceqa.store.rollups import rebuild

    rebuild(op.get_bind())


def upgrade() -> None:
    op.add_column("evaluations", sa.Column("final_score", sa.Float(), nullable=True))
    op.add_column("evaluations", sa.Column("final_passed", sa.Boolean(), nullable=True))
    op.add_column("evaluations", sa.Column("final_review_id", sa.Integer(), nullable=True))
    op.add_column("criterion_results", sa.Column("final_result", sa.String(4), nullable=True))
    for statement in BACKFILL:
        op.execute(statement)
    op.create_index(op.f("ix_evaluations_final_score"), "evaluations", ["final_score"])
    op.create_index(op.f("ix_evaluations_conversation_id_final_score"), "evaluations",
                    ["conversation_id", "final_score"])
    op.create_index(op.f("ix_criterion_results_criterion_id_final_result"),
                    "criterion_results", ["criterion_id", "final_result"])
    op.drop_index(op.f("ix_evaluations_score"), table_name="evaluations")
    op.drop_index(op.f("ix_evaluations_conversation_id_score"), table_name="evaluations")
    op.drop_index(op.f("ix_criterion_results_criterion_id_result"),
                  table_name="criterion_results")
    _rebuild_rollups()


def downgrade() -> None:
    # The rollups of 0008 sum the automatic verdict: make the final columns say it, rebuild
    # with today's code (which reads them), then drop them.
    op.execute(BACKFILL[0] + ", final_review_id = NULL")
    op.execute(BACKFILL[1])
    _rebuild_rollups()
    op.create_index(op.f("ix_criterion_results_criterion_id_result"), "criterion_results",
                    ["criterion_id", "result"])
    op.create_index(op.f("ix_evaluations_conversation_id_score"), "evaluations",
                    ["conversation_id", "score"])
    op.create_index(op.f("ix_evaluations_score"), "evaluations", ["score"])
    op.drop_index(op.f("ix_criterion_results_criterion_id_final_result"),
                  table_name="criterion_results")
    op.drop_index(op.f("ix_evaluations_conversation_id_final_score"), table_name="evaluations")
    op.drop_index(op.f("ix_evaluations_final_score"), table_name="evaluations")
    # Plain DROP COLUMN (SQLite 3.35+): a batch copy of the table would lose its CHECKs.
    for table, column in (("criterion_results", "final_result"),
                          ("evaluations", "final_review_id"), ("evaluations", "final_passed"),
                          ("evaluations", "final_score")):
        op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
