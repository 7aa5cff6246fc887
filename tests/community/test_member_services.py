"""The member services check who acts, write in one transaction and leave an audit entry."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.urls import reverse

from community import services
from community.models import AuditEntry, Organisation, User

pytestmark = pytest.mark.django_db


def test_a_beheerder_registers_a_member_and_the_audit_trail_names_them(beheerder):
    member = services.register_member(
        beheerder, email="Nieuw@Example.org", password="Proef-wachtwoord-2026"
    )
    assert member.email == "nieuw@example.org"
    assert not member.is_staff
    entry = AuditEntry.objects.get(action="member.registered", target_id=str(member.pk))
    assert entry.actor == beheerder


def test_a_member_who_is_not_beheerder_cannot_register_accounts(reisbegeleider):
    with pytest.raises(PermissionDenied):
        services.register_member(reisbegeleider, email="x@example.org", password="x")
    assert not User.objects.filter(email="x@example.org").exists()


def test_members_edit_only_their_own_profile(inwoner, professional, beheerder):
    with pytest.raises(PermissionDenied):
        services.update_profile(professional, inwoner, first_name="Niet", last_name="Ik")
    services.update_profile(beheerder, inwoner, first_name="Ilse", last_name="de Vries")
    inwoner.refresh_from_db()
    assert inwoner.get_full_name() == "Ilse de Vries"


def test_saving_an_unchanged_profile_writes_nothing(inwoner):
    before = AuditEntry.objects.count()
    services.update_profile(inwoner, inwoner, first_name=" Ilse ", last_name="Bakker")
    assert AuditEntry.objects.count() == before


def test_a_failed_registration_leaves_no_half_account(beheerder, inwoner):
    with pytest.raises(IntegrityError):  # the address is taken
        services.register_member(beheerder, email=inwoner.email, password="x")
    assert User.objects.filter(email=inwoner.email).count() == 1
    assert not AuditEntry.objects.filter(action="member.registered", actor=beheerder).exists()


def test_member_fills_organisation_role_and_expertise_on_the_account_page(client, inwoner):
    lindendal = Organisation.objects.create(name="Gemeente Lindendal", kind="gemeente")
    client.force_login(inwoner)

    response = client.post(
        reverse("account_profile"),
        {
            "first_name": "Ilse",
            "last_name": "Bakker",
            "organisation": lindendal.pk,
            "job_title": "ervaringsdeskundige",
            "expertise": "armoede, buurtwerk",
        },
    )

    assert response.status_code == 302
    inwoner.refresh_from_db()
    assert inwoner.organisation == lindendal
    assert inwoner.job_title == "ervaringsdeskundige"
    assert sorted(inwoner.expertise.names()) == ["armoede", "buurtwerk"]
    assert AuditEntry.objects.filter(
        action="member.profile_updated", target_id=str(inwoner.pk)
    ).exists()


def test_an_unknown_organisation_is_refused_and_nothing_changes(client, inwoner):
    client.force_login(inwoner)

    response = client.post(
        reverse("account_profile"),
        {"first_name": "Iemand", "last_name": "Anders", "organisation": 999999},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["organisation"]
    inwoner.refresh_from_db()
    assert inwoner.first_name == "Ilse"
