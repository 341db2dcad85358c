"""What the customer does: threats, complaints, requests, and the difficult types."""

from __future__ import annotations

from .base import Context, Detector, Finding, PhraseDetector, merge_evidence


class _CustomerPhrase(PhraseDetector):
    side = "customer"


class ThreatDetector(_CustomerPhrase):
    """Threats of violence or damage: 'я вам офис разнесу', 'tudom, hol laksz',
    'I'll smash your shop'. Raises the safety alert. Pack section: threat."""

    name = "threat"
    polarity = "bad"


class DissatisfactionDetector(_CustomerPhrase):
    """Complaints: 'это безобразие', 'ужасный сервис', 'szégyen', 'worst service ever'.
    Pack section: dissatisfaction."""

    name = "dissatisfaction"
    polarity = "bad"


class ManagerRequestDetector(_CustomerPhrase):
    """'Позовите старшего', 'Chci mluvit s vedoucím', 'get me your manager'.
    Pack section: manager_request."""

    name = "manager_request"


class CustomerRequestDetector(_CustomerPhrase):
    """The customer needs a solution or a choice, so options are worth offering.
    Pack section: customer_request."""

    name = "customer_request"


class CustomerInsultDetector(_CustomerPhrase):
    """The customer insults the agent. Pack section: insult."""

    name = "customer_insult"
    section = "insult"
    polarity = "bad"


class CustomerProfanityDetector(_CustomerPhrase):
    """The customer swears. Pack section: profanity."""

    name = "customer_profanity"
    section = "profanity"
    polarity = "bad"


class CustomerRudenessDetector(_CustomerPhrase):
    """Rude phrases from the customer. Pack section: rudeness."""

    name = "customer_rudeness"
    section = "rudeness"
    polarity = "bad"


class CluelessDetector(_CustomerPhrase):
    """Type clueless: 'я в этом ничего не понимаю', 'fogalmam sincs, mit kell nyomni'.
    Pack section: clueless."""

    name = "clueless"


class KnowItAllDetector(_CustomerPhrase):
    """Type know_it_all: 'я лучше вас знаю', 'já v IT pracuju', 'let me explain your job'.
    Pack section: know_it_all."""

    name = "know_it_all"


class OffendedDetector(_CustomerPhrase):
    """Type offended: 'слишком дорого', 'это подделка', 'átvernek', 'you're cheating me'.
    Pack section: offended."""

    name = "offended"


class ChattyDetector(_CustomerPhrase):
    """Type chatty: grandchildren, weather, holidays instead of the request.
    Pack section: chatty."""

    name = "chatty"


class ClaimSeekerDetector(_CustomerPhrase):
    """Type claim_seeker: reports damage and wants compensation: 'требую компенсацию',
    'kártérítést kérek', 'chci slevu za tu škrábanec'. Pack section: claim_seeker."""

    name = "claim_seeker"


class RudeCustomerDetector(Detector):
    """Type rude: the customer insults, swears or is rude.
    Reads: customer_insult, customer_profanity, customer_rudeness."""

    name = "rude_customer"
    side = "customer"
    _PARTS = ("customer_insult", "customer_profanity", "customer_rudeness")

    def detect(self, ctx: Context) -> Finding:
        parts = [ctx.findings[p] for p in self._PARTS if p in ctx.findings]
        evidence = merge_evidence(e for f in parts for e in f.evidence)
        return Finding(self.name, bool(evidence), evidence, float(len(evidence)))


DETECTORS = [ThreatDetector(), DissatisfactionDetector(), ManagerRequestDetector(),
             CustomerRequestDetector(), CustomerInsultDetector(), CustomerProfanityDetector(),
             CustomerRudenessDetector(), CluelessDetector(), KnowItAllDetector(),
             OffendedDetector(), ChattyDetector(), ClaimSeekerDetector(), RudeCustomerDetector()]
