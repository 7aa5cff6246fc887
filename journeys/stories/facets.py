"""The archive's filters, search and facet counts, read from and written to the URL
(GET parameters), so a filtered view can be shared by its address.

Every count starts from journeys.stories.queries.visible_stories(user): a story the
user may not see is never counted. A facet's counts apply every other filter but its
own, so the number beside a choice is exactly the number of stories that choosing it
shows (one value per facet at a time). The counting is journeys.stories.tally's.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace
from urllib.parse import quote_plus, urlencode

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from community.search import engine_ids
from journeys.models import Story
from journeys.stories.tally import Tally

MAX_QUERY = 200
SEARCH_LIMIT = 1000
RANKED_WINDOW = 2 * SEARCH_LIMIT
WORD = re.compile(r"\w+", re.UNICODE)
# Written in capitals these are search operators, not words.
OPERATORS = {"AND", "OR", "NOT", "NEAR"}

SORTS = {
    "nieuw": (gettext_lazy("newest first"), ["-created_at", "-pk"]),
    "oud": (gettext_lazy("oldest first"), ["created_at", "pk"]),
    "gebeurd": (gettext_lazy("by when it happened"), ["-year", "-happened_on", "-pk"]),
    "titel": (gettext_lazy("by title"), ["title", "pk"]),
}
RELEVANCE = "relevantie"

# The facet keys as they appear in the address, in the order the page shows them.
FACETS = ["perspectief", "thema", "gemeente", "reis", "betekenis", "jaar"]
FACET_LABELS = {
    "perspectief": gettext_lazy("Perspective"),
    "thema": gettext_lazy("Theme"),
    "gemeente": gettext_lazy("Municipality"),
    "reis": gettext_lazy("Journey"),
    "betekenis": gettext_lazy("What it meant"),
    "jaar": gettext_lazy("Year"),
}


@dataclass
class Filters:
    q: str = ""
    perspectief: str = ""
    thema: str = ""
    gemeente: str = ""
    reis: str = ""
    betekenis: str = ""
    jaar: str = ""
    sortering: str = ""
    errors: list[str] = field(default_factory=list)

    @property
    def terms(self) -> str:
        """The words of the query, without search operators or punctuation."""
        return " ".join(w for w in WORD.findall(self.q) if w not in OPERATORS)

    @property
    def has_query(self) -> bool:
        return bool(self.q)

    @property
    def sort(self) -> str:
        if self.sortering in SORTS:
            return self.sortering
        if self.sortering == RELEVANCE and self.terms:
            return RELEVANCE
        return RELEVANCE if self.terms else "nieuw"

    def active(self) -> dict[str, str]:
        return {key: getattr(self, key) for key in FACETS if getattr(self, key)}

    def params(self, **changes) -> dict[str, str]:
        """The address parameters of this view, with `changes` (an empty value drops it)."""
        values = {"q": self.q, **self.active(), "sortering": self.sortering}
        values.update(changes)
        return {key: value for key, value in values.items() if value}

    def query(self, **changes) -> str:
        return urlencode(self.params(**changes))

    def choice_url(self, key: str):
        """value -> "?" + query(key=value): the address around the value is encoded once,
        as a facet may list hundreds of choices."""
        placeholder = "\x00"
        values = {"q": self.q, **self.active(), "sortering": self.sortering}
        values[key] = placeholder
        encoded = urlencode({k: v for k, v in values.items() if v})
        before, after = encoded.split(f"{quote_plus(key)}={quote_plus(placeholder)}")
        return lambda value: f"?{before}{quote_plus(key)}={quote_plus(value)}{after}"

    @property
    def is_filtered(self) -> bool:
        return bool(self.q or self.active())


def parse(data, *, journey_fixed: bool = False) -> Filters:
    """The filters from GET parameters. Nonsense is dropped with a message, never an
    error page: a query that is too long or has no words finds nothing and says why."""
    get = data.get
    filters = Filters(
        q=" ".join((get("q") or "").split()),
        perspectief=get("perspectief") or "",
        thema=" ".join((get("thema") or "").split())[:100],
        gemeente=get("gemeente") or "",
        reis="" if journey_fixed else (get("reis") or "")[:100],
        betekenis=(get("betekenis") or "")[:100],
        jaar=get("jaar") or "",
        sortering=get("sortering") or "",
    )
    if filters.perspectief not in Story.Perspective.values:
        filters.perspectief = ""
    if not filters.gemeente.isdigit():
        filters.gemeente = ""
    if not (filters.jaar.isdigit() and len(filters.jaar) == 4):
        filters.jaar = ""
    if filters.sortering not in (*SORTS, RELEVANCE):
        filters.sortering = ""
    if len(filters.q) > MAX_QUERY:
        filters.errors.append(
            _("Search with at most %(max)s characters; this search has %(length)s.")
            % {"max": MAX_QUERY, "length": len(filters.q)}
        )
    elif filters.q and not filters.terms:
        filters.errors.append(_("Search for a word: signs alone find nothing."))
    return filters


def without(filters: Filters, key: str | None) -> Filters:
    return replace(filters, **{key: ""}) if key else filters


def apply(stories: QuerySet[Story], filters: Filters) -> QuerySet[Story]:
    """The facet filters (not the search) on `stories`. Themes and signifiers go through
    a subquery, so a story with several never counts twice."""
    if filters.perspectief:
        stories = stories.filter(perspective=filters.perspectief)
    if filters.thema:
        stories = stories.filter(
            pk__in=Story.objects.filter(themes__name__iexact=filters.thema).values("pk")
        )
    if filters.gemeente:
        stories = stories.filter(gemeente_id=int(filters.gemeente))
    if filters.reis:
        stories = stories.filter(journey__slug=filters.reis)
    if filters.betekenis:
        stories = stories.filter(
            pk__in=Story.objects.filter(signifiers__slug=filters.betekenis).values("pk")
        )
    if filters.jaar:
        stories = stories.filter(year=int(filters.jaar))
    return stories


@dataclass
class Searched:
    """The stories matching the search (all of them without one), the engine's order of
    relevance (ids) when there was a search, and whether the engine failed."""

    stories: QuerySet[Story]
    ranked_ids: list[int] | None = None
    failed: bool = False


def search(stories: QuerySet[Story], filters: Filters) -> Searched:
    """Narrow `stories` (already limited to what the user may see) to the search. The
    engine only proposes ids; when it fails, a plain database filter takes over and the
    page says so."""
    if filters.errors:
        return Searched(stories.none())
    if not filters.q:
        return Searched(stories)
    terms = filters.terms
    # The most relevant among the newest matches: ranking every match of a common word
    # in a large archive is too slow. The caller's queryset decides what may be seen.
    ids = engine_ids(
        terms,
        Story.objects.filter(withdrawn_at__isnull=True),
        limit=SEARCH_LIMIT,
        recent_window=RANKED_WINDOW,
    )
    if ids is None:
        words = Q()
        for word in terms.split()[:10]:
            words &= Q(title__icontains=word) | Q(text__icontains=word) | Q(quote__icontains=word)
        return Searched(stories.filter(words), failed=True)
    return Searched(stories.filter(pk__in=ids), ranked_ids=ids)


@dataclass
class Choice:
    value: str
    label: str
    count: int
    url: str = ""
    selected: bool = False


@dataclass
class Facet:
    key: str
    label: str
    choices: list[Choice]
    selected_label: str = ""
    clear_url: str = ""
    kept_params: list[tuple[str, str]] = field(default_factory=list)  # all but this facet

    SHOWN = 8  # the most frequent choices; the rest behind "more"
    LISTED = 40  # up to this many more as links; beyond it, one list box to pick from

    @property
    def rest_as_links(self) -> bool:
        return len(self.rest) <= self.LISTED

    @property
    def first(self) -> list[Choice]:
        return self.choices[: self.SHOWN]

    @property
    def rest(self) -> list[Choice]:
        return self.choices[self.SHOWN :]

    @property
    def rest_selected(self) -> bool:
        return any(choice.selected for choice in self.rest)


def _ordered(key: str, counts: Counter) -> list[tuple[str, str, int]]:
    """(value, label, count) of one facet, most frequent first (perspectives, years and
    what it meant in their own order)."""
    if key == "perspectief":
        plain = {value: n for (value, _label, _order), n in counts.items()}
        return [(v, str(label), plain[v]) for v, label in Story.Perspective.choices if v in plain]
    rows = [(value, label, order, n) for (value, label, order), n in counts.items()]
    if key == "betekenis":
        rows.sort(key=lambda row: (row[2], row[1]))
    elif key == "jaar":
        rows.sort(key=lambda row: -int(row[0]))
    else:
        rows.sort(key=lambda row: (-row[3], row[1]))
    return [(value, label, n) for value, label, _order, n in rows]


def facets(tally: Tally, filters: Filters, *, keys: list[str] | None = None) -> list[Facet]:
    """The facets with their counts (journeys.stories.tally: over the stories the user
    may see, narrowed by the search, each facet with every filter but its own)."""
    result = []
    for key in keys or FACETS:
        current = getattr(filters, key)
        url = filters.choice_url(key)
        choices = [
            Choice(
                value=value,
                label=label,
                count=count,
                url=url(value),
                selected=value == current,
            )
            for value, label, count in _ordered(key, tally.facets.get(key, Counter()))
        ]
        selected = next((c.label for c in choices if c.selected), "")
        if current and not selected:
            # A filter that matches nothing any more (or never did) still shows, to clear.
            selected = current
        result.append(
            Facet(
                key=key,
                label=str(FACET_LABELS[key]),
                choices=choices,
                selected_label=selected,
                clear_url="?" + filters.query(**{key: ""}),
                kept_params=list(filters.params(**{key: ""}).items()),
            )
        )
    return result


def ranked(stories: QuerySet[Story], ranked_ids: list[int]) -> list[int]:
    """The ids of `stories` in the engine's order of relevance (one query)."""
    allowed = set(stories.values_list("pk", flat=True))
    return [pk for pk in ranked_ids if pk in allowed]
