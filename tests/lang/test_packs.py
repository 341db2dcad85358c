"""Every language pack loads, declares what it must, and its own examples match."""

from __future__ import annotations

import pytest

from serviceqa.detect.base import PhraseDetector
from serviceqa.detect.registry import default_registry
from serviceqa.lang.pack import CUSTOMER_TYPES
from serviceqa.lang.registry import get_compiled, get_pack, languages
from serviceqa.lang.sections import SECTIONS
from serviceqa.lang.text import tokenize

from ..conftest import LANGUAGES

EXAMPLES = [(code, section, text) for code in languages()
            for section, texts in get_pack(code).examples.items() for text in texts]


def test_the_five_languages_have_packs():
    assert set(LANGUAGES) <= set(languages())


@pytest.mark.parametrize("code", LANGUAGES)
def test_pack_is_complete(code):
    pack = get_pack(code)
    assert set(pack.advice) == set(CUSTOMER_TYPES), "advice for every customer type"
    assert pack.speaker_labels.agent and pack.speaker_labels.customer
    empty = [s for s in SECTIONS if not (pack.sections.get(s) and
                                         (pack.sections[s].phrases or pack.sections[s].patterns))]
    assert not empty, f"{code} has no phrases for: {empty}"
    assert pack.sentiment.positive and pack.sentiment.negative and pack.sentiment.negators


@pytest.mark.parametrize("code,section,text", EXAMPLES,
                         ids=[f"{c}-{s}-{n}" for n, (c, s, _) in enumerate(EXAMPLES)])
def test_pack_example_matches_its_section(code, section, text):
    hits = get_compiled(code).find(text, tokenize(text))
    assert section in {h.section for h in hits}, f"{code}: {text!r} does not match {section}"


def test_every_section_is_read_by_a_detector():
    read = {d.section_name() for d in default_registry() if isinstance(d, PhraseDetector)}
    read |= {"introduction", "department", "next_steps", "time_frame"}  # composite detectors
    assert set(SECTIONS) <= read, f"unused sections: {set(SECTIONS) - read}"
