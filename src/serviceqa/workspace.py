"""The QA workspace service: what the API (and the web pages built on it) do, in one place
over `Store` and the scoring runner, so HTTP handlers stay thin.

Scoring and writing run under one lock: scoring is CPU-bound (threads would not make it
faster) and SQLite takes one writer at a time.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .errors import Conflict, InputError, NotFound, ScorecardError
from .batch.work import ScoringConfig
from .ingest.records import to_conversation
from .model import Conversation, Evaluation, Rejected
from .run import ScorecardChooser, Scored, score_stream
from .score.scorecard import BUNDLED, Scorecard, bundled_names, load_scorecard, parse_scorecard
from .scoring_pool import ScoringPool
from .store import Store

_NAME = re.compile(r"^[a-z][a-z0-9_-]{0,63}$")
MAX_BATCH = 1000


@dataclass
class IngestResult:
    """One entry per record sent, in order; a rejected record names its index and field."""

    items: list[dict[str, Any]] = field(default_factory=list)

    @property
    def stored(self) -> int:
        return sum(1 for i in self.items if i["status"] == "stored")

    def to_dict(self) -> dict[str, Any]:
        return {"stored": self.stored, "rejected": len(self.items) - self.stored,
                "results": self.items}


def _rejection(index: int, item: Rejected) -> dict[str, Any]:
    where = f"[{index}]" + (f".{item.field}" if item.field else "")
    return {"index": index, "id": item.conversation_id, "status": "rejected",
            "error": {"index": index, "field": item.field, "message": item.message,
                      "where": where}}


class Workspace:
    def __init__(self, store: Store, pool: ScoringPool | None = None) -> None:
        self.store = store
        self.pool = pool  # None: score in this process
        self._lock = threading.Lock()
        # Called with the (conversation, evaluation) pairs just stored, under the lock:
        # the follow-up rules write tasks, and writers queue here rather than in SQLite.
        self.after_store: list[Callable[[list[tuple[Conversation, Evaluation]]], object]] = []
        self._model: Any = None

    def learned_model(self) -> Any:
        """The store's newest learned model (None without one): scoring here uses it."""
        from .review.learn_store import NewestModel

        if self._model is None:
            self._model = NewestModel(self.store)
        return self._model.get()

    # --- scorecards -------------------------------------------------------------------

    def scorecard(self, name: str) -> Scorecard:
        """A bundled scorecard, or one stored in the database."""
        if name in bundled_names():
            return load_scorecard(name)
        return parse_scorecard(self.store.get_scorecard(name).yaml, f"scorecards/{name}")

    def scorecard_document(self, name: str) -> dict[str, Any]:
        if name in bundled_names():
            text = (BUNDLED / f"{name}.yaml").read_text(encoding="utf-8")
            return {"name": name, "bundled": True, "read_only": True, "yaml": text,
                    "updated_at": None, "updated_by": None}
        row = self.store.get_scorecard(name)
        return {"name": name, "bundled": False, "read_only": False, "yaml": row.yaml,
                "updated_at": row.updated_at, "updated_by": row.updated_by}

    def scorecards(self) -> list[dict[str, Any]]:
        names = [(n, True) for n in bundled_names()] + \
                [(n, False) for n in self.store.scorecard_names()]
        listed = []
        for name, bundled in names:
            try:
                card = self.scorecard(name)
                summary = {"title": card.title, "criteria": len(card.criteria),
                           "channels": list(card.channels)}
            except ScorecardError as exc:  # stored before a detector was renamed, say
                summary = {"title": None, "criteria": 0, "channels": [], "error": str(exc)}
            listed.append({"name": name, "bundled": bundled, "read_only": bundled, **summary})
        return listed

    def save_scorecard(self, yaml_text: str, by: str | None, name: str | None = None) -> str:
        """Validate and store; `name` given means replace that one (the YAML must agree)."""
        card = parse_scorecard(yaml_text, f"scorecards/{name or 'new'}")
        if not _NAME.match(card.name):
            raise ScorecardError("must be lower case letters, digits, - or _",
                                 path=f"scorecards/{name or 'new'}", key="name")
        if name is not None and card.name != name:
            raise ScorecardError(f"is {card.name!r} but the URL names {name!r}",
                                 path=f"scorecards/{name}", key="name")
        self._refuse_bundled(card.name)
        self.store.save_scorecard(card.name, yaml_text, by, create=name is None)
        return card.name

    def delete_scorecard(self, name: str) -> None:
        self._refuse_bundled(name)
        self.store.delete_scorecard(name)

    @staticmethod
    def _refuse_bundled(name: str) -> None:
        if name in bundled_names():
            raise Conflict(f"the bundled scorecard {name!r} is read-only; "
                           "save a copy under another name")

    # --- conversations ----------------------------------------------------------------

    def ingest(self, records: list[Any], scorecard: str | None = None) -> IngestResult:
        """Validate, score and store each record; bad ones are reported, the rest stored.
        The same id again updates that conversation."""
        if len(records) > MAX_BATCH:
            raise InputError(f"{len(records)} records; at most {MAX_BATCH} a request",
                             field="conversations")
        parsed = [to_conversation(record, None, None) for record in records]
        result = IngestResult()
        scored = self._score(parsed, scorecard)
        with self._lock:  # one writer at a time: SQLite would make the others sleep-poll
            pairs = [(s.conversation, s.evaluation) for s in scored if isinstance(s, Scored)]
            known = self.store.existing_ids([c.id for c, _ in pairs])
            self.store.save_many(pairs)
            self._stored(pairs)
        for index, item in enumerate(scored):
            if isinstance(item, Rejected):
                result.items.append(_rejection(index, item))
                continue
            result.items.append({"index": index, "id": item.conversation.id,
                                 "status": "stored",
                                 "created": item.conversation.id not in known,
                                 "score": item.evaluation.score,
                                 "passed": item.evaluation.passed})
        return result

    def _stored(self, pairs: list[tuple[Conversation, Evaluation]]) -> None:
        for hook in self.after_store:
            hook(pairs)  # type: ignore[arg-type]

    def _score(self, items: list[Conversation | Rejected],
               scorecard: str | None) -> list[Scored | Rejected]:
        """In this process, or on the scoring pool (outside the lock: the pool scores
        several requests at once while this process writes)."""
        if self.pool is None:
            chooser = self._chooser(scorecard)
            with self._lock:
                return list(score_stream(items, chooser, refiner=self.learned_model()))
        return self.pool.score(items, self._pool_config(scorecard))

    def _chooser(self, scorecard: str | None) -> ScorecardChooser:
        if scorecard is None:
            return ScorecardChooser(None)
        return ScorecardChooser.of(self.scorecard(scorecard))

    def _pool_config(self, scorecard: str | None) -> ScoringConfig:
        """What the pool's workers need to score as `_chooser` and `learned_model` would:
        a stored scorecard's YAML, and where to read the learned model."""
        model = self.learned_model()
        stored = scorecard is not None and scorecard not in bundled_names()
        config = ScoringConfig(
            scorecard, scorecard_yaml=self.store.get_scorecard(scorecard).yaml if stored else "",
            model_version=model.version if model is not None else None,
            model_db=self.store.url if model is not None else "")
        config.chooser()  # a broken scorecard fails this request here, naming its key
        return config

    def conversation(self, conversation_id: str,
                     agent_id: str | None = None) -> tuple[Conversation, Evaluation | None]:
        """`agent_id` given: only that agent's conversation; another's is NotFound, so an
        agent cannot even learn which ids exist."""
        conversation = self.store.get_conversation(conversation_id)
        owner = conversation.agent.id if conversation.agent else None
        if agent_id is not None and owner != agent_id:
            raise NotFound(f"no conversation {conversation_id!r}")
        try:
            evaluation: Evaluation | None = self.store.get_evaluation(conversation_id)
        except NotFound:
            evaluation = None
        return conversation, evaluation

    def rescore(self, conversation_id: str, scorecard: str) -> Evaluation:
        conversation = self.store.get_conversation(conversation_id)
        (item,) = self._score([conversation], scorecard)
        if isinstance(item, Rejected):
            raise InputError(item.message, field="scorecard")
        with self._lock:
            self.store.save(item.conversation, item.evaluation)
            self._stored([(item.conversation, item.evaluation)])
        return item.evaluation

    def preview_scorecard(self, yaml_text: str, sample: int) -> list[dict[str, Any]]:
        """Score the newest `sample` stored conversations with an unsaved scorecard, next
        to their stored evaluation, so an edit can be judged before it is saved."""
        card = parse_scorecard(yaml_text, "scorecards/preview")
        chooser = ScorecardChooser.of(card)
        rows = []
        model = self.learned_model()  # as stored scores were made: a fair comparison
        for summary in self.store.list_conversations(limit=sample).items:
            conversation = self.store.get_conversation(summary.id)
            (item,) = score_stream([conversation], chooser, refiner=model)
            new = item.evaluation if isinstance(item, Scored) else None
            rows.append({"conversation_id": summary.id, "old_scorecard": summary.scorecard,
                         "old_score": summary.score, "old_passed": summary.passed,
                         "new_score": new.score if new else None,
                         "new_passed": new.passed if new else None,
                         "error": None if new else getattr(item, "message", None)})
        return rows
