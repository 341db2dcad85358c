"""Hungarian, written natively: language identification, inflected and possessive forms
matching one pack phrase, formal (magázás) vs informal (tegezés) address, typing without
accents, and negation or look-alike words that must not read as the positive form."""

from __future__ import annotations

import pytest

from serviceqa.lang.analysis import analyse
from serviceqa.lang.registry import get_compiled
from serviceqa.lang.text import tokenize
from serviceqa.model import Conversation


def sections(text: str) -> set[str]:
    return {h.section for h in get_compiled("hu").find(text, tokenize(text))}


def conversation(*texts: str, role: str = "customer") -> Conversation:
    return Conversation.model_validate({
        "id": "hu-lang", "messages": [{"role": role, "text": t} for t in texts]})


TYPICAL_MESSAGES = [
    "Jó napot! Három napja várok a csomagomra, és még mindig nem érkezett meg.",
    "Szeretném lemondani a holnapi foglalásomat, mert közbejött valami.",
    "Tisztelt Ügyfélszolgálat! Az októberi számlámon kétszer szerepel ugyanaz a tétel.",
    "szia, a kuponkod nem mukodik a kosarban, mit csinaljak?",
    "Elnézést, meg tudná mondani, hogy a győri üzletükben kapható-e a szürke kanapé?",
    "Kérem, kapcsolja a felettesét, mert ez így elfogadhatatlan.",
]


@pytest.mark.parametrize("text", TYPICAL_MESSAGES)
def test_typical_messages_are_identified_as_hungarian(text):
    analysis = analyse(conversation(text))
    assert analysis.language == "hu"
    assert analysis.messages[0].language == "hu"


def test_a_whole_chat_with_short_lines_is_hungarian():
    analysis = analyse(conversation("halló??", "van ott valaki", "pirosan villog a lámpa a dobozon"))
    assert analysis.language == "hu"


def test_a_line_with_an_english_loanword_keeps_the_hungarian_pack():
    # lingua alone may read "a router pirosan villog" as English; the conversation stays Hungarian
    analysis = analyse(conversation("Jó napot, tegnap este óta nincs internet otthon.",
                                    "a router pirosan villog", "Mikor jön a szerelő?"))
    assert analysis.language == "hu" and "hu" in analysis.packs


INFLECTED = [
    # one pack phrase, several persons, tenses and cases
    ("next_steps", "A kollégánk holnap visszahívja."),
    ("next_steps", "Holnap visszahívjuk."),
    ("next_steps", "Ha nem érne rá, később visszahívom."),
    ("next_steps", "A szerelő visszahívása után egyeztetünk."),
    ("escalation", "Kapcsolom a kollégámat."),
    ("escalation", "Továbbítottuk a számlázási osztálynak."),
    ("escalation", "Továbbítom az ügyét a műszaki kollégáknak."),
    ("find_out_promise", "Utánanézek, és visszaírok."),
    ("find_out_promise", "Utánanézünk a csomagnak."),
    ("find_out_promise", "Kérem, várjon, amíg utánanézek a rendelésének."),
    ("apology", "Elnézést a várakozásért."),
    ("apology", "Elnézését kérjük a kellemetlenségért."),
    ("apology", "Nagyon sajnáljuk, ami történt."),
    ("apology", "Sajnálom, hogy így alakult."),
    ("clarifying_question", "Megadná a rendelésszámot?"),
    ("clarifying_question", "Kérem, írja meg a rendelésszámát."),
    ("clarifying_question", "A rendelésszámomat nem találom, mit adjak meg helyette?"),
    ("offended", "Ez átverés!"),
    ("offended", "Átvernek minket, ennyi."),
    ("offended", "Ti mindenkit átvertek."),
    ("claim_seeker", "Kártérítést kérek."),
    ("claim_seeker", "Jár nekem kártérítés?"),
    ("claim_seeker", "A kártérítési igényemet benyújtottam."),
    ("dissatisfaction", "Panaszt szeretnék tenni."),
    ("dissatisfaction", "A panaszomra még nem válaszoltak."),
    ("dissatisfaction", "Reklamálni szeretnék."),
    ("chatty", "Az unokám intézte a regisztrációt."),
    ("chatty", "Az unokáimnak vettem karácsonyra."),
]


@pytest.mark.parametrize("section,text", INFLECTED)
def test_inflected_forms_match_one_phrase(section, text):
    assert section in sections(text), f"{text!r} should match {section}"


FORMAL = [
    "Önnek melyik időpont lenne megfelelő?",
    "Kérem, legyen szíves várni egy percet.",
    "Megadná, kérem, a címét?",
    "Rendben, uram, rögzítettem a kérését.",
    "Tessék, itt a rendelésszám.",
]
INFORMAL = [
    "Nézd meg a honlapon.",
    "Küldd el kérlek a rendelésszámot.",
    "Ha megnézted volna, tudnád.",
    "Várjál türelmesen, mint mindenki más.",
    "Küldök neked egy linket.",
]


@pytest.mark.parametrize("text", FORMAL)
def test_formal_address(text):
    found = sections(text)
    assert "formal_address" in found and "informal_address" not in found


@pytest.mark.parametrize("text", INFORMAL)
def test_informal_address(text):
    assert "informal_address" in sections(text)


WITHOUT_ACCENTS = [
    ("polite_markers", "koszonom szepen"),
    ("polite_markers", "kerem adja meg a cimet"),
    ("greeting", "jo napot kivanok"),
    ("closing", "tovabbi szep napot!"),
    ("apology", "elnezest a kesesert"),
    ("dont_know", "nem tudom hol van"),
    ("dont_know", "nemtom"),
    ("dissatisfaction", "ez felhaborito, soha tobbet"),
    ("profanity", "hol a picsaba van a csomagom"),
    ("profanity", "bazdmeg, mar megint"),
    ("insult", "hulye barom"),
    ("customer_request", "szeretnem visszakuldeni a termeket"),
    ("time_frame", "3 munkanapon belul"),
    ("confirm_understanding", "jol ertem, hogy holnap nem lesz otthon?"),
]


@pytest.mark.parametrize("section,text", WITHOUT_ACCENTS)
def test_typed_without_accents(section, text):
    assert section in sections(text), f"{text!r} should match {section}"


NOT_THE_POSITIVE_FORM = [
    # (section that must NOT fire, text that looks like it)
    ("dont_know", "Ezt nem tudom módosítani, de a kolléga igen."),   # 'cannot', not 'don't know'
    ("dont_know", "Tudom, melyik csomagról van szó."),
    ("threat", "A futár szétverte a dobozt."),                     # damage report, not a threat
    ("threat", "Megbántam, hogy itt rendeltem."),
    ("profanity", "A faszerkezetes polcot és a faszenet rendeltem."),
    ("profanity", "A baszk tengerpartra utazunk."),
    ("profanity", "A Szarvas téri üzletben és a szárítógépet is."),
    ("offended", "Köszönöm szépen, drágám."),
    ("manager_request", "A főnököm nem engedett el a munkából."),
    ("informal_address", "Értem, és nagyon sajnálom."),
    ("empathy", "Jól értem, hogy holnap nem lesz otthon?"),
    ("rudeness", "Kérem, olvassa el a mellékelt tájékoztatót."),
    ("confirm_understanding", "Ha ilyen jól ért hozzá, csinálja meg maga."),
    ("introduction", "Megadná a nevét és a címét?"),
    ("offer_options", "Az új PIN-kódot ajánlott levélben küldjük."),
    ("clarifying_question", "Segíthetek még valamiben?"),
    ("dissatisfaction", "Nem, ennyi volt, köszönöm."),
]


@pytest.mark.parametrize("section,text", NOT_THE_POSITIVE_FORM)
def test_look_alikes_and_negation_do_not_fire(section, text):
    assert section not in sections(text), f"{text!r} should not match {section}"


def _sentiment(text: str) -> float:
    from serviceqa.detect.registry import default_registry
    conv = conversation(text)
    return default_registry().run(conv, analyse(conv))["customer_sentiment"].value or 0.0


@pytest.mark.parametrize("positive,negated", [
    ("Jó volt a kiszolgálás.", "Nem volt jó a kiszolgálás."),
    ("Elégedett vagyok.", "Nem vagyok elégedett."),
    ("Gyors volt a szállítás.", "Egyáltalán nem volt gyors a szállítás."),
])
def test_negation_flips_sentiment(positive, negated):
    assert _sentiment(positive) > 0 > _sentiment(negated)


@pytest.mark.parametrize("text", ["Semmi gond, köszönöm!", "Nincs probléma, minden rendben."])
def test_negated_problem_is_not_negative(text):
    assert _sentiment(text) > 0
