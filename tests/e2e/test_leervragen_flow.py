"""A learning question's whole life in the browser: a reiziger raises it in the journey's
tab and votes, the reisbegeleider prioritises it on the kanban board with the keyboard
form, a researcher takes ownership, plans and answers it, the reisbegeleider records the
duiding, and a follow-up question is raised from it. axe checks the list, the kanban
board and the question page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from journeys.models import Journey
from learning.models import LearningQuestion
from tests.e2e.test_accounts_flow import sign_in
from tests.journeys.conftest import make_journey  # noqa: F401  (a fixture)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

QUESTION = "Welke ouderen komen niet naar de koffieochtenden, en waarom niet?"
FOLLOW_UP = "Wat zou mannen over de drempel helpen?"


def as_member(browser, browser_context_args, site, email):
    page = browser.new_context(**browser_context_args).new_page()
    page.set_default_timeout(10_000)
    sign_in(page, site, email)
    return page


def test_raise_vote_own_answer_interpret_and_follow_up(
    browser,
    browser_context_args,
    site,
    personas,
    make_journey,  # noqa: F811
    accessible,
):
    journey = make_journey("Samen minder eenzaam", visibility=Journey.Visibility.NETWERK)
    tab = f"{site}/reizen/{journey.slug}/leervragen/"

    # A reiziger raises the question from the journey's tab and votes for it.
    pieter = as_member(browser, browser_context_args, site, "professional@example.org")
    pieter.goto(tab)
    expect(pieter.get_by_role("heading", level=1)).to_have_text("Leervragen van deze reis")
    pieter.get_by_role("link", name="Leervraag maken").click()
    pieter.get_by_label("Je leervraag").fill(QUESTION)
    pieter.get_by_label("Context").fill("Op de koffieochtenden zien we steeds dezelfde mensen.")
    pieter.get_by_label("Thema's").fill("eenzaamheid, ontmoeting")
    pieter.get_by_role("button", name="Vraag indienen").click()
    expect(pieter.get_by_role("heading", level=1)).to_have_text(QUESTION)
    expect(pieter.get_by_text("Je leervraag is ingediend.")).to_be_visible()
    pieter.get_by_role("button", name="Stem", exact=True).click()
    expect(pieter.get_by_text("Je stem is geteld.")).to_be_visible()
    expect(pieter.get_by_text("1 stem", exact=True)).to_be_visible()
    accessible(pieter)  # the question page
    question = LearningQuestion.objects.get(question=QUESTION)

    # The reisbegeleider prioritises it on the kanban board: a select and a button per card.
    rosa = as_member(browser, browser_context_args, site, "reisbegeleider@example.org")
    rosa.goto(f"{site}/leervragen/")
    expect(rosa.get_by_role("link", name=QUESTION)).to_be_visible()
    accessible(rosa)  # the list
    rosa.goto(f"{site}/leervragen/bord/")
    accessible(rosa)  # the kanban board
    card = rosa.locator(f'[data-question="{question.pk}"]')
    card.get_by_label("Verplaats naar").select_option("geprioriteerd")
    card.get_by_role("button", name="Verplaatsen").focus()
    rosa.keyboard.press("Enter")
    expect(rosa.get_by_text(f"“{QUESTION}” is nu geprioriteerd.")).to_be_visible()
    expect(rosa.locator("#kolom-geprioriteerd")).to_contain_text("(1)")
    expect(
        rosa.locator(".leervragen-column--geprioriteerd").get_by_role("link", name=QUESTION)
    ).to_be_visible()

    # A researcher takes ownership, plans the research, starts it and answers.
    omar = as_member(browser, browser_context_args, site, "onderzoeker@example.org")
    omar.goto(f"{site}/leervragen/{question.pk}/")
    omar.get_by_role("button", name="Eigenaar worden").click()
    expect(omar.get_by_text("Je bent nu eigenaar van deze leervraag.")).to_be_visible()
    omar.get_by_role("link", name="Onderzoek plannen").click()
    omar.get_by_label("gesprekken met de doelgroep").check()
    omar.get_by_label("Streefdatum").fill((timezone.localdate() + timedelta(days=30)).isoformat())
    omar.get_by_role("button", name="Plan opslaan").click()
    expect(omar.get_by_text("Het onderzoeksplan is opgeslagen.")).to_be_visible()
    omar.get_by_label("Verplaats naar").select_option("in_onderzoek")
    omar.get_by_role("button", name="Verplaatsen").click()
    expect(omar.locator(".leervragen-meta .leervragen-status").first).to_have_text(
        "Status: in onderzoek"
    )
    omar.get_by_role("link", name="Antwoord schrijven").click()
    omar.get_by_label("Antwoord", exact=True).fill(
        "Vooral mannen die alleen wonen blijven weg; ze kennen niemand die er al komt."
    )
    omar.get_by_label("Bronnen en links").fill(
        "Gesprekken met twaalf inwoners\nBuurtscan | https://example.org/buurtscan"
    )
    omar.get_by_label("midden").check()
    omar.get_by_role("button", name="Antwoord opslaan").click()
    expect(omar.get_by_text("Het antwoord is opgeslagen.")).to_be_visible()
    expect(omar.get_by_text("Zekerheid: midden")).to_be_visible()
    accessible(omar)  # the question page with its answer

    # The reisbegeleider records the duiding.
    rosa.goto(f"{site}/leervragen/{question.pk}/")
    rosa.get_by_role("link", name="Duiding vastleggen").click()
    rosa.get_by_label("Duiding: wat betekent het antwoord voor de reis?").fill(
        "We vragen bezoekers voortaan een buurman mee te nemen."
    )
    rosa.get_by_label("Wie deden mee").fill("Het reisgezelschap op de leerbijeenkomst")
    rosa.get_by_role("button", name="Duiding opslaan").click()
    expect(rosa.get_by_text("De duiding is opgeslagen.")).to_be_visible()
    timeline = rosa.locator(".leervragen-timeline")
    expect(timeline).to_contain_text("zette hem van beantwoord op geduid")
    expect(timeline.locator("li")).to_have_count(5)

    # The answer raises a new question, linked both ways.
    rosa.get_by_role("region", name="Vervolgvragen").get_by_role(
        "link", name="Leervraag maken"
    ).click()
    expect(rosa.get_by_text(f"Deze vraag is een vervolg op “{QUESTION}”.")).to_be_visible()
    rosa.get_by_label("Je leervraag").fill(FOLLOW_UP)
    rosa.get_by_role("button", name="Vraag indienen").click()
    expect(rosa.get_by_role("heading", level=1)).to_have_text(FOLLOW_UP)
    expect(rosa.get_by_role("link", name=QUESTION)).to_be_visible()
    accessible(rosa)  # the follow-up's page
    rosa.get_by_role("link", name=QUESTION).click()
    expect(rosa.get_by_role("link", name=FOLLOW_UP)).to_be_visible()

    question.refresh_from_db()
    assert question.status == LearningQuestion.Status.GEDUID
    assert question.vote_count == 1
    assert list(question.follow_ups.values_list("question", flat=True)) == [FOLLOW_UP]
