"""The default detector registry, in run order: phrase detectors, then what reads them."""

from __future__ import annotations

from functools import lru_cache

from . import courtesy, customer, derived, knowledge, sentiment, stages, timing
from .base import Registry

FAMILIES = (stages, courtesy, knowledge, customer, sentiment, timing, derived)


@lru_cache(maxsize=1)
def default_registry() -> Registry:
    return Registry(d for family in FAMILIES for d in family.DETECTORS)
