"""Site-wide search at /zoeken/: one box across every type the platform holds.

A small registry of providers (providers.py), one per type: what the engine searches,
the type's own permission query, how a hit is shown. search.py asks the search engine
(Wagtail's backend: the database by default, Meilisearch with MEILISEARCH_URL) for each
type's matches, keeps only what the user may see, falls back to the database when the
engine fails and merges the types into one result list. docs/search.md tells the whole
story and how to add a provider.
"""
