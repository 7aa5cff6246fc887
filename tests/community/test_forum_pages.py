"""The forum pages as members use them: the plein and a journey's forum, threads with
replies, quotes, edits and their history, deletion, reactions, attachments, unread
tracking and following; refusals with a clear message and nothing stored; query counts
that stay the same as a forum grows."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from community.models import (
    Attachment,
    ForumCategory,
    Notification,
    Post,
    PostRevision,
    Reaction,
    Thread,
    ThreadReadState,
    ThreadSubscription,
)
from community.services import forum

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def nl(msgid: str) -> str:
    """The Dutch text of a message, as the pages show it."""
    with translation.override("nl"):
        return translation.gettext(msgid)


def nl_plural(singular: str, plural: str, count: int) -> str:
    with translation.override("nl"):
        return translation.ngettext(singular, plural, count) % {"counter": count}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def category(db):
    return ForumCategory.objects.create(name="Wat werkt", slug="wat-werkt")


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def thread_url(thread: Thread) -> str:
    if thread.journey_id:
        return reverse("community:journey_thread", args=[thread.journey.slug, thread.pk])
    return reverse("community:plein_thread", args=[thread.pk])


def pdf(name: str = "verslag.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def nothing_stored(threads: int, posts: int, attachments: int = 0) -> bool:
    return (Thread.objects.count(), Post.objects.count(), Attachment.objects.count()) == (
        threads,
        posts,
        attachments,
    )


# --- Permissions ----------------------------------------------------------------------------


def test_anonymous_visitors_of_the_plein_are_asked_to_sign_in(client, trainer, category):
    thread = forum.start_thread(trainer, category=category, title="Buurtkamers", body="Wie?")
    for url in (
        reverse("community:plein"),
        reverse("community:plein_category", args=[category.slug]),
        reverse("community:plein_new_thread"),
        thread_url(thread),
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/accounts/login/" in response["Location"], url


def test_a_non_member_gets_404_for_a_besloten_journeys_forum_thread_post_and_attachment(
    personas, make_journey, trainer
):
    journey = make_journey(visibility="besloten")
    thread = forum.start_thread(
        personas["reisbegeleider"],
        journey=journey,
        title="Intern",
        body="Alleen voor ons",
        attachments=[pdf()],
    )
    post = thread.posts.get()
    attachment = post.attachments.get()
    outsider = signed_in(trainer)
    for url in (
        reverse("community:journey_forum", args=[journey.slug]),
        reverse("community:journey_new_thread", args=[journey.slug]),
        thread_url(thread),
        reverse("community:post_fragment", args=[post.pk]),
        reverse("community:post_history", args=[post.pk]),
        reverse("community:attachment", args=[attachment.pk]),
    ):
        assert outsider.get(url).status_code == 404, url
    assert outsider.post(thread_url(thread), {"body": "Ik ook"}).status_code == 404
    assert Post.objects.count() == 1


def test_a_meelezer_reads_the_journey_forum_but_may_not_post(personas, make_journey):
    journey = make_journey()
    thread = forum.start_thread(personas["reisbegeleider"], journey=journey, title="T", body="B")
    reader = signed_in(personas["inwoner"])
    page = reader.get(thread_url(thread))
    assert page.status_code == 200
    assert 'id="id_body"' not in page.content.decode()
    assert reader.post(thread_url(thread), {"body": "Mag ik?"}).status_code == 403
    assert (
        reader.get(reverse("community:journey_new_thread", args=[journey.slug])).status_code == 403
    )
    assert Post.objects.count() == 1


def test_a_hidden_thread_is_listed_for_moderators_only_and_marked_hidden(personas, make_journey):
    journey = make_journey()
    lead = personas["reisbegeleider"]
    thread = forum.start_thread(personas["professional"], journey=journey, title="Weg", body="x")
    forum.set_thread_flag(lead, thread, flag="hidden", value=True)
    forum_url = reverse("community:journey_forum", args=[journey.slug])

    moderator_list = signed_in(lead).get(forum_url).content.decode()
    assert "Weg" in moderator_list and nl("hidden") in moderator_list
    assert signed_in(lead).get(thread_url(thread)).status_code == 200
    member = signed_in(personas["opdrachtgever"])
    assert "Weg" not in member.get(forum_url).content.decode()
    assert member.get(thread_url(thread)).status_code == 404


# --- Starting, replying, quoting --------------------------------------------------------------


def test_a_member_starts_a_plein_thread_with_tags_and_finds_it_in_the_lists(
    trainer, professional, category
):
    client = signed_in(trainer)
    form = client.get(reverse("community:plein_new_thread") + f"?categorie={category.slug}")
    assert form.status_code == 200
    assert form.context["form"].initial["category"] == category

    response = client.post(
        reverse("community:plein_new_thread"),
        {
            "category": category.pk,
            "title": "Koffieochtenden die werken",
            "body": "Wie heeft **ervaring** met koffieochtenden?",
            "tags": "eenzaamheid, buurtwerk",
        },
    )

    thread = Thread.objects.get()
    assert response.status_code == 302 and response["Location"] == thread_url(thread)
    assert thread.category == category and sorted(thread.tags.names()) == [
        "buurtwerk",
        "eenzaamheid",
    ]
    page = client.get(thread_url(thread)).content.decode()
    assert "<strong>ervaring</strong>" in page and "buurtwerk" in page
    other = signed_in(professional)
    for url in (
        reverse("community:plein"),
        reverse("community:plein_category", args=[category.slug]),
    ):
        html = other.get(url).content.decode()
        assert "Koffieochtenden die werken" in html and f'data-thread-id="{thread.pk}"' in html


def test_a_member_replies_with_a_quote_and_the_reply_links_to_the_quoted_post(
    personas, make_journey
):
    journey = make_journey()
    lead, reiziger = personas["reisbegeleider"], personas["professional"]
    response = signed_in(lead).post(
        reverse("community:journey_new_thread", args=[journey.slug]),
        {"title": "Eerste bijeenkomst", "body": "Wie komt er dinsdag?", "tags": ""},
    )
    thread = Thread.objects.get()
    assert response["Location"] == thread_url(thread)
    client = signed_in(reiziger)

    quoted = client.get(thread_url(thread) + "?citeer=1")
    initial = quoted.context["form"].initial
    assert initial["body"].startswith(f"> @{lead.handle} (#1):\n> Wie komt er dinsdag?")
    assert initial["reply_to"] == 1
    assert f"@{lead.handle} (#1):" in quoted.content.decode()

    response = client.post(
        thread_url(thread), {"body": initial["body"] + "Ik kom!", "reply_to": "1"}
    )

    reply = thread.posts.get(number=2)
    assert response.status_code == 302
    assert response["Location"] == thread_url(thread) + "?pagina=1#bericht-2"
    assert reply.reply_to.number == 1 and reply.author == reiziger
    html = client.get(thread_url(thread) + "?pagina=1").content.decode()
    assert "<blockquote>" in html and "Ik kom!" in html
    assert f'href="{thread_url(thread)}?pagina=1#bericht-1"' in html  # reply-to and own link
    assert nl("In reply to") in html


def test_the_thread_page_keeps_the_contract_with_the_live_and_moderation_parts(
    personas, make_journey
):
    journey = make_journey()
    thread = forum.start_thread(personas["reisbegeleider"], journey=journey, title="T", body="B")
    post = thread.posts.get()
    html = signed_in(personas["professional"]).get(thread_url(thread)).content.decode()

    fragment_url = reverse("community:post_fragment", args=[0])
    assert (
        f'<ol class="forum-posts" id="berichten" data-thread="{thread.pk}" '
        f'data-ws="/ws/forum/thread/{thread.pk}/" data-fragment-url="{fragment_url}"'
    ) in html
    assert (
        f'<li class="forum-post" id="bericht-1" data-post-id="{post.pk}" data-number="1">'
    ) in html
    textarea = re.search(r"<textarea[^>]*>", html).group(0)
    assert 'id="id_body"' in textarea
    assert f'data-mention-url="/forum/{thread.pk}/vermelden/"' in textarea


def test_the_post_fragment_is_just_that_post_for_someone_who_may_read_it(personas, make_journey):
    journey = make_journey()
    thread = forum.start_thread(personas["reisbegeleider"], journey=journey, title="T", body="B")
    post = forum.reply(personas["professional"], thread, body="Een *live* bericht")

    response = signed_in(personas["inwoner"]).get(
        reverse("community:post_fragment", args=[post.pk])
    )

    html = response.content.decode().strip()
    assert response.status_code == 200
    assert html.startswith('<li class="forum-post" id="bericht-2"') and html.endswith("</li>")
    assert "<em>live</em>" in html and "<html" not in html


# --- Editing, history, deletion -----------------------------------------------------------------


def test_the_author_edits_a_post_and_the_history_shows_every_earlier_text(
    trainer, professional, category
):
    thread = forum.start_thread(trainer, category=category, title="Vraag", body="Eerste tekst")
    post = thread.posts.get()
    client = signed_in(trainer)
    edit_url = reverse("community:post_edit", args=[post.pk])

    assert client.get(edit_url).context["form"].initial["body"] == "Eerste tekst"
    assert client.post(edit_url, {"body": "Tweede tekst"}).status_code == 302
    assert client.post(edit_url, {"body": "Derde **tekst**"}).status_code == 302

    post.refresh_from_db()
    assert post.body == "Derde **tekst**" and post.edited_at is not None
    assert PostRevision.objects.filter(post=post).count() == 2
    page = signed_in(professional).get(thread_url(thread)).content.decode()
    history_url = reverse("community:post_history", args=[post.pk])
    assert f'href="{history_url}"' in page and f"({nl('edited')}" in page
    history = signed_in(professional).get(history_url).content.decode()
    newest, middle, oldest = (
        history.index("Derde <strong>tekst</strong>"),
        history.index("Tweede tekst"),
        history.index("Eerste tekst"),
    )
    assert newest < middle < oldest
    assert trainer.display_name in history


def test_only_the_author_or_a_moderator_edits_or_deletes_a_post(
    trainer, professional, beheerder, category
):
    thread = forum.start_thread(trainer, category=category, title="Vraag", body="Tekst")
    post = forum.reply(trainer, thread, body="Tweede")
    other = signed_in(professional)
    assert other.get(reverse("community:post_edit", args=[post.pk])).status_code == 403
    assert (
        other.post(reverse("community:post_edit", args=[post.pk]), {"body": "x"}).status_code == 403
    )
    assert other.post(reverse("community:post_delete", args=[post.pk])).status_code == 403
    post.refresh_from_db()
    assert post.body == "Tweede" and post.deleted_at is None
    html = other.get(thread_url(thread)).content.decode()
    assert reverse("community:post_edit", args=[post.pk]) not in html

    staff = signed_in(beheerder)  # staff moderate the plein
    assert (
        staff.post(reverse("community:post_edit", args=[post.pk]), {"body": "Netjes"}).status_code
        == 302
    )
    post.refresh_from_db()
    assert post.body == "Netjes"


def test_deleting_a_post_asks_first_then_hides_its_text_except_from_moderators(
    trainer, professional, beheerder, category
):
    thread = forum.start_thread(trainer, category=category, title="Vraag", body="Openingsvraag")
    post = forum.reply(trainer, thread, body="Spijt van deze zin")
    client = signed_in(trainer)
    delete_url = reverse("community:post_delete", args=[post.pk])

    confirm = client.get(delete_url)
    assert confirm.status_code == 200 and 'method="post"' in confirm.content.decode()
    post.refresh_from_db()
    assert post.deleted_at is None

    assert client.post(delete_url).status_code == 302
    post.refresh_from_db()
    assert post.deleted_at is not None
    page = signed_in(professional).get(thread_url(thread) + "?pagina=1").content.decode()
    assert nl("This post has been deleted.") in page and "Spijt van deze zin" not in page
    history_url = reverse("community:post_history", args=[post.pk])
    assert "Spijt van deze zin" not in signed_in(professional).get(history_url).content.decode()
    assert "Spijt van deze zin" in signed_in(beheerder).get(history_url).content.decode()


def test_the_first_post_cannot_be_deleted_by_its_author_and_the_page_says_why(trainer, category):
    thread = forum.start_thread(trainer, category=category, title="Vraag", body="Openingsvraag")
    response = signed_in(trainer).post(
        reverse("community:post_delete", args=[thread.posts.get().pk])
    )
    assert response.status_code == 400
    assert (
        escape(nl("The first post carries the thread; ask a moderator to hide the thread instead."))
        in response.content.decode()
    )
    assert not Post.objects.filter(deleted_at__isnull=False).exists()


# --- Reactions and attachments ------------------------------------------------------------------


def test_reactions_show_who_reacted_and_a_second_click_takes_it_back(
    trainer, professional, onderzoeker, category
):
    thread = forum.start_thread(trainer, category=category, title="Vraag", body="Tekst")
    post = thread.posts.get()
    react_url = reverse("community:post_react", args=[post.pk])
    signed_in(professional).post(react_url, {"kind": "dank"})
    omar = signed_in(onderzoeker)
    assert omar.post(react_url, {"kind": "dank"}).status_code == 302

    html = signed_in(trainer).get(thread_url(thread)).content.decode()
    names = f"{professional.display_name}, {onderzoeker.display_name}"
    assert f'title="{names}"' in html
    assert "<details" in html and f"{nl('thanks')}: {names}" in html
    assert Reaction.objects.filter(post=post, kind="dank").count() == 2

    omar.post(react_url, {"kind": "dank"})
    assert list(Reaction.objects.values_list("user", flat=True)) == [professional.pk]
    refused = omar.post(react_url, {"kind": "boos"})
    assert refused.status_code == 400
    assert escape(nl("That reaction does not exist.")) in refused.content.decode()


def test_a_member_attaches_a_pdf_and_members_download_it(personas, make_journey):
    journey = make_journey(visibility="besloten")
    client = signed_in(personas["professional"])
    response = client.post(
        reverse("community:journey_new_thread", args=[journey.slug]),
        {"title": "Verslag", "body": "Zie bijlage", "attachments": [pdf(), pdf("tweede.pdf")]},
    )
    assert response.status_code == 302
    attachment = Attachment.objects.get(name="verslag.pdf")
    assert attachment.content_type == "application/pdf" and Attachment.objects.count() == 2
    download_url = reverse("community:attachment", args=[attachment.pk])
    thread = Thread.objects.get()
    assert f'href="{download_url}"' in client.get(thread_url(thread)).content.decode()

    download = signed_in(personas["inwoner"]).get(download_url)

    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment;")
    assert b"".join(download.streaming_content) == PDF


# --- Bad input: a clear message, nothing stored -------------------------------------------------

PAYLOAD = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_script_and_html_in_titles_bodies_and_tags_render_inert(trainer, professional, category):
    client = signed_in(trainer)
    client.post(
        reverse("community:plein_new_thread"),
        {
            "category": category.pk,
            "title": f"Titel {PAYLOAD}",
            "body": f"Tekst {PAYLOAD}",
            "tags": "<script>alert(2)</script>",
        },
    )
    thread = Thread.objects.get()
    reader = signed_in(professional)
    for url in (
        thread_url(thread),
        reverse("community:plein"),
        reverse("community:plein_category", args=[category.slug]),
        reverse("community:post_fragment", args=[thread.posts.get().pk]),
    ):
        html = reader.get(url).content.decode()
        assert "<script>alert" not in html and "<img src=x" not in html, url
        assert "&lt;script&gt;alert(" in html, url


def test_an_empty_post_is_refused_with_a_message_and_nothing_is_stored(trainer, category):
    client = signed_in(trainer)
    response = client.post(
        reverse("community:plein_new_thread"),
        {"category": category.pk, "title": "Leeg", "body": "   "},
    )
    assert response.status_code == 400
    assert escape(nl("Write something before you post.")) in response.content.decode()
    assert nothing_stored(0, 0)

    thread = forum.start_thread(trainer, category=category, title="Vraag", body="Tekst")
    response = client.post(thread_url(thread), {"body": ""})
    assert response.status_code == 400
    assert escape(nl("Write something before you post.")) in response.content.decode()
    assert nothing_stored(1, 1)


def test_a_post_over_50000_characters_is_refused_and_nothing_is_stored(trainer, category):
    client = signed_in(trainer)
    thread = forum.start_thread(trainer, category=category, title="Vraag", body="Tekst")
    response = client.post(thread_url(thread), {"body": "a" * 50_001})
    assert response.status_code == 400
    html = response.content.decode()
    assert "50.000" in html and "50.001" in html and 'role="alert"' in html
    response = client.post(
        reverse("community:post_edit", args=[thread.posts.get().pk]), {"body": "b" * 50_001}
    )
    assert response.status_code == 400 and "50.001" in response.content.decode()
    assert nothing_stored(1, 1) and thread.posts.get().body == "Tekst"


def test_an_attachment_over_the_limit_or_of_a_wrong_type_is_refused_and_nothing_is_stored(
    settings, trainer, category
):
    settings.FORUM_MAX_ATTACHMENT_BYTES = 1024 * 1024
    client = signed_in(trainer)
    big = SimpleUploadedFile("groot.pdf", PDF + b"0" * (1024 * 1024), "application/pdf")
    response = client.post(
        reverse("community:plein_new_thread"),
        {"category": category.pk, "title": "Groot", "body": "Zie bijlage", "attachments": [big]},
    )
    assert response.status_code == 400
    assert "groot.pdf" in response.content.decode() and " 1 MB" in response.content.decode()
    assert nothing_stored(0, 0)

    thread = forum.start_thread(trainer, category=category, title="Vraag", body="Tekst")
    fake = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    response = client.post(thread_url(thread), {"body": "Hier", "attachments": [fake]})
    assert response.status_code == 400
    message = nl(
        "%(name)s is not a file type the forum accepts (PDF, images, office documents)."
    ) % {"name": "virus.pdf"}
    assert escape(message) in response.content.decode()
    assert nothing_stored(1, 1)


def test_posting_faster_than_the_rate_limit_answers_429_with_a_message(settings, trainer, category):
    settings.FORUM_POSTS_PER_MINUTE = 2
    client = signed_in(trainer)
    thread = forum.start_thread(trainer, category=category, title="Vraag", body="Tekst")
    assert client.post(thread_url(thread), {"body": "Twee"}).status_code == 302

    response = client.post(thread_url(thread), {"body": "Drie"})

    assert response.status_code == 429
    assert escape(nl("You are posting very quickly. Wait a minute and try again.")) in (
        response.content.decode()
    )
    assert nothing_stored(1, 2)
    response = client.post(
        reverse("community:plein_new_thread"),
        {"category": category.pk, "title": "Nog een", "body": "Tekst"},
    )
    assert response.status_code == 429 and nothing_stored(1, 2)


def test_a_locked_thread_says_so_and_refuses_replies(personas, make_journey):
    journey = make_journey()
    lead = personas["reisbegeleider"]
    thread = forum.start_thread(lead, journey=journey, title="Klaar", body="Dit is af")
    forum.set_thread_flag(lead, thread, flag="locked", value=True)
    client = signed_in(personas["professional"])

    page = client.get(thread_url(thread)).content.decode()
    assert escape(nl("This thread is locked: no new posts.")) in page
    assert 'id="id_body"' not in page
    response = client.post(thread_url(thread), {"body": "Toch nog iets"})
    assert response.status_code == 400
    assert escape(nl("This thread is locked: no new posts.")) in response.content.decode()
    assert Post.objects.count() == 1


# --- Reading: unread, jump to the first unread post, mark all read, follow -----------------------


def test_unread_markers_and_the_jump_to_the_first_unread_post(settings, personas, make_journey):
    settings.FORUM_POSTS_PER_MINUTE = 100
    journey = make_journey()
    lead, reader = personas["reisbegeleider"], personas["professional"]
    thread = forum.start_thread(lead, journey=journey, title="Lange draad", body="Begin")
    client = signed_in(reader)
    forum_url = reverse("community:journey_forum", args=[journey.slug])

    assert nl("new") in client.get(forum_url).content.decode()  # never opened: new
    client.get(thread_url(thread))  # read up to post 1
    assert ThreadReadState.objects.get(user=reader, thread=thread).last_read_number == 1
    for i in range(24):
        forum.reply(lead, thread, body=f"Bericht {i + 2}")

    html = client.get(forum_url).content.decode()
    assert nl_plural("%(counter)s unread", "%(counter)s unread", 24) in html
    jump = thread_url(thread) + "?pagina=1#bericht-2"
    assert f'href="{jump}"' in html

    response = client.get(thread_url(thread))
    assert response.status_code == 302 and response["Location"] == jump
    page_one = client.get(thread_url(thread) + "?pagina=1")
    assert [p.number for p in page_one.context["posts"]][-1] == 20
    assert ThreadReadState.objects.get(user=reader, thread=thread).last_read_number == 20
    response = client.get(thread_url(thread))
    assert response["Location"] == thread_url(thread) + "?pagina=2#bericht-21"
    client.get(response["Location"])
    assert client.get(thread_url(thread)).status_code == 200  # all read: no jump
    assert nl_plural("%(counter)s unread", "%(counter)s unread", 1) not in (
        client.get(forum_url).content.decode()
    )


def test_a_page_read_again_keeps_the_place_and_reads_a_mention_added_since(
    settings, personas, make_journey
):
    settings.FORUM_POSTS_PER_MINUTE = 100
    journey = make_journey()
    lead, reader = personas["reisbegeleider"], personas["professional"]
    thread = forum.start_thread(lead, journey=journey, title="Lange draad", body="Begin")
    for i in range(24):
        forum.reply(lead, thread, body=f"Bericht {i + 2}")
    client = signed_in(reader)

    def read_up_to() -> int:
        return ThreadReadState.objects.get(user=reader, thread=thread).last_read_number

    def unread() -> int:
        return Notification.objects.filter(user=reader, read_at__isnull=True).count()

    client.get(thread_url(thread) + "?pagina=2")
    client.get(thread_url(thread) + "?pagina=1")
    assert read_up_to() == 25  # never back
    forum.edit_post(lead, thread.posts.get(number=3), body=f"@{reader.handle} kijk hier eens")
    assert unread() == 1

    page = client.get(thread_url(thread) + "?pagina=1").content.decode()

    assert unread() == 0
    assert read_up_to() == 25
    assert 'id="meldingen-aantal" class="utrecht-badge-counter">0<' in page  # read first


def test_mark_all_read_clears_the_markers_until_something_new_comes(personas, make_journey):
    journey = make_journey()
    lead, reader = personas["reisbegeleider"], personas["professional"]
    first = forum.start_thread(lead, journey=journey, title="Een", body="x")
    forum.start_thread(lead, journey=journey, title="Twee", body="x")
    client = signed_in(reader)
    forum_url = reverse("community:journey_forum", args=[journey.slug])
    new_badge = f'forum-badge--new">{nl("new")}<'
    assert client.get(forum_url).content.decode().count(new_badge) == 2

    response = client.post(
        reverse("community:journey_forum_mark_read", args=[journey.slug]), {"next": forum_url}
    )

    assert response.status_code == 302 and response["Location"] == forum_url
    assert client.get(forum_url).content.decode().count(new_badge) == 0
    forum.reply(lead, first, body="Nieuw antwoord")
    forum.start_thread(lead, journey=journey, title="Drie", body="x")
    html = client.get(forum_url).content.decode()
    assert html.count(new_badge) == 1
    assert nl_plural("%(counter)s unread", "%(counter)s unread", 1) in html


def test_a_member_follows_mutes_and_returns_to_normal(trainer, professional, category):
    thread = forum.start_thread(trainer, category=category, title="Vraag", body="Tekst")
    client = signed_in(professional)
    url = reverse("community:thread_subscription", args=[thread.pk])

    client.post(url, {"level": "following"})
    assert ThreadSubscription.objects.get(user=professional).level == "following"
    page = client.get(thread_url(thread)).content.decode()
    assert escape(nl("You follow this thread: you hear of every new post.")) in page
    client.post(url, {"level": "muted"})
    assert ThreadSubscription.objects.get(user=professional).level == "muted"
    page = client.get(thread_url(thread)).content.decode()
    assert escape(nl("You muted this thread: you hear nothing of it.")) in page
    client.post(url, {"level": "normal"})
    assert not ThreadSubscription.objects.filter(user=professional).exists()
    assert client.post(url, {"level": "alles"}).status_code == 400
    assert Client().post(url, {"level": "following"}).status_code == 302  # sign in first


# --- Query counts ------------------------------------------------------------------------------
#
# Counted after one warm-up request (the header's small caches), with a small and a large
# data set; the counts must be equal, and are pinned.


def count_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def _grow_posts(thread: Thread, authors: list, up_to: int) -> None:
    """Posts in bulk, for volume: rows with body_html set, and the thread's counters."""
    thread.refresh_from_db()
    start = thread.last_post_number + 1
    Post.objects.bulk_create(
        Post(
            thread=thread,
            number=n,
            author=authors[n % len(authors)],
            body=f"Bericht {n}",
            body_html=f"<p>Bericht {n}</p>",
        )
        for n in range(start, up_to + 1)
    )
    Thread.objects.filter(pk=thread.pk).update(last_post_number=up_to, post_count=up_to)
    thread.refresh_from_db()


def test_thread_page_query_count_is_the_same_at_50_and_500_posts(settings, personas, make_journey):
    journey = make_journey()
    lead, reader = personas["reisbegeleider"], personas["professional"]
    authors = [lead, reader, personas["opdrachtgever"]]
    thread = forum.start_thread(
        lead, journey=journey, title="Groot", body="Begin", tags=["a", "b"], attachments=[pdf()]
    )
    forum.reply(reader, thread, body="Antwoord", reply_to=thread.posts.get())
    _grow_posts(thread, authors, 50)
    for post in thread.posts.filter(number__lte=5):
        forum.toggle_reaction(reader, post, "eens")
        forum.toggle_reaction(lead, post, "dank")
    forum.edit_post(reader, thread.posts.get(number=2), body="Antwoord, bewerkt")
    client = signed_in(reader)
    url = thread_url(thread) + "?pagina=1"
    client.get(url)
    small = count_queries(client, url)
    _grow_posts(thread, authors, 500)
    large = count_queries(client, url)
    assert small == large
    # among them: the header's notification count; the reader's place, following and
    # unread notifications come with the thread, which was read before (nothing to write)
    assert small == 11
    last_page = thread_url(thread) + "?pagina=25"
    assert count_queries(client, last_page) == small + 1  # the reader's place moves on
    assert count_queries(client, last_page) == small


def test_thread_list_query_counts_are_the_same_at_3_and_30_threads(
    settings, personas, make_journey, category
):
    settings.FORUM_POSTS_PER_MINUTE = 1000
    journey = make_journey()
    lead, reader = personas["reisbegeleider"], personas["professional"]
    other = ForumCategory.objects.create(name="Onderzoek", slug="onderzoek")
    made = []

    def grow(n: int) -> None:
        for _ in range(n):
            i = len(made)
            author = [lead, reader, personas["opdrachtgever"]][i % 3]
            in_journey = forum.start_thread(
                author, journey=journey, title=f"Reis {i}", body="x", tags=[f"t{i}", "samen"]
            )
            on_plein = forum.start_thread(
                author,
                category=[category, other][i % 2],
                title=f"Plein {i}",
                body="x",
                tags=[f"t{i}"],
            )
            forum.reply(lead, in_journey, body="antwoord")
            if i % 2:
                forum.mark_read(reader, in_journey, 1)
                forum.mark_read(reader, on_plein, 1)
            if i % 5 == 0:
                forum.set_thread_flag(lead, in_journey, flag="pinned", value=True)
            made.append((in_journey, on_plein))

    client = signed_in(reader)
    urls = {
        "journey": reverse("community:journey_forum", args=[journey.slug]),
        "plein": reverse("community:plein"),
        "category": reverse("community:plein_category", args=[category.slug]),
    }
    grow(3)
    for url in urls.values():
        client.get(url)
    small = {name: count_queries(client, url) for name, url in urls.items()}
    grow(27)
    large = {name: count_queries(client, url) for name, url in urls.items()}
    assert small == large
    assert small == {"journey": 11, "plein": 12, "category": 11}
    html = client.get(urls["journey"]).content.decode()
    assert html.index("Reis 0") < html.index("Reis 29")  # pinned first


def test_anyone_reads_an_openbaar_journeys_forum_and_is_asked_to_sign_in_to_reply(
    client, personas, make_journey
):
    journey = make_journey(visibility="openbaar")
    thread = forum.start_thread(
        personas["reisbegeleider"], journey=journey, title="Open", body="Hallo"
    )
    assert (
        "Open"
        in client.get(reverse("community:journey_forum", args=[journey.slug])).content.decode()
    )
    page = client.get(thread_url(thread))
    assert page.status_code == 200 and 'id="id_body"' not in page.content.decode()
    assert escape(nl("Sign in to reply.")) in page.content.decode()
    response = client.post(thread_url(thread), {"body": "Anoniem"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert Post.objects.count() == 1
