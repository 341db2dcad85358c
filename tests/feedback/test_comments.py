"""Survey comments read by the same analysis and detectors as conversations, in each
language as customers write: sentiment, difficult-customer signals, complaint themes."""

from __future__ import annotations

import pytest

from serviceqa.feedback.comments import analyse_comment, theme_names, themes_of, top_themes

# (language, comment, complaint?, themes that must be found)
CASES = [
    ("ru", "Ждала ответа почти час, а оператор ещё и нахамил. Безобразие!", True,
     {"waiting", "rudeness"}),
    ("ru", "спасибо большое, всё быстро решили, вы молодцы", False, set()),
    ("ru", "Вопрос так и не решили, а за доставку содрали втридорога", True,
     {"unresolved", "delivery"}),
    ("kk", "Бір сағат күттім, оператор дөрекі сөйледі. Ұят!", True, {"waiting", "rudeness"}),
    ("kk", "Рақмет, бәрі жақсы, тез көмектестіңіздер", False, set()),
    ("kk", "Тапсырысым сынған күйде келді, ақшамды қайтарыңыз", True, {"quality", "refund"}),
    ("hu", "Fél órát vártam, és az ügyintéző goromba volt velem. Szégyen!", True,
     {"waiting", "rudeness"}),
    ("hu", "Köszönöm, nagyon kedvesek és gyorsak voltak.", False, set()),
    ("hu", "A csomag sérülten érkezett, és még mindig nem kaptam visszatérítést.", True,
     {"delivery", "quality", "refund"}),
    ("cs", "Čekal jsem strašně dlouho a paní na mě byla hrubá. Hrůza.", True,
     {"waiting", "rudeness"}),
    ("cs", "Děkuji, všechno bylo rychle vyřízené, jste skvělí.", False, set()),
    ("cs", "Zásilka přišla rozbitá a vrácení peněz pořád nic.", True, {"delivery", "quality"}),
    ("en", "Waited over an hour and the agent was rude. Worst service ever.", True,
     {"waiting", "rudeness"}),
    ("en", "Great help, thank you so much!", False, set()),
    ("en", "Still not fixed after three calls, and the parcel arrived broken.", True,
     {"unresolved", "delivery", "quality"}),
]


@pytest.mark.parametrize("language, text, complaint, themes", CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_comment_analysis(language: str, text: str, complaint: bool, themes: set[str]) -> None:
    result = analyse_comment(text, language)
    assert result["complaint"] is complaint, result
    if complaint:
        assert (result["sentiment"] or 0) < 0 or result["signals"] or result["types"]
        assert themes <= set(result["themes"]), result
    else:
        assert result["sentiment"] > 0 and result["themes"] == []


def test_mixed_russian_and_kazakh() -> None:
    result = analyse_comment("Оператор дөрекі болды, ждала очень долго, ұят!", None)
    assert result["complaint"] and {"rudeness", "waiting"} <= set(result["themes"])


def test_a_threat_in_a_comment_is_a_signal() -> None:
    for text, language in (("Ещё раз так сделаете — я вам офис разнесу", "ru"),
                           ("I'll smash your shop if this happens again", "en")):
        result = analyse_comment(text, language)
        assert result["threat"] and "threat" in result["signals"], (language, result)


def test_a_comment_without_diacritics_or_with_a_typo_still_finds_its_theme() -> None:
    assert "waiting" in themes_of("Zdlouhave cekani, hruza", "cs")
    assert "rudeness" in themes_of("ужасно грубый оператр", "ru")


def test_a_mild_comment_on_a_low_rating_is_a_complaint() -> None:
    text = "Курьер приехал на два дня позже"
    assert not analyse_comment(text, "ru")["complaint"]
    result = analyse_comment(text, "ru", unhappy=True)
    assert result["complaint"] and "delivery" in result["themes"]


def test_no_comment_no_analysis() -> None:
    assert analyse_comment(None, "ru") == {} and analyse_comment("", "en") == {}


def test_every_language_has_every_theme() -> None:
    from serviceqa.feedback.comments import _themes
    for language, themes in _themes().items():
        assert sorted(themes) == theme_names(), language


def test_top_themes_most_first() -> None:
    analyses = [{"themes": ["price", "waiting"]}, {"themes": ["waiting"]}, {},
                {"themes": ["price"]},
                {"themes": ["waiting"]}]
    assert top_themes(analyses) == [("waiting", 3), ("price", 2)]
