"""Composing a foto or reisverslag: picking the journey's material into a section,
ordering it, commenting on it, taking it out.

Contributors (reisbegeleider, opdrachtgever, reizigers) compose. The items are fixed
while the report is ter vaststelling or vastgesteld, as its text is: what the
opdrachtgever approves is what they read. Starting the next version (editing the text)
opens the composition again.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from community.models import User
from journeys import method
from journeys.models import PhaseResult
from journeys.reports import material
from journeys.reports.models import ReportItem
from journeys.services import RuleViolation, _access, _record, _require

Kind = ReportItem.Kind
COMPOSED_KINDS = (PhaseResult.Kind.FOTO, PhaseResult.Kind.REISVERSLAG)
COMMENT_MAX = 2000


def _check_composer(actor: User, result: PhaseResult) -> None:
    _require(
        _access(actor, result.journey).can_contribute,
        _("Only reisbegeleiders, opdrachtgevers and reizigers compose the report."),
    )
    if result.kind not in COMPOSED_KINDS:
        raise RuleViolation(_("Only the foto and the reisverslag are composed from items."))
    if result.status != PhaseResult.Status.CONCEPT:
        raise RuleViolation(
            _(
                "The %(kind)s is %(status)s: its items stay as they are. Start a new "
                "version of its text to compose it again."
            )
            % {"kind": result.get_kind_display(), "status": result.get_status_display()}
        )


def _check_section(result: PhaseResult, section: str) -> None:
    if section not in method.section_keys(result.kind):
        raise RuleViolation(_("Choose one of the report's sections."))


def _clean_comment(comment: str) -> str:
    comment = (comment or "").replace("\r\n", "\n").strip()
    if len(comment) > COMMENT_MAX:
        raise RuleViolation(_("A comment has at most %(max)s characters.") % {"max": COMMENT_MAX})
    return comment


def _locked(result: PhaseResult) -> PhaseResult:
    # Serialises composers of one report: positions stay unique and in order.
    return PhaseResult.objects.select_for_update(of=("self",)).get(pk=result.pk)


@transaction.atomic
def add_item(
    actor: User,
    result: PhaseResult,
    *,
    kind: str,
    key: str,
    section: str = "",
    comment: str = "",
) -> ReportItem:
    """Put one piece of the journey's material (`key`: its id, or an indicator's name)
    at the end of `section` (by default the section that fits the kind)."""
    result = _locked(result)
    _check_composer(actor, result)
    journey = result.journey
    if kind not in Kind.values:
        raise RuleViolation(_("Choose what to add: a story, indicator, leervraag, ..."))
    section = section or material.DEFAULT_SECTION[result.kind][kind]
    _check_section(result, section)
    found = material.find(journey, kind, key)
    if found is None:
        raise RuleViolation(_("This item cannot be found in the journey's material (any more)."))
    if kind == Kind.STORY and not material.story_fits(found, journey):
        raise RuleViolation(
            _(
                "This story cannot go in: the teller shared it with fewer people than "
                "can read this report."
            )
        )
    field = _field(kind)
    if result.items.filter(**{field: found}).exists():
        raise RuleViolation(_("This is already in the report."))
    top = result.items.filter(section=section).aggregate(top=Max("position"))["top"]
    item = ReportItem.objects.create(
        result=result,
        section=section,
        position=(top or 0) + 1,
        kind=kind,
        added_by=actor,
        comment=_clean_comment(comment),
        **{field: found},
    )
    _record(
        actor,
        "report.item_added",
        journey,
        kind=result.kind,
        cycle=result.cycle,
        item=kind,
        section=section,
    )
    return item


def _field(kind: str) -> str:
    return {
        Kind.STORY: "story",
        Kind.INDICATOR: "indicator",
        Kind.QUESTION: "question",
        Kind.EVENT: "event",
        Kind.CARD: "card",
        Kind.ELEMENT: "element",
    }[kind]


def _section_items(result: PhaseResult, section: str) -> list[ReportItem]:
    return list(result.items.filter(section=section).order_by("position", "pk"))


def _renumber(items: list[ReportItem]) -> None:
    for number, item in enumerate(items, start=1):
        if item.position != number:
            item.position = number
            item.save(update_fields=["position"])


@transaction.atomic
def move_item(
    actor: User, item: ReportItem, *, direction: str = "", section: str = ""
) -> ReportItem:
    """One place up or down within its section, or to the end of another section."""
    result = _locked(item.result)
    _check_composer(actor, result)
    item = result.items.get(pk=item.pk)
    if section and section != item.section:
        _check_section(result, section)
        old_section = item.section
        top = result.items.filter(section=section).aggregate(top=Max("position"))["top"]
        item.section, item.position = section, (top or 0) + 1
        item.save(update_fields=["section", "position"])
        _renumber(_section_items(result, old_section))
    elif direction in ("up", "down"):
        items = _section_items(result, item.section)
        index = next(i for i, other in enumerate(items) if other.pk == item.pk)
        other = index - 1 if direction == "up" else index + 1
        if 0 <= other < len(items):
            items[index], items[other] = items[other], items[index]
        _renumber(items)
        item.refresh_from_db(fields=["position"])
    else:
        raise RuleViolation(_("Choose where the item goes."))
    _record(
        actor,
        "report.item_moved",
        result.journey,
        kind=result.kind,
        cycle=result.cycle,
        section=item.section,
    )
    return item


@transaction.atomic
def comment_item(actor: User, item: ReportItem, comment: str) -> ReportItem:
    result = _locked(item.result)
    _check_composer(actor, result)
    item.comment = _clean_comment(comment)
    item.save(update_fields=["comment"])
    _record(actor, "report.item_commented", result.journey, kind=result.kind, cycle=result.cycle)
    return item


@transaction.atomic
def remove_item(actor: User, item: ReportItem) -> None:
    result = _locked(item.result)
    _check_composer(actor, result)
    section = item.section
    item.delete()
    _renumber(_section_items(result, section))
    _record(actor, "report.item_removed", result.journey, kind=result.kind, cycle=result.cycle)
