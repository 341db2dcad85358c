"""Matcher and analysis rules that every pack relies on."""

from __future__ import annotations

import pytest

from serviceqa.lang.analysis import _identifier
from serviceqa.lang.matcher import CompiledPack
from serviceqa.lang.pack import LanguagePack, PhraseGroup
from serviceqa.lang.text import tokenize
from serviceqa.model import Conversation
from serviceqa.score.evaluate import score_conversation


def _sections(pack: CompiledPack, text: str) -> set[str]:
    return {h.section for h in pack.find(text, tokenize(text))}


def test_exact_form_matches_only_that_form():
    pack = CompiledPack(LanguagePack(language="hu", name="t", lemmatizer="simplemma",
                                     sections={"dont_know": PhraseGroup(phrases=["nem =tudom"])}))
    assert "dont_know" in _sections(pack, "Sajnos nem tudom, hol van a csomag.")
    assert "dont_know" not in _sections(pack, "Nem tudja senki, hol van.")


@pytest.mark.parametrize("text,code", [
    ("Jste banda debilů.", "cs"),            # lingua alone says en
    ("Rádo se stalo, mějte se hezky!", "cs"),  # lingua alone says hu
    ("Őszintén szólva ez felháborító", "hu"),
    ("Сәлем, заказ қашан келеді?", "kk"),   # mixed ru/kk: Kazakh letters decide
])
def test_unique_letters_settle_the_language(text, code):
    assert _identifier().identify(text)[0] == code


@pytest.mark.parametrize("texts,sign", [
    (["Nem, nem, köszönöm szépen, minden rendben."], 1),
    (["Ez egyáltalán nem jó, nagyon rossz."], -1),
    (["Ne, děkuji, to je všechno, super."], 1),
    (["Нет-нет, спасибо, всё отлично!"], 1),
])
def test_negation_does_not_cross_punctuation(texts, sign):
    conversation = Conversation.model_validate(
        {"id": "n", "messages": [{"role": "customer", "text": t} for t in texts]})
    assert sign * score_conversation(conversation).customer.sentiment > 0
