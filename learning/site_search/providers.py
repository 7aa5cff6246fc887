"""The types site-wide search covers, one provider each.

A provider says what the engine searches, which of the matches a user may see (the
type's own permission query, never a copy of its rules), how the database searches
when the engine is down, and how one hit is shown. Adding a type is one provider:

    register(
        Provider(
            key="verhalen",
            label=_("Stories"),
            model=Story,
            visible=journeys.queries.stories_visible_to,
            render=lambda story: Shown(
                title=story.title,
                url=story.get_absolute_url(),
                texts=[story.quote, story.text],
                date=story.told_on,
            ),
            fallback_fields=("title", "text"),
            newest_first="-created_at",
        )
    )

Providers are listed in the order of registration: the order of the type filter.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import reduce
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page, PageViewRestriction
from wagtail.search import index

from community.forum_search import post_url, thread_url
from community.models import Card, Event, Post, Thread
from community.queries.boards import visible_boards
from community.queries.events import visible_events
from community.queries.forum import readable_threads
from journeys.models import Journey, Story
from journeys.queries import visible_to
from journeys.stories.queries import visible_stories

Restriction = PageViewRestriction


@dataclass(frozen=True)
class Shown:
    """What one hit shows. `texts` are the passages a snippet may come from (plain text
    or HTML; tags are dropped), best first: the snippet is cut around the first match."""

    title: str
    url: str
    texts: Sequence[Any] = ()
    date: date | datetime | None = None
    meta: str = ""  # a short line under the title: where it is, what kind


@dataclass(frozen=True)
class Provider:
    key: str  # the ?soort= value, stable and Dutch: "paginas", "reizen", ...
    label: str | Promise  # the type's name in the filter (plural)
    model: type[models.Model]
    # The type's own permission query: everything `user` may see of this model.
    visible: Callable[[Any], QuerySet]
    render: Callable[[Any], Shown]  # one object (as `load` returns it) -> what the hit shows
    # Searched with icontains, every word in one of them, when the engine fails.
    fallback_fields: tuple[str, ...]
    newest_first: str  # the fallback's order, e.g. "-updated_at"
    # What the engine searches: narrowed on index.FilterField fields only (the engines
    # refuse anything else). None: every object, when the model is indexed at all.
    engine: Callable[[], QuerySet] | None = None
    # Loads one page of hits: select_related, .specific(), ... (a fixed number of queries).
    load: Callable[[QuerySet], Iterable] = field(default=lambda queryset: queryset)

    @property
    def indexed(self) -> bool:
        return index.class_is_indexed(self.model)

    def engine_queryset(self) -> QuerySet:
        return self.engine() if self.engine is not None else self.model._default_manager.all()


_REGISTRY: dict[str, Provider] = {}


def register(provider: Provider) -> Provider:
    """Add (or replace, by key) a provider. Call at import time or from an AppConfig.ready()."""
    _REGISTRY[provider.key] = provider
    return provider


def providers() -> list[Provider]:
    return list(_REGISTRY.values())


def provider(key: str) -> Provider | None:
    return _REGISTRY.get(key)


# --- Helpers for rendering -----------------------------------------------------------------


def indexed_texts(obj: models.Model) -> list[str]:
    """The values of the object's plain-text search fields (not the title, not stream
    fields: rendering those would cost queries), in the order the model declares them."""
    texts = []
    for search_field in type(obj).get_search_fields():
        if not isinstance(search_field, index.SearchField) or search_field.field_name == "title":
            continue
        try:
            model_field = obj._meta.get_field(search_field.field_name)
        except FieldDoesNotExist:
            continue
        if isinstance(model_field, (models.CharField, models.TextField)):
            texts.append(getattr(obj, search_field.field_name, "") or "")
    return texts


def contains_every_word(words: Sequence[str], fields: Sequence[str]) -> Q:
    """Every word in at least one of the fields (the database fallback)."""
    return reduce(
        operator.and_,
        (
            reduce(operator.or_, (Q(**{f"{name}__icontains": word}) for name in fields))
            for word in words
        ),
        Q(),
    )


# --- Pages (kennisbank, method, scenarios, courses, ...) ------------------------------------


def blocked_page_paths(user) -> list[str]:
    """Tree paths whose view restriction `user` does not pass; a page under one of them
    is not shown. A password restriction always hides its pages here: a snippet would
    give away what the password guards."""
    restrictions = list(
        Restriction.objects.exclude(restriction_type=Restriction.NONE)
        .annotate(page_path=models.F("page__path"))
        .prefetch_related("groups")
    )
    signed_in = bool(user and user.is_authenticated)
    group_ids: set[int] | None = None
    blocked = []
    for restriction in restrictions:
        kind = restriction.restriction_type
        if kind == Restriction.PASSWORD or not signed_in:
            blocked.append(restriction.page_path)
        elif kind == Restriction.GROUPS and not user.is_superuser:
            if group_ids is None:
                group_ids = set(user.groups.values_list("pk", flat=True))
            if not group_ids & {group.pk for group in restriction.groups.all()}:
                blocked.append(restriction.page_path)
    return blocked


def visible_pages(user) -> QuerySet[Page]:
    """Live pages (not the tree's root) that no view restriction hides from `user`."""
    pages = Page.objects.live().filter(depth__gt=1)
    blocked = blocked_page_paths(user)
    if blocked:
        pages = pages.exclude(reduce(operator.or_, (Q(path__startswith=path) for path in blocked)))
    return pages


def _render_page(page: Page) -> Shown:
    return Shown(
        title=page.title,
        url=page.url or "",
        texts=[page.search_description, *indexed_texts(page)],
        date=page.last_published_at,
        meta=str(page._meta.verbose_name).capitalize(),
    )


# --- Journeys, forums, events --------------------------------------------------------------


def _render_journey(journey: Journey) -> Shown:
    return Shown(
        title=journey.title,
        url=journey.get_absolute_url(),
        texts=[journey.challenge, journey.summary],
        date=journey.updated_at,
        meta=gettext("Journey · phase: %(phase)s") % {"phase": journey.get_phase_display()},
    )


def _forum_name(thread: Thread) -> str:
    if thread.journey_id:
        return gettext("Forum of %(journey)s") % {"journey": thread.journey.title}
    return gettext("Plein · %(category)s") % {"category": thread.category.name}


def _render_thread(thread: Thread) -> Shown:
    return Shown(
        title=thread.title,
        url=thread_url(thread),
        texts=[" · ".join(tag.name for tag in thread.tags.all())],
        date=thread.last_post_at,
        meta=_forum_name(thread),
    )


def _render_post(post: Post) -> Shown:
    return Shown(
        title=post.thread.title,
        url=post_url(post),
        texts=[post.body_html],
        date=post.created_at,
        meta=gettext("Post %(number)s · %(forum)s")
        % {"number": post.number, "forum": _forum_name(post.thread)},
    )


def visible_posts(user) -> QuerySet[Post]:
    """Posts that are not deleted, in the threads `user` may read."""
    return Post.objects.filter(thread__in=readable_threads(user), deleted_at__isnull=True)


def _render_event(event: Event) -> Shown:
    where = event.journey.title if event.journey_id else gettext("network-wide")
    meta = gettext("Event · %(where)s") % {"where": where}
    if event.cancelled_at:
        meta = gettext("Cancelled") + " · " + meta
    return Shown(
        title=event.title,
        url=reverse("community:event", args=[event.pk]),
        texts=[event.description, event.address],
        date=event.starts_at,
        meta=meta,
    )


def _render_story(story: Story) -> Shown:
    # Never the teller: the archive decides how a teller is shown, a hit shows nobody.
    meta = gettext("Story · %(perspective)s") % {"perspective": story.get_perspective_display()}
    if story.journey_id:
        meta = f"{meta} · {story.journey.title}"
    return Shown(
        title=story.title,
        url=story.get_absolute_url(),
        texts=[story.quote, story.text],
        date=story.created_at,
        meta=meta,
    )


def visible_cards(user) -> QuerySet[Card]:
    """Cards shown to everyone on the boards `user` may see (not waiting, not hidden)."""
    return Card.objects.filter(board__in=visible_boards(user), status=Card.Status.VISIBLE)


def _render_card(card: Card) -> Shown:
    # No author, named or not: a hit names the board, not the person.
    board = card.board
    return Shown(
        title=" ".join(card.body.split())[:80],
        url=f"{reverse('community:board', args=[board.journey.slug, board.pk])}#kaart-{card.pk}",
        texts=[card.body],
        date=card.created_at,
        meta=gettext("Card on the board “%(board)s” · %(journey)s")
        % {"board": board.title, "journey": board.journey.title},
    )


# The built-in types, in the order of the type filter.
register(
    Provider(
        key="paginas",
        label=_("Pages"),
        model=Page,
        visible=visible_pages,
        render=_render_page,
        fallback_fields=(
            "title",
            "search_description",
            "workingelementpage__summary",
            "scenariopage__summary",
            "coursepage__summary",
            "lessonpage__intro",
        ),
        newest_first="-last_published_at",
        engine=lambda: Page.objects.live(),
        load=lambda pages: pages.specific(),
    )
)
register(
    Provider(
        key="reizen",
        label=_("Journeys"),
        model=Journey,
        visible=visible_to,
        render=_render_journey,
        fallback_fields=("title", "challenge", "summary"),
        newest_first="-updated_at",
    )
)
register(
    Provider(
        key="onderwerpen",
        label=_("Forum threads"),
        model=Thread,
        visible=readable_threads,
        render=_render_thread,
        fallback_fields=("title", "tags__name"),
        newest_first="-last_post_at",
        load=lambda threads: threads.select_related("journey", "category").prefetch_related("tags"),
    )
)
register(
    Provider(
        key="berichten",
        label=_("Forum posts"),
        model=Post,
        visible=visible_posts,
        render=_render_post,
        fallback_fields=("body",),
        newest_first="-created_at",
        engine=lambda: Post.objects.filter(deleted_at__isnull=True),
        load=lambda posts: posts.select_related("thread__journey", "thread__category"),
    )
)
register(
    Provider(
        key="bijeenkomsten",
        label=_("Events"),
        model=Event,
        visible=visible_events,
        render=_render_event,
        fallback_fields=("title", "description"),
        newest_first="-starts_at",
        load=lambda events: events.select_related("journey"),
    )
)
register(
    Provider(
        key="verhalen",
        label=_("Stories"),
        model=Story,
        visible=visible_stories,
        render=_render_story,
        fallback_fields=("title", "quote", "text"),
        newest_first="-created_at",
        engine=lambda: Story.objects.filter(withdrawn_at__isnull=True),
        load=lambda stories: stories.select_related("journey"),
    )
)
register(
    Provider(
        key="kaarten",
        label=_("Board cards"),
        model=Card,
        visible=visible_cards,
        render=_render_card,
        fallback_fields=("body",),
        newest_first="-created_at",
        engine=lambda: Card.objects.filter(status=Card.Status.VISIBLE),
        load=lambda cards: cards.select_related("board__journey"),
    )
)
