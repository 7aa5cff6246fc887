"""The journey pages as a member uses them: plain forms, clear refusals, nothing half done."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from community.models import Organisation
from journeys import services
from journeys.models import Invitation, JoinRequest, Journey, Membership, PhaseResult
from tests.journeys.conftest import fill_and_approve

pytestmark = pytest.mark.django_db
Phase = Journey.Phase


def _url(name, journey, *args):
    return reverse(f"journeys:{name}", args=[journey.slug, *args])


def test_a_member_starts_a_journey_with_the_form_and_becomes_its_reisbegeleider(client, trainer):
    lindendal = Organisation.objects.create(name="Gemeente Lindendal", kind="gemeente")
    client.force_login(trainer)

    response = client.post(
        reverse("journeys:create"),
        {
            "title": "Gezond opgroeien",
            "challenge": "Overgewicht bij kinderen",
            "visibility": "besloten",
            "scenario": "klein_en_krachtig",
            "organisations": [lindendal.pk],
            "themes": "gezondheid, jeugd",
        },
    )

    journey = Journey.objects.get(title="Gezond opgroeien")
    assert response.status_code == 302 and response["Location"] == journey.get_absolute_url()
    assert journey.memberships.get().role == Membership.Role.REISBEGELEIDER
    assert list(journey.organisations.all()) == [lindendal]
    assert sorted(journey.themes.names()) == ["gezondheid", "jeugd"]
    assert journey.transitions.get().to_phase == Phase.REISWENS


def test_a_journey_without_title_or_challenge_is_refused_and_nothing_is_made(client, trainer):
    client.force_login(trainer)
    response = client.post(reverse("journeys:create"), {"title": "", "visibility": "netwerk"})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"title", "challenge"}
    assert 'aria-invalid="true"' in response.content.decode()
    assert not Journey.objects.exists()


def test_starting_a_journey_needs_an_account(client):
    response = client.get(reverse("journeys:create"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_two_people_editing_one_result_the_second_is_told_and_keeps_their_text(
    client, reisbegeleider, professional, make_journey
):
    journey = make_journey()
    edit_url = _url("result_edit", journey, "opdracht")
    client.force_login(reisbegeleider)
    base_rosa = client.get(edit_url).context["form"].initial["base_revision"]
    client.force_login(professional)
    base_pieter = client.get(edit_url).context["form"].initial["base_revision"]
    assert base_rosa == base_pieter

    client.force_login(reisbegeleider)
    first = client.post(edit_url, {"base_revision": base_rosa or "", "vraag": "Tekst van Rosa"})
    client.force_login(professional)
    second = client.post(
        edit_url, {"base_revision": base_pieter or "", "vraag": "Tekst van Pieter"}
    )

    assert first.status_code == 302
    assert second.status_code == 409
    html = second.content.decode()
    assert "Tekst van Rosa" in html and "Tekst van Pieter" in html
    result = PhaseResult.objects.get(journey=journey, kind="opdracht")
    assert result.latest_revision.content["vraag"] == "Tekst van Rosa"
    # Saving again from the conflict form (now based on Rosa's revision) goes through.
    third = client.post(
        edit_url,
        {"base_revision": second.context["form"]["base_revision"].value(), "vraag": "Samen"},
    )
    assert third.status_code == 302
    result.refresh_from_db()
    assert result.latest_revision.content["vraag"] == "Samen"
    assert result.revisions.count() == 2


def test_a_reiziger_moving_the_phase_gets_403_and_nothing_moves(client, professional, make_journey):
    journey = make_journey()
    fill_and_approve(journey)
    client.force_login(professional)

    response = client.post(_url("move_phase", journey), {"to_phase": Phase.VERKENNEN})

    assert response.status_code == 403
    journey.refresh_from_db()
    assert journey.phase == Phase.REISWENS


def test_skipping_a_phase_in_the_form_is_refused_with_a_message(
    client, reisbegeleider, make_journey
):
    journey = make_journey()
    fill_and_approve(journey)
    client.force_login(reisbegeleider)

    response = client.post(
        _url("move_phase", journey), {"to_phase": Phase.DOEN_EN_LEREN}, follow=True
    )

    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    journey.refresh_from_db()
    assert journey.phase == Phase.REISWENS


def test_approving_without_the_opdrachtgever_role_is_refused(client, reisbegeleider, make_journey):
    journey = make_journey()
    result = services.result_for(journey, "opdracht")
    revision = services.save_result(
        reisbegeleider, result, content={"vraag": "Waarom?"}, base_revision_id=None
    )
    services.submit_result(reisbegeleider, result)
    client.force_login(reisbegeleider)

    response = client.post(_url("result_approve", journey, "opdracht"), {"revision": revision.pk})

    assert response.status_code == 403
    result.refresh_from_db()
    assert result.status == PhaseResult.Status.TER_VASTSTELLING


def test_the_opdrachtgever_approves_on_the_result_page(client, opdrachtgever, make_journey):
    journey = make_journey()
    rosa = journey.memberships.get(role="reisbegeleider").user
    result = services.result_for(journey, "opdracht")
    revision = services.save_result(
        rosa, result, content={"vraag": "Waarom?"}, base_revision_id=None
    )
    services.submit_result(rosa, result)
    client.force_login(opdrachtgever)

    page = client.get(_url("result", journey, "opdracht")).content.decode()
    assert f'name="revision" value="{revision.pk}"' in page
    response = client.post(_url("result_approve", journey, "opdracht"), {"revision": revision.pk})

    assert response.status_code == 302
    result.refresh_from_db()
    assert result.status == PhaseResult.Status.VASTGESTELD


def test_the_diff_shows_what_was_removed_and_added(client, reisbegeleider, make_journey):
    journey = make_journey()
    result = services.result_for(journey, "opdracht")
    first = services.save_result(
        reisbegeleider, result, content={"vraag": "Hoe bereiken we ouderen?"}, base_revision_id=None
    )
    services.save_result(
        reisbegeleider,
        result,
        content={"vraag": "Hoe bereiken we eenzame ouderen eerder?"},
        base_revision_id=first.pk,
    )
    client.force_login(reisbegeleider)

    html = client.get(
        _url("result_diff", journey, "opdracht"), {"van": 1, "naar": 2}
    ).content.decode()

    assert "eenzame" in html.split("<ins>", 1)[1]
    assert "ouderen?" in html.split("<del>", 1)[1]


def test_an_unknown_version_in_the_diff_sends_back_to_the_history(
    client, reisbegeleider, make_journey
):
    journey = make_journey()
    fill_and_approve(journey)
    client.force_login(reisbegeleider)
    response = client.get(_url("result_diff", journey, "opdracht"), {"van": "x", "naar": 99})
    assert response.status_code == 302
    assert response["Location"].startswith(_url("result_history", journey, "opdracht"))


def test_an_expired_invitation_says_so_and_makes_no_member(
    client, reisbegeleider, trainer, make_journey
):
    journey = make_journey()
    invitation = services.invite(reisbegeleider, journey, email=trainer.email, role="reiziger")
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(days=1)
    )
    client.force_login(trainer)

    response = client.post(invitation.get_absolute_url(), {"decision": "accept"}, follow=True)

    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert response.context["expired"] is True
    assert not journey.memberships.filter(user=trainer).exists()


def test_a_visitor_with_an_invitation_is_offered_sign_up_and_sign_in_that_come_back(
    client, reisbegeleider, make_journey
):
    journey = make_journey(visibility="besloten")
    invitation = services.invite(
        reisbegeleider, journey, email="nieuw@example.org", role="reiziger"
    )

    html = client.get(invitation.get_absolute_url()).content.decode()

    assert f"/accounts/signup/?next={invitation.get_absolute_url()}" in html
    assert f"/accounts/login/?next={invitation.get_absolute_url()}" in html
    assert journey.title in html


def test_an_unknown_invitation_token_is_404(client):
    assert client.get(reverse("journeys:invitation", args=["bestaat-niet"])).status_code == 404


def test_asking_to_join_a_network_journey_reaches_the_reisbegeleider(
    client, trainer, reisbegeleider, make_journey
):
    journey = make_journey(visibility="netwerk")
    client.force_login(trainer)
    client.post(_url("join", journey), {"message": "Ik help graag mee"})
    assert journey.join_requests.get(user=trainer).status == JoinRequest.Status.OPEN

    client.force_login(reisbegeleider)
    members_page = client.get(_url("members", journey)).content.decode()
    assert "Ik help graag mee" in members_page
    request = journey.join_requests.get(user=trainer)
    client.post(
        _url("decide_request", journey, request.pk), {"decision": "approve", "role": "reiziger"}
    )
    assert journey.memberships.get(user=trainer).role == Membership.Role.REIZIGER


def test_the_last_reisbegeleider_cannot_leave(client, reisbegeleider, make_journey):
    journey = make_journey()
    client.force_login(reisbegeleider)
    response = client.post(_url("leave", journey), follow=True)
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert journey.memberships.filter(user=reisbegeleider).exists()


def test_the_list_filters_by_phase_gemeente_theme_and_scenario_and_searches(
    client, reisbegeleider, make_journey
):
    lindendal = Organisation.objects.create(name="Gemeente Lindendal", kind="gemeente")
    lonely = make_journey(
        "Samen minder eenzaam",
        challenge="Eenzaamheid onder ouderen",
        organisations=[lindendal],
        themes=["eenzaamheid"],
        scenario="strategische_start",
    )
    fill_and_approve(lonely)
    services.move_phase(reisbegeleider, lonely, to_phase=Phase.VERKENNEN)
    poverty = make_journey("Armoede aanpakken", challenge="Geldzorgen", themes=["armoede"])

    def titles(**params):
        response = client.get(reverse("journeys:index"), params)
        assert response.context["search_failed"] is False
        return [j.title for j in response.context["page"].object_list]

    client.force_login(reisbegeleider)
    assert sorted(titles()) == ["Armoede aanpakken", "Samen minder eenzaam"]
    assert titles(phase="verkennen") == [lonely.title]
    assert titles(gemeente=lindendal.pk) == [lonely.title]
    assert titles(theme="armoede") == [poverty.title]
    assert titles(scenario="strategische_start") == [lonely.title]
    assert titles(q="geldzorgen") == [poverty.title]
    assert titles(q="eenzaam") == [lonely.title]


def test_search_falls_back_to_the_database_and_says_so_when_the_engine_is_down(
    client, make_journey, monkeypatch
):
    # Stands in for an unreachable Meilisearch, which cannot run on this machine.
    class Down:
        def search(self, *args, **kwargs):
            raise ConnectionError("search engine unreachable")

    make_journey("Armoede aanpakken", challenge="Geldzorgen", visibility="openbaar")
    monkeypatch.setattr("community.search.get_search_backend", lambda: Down())

    response = client.get(reverse("journeys:index"), {"q": "geldzorgen"})

    assert response.context["search_failed"] is True
    assert [j.title for j in response.context["page"].object_list] == ["Armoede aanpakken"]


def test_the_dashboard_shows_the_phase_history_with_notes(client, reisbegeleider, make_journey):
    journey = make_journey()
    fill_and_approve(journey)
    services.move_phase(
        reisbegeleider, journey, to_phase=Phase.VERKENNEN, note="Op pad met de wijk"
    )
    client.force_login(reisbegeleider)

    response = client.get(journey.get_absolute_url())

    html = response.content.decode()
    assert "Op pad met de wijk" in html
    assert [step["state"] for step in response.context["steps"]] == [
        "done",
        "current",
        "todo",
        "todo",
    ]
    assert 'aria-current="step"' in html


def test_the_dashboard_counts_every_role_and_names_its_organisations_and_themes(
    client, personas, make_journey, make_member
):
    from tests.journeys.conftest import add_member

    gemeente = Organisation.objects.create(name="Gemeente Zuidwaard & Co", kind="gemeente")
    welzijn = Organisation.objects.create(name="Buurtwerk Zuidwaard", kind="welzijn")
    journey = make_journey(
        visibility=Journey.Visibility.OPENBAAR,
        organisations=[gemeente, welzijn],
        themes=["zorg", "armoede"],
    )
    for i in range(12):  # the first twelve shown are all before the meelezer
        user = make_member(f"lid{i}@example.org", first_name=f"Aafke {i:02}")
        add_member(journey, user, Membership.Role.REIZIGER)
    themes = [theme.name for theme in journey.themes.all()]
    client.force_login(personas["inwoner"])

    member_view = client.get(journey.get_absolute_url())
    client.logout()
    anonymous_view = client.get(journey.get_absolute_url())

    for response in (member_view, anonymous_view):
        assert [n for _role, n in response.context["role_counts"]] == [1, 1, 13, 1]
        html = response.content.decode()
        assert "Buurtwerk Zuidwaard, Gemeente Zuidwaard &amp; Co" in html
        shown = re.findall(r'class="utrecht-link journey-tag" href="[^"]+">([^<]+)</a>', html)
        assert shown == themes and sorted(themes) == ["armoede", "zorg"]
    members = member_view.context["members"]
    assert len(members) == 12 and members[0].user == personas["reisbegeleider"]
    assert personas["inwoner"] not in [m.user for m in members]
    assert anonymous_view.context["members"] == []


def test_bad_figure_for_the_foto_is_refused_and_nothing_is_added(
    client, professional, make_journey
):
    journey = make_journey()
    client.force_login(professional)

    response = client.post(
        reverse("journeys:add_data_point", args=[journey.slug]),
        {
            "lens": "data",
            "indicator": "Eenzame 75-plussers",
            "value": "veel",
            "source": "",
            "measured_on": "gisteren",
        },
    )

    assert response.status_code == 400
    assert set(response.context["data_form"].errors) == {"value", "source", "measured_on"}
    assert not journey.data_points.exists()


def test_later_features_add_their_panel_to_the_dashboard(client, reisbegeleider, make_journey):
    from journeys import panels

    journey = make_journey()
    panels.register(
        panels.DashboardPanel(
            "voorbeeld",
            "Voorbeeld",
            "includes/pagination.html",
            lambda request, journey, access: (
                {"seen_by": request.user.pk} if access.is_member else None
            ),
        )
    )
    try:
        client.force_login(reisbegeleider)
        member_view = client.get(journey.get_absolute_url())
        client.logout()
        journey.visibility = Journey.Visibility.OPENBAAR
        journey.save()
        anonymous_view = client.get(journey.get_absolute_url())
    finally:
        panels.unregister("voorbeeld")

    assert "voorbeeld" in [p["key"] for p in member_view.context["panels"]]
    assert 'id="paneel-voorbeeld"' in member_view.content.decode()
    assert "voorbeeld" not in [p["key"] for p in anonymous_view.context["panels"]]
