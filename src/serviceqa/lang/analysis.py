"""Analysis runs once per conversation: languages, tokens and every pack's phrase hits.

Detectors read this immutable object and never re-tokenise. Offsets stay those of the
original message text, so evidence points at what the customer or agent really wrote.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from ..model import AGENT_ROLES, Conversation
from .codes import normalise_code
from .identify import MIN_CONFIDENCE, LanguageIdentifier
from .matcher import Hit
from .prefilter import fold
from .registry import get_compiled, get_pack, languages
from .text import Token, count_letters, norms, tokenize

MIN_SHARE = 0.05


@dataclass(frozen=True, slots=True)
class MessageAnalysis:
    index: int
    role: str
    text: str
    language: str | None
    tokens: tuple[Token, ...]
    hits: tuple[Hit, ...]

    @property
    def is_agent(self) -> bool:
        return self.role in AGENT_ROLES

    def sections(self) -> frozenset[str]:
        return frozenset(h.section for h in self.hits)


@dataclass(frozen=True, slots=True)
class Analysis:
    language: str | None
    languages: tuple[str, ...]
    packs: tuple[str, ...]
    messages: tuple[MessageAnalysis, ...]


@lru_cache(maxsize=1)
def _identifier() -> LanguageIdentifier:
    codes = languages()
    return LanguageIdentifier(codes, {c: get_pack(c).unique_letters for c in codes},
                              {c: get_pack(c).function_words for c in codes})


def _message_languages(conversation: Conversation, letters: list[int],
                       tokens: list[tuple[Token, ...]]) -> list[str | None]:
    """Per-message language: given in the input, else identified when confident."""
    identifier = _identifier()
    known = set(languages())
    out: list[str | None] = []
    for message, count, words in zip(conversation.messages, letters, tokens):
        given = normalise_code(message.language)
        if given in known:
            out.append(given)
            continue
        code, confidence = identifier.identify(message.text, count, norms(words))
        out.append(code if code in known and confidence >= MIN_CONFIDENCE else None)
    return out


def _conversation_languages(conversation: Conversation, per_message: list[str | None],
                            letters: list[int]) -> tuple[str | None, tuple[str, ...]]:
    share: Counter[str] = Counter()
    for code, count in zip(per_message, letters):
        if code:
            share[code] += count
    forced = normalise_code(conversation.language)
    if not share:
        text = " ".join(m.text for m in conversation.messages)
        code, _ = _identifier().identify(text)
        if code:
            share[code] = 1
    total = sum(share.values()) or 1
    ranked = tuple(c for c, n in share.most_common() if n / total >= MIN_SHARE)
    if forced in set(languages()):
        ranked = (forced, *[c for c in ranked if c != forced])
    return (ranked[0] if ranked else None), ranked


def _packs_for(codes: tuple[str, ...]) -> tuple[str, ...]:
    """The detected languages plus the packs they declare as also in use (kk -> ru)."""
    chosen: list[str] = []
    available = set(languages())
    for code in codes:
        for candidate in (code, *get_pack(code).also_use):
            if candidate in available and candidate not in chosen:
                chosen.append(candidate)
    return tuple(chosen)


def warm_up(sections: Mapping[str, frozenset[str]] | None = None) -> None:
    """Load every language pack and the language identifier now rather than on first use:
    for servers and long batches, so no conversation pays a pack's load time (seconds)."""
    _identifier()
    for code in languages():
        for wanted in (sections or {None: None}).values():
            get_compiled(code, wanted)


def _side(role: str) -> str | None:
    return "agent" if role in AGENT_ROLES else "customer" if role == "customer" else None


def analyse(conversation: Conversation,
            sections: Mapping[str, frozenset[str]] | None = None) -> Analysis:
    """`sections` (side -> section names, from the detectors) limits each message to the
    sections of its side: agent/bot or customer; system messages are then not matched.
    Without it every message is matched against every section."""
    letters = [count_letters(m.text) for m in conversation.messages]
    tokenized = [tokenize(m.text) for m in conversation.messages]
    per_message = _message_languages(conversation, letters, tokenized)
    primary, ranked = _conversation_languages(conversation, per_message, letters)
    # Too little text to tell the language ("Не знаю.", "Ok"): every pack looks at it.
    packs = _packs_for(ranked) if ranked else languages()
    if sections is None:
        everything = [get_compiled(code) for code in packs]
        compiled = {side: everything for side in ("agent", "customer", None)}
    else:
        compiled = {side: [get_compiled(code, wanted) for code in packs]
                    for side, wanted in sections.items()}
    messages = []
    for index, (message, code, tokens) in enumerate(zip(conversation.messages, per_message,
                                                        tokenized)):
        folded = fold(message.text)
        hits: dict[tuple[str, int, int], Hit] = {}
        for pack in compiled.get(_side(message.role), ()):
            for hit in pack.find(message.text, tokens, folded):
                hits.setdefault((hit.section, hit.start, hit.end), hit)
        messages.append(MessageAnalysis(index, message.role, message.text, code or primary,
                                        tokens, tuple(hits.values())))
    return Analysis(primary, ranked, packs, tuple(messages))
