"""A new user, in the browser: sign up, verify from the mail, sign in; every page checked
with axe-core, usable by keyboard and on a phone."""

import re

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_new_member_signs_up_verifies_the_email_and_is_signed_in(
    page, site, mailoutbox, accessible
):
    page.goto(site + "/")
    accessible(page)
    page.get_by_role("link", name="Account aanmaken").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Registreren")
    accessible(page)

    page.get_by_label("E-mailadres").fill("noor@example.org")
    page.get_by_label("Voornaam").fill("Noor")
    page.get_by_label("Achternaam").fill("Visser")
    page.get_by_label("Wachtwoord", exact=True).fill(PASSWORD)
    page.get_by_label("Wachtwoord (bevestigen)").fill(PASSWORD)
    page.get_by_role("button", name="Registreren").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Verifieer je e-mailadres")
    accessible(page)
    assert len(mailoutbox) == 1
    link = re.search(r"https?://\S+", mailoutbox[0].body).group(0)

    page.goto(link)
    accessible(page)
    page.get_by_role("button", name="Bevestig", exact=True).click()

    expect(page.get_by_role("link", name="Noor Visser")).to_be_visible()
    page.get_by_role("link", name="Noor Visser").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Je account")
    accessible(page)

    # Out, and back in with the new account.
    page.get_by_role("button", name="Uitloggen").click()
    expect(page.get_by_role("link", name="Inloggen")).to_be_visible()
    sign_in(page, site, "noor@example.org")
    expect(page.get_by_role("link", name="Noor Visser")).to_be_visible()


def test_malformed_input_gets_dutch_messages_in_the_browser(page, site, accessible):
    page.goto(site + "/accounts/signup/")
    page.get_by_label("E-mailadres").fill("niet-een-adres")
    page.get_by_label("Voornaam").fill("Noor")
    page.get_by_label("Wachtwoord", exact=True).fill("kort")
    page.get_by_label("Wachtwoord (bevestigen)").fill("kort")
    page.get_by_role("button", name="Registreren").click()
    expect(page.get_by_text("Voer een geldig e-mailadres in.")).to_be_visible()
    expect(page.get_by_label("E-mailadres")).to_have_attribute("aria-invalid", "true")
    accessible(page)


def test_a_demo_member_signs_in_and_signs_out(page, site, personas, accessible):
    page.goto(site + "/accounts/login/")
    accessible(page)
    page.get_by_label("E-mailadres").fill("professional@example.org")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("link", name="Pieter de Wit")).to_be_visible()
    accessible(page)
    page.get_by_role("button", name="Uitloggen").click()
    expect(page.get_by_role("link", name="Inloggen")).to_be_visible()
    expect(page.get_by_role("link", name="Pieter de Wit")).to_have_count(0)


def test_a_keyboard_user_skips_straight_to_the_content(page, site):
    page.goto(site + "/")
    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Naar de inhoud")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "inhoud"


@pytest.mark.parametrize(
    ("width", "height"),
    [(375, 740), (640, 400)],  # a phone; a 1280x800 screen at 200% zoom
    ids=["phone", "zoom-200"],
)
def test_pages_fit_a_phone_and_200_percent_zoom_without_sideways_scrolling(
    page, site, personas, width, height
):
    page.set_viewport_size({"width": width, "height": height})
    for path in ("/", "/accounts/login/", "/accounts/signup/"):
        page.goto(site + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at {width}px"


def sign_in(page, site, email):
    page.goto(site + "/accounts/login/")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("button", name="Uitloggen")).to_be_visible()


def test_every_account_page_passes_axe(page, site, personas, accessible):
    for path in ("/accounts/password/reset/", "/bestaat-niet/"):
        page.goto(site + path)
        accessible(page)
    sign_in(page, site, "inwoner@example.org")
    for path in (
        "/accounts/profiel/",
        "/accounts/email/",
        "/accounts/password/change/",
        "/accounts/2fa/",
        "/cms/",  # no CMS access: the explanation page
    ):
        page.goto(site + path)
        expect(page.locator("main h1")).to_be_visible()
        accessible(page)
    page.goto(site + "/accounts/2fa/totp/activate/")
    page.get_by_label("Wachtwoord").fill(PASSWORD)  # allauth asks again first
    page.get_by_role("button", name="Bevestig").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("authenticator-app")
    accessible(page)
