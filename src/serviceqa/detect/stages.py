"""The four stages of the service standard: greeting, clarifying, confirming, closing."""

from __future__ import annotations

from ..lang.text import strip_accents, tokenize
from .base import (Context, Detector, Finding, PhraseDetector, evidence_of, merge_evidence,
                   whole_message)


class GreetingDetector(PhraseDetector):
    """The agent greets in its first messages.

    Passes when: 'Добрый день!', 'Сәлеметсіз бе', 'Dobrý den', 'Jó napot kívánok', 'Hi there'.
    Fails when: the agent starts with the answer or with 'Номер заказа?'.
    Pack section: greeting.
    """

    name = "greeting"
    polarity = "good"
    scope = "opening"


class SelfIntroductionDetector(Detector):
    """The agent gives their name and names the company or department, in the opening.

    Passes when: 'Меня зовут Анна, служба поддержки Kaspi', 'Ügyfélszolgálat, Kovács Anna'.
    Fails when: only a greeting, or a name without the company/department.
    The agent's name from the conversation (`agent.name`) and `metadata.company` count too.
    Pack sections: introduction, department.
    """

    name = "self_introduction"
    polarity = "good"
    reads = frozenset({"introduction", "department"})

    def detect(self, ctx: Context) -> Finding:
        opening = ctx.messages("agent", "opening")
        names = [m for m in ctx.hits("introduction", "agent", "opening")]
        units = [m for m in ctx.hits("department", "agent", "opening")]
        evidence = [evidence_of(m, h.start, h.end, self.name) for m, h in names + units]
        agent = ctx.conversation.agent
        has_name = bool(names) or self._mentions(opening, agent.name if agent else None, evidence)
        company = ctx.conversation.metadata.get("company")
        has_unit = bool(units) or self._mentions(opening, company if isinstance(company, str)
                                                 else None, evidence)
        found = has_name and has_unit
        missing = () if found or not opening else (whole_message(opening[0], self.name, True),)
        return Finding(self.name, found, merge_evidence(evidence) if found else (),
                       1.0 if found else 0.0, missing)

    def _mentions(self, messages, phrase, evidence) -> bool:  # type: ignore[no-untyped-def]
        if not phrase:
            return False
        words = tokenize(phrase)
        if not words:
            return False
        wanted = strip_accents(words[0].norm)
        for message in messages:
            for token in message.tokens:
                if strip_accents(token.norm).startswith(wanted) and len(wanted) >= 3:
                    evidence.append(evidence_of(message, token.start, token.end, self.name))
                    return True
        return False


class ClarifyingQuestionDetector(PhraseDetector):
    """The agent asks a clarifying question (order number, address, what happened).

    Passes when: 'Подскажите, пожалуйста, номер заказа', 'Mikor adta le a rendelést?'.
    Fails when: the agent answers without asking anything.
    Pack section: clarifying_question.
    """

    name = "clarifying_question"
    polarity = "good"


class ConfirmUnderstandingDetector(PhraseDetector):
    """The agent checks understanding: 'Правильно ли я понимаю, что...', 'Jestli tomu dobře
    rozumím...', 'So you'd like ..., is that right?'. Pack section: confirm_understanding."""

    name = "confirm_understanding"
    polarity = "good"


class NextStepsDetector(Detector):
    """The agent says what happens next AND when, in the same or the following agent message.

    Passes when: 'Передам заявку в отдел доставки, вам перезвонят в течение двух часов'.
    Fails when: 'Мы разберёмся' (no time frame) or a time with no next step.
    Pack sections: next_steps, time_frame.
    """

    name = "next_steps"
    polarity = "good"
    reads = frozenset({"next_steps", "time_frame"})

    def detect(self, ctx: Context) -> Finding:
        agent = ctx.messages("agent")
        position = {m.index: n for n, m in enumerate(agent)}
        steps = ctx.hits("next_steps", "agent")
        frames = ctx.hits("time_frame", "agent")
        evidence = []
        for step_message, step in steps:
            near = [(m, h) for m, h in frames
                    if 0 <= position[m.index] - position[step_message.index] <= 1]
            if near:
                frame_message, frame = min(near, key=lambda mh: (  # nearest, then fullest
                    mh[0].index, abs(mh[1].start - step.start), mh[1].start, -mh[1].end))
                evidence.append(evidence_of(step_message, step.start, step.end, self.name))
                evidence.append(evidence_of(frame_message, frame.start, frame.end, self.name))
        merged = merge_evidence(evidence)
        return Finding(self.name, bool(merged), merged, float(len(steps)))


class OfferOptionsDetector(PhraseDetector):
    """The agent offers a choice: 'Могу предложить два варианта', 'buď ... nebo ...'.
    Pack section: offer_options."""

    name = "offer_options"
    polarity = "good"


class ClosingDetector(PhraseDetector):
    """The agent ends with a closing formula in its last messages: 'Спасибо за обращение,
    хорошего дня!', 'Köszönjük, hogy minket választott, viszonthallásra!'.
    Pack section: closing."""

    name = "closing"
    polarity = "good"
    scope = "closing"


class RedirectDetector(PhraseDetector):
    """The agent politely brings a chatty customer back: 'Могу ли я ещё чем-то помочь по
    вашему вопросу?', 'Have I answered all your questions?'. Pack section: redirect."""

    name = "redirect"
    polarity = "good"


DETECTORS = [GreetingDetector(), SelfIntroductionDetector(), ClarifyingQuestionDetector(),
             ConfirmUnderstandingDetector(), NextStepsDetector(), OfferOptionsDetector(),
             ClosingDetector(), RedirectDetector()]
