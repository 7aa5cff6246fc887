"""wagtail-meilisearch 1.1, with what it lacks for this platform.

Selected by config.settings.components.search_backends when MEILISEARCH_URL is set
(BACKEND "learning.site_search.meilisearch_backend"). What it adds to the stock backend:

- Timeouts. The stock client waits for ever. Searches here give up after SEARCH_TIMEOUT
  (connect, read) seconds, 0.3 s to connect by default, so an unreachable server sends
  the search to the database fallback at once; index updates get INDEX_TIMEOUT.
- Filters in the engine. The stock backend ignores the queryset's filters in
  Meilisearch and applies them in the database to the window of ids it got back, so a
  search narrowed to live pages could fill its window with drafts. Here the queryset's
  filters on index.FilterField fields become a Meilisearch filter expression (=, IN,
  IS EMPTY), values quoted and escaped; what cannot be expressed (comparisons, prefixes,
  related fields) is left out of the expression, and the database filters the window
  again either way. Permissions are never left to the engine: see
  learning/site_search/search.py.
- Facets under the same filters: `facet()` counts only documents that pass them.
- "and": a search with operator="and" asks Meilisearch for every word
  (matchingStrategy "all"); only the hits the page can show are fetched.

The filters need the indexes' filterable attributes, which `manage.py update_index`
sets from the models' search_fields: run it after deploying a change to them.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from typing import Any

import meilisearch
from django.db.models import Case, When
from django.utils.functional import cached_property
from wagtail.search.index import FilterField
from wagtail.search.query import PlainText
from wagtail_meilisearch.backend import MeiliSearchBackend
from wagtail_meilisearch.query import (
    MeiliSearchAutocompleteQueryCompiler,
    MeiliSearchQueryCompiler,
)
from wagtail_meilisearch.results import MeiliSearchResults
from wagtail_meilisearch.utils import (
    get_index_label,
    prepare_value,
    ranked_ids_from_search_results,
)

SEARCH_TIMEOUT = (0.3, 1.0)  # seconds: to connect, to read
INDEX_TIMEOUT = (1.0, 10.0)
FILTER_SUFFIX = "_filter"


def quote(value: Any) -> str:
    """A filter value as Meilisearch reads it; the document holds prepare_value(value)."""
    return json.dumps(prepare_value(value), ensure_ascii=False)


# A filter Meilisearch cannot express: left out (the search widens), never None, which
# the base compiler would refuse.
UNEXPRESSED = ""


class FilterCompilerMixin:
    """Turns the queryset's filters into a Meilisearch filter expression, leaving out what
    cannot be expressed (the database still applies every filter to the hits)."""

    def _process_lookup(self, field_path, lookup, value):
        if len(field_path) != 1 or not isinstance(field_path[0], FilterField):
            return UNEXPRESSED  # across a relation: left to the database
        name = field_path[0].field_name + FILTER_SUFFIX
        if lookup == "isnull":
            return f"{name} IS EMPTY" if value else f"{name} IS NOT EMPTY"
        if lookup == "exact":
            if prepare_value(value) == "":  # None, False, 0 and "" are stored as ""
                return f"{name} IS EMPTY"
            return f"{name} = {quote(value)}"
        if lookup == "in":
            values = [prepare_value(item) for item in value]
            if not values or "" in values:
                return UNEXPRESSED
            return f"{name} IN [{', '.join(quote(item) for item in values)}]"
        # Comparisons: documents hold strings, which Meilisearch does not compare.
        return UNEXPRESSED

    def _process_match_none(self):
        return UNEXPRESSED

    def _connect_filters(self, filters, connector, negated):
        if connector == "AND":
            parts = [part for part in filters if part]  # a missing part only widens
        else:
            if not filters or not all(filters):
                return UNEXPRESSED
            parts = filters
        if not parts:
            return UNEXPRESSED
        expression = parts[0] if len(parts) == 1 else f" {connector} ".join(f"({p})" for p in parts)
        if negated:
            # NOT of a widened expression would narrow: only exact expressions are negated.
            if connector == "AND" and len(parts) != len(filters):
                return UNEXPRESSED
            return f"NOT ({expression})"
        return expression

    def meilisearch_filter(self) -> str | None:
        try:
            return self._get_filters_from_queryset() or None
        except Exception:  # an unsupported filter: the database applies it
            return None


class QueryCompiler(FilterCompilerMixin, MeiliSearchQueryCompiler):
    pass


class AutocompleteQueryCompiler(FilterCompilerMixin, MeiliSearchAutocompleteQueryCompiler):
    pass


class SearchResults(MeiliSearchResults):
    def _filter_expression(self, extra: list[str] | None = None) -> str | None:
        parts = [self.query_compiler.meilisearch_filter(), *(extra or [])]
        parts = [part for part in parts if part]
        if not parts:
            return None
        return " AND ".join(f"({part})" for part in parts)

    def _build_queries(self, models, terms, filters=None, operator="AND"):
        extra = [f"{field}{FILTER_SUFFIX} = {quote(value)}" for field, value in filters or []]
        expression = self._filter_expression(extra)
        labels = {get_index_label(model) for model in models}
        client = self.backend.search_client
        existing = client.get_indexes({"limit": 1000})["results"]
        query = self.query_compiler.query
        limit = self.stop if self.stop is not None else self.backend.query_limit
        queries = []
        for index in existing:
            if index.uid not in labels:
                continue
            params = {
                "indexUid": index.uid,
                "q": terms,
                **self.backend.search_params,
                "limit": limit,
            }
            if expression:
                params["filter"] = expression
            if isinstance(query, PlainText) and query.operator == "and":
                params["matchingStrategy"] = "all"
            queries.append(params)
        return queries

    def _do_search(self, filters=None, operator="AND"):
        queries = self._build_queries(self.models, self.query_string, filters, operator)
        ranked = ranked_ids_from_search_results(
            self.backend.search_client.multi_search(queries) if queries else {"results": []}
        )
        scores = dict(ranked)
        window = [pk for pk, _ in ranked][self.start : self.stop]
        results = self.query_compiler.queryset.filter(pk__in=window)
        if self.query_compiler.order_by_relevance and window:
            results = results.annotate(
                search_rank=Case(*(When(pk=pk, then=scores[pk]) for pk in window), default=0.0)
            ).order_by("-search_rank")
        return results.distinct()

    def facet(self, field_name: str) -> OrderedDict:
        """Counts per value of a filter field among the documents that match the query
        and the queryset's filters (not yet the user's permissions: count visible hits
        in the database for that)."""
        attribute = f"{field_name}{FILTER_SUFFIX}"
        expression = self._filter_expression()
        counts: dict[str, int] = {}
        labels = {get_index_label(model) for model in self.models}
        client = self.backend.search_client
        for index in client.get_indexes({"limit": 1000})["results"]:
            if index.uid not in labels:
                continue
            params: dict[str, Any] = {"facets": [attribute], "limit": 0}
            if expression:
                params["filter"] = expression
            distribution = client.index(index.uid).search(self.query_string, params)
            for value, count in (
                distribution.get("facetDistribution", {}).get(attribute, {}).items()
            ):
                counts[value] = counts.get(value, 0) + count
        return OrderedDict(sorted(counts.items(), key=lambda item: item[1], reverse=True))


class SearchBackend(MeiliSearchBackend):
    query_compiler_class = QueryCompiler
    autocomplete_query_compiler_class = AutocompleteQueryCompiler
    results_class = SearchResults

    def _client_with(self, timeout) -> meilisearch.Client:
        return meilisearch.Client(
            "{}:{}".format(self.params["HOST"], self.params["PORT"]),
            self.params.get("MASTER_KEY") or None,
            timeout=timeout,
        )

    def _init_client(self) -> meilisearch.Client:
        # Index updates and /health/.
        return self._client_with(tuple(self.params.get("INDEX_TIMEOUT", INDEX_TIMEOUT)))

    @cached_property
    def search_client(self) -> meilisearch.Client:
        return self._client_with(tuple(self.params.get("SEARCH_TIMEOUT", SEARCH_TIMEOUT)))
