"""/zoeken/: the site-wide search page. Thin: the form checks the input, search.py
finds, the providers decide what each user may see."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from community.limits import SAFE, has_query, limited
from learning.site_search import search as site_search
from learning.site_search.forms import SiteSearchForm
from learning.site_search.providers import providers
from learning.site_search.terms import parse

PAGE_SIZE = 20


@limited("search", methods=SAFE, when=has_query)
@require_safe
def search(request: HttpRequest) -> HttpResponse:
    registered = providers()
    form = SiteSearchForm(request.GET or None, kinds=[p.key for p in registered])
    context = {"form": form, "term": "", "searched": False, "hits": [], "kinds": []}
    status = 200
    if form.is_bound and not form.is_valid():
        status = 400  # too long: the form says so, nothing is searched
    elif form.is_bound:
        terms = parse(form.cleaned_data["q"])
        kind = form.cleaned_data["soort"]
        context.update(term=terms.text, kind=kind, searched=bool(terms.text), no_words=False)
        if terms.text and not terms:
            context["no_words"] = True  # only punctuation or operators: nothing to look for
        elif terms:
            outcome = site_search.search(request.user, terms)
            page = Paginator(outcome.keys(kind), PAGE_SIZE).get_page(request.GET.get("pagina"))
            counts = outcome.counts()
            context.update(
                page=page,
                hits=site_search.load(list(page.object_list), terms),
                search_failed=outcome.failed,
                total=outcome.total,
                kinds=[
                    {"key": p.key, "label": p.label, "count": counts.get(p.key, 0)}
                    for p in registered
                ],
                query=_query(request, drop=("pagina",)),
                base_query=_query(request, drop=("pagina", "soort")),
            )
    return render(request, "learning/search/results.html", context, status=status)


def _query(request: HttpRequest, drop: tuple[str, ...]) -> str:
    query = request.GET.copy()
    for name in drop:
        query.pop(name, None)
    return query.urlencode()
