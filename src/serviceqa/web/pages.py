"""The browser UI: server-rendered pages over the same Workspace, auth and role rules as
the JSON API (each page names its /api/v1 twin). A page without a session goes to /login;
changes (login, save, acknowledge) go through the API from static/app.js with the CSRF
header, so the pages add no second write path."""

from __future__ import annotations

from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any, get_args
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from serviceqa.errors import Forbidden, NotFound, ServiceQAError, Unauthorized
from serviceqa.lang.analysis import analyse
from serviceqa.lang.registry import languages as data_languages
from serviceqa.model import CHANNELS, CustomerType
from serviceqa.review.reviews import Reviews
from serviceqa.score.scorecard import bundled_names, load_scorecard
from serviceqa.store import Filters
from serviceqa.web import charts
from serviceqa.web.auth import MANAGE, REVIEW, SESSION_COOKIE, Principal, principal
from serviceqa.web.highlight import highlight, spans_by_message
from serviceqa.web.i18n import LANG_COOKIE, Translator, choose, languages
from serviceqa.workspace import Workspace

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
PAGE_SIZE = 25
CSP = "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'"
ALERT_KINDS = ("safety", "critical_failure", "callback", "sla_breach")  # inbox order
# query parameter -> Filters field, as the API's `filters` dependency names them
FILTER_PARAMS = {"agent": "agent_id", "team": "team", "channel": "channel",
                 "language": "language", "since": "since", "until": "until",
                 "min_score": "min_score", "max_score": "max_score",
                 "failed_criterion": "failed_criterion", "customer_type": "customer_type",
                 "alert_kind": "alert_kind"}


class LoginRequired(Exception):
    """Raised by a page dependency; answered with a redirect to /login?next=..."""


def page_caller(request: Request) -> Principal:
    """The session's user, checked by the API's own `principal` (no second auth path).
    A plain `def`: the session lookup reads the database, so it runs off the event loop."""
    cookie = request.cookies.get(SESSION_COOKIE)
    if not cookie:
        raise LoginRequired()
    try:
        return principal(request, None, cookie)
    except Unauthorized:
        raise LoginRequired() from None


def page_filters(request: Request) -> tuple[Filters, dict[str, str]]:
    """The filters in the query string (empty fields ignored) and the given values, so a
    form keeps them and a reload shows the same list."""
    given = {k: v.strip() for k, v in request.query_params.items()
             if k in FILTER_PARAMS and v.strip()}
    values: dict[str, Any] = {}
    for param, text in given.items():
        name = FILTER_PARAMS[param]
        try:
            if name in ("since", "until"):  # a date from the form is a UTC day
                when = datetime.fromisoformat(text)
                values[name] = when if when.tzinfo else when.replace(tzinfo=timezone.utc)
            elif name in ("min_score", "max_score"):
                values[name] = float(text)
            else:
                values[name] = text
        except ValueError:
            continue  # a hand-edited bad value is dropped, not a crash
    return Filters(**values), given


def render(request: Request, name: str, caller: Principal | None, status: int = 200,
           **context: Any) -> HTMLResponse:
    lang = choose(request)
    t = Translator(lang)
    response = templates.TemplateResponse(
        request, name, {"t": t, "lang": lang, "ui_languages": languages(), "caller": caller,
                        "can_review": caller is not None and caller.role in REVIEW,
                        "can_manage": caller is not None and caller.role in MANAGE,
                        "path": request.url.path, **context},
        status_code=status)
    # Everything the page uses comes from this server; nothing may frame it.
    response.headers["Content-Security-Policy"] = CSP
    if request.query_params.get("lang") == lang:
        response.set_cookie(LANG_COOKIE, lang, samesite="lax", path="/")
    return response


def error_page(request: Request, caller: Principal, exc: ServiceQAError) -> HTMLResponse:
    return render(request, "error.html", caller, status=exc.http_status, message=str(exc))


def _ws(request: Request) -> Workspace:
    ws: Workspace = request.app.state.workspace
    return ws


def twin(path: str, given: dict[str, str]) -> str:
    """The /api/v1 URL that answers the same question as this page, as JSON."""
    query = query_with(given)
    return f"{path}?{query}" if query else path


def query_with(given: dict[str, str], **changes: Any) -> str:
    """The current query string with some parameters changed (None removes one)."""
    merged = {**given, **changes}
    return urlencode({k: v for k, v in merged.items() if v not in (None, "")})


@router.get("/login")
def login_page(request: Request) -> HTMLResponse:
    return render(request, "login.html", None, next=request.query_params.get("next", "/"))


@router.get("/")
def dashboard(request: Request, caller: Principal = Depends(page_caller)) -> Response:
    """Charts over the filtered conversations; twin: /api/v1/reports/day."""
    ws = _ws(request)
    given_filters, given = page_filters(request)
    try:
        scoped = caller.scope(given_filters)
    except Forbidden as exc:
        return error_page(request, caller, exc)
    store, t = ws.store, Translator(choose(request))
    days = [(str(r.key), round(r.mean_score, 1)) for r in store.report("day", scoped)
            if r.key is not None and r.mean_score is not None]
    criteria = [(t(f"criterion.{c.criterion_id}"), round(100 * c.pass_rate, 1))
                for c in store.criterion_pass_rates(scoped) if c.pass_rate is not None]
    agents = [(r.agent_name or r.agent_id, round(r.mean_score, 1))
              for r in store.leaderboard(10, scoped) if r.mean_score is not None]
    alerts = [(t(f"alert.{kind}"), n) for kind, n in _most_first(store.alert_counts(scoped))]
    types = [(t(f"customer.{kind}"), n)
             for kind, n in _most_first(store.customer_type_counts(scoped))]
    return render(request, "dashboard.html", caller, given=given, options=_options(ws, caller),
                  api=twin("/api/v1/reports/day", given),
                  trend=charts.line(days), criteria=charts.bars(criteria, 100, "%"),
                  agents=charts.bars(agents, 100), alerts=charts.bars(alerts),
                  types=charts.bars(types))


def _most_first(counts: dict[str, int]) -> list[tuple[str, int]]:
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


@lru_cache(maxsize=1)
def bundled_criteria() -> tuple[str, ...]:
    """The criterion ids of the bundled scorecards, in their order (for the filter)."""
    ids = (c.id for name in bundled_names() for c in load_scorecard(name).criteria)
    return tuple(dict.fromkeys(ids))


def _options(ws: Workspace, caller: Principal) -> dict[str, Any]:
    """Choices for the filter form (agents and teams from the caller's own scope)."""
    scope = caller.scope(Filters())
    board = ws.store.leaderboard(1000, scope)
    return {"agents": [(r.agent_id, r.agent_name or r.agent_id) for r in board],
            "teams": sorted({r.team for r in board if r.team}),
            "channels": CHANNELS, "languages": data_languages(),
            "criteria": bundled_criteria(),
            "customer_types": get_args(CustomerType), "alert_kinds": ALERT_KINDS}


@router.get("/conversations")
def conversation_list(request: Request, caller: Principal = Depends(page_caller)) -> Response:
    """Twin: /api/v1/conversations with the same query string."""
    ws = _ws(request)
    given_filters, given = page_filters(request)
    try:
        scoped = caller.scope(given_filters)
    except Forbidden as exc:
        return error_page(request, caller, exc)
    try:
        offset = max(0, int(request.query_params.get("offset", "0")))
    except ValueError:
        offset = 0
    page = ws.store.list_conversations(scoped, PAGE_SIZE, offset)
    prev_q = query_with(given, offset=max(0, offset - PAGE_SIZE)) if offset else None
    next_q = query_with(given, offset=offset + PAGE_SIZE) \
        if offset + PAGE_SIZE < page.total else None
    return render(request, "conversations.html", caller, page=page, given=given,
                  options=_options(ws, caller), prev_q=prev_q, next_q=next_q,
                  api=twin("/api/v1/conversations", given))


@router.get("/conversations/{conversation_id}")
def conversation_page(conversation_id: str, request: Request,
                      caller: Principal = Depends(page_caller)) -> Response:
    """Messages with evidence marked in place; twin: /api/v1/conversations/{id}."""
    try:
        conversation, evaluation = _ws(request).conversation(conversation_id,
                                                             caller.own_agent_id)
    except NotFound as exc:
        return error_page(request, caller, exc)
    spans = spans_by_message(evaluation)
    # The language of each message as scoring saw it (given in the input, else identified);
    # a message too short to tell shows the conversation's language, marked as such.
    seen = [m.language for m in analyse(conversation).messages]
    fallback = evaluation.language if evaluation else conversation.language
    messages = [{"index": i, "role": m.role, "language": seen[i] or fallback,
                 "guessed": seen[i] is None, "at": m.at,
                 "html": highlight(m.text, spans.get(i, []))}
                for i, m in enumerate(conversation.messages)]
    reviews = Reviews(_ws(request))
    return render(request, "conversation.html", caller, conversation=conversation,
                  evaluation=evaluation, messages=messages,
                  review=reviews.final(conversation_id),
                  latest_review=reviews.latest(conversation_id),
                  api=f"/api/v1/conversations/{conversation_id}")


@router.get("/scorecards")
def scorecard_list(request: Request, caller: Principal = Depends(page_caller)) -> Response:
    return render(request, "scorecards.html", caller, cards=_ws(request).scorecards(),
                  api="/api/v1/scorecards")


@router.get("/scorecards/{name}")
def scorecard_page(name: str, request: Request,
                   caller: Principal = Depends(page_caller)) -> Response:
    """View, and for admin and lead edit, validate and preview; saving is the API's PUT
    (or POST for a copy of a bundled card), which checks the role again."""
    try:
        document = _ws(request).scorecard_document(name)
    except NotFound as exc:
        return error_page(request, caller, exc)
    return render(request, "scorecard.html", caller, card=document,
                  api=f"/api/v1/scorecards/{name}")


@router.get("/alerts")
def alert_inbox(request: Request, caller: Principal = Depends(page_caller)) -> Response:
    """Unacknowledged first view, safety first; twin: /api/v1/alerts."""
    ws = _ws(request)
    given_filters, given = page_filters(request)
    show = request.query_params.get("show", "open")
    acknowledged = None if show == "all" else False
    kind = request.query_params.get("kind") or None
    try:
        page = ws.store.list_alerts(caller.scope(given_filters), kind, acknowledged, 200, 0)
    except Forbidden as exc:
        return error_page(request, caller, exc)
    return render(request, "alerts.html", caller, page=page, show=show, kind=kind,
                  kinds=ALERT_KINDS,
                  api=twin("/api/v1/alerts", {**given, "kind": kind or "",
                                              "acknowledged": "" if acknowledged is None
                                              else "false"}))


def install(app: FastAPI) -> None:
    """Add the pages and the redirect of LoginRequired to /login."""
    def to_login(request: Request, _exc: Exception) -> Response:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?{urlencode({'next': target})}", status_code=303)

    app.add_exception_handler(LoginRequired, to_login)
    app.mount("/static", StaticFiles(directory=str(Path(__file__).parent / "static")),
              name="static")
    app.include_router(router)


__all__ = ["install", "router"]
