"""Evidence highlighted in place: each span (message, start, end) becomes
<mark data-criterion="id"> around exactly those characters of the message text.

Spans that nest become nested marks; a span that crosses another's end is cut there into
two marks, so the HTML stays well formed and no character is lost or repeated."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup, escape

from serviceqa.model import Evaluation


@dataclass(frozen=True, order=True)
class Span:
    start: int
    end: int
    criterion: str


def spans_by_message(evaluation: Evaluation | None) -> dict[int, list[Span]]:
    """Every criterion's and alert's evidence, grouped by message index."""
    found: dict[int, list[Span]] = {}
    if evaluation is None:
        return found
    pairs = [(c.id, e) for c in evaluation.criteria for e in c.evidence]
    pairs += [(f"alert:{a.kind}", e) for a in evaluation.alerts for e in a.evidence]
    for criterion, ev in pairs:
        if not ev.missing and ev.end > ev.start >= 0:
            found.setdefault(ev.message, []).append(Span(ev.start, ev.end, criterion))
    return found


def highlight(text: str, spans: list[Span]) -> Markup:
    clipped = [Span(s.start, min(s.end, len(text)), s.criterion) for s in spans
               if s.start < len(text)]
    return Markup(_render(text, 0, len(text), sorted(set(clipped), key=_order)))


def _order(span: Span) -> tuple[int, int, str]:
    return (span.start, -span.end, span.criterion)


def _render(text: str, lo: int, hi: int, spans: list[Span]) -> str:
    out, pos = [], lo
    while spans:
        outer, rest = spans[0], spans[1:]
        inner, after = [], []
        for span in rest:
            if span.start >= outer.end:
                after.append(span)
            elif span.end <= outer.end:
                inner.append(span)
            else:  # crosses the outer end: cut in two
                inner.append(Span(span.start, outer.end, span.criterion))
                after.append(Span(outer.end, span.end, span.criterion))
        out.append(str(escape(text[pos:outer.start])))
        body = _render(text, outer.start, outer.end, inner)
        out.append(f'<mark data-criterion="{escape(outer.criterion)}">{body}</mark>')
        pos, spans = outer.end, sorted(after, key=_order)
    out.append(str(escape(text[pos:hi])))
    return "".join(out)
