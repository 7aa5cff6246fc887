"""A member's privacy rights in the browser: download your data, then delete your account,
on a phone, every page checked with axe-core."""

import io
import json
import zipfile

import pytest
from playwright.sync_api import expect

from community.models import User
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture(autouse=True)
def private_storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "private", "base_url": None},
        },
    }


def test_a_member_downloads_their_data_and_deletes_their_account_on_a_phone(
    page, site, personas, mailoutbox, accessible
):
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(site + "/accounts/login/")
    page.get_by_label("E-mailadres").fill("professional@example.org")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("button", name="Uitloggen")).to_be_visible()

    page.goto(site + "/accounts/profiel/")
    page.get_by_role("link", name="Download je gegevens").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Je gegevens")
    accessible(page)
    page.get_by_role("button", name="Vraag een kopie van je gegevens aan").click()
    expect(page.get_by_text("Je gegevens worden verzameld.")).to_be_visible()
    accessible(page)
    assert any("/accounts/profiel/gegevens/download/" in m.body for m in mailoutbox)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download je gegevens (zip)").click()
    archive = zipfile.ZipFile(io.BytesIO(download.value.path().read_bytes()))
    assert json.loads(archive.read("gegevens.json"))["profile"]["email"] == (
        "professional@example.org"
    )

    page.goto(site + "/accounts/profiel/gegevens/download/niet-geldig/")
    expect(page.get_by_text("Deze downloadlink klopt niet.")).to_be_visible()
    accessible(page)

    page.goto(site + "/accounts/profiel/")
    page.get_by_role("link", name="Verwijder je account").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Verwijder je account")
    accessible(page)
    page.get_by_role("button", name="Verwijder mijn account definitief").click()
    expect(page.get_by_text("Kies wat er gebeurt met wat je hebt bijgedragen.")).to_be_visible()
    accessible(page)  # the page with its errors
    page.get_by_label("Bewaar mijn bijdragen zonder mijn naam", exact=False).check()
    page.get_by_label("Je wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Verwijder mijn account definitief").click()
    expect(page.get_by_text("Je account is verwijderd. Tot ziens.")).to_be_visible()
    expect(page.get_by_role("link", name="Inloggen")).to_be_visible()
    accessible(page)
    assert not User.objects.filter(email="professional@example.org").exists()
