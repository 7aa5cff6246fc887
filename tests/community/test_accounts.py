"""Sign-up, verification, sign-in, password reset and the account page, in Dutch."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.test import Client
from django.urls import reverse

from community.models import AuditEntry, User
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

SIGNUP = "/accounts/signup/"
LOGIN = "/accounts/login/"


def signup_data(**overrides):
    return {
        "email": "nieuw@example.org",
        "first_name": "Noor",
        "last_name": "Visser",
        "password1": PASSWORD,
        "password2": PASSWORD,
        **overrides,
    }


def link_in(message) -> str:
    return re.search(r"https?://\S+", message.body).group(0)


def test_signup_sends_a_verification_mail_and_keeps_the_account_unverified(client, mailoutbox):
    response = client.post(SIGNUP, signup_data())
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    member = User.objects.get(email="nieuw@example.org")
    assert member.get_full_name() == "Noor Visser"
    assert not EmailAddress.objects.get(user=member).verified
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["nieuw@example.org"]
    assert "/accounts/confirm-email/" in link_in(mailoutbox[0])
    assert "_auth_user_id" not in client.session
    assert AuditEntry.objects.filter(action="member.signed_up", target_id=str(member.pk)).exists()


def test_following_the_verification_link_verifies_and_signs_in(client, mailoutbox):
    client.post(SIGNUP, signup_data())
    confirm_url = link_in(mailoutbox[0])
    page = client.get(confirm_url)
    assert page.status_code == 200
    assert "Bevestig" in page.content.decode()  # the confirm button, in Dutch
    response = client.post(confirm_url)
    assert response.status_code == 302
    assert EmailAddress.objects.get(email="nieuw@example.org").verified
    assert client.get(reverse("account_profile")).status_code == 200


def test_a_malformed_email_is_refused_in_dutch_and_creates_nothing(client):
    response = client.post(SIGNUP, signup_data(email="niet-een-adres"))
    assert response.status_code == 200
    assert "Voer een geldig e-mailadres in." in response.content.decode()
    assert not User.objects.exists()


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("wachtwoord", "Dit wachtwoord is te algemeen."),
        ("1234567890", "Dit wachtwoord bevat alleen cijfers."),
        ("kort", "Dit wachtwoord is te kort."),
    ],
)
def test_a_weak_password_is_refused_in_dutch_and_creates_nothing(client, password, message):
    response = client.post(SIGNUP, signup_data(password1=password, password2=password))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.exists()


def test_a_wrong_verification_key_is_explained_in_dutch_and_verifies_nothing(client, mailoutbox):
    client.post(SIGNUP, signup_data())
    response = client.get("/accounts/confirm-email/niet-de-goede-sleutel/")
    assert response.status_code == 200
    assert "verlopen of niet geldig" in response.content.decode()
    assert client.post("/accounts/confirm-email/niet-de-goede-sleutel/").status_code in {200, 404}
    assert not EmailAddress.objects.get(email="nieuw@example.org").verified


def test_a_form_without_csrf_token_is_refused_with_403_and_changes_nothing():
    client = Client(enforce_csrf_checks=True)
    response = client.post(SIGNUP, signup_data())
    assert response.status_code == 403
    html = response.content.decode()
    assert "Er is niets gewijzigd" in html
    assert "Lerende infrastructuur</a>" in html  # inside the platform's shell
    assert not User.objects.exists()


def test_an_unverified_member_cannot_sign_in_and_gets_a_new_verification_mail(
    client, make_member, mailoutbox
):
    make_member("later@example.org", verified=False)
    response = client.post(LOGIN, {"login": "later@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session
    assert len(mailoutbox) == 1


def test_a_verified_member_signs_in_with_email_and_password(client, make_member):
    member = make_member("lid@example.org")
    response = client.post(LOGIN, {"login": "LID@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(member.pk)


def test_a_wrong_password_is_refused_in_dutch(client, make_member):
    make_member("lid@example.org")
    response = client.post(LOGIN, {"login": "lid@example.org", "password": "fout-wachtwoord"})
    assert response.status_code == 200
    assert "wachtwoord is niet correct" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_repeated_failed_sign_ins_are_rate_limited(client, make_member):
    make_member("lid@example.org")
    for _ in range(5):
        client.post(LOGIN, {"login": "lid@example.org", "password": "fout-wachtwoord"})
    response = client.post(LOGIN, {"login": "lid@example.org", "password": PASSWORD})
    assert "Te veel inlogpogingen" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_password_reset_mails_a_link_that_sets_a_new_password(client, make_member, mailoutbox):
    make_member("vergeten@example.org")
    client.post("/accounts/password/reset/", {"email": "vergeten@example.org"})
    assert len(mailoutbox) == 1
    reset_url = link_in(mailoutbox[0])
    form_page = client.get(reset_url, follow=True)
    new_password = "Nieuw-en-sterk-2026"
    response = client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else reset_url,
        {"password1": new_password, "password2": new_password},
    )
    assert response.status_code == 302
    client.logout()
    client.post(LOGIN, {"login": "vergeten@example.org", "password": new_password})
    assert "_auth_user_id" in client.session


def test_the_account_page_requires_signing_in(client):
    response = client.get(reverse("account_profile"))
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_a_member_changes_their_name_on_the_account_page(client, inwoner):
    client.force_login(inwoner)
    response = client.post(
        reverse("account_profile"), {"first_name": "Ilse", "last_name": "van Dam"}, follow=True
    )
    assert "Je gegevens zijn opgeslagen." in response.content.decode()
    inwoner.refresh_from_db()
    assert inwoner.last_name == "van Dam"
    entry = AuditEntry.objects.get(action="member.profile_updated")
    assert entry.actor == inwoner
    assert entry.data == {"fields": ["last_name"]}


def test_an_empty_name_is_refused_in_dutch_and_changes_nothing(client, inwoner):
    client.force_login(inwoner)
    response = client.post(reverse("account_profile"), {"first_name": "", "last_name": "X"})
    assert response.status_code == 200
    assert "Dit is een verplicht veld." in response.content.decode()
    inwoner.refresh_from_db()
    assert (inwoner.first_name, inwoner.last_name) == ("Ilse", "Bakker")
