"""The pattern prefilter may only skip a pattern that cannot match: checked on every pack
pattern against every message we have, and against the reference of running them all."""

from __future__ import annotations

import json
import sys
from functools import lru_cache
from pathlib import Path

import pytest
import regex
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from serviceqa.lang.matcher import REGEX_TIMEOUT_S, _anchored, _match_from
from serviceqa.lang.prefilter import BOUNDARY, bare, fold, required_literals
from serviceqa.lang.registry import get_compiled, get_pack, languages
from serviceqa.lang.text import tokenize

ROOT = Path(__file__).resolve().parents[2]


@lru_cache(maxsize=1)
def corpus_texts() -> tuple[str, ...]:
    """Every message of the demo corpus and of the case files."""
    texts: set[str] = set()
    for path in (ROOT / "src/serviceqa/demo/corpus").glob("*.jsonl"):
        for line in path.read_text(encoding="utf-8").splitlines():
            texts.update(m["text"] for m in json.loads(line)["messages"])

    def walk(node: object) -> None:
        if isinstance(node, dict):
            node = list(node.values())
        if isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, str) and len(node) > 2:
            texts.add(node)

    for path in (ROOT / "tests/cases").rglob("*.yaml"):
        walk(yaml.safe_load(path.read_text(encoding="utf-8")))
    return tuple(sorted(texts))


def all_patterns() -> list[tuple[str, str, str]]:
    return [(code, section, pattern) for code in languages()
            for section, group in get_pack(code).sections.items() for pattern in group.patterns]


B = BOUNDARY


@pytest.mark.parametrize("pattern,expected", [
    (r"\bздра\w*вуй\w*", ({B + "здра"}, {"вуй"})),
    (r"\bя\s+(?:правильно|верно)\s+(?:вас\s+)?понял[аи]?\b",
     ({"правильно", "верно"}, {"понял" + B, "поняла" + B, "поняли" + B}, {B + "я"})),
    (r"\b(?:до|к|в|с|после)\s+\d{1,2}(?:[:.]\d{2})\b",
     ({"0:00" + B, "0.00" + B}, {B + "до", B + "к", B + "в", B + "с", B + "после"})),
    (r"(?-i:\b(?:Kedves|Tisztelt)\s+\p{Lu})", ({B + "kedves", B + "tisztelt"},)),
    (r"🙄|🤷", ({"🙄", "🤷"},)),
    (r"\b(?:слышь|пиши)\b", ({B + "слышь" + B, B + "пиши" + B},)),
])
def test_literals_of_typical_patterns(pattern, expected):
    assert required_literals(pattern) == tuple(frozenset(s) for s in expected)


@pytest.mark.parametrize("pattern", [r"a?", r"x{0,2}", r"\w+", r"[^a]b?", r"\p{Lu}+",
                                     r"(?:ab|\w)", r"[[:alpha:]]+", r"(\w)\1"])
def test_nothing_to_say_means_always_run(pattern):
    assert required_literals(pattern) is None


def test_fold_is_casefold_with_digits_as_zero():
    assert fold("Ǆ Ё 2024 ١٢ İSTANBUL") == "ǆ ё 0000 00 i̇stanbul"


def _possible(required, text: str) -> bool:
    folded = fold(text)
    return required is None or all(any(bare(s) in folded for s in group) for group in required)


def test_a_skipped_pattern_never_matches_any_message_we_have():
    """Wherever a pack pattern matches a real message, its literals are there."""
    texts = corpus_texts()
    for code, section, pattern in all_patterns():
        compiled = regex.compile(_anchored(pattern), regex.IGNORECASE | regex.UNICODE)
        required = required_literals(pattern)
        for text in texts:
            if compiled.search(text, timeout=REGEX_TIMEOUT_S):
                assert _possible(required, text), (code, section, pattern, text)


def test_pattern_literals_survive_case_folding():
    """regex's IGNORECASE may treat two letters as one; fold must then agree, or the
    prefilter would skip a pattern that matches."""
    alphabet = "".join(chr(c) for c in range(sys.maxunicode + 1)
                       if not 0xD800 <= c <= 0xDFFF and chr(c).isprintable())
    letters = {ch for *_, pattern in all_patterns() for group in (required_literals(pattern) or ())
               for literal in group for ch in literal if ch.isalpha()}
    for letter in sorted(letters):
        for match in regex.finditer(regex.escape(letter), alphabet, regex.IGNORECASE):
            assert letter in fold(match.group()), (letter, match.group())


def test_word_edges_survive_folding():
    """The prefilter drops a literal marked as starting (ending) a word when the folded
    text has a letter just before (after) it. That is only right if no character outside
    regex's \\w folds to a letter."""
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        if 0xD800 <= code <= 0xDFFF or regex.match(r"\w", char):
            continue
        assert not any(c.isalpha() for c in fold(char)), hex(code)


def test_lowered_text_matches_like_ignorecase():
    """Where the matcher runs a pattern case-sensitively on lower-cased text, every
    character regex's IGNORECASE would match with a pattern letter lower-cases to it, unless
    the text takes the slow path (lower() and casefold() disagree, or the length changes)."""
    from serviceqa.lang.prefilter import lowercase_safe
    alphabet = "".join(chr(c) for c in range(sys.maxunicode + 1)
                       if not 0xD800 <= c <= 0xDFFF and chr(c).isprintable())
    letters = {ch for *_, pattern in all_patterns() if lowercase_safe(pattern)
               for ch in regex.sub(r"\\.", "", pattern) if ch.isalpha()}
    for letter in sorted(letters):
        for match in regex.finditer(regex.escape(letter), alphabet, regex.IGNORECASE):
            c = match.group()
            lowered = c.lower()
            fast = len(lowered) == 1 and lowered == lowered.casefold()
            assert not fast or lowered == letter, (letter, c)
        for c in {letter.upper(), letter.title()}:
            if len(c.lower()) == 1 and c.lower() == letter:
                assert regex.fullmatch(regex.escape(letter), c, regex.IGNORECASE), (letter, c)


def _reference_sections(code: str, text: str) -> set[tuple[str, int, int]]:
    """Every section's patterns as one alternation, run on every message: the matcher
    without its prefilter."""
    found = set()
    for section, group in get_pack(code).sections.items():
        if group.patterns:
            joined = "|".join(f"(?:{_anchored(p)})" for p in group.patterns)
            for m in regex.finditer(joined, text, regex.IGNORECASE | regex.UNICODE):
                if m.end() > m.start():
                    found.add((section, m.start(), m.end()))
    return found


def _pattern_hits(code: str, text: str) -> set[tuple[str, int, int]]:
    """The matcher's pattern hits (phrase hits carry the token they start at)."""
    return {(h.section, h.start, h.end)
            for h in get_compiled(code).find(text, tokenize(text)) if h.first_token < 0}


@pytest.mark.parametrize("code", ["ru", "kk", "hu", "cs", "en"])
def test_prefiltered_patterns_give_the_reference_hits(code):
    for text in corpus_texts():
        assert _pattern_hits(code, text) == _reference_sections(code, text), text


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["вы", "Здравствуйте", "понял", "ли", "?", " ", ",", "10:00",
                                 "Kedves", "Ügyfél", "dobrý", "den", "f*ck", "blyat", "(((",
                                 "сіз", "қалай", "you", "hours", "2", "-", ":", ".", "ВЫ",
                                 "ЗДРАВСТВУЙТЕ", "ſ", "ς", "İ", "ß", "ẞ", "K", "FUCK", "Ön"]),
                max_size=12).map("".join),
       st.sampled_from(["ru", "kk", "hu", "cs", "en"]))
def test_prefiltered_patterns_on_generated_text(text, code):
    assert _pattern_hits(code, text) == _reference_sections(code, text)


def _every_phrase_at_every_token(code: str, text: str) -> set[tuple[str, int, int]]:
    pack = get_compiled(code)
    tokens = tokenize(text)
    keys = [pack.token_keys(t) for t in tokens]
    found = set()
    for index in (pack._by_key, pack._by_stem):
        for phrases in index.values():
            for phrase in phrases:
                for i in range(len(tokens)):
                    end = _match_from(phrase.words, keys, i)
                    if end is not None:
                        found.add((phrase.section, tokens[i].start, tokens[end].end))
    return found


@pytest.mark.parametrize("code", ["ru", "kk", "hu", "cs", "en"])
def test_phrase_hits_do_not_depend_on_the_anchor_word(code):
    """Phrases are filed under their rarest word; the hits must be those of trying every
    phrase at every token."""
    path = ROOT / f"src/serviceqa/demo/corpus/{code}.jsonl"
    first = json.loads(path.read_text(encoding="utf-8").splitlines()[0])
    for text in [m["text"] for m in first["messages"]][:6]:
        got = {(h.section, h.start, h.end)
               for h in get_compiled(code).find(text, tokenize(text)) if h.first_token >= 0}
        assert got == _every_phrase_at_every_token(code, text), text
