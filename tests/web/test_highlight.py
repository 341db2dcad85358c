"""Evidence marks: exactly the span's characters, nested or cut when spans overlap,
everything else escaped and kept."""

from __future__ import annotations

import re

import pytest

from serviceqa.web.highlight import Span, highlight


def _marks(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<mark data-criterion="([^"]+)">([^<]*)</mark>', html)


def _plain(html: str) -> str:
    return re.sub(r"</?mark[^>]*>", "", html)


@pytest.mark.parametrize("text, spans, marks", [
    ("Сәлеметсіз бе! Менің атым Айгерім.", [Span(0, 14, "greeting")],
     [("greeting", "Сәлеметсіз бе!")]),
    ("Dobrý den, tady Petra.", [Span(0, 9, "greeting"), Span(11, 21, "self_introduction")],
     [("greeting", "Dobrý den"), ("self_introduction", "tady Petra")]),
    ("Jó napot kívánok!", [Span(0, 17, "greeting"), Span(0, 17, "politeness")],
     [("politeness", "Jó napot kívánok!")]),  # the inner of two equal spans
    ("abcdef", [Span(0, 4, "a"), Span(2, 6, "b")], [("b", "cd")]),  # crossing: cut in two
])
def test_marks_exactly_the_spans(text: str, spans: list[Span],
                                 marks: list[tuple[str, str]]) -> None:
    html = highlight(text, spans)
    assert _plain(str(html)) == text
    for mark in marks:
        assert mark in _marks(str(html))


def test_nested_marks_keep_the_outer_text() -> None:
    html = str(highlight("Hello, I am Anna.", [Span(0, 17, "greeting"), Span(7, 16, "intro")]))
    assert html == ('<mark data-criterion="greeting">Hello, <mark data-criterion="intro">'
                    'I am Anna</mark>.</mark>')


def test_text_is_escaped_and_spans_past_the_end_are_clipped() -> None:
    html = str(highlight("<b>hi</b> & bye", [Span(3, 5, "x"), Span(12, 99, "y"),
                                                 Span(50, 60, "z")]))
    assert "<b>" not in html and "&amp;" in html
    assert ('x', 'hi') in _marks(html) and ('y', 'bye') in _marks(html)
    assert 'data-criterion="z"' not in html
