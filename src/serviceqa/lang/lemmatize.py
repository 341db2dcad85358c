"""Lemmas for phrase matching. A phrase written once in a pack must match inflected forms,
so the same function runs over pack phrases and over messages.

Back-ends ship their data in the wheel (simplemma); languages without one (kk) use the
lower-cased surface form and rely on prefix phrases (`тапсырыс*`) in their pack.
"""

from __future__ import annotations

from functools import lru_cache

import simplemma

SIMPLEMMA_LANGUAGES = frozenset({"ru", "cs", "hu", "en"})


@lru_cache(maxsize=524_288)
def _simplemma(word: str, language: str) -> str:
    try:
        return str(simplemma.lemmatize(word, lang=language)).lower().replace("ё", "е")
    except ValueError:
        return word


def lemma(norm: str, language: str, backend: str, negation_prefix: str | None) -> str:
    """Lemma of an already normalised token; keeps negation lemmatisers strip (cs 'nevím')."""
    if backend != "simplemma" or not norm.isalpha():
        return norm
    base = _simplemma(norm, language)
    if negation_prefix and norm.startswith(negation_prefix) and not base.startswith(negation_prefix):
        return negation_prefix + base
    return base
