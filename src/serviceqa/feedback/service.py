"""The feedback service: what the API, the pages and the CLI do with surveys, responses
and follow-up tasks, in one place over the store.

A response, however it arrives (the public page, the API, an import), goes the same way:
answers checked, the comment analysed, the row stored (once per link), then the follow-up
rules of the response and of its conversation, then the notifications of new tasks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from ..errors import Conflict, InputError, NotFound
from ..model import Conversation, Evaluation
from ..store import Filters, Store
from . import metrics, reports
from .comments import analyse_comment
from .followups import (Owner, Rules, bundled_rules, conversation_reasons, due_from,
                        response_reasons, task_values, warm_up_promises)
from .importer import MAX_RECORDS, Format, Record, read
from .links import VALID_FOR, LinkError, SurveyLink, SurveyLinks
from .notify import notify
from .repository import FeedbackRepository, now
from .surveys import Answers, SurveyDefinition, page_language, parse_answers
from .tasks_store import TaskQuery, TaskStore

MAX_LINKS = 1000
SURVEY_PATH = "/s/"


@dataclass
class Opened:
    """A survey link that may still be answered, with what its page needs."""

    link: SurveyLink
    survey: SurveyDefinition
    language: str
    answered: bool


@dataclass
class Submitted:
    response_id: int
    tasks: list[dict[str, Any]] = field(default_factory=list)


def _unhappy(answers: Answers) -> bool:
    """A low rating: what the comment next to it says is a complaint."""
    return ((answers.csat is not None and answers.csat < metrics.CSAT_SATISFIED)
            or (answers.nps is not None and answers.nps <= metrics.NPS_DETRACTOR)
            or (answers.satisfaction is not None
                and answers.satisfaction < metrics.SATISFACTION_ALARM))


class Feedback:
    def __init__(self, store: Store, rules: Rules | None = None) -> None:
        self.store = store
        self.repo = FeedbackRepository(store.engine)
        self.tasks = TaskStore(store.engine)
        self.rules = rules or bundled_rules()
        self._links: SurveyLinks | None = None

    @property
    def links(self) -> SurveyLinks:
        if self._links is None:
            self._links = SurveyLinks(self.repo.link_secret())
        return self._links

    def warm_up(self) -> None:
        """Load what the follow-up rules read in every language now (for servers)."""
        warm_up_promises()

    # --- links ------------------------------------------------------------------------

    def make_links(self, survey: str, conversation_ids: list[str], language: str | None = None,
                   valid_days: float | None = None, base_url: str = "") -> list[dict[str, Any]]:
        """One signed link per conversation, in the conversation's language unless
        `language` is given; each is recorded as sent (the response rate counts them)."""
        self.repo.survey(survey)  # NotFound for an unknown survey
        if not conversation_ids or len(conversation_ids) > MAX_LINKS:
            raise InputError(f"1 to {MAX_LINKS} conversation ids", field="conversation_ids")
        known = self.repo.conversation_languages(conversation_ids)
        missing = [c for c in conversation_ids if c not in known]
        if missing:
            raise NotFound(f"no conversation {missing[0]!r}")
        valid_for = timedelta(days=valid_days) if valid_days else VALID_FOR
        stamp = now()
        made, rows = [], []
        for conversation_id in dict.fromkeys(conversation_ids):
            token = self.links.make(survey, conversation_id, stamp, valid_for)
            claims = self.links.check(token, stamp)
            lang = page_language(language, known[conversation_id])
            rows.append({"nonce": claims.nonce, "survey": survey,
                         "conversation_id": conversation_id, "language": lang,
                         "created_at": stamp, "expires_at": claims.expires_at})
            made.append({"conversation_id": conversation_id, "language": lang,
                         "token": token, "url": f"{base_url}{SURVEY_PATH}{token}",
                         "expires_at": claims.expires_at})
        self.repo.add_links(rows)
        return made

    def open(self, token: str, language: str | None = None) -> Opened:
        """The link's survey and page language; LinkError when forged, altered or expired,
        or when the link was never sent from here."""
        claims = self.links.check(token)
        found = self.repo.link(claims.nonce)
        if found is None:
            raise LinkError("this survey link is not valid")
        link_language, answered = found
        survey = self.repo.survey(claims.survey)
        return Opened(claims, survey, page_language(language, link_language), answered)

    def submit(self, token: str, data: Any, opened: Opened | None = None) -> Submitted:
        """Answer a link: once. A second answer, even at the same moment, is a Conflict.
        `opened`: the page opened this token already."""
        opened = opened or self.open(token)
        if opened.answered:
            raise Conflict("this survey has already been answered")
        answers = parse_answers(data, opened.survey)
        return self._store(opened.survey.name, opened.link.conversation_id, "link", answers,
                           opened.language, nonce=opened.link.nonce)

    # --- responses from the API and imports -------------------------------------------

    def add_response(self, survey: str, conversation_id: str, data: dict[str, Any],
                     language: str | None = None, external_id: str | None = None,
                     submitted_at: datetime | None = None, source: str = "api") -> Submitted:
        definition = self.repo.survey(survey)
        answers = parse_answers(data, definition)
        result = self._store(survey, conversation_id, source, answers, language,
                             external_id=external_id, submitted_at=submitted_at)
        return result

    def import_responses(self, text: str, fmt: Format, survey: str) -> dict[str, Any]:
        """Store each good record; bad ones come back with line and field, the rest go in.
        A record whose external_id was imported before is counted as a duplicate."""
        definition = self.repo.survey(survey)
        records = read(text, fmt)
        if len(records) > MAX_RECORDS:
            raise InputError(f"{len(records)} records; at most {MAX_RECORDS}", field="body")
        stored, duplicates, errors = 0, 0, []
        for record in records:
            if not isinstance(record, Record):
                errors.append(record.to_dict())
                continue
            data = record.data
            answers = {k: data[k] for k in ("csat", "nps", "satisfaction", "comment") if k in data}
            try:
                self.add_response(definition.name, data["conversation_id"], answers,
                                  data.get("language"), data.get("external_id"),
                                  data.get("submitted_at"), source="import")
                stored += 1
            except Conflict:
                duplicates += 1
            except (InputError, NotFound) as exc:
                field_name = getattr(exc, "field", None) or (
                    "conversation_id" if isinstance(exc, NotFound) else None)
                errors.append({"line": record.line, "field": field_name,
                               "message": getattr(exc, "message", str(exc))})
        return {"read": len(records), "stored": stored, "duplicates": duplicates,
                "rejected": len(errors), "errors": errors}

    def _store(self, survey: str, conversation_id: str, source: str, answers: Answers,
               language: str | None, nonce: str | None = None, external_id: str | None = None,
               submitted_at: datetime | None = None) -> Submitted:
        analysis = analyse_comment(answers.comment, language, unhappy=_unhappy(answers))
        response_id = self.repo.add_response(
            survey=survey, conversation_id=conversation_id, source=source, answers=answers,
            analysis=analysis, language=language or analysis.get("language"), nonce=nonce,
            external_id=external_id, submitted_at=submitted_at)
        if response_id is None:
            raise Conflict("this survey has already been answered" if nonce else
                           f"response {external_id!r} was imported already")
        made = self._response_tasks(response_id, conversation_id, answers)
        return Submitted(response_id, made)

    # --- follow-ups -------------------------------------------------------------------

    def _response_tasks(self, response_id: int, conversation_id: str,
                        answers: Answers) -> list[dict[str, Any]]:
        """The response rules. The conversation rules ran when the conversation was stored
        (the API's ingest, or the sweep's scan), so a response does not repeat them."""
        made: list[dict[str, Any]] = []
        owner: Owner | None = None
        for rule in self.rules.rules:
            if rule.source != "response":
                continue
            reasons = response_reasons(rule.when, answers.csat, answers.nps, answers.satisfaction)
            if reasons:
                owner = owner or self.repo.owner(conversation_id)
                made += self._task(rule, f"response:{response_id}", owner, reasons,
                                   due_from(None, rule, now()), _UsersOfAgents(self.store))
        return made

    def conversation_tasks(self, pairs: list[tuple[Conversation, Evaluation | None]]
                           ) -> list[dict[str, Any]]:
        """The conversation rules over stored conversations (after ingest, in the sweep);
        a conversation seen again makes no second task."""
        made: list[dict[str, Any]] = []
        stamp, users = now(), _UsersOfAgents(self.store)
        for conversation, evaluation in pairs:
            for rule in self.rules.rules:
                if rule.source != "conversation":
                    continue
                reasons = conversation_reasons(rule.when, conversation, evaluation)
                if reasons:
                    made += self._task(rule, conversation.id, Owner.of(conversation), reasons,
                                       due_from(conversation.started_at, rule, stamp), users)
        return made

    def _task(self, rule: Any, source_id: str, owner: Owner, reasons: list[str],
              due_at: datetime, users: _UsersOfAgents) -> list[dict[str, Any]]:
        assignee = users.of(owner.agent_id) if rule.assign_to == "agent" else None
        _, task = self.tasks.create(task_values(rule, source_id, owner, reasons, due_at,
                                                assignee))
        if task is None:
            return []
        notify(self.tasks, "task_created", task)
        return [task]

    def _pair(self, conversation_id: str) -> tuple[Conversation, Evaluation | None]:
        conversation = self.store.get_conversation(conversation_id)
        try:
            return conversation, self.store.get_evaluation(conversation_id)
        except NotFound:
            return conversation, None

    def sweep(self, scan_since: datetime | None = None) -> dict[str, Any]:
        """What a cron job or the server runs: conversation rules over conversations
        stored since `scan_since`; `due soon` and `overdue` notifications; an `sla_breach`
        alert for each task past its due date (once a task)."""
        stamp = now()
        created: list[dict[str, Any]] = []
        if scan_since is not None:
            for conversation_id in self.repo.conversation_ids_since(scan_since):
                created += self.conversation_tasks([self._pair(conversation_id)])
        soon = self.tasks.due_between(stamp, stamp + timedelta(hours=self.rules.due_soon_hours))
        sent = [r for task in soon for r in notify(self.tasks, "task_due_soon", task)]
        breaches = self.tasks.raise_breaches()
        _, late = self.tasks.list(TaskQuery(status="active", overdue=True), limit=10_000)
        sent += [r for task in late for r in notify(self.tasks, "task_overdue", task)]
        return {"tasks_created": len(created), "due_soon": len(soon),
                "sla_breaches": len(breaches), "notifications": sent}

    # --- results ----------------------------------------------------------------------

    def results(self, by: str, filters: Filters = Filters(),
                survey: str | None = None) -> dict[str, Any]:
        facts = self.repo.facts(filters, survey)
        links = self.repo.link_facts(filters, survey)
        return {"by": by, "survey": survey,
                "total": reports.grouped(facts, links, "all")[0] if facts or links
                else reports.figures([], 0, 0) | {"key": None},
                "groups": reports.grouped(facts, links, by),
                "qa_vs_csat": reports.qa_against_csat(facts)}

    def themes(self, by: str, filters: Filters = Filters(),
               survey: str | None = None) -> list[dict[str, Any]]:
        return reports.themes_by_period(self.repo.facts(filters, survey), by)


class _UsersOfAgents:
    """The user linked to each agent id, read once per batch of tasks (not once a task)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._names: dict[str, str] | None = None

    def of(self, agent_id: str | None) -> str | None:
        if agent_id is None:
            return None
        if self._names is None:
            self._names = {}
            for user in self.store.accounts.users():
                if user.agent_id is not None:
                    self._names.setdefault(user.agent_id, user.name)
        return self._names.get(agent_id)
