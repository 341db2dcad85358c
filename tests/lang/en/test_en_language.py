"""English, written natively: language identification, inflected forms, formal vs informal
address, typos and txt-speak, and negation that must not read as the positive form."""

from __future__ import annotations

import pytest

from serviceqa.lang.analysis import analyse
from serviceqa.lang.registry import get_compiled
from serviceqa.lang.text import tokenize
from serviceqa.model import Conversation


def sections(text: str) -> set[str]:
    return {h.section for h in get_compiled("en").find(text, tokenize(text))}


def conversation(*texts: str) -> Conversation:
    return Conversation.model_validate({
        "id": "en-lang", "messages": [{"role": "customer", "text": t} for t in texts]})


TYPICAL_MESSAGES = [
    "Hi there, my parcel was marked as delivered but it never arrived.",
    "I've been holding for forty minutes, this is ridiculous.",
    "Could you tell me when the engineer is coming round?",
    "hiya, can i freeze my membership instead of cancelling? thanks",
    "Dear Sir or Madam, I am writing to complain about my last bill.",
    "The lamp arrived chipped and one of the mugs has a crack in the handle.",
]


@pytest.mark.parametrize("text", TYPICAL_MESSAGES)
def test_typical_messages_are_identified_as_english(text):
    analysis = analyse(conversation(text))
    assert analysis.language == "en"
    assert analysis.messages[0].language == "en"


def test_a_whole_chat_is_english():
    analysis = analyse(conversation("hello??", "anyone there", "my wifi keeps dropping out every evening"))
    assert analysis.language == "en"


INFLECTED = [
    # one pack phrase, several inflected or contracted forms
    ("apology", "We apologise for the delay."),
    ("apology", "I apologised to the customer yesterday."),
    ("apology", "Apologising again for the mix-up."),
    ("apology", "She apologized twice."),
    ("escalation", "I'll transfer you to billing."),
    ("escalation", "I'm transferring you to our cards team now."),
    ("escalation", "I've escalated it to the specialist team."),
    ("escalation", "This has been escalated."),
    ("confirm_understanding", "If I understood correctly, you were charged twice?"),
    ("confirm_understanding", "If I understand correctly, you want a refund?"),
    ("confirm_understanding", "Just so I've understood you right, it's the blue one?"),
    ("next_steps", "We'll call you back within 2 hours."),
    ("next_steps", "The courier will call you back tomorrow."),
    ("next_steps", "You'll also get a confirmation email."),
    ("customer_request", "My router isn't working."),
    ("customer_request", "The router does not work."),
    ("customer_request", "it's broken"),
    ("dissatisfaction", "Nobody replied to my email."),
    ("dissatisfaction", "No one replied to my emails."),
    ("insult", "you idiots"),
    ("insult", "what an idiot"),
    ("insult", "you absolute muppets"),
]


@pytest.mark.parametrize("section,text", INFLECTED)
def test_inflected_forms_match_one_phrase(section, text):
    assert section in sections(text)


@pytest.mark.parametrize("text", [
    "Thank you, Mr Price.", "Certainly, sir.", "Of course, madam.", "Thanks, Ms Byrne.",
    "Good morning, Dr Walsh.", "Thank you, Miss Kelly.",
])
def test_formal_address(text):
    assert "formal_address" in sections(text)
    assert "informal_address" not in sections(text)


@pytest.mark.parametrize("text", [
    "It's in the post, mate.", "no worries hun", "listen pal, that's the policy",
    "u can return it", "put ur order number on the box", "see ya", "calm down bro",
])
def test_informal_address(text):
    assert "informal_address" in sections(text)


@pytest.mark.parametrize("text", [
    "You can return it within 14 days.", "Your pet insurance covers that.",
    "We'd love to help.", "You won't miss the delivery.", "Please put your order number on the box.",
])
def test_ordinary_you_is_not_informal(text):
    assert "informal_address" not in sections(text)


@pytest.mark.parametrize("section,text", [
    ("dont_know", "i dont know"),
    ("dont_know", "dunno"),
    ("dont_know", "idk tbh"),
    ("polite_markers", "pls send the order number"),
    ("polite_markers", "thx for waiting"),
    ("profanity", "f*cking joke"),
    ("profanity", "sh*t service"),
    ("profanity", "fkn useless"),
    ("know_it_all", "I'm a network engineer"),
    ("clueless", "i dont understand any of this"),
    ("offended", "its a rip-off"),
    ("offended", "total ripoff"),
    ("greeting", "heya"),
    ("rudeness", "cant you read"),
    ("apology", "we apologize"),  # US spelling
    ("confirm_understanding", "to summarize"),
])
def test_typos_and_txt_speak(section, text):
    assert section in sections(text)


@pytest.mark.parametrize("section,positive,negated", [
    ("dont_know", "I don't know.", "I do know, it's €40."),
    ("dont_know", "No idea, sorry.", "Good idea, I'll do that."),
    ("dissatisfaction", "I'm not happy with this.", "I'm happy with this."),
    ("dissatisfaction", "I've had enough of this.", "I definitely have enough funds."),
    ("dissatisfaction", "This is the worst service.", "Bad luck with the weather."),
    ("dismissive", "Whatever.", "Whatever suits you best."),
    ("rudeness", "Just deal with it.", "I'll deal with it right away."),
    ("clueless", "I don't understand the bill.", "I don't understand why you can't refund me."),
    ("offended", "I don't believe you.", "Run a test if you don't believe me."),
])
def test_negation_and_near_misses(section, positive, negated):
    assert section in sections(positive)
    assert section not in sections(negated)


@pytest.mark.parametrize("text,sign", [
    ("Not helpful at all.", -1),
    ("Really helpful, thanks!", 1),
    ("It wasn't bad actually.", 1),
    ("I'm not satisfied.", -1),
])
def test_sentiment_handles_negation(text, sign):
    from serviceqa.detect.sentiment import message_sentiment
    message = analyse(conversation(text)).messages[0]
    value = message_sentiment(message)
    assert value is not None and value * sign > 0
