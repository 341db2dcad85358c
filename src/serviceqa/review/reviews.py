"""Grading a conversation by hand: a form pre-filled with the automatic verdicts and their
evidence, drafts, submission, and the human score computed like the automatic one.

Every verdict keeps the automatic verdict next to it, so an override is simply a verdict
that differs from it. A submitted review is never edited: a correction goes through a
dispute, which adds a new review (kind 'resolution') and keeps the old one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import Connection, and_, delete, func, insert, select, update

from serviceqa.errors import Conflict, Forbidden, InputError, NotFound
from serviceqa.review import listing
from serviceqa.review.store import latest_final_reviews
from serviceqa.score.evaluate import summarise
from serviceqa.score.scorecard import default_for_channel
from serviceqa.store import finals
from serviceqa.store.accounts import User
from serviceqa.store.schema import ConversationRow, EvaluationRow
from serviceqa.store.schema_review import (CalibrationItemRow, CalibrationReviewerRow,
                                           CalibrationSessionRow, ReviewRow, ReviewVerdictRow,
                                           AssignmentRow)
from serviceqa.workspace import Workspace

RESULTS = ("pass", "fail", "na")
LEADS = ("admin", "lead")


def now() -> datetime:
    return datetime.now(timezone.utc)


@dataclass(frozen=True)
class VerdictIn:
    """A reviewer's verdict on one criterion (the API's body item)."""

    criterion_id: str
    result: str
    comment: str | None = None


@dataclass(frozen=True)
class Graded:
    """A criterion as the scorecard defines it, with the human verdict (for `summarise`)."""

    id: str
    result: str
    weight: float
    critical: bool


class Reviews:
    """The review service over the workspace's store."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self.engine = ws.store.engine

    # --- the form ---------------------------------------------------------------------

    def form(self, conversation_id: str, scorecard: str | None = None) -> dict[str, Any]:
        """The scorecard's criteria with the automatic verdicts and evidence, unsaved."""
        conversation, evaluation = self.ws.conversation(conversation_id)
        name = scorecard or (evaluation.scorecard if evaluation
                             else default_for_channel(conversation.channel))
        card = self.ws.scorecard(name)
        auto = {c.id: c for c in evaluation.criteria} if evaluation else {}
        criteria = []
        for criterion in card.criteria:
            found = auto.get(criterion.id)
            criteria.append({
                "criterion_id": criterion.id, "title": criterion.title,
                "weight": criterion.weight, "critical": criterion.critical,
                "auto_result": found.result if found else None,
                "reason": found.reason if found else None,
                "evidence": [e.model_dump(mode="json", exclude_none=True)
                             for e in found.evidence] if found else []})
        return {"conversation_id": conversation_id, "scorecard": card.name,
                "pass_score": card.pass_score,
                "auto_score": evaluation.score if evaluation else None,
                "auto_passed": evaluation.passed if evaluation else None,
                "criteria": criteria}

    # --- writing ----------------------------------------------------------------------

    def create(self, user: User, conversation_id: str, verdicts: Sequence[VerdictIn] = (),
               scorecard: str | None = None, calibration_session_id: int | None = None,
               submit: bool = False) -> dict[str, Any]:
        """A new review pre-filled with the automatic verdicts, `verdicts` applied on top.
        A calibration grade uses the session's scorecard when the session names one."""
        if calibration_session_id is not None and scorecard is None:
            with self.engine.connect() as connection:
                scorecard = connection.scalar(select(CalibrationSessionRow.scorecard).where(
                    CalibrationSessionRow.id == calibration_session_id))
        form = self.form(conversation_id, scorecard)
        with self.engine.begin() as connection:
            if calibration_session_id is not None:
                self._check_calibration(connection, user, calibration_session_id,
                                        conversation_id)
            else:
                self._refuse_second_draft(connection, user, conversation_id)
            review_id = connection.execute(insert(ReviewRow).values(
                conversation_id=conversation_id, reviewer_id=user.id,
                scorecard=form["scorecard"],
                kind="calibration" if calibration_session_id is not None else "review",
                status="draft", auto_score=form["auto_score"],
                calibration_session_id=calibration_session_id,
                created_at=now())).inserted_primary_key[0]
            connection.execute(insert(ReviewVerdictRow), [
                {"review_id": review_id, "criterion_id": c["criterion_id"],
                 "result": c["auto_result"] or "na", "auto_result": c["auto_result"],
                 "comment": None} for c in form["criteria"]])
            kind = "calibration" if calibration_session_id is not None else "review"
            self._apply(connection, int(review_id), {**form, "kind": kind}, verdicts, submit)
        return self.get(user, int(review_id))

    def create_resolution(self, connection: Connection, lead: User, review_id: int,
                          verdicts: Sequence[VerdictIn]) -> tuple[int, float | None]:
        """A lead's corrected copy of a submitted review (an accepted dispute), submitted
        at once; returns its id and score. Runs in the caller's transaction."""
        old = connection.execute(select(ReviewRow).where(ReviewRow.id == review_id)).one()
        form = self.form(old.conversation_id, old.scorecard)
        kept = {r.criterion_id: r for r in connection.execute(
            select(ReviewVerdictRow).where(ReviewVerdictRow.review_id == review_id))}
        new_id = int(connection.execute(insert(ReviewRow).values(
            conversation_id=old.conversation_id, reviewer_id=lead.id, scorecard=old.scorecard,
            kind="resolution", status="draft", auto_score=old.auto_score,
            created_at=now())).inserted_primary_key[0])
        connection.execute(insert(ReviewVerdictRow), [
            {"review_id": new_id, "criterion_id": c["criterion_id"],
             "result": kept[c["criterion_id"]].result if c["criterion_id"] in kept
             else c["auto_result"] or "na",
             "auto_result": kept[c["criterion_id"]].auto_result if c["criterion_id"] in kept
             else c["auto_result"],
             "comment": kept[c["criterion_id"]].comment if c["criterion_id"] in kept else None}
            for c in form["criteria"]])
        score = self._apply(connection, new_id, {**form, "kind": "resolution"}, verdicts,
                            submit=True)
        return new_id, score

    def update(self, user: User, review_id: int, verdicts: Sequence[VerdictIn],
               submit: bool = False) -> dict[str, Any]:
        """Change a draft (its author only); `submit` makes it final."""
        with self.engine.begin() as connection:
            row = self._own_draft(connection, user, review_id)
            form = {**self.form(row.conversation_id, row.scorecard), "kind": row.kind}
            self._apply(connection, review_id, form, verdicts, submit)
        return self.get(user, review_id)

    def submit(self, user: User, review_id: int) -> dict[str, Any]:
        return self.update(user, review_id, (), submit=True)

    def delete_draft(self, user: User, review_id: int) -> None:
        with self.engine.begin() as connection:
            self._own_draft(connection, user, review_id)
            connection.execute(delete(ReviewRow).where(ReviewRow.id == review_id))

    def _apply(self, connection: Connection, review_id: int, form: dict[str, Any],
               verdicts: Sequence[VerdictIn], submit: bool) -> float | None:
        """Write the given verdicts, re-score the review, and submit it if asked."""
        known = {c["criterion_id"]: c for c in form["criteria"]}
        seen: set[str] = set()
        for index, verdict in enumerate(verdicts):
            where = f"verdicts[{index}]"
            if verdict.criterion_id not in known:
                raise InputError(f"{verdict.criterion_id!r} is not a criterion of "
                                 f"scorecard {form['scorecard']!r}",
                                 field=f"{where}.criterion_id")
            if verdict.result not in RESULTS:
                raise InputError(f"must be one of {', '.join(RESULTS)}", field=f"{where}.result")
            if verdict.criterion_id in seen:
                raise InputError(f"{verdict.criterion_id!r} given twice",
                                 field=f"{where}.criterion_id")
            seen.add(verdict.criterion_id)
            connection.execute(update(ReviewVerdictRow).where(
                ReviewVerdictRow.review_id == review_id,
                ReviewVerdictRow.criterion_id == verdict.criterion_id).values(
                result=verdict.result, comment=verdict.comment or None))
        results = dict(connection.execute(
            select(ReviewVerdictRow.criterion_id, ReviewVerdictRow.result)
            .where(ReviewVerdictRow.review_id == review_id)).all())
        graded = [Graded(c, results[c], known[c]["weight"], known[c]["critical"])
                  for c in known if c in results]
        score, passed, _ = summarise(graded, form["pass_score"])
        values: dict[str, Any] = {"score": score, "passed": passed}
        if submit:
            values.update(status="submitted", submitted_at=now())
        connection.execute(update(ReviewRow).where(ReviewRow.id == review_id).values(**values))
        if submit and form["kind"] != "calibration":
            # A submitted review closes the conversation's open assignment.
            connection.execute(update(AssignmentRow).where(
                AssignmentRow.conversation_id == form["conversation_id"],
                AssignmentRow.status == "open").values(status="done", review_id=review_id))
            # ... and becomes the conversation's final score everywhere (lists, reports).
            finals.refresh_tracked(connection, [form["conversation_id"]])
        return score

    def _own_draft(self, connection: Connection, user: User, review_id: int) -> Any:
        row = connection.execute(select(ReviewRow).where(ReviewRow.id == review_id)).first()
        if row is None or (row.reviewer_id != user.id and not self._visible(connection, user,
                                                                             row)):
            raise NotFound(f"no review {review_id}")
        if row.reviewer_id != user.id:
            raise Forbidden("only the reviewer who wrote a draft may change it")
        if row.status != "draft":
            raise Conflict(f"review {review_id} is submitted; dispute it to change it")
        return row

    def _refuse_second_draft(self, connection: Connection, user: User,
                             conversation_id: str) -> None:
        draft = connection.scalar(select(ReviewRow.id).where(
            ReviewRow.conversation_id == conversation_id, ReviewRow.reviewer_id == user.id,
            ReviewRow.status == "draft", ReviewRow.kind == "review"))
        if draft is not None:
            raise Conflict(f"you have a draft review of {conversation_id!r} already "
                           f"(review {draft}); change that one")

    @staticmethod
    def _check_calibration(connection: Connection, user: User, session_id: int,
                           conversation_id: str) -> None:
        status = connection.scalar(select(CalibrationSessionRow.status)
                                   .where(CalibrationSessionRow.id == session_id))
        member = connection.scalar(select(CalibrationReviewerRow.user_id).where(
            CalibrationReviewerRow.session_id == session_id,
            CalibrationReviewerRow.user_id == user.id))
        if status is None or member is None:
            raise NotFound(f"no calibration session {session_id} of yours")
        if status != "open":
            raise Conflict(f"calibration session {session_id} is closed")
        item = connection.scalar(select(CalibrationItemRow.conversation_id).where(
            CalibrationItemRow.session_id == session_id,
            CalibrationItemRow.conversation_id == conversation_id))
        if item is None:
            raise InputError(f"{conversation_id!r} is not in calibration session {session_id}",
                             field="conversation_id")
        done = connection.scalar(select(ReviewRow.id).where(
            ReviewRow.calibration_session_id == session_id, ReviewRow.reviewer_id == user.id,
            ReviewRow.conversation_id == conversation_id))
        if done is not None:
            raise Conflict(f"you graded {conversation_id!r} in this session already "
                           f"(review {done})")

    # --- reading ----------------------------------------------------------------------

    def get(self, user: User, review_id: int) -> dict[str, Any]:
        with self.engine.connect() as connection:
            row = connection.execute(select(ReviewRow).where(ReviewRow.id == review_id)).first()
            if row is None or not self._visible(connection, user, row):
                raise NotFound(f"no review {review_id}")
            return self._document(connection, row)

    def list(self, user: User, conversation_id: str | None = None,
             calibration_session_id: int | None = None, limit: int = 100,
             offset: int = 0) -> dict[str, Any]:
        """Reviews the caller may see, newest first (calibration grades only when asked
        for by session); a constant number of queries (`listing.py`)."""
        with self.engine.connect() as connection:
            return listing.page(connection, user, conversation_id, calibration_session_id,
                                limit, offset)

    def draft_of(self, user: User, conversation_id: str,
                 calibration_session_id: int | None = None) -> dict[str, Any] | None:
        """The caller's draft of this conversation (in this calibration session), if any."""
        session = ReviewRow.calibration_session_id
        with self.engine.connect() as connection:
            row = connection.execute(select(ReviewRow).where(
                ReviewRow.conversation_id == conversation_id, ReviewRow.reviewer_id == user.id,
                ReviewRow.status == "draft",
                session.is_(None) if calibration_session_id is None
                else session == calibration_session_id)).first()
            return None if row is None else self._document(connection, row)

    def final(self, conversation_id: str) -> dict[str, Any] | None:
        """The review whose score is the conversation's final score (`store/finals.py`):
        its latest submitted review of the scorecard it is scored with. A conversation
        never scored automatically has no final score to replace: its latest review."""
        with self.engine.connect() as connection:
            scored = connection.execute(select(EvaluationRow.final_review_id).where(
                EvaluationRow.conversation_id == conversation_id)).first()
            if scored is not None and scored[0] is None:
                return None
            which = (ReviewRow.id == scored[0] if scored is not None
                     else ReviewRow.id.in_(latest_final_reviews()))
            row = connection.execute(select(ReviewRow).where(
                ReviewRow.conversation_id == conversation_id, which)).first()
            return None if row is None else self._summary(connection, row)

    def latest(self, conversation_id: str) -> dict[str, Any] | None:
        """The latest submitted non-calibration review, of whatever scorecard (it is not
        the final one when the conversation was re-scored with another)."""
        with self.engine.connect() as connection:
            row = connection.execute(select(ReviewRow).where(
                ReviewRow.conversation_id == conversation_id,
                ReviewRow.id.in_(latest_final_reviews()))).first()
            return None if row is None else self._summary(connection, row)

    def _visible(self, connection: Connection, user: User, row: Any) -> bool:
        if row.kind == "calibration":
            return self._calibration_visible(connection, user, row)
        if user.role == "agent":
            owner = connection.scalar(select(ConversationRow.agent_id)
                                      .where(ConversationRow.id == row.conversation_id))
            return row.status == "submitted" and owner is not None and owner == user.agent_id
        return row.status == "submitted" or row.reviewer_id == user.id or user.role in LEADS

    @staticmethod
    def _calibration_visible(connection: Connection, user: User, row: Any) -> bool:
        """Blind: a grader sees others' grades of a conversation only after submitting
        their own (or when the session is closed); agents never see calibration."""
        if row.reviewer_id == user.id:
            return True
        if user.role == "agent" or row.status != "submitted":
            return False
        status = connection.scalar(select(CalibrationSessionRow.status).where(
            CalibrationSessionRow.id == row.calibration_session_id))
        member = connection.scalar(select(CalibrationReviewerRow.user_id).where(
            CalibrationReviewerRow.session_id == row.calibration_session_id,
            CalibrationReviewerRow.user_id == user.id))
        if member is None:
            return user.role in LEADS or status == "closed"
        if status == "closed":
            return True
        mine = connection.scalar(select(func.count()).select_from(ReviewRow).where(and_(
            ReviewRow.calibration_session_id == row.calibration_session_id,
            ReviewRow.conversation_id == row.conversation_id,
            ReviewRow.reviewer_id == user.id, ReviewRow.status == "submitted")))
        return bool(mine)

    @staticmethod
    def _summary(connection: Connection, row: Any) -> dict[str, Any]:
        return listing.summaries(connection, [row])[0]

    def _document(self, connection: Connection, row: Any) -> dict[str, Any]:
        form = self.form(row.conversation_id, row.scorecard)
        by_id = {c["criterion_id"]: c for c in form["criteria"]}
        verdicts = []
        for v in connection.execute(select(ReviewVerdictRow).where(
                ReviewVerdictRow.review_id == row.id)):
            criterion = by_id.get(v.criterion_id, {})
            verdicts.append({
                "criterion_id": v.criterion_id, "title": criterion.get("title"),
                "weight": criterion.get("weight"), "critical": criterion.get("critical"),
                "result": v.result, "auto_result": v.auto_result,
                "override": v.result != v.auto_result, "comment": v.comment,
                "evidence": criterion.get("evidence", [])})
        order = list(by_id)
        verdicts.sort(key=lambda v: order.index(v["criterion_id"])
                      if v["criterion_id"] in by_id else len(order))
        return {**self._summary(connection, row), "pass_score": form["pass_score"],
                "verdicts": verdicts}

