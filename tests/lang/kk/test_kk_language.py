"""Kazakh, written natively: language identification (with Russian code-mixing and Kazakh typed
without its special letters), inflected forms meeting one pack phrase, formal vs informal
address, typos, and negation (a suffix in Kazakh) kept apart from the positive form."""

from __future__ import annotations

import pytest

from serviceqa.lang.analysis import analyse
from serviceqa.lang.registry import get_compiled
from serviceqa.lang.text import tokenize
from serviceqa.model import Conversation


def sections(text: str) -> set[str]:
    return {h.section for h in get_compiled("kk").find(text, tokenize(text))}


def conversation(*messages: tuple[str, str]) -> Conversation:
    return Conversation.model_validate({"id": "kk-lang", "messages": [
        {"role": role, "text": text} for role, text in messages]})


# -- language identification ------------------------------------------------------------------

KAZAKH = [
    "Сәлеметсіз бе! Тапсырысым әлі келген жоқ, қашан жеткізесіздер?",
    "Рақмет, бәрі түсінікті, сау болыңыз.",
    "Картам бұғатталып қалды, не істеуім керек?",
    "Курьер бүгін кешке дейін келеді, алдын ала қоңырау шалады.",
]
RUSSIAN = [
    "Здравствуйте, у меня не приходит заказ уже неделю.",
    "Спасибо, всё понятно, до свидания.",
]
# Kazakh typed on a Russian keyboard, without ә ғ қ ң ө ұ ү һ і. The Kazakh-letter shortcut
# cannot fire, so lingua decides; it recognises these whole sentences as Kazakh.
KAZAKH_NO_LETTERS = [
    "салеметсизбе. картам блоктанып калды, пин кодты 3 рет кате тердим. енди не истеймин",
    "рахмет коп, керемет кызмет",
    "шаршадым сендерден, ешкандай жауап жок",
]


@pytest.mark.parametrize("text", KAZAKH)
def test_kazakh_message_is_kazakh(text):
    analysis = analyse(conversation(("customer", text)))
    assert analysis.language == "kk"
    assert analysis.messages[0].language == "kk"


@pytest.mark.parametrize("text", RUSSIAN)
def test_russian_message_is_russian(text):
    assert analyse(conversation(("customer", text))).language == "ru"


@pytest.mark.parametrize("text", KAZAKH_NO_LETTERS)
def test_kazakh_without_special_letters_is_still_kazakh(text):
    assert analyse(conversation(("customer", text))).language == "kk"


def test_mixed_conversation_has_both_languages_and_both_packs():
    analysis = analyse(conversation(
        ("agent", "Сәлеметсіз бе! «ДалаМаркет» қолдау қызметі, менің атым Жансая."),
        ("customer", "Здравствуйте, я заказывала кроссовки, размер не подошёл, хочу поменять."),
        ("agent", "Әрине, ауыстырып береміз. Тапсырыс нөміріңізді жазып жібересіз бе?"),
        ("customer", "Сейчас скину, номер в SMS был.")))
    assert {"kk", "ru"} <= set(analysis.languages)
    assert analysis.messages[0].language == "kk" and analysis.messages[1].language == "ru"
    assert "ru" in analysis.packs  # kk declares also_use: [ru]


# What the identifier cannot do: a short line mixing a Kazakh word typed without Kazakh
# letters into Russian ("жок рахмет коп", "менеджерди шакырыныз, с вами бесполезно") is
# identified as Russian. In a conversation the Kazakh messages around it bring the kk pack in,
# so its phrases still match there.
def test_mixed_short_line_without_letters_matches_in_a_kazakh_conversation():
    analysis = analyse(conversation(
        ("agent", "Сәлеметсіз бе! Сізге қалай көмектесе аламын?"),
        ("customer", "менеджерди шакырыныз, с вами бесполезно")))
    assert "kk" in analysis.packs
    assert "manager_request" in analysis.messages[1].sections()


# -- one phrase, many inflected forms -----------------------------------------------------------

INFLECTED = [
    ("clarifying_question", "Тапсырыс нөміріңізді жазыңызшы"),
    ("clarifying_question", "Тапсырыс нөмірін айтып жіберіңіз"),
    ("clarifying_question", "Тапсырыс нөмірі қандай?"),
    ("manager_request", "Басшыңызбен сөйлескім келеді"),
    ("manager_request", "Басшыңызды шақырыңыз"),
    ("manager_request", "Басшыңызға қосыңыз"),
    ("claim_seeker", "Өтемақы төлеңіз"),
    ("claim_seeker", "Өтемақыны қашан аламын?"),
    ("claim_seeker", "Өтемақысын талап етемін"),
    ("dissatisfaction", "Шағым жазамын"),
    ("dissatisfaction", "Шағымымды жоғарыға жазамын"),
    ("dissatisfaction", "Шағымданамын!"),
    ("time_frame", "ертең"), ("time_frame", "ертеңге дейін"), ("time_frame", "ертеңгі күні"),
    ("time_frame", "3 жұмыс күні ішінде"), ("time_frame", "екі сағат ішінде"),
    ("apology", "Кешіріңіз"), ("apology", "Кешіріңіздер"), ("apology", "Кешірім сұраймын"),
]


@pytest.mark.parametrize("section,text", INFLECTED)
def test_inflected_form_matches(section, text):
    assert section in sections(text)


# -- formal vs informal address -----------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "Сізге қалай көмектесе аламын?", "Күте тұрыңыз, қазір тексеремін.",
    "Өзіңіз қосымшадан көре аласыз.", "Айтыңызшы, қай күн ыңғайлы?"])
def test_formal_address(text):
    found = sections(text)
    assert "formal_address" in found and "informal_address" not in found


@pytest.mark.parametrize("text", [
    "Сен күте тұр.", "Саған айттым ғой.", "Өзің қара витринадан.", "Түсінесің бе?"])
def test_informal_address(text):
    assert "informal_address" in sections(text)


@pytest.mark.parametrize("text", ["Кешіңіз жақсы өтсін!", "Жаңа кроссовкаңыз құтты болсын!",
                                  "Сәлеметсің бе, апа"])
def test_wishes_in_sin_are_not_informal(text):
    # Wishes end in -сын/-сін (өтсін, болсын), the informal verb in -сың/-сің (білесің).
    assert "informal_address" not in sections(text)


# -- typos and text without Kazakh letters ------------------------------------------------------

@pytest.mark.parametrize("section,text", [
    ("greeting", "салеметсизбе"), ("greeting", "Салеметсиз бе"), ("greeting", "сәлеметсіздер ме"),
    ("polite_markers", "рахмет"), ("polite_markers", "рақмет"), ("closing", "сау болыныз"),
    ("apology", "кешириниз"), ("dont_know", "билмеймин"), ("manager_request", "басшыныз бар ма"),
    ("confirm_understanding", "дурыс тусиндим бе"), ("formal_address", "сiзге"), ("formal_address", "сiз"),
])
def test_typed_without_letters(section, text):
    assert section in sections(text)


# -- negation is a suffix: never confused with the positive form ------------------------------

@pytest.mark.parametrize("text", ["Білмеймін.", "Мен білмеймін ғой", "Нақты айта алмаймын"])
def test_dont_know(text):
    assert "dont_know" in sections(text)


@pytest.mark.parametrize("text", ["Білемін, ертең келеді.", "Біз білеміз", "Айта аламын"])
def test_knowing_is_not_dont_know(text):
    assert "dont_know" not in sections(text)


def _sentiment(text: str) -> set[str]:
    return {s.removeprefix("sentiment.") for s in sections(text) if s.startswith("sentiment.")}


@pytest.mark.parametrize("positive,negative", [
    ("Маған ұнады", "Маған ұнамады"),
    ("Көмектестіңіз, рахмет", "Көмектеспедіңіз"),
    ("Мәселе шешілді", "Мәселе шешілмеді"),
    ("Тапсырыс жеткізілді", "Тапсырыс жеткізілмеді"),
])
def test_negative_suffix_flips_the_word(positive, negative):
    assert _sentiment(positive) == {"positive"}
    assert _sentiment(negative) == {"negative"}


def test_negator_after_a_positive_word():
    assert "negators" in _sentiment("Сервис жақсы емес")
