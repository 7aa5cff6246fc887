"""A journey's data page: its indicators as charts with tables, a figure entered by hand,
and the CSV import (upload, preview with every row's errors, confirm).

Between preview and confirm the file's text waits in the session under a one-time token;
confirming reads it again and checks every row against the journey as it is then, so a
re-posted or stale preview can never write anything the checks would refuse.
"""

from __future__ import annotations

import secrets

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from journeys.forms import DataPointForm
from journeys.models import Journey
from journeys.queries import Access
from journeys.reports import indicator_import, indicators
from journeys.reports.indicator_charts import chart_id
from journeys.reports.indicator_import import MAX_BYTES, ParsedImport
from journeys.services import RuleViolation
from journeys.views.common import journey_action, journey_view

SESSION_KEY = "indicator-import:{pk}"


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("CSV file"),
        widget=forms.FileInput(attrs={"accept": ".csv,text/csv"}),
        help_text=gettext_lazy(
            "Columns: indicator;waarde;eenheid;datum;bron, and optionally lens. UTF-8, at "
            "most 1 MB and 2,000 rows."
        ),
        error_messages={
            "required": gettext_lazy("Choose a CSV file."),
            "empty": gettext_lazy("The file is empty."),
        },
    )
    cycle = forms.TypedChoiceField(label=gettext_lazy("Cycle"), coerce=int)

    def __init__(self, *args, journey: Journey, **kwargs):
        super().__init__(*args, **kwargs)
        cycles = range(journey.cycle, 0, -1)
        field = self.fields["cycle"]
        field.choices = [(n, _("Cycle %(number)s") % {"number": n}) for n in cycles]
        field.initial = journey.cycle
        field.help_text = _("The cycle of the journey the figures belong to.")
        if journey.cycle == 1:
            field.widget = forms.HiddenInput()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(size)s. Split it and import the parts one by one.")
                % {"size": "1 MB"}
            )
        return upload


def _data_url(journey: Journey) -> str:
    return reverse("journeys:indicators", kwargs={"slug": journey.slug})


def _import_url(journey: Journey) -> str:
    return reverse("journeys:indicators_import", kwargs={"slug": journey.slug})


def _session_key(journey: Journey) -> str:
    return SESSION_KEY.format(pk=journey.pk)


def _contributors_only(request: HttpRequest, access: Access) -> HttpResponse | None:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not access.can_contribute:
        raise PermissionDenied(_("Only reisbegeleiders, opdrachtgevers and reizigers add data."))
    return None


# --- The data page ------------------------------------------------------------------------


def _render_data(
    request: HttpRequest,
    journey: Journey,
    access: Access,
    *,
    form: DataPointForm | None = None,
    status: int = 200,
) -> HttpResponse:
    entries = [
        {"series": series, "anchor": f"data-{chart_id(series.name)}"}
        for series in indicators.series_for(journey).values()
    ]
    if form is None and access.can_contribute:
        form = DataPointForm(initial={"lens": indicator_import.DEFAULT_LENS})
    return render(
        request,
        "journeys/reports/data.html",
        {
            "journey": journey,
            "access": access,
            "tab": "data",
            "entries": entries,
            "form": form,
        },
        status=status,
    )


@journey_view
def data(request: HttpRequest, journey: Journey, access: Access) -> HttpResponse:
    return _render_data(request, journey, access)


@journey_action
def add(request: HttpRequest, journey: Journey, access: Access) -> HttpResponse:
    if not access.can_contribute:
        raise PermissionDenied(_("Only reisbegeleiders, opdrachtgevers and reizigers add data."))
    form = DataPointForm(request.POST)
    if form.is_valid():
        try:
            point = indicator_import.add_data_point(
                request.user, journey, cycle=journey.cycle, **form.cleaned_data
            )
        except RuleViolation as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(
                request,
                _("The figure for “%(indicator)s” has been added.")
                % {"indicator": point.indicator},
            )
            return redirect(f"{_data_url(journey)}#data-{chart_id(point.indicator)}")
    return _render_data(request, journey, access, form=form, status=400)


# --- Importing ----------------------------------------------------------------------------


def _render_import(
    request: HttpRequest,
    journey: Journey,
    access: Access,
    *,
    form: ImportForm | None = None,
    parsed: ParsedImport | None = None,
    token: str = "",
    file_name: str = "",
    cycle: int | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "journeys/reports/data_import.html",
        {
            "journey": journey,
            "access": access,
            "tab": "data",
            "form": form or ImportForm(journey=journey),
            "parsed": parsed,
            "token": token,
            "file_name": file_name,
            "cycle": cycle,
            "max_rows": indicator_import.MAX_ROWS,
        },
        status=status,
    )


@journey_view
def import_file(request: HttpRequest, journey: Journey, access: Access) -> HttpResponse:
    """GET: the upload form. POST: read and check the file and show every row; a file
    without errors waits in the session for the confirmation."""
    refused = _contributors_only(request, access)
    if refused:
        return refused
    if request.method != "POST":
        return _render_import(request, journey, access)
    form = ImportForm(request.POST, request.FILES, journey=journey)
    if not form.is_valid():
        return _render_import(request, journey, access, form=form, status=400)
    upload = form.cleaned_data["file"]
    cycle = form.cleaned_data["cycle"]
    content = upload.read(MAX_BYTES + 1)
    parsed = indicator_import.parse_csv(journey, content)
    if parsed.file_errors:
        for error in parsed.file_errors:
            form.add_error("file", error)
        return _render_import(request, journey, access, form=form, status=400)
    file_name = (upload.name or "")[:120]
    token = ""
    if parsed.is_valid:
        token = secrets.token_urlsafe(24)
        request.session[_session_key(journey)] = {
            "token": token,
            "text": indicator_import.decode(content),
            "cycle": cycle,
            "name": file_name,
        }
    else:
        request.session.pop(_session_key(journey), None)
    return _render_import(
        request,
        journey,
        access,
        parsed=parsed,
        token=token,
        file_name=file_name,
        cycle=cycle,
        status=200 if parsed.is_valid else 400,
    )


@journey_action
def import_confirm(request: HttpRequest, journey: Journey, access: Access) -> HttpResponse:
    """Write the previewed file: read again from the session, checked again, all or none."""
    if not access.can_contribute:
        raise PermissionDenied(_("Only reisbegeleiders, opdrachtgevers and reizigers add data."))
    key = _session_key(journey)
    pending = request.session.get(key)
    token = request.POST.get("token", "")
    if not pending or not token or not secrets.compare_digest(pending.get("token", ""), token):
        messages.error(
            request,
            _(
                "This preview is no longer current (it was imported, replaced by another "
                "file or has expired). Nothing was imported; choose the file again."
            ),
        )
        return redirect(_import_url(journey))
    parsed = indicator_import.parse_csv(journey, pending["text"])
    if not parsed.is_valid:
        # The journey changed since the preview (someone added figures): show why.
        del request.session[key]
        return _render_import(
            request,
            journey,
            access,
            parsed=parsed,
            file_name=pending.get("name", ""),
            cycle=pending.get("cycle"),
            status=400,
        )
    points = indicator_import.import_data_points(
        request.user, journey, parsed.rows, cycle=pending.get("cycle")
    )
    del request.session[key]
    messages.success(
        request,
        ngettext(
            "%(count)s figure has been imported.",
            "%(count)s figures have been imported.",
            len(points),
        )
        % {"count": len(points)},
    )
    return redirect(_data_url(journey))


@journey_view
def example(request: HttpRequest, journey: Journey, access: Access) -> HttpResponse:
    """An example file with the right columns, to start from in a spreadsheet."""
    response = HttpResponse(
        ("\ufeff" + indicator_import.EXAMPLE_CSV).encode("utf-8"),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="voorbeeld-cijfers.csv"'
    return response
