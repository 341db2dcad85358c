"""Knowledge and competence: 'I don't know' with or without a promise, and hand-over."""

from __future__ import annotations

from .base import Context, Detector, Finding, PhraseDetector, evidence_of, merge_evidence


class DontKnowDetector(PhraseDetector):
    """The agent says 'I don't know' in any form: 'не знаю', 'білмеймін', 'nem tudom',
    'nevím', 'no idea'. Pack section: dont_know."""

    name = "dont_know"
    polarity = "neutral"


class FindOutPromiseDetector(PhraseDetector):
    """The agent promises to find out: 'уточню и вернусь к вам', 'utánanézek', 'zjistím to'.
    Pack section: find_out_promise."""

    name = "find_out_promise"
    polarity = "good"


class EscalationDetector(PhraseDetector):
    """The agent hands over to a competent colleague: 'переключаю вас на специалиста',
    'přepojím Vás na kolegu', 'I'll transfer you to our billing team'.
    Pack section: escalation."""

    name = "escalation"
    polarity = "good"


class OutOfCompetenceDetector(PhraseDetector):
    """The agent says the question is outside their competence. Pack: out_of_competence."""

    name = "out_of_competence"
    polarity = "neutral"


class SafetyResponseDetector(PhraseDetector):
    """On a threat the agent puts safety first: security, police, documenting the incident.
    Pack section: safety_response."""

    name = "safety_response"
    polarity = "good"


class BareDontKnowDetector(Detector):
    """A bare 'I don't know': no promise to find out and no hand-over in the same or the
    next agent message.

    Found when: 'Не знаю.' and nothing after it; 'Nem tudom, nem az én asztalom.'
    Not found when: 'Не знаю, но уточню у коллег и перезвоню', 'Nevím, ale zjistím to'.
    Reads: dont_know, find_out_promise, escalation.
    """

    name = "bare_dont_know"
    polarity = "bad"
    _RESCUE = ("find_out_promise", "escalation")
    reads = frozenset({"dont_know", *_RESCUE})

    def detect(self, ctx: Context) -> Finding:
        agent = ctx.messages("agent")
        bare = []
        for n, message in enumerate(agent):
            said = [h for h in message.hits if h.section == "dont_know"]
            if not said:
                continue
            window = agent[n:n + 2]
            rescued = any(h.section in self._RESCUE for m in window for h in m.hits)
            if not rescued:
                bare.extend(evidence_of(message, h.start, h.end, self.name) for h in said)
        evidence = merge_evidence(bare)
        return Finding(self.name, bool(evidence), evidence, float(len(evidence)))


DETECTORS = [DontKnowDetector(), FindOutPromiseDetector(), EscalationDetector(),
             OutOfCompetenceDetector(), SafetyResponseDetector(), BareDontKnowDetector()]
