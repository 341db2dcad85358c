"""Calibration sessions: a lead picks conversations and reviewers; each reviewer grades
them blind (see `Reviews._calibration_visible`); the report measures how far people agree
with each other and with the automatic scoring (agreement.py), per criterion and overall,
and lists the conversations people disagree on most.

Calibration grades are reviews of kind 'calibration': they never become a conversation's
score.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Sequence
from itertools import combinations
from typing import Any

from sqlalchemy import Connection, func, insert, select, update

from serviceqa.errors import Conflict, InputError, NotFound
from serviceqa.review.agreement import OVERALL, by_criterion, pairwise_kappa
from serviceqa.review.reviews import LEADS, Reviews, now
from serviceqa.store.accounts import User
from serviceqa.store.schema import ConversationRow, UserRow
from serviceqa.store.schema_review import (CalibrationItemRow, CalibrationReviewerRow,
                                           CalibrationSessionRow, ReviewRow, ReviewVerdictRow)

AUTO = "auto"  # the automatic scoring as one more rater in the report
MAX_ITEMS = 200
MOST_DISPUTED = 10

Rows = list[tuple[str, str, str, str]]  # (conversation, criterion, rater, result)


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


class Calibration:
    def __init__(self, reviews: Reviews) -> None:
        self.reviews = reviews
        self.engine = reviews.engine

    def create(self, lead: User, title: str, conversation_ids: Sequence[str],
               reviewers: Sequence[str], scorecard: str | None = None) -> dict[str, Any]:
        title = (title or "").strip()
        if not title:
            raise InputError("must not be empty", field="title")
        ids = list(dict.fromkeys(conversation_ids))
        if not ids or len(ids) > MAX_ITEMS:
            raise InputError(f"give 1 to {MAX_ITEMS} conversations", field="conversation_ids")
        names = list(dict.fromkeys(reviewers))
        if len(names) < 2:
            raise InputError("calibration needs at least two reviewers", field="reviewers")
        if scorecard is not None:
            self.reviews.ws.scorecard(scorecard)  # NotFound / ScorecardError early
        with self.engine.begin() as connection:
            known = set(connection.scalars(select(ConversationRow.id)
                                           .where(ConversationRow.id.in_(ids))))
            for index, cid in enumerate(ids):
                if cid not in known:
                    raise InputError(f"no conversation {cid!r}",
                                     field=f"conversation_ids[{index}]")
            users = dict(connection.execute(select(UserRow.name, UserRow.id).where(
                UserRow.name.in_(names), UserRow.role != "agent")).all())
            for index, name in enumerate(names):
                if name not in users:
                    raise InputError(f"no reviewer, lead or admin named {name!r}",
                                     field=f"reviewers[{index}]")
            session_id = int(connection.execute(insert(CalibrationSessionRow).values(
                title=title, scorecard=scorecard, status="open", created_by=lead.id,
                created_at=now())).inserted_primary_key[0])
            connection.execute(insert(CalibrationItemRow), [
                {"session_id": session_id, "conversation_id": cid} for cid in ids])
            connection.execute(insert(CalibrationReviewerRow), [
                {"session_id": session_id, "user_id": users[name]} for name in names])
        return self.get(lead, session_id)

    def close(self, lead: User, session_id: int) -> dict[str, Any]:
        with self.engine.begin() as connection:
            self._row(connection, lead, session_id)
            connection.execute(update(CalibrationSessionRow).where(
                CalibrationSessionRow.id == session_id).values(status="closed",
                                                               closed_at=now()))
        return self.get(lead, session_id)

    def list(self, user: User) -> list[dict[str, Any]]:
        query = select(CalibrationSessionRow).order_by(CalibrationSessionRow.id.desc())
        if user.role not in LEADS:
            query = query.join(CalibrationReviewerRow, CalibrationReviewerRow.session_id
                               == CalibrationSessionRow.id).where(
                CalibrationReviewerRow.user_id == user.id)
        with self.engine.connect() as connection:
            return [self._summary(connection, r) for r in connection.execute(query)]

    def get(self, user: User, session_id: int) -> dict[str, Any]:
        """The session, its conversations and, for the caller, which they graded."""
        with self.engine.connect() as connection:
            row = self._row(connection, user, session_id)
            mine = dict(connection.execute(select(ReviewRow.conversation_id, ReviewRow.id)
                                           .where(ReviewRow.calibration_session_id
                                                  == session_id,
                                                  ReviewRow.reviewer_id == user.id)).all())
            status = dict(connection.execute(select(ReviewRow.id, ReviewRow.status).where(
                ReviewRow.id.in_(list(mine.values())))).all())
            items = [{"conversation_id": cid, "my_review_id": mine.get(cid),
                      "my_status": status.get(mine[cid]) if cid in mine else None}
                     for cid in self._items(connection, session_id)]
            return {**self._summary(connection, row), "items": items}

    def report(self, user: User, session_id: int) -> dict[str, Any]:
        """Agreement among the reviewers (submitted grades only), and with `auto` added."""
        with self.engine.connect() as connection:
            row = self._row(connection, user, session_id)
            items = self._items(connection, session_id)
            self._refuse_peeking(connection, user, row, len(items))
            human = self._grades(connection, session_id)
        auto = self._auto_rows(items, {(c, k) for c, k, _, _ in human})
        people = by_criterion(human)
        with_auto = by_criterion(human + auto)
        criteria = [{"criterion_id": k, "reviewers": people[k].as_dict(),
                     "with_auto": with_auto[k].as_dict()}
                    for k in people if k != OVERALL]
        return {"session": self._summary_dict(row),
                "raters": sorted({r for _, _, r, _ in human}),
                "overall": {"reviewers": people[OVERALL].as_dict(),
                            "with_auto": with_auto[OVERALL].as_dict()},
                "criteria": criteria,
                "pairs": _pairs(human + auto),
                "auto_vs_reviewers": _auto_agreement(human, auto),
                "disagreements": _most_disputed(human)}

    # --- helpers ----------------------------------------------------------------------

    def _row(self, connection: Connection, user: User, session_id: int) -> Any:
        row = connection.execute(select(CalibrationSessionRow).where(
            CalibrationSessionRow.id == session_id)).first()
        member = connection.scalar(select(CalibrationReviewerRow.user_id).where(
            CalibrationReviewerRow.session_id == session_id,
            CalibrationReviewerRow.user_id == user.id))
        if row is None or (user.role not in LEADS and member is None):
            raise NotFound(f"no calibration session {session_id}")
        return row

    @staticmethod
    def _refuse_peeking(connection: Connection, user: User, row: Any, items: int) -> None:
        """A lead who grades in an open session sees the report only after grading every
        conversation in it: the report shows everyone's grades."""
        member = connection.scalar(select(CalibrationReviewerRow.user_id).where(
            CalibrationReviewerRow.session_id == row.id,
            CalibrationReviewerRow.user_id == user.id))
        if row.status != "open" or member is None:
            return
        done = connection.scalar(select(func.count()).select_from(ReviewRow).where(
            ReviewRow.calibration_session_id == row.id, ReviewRow.reviewer_id == user.id,
            ReviewRow.status == "submitted"))
        if (done or 0) < items:
            raise Conflict(f"you grade in calibration session {row.id}: submit your grades of "
                           "all its conversations (or close it) to see the report")

    @staticmethod
    def _items(connection: Connection, session_id: int) -> list[str]:
        return list(connection.scalars(select(CalibrationItemRow.conversation_id).where(
            CalibrationItemRow.session_id == session_id)
            .order_by(CalibrationItemRow.conversation_id)))

    @staticmethod
    def _grades(connection: Connection, session_id: int) -> Rows:
        query = (select(ReviewRow.conversation_id, ReviewVerdictRow.criterion_id,
                        UserRow.name, ReviewVerdictRow.result)
                 .join(ReviewVerdictRow, ReviewVerdictRow.review_id == ReviewRow.id)
                 .join(UserRow, UserRow.id == ReviewRow.reviewer_id)
                 .where(ReviewRow.calibration_session_id == session_id,
                        ReviewRow.status == "submitted")
                 .order_by(ReviewRow.conversation_id, ReviewVerdictRow.criterion_id))
        return [(c, k, r, v) for c, k, r, v in connection.execute(query)]

    def _auto_rows(self, items: list[str], graded: set[tuple[str, str]]) -> Rows:
        rows = []
        for cid in items:
            try:
                evaluation = self.reviews.ws.store.get_evaluation(cid)
            except NotFound:
                continue
            rows += [(cid, c.id, AUTO, c.result) for c in evaluation.criteria
                     if (cid, c.id) in graded]
        return rows

    def _summary(self, connection: Connection, row: Any) -> dict[str, Any]:
        reviewers = list(connection.scalars(select(UserRow.name).join(
            CalibrationReviewerRow, CalibrationReviewerRow.user_id == UserRow.id).where(
            CalibrationReviewerRow.session_id == row.id).order_by(UserRow.name)))
        items = connection.scalar(select(func.count()).select_from(CalibrationItemRow)
                                  .where(CalibrationItemRow.session_id == row.id))
        submitted = connection.scalar(select(func.count()).select_from(ReviewRow).where(
            ReviewRow.calibration_session_id == row.id, ReviewRow.status == "submitted"))
        return {**self._summary_dict(row), "reviewers": reviewers, "conversations": items,
                "submitted": submitted, "expected": items * len(reviewers)}

    @staticmethod
    def _summary_dict(row: Any) -> dict[str, Any]:
        return {"id": row.id, "title": row.title, "scorecard": row.scorecard,
                "status": row.status, "created_at": row.created_at,
                "closed_at": row.closed_at}


def _units(rows: Rows) -> dict[Hashable, dict[Hashable, str]]:
    units: dict[Hashable, dict[Hashable, str]] = defaultdict(dict)
    for cid, criterion, rater, result in rows:
        units[(cid, criterion)][rater] = result
    return units


def _pairs(rows: Rows) -> list[dict[str, Any]]:
    """Cohen's kappa for every pair of raters over all (conversation, criterion) units."""
    return [{"raters": [a, b], "kappa": _rounded(kappa)}
            for (a, b), kappa in pairwise_kappa(_units(rows)).items()]


def _auto_agreement(human: Rows, auto: Rows) -> dict[str, float | None]:
    """Each reviewer's percent agreement with the automatic verdicts."""
    machine = {(c, k): v for c, k, _, v in auto}
    agree: dict[str, list[bool]] = defaultdict(list)
    for cid, criterion, rater, result in human:
        if (cid, criterion) in machine:
            agree[rater].append(machine[(cid, criterion)] == result)
    return {rater: _rounded(sum(v) / len(v)) for rater, v in sorted(agree.items())}


def _most_disputed(human: Rows) -> list[dict[str, Any]]:
    """Conversations by their share of disagreeing reviewer pairs, most first, with the
    criteria people split on."""
    per: dict[str, dict[str, dict[str, str]]] = defaultdict(lambda: defaultdict(dict))
    for cid, criterion, rater, result in human:
        per[cid][criterion][rater] = result
    ranked = []
    for cid, criteria in per.items():
        pairs = disagree = 0
        split = []
        for criterion, ratings in sorted(criteria.items()):
            values = list(ratings.values())
            here = [x != y for x, y in combinations(values, 2)]
            pairs, disagree = pairs + len(here), disagree + sum(here)
            if any(here):
                split.append({"criterion_id": criterion, "ratings": dict(sorted(ratings.items()))})
        if pairs:
            ranked.append({"conversation_id": cid, "disagreement": _rounded(disagree / pairs),
                           "criteria": split})
    ranked.sort(key=lambda r: (-r["disagreement"], r["conversation_id"]))
    return [r for r in ranked if r["disagreement"]][:MOST_DISPUTED]
