"""Czech language tests, written natively: language identification, inflected forms,
formal vs informal address (vykání / tykání), texting without diacritics and obecná čeština,
and negation that must not be read as its positive form."""

from __future__ import annotations

import pytest

from serviceqa.detect.registry import default_registry
from serviceqa.lang.analysis import analyse
from serviceqa.lang.registry import get_compiled
from serviceqa.lang.text import tokenize
from serviceqa.model import Conversation


def sections(text: str) -> set[str]:
    return {h.section for h in get_compiled("cs").find(text, tokenize(text))}


def conversation(*lines: str, role: str = "customer") -> Conversation:
    return Conversation.model_validate(
        {"id": "cs-test", "messages": [{"role": role, "text": t} for t in lines]})


def sentiment(text: str) -> float:
    conv = conversation(text)
    return default_registry().run(conv, analyse(conv))["customer_sentiment"].value or 0.0


# -- language identification ------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "Dobrý den, ještě mi nepřišla objednávka, kterou jsem zaplatil minulý týden.",
    "dobry den, potrebovala bych zmenit adresu doruceni u objednavky",
    "Tak mi řekněte, kde sou moje prachy, kolo jsem vám vrátil před měsícem.",
    "Hele, to je fakt hrozný, už tejden čekám a furt nic.",
    "Omlouváme se za zpoždění, zásilku vám pošleme ještě dnes.",
    "Chci mluvit s vaším vedoucím, tohle je naprostá ostuda.",
])
def test_typical_message_is_czech(text):
    analysis = analyse(conversation(text))
    assert analysis.language == "cs"
    assert analysis.messages[0].language == "cs"


def test_short_lines_inherit_the_czech_conversation():
    analysis = analyse(conversation("Dobrý den, nejde mi zaplatit kartou v e-shopu, píše to chybu.",
                                    "Haló?", "jj", "díky"))
    assert analysis.language == "cs"
    assert all(m.language == "cs" for m in analysis.messages)


# -- inflected forms match one pack phrase ------------------------------------------------

@pytest.mark.parametrize("section,text", [
    # polite_markers "děkovat" through its forms
    ("polite_markers", "Děkuji za trpělivost."),
    ("polite_markers", "Děkujeme, že čekáte."),
    ("polite_markers", "děkuju"),
    # apology "omlouvám se" / "omlouvat" in person and number
    ("apology", "Omlouvám se za potíže."),
    ("apology", "Omlouváme se vám za zdržení."),
    ("apology", "Přijměte prosím naši omluvu."),
    # dissatisfaction "stížnost" in several cases
    ("dissatisfaction", "Podávám stížnost."),
    ("dissatisfaction", "Budu psát stížnosti, dokud to nevyřešíte."),
    ("dissatisfaction", "Nebudu se zdržovat další stížností, rovnou jdu ke konkurenci."),
    # manager_request "s vedouc*" in instrumental, masculine and feminine
    ("manager_request", "Chci mluvit s vedoucím."),
    ("manager_request", "Přepojte mě na vedoucí směny."),
    ("manager_request", "Chci vedoucího, hned!"),
    # claim_seeker "kompenzac*" / "náhrad*"
    ("claim_seeker", "Požaduji kompenzaci."),
    ("claim_seeker", "Jaká kompenzace mi náleží?"),
    ("claim_seeker", "Chci náhradu škody."),
    # insult: one root in many forms
    ("insult", "Vy idioti!"),
    ("insult", "banda idiotů"),
    ("insult", "Jste normální debil."),
    # time_frame: cases of numerals and units
    ("time_frame", "do tří pracovních dnů"),
    ("time_frame", "během dvou hodin"),
    ("time_frame", "do 24 hodin"),
    ("time_frame", "nejpozději zítra"),
])
def test_inflected_forms_match(section, text):
    assert section in sections(text), f"{text!r} should match {section}"


# -- formal vs informal address ---------------------------------------------------------

@pytest.mark.parametrize("text", [
    "Můžete mi prosím poslat číslo objednávky?",
    "Vaše zásilka je na cestě.",
    "Pošlete nám fotku, pane Nováku.",
    "Zkoušel jste telefon restartovat?",
])
def test_formal_address(text):
    found = sections(text)
    assert "formal_address" in found and "informal_address" not in found


@pytest.mark.parametrize("text", [
    "Hele, zkus restartovat router.",
    "Zkoušel jsi telefon restartovat?",
    "Volej si dopravci, číslo máš na webu.",
    "To je tvůj problém.",
    "Tobě to nejde?",
])
def test_informal_address(text):
    assert "informal_address" in sections(text)


@pytest.mark.parametrize("text", [
    "Ty boty vám rádi vyměníme.",         # "ty" as a demonstrative, not "you"
    "Posílám vám odkaz na náš ceník.",    # "vám" must not count as "tobě"
    "Jmenuji se Tomáš, jak vám mohu pomoci?",
])
def test_formal_text_is_not_informal(text):
    assert "informal_address" not in sections(text)


# -- typos, no diacritics, obecná čeština -------------------------------------------------

@pytest.mark.parametrize("section,text", [
    ("greeting", "dobrej den"),
    ("greeting", "dobry den, jak vam muzu pomoct?"),
    ("dont_know", "nevim"),
    ("dont_know", "netusim, kdy to prijde"),
    ("clarifying_question", "napiste mi cislo objednavky"),
    ("time_frame", "prijde to zitra"),
    ("dissatisfaction", "uz toho mam dost, furt nic"),
    ("apology", "prominte, je to nase chyba"),
    ("offended", "to je normalni zlodejna"),
    ("customer_request", "co mam delat?"),
    ("profanity", "kde je ta pracka do prdele"),
    ("rudeness", "UMIS CIST??"),
    ("threat", "vim kde mate sklad a zmlatim vam toho vedouciho"),
])
def test_without_diacritics_and_colloquial(section, text):
    assert section in sections(text), f"{text!r} should match {section}"


# -- negation is not the positive form ------------------------------------------------------

@pytest.mark.parametrize("positive,negative,section", [
    ("To vím.", "To nevím.", "dont_know"),
    ("Vím, kdy to přijde.", "Nevím, kdy to přijde.", "dont_know"),
    ("Už mi to funguje.", "Nefunguje mi to.", "customer_request"),
    ("Rozumím tomu.", "Nerozumím tomu.", "clueless"),
])
def test_negated_form_is_told_apart(positive, negative, section):
    assert section in sections(negative)
    assert section not in sections(positive)


@pytest.mark.parametrize("good,bad", [
    ("Jsem spokojený, děkuji.", "Nejsem spokojený."),
    ("Jsem s vámi spokojená.", "Jsem s vámi nespokojená."),
    ("Pomohli jste mi.", "Vůbec jste mi nepomohli, je to hrozné."),
    ("Doporučuji, rychlé a ochotné.", "Nedoporučuji, pomalé a neochotné."),
])
def test_negation_flips_sentiment(good, bad):
    assert sentiment(good) > 0
    assert sentiment(bad) < 0


def test_agent_saying_customer_did_not_know_is_not_dont_know():
    # "jste o tom nevěděla" is about the customer, not the agent's own "nevím"
    assert "dont_know" not in sections("Protože jste o tom nevěděla, vrátíme vám polovinu.")
