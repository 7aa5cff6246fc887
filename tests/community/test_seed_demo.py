"""`manage.py seed_demo`: one verified demo account per role, idempotent."""

from io import StringIO

import pytest
from django.core.management import call_command

from community.demo import PERSONAS, demo_password
from community.models import AuditEntry, User
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_seed_demo_creates_a_verified_account_per_role_that_can_sign_in(client):
    call_command("seed_demo", stdout=StringIO())
    for persona in PERSONAS:
        response = client.post(
            "/accounts/login/", {"login": persona.email, "password": demo_password()}
        )
        assert response.status_code == 302, persona.role
        assert client.session["_auth_user_id"] == str(User.objects.get(email=persona.email).pk)
        client.logout()


def test_running_seed_demo_twice_changes_nothing():
    call_command("seed_demo", stdout=StringIO())
    counts = (User.objects.count(), AuditEntry.objects.count())
    call_command("seed_demo", stdout=StringIO())
    assert (User.objects.count(), AuditEntry.objects.count()) == counts
    assert counts[0] == len(PERSONAS)


def test_only_the_beheerder_is_staff():
    call_command("seed_demo", stdout=StringIO())
    assert list(User.objects.filter(is_staff=True).values_list("email", flat=True)) == [
        "beheerder@example.org"
    ]


def test_the_redacteur_reaches_the_cms_and_a_professional_does_not(client, redacteur, professional):
    client.force_login(redacteur)
    assert client.get("/cms/").status_code == 200
    client.force_login(professional)
    response = client.get("/cms/", follow=True)
    assert response.status_code == 403
    assert "Geen toegang tot het beheer" in response.content.decode()


def test_the_cms_signs_in_through_the_platform_login_and_returns(client, redacteur):
    response = client.get("/cms/pages/", follow=True)
    assert response.redirect_chain[-1][0] == "/accounts/login/?next=%2Fcms%2Fpages%2F"
    response = client.post(
        "/accounts/login/?next=/cms/pages/",
        {"login": redacteur.email, "password": PASSWORD, "next": "/cms/pages/"},
    )
    assert response["Location"] == "/cms/pages/"


def test_the_cms_sign_in_never_sends_anyone_to_another_site(client):
    response = client.get("/accounts/cms/?next=https://evil.example.com/")
    assert response["Location"] == "/accounts/login/?next=%2Fcms%2F"


def test_a_password_changed_in_the_demo_survives_the_next_run(monkeypatch):
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    call_command("seed_demo", stdout=StringIO())
    trainer = User.objects.get(email="trainer@example.org")
    trainer.set_password("Eigen-keuze-2026")
    trainer.save()
    call_command("seed_demo", stdout=StringIO())
    trainer.refresh_from_db()
    assert trainer.check_password("Eigen-keuze-2026")


def test_an_explicit_demo_password_is_given_to_every_demo_account(monkeypatch):
    call_command("seed_demo", stdout=StringIO())
    monkeypatch.setenv("DEMO_PASSWORD", "Nieuw-demo-wachtwoord-2026")
    call_command("seed_demo", stdout=StringIO())
    assert all(
        User.objects.get(email=persona.email).check_password("Nieuw-demo-wachtwoord-2026")
        for persona in PERSONAS
    )
