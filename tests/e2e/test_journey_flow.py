"""A journey from its start to verkennen, in the browser, by three people: the
reisbegeleider starts it and invites, a newcomer signs up through the invitation and
writes the opdracht, the opdrachtgever approves it. axe-core checks every page."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from journeys.models import Journey
from tests.conftest import PASSWORD
from tests.e2e.test_accounts_flow import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _link_in(message, site: str) -> str:
    """The first link in a mail, pointed at the test server (mails carry BASE_URL)."""
    url = re.search(r"https?://\S+", message.body).group(0)
    parts = urlsplit(url)
    return f"{site}{parts.path}{'?' + parts.query if parts.query else ''}"


def test_a_journey_starts_gets_its_people_and_moves_to_verkennen_once_the_opdracht_is_approved(
    browser, browser_context_args, site, personas, mailoutbox, accessible
):
    facilitator = browser.new_context(**browser_context_args).new_page()
    newcomer = browser.new_context(**browser_context_args).new_page()
    commissioner = browser.new_context(**browser_context_args).new_page()
    for page in (facilitator, newcomer, commissioner):
        page.set_default_timeout(10_000)

    # The reisbegeleider starts the journey.
    sign_in(facilitator, site, "reisbegeleider@example.org")
    facilitator.goto(site + "/reizen/")
    accessible(facilitator)
    facilitator.get_by_role("link", name="Start een reis").click()
    accessible(facilitator)
    facilitator.get_by_label("Titel").fill("Samen aan de slag in Vlietmonde")
    facilitator.get_by_label("Maatschappelijke opgave").fill("Jongeren zonder werk of school")
    facilitator.get_by_label("besloten: alleen leden").check()
    facilitator.get_by_role("button", name="Start de reis").click()
    expect(facilitator.get_by_role("heading", level=1)).to_have_text(
        "Samen aan de slag in Vlietmonde"
    )
    accessible(facilitator)
    journey = Journey.objects.get(title="Samen aan de slag in Vlietmonde")
    assert journey.visibility == Journey.Visibility.BESLOTEN

    # ... and invites a newcomer as reiziger and the opdrachtgever.
    facilitator.get_by_role("link", name="Leden", exact=True).click()
    accessible(facilitator)
    for email, role in (
        ("noor@example.org", "reiziger"),
        (personas["opdrachtgever"].email, "opdrachtgever"),
    ):
        facilitator.get_by_label("E-mailadres").fill(email)
        facilitator.get_by_label("Rol", exact=True).select_option(role)
        facilitator.get_by_role("button", name="Uitnodiging versturen").click()
        expect(facilitator.get_by_text(email).first).to_be_visible()
    assert [m.to for m in mailoutbox] == [["noor@example.org"], ["opdrachtgever@example.org"]]
    invitation_for_noor = _link_in(mailoutbox[0], site)
    invitation_for_marieke = _link_in(mailoutbox[1], site)

    # The newcomer signs up through the link, verifies the address and accepts.
    newcomer.goto(invitation_for_noor)
    accessible(newcomer)
    newcomer.locator("#inhoud").get_by_role("link", name="Account aanmaken").click()
    newcomer.get_by_label("E-mailadres").fill("noor@example.org")
    newcomer.get_by_label("Voornaam").fill("Noor")
    newcomer.get_by_label("Achternaam").fill("Visser")
    newcomer.get_by_label("Wachtwoord", exact=True).fill(PASSWORD)
    newcomer.get_by_label("Wachtwoord (bevestigen)").fill(PASSWORD)
    newcomer.get_by_role("button", name="Registreren").click()
    expect(newcomer.get_by_role("heading", level=1)).to_have_text("Verifieer je e-mailadres")
    newcomer.goto(_link_in(mailoutbox[-1], site))
    newcomer.get_by_role("button", name="Bevestig", exact=True).click()
    expect(newcomer.get_by_role("button", name="Uitnodiging accepteren")).to_be_visible()
    accessible(newcomer)
    newcomer.get_by_role("button", name="Uitnodiging accepteren").click()
    expect(newcomer.get_by_role("heading", level=1)).to_have_text("Samen aan de slag in Vlietmonde")

    # The opdrachtgever, who has an account, signs in through the link and accepts.
    commissioner.goto(invitation_for_marieke)
    commissioner.locator("#inhoud").get_by_role("link", name="Inloggen").click()
    commissioner.get_by_label("E-mailadres").fill(personas["opdrachtgever"].email)
    commissioner.get_by_label("Wachtwoord").fill(PASSWORD)
    commissioner.get_by_role("button", name="Inloggen").click()
    commissioner.get_by_role("button", name="Uitnodiging accepteren").click()
    expect(commissioner.get_by_role("heading", level=1)).to_have_text(
        "Samen aan de slag in Vlietmonde"
    )

    # The newcomer writes the opdracht, in a plain form.
    newcomer.get_by_role("link", name="Opdracht", exact=True).click()
    accessible(newcomer)
    newcomer.get_by_role("link", name="Opdracht bewerken").click()
    accessible(newcomer)
    newcomer.get_by_label("Vraag").fill("Hoe vinden jongeren zonder werk of school weer een plek?")
    newcomer.get_by_label("Aanleiding").fill("Het aantal thuiszitters groeit al drie jaar.")
    newcomer.get_by_role("button", name="Opslaan").click()
    expect(newcomer.get_by_text("Hoe vinden jongeren zonder werk of school")).to_be_visible()

    # Moving on is refused while the opdracht is not vastgesteld.
    facilitator.goto(site + journey.get_absolute_url())
    expect(facilitator.get_by_role("button", name=re.compile("Reis naar"))).to_have_count(0)

    # The reisbegeleider submits it, the opdrachtgever approves it.
    facilitator.get_by_role("link", name="Opdracht", exact=True).click()
    facilitator.get_by_role("button", name="Voorleggen aan de opdrachtgever").click()
    expect(facilitator.get_by_text("ter vaststelling").first).to_be_visible()
    commissioner.get_by_role("link", name="Opdracht", exact=True).click()
    accessible(commissioner)
    commissioner.get_by_role("button", name="Vaststellen: opdracht").click()
    expect(commissioner.get_by_text("vastgesteld").first).to_be_visible()
    accessible(commissioner)

    # Now the journey moves to verkennen, with a note, and the dashboard shows where it is.
    facilitator.get_by_role("link", name="Overzicht").click()
    facilitator.get_by_label("Notitie bij deze stap").fill("Op verkenning met de jongeren zelf.")
    facilitator.get_by_role("button", name="Reis naar verkennen brengen").click()
    expect(facilitator.locator("[aria-current=step]")).to_contain_text("verkennen")
    expect(facilitator.get_by_text("Op verkenning met de jongeren zelf.")).to_be_visible()
    accessible(facilitator)
    journey.refresh_from_db()
    assert journey.phase == Journey.Phase.VERKENNEN

    # The Impact Canvas and the version history pass axe too.
    facilitator.get_by_role("link", name="Impact Canvas").click()
    accessible(facilitator)
    facilitator.get_by_role("link", name="Opdracht", exact=True).click()
    facilitator.get_by_role("link", name="Versiegeschiedenis").click()
    accessible(facilitator)


def test_journey_pages_fit_a_phone_and_200_percent_zoom(
    browser, browser_context_args, site, personas
):
    from journeys import services

    journey = services.create_journey(
        personas["reisbegeleider"],
        title="Een reis met een heel lange titel die op een telefoon moet afbreken",
        challenge="Eenzaamheid onder ouderen",
    )
    for width in (375, 640):  # a phone, and 1280 px at 200% zoom
        page = browser.new_context(
            **browser_context_args, viewport={"width": width, "height": 800}
        ).new_page()
        sign_in(page, site, "reisbegeleider@example.org")
        for path in (
            "/reizen/",
            journey.get_absolute_url(),
            journey.get_absolute_url() + "canvas/",
            journey.get_absolute_url() + "leden/",
            journey.get_absolute_url() + "opdracht/bewerken/",
        ):
            page.goto(site + path)
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at {width}px"
        page.context.close()
