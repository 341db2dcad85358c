"""Feedback in a real browser: a lead makes a survey link, a customer answers it on a
phone-sized screen, and the call-back task appears on the lead's task board."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, Page, expect

from tests.web.browser.test_ui import login

PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 3,
         "is_mobile": True, "has_touch": True}


def test_answer_on_a_phone_and_the_call_back_reaches_the_board(page: Page, browser: Browser,
                                                               base_url: str) -> None:
    login(page, "lead", "/surveys")
    page.fill("#link-maker input[name=conversation_ids]", "kk-007")
    page.click("#link-maker button[type=submit]")
    link = page.locator('#made-links a[data-conversation="kk-007"]')
    expect(link).to_have_text("kk-007 (kk)")
    url = link.get_attribute("href")
    assert url and "/s/" in url

    phone = browser.new_context(base_url=base_url, **PHONE)  # the customer: no login
    customer = phone.new_page()
    customer.goto(url)
    expect(customer.locator("h1")).to_have_text("Қызметімізді бағалаңызшы")
    scale = customer.locator('fieldset[data-question="nps"] .option')
    assert scale.count() == 11
    box = scale.first.bounding_box()
    assert box and box["height"] >= 44  # big enough to tap
    assert customer.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scroll
    customer.locator('fieldset[data-question="csat"] .option', has_text="2").tap()
    customer.locator('fieldset[data-question="nps"] .option', has_text="3").first.tap()
    customer.fill("textarea[name=comment]", "Бір сағат күттім, ешкім көмектеспеді")
    customer.locator("button.send").tap()
    expect(customer.locator("#survey-state")).to_have_attribute("data-state", "thanks")
    expect(customer.locator("#survey-state")).to_contain_text("Рақмет")
    customer.goto(url)  # the link is spent
    expect(customer.locator("#survey-state")).to_have_attribute("data-state", "answered")
    phone.close()

    page.goto("/tasks?kind=callback")
    card = page.locator('article.task[data-conversation="kk-007"]')
    expect(card).to_have_count(1)
    expect(card.locator(".reason")).to_contain_text("CSAT 2 of 5")
    page.once("dialog", lambda dialog: dialog.accept("Клиентке хабарластым, жауап жұмада"))
    card.locator('button[data-action="informed"]').click()
    expect(page.locator('article.task[data-conversation="kk-007"] .informed')).to_be_visible()
    page.locator('article.task[data-conversation="kk-007"] button[data-action="done"]').click()
    expect(page.locator('section[data-status="done"] article[data-conversation="kk-007"]')
           ).to_have_count(1)


def test_results_dashboard_shows_the_charts(page: Page) -> None:
    login(page, "lead", "/surveys/results")
    for chart in ("csat", "rate", "qa", "themes"):
        expect(page.locator(f"#chart-{chart}")).to_be_visible()
    page.select_option("select[name=by]", "language")
    page.click("#filters button[type=submit]")
    expect(page).to_have_url(re.compile(r"by=language"))
    expect(page.locator("#groups tbody tr").first).to_be_visible()
