"""Learned models in the store: train from the stored reviews, save a version, and load
the newest for scoring (cached by version, so a server reads the JSON once per version)."""

from __future__ import annotations

import threading
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import func, insert, select

from ..errors import NotFound
from ..model import Conversation
from ..score.scorecard import Scorecard, default_for_channel, load_scorecard, parse_scorecard
from ..store.schema import EvaluationRow, ScorecardRow
from ..store.schema_learn import LearnedModelRow
from .learn import LearnSettings, ReviewedVerdict, Training, build_examples, train
from .learn_model import LearnedModel
from .store import human_verdicts


def stored_verdicts(store: Any) -> list[ReviewedVerdict]:
    return [ReviewedVerdict(c, k, r, reviewer) for c, k, r, _, reviewer in human_verdicts(store)]


def scorecard_lookup(store: Any) -> Any:
    """The scorecard a conversation was scored with (stored or bundled), else its channel's."""
    cache: dict[str, Scorecard] = {}

    def choose(conversation: Conversation) -> Scorecard:
        with store.engine.connect() as connection:
            name = connection.scalar(select(EvaluationRow.scorecard).where(
                EvaluationRow.conversation_id == conversation.id))
            name = name or default_for_channel(conversation.channel)
            if name not in cache:
                yaml_text = connection.scalar(select(ScorecardRow.yaml).where(
                    ScorecardRow.name == name))
                cache[name] = (parse_scorecard(yaml_text, f"scorecards/{name}")
                               if yaml_text is not None else load_scorecard(name))
        return cache[name]
    return choose


def conversation_lookup(store: Any) -> Any:
    def get(conversation_id: str) -> Conversation | None:
        try:
            conversation: Conversation = store.get_conversation(conversation_id)
            return conversation
        except NotFound:
            return None
    return get


def learn_from_store(store: Any, settings: LearnSettings, by: str | None = None
                     ) -> tuple[Training, int | None]:
    """Train on every final review in the store; save a new version when at least one
    criterion got a model. Returns the training and the saved version (or None)."""
    examples, unknown = build_examples(stored_verdicts(store), conversation_lookup(store),
                                       scorecard_lookup(store))
    training = train(examples, settings)
    training.unknown = unknown
    if training.model is None:
        return training, None
    with store.engine.begin() as connection:
        version = connection.execute(insert(LearnedModelRow).values(
            created_at=datetime.now(timezone.utc), created_by=by, reviews=training.reviews,
            settings=training.settings, criteria=training.criteria,
            model=training.model.to_json()).returning(LearnedModelRow.version)).scalar_one()
    return training, int(version)


def newest_version(store: Any) -> int | None:
    with store.engine.connect() as connection:
        version = connection.scalar(select(func.max(LearnedModelRow.version)))
    return int(version) if version is not None else None


def load_model(store: Any, version: int | None = None) -> LearnedModel | None:
    """The given version, or the newest; None when the store has no model."""
    version = newest_version(store) if version is None else version
    if version is None:
        return None
    with store.engine.connect() as connection:
        data = connection.scalar(select(LearnedModelRow.model).where(
            LearnedModelRow.version == version))
    if data is None:
        raise NotFound(f"no learned model version {version}")
    return LearnedModel.from_json(version, data)


def list_models(store: Any) -> list[dict[str, Any]]:
    """Every version, newest first, with its per-criterion report (not the weights)."""
    query = select(LearnedModelRow.version, LearnedModelRow.created_at,
                   LearnedModelRow.created_by, LearnedModelRow.reviews,
                   LearnedModelRow.settings, LearnedModelRow.criteria
                   ).order_by(LearnedModelRow.version.desc())
    with store.engine.connect() as connection:
        rows = connection.execute(query).all()
    return [{"version": r.version, "created_at": r.created_at.isoformat(),
             "created_by": r.created_by, "reviews": r.reviews, "settings": r.settings,
             "trained": sorted(c for c, v in r.criteria.items() if v.get("status") == "trained"),
             "criteria": r.criteria} for r in rows]


class NewestModel:
    """The store's newest model, read again only when a newer version appears."""

    def __init__(self, store: Any) -> None:
        self.store = store
        self._lock = threading.Lock()
        self._loaded: tuple[int | None, LearnedModel | None] = (None, None)

    def get(self) -> LearnedModel | None:
        version = newest_version(self.store)
        with self._lock:
            if version != self._loaded[0]:
                self._loaded = (version, load_model(self.store, version))
            return self._loaded[1]
