"""Function words settle a message's language before the statistical model is asked."""

from __future__ import annotations

from itertools import combinations

import pytest

from serviceqa.lang.analysis import _identifier
from serviceqa.lang.identify import LanguageIdentifier
from serviceqa.lang.registry import get_pack, languages
from serviceqa.lang.text import normalise


class _NoModel:
    """Stands in for lingua: any call means the function words did not decide."""

    def compute_language_confidence_values(self, text: str) -> list[object]:
        raise AssertionError(f"the model was asked about {text!r}")


def _words_only() -> LanguageIdentifier:
    codes = languages()
    identifier = LanguageIdentifier(codes, {c: get_pack(c).unique_letters for c in codes},
                                    {c: get_pack(c).function_words for c in codes})
    identifier._lingua = _NoModel()  # type: ignore[assignment]
    return identifier


@pytest.mark.parametrize("text,code", [
    # Czech typed without diacritics: lingua alone sent these to Hungarian
    ("jo a je to pes tak stredni velikost, border kolie", "cs"),
    ("ne, to je vse dik moc", "cs"),
    ("Dobry den, uz je to tyden a balik porad nikde", "cs"),
    ("Můžete mi prosím poslat číslo objednávky? Ještě to ověřím.", "cs"),
    ("Jó napot, szeretném tudni, hogy mikor jön a futár", "hu"),
    ("Koszonom, de meg mindig nem mukodik az internet", "hu"),
    ("Hi, I've been waiting for my refund and nobody answers the phone", "en"),
    ("Could you check what happened with the parcel please", "en"),
    ("Здравствуйте, у меня не проходит оплата по карте", "ru"),
    ("пожалуйста проверьте еще раз, я уже писала вчера", "ru"),
    ("салем калай, заказ жок болды ма", "kk"),   # Kazakh on a Russian keyboard
    ("рахмет, бар екен", "kk"),
])
def test_two_function_words_decide_without_the_model(text, code):
    assert _words_only().identify(text) == (code, 1.0)


@pytest.mark.parametrize("text", [
    "Thanks, ale nefunguje to",            # one English word, one Czech: unclear
    "Szia, the router is dead",            # Hungarian greeting, English sentence
    "Заказ мен ертен келеди ме, не пришел вообще",   # ru and kk, no Kazakh letters
    "Ok, dekuji",                          # one function word is not enough
])
def test_mixed_or_thin_evidence_is_left_to_the_model(text):
    with pytest.raises(AssertionError, match="the model was asked"):
        _words_only().identify(text)


def test_no_function_word_belongs_to_two_packs():
    """A word two packs list would settle nothing, so the lists are kept apart."""
    words = {code: {normalise(w) for w in get_pack(code).function_words} for code in languages()}
    for a, b in combinations(words, 2):
        assert not words[a] & words[b], f"{a} and {b} both list {sorted(words[a] & words[b])}"


def test_every_pack_declares_function_words():
    for code in languages():
        assert len(get_pack(code).function_words) >= 10, code


def test_the_packaged_identifier_uses_them():
    assert _identifier().identify("Dobry den, uz je to tyden a balik porad nikde")[0] == "cs"
