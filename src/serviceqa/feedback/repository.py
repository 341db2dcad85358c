"""Feedback in the store: survey definitions, links, responses; tasks in tasks_store.py.

The one-response-per-link rule is the database's: the response row carries the link's
nonce under a unique constraint and is inserted with ON CONFLICT DO NOTHING, so of two
concurrent submissions exactly one is stored, on SQLite and on PostgreSQL alike.
"""

from __future__ import annotations

import secrets
import threading
import time
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import Engine, and_, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..errors import Conflict, NotFound
from ..store.filters import Filters
from ..store.schema import ConversationRow, EvaluationRow
from ..store.schema_feedback import (FeedbackKeyRow, SurveyLinkRow, SurveyResponseRow,
                                     SurveyRow)
from .followups import Owner
from .surveys import DEFAULT_SURVEY, Answers, SurveyDefinition, default_survey

LINK_KEY = "survey_links"
C, E, R = ConversationRow, EvaluationRow, SurveyResponseRow


def now() -> datetime:
    return datetime.now(timezone.utc)


_SQLITE_WRITERS: dict[str, threading.Lock] = {}


def writing(engine: Engine) -> AbstractContextManager[Any]:
    """SQLite takes one writer at a time, and a writer that finds the file locked sleeps
    and retries (up to 100 ms a try): under load the threads of one server queued that
    way. So this process's writers to one SQLite file take turns here instead; the unique
    keys still decide what is a duplicate. PostgreSQL needs no turns."""
    if engine.dialect.name != "sqlite":
        return nullcontext()
    return _SQLITE_WRITERS.setdefault(str(engine.url), threading.Lock())


def insert_ignoring_conflicts(engine: Engine, model: Any) -> Any:
    """INSERT ... ON CONFLICT DO NOTHING for this backend (both know it)."""
    dialect = postgresql if engine.dialect.name == "postgresql" else sqlite
    return dialect.insert(model).on_conflict_do_nothing()


@dataclass(frozen=True)
class ResponseFact:
    """A response with what it is grouped by: the conversation's agent, team, channel,
    language, and its final QA score (a reviewer's once reviewed)."""

    id: int
    survey: str
    conversation_id: str
    source: str
    csat: int | None
    nps: int | None
    satisfaction: int | None
    comment: str | None
    analysis: dict[str, Any]
    submitted_at: datetime
    language: str | None
    agent_id: str | None
    agent_name: str | None
    team: str | None
    channel: str | None
    score: float | None

    def to_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


SURVEY_TTL_S = 10.0   # a survey changed by another process is seen within this


class FeedbackRepository:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._surveys: dict[str, tuple[float, SurveyDefinition]] = {}
        # Built once: composing an INSERT per response cost more than running it.
        self._insert_response = insert_ignoring_conflicts(engine, R).returning(R.id)

    # --- the survey link key ----------------------------------------------------------

    def link_secret(self) -> bytes:
        """The server's survey link key, made once and shared by every process."""
        with Session(self.engine) as session:
            row = session.get(FeedbackKeyRow, LINK_KEY)
            if row is not None:
                return row.secret.encode()
        with writing(self.engine), self.engine.begin() as connection:
            connection.execute(insert_ignoring_conflicts(self.engine, FeedbackKeyRow).values(
                name=LINK_KEY, secret=secrets.token_urlsafe(48), created_at=now()))
        return self.link_secret()

    # --- definitions ------------------------------------------------------------------

    def survey(self, name: str) -> SurveyDefinition:
        """A stored survey; `default` (every question) exists until one is saved over it.
        Every survey page reads one, so it is kept a few seconds (saved here: at once)."""
        cached = self._surveys.get(name)
        if cached is not None and time.monotonic() - cached[0] < SURVEY_TTL_S:
            return cached[1]
        found = self._read_survey(name)
        self._surveys[name] = (time.monotonic(), found)
        return found

    def _read_survey(self, name: str) -> SurveyDefinition:
        with Session(self.engine) as session:
            row = session.get(SurveyRow, name)
            if row is not None:
                return SurveyDefinition(name=row.name, questions=row.questions, texts=row.texts)
        if name == DEFAULT_SURVEY:
            return default_survey()
        raise NotFound(f"no survey {name!r}")

    def surveys(self) -> list[SurveyDefinition]:
        with Session(self.engine) as session:
            rows = session.scalars(select(SurveyRow).order_by(SurveyRow.name)).all()
            stored = [SurveyDefinition(name=r.name, questions=r.questions, texts=r.texts)
                      for r in rows]
        if DEFAULT_SURVEY not in {s.name for s in stored}:
            stored.insert(0, default_survey())
        return stored

    def save_survey(self, definition: SurveyDefinition, by: str | None, create: bool) -> None:
        with writing(self.engine), Session(self.engine) as session, session.begin():
            row = session.get(SurveyRow, definition.name)
            if row is not None and create:
                raise Conflict(f"survey {definition.name!r} exists; PUT to change it")
            if row is None:
                if not create and definition.name != DEFAULT_SURVEY:
                    raise NotFound(f"no survey {definition.name!r}")
                row = SurveyRow(name=definition.name, created_at=now())
                session.add(row)
            row.questions, row.texts = definition.questions, definition.texts
            row.updated_at, row.updated_by = now(), by
        self._surveys.pop(definition.name, None)

    # --- links ------------------------------------------------------------------------

    def conversation_languages(self, ids: list[str]) -> dict[str, str | None]:
        """Language of each stored conversation among `ids`; missing ones are left out."""
        with Session(self.engine) as session:
            rows = session.execute(select(C.id, C.language).where(C.id.in_(ids))).all()
        return {r[0]: r[1] for r in rows}

    def owner(self, conversation_id: str) -> Owner:
        with self.engine.connect() as connection:
            row = connection.execute(select(C.agent_id, C.team)
                                     .where(C.id == conversation_id)).first()
        if row is None:
            raise NotFound(f"no conversation {conversation_id!r}")
        return Owner(conversation_id, row[0], row[1])

    def conversation_ids_since(self, since: datetime) -> list[str]:
        """Conversations stored or updated since `since` (the sweep's scan)."""
        with Session(self.engine) as session:
            return list(session.scalars(select(C.id).where(C.updated_at >= since)
                                        .order_by(C.id)))

    def add_links(self, rows: list[dict[str, Any]]) -> None:
        with writing(self.engine), self.engine.begin() as connection:
            connection.execute(SurveyLinkRow.__table__.insert(), rows)

    def link(self, nonce: str) -> tuple[str | None, bool] | None:
        """(the link's language, whether it was answered); None for a link never sent."""
        L = SurveyLinkRow
        query = (select(L.language, R.id.is_not(None)).outerjoin(R, R.nonce == L.nonce)
                 .where(L.nonce == nonce))
        with self.engine.connect() as connection:
            row = connection.execute(query).first()
        return None if row is None else (row[0], bool(row[1]))

    # --- responses --------------------------------------------------------------------

    def add_response(self, *, survey: str, conversation_id: str, source: str,
                     answers: Answers, analysis: dict[str, Any], language: str | None,
                     nonce: str | None = None, external_id: str | None = None,
                     submitted_at: datetime | None = None) -> int | None:
        """The new response's id; None when its link (or external id) was answered already."""
        values = dict(survey=survey, conversation_id=conversation_id, source=source,
                      nonce=nonce, external_id=external_id, language=language,
                      csat=answers.csat, nps=answers.nps, satisfaction=answers.satisfaction,
                      comment=answers.comment, analysis=analysis,
                      submitted_at=submitted_at or now())
        try:
            with writing(self.engine), self.engine.begin() as connection:
                return connection.execute(self._insert_response, values).scalar()
        except IntegrityError as exc:  # the conversation is gone (foreign key)
            raise NotFound(f"no conversation {conversation_id!r}") from exc

    def facts(self, filters: Filters = Filters(), survey: str | None = None,
              limit: int | None = None, offset: int = 0) -> list[ResponseFact]:
        """Responses with their conversation's groups, newest first. `since` and `until`
        of the filters are the response's time here, the others the conversation's."""
        query = (select(R.id, R.survey, R.conversation_id, R.source, R.csat, R.nps,
                        R.satisfaction, R.comment, R.analysis, R.submitted_at,
                        func.coalesce(R.language, C.language), C.agent_id, C.agent_name,
                        C.team, C.channel, E.final_score)
                 .join(C, C.id == R.conversation_id)
                 .outerjoin(E, E.conversation_id == R.conversation_id))
        query = self._where(query, filters, survey).order_by(R.submitted_at.desc(), R.id.desc())
        if limit is not None:
            query = query.limit(limit).offset(offset)
        with Session(self.engine) as session:
            return [ResponseFact(*row) for row in session.execute(query)]

    def count_responses(self, filters: Filters = Filters(), survey: str | None = None) -> int:
        query = (select(func.count(R.id)).join(C, C.id == R.conversation_id)
                 .outerjoin(E, E.conversation_id == R.conversation_id))
        with Session(self.engine) as session:
            return int(session.scalar(self._where(query, filters, survey)) or 0)

    def link_facts(self, filters: Filters = Filters(), survey: str | None = None
                   ) -> list[tuple[str | None, str | None, str | None, str | None, datetime, bool]]:
        """Each link sent: (agent_id, team, channel, language, sent at, answered). `since`
        and `until` are the time it was sent; the other filters the conversation's."""
        L = SurveyLinkRow
        query = (select(C.agent_id, C.team, C.channel, func.coalesce(L.language, C.language),
                        L.created_at, R.id.is_not(None))
                 .join(C, C.id == L.conversation_id)
                 .outerjoin(E, E.conversation_id == L.conversation_id)
                 .outerjoin(R, R.nonce == L.nonce))
        query = _conversation_filters(query, filters)
        conditions = [L.survey == survey] if survey else []
        if filters.since is not None:
            conditions.append(L.created_at >= filters.since)
        if filters.until is not None:
            conditions.append(L.created_at < filters.until)
        if conditions:
            query = query.where(and_(*conditions))
        with Session(self.engine) as session:
            return [(r[0], r[1], r[2], r[3], r[4], bool(r[5])) for r in session.execute(query)]

    @staticmethod
    def _where(query: Any, filters: Filters, survey: str | None) -> Any:
        query = _conversation_filters(query, filters)
        conditions = [R.survey == survey] if survey else []
        if filters.since is not None:
            conditions.append(R.submitted_at >= filters.since)
        if filters.until is not None:
            conditions.append(R.submitted_at < filters.until)
        return query.where(and_(*conditions)) if conditions else query


def _conversation_filters(query: Any, filters: Filters) -> Any:
    return replace(filters, since=None, until=None).apply(query)
