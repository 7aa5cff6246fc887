"""The reisverslag in the browser, from the demo material: the reisbegeleider composes it
(a story, a figure, a comment, an order), puts it before the opdrachtgever, who vaststelt
it; the journey is in cycle 2 with a programma-aanpak that carries the "vervolg" over.
axe-core checks the composer, the report and the new programme."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from community.board_demo import seed_boards
from community.event_demo import seed_events
from community.forum_demo import seed_forums
from journeys.demo import POVERTY_REISVERSLAG, POVERTY_SLUG, seed_journeys
from journeys.models import Journey
from learning.demo import seed_pages
from learning.leervragen.demo import seed_leervragen
from tests.e2e.test_accounts_flow import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def seed_material() -> None:
    """Everything seed_demo makes except its last step, the composed reports: the poverty
    journey is in doen en leren with its reisverslag written but not yet composed."""
    out = StringIO()
    seed_journeys(out)
    seed_pages(out)
    call_command("setup_editorial", stdout=out)
    seed_forums(out)
    seed_events(out)
    seed_leervragen(out)
    call_command("seed_stories", stdout=out)
    seed_boards(out)


def test_compose_a_reisverslag_from_the_demo_material_vaststellen_and_see_the_new_cycle(
    browser, browser_context_args, site, personas, accessible
):
    seed_material()
    base = f"{site}/reizen/{POVERTY_SLUG}"
    lead = browser.new_context(**browser_context_args).new_page()
    lead.set_default_timeout(10_000)
    sign_in(lead, site, personas["reisbegeleider"].email)

    # The composer offers the cycle's material beside the report's sections.
    lead.goto(f"{base}/reisverslag/")
    lead.get_by_role("link", name=re.compile("samenstellen uit het materiaal")).click()
    expect(lead.get_by_role("heading", level=1)).to_contain_text("samenstellen")
    material = lead.get_by_role("complementary", name="Materiaal van de reis")
    stories = material.get_by_role("region", name=re.compile("Verhalen uit deze cyclus"))
    first_story = stories.locator("li").filter(has=lead.get_by_role("button")).first
    story_title = first_story.locator(".report-material__title").inner_text().split("\n")[0]
    story_title = re.sub(r"\s*deze cyclus$", "", story_title).strip()
    first_story.get_by_role("button", name=re.compile("^Toevoegen")).click()
    expect(lead.get_by_text(re.compile(r"Toegevoegd aan de sectie .Verhalen.\."))).to_be_visible()
    verhalen = lead.locator("#sectie-verhalen")
    expect(verhalen.get_by_role("heading", name=story_title)).to_be_visible()

    # A figure goes in too, into the data section, and gets a comment.
    figures = material.get_by_role("region", name=re.compile("Indicatoren"))
    figures.get_by_role("button", name=re.compile("meedoenregeling")).click()
    data = lead.locator("#sectie-data")
    expect(data.locator("svg[role=img]")).to_have_count(1)
    data.get_by_label("Waarom het ertoe doet (toelichting)").fill("Steeg in alle drie de wijken.")
    data.get_by_role("button", name="Toelichting opslaan").click()
    expect(lead.get_by_text("Toelichting opgeslagen.")).to_be_visible()
    expect(lead.locator("#sectie-data")).to_contain_text("Steeg in alle drie de wijken.")
    accessible(lead)

    # The report page shows what was composed; the reisbegeleider puts it forward.
    lead.get_by_role("link", name="Reisverslag lezen").click()
    expect(lead.locator("#lens-verhalen")).to_contain_text(story_title)
    expect(lead.locator("#lens-data")).to_contain_text("Steeg in alle drie de wijken.")
    lead.get_by_role("button", name="Voorleggen aan de opdrachtgever").click()
    expect(lead.get_by_text("ter vaststelling").first).to_be_visible()
    accessible(lead)

    # The opdrachtgever reads it and vaststelt it: cycle 2 begins.
    client = browser.new_context(**browser_context_args).new_page()
    client.set_default_timeout(10_000)
    sign_in(client, site, personas["opdrachtgever"].email)
    client.goto(f"{base}/reisverslag/")
    expect(client.locator("#lens-verhalen")).to_contain_text(story_title)
    client.get_by_role("button", name="Vaststellen: reisverslag").click()
    expect(client.locator(".journey-heading__meta")).to_contain_text("Cyclus 2")
    expect(client.locator(".journey-heading__meta")).to_contain_text("Fase: (in)richten")
    journey = Journey.objects.get(slug=POVERTY_SLUG)
    assert (journey.phase, journey.cycle) == (Journey.Phase.INRICHTEN, 2)

    # The new programma-aanpak starts from what the reisverslag says comes next.
    client.goto(f"{base}/programma-aanpak/")
    carried = client.locator("#lens-vervolg_vorige_cyclus")
    expect(carried).to_contain_text("Meegenomen uit het reisverslag")
    expect(carried).to_contain_text(POVERTY_REISVERSLAG["vervolg"][:40])
    accessible(client)
