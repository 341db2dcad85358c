"""Review tests run on SQLite and PostgreSQL (fixtures of tests/store/conftest.py), over a
few chats written in Russian, Kazakh (with Russian mixed in), Hungarian, Czech and
English, scored by the real scoring code once per session."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from serviceqa.model import Conversation, Evaluation
from serviceqa.review.service import ReviewDesk
from serviceqa.score.evaluate import score_conversation
from serviceqa.store import Store
from serviceqa.store.accounts import User
from serviceqa.workspace import Workspace
from tests.store.conftest import db_url, pg_database, pg_url, store  # noqa: F401 - fixtures

CHATS: list[dict[str, Any]] = [
    {"id": "ru-1", "agent": "a-ru", "day": "2026-11-02T09:00:00Z", "messages": [
        ("agent", "Здравствуйте! Меня зовут Ольга, служба поддержки интернет-магазина."),
        ("customer", "Добрый день, мой заказ до сих пор не пришёл, уже неделю жду."),
        ("agent", "Подскажите, пожалуйста, номер вашего заказа?"),
        ("customer", "Номер 48213."),
        ("agent", "Правильно ли я понимаю, что посылка не пришла? Я передам запрос в "
                  "службу доставки, мы перезвоним вам в течение двух часов."),
        ("agent", "Спасибо за обращение, хорошего дня, до свидания!")]},
    {"id": "ru-2", "agent": "a-ru", "day": "2026-11-03T11:00:00Z", "messages": [
        ("agent", "Ну чё тебе надо?"),
        ("customer", "Хочу вернуть деньги за сломанный чайник."),
        ("agent", "Не знаю. Это не моя проблема.")]},
    {"id": "kk-1", "agent": "a-kk", "day": "2026-11-02T10:00:00Z", "messages": [
        ("agent", "Сәлеметсіз бе! Менің атым Айгерім, қолдау қызметі."),
        ("customer", "Сәлем, тапсырысым әлі келмеді, короче уже три дня жду."),
        ("agent", "Тапсырыс нөмірін айтып жібересіз бе?"),
        ("customer", "1234"),
        ("agent", "Рақмет! Сұрағыңызды курьерлік қызметке жібердім, бүгін сағат алтыға "
                  "дейін хабарласамыз."),
        ("agent", "Хабарласқаныңызға рақмет, сау болыңыз!")]},
    {"id": "hu-1", "agent": "a-kk", "day": "2026-11-04T08:00:00Z", "messages": [
        ("agent", "Jó napot kívánok! Kovács Anna vagyok, a DunaBank ügyfélszolgálatától."),
        ("customer", "Jó napot, nem működik a kártyám a boltban."),
        ("agent", "Megmondaná, kérem, a kártyája utolsó négy számjegyét?"),
        ("customer", "4321."),
        ("agent", "Köszönöm, a kártyát feloldottam. További szép napot, viszonthallásra!")]},
    {"id": "cs-1", "agent": "a-kk", "day": "2026-11-10T08:00:00Z", "messages": [
        ("agent", "Dobrý den, u telefonu Petra z zákaznické podpory."),
        ("customer", "Dobrý den, objednávku jsem nedostal, je to už týden."),
        ("agent", "Nevím."),
        ("customer", "To je všechno? Jste neschopní!")]},
    {"id": "en-1", "agent": "a-ru", "day": "2026-11-10T09:00:00Z", "messages": [
        ("agent", "Hello! My name is Sam from the Acme support team."),
        ("customer", "Hi, my parcel arrived broken and I'm really upset."),
        ("agent", "I understand your frustration, I'm sorry. Could you tell me the order "
                  "number, please?"),
        ("customer", "A-5531."),
        ("agent", "So you would like a replacement, did I understand you correctly? We will "
                  "send it within two days."),
        ("agent", "Thank you for contacting us, have a nice day, goodbye!")]},
    {"id": "kk-2", "agent": "a-kk", "day": "2026-11-11T10:00:00Z", "messages": [
        ("agent", "Сәлеметсіз бе! Менің атым Айгерім."),
        ("customer", "Если не вернёте деньги, я приду и взорву ваш магазин!"),
        ("agent", "Түсіндім. Мен күзет қызметін шақырамын.")]},
]


def make_conversation(chat: dict[str, Any]) -> Conversation:
    return Conversation.model_validate({
        "id": chat["id"], "channel": "chat", "started_at": chat["day"],
        "agent": {"id": chat["agent"], "name": chat["agent"], "team": "Almaty"},
        "messages": [{"role": role, "text": text, "at": chat["day"]}
                     for role, text in chat["messages"]]})


@pytest.fixture(scope="session")
def scored() -> list[tuple[Conversation, Evaluation]]:
    pairs = []
    for chat in CHATS:
        conversation = make_conversation(chat)
        pairs.append((conversation, score_conversation(conversation, "chat")))
    return pairs


@dataclass
class Desk:
    desk: ReviewDesk
    users: dict[str, User]
    evaluations: dict[str, Evaluation]

    @property
    def reviews(self) -> Any:
        return self.desk.reviews


@pytest.fixture
def desk(store: Store, scored) -> Iterator[Desk]:  # noqa: F811
    store.save_many(scored)
    users = {}
    for name, role, agent in [("lead", "lead", None), ("olga", "reviewer", None),
                              ("petr", "reviewer", None), ("zhanna", "reviewer", None),
                              ("ru-agent", "agent", "a-ru"), ("kk-agent", "agent", "a-kk")]:
        users[name] = store.accounts.add_user(name, role, agent)[0]
    yield Desk(ReviewDesk(Workspace(store)), users, {e.conversation_id: e for _, e in scored})
