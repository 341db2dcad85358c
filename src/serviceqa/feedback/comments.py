"""What a survey comment says: sentiment, the difficult-customer signals and complaint
themes, in the customer's language.

The comment is read as a one-message conversation from the customer and goes through the
same analysis and detectors as a scored conversation (lang.analysis, detect.registry), so
"безобразие", "szégyen" or "I'll smash your shop" mean the same in a comment as in a chat.
Themes come from data/themes.yaml: word beginnings per language, counted on complaints.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

import unicodedata

import yaml

from ..detect.registry import default_registry
from ..lang.analysis import analyse
from ..lang.text import tokenize
from ..model import Conversation, Message
from ..score.profile import TYPE_DETECTORS
from .surveys import DATA

SIGNALS = ("dissatisfaction", "manager_request", "threat", "customer_insult",
           "customer_profanity", "customer_rudeness")
NEGATIVE = -0.05   # sentiment at or below this reads as a complaint
COMPLAINING_TYPES = ("rude", "offended", "claim_seeker")


@lru_cache(maxsize=1)
def _themes() -> dict[str, dict[str, list[tuple[str, ...]]]]:
    data = yaml.safe_load((DATA / "themes.yaml").read_text(encoding="utf-8"))
    return {lang: {theme: [tuple(_bare(t.norm) for t in tokenize(stem)) for stem in stems]
                   for theme, stems in themes.items()}
            for lang, themes in data.items()}


def theme_names() -> list[str]:
    return sorted({t for themes in _themes().values() for t in themes})


def themes_of(text: str, language: str | None) -> list[str]:
    """Themes whose stems start consecutive words of the text; every language's stems
    are tried when the language is unknown, its own (and Russian, for mixed ru/kk) else."""
    words = [_bare(t.norm) for t in tokenize(text)]
    langs = [language, "ru"] if language in _themes() else list(_themes())
    found = []
    for lang in dict.fromkeys(l for l in langs if l in _themes()):
        for theme, entries in _themes()[lang].items():
            if theme not in found and any(_starts(words, e) for e in entries):
                found.append(theme)
    return sorted(found)


def _bare(word: str) -> str:
    """Without accents: 'cekani' is how many write 'čekání' on a phone (both sides are
    stripped, so Cyrillic й/и folding the same way changes nothing)."""
    return "".join(c for c in unicodedata.normalize("NFD", word)
                   if not unicodedata.combining(c))


def _starts(words: list[str], stems: tuple[str, ...]) -> bool:
    n = len(stems)
    return any(all(words[i + k].startswith(stems[k]) for k in range(n))
               for i in range(len(words) - n + 1))


def analyse_comment(text: str | None, language: str | None,
                    unhappy: bool = False) -> dict[str, Any]:
    """{"language", "sentiment", "toxicity", "types", "signals", "threat", "complaint",
    "themes"}; an empty comment gives {}. A complaint: negative, a difficult-customer
    signal or type, or a comment on a low rating (`unhappy`). Themes only of complaints."""
    if not text:
        return {}
    conversation = Conversation(id="comment", messages=[
        Message(role="customer", text=text, language=language)])
    registry = default_registry()
    analysis = analyse(conversation, registry.sections_by_side())
    findings = registry.run(conversation, analysis)
    sentiment = findings["customer_sentiment"].value
    signals = [s for s in SIGNALS if findings[s].found]
    types = [t for t, name in TYPE_DETECTORS.items() if findings[name].found]
    complaint = unhappy or (sentiment is not None and sentiment <= NEGATIVE) or bool(signals) \
        or any(t in COMPLAINING_TYPES for t in types)
    return {"language": analysis.language or language,
            "sentiment": sentiment,
            "toxicity": findings["toxicity"].value or 0.0,
            "types": types,
            "signals": signals,
            "threat": findings["threat"].found,
            "complaint": complaint,
            "themes": themes_of(text, analysis.language or language) if complaint else []}


def top_themes(analyses: Iterable[dict[str, Any]], limit: int = 5) -> list[tuple[str, int]]:
    """The most frequent complaint themes, most first (ties by name)."""
    counts = Counter(t for a in analyses for t in a.get("themes", ()))
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
