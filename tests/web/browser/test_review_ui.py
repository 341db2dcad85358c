"""Review → dispute → resolution in a real browser: a reviewer overrides a verdict, the
agent disputes it, a lead accepts with the corrected verdict, and the conversation's final
score follows."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.web.browser.test_ui import login

CONVERSATION = "kk-006"  # one of the agent user's own conversations


def logout(page: Page) -> None:
    page.click("#logout")
    expect(page).to_have_url(re.compile(r"/login"))


def test_review_dispute_resolution(page: Page) -> None:
    login(page, "reviewer", f"/conversations/{CONVERSATION}/review")
    greeting = page.locator("tr[data-criterion=greeting] select[name=result]")
    auto = greeting.input_value()
    greeting.select_option("fail" if auto == "pass" else "pass")
    page.fill("tr[data-criterion=greeting] input[name=comment]", "Сәлемдесу естілмеді")
    page.click("#save-draft")
    expect(page).to_have_url(re.compile(r"/reviews/\d+$"))
    draft_url = page.url
    # back to the form: the draft's verdict and comment are there, and submitting it
    # submits that same review
    page.goto(f"/conversations/{CONVERSATION}/review")
    expect(page.locator("#draft-note")).to_be_visible()
    expect(greeting).not_to_have_value(auto)
    expect(page.locator("tr[data-criterion=greeting] input[name=comment]")).to_have_value(
        "Сәлемдесу естілмеді")
    page.click("#submit-review")
    expect(page).to_have_url(draft_url)
    expect(page.locator("#override-count")).to_have_text("1")
    expect(page.locator("tr[data-criterion=greeting]")).to_have_class("override")
    review_url = page.url
    human = page.locator("#human-score").inner_text()
    assert human != page.locator("#auto-score").inner_text()
    logout(page)

    login(page, "agent", review_url.removeprefix(page.url.split("/login")[0]))
    page.fill("#dispute-reason", "Мен бірінші хабарламада «Сәлеметсіз бе!» деп амандастым.")
    page.click("#dispute-submit")
    expect(page).to_have_url(re.compile(r"/disputes/\d+$"))
    expect(page.locator("#dispute-status")).to_have_attribute("data-status", "open")
    expect(page.locator("#resolve-form")).to_have_count(0)  # agents cannot resolve
    dispute_url = page.url
    logout(page)

    login(page, "lead", dispute_url.removeprefix(page.url.split("/login")[0]))
    page.locator("tr[data-criterion=greeting] select[name=result]").select_option(auto)
    page.fill("#answer", "Верно, приветствие есть в первом сообщении.")
    page.click("#accept")
    expect(page.locator("#dispute-status")).to_have_attribute("data-status", "accepted")
    expect(page.locator("#history li")).to_have_count(2)
    expect(page.locator("#history li").last).to_have_attribute("data-action", "accepted")
    page.click("#resolution-link")
    expect(page.locator("#override-count")).to_have_text("0")
    page.goto(f"/conversations/{CONVERSATION}")
    final = page.locator("#final-score").inner_text()
    assert final == page.locator("#score").inner_text() != human
