"""Politeness and its opposite on the agent side: apology, empathy, address, rudeness."""

from __future__ import annotations

from .base import PhraseDetector


class ApologyDetector(PhraseDetector):
    """'Приносим извинения', 'Elnézést kérünk', 'Omlouváme se', 'Sorry for the wait'.
    Pack section: apology."""

    name = "apology"
    polarity = "good"


class EmpathyDetector(PhraseDetector):
    """The agent acknowledges the customer's feelings: 'Понимаю, как это неприятно',
    'Teljesen megértem a bosszúságát', 'I understand how frustrating this is'.
    Pack section: empathy."""

    name = "empathy"
    polarity = "good"


class FormalAddressDetector(PhraseDetector):
    """Formal address: 'Вы', 'Сіз', 'Ön', 'Vy/Vám'. Pack section: formal_address."""

    name = "formal_address"
    polarity = "good"


class InformalAddressDetector(PhraseDetector):
    """Informal address to a customer: 'ты', 'сен', 'te/neked', 'ty/tobě'.
    Pack section: informal_address."""

    name = "informal_address"
    polarity = "bad"


class PoliteMarkersDetector(PhraseDetector):
    """Courtesy words: 'пожалуйста', 'рахмет', 'kérem', 'prosím', 'please'.
    Pack section: polite_markers."""

    name = "polite_markers"
    polarity = "good"


class RudenessDetector(PhraseDetector):
    """Rude or sarcastic agent phrases: 'Вы что, читать не умеете?', 'Are you deaf?'.
    Pack section: rudeness."""

    name = "rudeness"
    polarity = "bad"


class DismissiveDetector(PhraseDetector):
    """Dismissive agent phrases: 'не моя проблема', 'мне всё равно', 'nem az én dolgom',
    'to není můj problém', 'not my problem'. Pack section: dismissive."""

    name = "dismissive"
    polarity = "bad"


class InsultDetector(PhraseDetector):
    """The agent insults the customer: 'идиот', 'hülye', 'blbec'. Pack section: insult."""

    name = "insult"
    polarity = "bad"


class ProfanityDetector(PhraseDetector):
    """The agent swears. Pack section: profanity (roots and regexes)."""

    name = "profanity"
    polarity = "bad"


DETECTORS = [ApologyDetector(), EmpathyDetector(), FormalAddressDetector(),
             InformalAddressDetector(), PoliteMarkersDetector(), RudenessDetector(),
             DismissiveDetector(), InsultDetector(), ProfanityDetector()]
