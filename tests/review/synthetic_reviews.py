"""A labelled set where the rules are wrong in one systematic way, for the learning tests.

Chats in Russian, English and Hungarian: a greeting with the agent's name, a question, an
answer, a closing. The reviewers of this synthetic shop agree with the rules everywhere
except one phrasing: in Russian, a chat that ends with a bare "Хорошего вечера!" (no thanks,
no goodbye) is judged *not* to close by the standard ("thank you for choosing us, have a
nice day, goodbye"), while the rules count it as a closing. Everything else the reviewers
judge as the rules do, so a learner must find that phrase, in that language, alone.
"""

from __future__ import annotations

from typing import Any

from serviceqa.model import Conversation

OPENINGS = {
    "ru": ["Здравствуйте! Меня зовут {name}, служба поддержки.",
           "Добрый день! Это {name}, отдел доставки."],
    "en": ["Hello! My name is {name} from the support team.",
           "Good morning, this is {name} from customer care."],
    "hu": ["Jó napot kívánok! {name} vagyok, az ügyfélszolgálattól.",
           "Üdvözlöm! {name} vagyok, a szállítási osztályról."],
}
QUESTIONS = {
    "ru": ["Где мой заказ номер {n}?", "Когда приедет курьер с заказом {n}?",
           "Можно поменять адрес доставки заказа {n}?"],
    "en": ["Where is my order {n}?", "When will the courier bring order {n}?",
           "Can I change the delivery address of order {n}?"],
    "hu": ["Hol van a {n}-es rendelésem?", "Mikor jön a futár a {n}-es rendeléssel?",
           "Módosíthatom a {n}-es rendelés címét?"],
}
ANSWERS = {
    "ru": ["Ваш заказ уже в пути, курьер привезёт его завтра.",
           "Адрес изменён, заказ приедет в четверг."],
    "en": ["Your order is on its way, the courier brings it tomorrow.",
           "The address is changed, the order arrives on Thursday."],
    "hu": ["A rendelése már úton van, a futár holnap viszi.",
           "A címet módosítottam, a rendelés csütörtökön érkezik."],
}
# (closing text, what the reviewers say about `closing`)
CLOSINGS = {
    "ru": [("Спасибо за обращение, всего доброго, до свидания!", "pass"),
           ("Хорошего вечера!", "fail"),            # the rules say pass
           ("Пока-пока!", "fail")],
    "en": [("Thank you for contacting us, goodbye!", "pass"), ("Cheers, mate.", "fail")],
    "hu": [("Köszönöm, hogy minket választott, viszontlátásra!", "pass"), ("Szia, pá!", "fail")],
}
NAMES = ["Анна", "Kate", "Anna", "Ольга", "Tom", "Péter"]


def conversations(per_language: int = 24) -> list[tuple[Conversation, str]]:
    """(conversation, the reviewers' closing verdict), deterministic."""
    out = []
    for language in ("ru", "en", "hu"):
        closings = CLOSINGS[language]
        for i in range(per_language):
            closing, verdict = closings[i % len(closings)]
            messages: list[dict[str, Any]] = [
                {"role": "agent", "text": OPENINGS[language][i % 2].format(
                    name=NAMES[i % len(NAMES)])},
                {"role": "customer", "text": QUESTIONS[language][i % 3].format(n=4000 + i)},
                {"role": "agent", "text": ANSWERS[language][(i // 3) % 2]},
                {"role": "agent", "text": closing}]
            out.append((Conversation.model_validate(
                {"id": f"syn-{language}-{i:02d}", "channel": "chat", "messages": messages}),
                verdict))
    return out
