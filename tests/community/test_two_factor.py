"""Two-factor: optional for everyone in the demo, required for staff in production."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.urls import reverse

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def sign_in(client, member):
    """Through the login form: allauth asks for a recent sign-in before two-factor set-up."""
    response = client.post("/accounts/login/", {"login": member.email, "password": PASSWORD})
    assert response.status_code == 302


def open_two_factor_setup(client):
    """allauth asks for the password again before two-factor can be set up."""
    setup_url = reverse("mfa_activate_totp")
    response = client.get(setup_url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    client.post(response["Location"], {"password": PASSWORD})
    return client.get(setup_url)


@pytest.fixture
def staff_two_factor_required(settings):
    settings.REQUIRE_STAFF_TWO_FACTOR = True


def test_staff_without_two_factor_are_sent_to_set_it_up_first(
    client, beheerder, staff_two_factor_required
):
    sign_in(client, beheerder)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    setup_page = open_two_factor_setup(client)
    assert setup_page.status_code == 200
    assert "tweestapsverificatie" in setup_page.content.decode().lower()


def test_staff_with_an_authenticator_app_go_where_they_want(
    client, beheerder, staff_two_factor_required
):
    TOTP.activate(beheerder, generate_totp_secret())
    client.force_login(beheerder)
    assert client.get("/").status_code == 200


def test_members_who_are_not_staff_need_no_two_factor(client, inwoner, staff_two_factor_required):
    client.force_login(inwoner)
    assert client.get("/").status_code == 200


def test_in_the_embedded_demo_staff_may_skip_two_factor(client, beheerder):
    client.force_login(beheerder)
    assert client.get("/").status_code == 200


def test_every_member_can_reach_the_two_factor_setup(client, inwoner):
    sign_in(client, inwoner)
    page = open_two_factor_setup(client)
    assert page.status_code == 200
    assert "authenticator" in page.content.decode().lower()
