"""The forum's rules at the service level: posting, editing with history, mentions,
reactions, attachments, reading positions and following; refusals store nothing."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from community.models import (
    ForumCategory,
    Mention,
    Notification,
    Post,
    Reaction,
    Thread,
    ThreadReadState,
    ThreadSubscription,
)
from community.services import forum
from journeys.models import Journey
from journeys.services import RuleViolation

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def plein():
    return ForumCategory.objects.create(name="Vragen aan elkaar", slug="vragen")


@pytest.fixture
def closed(make_journey):
    return make_journey("Besloten reis", visibility=Journey.Visibility.BESLOTEN)


def test_a_thread_starts_with_its_first_post_and_the_author_follows_it(reisbegeleider, closed):
    thread = forum.start_thread(
        reisbegeleider, journey=closed, title="  Welkom   allemaal ", body="Hallo!", tags=["Start"]
    )

    assert thread.title == "Welkom allemaal"
    assert list(thread.tags.names()) == ["start"]
    post = thread.posts.get()
    assert (post.number, post.author, post.body_html) == (1, reisbegeleider, "<p>Hallo!</p>\n")
    assert (thread.post_count, thread.last_post_number) == (1, 1)
    assert ThreadSubscription.objects.get(user=reisbegeleider, thread=thread).level == "following"


def test_replies_are_numbered_and_counted(reisbegeleider, professional, closed):
    thread = forum.start_thread(reisbegeleider, journey=closed, title="Vraag", body="Wie weet dit?")
    first = thread.posts.get()
    second = forum.reply(professional, thread, body="Ik!", reply_to=first)
    third = forum.reply(reisbegeleider, thread, body="Dank je.")

    thread.refresh_from_db()
    assert [second.number, third.number] == [2, 3]
    assert second.reply_to == first
    assert (thread.post_count, thread.last_post_number) == (3, 3)


@pytest.mark.parametrize("role", ["inwoner", "trainer", "beheerder"])
def test_only_contributing_members_post_in_a_journey_forum(personas, closed, role):
    thread = forum.start_thread(personas["reisbegeleider"], journey=closed, title="T", body="b")
    with pytest.raises(PermissionDenied):
        forum.reply(personas[role], thread, body="mag ik?")
    with pytest.raises(PermissionDenied):
        forum.start_thread(personas[role], journey=closed, title="Eigen", body="b")
    assert Post.objects.count() == 1


def test_everyone_signed_in_posts_on_the_plein(trainer, inwoner, plein):
    thread = forum.start_thread(trainer, category=plein, title="Wie kent een buurtkamer?", body="?")
    forum.reply(inwoner, thread, body="Bij ons in de wijk!")
    assert thread.posts.count() == 2


@pytest.mark.parametrize(
    ("title", "body", "tags"),
    [
        ("", "tekst", []),
        ("Titel", "   ", []),
        ("Titel", "x" * 50_001, []),
        ("x" * 201, "tekst", []),
        ("Titel", "tekst", ["a", "b", "c", "d", "e", "f"]),
        ("Titel", "tekst", ["x" * 41]),
    ],
)
def test_bad_input_is_refused_and_nothing_is_stored(trainer, plein, title, body, tags):
    with pytest.raises(RuleViolation):
        forum.start_thread(trainer, category=plein, title=title, body=body, tags=tags)
    assert not Thread.objects.exists() and not Post.objects.exists()


def test_script_and_html_in_a_post_render_inert(trainer, plein):
    thread = forum.start_thread(
        trainer,
        category=plein,
        title="<script>alert('titel')</script>",
        body="<script>alert(1)</script> <img src=x onerror=alert(2)> [klik](javascript:alert(3))",
    )
    html = thread.posts.get().body_html
    assert "<script" not in html and "<img" not in html and 'href="javascript' not in html
    assert "&lt;script&gt;" in html
    assert thread.title == "<script>alert('titel')</script>"  # stored as text, escaped on output


def test_mentions_link_readers_only_and_notify_them(reisbegeleider, professional, trainer, closed):
    thread = forum.start_thread(
        reisbegeleider,
        journey=closed,
        title="Overleg",
        body=f"@{professional.handle} en @{trainer.handle}, wat vinden jullie?",
    )
    post = thread.posts.get()

    assert list(Mention.objects.filter(post=post).values_list("user", flat=True)) == [
        professional.pk
    ]
    assert f'<span class="mention">@{professional.handle}</span>' in post.body_html
    assert f'<span class="mention">@{trainer.handle}</span>' not in post.body_html
    assert Notification.objects.filter(user=professional, kind="mention").exists()
    assert not Notification.objects.filter(user=trainer).exists()


def test_editing_keeps_the_earlier_text_and_notifies_new_mentions_only(
    reisbegeleider, professional, opdrachtgever, closed
):
    thread = forum.start_thread(
        reisbegeleider, journey=closed, title="Plan", body=f"Eerste versie @{professional.handle}"
    )
    post = thread.posts.get()
    forum.edit_post(
        reisbegeleider,
        post,
        body=f"Tweede versie @{professional.handle} @{opdrachtgever.handle}",
    )

    post.refresh_from_db()
    assert post.edited_at is not None
    assert list(post.revisions.values_list("body", flat=True)) == [
        f"Eerste versie @{professional.handle}"
    ]
    assert Notification.objects.filter(user=professional, kind="mention").count() == 1
    assert Notification.objects.filter(user=opdrachtgever, kind="mention").count() == 1


def test_only_the_author_or_a_moderator_edits_and_deletes(
    reisbegeleider, professional, opdrachtgever, closed
):
    thread = forum.start_thread(reisbegeleider, journey=closed, title="T", body="b")
    reply = forum.reply(professional, thread, body="Mijn bericht")
    with pytest.raises(PermissionDenied):
        forum.edit_post(opdrachtgever, reply, body="Overschreven")
    with pytest.raises(PermissionDenied):
        forum.delete_post(opdrachtgever, reply)

    forum.delete_post(reisbegeleider, reply)  # the reisbegeleider moderates the journey forum

    reply.refresh_from_db()
    thread.refresh_from_db()
    assert reply.body == "Mijn bericht" and reply.is_deleted
    assert thread.post_count == 1


def test_reactions_toggle_and_show_who_reacted(reisbegeleider, professional, closed):
    thread = forum.start_thread(reisbegeleider, journey=closed, title="T", body="b")
    post = thread.posts.get()
    assert forum.toggle_reaction(professional, post, "dank") is True
    assert forum.toggle_reaction(reisbegeleider, post, "dank") is True
    assert forum.toggle_reaction(professional, post, "dank") is False

    assert list(Reaction.objects.filter(post=post).values_list("user", "kind")) == [
        (reisbegeleider.pk, "dank")
    ]
    with pytest.raises(RuleViolation):
        forum.toggle_reaction(professional, post, "boos")


def test_attachments_are_checked_by_size_count_and_content(trainer, plein, settings):
    settings.FORUM_MAX_ATTACHMENT_BYTES = 1024
    good = SimpleUploadedFile("verslag.pdf", PDF, content_type="application/pdf")
    thread = forum.start_thread(
        trainer, category=plein, title="Met bijlage", body="zie pdf", attachments=[good]
    )
    attachment = thread.posts.get().attachments.get()
    assert (attachment.name, attachment.content_type) == ("verslag.pdf", "application/pdf")

    too_big = SimpleUploadedFile("groot.pdf", PDF + b"0" * 2048, content_type="application/pdf")
    disguised = SimpleUploadedFile(
        "virus.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf"
    )
    for upload in (too_big, disguised):
        with pytest.raises(RuleViolation):
            forum.reply(trainer, thread, body="nog een", attachments=[upload])
    assert thread.posts.count() == 1


def test_posting_faster_than_the_limit_is_refused(trainer, plein, settings):
    settings.FORUM_POSTS_PER_MINUTE = 2
    thread = forum.start_thread(trainer, category=plein, title="Snel", body="1")
    forum.reply(trainer, thread, body="2")
    with pytest.raises(forum.RateLimited):
        forum.reply(trainer, thread, body="3")
    assert thread.posts.count() == 2


def test_reading_moves_forward_only_and_mark_all_read_covers_the_space(
    reisbegeleider, professional, closed
):
    one = forum.start_thread(reisbegeleider, journey=closed, title="Een", body="1")
    two = forum.start_thread(reisbegeleider, journey=closed, title="Twee", body="1")
    forum.reply(reisbegeleider, one, body="2")
    forum.reply(reisbegeleider, one, body="3")

    forum.mark_read(professional, one, 2)
    forum.mark_read(professional, one, 1)
    assert ThreadReadState.objects.get(user=professional, thread=one).last_read_number == 2

    forum.mark_space_read(professional, journey=closed)
    states = dict(
        ThreadReadState.objects.filter(user=professional).values_list("thread", "last_read_number")
    )
    assert states == {one.pk: 3, two.pk: 1}


def test_muting_a_thread_stops_its_notifications(reisbegeleider, professional, closed):
    thread = forum.start_thread(reisbegeleider, journey=closed, title="T", body="b")
    forum.reply(professional, thread, body="ik volg nu")  # posting makes you follow
    forum.set_subscription(professional, thread, "muted")
    before = Notification.objects.filter(user=professional).count()

    forum.reply(reisbegeleider, thread, body=f"@{professional.handle} kijk je mee?")

    assert Notification.objects.filter(user=professional).count() == before


def test_a_locked_thread_takes_no_replies_except_from_moderators(
    reisbegeleider, professional, closed
):
    thread = forum.start_thread(reisbegeleider, journey=closed, title="T", body="b")
    forum.set_thread_flag(reisbegeleider, thread, flag="locked", value=True)
    with pytest.raises((RuleViolation, PermissionDenied)):
        forum.reply(professional, thread, body="nog iets")
    forum.reply(reisbegeleider, thread, body="Tot slot")
    assert thread.posts.count() == 2
