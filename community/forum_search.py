"""Search in one forum (a journey's or the plein) through Wagtail's search framework:
the database by default, Meilisearch when MEILISEARCH_URL is set.

Threads are found by title and tags, posts by their text. The backend only proposes
ids; what the user may read is decided by community.queries.forum.readable_threads, so
a search never shows a thread of a besloten journey to someone outside it, nor a hidden
thread to anyone but its moderators, nor a deleted post. When the engine fails, the
search falls back to a plain database filter and says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils.html import strip_tags

from community.models import ForumCategory, Post, Thread
from community.queries.forum import readable_threads
from community.search import engine_ids
from community.services.notifications import POSTS_PER_PAGE  # the thread page's page size
from journeys.models import Journey

MAX_HITS = 500
SNIPPET_CHARS = 200


@dataclass
class Hit:
    """One search result: a thread, and the post to show and link to."""

    thread: Thread
    post: Post | None
    matched_title: bool = False
    snippet: str = ""
    url: str = ""


@dataclass
class Outcome:
    """The hits as (kind, id) pairs in the order to show them; the page's objects are
    loaded by `load` so a long result list costs no more queries than a short one."""

    keys: list[tuple[str, int]] = field(default_factory=list)
    failed: bool = False


# --- Links ---------------------------------------------------------------------------------


def thread_url(thread: Thread) -> str:
    """The thread page (the forum helper's routes); "" while they do not exist."""
    try:
        if thread.journey_id:
            return reverse("community:journey_thread", args=[thread.journey.slug, thread.pk])
        return reverse("community:plein_thread", args=[thread.pk])
    except NoReverseMatch:
        return ""


def post_url(post: Post, thread: Thread | None = None) -> str:
    """The page of the thread the post is on, with the post's anchor. The page is always
    named: without it the thread page jumps to the reader's first unread post instead."""
    base = thread_url(thread or post.thread)
    page = max(post.number - 1, 0) // POSTS_PER_PAGE + 1
    return f"{base}?pagina={page}#bericht-{post.number}"


# --- Searching -----------------------------------------------------------------------------


def space_threads(user, journey: Journey | None) -> QuerySet[Thread]:
    """The threads of one space the user may read."""
    threads = readable_threads(user)
    if journey is not None:
        return threads.filter(journey=journey)
    return threads.filter(category__isnull=False)


def search(user, term: str, *, journey: Journey | None = None) -> Outcome:
    """Threads (by title or tag) first, then posts (by text), each in the engine's order
    of relevance, restricted to what `user` may read in the space."""
    term = " ".join((term or "").split())
    if not term:
        return Outcome()
    readable = space_threads(user, journey)
    readable_ids = list(readable.values_list("pk", flat=True))
    if not readable_ids:
        return Outcome()
    # Narrowed with the models' filter fields (journey_id, category_id, thread_id,
    # deleted_at), which every backend understands.
    if journey is not None:
        space = Thread.objects.filter(journey_id=journey.pk)
    else:
        categories = list(ForumCategory.objects.values_list("pk", flat=True))
        space = Thread.objects.filter(category_id__in=categories)
    thread_ids = engine_ids(term, space, limit=MAX_HITS)
    post_ids = None
    if thread_ids is not None:
        post_ids = engine_ids(
            term,
            Post.objects.filter(thread_id__in=readable_ids, deleted_at__isnull=True),
            limit=MAX_HITS,
        )
    failed = thread_ids is None or post_ids is None
    if failed:
        thread_ids = list(
            readable.filter(Q(title__icontains=term) | Q(tags__name__icontains=term))
            .order_by("-last_post_at", "-pk")
            .values_list("pk", flat=True)
            .distinct()[:MAX_HITS]
        )
        post_ids = list(
            Post.objects.filter(
                thread_id__in=readable_ids, deleted_at__isnull=True, body__icontains=term
            )
            .order_by("-created_at", "-pk")
            .values_list("pk", flat=True)[:MAX_HITS]
        )
    else:
        # Tags are set after a thread is first indexed; find an exact tag in the database
        # too, so a thread is always found by its tag whatever the engine knows.
        tagged = readable.filter(tags__name__iexact=term).values_list("pk", flat=True)
        thread_ids += [pk for pk in tagged if pk not in thread_ids]

    # Only what the user may read, whatever the engine returned.
    allowed_threads = set(readable_ids)
    thread_ids = [pk for pk in thread_ids if pk in allowed_threads]
    allowed_posts = set(
        Post.objects.filter(
            pk__in=post_ids, thread_id__in=readable_ids, deleted_at__isnull=True
        ).values_list("pk", flat=True)
    )
    post_ids = [pk for pk in post_ids if pk in allowed_posts]
    keys = [("thread", pk) for pk in thread_ids] + [("post", pk) for pk in post_ids]
    return Outcome(keys=keys, failed=failed)


def snippet(text: str, term: str, size: int = SNIPPET_CHARS) -> str:
    """A short plain-text excerpt around the first place the term occurs."""
    text = " ".join(strip_tags(text).split())
    if len(text) <= size:
        return text
    at = text.lower().find(term.lower()) if term else -1
    start = max(0, at - size // 3) if at >= 0 else 0
    if start:
        # Begin at a word.
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < at else start
    end = start + size
    excerpt = text[start:end]
    if end < len(text):
        cut = excerpt.rfind(" ")
        excerpt = (excerpt[:cut] if cut > size // 2 else excerpt) + " …"
    return ("… " if start else "") + excerpt


def load(keys: list[tuple[str, int]], term: str) -> list[Hit]:
    """The Hit objects for one page of keys, in a fixed number of queries."""
    thread_ids = [pk for kind, pk in keys if kind == "thread"]
    post_ids = [pk for kind, pk in keys if kind == "post"]
    threads = Thread.objects.select_related("journey", "category").in_bulk(thread_ids)
    posts = Post.objects.select_related("thread__journey", "thread__category", "author").in_bulk(
        post_ids
    )
    # For a thread found by its title: its first post that is still there.
    first_posts: dict[int, Post] = {}
    for post in (
        Post.objects.filter(thread_id__in=thread_ids, deleted_at__isnull=True)
        .select_related("author")
        .order_by("thread_id", "number")
    ):
        first_posts.setdefault(post.thread_id, post)
    hits = []
    for kind, pk in keys:
        if kind == "thread" and pk in threads:
            thread = threads[pk]
            post = first_posts.get(pk)
            hits.append(
                Hit(
                    thread=thread,
                    post=post,
                    matched_title=True,
                    snippet=snippet(post.body_html, term) if post else "",
                    url=post_url(post, thread) if post else thread_url(thread),
                )
            )
        elif kind == "post" and pk in posts:
            post = posts[pk]
            hits.append(
                Hit(
                    thread=post.thread,
                    post=post,
                    snippet=snippet(post.body_html, term),
                    url=post_url(post),
                )
            )
    return hits
