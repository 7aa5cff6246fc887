"""PDF exports of a foto or reisverslag: asked for by a member of the journey (or staff),
made by the task queue, kept on the private storage and handed out by the download view.

request_export(actor, result) checks and queues; make_report_pdf(export_id) is the task.
An export moves wachtrij -> bezig (with its progress in percent and the step it is at)
-> klaar, or -> mislukt with a short message; the user never sees a server error.

A PDF shows the report as it stood when it was made. Its file name carries a digest of
the print document, so it is known whether the report still reads the same: a PDF of a
report that changed since (a story withdrawn by its teller, a new text) is not handed
out any more, and asking again makes a new one. At most KEEP exports per report remain.
"""

from __future__ import annotations

import logging
import re
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import task

from community.models import User
from journeys.models import PhaseResult
from journeys.queries import access_for
from journeys.reports import compose, pdf
from journeys.reports.models import ReportExport
from journeys.reports.services import COMPOSED_KINDS
from journeys.services import RuleViolation, _record

logger = logging.getLogger(__name__)

Status = ReportExport.Status
ACTIVE = (Status.QUEUED, Status.RUNNING)
KEEP = 3  # exports kept per report; older ones and their files go
# Waiting or being made for longer than this: the worker lost it. Asking again starts anew.
STALE_AFTER = timedelta(minutes=15)

# The steps of making a PDF: what `step` holds, with its progress and how it is shown.
GATHERING, LAYING_OUT, SAVING = "verzamelen", "opmaken", "opslaan"
STEPS = {
    GATHERING: (10, gettext_lazy("Gathering the report's content")),
    LAYING_OUT: (40, gettext_lazy("Laying out the pages")),
    SAVING: (90, gettext_lazy("Saving the PDF")),
}
DIGEST_LENGTH = 16
_DIGEST_IN_NAME = re.compile(rf"-([0-9a-f]{{{DIGEST_LENGTH}}})(?:_[A-Za-z0-9]+)?\.pdf$")


def may_export(actor: User, result: PhaseResult) -> bool:
    """Members of the journey (any role) and staff make PDFs of its reports."""
    if not actor.is_authenticated:
        return False
    access = access_for(actor, result.journey)
    return access.is_member or access.is_staff


def _require_may_export(actor: User, result: PhaseResult) -> None:
    if not may_export(actor, result):
        raise PermissionDenied(refused_message())


def refused_message() -> str:
    """Why someone who is not a member (nor staff) gets no PDF."""
    return _("Only members of this journey can make a PDF of its reports.")


def empty_message(result_kind_label: str) -> str:
    """Why a report with nothing in it gets no PDF."""
    return _(
        "%(kind)s: there is nothing in it yet. Write or add something first, then you "
        "can make a PDF of it."
    ) % {"kind": str(result_kind_label).capitalize()}


def step_label(export: ReportExport) -> str:
    """What the export is doing, for the status page."""
    if export.status == Status.QUEUED:
        return _("Waiting in the queue")
    if export.status == Status.DONE:
        return _("Ready")
    if export.status == Status.FAILED:
        return _("Failed")
    return str(STEPS[export.step][1]) if export.step in STEPS else _("Being made")


def digest_of(export: ReportExport) -> str:
    """The digest of the print document this export's file was made from ("" if none)."""
    match = _DIGEST_IN_NAME.search(export.file.name or "")
    return match.group(1) if match else ""


def is_current(export: ReportExport) -> bool:
    """A finished export that still shows the report as it reads now."""
    if export.status != Status.DONE or not export.file:
        return False
    html = pdf.render_html(export.result)
    return digest_of(export) == pdf.digest_of(html)[:DIGEST_LENGTH]


def latest_for(result: PhaseResult) -> ReportExport | None:
    """The newest export of `result`, for a link on the report page."""
    return result.exports.order_by("-created_at", "-pk").first()


def request_export(actor: User, result: PhaseResult) -> ReportExport:
    """A PDF of `result` as it reads now: a new export in the queue, or the one already
    waiting, being made or made of this report as it reads now."""
    _require_may_export(actor, result)
    if result.kind not in COMPOSED_KINDS:
        raise RuleViolation(_("Only the foto and the reisverslag can be made into a PDF."))
    report = compose.build(result)
    if report.is_empty:
        raise RuleViolation(empty_message(result.get_kind_display()))
    revision = result.latest_revision.number if result.latest_revision_id else None
    with transaction.atomic():
        # Serialises requests for one report: two clicks make one PDF.
        PhaseResult.objects.select_for_update().filter(pk=result.pk).first()
        _expire_stale(result)
        existing = list(
            result.exports.filter(
                revision_number=revision, status__in=[*ACTIVE, Status.DONE]
            ).order_by("-created_at", "-pk")
        )
        for export in existing:
            export.result = result
            if export.status in ACTIVE or is_current(export):
                return export
        export = ReportExport.objects.create(
            result=result, revision_number=revision, requested_by=actor
        )
        _record(
            actor,
            "journey.report_exported",
            result.journey,
            kind=result.kind,
            cycle=result.cycle,
            version=result.version,
            revision=revision,
            export=export.pk,
        )
        transaction.on_commit(partial(_enqueue, export.pk))
    return export


def _expire_stale(result: PhaseResult) -> None:
    cutoff = timezone.now() - STALE_AFTER
    with translation.override(settings.LANGUAGE_CODE):
        message = _("Making the PDF took too long. Try again.")
    result.exports.filter(status__in=ACTIVE, created_at__lt=cutoff).update(
        status=Status.FAILED, error=message, finished_at=timezone.now()
    )


def _enqueue(export_id: int) -> None:
    try:
        make_report_pdf.enqueue(export_id)
    except Exception:
        logger.exception("Could not queue the PDF export %s", export_id)
        _fail(export_id, _("The PDF could not be queued. Try again later."))


def _fail(export_id: int, message: str) -> None:
    ReportExport.objects.filter(pk=export_id).update(
        status=Status.FAILED, error=message[:250], finished_at=timezone.now()
    )


def _at(export_id: int, step: str) -> None:
    ReportExport.objects.filter(pk=export_id).update(
        status=Status.RUNNING, progress=STEPS[step][0], step=step
    )


@task()
def make_report_pdf(export_id: int) -> str:
    """Make the PDF of one export. Returns its status."""
    return run_export(export_id)


def run_export(export_id: int) -> str:
    export = (
        ReportExport.objects.select_related(
            "result__journey", "result__latest_revision", "result__approved_revision"
        )
        .filter(pk=export_id)
        .first()
    )
    if export is None:  # removed in the meantime
        return "gone"
    if export.status != Status.QUEUED:  # made already, or given up on
        return export.status
    result = export.result
    try:
        _at(export.pk, GATHERING)
        html = pdf.render_html(result)
        _at(export.pk, LAYING_OUT)
        rendered = pdf.render(result, base_url=settings.BASE_URL, html=html)
        _at(export.pk, SAVING)
        stem = pdf.file_name(result).removesuffix(".pdf")
        name = f"{stem}-{rendered.digest[:DIGEST_LENGTH]}.pdf"
        export.file.save(name, ContentFile(rendered.pdf), save=False)
    except Exception as error:
        logger.exception("The PDF export %s of %s failed", export_id, result)
        with translation.override(settings.LANGUAGE_CODE):
            message = _("The PDF could not be made (%(reason)s). Try again.") % {
                "reason": type(error).__name__
            }
        _fail(export.pk, message)
        return Status.FAILED
    done = ReportExport.objects.filter(pk=export.pk).update(
        status=Status.DONE,
        progress=100,
        step="",
        error="",
        file=export.file.name,
        finished_at=timezone.now(),
    )
    if not done:  # the export went while its PDF was made
        export.file.storage.delete(export.file.name)
        return "gone"
    try:
        prune(result)
    except Exception:  # the PDF is made; tidying up can wait for the next one
        logger.exception("Could not remove old PDF exports of %s", result)
    return Status.DONE


def prune(result: PhaseResult) -> int:
    """Keep the newest KEEP exports of `result` (and any still being made); remove the
    rest with their files. Returns how many went."""
    older = [
        export
        for export in result.exports.order_by("-created_at", "-pk")[KEEP:]
        if export.status not in ACTIVE
    ]
    for export in older:
        name = export.file.name
        storage = export.file.storage
        export.delete()
        if name:
            storage.delete(name)
    return len(older)
