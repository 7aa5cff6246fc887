"""The PDF of a foto or reisverslag: asking for it, following its progress, downloading
it. Members of the journey (any role) and staff; others who can see the journey get 403,
those who cannot see it 404. The work is in journeys/reports/exports.py."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from journeys import method
from journeys.models import Journey, PhaseResult
from journeys.reports import exports, pdf
from journeys.reports.models import ReportExport
from journeys.services import RuleViolation
from journeys.views.common import journey_action, journey_view
from journeys.views.results import _cycle_of, _result_url

Status = ReportExport.Status
POLL_SECONDS = 2


def status_url(journey: Journey, kind_slug: str, export: ReportExport) -> str:
    return reverse(
        "journeys:report_pdf_status",
        kwargs={"slug": journey.slug, "kind_slug": kind_slug, "pk": export.pk},
    )


@journey_action(members_only=False)
def request_pdf(request: HttpRequest, journey: Journey, access, kind_slug: str) -> HttpResponse:
    """POST (with `cyclus`): queue a PDF of the report, then follow it on its status page."""
    kind = method.KIND_BY_SLUG[kind_slug]
    if not (access.is_member or access.is_staff):
        # Before anything is looked up or made: a refused request changes nothing.
        raise PermissionDenied(exports.refused_message())
    cycle = _cycle_of(request, journey, kind)
    result = (
        PhaseResult.objects.filter(journey=journey, kind=kind, cycle=cycle)
        .select_related("journey", "latest_revision", "approved_revision", "approved_by")
        .first()
    )
    if result is None:
        raise RuleViolation(exports.empty_message(PhaseResult.Kind(kind).label))
    before = result.exports.order_by("-pk").values_list("pk", flat=True).first()
    export = exports.request_export(request.user, result)
    export.refresh_from_db()  # the immediate task backend has made it already
    if before is None or export.pk > before:
        if export.status in exports.ACTIVE:
            messages.success(request, _("The PDF is being made."))
        # Made or failed: the status page says so.
    elif export.status == Status.DONE:
        messages.info(request, _("A PDF of the report as it reads now is ready."))
    else:
        messages.info(request, _("A PDF of this report is already being made."))
    return redirect(status_url(journey, kind_slug, export))


def _export(request, journey: Journey, access, kind_slug: str, pk: int) -> ReportExport:
    if not (access.is_member or access.is_staff):
        raise PermissionDenied(exports.refused_message())
    return get_object_or_404(
        ReportExport.objects.select_related(
            "result__journey",
            "result__latest_revision",
            "result__approved_revision",
            "result__approved_by",
        ),
        pk=pk,
        result__journey=journey,
        result__kind=method.KIND_BY_SLUG[kind_slug],
    )


@journey_view
def status(request: HttpRequest, journey: Journey, access, kind_slug: str, pk: int) -> HttpResponse:
    """How far the PDF is; refreshes itself every POLL_SECONDS while it is being made
    (htmx, or a meta refresh without JavaScript), then offers the download."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    export = _export(request, journey, access, kind_slug, pk)
    result = export.result
    waiting = export.status in exports.ACTIVE
    current = exports.is_current(export) if export.status == Status.DONE else False
    size = None
    if current:
        try:
            size = export.file.size
        except OSError:  # the file went: offer a new PDF instead
            current = False
    response = render(
        request,
        "journeys/reports/pdf_status.html",
        {
            "journey": journey,
            "access": access,
            "tab": kind_slug,
            "kind_slug": kind_slug,
            "kind_label": result.get_kind_display(),
            "cycle": result.cycle,
            "result": result,
            "export": export,
            "step_label": exports.step_label(export),
            "waiting": waiting,
            "current": current,
            "size": size,
            "poll_seconds": POLL_SECONDS,
            "file_name": pdf.file_name(result),
            "report_url": _result_url(journey, kind_slug, result.cycle),
            "status_url": status_url(journey, kind_slug, export),
        },
    )
    if request.htmx and not waiting:
        response.status_code = 286  # htmx: stop asking, the PDF is made (or failed)
    return response


@journey_view
def download(
    request: HttpRequest, journey: Journey, access, kind_slug: str, pk: int
) -> HttpResponse:
    """The PDF itself, as an attachment. Only while it still shows the report as it
    reads now: a story withdrawn since leaves the PDF too."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    export = _export(request, journey, access, kind_slug, pk)
    if export.status != Status.DONE or not export.file:
        messages.info(request, _("This PDF is not ready yet."))
        return redirect(status_url(journey, kind_slug, export))
    if not exports.is_current(export):
        messages.warning(
            request,
            _("The report has changed since this PDF was made. Make a new PDF."),
        )
        return redirect(status_url(journey, kind_slug, export))
    try:
        handle = export.file.open("rb")
    except FileNotFoundError:
        messages.error(request, _("The file of this PDF is gone. Make a new PDF."))
        return redirect(status_url(journey, kind_slug, export))
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=pdf.file_name(export.result),
        content_type="application/pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    patch_cache_control(response, private=True, no_store=True)
    return response
