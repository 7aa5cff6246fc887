"""Notifications: who hears about what, in the app at /meldingen/ and by email (at once,
daily or weekly digest, none), unsubscribing, the header count, and privacy of besloten
journeys."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.db import connection
from django.http import HttpResponse
from django.template import RequestContext, Template
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import include, path, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from community import notification_urls
from community.models import ForumCategory, Notification, NotificationPreference, Thread, User
from community.services import forum, notifications
from config.settings import components
from journeys import services as journey_services
from journeys.models import Journey

pytestmark = pytest.mark.django_db

BESLOTEN = Journey.Visibility.BESLOTEN
SECRET = "Het geheime budget van de buurttafel"


# A urlconf with the forum's thread addresses, so links to posts can be checked before
# (and regardless of how) the forum's own pages are routed.
def _page(request, **kwargs):
    return HttpResponse("")


urlpatterns = [
    path(
        "",
        include(
            (
                [
                    *notification_urls.urlpatterns,
                    path(
                        "reizen/<slug:slug>/forum/<int:thread_id>/",
                        _page,
                        name="journey_thread",
                    ),
                    path("plein/<int:thread_id>/", _page, name="plein_thread"),
                ],
                "community",
            )
        ),
    ),
]


@pytest.fixture(autouse=True)
def _room_to_post(settings):
    settings.FORUM_POSTS_PER_MINUTE = 1000


@pytest.fixture
def plein():
    return ForumCategory.objects.create(name="Vragen aan elkaar", slug="vragen")


@pytest.fixture
def closed(make_journey):
    return make_journey("Besloten reis", visibility=BESLOTEN)


@pytest.fixture
def queued_mail(settings):
    # Django's test set-up puts EMAIL_BACKEND on locmem: put the platform's queue back.
    settings.EMAIL_BACKEND = "community.mail.TaskQueueEmailBackend"
    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def kinds(user) -> list[str]:
    return list(Notification.objects.filter(user=user).values_list("kind", flat=True))


def open_hidden_private_threads(personas, plein, closed) -> list[Thread]:
    """An open and a hidden plein thread, a besloten journey's thread and a hidden one."""
    reisbegeleider, professional = personas["reisbegeleider"], personas["professional"]
    open_thread = forum.start_thread(reisbegeleider, category=plein, title="Plein", body="Hoi")
    hidden = forum.start_thread(professional, category=plein, title="Verborgen", body="Hoi")
    private = journey_thread(closed, reisbegeleider, title="Besloten")
    hidden_private = journey_thread(closed, professional, title="Verborgen besloten")
    forum.set_thread_flag(personas["beheerder"], hidden, flag="hidden", value=True)
    forum.set_thread_flag(reisbegeleider, hidden_private, flag="hidden", value=True)
    return [open_thread, hidden, private, hidden_private]


def journey_thread(journey, author, *, title="Wie sluit aan?", body="Laat het weten."):
    return forum.start_thread(author, journey=journey, title=title, body=body)


# --- Who is notified ----------------------------------------------------------------------


def test_a_mention_notifies_the_mentioned_member(trainer, professional, plein):
    forum.start_thread(trainer, category=plein, title="Vraag", body="Wat vind jij, @pieter-de-wit?")

    assert kinds(professional) == ["mention"]
    notification = Notification.objects.get(user=professional)
    assert notification.actor == trainer


def test_a_reply_notifies_the_author_of_the_post_replied_to(trainer, professional, plein):
    thread = forum.start_thread(trainer, category=plein, title="Vraag", body="Wie weet dit?")
    forum.set_subscription(trainer, thread, None)  # so the reply is the only reason
    forum.reply(professional, thread, body="Ik!", reply_to=thread.posts.get())

    assert kinds(trainer) == ["reply"]


def test_a_new_post_in_a_followed_thread_notifies_its_followers(
    trainer, professional, inwoner, plein
):
    thread = forum.start_thread(trainer, category=plein, title="Vraag", body="Wie weet dit?")
    forum.set_subscription(inwoner, thread, "following")
    forum.reply(professional, thread, body="Een antwoord.")

    assert kinds(inwoner) == ["followed_post"]
    assert kinds(trainer) == ["followed_post"]  # who starts a thread follows it


def test_a_new_journey_thread_notifies_the_journey_members(
    reisbegeleider, opdrachtgever, professional, inwoner, trainer, closed
):
    journey_thread(closed, reisbegeleider)

    for member in (opdrachtgever, professional, inwoner):
        assert kinds(member) == ["new_thread"]
    assert kinds(trainer) == []


def test_the_most_specific_kind_wins_one_notification_per_post(
    reisbegeleider, professional, closed
):
    journey_thread(closed, reisbegeleider, body="Hallo @pieter-de-wit, doe je mee?")

    assert kinds(professional) == ["mention"]


def test_never_a_notification_for_your_own_post(trainer, plein):
    thread = forum.start_thread(trainer, category=plein, title="Vraag", body="Ik, @tessa-jansen.")
    forum.reply(trainer, thread, body="Nog eens ik.", reply_to=thread.posts.get())

    assert kinds(trainer) == []


def test_a_muted_thread_notifies_nobody_who_muted_it(trainer, professional, plein):
    thread = forum.start_thread(trainer, category=plein, title="Vraag", body="Wie weet dit?")
    forum.set_subscription(trainer, thread, "muted")
    forum.reply(professional, thread, body="@tessa-jansen, kijk.", reply_to=thread.posts.get())

    assert kinds(trainer) == []


def test_a_besloten_journeys_post_never_notifies_non_members(
    reisbegeleider, professional, trainer, beheerder, closed
):
    thread = journey_thread(closed, reisbegeleider, body="@tessa-jansen en @bas-hendriks, kijk.")
    forum.reply(professional, thread, body="@tessa-jansen, ook jij?")

    assert kinds(trainer) == []  # not a member: never
    assert kinds(beheerder) == ["mention"]  # staff may read a besloten journey


def test_a_member_who_left_a_besloten_journey_hears_nothing_more_of_it(
    reisbegeleider, professional, closed
):
    thread = journey_thread(closed, reisbegeleider)
    forum.reply(professional, thread, body="Ik volg dit.")
    journey_services.leave(professional, closed)
    Notification.objects.all().delete()

    forum.reply(reisbegeleider, thread, body="@pieter-de-wit, nog een vraag.")

    assert kinds(professional) == []


# --- Email --------------------------------------------------------------------------------


@pytest.mark.urls(__name__)
def test_email_at_once_goes_through_the_task_queue_with_an_unsubscribe_link(
    trainer, professional, plein, mailoutbox, django_capture_on_commit_callbacks, queued_mail
):
    notifications.set_email_preference(professional, "immediate")
    with django_capture_on_commit_callbacks(execute=True):
        forum.start_thread(
            trainer, category=plein, title="Buurttafel", body="Wat vind jij, @pieter-de-wit?"
        )

    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == [professional.email]
    assert "Tessa Jansen" in message.subject and "Buurttafel" in message.subject
    token = NotificationPreference.objects.get(user=professional).unsubscribe_token
    base = django_settings.BASE_URL.rstrip("/")
    unsubscribe = f"{base}/meldingen/afmelden/{token}/"
    assert unsubscribe in message.body
    assert f"{base}/meldingen/instellingen/" in message.body
    assert message.extra_headers["List-Unsubscribe"] == f"<{unsubscribe}>"
    assert "Wat vind jij" in message.body
    thread_id = Notification.objects.get(user=professional).thread_id
    assert f"{base}/plein/{thread_id}/?pagina=1#bericht-1" in message.body
    assert Notification.objects.get(user=professional).emailed_at is not None


def test_email_at_once_waits_for_the_worker_when_tasks_are_queued(
    trainer, professional, plein, mailoutbox, django_capture_on_commit_callbacks, settings
):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = components.tasks("database")
    notifications.set_email_preference(professional, "immediate")
    with django_capture_on_commit_callbacks(execute=True):
        forum.start_thread(trainer, category=plein, title="Vraag", body="Hoi @pieter-de-wit")

    assert mailoutbox == []
    queued = DBTaskResult.objects.get(task_path="community.tasks.email_notifications")
    assert queued.args_kwargs["args"][0] == [Notification.objects.get(user=professional).pk]


def test_email_at_once_is_only_for_those_who_chose_it(
    trainer, professional, plein, mailoutbox, django_capture_on_commit_callbacks
):
    # professional has the default (daily digest)
    with django_capture_on_commit_callbacks(execute=True):
        forum.start_thread(trainer, category=plein, title="Vraag", body="Hoi @pieter-de-wit")

    assert mailoutbox == []


@pytest.mark.urls(__name__)
def test_the_daily_digest_gathers_pending_notifications_once_a_day(
    trainer, professional, inwoner, plein, mailoutbox
):
    first = forum.start_thread(trainer, category=plein, title="Eerste", body="@pieter-de-wit hoi")
    second = forum.start_thread(trainer, category=plein, title="Tweede", body="@pieter-de-wit ha")
    forum.reply(inwoner, first, body="En ik, @pieter-de-wit.")

    assert notifications.unread_count(professional) == 3
    assert call_command_sent("daily") == 2  # the professional, and the trainer (a reply)
    [message] = [m for m in mailoutbox if m.to == [professional.email]]
    assert "3" in message.subject
    assert message.body.index("Eerste") < message.body.index("Tweede")  # grouped by thread
    assert message.body.count("== Eerste ==") == 1
    assert f"/plein/{first.pk}/?pagina=1#bericht-2" in message.body
    assert f"/plein/{second.pk}/?pagina=1#bericht-1" in message.body
    assert "/meldingen/afmelden/" in message.body and "/meldingen/instellingen/" in message.body

    forum.reply(inwoner, second, body="@pieter-de-wit, nog iets.")
    assert call_command_sent("daily") == 0  # the same day: nothing
    assert len(mailoutbox) == 2

    preference = NotificationPreference.objects.get(user=professional)
    preference.last_digest_at -= timedelta(days=1)
    preference.save()
    assert call_command_sent("daily") == 1  # the next day: what came since
    assert mailoutbox[2].to == [professional.email]
    assert "Tweede" in mailoutbox[2].body and "Eerste" not in mailoutbox[2].body


def call_command_sent(frequency: str) -> int:
    from community.notification_mail import send_digests

    return send_digests(frequency)


def test_the_weekly_digest_is_for_those_who_chose_it(
    trainer, professional, inwoner, plein, mailoutbox
):
    notifications.set_email_preference(professional, "weekly")
    forum.start_thread(
        trainer, category=plein, title="Vraag", body="@pieter-de-wit en @ilse-bakker"
    )

    assert call_command_sent("daily") == 1  # inwoner: the default daily digest
    assert [m.to for m in mailoutbox] == [[inwoner.email]]
    assert call_command_sent("weekly") == 1
    assert mailoutbox[1].to == [professional.email]
    assert call_command_sent("weekly") == 0


def test_no_email_sends_nothing(
    trainer, professional, plein, mailoutbox, django_capture_on_commit_callbacks
):
    notifications.set_email_preference(professional, "none")
    with django_capture_on_commit_callbacks(execute=True):
        forum.start_thread(trainer, category=plein, title="Vraag", body="@pieter-de-wit hoi")

    assert call_command_sent("daily") == 0
    assert call_command_sent("weekly") == 0
    assert mailoutbox == []
    assert kinds(professional) == ["mention"]  # still in the app


def test_read_notifications_are_not_mailed_again(trainer, professional, plein, mailoutbox):
    forum.start_thread(trainer, category=plein, title="Vraag", body="@pieter-de-wit hoi")
    notifications.mark_read(professional)

    assert call_command_sent("daily") == 0


def test_a_member_removed_from_a_besloten_journey_gets_no_mail_about_it(
    reisbegeleider, professional, closed, mailoutbox
):
    notifications.set_email_preference(professional, "immediate")
    journey_thread(closed, reisbegeleider, title="Begroting", body=f"{SECRET}, @pieter-de-wit.")
    # Removed before the queue got to the mail (or before the digest ran).
    membership = closed.memberships.get(user=professional)
    journey_services.remove_member(reisbegeleider, membership)
    notification = Notification.objects.get(user=professional)

    from community.notification_mail import send_immediate

    assert send_immediate([notification.pk]) == 0
    notifications.set_email_preference(professional, "daily")
    call_command_sent("daily")  # the members still in it get theirs
    assert mailoutbox
    assert all(m.to != [professional.email] for m in mailoutbox)
    assert all(SECRET not in m.body for m in mailoutbox)


def test_a_mail_never_holds_the_text_of_a_post_its_reader_may_no_longer_read(
    reisbegeleider, professional, inwoner, closed, mailoutbox
):
    thread = journey_thread(closed, reisbegeleider, title="Begroting", body="Welkom.")
    forum.reply(reisbegeleider, thread, body=f"{SECRET}, @pieter-de-wit en @ilse-bakker.")
    journey_services.leave(inwoner, closed)

    call_command_sent("daily")
    recipients = [m.to[0] for m in mailoutbox]
    assert professional.email in recipients  # still a member
    assert inwoner.email not in recipients  # left: nothing, not even the title
    assert all(SECRET not in m.body for m in mailoutbox)  # digests list, they do not quote


def test_send_digests_command_runs_the_task(trainer, professional, plein, mailoutbox):
    forum.start_thread(trainer, category=plein, title="Vraag", body="@pieter-de-wit hoi")

    call_command("send_digests", "weekly")
    assert mailoutbox == []
    call_command("send_digests", "daily")
    assert [m.to for m in mailoutbox] == [[professional.email]]
    call_command("send_digests", "daily", "--now")
    assert len(mailoutbox) == 1


# --- Unsubscribe --------------------------------------------------------------------------


def test_the_unsubscribe_link_works_without_signing_in_and_stops_mail(
    client, trainer, professional, plein, mailoutbox, django_capture_on_commit_callbacks
):
    preference = notifications.set_email_preference(professional, "immediate")
    url = reverse("community:unsubscribe", args=[preference.unsubscribe_token])

    page = client.get(url)
    assert page.status_code == 200
    assert 'type="submit"' in page.content.decode()
    preference.refresh_from_db()
    assert preference.email == "immediate"  # looking changes nothing

    # Mail programs POST to the link without a form of ours (RFC 8058 one-click).
    done = Client(enforce_csrf_checks=True).post(url, {"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200
    preference.refresh_from_db()
    assert preference.email == "none"

    with django_capture_on_commit_callbacks(execute=True):
        forum.start_thread(trainer, category=plein, title="Vraag", body="@pieter-de-wit hoi")
    assert call_command_sent("daily") == 0
    assert mailoutbox == []


def test_an_unknown_unsubscribe_token_is_not_found(client, professional):
    notifications.preference_of(professional)
    url = reverse("community:unsubscribe", args=["geen-bestaand-token"])

    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert NotificationPreference.objects.get(user=professional).email == "daily"


# --- Email choice -------------------------------------------------------------------------


def test_members_choose_how_often_they_get_email(client, professional):
    client.force_login(professional)
    url = reverse("community:notification_settings")

    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    for value in ("immediate", "daily", "weekly", "none"):
        assert f'value="{value}"' in html
    assert client.post(url, {"email": "weekly"}).status_code == 302
    assert NotificationPreference.objects.get(user=professional).email == "weekly"

    refused = client.post(url, {"email": "hourly"})
    assert refused.status_code == 400
    assert NotificationPreference.objects.get(user=professional).email == "weekly"


def test_the_email_choice_needs_signing_in(client):
    response = client.get(reverse("community:notification_settings"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


# --- /meldingen/ --------------------------------------------------------------------------


def test_the_notifications_page_lists_only_your_own(client, trainer, professional, inwoner, plein):
    forum.start_thread(trainer, category=plein, title="Voor Pieter", body="@pieter-de-wit hoi")
    forum.start_thread(trainer, category=plein, title="Voor Ilse", body="@ilse-bakker hoi")
    client.force_login(professional)

    page = client.get(reverse("community:notifications"))

    html = page.content.decode()
    assert page.status_code == 200
    assert "Voor Pieter" in html and "Voor Ilse" not in html
    assert "Tessa Jansen" in html


def test_the_notifications_page_needs_signing_in(client):
    response = client.get(reverse("community:notifications"))
    assert response.status_code == 302


@pytest.mark.urls(__name__)
def test_opening_a_notification_marks_it_read_and_goes_to_the_post(
    client, trainer, professional, inwoner, plein
):
    thread = forum.start_thread(trainer, category=plein, title="Lang", body="Begin")
    for n in range(2, 46):
        body = f"Bericht {n}, @pieter-de-wit" if n == 45 else f"Bericht {n}"
        forum.reply(inwoner if n % 2 else trainer, thread, body=body)
    notification = Notification.objects.get(user=professional, kind="mention")
    client.force_login(professional)

    response = client.get(reverse("community:notification_open", args=[notification.pk]))

    assert response.status_code == 302
    assert response["Location"] == f"/plein/{thread.pk}/?pagina=3#bericht-45"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_someone_elses_notification_is_not_found(client, trainer, professional, inwoner, plein):
    forum.start_thread(trainer, category=plein, title="Vraag", body="@pieter-de-wit hoi")
    theirs = Notification.objects.get(user=professional)
    client.force_login(inwoner)

    assert client.get(reverse("community:notification_open", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_all_read(client, trainer, professional, plein):
    forum.start_thread(trainer, category=plein, title="Een", body="@pieter-de-wit hoi")
    forum.start_thread(trainer, category=plein, title="Twee", body="@pieter-de-wit ha")
    client.force_login(professional)
    with translation.override("nl"):
        unread = gettext("unread")
    html = client.get(reverse("community:notifications")).content.decode()
    assert html.count(f">{unread}</span>") == 2  # said in words, not by colour alone

    response = client.post(reverse("community:notifications_read_all"))

    assert response.status_code == 302
    assert notifications.unread_count(professional) == 0
    assert client.get(reverse("community:notifications_read_all")).status_code == 405


def test_a_notification_you_can_no_longer_read_is_neither_shown_nor_counted(
    client, reisbegeleider, professional, closed
):
    journey_thread(closed, reisbegeleider, title="Alleen voor leden")
    notification = Notification.objects.get(user=professional)
    client.force_login(professional)
    assert notifications.unread_count(professional) == 1

    journey_services.leave(professional, closed)

    assert notifications.unread_count(professional) == 0
    assert (
        "Alleen voor leden" not in client.get(reverse("community:notifications")).content.decode()
    )
    assert client.get(reverse("community:notification_count")).json() == {"unread": 0}
    opened = client.get(reverse("community:notification_open", args=[notification.pk]))
    assert opened.status_code == 404


def test_what_notifications_show_matches_who_may_read_the_thread(
    personas, reisbegeleider, professional, plein, closed
):
    """The list's SQL filter agrees with thread_access, hidden threads included."""
    from community.queries.forum import thread_access

    threads = open_hidden_private_threads(personas, plein, closed)
    for user in personas.values():
        Notification.objects.bulk_create(
            Notification(user=user, kind="followed_post", thread=t, post=t.posts.get())
            for t in threads
        )

    for user in personas.values():
        shown = {n.thread_id for n in notifications.visible_to(user)}
        allowed = {t.pk for t in threads if thread_access(user, t).can_read}
        assert shown == allowed, user.email


def test_the_header_count_is_what_each_members_list_shows_unread(
    personas, reisbegeleider, professional, plein, closed
):
    """The header's count runs one query made once for all members, with each member's
    own id put in: for every member (staff and a plein moderator among them) it counts
    what their own list shows unread, and nothing they may no longer read."""
    from django.contrib.auth.models import Group

    from community.queries.forum import PLEIN_MODERATORS

    Group.objects.get_or_create(name=PLEIN_MODERATORS)[0].user_set.add(personas["trainer"])
    threads = open_hidden_private_threads(personas, plein, closed)
    open_thread = threads[0]
    gone = forum.reply(professional, open_thread, body="Weg ermee")
    forum.delete_post(professional, gone)
    Notification.objects.all().delete()
    for user in personas.values():
        Notification.objects.bulk_create(
            [
                *(
                    Notification(user=user, kind="followed_post", thread=t, post=t.posts.first())
                    for t in threads
                ),
                Notification(user=user, kind="reply", thread=open_thread, post=gone),
            ]
        )
        _update(user, reisbegeleider, closed)
    Notification.objects.filter(user=professional, thread=open_thread, post=gone).update(
        read_at=timezone.now()
    )

    def counts() -> dict[str, int]:
        return {
            user.email: notifications.unread_count(user)
            for user in User.objects.filter(pk__in=[u.pk for u in personas.values()])
        }

    def listed() -> dict[str, int]:
        return {
            user.email: notifications.visible_to(user).filter(read_at__isnull=True).count()
            for user in personas.values()
        }

    assert counts() == listed()
    assert len(set(counts().values())) > 1  # members differ: the right id was put in
    journey_services.leave(professional, closed)
    assert counts() == listed()
    assert counts()["professional@example.org"] == 1  # the open thread's first post


# --- The header count ---------------------------------------------------------------------


def test_the_count_endpoint_gives_your_unread_count(client, trainer, professional, plein):
    forum.start_thread(trainer, category=plein, title="Vraag", body="@pieter-de-wit hoi")
    url = reverse("community:notification_count")

    anonymous = client.get(url)
    assert anonymous.status_code == 403
    assert anonymous["Content-Type"] == "application/json"

    client.force_login(professional)
    assert client.get(url).json() == {"unread": 1}
    notifications.mark_read(professional)
    assert client.get(url).json() == {"unread": 0}


def test_the_context_processor_counts_unread_in_one_query(trainer, professional, plein):
    from django.contrib.auth.models import AnonymousUser

    from community.context_processors import notifications as processor

    forum.start_thread(trainer, category=plein, title="Een", body="@pieter-de-wit hoi")
    forum.start_thread(trainer, category=plein, title="Twee", body="@pieter-de-wit ha")
    request = RequestFactory().get("/")
    request.user = professional

    context = processor(request)
    with CaptureQueriesContext(connection) as queries:
        assert context["unread_notifications"] == 2
    assert len(queries) == 1

    request.user = AnonymousUser()
    assert "unread_notifications" not in processor(request)


def test_the_badge_shows_the_count_for_signed_in_members(trainer, professional, plein):
    from django.contrib.auth.models import AnonymousUser

    forum.start_thread(trainer, category=plein, title="Een", body="@pieter-de-wit hoi")
    template = Template('{% include "includes/notification_badge.html" %}')
    request = RequestFactory().get("/")
    request.user = professional

    html = template.render(RequestContext(request))
    assert 'id="meldingen-link" href="/meldingen/"' in html
    assert 'data-ws="/ws/meldingen/" data-count-url="/meldingen/aantal/"' in html
    assert '<span id="meldingen-aantal" class="utrecht-badge-counter">1</span>' in html

    request.user = AnonymousUser()
    assert template.render(RequestContext(request)).strip() == ""


# --- Query counts -------------------------------------------------------------------------


def _queries_for_list(client, user) -> int:
    client.get(reverse("community:notifications"))  # warm-up: the header's small cache
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("community:notifications"))
    assert response.status_code == 200
    return len(queries)


def _notifications(user, actor, threads, count):
    posts = [t.posts.get() for t in threads]
    Notification.objects.bulk_create(
        Notification(
            user=user,
            actor=actor,
            kind=Notification.Kind.values[n % 4],
            thread=threads[n % len(threads)],
            post=posts[n % len(threads)],
        )
        for n in range(count)
    )


def test_the_notifications_page_query_count_is_pinned(
    client,
    reisbegeleider,
    professional,
    inwoner,
    trainer,
    plein,
    make_journey,
):
    journey = make_journey("Open reis")
    threads = [
        forum.start_thread(trainer, category=plein, title="Plein", body="Hoi"),
        journey_thread(journey, reisbegeleider, title="Reis"),
    ]
    Notification.objects.all().delete()
    _notifications(professional, trainer, threads, 3)
    _notifications(inwoner, trainer, threads, 30)

    client.force_login(professional)
    few = _queries_for_list(client, professional)
    client.force_login(inwoner)
    many = _queries_for_list(client, inwoner)

    assert few == many
    assert many <= 6


def test_reading_the_thread_reads_its_notifications(
    client, reisbegeleider, professional, make_journey
):
    from community.models import Notification
    from community.services import forum

    journey = make_journey()
    thread = forum.start_thread(
        reisbegeleider, journey=journey, title="Vraag", body=f"@{professional.handle} kijk je mee?"
    )
    assert Notification.objects.filter(user=professional, read_at__isnull=True).count() == 1
    client.force_login(professional)

    client.get(reverse("community:journey_thread", args=[journey.slug, thread.pk]) + "?pagina=1")

    assert Notification.objects.filter(user=professional, read_at__isnull=True).count() == 0


# --- Updates about other things members follow (leervragen, ...) ------------------------


def _update(user, actor, journey, summary="Tessa zette de vraag op geprioriteerd."):
    return Notification.objects.create(
        user=user,
        kind=Notification.Kind.UPDATE,
        actor=actor,
        summary=summary,
        url="/leervragen/1/",
        journey=journey,
    )


def test_an_update_is_listed_with_its_summary_and_opens_its_own_address(
    client, reisbegeleider, professional, closed
):
    notification = _update(professional, reisbegeleider, closed)
    client.force_login(professional)

    page = client.get(reverse("community:notifications"))
    opened = client.get(reverse("community:notification_open", args=[notification.pk]))

    assert "Tessa zette de vraag op geprioriteerd." in page.content.decode()
    assert "Besloten reis" in page.content.decode()
    assert opened.status_code == 302 and opened["Location"] == "/leervragen/1/"
    assert notifications.link_to(notification) == "/leervragen/1/"


def test_an_update_of_a_besloten_journey_disappears_for_who_left_it(
    reisbegeleider, professional, closed
):
    _update(professional, reisbegeleider, closed)
    assert notifications.visible_to(professional).count() == 1

    journey_services.leave(professional, closed)

    assert notifications.visible_to(professional).count() == 0


@pytest.mark.urls(__name__)
def test_an_update_mail_says_what_happened_and_links_to_it(
    reisbegeleider, professional, closed, mailoutbox, queued_mail
):
    notifications.set_email_preference(professional, "immediate")
    notification = _update(professional, reisbegeleider, closed)

    notifications._email_at_once([notification.pk])

    message = mailoutbox[0]
    assert "Tessa zette de vraag op geprioriteerd." in message.subject
    assert "Tessa zette de vraag op geprioriteerd." in message.body
    assert f"{django_settings.BASE_URL.rstrip('/')}/leervragen/1/" in message.body
