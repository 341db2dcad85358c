"""What a learned criterion model sees of a conversation: the rule verdict and the detector
output it came from, plus the agent's words, as sparse hashed features.

One feature set serves every criterion: each criterion's classifier weighs it in its own
way. The features, each a name with a value:

- `rule=pass|fail|na` and `evidence` (log of the rule's evidence count): where the rules
  stand, so a model only has to learn where reviewers differ from them;
- `det:<name>` (1 when a flag detector fired, threat and the customer types among them)
  and `det#<name>` (log of its evidence count); `metric:<name>` (a metric's value,
  log-scaled with its sign kept: timings, rings, customer sentiment, toxicity) or
  `metric?<name>` (the metric is missing);
- `lang=<code>`, `channel=<channel>`, `scorecard=<name>`, `agent_messages` (log count);
- `w:<lang>:<lemma>` and `w2:<lang>:<lemma> <lemma>`: lemma unigrams and bigrams of the
  agent's (and bot's) messages, present or not, tagged with the message's language.

Why words tagged per language, in one multilingual model rather than a model per
language: reviews are few, and the detector features mean the same in every language, so
they should be learned from all reviews at once; a word only means something in its own
language ("так" is Russian "so", "tak" Czech "so/then"), so words are kept apart by the
language identified for their message, and a phrasing the reviewers judge differently in
one language (a Kazakh closing formula the rules miss) is learned for that language alone.
Lemmas (simplemma for ru/cs/hu/en; the lower-cased form for kk) let an inflected form
count as the same word.

Names are hashed into 2**HASH_BITS buckets with CRC-32 (stable across processes,
platforms and Python versions, unlike `hash`), so a model is a sparse table of weights
per bucket and needs no vocabulary.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Mapping
from functools import lru_cache

from ..detect.base import Finding, Registry
from ..lang.analysis import Analysis
from ..lang.lemmatize import lemma
from ..lang.registry import get_pack, languages
from ..model import Conversation, CriterionResult

HASH_BITS = 18
BUCKETS = 1 << HASH_BITS
Features = dict[str, float]


@lru_cache(maxsize=262_144)
def bucket(name: str) -> int:
    """Cached: the same words come back in every conversation."""
    return zlib.crc32(name.encode("utf-8")) & (BUCKETS - 1)


def hashed(features: Mapping[str, float]) -> dict[int, float]:
    """Buckets and summed values; names that collide share a bucket, as hashing goes."""
    out: dict[int, float] = {}
    for name, value in features.items():
        key = bucket(name)
        out[key] = out.get(key, 0.0) + value
    return out


def _log(value: float) -> float:
    """log(1 + |v|) with the sign of v: seconds and rings shrink, [-1, 1] stays ordered."""
    return math.copysign(math.log1p(abs(value)), value)


@lru_cache(maxsize=8)
def _lemmatizer(code: str) -> tuple[str, str | None]:
    if code not in languages():
        return "none", None
    pack = get_pack(code)
    return pack.lemmatizer, pack.negation_prefix


def agent_words(analysis: Analysis, fallback: str | None) -> Features:
    """Lemma unigrams and bigrams of the agent's messages, tagged with their language."""
    out: Features = {}
    for message in analysis.messages:
        if not message.is_agent:
            continue
        code = message.language or fallback or "xx"
        backend, negation = _lemmatizer(code)
        lemmas = [lemma(t.norm, code, backend, negation) for t in message.tokens
                  if t.norm.isalpha()]
        for word in lemmas:
            out[f"w:{code}:{word}"] = 1.0
        for first, second in zip(lemmas, lemmas[1:]):
            out[f"w2:{code}:{first} {second}"] = 1.0
    return out


def conversation_features(conversation: Conversation, analysis: Analysis,
                          findings: Mapping[str, Finding], registry: Registry,
                          scorecard: str) -> Features:
    """The part shared by every criterion of one conversation: computed once."""
    out: Features = {f"lang={analysis.language or 'unknown'}": 1.0,
                     f"channel={conversation.channel or 'unknown'}": 1.0,
                     f"scorecard={scorecard}": 1.0,
                     "agent_messages": _log(sum(m.is_agent for m in analysis.messages))}
    for name, finding in findings.items():
        if registry.get(name).kind == "metric":
            if finding.value is None:
                out[f"metric?{name}"] = 1.0
            else:
                out[f"metric:{name}"] = _log(finding.value)
        elif finding.found:
            out[f"det:{name}"] = 1.0
            out[f"det#{name}"] = _log(len(finding.evidence))
    out.update(agent_words(analysis, analysis.language))
    return out


def criterion_features(shared: dict[int, float], result: CriterionResult) -> dict[int, float]:
    """The shared features (already hashed, once per conversation) plus where the rule
    stands on this criterion."""
    out = dict(shared)
    for name, value in ((f"rule={result.result}", 1.0),
                        ("evidence", _log(len(result.evidence)))):
        key = bucket(name)
        out[key] = out.get(key, 0.0) + value
    return out
