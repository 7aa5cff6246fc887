"""The composer of the foto and the reisverslag: the cycle's material beside the report's
sections; picking, ordering, commenting and taking out, all as plain form posts."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from journeys import method, services
from journeys.models import Journey, PhaseResult
from journeys.reports import compose, material
from journeys.reports import services as reports
from journeys.reports.models import ReportItem
from journeys.views.common import journey_action, journey_view
from journeys.views.results import _cycle_of

Kind = PhaseResult.Kind


def composer_url(journey: Journey, kind_slug: str, cycle: int, anchor: str = "") -> str:
    url = reverse("journeys:report_compose", kwargs={"slug": journey.slug, "kind_slug": kind_slug})
    return f"{url}?cyclus={cycle}" + (f"#{anchor}" if anchor else "")


def _result(journey: Journey, kind_slug: str, request: HttpRequest) -> PhaseResult:
    kind = method.KIND_BY_SLUG[kind_slug]
    return services.result_for(journey, kind, _cycle_of(request, journey, kind))


@journey_view
def compose_view(request: HttpRequest, journey: Journey, access, kind_slug: str) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    _require_composer(access)
    result = _result(journey, kind_slug, request)
    report = compose.build(result)
    picked = {
        (entry.kind, _key(entry.item))
        for section in report.sections
        for entry in [*section.entries, *section.left_out]
    }
    sections = method.RESULT_SECTIONS[result.kind]
    return render(
        request,
        "journeys/reports/compose.html",
        {
            "journey": journey,
            "access": access,
            "tab": kind_slug,
            "kind_slug": kind_slug,
            "kind_label": result.get_kind_display(),
            "cycle": result.cycle,
            "result": result,
            "report": report,
            "is_open": result.status == PhaseResult.Status.CONCEPT,
            "section_choices": [(s.key, s.label) for s in sections],
            "suggestions": material.suggestions(journey, result, picked),
        },
    )


def _key(item: ReportItem) -> str:
    if item.kind == ReportItem.Kind.INDICATOR:
        return item.indicator
    return str(getattr(item, f"{reports._field(item.kind)}_id"))


def _require_composer(access) -> None:
    # Before anything is looked up or made: a refused request changes nothing.
    if not access.can_contribute:
        raise PermissionDenied(
            _("Only reisbegeleiders, opdrachtgevers and reizigers compose the report.")
        )


@journey_action
def add(request: HttpRequest, journey: Journey, access, kind_slug: str) -> HttpResponse:
    _require_composer(access)
    result = _result(journey, kind_slug, request)
    item = reports.add_item(
        request.user,
        result,
        kind=request.POST.get("kind", ""),
        key=request.POST.get("key", "")[:200],
        section=request.POST.get("section", ""),
        comment=request.POST.get("comment", ""),
    )
    messages.success(
        request,
        _("Added to the section “%(section)s”.") % {"section": _label(result, item.section)},
    )
    return redirect(composer_url(journey, kind_slug, result.cycle, f"sectie-{item.section}"))


@journey_action
def change(request: HttpRequest, journey: Journey, access, kind_slug: str, pk: int) -> HttpResponse:
    _require_composer(access)
    result = _result(journey, kind_slug, request)
    item = get_object_or_404(ReportItem, pk=pk, result=result)
    action = request.POST.get("action", "")
    if action == "remove":
        reports.remove_item(request.user, item)
        messages.success(request, _("Taken out of the report."))
        return redirect(composer_url(journey, kind_slug, result.cycle, f"sectie-{item.section}"))
    if action in ("up", "down"):
        item = reports.move_item(request.user, item, direction=action)
    elif action == "section":
        item = reports.move_item(request.user, item, section=request.POST.get("section", ""))
        messages.success(
            request, _("Moved to “%(section)s”.") % {"section": _label(result, item.section)}
        )
    elif action == "comment":
        item = reports.comment_item(request.user, item, request.POST.get("comment", ""))
        messages.success(request, _("Comment saved."))
    else:
        raise Http404
    return redirect(composer_url(journey, kind_slug, result.cycle, f"item-{item.pk}"))


def _label(result: PhaseResult, key: str) -> str:
    return next(str(s.label) for s in method.RESULT_SECTIONS[result.kind] if s.key == key)
