"""The kennisbank list at /kennisbank/: the werkzame elementen under the index page,
filtered by theme, opgave, doelgroep and evidence level, searched and paginated.

Search goes through Wagtail's search backend (the database by default, Meilisearch when
MEILISEARCH_URL is set). The backend only finds matching ids; what is listed is decided
here (live, public, under this index, the filters), so a search never shows a draft or
a private element. If the backend fails, a plain database filter takes over and the page
says so.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest
from taggit.models import Tag

from community.search import engine_ids
from learning.forms import KnowledgeFilterForm
from learning.models.knowledge import KnowledgeIndexPage, WorkingElementPage

PAGE_SIZE = 12
PAGE_PARAM = "pagina"

# form field -> (tag relation on WorkingElementPage, related name of Tag's through rows)
TAG_FILTERS = {
    "thema": ("themes", "learning_workingelementtheme_items"),
    "opgave": ("challenges", "learning_workingelementchallenge_items"),
    "doelgroep": ("target_groups", "learning_workingelementtargetgroup_items"),
}


def listed_elements(page: KnowledgeIndexPage):
    """The werkzame elementen anyone may see under this index: live and public."""
    return WorkingElementPage.objects.live().public().descendant_of(page)


def _tags_in_use(elements, through_items: str) -> list[tuple[str, str]]:
    """(slug, name) of the tags that the given elements carry, by name."""
    return list(
        Tag.objects.filter(**{f"{through_items}__content_object__in": elements})
        .values_list("slug", "name")
        .distinct()
        .order_by("name")
    )


def search_ids(term: str) -> tuple[list[int] | None, bool]:
    """(ids of matching live elements, most relevant first; whether the engine failed).
    On failure the ids are None and the caller falls back to a database filter."""
    ids = engine_ids(term, WorkingElementPage.objects.live())
    return ids, ids is None


def _database_search(elements, term: str):
    return elements.filter(
        Q(title__icontains=term)
        | Q(summary__icontains=term)
        | Q(mechanism__icontains=term)
        | Q(target_group__icontains=term)
        | Q(context__icontains=term)
    )


def _with_tags(elements):
    return elements.prefetch_related("themes", "challenges", "target_groups")


def index_context(page: KnowledgeIndexPage, request: HttpRequest) -> dict:
    listed = listed_elements(page)
    form = KnowledgeFilterForm(
        request.GET or None,
        themes=_tags_in_use(listed, TAG_FILTERS["thema"][1]),
        challenges=_tags_in_use(listed, TAG_FILTERS["opgave"][1]),
        target_groups=_tags_in_use(listed, TAG_FILTERS["doelgroep"][1]),
    )
    elements = listed
    search_failed = False
    ranked_ids: list[int] | None = None
    if form.is_bound:
        form.is_valid()
        # An unknown value in one filter (an old or hand-made link) is reported on that
        # field; the filters that are valid still apply.
        data = form.cleaned_data
        for name, (relation, _through_items) in TAG_FILTERS.items():
            if data.get(name):
                elements = elements.filter(**{f"{relation}__slug": data[name]})
        if data.get("niveau"):
            elements = elements.filter(evidence_level=data["niveau"])
        term = (data.get("q") or "").strip()
        if term:
            ids, search_failed = search_ids(term)
            if search_failed:
                # The "search engine unreachable" notice must not outlive the outage
                # in the anonymous page cache.
                request.page_cache_public = False
            if ids is None:
                elements = _database_search(elements, term)
            else:
                allowed = set(elements.filter(pk__in=ids).values_list("pk", flat=True))
                ranked_ids = [pk for pk in ids if pk in allowed]

    if ranked_ids is None:
        paginator = Paginator(_with_tags(elements.order_by("title", "pk")), PAGE_SIZE)
        result_page = paginator.get_page(request.GET.get(PAGE_PARAM))
    else:
        # Most relevant first: paginate the ids, then fetch only the shown elements.
        paginator = Paginator(ranked_ids, PAGE_SIZE)
        result_page = paginator.get_page(request.GET.get(PAGE_PARAM))
        by_pk = _with_tags(WorkingElementPage.objects.filter(pk__in=result_page.object_list))
        by_pk = {element.pk: element for element in by_pk}
        result_page.object_list = [by_pk[pk] for pk in result_page.object_list if pk in by_pk]

    query = request.GET.copy()
    query.pop(PAGE_PARAM, None)
    return {
        "form": form,
        "page_of_elements": result_page,
        "elements": result_page.object_list,
        "searching": ranked_ids is not None or search_failed,
        "search_failed": search_failed,
        "invalid_filters": form.is_bound and not form.is_valid(),
        "query": query.urlencode(),
        "filtered": any(value for key, value in request.GET.items() if key != PAGE_PARAM),
    }
