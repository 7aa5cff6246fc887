"""A journey's activity: its audit entries told as sentences.

The services file every journey change under the journey (community.audit); this
module reads them back for the dashboard and the activity tab.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from community.models import AuditEntry
from journeys.models import Journey, Membership, PhaseResult, ReportItem

_SENTENCES = {
    "journey.created": gettext_lazy("%(who)s started the journey."),
    "journey.updated": gettext_lazy("%(who)s edited the journey's description."),
    "journey.invited": gettext_lazy("%(who)s invited someone as %(role)s."),
    "journey.joined": gettext_lazy("%(who)s joined as %(role)s."),
    "journey.invitation_declined": gettext_lazy("An invitation was declined."),
    "journey.invitation_revoked": gettext_lazy("%(who)s withdrew an invitation."),
    "journey.join_requested": gettext_lazy("%(who)s asked to join."),
    "journey.join_approved": gettext_lazy("%(who)s let %(member)s join as %(role)s."),
    "journey.join_declined": gettext_lazy("%(who)s declined the request of %(member)s."),
    "journey.role_changed": gettext_lazy("%(who)s made %(member)s %(new)s (was %(old)s)."),
    "journey.left": gettext_lazy("%(who)s left the journey."),
    "journey.member_removed": gettext_lazy("%(who)s removed %(member)s from the journey."),
    "journey.phase_moved": gettext_lazy("%(who)s moved the journey from %(old)s to %(new)s."),
    "journey.result_saved": gettext_lazy("%(who)s saved version %(version)s of the %(kind)s."),
    "journey.result_submitted": gettext_lazy("%(who)s submitted the %(kind)s for approval."),
    "journey.result_approved": gettext_lazy(
        "%(who)s approved (vastgesteld) version %(version)s of the %(kind)s."
    ),
    "journey.result_returned": gettext_lazy("%(who)s sent the %(kind)s back to concept."),
    "journey.data_added": gettext_lazy("%(who)s added the figure “%(indicator)s” to the foto."),
    "journey.document_added": gettext_lazy("%(who)s added the document “%(title)s” to the foto."),
    "journey.item_removed": gettext_lazy("%(who)s removed “%(item)s” from the foto."),
    "journey.canvas_entry_added": gettext_lazy("%(who)s added %(actor)s to the Impact Canvas."),
    "journey.canvas_entry_removed": gettext_lazy(
        "%(who)s removed %(actor)s from the Impact Canvas."
    ),
    "journey.doublure_marked": gettext_lazy("%(who)s marked a doublure in the Impact Canvas."),
    "journey.canvas_phase_added": gettext_lazy("%(who)s added the phase %(phase)s to the canvas."),
    "event.created": gettext_lazy("%(who)s planned the meeting “%(title)s”."),
    "event.changed": gettext_lazy("%(who)s changed a meeting."),
    "event.report_recorded": gettext_lazy("%(who)s wrote the verslag of “%(title)s”."),
    "event.cancelled": gettext_lazy("%(who)s cancelled “%(title)s”."),
    "journey.canvas_phase_removed": gettext_lazy(
        "%(who)s removed the phase %(phase)s from the canvas."
    ),
    "board.created": gettext_lazy("%(who)s made the board “%(title)s”."),
    "board.updated": gettext_lazy("%(who)s changed the settings of the board “%(title)s”."),
    "board.state_changed": gettext_lazy("%(who)s set the board “%(title)s” to %(new)s."),
    "board.imported": gettext_lazy("%(who)s imported the board “%(title)s” from Padlet."),
    "board.card_approved": gettext_lazy("%(who)s approved a card on “%(title)s”."),
    "board.card_hidden": gettext_lazy("%(who)s hid a card on “%(title)s”."),
    "board.card_shown": gettext_lazy("%(who)s showed a hidden card on “%(title)s” again."),
    "board.card_moved": gettext_lazy("%(who)s moved a card on “%(title)s”."),
    "board.card_highlighted": gettext_lazy("%(who)s highlighted a card on “%(title)s”."),
    "board.card_deleted": gettext_lazy("%(who)s deleted a card on “%(title)s”."),
    "report.item_added": gettext_lazy("%(who)s added a %(item)s to the %(kind)s."),
    "report.item_moved": gettext_lazy("%(who)s changed the order of the %(kind)s."),
    "report.item_commented": gettext_lazy("%(who)s commented on an item of the %(kind)s."),
    "report.item_removed": gettext_lazy("%(who)s took an item out of the %(kind)s."),
    "journey.data_imported": gettext_lazy("%(who)s imported figures from a CSV file."),
    "journey.report_exported": gettext_lazy("%(who)s made a PDF of the %(kind)s."),
    "journey.element_proposed": gettext_lazy(
        "%(who)s proposed the werkzaam element “%(title)s” to the editors."
    ),
    "board.card_to_thread": gettext_lazy(
        "%(who)s took a card of “%(title)s” to the forum as a thread."
    ),
}


@dataclass(frozen=True)
class Activity:
    when: datetime
    action: str
    text: str


def _label(choices, value) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value or "")


def describe(entry: AuditEntry) -> str:
    data = entry.data or {}
    if entry.action == "board.state_changed":
        from community.models import Board

        return str(_SENTENCES[entry.action]) % {
            "who": entry.actor.display_name if entry.actor else _("The platform"),
            "title": data.get("title", ""),
            "new": _label(Board.State, data.get("new")),
        }
    values = {
        "who": entry.actor.display_name if entry.actor else _("The platform"),
        "role": _label(Membership.Role, data.get("role")),
        "member": data.get("member", ""),
        "old": _label(Journey.Phase, data.get("old"))
        if entry.action == "journey.phase_moved"
        else _label(Membership.Role, data.get("old")),
        "new": _label(Journey.Phase, data.get("new"))
        if entry.action == "journey.phase_moved"
        else _label(Membership.Role, data.get("new")),
        "kind": _label(PhaseResult.Kind, data.get("kind")),
        "version": data.get("version", ""),
        "indicator": data.get("indicator", ""),
        "title": data.get("title", ""),
        "item": _label(ReportItem.Kind, data.get("item"))
        if entry.action.startswith("report.")
        else data.get("item", ""),
        "actor": data.get("who", ""),
        "phase": data.get("phase", ""),
    }
    sentence = _SENTENCES.get(entry.action)
    return str(sentence) % values if sentence else entry.action


def entries_for(journey: Journey) -> QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(
        target_type=ContentType.objects.get_for_model(Journey), target_id=str(journey.pk)
    ).select_related("actor")


def recent(journey: Journey, limit: int = 8) -> list[Activity]:
    return [Activity(e.created_at, e.action, describe(e)) for e in entries_for(journey)[:limit]]
