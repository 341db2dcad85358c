"""Russian, written natively: language identification, inflection, address forms, typos and
negation. Each table row is one realistic message."""

from __future__ import annotations

import pytest

from serviceqa.detect.registry import default_registry
from serviceqa.detect.sentiment import message_sentiment
from serviceqa.lang.analysis import analyse
from serviceqa.lang.registry import get_compiled
from serviceqa.lang.text import tokenize
from serviceqa.model import Conversation


def _sections(text: str) -> set[str]:
    return {h.section for h in get_compiled("ru").find(text, tokenize(text))}


def _conversation(*messages: tuple[str, str]) -> Conversation:
    return Conversation.model_validate({
        "id": "ru-test", "channel": "chat",
        "messages": [{"role": role, "text": text} for role, text in messages]})


def _findings(*messages: tuple[str, str]):
    conversation = _conversation(*messages)
    return default_registry().run(conversation, analyse(conversation))


# -- language identification ------------------------------------------------------------
@pytest.mark.parametrize("text", [
    "Здравствуйте, у меня не проходит оплата картой на сайте",
    "добрый вечер а доставка в выходные работает?",
    "Вы там совсем охренели? Третий день интернета нет!",
    "Подскажите, пожалуйста, номер заказа и адрес доставки.",
    "спс огромное, всё пришло вовремя 👍",
    "Мне внук говорит: бабуль, позвони, чего ты мучаешься",
])
def test_russian_message_is_identified_as_ru(text):
    analysis = analyse(_conversation(("customer", text)))
    assert analysis.language == "ru"
    assert analysis.messages[0].language == "ru"


@pytest.mark.parametrize("text", [
    "Сәлеметсіз бе, тапсырысым әлі келген жоқ",
    "Рахмет, бәрі түсінікті болды",
])
def test_kazakh_letters_mean_kk_not_ru(text):
    analysis = analyse(_conversation(("customer", text)))
    assert analysis.messages[0].language == "kk"


def test_mixed_conversation_keeps_russian_messages_ru():
    analysis = analyse(_conversation(
        ("customer", "Сәлеметсіз бе, тапсырысым қайда?"),
        ("agent", "Здравствуйте! Подскажите, пожалуйста, номер заказа, я проверю.")))
    assert analysis.messages[0].language == "kk"
    assert analysis.messages[1].language == "ru"
    assert "ru" in analysis.packs


# -- one phrase, many inflected forms -----------------------------------------------------
@pytest.mark.parametrize("section,text", [
    # next_steps: "передать ... заявка"
    ("next_steps", "Я передам заявку в отдел доставки"),
    ("next_steps", "Передала вашу заявку инженеру"),
    ("next_steps", "Мы передадим заявку мастеру"),
    ("next_steps", "Ваши заявки передали на склад"),
    # apology: "извинение" / "извиняться"
    ("apology", "Приносим свои извинения за ожидание"),
    ("apology", "Извиняемся за путаницу с заказом"),
    ("apology", "Приношу извинений, что так вышло"),
    # time_frame: "в течение", numbers with units
    ("time_frame", "в течение трёх рабочих дней"),
    ("time_frame", "в течение 2 часов"),
    ("time_frame", "через 15 минут"),
    ("time_frame", "до конца сегодняшнего дня"),
    # manager_request: "позвать ... старший"
    ("manager_request", "Позовите старшего!"),
    ("manager_request", "Позови старшего, говорю"),
    ("manager_request", "Я прошу позвать старшего смены"),
    # escalation: "переключ* ... специалист*"
    ("escalation", "Переключаю вас на специалиста"),
    ("escalation", "Сейчас переключу на специалистов второй линии"),
    ("escalation", "Переключила вас на специалиста по кредитам"),
    # offended: "подделка"
    ("offended", "Это же подделка!"),
    ("offended", "Мне прислали подделку"),
    ("offended", "У вас одни подделки"),
    # insult: "урод"
    ("insult", "Уроды!"),
    ("insult", "Какие же вы уроды"),
    ("insult", "С такими уродами не работаю"),
])
def test_inflected_forms_match_one_phrase(section, text):
    assert section in _sections(text)


# -- formal vs informal address -------------------------------------------------------------
@pytest.mark.parametrize("text", [
    "Подскажите, пожалуйста, ваш номер телефона",
    "Благодарю вас за ожидание",
    "Анна Сергеевна, ваш заказ готов",
    "Будьте добры, пишите нам в любое время",
])
def test_formal_address_without_informal(text):
    found = _sections(text)
    assert "informal_address" not in found
    assert found & {"formal_address", "polite_markers"}


@pytest.mark.parametrize("text", [
    "Слушай, я тебе всё сказал",
    "Пиши на сайт, там ответят",
    "Ну сравнивай дальше",
    "Сам понимаешь, праздники",
    "Твой заказ уже у курьера",
])
def test_informal_address_is_found(text):
    assert "informal_address" in _sections(text)


@pytest.mark.parametrize("text", ["Пишите нам", "Слушайте внимательно", "Давайте посмотрим",
                                  "Я вас слышу", "На сайте всё написано"])
def test_formal_imperatives_are_not_informal(text):
    assert "informal_address" not in _sections(text)


def test_politeness_criterion_fails_on_ty():
    findings = _findings(("customer", "Можно нормально объяснить?"),
                         ("agent", "Слушай, я тебе всё уже написал."))
    assert findings["informal_address"].found


# -- typos, missing ё, colloquial spelling ---------------------------------------------------
@pytest.mark.parametrize("section,text", [
    ("greeting", "Здраствуйте!"),
    ("greeting", "Здрасьте"),
    ("polite_markers", "Подождите пожалуста"),
    ("polite_markers", "пжл, быстрее"),
    ("dismissive", "Мне все равно"),
    ("dismissive", "Мне всё равно"),
    ("find_out_promise", "Разберемся и ответим"),
    ("find_out_promise", "Разберёмся и ответим"),
    ("profanity", "Это п***ц"),
    ("profanity", "да бл* опять"),
    ("dont_know", "хз, честно"),
    ("closing", "Досвидания!"),
])
def test_typos_and_spelling_variants(section, text):
    assert section in _sections(text)


# -- negation is not the positive form ---------------------------------------------------------
@pytest.mark.parametrize("positive,negative", [
    ("Я очень доволен обслуживанием", "Я совсем не доволен обслуживанием"),
    ("Рекомендую этот магазин", "Не рекомендую этот магазин"),
    ("Курьер был вежливый", "Курьер был не вежливый"),
])
def test_negation_flips_sentiment(positive, negative):
    values = []
    for text in (positive, negative):
        message = analyse(_conversation(("customer", text))).messages[0]
        values.append(message_sentiment(message))
    assert values[0] is not None and values[0] > 0
    assert values[1] is not None and values[1] < 0


@pytest.mark.parametrize("section,with_it,without_it", [
    ("dont_know", "Не знаю, когда будет поставка", "Знаю, поставка будет в среду"),
    ("empathy", "Понимаю, как это неприятно", "Не понимаю, о каком заказе речь"),
    ("dont_know", "Не знаем пока", "Администратор об этом не знал"),
    ("clueless", "Я ничего не понимаю в этих настройках", "Вы ничего не понимаете в своих тарифах"),
])
def test_negated_or_other_person_is_not_the_same_phrase(section, with_it, without_it):
    assert section in _sections(with_it)
    assert section not in _sections(without_it)


@pytest.mark.parametrize("text", [
    "Хлеб свежий, ребёнку понравилось, небо ясное",
    "Потребую чек у курьера, тебе перезвоню",
    "Вот блин, опять забыла пароль",
    "Пицца была с хреном и бужениной",
])
def test_no_profanity_in_similar_words(text):
    assert "profanity" not in _sections(text)
