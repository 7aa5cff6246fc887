"""Moderation of the forums: the reisbegeleider moderates a journey's forum, staff and
the "Plein-moderatoren" group the plein. They pin, close, hide and move threads; anyone
who reads a post may report it; reports wait in the moderation queue; every moderation
action is in the audit trail."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext

from community.models import AuditEntry, ForumCategory, Post, Report, Thread
from community.queries.forum import PLEIN_MODERATORS
from community.services import forum
from journeys.models import Journey
from journeys.services import RuleViolation

pytestmark = pytest.mark.django_db

BESLOTEN = Journey.Visibility.BESLOTEN


@pytest.fixture(autouse=True)
def _no_rate_limit(settings):
    # These tests write many posts at once; the per-minute limit has tests of its own.
    settings.FORUM_POSTS_PER_MINUTE = 10_000


@pytest.fixture
def categories(db):
    return (
        ForumCategory.objects.create(name="Vragen aan elkaar", slug="vragen", position=1),
        ForumCategory.objects.create(name="Werkzame elementen", slug="elementen", position=2),
    )


@pytest.fixture
def plein_moderator(make_member):
    return make_member(
        "moderator@example.org", first_name="Mo", last_name="Derator", groups=[PLEIN_MODERATORS]
    )


@pytest.fixture
def journey(make_journey):
    return make_journey(visibility=BESLOTEN)


@pytest.fixture
def journey_thread(journey, professional):
    thread = forum.start_thread(
        professional, journey=journey, title="Wijkbudget", body="Wie beslist over het budget?"
    )
    thread.journey = journey
    return thread


@pytest.fixture
def plein_thread(trainer, categories):
    return forum.start_thread(
        trainer, category=categories[0], title="Training", body="Wie doet er mee?"
    )


def flag(client, thread, name: str, value: str):
    return client.post(f"/forum/{thread.pk}/moderatie/", {"flag": name, "value": value})


def fresh(thread) -> Thread:
    return Thread.objects.get(pk=thread.pk)


def thread_page(thread) -> str:
    if thread.journey_id:
        return f"/reizen/{thread.journey.slug}/forum/{thread.pk}/"
    return f"/plein/onderwerp/{thread.pk}/"


def actions() -> list[str]:
    return list(
        AuditEntry.objects.filter(action__startswith="forum.")
        .order_by("pk")
        .values_list("action", flat=True)
    )


# --- Pin, close, hide, move ----------------------------------------------------------------


def test_the_reisbegeleider_pins_closes_and_hides_a_journey_thread(
    client, reisbegeleider, journey_thread
):
    client.force_login(reisbegeleider)

    responses = [
        flag(client, journey_thread, "pinned", "1"),
        flag(client, journey_thread, "locked", "1"),
        flag(client, journey_thread, "hidden", "1"),
    ]

    assert all(response.status_code == 302 for response in responses)
    thread = fresh(journey_thread)
    assert (thread.is_pinned, thread.is_locked, thread.is_hidden) == (True, True, True)
    assert actions() == ["forum.thread_pinned", "forum.thread_locked", "forum.thread_hidden"]
    entries = AuditEntry.objects.filter(action__startswith="forum.thread_")
    assert {(e.actor, e.target) for e in entries} == {(reisbegeleider, thread)}

    flag(client, journey_thread, "pinned", "0")
    flag(client, journey_thread, "locked", "0")
    flag(client, journey_thread, "hidden", "0")
    thread = fresh(journey_thread)
    assert (thread.is_pinned, thread.is_locked, thread.is_hidden) == (False, False, False)
    assert actions()[-3:] == [
        "forum.thread_unpinned",
        "forum.thread_unlocked",
        "forum.thread_unhidden",
    ]


def test_after_a_moderation_action_the_moderator_returns_to_the_thread(
    client, reisbegeleider, journey_thread
):
    client.force_login(reisbegeleider)
    response = flag(client, journey_thread, "pinned", "1")
    assert response["Location"] == thread_page(journey_thread)


@pytest.mark.parametrize("role", ["opdrachtgever", "professional", "inwoner"])
def test_other_members_of_the_journey_get_403_and_nothing_changes(
    client, personas, journey_thread, role
):
    client.force_login(personas[role])
    for name in ("pinned", "locked", "hidden"):
        assert flag(client, journey_thread, name, "1").status_code == 403
    thread = fresh(journey_thread)
    assert (thread.is_pinned, thread.is_locked, thread.is_hidden) == (False, False, False)
    assert actions() == []


def test_someone_outside_a_besloten_journey_gets_404(client, trainer, beheerder, journey_thread):
    client.force_login(trainer)
    assert flag(client, journey_thread, "pinned", "1").status_code == 404
    # Staff read every journey, but the reisbegeleider moderates it: 403.
    client.force_login(beheerder)
    assert flag(client, journey_thread, "pinned", "1").status_code == 403
    assert not fresh(journey_thread).is_pinned


def test_a_visitor_is_sent_to_sign_in_and_nothing_changes(client, plein_thread):
    response = flag(client, plein_thread, "pinned", "1")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not fresh(plein_thread).is_pinned


def test_an_unknown_moderation_action_is_400_and_nothing_changes(
    client, reisbegeleider, journey_thread
):
    client.force_login(reisbegeleider)
    assert flag(client, journey_thread, "deleted", "1").status_code == 400
    assert flag(client, journey_thread, "pinned", "misschien").status_code == 400
    assert not fresh(journey_thread).is_pinned
    assert actions() == []


def test_the_plein_moderator_group_exists_and_gives_no_other_permissions():
    group = Group.objects.get(name=PLEIN_MODERATORS)
    assert not group.permissions.exists()


@pytest.mark.parametrize("who", ["beheerder", "group member"])
def test_plein_moderators_pin_hide_and_move_a_plein_thread(
    client, beheerder, plein_moderator, plein_thread, categories, who
):
    moderator = beheerder if who == "beheerder" else plein_moderator
    client.force_login(moderator)

    flag(client, plein_thread, "pinned", "1")
    flag(client, plein_thread, "locked", "1")
    flag(client, plein_thread, "hidden", "1")
    moved = client.post(f"/forum/{plein_thread.pk}/verplaatsen/", {"category": categories[1].pk})

    assert moved.status_code == 302
    thread = fresh(plein_thread)
    assert (thread.is_pinned, thread.is_locked, thread.is_hidden) == (True, True, True)
    assert thread.category == categories[1]
    assert actions() == [
        "forum.thread_pinned",
        "forum.thread_locked",
        "forum.thread_hidden",
        "forum.thread_moved",
    ]
    entry = AuditEntry.objects.get(action="forum.thread_moved")
    assert entry.actor == moderator
    assert entry.data == {"old": categories[0].pk, "new": categories[1].pk}


def test_the_move_page_offers_the_categories(client, plein_moderator, plein_thread, categories):
    client.force_login(plein_moderator)
    response = client.get(f"/forum/{plein_thread.pk}/verplaatsen/")
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<option value="{categories[1].pk}"' in html
    assert 'for="id_category"' in html


def test_an_ordinary_member_cannot_moderate_the_plein(
    client, professional, plein_thread, categories
):
    client.force_login(professional)
    assert flag(client, plein_thread, "pinned", "1").status_code == 403
    moved = client.post(f"/forum/{plein_thread.pk}/verplaatsen/", {"category": categories[1].pk})
    assert moved.status_code == 403
    thread = fresh(plein_thread)
    assert not thread.is_pinned
    assert thread.category == categories[0]
    assert actions() == []


def test_moving_to_a_category_that_does_not_exist_is_400(
    client, beheerder, plein_thread, categories
):
    client.force_login(beheerder)
    response = client.post(f"/forum/{plein_thread.pk}/verplaatsen/", {"category": 999_999})
    assert response.status_code == 400
    assert response.context["form"].errors["category"]
    assert fresh(plein_thread).category == categories[0]


def test_a_journey_thread_cannot_be_moved_to_the_plein(
    client, reisbegeleider, journey_thread, categories
):
    client.force_login(reisbegeleider)
    url = f"/forum/{journey_thread.pk}/verplaatsen/"
    assert client.get(url).status_code == 404
    assert client.post(url, {"category": categories[0].pk}).status_code == 404
    assert fresh(journey_thread).journey_id == journey_thread.journey_id


def test_a_closed_thread_refuses_replies_but_its_moderator_may_still_post(
    client, reisbegeleider, professional, journey_thread
):
    client.force_login(reisbegeleider)
    flag(client, journey_thread, "locked", "1")
    client.force_login(professional)

    refused = client.post(thread_page(journey_thread), {"body": "Nog één ding."})

    assert refused.status_code == 400
    assert Post.objects.filter(thread=journey_thread).count() == 1
    with pytest.raises(RuleViolation):
        forum.reply(professional, fresh(journey_thread), body="Toch via de service.")
    assert forum.reply(reisbegeleider, fresh(journey_thread), body="Ik sluit af.").number == 2


def test_a_hidden_thread_is_404_for_members_and_visible_to_its_moderators(
    client, reisbegeleider, professional, journey_thread, beheerder, plein_thread
):
    client.force_login(reisbegeleider)
    flag(client, journey_thread, "hidden", "1")
    client.force_login(beheerder)
    flag(client, plein_thread, "hidden", "1")

    client.force_login(professional)  # the journey thread's own author
    assert client.get(thread_page(journey_thread)).status_code == 404
    assert client.get(thread_page(plein_thread)).status_code == 404

    client.force_login(reisbegeleider)
    assert client.get(thread_page(journey_thread), {"pagina": 1}).status_code == 200
    client.force_login(beheerder)
    assert client.get(thread_page(plein_thread), {"pagina": 1}).status_code == 200


def test_the_thread_page_shows_moderation_buttons_to_moderators_only(
    client, reisbegeleider, professional, journey_thread
):
    action = f'action="/forum/{journey_thread.pk}/moderatie/"'
    client.force_login(reisbegeleider)
    assert action in client.get(thread_page(journey_thread), {"pagina": 1}).content.decode()
    client.force_login(professional)
    assert action not in client.get(thread_page(journey_thread), {"pagina": 1}).content.decode()


def test_a_plein_moderator_moves_a_thread_from_its_page(
    client, beheerder, plein_thread, categories
):
    client.force_login(beheerder)
    html = client.get(thread_page(plein_thread), {"pagina": 1}).content.decode()
    assert f'action="/forum/{plein_thread.pk}/verplaatsen/"' in html
    assert f'<option value="{categories[1].pk}"' in html


# --- Reports and the queue -----------------------------------------------------------------


def report_url(post) -> str:
    return f"/forum/bericht/{post.pk}/melden/"


def first_post(thread) -> Post:
    return thread.posts.get(number=1)


def test_readers_who_did_not_write_a_post_see_a_report_link(
    client, reisbegeleider, professional, journey_thread
):
    post = first_post(journey_thread)  # by the professional
    client.force_login(reisbegeleider)
    assert (
        report_url(post) in client.get(thread_page(journey_thread), {"pagina": 1}).content.decode()
    )
    client.force_login(professional)
    assert (
        report_url(post)
        not in client.get(thread_page(journey_thread), {"pagina": 1}).content.decode()
    )


def test_a_member_reports_a_post_and_it_lands_in_the_queue(
    client, reisbegeleider, inwoner, journey, journey_thread
):
    post = first_post(journey_thread)
    client.force_login(inwoner)  # a meelezer reads, so may report

    form = client.get(report_url(post))
    sent = client.post(report_url(post), {"reason": "Hier worden namen van bewoners genoemd."})

    assert form.status_code == 200
    assert '<textarea name="reason"' in form.content.decode()
    assert sent.status_code == 302
    assert sent["Location"] == f"{thread_page(journey_thread)}?pagina=1#bericht-1"
    report = Report.objects.get()
    assert (report.post, report.reporter, report.status) == (post, inwoner, Report.Status.OPEN)
    assert actions() == ["forum.post_reported"]

    client.force_login(reisbegeleider)
    queue = client.get(f"/reizen/{journey.slug}/forum/moderatie/")
    html = queue.content.decode()
    assert queue.status_code == 200
    assert queue.context["reports"] == [report]
    assert "Wie beslist over het budget?" in html
    assert "Hier worden namen van bewoners genoemd." in html
    assert inwoner.display_name in html
    assert f'href="{thread_page(journey_thread)}?pagina=1#bericht-1"' in html
    assert f'action="/forum/melding/{report.pk}/afhandelen/"' in html


def test_a_report_needs_a_reason_and_is_not_sent_twice(client, inwoner, journey_thread):
    post = first_post(journey_thread)
    client.force_login(inwoner)

    empty = client.post(report_url(post), {"reason": "   "})
    assert empty.status_code == 400
    assert empty.context["form"].errors["reason"]
    too_long = client.post(report_url(post), {"reason": "x" * 2001})
    assert too_long.status_code == 400
    assert not Report.objects.exists()

    client.post(report_url(post), {"reason": "Persoonsgegevens."})
    again = client.post(report_url(post), {"reason": "Nog steeds."})
    assert again.status_code == 400
    assert again.context["form"].non_field_errors()
    assert Report.objects.count() == 1


def test_reporting_is_404_for_a_post_you_cannot_read(
    client, trainer, professional, reisbegeleider, journey_thread
):
    post = first_post(journey_thread)
    client.force_login(trainer)
    assert client.get(report_url(post)).status_code == 404
    assert client.post(report_url(post), {"reason": "Waarom niet?"}).status_code == 404
    client.logout()
    assert client.get(report_url(post)).status_code == 404  # besloten: not even a login
    reply = forum.reply(professional, journey_thread, body="Vergissing.")
    forum.delete_post(professional, reply)
    client.force_login(reisbegeleider)
    assert client.get(report_url(reply)).status_code == 404
    assert not Report.objects.exists()


def test_a_visitor_is_asked_to_sign_in_before_reporting_a_plein_post(client, plein_thread):
    response = client.get(report_url(first_post(plein_thread)))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def make_report(reporter, thread, reason="Dit hoort hier niet.") -> Report:
    return forum.report_post(reporter, first_post(thread), reason=reason)


def handle(client, report, decision: str):
    return client.post(f"/forum/melding/{report.pk}/afhandelen/", {"decision": decision})


def test_the_reisbegeleider_handles_dismisses_and_deletes_from_the_queue(
    client, reisbegeleider, inwoner, opdrachtgever, professional, journey, journey_thread
):
    handled = make_report(inwoner, journey_thread)
    dismissed = make_report(opdrachtgever, journey_thread)
    reply = forum.reply(opdrachtgever, journey_thread, body="Kijk op www.example.org")
    deleted = forum.report_post(professional, reply, reason="Reclame.")
    queue = f"/reizen/{journey.slug}/forum/moderatie/"
    client.force_login(reisbegeleider)

    assert handle(client, handled, "resolve")["Location"] == queue
    handle(client, dismissed, "dismiss")
    handle(client, deleted, "delete")

    statuses = dict(Report.objects.values_list("pk", "status"))
    assert statuses == {
        handled.pk: Report.Status.RESOLVED,
        dismissed.pk: Report.Status.DISMISSED,
        deleted.pk: Report.Status.RESOLVED,
    }
    assert Report.objects.filter(handled_by=reisbegeleider).count() == 3
    assert Post.objects.get(pk=reply.pk).is_deleted
    assert not Post.objects.get(pk=handled.post_id).is_deleted
    assert actions()[-4:] == [
        "forum.report_handled",
        "forum.report_handled",
        "forum.post_deleted",
        "forum.report_handled",
    ]
    page = client.get(queue)
    assert page.context["reports"] == []
    assert len([a for a in page.context["actions"] if a.action == "forum.report_handled"]) == 3


def test_handling_a_report_twice_or_with_a_made_up_decision_is_400(
    client, reisbegeleider, inwoner, journey_thread
):
    report = make_report(inwoner, journey_thread)
    client.force_login(reisbegeleider)
    assert handle(client, report, "negeren").status_code == 400
    assert handle(client, report, "resolve").status_code == 302
    assert handle(client, report, "dismiss").status_code == 400
    assert Report.objects.get().status == Report.Status.RESOLVED


def test_only_moderators_handle_reports(client, professional, trainer, inwoner, journey_thread):
    report = make_report(inwoner, journey_thread)
    client.force_login(professional)
    assert handle(client, report, "dismiss").status_code == 403
    client.force_login(trainer)
    assert handle(client, report, "dismiss").status_code == 404
    assert Report.objects.get().status == Report.Status.OPEN


def test_the_journey_queue_is_for_the_reisbegeleider(
    client, reisbegeleider, professional, trainer, journey
):
    url = f"/reizen/{journey.slug}/forum/moderatie/"
    client.force_login(reisbegeleider)
    assert client.get(url).status_code == 200
    client.force_login(professional)
    assert client.get(url).status_code == 403
    client.force_login(trainer)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 404


def test_the_plein_queue_is_for_plein_moderators(
    client, beheerder, plein_moderator, professional, reisbegeleider
):
    url = "/plein/moderatie/"
    for moderator in (beheerder, plein_moderator):
        client.force_login(moderator)
        assert client.get(url).status_code == 200
    for member in (professional, reisbegeleider):
        client.force_login(member)
        assert client.get(url).status_code == 403
    client.logout()
    assert client.get(url)["Location"].startswith("/accounts/login/")


def test_each_queue_shows_its_own_space_only(
    client,
    reisbegeleider,
    beheerder,
    inwoner,
    trainer,
    journey,
    journey_thread,
    plein_thread,
):
    make_report(inwoner, journey_thread, reason="Over de reis.")
    make_report(inwoner, plein_thread, reason="Over het plein.")
    client.force_login(reisbegeleider)
    flag(client, journey_thread, "hidden", "1")
    client.force_login(beheerder)
    flag(client, plein_thread, "pinned", "1")

    client.force_login(reisbegeleider)
    in_journey = client.get(f"/reizen/{journey.slug}/forum/moderatie/")
    client.force_login(beheerder)
    on_plein = client.get("/plein/moderatie/")

    assert [r.reason for r in in_journey.context["reports"]] == ["Over de reis."]
    assert [r.reason for r in on_plein.context["reports"]] == ["Over het plein."]
    assert [t.title for t in in_journey.context["hidden_threads"]] == ["Wijkbudget"]
    assert on_plein.context["hidden_threads"] == []
    assert [a.action for a in in_journey.context["actions"]] == [
        "forum.thread_hidden",
        "forum.post_reported",
    ]
    assert [a.action for a in on_plein.context["actions"]] == [
        "forum.thread_pinned",
        "forum.post_reported",
    ]
    html = in_journey.content.decode()
    assert f'action="/forum/{journey_thread.pk}/moderatie/"' in html  # "Tonen" for the hidden one
    assert "Over het plein." not in html


def test_the_queue_query_count_does_not_grow_with_reports_and_actions(
    client, beheerder, make_member, categories
):
    def add_reported_threads(count: int, offset: int = 0) -> None:
        for number in range(offset, offset + count):
            author = make_member(f"auteur{number}@example.org", first_name=f"Auteur {number}")
            thread = forum.start_thread(
                author, category=categories[0], title=f"Onderwerp {number}", body="Tekst."
            )
            forum.report_post(beheerder, first_post(thread), reason=f"Reden {number}")
            forum.set_thread_flag(beheerder, thread, flag="hidden", value=True)
            forum.move_thread(beheerder, thread, category=categories[1])

    add_reported_threads(2)
    client.force_login(beheerder)
    client.get("/plein/moderatie/")  # warm-up: the header's cache
    with CaptureQueriesContext(connection) as few:
        client.get("/plein/moderatie/")
    add_reported_threads(8, offset=2)
    with CaptureQueriesContext(connection) as many:
        response = client.get("/plein/moderatie/")
    assert len(response.context["reports"]) == 10
    assert len(response.context["hidden_threads"]) == 10
    assert len(many) == len(few)


# --- The admin -----------------------------------------------------------------------------


def test_staff_manage_categories_in_the_admin_and_see_reports_read_only(
    client, beheerder, inwoner, journey_thread
):
    make_report(inwoner, journey_thread)
    client.force_login(beheerder)

    added = client.post(
        "/django-admin/community/forumcategory/add/",
        {"name": "Nieuws", "slug": "nieuws", "description": "Uit het netwerk.", "position": 3},
    )
    reports = client.get("/django-admin/community/report/")
    report = Report.objects.get()

    assert added.status_code == 302
    assert ForumCategory.objects.get(slug="nieuws").position == 3
    assert reports.status_code == 200
    assert "Dit hoort hier niet." not in reports.content.decode()  # the list shows no reasons
    assert client.get(f"/django-admin/community/report/{report.pk}/change/").status_code == 200
    assert client.get("/django-admin/community/report/add/").status_code == 403
    client.post(f"/django-admin/community/report/{report.pk}/delete/", {"post": "yes"})
    assert Report.objects.filter(pk=report.pk).exists()
