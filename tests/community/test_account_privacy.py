"""A member's privacy rights (AVG): deleting the account with a choice for what they
contributed (anonymise or delete), downloading their data behind a link that expires,
and the audit trail of staff looking at members' personal data."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core import mail
from django.test import Client
from django.urls import reverse

from community.models import AuditEntry, Board, Card, Notification, Post, Thread, User
from community.search import engine_ids
from community.services import account_deletion, boards, data_export, forum
from journeys import services as journeys
from journeys.models import Membership, Story
from journeys.reports import compose
from journeys.reports import services as reports
from journeys.reports.models import ReportItem
from journeys.services import RuleViolation
from journeys.stories import services as stories
from journeys.stories.services import StoryDetails
from learning.leervragen import services as leervragen
from learning.models import LearningQuestion
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "private", "base_url": None},
        },
    }
    return tmp_path / "private"


def two_factor_on(member) -> str:
    """Turn on two-factor for the member; returns the secret to make codes with."""
    secret = generate_totp_secret()
    TOTP.activate(member, secret)
    return secret


def code_now(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))


@pytest.fixture
def contributions(personas, make_journey):
    """Pieter (professional, reiziger) contributes everywhere in a journey: a thread only
    he wrote in, a thread others answered, a reply in someone else's thread, a card and a
    comment on a board, two leervragen (one another member voted on) and a story the
    reisverslag uses."""
    journey = make_journey("Armoede samen aanpakken")
    pieter, rosa = personas["professional"], personas["reisbegeleider"]
    alone = forum.start_thread(pieter, journey=journey, title="Alleen ik", body="Kladblok xyzzy")
    answered = forum.start_thread(
        pieter, journey=journey, title="Wie helpt?", body="Openingsvraag plughbunker"
    )
    forum.reply(rosa, answered, body="Ik help graag.")
    rosas = forum.start_thread(rosa, journey=journey, title="Agenda", body="Wat bespreken we?")
    reply = forum.reply(pieter, rosas, body="Mijn antwoord quuxwoord")
    board = boards.create_board(
        rosa, journey, boards.BoardDetails(title="Break-out"), template="perspectieven"
    )
    boards.set_state(rosa, board, Board.State.OPEN)
    cell = {"column_id": board.columns.first().pk, "row_id": board.rows.first().pk}
    card = boards.post_card(pieter, board, body="Kaart van Pieter", **cell)
    rosas_card = boards.post_card(rosa, board, body="Kaart van Rosa", **cell)
    boards.add_comment(pieter, rosas_card, body="Opmerking van Pieter")
    boards.toggle_reaction(pieter, rosas_card, "eens")
    lonely = leervragen.raise_question(pieter, question="Werkt een buurtkamer?", journey=journey)
    shared = leervragen.raise_question(
        pieter, question="Wat kost armoede de gemeente?", journey=journey
    )
    leervragen.vote(rosa, shared)
    leervragen.vote(pieter, shared)
    story = stories.tell_story(
        pieter,
        StoryDetails(
            title="Mijn verhaal over schulden",
            text="Het verhaal van Pieter met het woord zonnewijzer erin.",
            perspective=Story.Perspective.PROFESSIONAL,
            visibility=Story.Visibility.NETWERK,
            journey=journey,
        ),
    )
    verslag = reports_result(journey)
    reports.add_item(rosa, verslag, kind=ReportItem.Kind.STORY, key=str(story.pk))
    return {
        "journey": journey,
        "pieter": pieter,
        "alone": alone,
        "answered": answered,
        "rosas": rosas,
        "reply": reply,
        "board": board,
        "card": card,
        "rosas_card": rosas_card,
        "lonely": lonely,
        "shared": shared,
        "story": story,
        "verslag": verslag,
    }


def reports_result(journey):
    from journeys import services
    from journeys.models import PhaseResult

    return services.result_for(journey, PhaseResult.Kind.REISVERSLAG)


def story_section(verslag):
    report = compose.build(verslag)
    return next(s for s in report.sections if s.key == "verhalen")


# --- Every relation to users has a decision --------------------------------------------------


def test_every_relation_to_the_user_model_has_a_recorded_decision():
    related = {
        f"{rel.related_model._meta.label}.{rel.field.name}"
        for rel in get_user_model()._meta.related_objects
    }
    every = set(account_deletion.user_relations())
    assert related <= every  # the public ones are a part of all (hidden ones included)
    undecided = sorted(every - set(account_deletion.USER_RELATIONS))
    assert not undecided, (
        "New relations to the user model without a decision in "
        f"community/services/account_deletion.py USER_RELATIONS: {undecided}"
    )
    stale = sorted(set(account_deletion.USER_RELATIONS) - every)
    assert not stale, f"USER_RELATIONS names relations that no longer exist: {stale}"


# --- Deleting: anonymise ---------------------------------------------------------------------


def test_anonymising_keeps_contributions_by_a_former_member_and_erases_the_person(
    client, personas, contributions
):
    c = contributions
    pieter, journey = c["pieter"], c["journey"]
    pk, email = pieter.pk, pieter.email
    two_factor_on(pieter)
    other_browser = Client()
    other_browser.force_login(pieter)
    assert story_section(c["verslag"]).entries
    assert c["story"].pk in (engine_ids("zonnewijzer", Story.objects.all()) or [])
    Notification.objects.create(
        user=personas["reisbegeleider"],
        kind="update",
        actor=pieter,
        summary=f"{pieter.display_name} deed iets",
    )

    result = account_deletion.delete_account(pieter, pieter, content=account_deletion.ANONYMISE)

    assert result.counts["stories_withdrawn"] == 1
    assert not User.objects.filter(pk=pk).exists()
    assert not EmailAddress.objects.filter(email=email).exists()
    assert not Authenticator.objects.filter(user_id=pk).exists()
    assert not Membership.objects.filter(user_id=pk).exists()
    assert not Session.objects.filter(session_key=other_browser.session.session_key).exists()
    assert other_browser.get("/accounts/profiel/").status_code == 302  # signed out there too
    # Contributions stay, by nobody.
    answered = Thread.objects.get(pk=c["answered"].pk)
    assert answered.author is None
    assert Post.objects.get(pk=c["reply"].pk).body == "Mijn antwoord quuxwoord"
    assert Card.objects.get(pk=c["card"].pk).author is None
    assert LearningQuestion.objects.get(pk=c["lonely"].pk).raised_by is None
    assert LearningQuestion.objects.get(pk=c["shared"].pk).vote_count == 1
    assert Card.objects.get(pk=c["rosas_card"].pk).reaction_count == 0
    # The story is withdrawn everywhere: erased, out of the index, out of the report.
    story = Story.objects.get(pk=c["story"].pk)
    assert story.is_withdrawn and story.text == "" and story.author is None
    assert engine_ids("zonnewijzer", Story.objects.all()) == []
    section = story_section(c["verslag"])
    assert (section.entries, section.withdrawn) == ([], 1)
    # Others' notifications that named them are gone; the audit entry names nobody.
    assert not Notification.objects.filter(summary__contains="deed iets").exists()
    entry = AuditEntry.objects.get(action="member.account_deleted")
    assert entry.actor is None and entry.data["content"] == "anonymise"
    assert email not in json.dumps(entry.data) and "Pieter" not in json.dumps(entry.data)
    # What other members see: "a former member".
    client.force_login(personas["reisbegeleider"])
    page = client.get(reverse("community:journey_thread", args=[journey.slug, answered.pk])).content
    assert "een voormalig lid" in page.decode()


# --- Deleting: delete ------------------------------------------------------------------------


def test_deleting_removes_contributions_and_leaves_placeholders_where_discussions_need_them(
    client, personas, contributions
):
    c = contributions
    pieter, rosa, board = c["pieter"], personas["reisbegeleider"], c["board"]

    result = account_deletion.delete_account(pieter, pieter, content=account_deletion.DELETE)

    counts = result.counts
    assert (counts["threads_deleted"], counts["threads_kept_with_placeholder"]) == (1, 1)
    # The thread only he wrote in is gone; the one others answered keeps its replies with
    # his opening post as a placeholder; his reply in Rosa's thread is a placeholder.
    assert not Thread.objects.filter(pk=c["alone"].pk).exists()
    opening = Post.objects.get(thread=c["answered"], number=1)
    assert opening.is_deleted and opening.body == "" and opening.author is None
    assert Post.objects.get(thread=c["answered"], number=2).body == "Ik help graag."
    reply = Post.objects.get(pk=c["reply"].pk)
    assert reply.is_deleted and reply.body == ""
    assert Thread.objects.get(pk=c["rosas"].pk).post_count == 1
    for term in ("xyzzy", "plughbunker", "quuxwoord"):
        assert engine_ids(term, Post.objects.all()) == []
    # Cards and comments go, the board's counts follow.
    assert not Card.objects.filter(pk=c["card"].pk).exists()
    rosas_card = Card.objects.get(pk=c["rosas_card"].pk)
    assert (rosas_card.comment_count, rosas_card.reaction_count) == (0, 0)
    assert not rosas_card.comments.exists()
    assert Board.objects.get(pk=board.pk).card_count == 1
    # A leervraag nobody else touched goes; one others voted on stays, by nobody.
    assert not LearningQuestion.objects.filter(pk=c["lonely"].pk).exists()
    shared = LearningQuestion.objects.get(pk=c["shared"].pk)
    assert (shared.raised_by, shared.vote_count) == (None, 1)
    assert Story.objects.get(pk=c["story"].pk).is_withdrawn
    # The thread page shows the placeholder in Dutch.
    client.force_login(rosa)
    page = client.get(
        reverse("community:journey_thread", args=[c["journey"].slug, c["answered"].pk])
    )
    assert "Dit bericht is verwijderd." in page.content.decode()


# --- Who must hand over first ----------------------------------------------------------------


def test_the_last_reisbegeleider_and_the_last_administrator_hand_over_before_deleting(
    client, personas, make_journey
):
    journey = make_journey("Eenzaamheid in Lindendal")
    rosa, beheerder = personas["reisbegeleider"], personas["beheerder"]

    with pytest.raises(RuleViolation) as refused:
        account_deletion.delete_account(rosa, rosa, content=account_deletion.ANONYMISE)
    assert "enige reisbegeleider van “Eenzaamheid in Lindendal”" in str(refused.value)
    client.force_login(rosa)
    page = client.get(reverse("account_delete"))
    assert "Je kunt je account nog niet verwijderen." in page.content.decode()
    answer = client.post(reverse("account_delete"), {"content": "delete", "password": PASSWORD})
    assert answer.status_code == 409 and User.objects.filter(pk=rosa.pk).exists()

    User.objects.filter(is_superuser=True).exclude(pk=beheerder.pk).update(is_superuser=False)
    with pytest.raises(RuleViolation) as refused:
        account_deletion.delete_account(beheerder, beheerder, content=account_deletion.DELETE)
    assert "laatste beheerder" in str(refused.value)

    # Handing over lifts the block.
    pieter = journey.memberships.get(user=personas["professional"])
    journeys.change_role(rosa, pieter, Membership.Role.REISBEGELEIDER)
    account_deletion.delete_account(rosa, rosa, content=account_deletion.ANONYMISE)
    assert not User.objects.filter(pk=rosa.pk).exists()


def test_the_delete_page_confirms_with_the_password_and_the_two_factor_code(client, personas):
    inwoner = personas["inwoner"]
    secret = two_factor_on(inwoner)
    client.force_login(inwoner)
    url = reverse("account_delete")
    page = client.get(url).content.decode()
    assert "Code uit je authenticator-app" in page

    no_code = client.post(url, {"content": "anonymise", "password": PASSWORD})
    assert "Vul de code uit je authenticator-app in." in no_code.content.decode()
    wrong = client.post(
        url, {"content": "anonymise", "password": "niet-het-wachtwoord", "code": "123456"}
    )
    assert wrong.status_code == 400
    assert "Dit wachtwoord klopt niet." in wrong.content.decode()
    bad_code = client.post(url, {"content": "anonymise", "password": PASSWORD, "code": "123456"})
    assert "Die code klopt niet" in bad_code.content.decode()
    assert User.objects.filter(pk=inwoner.pk).exists()

    done = client.post(
        url, {"content": "anonymise", "password": PASSWORD, "code": code_now(secret)}
    )
    assert done.status_code == 302 and done["Location"] == "/"
    assert not User.objects.filter(pk=inwoner.pk).exists()
    assert "Je account is verwijderd" in client.get("/").content.decode()


# --- Downloading one's data ------------------------------------------------------------------


def test_a_member_downloads_everything_about_them_through_a_link_only_they_can_use(
    client, personas, contributions, private_storage, settings, django_capture_on_commit_callbacks
):
    c = contributions
    pieter = c["pieter"]
    beheerder = personas["beheerder"]
    staff = Client()
    staff.force_login(beheerder)
    assert staff.get(reverse("admin:community_user_change", args=[pieter.pk])).status_code == 200
    client.force_login(pieter)

    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("account_data_request")).status_code == 302
    (message,) = [m for m in mail.outbox if m.to == [pieter.email]]
    assert "/accounts/profiel/gegevens/download/" in message.body
    page = client.get(reverse("account_data")).content.decode()
    link = page.split('href="/accounts/profiel/gegevens/download/', 1)[1].split('"', 1)[0]
    url = f"/accounts/profiel/gegevens/download/{link}"
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    data = json.loads(archive.read("gegevens.json"))
    assert data["profile"]["email"] == pieter.email
    assert {m["journey__title"] for m in data["journey_memberships"]} == {"Armoede samen aanpakken"}
    assert "Mijn antwoord quuxwoord" in {p["body"] for p in data["forum_posts"]}
    assert data["stories"][0]["title"] == "Mijn verhaal over schulden"
    assert {card["body"] for card in data["board_cards"]} == {"Kaart van Pieter"}
    assert {q["question"] for q in data["leervragen_raised"]} >= {"Werkt een buurtkamer?"}
    assert [a["where"] for a in data["staff_access_to_your_data"]] == ["django-admin: user page"]
    assert data["staff_access_to_your_data"][0]["who"] == beheerder.display_name

    # Only for them: another member, or nobody signed in, gets nothing.
    other = Client()
    other.force_login(personas["inwoner"])
    refused = other.get(url)
    assert (
        refused.status_code == 404 and "Deze downloadlink klopt niet." in refused.content.decode()
    )
    assert Client().get(url).status_code == 302  # to the login

    # A new copy replaces the old one; an expired link says so in Dutch.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_data_request"))
    assert len(list((private_storage / "exports" / str(pieter.pk)).iterdir())) == 1
    assert client.get(url).status_code == 410  # the old copy is gone
    settings.DATA_EXPORT_VALID_DAYS = 0  # as if the week has passed
    expired = client.get(url)
    assert expired.status_code == 410
    assert "Deze downloadlink is verlopen." in expired.content.decode()
    assert data_export.remove_expired_exports() == 1
    assert data_export.latest_export(pieter) is None


# --- Staff looking at personal data ----------------------------------------------------------


def test_staff_opening_members_is_logged_and_deleting_in_the_admin_follows_the_rules(
    client, personas
):
    beheerder, inwoner = personas["beheerder"], personas["inwoner"]
    story = stories.tell_story(
        inwoner,
        StoryDetails(
            title="Over de buurt",
            text="Een verhaal met het woord lantaarnpaal.",
            perspective=Story.Perspective.INWONER,
        ),
    )
    client.force_login(beheerder)
    viewed = AuditEntry.objects.filter(action="privacy.staff_viewed", actor=beheerder)

    assert client.get(reverse("admin:community_user_changelist")).status_code == 200
    shown = set(viewed.values_list("target_id", flat=True))
    others = {str(pk) for pk in User.objects.exclude(pk=beheerder.pk).values_list("pk", flat=True)}
    assert shown == others  # everyone on the list, not the viewer
    assert client.get(reverse("wagtailusers_users:edit", args=[inwoner.pk])).status_code == 200
    assert viewed.filter(target_id=str(inwoner.pk), data__where="cms: edit user").exists()
    # Staff read the log, and cannot change it.
    log = client.get(
        reverse("admin:community_auditentry_changelist") + "?action=privacy.staff_viewed"
    )
    assert log.status_code == 200 and "privacy.staff_viewed" in log.content.decode()
    assert client.get(reverse("admin:community_auditentry_add")).status_code == 403

    # Deleting a member in the Django admin withdraws their stories like self-service does.
    answer = client.post(reverse("admin:community_user_delete", args=[inwoner.pk]), {"post": "yes"})
    assert answer.status_code == 302
    assert not User.objects.filter(pk=inwoner.pk).exists()
    assert Story.objects.get(pk=story.pk).is_withdrawn
    entry = AuditEntry.objects.get(action="member.account_deleted")
    assert entry.actor == beheerder and entry.data["by_administrator"] is True
    # And in the Wagtail admin.
    trainer = personas["trainer"]
    answer = client.post(reverse("wagtailusers_users:delete", args=[trainer.pk]))
    assert answer.status_code == 302
    assert not User.objects.filter(pk=trainer.pk).exists()
    assert AuditEntry.objects.filter(action="member.account_deleted").count() == 2
    # The last administrator cannot be deleted there either: a message, not a 500.
    User.objects.filter(is_superuser=True).exclude(pk=beheerder.pk).update(is_superuser=False)
    refused = client.post(
        reverse("admin:community_user_delete", args=[beheerder.pk]), {"post": "yes"}, follow=True
    )
    assert "laatste beheerder" in refused.content.decode()
    assert User.objects.filter(pk=beheerder.pk).exists()


def test_the_privacy_page_states_how_long_things_are_kept_and_links_to_export_and_delete():
    page = Client().get("/privacy/").content.decode()
    assert "Hoe lang het platform wat bewaart" in page
    assert "na 8 uur zonder activiteit en uiterlijk na 24 uur" in page
    assert "Een download van je gegevens: 7 dagen" in page
    assert "Een verwijderd account is meteen weg." in page
    assert 'href="/accounts/profiel/gegevens/"' in page
    assert 'href="/accounts/profiel/verwijderen/"' in page
