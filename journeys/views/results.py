"""The phase results: reading, editing (with conflict protection), versions and their
differences, submitting and approving; and the foto's data points and documents."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from journeys import method, services
from journeys.diff import result_diff
from journeys.forms import DataPointForm, DocumentForm, ResultForm
from journeys.models import DataPoint, Journey, LensDocument, PhaseResult
from journeys.reports import compose, exports, indicator_import
from journeys.reports.services import COMPOSED_KINDS
from journeys.views.common import journey_action, journey_view

Kind = PhaseResult.Kind


def _cycle_of(request: HttpRequest, journey: Journey, kind: str) -> int:
    """The cycle asked for (?cyclus=), else the latest cycle that has this result."""
    asked = request.GET.get("cyclus") or request.POST.get("cyclus")
    if asked:
        try:
            cycle = int(asked)
        except ValueError:
            raise Http404 from None
        if not 1 <= cycle <= journey.cycle:
            raise Http404
        return cycle
    latest = (
        PhaseResult.objects.filter(journey=journey, kind=kind)
        .order_by("-cycle")
        .values_list("cycle", flat=True)
        .first()
    )
    if latest:
        return latest
    return 1 if kind in (Kind.OPDRACHT, Kind.FOTO) else journey.cycle


def _result_url(journey: Journey, kind_slug: str, cycle: int, name: str = "journeys:result") -> str:
    url = reverse(name, kwargs={"slug": journey.slug, "kind_slug": kind_slug})
    return f"{url}?cyclus={cycle}"


def _find_result(journey: Journey, kind: str, cycle: int) -> PhaseResult | None:
    return (
        PhaseResult.objects.filter(journey=journey, kind=kind, cycle=cycle)
        .select_related("latest_revision__author", "approved_revision__author", "approved_by")
        .first()
    )


@journey_view
def detail(request: HttpRequest, journey: Journey, access, kind_slug: str) -> HttpResponse:
    kind = method.KIND_BY_SLUG[kind_slug]
    cycle = _cycle_of(request, journey, kind)
    result = _find_result(journey, kind, cycle)
    content = result.content if result else {}
    sections = [
        {"key": s.key, "label": s.label, "text": content.get(s.key, "")}
        for s in method.RESULT_SECTIONS[kind]
    ]
    context = {
        "journey": journey,
        "access": access,
        "tab": kind_slug,
        "kind": kind,
        "kind_label": Kind(kind).label,
        "kind_slug": kind_slug,
        "cycle": cycle,
        "cycles": list(
            PhaseResult.objects.filter(journey=journey, kind=kind)
            .order_by("cycle")
            .values_list("cycle", flat=True)
        ),
        "result": result,
        "sections": sections,
        "is_current": kind == journey.result_kind and cycle == journey.cycle,
        "phase_label": Journey.Phase(method.PHASE_OF_RESULT[kind]).label,
        "composable": kind in COMPOSED_KINDS,
    }
    if kind == Kind.FOTO:
        context.update(_foto_context(journey, access, cycle))
    if result is not None and kind in COMPOSED_KINDS:
        context["report"] = report = compose.build(result)
        context["sections"] = report.sections
        context["may_export"] = access.is_member or access.is_staff
        context["latest_export"] = exports.latest_for(result) if context["may_export"] else None
    return render(request, "journeys/result.html", context)


def _foto_context(journey, access, cycle, *, data_form=None, document_form=None) -> dict:
    points = list(journey.data_points.filter(cycle=cycle))
    documents = list(journey.documents.filter(cycle=cycle))
    lenses = [
        {
            "key": lens.key,
            "label": lens.label,
            "points": [p for p in points if p.lens == lens.key],
            "documents": [d for d in documents if d.lens == lens.key],
        }
        for lens in method.FOTO_LENSES
    ]
    return {
        "lenses": lenses,
        "data_form": data_form or (DataPointForm() if access.can_contribute else None),
        "document_form": document_form or (DocumentForm() if access.can_contribute else None),
    }


@journey_view
def edit(request: HttpRequest, journey: Journey, access, kind_slug: str) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not access.can_contribute:
        raise PermissionDenied(
            _("Only reisbegeleiders, opdrachtgevers and reizigers edit results.")
        )
    kind = method.KIND_BY_SLUG[kind_slug]
    cycle = _cycle_of(request, journey, kind)
    # A result can be prepared before its phase starts: make it on first edit, then
    # read it back with its revisions' authors in one query.
    services.result_for(journey, kind, cycle)
    result = _find_result(journey, kind, cycle)
    conflict = None
    if request.method == "POST":
        form = ResultForm(request.POST, kind=kind)
        if form.is_valid():
            try:
                services.save_result(
                    request.user,
                    result,
                    content=form.content(),
                    base_revision_id=form.cleaned_data["base_revision"],
                    note=form.cleaned_data["note"],
                )
            except services.ResultChanged as changed:
                conflict = changed
                # Keep the user's text in the form, now based on the newest revision,
                # so a second save after combining the two goes through.
                data = request.POST.copy()
                data["base_revision"] = changed.current.pk if changed.current else ""
                form = ResultForm(data, kind=kind)
                form.is_valid()
            else:
                messages.success(request, _("Saved."))
                return redirect(_result_url(journey, kind_slug, cycle))
    else:
        initial = dict(result.content)
        initial["base_revision"] = result.latest_revision_id
        form = ResultForm(initial=initial, kind=kind)
    current_sections = []
    if conflict and conflict.current:
        current_sections = [
            {"label": s.label, "text": conflict.current.content.get(s.key, "")}
            for s in method.RESULT_SECTIONS[kind]
        ]
    return render(
        request,
        "journeys/result_edit.html",
        {
            "journey": journey,
            "access": access,
            "tab": kind_slug,
            "kind_label": Kind(kind).label,
            "kind_slug": kind_slug,
            "cycle": cycle,
            "result": result,
            "form": form,
            "conflict": conflict,
            "conflict_revision": conflict.current if conflict else None,
            "current_sections": current_sections,
        },
        status=409 if conflict else 200,
    )


@journey_view
def history(request: HttpRequest, journey: Journey, access, kind_slug: str) -> HttpResponse:
    kind = method.KIND_BY_SLUG[kind_slug]
    cycle = _cycle_of(request, journey, kind)
    result = _find_result(journey, kind, cycle)
    revisions = list(result.revisions.select_related("author")) if result else []
    return render(
        request,
        "journeys/result_history.html",
        {
            "journey": journey,
            "access": access,
            "tab": kind_slug,
            "kind_label": Kind(kind).label,
            "kind_slug": kind_slug,
            "cycle": cycle,
            "result": result,
            "revisions": revisions,
        },
    )


@journey_view
def diff(request: HttpRequest, journey: Journey, access, kind_slug: str) -> HttpResponse:
    kind = method.KIND_BY_SLUG[kind_slug]
    cycle = _cycle_of(request, journey, kind)
    result = _find_result(journey, kind, cycle)
    if result is None:
        raise Http404
    revisions = {r.number: r for r in result.revisions.select_related("author")}
    try:
        old = revisions[int(request.GET.get("van", ""))]
        new = revisions[int(request.GET.get("naar", ""))]
    except (KeyError, ValueError):
        messages.error(request, _("Choose two versions to compare."))
        return redirect(_result_url(journey, kind_slug, cycle, "journeys:result_history"))
    if old.number > new.number:
        old, new = new, old
    return render(
        request,
        "journeys/result_diff.html",
        {
            "journey": journey,
            "access": access,
            "tab": kind_slug,
            "kind_label": Kind(kind).label,
            "kind_slug": kind_slug,
            "cycle": cycle,
            "old": old,
            "new": new,
            "sections": result_diff(kind, old.content, new.content),
        },
    )


def _result_or_404(journey: Journey, kind_slug: str, request: HttpRequest) -> PhaseResult:
    kind = method.KIND_BY_SLUG[kind_slug]
    result = _find_result(journey, kind, _cycle_of(request, journey, kind))
    if result is None:
        raise Http404
    return result


@journey_action
def submit(request: HttpRequest, journey: Journey, access, kind_slug: str) -> HttpResponse:
    result = _result_or_404(journey, kind_slug, request)
    services.submit_result(request.user, result)
    messages.success(
        request,
        _("The %(kind)s is now ter vaststelling: the opdrachtgever can approve it.")
        % {"kind": result.get_kind_display()},
    )
    return redirect(_result_url(journey, kind_slug, result.cycle))


@journey_action
def approve(request: HttpRequest, journey: Journey, access, kind_slug: str) -> HttpResponse:
    result = _result_or_404(journey, kind_slug, request)
    try:
        revision_id = int(request.POST.get("revision", ""))
    except ValueError:
        revision_id = -1
    services.approve_result(request.user, result, revision_id=revision_id)
    messages.success(
        request,
        _("The %(kind)s is vastgesteld.") % {"kind": result.get_kind_display()},
    )
    return redirect(_result_url(journey, kind_slug, result.cycle))


@journey_action
def send_back(request: HttpRequest, journey: Journey, access, kind_slug: str) -> HttpResponse:
    result = _result_or_404(journey, kind_slug, request)
    services.return_result(request.user, result, note=request.POST.get("note", "")[:2000])
    messages.success(
        request, _("The %(kind)s is back in concept.") % {"kind": result.get_kind_display()}
    )
    return redirect(_result_url(journey, kind_slug, result.cycle))


def _foto_form_error(request, journey, access, **forms) -> HttpResponse:
    cycle = _cycle_of(request, journey, Kind.FOTO)
    result = _find_result(journey, Kind.FOTO, cycle)
    content = result.content if result else {}
    context = {
        "journey": journey,
        "access": access,
        "tab": "foto",
        "kind": Kind.FOTO,
        "kind_label": Kind.FOTO.label,
        "kind_slug": "foto",
        "cycle": cycle,
        "cycles": [cycle],
        "result": result,
        "sections": [
            {"key": s.key, "label": s.label, "text": content.get(s.key, "")}
            for s in method.FOTO_LENSES
        ],
        "is_current": journey.result_kind == Kind.FOTO,
        "phase_label": Journey.Phase.VERKENNEN.label,
        **_foto_context(journey, access, cycle, **forms),
    }
    return render(request, "journeys/result.html", context, status=400)


@journey_action
def add_data_point(request: HttpRequest, journey: Journey, access) -> HttpResponse:
    form = DataPointForm(request.POST)
    if not form.is_valid():
        return _foto_form_error(request, journey, access, data_form=form)
    cycle = _cycle_of(request, journey, Kind.FOTO)
    # The same checks as the data page and the import: one unit per indicator, no
    # future dates, one figure per indicator and day.
    indicator_import.add_data_point(request.user, journey, cycle=cycle, **form.cleaned_data)
    messages.success(request, _("The figure has been added to the foto."))
    return redirect(_result_url(journey, "foto", cycle) + "#lens-" + form.cleaned_data["lens"])


@journey_action
def add_document(request: HttpRequest, journey: Journey, access) -> HttpResponse:
    form = DocumentForm(request.POST)
    if not form.is_valid():
        return _foto_form_error(request, journey, access, document_form=form)
    cycle = _cycle_of(request, journey, Kind.FOTO)
    services.add_document(request.user, journey, cycle=cycle, **form.cleaned_data)
    messages.success(request, _("The document has been added to the foto."))
    return redirect(_result_url(journey, "foto", cycle) + "#lens-" + form.cleaned_data["lens"])


@journey_action
def remove_item(
    request: HttpRequest, journey: Journey, access, item_kind: str, pk: int
) -> HttpResponse:
    model = {"data": DataPoint, "documenten": LensDocument}.get(item_kind)
    if model is None:
        raise Http404
    item = get_object_or_404(model, pk=pk, journey=journey)
    services.remove_linked_item(request.user, item)
    messages.success(request, _("Removed from the foto."))
    return redirect(reverse("journeys:result", args=[journey.slug, "foto"]))
