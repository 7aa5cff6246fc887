"""The editorial half in the browser, on the demo content: every page type, the
kennisbank's filter, the scenario chooser from questions to a journey, and a course
lesson marked done. axe-core checks every page."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def demo(monkeypatch):
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)  # the demo logins use the default
    call_command("seed_demo", stdout=StringIO())


def _login_with_demo_password(page, email):
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill("Impact-demo-2026")
    page.get_by_role("button", name="Inloggen").click()


def test_a_visitor_reads_the_method_kennisbank_and_scenarios(page, site, demo, accessible):
    page.goto(site + "/")
    expect(page.get_by_role("heading", name="Uitgelicht")).to_be_visible()
    accessible(page)

    page.goto(site + "/methode/")
    expect(page.get_by_role("heading", level=2, name=re.compile("Reiswens"))).to_be_visible()
    accessible(page)

    page.get_by_role("link", name="Kennisbank").first.click()
    accessible(page)
    page.get_by_label("Maatschappelijke opgave").select_option(label="armoede")
    page.get_by_role("button", name="Toon").click()
    cards = page.locator("main h2 a, main h3 a")
    expect(cards.filter(has_text="Vroeg erop af bij betalingsachterstanden")).to_be_visible()
    expect(cards.filter(has_text="Een mentor voor jongeren")).to_have_count(0)
    assert "opgave=armoede" in page.url
    accessible(page)
    cards.filter(has_text="Vroeg erop af bij betalingsachterstanden").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Vroeg erop af bij betalingsachterstanden"
    )
    accessible(page)

    page.get_by_role("link", name="Scenario's", exact=True).first.click()
    accessible(page)
    page.get_by_role("link", name="Klein en krachtig beginnen").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Klein en krachtig beginnen")
    accessible(page)


def test_the_chooser_advises_and_a_signed_in_user_starts_a_journey_with_it(
    page, site, demo, accessible
):
    page.goto(site + "/scenarios/kiezen/")
    accessible(page)
    # Sending without answers: a message per question, no advice.
    page.get_by_role("button", name="Toon mijn advies").click()
    expect(page.get_by_role("alert").first).to_be_visible()
    expect(page.get_by_role("heading", name="Jouw advies")).to_have_count(0)
    accessible(page)

    questions = page.locator("main form fieldset")
    for index in range(questions.count()):
        questions.nth(index).get_by_role("radio").first.check()
    page.get_by_role("button", name="Toon mijn advies").click()
    expect(page.get_by_role("heading", name="Jouw advies")).to_be_visible()
    accessible(page)

    # Anonymous: signing in first brings you back to the same advice.
    page.get_by_role("link", name="Log in om een reis te starten die dit advies volgt").click()
    _login_with_demo_password(page, "reisbegeleider@example.org")
    expect(page.get_by_role("heading", name="Jouw advies")).to_be_visible()
    start = page.get_by_role("link", name=re.compile("Start een reis met het scenario")).first
    start.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Start een reis")
    chosen = page.get_by_label("Scenario dat de reis volgt").input_value()
    assert chosen != ""
    accessible(page)


def test_a_learner_follows_a_course_and_marks_a_lesson_done(page, site, demo, accessible):
    sign_in_page = site + "/accounts/login/?next=/leren/"
    page.goto(sign_in_page)
    _login_with_demo_password(page, "professional@example.org")
    accessible(page)
    page.get_by_role("link", name="Basistraining impactgericht werken").first.click()
    accessible(page)
    page.get_by_role("link", name="Begin aan de cursus").click()
    accessible(page)
    page.get_by_role("button", name="Markeer deze les als afgerond").click()
    expect(page.get_by_role("button", name="Markeer deze les als niet afgerond")).to_be_visible()
    page.get_by_role("link", name="Basistraining impactgericht werken").last.click()
    expect(page.get_by_text("1 van 3 lessen afgerond")).to_be_visible()
    expect(page.get_by_role("link", name="Ga verder waar je was")).to_be_visible()
    accessible(page)


def test_the_editorial_pages_fit_a_phone(browser, browser_context_args, site, demo):
    page = browser.new_context(
        **browser_context_args, viewport={"width": 375, "height": 800}
    ).new_page()
    for path in (
        "/",
        "/methode/",
        "/kennisbank/",
        "/kennisbank/vroeg-erop-af-bij-betalingsachterstanden/",
        "/scenarios/",
        "/scenarios/kiezen/",
        "/leren/",
        "/leren/basistraining-impactgericht-werken/",
        "/leren/basistraining-impactgericht-werken/wat-is-impact/",
    ):
        page.goto(site + path)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px on a phone"
    page.context.close()


def test_a_visitor_cannot_mark_a_lesson_done(page, site, demo):
    page.goto(site + "/leren/basistraining-impactgericht-werken/wat-is-impact/")
    expect(page.get_by_role("button", name="Markeer deze les als afgerond")).to_have_count(0)
    expect(page.get_by_role("link", name=re.compile("Log in om je voortgang"))).to_be_visible()
