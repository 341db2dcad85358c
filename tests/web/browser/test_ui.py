"""The UI in a real browser: login, filters kept in the URL, evidence marked in place,
scorecard validation naming the key, role limits, Russian UI, alerts inbox."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from serviceqa.model import Conversation, Evaluation
from tests.web.conftest import AGENT_ID, PASSWORD

BAD_WEIGHT = re.compile(r"weight")


def login(page: Page, role: str, then: str = "/") -> None:
    page.goto(then)
    expect(page).to_have_url(re.compile(r"/login\?next="))
    page.fill("input[name=name]", f"{role}-user")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    expect(page).to_have_url(re.compile(re.escape(then) + "$"))


def test_login_then_dashboard_charts(page: Page) -> None:
    page.goto("/login")
    page.fill("input[name=name]", "lead-user")
    page.fill("input[name=password]", "wrong")
    page.click("button[type=submit]")
    expect(page.locator("#login-error")).to_be_visible()
    login(page, "lead")
    for chart in ("trend", "criteria", "agents", "alerts", "types"):
        expect(page.locator(f"#chart-{chart} svg")).to_be_visible()
    expect(page.locator("#chart-trend circle").first).to_be_attached()


def test_filters_are_kept_in_the_url_across_a_reload(page: Page) -> None:
    login(page, "lead", "/conversations")
    page.select_option("select[name=language]", "hu")
    page.select_option("select[name=channel]", "chat")
    page.click("#filters button[type=submit]")
    expect(page).to_have_url(re.compile(r"/conversations\?channel=chat&language=hu$"))
    page.reload()
    expect(page.locator("select[name=language]")).to_have_value("hu")
    expect(page.locator("select[name=channel]")).to_have_value("chat")
    rows = page.locator("#conversations tbody tr")
    assert rows.count() > 0
    for row in rows.all():
        assert row.locator("td").nth(4).inner_text() == "hu"
        assert row.locator("td").nth(3).inner_text() == "chat"


def test_dashboard_filters_survive_a_reload(page: Page) -> None:
    login(page, "lead")
    page.select_option("select[name=customer_type]", "rude")
    page.click("#filters button[type=submit]")
    expect(page).to_have_url(re.compile(r"/\?customer_type=rude$"))
    page.reload()
    expect(page.locator("select[name=customer_type]")).to_have_value("rude")


def _with_evidence(demo_pairs: list[tuple[Conversation, Evaluation]],
                   prefix: str) -> tuple[str, int, str, str]:
    """A conversation id, message index, criterion and evidence text to look for."""
    for conversation, evaluation in demo_pairs:
        if not conversation.id.startswith(prefix):
            continue
        for criterion in evaluation.criteria:
            for ev in criterion.evidence:
                if not ev.missing and ev.text.strip():
                    return conversation.id, ev.message, criterion.id, ev.text
    raise AssertionError(f"no evidence in the {prefix} demo conversations")


def test_conversation_marks_each_evidence_span(page: Page, demo_pairs) -> None:
    login(page, "reviewer")
    for prefix in ("ru-", "kk-", "hu-", "cs-", "en-"):
        conversation_id, message, criterion, text = _with_evidence(demo_pairs, prefix)
        page.goto(f"/conversations/{conversation_id}")
        marks = page.locator(f'.message[data-index="{message}"] '
                             f'mark[data-criterion="{criterion}"]')
        assert text in marks.all_text_contents(), (conversation_id, criterion, text)
        expect(page.locator(".message .lang").first).to_have_text(re.compile(r"^[a-z]{2}$"))
        expect(page.locator("#criteria tr").first).to_be_visible()
        expect(page.locator("#customer")).to_be_visible()
    quote = page.locator(f'#criteria tr[data-criterion="{criterion}"] q').first
    quote.click()  # shows where the evidence is
    expect(page.locator("mark.flash")).to_have_count(1)
    assert page.locator("mark.flash").text_content() == quote.text_content()


def test_logout_ends_the_session(page: Page) -> None:
    login(page, "lead")
    page.click("#logout")
    expect(page).to_have_url(re.compile(r"/login$"))
    page.goto("/conversations")
    expect(page).to_have_url(re.compile(r"/login\?next="))


def test_scorecard_error_names_the_key_then_saves_a_copy(page: Page) -> None:
    login(page, "lead", "/scorecards/chat")
    yaml = page.locator("#yaml").input_value()
    page.fill("#yaml", yaml.replace("weight: 2", "weight: -2", 1))
    page.click("#save")
    expect(page.locator("#card-error")).to_contain_text(BAD_WEIGHT)
    expect(page.locator("#card-error")).to_contain_text("criteria[")
    page.fill("#yaml", yaml.replace("name: chat", "name: mine", 1))
    page.fill("#sample", "3")
    page.click("#preview")
    expect(page.locator("#preview-table tbody tr")).to_have_count(3)
    page.click("#save")
    expect(page).to_have_url(re.compile(r"/scorecards/mine$"))
    expect(page.locator("#yaml")).to_have_value(re.compile(r"name: mine"))
    mine = page.locator("#yaml").input_value()
    page.fill("#yaml", mine.replace("name: mine", "name: other", 1))
    page.click("#save")  # a stored card is replaced in place: its name must stay
    expect(page.locator("#card-error")).to_contain_text("name")
    page.fill("#yaml", mine.replace("title: Written channels", "title: Písemné kanály", 1))
    page.click("#save")
    expect(page.locator("#card-ok")).to_be_visible()
    page.reload()
    expect(page.locator("#yaml")).to_have_value(re.compile(r"title: Písemné kanály"))


def test_reviewer_cannot_edit_a_scorecard(page: Page) -> None:
    login(page, "reviewer", "/scorecards/phone")
    expect(page.locator("#yaml")).to_have_attribute("readonly", "")
    expect(page.locator("#save")).to_have_count(0)
    expect(page.locator("#read-only")).to_be_visible()
    csrf = next(c["value"] for c in page.context.cookies() if c["name"] == "serviceqa_csrf")
    yaml = page.locator("#yaml").input_value().replace("name: phone", "name: sneaky", 1)
    refused = page.request.post("/api/v1/scorecards", data={"yaml": yaml},
                                headers={"X-CSRF-Token": csrf})
    assert refused.status == 403


def test_agent_sees_only_their_own_conversations(page: Page, demo_pairs) -> None:
    login(page, "agent", "/conversations")
    rows = page.locator("#conversations tbody tr")
    assert rows.count() > 0
    assert {row.get_attribute("data-agent") for row in rows.all()} == {AGENT_ID}
    expect(page.locator("select[name=agent]")).to_have_count(0)
    other = next(c.id for c, _ in demo_pairs if c.agent and c.agent.id != AGENT_ID)
    response = page.goto(f"/conversations/{other}")
    assert response is not None and response.status == 404
    expect(page.locator("#error-message")).to_contain_text(other)
    own = next(c.id for c, _ in demo_pairs if c.agent and c.agent.id == AGENT_ID)
    response = page.goto(f"/conversations/{own}")
    assert response is not None and response.status == 200


def test_ui_in_russian_when_asked(page: Page) -> None:
    login(page, "lead")
    page.goto("/conversations?lang=ru")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.locator("h1")).to_have_text("Разговоры")
    page.goto("/alerts")  # the choice is kept in a cookie
    expect(page.locator("h1")).to_have_text("Тревоги")
    page.goto("/alerts?lang=en")
    expect(page.locator("h1")).to_have_text("Alerts")


def test_accept_language_picks_russian(browser, base_url: str) -> None:
    context = browser.new_context(locale="ru-RU", base_url=base_url)
    page = context.new_page()
    page.goto("/login")
    expect(page.locator("h1")).to_have_text("Вход")
    context.close()


def test_alerts_inbox_safety_first_and_acknowledge(page: Page) -> None:
    login(page, "reviewer", "/alerts")
    kinds = [row.get_attribute("data-kind") for row in page.locator("#alerts tbody tr").all()]
    assert "safety" in kinds
    assert kinds == sorted(kinds, key=lambda kind: kind != "safety")
    first = page.locator("#alerts tbody tr").first
    alert_id = first.get_attribute("data-id")
    first.locator("button.ack").click()
    expect(page.locator(f'#alerts tr[data-id="{alert_id}"]')).to_have_count(0)
    page.goto("/alerts?show=all")
    expect(page.locator(f'#alerts tr[data-id="{alert_id}"]')).to_contain_text("reviewer-user")
