"""The archive's numbers: the total, every facet's counts and the charts' counts, as one
value (a Tally) that facets.py and charts.py turn into what the page shows.

Counting 100,000 stories with their permission filter costs tens of milliseconds per
count, and the archive shows ten of them. Most of what a member sees is what every
member sees (openbaar and netwerk stories outside besloten journeys), so that part is
counted once per filter and kept in the cache until a story, journey or label changes;
the member's own part (besloten journeys they are in, their own stories) is small and
counted per visit. The two parts are disjoint, so their counts add up. Anonymous
visitors all see the same stories: their whole tally is kept. With a search, a journey's
archive or for staff nothing is kept: those sets are small or rare.

journeys.stories.queries decides who sees what; this module only counts those sets.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models import Count, QuerySet
from taggit.models import TaggedItem

from journeys.models import Story, StorySliderValue

# A facet choice: (value in the address, label, order); counts per choice in a Counter.
Choice = tuple[str, str, int]
# A scale's 0..100 in five equal steps, left to right.
BUCKETS = [(0, 19), (20, 39), (40, 59), (60, 79), (80, 100)]
VERSION_KEY = "stories:tally:version"
KEPT_SECONDS = 10 * 60


def bucket(value: int) -> int:
    return next(i for i, (low, high) in enumerate(BUCKETS) if low <= value <= high)


@dataclass
class Tally:
    total: int = 0  # stories matching every filter
    facets: dict[str, Counter] = field(default_factory=dict)  # key -> Counter[Choice]
    perspectives: Counter = field(default_factory=Counter)  # of the matching stories
    signifiers: Counter = field(default_factory=Counter)  # slug -> stories
    years: Counter = field(default_factory=Counter)
    sliders: dict[int, list[int]] = field(default_factory=dict)  # slider -> per bucket

    def __add__(self, other: Tally) -> Tally:
        sliders = {key: list(counts) for key, counts in self.sliders.items()}
        for key, counts in other.sliders.items():
            mine = sliders.setdefault(key, [0] * len(BUCKETS))
            sliders[key] = [a + b for a, b in zip(mine, counts, strict=True)]
        return Tally(
            total=self.total + other.total,
            facets={
                key: self.facets.get(key, Counter()) + other.facets.get(key, Counter())
                for key in self.facets.keys() | other.facets.keys()
            },
            perspectives=self.perspectives + other.perspectives,
            signifiers=self.signifiers + other.signifiers,
            years=self.years + other.years,
            sliders=sliders,
        )


# --- Counting in the database (any size) ---------------------------------------------------


def _grouped(stories: QuerySet[Story], *fields: str) -> list[tuple]:
    return list(
        stories.filter(**{f"{fields[0]}__isnull": False})
        .values(*fields)
        .annotate(n=Count("pk", distinct=True))
        .order_by()
        .values_list(*fields, "n")
    )


def _facet_counts(key: str, stories: QuerySet[Story]) -> Counter:
    if key == "perspectief":
        rows = _grouped(stories, "perspective")
        return Counter({(value, value, 0): n for value, n in rows})
    if key == "thema":
        rows = _grouped(stories, "themes__name")
        return Counter({(name, name, 0): n for name, n in rows})
    if key == "gemeente":
        rows = _grouped(stories, "gemeente_id", "gemeente__name")
        return Counter({(str(pk), name, 0): n for pk, name, n in rows})
    if key == "reis":
        rows = _grouped(stories, "journey__slug", "journey__title")
        return Counter({(slug, title, 0): n for slug, title, n in rows})
    if key == "betekenis":
        rows = _grouped(stories, "signifiers__slug", "signifiers__name", "signifiers__position")
        return Counter({(slug, name, position): n for slug, name, position, n in rows})
    if key == "jaar":
        rows = _grouped(stories, "year")
        return Counter({(str(year), str(year), 0): n for year, n in rows})
    raise ValueError(key)


def _plain(counts: Counter) -> Counter:
    """A facet's counts by value alone (the charts' form)."""
    return Counter({value: n for (value, _label, _order), n in counts.items()})


def counted(searched: QuerySet[Story], filters, keys: Iterable[str]) -> Tally:
    """Everything counted in the database over `searched` (the stories the user may see,
    narrowed by the search). A facet's counts apply every filter but its own; a chart
    whose facet has no filter set reuses that facet's counts."""
    from journeys.stories.facets import apply, without

    matching = apply(searched, filters)
    tally = Tally(total=matching.count())
    for key in keys:
        tally.facets[key] = _facet_counts(key, apply(searched, without(filters, key)))

    def chart_counts(key: str) -> Counter:
        if key in tally.facets and not getattr(filters, key):
            return _plain(tally.facets[key])
        return _plain(_facet_counts(key, matching))

    tally.perspectives = chart_counts("perspectief")
    tally.signifiers = chart_counts("betekenis")
    tally.years = Counter({int(year): n for year, n in chart_counts("jaar").items()})
    for slider_id, value, n in (
        StorySliderValue.objects.filter(story__in=matching.values("pk"))
        .values_list("slider_id", "value")
        .annotate(n=Count("pk"))
        .values_list("slider_id", "value", "n")
    ):
        tally.sliders.setdefault(slider_id, [0] * len(BUCKETS))[bucket(value)] += n
    return tally


# --- Counting a small set in Python (four queries) -----------------------------------------


@dataclass
class _Row:
    perspective: str
    year: int | None
    gemeente: tuple[str, str] | None
    journey: tuple[str, str] | None
    themes: set[str] = field(default_factory=set)
    signifiers: set[tuple[str, str, int]] = field(default_factory=set)
    sliders: list[tuple[int, int]] = field(default_factory=list)

    def passes(self, filters, skip: str | None = None) -> bool:
        def wanted(key: str) -> str:
            return "" if key == skip else getattr(filters, key)

        if wanted("perspectief") and self.perspective != filters.perspectief:
            return False
        if wanted("thema") and filters.thema.upper() not in {t.upper() for t in self.themes}:
            return False
        if wanted("gemeente") and (self.gemeente or ("",))[0] != filters.gemeente:
            return False
        if wanted("reis") and (self.journey or ("",))[0] != filters.reis:
            return False
        if wanted("betekenis") and filters.betekenis not in {s[0] for s in self.signifiers}:
            return False
        return not (wanted("jaar") and str(self.year) != filters.jaar)

    def choices(self, key: str) -> list[Choice]:
        if key == "perspectief":
            return [(self.perspective, self.perspective, 0)]
        if key == "thema":
            return [(name, name, 0) for name in self.themes]
        if key == "gemeente":
            return [(*self.gemeente, 0)] if self.gemeente else []
        if key == "reis":
            return [(*self.journey, 0)] if self.journey else []
        if key == "betekenis":
            return list(self.signifiers)
        if key == "jaar":
            return [(str(self.year), str(self.year), 0)] if self.year is not None else []
        raise ValueError(key)


def _rows(stories: QuerySet[Story]) -> list[_Row]:
    rows = {
        pk: _Row(
            perspective=perspective,
            year=year,
            gemeente=(str(gemeente_id), gemeente_name) if gemeente_id else None,
            journey=(slug, title) if slug else None,
        )
        for pk, perspective, year, gemeente_id, gemeente_name, slug, title in stories.values_list(
            "pk",
            "perspective",
            "year",
            "gemeente_id",
            "gemeente__name",
            "journey__slug",
            "journey__title",
        ).order_by()
    }
    if not rows:
        return []
    # Themes from the tag table itself: its object_id is text, so a join from stories
    # would cast it and miss the index.
    for object_id, name in TaggedItem.objects.filter(
        content_type=ContentType.objects.get_for_model(Story), object_id__in=list(rows)
    ).values_list("object_id", "tag__name"):
        rows[int(object_id)].themes.add(name)
    for pk, *signifier in Story.signifiers.through.objects.filter(
        story_id__in=list(rows)
    ).values_list(
        "story_id", "storysignifier__slug", "storysignifier__name", "storysignifier__position"
    ):
        rows[pk].signifiers.add(tuple(signifier))
    for pk, slider_id, value in StorySliderValue.objects.filter(story__in=list(rows)).values_list(
        "story_id", "slider_id", "value"
    ):
        rows[pk].sliders.append((slider_id, value))
    return list(rows.values())


def counted_here(stories: QuerySet[Story], filters, keys: Iterable[str]) -> Tally:
    """The same numbers as `counted`, for a small set: its rows read once and counted here."""
    rows = _rows(stories)
    tally = Tally()
    for key in keys:
        tally.facets[key] = Counter(
            choice for row in rows if row.passes(filters, skip=key) for choice in row.choices(key)
        )
    sliders: dict[int, list[int]] = defaultdict(lambda: [0] * len(BUCKETS))
    for row in rows:
        if not row.passes(filters):
            continue
        tally.total += 1
        tally.perspectives[row.perspective] += 1
        tally.signifiers.update(slug for slug, _name, _order in row.signifiers)
        if row.year is not None:
            tally.years[row.year] += 1
        for slider_id, value in row.sliders:
            sliders[slider_id][bucket(value)] += 1
    tally.sliders = dict(sliders)
    return tally


# --- What is kept ----------------------------------------------------------------------------


def _version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, 1, timeout=None)
        version = cache.get(VERSION_KEY, 1)
    return str(version)


def forget(using: str | None = None, **kwargs) -> None:
    """Retire every kept tally: now, and again once the writing transaction commits (a
    tally counted meanwhile from the old rows is then kept under a retired version)."""

    def bump() -> None:
        try:
            cache.incr(VERSION_KEY)
        except ValueError:
            cache.set(VERSION_KEY, 1, timeout=None)

    bump()
    connection = transaction.get_connection(using or DEFAULT_DB_ALIAS)
    if connection.in_atomic_block:
        transaction.on_commit(bump, using=using or DEFAULT_DB_ALIAS)


def kept(audience: str, stories: QuerySet[Story], filters, keys: list[str]) -> Tally:
    """`counted(stories, ...)` for a set that is the same for a whole audience, kept."""
    shown = "&".join(f"{key}={getattr(filters, key)}" for key in sorted(filters.active()))
    digest = hashlib.sha256(f"{shown}|{','.join(keys)}".encode()).hexdigest()[:32]
    key = f"stories:tally:{audience}:{_version()}:{digest}"
    tally = cache.get(key)
    if tally is None:
        tally = counted(stories, filters, keys)
        cache.set(key, tally, KEPT_SECONDS)
    return tally


def archive_tally(user, searched, filters, keys: list[str]) -> Tally:
    """The tally of the site-wide archive (`searched.stories` is everything `user` may
    see, narrowed by the search)."""
    from journeys.stories import queries

    if searched.ranked_ids is not None or searched.failed or filters.errors or user.is_staff:
        return counted(searched.stories, filters, keys)
    if not user.is_authenticated:
        return kept("anonymous", searched.stories, filters, keys)
    shared = kept("members", queries.shared_with_every_member(), filters, keys)
    return shared + counted_here(queries.beyond_shared(user), filters, keys)


def _on_change(sender, using=None, **kwargs) -> None:
    forget(using)


def connect() -> None:
    """Retire the kept tallies on any change to what they count or show: stories and
    their themes, meanings and scales; journeys (visibility, titles); gemeenten (names);
    and a fresh or migrated database."""
    from django.apps import apps
    from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save

    watched = [
        Story,
        StorySliderValue,
        apps.get_model("journeys", "Journey"),
        apps.get_model("journeys", "StorySignifier"),
        apps.get_model("journeys", "StorySlider"),
        Story._meta.get_field("gemeente").related_model,
        apps.get_model("taggit", "Tag"),
        apps.get_model("taggit", "TaggedItem"),
    ]
    for model in watched:
        post_save.connect(_on_change, sender=model, dispatch_uid=f"story-tally-{model}-save")
        post_delete.connect(_on_change, sender=model, dispatch_uid=f"story-tally-{model}-del")
    m2m_changed.connect(
        _on_change, sender=Story.signifiers.through, dispatch_uid="story-tally-signifiers"
    )
    post_migrate.connect(_on_change, dispatch_uid="story-tally-migrate")
