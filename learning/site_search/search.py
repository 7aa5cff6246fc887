"""One search across every provider: the engine proposes ids, each type's permission
query decides what stays, the database answers when the engine does not.

Permissions are applied on our side, after the engine: the engine is asked for up to
MAX_HITS ids per type (narrowed only on filter fields, which every backend understands)
and the type's own query (journeys.queries.visible_to, readable_threads, visible_events,
the page restrictions) keeps the ones the user may see. So a stale index entry, a
journey that just became besloten or a backend without filters never leaks a hit, and
the counts are counts of visible hits only.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from community.search import engine_ids
from learning.site_search.highlight import excerpt, highlight, matcher
from learning.site_search.providers import Provider, Shown, contains_every_word, providers
from learning.site_search.terms import Terms

MAX_HITS = 1000  # per type


@dataclass
class Outcome:
    """The ids each type found (visible ones only, best first) and whether the engine
    failed (the database answered instead)."""

    found: dict[str, list[int]] = field(default_factory=dict)
    failed: bool = False

    def counts(self) -> dict[str, int]:
        return {key: len(ids) for key, ids in self.found.items()}

    @property
    def total(self) -> int:
        return sum(len(ids) for ids in self.found.values())

    def keys(self, kind: str | None = None) -> list[tuple[str, int]]:
        """(type, id) pairs in the order to show them: one type's in its own order, or
        all types interleaved (each type's best hit first, then each type's second, ...)."""
        if kind is not None:
            return [(kind, pk) for pk in self.found.get(kind, [])]
        columns = [[(key, pk) for pk in ids] for key, ids in self.found.items()]
        rows = itertools.zip_longest(*columns)
        return [pair for row in rows for pair in row if pair is not None]


@dataclass(frozen=True)
class Hit:
    kind: str
    label: str
    title: str  # highlighted, safe HTML
    url: str
    snippet: str  # highlighted, safe HTML
    date: object
    meta: str


def _engine_hits(provider: Provider, user, terms: Terms) -> list[int] | None:
    # Only the ids are needed: the engine's objects are never shown.
    searched = provider.engine_queryset().only("pk")
    ids = engine_ids(terms.query, searched, limit=MAX_HITS, operator="and")
    if ids is None:
        return None
    visible = provider.visible(user).filter(pk__in=ids).order_by()
    allowed = set(visible.values_list("pk", flat=True))
    return [pk for pk in ids if pk in allowed]


def _database_hits(provider: Provider, user, terms: Terms) -> list[int]:
    matching = provider.model._default_manager.filter(
        contains_every_word(terms.words, provider.fallback_fields)
    ).values("pk")
    return list(
        provider.visible(user)
        .filter(pk__in=matching)
        .order_by(provider.newest_first, "-pk")
        .values_list("pk", flat=True)[:MAX_HITS]
    )


def search(user, terms: Terms) -> Outcome:
    """Every type's visible hits for `terms`. Once the engine fails, the remaining types
    go straight to the database: a search never waits for an engine twice."""
    outcome = Outcome()
    if not terms:
        return outcome
    for provider in providers():
        ids = None
        if provider.indexed and not outcome.failed:
            ids = _engine_hits(provider, user, terms)
            outcome.failed = ids is None
        if ids is None:
            ids = _database_hits(provider, user, terms)
        outcome.found[provider.key] = ids
    return outcome


def load(keys: list[tuple[str, int]], terms: Terms) -> list[Hit]:
    """The hits for one page of keys, highlighted; one load per type on the page."""
    by_kind: dict[str, list[int]] = {}
    for kind, pk in keys:
        by_kind.setdefault(kind, []).append(pk)
    registry = {provider.key: provider for provider in providers()}
    objects: dict[tuple[str, int], object] = {}
    for kind, ids in by_kind.items():
        provider = registry[kind]
        page_objects = provider.model._default_manager.filter(pk__in=ids).order_by()
        for obj in provider.load(page_objects):
            objects[(kind, obj.pk)] = obj
    pattern = matcher(terms.words)
    hits = []
    for kind, pk in keys:
        obj = objects.get((kind, pk))
        if obj is None:  # gone since the search
            continue
        provider = registry[kind]
        shown: Shown = provider.render(obj)
        hits.append(
            Hit(
                kind=kind,
                label=str(provider.label),
                title=highlight(shown.title, pattern),
                url=shown.url,
                snippet=excerpt(shown.texts, pattern),
                date=shown.date,
                meta=shown.meta,
            )
        )
    return hits
