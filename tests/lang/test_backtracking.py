"""Patterns that may backtrack without bound keep their timeout, even on short messages."""

from __future__ import annotations

import logging

import pytest

from serviceqa.lang.backtracking import needs_timeout
from serviceqa.lang.matcher import CompiledPack
from serviceqa.lang.pack import LanguagePack, PhraseGroup
from serviceqa.lang.registry import get_pack, languages
from serviceqa.lang.text import tokenize


@pytest.mark.parametrize("pattern", [
    r"(\w+\s?)+$",            # the textbook runaway
    r"(?:a|ab)*c",            # rounds of two lengths
    r"(?:\s*x)+y",
    r"(?>a+)+b",              # atomic inside, still nested in a repeat
    r"(?=(?:a+)+)b",          # inside a lookahead
    r"a(?:b{0,5})*",          # a bounded count of its own, in every round
    r"(?V1)[[a-z]--[aeiou]]+",  # syntax only `regex` reads: not analysed, so guarded
])
def test_nested_or_unreadable_repetition_needs_a_timeout(pattern):
    assert needs_timeout(pattern)


@pytest.mark.parametrize("pattern", [
    r"\bвы\b",
    r"\bmegold\w*",
    r"(?:x\s+){1,3}y",        # nested, but the outer repeat is bounded
    r"(?:ab{2})+",            # the inner count is fixed
    r"\b\p{Lu}\p{Ll}+\s+\p{Lu}\p{Ll}+",
    r"\d{1,2}:\d{2}",
])
def test_flat_patterns_run_untimed_on_short_messages(pattern):
    assert not needs_timeout(pattern)


def test_pack_patterns_are_almost_all_flat():
    """The timeout costs about 5 µs a call; a pack written with nested repetition pays it."""
    patterns = [p for code in languages() for group in get_pack(code).sections.values()
                for p in group.patterns]
    guarded = [p for p in patterns if needs_timeout(p)]
    assert len(guarded) <= len(patterns) // 20, guarded


def test_a_runaway_pattern_times_out_on_a_short_message(caplog):
    pack = CompiledPack(LanguagePack(language="en", name="t",
                                     sections={"rudeness": PhraseGroup(patterns=[r"(a|aa)+b"])}))
    text = "a" * 40 + " ab"  # without the timeout this runs for minutes
    with caplog.at_level(logging.WARNING, logger="serviceqa.lang.matcher"):
        assert pack.find(text, tokenize(text)) == []
    assert "timed out" in caplog.text
