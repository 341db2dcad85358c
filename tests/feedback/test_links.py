"""Survey links: only the server makes them, and they stop working when they expire."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from serviceqa.feedback.links import LinkError, SurveyLinks

SECRET = b"k" * 32
NOW = datetime(2026, 12, 1, 12, 0, tzinfo=timezone.utc)


def test_a_link_names_its_survey_and_conversation():
    links = SurveyLinks(SECRET)
    link = links.check(links.make("csat-ru", "ru-007", now=NOW), now=NOW)
    assert (link.survey, link.conversation_id) == ("csat-ru", "ru-007")
    assert link.expires_at == NOW + timedelta(days=14)


def test_two_links_for_one_conversation_differ():
    links = SurveyLinks(SECRET)
    first, second = (links.check(links.make("nps", "kk-003", now=NOW), now=NOW) for _ in "ab")
    assert first.nonce != second.nonce


def test_an_expired_link_is_refused():
    links = SurveyLinks(SECRET)
    token = links.make("csat", "hu-002", now=NOW, valid_for=timedelta(days=3))
    links.check(token, now=NOW + timedelta(days=3) - timedelta(seconds=1))
    with pytest.raises(LinkError, match="expired"):
        links.check(token, now=NOW + timedelta(days=3))


def test_a_link_signed_with_another_secret_is_refused():
    token = SurveyLinks(b"x" * 32).make("csat", "cs-001", now=NOW)
    with pytest.raises(LinkError, match="not valid"):
        SurveyLinks(SECRET).check(token, now=NOW)


@pytest.mark.parametrize("change", [
    lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),   # signature altered
    lambda t: t[: len(t) // 2],                          # cut short
    lambda t: ("f" if t[0] == "e" else "e") + t[1:],     # payload altered
    lambda t: "",
])
def test_an_altered_link_is_refused(change):
    links = SurveyLinks(SECRET)
    with pytest.raises(LinkError):
        links.check(change(links.make("csat", "en-004", now=NOW)), now=NOW)


def test_a_short_secret_is_refused():
    with pytest.raises(ValueError, match="32 bytes"):
        SurveyLinks(b"short")
