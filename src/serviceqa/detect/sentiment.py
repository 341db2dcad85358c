"""Customer sentiment in [-1, 1] and toxicity in [0, 1].

Sentiment counts the pack's lexicon (with negators before or just after a word and
intensifiers before it) plus complaint, insult and threat phrases; English adds VADER,
whose lexicon ships in its wheel. Later customer messages weigh more: how a conversation
ends matters more than how it started.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import regex

from ..lang.analysis import MessageAnalysis
from ..lang.matcher import SENTIMENT_PARTS, SENTIMENT_PREFIX
from ..lang.registry import get_pack
from ..lang.text import KEEP_GIL
from .base import Context, Detector, Finding, whole_message

NEGATIVE_SECTIONS = {"dissatisfaction": 1.5, "insult": 1.5, "profanity": 1.0,
                     "rudeness": 1.0, "threat": 2.0}
TOXIC_SECTIONS = {"insult": 0.6, "profanity": 0.45, "rudeness": 0.35, "threat": 0.6}
NEGATOR_BEFORE = 3
NEGATOR_AFTER = 1
SHOUT_SHARE = 0.6
SHOUT_MIN_LETTERS = 10
_CLAUSE_BREAK = regex.compile(r"[,.;:!?]")


@lru_cache(maxsize=1)
def _vader() -> Any:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
    return SentimentIntensityAnalyzer()


def _uses_vader(language: str | None) -> bool:
    try:
        return language is not None and get_pack(language).sentiment.engine == "vader"
    except KeyError:
        return False


def is_shouting(text: str) -> bool:
    if text.islower() or len(text) < SHOUT_MIN_LETTERS:
        return False
    upper = sum(map(str.isupper, text))
    if upper < SHOUT_MIN_LETTERS * SHOUT_SHARE:  # too few capitals to shout: most messages
        return False
    lower = sum(map(str.islower, text))
    return upper + lower >= SHOUT_MIN_LETTERS and upper / (upper + lower) >= SHOUT_SHARE


def message_sentiment(message: MessageAnalysis) -> float | None:
    """Sentiment of one message, or None when nothing in it carries any."""
    positions = {"negators": set(), "intensifiers": set()}  # type: dict[str, set[int]]
    for hit in message.hits:
        name = hit.section.removeprefix(SENTIMENT_PREFIX)
        if name in positions and hit.first_token >= 0:
            positions[name].add(hit.first_token)
    positive = negative = 0.0
    for hit in message.hits:
        weight = _weight(hit.section)
        if weight == 0.0:
            continue
        at = hit.first_token
        if hit.section.startswith(SENTIMENT_PREFIX) and at >= 0:
            if any((at - NEGATOR_BEFORE <= n < at or at < n <= at + NEGATOR_AFTER)
                   and _same_clause(message, n, at) for n in positions["negators"]):
                weight = -0.7 * weight
            if any(at - 2 <= n < at for n in positions["intensifiers"]):
                weight *= 1.5
        if weight > 0:
            positive += weight
        else:
            negative -= weight
    if is_shouting(message.text):
        negative += 0.5
    lexical = None if positive == negative == 0.0 else (positive - negative) / (positive + negative + 1)
    if _uses_vader(message.language):
        compound = float(_vader().polarity_scores(message.text)["compound"])
        if lexical is None:
            return compound if compound != 0.0 else None
        return min(lexical, compound) if negative > positive else (lexical + compound) / 2
    return lexical


def _same_clause(message: MessageAnalysis, a: int, b: int) -> bool:
    """No punctuation between two tokens: 'Nem, köszönöm' is not a negated thanks."""
    first, second = sorted((a, b))
    between = message.text[message.tokens[first].end:message.tokens[second].start]
    return _CLAUSE_BREAK.search(between, concurrent=KEEP_GIL) is None


def _weight(section: str) -> float:
    if section == SENTIMENT_PREFIX + "positive":
        return 1.0
    if section == SENTIMENT_PREFIX + "negative":
        return -1.0
    return -NEGATIVE_SECTIONS.get(section, 0.0)


def message_toxicity(message: MessageAnalysis) -> float:
    found = {h.section for h in message.hits}
    score = sum(w for section, w in TOXIC_SECTIONS.items() if section in found)
    if is_shouting(message.text):
        score += 0.15
    return min(1.0, score)


class CustomerSentimentDetector(Detector):
    """Customer sentiment in [-1, 1], later messages weighing more; the evidence is the most
    negative customer message. Pack section: sentiment (positive, negative, negators,
    intensifiers) plus dissatisfaction, insult, profanity, rudeness and threat."""

    name = "customer_sentiment"
    side = "customer"
    reads = frozenset({*(SENTIMENT_PREFIX + n for n in SENTIMENT_PARTS), *NEGATIVE_SECTIONS})
    kind = "metric"

    def detect(self, ctx: Context) -> Finding:
        messages = ctx.messages("customer")
        scored = [(n, m, s) for n, m in enumerate(messages)
                  if (s := message_sentiment(m)) is not None]
        if not scored:
            return Finding(self.name, False, (), 0.0 if messages else None)
        total = len(messages)
        weights = [1.0 + n / total for n, _, _ in scored]
        value = sum(w * s for w, (_, _, s) in zip(weights, scored)) / sum(weights)
        _, worst, low = min(scored, key=lambda item: item[2])
        evidence = (whole_message(worst, self.name),) if low < 0 else ()
        return Finding(self.name, True, evidence, round(max(-1.0, min(1.0, value)), 3))


class ToxicityDetector(Detector):
    """How toxic the customer is, in [0, 1]: the most toxic customer message counts."""

    name = "toxicity"
    side = "customer"
    reads = frozenset(TOXIC_SECTIONS)
    kind = "metric"

    def detect(self, ctx: Context) -> Finding:
        messages = ctx.messages("customer")
        if not messages:
            return Finding(self.name, False, (), None)
        value, worst = max(((message_toxicity(m), m) for m in messages), key=lambda p: p[0])
        evidence = (whole_message(worst, self.name),) if value > 0 else ()
        return Finding(self.name, value > 0, evidence, round(value, 3))


DETECTORS = [CustomerSentimentDetector(), ToxicityDetector()]
