"""Site-wide search in the browser: a member searches from the header's box with the
keyboard, narrows the results to one type, opens a hit; a visitor on a phone sees only
what is public. axe-core checks the results page in each state."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.test_accounts_flow import sign_in
from tests.journeys.conftest import make_journey  # noqa: F401
from tests.learning.test_site_search import (  # noqa: F401  (fixtures)
    _no_rate_limit,
    category,
    kennisbank,
    world,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.mark.usefixtures("world")
def test_a_member_searches_from_the_header_filters_by_type_and_opens_a_hit(page, site, accessible):
    sign_in(page, site, "professional@example.org")
    page.goto(site + "/reizen/")

    box = page.get_by_role("search", name="Zoeken op het platform").get_by_label(
        "Zoeken op het platform"
    )
    box.focus()
    page.keyboard.type("buurtkamer")
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"/zoeken/\?q=buurtkamer$"))
    expect(page.get_by_role("heading", level=2)).to_have_text("9 resultaten voor “buurtkamer”")
    results = page.get_by_role("list", name="9 resultaten voor “buurtkamer”")
    expect(results.locator("mark").first).to_have_text(re.compile("buurtkamer", re.I))
    expect(page.get_by_label("Zoek naar")).to_have_value("buurtkamer")
    accessible(page)

    filters = page.get_by_role("navigation", name="Toon alleen")
    filters.get_by_role("link", name="Reizen (2)").click()
    expect(page).to_have_url(re.compile(r"soort=reizen"))
    expect(filters.get_by_role("link", name="Reizen (2)")).to_have_attribute("aria-current", "page")
    hits = page.locator(".site-search-result h3 a")
    expect(hits).to_have_count(2)
    accessible(page)

    hits.filter(has_text="Geheime werkgroep").click()
    expect(page).to_have_url(re.compile(r"/reizen/geheime-werkgroep/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Geheime werkgroep")


@pytest.mark.usefixtures("world")
def test_a_visitor_on_a_phone_finds_only_public_hits(
    browser, browser_context_args, site, accessible
):
    context = browser.new_context(**browser_context_args, viewport={"width": 375, "height": 740})
    page = context.new_page()
    page.goto(site + "/zoeken/")
    accessible(page)

    page.get_by_label("Zoek naar").fill("buurtkamer")
    page.get_by_role("main").get_by_role("button", name="Zoeken").click()

    expect(page.get_by_role("heading", level=2)).to_have_text("2 resultaten voor “buurtkamer”")
    expect(page.get_by_text("Geheime werkgroep")).to_have_count(0)
    # Nothing is wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    accessible(page)
    context.close()
