"""A member registers for a meeting in the browser, sees the online link appear,
downloads the .ics and cancels; axe checks each state of the page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from icalendar import Calendar
from playwright.sync_api import expect

from community.models import Event
from community.services import events
from community.services.events import EventDetails
from journeys.models import Journey
from tests.e2e.test_accounts_flow import sign_in
from tests.journeys.conftest import add_member

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

LINK = "https://meet.example.org/leerbijeenkomst-e2e"


def test_a_member_registers_sees_the_online_link_downloads_the_ics_and_cancels(
    page, site, personas, accessible
):
    from journeys import services as journey_services

    lead, member = personas["reisbegeleider"], personas["professional"]
    journey = journey_services.create_journey(
        lead,
        title="Samen minder eenzaam",
        challenge="Eenzaamheid",
        visibility=Journey.Visibility.BESLOTEN,
    )
    add_member(journey, member, "reiziger")
    start = timezone.now() + timedelta(days=5)
    event = events.create_event(
        lead,
        EventDetails(
            title="Leerbijeenkomst",
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            form=Event.Form.HYBRIDE,
            address="Wijkcentrum De Linde",
            online_url=LINK,
            capacity=10,
        ),
        journey=journey,
    )

    sign_in(page, site, member.email)
    page.goto(f"{site}/agenda/{event.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Leerbijeenkomst")
    expect(page.locator(f'a[href="{LINK}"]')).to_have_count(0)
    accessible(page)

    page.get_by_label("Aanwezig", exact=True).check()
    page.get_by_role("button", name="Opslaan", exact=True).click()
    expect(page.locator(".events-status")).to_have_text("Je bent aangemeld als aanwezig.")
    expect(page.locator(f'a[href="{LINK}"]').first).to_be_visible()
    accessible(page)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Zet in je agenda (.ics)").click()
    with open(download_info.value.path(), "rb") as downloaded:
        calendar = Calendar.from_ical(downloaded.read())
    (vevent,) = calendar.walk("VEVENT")
    assert vevent.decoded("DTSTART") == event.starts_at.replace(microsecond=0)
    assert LINK in str(vevent.get("LOCATION", "")) + str(vevent.get("DESCRIPTION", ""))

    page.get_by_label("Afwezig", exact=True).check()
    page.get_by_role("button", name="Opslaan", exact=True).click()
    expect(page.locator(".events-status")).to_have_text("Je hebt laten weten dat je niet komt.")
    expect(page.locator(f'a[href="{LINK}"]')).to_have_count(0)
    accessible(page)
