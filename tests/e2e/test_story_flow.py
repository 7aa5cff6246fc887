"""A resident tells a story in the browser, finds it by a word and by a facet, sees it
counted in "tellen en vertellen", withdraws it and finds it gone; axe-core checks every
page on the way."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from journeys.models import Story
from journeys.stories import services
from journeys.stories.services import StoryDetails
from tests.e2e.test_accounts_flow import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

WORD = "pompoensoep"
TITLE = "De soepavond in het buurthuis"


def search(page, site, term: str) -> None:
    page.goto(f"{site}/verhalen/")
    archive_search = page.get_by_role("search", name="Zoeken in de verhalen")
    archive_search.get_by_label("Zoek op woorden in de verhalen").fill(term)
    archive_search.get_by_role("button", name="Zoeken").click()


def test_tell_find_by_word_and_facet_withdraw_and_find_it_gone(page, site, personas, accessible):
    services.tell_story(
        personas["professional"],
        StoryDetails(
            title="Schulden en schaamte",
            text="Een verhaal over de budgetcoach.",
            perspective=Story.Perspective.PROFESSIONAL,
            visibility=Story.Visibility.OPENBAAR,
            themes=["armoede"],
        ),
    )
    sign_in(page, site, "inwoner@example.org")

    # Tell the story.
    page.goto(f"{site}/verhalen/vertellen/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Vertel een verhaal")
    accessible(page)
    page.get_by_label("Titel").fill(TITLE)
    page.get_by_label("Je verhaal").fill(
        f"Elke donderdag koken we samen. Vorige week was er {WORD} en er kwamen twaalf buren."
    )
    page.get_by_label("De verteller spreekt als").select_option("inwoner")
    page.get_by_label("openbaar: iedereen").check()
    page.get_by_label("Thema's").fill("eenzaamheid, koken")
    page.get_by_label("verbondenheid").check()
    page.get_by_role("button", name="Verhaal opslaan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.get_by_text("Dank je wel voor je verhaal.")).to_be_visible()
    expect(page.get_by_text("Verteld door Ilse")).to_be_visible()
    accessible(page)

    # Find it by a word.
    search(page, site, WORD)
    expect(page.get_by_role("heading", name="1 verhaal", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name=TITLE)).to_be_visible()
    accessible(page)

    # Find it by a facet, and see it counted.
    page.goto(f"{site}/verhalen/")
    page.get_by_role("link", name=re.compile(r"^koken \(1")).click()
    expect(page.get_by_role("link", name=TITLE)).to_be_visible()
    expect(page.get_by_role("link", name="Schulden en schaamte")).to_have_count(0)
    expect(page.get_by_text("Gekozen: koken")).to_be_visible()
    assert "thema=koken" in page.url
    page.get_by_text("Toon als tabel").first.click()
    table = page.get_by_role("table").first
    expect(table.get_by_role("row", name=re.compile(r"^inwoner 1$"))).to_be_visible()
    accessible(page)

    # Withdraw it.
    page.get_by_role("link", name=TITLE).click()
    page.get_by_role("link", name="Intrekken").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"“{TITLE}” intrekken?")
    accessible(page)
    page.get_by_role("button", name="Trek het verhaal in").click()
    expect(page.get_by_text("Het verhaal is ingetrokken.")).to_be_visible()
    accessible(page)

    # Gone: from the search, the facets and the counts.
    search(page, site, WORD)
    expect(page.get_by_role("heading", name="0 verhalen", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name=TITLE)).to_have_count(0)
    page.goto(f"{site}/verhalen/")
    expect(page.get_by_role("link", name=re.compile(r"^koken"))).to_have_count(0)
    expect(page.get_by_role("heading", name="1 verhaal", exact=True)).to_be_visible()
    accessible(page)
