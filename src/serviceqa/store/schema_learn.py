"""The learned models (migration 0006): each `serviceqa learn` run that trained at least one
criterion adds a version; scoring uses the newest. The model is JSON (linear weights), so
reading it back never runs code."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from serviceqa.store.schema import Base


class LearnedModelRow(Base):
    """`criteria`: per reviewed criterion, trained or skipped (why), with the
    cross-validated agreement before and after; `model`: the weights of those trained."""

    __tablename__ = "learned_models"

    version: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    created_at: Mapped[datetime]
    created_by: Mapped[str | None] = mapped_column(String)
    reviews: Mapped[int] = mapped_column(Integer)
    settings: Mapped[dict[str, Any]]
    criteria: Mapped[dict[str, Any]]
    model: Mapped[dict[str, Any]]
