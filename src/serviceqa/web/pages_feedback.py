"""Feedback pages: the public survey page (no login; the signed link is the credential,
works without JavaScript on a phone), the survey builder, the results dashboard and the
task board. Each page names its /api/v1 twin; changes go through the API (feedback.js)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from serviceqa.errors import Conflict, Forbidden, InputError
from serviceqa.feedback.links import LinkError, LinkExpired
from serviceqa.feedback.reports import BY_VALUES
from serviceqa.feedback.service import Feedback
from serviceqa.feedback.surveys import (LANGUAGES, QUESTIONS, SCALES, bundled_texts,
                                        page_language)
from serviceqa.feedback.tasks_store import TaskQuery
from serviceqa.store.schema_feedback import TASK_STATUSES
from serviceqa.web import charts
from serviceqa.web.i18n import Translator, choose
from serviceqa.web.pages import _options, page_caller, page_filters, render, templates, twin
from serviceqa.web.auth import Principal

router = APIRouter(include_in_schema=False)
SURVEY_CSP = "default-src 'self'; frame-ancestors 'none'; form-action 'self'"
TASK_KINDS = ("callback", "answer", "incident")
BOARD_COLUMNS = ("open", "in_progress", "done")
MAX_FORM_BYTES = 16_384
PERIODS_SHOWN = 8   # weeks of complaint themes on the results page


def _fb(request: Request) -> Feedback:
    service: Feedback = request.app.state.feedback
    return service


def _survey_page(request: Request, token: str, status: int = 200, state: str = "form",
                 message: str | None = None, error: str | None = None,
                 given: dict[str, str] | None = None, language: str | None = None,
                 questions: list[str] | None = None, texts: dict[str, str] | None = None
                 ) -> HTMLResponse:
    lang = language or page_language(request.query_params.get("lang"))
    texts = texts or {**bundled_texts()["en"], **bundled_texts()[lang]}
    response = templates.TemplateResponse(request, "survey_page.html", {
        "token": token, "language": lang, "texts": texts, "questions": questions or [],
        "scales": SCALES, "state": state, "message": message, "error": error,
        "given": given or {}}, status_code=status)
    response.headers["Content-Security-Policy"] = SURVEY_CSP
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"  # the link is the credential
    return response


def _opened(request: Request, token: str) -> Any:
    """The opened link, or the page that says why it cannot be answered."""
    lang = request.query_params.get("lang")
    try:
        return _fb(request).open(token, lang)
    except LinkExpired as exc:
        found = _fb(request).repo.link(exc.link.nonce)
        language = page_language(lang, found[0] if found else None)
        texts = {**bundled_texts()["en"], **bundled_texts()[language]}
        return _survey_page(request, token, 410, "expired", texts["expired"], language=language)
    except LinkError:
        texts = {**bundled_texts()["en"], **bundled_texts()[page_language(lang)]}
        return _survey_page(request, token, 404, "invalid", texts["invalid"])


@router.get("/s/{token}")
def survey_page(token: str, request: Request) -> Response:
    opened = _opened(request, token)
    if isinstance(opened, Response):
        return opened
    texts = opened.survey.texts_for(opened.language)
    if opened.answered:
        return _survey_page(request, token, 200, "answered", texts["already_answered"],
                            language=opened.language, texts=texts)
    return _survey_page(request, token, language=opened.language,
                        questions=opened.survey.questions, texts=texts)


@router.post("/s/{token}")
async def survey_answer(token: str, request: Request) -> Response:
    """The form's POST (application/x-www-form-urlencoded); twin: POST
    /api/v1/public/surveys/{token} with JSON."""
    body = await request.body()
    if len(body) > MAX_FORM_BYTES:
        return _survey_page(request, token, 413, "invalid", "too large")
    form = dict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=False))
    return await run_in_threadpool(_answer, request, token, form)


def _answer(request: Request, token: str, form: dict[str, str]) -> Response:
    opened = _opened(request, token)
    if isinstance(opened, Response):
        return opened
    texts = opened.survey.texts_for(opened.language)
    data: dict[str, Any] = {}
    for question in QUESTIONS:
        value = form.get(question, "").strip()
        if value:
            data[question] = value if question == "comment" else _number(value)
    if not data:
        return _survey_page(request, token, 422, error=texts["empty"], given=form,
                            language=opened.language, questions=opened.survey.questions,
                            texts=texts)
    try:
        _fb(request).submit(token, data, opened)
    except Conflict:
        return _survey_page(request, token, 409, "answered", texts["already_answered"],
                            language=opened.language, texts=texts)
    except InputError as exc:
        return _survey_page(request, token, 422, error=f"{exc.field}: {exc.message}",
                            given=form, language=opened.language,
                            questions=opened.survey.questions, texts=texts)
    return _survey_page(request, token, 201, "thanks", texts["thanks"],
                        language=opened.language, texts=texts)


def _number(text: str) -> int | str:
    return int(text) if text.lstrip("-").isdigit() else text


@router.get("/surveys")
def surveys_page(request: Request, caller: Principal = Depends(page_caller)) -> Response:
    """The surveys, and for admin and lead the builder and link maker; twin: /api/v1/surveys."""
    return render(request, "surveys.html", caller, surveys=_fb(request).repo.surveys(),
                  questions=QUESTIONS, languages=LANGUAGES, defaults=bundled_texts(),
                  api="/api/v1/surveys")


def _fmt(value: float | None, unit: str = "") -> str:
    return "—" if value is None else f"{value:g}{unit}"


def _ci(interval: dict[str, float] | None, unit: str = "") -> str:
    return "" if not interval else f"[{interval['low']:g}{unit}; {interval['high']:g}{unit}]"


@router.get("/surveys/results")
def results_page(request: Request, caller: Principal = Depends(page_caller)) -> Response:
    """CSAT, NPS, response rate by group, QA score against CSAT, themes; twin:
    /api/v1/feedback/results/{by}."""
    fb = _fb(request)
    given_filters, given = page_filters(request)
    by = request.query_params.get("by", "agent")
    by = by if by in BY_VALUES else "agent"
    survey = request.query_params.get("survey") or None
    try:
        scoped = caller.scope(given_filters)
    except Forbidden as exc:
        return render(request, "error.html", caller, status=403, message=str(exc))
    data = fb.results(by, scoped, survey)
    groups, qa, total = data["groups"], data["qa_vs_csat"], data["total"]
    label: Callable[[dict[str, Any]], str] = lambda g: str(g.get("agent_name") or g["key"] or "—")
    t = Translator(choose(request))
    themes = [(t(f"theme.{name}"), n) for name, n in total["themes"]]
    api_query = {**given, **({"survey": survey} if survey else {})}
    return render(
        request, "survey_results.html", caller, by=by, by_values=BY_VALUES, survey=survey,
        surveys=fb.repo.surveys(), given=given, options=_options(request.app.state.workspace,
                                                                 caller),
        total=total, groups=groups, qa=qa, fmt=_fmt, ci=_ci,
        csat_chart=charts.bars([(label(g), g["csat"]["value"]) for g in groups
                                if g["csat"]["value"] is not None], 100, "%"),
        rate_chart=charts.bars([(label(g), g["response_rate"]) for g in groups
                                if g["response_rate"] is not None], 100, "%"),
        scatter=charts.scatter([(p["qa_score"], p["csat"]) for p in qa["points"]],
                               x_label=t("survey.qa_score"), y_label="CSAT"),
        by_star=charts.bars([(f"{star}★", v) for star, v in
                             qa["mean_qa_score_by_csat"].items()], 100),
        themes_chart=charts.bars(themes),
        periods=fb.themes("week", scoped, survey)[:PERIODS_SHOWN],
        api=twin(f"/api/v1/feedback/results/{by}", api_query))


@router.get("/tasks")
def task_board(request: Request, caller: Principal = Depends(page_caller)) -> Response:
    """Columns by status, soonest due first; twin: /api/v1/tasks."""
    params = request.query_params
    own = caller.own_agent_id
    query = TaskQuery(status=params.get("status") or None, kind=params.get("kind") or None,
                      assignee=params.get("assignee") or None,
                      agent_id=own or params.get("agent") or None,
                      team=params.get("team") or None,
                      overdue=True if params.get("overdue") == "true" else None)
    total, items = _fb(request).tasks.list(query, limit=500)
    by_status: dict[str, list[dict[str, Any]]] = {c: [] for c in BOARD_COLUMNS}
    for task in items:
        by_status.setdefault(task["status"], []).append(task)
    columns = [c for c in (*BOARD_COLUMNS, "cancelled") if c in by_status]
    given = {k: v for k, v in params.items() if k in ("status", "kind", "assignee", "agent",
                                                       "team", "overdue") and v}
    return render(request, "tasks.html", caller, total=total, by_status=by_status,
                  columns=columns, kinds=TASK_KINDS, statuses=TASK_STATUSES, query=query,
                  api=twin("/api/v1/tasks", given))


def install(app: FastAPI) -> None:
    app.include_router(router)
