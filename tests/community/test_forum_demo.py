"""The demo forums (community/forum_demo.py): built by `manage.py seed_demo` through the
forum services, idempotent, and without sending a single email."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from community.demo import PERSONAS, register_persona
from community.forum_demo import JOURNEY_THREADS, PLEIN, seed_forums
from community.markdown import mentioned_handles
from community.models import (
    AuditEntry,
    ForumCategory,
    Mention,
    Notification,
    NotificationPreference,
    Post,
    Reaction,
    Thread,
    User,
)
from community.services import notifications
from journeys.demo import seed_journeys
from journeys.models import Journey, Membership
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

CONTRIBUTORS = {
    Membership.Role.REISBEGELEIDER,
    Membership.Role.OPDRACHTGEVER,
    Membership.Role.REIZIGER,
}


@pytest.fixture
def demo_people(db) -> dict[str, User]:
    people = {persona.role: register_persona(persona, PASSWORD) for persona in PERSONAS}
    seed_journeys()
    return people


def counts() -> tuple[int, ...]:
    return (
        ForumCategory.objects.count(),
        Thread.objects.count(),
        Post.objects.count(),
        Reaction.objects.count(),
        Mention.objects.count(),
        Notification.objects.count(),
        AuditEntry.objects.count(),
    )


def test_seed_demo_builds_the_plein_and_every_journey_forum():
    output = StringIO()
    call_command("seed_demo", stdout=output)

    assert "Demo forums ready" in output.getvalue()
    assert ForumCategory.objects.count() == 3
    plein = Thread.objects.filter(category__isnull=False)
    assert sorted(plein.values_list("title", flat=True)) == sorted(t.title for t in PLEIN)
    assert list(plein.filter(is_pinned=True).values_list("title", flat=True)) == [
        "Welkom op het plein: zo werkt het"
    ]
    for slug, demo_threads in JOURNEY_THREADS.items():
        journey = Journey.objects.get(slug=slug)
        # The leervragen demo adds a discussion thread of its own to one journey.
        threads = Thread.objects.filter(journey=journey, learning_questions__isnull=True)
        assert threads.count() == len(demo_threads) == 2
        for thread in threads:
            assert thread.post_count >= 3, thread.title
    assert Reaction.objects.exists()
    # Replies come from different personas.
    assert Post.objects.values("author").distinct().count() >= 6


def test_running_the_demo_twice_changes_nothing(demo_people):
    assert seed_forums() == len(PLEIN) + sum(len(t) for t in JOURNEY_THREADS.values())
    before = counts()
    assert seed_forums() == 0
    assert counts() == before


def test_only_members_who_contribute_post_in_a_journey_forum(demo_people):
    seed_forums()
    for post in Post.objects.filter(thread__journey__isnull=False).select_related("thread"):
        role = Membership.objects.get(journey=post.thread.journey, user=post.author).role
        assert role in CONTRIBUTORS, (post.thread.title, post.author, role)


def test_every_mention_in_the_demo_reaches_a_reader(demo_people):
    seed_forums()
    for post in Post.objects.prefetch_related("mentions__user"):
        handles = mentioned_handles(post.body)
        # Quotes carry the quoted author's handle; the quoted post mentioned them already.
        quoted = {
            line[3:].split(" ")[0] for line in post.body.splitlines() if line.startswith("> @")
        }
        assert {m.user.handle for m in post.mentions.all()} >= handles - quoted, post.body
    assert Mention.objects.filter(user=demo_people["reisbegeleider"]).exists()
    assert Mention.objects.filter(user=demo_people["onderzoeker"]).exists()


def test_the_besloten_journeys_forum_notifies_its_members_only(demo_people):
    seed_forums()
    journey = Journey.objects.get(visibility=Journey.Visibility.BESLOTEN)
    members = set(journey.memberships.values_list("user_id", flat=True))
    told = set(
        Notification.objects.filter(thread__journey=journey).values_list("user_id", flat=True)
    )
    assert told
    assert told <= members
    assert demo_people["trainer"].pk not in told


def test_the_demo_sends_no_email(demo_people, mailoutbox, django_capture_on_commit_callbacks):
    # The services create notifications and queue "email at once" after commit; only
    # members who chose that get mail, and no demo persona has.
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        seed_forums()
    assert callbacks  # the after-commit work (live events, email task) did run
    assert Notification.objects.exists()
    assert mailoutbox == []
    assert not Notification.objects.filter(emailed_at__isnull=False).exists()


def test_a_persona_who_chose_email_at_once_would_get_it(
    demo_people, mailoutbox, django_capture_on_commit_callbacks
):
    # The same path, with one person choosing email at once: so the test above proves
    # the choice, not a mail set-up that never sends.
    notifications.set_email_preference(
        demo_people["onderzoeker"], NotificationPreference.Email.IMMEDIATE
    )
    with django_capture_on_commit_callbacks(execute=True):
        seed_forums()
    assert mailoutbox
    assert {message.to[0] for message in mailoutbox} == {demo_people["onderzoeker"].email}
